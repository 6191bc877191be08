/* theme: the one style table of the kiosk — colours, and every size in
 * millimetres of the physical panel, turned into pixels for the output at
 * hand. Nothing else in ui/ holds a magic size or colour. */
#ifndef KS_THEME_H
#define KS_THEME_H

#include <SDL.h>

typedef struct {
    double px_per_mm;
    int margin, gap;            /* outer margin, gap between targets (>= 2 mm) */
    int radius;                 /* corner radius of tiles and buttons */
    int border;                 /* selection border width */
    int top_bar_h;              /* progress and the quit button */
    int nav_h;                  /* back / next row */
    int min_target;             /* 10 mm: anything tappable */
    int min_answer;             /* 15 mm: children's answer targets */
    int title_px, title_min_px; /* question text: >= 4.5 mm cap height */
    int body_px, body_min_px;
    int label_px, label_min_px;
    int small_px;
    int key_gap;              /* 2 mm between the keys of a pad or keyboard */
    int key_pref;             /* 12 mm: number pad keys where they fit */
    int key_max;              /* keys never grow beyond this */
    int field_min, field_max; /* height of an entry field */
    int key_px, key_min_px;   /* key labels */
    int item_title_px;        /* question text of one item on a multi-question page */
    SDL_Color bg, bg_band, ink, ink_soft, white;
    SDL_Color primary, primary_dark, primary_ink;
    SDL_Color tile, tile_edge, tile_pressed, select, select_fill;
    SDL_Color disabled, shadow, warn;
    SDL_Color face[6]; /* 1..5: the colour of each face's frame */
} Theme;

/* Computes pixel sizes for an output of w x h pixels showing a panel of
 * panel_w_mm x panel_h_mm. */
void theme_init(Theme *t, int w, int h, double panel_w_mm, double panel_h_mm);

/* Millimetres to pixels, rounded. */
int theme_mm(const Theme *t, double mm);

#endif
