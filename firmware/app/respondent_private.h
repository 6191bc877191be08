/* respondent_private: the Respondent's state, shared by its session and
 * storage side (respondent.c), its answer input (respondent_answer.c) and
 * its page builder (respondent_view.c). Nothing else includes it. */
#ifndef KS_RESPONDENT_PRIVATE_H
#define KS_RESPONDENT_PRIVATE_H

#include <stdint.h>

#include "../survey/session.h"
#include "burst.h"
#include "drawing.h"
#include "keys.h"
#include "respondent.h"

struct Respondent {
    const KsConfig *cfg;
    Store *store;
    ClockWatch *cw; /* may be NULL */

    const Form *form; /* NULL while no session is open */
    Session *session;
    int64_t session_row;
    char uuid[33];
    char completed_uuid[33]; /* the session last stored as complete */
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
};

/* Stores the answers that changed since the last call (respondent.c). */
KsStatus respondent_sync(Respondent *r);
/* Leaves the page forward when its answers allow it (respondent.c). */
RespondentStep respondent_next(Respondent *r);

/* Input on the question page (respondent_answer.c): "choice:…"/"rank:…"
 * targets, "value:…" tiles and acknowledge, keys, entry fields, drawing
 * tools, and drags on the canvas or a slider. */
RespondentStep respondent_answer_choice(Respondent *r, const char *target);
void respondent_answer_value(Respondent *r, const char *v, FormQType type);
void respondent_answer_key(Respondent *r, const char *key);
void respondent_answer_field(Respondent *r, const char *name);
void respondent_answer_tool(Respondent *r, const char *id);
void respondent_answer_drag(Respondent *r, const KsEvent *ev);

/* The drawing of question q, made on first use. */
Drawing *respondent_drawing(Respondent *r, int q);
/* Whether the question is answered by typing into an entry field. */
bool respondent_typed_question(const FormQuestion *fq);

#endif
