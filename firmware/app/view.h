/* view: a read-only snapshot of what the screen should show, built by the
 * kiosk state machine and drawn by the UI. It holds no handles: strings are
 * either copied in or borrowed from the loaded form (valid while the kiosk
 * lives). The UI lays the targets out; the state machine never sees pixels. */
#ifndef KS_VIEW_H
#define KS_VIEW_H

#include <stdbool.h>

#include "event.h"

#define KS_VIEW_MAX_TARGETS 96
#define KS_VIEW_MAX_ITEMS 8
#define KS_VIEW_TEXT_MAX 512

typedef enum {
    KS_SCREEN_ATTRACT,
    KS_SCREEN_AUDIENCE,
    KS_SCREEN_LANGUAGE,
    KS_SCREEN_QUESTION,
    KS_SCREEN_IDLE_PROMPT,
    KS_SCREEN_CONFIRM_QUIT,
    KS_SCREEN_THANKS,
    KS_SCREEN_FAULT,
    KS_SCREEN_SLEEP, /* night hours (display_sleep): dark until a touch */
    /* The Zukunftswerkstatt (workshop_participant.c), while staff have one open. */
    KS_SCREEN_WS_LANGUAGE, /* the workshop's languages */
    KS_SCREEN_WS_WALL,     /* the cards of the current phase and "add a card" */
    KS_SCREEN_WS_CARD,     /* writing a card: text, topic picture, drawing, age */
    KS_SCREEN_WS_SENT,     /* the card is stored (waiting for approval or on the wall) */
    KS_SCREEN_WS_VOTE,     /* dot voting */
    KS_SCREEN_WS_RESULTS,  /* ranked cards as a bar chart */
    /* Staff mode (PIN first; the others share a menu of staff:* tabs). */
    KS_SCREEN_STAFF_PIN,
    KS_SCREEN_STAFF_OVERVIEW,
    KS_SCREEN_STAFF_CLOCK,
    KS_SCREEN_STAFF_FORMS,
    KS_SCREEN_STAFF_REVIEW,
    KS_SCREEN_STAFF_EXPORT,
    KS_SCREEN_STAFF_WORKSHOP,    /* start a workshop / its phases and actions */
    KS_SCREEN_STAFF_WS_EDIT,     /* typing the title or the question */
    KS_SCREEN_STAFF_WS_MODERATE, /* approve or reject the oldest pending card */
    KS_SCREEN_STAFF_WS_MERGE,    /* the wall: merge a duplicate into another card */
    KS_SCREEN_STAFF_WS_RESULTS,  /* the results full-screen for the group */
} KsScreen;

/* Whose a screen is: a respondent's (the survey and the screens around
 * it), a workshop participant's, staff's, or staff's running a workshop. */
typedef enum {
    KS_OWNER_RESPONDENT,
    KS_OWNER_WORKSHOP,
    KS_OWNER_STAFF,
    KS_OWNER_STAFF_WORKSHOP,
} KsScreenOwner;

/* Stated screen by screen, never read from the enum's order. */
static inline KsScreenOwner view_screen_owner(KsScreen s)
{
    switch (s) {
    case KS_SCREEN_ATTRACT:
    case KS_SCREEN_AUDIENCE:
    case KS_SCREEN_LANGUAGE:
    case KS_SCREEN_QUESTION:
    case KS_SCREEN_IDLE_PROMPT:
    case KS_SCREEN_CONFIRM_QUIT:
    case KS_SCREEN_THANKS:
    case KS_SCREEN_FAULT:
    case KS_SCREEN_SLEEP:
        return KS_OWNER_RESPONDENT;
    case KS_SCREEN_WS_LANGUAGE:
    case KS_SCREEN_WS_WALL:
    case KS_SCREEN_WS_CARD:
    case KS_SCREEN_WS_SENT:
    case KS_SCREEN_WS_VOTE:
    case KS_SCREEN_WS_RESULTS:
        return KS_OWNER_WORKSHOP;
    case KS_SCREEN_STAFF_PIN:
    case KS_SCREEN_STAFF_OVERVIEW:
    case KS_SCREEN_STAFF_CLOCK:
    case KS_SCREEN_STAFF_FORMS:
    case KS_SCREEN_STAFF_REVIEW:
    case KS_SCREEN_STAFF_EXPORT:
        return KS_OWNER_STAFF;
    case KS_SCREEN_STAFF_WORKSHOP:
    case KS_SCREEN_STAFF_WS_EDIT:
    case KS_SCREEN_STAFF_WS_MODERATE:
    case KS_SCREEN_STAFF_WS_MERGE:
    case KS_SCREEN_STAFF_WS_RESULTS:
        return KS_OWNER_STAFF_WORKSHOP;
    }
    return KS_OWNER_RESPONDENT;
}

