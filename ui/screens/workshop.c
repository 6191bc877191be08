/* workshop: the Zukunftswerkstatt screens — the wall of cards with its
 * "add a card" button (in the Fantasie phase beside the critique cards to
 * answer), writing a card (text, topic pictures, drawing, age; a plan's
 * idea, helpers and time), dot voting, the results (a chart per round, the
 * plan by helper) — and the staff's workshop pages. Sizes in millimetres;
 * every target at least 10 mm, children's tiles at least 15 mm. Geometry
 * only. */
#include <string.h>

#include "screens.h"

static int mini(int a, int b)
{
    return a < b ? a : b;
}

static int maxi(int a, int b)
{
    return a > b ? a : b;
}

static int find(const KsView *v, KsSlot slot)
{
    return screen_find(v, slot);
}

static int collect(const KsView *v, KsSlot slot, int *idx, int max)
{
    return screen_collect(v, slot, idx, max);
}

/* Cells of a grid filling area, row by row. */
static SDL_Rect cell(SDL_Rect area, int cols, int rows, int k, int g)
{
    int cw = (area.w - (cols - 1) * g) / cols, ch = (area.h - (rows - 1) * g) / rows;
    return layout_rect(area.x + (k % cols) * (cw + g), area.y + (k / cols) * (ch + g), cw, ch);
}

/* The phase's pictogram, the heading and a line under it, the × in the
 * end corner; returns the y below. */
static int header(Layout *l, const KsView *v, const Theme *t, int quit, int msg_h)
{
    int m = t->margin, g = t->gap, w = l->w;
    /* Upright the lines are short: two of heading, two of text. */
    bool portrait = w < l->h;
    int title_h = theme_mm(t, portrait ? 22 : 12);
    if (portrait && msg_h > 0)
        msg_h += theme_mm(t, 5);
    int ph = mini(title_h + msg_h, theme_mm(t, portrait ? 22 : 18));
    int q = theme_mm(t, 12);
    l->picture = layout_rect(m, m, ph, ph);
    l->picture_path = v->picture;
    l->picture_disc = true;
    int x = m + ph + g, right = w - m - (quit >= 0 ? q + g : 0);
    l->title = layout_rect(x, m, right - x, title_h);
    l->title_px = t->title_px;
    l->title_min_px = t->body_min_px;
    if (msg_h > 0)
        l->subtitle = layout_rect(x, m + l->title.h, right - x, msg_h);
    if (quit >= 0)
        layout_add(l, quit, layout_rect(w - m - q, m, q, q), STYLE_BUTTON_ICON);
    return m + maxi(ph, title_h + msg_h) + g;
}

/* The foot: page turners at the sides, the main button in the middle (or
 * at the end side); returns its top. */
static int footer(Layout *l, const KsView *v, const Theme *t, int main_btn, bool main_end)
{
    int m = t->margin, g = t->gap, w = l->w, h = l->h;
    int bh = theme_mm(t, 14), y = h - m - bh;
    int back = find(v, KS_SLOT_WS_PAGE_BACK), next = find(v, KS_SLOT_WS_PAGE_NEXT);
    if (w < h && (back >= 0 || next >= 0)) {
        /* Upright the page turners get a row of their own above, each
         * half the width: beside the main button their words would not fit. */
        int side = (w - 2 * m - g) / 2, ty = y - g - bh;
        if (back >= 0)
            layout_add(l, back, layout_rect(m, ty, side, bh), STYLE_BUTTON_NAV);
        if (next >= 0)
            layout_add(l, next, layout_rect(w - m - side, ty, side, bh), STYLE_BUTTON_SECONDARY);
        if (main_btn >= 0) {
            int bw = mini(theme_mm(t, 70), w - 2 * m);
            layout_add(l, main_btn, layout_rect((w - bw) / 2, y, bw, bh),
                       v->targets[main_btn].role == KS_TARGET_PRIMARY ? STYLE_BUTTON_PRIMARY
                                                                      : STYLE_BUTTON_NAV);
        }
        return ty - g;
    }
    int side = mini(theme_mm(t, 30), (w - 2 * m - 2 * g) / 4);
    if (back >= 0)
        layout_add(l, back, layout_rect(m, y, side, bh), STYLE_BUTTON_NAV);
    if (next >= 0)
        layout_add(l, next, layout_rect(w - m - side, y, side, bh), STYLE_BUTTON_SECONDARY);
    if (main_btn >= 0) {
        /* without page turners the main button may take their room too */
        int free_w = back < 0 && next < 0 ? w - 2 * m : w - 2 * m - 2 * (side + g);
        int bw = mini(theme_mm(t, 70), free_w);
        int x = main_end && next < 0   ? w - m - bw
                : back < 0 && next < 0 ? m + (free_w - bw) / 2
                                       : m + side + g + (free_w - bw) / 2;
        layout_add(l, main_btn, layout_rect(x, y, bw, bh),
                   v->targets[main_btn].role == KS_TARGET_PRIMARY ? STYLE_BUTTON_PRIMARY
                                                                  : STYLE_BUTTON_NAV);
    }
    return y - g;
}

