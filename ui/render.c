/* render: the drawing of every screen element, from the layout. */
#include "render.h"
#include "picload.h"
#include "render_cards.h"
#include "render_private.h"
#include "render_widgets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../firmware/core/mem.h"

static SDL_Color darker(SDL_Color c, int pct)
{
    SDL_Color d = {(Uint8)(c.r * (100 - pct) / 100), (Uint8)(c.g * (100 - pct) / 100),
                   (Uint8)(c.b * (100 - pct) / 100), c.a};
    return d;
}

/* The file of picture `name`: a path, or a file in the icons folder. */
static void icon_path(const RenderCtx *c, const char *name, char *path, size_t size)
{
    if (name[0] == '/' || strchr(name, '/'))
        snprintf(path, size, "%s", name);
    else
        snprintf(path, size, "%s/%s", c->icons_dir, name);
}

void render_icon(RenderCtx *c, const char *name, SDL_Rect box)
{
    char path[600];
    if (!name)
        return;
    icon_path(c, name, path, sizeof path);
    pictures_draw(c->pictures, path, box);
}

void render_read_welcome_ahead(const char *icons_dir, int w, int h, double panel_w_mm,
                               double panel_h_mm)
{
    if (w <= 0 || h <= 0)
        return;
    /* The picture's box depends on the display's size alone: an empty
     * welcome view lays it out as the real one will. */
    Theme theme;
    theme_init(&theme, w, h, panel_w_mm, panel_h_mm);
    KsView *v = xcalloc(1, sizeof *v);
    Layout *l = xcalloc(1, sizeof *l);
    v->screen = KS_SCREEN_ATTRACT;
    layout_compute(l, v, &theme, w, h);
    char path[600];
    if (l->picture.w > 0 && l->picture.h > 0 && l->picture_path && !l->picture_disc) {
        icon_path(&(RenderCtx){.icons_dir = icons_dir}, l->picture_path, path, sizeof path);
        picload_ahead(path, l->picture.w, l->picture.h);
    }
    free(l);
    free(v);
}

SDL_Rect render_picture_area(RenderCtx *c, const Layout *l)
{
    char path[600];
    if (l->picture.w <= 0 || !l->picture_path)
        return (SDL_Rect){0, 0, 0, 0};
    if (l->picture_disc)
        return l->picture;
    icon_path(c, l->picture_path, path, sizeof path);
    return pictures_place(c->pictures, path, l->picture);
}

int render_text_in(RenderCtx *c, const char *s, SDL_Rect box, int px, int min_px, bool bold,
                   SDL_Color col, TextAlign align, bool rtl)
{
    if (rtl && align == TEXT_LEFT)
        align = TEXT_RIGHT;
    else if (rtl && align == TEXT_RIGHT)
        align = TEXT_LEFT;
    TextStyle st = {px, min_px, bold, col, align, TEXT_MIDDLE, rtl};
    return text_draw(c->text, s, box, &st) ? 0 : 1;
}

/* A round or square mark left of a row (right in RTL): filled with a tick
 * or dot when selected. */
static void mark(RenderCtx *c, SDL_Rect box, bool square, bool on)
{
    const Theme *t = c->theme;
    int rad = square ? theme_mm(t, 1.2) : box.w / 2;
    gfx_tile(c->r, box, rad, t->border + 1, on ? t->select : t->ink_soft,
             on ? t->select : t->white);
    if (on) {
        if (square)
            render_icon(c, "check.svg", render_inset(box, box.w / 6));
        else
            gfx_fill_circle(c->r, box.x + box.w / 2, box.y + box.h / 2, box.w / 4, t->white);
    }
}

static bool item_problem(const KsView *v, const KsViewTarget *vt)
{
    return vt->item >= 0 && vt->item < v->n_items && v->items[vt->item].problem;
}

/* The shadow and frame of a target that can be chosen: a thick frame in the
 * selection colour and the selection fill when chosen, the pressed colour
 * under a finger; edge_mm is the frame's width otherwise. */
static void choice_frame(RenderCtx *c, SDL_Rect r, bool sel, bool pressed, double edge_mm)
{
    const Theme *t = c->theme;
    gfx_shadow(c->r, r, t->radius, theme_mm(t, 0.8), t->shadow);
    gfx_tile(c->r, r, t->radius, sel ? t->border * 2 : theme_mm(t, edge_mm),
             sel ? t->select : t->tile_edge,
             sel ? t->select_fill : (pressed ? t->tile_pressed : t->tile));
}

