/* view: names of screens as scripts and `dump` see them. */
#include "view.h"

const char *view_screen_name(KsScreen s)
{
    switch (s) {
    case KS_SCREEN_ATTRACT: return "attract";
    case KS_SCREEN_AUDIENCE: return "audience";
    case KS_SCREEN_LANGUAGE: return "language";
    case KS_SCREEN_QUESTION: return "question";
    case KS_SCREEN_IDLE_PROMPT: return "idle_prompt";
    case KS_SCREEN_CONFIRM_QUIT: return "confirm_quit";
    case KS_SCREEN_THANKS: return "thanks";
    case KS_SCREEN_FAULT: return "fault";
    }
    return "unknown";
}

const char *view_widget_name(KsWidget w)
{
    static const char *const names[] = {
        [KS_WIDGET_NONE] = "none",     [KS_WIDGET_FACES] = "faces",
        [KS_WIDGET_TILES] = "tiles",   [KS_WIDGET_YES_NO] = "yes_no",
        [KS_WIDGET_LIST] = "list",     [KS_WIDGET_CHECKS] = "checks",
        [KS_WIDGET_NUMPAD] = "numpad", [KS_WIDGET_SCALE] = "scale",
        [KS_WIDGET_KEYBOARD] = "keyboard", [KS_WIDGET_RANK] = "rank",
        [KS_WIDGET_ACK] = "ack",
    };
    if ((unsigned)w < sizeof names / sizeof names[0] && names[w])
        return names[w];
    return "unknown";
}
