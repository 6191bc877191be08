/* render_private: what the files that draw (render.c, render_cards.c,
 * render_damage.c, render_layer.c) share: pictures from the icons folder, text in a box,
 * rectangle arithmetic. Not for screens or the app. */
#ifndef KS_RENDER_PRIVATE_H
#define KS_RENDER_PRIVATE_H

#include <stdbool.h>

#include "render.h"

/* Draws the whole page straight onto the render target: the page colour,
 * every part and target, `pressed` (a layout index, or -1) under a finger.
 * Returns how many text boxes did not fit. */
int render_page(RenderCtx *c, const KsView *v, const Layout *l, int pressed);

/* Draws over a page drawn with no finger down what a finger on target
 * `pressed` changes: that target pressed, the start button darker, and
 * whatever the page draws after them over the same pixels. False, having
 * drawn nothing, when that cannot be done over the old pixels (a target
 * that does not paint its own ground); true at once for -1. */
bool render_pressed(RenderCtx *c, const KsView *v, const Layout *l, int pressed);

/* Draws target lt of v (pressed: under a finger). Returns how many of its
 * text boxes did not fit. */
int render_draw_target(RenderCtx *c, const KsView *v, const LayoutTarget *lt, bool pressed);

/* Draws the attract screen's start button (down: darker, under a finger). */
int render_draw_start(RenderCtx *c, const KsView *v, const Layout *l, bool down);

/* Draws the picture `name` (a file in the icons folder, or a path) into box. */
void render_icon(RenderCtx *c, const char *name, SDL_Rect box);

/* Draws s into box, shrinking from px down to min_px to fit; TEXT_LEFT and
 * TEXT_RIGHT mean start and end (swapped when rtl). Returns 1 when the text
 * does not fit even at min_px, else 0. */
int render_text_in(RenderCtx *c, const char *s, SDL_Rect box, int px, int min_px, bool bold,
                   SDL_Color col, TextAlign align, bool rtl);

static inline SDL_Rect render_inset(SDL_Rect r, int d)
{
    SDL_Rect o = {r.x + d, r.y + d, r.w - 2 * d, r.h - 2 * d};
    return o;
}

static inline int render_mini(int a, int b)
{
    return a < b ? a : b;
}

#endif
