/* kiosk_private: the Kiosk's state, shared by the state machine (kiosk.c)
 * and the view builder (kiosk_view.c). Nothing else includes it. */
#ifndef KS_KIOSK_PRIVATE_H
#define KS_KIOSK_PRIVATE_H

#include <stdint.h>
#include <stdbool.h>

#include "../survey/session.h"
#include "burst.h"
#include "clockwatch.h"
#include "drawing.h"
#include "keys.h"
#include "kiosk.h"
#include "staff.h"
#include "uitext.h"
#include "workshop.h"

struct Kiosk {
    const KsConfig *cfg;
    Catalog *catalog; /* staff may add imported forms to it */
    Store *store;
    Speech *speech;            /* read-aloud, or NULL */
    char db_path[512];         /* the database file, for the free-disk check; "" unknown */
    int64_t awake_until_ms;    /* monotonic: a touch at night keeps the screen lit till then */
    int64_t fault_since_ms;    /* monotonic: when the fault screen came (or was checked) */
    Staff *staff;              /* staff mode; NULL without a store */
    Workshop *ws;              /* the Zukunftswerkstatt; NULL without a store */
    ClockWatch *cw;            /* doubt about the wall clock; NULL without a store */
    int64_t retention_next_ms; /* monotonic: the next daily deletion of old exports */

    KsScreen screen;
    KsScreen behind;  /* the screen an idle prompt or quit question covers */
    const Form *form; /* chosen on the audience screen */
    Session *session; /* open from the language choice until the end */
    int64_t session_row;
    char session_uuid[33];
    char lang_code[16];
    bool show_problem;           /* the last next was refused: say why */
    char **stored;               /* per question: the answer as committed, or NULL */
    int focus_q;                 /* question whose entry field gets the keys, or -1 */
    char edit[KS_VIEW_TEXT_MAX]; /* what was typed there, valid or not yet */
    KeysState keys;              /* the keyboard: whose letters, which page, shift */
    Drawing **drawings;          /* per question: a drawing question's strokes, or NULL */
    unsigned *drawn_rev;         /* per question: the drawing revision last stored */
    int pen;                     /* index into ks_pen_colours */
    bool pen_out;                /* the finger left the canvas mid-stroke */

    /* Suspected misuse: pages left faster than anyone reads, tap bursts. */
    int64_t page_shown_ms; /* monotonic */
    int fast_pages;
    bool flagged_fast, flagged_burst;
    Burst taps; /* the latest taps, for bursts */

    int64_t last_activity_ms; /* monotonic */
    int64_t prompt_start_ms;
    int64_t thanks_start_ms;
    UiTextId fault_reason;
    char fault_detail[CONFIG_PATH_MAX]; /* the folder or file a self-test fault names */

    KsView view;
};

/* Moves to the next page when the page's answers allow it (kiosk.c). */
void kiosk_next_page(Kiosk *k);

/* Taps and drags on a question page (kiosk_answer.c): "choice:…" and
 * "rank:…" targets, "value:…" tiles and acknowledge, keys, entry fields,
 * drawing tools, and drags on the canvas or a slider. */
void kiosk_answer_choice(Kiosk *k, const char *target);
void kiosk_answer_value(Kiosk *k, const char *v, FormQType type);
void kiosk_answer_key(Kiosk *k, const char *key);
void kiosk_answer_field(Kiosk *k, const char *name);
void kiosk_answer_tool(Kiosk *k, const char *id);
void kiosk_answer_drag(Kiosk *k, const KsEvent *ev);

/* Whether a screen is a participant's workshop screen (kiosk.c). */
bool kiosk_is_ws_screen(KsScreen s);

/* Builds k->view from the current state (kiosk_view.c). */
void kiosk_rebuild_view(Kiosk *k);

/* The drawing of question q, made on first use. */
Drawing *kiosk_drawing(Kiosk *k, int q);

/* Whether the question is answered by typing into an entry field. */
bool kiosk_typed_question(const FormQuestion *fq);

/* Whether form f is offered in language code (kiosk.conf `languages`; a
 * form with none of those languages offers all of its own; kiosk_view.c). */
bool kiosk_form_lang_shown(const Kiosk *k, const Form *f, const char *code);

/* The languages the language screen offers: every language an active form
 * is offered in, de en tr ar uk ru first, then others in the order the
 * forms name them. codes[i] are static or the forms' own strings; returns
 * the count. */
int kiosk_offered_langs(const Kiosk *k, const char **codes, int max);

/* Whether the "who are you?" screen shows form f: switched on by staff and
 * offered in the language chosen before it. */
bool kiosk_form_offered(const Kiosk *k, const Form *f);

/* Display sleep (kiosk_house.c): the welcome screen goes dark in the
 * night hours unless a touch woke it before awake_until_ms; the morning
 * brings it back. */
void kiosk_sleep_tick(Kiosk *k, int64_t now);

/* The clock watch and the daily retention run (kiosk_house.c). True when a
 * staff screen must show a clock doubt that began just now. */
bool kiosk_housekeeping(Kiosk *k);

/* The speaker button (kiosk_speak.c): reads the screen shown now aloud; a
 * second tap while it speaks stops it. */
void kiosk_speak(Kiosk *k);

#endif
