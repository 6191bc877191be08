/* render: draws a laid-out view. Every look of every target style lives
 * here; the layout decided where, this decides how. Selection is always
 * shown by a thick frame plus a mark, never by colour alone. */
#ifndef KS_RENDER_H
#define KS_RENDER_H

#include <SDL.h>

#include "gfx.h"
#include "layout.h"
#include "text.h"
#include "theme.h"

typedef struct {
    SDL_Renderer *r;
    const Theme *theme;
    Text *text;
    Pictures *pictures;
    const char *icons_dir;
} RenderCtx;

/* Draws the whole frame (without presenting). `pressed` is the layout index
 * of the target under a finger now, or -1. Returns how many text boxes did
 * not fit. */
int render_frame(RenderCtx *c, const KsView *v, const Layout *l, int pressed);

#endif
