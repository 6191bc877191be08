/* render_layer: the retained layer. The page as it looks with no finger
 * down is kept between frames, so that a repaint draws only what changed.
 *
 * Where the target keeps what was drawn on it from one frame to the next
 * (SDL's software renderer: the window's own surface, or the canvas of a
 * turned screen), the target itself is the layer: a frame draws the page
 * straight, clipped to what changed since the last one (a part of the view,
 * the press that came or went, the welcome picture's float), and nothing
 * when nothing did. No second screen-sized texture is made (4 MB at
 * 1280x800).
 *
 * Elsewhere (a GPU's back buffer is undefined after a present) the layer
 * is one texture of the screen's size, in the pixel format of the target
 * it is copied to (a copy without conversion or blending). A new view's
 * first frame is drawn without it, and it is composed after that frame
 * while the kiosk waits for input (again only where the view changed); a
 * repaint is that copy with what a press changes on top. What changes on
 * its own (the welcome picture's float) is drawn straight and composed
 * only when a repaint next copies the layer. It keeps its texture from
 * page to page, its pixels replaced. */
#include "render.h"
#include "render_private.h"

struct RenderCache {
    bool kept;   /* the target keeps its pixels: it is the layer */
    int pressed; /* kept: the target drawn pressed on it, or -1 */
    SDL_Texture *layer;
    int w, h;
    bool stale;          /* part of the layer no longer shows the view */
    SDL_Rect stale_area; /* that part; w == 0: all of it */
    bool shown_direct;   /* the view, wholly stale, was drawn without the layer */
    SDL_Rect lag;        /* drawn straight since, composed at the next copy; w 0: none */
    int over;            /* text boxes that did not fit when it was composed */
};

RenderCache *render_cache_create(void)
{
    RenderCache *rc = SDL_calloc(1, sizeof *rc);
    if (rc) {
        rc->pressed = -1;
        rc->stale = true;
    }
    return rc;
}

void render_cache_keep_target(RenderCache *rc, bool kept)
{
    if (!rc || rc->kept == kept)
        return;
    render_cache_flush(rc);
    rc->kept = kept;
}

void render_cache_flush(RenderCache *rc)
{
    if (!rc)
        return;
    if (rc->layer)
        SDL_DestroyTexture(rc->layer);
    rc->layer = NULL;
    rc->stale = true;
    rc->stale_area = (SDL_Rect){0, 0, 0, 0};
    rc->shown_direct = false;
}

void render_cache_destroy(RenderCache *rc)
{
    render_cache_flush(rc);
    SDL_free(rc);
}

void render_cache_invalidate(RenderCache *rc, const SDL_Rect *area)
{
    if (!rc || (area && (area->w <= 0 || area->h <= 0)))
        return;
    if (!area) {
        rc->shown_direct = false; /* a new view */
        rc->lag = (SDL_Rect){0, 0, 0, 0};
    }
    if (!area || (rc->stale && rc->stale_area.w <= 0))
        rc->stale_area = (SDL_Rect){0, 0, 0, 0}; /* all of it */
    else if (rc->stale)
        SDL_UnionRect(&rc->stale_area, area, &rc->stale_area);
    else
        rc->stale_area = *area;
    rc->stale = true;
}

void render_cache_lag(RenderCache *rc, const SDL_Rect *area)
{
    if (!rc || area->w <= 0 || area->h <= 0)
        return;
    if (rc->lag.w > 0)
        SDL_UnionRect(&rc->lag, area, &rc->lag);
    else
        rc->lag = *area;
}

/* The layer, made for a w x h screen in the format of the target it is
 * copied to (the window's surface, or the canvas of a turned screen); a
 * new one is wholly stale. False when none can be made. */
static bool layer_ready(RenderCache *rc, SDL_Renderer *r, int w, int h)
{
    if (rc->layer && rc->w == w && rc->h == h)
        return true;
    render_cache_flush(rc);
    Uint32 format = gfx_target_format(r);
    if (format == SDL_PIXELFORMAT_UNKNOWN)
        format = SDL_PIXELFORMAT_ARGB8888;
    rc->layer = SDL_CreateTexture(r, format, SDL_TEXTUREACCESS_TARGET, w, h);
    if (!rc->layer && format != SDL_PIXELFORMAT_ARGB8888)
        rc->layer = SDL_CreateTexture(r, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET, w, h);
    if (!rc->layer)
        return false;
    SDL_SetTextureBlendMode(rc->layer, SDL_BLENDMODE_NONE);
    rc->w = w;
    rc->h = h;
    return true;
}

/* Draws the stale part of the layer: the page with no finger down, within
 * a clip on the layer when only part of it is stale. The target and its
 * clip are put back afterwards (SDL resets the clip with the target). */
