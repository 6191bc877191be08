/* render: draws a laid-out view. Every look of every target style lives
 * here; the layout decided where, this decides how. Selection is always
 * shown by a thick frame plus a mark, never by colour alone. */
#ifndef KS_RENDER_H
#define KS_RENDER_H

#include <SDL.h>

#include "gfx.h"
#include "layout.h"
#include "text.h"
#include "theme.h"

/* The retained layer kept between frames (render_layer.c): the page as it
 * looks with no finger down, composed once per view into one texture of
 * the screen's size, so a repaint is a plain copy of it with only what a
 * press changes drawn on top. */
typedef struct RenderCache RenderCache;

RenderCache *render_cache_create(void);
void render_cache_destroy(RenderCache *rc); /* accepts NULL */
/* Drops the texture (after the renderer lost it, or to measure a cold
 * frame). */
void render_cache_flush(RenderCache *rc);
/* The view drawn from changed inside area (NULL: anywhere, a new view or
 * page): the next frame composes that part of the layer again. */
void render_cache_invalidate(RenderCache *rc, const SDL_Rect *area);
/* What is drawn inside area changed on its own and is drawn straight onto
 * the screen (the welcome picture's float, by render_straight): the layer
 * is composed there again only when a frame next copies it, not while the
 * kiosk waits. */
void render_cache_lag(RenderCache *rc, const SDL_Rect *area);

typedef struct {
    SDL_Renderer *r;
    const Theme *theme;
    Text *text;
    Pictures *pictures;
    const char *icons_dir;
    RenderCache *cache; /* may be NULL: everything is drawn straight each frame */
} RenderCtx;

/* Draws the whole frame (without presenting). `pressed` is the layout index
 * of the target under a finger now, or -1. With a cache, the frame is the
 * layer (composed again where it was invalidated) with the press drawn
 * over it; without one, or when the layer cannot be made, everything is
 * drawn straight. Returns how many text boxes did not fit. */
int render_frame(RenderCtx *c, const KsView *v, const Layout *l, int pressed);

/* The frame drawn without the layer, within the clip the caller set. */
int render_straight(RenderCtx *c, const KsView *v, const Layout *l, int pressed);

/* Composes the retained layer of the view on show when its first frame was
 * drawn without it: for when the kiosk waits for input, so that the next
 * repaint (a press) is a copy. Nothing to do otherwise. */
void render_layer_prepare(RenderCtx *c, const KsView *v, const Layout *l);

/* Starts reading the welcome screen's picture for a w x h display on a
 * thread of its own (picload_ahead), for the first frame; a first screen
 * of another kind drops it. */
void render_read_welcome_ahead(const char *icons_dir, int w, int h, double panel_w_mm,
                               double panel_h_mm);

/* Where render_frame draws the layout's decorative picture (attract,
 * thanks): the pixels that change when it moves. Empty when it has none. */
SDL_Rect render_picture_area(RenderCtx *c, const Layout *l);

#endif
