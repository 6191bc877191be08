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
