/* theme: colours and millimetre sizes. Sizes follow DESIGN.md §4: 10 mm for
 * anything tappable, 15 mm for children's answers, 2 mm gaps, question text
 * at least 4.5 mm tall. */
#include "theme.h"

static SDL_Color rgb(unsigned hex)
{
    SDL_Color c = {(Uint8)(hex >> 16), (Uint8)(hex >> 8), (Uint8)hex, 255};
    return c;
}

int theme_mm(const Theme *t, double mm)
{
    return (int)(mm * t->px_per_mm + 0.5);
}

void theme_init(Theme *t, int w, int h, double panel_w_mm, double panel_h_mm)
{
    double sx = w / panel_w_mm, sy = h / panel_h_mm;
    t->px_per_mm = sx < sy ? sx : sy;
    t->margin = theme_mm(t, 3.0);
    t->gap = theme_mm(t, 2.5);
    t->radius = theme_mm(t, 2.5);
    t->border = theme_mm(t, 1.0);
    t->top_bar_h = theme_mm(t, 12.0);
    t->nav_h = theme_mm(t, 13.0);
    t->min_target = theme_mm(t, 10.0);
    t->min_answer = theme_mm(t, 15.0);
    /* Noto Sans capitals are about 0.71 em: a 6.5 mm em gives 4.6 mm capitals. */
    t->title_px = theme_mm(t, 8.0);
    t->title_min_px = theme_mm(t, 6.5);
    t->body_px = theme_mm(t, 5.5);
    t->body_min_px = theme_mm(t, 4.0);
    t->label_px = theme_mm(t, 5.0);
    t->label_min_px = theme_mm(t, 3.3);
    t->small_px = theme_mm(t, 3.8);
    t->key_gap = theme_mm(t, 2.0);
    t->key_pref = theme_mm(t, 12.0);
    t->key_max = theme_mm(t, 16.0);
    t->field_min = theme_mm(t, 11.0);
    t->field_max = theme_mm(t, 17.0);
    t->key_px = theme_mm(t, 6.0);
    t->key_min_px = theme_mm(t, 4.0);
    t->item_title_px = theme_mm(t, 6.0);

    t->bg = rgb(0xFFF7EC);
    t->bg_band = rgb(0xFCE9D2);
    t->ink = rgb(0x2B2B33);
    t->ink_soft = rgb(0x5E5E6B);
    t->white = rgb(0xFFFFFF);
    t->primary = rgb(0x2F7FD1);
    t->primary_dark = rgb(0x1F5C9C);
    t->primary_ink = rgb(0xFFFFFF);
    t->tile = rgb(0xFFFFFF);
    t->tile_edge = rgb(0xE2D6C6);
    t->tile_pressed = rgb(0xEADFCF);
    t->select = rgb(0x1F5C9C);
    t->select_fill = rgb(0xDDEBFA);
    t->disabled = rgb(0xA9B7C6);
    t->shadow = rgb(0xE6D7C3);
    t->warn = rgb(0xB23A2E);
    t->face[0] = rgb(0xCCCCCC);
    t->face[1] = rgb(0xE8594F);
    t->face[2] = rgb(0xF59A4A);
    t->face[3] = rgb(0xE9B824);
    t->face[4] = rgb(0x7DBB48);
    t->face[5] = rgb(0x3FAE5A);
}