/* The shadow and the frame of a button, in the colours given. */
static void button_frame(RenderCtx *c, SDL_Rect r, SDL_Color edge, SDL_Color fill)
{
    const Theme *t = c->theme;
    gfx_shadow(c->r, r, t->radius, theme_mm(t, 0.8), t->shadow);
    gfx_tile(c->r, r, t->radius, theme_mm(t, 0.6), edge, fill);
}

/* Words above a smaller line (the name of a language above "Answer in …",
 * a tile's caption above its note): the words bold in the upper six tenths
 * of box, the line beneath. Returns how many did not fit. */
static int two_lines(RenderCtx *c, const char *text, const char *sub, SDL_Rect box, int px,
                     SDL_Color ink, SDL_Color sub_ink, bool rtl)
{
    const Theme *t = c->theme;
    SDL_Rect a = {box.x, box.y, box.w, box.h * 6 / 10}, b = {box.x, a.y + a.h, box.w, box.h - a.h};
    int over = render_text_in(c, text, a, px, t->label_min_px, true, ink, TEXT_CENTER, rtl);
    over += render_text_in(c, sub, b, t->small_px, t->small_px * 8 / 10, false, sub_ink,
                           TEXT_CENTER, rtl);
    return over;
}

/* The backspace key's picture: a left-pointing key cap with a cross. */
static void backspace_glyph(RenderCtx *c, SDL_Rect box, SDL_Color ink, SDL_Color bg)
{
    float x = (float)box.x, y = (float)box.y, w = (float)box.w, h = (float)box.h;
    float tip = h / 2;
    SDL_FPoint p[5] = {{x, y + h / 2}, {x + tip, y}, {x + w, y}, {x + w, y + h}, {x + tip, y + h}};
    gfx_fill_convex(c->r, p, 5, ink);
    float cx = x + tip + (w - tip) / 2, cy = y + h / 2, d = h * 0.22f;
    float lw = h * 0.12f;
    gfx_line(c->r, cx - d, cy - d, cx + d, cy + d, lw, bg);
    gfx_line(c->r, cx - d, cy + d, cx + d, cy - d, lw, bg);
}

/* The space bar's picture: an open bracket lying on its back. */
static void space_glyph(RenderCtx *c, SDL_Rect box, SDL_Color ink)
{
    int th = box.h / 5 > 2 ? box.h / 5 : 2;
    SDL_Rect parts[3] = {{box.x, box.y + box.h - th, box.w, th},
                         {box.x, box.y + box.h / 3, th, box.h - box.h / 3},
                         {box.x + box.w - th, box.y + box.h / 3, th, box.h - box.h / 3}};
    SDL_SetRenderDrawBlendMode(c->r, SDL_BLENDMODE_NONE);
    SDL_SetRenderDrawColor(c->r, ink.r, ink.g, ink.b, 255);
    SDL_RenderFillRects(c->r, parts, 3);
}

static int draw_key(RenderCtx *c, const KsViewTarget *vt, SDL_Rect r, bool pressed)
{
    const Theme *t = c->theme;
    const char *s = vt->text ? vt->text : "";
    bool bs = vt->slot == KS_SLOT_KEY_BACKSPACE, sp = vt->slot == KS_SLOT_KEY_SPACE;
    bool sw = vt->slot == KS_SLOT_KEY_SWITCH;
    SDL_Color fill = pressed ? t->tile_pressed : (bs || sp || sw ? t->bg_band : t->tile);
    int rad = theme_mm(t, 1.5);
    gfx_shadow(c->r, r, rad, theme_mm(t, 0.6), t->shadow);
    /* A held shift shows a thick frame in the selection colour. */
    gfx_tile(c->r, r, rad, vt->selected ? t->border * 2 : theme_mm(t, 0.4),
             pressed || vt->selected ? t->select : t->tile_edge,
             vt->selected ? t->select_fill : fill);
    if (bs) {
        int gh = render_mini(r.h * 42 / 100, theme_mm(t, 7));
        int gw = render_mini(gh * 16 / 10, r.w * 80 / 100);
        backspace_glyph(c, layout_rect(r.x + (r.w - gw) / 2, r.y + (r.h - gh) / 2, gw, gh), t->ink,
                        fill);
        return 0;
    }
    if (sp) {
        int gw = render_mini(r.w * 40 / 100, theme_mm(t, 24)),
            gh = render_mini(r.h * 25 / 100, theme_mm(t, 3));
        space_glyph(c, layout_rect(r.x + (r.w - gw) / 2, r.y + (r.h - gh) / 2, gw, gh), t->ink);
        return 0;
    }
    /* The page-switching keys show where they lead ("123", "EN"). */
    if (sw && vt->subtext)
        s = vt->subtext;
    int px = render_mini(t->key_px, r.h * 55 / 100);
    return render_text_in(c, s, render_inset(r, theme_mm(t, 0.8)), px,
                          render_mini(px, t->key_min_px), true, t->ink, TEXT_CENTER, false);
}

