/* render: the drawing of every screen element, from the layout. */
#include "render.h"

#include <stdio.h>
#include <string.h>

static SDL_Color darker(SDL_Color c, int pct)
{
    SDL_Color d = {(Uint8)(c.r * (100 - pct) / 100), (Uint8)(c.g * (100 - pct) / 100),
                   (Uint8)(c.b * (100 - pct) / 100), c.a};
    return d;
}

static SDL_Rect inset(SDL_Rect r, int d)
{
    SDL_Rect o = {r.x + d, r.y + d, r.w - 2 * d, r.h - 2 * d};
    return o;
}

static void icon(RenderCtx *c, const char *name, SDL_Rect box)
{
    char path[600];
    if (!name)
        return;
    if (name[0] == '/' || strchr(name, '/'))
        snprintf(path, sizeof path, "%s", name);
    else
        snprintf(path, sizeof path, "%s/%s", c->icons_dir, name);
    pictures_draw(c->pictures, path, box);
}

static int text_in(RenderCtx *c, const char *s, SDL_Rect box, int px, int min_px, bool bold,
                   SDL_Color col, TextAlign align, bool rtl)
{
    if (rtl && align == TEXT_LEFT)
        align = TEXT_RIGHT;
    else if (rtl && align == TEXT_RIGHT)
        align = TEXT_LEFT;
    TextStyle st = {px, min_px, bold, col, align, TEXT_MIDDLE};
    return text_draw(c->text, s, box, &st) ? 0 : 1;
}

/* A round or square mark left of a row (right in RTL): filled with a tick
 * or dot when selected. */
static void mark(RenderCtx *c, SDL_Rect box, bool square, bool on)
{
    const Theme *t = c->theme;
    int rad = square ? theme_mm(t, 1.2) : box.w / 2;
    gfx_tile(c->r, box, rad, t->border + 1, on ? t->select : t->ink_soft, on ? t->select : t->white);
    if (on) {
        if (square)
            icon(c, "check.svg", inset(box, box.w / 6));
        else
            gfx_fill_circle(c->r, box.x + box.w / 2, box.y + box.h / 2, box.w / 4, t->white);
    }
}

