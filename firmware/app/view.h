/* view: a read-only snapshot of what the screen should show, built by the
 * kiosk state machine and drawn by the UI. It holds no handles: strings are
 * either copied in or borrowed from the loaded form (valid while the kiosk
 * lives). The UI lays the targets out; the state machine never sees pixels. */
#ifndef KS_VIEW_H
#define KS_VIEW_H

#include <stdbool.h>

#include "event.h"

#define KS_VIEW_MAX_TARGETS 32
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
} KsScreen;

/* How the answer area of a question is drawn. */
typedef enum {
    KS_WIDGET_NONE,    /* a note: text only */
    KS_WIDGET_FACES,   /* a row of smiley faces */
    KS_WIDGET_TILES,   /* picture tiles (single choice) */
    KS_WIDGET_YES_NO,  /* two big tiles */
    KS_WIDGET_LIST,    /* text rows with a round mark (single choice) */
    KS_WIDGET_CHECKS,  /* tiles or rows with a check mark (multiple choice) */
} KsWidget;

/* What role a target plays, so the UI can place and style it. */
typedef enum {
    KS_TARGET_PRIMARY,  /* the big call to action (start, continue) */
    KS_TARGET_OPTION,   /* an answer or a menu option */
    KS_TARGET_NEXT,
    KS_TARGET_BACK,
    KS_TARGET_QUIT,     /* leave the survey (asks first) */
    KS_TARGET_SECONDARY,
} KsTargetRole;

typedef struct {
    char id[KS_TARGET_ID_MAX];   /* stable id used by scripts: "choice:gern" */
    const char *text;            /* visible label; borrowed */
    const char *subtext;         /* smaller second line, or NULL */
    const char *image;           /* picture file path, or NULL */
    int face;                    /* 1..5 for faces (1 = saddest), 0 otherwise */
    KsTargetRole role;
    bool selected;
    bool enabled;
} KsViewTarget;

typedef struct {
    unsigned generation;         /* changes whenever anything below changes */
    KsScreen screen;
    const char *form_id;         /* "" outside a form */
    const char *question;        /* question name on KS_SCREEN_QUESTION, else "" */
    const char *lang;            /* language code of the texts shown */
    bool rtl;                    /* right-to-left layout */
    char title[KS_VIEW_TEXT_MAX];   /* heading or question text */
    char message[KS_VIEW_TEXT_MAX]; /* hint, error or countdown line; may be "" */
    const char *session;         /* on KS_SCREEN_THANKS: the stored session id */
    int progress_pos, progress_total; /* 0/0 when not in a form */
    char progress_text[64];      /* "Frage 3 von 7" in the view's language */
    int countdown_s;             /* seconds left on the idle prompt */
    KsWidget widget;
    int n_targets;
    KsViewTarget targets[KS_VIEW_MAX_TARGETS];
} KsView;

/* The stable word for a screen, as printed by `dump`. */
const char *view_screen_name(KsScreen s);

#endif