/* A staff screen, the PIN pad included. */
static inline bool view_is_staff_screen(KsScreen s)
{
    KsScreenOwner o = view_screen_owner(s);
    return o == KS_OWNER_STAFF || o == KS_OWNER_STAFF_WORKSHOP;
}

/* How the answer area of a question is drawn. */
typedef enum {
    KS_WIDGET_NONE,     /* a note: text only */
    KS_WIDGET_FACES,    /* a row of smiley faces */
    KS_WIDGET_TILES,    /* picture tiles (single choice) */
    KS_WIDGET_YES_NO,   /* two big tiles */
    KS_WIDGET_LIST,     /* text rows with a round mark (single choice) */
    KS_WIDGET_CHECKS,   /* tiles or rows with a check mark (multiple choice) */
    KS_WIDGET_NUMPAD,   /* the entry field and a number pad (integer, decimal, long ranges) */
    KS_WIDGET_SCALE,    /* a row of numbered tiles (a range of at most 11 steps) */
    KS_WIDGET_KEYBOARD, /* the entry field and an on-screen keyboard (text) */
    KS_WIDGET_RANK,     /* rows showing their place in the order given */
    KS_WIDGET_ACK,      /* one "OK" tile */
    KS_WIDGET_SLIDER,   /* a slider with the value shown above it (range) */
    KS_WIDGET_CANVAS,   /* a drawing surface with pens, undo and clear */
} KsWidget;

/* What role a target plays, so the UI can place and style it. */
typedef enum {
    KS_TARGET_PRIMARY, /* the big call to action (start, continue) */
    KS_TARGET_OPTION,  /* an answer or a menu option */
    KS_TARGET_NEXT,
    KS_TARGET_BACK,
    KS_TARGET_QUIT, /* leave the survey (asks first) */
    KS_TARGET_SECONDARY,
    KS_TARGET_KEY,    /* a key of a number pad or keyboard */
    KS_TARGET_FIELD,  /* an entry field: tapping it gives it the keys */
    KS_TARGET_CANVAS, /* a drawing surface: reports KS_EV_DRAG, never taps */
    KS_TARGET_SLIDER, /* a slider track: reports KS_EV_DRAG (a tap is a begin and an end) */
    KS_TARGET_SPEAK,  /* the read-aloud button */
} KsTargetRole;

/* Where a target belongs in its screen's layout: the typed contract between
 * the app's view builders and the screens in ui/screens/, which switch on
 * it. The id stays the target's name in the script protocol and the tests;
 * no screen reads it. KS_SLOT_NONE: placed by its role and its order. */