/* The Fantasie wall's starting points: the critique cards to answer
 * under their label, at the end side (upright: on top); returns the area
 * left for the wall's own cards. */
static SDL_Rect starters(Layout *l, const Theme *t, SDL_Rect area, const int *idx, int n)
{
    int g = t->gap, lh = theme_mm(t, 7);
    bool portrait = l->w < l->h;
    SDL_Rect band = portrait ? layout_rect(area.x, area.y, area.w, lh + g + theme_mm(t, 20))
                             : layout_rect(area.x + area.w - area.w * 40 / 100, area.y,
                                           area.w * 40 / 100, area.h);
    l->n_items = 1;
    l->items[0].title = layout_rect(band.x, band.y, band.w, lh);
    SDL_Rect tiles = layout_rect(band.x, band.y + lh + g / 2, band.w, band.h - lh - g / 2);
    for (int k = 0; k < n; k++)
        layout_add(l, idx[k], portrait ? cell(tiles, n, 1, k, g) : cell(tiles, 1, n, k, g),
                   STYLE_TILE_H);
    if (portrait)
        return layout_rect(area.x, band.y + band.h + g, area.w, area.h - band.h - g);
    return layout_rect(area.x, area.y, area.w - band.w - g, area.h);
}

static void wall(Layout *l, const KsView *v, const Theme *t)
{
    int m = t->margin, g = t->gap, w = l->w;
    bool portrait = w < l->h;
    int top = header(l, v, t, find(v, KS_SLOT_WS_EXIT), theme_mm(t, 7));
    int bottom = footer(l, v, t, find(v, KS_SLOT_WS_ADD), false);
    int idx[KS_VIEW_MAX_TARGETS], st[8];
    int n = collect(v, KS_SLOT_WS_CARD, idx, KS_VIEW_MAX_TARGETS);
    int ns = collect(v, KS_SLOT_WS_STARTER, st, 8);
    SDL_Rect area = layout_rect(m, top, w - 2 * m, bottom - top);
    if (ns > 0) {
        /* Beside the starting points the wall shows four cards a page. */
        area = starters(l, t, area, st, ns);
        if (n == 0) {
            l->message = area;
            l->subtitle.w = 0;
        }
        for (int k = 0; k < n; k++)
            layout_add(l, idx[k], cell(area, 2, 2, k, g), STYLE_CARD);
        return;
    }
    if (n == 0) {
        /* The empty wall invites the first card in big words. */
        l->message = area;
        l->subtitle.w = 0;
        return;
    }
    int cols = portrait ? 2 : 3, rows = portrait ? 3 : 2;
    for (int k = 0; k < n; k++)
        layout_add(l, idx[k], cell(area, cols, rows, k, g), STYLE_CARD);
}

