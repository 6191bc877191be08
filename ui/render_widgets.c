/* render_widgets: canvas, pens, tools and slider. The canvas draws the
 * strokes from the view with the same round pens the stored PNG gets, so
 * what a child sees is what is kept. */
#include "render_widgets.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static SDL_Color rgb(unsigned c)
{
    return (SDL_Color){(Uint8)(c >> 16), (Uint8)(c >> 8), (Uint8)c, 255};
}

static int pen_index(const KsViewTarget *vt)
{
    return vt->pen >= 0 && vt->pen < KS_PEN_COUNT ? vt->pen : 0;
}

static int text_at(RenderCtx *c, const char *s, SDL_Rect box, int px, int min_px, bool bold,
                   SDL_Color col, TextAlign align, bool rtl)
{
    TextStyle st = {.px = px,
                    .min_px = min_px,
                    .bold = bold,
                    .color = col,
                    .align = align,
                    .valign = TEXT_MIDDLE,
                    .rtl = rtl};
    return text_draw(c->text, s, box, &st) ? 0 : 1;
}

int render_canvas(RenderCtx *c, const KsView *v, const KsViewTarget *vt, SDL_Rect r)
{
    const Theme *t = c->theme;
    if (vt->item < 0 || vt->item >= v->n_items)
        return 0;
    const KsViewItem *it = &v->items[vt->item];
    bool problem = it->problem;
    gfx_shadow(c->r, r, theme_mm(t, 1), theme_mm(t, 0.8), t->shadow);
    gfx_tile(c->r, r, theme_mm(t, 1), theme_mm(t, problem ? 0.9 : 0.5),
             problem ? t->warn : t->tile_edge, t->white);
    /* The stored picture uses a pen radius of 6/800 of its width. */
    float width = (float)r.w * 12.0f / 800.0f;
    if (width < 2)
        width = 2;
    /* The strokes keep inside the canvas and inside the clip the caller
     * set (a frame drawn only where it changed); none is drawn when the two
     * do not meet. */
    SDL_Rect clip = r, was = {0, 0, 0, 0};
    bool clipped = SDL_RenderIsClipEnabled(c->r);
    if (clipped) {
        SDL_RenderGetClipRect(c->r, &was);
        if (!SDL_IntersectRect(&was, &r, &clip))
            return 0;
    }
    SDL_RenderSetClipRect(c->r, &clip);
    const KsDrawingView *d = &it->drawing;
    for (int s = 0; s < d->n_strokes; s++) {
        const KsStroke *st = &d->strokes[s];
        SDL_Color col = rgb(ks_pen_colours[st->pen]);
        for (int i = 0; i < st->n; i++) {
            const KsPoint *a = &d->points[st->first + (i > 0 ? i - 1 : 0)];
            const KsPoint *b = &d->points[st->first + i];
            float ax = r.x + a->x * r.w, ay = r.y + a->y * r.h;
            float bx = r.x + b->x * r.w, by = r.y + b->y * r.h;
            if (i > 0)
                gfx_line(c->r, ax, ay, bx, by, width, col);
            gfx_fill_circle(c->r, (int)lroundf(bx), (int)lroundf(by), (int)(width / 2), col);
        }
    }
    SDL_RenderSetClipRect(c->r, clipped ? &was : NULL);
    return 0;
}

/* A colour disc; the pen in use gets a thick ring and a tick, so it is not
 * told by colour alone. */
int render_pen(RenderCtx *c, const KsViewTarget *vt, SDL_Rect r, bool pressed)
{
    const Theme *t = c->theme;
    SDL_Color col = rgb(ks_pen_colours[pen_index(vt)]);
    int cx = r.x + r.w / 2, cy = r.y + r.h / 2, rad = (r.w < r.h ? r.w : r.h) / 2;
    gfx_fill_circle(c->r, cx, cy, rad,
                    vt->selected ? t->select : (pressed ? t->tile_pressed : t->tile_edge));
    gfx_fill_circle(c->r, cx, cy, rad - (vt->selected ? t->border * 2 : theme_mm(t, 0.5)),
                    t->white);
    gfx_fill_circle(c->r, cx, cy, rad * 62 / 100, col);
    if (vt->selected) {
        char path[600];
        snprintf(path, sizeof path, "%s/check.svg", c->icons_dir);
        int d = rad * 9 / 10;
        pictures_draw(c->pictures, path, (SDL_Rect){cx - d / 2, cy - d / 2, d, d});
    }
    return 0;
}

/* Undo and clear: a picture only (an arrow back, a bin), which children
 * understand before they read; the word stays in the view for scripts.
 * Dimmed while there is nothing to take back. */
int render_tool(RenderCtx *c, const KsView *v, const KsViewTarget *vt, SDL_Rect r, bool pressed)
{
    (void)v;
    const Theme *t = c->theme;
    gfx_shadow(c->r, r, t->radius, theme_mm(t, 0.6), t->shadow);
    gfx_tile(c->r, r, t->radius, theme_mm(t, 0.4), t->tile_edge,
             pressed && vt->enabled ? t->tile_pressed : t->tile);
    int pic = r.h * 70 / 100;
    char path[600];
    snprintf(path, sizeof path, "%s/%s", c->icons_dir,
             vt->slot == KS_SLOT_UNDO ? "undo.svg" : "bin.svg");
    SDL_Rect pb = {r.x + (r.w - pic) / 2, r.y + (r.h - pic) / 2, pic, pic};
    pictures_draw(c->pictures, path, pb);
    if (!vt->enabled) {
        /* Dim the picture: a veil in the tile colour. */
        SDL_SetRenderDrawBlendMode(c->r, SDL_BLENDMODE_BLEND);
        SDL_SetRenderDrawColor(c->r, t->tile.r, t->tile.g, t->tile.b, 150);
        SDL_RenderFillRect(c->r, &pb);
    }
    return 0;
}

