/* attract: the welcome screen — a picture, a greeting in German and English,
 * and a big "tap to start". The whole screen is the start target, so any
 * first tap starts. */
#include "screens.h"

void screen_attract(Layout *l, const KsView *v, const Theme *t)
{
    int w = l->w, h = l->h, m = t->margin;
    int pic_h = h * 42 / 100;
    l->picture = layout_rect(m, m * 2, w - 2 * m, pic_h);
    l->picture_path = "attract.svg";
    int y = l->picture.y + pic_h + t->gap;
    l->title = layout_rect(m, y, w - 2 * m, theme_mm(t, 13));
    l->title_center = true;
    l->title_px = t->title_px;
    l->title_min_px = t->title_min_px;
    y += l->title.h;
    l->subtitle = layout_rect(m, y, w - 2 * m, theme_mm(t, 8));
    int bh = theme_mm(t, 17);
    int bw = w * 62 / 100;
    l->start_button = layout_rect((w - bw) / 2, h - m * 2 - bh, bw, bh);
    for (int i = 0; i < v->n_targets; i++)
        layout_add(l, i, layout_rect(0, 0, w, h), STYLE_HIDDEN);
}