/* An entry field: what was typed (large digits for numbers) and, while it
 * has the keys, a caret after it. Text too long for the box shows its end
 * after an ellipsis, as a one-line field scrolls. */
static int draw_field(RenderCtx *c, const KsView *v, const KsViewTarget *vt, SDL_Rect r,
                      bool pressed)
{
    const Theme *t = c->theme;
    bool focus = vt->selected, problem = item_problem(v, vt);
    bool numbers =
        vt->item >= 0 && vt->item < v->n_items && v->items[vt->item].widget == KS_WIDGET_NUMPAD;
    SDL_Color edge = problem ? t->warn : (focus ? t->select : t->ink_soft);
    gfx_tile(c->r, r, t->radius, focus || problem ? t->border * 2 : theme_mm(t, 0.5), edge,
             pressed ? t->tile_pressed : t->white);
    int cw = theme_mm(t, 0.7) > 2 ? theme_mm(t, 0.7) : 2;
    if (vt->subtext && vt->item < 0) {
        /* A value with its caption above it (the staff clock's fields). */
        SDL_Rect cap = {r.x + theme_mm(t, 1), r.y + theme_mm(t, 1), r.w - 2 * theme_mm(t, 1),
                        r.h * 35 / 100};
        SDL_Rect val = {cap.x, cap.y + cap.h, cap.w, r.h - cap.h - 2 * theme_mm(t, 1)};
        int over = render_text_in(c, vt->subtext, cap, t->small_px, t->small_px * 8 / 10, false,
                                  t->ink_soft, TEXT_CENTER, false);
        int px = render_mini(t->key_px, val.h * 70 / 100);
        return over + render_text_in(c, vt->text, val, px, render_mini(px, t->key_min_px), true,
                                     t->ink, TEXT_CENTER, false);
    }
    SDL_Rect in = {r.x + theme_mm(t, 3), r.y + theme_mm(t, 1.5), r.w - 2 * theme_mm(t, 3) - 2 * cw,
                   r.h - 2 * theme_mm(t, 1.5)};
    if (v->rtl)
        in.x += 2 * cw;
    int px = numbers ? render_mini(in.h * 68 / 100, theme_mm(t, 11))
                     : render_mini(t->body_px, in.h * 70 / 100);
    TextStyle st = {px,     render_mini(px, t->label_min_px), numbers,
                    t->ink, v->rtl ? TEXT_RIGHT : TEXT_LEFT,  TEXT_MIDDLE,
                    v->rtl};
    const char *s = vt->text ? vt->text : "";
    char buf[KS_VIEW_TEXT_MAX + 8];
    if (!text_fits(c->text, s, in, &st)) {
        /* The shortest cut from the front that fits: binary search over
         * UTF-8 character starts. */
        size_t len = strlen(s), lo = 1, hi = len;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            while (mid < len && ((unsigned char)s[mid] & 0xC0) == 0x80)
                mid++;
            snprintf(buf, sizeof buf, "\xE2\x80\xA6%s", s + mid);
            if (mid < hi && text_fits(c->text, buf, in, &st))
                hi = mid;
            else
                lo = mid + 1;
        }
        while (hi < len && ((unsigned char)s[hi] & 0xC0) == 0x80)
            hi++;
        snprintf(buf, sizeof buf, "\xE2\x80\xA6%s", s + hi);
        s = buf;
    }
    SDL_Rect caret;
    text_draw_caret(c->text, s, in, &st, &caret);
    if (focus) {
        int ch = caret.h * 80 / 100;
        SDL_Rect bar = {v->rtl ? caret.x - cw - cw / 2 : caret.x + cw / 2,
                        caret.y + (caret.h - ch) / 2, cw, ch};
        SDL_SetRenderDrawBlendMode(c->r, SDL_BLENDMODE_NONE);
        SDL_SetRenderDrawColor(c->r, t->select.r, t->select.g, t->select.b, 255);
        SDL_RenderFillRect(c->r, &bar);
    }
    return 0;
}

/* A chosen-state badge in a tile's top corner: a tick on a disc. */
static void tick_badge(RenderCtx *c, SDL_Rect r, int b, bool rtl)
{
    const Theme *t = c->theme;
    int off = theme_mm(t, 1);
    SDL_Rect bb = {rtl ? r.x + off : r.x + r.w - b - off, r.y + off, b, b};
    gfx_fill_circle(c->r, bb.x + b / 2, bb.y + b / 2, b / 2, t->select);
    render_icon(c, "check.svg", render_inset(bb, b / 5));
}

