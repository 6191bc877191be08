/* staff: the staff screens — the PIN pad, and the menu screens (overview,
 * clock, forms, review, export) with their staff:* tabs in a column beside
 * the page (landscape) or in a band above it (portrait). Sizes in mm as
 * everywhere: every target at least 10 mm. Geometry only. */
#include <string.h>

#include "screens.h"

static bool is_tab(const KsViewTarget *vt)
{
    return vt->slot == KS_SLOT_STAFF_TAB;
}

static int mini(int a, int b)
{
    return a < b ? a : b;
}

/* The PIN pad: heading, message and the dots at the start side, the number
 * pad beside them (portrait: under them), "cancel" at the bottom. */
static void pin_screen(Layout *l, const KsView *v, const Theme *t)
{
    int w = l->w, h = l->h, m = t->margin, g = t->gap;
    bool portrait = w < h;
    int keys[16], nk = 0, field = -1, cancel = -1;
    for (int i = 0; i < v->n_targets; i++) {
        if (v->targets[i].role == KS_TARGET_KEY && nk < 16)
            keys[nk++] = i;
        else if (v->targets[i].role == KS_TARGET_FIELD)
            field = i;
        else
            cancel = i;
    }
    int cancel_w = theme_mm(t, 40);
    SDL_Rect text_col, pad;
    if (portrait) {
        text_col = layout_rect(m, m, w - 2 * m, theme_mm(t, 44));
        int top = text_col.y + text_col.h + g;
        pad = layout_rect(m, top, w - 2 * m, h - m - t->nav_h - g - top);
        if (pad.h > theme_mm(t, 4 * 18 + 3 * 2))
            pad.h = theme_mm(t, 4 * 18 + 3 * 2);
    } else {
        int col_w = (w - 2 * m - g) * 45 / 100;
        text_col = layout_rect(m, m, col_w, h - 2 * m - t->nav_h - g);
        pad = layout_rect(m + col_w + g, m, w - 2 * m - col_w - g, h - 2 * m);
    }
    l->title = layout_rect(text_col.x, text_col.y, text_col.w, theme_mm(t, portrait ? 16 : 20));
    l->title_px = t->body_px;
    l->title_min_px = t->body_min_px;
    l->title_center = true;
    int fy = l->title.y + l->title.h + g, fh = theme_mm(t, 13);
    if (field >= 0)
        layout_add(l, field, layout_rect(text_col.x, fy, text_col.w, fh), STYLE_FIELD);
    int my = fy + fh + g;
    l->message = layout_rect(text_col.x, my, text_col.w, text_col.y + text_col.h - my);
    l->overflow += screen_numpad(l, v, t, keys, nk, pad);
    if (cancel >= 0)
        layout_add(l, cancel,
                   layout_rect(m, h - m - t->nav_h, mini(cancel_w, text_col.w), t->nav_h),
                   STYLE_BUTTON_NAV);
}

/* The tabs; returns the page area beside or under them. */
static SDL_Rect tabs(Layout *l, const KsView *v, const Theme *t)
{
    int w = l->w, h = l->h, m = t->margin, g = t->gap;
    int idx[8], n = 0;
    for (int i = 0; i < v->n_targets && n < 8; i++)
        if (is_tab(&v->targets[i]))
            idx[n++] = i;
    if (n == 0)
        return layout_rect(m, m, w - 2 * m, h - 2 * m);
    bool portrait = w < h;
    /* Upright, the way back spans the foot of the screen (its words need
     * the width); the tabs stand in two columns above the page. */
    int bottom = h - m;
    if (portrait && v->targets[idx[n - 1]].role == KS_TARGET_BACK) {
        n--;
        bottom = h - m - t->nav_h - g;
        layout_add(l, idx[n], layout_rect(m, h - m - t->nav_h, w - 2 * m, t->nav_h),
                   STYLE_BUTTON_NAV);
    }
    int cols = portrait ? 2 : 1, rows = (n + cols - 1) / cols;
    int bh =
        portrait ? theme_mm(t, 12) : mini(theme_mm(t, 14), (h - 2 * m - (rows - 1) * g) / rows);
    int bw = portrait ? (w - 2 * m - g) / 2 : mini(theme_mm(t, 46), (w - 2 * m) * 32 / 100);
    for (int k = 0; k < n; k++) {
        const KsViewTarget *vt = &v->targets[idx[k]];
        int r = k / cols, c = k % cols;
        TargetStyle st = vt->role == KS_TARGET_BACK ? STYLE_BUTTON_NAV
                         : vt->selected             ? STYLE_BUTTON_PRIMARY
                                                    : STYLE_BUTTON_SECONDARY;
        layout_add(l, idx[k], layout_rect(m + c * (bw + g), m + r * (bh + g), bw, bh), st);
    }
    if (portrait) {
        int top = m + rows * (bh + g) + g;
        return layout_rect(m, top, w - 2 * m, bottom - top);
    }
    int x = m + bw + 2 * g;
    return layout_rect(x, m, w - m - x, h - 2 * m);
}

