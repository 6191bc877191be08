/* render_damage: where a frame differs from the one before, so that only
 * there is drawn again: what a finger on a target changes (render_press_area,
 * and render_pressed, which draws a press over the page), and which targets
 * a new view of the same page changed (render_sig_*: a number for what the
 * page draws besides its targets, one per target, from everything their
 * drawing reads). */
#include <string.h>

#include "render.h"
#include "render_private.h"

/* Where a target may paint: its rectangle and the shadow beneath it. */
static SDL_Rect footprint(const Theme *t, SDL_Rect r)
{
    r.h += theme_mm(t, 1.2) + 1;
    return r;
}

/* Whether drawing the target again over itself gives the same pixels as
 * drawing it once: it paints its own opaque ground before anything that
 * blends. The slider's labels sit on the page colour, so it is not. */
static bool covers_itself(TargetStyle style)
{
    return style != STYLE_SLIDER;
}

static bool hits_any(const SDL_Rect *f, const SDL_Rect *areas, int n)
{
    for (int i = 0; i < n; i++)
        if (SDL_HasIntersection(f, &areas[i]))
            return true;
    return false;
}

/* Whether a target of this style looks different under a finger. */
static bool press_shows(TargetStyle style)
{
    return style != STYLE_HIDDEN && style != STYLE_CANVAS && style != STYLE_BAR;
}

SDL_Rect render_press_area(RenderCtx *c, const KsView *v, const Layout *l, int pressed)
{
    SDL_Rect area = {0, 0, 0, 0};
    if (pressed < 0 || pressed >= l->n)
        return area;
    if (press_shows(l->targets[pressed].style))
        area = footprint(c->theme, l->targets[pressed].rect);
    if (l->start_button.w > 0 && v->n_targets > 0) {
        SDL_Rect start = l->start_button;
        start.h += theme_mm(c->theme, 1) + 1;
        if (area.w > 0)
            SDL_UnionRect(&area, &start, &area);
        else
            area = start;
    }
    return area;
}

bool render_pressed(RenderCtx *c, const KsView *v, const Layout *l, int pressed)
{
    const Theme *t = c->theme;
    if (pressed < 0)
        return true;
    /* What is drawn again, in the page's order: the start button (darker
     * while a finger is down), the pressed target, and whatever the page
     * draws after them over the same pixels. */
    SDL_Rect areas[KS_VIEW_MAX_TARGETS + 1];
    bool redraw[KS_VIEW_MAX_TARGETS] = {false};
    int n = 0;
    bool start = l->start_button.w > 0 && v->n_targets > 0;
    if (start) {
        areas[n] = l->start_button;
        areas[n++].h += theme_mm(t, 1) + 1;
    }
    for (int i = 0; i < l->n && i < KS_VIEW_MAX_TARGETS; i++) {
        SDL_Rect f = footprint(t, l->targets[i].rect);
        if (l->targets[i].style == STYLE_HIDDEN || (i != pressed && !hits_any(&f, areas, n)))
            continue;
        if (!covers_itself(l->targets[i].style))
            return false;
        redraw[i] = true;
        areas[n++] = f;
    }
    if (start)
        render_draw_start(c, v, l, true);
    for (int i = 0; i < l->n && i < KS_VIEW_MAX_TARGETS; i++)
        if (redraw[i])
            render_draw_target(c, v, &l->targets[i], i == pressed);
    return true;
}

void render_hold_targets(RenderCtx *c, const KsView *v, const Layout *l)
{
    SDL_Rect was = {0, 0, 0, 0};
    bool clipped = SDL_RenderIsClipEnabled(c->r);
    if (clipped)
        SDL_RenderGetClipRect(c->r, &was);
    /* Drawn where nothing shows: the blocks are only looked up. */
    SDL_RenderSetClipRect(c->r, &(SDL_Rect){0, 0, 0, 0});
    text_hold_begin(c->text);
    if (l->start_button.w > 0 && v->n_targets > 0)
        render_draw_start(c, v, l, false);
    for (int i = 0; i < l->n; i++)
        render_draw_target(c, v, &l->targets[i], false);
    text_hold_end(c->text);
    SDL_RenderSetClipRect(c->r, clipped ? &was : NULL);
}

/* ---- what a new view of the same page changed ---- */

static uint64_t mix(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 1099511628211ULL;
    return h;
}

static uint64_t mix_int(uint64_t h, long long v)
{
    return mix(h, &v, sizeof v);
}

/* A string by its content; NULL differs from "". */
static uint64_t mix_str(uint64_t h, const char *s)
{
    return s ? mix(mix_int(h, 1), s, strlen(s) + 1) : mix_int(h, 0);
}

static uint64_t mix_rect(uint64_t h, SDL_Rect r)
{
    int v[4] = {r.x, r.y, r.w, r.h};
    return mix(h, v, sizeof v);
}

