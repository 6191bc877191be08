/* input: turns SDL touch and mouse events into KsEvents. A tap is a finger
 * (or the left mouse button) going down and up on the same target of the
 * same layout; it is reported once, on release. On a canvas or slider target
 * a press is a drag instead: BEGIN, a MOVE per motion event, END on release,
 * never a tap. Synthetic mouse events that a desktop touchscreen sends
 * alongside finger events are ignored, so no tap counts twice (DESIGN.md §4).
 * Positions go through the panel wiring and the screen rotation of InputMap. */
#ifndef KS_INPUT_H
#define KS_INPUT_H

#include <stdint.h>
#include <SDL.h>
#include <stdbool.h>

#include "../firmware/app/event.h"
#include "layout.h"

/* Most KsEvents one SDL event can produce (a press on a draggable target:
 * ACTIVITY and DRAG BEGIN). */
#define INPUT_EVENTS_PER_SDL 2

/* How raw positions become logical pixels. All zero: no rotation, the panel
 * wired straight, mouse coordinates taken as they are. */
typedef struct {
    int rotation;        /* 0, 90, 180, 270: the picture is turned clockwise */
    bool swap_xy;        /* the touch panel reports x and y swapped */
    bool flip_x, flip_y; /* ... and mirrored (applied after the swap) */
    int win_w, win_h;    /* window size in mouse coordinates; 0: mouse = logical px */
    int corner_px;       /* side of the corner squares a long press counts in */
    bool evdev_mouse;    /* mouse ids are evdev descriptors (KMSDRM): an absolute
                            pointer's position is read from its device (abspointer.h) */
} InputMap;

typedef struct {
    bool down;           /* a finger or button is down */
    SDL_FingerID finger; /* which finger, for touch */
    bool is_mouse;
    int target;                     /* layout index under the press, or -1 */
    unsigned layout_gen;            /* layout generation at the press */
    bool drag;                      /* the press is a drag on a canvas or slider */
    char drag_id[KS_TARGET_ID_MAX]; /* the dragged target's id */
    SDL_Rect drag_rect;             /* its box, for positions relative to it */
    int64_t down_ms;                /* clock_mono_ms() of the press */
    int x0, y0, x, y;               /* logical pixel of the press and of the finger now */
    bool long_sent;                 /* the press was already reported as a long press */
    InputMap map;                   /* kept by input_reset */
} InputState;

/* Forgets any press; keeps s->map (zero it yourself before the first use,
 * or call input_init). */
void input_reset(InputState *s);
/* Sets up a fresh state with the given mapping. */
void input_init(InputState *s, const InputMap *map);

/* Maps raw touch coordinates fx,fy (0..1 of the panel as it reports them;
 * clamped when outside) to a pixel of the logical w x h screen: first the
 * panel wiring (swap x/y, then flip x, flip y), then the inverse of the
 * clockwise screen rotation. */
void input_map_touch(float fx, float fy, const InputMap *m, int w, int h, int *x, int *y);
/* The inverse of input_map_touch for the centre of logical pixel x,y: the raw
 * coordinates a panel would report there (for injected touches). */
void input_unmap_touch(int x, int y, const InputMap *m, int w, int h, float *fx, float *fy);
/* Maps a mouse position in window coordinates to a logical pixel through
 * the rotation (no panel wiring: that belongs to the touch panel). */
void input_map_mouse(int mx, int my, const InputMap *m, int w, int h, int *x, int *y);

/* Converts one SDL event. `layout_gen` identifies the layout on screen now;
 * a tap press whose layout changed before release is dropped. Writes up to
 * `max` events to out and returns their number; `v` is the view `l` was laid
 * out from. `*redraw` is set when the pressed look of a target changed. */
int input_handle(InputState *s, const SDL_Event *e, const Layout *l, const KsView *v,
                 unsigned layout_gen, KsEvent *out, int max, bool *redraw);

/* A press held still (not further than the corner square from where it
 * went down) in one of the four corner squares of the w x h screen for at
 * least hold_ms by `now`: writes one KS_EV_LONG_PRESS to *out and returns 1,
 * once per press; otherwise 0. */
int input_long_press(InputState *s, int64_t now, int hold_ms, int w, int h, KsEvent *out);
/* Milliseconds until input_long_press could report the press held now, or
 * -1 when there is none to wait for. */
int64_t input_long_press_wait(const InputState *s, int64_t now, int hold_ms, int w, int h);

/* Called after a new layout: a drag goes on when its target (by id) is still
 * on screen — a canvas relays out while it is drawn on — anything else is
 * forgotten. */
void input_relayout(InputState *s, const Layout *l, const KsView *v, unsigned layout_gen);

#endif