static bool compose(RenderCtx *c, const KsView *v, const Layout *l)
{
    RenderCache *rc = c->cache;
    SDL_Texture *was = SDL_GetRenderTarget(c->r);
    SDL_Rect clip;
    bool clipped = SDL_RenderIsClipEnabled(c->r);
    if (clipped)
        SDL_RenderGetClipRect(c->r, &clip);
    if (SDL_SetRenderTarget(c->r, rc->layer) != 0)
        return false;
    if (rc->stale_area.w > 0)
        SDL_RenderSetClipRect(c->r, &rc->stale_area);
    rc->over = render_page(c, v, l, -1);
    SDL_RenderSetClipRect(c->r, NULL);
    SDL_SetRenderTarget(c->r, was);
    if (clipped)
        SDL_RenderSetClipRect(c->r, &clip);
    rc->stale = false;
    rc->stale_area = (SDL_Rect){0, 0, 0, 0};
    return true;
}

void render_layer_prepare(RenderCtx *c, const KsView *v, const Layout *l)
{
    RenderCache *rc = c->cache;
    if (!rc || rc->kept || v->screen == KS_SCREEN_SLEEP || !rc->stale || !rc->shown_direct)
        return;
    if (!layer_ready(rc, c->r, l->w, l->h) || !compose(c, v, l))
        render_cache_flush(rc);
}

int render_straight(RenderCtx *c, const KsView *v, const Layout *l, int pressed)
{
    int over = render_page(c, v, l, pressed);
    /* On a kept target this was the frame where it lagged: done. */
    RenderCache *rc = c->cache;
    SDL_Rect clip, both;
    if (rc && rc->kept && rc->lag.w > 0 && SDL_RenderIsClipEnabled(c->r)) {
        SDL_RenderGetClipRect(c->r, &clip);
        SDL_UnionRect(&clip, &rc->lag, &both);
        if (SDL_RectEquals(&both, &clip))
            rc->lag = (SDL_Rect){0, 0, 0, 0};
    }
    return over;
}

static void unite(SDL_Rect *into, SDL_Rect r)
{
    if (r.w <= 0 || r.h <= 0)
        return;
    if (into->w > 0 && into->h > 0)
        SDL_UnionRect(into, &r, into);
    else
        *into = r;
}

/* A frame on a target that kept the last one: the page drawn straight
 * where it changed since, nothing where it did not. */
static int kept_frame(RenderCtx *c, const KsView *v, const Layout *l, int pressed)
{
    RenderCache *rc = c->cache;
    if (rc->stale && rc->stale_area.w <= 0) {
        rc->over = render_page(c, v, l, pressed);
        /* Drawn whole: from now on only the targets' text is drawn again
         * (the welcome picture's float has no words in its place). */
        render_hold_targets(c, v, l);
    } else {
        SDL_Rect damage = rc->stale ? rc->stale_area : (SDL_Rect){0, 0, 0, 0};
        unite(&damage, rc->lag);
        if (pressed != rc->pressed) {
            unite(&damage, render_press_area(c, v, l, rc->pressed));
            unite(&damage, render_press_area(c, v, l, pressed));
        }
        if (damage.w > 0 && damage.h > 0) {
            SDL_RenderSetClipRect(c->r, &damage);
            rc->over = render_page(c, v, l, pressed);
            SDL_RenderSetClipRect(c->r, NULL);
        }
    }
    rc->pressed = pressed;
    rc->stale = false;
    rc->stale_area = rc->lag = (SDL_Rect){0, 0, 0, 0};
    return rc->over;
}

int render_frame(RenderCtx *c, const KsView *v, const Layout *l, int pressed)
{
    RenderCache *rc = c->cache;
    /* Night is one black clear: nothing to keep. */
    if (!rc || v->screen == KS_SCREEN_SLEEP) {
        if (rc && rc->kept)
            render_cache_invalidate(rc, NULL); /* the page comes back whole */
        return render_page(c, v, l, pressed);
    }
    if (rc->kept)
        return kept_frame(c, v, l, pressed);
    /* A new view's first frame is drawn straight to the screen, as fast as
     * it can be shown (touch to photon); the layer is composed after it,
     * while the kiosk waits for input (render_layer_prepare), or else by
     * the view's first repaint. */
    if (rc->stale && rc->stale_area.w <= 0 && !rc->shown_direct) {
        rc->shown_direct = true;
        return render_page(c, v, l, pressed);
    }
    if (!layer_ready(rc, c->r, l->w, l->h))
        return render_page(c, v, l, pressed);
    if (rc->lag.w > 0) {
        render_cache_invalidate(rc, &rc->lag);
        rc->lag = (SDL_Rect){0, 0, 0, 0};
    }
    if (rc->stale && !compose(c, v, l)) {
        render_cache_flush(rc);
        return render_page(c, v, l, pressed);
    }
    SDL_Rect all = {0, 0, l->w, l->h};
    SDL_RenderCopy(c->r, rc->layer, NULL, &all);
    if (!render_pressed(c, v, l, pressed))
        return render_page(c, v, l, pressed);
    return rc->over;
}