typedef enum {
    KS_SLOT_NONE,
    /* Keys of the keyboard and number pad that are no letter. */
    KS_SLOT_KEY_SPACE,
    KS_SLOT_KEY_BACKSPACE,
    KS_SLOT_KEY_SWITCH, /* symbols page, next layout, shift */
    /* Drawing tools. */
    KS_SLOT_PEN, /* `pen` names its colour */
    KS_SLOT_UNDO,
    KS_SLOT_CLEAR,
    /* Workshop, participant side. */
    KS_SLOT_WS_EXIT,         /* the × that ends the visit */
    KS_SLOT_WS_ADD,          /* "add a card" */
    KS_SLOT_WS_CARD,         /* a card on the wall */
    KS_SLOT_WS_STARTER,      /* Fantasie: a critique card to answer */
    KS_SLOT_WS_VOTE,         /* a card to give a dot */
    KS_SLOT_WS_UNVOTE,       /* the − beside it */
    KS_SLOT_WS_VOTE_CONFIRM, /* "my dots are given" */
    KS_SLOT_WS_PAGE_BACK,    /* page turners of the wall, vote and results */
    KS_SLOT_WS_PAGE_NEXT,    /* */
    KS_SLOT_WS_DONE,         /* the results' way back */
    KS_SLOT_WS_ROUND,        /* a results tab: one voting round */
    KS_SLOT_WS_PLAN_TAB,     /* the results tab of the plan */
    KS_SLOT_WS_BAR,          /* a ranked card's bar */
    KS_SLOT_WS_PLAN_WHO,     /* the plan: a helper heading its cards */
    KS_SLOT_WS_PLAN_CARD,    /* the plan: a plan card */
    KS_SLOT_WS_CARD_PART,    /* writing a card: a part's tab (text, topics, drawing, …) */
    KS_SLOT_WS_CARD_CONFIRM, /* "pin it up" */
    KS_SLOT_WS_CARD_CANCEL,  /* the × of the card */
    KS_SLOT_WS_FIELD,        /* the text being typed (card, or staff's title) */
    KS_SLOT_WS_IDEA,         /* a plan card's idea to choose */
    KS_SLOT_WS_TOPIC,        /* a topic picture */
    KS_SLOT_WS_WHO,          /* a plan card's helper picture */
    KS_SLOT_WS_WHEN,         /* a plan card's time */
    KS_SLOT_WS_AGE,          /* an age band */
    /* Staff mode. */
    KS_SLOT_STAFF_TAB,      /* a tab of the staff menu (and its way out) */
    KS_SLOT_CLOCK_SET,      /* "set the clock" */
    KS_SLOT_CLOCK_CONFIRM,  /* "the time shown is right" */
    KS_SLOT_CLOCK_UP,       /* + over a clock field (`row` is the field) */
    KS_SLOT_CLOCK_DOWN,     /* − under it */
    KS_SLOT_FORM_SWITCH,    /* a form switched on or off */
    KS_SLOT_EXPORT_QR,      /* the batch's QR code */
    KS_SLOT_EXPORT_AGAIN,   /* "export again" beside it */
    KS_SLOT_KEY_QR,         /* the overview: the signing key's QR code */
    KS_SLOT_REVIEW_DRAWING, /* the drawing under review */
    KS_SLOT_APPROVE,        /* review or moderation: let it through */
    KS_SLOT_REJECT,         /* review or moderation: keep it back */
    /* Staff's workshop pages. */
    KS_SLOT_WS_START,      /* start a workshop (the page without one) */
    KS_SLOT_WS_EDIT_OK,    /* the typed title or question is done */
    KS_SLOT_WS_BACK,       /* back to the workshop page */
    KS_SLOT_WS_DRAWING,    /* moderation: the card's drawing */
    KS_SLOT_WS_MERGE,      /* a card to merge into */
    KS_SLOT_WS_VOTE_PHASE, /* which phase's cards a vote offers */
    KS_SLOT_WS_DOTS,       /* the dots per participant (− number +) */
} KsSlot;

typedef struct {
    char id[KS_TARGET_ID_MAX]; /* stable id used by scripts: "choice:gern" */
    const char *text;          /* visible label; borrowed */
    const char *subtext;       /* smaller second line, or NULL */
    const char *image;         /* picture file path, or NULL */
    int face;                  /* 1..5 for faces (1 = saddest), 0 otherwise */
    int rank;                  /* rank rows: 1-based place given, 0 for none */
    int item;                  /* index of the question (KsViewItem) it answers, -1 for none */
    int row;                   /* keys: the keyboard row, from 0 */
    const char *thumb;         /* workshop cards: the drawing's PNG path, or NULL */
    int count;                 /* workshop: dots given (vote) or received (bars) */
    int count_max;             /* bars: the largest count of the chart (the full bar) */
    int pen;                   /* KS_SLOT_PEN: index into ks_pen_colours */
    KsTargetRole role;
    KsSlot slot;
    bool selected;
    bool enabled;
} KsViewTarget;

