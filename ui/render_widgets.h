/* render_widgets: the looks of the drawing canvas, its pens and tools, and
 * the slider, and the read-aloud button. Called from render.c's target switch. */
#ifndef KS_RENDER_WIDGETS_H
#define KS_RENDER_WIDGETS_H

#include <stdbool.h>

#include "render.h"

/* Each returns how many text boxes did not fit. */
int render_canvas(RenderCtx *c, const KsView *v, const KsViewTarget *vt, SDL_Rect r);
int render_pen(RenderCtx *c, const KsViewTarget *vt, SDL_Rect r, bool pressed);
int render_tool(RenderCtx *c, const KsView *v, const KsViewTarget *vt, SDL_Rect r, bool pressed);
int render_speak(RenderCtx *c, const KsViewTarget *vt, SDL_Rect r, bool pressed);
int render_slider(RenderCtx *c, const KsView *v, const KsViewTarget *vt, SDL_Rect r, bool pressed);

#endif