static void vote(Layout *l, const KsView *v, const Theme *t)
{
    int m = t->margin, g = t->gap, w = l->w;
    bool portrait = w < l->h;
    int top = header(l, v, t, find(v, KS_SLOT_WS_EXIT), theme_mm(t, 7));
    int bottom = footer(l, v, t, find(v, KS_SLOT_WS_VOTE_CONFIRM), true);
    int idx[KS_VIEW_MAX_TARGETS];
    int n = collect(v, KS_SLOT_WS_VOTE, idx, KS_VIEW_MAX_TARGETS);
    int un[KS_VIEW_MAX_TARGETS];
    collect(v, KS_SLOT_WS_UNVOTE, un, KS_VIEW_MAX_TARGETS);
    SDL_Rect area = layout_rect(m, top, w - 2 * m, bottom - top);
    if (n == 0) {
        l->message = area;
        l->subtitle.w = 0;
        return;
    }
    /* Upright one card a row: the − beside it leaves a half-width card too narrow. */
    int cols = portrait ? 1 : 3, rows = portrait ? 6 : 2, bw = theme_mm(t, 12);
    for (int k = 0, c = 0; k < n; k++) {
        SDL_Rect r = cell(area, cols, rows, c, g);
        /* The card adds a dot; the − beside it takes one back. */
        layout_add(l, idx[k], layout_rect(r.x, r.y, r.w - bw - g / 2, r.h), STYLE_CARD);
        layout_add(l, un[c],
                   layout_rect(r.x + r.w - bw, r.y + (r.h - mini(r.h, bw * 3 / 2)) / 2, bw,
                               mini(r.h, bw * 3 / 2)),
                   STYLE_BUTTON_SECONDARY);
        c++;
    }
}

/* The plan on the results: a group per helper, two a page. Side by side
 * the helper's picture and name head its plan cards; upright (one group
 * over the other) they stand before them. */
static void plan_rows(Layout *l, const KsView *v, const Theme *t, SDL_Rect area)
{
    int g = t->gap, r = -1, k = 0;
    bool portrait = l->w < l->h;
    int gw = portrait ? area.w : (area.w - g) / 2;
    int gh = portrait ? mini(theme_mm(t, 40), (area.h - g) / 2) : area.h;
    SDL_Rect cards = area;
    for (int i = 0; i < v->n_targets; i++) {
        const KsViewTarget *vt = &v->targets[i];
        if (vt->slot == KS_SLOT_WS_PLAN_WHO) {
            r++;
            SDL_Rect box = portrait ? layout_rect(area.x, area.y + r * (gh + g), gw, gh)
                                    : layout_rect(area.x + r * (gw + g), area.y, gw, gh);
            if (portrait) {
                int tw = box.w * 30 / 100;
                layout_add(l, i, layout_rect(box.x, box.y, tw, box.h), STYLE_TILE_V);
                cards = layout_rect(box.x + tw + g / 2, box.y, box.w - tw - g / 2, box.h);
            } else {
                int th = mini(theme_mm(t, 12), box.h / 3);
                layout_add(l, i, layout_rect(box.x, box.y, box.w, th), STYLE_TILE_H);
                cards = layout_rect(box.x, box.y + th + g / 2, box.w, box.h - th - g / 2);
            }
            k = 0;
        } else if (vt->slot == KS_SLOT_WS_PLAN_CARD && r >= 0) {
            layout_add(l, i, cell(cards, 2, 1, k++, g), STYLE_CARD);
        }
    }
}

/* The round tabs of the results (and the plan's) and the bars or the plan
 * under them. */