static int draw_number(RenderCtx *c, const KsView *v, const KsViewTarget *vt, SDL_Rect r,
                       bool pressed)
{
    const Theme *t = c->theme;
    bool sel = vt->selected;
    choice_frame(c, r, sel, pressed, 0.5);
    int b = render_mini(theme_mm(t, 7), r.w * 40 / 100);
    SDL_Rect tb = render_inset(r, theme_mm(t, 1));
    if (r.h > r.w * 12 / 10) {
        /* Tall tiles keep the badge's strip free of the number. */
        tb.y += b;
        tb.h -= b;
    }
    int px = render_mini(render_mini(tb.h * 60 / 100, tb.w * 75 / 100), theme_mm(t, 10));
    int over = render_text_in(c, vt->text, tb, px, render_mini(px, t->key_min_px), true,
                              sel ? t->select : t->ink, TEXT_CENTER, false);
    if (sel)
        tick_badge(c, r, b, v->rtl);
    return over;
}

static int draw_rank(RenderCtx *c, const KsView *v, const KsViewTarget *vt, SDL_Rect r,
                     bool pressed)
{
    const Theme *t = c->theme;
    bool sel = vt->rank > 0;
    choice_frame(c, r, sel, pressed, 0.5);
    /* Inset past the thick selection frame, so the badge never touches it. */
    SDL_Rect in = render_inset(r, t->border * 2 + theme_mm(t, 1));
    int d = render_mini(in.h, theme_mm(t, 9));
    SDL_Rect bb = {v->rtl ? in.x + in.w - d : in.x, in.y + (in.h - d) / 2, d, d};
    int over = 0;
    if (sel) {
        char num[12];
        snprintf(num, sizeof num, "%d", vt->rank);
        gfx_fill_circle(c->r, bb.x + d / 2, bb.y + d / 2, d / 2, t->select);
        over += render_text_in(c, num, render_inset(bb, d / 8), d * 6 / 10, d * 4 / 10, true,
                               t->white, TEXT_CENTER, false);
    } else {
        gfx_tile(c->r, bb, d / 2, theme_mm(t, 0.7), t->ink_soft, t->white);
    }
    SDL_Rect tb = {v->rtl ? in.x : in.x + d + t->gap, in.y, in.w - d - t->gap, in.h};
    over += render_text_in(c, vt->text, tb, t->body_px, t->label_min_px, sel, t->ink, TEXT_LEFT,
                           v->rtl);
    return over;
}

static int draw_ack(RenderCtx *c, const KsView *v, const KsViewTarget *vt, SDL_Rect r, bool pressed)
{
    const Theme *t = c->theme;
    bool sel = vt->selected;
    choice_frame(c, r, sel, pressed, 0.6);
    SDL_Rect in = render_inset(r, theme_mm(t, 3));
    int d = render_mini(in.h, theme_mm(t, 14));
    SDL_Rect bb = {v->rtl ? in.x + in.w - d : in.x, in.y + (in.h - d) / 2, d, d};
    if (sel) {
        gfx_fill_round(c->r, bb, theme_mm(t, 2), t->select);
        render_icon(c, "check.svg", render_inset(bb, d / 7));
    } else {
        gfx_tile(c->r, bb, theme_mm(t, 2), theme_mm(t, 0.8), t->ink_soft, t->white);
    }
    SDL_Rect tb = {v->rtl ? in.x : in.x + d + t->gap, in.y, in.w - d - t->gap, in.h};
    return render_text_in(c, vt->text, tb, t->title_px, t->label_min_px, true,
                          sel ? t->select : t->ink, TEXT_CENTER, v->rtl);
}

/* An answer tile: the picture above the words (TILE_V), beside them
 * (TILE_H) or a face; the tick badge of a chosen (or choosable, multiple
 * choice) tile. */