static int draw_target(RenderCtx *c, const KsView *v, const LayoutTarget *lt, bool pressed)
{
    const Theme *t = c->theme;
    const KsViewTarget *vt = &v->targets[lt->view_index];
    SDL_Rect r = lt->rect;
    int over = 0;
    bool sel = vt->selected;
    int shadow = theme_mm(t, 0.8);

    switch (lt->style) {
    case STYLE_HIDDEN:
        break;
    case STYLE_BUTTON_PRIMARY:
    case STYLE_BUTTON_NAV: {
        bool on = vt->enabled;
        SDL_Color fill = on ? t->primary : t->disabled;
        if (lt->style == STYLE_BUTTON_NAV && vt->role == KS_TARGET_BACK)
            fill = t->white;
        if (pressed)
            fill = darker(fill, 18);
        gfx_shadow(c->r, r, t->radius, shadow, t->shadow);
        SDL_Color edge = vt->role == KS_TARGET_BACK ? t->primary : darker(fill, 12);
        gfx_tile(c->r, r, t->radius, theme_mm(t, 0.6), edge, fill);
        SDL_Color ink = vt->role == KS_TARGET_BACK ? t->primary_dark : t->primary_ink;
        SDL_Rect inner = inset(r, theme_mm(t, 2));
        if (lt->style == STYLE_BUTTON_NAV) {
            /* Arrow on the outer side; in RTL the arrows swap direction. */
            bool next = vt->role == KS_TARGET_NEXT;
            int a = inner.h;
            bool arrow_right = next != v->rtl;
            SDL_Rect ab = {arrow_right ? inner.x + inner.w - a : inner.x, inner.y, a, a};
            if (vt->role == KS_TARGET_BACK) {
                gfx_fill_circle(c->r, ab.x + a / 2, ab.y + a / 2, a / 2, t->primary);
            }
            icon(c, arrow_right ? "arrow-next.svg" : "arrow-back.svg", inset(ab, a / 6));
            SDL_Rect tb = {arrow_right ? inner.x : inner.x + a, inner.y, inner.w - a, inner.h};
            over += text_in(c, vt->text, tb, t->label_px, t->label_min_px, true, ink, TEXT_CENTER,
                            v->rtl);
        } else {
            int lines = vt->subtext ? 2 : 1;
            SDL_Rect tb = inner;
            if (vt->image) {
                SDL_Rect ib = {inner.x, inner.y, inner.h, inner.h};
                icon(c, vt->image, ib);
                tb.x += inner.h;
                tb.w -= inner.h;
            }
            if (lines == 2) {
                SDL_Rect a = {tb.x, tb.y, tb.w, tb.h * 6 / 10}, b = {tb.x, a.y + a.h, tb.w, tb.h - a.h};
                over += text_in(c, vt->text, a, t->body_px, t->label_min_px, true, ink, TEXT_CENTER, false);
                over += text_in(c, vt->subtext, b, t->small_px, t->small_px * 8 / 10, false, ink,
                                TEXT_CENTER, false);
            } else {
                over += text_in(c, vt->text, tb, t->body_px, t->label_min_px, true, ink, TEXT_CENTER,
                                v->rtl);
            }
        }
        break;
    }
    case STYLE_BUTTON_SECONDARY: {
        SDL_Color fill = pressed ? t->tile_pressed : t->white;
        gfx_shadow(c->r, r, t->radius, shadow, t->shadow);
        gfx_tile(c->r, r, t->radius, theme_mm(t, 0.6), t->primary, fill);
        over += text_in(c, vt->text, inset(r, theme_mm(t, 2)), t->body_px, t->label_min_px, true,
                        t->primary_dark, TEXT_CENTER, v->rtl);
        break;
    }
    case STYLE_BUTTON_ICON: {
        SDL_Color fill = pressed ? t->tile_pressed : t->white;
        gfx_tile(c->r, r, r.w / 2, theme_mm(t, 0.6), t->ink_soft, fill);
        /* The close glyph is white; draw it on a dark disc inside. */
        SDL_Rect in = inset(r, theme_mm(t, 1.8));
        gfx_fill_circle(c->r, in.x + in.w / 2, in.y + in.h / 2, in.w / 2, t->ink_soft);
        icon(c, "close.svg", inset(in, in.w / 5));
        break;
    }
    case STYLE_TILE_V:
    case STYLE_TILE_H:
    case STYLE_FACE: {
        SDL_Color edge = sel ? t->select : t->tile_edge;
        if (lt->style == STYLE_FACE && !sel)
            edge = t->tile_edge;
        SDL_Color fill = sel ? t->select_fill : (pressed ? t->tile_pressed : t->tile);
        gfx_shadow(c->r, r, t->radius, shadow, t->shadow);
        gfx_tile(c->r, r, t->radius, sel ? t->border * 2 : theme_mm(t, 0.5), edge, fill);
        SDL_Rect in = inset(r, theme_mm(t, 1.8));
        const char *pic = vt->image;
        char face_name[16];
        if (!pic && vt->face) {
            snprintf(face_name, sizeof face_name, "face-%d.svg", vt->face);
            pic = face_name;
        }
        if (lt->style == STYLE_TILE_H) {
            int side = in.h;
            SDL_Rect ib = {in.x, in.y, side, side};
            SDL_Rect tb = {in.x + side + t->gap, in.y, in.w - side - t->gap, in.h};
            if (v->rtl) {
                ib.x = in.x + in.w - side;
                tb.x = in.x;
            }
            if (lt->check)
                tb.w -= side / 2;
            if (lt->check && v->rtl)
                tb.x += side / 2;
            icon(c, pic, ib);
            over += text_in(c, vt->text, tb, t->label_px, t->label_min_px, true, t->ink, TEXT_LEFT,
                            v->rtl);
        } else {
            int label_h = theme_mm(t, vt->subtext ? 13 : 10);
            if (label_h > in.h / 2)
                label_h = in.h / 2;
            SDL_Rect ib = {in.x, in.y, in.w, in.h - label_h};
            SDL_Rect tb = {in.x, in.y + in.h - label_h, in.w, label_h};
            icon(c, pic, ib);
            if (vt->subtext) {
                SDL_Rect a = {tb.x, tb.y, tb.w, tb.h * 6 / 10}, b = {tb.x, a.y + a.h, tb.w, tb.h - a.h};
                over += text_in(c, vt->text, a, t->label_px, t->label_min_px, true, t->ink, TEXT_CENTER,
                                false);
                over += text_in(c, vt->subtext, b, t->small_px, t->small_px * 8 / 10, false,
                                t->ink_soft, TEXT_CENTER, false);
            } else {
                over += text_in(c, vt->text, tb, t->label_px, t->label_min_px, true, t->ink,
                                TEXT_CENTER, v->rtl);
            }
        }
        if (sel || lt->check) {
            /* A badge in the top corner: a tick when chosen (a free box on
             * multiple-choice tiles), so the state never relies on colour. */
            int b = theme_mm(t, 7);
            SDL_Rect bb = {v->rtl ? r.x + theme_mm(t, 1) : r.x + r.w - b - theme_mm(t, 1),
                           r.y + theme_mm(t, 1), b, b};
            if (sel) {
                gfx_fill_circle(c->r, bb.x + b / 2, bb.y + b / 2, b / 2, t->select);
                icon(c, "check.svg", inset(bb, b / 5));
            } else {
                gfx_tile(c->r, bb, theme_mm(t, 1.2), theme_mm(t, 0.6), t->ink_soft, t->white);
            }
        }
        break;
    }
    case STYLE_ROW: {
        SDL_Color fill = sel ? t->select_fill : (pressed ? t->tile_pressed : t->tile);
        gfx_shadow(c->r, r, t->radius, shadow, t->shadow);
        gfx_tile(c->r, r, t->radius, sel ? t->border * 2 : theme_mm(t, 0.5),
                 sel ? t->select : t->tile_edge, fill);
        SDL_Rect in = inset(r, theme_mm(t, 2));
        int m = theme_mm(t, 7);
        if (m > in.h)
            m = in.h;
        SDL_Rect mb = {v->rtl ? in.x + in.w - m : in.x, in.y + (in.h - m) / 2, m, m};
        mark(c, mb, lt->check, sel);
        SDL_Rect tb = {v->rtl ? in.x : in.x + m + t->gap, in.y, in.w - m - t->gap, in.h};
        over += text_in(c, vt->text, tb, t->body_px, t->label_min_px, false, t->ink, TEXT_LEFT,
                        v->rtl);
        break;
    }
    }
    return over;
}