static void results_body(Layout *l, const KsView *v, const Theme *t, SDL_Rect area)
{
    int g = t->gap;
    int tabs[8], bars[KS_VIEW_MAX_TARGETS];
    int nt = collect(v, KS_SLOT_WS_ROUND, tabs, 7);
    int plan = find(v, KS_SLOT_WS_PLAN_TAB);
    if (plan >= 0)
        tabs[nt++] = plan;
    int nb = collect(v, KS_SLOT_WS_BAR, bars, KS_VIEW_MAX_TARGETS);
    /* Upright the phase names need two rows of tabs. */
    int tcols = l->w < l->h ? 2 : (nt > 0 ? nt : 1), trows = (nt + tcols - 1) / tcols;
    int th = theme_mm(t, 11) * trows + g * (trows - 1);
    for (int k = 0; k < nt; k++)
        layout_add(l, tabs[k], cell(layout_rect(area.x, area.y, area.w, th), tcols, trows, k, g),
                   v->targets[tabs[k]].selected ? STYLE_BUTTON_PRIMARY : STYLE_BUTTON_SECONDARY);
    area.y += th + g;
    area.h -= th + g;
    if (find(v, KS_SLOT_WS_PLAN_TAB) >= 0 && v->targets[plan].selected) {
        if (collect(v, KS_SLOT_WS_PLAN_WHO, bars, 1) == 0) {
            l->message = area;
            l->subtitle.w = 0;
        }
        plan_rows(l, v, t, area);
        return;
    }
    if (nb == 0) {
        l->message = area;
        l->subtitle.w = 0;
        return;
    }
    /* One column while the bars get 10 mm each, else two. */
    int cols = (area.h - (nb - 1) * g) / nb >= theme_mm(t, 11) || nb == 1 ? 1 : 2;
    int rows = (nb + cols - 1) / cols;
    int rh = mini(theme_mm(t, 18), (area.h - (rows - 1) * g) / rows);
    SDL_Rect grid = layout_rect(area.x, area.y, area.w, rows * rh + (rows - 1) * g);
    for (int k = 0; k < nb; k++) {
        /* Ranked down the first column, then the second. */
        int r = k % rows, c = k / rows;
        layout_add(l, bars[k], cell(grid, cols, rows, r * cols + c, g), STYLE_BAR);
    }
}

static void results(Layout *l, const KsView *v, const Theme *t)
{
    int m = t->margin, w = l->w;
    int top = header(l, v, t, -1, theme_mm(t, 6));
    int bottom = footer(l, v, t, find(v, KS_SLOT_WS_DONE), true);
    results_body(l, v, t, layout_rect(m, top, w - 2 * m, bottom - top));
}

static void card_tiles(Layout *l, const KsView *v, const Theme *t, SDL_Rect area);

/* Writing a card: the parts as tabs with "pin it up" and × beside them,
 * the heading, then the part: ideas (Verwirklichung only), keyboard, topic
 * pictures, canvas or ages. */