static int draw_tile(RenderCtx *c, const KsView *v, const LayoutTarget *lt, bool pressed)
{
    const Theme *t = c->theme;
    const KsViewTarget *vt = &v->targets[lt->view_index];
    SDL_Rect r = lt->rect;
    int over = 0;
    bool sel = vt->selected;
    choice_frame(c, r, sel, pressed, 0.5);
    SDL_Rect in = render_inset(r, theme_mm(t, 1.8));
    const char *pic = vt->image;
    char face_name[16];
    if (!pic && vt->face) {
        snprintf(face_name, sizeof face_name, "face-%d.svg", vt->face);
        pic = face_name;
    }
    if (lt->style == STYLE_TILE_H) {
        /* The picture never takes more than about a third of the
         * width (less on a narrow tile): the words need the room more. */
        bool narrow = in.w < theme_mm(t, 40);
        int side = render_mini(in.h, in.w * (narrow ? 22 : 30) / 100);
        int g = narrow ? t->gap / 2 : t->gap;
        SDL_Rect ib = {in.x, in.y + (in.h - side) / 2, side, side};
        /* The badge (below) sits on the picture's corner; on a low tile,
         * where it would hide a small picture, the picture moves down
         * beneath it. */
        int badge_end = r.y + theme_mm(t, 1) + theme_mm(t, 7);
        int below = in.y + in.h - badge_end;
        if ((sel || lt->check) && ib.y < badge_end && below >= side / 2) {
            ib.w = ib.h = render_mini(side, below);
            ib.y = badge_end;
        }
        SDL_Rect tb = {in.x + side + g, in.y, in.w - side - g, in.h};
        if (v->rtl) {
            ib.x = in.x + in.w - ib.w;
            tb.x = in.x;
        }
        render_icon(c, pic, ib);
        over += render_text_in(c, vt->text, tb, t->label_px, t->label_min_px, true, t->ink,
                               TEXT_LEFT, v->rtl);
    } else {
        /* A picture alone (a QR receipt, a drawing) gets the whole tile. */
        bool bare = !vt->subtext && (!vt->text || !vt->text[0]);
        int label_h = bare ? 0 : theme_mm(t, vt->subtext ? 16 : 10);
        /* two lines of words may take two thirds of a small tile */
        int label_max = vt->subtext ? in.h * 2 / 3 : in.h / 2;
        if (label_h > label_max)
            label_h = label_max;
        SDL_Rect ib = {in.x, in.y, in.w, in.h - label_h};
        SDL_Rect tb = {in.x, in.y + in.h - label_h, in.w, label_h};
        render_icon(c, pic, ib);
        if (vt->subtext) {
            over +=
                two_lines(c, vt->text, vt->subtext, tb, t->label_px, t->ink, t->ink_soft, v->rtl);
        } else if (!bare) {
            over += render_text_in(c, vt->text, tb, t->label_px, t->label_min_px, true, t->ink,
                                   TEXT_CENTER, v->rtl);
        }
    }
    if (sel || lt->check) {
        /* A badge in the top corner: a tick when chosen (a free box on
         * multiple-choice tiles), so the state never relies on colour. */
        int b = theme_mm(t, 7);
        /* On a tile with the picture beside the words the badge sits on
         * the picture's corner, leaving the words their whole width. */
        bool left = v->rtl != (lt->style == STYLE_TILE_H);
        SDL_Rect bb = {left ? r.x + theme_mm(t, 1) : r.x + r.w - b - theme_mm(t, 1),
                       r.y + theme_mm(t, 1), b, b};
        if (sel) {
            gfx_fill_circle(c->r, bb.x + b / 2, bb.y + b / 2, b / 2, t->select);
            render_icon(c, "check.svg", render_inset(bb, b / 5));
        } else {
            gfx_tile(c->r, bb, theme_mm(t, 1.2), theme_mm(t, 0.6), t->ink_soft, t->white);
        }
    }
    return over;
}

/* A primary button, or a back/next button with its arrow on the outer side. */
static int draw_button(RenderCtx *c, const KsView *v, const LayoutTarget *lt, bool pressed)
{
    const Theme *t = c->theme;
    const KsViewTarget *vt = &v->targets[lt->view_index];
    SDL_Color fill = vt->enabled ? t->primary : t->disabled;
    if (lt->style == STYLE_BUTTON_NAV && vt->role == KS_TARGET_BACK)
        fill = t->white;
    if (pressed)
        fill = darker(fill, 18);
    button_frame(c, lt->rect, vt->role == KS_TARGET_BACK ? t->primary : darker(fill, 12), fill);
    SDL_Color ink = vt->role == KS_TARGET_BACK ? t->primary_dark : t->primary_ink;
    SDL_Rect inner = render_inset(lt->rect, theme_mm(t, 2));
    if (lt->style == STYLE_BUTTON_NAV) {
        /* Arrow on the outer side; in RTL the arrows swap direction. */
        bool next = vt->role == KS_TARGET_NEXT;
        int a = inner.h;
        bool arrow_right = next != v->rtl;
        SDL_Rect ab = {arrow_right ? inner.x + inner.w - a : inner.x, inner.y, a, a};
        if (vt->role == KS_TARGET_BACK) {
            gfx_fill_circle(c->r, ab.x + a / 2, ab.y + a / 2, a / 2, t->primary);
        }
        render_icon(c, arrow_right ? "arrow-next.svg" : "arrow-back.svg", render_inset(ab, a / 6));
        int ag = theme_mm(t, 1); /* air between the arrow and the words */
        SDL_Rect tb = {arrow_right ? inner.x : inner.x + a + ag, inner.y, inner.w - a - ag,
                       inner.h};
        return render_text_in(c, vt->text, tb, t->label_px, t->label_min_px, true, ink, TEXT_CENTER,
                              v->rtl);
    }
    SDL_Rect tb = inner;
    if (vt->image) {
        SDL_Rect ib = {inner.x, inner.y, inner.h, inner.h};
        render_icon(c, vt->image, ib);
        tb.x += inner.h;
        tb.w -= inner.h;
    }
    if (vt->subtext)
        return two_lines(c, vt->text, vt->subtext, tb, t->body_px, ink, ink, false);
    return render_text_in(c, vt->text, tb, t->body_px, t->label_min_px, true, ink, TEXT_CENTER,
                          v->rtl);
}

