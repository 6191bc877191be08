/* event: what the UI reports to the kiosk state machine. The UI resolves
 * touches to the stable id of the target under the finger, so the state
 * machine deals only in meanings ("next", "choice:gern"), never in pixels. */
#ifndef KS_EVENT_H
#define KS_EVENT_H

#define KS_TARGET_ID_MAX 64

typedef enum {
    KS_EV_ACTIVITY,   /* a finger or mouse went down anywhere: resets the idle timer */
    KS_EV_TAP,        /* a target was tapped (pressed and released on it) */
    KS_EV_QUIT,       /* the window system asked to close (ignored in kiosk mode) */
    KS_EV_DRAG,       /* a finger went down, moved or came up on a draggable target */
    KS_EV_LONG_PRESS, /* a finger held still in a corner of the screen for the
                         configured time (UiOptions.long_press_ms); the state
                         machine decides whether that corner opens staff mode */
} KsEventType;

/* The corner areas (about 15 mm square) a long press is reported in. */
typedef enum {
    KS_CORNER_NONE,
    KS_CORNER_TOP_LEFT,
    KS_CORNER_TOP_RIGHT,
    KS_CORNER_BOTTOM_LEFT,
    KS_CORNER_BOTTOM_RIGHT,
} KsCorner;

typedef enum {
    KS_DRAG_BEGIN, /* the finger went down on the target */
    KS_DRAG_MOVE,  /* it moved (x, y may leave 0..1: it is clamped by the receiver) */
    KS_DRAG_END,   /* it came up, wherever it is now */
} KsDragPhase;

typedef struct {
    KsEventType type;
    char target[KS_TARGET_ID_MAX]; /* KS_EV_TAP, KS_EV_DRAG: the target's id */
    KsDragPhase phase;             /* KS_EV_DRAG */
    float x, y;                    /* KS_EV_DRAG: position in the target, 0..1 of its box,
                                      in reading order (x = 0 is the target's left edge);
                                      KS_EV_LONG_PRESS: 0..1 of the (rotated) screen */
    KsCorner corner;               /* KS_EV_LONG_PRESS: the corner held */
} KsEvent;

#endif