static void card(Layout *l, const KsView *v, const Theme *t)
{
    int m = t->margin, g = t->gap, w = l->w, h = l->h;
    bool portrait = w < h;
    int parts[7], np = collect(v, KS_SLOT_WS_CARD_PART, parts, 7);
    int confirm = find(v, KS_SLOT_WS_CARD_CONFIRM), cancel = find(v, KS_SLOT_WS_CARD_CANCEL);
    /* Upright a part name may take two lines. */
    int th = theme_mm(t, portrait ? 14 : 12), q = theme_mm(t, 12), y = m;
    int right = w - m - q - g;
    if (cancel >= 0)
        layout_add(l, cancel, layout_rect(w - m - q, m, q, q), STYLE_BUTTON_ICON);
    int cw = theme_mm(t, 36);
    if (portrait) {
        /* Upright: three parts in the first row, the rest and "pin it
         * up" (to the end) in the second; the keyboard keeps the height. */
        int tw = (right - m - 2 * g) / 3;
        for (int k = 0; k < np; k++)
            layout_add(
                l, parts[k], layout_rect(m + (k % 3) * (tw + g), y + (k / 3) * (th + g), tw, th),
                v->targets[parts[k]].selected ? STYLE_BUTTON_PRIMARY : STYLE_BUTTON_SECONDARY);
        int cx = m + (np - 3) * (tw + g);
        if (confirm >= 0)
            /* 12 mm high like the ×: a taller button's arrow eats its words */
            layout_add(l, confirm, layout_rect(cx, y + th + g + (th - q) / 2, w - m - cx, q),
                       STYLE_BUTTON_NAV);
        y += 2 * (th + g);
    } else {
        /* Five parts (Verwirklichung) need the whole row: "pin it up" then
         * goes beside the heading, which may take two lines there; both
         * rows are 10 mm high then, so the keyboard keeps its height. */
        bool beside = np > 4;
        if (beside)
            th = t->min_target;
        if (confirm >= 0)
            layout_add(
                l, confirm,
                layout_rect(beside ? w - m - cw : right - cw, beside ? y + th + g : y, cw, th),
                STYLE_BUTTON_NAV);
        int row = beside ? right - m : right - cw - g - m;
        int tw = (row - (np - 1) * g) / maxi(np, 1);
        for (int k = 0; k < np; k++)
            layout_add(l, parts[k], layout_rect(m + k * (tw + g), y, tw, th),
                       v->targets[parts[k]].selected ? STYLE_BUTTON_PRIMARY
                                                     : STYLE_BUTTON_SECONDARY);
        y += th + g;
        if (beside)
            right = w - m - cw - g;
    }
    /* Upright a complaint takes two lines. */
    bool problem = v->n_items > 0 && v->items[0].problem;
    bool beside = !portrait && np > 4;
    l->title = layout_rect(m, y, (beside ? right : w - m) - m,
                           beside ? th : theme_mm(t, portrait && problem ? 12 : 8));
    l->title_px = t->body_px;
    l->title_min_px = t->body_min_px;
    y += l->title.h + g / 2;
    SDL_Rect area = layout_rect(m, y, w - 2 * m, h - m - y);
    KsWidget wd = v->n_items > 0 ? v->items[0].widget : KS_WIDGET_NONE;
    int idx[KS_VIEW_MAX_TARGETS], n = 0;
    if (wd == KS_WIDGET_KEYBOARD) {
        int field = find(v, KS_SLOT_WS_FIELD);
        for (int i = 0; i < v->n_targets; i++)
            if (v->targets[i].role == KS_TARGET_KEY)
                idx[n++] = i;
        int fh = t->field_min;
        if (field >= 0)
            layout_add(l, field, layout_rect(area.x, area.y, area.w, fh), STYLE_FIELD);
        SDL_Rect keys = layout_rect(area.x, area.y + fh + g, area.w, area.h - fh - g);
        SDL_Rect none = {0, 0, 0, 0};
        l->overflow += screen_keyboard(l, v, t, idx, n, keys, none);
        return;
    }
    /* The hint above pictures, canvas and ages (the keyboard needs the room). */
    l->message = layout_rect(area.x, area.y, area.w, theme_mm(t, portrait ? 12 : 7));
    area.y += l->message.h + g / 2;
    area.h -= l->message.h + g / 2;
    if (wd == KS_WIDGET_CANVAS) {
        for (int i = 0; i < v->n_targets; i++)
            if (v->targets[i].item == 0)
                idx[n++] = i;
        l->overflow += screen_widget(l, v, t, KS_WIDGET_CANVAS, area, idx, n);
        return;
    }
    if ((n = collect(v, KS_SLOT_WS_IDEA, idx, KS_VIEW_MAX_TARGETS)) > 0) {
        /* The ideas as the wall shows them, one page of them. */
        int cols = portrait ? 2 : 3, rows = portrait ? 3 : 2;
        for (int k = 0; k < n && k < cols * rows; k++)
            layout_add(l, idx[k], cell(area, cols, rows, k, g), STYLE_CARD);
        return;
    }
    card_tiles(l, v, t, area);
}

/* The tiles of a card's part: pictures (the topics, a plan's helpers —
 * both ten or so — and its times) or the age bands, centred in area. */