/* A white button with a blue edge (a language tile: its name, "Answer in …"
 * beneath). */
static int draw_secondary(RenderCtx *c, const KsView *v, const LayoutTarget *lt, bool pressed)
{
    const Theme *t = c->theme;
    const KsViewTarget *vt = &v->targets[lt->view_index];
    button_frame(c, lt->rect, t->primary, pressed ? t->tile_pressed : t->white);
    SDL_Rect in = render_inset(lt->rect, theme_mm(t, 2));
    /* A language in its own name, "Answer in …" beneath in it. */
    if (vt->subtext)
        return two_lines(c, vt->text, vt->subtext, in, t->body_px, t->primary_dark, t->ink_soft,
                         v->rtl);
    return render_text_in(c, vt->text, in, t->body_px, t->label_min_px, true, t->primary_dark,
                          TEXT_CENTER, v->rtl);
}

/* The round × button. */
static int draw_close(RenderCtx *c, const KsView *v, const LayoutTarget *lt, bool pressed)
{
    const Theme *t = c->theme;
    (void)v;
    SDL_Rect r = lt->rect;
    SDL_Color fill = pressed ? t->tile_pressed : t->white;
    gfx_tile(c->r, r, r.w / 2, theme_mm(t, 0.6), t->ink_soft, fill);
    /* The close glyph is white; draw it on a dark disc inside. */
    SDL_Rect in = render_inset(r, theme_mm(t, 1.8));
    gfx_fill_circle(c->r, in.x + in.w / 2, in.y + in.h / 2, in.w / 2, t->ink_soft);
    render_icon(c, "close.svg", render_inset(in, in.w / 5));
    return 0;
}

/* A list row: a round or square mark, then the words. */
static int draw_row(RenderCtx *c, const KsView *v, const LayoutTarget *lt, bool pressed)
{
    const Theme *t = c->theme;
    const KsViewTarget *vt = &v->targets[lt->view_index];
    SDL_Rect r = lt->rect;
    int over = 0;
    bool sel = vt->selected;
    choice_frame(c, r, sel, pressed, 0.5);
    SDL_Rect in = render_inset(r, t->border * 2 + theme_mm(t, 1));
    int m = theme_mm(t, 7);
    if (r.w < theme_mm(t, 42)) {
        /* A narrow row (two columns on an upright screen): a smaller
         * mark and edge leave the words more of the width. */
        int d = t->border * 2 + theme_mm(t, 0.5);
        in.x = r.x + d;
        in.w = r.w - 2 * d;
        m = theme_mm(t, 5);
    }
    if (m > in.h)
        m = in.h;
    SDL_Rect mb = {v->rtl ? in.x + in.w - m : in.x, in.y + (in.h - m) / 2, m, m};
    mark(c, mb, lt->check, sel);
    SDL_Rect tb = {v->rtl ? in.x : in.x + m + t->gap, in.y, in.w - m - t->gap, in.h};
    over += render_text_in(c, vt->text, tb, t->body_px, t->label_min_px, false, t->ink, TEXT_LEFT,
                           v->rtl);
    return over;
}

