/* attract: the welcome screen — a picture, a greeting in German and English,
 * and a big "tap to start". The whole screen is the start target, so any
 * first tap starts. */
#include "screens.h"

void screen_attract(Layout *l, const KsView *v, const Theme *t)
{
    int w = l->w, h = l->h, m = t->margin;
    /* Upright, the greeting wraps: it gets two lines in each language, and
     * the start button nearly the whole width. */
    bool portrait = w < h;
    int pic_h = h * (portrait ? 34 : 42) / 100;
    l->picture = layout_rect(m, m * 2, w - 2 * m, pic_h);
    l->picture_path = "attract.svg";
    int bh = theme_mm(t, 17);
    int bw = portrait ? w - 4 * m : w * 62 / 100;
    l->start_button = layout_rect((w - bw) / 2, h - m * 2 - bh, bw, bh);
    int title_h = theme_mm(t, portrait ? 24 : 13), sub_h = theme_mm(t, portrait ? 15 : 8);
    int y = l->picture.y + pic_h + t->gap;
    if (portrait) /* the words halfway between the picture and the button */
        y += (l->start_button.y - t->gap - y - title_h - sub_h) / 2;
    l->title = layout_rect(m, y, w - 2 * m, title_h);
    l->title_center = true;
    l->title_px = t->title_px;
    l->title_min_px = t->title_min_px;
    y += l->title.h;
    l->subtitle = layout_rect(m, y, w - 2 * m, sub_h);
    for (int i = 0; i < v->n_targets; i++)
        layout_add(l, i, layout_rect(0, 0, w, h), STYLE_HIDDEN);
}