static void card_tiles(Layout *l, const KsView *v, const Theme *t, SDL_Rect area)
{
    int g = t->gap, idx[KS_VIEW_MAX_TARGETS], n = 0;
    bool portrait = l->w < l->h;
    bool topics = (n = collect(v, KS_SLOT_WS_TOPIC, idx, KS_VIEW_MAX_TARGETS)) > 0 ||
                  (n = collect(v, KS_SLOT_WS_WHO, idx, KS_VIEW_MAX_TARGETS)) > 0;
    bool times = !topics && (n = collect(v, KS_SLOT_WS_WHEN, idx, KS_VIEW_MAX_TARGETS)) > 0;
    if (!topics && !times)
        n = collect(v, KS_SLOT_WS_AGE, idx, KS_VIEW_MAX_TARGETS);
    /* Upright the pictures stand in two columns, picture beside the name. */
    int cols = topics ? (portrait ? 2 : 5) : (portrait ? 2 : 4);
    int rows = maxi(1, (n + cols - 1) / cols);
    int ch = mini(theme_mm(t, topics  ? (portrait ? 20 : 40)
                              : times ? (portrait ? 30 : 36)
                                      : 24),
                  (area.h - (rows - 1) * g) / rows);
    int cwid = mini(theme_mm(t, (topics || times) && portrait ? 60 : 40),
                    (area.w - (cols - 1) * g) / cols);
    int gw = cols * cwid + (cols - 1) * g, gh = rows * ch + (rows - 1) * g;
    SDL_Rect grid =
        layout_rect(area.x + (area.w - gw) / 2, area.y + maxi(0, (area.h - gh) / 2), gw, gh);
    bool pictures = topics || times;
    for (int k = 0; k < n; k++)
        layout_add(l, idx[k], cell(grid, cols, rows, k, g),
                   pictures ? (portrait && topics ? STYLE_TILE_H : STYLE_TILE_V)
                            : STYLE_BUTTON_SECONDARY);
}

void screen_workshop(Layout *l, const KsView *v, const Theme *t)
{
    switch (v->screen) {
    case KS_SCREEN_WS_WALL:
        wall(l, v, t);
        break;
    case KS_SCREEN_WS_VOTE:
        vote(l, v, t);
        break;
    case KS_SCREEN_WS_RESULTS:
        results(l, v, t);
        break;
    case KS_SCREEN_WS_CARD:
        card(l, v, t);
        break;
    default:
        break;
    }
}

/* ---- staff ------------------------------------------------------------ */

/* The dots row of the settings: − and + as keys around the number, the
 * approval switch beside them. */
static void dots_row(Layout *l, const KsView *v, const Theme *t, SDL_Rect band, const int *idx,
                     int n)
{
    int g = t->gap, kw = theme_mm(t, 12), x = band.x;
    int rest = band.w * 45 / 100;
    int fw = band.w - rest - 2 * kw - 3 * g;
    for (int k = 0; k < n; k++) {
        const KsViewTarget *vt = &v->targets[idx[k]];
        if (vt->role == KS_TARGET_KEY) {
            layout_add(l, idx[k], layout_rect(x, band.y, kw, band.h), STYLE_KEY);
            x += kw + g;
        } else if (vt->role == KS_TARGET_FIELD) {
            layout_add(l, idx[k], layout_rect(x, band.y, fw, band.h), STYLE_FIELD);
            x += fw + g;
        } else {
            LayoutTarget *lt = layout_add(
                l, idx[k], layout_rect(band.x + band.w - rest, band.y, rest, band.h), STYLE_ROW);
            if (lt)
                lt->check = true;
        }
    }
}

/* The k-th of a row's n buttons in `lines` lines of `cols`, each line's
 * widths shared by the length of the labels (a long word gets the room
 * it needs where equal cells would cut it). */
static SDL_Rect cell_by_length(const KsView *v, SDL_Rect band, const int *idx, int n, int cols,
                               int lines, int k, int g)
{
    int line = k / cols, first = line * cols, last = mini(n, first + cols);
    int lh = (band.h - (lines - 1) * g) / lines, total = 0, before = 0;
    for (int j = first; j < last; j++) {
        const char *s = v->targets[idx[j]].text;
        int len = maxi(5, s ? (int)strlen(s) : 0);
        total += len;
        before += j < k ? len : 0;
    }
    int free_w = band.w - (last - first - 1) * g;
    const char *s = v->targets[idx[k]].text;
    int w = free_w * maxi(5, s ? (int)strlen(s) : 0) / total;
    return layout_rect(band.x + free_w * before / total + (k - first) * g, band.y + line * (lh + g),
                       w, lh);
}

