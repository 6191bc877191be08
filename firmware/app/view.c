/* view: names of screens and widgets as scripts and `dump` see them, and
 * the pen colours shared by the canvas on screen and the stored PNG. */
#include "view.h"

/* Dark enough on white for children's drawings; each also has a name, so a
 * pen is never told apart by its colour alone. */
const unsigned ks_pen_colours[KS_PEN_COUNT] = {0x202020, 0xD32F2F, 0x1565C0, 0x2E7D32, 0xF9A825};
const char *const ks_pen_names[KS_PEN_COUNT] = {"black", "red", "blue", "green", "yellow"};

const char *view_screen_name(KsScreen s)
{
    switch (s) {
    case KS_SCREEN_ATTRACT:
        return "attract";
    case KS_SCREEN_AUDIENCE:
        return "audience";
    case KS_SCREEN_LANGUAGE:
        return "language";
    case KS_SCREEN_QUESTION:
        return "question";
    case KS_SCREEN_IDLE_PROMPT:
        return "idle_prompt";
    case KS_SCREEN_CONFIRM_QUIT:
        return "confirm_quit";
    case KS_SCREEN_THANKS:
        return "thanks";
    case KS_SCREEN_FAULT:
        return "fault";
    case KS_SCREEN_SLEEP:
        return "sleep";
    case KS_SCREEN_STAFF_PIN:
        return "staff_pin";
    case KS_SCREEN_STAFF_OVERVIEW:
        return "staff_overview";
    case KS_SCREEN_STAFF_CLOCK:
        return "staff_clock";
    case KS_SCREEN_STAFF_FORMS:
        return "staff_forms";
    case KS_SCREEN_STAFF_REVIEW:
        return "staff_review";
    case KS_SCREEN_STAFF_EXPORT:
        return "staff_export";
    case KS_SCREEN_WS_LANGUAGE:
        return "ws_language";
    case KS_SCREEN_WS_WALL:
        return "ws_wall";
    case KS_SCREEN_WS_CARD:
        return "ws_card";
    case KS_SCREEN_WS_SENT:
        return "ws_sent";
    case KS_SCREEN_WS_VOTE:
        return "ws_vote";
    case KS_SCREEN_WS_RESULTS:
        return "ws_results";
    case KS_SCREEN_STAFF_WORKSHOP:
        return "staff_workshop";
    case KS_SCREEN_STAFF_WS_EDIT:
        return "staff_ws_edit";
    case KS_SCREEN_STAFF_WS_MODERATE:
        return "staff_ws_moderate";
    case KS_SCREEN_STAFF_WS_MERGE:
        return "staff_ws_merge";
    case KS_SCREEN_STAFF_WS_RESULTS:
        return "staff_ws_results";
    }
    return "unknown";
}

const char *view_widget_name(KsWidget w)
{
    static const char *const names[] = {
        [KS_WIDGET_NONE] = "none",         [KS_WIDGET_FACES] = "faces",
        [KS_WIDGET_TILES] = "tiles",       [KS_WIDGET_YES_NO] = "yes_no",
        [KS_WIDGET_LIST] = "list",         [KS_WIDGET_CHECKS] = "checks",
        [KS_WIDGET_NUMPAD] = "numpad",     [KS_WIDGET_SCALE] = "scale",
        [KS_WIDGET_KEYBOARD] = "keyboard", [KS_WIDGET_RANK] = "rank",
        [KS_WIDGET_ACK] = "ack",           [KS_WIDGET_SLIDER] = "slider",
        [KS_WIDGET_CANVAS] = "canvas",
    };
    if ((unsigned)w < sizeof names / sizeof names[0] && names[w])
        return names[w];
    return "unknown";
}
