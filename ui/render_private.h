/* render_private: what the files that draw targets (render.c and
 * render_cards.c) share: pictures from the icons folder, text in a box,
 * rectangle arithmetic. Not for screens or the app. */
#ifndef KS_RENDER_PRIVATE_H
#define KS_RENDER_PRIVATE_H

#include <stdbool.h>

#include "render.h"

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
