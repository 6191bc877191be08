/* dialog: the screens that interrupt or end a survey — "still there?",
 * "do you want to stop?", the thank-you and the staff fault screen: a card
 * with a picture, a heading, a line of text and up to two big buttons. */
#include "screens.h"

#include <string.h>

void screen_dialog(Layout *l, const KsView *v, const Theme *t)
{
    int w = l->w, h = l->h, m = t->margin;
    bool portrait = w < h;
    int cw = theme_mm(t, 136), ch = h - 4 * m;
    if (cw > w - 2 * m)
        cw = w - 2 * m;
    int pad = theme_mm(t, 4);
    int btn_h = theme_mm(t, 16);
    /* Room for two lines of heading (the fault screen's always takes two);
     * upright the lines are shorter, so a little more. */
    bool fault = v->screen == KS_SCREEN_FAULT;
    int title_h = theme_mm(t, portrait ? (fault ? 30 : 24) : (fault ? 19 : 14));
    bool has_pic = v->screen == KS_SCREEN_THANKS || v->screen == KS_SCREEN_IDLE_PROMPT ||
                   v->screen == KS_SCREEN_CONFIRM_QUIT;
    if (portrait && has_pic) {
        /* A card as tall as what it holds (picture, two lines of heading,
         * three of text, the buttons), in the middle of the tall screen. */
        int want = 2 * pad + theme_mm(t, v->n_targets > 0 ? 36 : 44) + t->gap + title_h +
                   theme_mm(t, 26) + (v->n_targets ? btn_h + t->gap : 0);
        if (want < ch)
            ch = want;
    }
    l->card = layout_rect((w - cw) / 2, (h - ch) / 2, cw, ch);
    int x = l->card.x + pad, y = l->card.y + pad, iw = cw - 2 * pad;
    int pic_h = v->n_targets > 0 ? ch * 26 / 100 : ch * 36 / 100;
    if (portrait && has_pic)
        pic_h = theme_mm(t, v->n_targets > 0 ? 36 : 44);
    switch (v->screen) {
    case KS_SCREEN_THANKS:
        l->picture_path = "face-5.svg";
        break;
    case KS_SCREEN_IDLE_PROMPT:
        l->picture_path = "hand.svg";
        l->picture_disc = true;
        break;
    case KS_SCREEN_CONFIRM_QUIT:
        l->picture_path = "face-3.svg";
        break;
    default:
        l->picture_path = NULL;
        pic_h = 0;
        break;
    }
    if (pic_h) {
        l->picture = layout_rect(x, y, iw, pic_h);
        y += pic_h + t->gap;
    }
    int bottom = l->card.y + ch - pad - (v->n_targets ? btn_h + t->gap : 0);
    l->title = layout_rect(x, y, iw, title_h);
    l->title_center = true;
    l->title_px = t->title_px;
    l->title_min_px = t->title_min_px;
    y += title_h;
    l->message = layout_rect(x, y, iw, bottom - y);
    if (v->n_targets > 0) {
        int n = v->n_targets;
        int bw = (iw - (n - 1) * t->gap) / n;
        if (bw > theme_mm(t, 64))
            bw = theme_mm(t, 64);
        int row_w = n * bw + (n - 1) * t->gap;
        int bx = x + (iw - row_w) / 2, by = l->card.y + ch - pad - btn_h;
        for (int i = 0; i < n; i++) {
            TargetStyle st = v->targets[i].role == KS_TARGET_PRIMARY ? STYLE_BUTTON_PRIMARY
                                                                     : STYLE_BUTTON_SECONDARY;
            layout_add(l, i, layout_rect(bx + i * (bw + t->gap), by, bw, btn_h), st);
        }
    }
}