static void page_title(Layout *l, const Theme *t, SDL_Rect *page)
{
    l->title = layout_rect(page->x, page->y, page->w, theme_mm(t, 10));
    l->title_px = t->title_px;
    l->title_min_px = t->title_min_px;
    page->y += l->title.h + t->gap;
    page->h -= l->title.h + t->gap;
}

/* Five columns (day, month, year, hour, minute) of +, value, −; the
 * "set the clock" button and the result line under them. While the clock
 * is in doubt a "the time shown is right" button stands beside it and the
 * lines under them get room for the warning. */
static void clock_page(Layout *l, const KsView *v, const Theme *t, SDL_Rect page)
{
    int g = t->gap;
    int ok = -1, confirm = -1, col[5][3], nc = 0;
    memset(col, -1, sizeof col);
    for (int i = 0; i < v->n_targets; i++) {
        const KsViewTarget *vt = &v->targets[i];
        if (is_tab(vt))
            continue;
        if (vt->slot == KS_SLOT_CLOCK_SET) {
            ok = i;
            continue;
        }
        if (vt->slot == KS_SLOT_CLOCK_CONFIRM) {
            confirm = i;
            continue;
        }
        int r = vt->row;
        if (r < 0 || r >= 5)
            continue;
        int part = vt->slot == KS_SLOT_CLOCK_UP ? 0 : vt->slot == KS_SLOT_CLOCK_DOWN ? 2 : 1;
        col[r][part] = i;
        if (r + 1 > nc)
            nc = r + 1;
    }
    int okh = theme_mm(t, 13), msgh = theme_mm(t, confirm >= 0 ? 14 : 7);
    int area_h = page.h - okh - msgh - 2 * g;
    /* The keys keep their 10 mm; a tight page takes it from the values. */
    int kh = mini(theme_mm(t, 14), (area_h - 2 * g) * 30 / 100);
    if (kh < theme_mm(t, 10))
        kh = theme_mm(t, 10);
    int fh = area_h - 2 * (kh + g);
    if (fh > theme_mm(t, 22))
        fh = theme_mm(t, 22);
    int cw = nc > 0 ? (page.w - (nc - 1) * g) / nc : 0;
    if (cw > theme_mm(t, 30))
        cw = theme_mm(t, 30);
    int total = nc * cw + (nc - 1) * g, x0 = page.x + (page.w - total) / 2;
    for (int c = 0; c < nc; c++) {
        int x = x0 + c * (cw + g), y = page.y;
        if (col[c][0] >= 0)
            layout_add(l, col[c][0], layout_rect(x, y, cw, kh), STYLE_KEY);
        if (col[c][1] >= 0)
            layout_add(l, col[c][1], layout_rect(x, y + kh + g, cw, fh), STYLE_FIELD);
        if (col[c][2] >= 0)
            layout_add(l, col[c][2], layout_rect(x, y + kh + g + fh + g, cw, kh), STYLE_KEY);
    }
    int by = page.y + 2 * (kh + g) + fh + g;
    int nb = (ok >= 0) + (confirm >= 0);
    int bw = mini(theme_mm(t, 60), nb > 1 ? (page.w - g) / 2 : page.w);
    int bx = page.x + (page.w - (nb * bw + (nb - 1) * g)) / 2;
    if (ok >= 0) {
        layout_add(l, ok, layout_rect(bx, by, bw, okh), STYLE_BUTTON_PRIMARY);
        bx += bw + g;
    }
    if (confirm >= 0)
        layout_add(l, confirm, layout_rect(bx, by, bw, okh), STYLE_BUTTON_SECONDARY);
    l->message = layout_rect(page.x, by + okh + g, page.w, page.y + page.h - (by + okh + g));
}

/* Buttons (the role-less actions: import, back) side by side at the foot
 * of the page; returns the page above them. */
static SDL_Rect foot_buttons(Layout *l, const Theme *t, SDL_Rect page, const int *idx, int n)
{
    if (n == 0)
        return page;
    int g = t->gap, bh = theme_mm(t, 13);
    int bw = mini(theme_mm(t, 70), (page.w - (n - 1) * g) / n);
    int x0 = page.x + (page.w - (n * bw + (n - 1) * g)) / 2, y = page.y + page.h - bh;
    for (int k = 0; k < n; k++)
        layout_add(l, idx[k], layout_rect(x0 + k * (bw + g), y, bw, bh), STYLE_BUTTON_SECONDARY);
    page.h -= bh + g;
    return page;
}