int render_draw_target(RenderCtx *c, const KsView *v, const LayoutTarget *lt, bool pressed)
{
    const KsViewTarget *vt = &v->targets[lt->view_index];
    SDL_Rect r = lt->rect;
    switch (lt->style) {
    case STYLE_CANVAS:
        return render_canvas(c, v, vt, r);
    case STYLE_PEN:
        return render_pen(c, vt, r, pressed);
    case STYLE_TOOL:
        return render_tool(c, v, vt, r, pressed);
    case STYLE_SLIDER:
        return render_slider(c, v, vt, r, pressed);
    case STYLE_SPEAK:
        return render_speak(c, vt, r, pressed);
    case STYLE_HIDDEN:
        return 0;
    case STYLE_BUTTON_PRIMARY:
    case STYLE_BUTTON_NAV:
        return draw_button(c, v, lt, pressed);
    case STYLE_BUTTON_SECONDARY:
        return draw_secondary(c, v, lt, pressed);
    case STYLE_BUTTON_ICON:
        return draw_close(c, v, lt, pressed);
    case STYLE_TILE_V:
    case STYLE_TILE_H:
    case STYLE_FACE:
        return draw_tile(c, v, lt, pressed);
    case STYLE_CARD:
        return render_card(c, v, vt, r, pressed);
    case STYLE_BAR:
        return render_bar(c, v, vt, r);
    case STYLE_NUMBER:
        return draw_number(c, v, vt, r, pressed);
    case STYLE_RANK:
        return draw_rank(c, v, vt, r, pressed);
    case STYLE_ACK:
        return draw_ack(c, v, vt, r, pressed);
    case STYLE_KEY:
        return draw_key(c, vt, r, pressed);
    case STYLE_FIELD:
        return draw_field(c, v, vt, r, pressed);
    case STYLE_ROW:
        return draw_row(c, v, lt, pressed);
    }
    return 0;
}

/* The attract screen's start button: darker while any finger is down. */
int render_draw_start(RenderCtx *c, const KsView *v, const Layout *l, bool down)
{
    const Theme *t = c->theme;
    const KsViewTarget *st = &v->targets[0];
    SDL_Rect b = l->start_button;
    gfx_shadow(c->r, b, b.h / 2, theme_mm(t, 1), darker(t->primary, 35));
    gfx_fill_round(c->r, b, b.h / 2, down ? t->primary_dark : t->primary);
    SDL_Rect in = render_inset(b, theme_mm(t, 2));
    SDL_Rect ib = {in.x + theme_mm(t, 3), in.y, in.h, in.h};
    render_icon(c, st->image, ib);
    SDL_Rect tb = {ib.x + ib.w + t->gap, in.y, in.x + in.w - (ib.x + ib.w + t->gap), in.h};
    return two_lines(c, st->text, st->subtext, tb, t->body_px, t->primary_ink, t->primary_ink,
                     false);
}

/* A picture on the plain page alone (the welcome picture, which floats)
 * drawn laid on the page colour: one opaque copy, with nothing under it to
 * fill. Returns where it went; w 0 when it is drawn blended as usual. */
static SDL_Rect laid_picture(RenderCtx *c, const Layout *l, SDL_Rect page)
{
    SDL_Rect at = {0, 0, 0, 0};
    char path[600];
    if (l->picture.w <= 0 || !l->picture_path || l->picture_disc || l->card.w > 0 ||
        l->picture.y < page.y || l->picture.y + l->picture.h > page.y + page.h ||
        !pictures_can_lay(c->r))
        return at;
    icon_path(c, l->picture_path, path, sizeof path);
    if (!pictures_draw_laid(c->pictures, path, l->picture, c->theme->bg, &at))
        at.w = 0;
    return at;
}

/* Fills page with colour c except the rectangle hole inside it. */
static void fill_around(SDL_Renderer *r, SDL_Rect page, SDL_Rect hole, SDL_Color c)
{
    SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_NONE);
    SDL_SetRenderDrawColor(r, c.r, c.g, c.b, 255);
    if (hole.w <= 0 || hole.h <= 0) {
        SDL_RenderFillRect(r, &page);
        return;
    }
    int below = hole.y + hole.h, right = hole.x + hole.w;
    SDL_Rect parts[4] = {
        {page.x, page.y, page.w, hole.y - page.y},
        {page.x, below, page.w, page.y + page.h - below},
        {page.x, hole.y, hole.x - page.x, hole.h},
        {right, hole.y, page.x + page.w - right, hole.h},
    };
    for (int i = 0; i < 4; i++)
        if (parts[i].w > 0 && parts[i].h > 0)
            SDL_RenderFillRect(r, &parts[i]);
}