/* Rows of targets by their row number, each row's targets side by side
 * (the first row in `first_cols` columns when given); the message takes
 * what is left above them. */
static void rows_page(Layout *l, const KsView *v, const Theme *t, SDL_Rect page, int first_cols,
                      int msg_h)
{
    /* Upright the page is short under the tabs: 2 mm gaps, the least. */
    int g = l->w < l->h ? mini(t->gap, theme_mm(t, 2)) : t->gap, nrows = 0, lines_total = 0;
    for (int r = 0; r < 8; r++) {
        int n = 0;
        for (int i = 0; i < v->n_targets; i++)
            n += v->targets[i].row == r && v->targets[i].slot != KS_SLOT_STAFF_TAB;
        if (n == 0)
            continue;
        nrows++;
        lines_total += r == 0 && first_cols ? (n + first_cols - 1) / first_cols : 1;
    }
    if (msg_h > 0) {
        l->message = layout_rect(page.x, page.y, page.w, msg_h);
        page.y += msg_h + g;
        page.h -= msg_h + g;
    }
    int rh =
        lines_total ? mini(theme_mm(t, 13), (page.h - (lines_total - 1) * g) / lines_total) : 0;
    int y = page.y;
    (void)nrows;
    for (int r = 0; r < 8; r++) {
        int idx[16], n = 0;
        bool has_dots = false;
        for (int i = 0; i < v->n_targets && n < 16; i++) {
            const KsViewTarget *vt = &v->targets[i];
            if (vt->row == r && vt->slot != KS_SLOT_STAFF_TAB) {
                idx[n++] = i;
                has_dots = has_dots || vt->slot == KS_SLOT_WS_DOTS;
            }
        }
        if (n == 0)
            continue;
        int cols = r == 0 && first_cols ? first_cols : n;
        int lines = (n + cols - 1) / cols;
        SDL_Rect band = layout_rect(page.x, y, page.w, lines * rh + (lines - 1) * g);
        y += band.h + g;
        if (has_dots) {
            dots_row(l, v, t, band, idx, n);
            continue;
        }
        for (int k = 0; k < n; k++) {
            const KsViewTarget *vt = &v->targets[idx[k]];
            TargetStyle st = vt->role == KS_TARGET_PRIMARY ? STYLE_BUTTON_PRIMARY
                             : vt->role == KS_TARGET_FIELD ? STYLE_FIELD
                             : vt->selected                ? STYLE_BUTTON_PRIMARY
                                                           : STYLE_BUTTON_SECONDARY;
            /* upright, three phases a line need widths by their names */
            bool by_length = r == 0 && cols == 3 && l->w < l->h;
            layout_add(l, idx[k],
                       by_length ? cell_by_length(v, band, idx, n, cols, lines, k, g)
                                 : cell(band, cols, lines, k, g),
                       st);
        }
    }
}

/* A row of buttons at the foot of the page; returns the page above. */
static SDL_Rect foot(Layout *l, const KsView *v, const Theme *t, SDL_Rect page, const KsSlot *slots,
                     int nids)
{
    int g = t->gap, bh = theme_mm(t, 13), idx[4], n = 0;
    for (int k = 0; k < nids && n < 4; k++) {
        int i = find(v, slots[k]);
        if (i >= 0)
            idx[n++] = i;
    }
    if (n == 0)
        return page;
    int bw = mini(theme_mm(t, 50), (page.w - (n - 1) * g) / n);
    int x0 = page.x + (page.w - (n * bw + (n - 1) * g)) / 2, y = page.y + page.h - bh;
    for (int k = 0; k < n; k++) {
        const KsViewTarget *vt = &v->targets[idx[k]];
        layout_add(l, idx[k], layout_rect(x0 + k * (bw + g), y, bw, bh),
                   vt->role == KS_TARGET_PRIMARY ? STYLE_BUTTON_PRIMARY
                   : vt->role == KS_TARGET_BACK  ? STYLE_BUTTON_NAV
                                                 : STYLE_BUTTON_SECONDARY);
    }
    page.h -= bh + g;
    return page;
}