static void format_value(char *buf, size_t size, double v)
{
    snprintf(buf, size, "%.10g", v);
}

int render_slider(RenderCtx *c, const KsView *v, const KsViewTarget *vt, SDL_Rect r, bool pressed)
{
    const Theme *t = c->theme;
    if (vt->item < 0 || vt->item >= v->n_items)
        return 0;
    const KsViewItem *it = &v->items[vt->item];
    double span = it->range_end - it->range_start;
    double frac = span != 0 ? (it->value - it->range_start) / span : 0;
    frac = frac < 0 ? 0 : (frac > 1 ? 1 : frac);
    if (v->rtl)
        frac = 1 - frac;
    int thumb = theme_mm(t, 12);
    if (thumb > r.h / 2)
        thumb = r.h / 2;
    int track_y = r.y + r.h - thumb / 2 - theme_mm(t, 1);
    int x0 = r.x + thumb / 2, x1 = r.x + r.w - thumb / 2;
    int tx = x0 + (int)lround(frac * (x1 - x0));
    int over = 0;

    /* The value, large, above the thumb; ends of the range at the sides. */
    char num[32], lo[32], hi[32];
    format_value(num, sizeof num, it->value);
    format_value(lo, sizeof lo, v->rtl ? it->range_end : it->range_start);
    format_value(hi, sizeof hi, v->rtl ? it->range_start : it->range_end);
    int label_h = r.h - thumb - theme_mm(t, 2);
    SDL_Rect ends_l = {r.x, r.y, r.w / 4, label_h},
             ends_r = {r.x + r.w * 3 / 4, r.y, r.w / 4, label_h};
    over += text_at(c, lo, ends_l, t->label_px, t->small_px, false, t->ink_soft, TEXT_LEFT, false);
    over += text_at(c, hi, ends_r, t->label_px, t->small_px, false, t->ink_soft, TEXT_RIGHT, false);
    if (it->has_value) {
        int vw = theme_mm(t, 30);
        int vx = tx - vw / 2;
        vx = vx < r.x + r.w / 4 ? r.x + r.w / 4 : vx;
        vx = vx + vw > r.x + r.w * 3 / 4 ? r.x + r.w * 3 / 4 - vw : vx;
        over += text_at(c, num, (SDL_Rect){vx, r.y, vw, label_h}, t->title_px, t->title_min_px,
                        true, t->select, TEXT_CENTER, false);
    }

    /* The track: filled up to the thumb once a value is chosen. */
    int th = theme_mm(t, 2.5);
    SDL_Rect track = {x0, track_y - th / 2, x1 - x0, th};
    gfx_fill_round(c->r, track, th / 2, t->tile_edge);
    if (it->has_value) {
        SDL_Rect done =
            v->rtl ? (SDL_Rect){tx, track.y, x1 - tx, th} : (SDL_Rect){x0, track.y, tx - x0, th};
        if (done.w > 0)
            gfx_fill_round(c->r, done, th / 2, t->select);
    }
    /* Step marks when there are few enough to tell apart. */
    double steps = it->range_step > 0 ? span / it->range_step : 0;
    if (steps >= 1 && steps <= 20) {
        for (int i = 0; i <= (int)lround(steps); i++) {
            int mx = x0 + (int)lround((double)i / steps * (x1 - x0));
            SDL_Rect m = {mx - 1, track.y + th + theme_mm(t, 0.8), 3, theme_mm(t, 1.5)};
            SDL_SetRenderDrawColor(c->r, t->ink_soft.r, t->ink_soft.g, t->ink_soft.b, 255);
            SDL_RenderFillRect(c->r, &m);
        }
    }
    /* The thumb: hollow until a value is chosen (not colour alone). */
    SDL_Color ring = it->has_value ? t->select : t->ink_soft;
    gfx_fill_circle(c->r, tx, track_y, thumb / 2 + (pressed ? theme_mm(t, 0.8) : 0), ring);
    gfx_fill_circle(c->r, tx, track_y, thumb / 2 - theme_mm(t, 1),
                    it->has_value ? t->select_fill : t->white);
    if (it->has_value)
        gfx_fill_circle(c->r, tx, track_y, thumb / 5, t->select);
    return over;
}

/* The speaker: a round button with the speaker picture; its name is for
 * scripts and screen readers, the picture says it to children. */
int render_speak(RenderCtx *c, const KsViewTarget *vt, SDL_Rect r, bool pressed)
{
    (void)vt;
    const Theme *t = c->theme;
    /* The picture is a white glyph: it sits on a disc of the primary colour. */
    gfx_fill_circle(c->r, r.x + r.w / 2, r.y + r.h / 2, r.w / 2,
                    pressed ? t->primary_dark : t->primary);
    char path[600];
    snprintf(path, sizeof path, "%s/speaker.svg", c->icons_dir);
    int d = r.w * 64 / 100;
    pictures_draw(c->pictures, path, (SDL_Rect){r.x + (r.w - d) / 2, r.y + (r.h - d) / 2, d, d});
    return 0;
}
