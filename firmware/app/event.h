/* event: what the UI reports to the kiosk state machine. The UI resolves
 * touches to the stable id of the target under the finger, so the state
 * machine deals only in meanings ("next", "choice:gern"), never in pixels. */
#ifndef KS_EVENT_H
#define KS_EVENT_H

#define KS_TARGET_ID_MAX 64

typedef enum {
    KS_EV_ACTIVITY, /* a finger or mouse went down anywhere: resets the idle timer */
    KS_EV_TAP,      /* a target was tapped (pressed and released on it) */
    KS_EV_QUIT,     /* the window system asked to close (ignored in kiosk mode) */
} KsEventType;

typedef struct {
    KsEventType type;
    char target[KS_TARGET_ID_MAX]; /* KS_EV_TAP: the target's id */
} KsEvent;

#endif
