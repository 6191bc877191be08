/* question: one question per screen — progress and the quit button on top,
 * the question text, the answer widget, and back / next at the bottom.
 * Answer targets are never smaller than 15 mm. */
#include "screens.h"

static void answers(Layout *l, const KsView *v, const Theme *t, SDL_Rect area, const int *idx, int n)
{
    int mm26 = theme_mm(t, 26);
    switch (v->widget) {
    case KS_WIDGET_FACES:
        screen_grid(l, idx, n, area, t, n, theme_mm(t, 32), STYLE_FACE);
        break;
    case KS_WIDGET_YES_NO:
        screen_grid(l, idx, n, area, t, n, theme_mm(t, 56), STYLE_TILE_V);
        break;
    case KS_WIDGET_TILES:
    case KS_WIDGET_CHECKS: {
        bool pictures = false;
        for (int i = 0; i < n; i++)
            pictures |= v->targets[idx[i]].image != NULL;
        if (!pictures) {
            int cols = n <= 3 ? 1 : 2;
            int first = l->n;
            screen_grid(l, idx, n, area, t, cols, 0, STYLE_ROW);
            for (int i = first; i < l->n; i++)
                l->targets[i].check = v->widget == KS_WIDGET_CHECKS;
            break;
        }
        int cols = n <= 4 ? n : (n + 1) / 2;
        int rows = (n + cols - 1) / cols;
        int cell_h = (area.h - (rows - 1) * t->gap) / rows;
        TargetStyle style = cell_h >= mm26 ? STYLE_TILE_V : STYLE_TILE_H;
        int first = l->n;
        screen_grid(l, idx, n, area, t, cols, style == STYLE_TILE_V ? theme_mm(t, 40) : 0, style);
        for (int i = first; i < l->n; i++)
            l->targets[i].check = v->widget == KS_WIDGET_CHECKS;
        break;
    }
    case KS_WIDGET_LIST:
        screen_grid(l, idx, n, area, t, n <= 3 ? 1 : 2, 0, STYLE_ROW);
        break;
    case KS_WIDGET_NONE:
        break;
    }
}

void screen_question(Layout *l, const KsView *v, const Theme *t)
{
    int w = l->w, h = l->h, m = t->margin;
    int quit_side = theme_mm(t, 11);
    int bar_y = m / 2;
    int nav_y = h - m - t->nav_h;
    int nav_w = theme_mm(t, 36);
    int opts[KS_VIEW_MAX_TARGETS], n = 0;
    for (int i = 0; i < v->n_targets; i++) {
        switch (v->targets[i].role) {
        case KS_TARGET_QUIT:
            layout_add(l, i, layout_rect(w - m - quit_side, bar_y, quit_side, quit_side),
                       STYLE_BUTTON_ICON);
            break;
        case KS_TARGET_BACK:
            layout_add(l, i, layout_rect(m, nav_y, nav_w, t->nav_h), STYLE_BUTTON_NAV);
            break;
        case KS_TARGET_NEXT:
            layout_add(l, i, layout_rect(w - m - nav_w, nav_y, nav_w, t->nav_h), STYLE_BUTTON_NAV);
            break;
        default:
            opts[n++] = i;
        }
    }
    int text_w = theme_mm(t, 34);
    l->progress_text = layout_rect(m, bar_y, text_w, quit_side);
    int bar_x = m + text_w + t->gap;
    int bar_h = theme_mm(t, 3);
    l->progress_bar = layout_rect(bar_x, bar_y + (quit_side - bar_h) / 2,
                                  w - m - quit_side - 2 * t->gap - bar_x, bar_h);
    int top = bar_y + quit_side + t->gap;
    l->message = layout_rect(m + nav_w + t->gap, nav_y, w - 2 * (m + nav_w + t->gap), t->nav_h);
    int avail = nav_y - t->gap - top;
    int title_h = v->widget == KS_WIDGET_NONE ? avail : avail * 34 / 100;
    if (title_h < theme_mm(t, 14))
        title_h = theme_mm(t, 14);
    l->title = layout_rect(m, top, w - 2 * m, title_h);
    l->title_center = true;
    l->title_px = t->title_px;
    l->title_min_px = t->title_min_px;
    int ay = top + title_h + t->gap;
    answers(l, v, t, layout_rect(m, ay, w - 2 * m, nav_y - t->gap - ay), opts, n);
}