/* One row per form, with a square mark: ticked when offered; the import
 * button under them. Importing, the same rows list the stick's forms (no
 * mark), or the page is the problems of the form tapped. */
static void forms_page(Layout *l, const KsView *v, const Theme *t, SDL_Rect page)
{
    int g = t->gap;
    int idx[KS_VIEW_MAX_TARGETS], n = 0, btn[4], nb = 0;
    bool marks = false;
    for (int i = 0; i < v->n_targets; i++) {
        const KsViewTarget *vt = &v->targets[i];
        if (is_tab(vt))
            continue;
        if (vt->role == KS_TARGET_OPTION) {
            idx[n++] = i;
            marks = marks || vt->slot == KS_SLOT_FORM_SWITCH;
        } else if (nb < 4) {
            btn[nb++] = i;
        }
    }
    page = foot_buttons(l, t, page, btn, nb);
    if (n == 0) {
        l->message = page; /* the problems of a form, or that there is none */
        return;
    }
    l->message = layout_rect(page.x, page.y, page.w, theme_mm(t, 12));
    page.y += l->message.h + g;
    page.h -= l->message.h + g;
    int cols = n > 4 ? 2 : 1, rows = (n + cols - 1) / cols;
    int rh = mini(theme_mm(t, 14), (page.h - (rows - 1) * g) / rows);
    int cw = (page.w - (cols - 1) * g) / cols;
    for (int k = 0; k < n; k++) {
        LayoutTarget *lt = layout_add(
            l, idx[k],
            layout_rect(page.x + (k % cols) * (cw + g), page.y + (k / cols) * (rh + g), cw, rh),
            STYLE_ROW);
        if (lt)
            lt->check = marks;
    }
}

/* The export and eject buttons side by side (repeating the last export
 * under them), while an export runs its progress bar, the stick and the
 * result under them, and the QR receipt after a good run: as large as the
 * page allows (beside the message on a wide page, under it on a tall one),
 * so a phone reads it at >= 6 px a module. */
static void export_page(Layout *l, const KsView *v, const Theme *t, SDL_Rect page)
{
    int g = t->gap, bh = theme_mm(t, 14);
    int qr = -1, btn[2], nb = 0, again = -1;
    for (int i = 0; i < v->n_targets; i++) {
        if (is_tab(&v->targets[i]))
            continue;
        if (v->targets[i].slot == KS_SLOT_EXPORT_QR)
            qr = i;
        else if (v->targets[i].slot == KS_SLOT_EXPORT_AGAIN)
            again = i;
        else if (nb < 2)
            btn[nb++] = i;
    }
    if (nb > 0) {
        int bw = mini(theme_mm(t, 70), (page.w - (nb - 1) * g) / nb);
        int x0 = page.x + (page.w - (nb * bw + (nb - 1) * g)) / 2;
        for (int k = 0; k < nb; k++)
            layout_add(l, btn[k], layout_rect(x0 + k * (bw + g), page.y, bw, bh),
                       v->targets[btn[k]].role == KS_TARGET_PRIMARY ? STYLE_BUTTON_PRIMARY
                                                                    : STYLE_BUTTON_SECONDARY);
        page.y += bh + g;
        page.h -= bh + g;
    }
    if (again >= 0) {
        /* Repeating the last export gets a row of its own under them. */
        int bw = mini(theme_mm(t, 90), page.w);
        layout_add(l, again, layout_rect(page.x + (page.w - bw) / 2, page.y, bw, bh),
                   STYLE_BUTTON_SECONDARY);
        page.y += bh + g;
        page.h -= bh + g;
    }
    if (v->progress_total > 0) {
        /* A running export: its bar across the page, its phase in the
         * message under it. */
        int barh = theme_mm(t, 4);
        l->progress_bar = layout_rect(page.x, page.y + g / 2, page.w, barh);
        page.y += barh + g + g / 2;
        page.h -= barh + g + g / 2;
    }
    if (qr < 0) {
        l->message = page;
        return;
    }
    if (page.w > page.h * 13 / 10) {
        int side = mini(page.h, page.w * 58 / 100);
        layout_add(l, qr, layout_rect(page.x + page.w - side, page.y, side, side), STYLE_TILE_V);
        l->message = layout_rect(page.x, page.y, page.w - side - g, page.h);
    } else {
        int mh = mini(page.h * 35 / 100, theme_mm(t, 30));
        int side = mini(page.w, page.h - mh - g);
        l->message = layout_rect(page.x, page.y, page.w, mh);
        layout_add(l, qr, layout_rect(page.x + (page.w - side) / 2, page.y + mh + g, side, side),
                   STYLE_TILE_V);
    }
}

