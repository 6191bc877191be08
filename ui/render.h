/* render: draws a laid-out view. Every look of every target style lives
 * here; the layout decided where, this decides how. Selection is always
 * shown by a thick frame plus a mark, never by colour alone. */
#ifndef KS_RENDER_H
#define KS_RENDER_H

#include <stdint.h>
#include <SDL.h>

#include "gfx.h"
#include "layout.h"
#include "text.h"
#include "theme.h"

/* The retained layer kept between frames (render_layer.c): the page as it
 * looks with no finger down, so a repaint draws only what changed. It is
 * the target itself where that keeps its pixels from frame to frame (see
 * render_cache_keep_target); elsewhere one texture of the screen's size,
 * composed once per view, so a repaint is a plain copy of it with only
 * what a press changes drawn on top. */
typedef struct RenderCache RenderCache;

RenderCache *render_cache_create(void);
void render_cache_destroy(RenderCache *rc); /* accepts NULL */
/* Whether the target render_frame draws on keeps what was drawn from one
 * frame to the next (SDL's software renderer; not a GPU's back buffer).
 * Kept: no layer texture is made, a frame draws only the part of the page
 * that changed since the last frame this cache drew (nothing when nothing
 * did), and the caller must not change the target's pixels in between
 * except through render_straight. Off by default. */
void render_cache_keep_target(RenderCache *rc, bool kept);
/* Drops the texture (after the renderer lost it, or to measure a cold
 * frame). */
void render_cache_flush(RenderCache *rc);
/* The view drawn from changed inside area (NULL: anywhere, a new view or
 * page): the next frame composes that part of the layer again. */
void render_cache_invalidate(RenderCache *rc, const SDL_Rect *area);
/* What is drawn inside area changed on its own and is drawn straight onto
 * the screen (the welcome picture's float, by render_straight): the layer
 * is composed there again only when a frame next copies it, not while the
 * kiosk waits. On a kept target, the next frame draws it unless a
 * render_straight within a clip that covers it came first. */
void render_cache_lag(RenderCache *rc, const SDL_Rect *area);

typedef struct {
    SDL_Renderer *r;
    const Theme *theme;
    Text *text;
    Pictures *pictures;
    const char *icons_dir;
    RenderCache *cache; /* may be NULL: everything is drawn straight each frame */
} RenderCtx;

/* Draws the whole frame (without presenting; no clip set). `pressed` is the
 * layout index of the target under a finger now, or -1. With a cache, the
 * frame is the layer (composed again where it was invalidated) with the
 * press drawn over it, or on a kept target what changed drawn straight;
 * without one, or when the layer cannot be made, everything is drawn
 * straight. Returns how many text boxes did not fit. */
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

/* Where a finger on target `pressed` (a layout index; -1: none, an empty
 * rectangle) changes the page: the target with its shadow, and the start
 * button, which darkens under any press. */
SDL_Rect render_press_area(RenderCtx *c, const KsView *v, const Layout *l, int pressed);

/* Keeps as textures only the text the targets of the page just drawn
 * whole draw (a press or a changed answer draws them again); the rest of
 * the page's text (its title, its hints) gives up its memory and is drawn
 * again from its layout should a frame ever reach it (text_hold_end). For
 * a target that keeps its pixels. */
void render_hold_targets(RenderCtx *c, const KsView *v, const Layout *l);

/* A view as numbers (render_damage.c): one for everything the page draws
 * besides its targets, and one per laid-out target for all its drawing
 * reads, with the area it may paint. */
typedef struct {
    uint64_t page;
    int n;
    uint64_t target[KS_VIEW_MAX_TARGETS];
    SDL_Rect area[KS_VIEW_MAX_TARGETS];
} RenderSig;

void render_sig_make(const Theme *t, const KsView *v, const Layout *l, RenderSig *out);

/* Where a view signed b differs from the one signed a: *area (empty when
 * nothing does) covers every target that changed, where it was and is.
 * False when more than targets changed: the page must be drawn whole. */
bool render_sig_changes(const RenderSig *a, const RenderSig *b, SDL_Rect *area);

/* Where render_frame draws the layout's decorative picture (attract,
 * thanks): the pixels that change when it moves. Empty when it has none. */
SDL_Rect render_picture_area(RenderCtx *c, const Layout *l);

#endif