int render_page(RenderCtx *c, const KsView *v, const Layout *l, int pressed)
{
    const Theme *t = c->theme;
    int over = 0;
    if (v->screen == KS_SCREEN_SLEEP) {
        /* Night: a black frame, so the panel gives off as little light as
         * it can without a backlight control. */
        SDL_SetRenderDrawColor(c->r, 0, 0, 0, 255);
        SDL_RenderClear(c->r);
        return 0;
    }
    /* The page colour and, on the attract and thanks screens, a soft band
     * behind the lower half that makes the screen read as a poster: each
     * pixel painted once, by fills that keep to a clip (a clear would not). */
    bool poster = v->screen == KS_SCREEN_ATTRACT || v->screen == KS_SCREEN_THANKS;
    /* The welcome page's text is the same at every start (and nothing a
     * respondent typed): it is kept between starts like its picture. */
    text_keep_on_disk(c->text, v->screen == KS_SCREEN_ATTRACT);
    int band_y = poster ? l->h * 55 / 100 : l->h;
    SDL_Rect page = {0, 0, l->w, band_y}, band = {0, band_y, l->w, l->h - band_y};
    SDL_Rect laid = laid_picture(c, l, page);
    fill_around(c->r, page, laid, t->bg);
    if (poster) {
        SDL_SetRenderDrawColor(c->r, t->bg_band.r, t->bg_band.g, t->bg_band.b, 255);
        SDL_RenderFillRect(c->r, &band);
    }
    if (l->card.w > 0) {
        gfx_shadow(c->r, l->card, t->radius * 2, theme_mm(t, 1.2), t->shadow);
        gfx_tile(c->r, l->card, t->radius * 2, theme_mm(t, 0.5), t->tile_edge, t->white);
    }
    if (l->picture.w > 0 && l->picture_path && l->picture_disc) {
        int d = l->picture.w < l->picture.h ? l->picture.w : l->picture.h;
        SDL_Rect disc = {l->picture.x + (l->picture.w - d) / 2,
                         l->picture.y + (l->picture.h - d) / 2, d, d};
        gfx_fill_circle(c->r, disc.x + d / 2, disc.y + d / 2, d / 2, render_accent(v, t));
        render_icon(c, l->picture_path, render_inset(disc, d / 5));
    } else if (l->picture.w > 0 && l->picture_path && laid.w <= 0) {
        render_icon(c, l->picture_path, l->picture);
    }
    if (l->progress_bar.w > 0 && v->progress_total > 0) {
        SDL_Rect bar = l->progress_bar;
        gfx_fill_round(c->r, bar, bar.h / 2, t->tile_edge);
        SDL_Rect done = bar;
        done.w = bar.w * v->progress_pos / v->progress_total;
        if (v->rtl)
            done.x = bar.x + bar.w - done.w;
        gfx_fill_round(c->r, done, bar.h / 2, t->primary);
        /* A bar may come without a line of its own (a staff export's phase
         * is in the message). */
        if (l->progress_text.w > 0)
            over += render_text_in(c, v->progress_text, l->progress_text, t->small_px,
                                   t->small_px * 8 / 10, true, t->ink_soft, TEXT_LEFT, v->rtl);
    }
    if (l->title.w > 0)
        over += render_text_in(c, v->title, l->title, l->title_px, l->title_min_px, true, t->ink,
                               l->title_center ? TEXT_CENTER : TEXT_LEFT, v->rtl);
    if (l->subtitle.w > 0 && v->message[0])
        over += render_text_in(c, v->message, l->subtitle, t->body_px, t->body_min_px, false,
                               t->ink_soft, TEXT_CENTER, false);
    if (l->message.w > 0 && v->message[0] && l->subtitle.w == 0) {
        /* On a question page the line is red only when it is a complaint. */
        bool warn = v->screen == KS_SCREEN_QUESTION && (v->n_items < 1 || v->items[0].problem);
        /* Staff pages read as a list: lines start at the left. */
        bool list = view_is_staff_screen(v->screen) && v->screen != KS_SCREEN_STAFF_PIN;
        /* Staff read a full overview (and a clock warning) closer up than a
         * child reads a question: their lines may get smaller. */
        int min_px = list ? t->small_px * 8 / 10 : t->body_min_px;
        over += render_text_in(c, v->message, l->message, t->body_px, min_px, warn,
                               warn ? t->warn : (list ? t->ink : t->ink_soft),
                               list ? TEXT_LEFT : TEXT_CENTER, v->rtl);
    }
    if (l->start_button.w > 0 && v->n_targets > 0)
        over += render_draw_start(c, v, l, pressed >= 0);
    for (int i = 0; i < l->n_items && i < v->n_items; i++) {
        const KsViewItem *it = &v->items[i];
        const LayoutItem *li = &l->items[i];
        over += render_text_in(c, it->title, li->title, t->item_title_px, t->body_min_px, true,
                               t->ink, TEXT_LEFT, v->rtl);
        if (li->message.w > 0)
            over += render_text_in(c, it->message, li->message, t->body_px, t->small_px * 8 / 10,
                                   it->problem, it->problem ? t->warn : t->ink_soft, TEXT_RIGHT,
                                   v->rtl);
    }
    for (int i = 0; i < l->n; i++)
        over += render_draw_target(c, v, &l->targets[i], i == pressed);
    return over + l->overflow;
}