/* A drawing as the UI shows it: strokes of points in 0..1 of the canvas
 * (x to the right, y down). The canvas is KS_CANVAS_ASPECT times as wide
 * as it is high. */
#define KS_CANVAS_ASPECT (4.0f / 3.0f)
#define KS_PEN_COUNT 5

typedef struct {
    float x, y;
} KsPoint;

typedef struct {
    int pen;   /* index into ks_pen_colours */
    int first; /* index of its first point */
    int n;     /* number of points */
} KsStroke;

typedef struct {
    const KsPoint *points; /* borrowed from the kiosk until the next view */
    const KsStroke *strokes;
    int n_strokes;
} KsDrawingView;

/* The pens' colours as 0xRRGGBB, and their stable names for target ids
 * ("pen:black"). Shared by the screen and the stored PNG. */
extern const unsigned ks_pen_colours[KS_PEN_COUNT];
extern const char *const ks_pen_names[KS_PEN_COUNT];

/* One question on the screen. A page shows one, or every question of a
 * field-list group; its targets are the view's targets with this item index
 * (keys and next/back/quit belong to no item: -1). */
typedef struct {
    const char *question;           /* name */
    char title[KS_VIEW_TEXT_MAX];   /* question text */
    char message[KS_VIEW_TEXT_MAX]; /* hint, or why the answer is not accepted */
    KsWidget widget;
    bool problem;                 /* the message is a complaint */
    bool focused;                 /* the entry field that receives the keys */
    char entry[KS_VIEW_TEXT_MAX]; /* typed text or number so far */
    /* KS_WIDGET_SLIDER: the range and the value (valid when has_value). */
    double range_start, range_end, range_step, value;
    bool has_value;
    /* KS_WIDGET_CANVAS: the strokes so far and the pen in use. */
    KsDrawingView drawing;
    int pen;
} KsViewItem;

#define KS_VIEW_MAX_NOTES 8 /* audience tiles that share their audience with another form */
#define KS_VIEW_NOTE_MAX 64

typedef struct {
    unsigned generation; /* changes whenever anything below changes */
    KsScreen screen;
    const char *form_id;              /* "" outside a form */
    const char *question;             /* first question's name on KS_SCREEN_QUESTION, else "" */
    const char *lang;                 /* language code of the texts shown */
    bool rtl;                         /* right-to-left layout */
    char title[KS_VIEW_TEXT_MAX];     /* heading, question text, or a field-list group's label */
    char message[KS_VIEW_TEXT_MAX];   /* hint, error or countdown line; may be "" */
    const char *session;              /* on KS_SCREEN_THANKS: the stored session id */
    int progress_pos, progress_total; /* 0/0 when not in a form */
    char progress_text[64];           /* "Frage 3 von 7" in the view's language */
    int countdown_s;                  /* seconds left on the idle prompt */
    KsWidget widget;                  /* of the first item */
    int n_items;                      /* questions on a KS_SCREEN_QUESTION page */
    KsViewItem items[KS_VIEW_MAX_ITEMS];
    unsigned accent;      /* workshop: the phase's colour 0xRRGGBB, 0 for none */
    const char *picture;  /* workshop: the phase's pictogram (icons folder), or NULL */
    char keys_layout[16]; /* keyboard shown: "de", "tr", "ar", "ru", "uk", "en", or "" */
    char notes[KS_VIEW_MAX_NOTES][KS_VIEW_NOTE_MAX]; /* short second lines the view owns */
    int n_targets;
    KsViewTarget targets[KS_VIEW_MAX_TARGETS];
} KsView;

/* The stable word for a screen, as printed by `dump`. */
const char *view_screen_name(KsScreen s);
/* The stable word for a widget ("faces", "numpad", …), as printed by `dump`. */
const char *view_widget_name(KsWidget w);

#endif