/* The overview's lines and the signing key's QR code (overview:key, its
 * label with the key id beside or under it). Landscape: the code at the
 * right of the lines, its label under it. Portrait: a band across the top
 * of the page, the code at its start and the label beside it, in place of
 * the page's title (the tab above names the page): the lines keep the most
 * room a tall screen can give them. */
static void overview_page(Layout *l, const KsView *v, const Theme *t, SDL_Rect page)
{
    int qr = screen_find(v, KS_SLOT_KEY_QR);
    if (qr < 0) {
        l->message = page;
        return;
    }
    int g = t->gap;
    if (l->w > l->h) {
        int label = theme_mm(t, 13);
        int side = mini(page.w * 40 / 100, page.h - label);
        layout_add(l, qr, layout_rect(page.x + page.w - side, page.y, side, side + label),
                   STYLE_TILE_V);
        l->message = layout_rect(page.x, page.y, page.w - side - g, page.h);
        return;
    }
    /* The band's picture takes 30 % of its inner width (the row style). */
    int band = (page.w - 2 * theme_mm(t, 1.8)) * 30 / 100 + 2 * theme_mm(t, 1.8);
    int top = l->title.y;
    l->title = layout_rect(0, 0, 0, 0);
    layout_add(l, qr, layout_rect(page.x, top, page.w, band), STYLE_TILE_H);
    int y = top + band + g;
    l->message = layout_rect(page.x, y, page.w, page.y + page.h - y);
}

/* The text (or drawing) under review, approve and reject under it. */
static void review_page(Layout *l, const KsView *v, const Theme *t, SDL_Rect page)
{
    int g = t->gap, bh = theme_mm(t, 14);
    int pic = screen_find(v, KS_SLOT_REVIEW_DRAWING), approve = screen_find(v, KS_SLOT_APPROVE),
        reject = screen_find(v, KS_SLOT_REJECT);
    int body_h = page.h - (approve >= 0 ? bh + g : 0);
    if (pic >= 0) {
        int mh = theme_mm(t, 8);
        l->message = layout_rect(page.x, page.y, page.w, mh);
        int ph = body_h - mh - g;
        int pw = mini(page.w, ph * 4 / 3);
        layout_add(l, pic, layout_rect(page.x + (page.w - pw) / 2, page.y + mh + g, pw, ph),
                   STYLE_TILE_V);
    } else {
        l->message = layout_rect(page.x, page.y, page.w, body_h);
    }
    int bw = mini(theme_mm(t, 50), (page.w - g) / 2);
    int by = page.y + page.h - bh, x0 = page.x + (page.w - (2 * bw + g)) / 2;
    if (reject >= 0)
        layout_add(l, reject, layout_rect(x0, by, bw, bh), STYLE_BUTTON_SECONDARY);
    if (approve >= 0)
        layout_add(l, approve, layout_rect(x0 + bw + g, by, bw, bh), STYLE_BUTTON_PRIMARY);
}

void screen_staff(Layout *l, const KsView *v, const Theme *t)
{
    if (v->screen == KS_SCREEN_STAFF_PIN) {
        pin_screen(l, v, t);
        return;
    }
    SDL_Rect page = tabs(l, v, t);
    page_title(l, t, &page);
    switch (v->screen) {
    case KS_SCREEN_STAFF_CLOCK:
        clock_page(l, v, t, page);
        break;
    case KS_SCREEN_STAFF_FORMS:
        forms_page(l, v, t, page);
        break;
    case KS_SCREEN_STAFF_REVIEW:
        review_page(l, v, t, page);
        break;
    case KS_SCREEN_STAFF_EXPORT:
        export_page(l, v, t, page);
        break;
    case KS_SCREEN_STAFF_WORKSHOP:
    case KS_SCREEN_STAFF_WS_EDIT:
    case KS_SCREEN_STAFF_WS_MODERATE:
    case KS_SCREEN_STAFF_WS_MERGE:
    case KS_SCREEN_STAFF_WS_RESULTS:
        screen_ws_staff(l, v, t, page);
        break;
    case KS_SCREEN_STAFF_OVERVIEW:
        overview_page(l, v, t, page);
        break;
    default:
        l->message = page;
        break;
    }
}
