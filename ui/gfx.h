/* gfx: drawing primitives the kiosk needs beyond SDL's rectangles — rounded
 * tiles made of triangles (SDL_RenderGeometry) — and the picture cache that
 * turns SVG/PNG files into textures at the size they are shown, within a
 * budget of bytes. */
#ifndef KS_GFX_H
#define KS_GFX_H

#include <SDL.h>
#include <stdbool.h>

/* A filled rectangle with rounded corners. */
void gfx_fill_round(SDL_Renderer *r, SDL_Rect rc, int radius, SDL_Color c);
/* A tile: a border of `border` px in `edge` around a `fill` interior. */
void gfx_tile(SDL_Renderer *r, SDL_Rect rc, int radius, int border, SDL_Color edge, SDL_Color fill);
/* A rounded frame `border` px wide, inside rc. */
void gfx_frame_round(SDL_Renderer *r, SDL_Rect rc, int radius, int border, SDL_Color c);
/* The soft shadow under a tile: painted before the tile, only where it will
 * still show (the `offset` px below the bottom edge). */
void gfx_shadow(SDL_Renderer *r, SDL_Rect rc, int radius, int offset, SDL_Color c);
/* A filled circle. */
void gfx_fill_circle(SDL_Renderer *r, int cx, int cy, int radius, SDL_Color c);

#define GFX_POLY_MAX 12
/* A filled convex polygon of at most GFX_POLY_MAX points. */
void gfx_fill_convex(SDL_Renderer *r, const SDL_FPoint *pts, int n, SDL_Color c);
/* A straight line `width` px thick. */
void gfx_line(SDL_Renderer *r, float x0, float y0, float x1, float y1, float width, SDL_Color c);

/* The pixel format r draws into: its target texture's, or its window's;
 * SDL_PIXELFORMAT_UNKNOWN when it has neither. */
Uint32 gfx_target_format(SDL_Renderer *r);

typedef struct Pictures Pictures;

Pictures *pictures_create(SDL_Renderer *r);
void pictures_destroy(Pictures *p); /* accepts NULL */
/* Draws the picture at path fitted (aspect kept) and centred in box. SVGs are
 * rasterised to fit a square of the box's shorter side; each (path, box size)
 * is cached as a texture of the size it is shown, so a repaint is a plain
 * copy. Returns 0 when the file cannot be read (logged once). */
int pictures_draw(Pictures *p, const char *path, SDL_Rect box);
/* Whether r's target takes laid pictures (4 bytes a pixel, no alpha). */
bool pictures_can_lay(SDL_Renderer *r);
/* pictures_draw for a picture that lies wholly on the plain colour under
 * (the welcome picture, redrawn as it floats): cached already blended onto
 * it as an opaque texture in the target's format, so a frame draws it with
 * one plain copy, the same pixels. True with *at, the rectangle it covered;
 * false when it could not be read or laid (nothing drawn). */
bool pictures_draw_laid(Pictures *p, const char *path, SDL_Rect box, SDL_Color under, SDL_Rect *at);
/* Where pictures_draw puts the picture at path in box: the box itself
 * while the picture has not been drawn there yet. */
SDL_Rect pictures_place(Pictures *p, const char *path, SDL_Rect box);
void pictures_flush(Pictures *p);
/* Around the first frame of a new screen: pictures_screen_end drops every
 * picture not drawn since pictures_screen_begin, so the cache holds what
 * the screen on show draws. */
void pictures_screen_begin(Pictures *p);
void pictures_screen_end(Pictures *p);

#endif
