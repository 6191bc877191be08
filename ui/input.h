/* input: turns SDL touch and mouse events into KsEvents. A tap is a finger
 * (or the left mouse button) going down and up on the same target of the
 * same layout; it is reported once, on release. Synthetic mouse events that
 * a desktop touchscreen sends alongside finger events are ignored, so no tap
 * counts twice (DESIGN.md §4). */
#ifndef KS_INPUT_H
#define KS_INPUT_H

#include <SDL.h>
#include <stdbool.h>

#include "../firmware/app/event.h"
#include "layout.h"

typedef struct {
    bool down;                /* a finger or button is down */
    SDL_FingerID finger;      /* which finger, for touch */
    bool is_mouse;
    int target;               /* layout index under the press, or -1 */
    unsigned layout_gen;      /* layout generation at the press */
} InputState;

void input_reset(InputState *s);

/* Converts one SDL event. `layout_gen` identifies the layout on screen now;
 * a press whose layout changed before release is dropped. Writes up to `max`
 * events to out and returns their number; `v` is the view `l` was laid out
 * from. `*redraw` is set when the pressed
 * look of a target changed. */
int input_handle(InputState *s, const SDL_Event *e, const Layout *l, const KsView *v,
                 unsigned layout_gen, KsEvent *out, int max, bool *redraw);

#endif