static uint64_t mix_item(uint64_t h, const KsViewItem *it)
{
    h = mix_str(mix_str(mix_str(h, it->question), it->title), it->message);
    h = mix_str(mix_int(mix_int(mix_int(h, it->widget), it->problem), it->focused), it->entry);
    double range[4] = {it->range_start, it->range_end, it->range_step, it->value};
    h = mix(mix_int(h, it->has_value), range, sizeof range);
    const KsDrawingView *d = &it->drawing;
    h = mix_int(mix_int(h, it->pen), d->n_strokes);
    for (int s = 0; s < d->n_strokes; s++) {
        const KsStroke *st = &d->strokes[s];
        h = mix(h, st, sizeof *st);
        h = mix(h, &d->points[st->first], (size_t)st->n * sizeof d->points[0]);
    }
    return h;
}

/* Everything a target's drawing reads: the target, the question it
 * answers, its place and style. */
static uint64_t target_sig(uint64_t h, const KsView *v, const LayoutTarget *lt)
{
    const KsViewTarget *t = &v->targets[lt->view_index];
    h = mix_rect(mix_int(mix_int(mix_int(h, lt->view_index), lt->style), lt->check), lt->rect);
    h = mix_str(mix_str(mix_str(mix_str(h, t->id), t->text), t->subtext), t->image);
    long long n[] = {t->face, t->rank,      t->item, t->row,      t->count,  t->count_max,
                     t->pen,  (int)t->role, t->slot, t->selected, t->enabled};
    h = mix(mix_str(h, t->thumb), n, sizeof n);
    if (t->item >= 0 && t->item < v->n_items)
        h = mix_item(h, &v->items[t->item]);
    return h;
}

/* Everything the page draws besides its targets' own drawing. */
static uint64_t page_sig(const KsView *v, const Layout *l)
{
    uint64_t h = 1469598103934665603ULL;
    long long n[] = {v->screen,
                     v->rtl,
                     (long long)v->accent,
                     v->progress_pos,
                     v->progress_total,
                     v->n_items,
                     v->n_targets,
                     l->w,
                     l->h,
                     l->rtl,
                     l->picture_disc,
                     l->title_center,
                     l->title_px,
                     l->title_min_px,
                     l->n_items,
                     l->overflow,
                     l->n};
    h = mix(h, n, sizeof n);
    h = mix_str(mix_str(mix_str(mix_str(h, v->form_id), v->question), v->lang), v->picture);
    h = mix_str(mix_str(mix_str(mix_str(h, v->title), v->message), v->progress_text),
                v->keys_layout);
    for (int i = 0; i < v->n_items; i++)
        h = mix_item(h, &v->items[i]);
    const SDL_Rect rects[] = {l->title,        l->subtitle, l->message, l->progress_text,
                              l->progress_bar, l->picture,  l->card,    l->start_button};
    for (size_t i = 0; i < sizeof rects / sizeof rects[0]; i++)
        h = mix_rect(h, rects[i]);
    h = mix_str(h, l->picture_path);
    for (int i = 0; i < l->n_items; i++)
        h = mix_rect(mix_rect(h, l->items[i].title), l->items[i].message);
    /* The start button is drawn by the page, with the first target's words. */
    if (l->start_button.w > 0 && v->n_targets > 0)
        h = mix(mix_str(mix_str(mix_str(h, v->targets[0].text), v->targets[0].subtext),
                        v->targets[0].image),
                &v->targets[0].enabled, sizeof v->targets[0].enabled);
    return h;
}

void render_sig_make(const Theme *t, const KsView *v, const Layout *l, RenderSig *out)
{
    out->page = page_sig(v, l);
    out->n = l->n < KS_VIEW_MAX_TARGETS ? l->n : KS_VIEW_MAX_TARGETS;
    /* A margin around the footprint: a selection's frame or badge may
     * reach a little past the tile. */
    int m = t->border * 2 + theme_mm(t, 1);
    for (int i = 0; i < out->n; i++) {
        out->target[i] = target_sig(out->page, v, &l->targets[i]);
        SDL_Rect f = footprint(t, l->targets[i].rect);
        out->area[i] = (SDL_Rect){f.x - m, f.y - m, f.w + 2 * m, f.h + 2 * m};
    }
}

bool render_sig_changes(const RenderSig *a, const RenderSig *b, SDL_Rect *area)
{
    *area = (SDL_Rect){0, 0, 0, 0};
    if (a->page != b->page || a->n != b->n)
        return false;
    for (int i = 0; i < a->n; i++) {
        if (a->target[i] == b->target[i])
            continue;
        const SDL_Rect both[2] = {a->area[i], b->area[i]};
        for (int k = 0; k < 2; k++) {
            if (area->w > 0)
                SDL_UnionRect(area, &both[k], area);
            else
                *area = both[k];
        }
    }
    return true;
}
