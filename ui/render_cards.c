/* render_cards: the Zukunftswerkstatt's looks: a card on the wall or in a
 * vote (the phase's colour, topic picture, words, drawing, dots) and a bar
 * of the results. Called from render.c's target switch. */
#include "render_cards.h"
#include "render_private.h"

#include <stdio.h>
#include <string.h>

SDL_Color render_accent(const KsView *v, const Theme *t)
{
    if (!v->accent)
        return t->primary;
    SDL_Color a = {(Uint8)(v->accent >> 16), (Uint8)(v->accent >> 8), (Uint8)v->accent, 255};
    return a;
}

/* A workshop card: a band in the phase's colour along the top, the topic
 * picture at the start side, the words, the drawing at the end side, and
 * (voting) one filled dot per dot given. */
int render_card(RenderCtx *c, const KsView *v, const KsViewTarget *vt, SDL_Rect r, bool pressed)
{
    const Theme *t = c->theme;
    bool sel = vt->selected;
    SDL_Color acc = render_accent(v, t);
    gfx_shadow(c->r, r, t->radius, theme_mm(t, 0.8), t->shadow);
    gfx_tile(c->r, r, t->radius, sel ? t->border * 2 : theme_mm(t, 0.5),
             sel ? t->select : t->tile_edge, pressed ? t->tile_pressed : t->tile);
    int band = render_mini(theme_mm(t, 1.6), r.h / 8);
    SDL_Rect top = {r.x + t->radius, r.y + theme_mm(t, 0.6), r.w - 2 * t->radius, band};
    gfx_fill_round(c->r, top, band / 2, acc);
    bool voting = vt->count_max > 0 && vt->slot == KS_SLOT_WS_VOTE;
    int dots_h = voting ? render_mini(theme_mm(t, 5), r.h / 4) : 0;
    SDL_Rect in = render_inset(r, theme_mm(t, 1.5));
    in.y += band;
    in.h -= band + dots_h;
    /* A small line at the foot (the wall of Verwirklichung: the idea). */
    SDL_Rect sub = {in.x, 0, in.w, vt->subtext ? render_mini(t->small_px * 3 / 2, in.h / 3) : 0};
    in.h -= sub.h;
    sub.y = in.y + in.h;
    int side = render_mini(in.h, in.w / 4);
    SDL_Rect pic = {in.x, in.y + (in.h - side) / 2, side, side};
    SDL_Rect thumb = {in.x + in.w - side * 4 / 3, in.y + (in.h - side) / 2, side * 4 / 3, side};
    SDL_Rect tb = in;
    if (vt->image) {
        tb.x += side + t->gap / 2;
        tb.w -= side + t->gap / 2;
    }
    if (vt->thumb)
        tb.w -= thumb.w + t->gap / 2;
    if (v->rtl) {
        pic.x = in.x + in.w - pic.w;
        thumb.x = in.x;
        if (vt->thumb && !vt->image)
            tb.x = in.x + thumb.w + t->gap / 2;
        else if (vt->image && !vt->thumb)
            tb.x = in.x;
        else if (vt->image && vt->thumb)
            tb.x = in.x + thumb.w + t->gap / 2;
    }
    int over = 0;
    if (vt->image)
        render_icon(c, vt->image, pic);
    if (vt->thumb) {
        gfx_tile(c->r, render_inset(thumb, -1), 0, 1, t->tile_edge, t->white);
        render_icon(c, vt->thumb, thumb);
    }
    if (vt->text && vt->text[0] && tb.w > 0)
        over += render_text_in(c, vt->text, tb, t->label_px, t->small_px * 8 / 10, false, t->ink,
                               TEXT_LEFT, v->rtl);
    if (sub.h > 0)
        over += render_text_in(c, vt->subtext, sub, t->small_px, t->small_px * 8 / 10, false,
                               t->ink_soft, TEXT_LEFT, v->rtl);
    if (voting) {
        int d = dots_h * 8 / 10, step = d + d / 2;
        int total = vt->count_max * step - d / 2;
        int x0 = r.x + (r.w - total) / 2, cy = r.y + r.h - theme_mm(t, 1.2) - dots_h / 2;
        for (int i = 0; i < vt->count_max; i++) {
            int cx = x0 + i * step + d / 2;
            if (i < vt->count)
                gfx_fill_circle(c->r, cx, cy, d / 2, acc);
            else
                gfx_fill_circle(c->r, cx, cy, d / 6 + 1, t->tile_edge);
        }
    }
    return over;
}

/* A bar of the results: place, picture and words, then the bar (its length
 * the card's share of the most dots) with the number at its end. */
int render_bar(RenderCtx *c, const KsView *v, const KsViewTarget *vt, SDL_Rect r)
{
    const Theme *t = c->theme;
    SDL_Color acc = render_accent(v, t);
    gfx_tile(c->r, r, t->radius, theme_mm(t, 0.4), t->tile_edge, t->tile);
    SDL_Rect in = render_inset(r, theme_mm(t, 1.2));
    int over = 0;
    int lw = in.w * 45 / 100, side = render_mini(in.h, theme_mm(t, 12));
    char place[16];
    snprintf(place, sizeof place, "%d.", vt->rank);
    int pw = theme_mm(t, 7);
    SDL_Rect pb = {in.x, in.y, pw, in.h};
    SDL_Rect ib = {in.x + pw, in.y + (in.h - side) / 2, side, side};
    SDL_Rect tb = {ib.x + (vt->image ? side + t->gap / 2 : 0), in.y, 0, in.h};
    tb.w = in.x + lw - tb.x;
    SDL_Rect bar = {in.x + lw + t->gap, in.y + in.h / 5, in.w - lw - t->gap, in.h - 2 * (in.h / 5)};
    int num_w = theme_mm(t, 9);
    int full = bar.w - num_w - t->gap / 2;
    int len = vt->count_max > 0 ? full * vt->count / vt->count_max : 0;
    if (len < theme_mm(t, 1))
        len = theme_mm(t, 1);
    SDL_Rect fill = {bar.x, bar.y, len, bar.h};
    SDL_Rect num = {bar.x + len + t->gap / 2, in.y, num_w, in.h};
    if (v->rtl) {
        pb.x = in.x + in.w - pw;
        ib.x = pb.x - side;
        tb.x = in.x + in.w - lw;
        tb.w = (vt->image ? ib.x - t->gap / 2 : pb.x) - tb.x;
        bar.x = in.x;
        fill.x = bar.x + bar.w - len;
        num.x = fill.x - t->gap / 2 - num_w;
    }
    over += render_text_in(c, place, pb, t->label_px, t->small_px * 8 / 10, true, t->ink_soft,
                           TEXT_CENTER, false);
    if (vt->image)
        render_icon(c, vt->image, ib);
    if (vt->text && vt->text[0] && tb.w > 0)
        over += render_text_in(c, vt->text, tb, t->label_px, t->small_px * 8 / 10, false, t->ink,
                               TEXT_LEFT, v->rtl);
    else if (vt->thumb && tb.w > 0)
        render_icon(c, vt->thumb, tb);
    gfx_fill_round(c->r, fill, render_mini(fill.h / 3, fill.w / 2), acc);
    char n[16];
    snprintf(n, sizeof n, "%d", vt->count);
    over += render_text_in(c, n, num, t->label_px, t->small_px * 8 / 10, true, t->ink,
                           v->rtl ? TEXT_RIGHT : TEXT_LEFT, false);
    return over;
}