int render_frame(RenderCtx *c, const KsView *v, const Layout *l, int pressed)
{
    const Theme *t = c->theme;
    int over = 0;
    SDL_SetRenderDrawColor(c->r, t->bg.r, t->bg.g, t->bg.b, 255);
    SDL_RenderClear(c->r);

    if (v->screen == KS_SCREEN_ATTRACT || v->screen == KS_SCREEN_THANKS) {
        /* A soft band behind the lower half makes the screen read as a poster. */
        SDL_Rect band = {0, l->h * 55 / 100, l->w, l->h - l->h * 55 / 100};
        SDL_SetRenderDrawColor(c->r, t->bg_band.r, t->bg_band.g, t->bg_band.b, 255);
        SDL_RenderFillRect(c->r, &band);
    }
    if (l->card.w > 0) {
        gfx_shadow(c->r, l->card, t->radius * 2, theme_mm(t, 1.2), t->shadow);
        gfx_tile(c->r, l->card, t->radius * 2, theme_mm(t, 0.5), t->tile_edge, t->white);
    }
    if (l->picture.w > 0 && l->picture_path && l->picture_disc) {
        int d = l->picture.w < l->picture.h ? l->picture.w : l->picture.h;
        SDL_Rect disc = {l->picture.x + (l->picture.w - d) / 2, l->picture.y + (l->picture.h - d) / 2, d, d};
        gfx_fill_circle(c->r, disc.x + d / 2, disc.y + d / 2, d / 2, t->primary);
        icon(c, l->picture_path, inset(disc, d / 5));
    } else if (l->picture.w > 0 && l->picture_path) {
        icon(c, l->picture_path, l->picture);
    }
    if (l->progress_bar.w > 0 && v->progress_total > 0) {
        SDL_Rect bar = l->progress_bar;
        gfx_fill_round(c->r, bar, bar.h / 2, t->tile_edge);
        SDL_Rect done = bar;
        done.w = bar.w * v->progress_pos / v->progress_total;
        if (v->rtl)
            done.x = bar.x + bar.w - done.w;
        gfx_fill_round(c->r, done, bar.h / 2, t->primary);
        over += text_in(c, v->progress_text, l->progress_text, t->small_px, t->small_px * 8 / 10,
                        true, t->ink_soft, TEXT_LEFT, v->rtl);
    }
    if (l->title.w > 0)
        over += text_in(c, v->title, l->title, l->title_px, l->title_min_px, true, t->ink,
                        l->title_center ? TEXT_CENTER : TEXT_LEFT, v->rtl);
    if (l->subtitle.w > 0 && v->message[0])
        over += text_in(c, v->message, l->subtitle, t->body_px, t->body_min_px, false, t->ink_soft,
                        TEXT_CENTER, false);
    if (l->message.w > 0 && v->message[0] && l->subtitle.w == 0) {
        bool warn = v->screen == KS_SCREEN_QUESTION;
        over += text_in(c, v->message, l->message, t->body_px, t->body_min_px, warn,
                        warn ? t->warn : t->ink_soft, TEXT_CENTER, v->rtl);
    }
    if (l->start_button.w > 0 && v->n_targets > 0) {
        const KsViewTarget *st = &v->targets[0];
        SDL_Rect b = l->start_button;
        gfx_shadow(c->r, b, b.h / 2, theme_mm(t, 1), darker(t->primary, 35));
        gfx_fill_round(c->r, b, b.h / 2, pressed >= 0 ? t->primary_dark : t->primary);
        SDL_Rect in = inset(b, theme_mm(t, 2));
        SDL_Rect ib = {in.x + theme_mm(t, 3), in.y, in.h, in.h};
        icon(c, st->image, ib);
        SDL_Rect tb = {ib.x + ib.w + t->gap, in.y, in.x + in.w - (ib.x + ib.w + t->gap), in.h};
        SDL_Rect a = {tb.x, tb.y, tb.w, tb.h * 6 / 10}, bb = {tb.x, a.y + a.h, tb.w, tb.h - a.h};
        over += text_in(c, st->text, a, t->body_px, t->label_min_px, true, t->primary_ink, TEXT_CENTER,
                        false);
        over += text_in(c, st->subtext, bb, t->small_px, t->small_px * 8 / 10, false, t->primary_ink,
                        TEXT_CENTER, false);
    }
    for (int i = 0; i < l->n; i++)
        over += draw_target(c, v, &l->targets[i], i == pressed);
    return over;
}
