/* render_cards: the Zukunftswerkstatt's cards and result bars (see
 * render_cards.c). */
#ifndef KS_RENDER_CARDS_H
#define KS_RENDER_CARDS_H

#include <stdbool.h>

#include "render.h"

/* The workshop phase's colour of the view, or the theme's primary colour. */
SDL_Color render_accent(const KsView *v, const Theme *t);

/* Each returns how many text boxes did not fit. */
int render_card(RenderCtx *c, const KsView *v, const KsViewTarget *vt, SDL_Rect r, bool pressed);
int render_bar(RenderCtx *c, const KsView *v, const KsViewTarget *vt, SDL_Rect r);

#endif
