/* choose: the language screen (each language in its own name, the heading
 * in every offered language) and the "who are you?" screen after it (in the
 * chosen language): big options, the speaker at the start of the heading,
 * and a back button. */
#include "screens.h"

int screen_grid(Layout *l, const int *idx, int n, SDL_Rect area, const Theme *t, int cols,
                int max_cell_w, TargetStyle style)
{
    if (n <= 0)
        return 0;
    if (cols < 1)
        cols = 1;
    if (cols > n)
        cols = n;
    int rows = (n + cols - 1) / cols;
    int cw = (area.w - (cols - 1) * t->gap) / cols;
    if (max_cell_w > 0 && cw > max_cell_w)
        cw = max_cell_w;
    int ch = (area.h - (rows - 1) * t->gap) / rows;
    int max_h = theme_mm(t, 42);
    if (ch > max_h)
        ch = max_h;
    if (ch < 1)
        ch = 1; /* far too small a screen: still something to tap (reported) */
    int total_h = rows * ch + (rows - 1) * t->gap;
    int y0 = area.y + (area.h - total_h) / 2;
    for (int i = 0; i < n; i++) {
        int r = i / cols, c = i % cols;
        int in_row = (r == rows - 1) ? n - r * cols : cols;
        int row_w = in_row * cw + (in_row - 1) * t->gap;
        int x0 = area.x + (area.w - row_w) / 2;
        layout_add(l, idx[i], layout_rect(x0 + c * (cw + t->gap), y0 + r * (ch + t->gap), cw, ch),
                   style);
    }
    return cols;
}

void screen_choose(Layout *l, const KsView *v, const Theme *t)
{
    int w = l->w, h = l->h, m = t->margin;
    l->title = layout_rect(m, m, w - 2 * m, theme_mm(t, 12));
    l->title_center = true;
    l->title_px = t->title_px;
    l->title_min_px = t->title_min_px;
    /* "Sprache · Language · Dil · اللغة · Мова · Язык": one line when it
     * fits at a smaller size, two on an upright screen. */
    if (v->screen == KS_SCREEN_LANGUAGE) {
        l->title_min_px = t->body_px * 3 / 4;
        if (w < h)
            l->title.h = theme_mm(t, 20);
    }
    l->subtitle = layout_rect(m, m + l->title.h, w - 2 * m, theme_mm(t, 7));
    int nav_y = h - m - t->nav_h;
    int idx[KS_VIEW_MAX_TARGETS], n = 0;
    for (int i = 0; i < v->n_targets; i++) {
        if (v->targets[i].role == KS_TARGET_BACK) {
            layout_add(l, i, layout_rect(m, nav_y, theme_mm(t, 38), t->nav_h), STYLE_BUTTON_NAV);
        } else if (v->targets[i].role == KS_TARGET_SPEAK) {
            /* At the start of the heading, as on the question pages (laid
             * out left to right; layout.c mirrors the whole screen for
             * Arabic); the heading gives up the same room at both ends to
             * stay centred. */
            int side = theme_mm(t, 11);
            layout_add(l, i, layout_rect(m, m, side, side), STYLE_SPEAK);
            l->title.x = m + side + t->gap;
            l->title.w = w - 2 * (m + side + t->gap);
        } else {
            idx[n++] = i;
        }
    }
    int top = l->subtitle.y + l->subtitle.h + t->gap;
    SDL_Rect area = layout_rect(m, top, w - 2 * m, nav_y - t->gap - top);
    /* On a screen far too small the options still get their least height
     * (overlapping the back button, which the layout check reports) rather
     * than none: drawn later, they stay on top and can be tapped. */
    if (area.h < t->min_answer)
        area.h = t->min_answer;
    /* Upright, fewer columns: the words need the width. */
    bool portrait = w < h;
    if (v->screen == KS_SCREEN_AUDIENCE) {
        int cols = portrait ? (n <= 2 ? n : 2) : (n <= 4 ? n : 3);
        screen_grid(l, idx, n, area, t, cols, theme_mm(t, 46), STYLE_TILE_V);
    } else {
        int cols = portrait ? (n <= 3 ? 1 : 2) : (n <= 3 ? n : (n <= 6 ? 3 : 4));
        int rows = (n + cols - 1) / cols;
        /* Upright, the narrower tiles get the height for "Answer in …" to
         * take two lines. */
        int row_h = theme_mm(t, portrait ? 28 : 22);
        int want_h = rows * row_h + (rows - 1) * t->gap;
        if (want_h < area.h) {
            area.y += (area.h - want_h) / 2;
            area.h = want_h;
        }
        screen_grid(l, idx, n, area, t, cols, theme_mm(t, 52), STYLE_BUTTON_SECONDARY);
    }
}