void screen_ws_staff(Layout *l, const KsView *v, const Theme *t, SDL_Rect page)
{
    int g = t->gap;
    bool portrait = l->w < l->h;
    switch (v->screen) {
    case KS_SCREEN_STAFF_WS_EDIT: {
        int field = find(v, KS_SLOT_WS_FIELD), ok = find(v, KS_SLOT_WS_EDIT_OK),
            idx[KS_VIEW_MAX_TARGETS], n = 0;
        int fh = t->field_min, okw = theme_mm(t, 30);
        if (field >= 0)
            layout_add(l, field, layout_rect(page.x, page.y, page.w - okw - g, fh), STYLE_FIELD);
        if (ok >= 0)
            layout_add(l, ok, layout_rect(page.x + page.w - okw, page.y, okw, fh),
                       STYLE_BUTTON_NAV);
        for (int i = 0; i < v->n_targets; i++)
            if (v->targets[i].role == KS_TARGET_KEY)
                idx[n++] = i;
        SDL_Rect none = {0, 0, 0, 0};
        l->overflow += screen_keyboard(
            l, v, t, idx, n, layout_rect(page.x, page.y + fh + g, page.w, page.h - fh - g), none);
        break;
    }
    case KS_SCREEN_STAFF_WS_MODERATE: {
        static const KsSlot slots[] = {KS_SLOT_WS_BACK, KS_SLOT_REJECT, KS_SLOT_APPROVE};
        page = foot(l, v, t, page, slots, 3);
        int pic = find(v, KS_SLOT_WS_DRAWING);
        if (pic < 0) {
            l->message = page;
            break;
        }
        int mh = mini(theme_mm(t, 16), page.h / 3);
        l->message = layout_rect(page.x, page.y, page.w, mh);
        int ph = page.h - mh - g, pw = mini(page.w, ph * 4 / 3);
        layout_add(l, pic, layout_rect(page.x + (page.w - pw) / 2, page.y + mh + g, pw, ph),
                   STYLE_TILE_V);
        break;
    }
    case KS_SCREEN_STAFF_WS_MERGE: {
        static const KsSlot slots[] = {KS_SLOT_WS_BACK};
        page = foot(l, v, t, page, slots, 1);
        l->message = layout_rect(page.x, page.y, page.w, theme_mm(t, 8));
        page.y += l->message.h + g;
        page.h -= l->message.h + g;
        int idx[KS_VIEW_MAX_TARGETS], n = collect(v, KS_SLOT_WS_MERGE, idx, KS_VIEW_MAX_TARGETS);
        int cols = portrait ? 2 : 3, rows = 3;
        for (int k = 0; k < n && k < cols * rows; k++)
            layout_add(l, idx[k], cell(page, cols, rows, k, g), STYLE_CARD);
        break;
    }
    case KS_SCREEN_STAFF_WS_RESULTS: {
        static const KsSlot slots[] = {KS_SLOT_WS_PAGE_BACK, KS_SLOT_WS_BACK, KS_SLOT_WS_PAGE_NEXT};
        page = foot(l, v, t, page, slots, 3);
        l->subtitle = layout_rect(page.x, page.y, page.w, theme_mm(t, 7));
        page.y += l->subtitle.h + g;
        page.h -= l->subtitle.h + g;
        results_body(l, v, t, page);
        break;
    }
    default:
        if (find(v, KS_SLOT_WS_START) >= 0)
            rows_page(l, v, t, page, 0, 0);
        else
            /* Upright, while voting adds its row, the phases take three columns. */
            rows_page(l, v, t, page, portrait && find(v, KS_SLOT_WS_VOTE_PHASE) < 0 ? 2 : 3,
                      theme_mm(t, 12));
        break;
    }
}
