/* respondent: one person's survey session, from the form chosen on the
 * "who are you?" screen to the last answer. It owns everything about that
 * person: the session, the answers as committed, the drawings, the keyboard
 * and the entry field that gets the keys, and the signs of misuse; it is
 * the only caller of the session storage (store_responses.h). The Kiosk
 * routes a question page's taps and drags here, shows the page this module
 * builds, and decides which screen follows. */
#ifndef KS_RESPONDENT_H
#define KS_RESPONDENT_H

#include <stdbool.h>

#include "../core/config.h"
#include "../storage/store.h"
#include "../storage/store_responses.h"
#include "../survey/form.h"
#include "../sys/speech.h"
#include "clockwatch.h"
#include "event.h"
#include "view.h"

typedef struct Respondent Respondent;

/* What a tap or the end of a page led to. */
typedef enum {
    RESPONDENT_STAYED,   /* the same page: an answer changed, or next was refused */
    RESPONDENT_MOVED,    /* another page of the survey */
    RESPONDENT_FINISHED, /* the last page was left: the session is stored as complete */
    RESPONDENT_FAILED,   /* storage failed: the session is ended as abandoned */
} RespondentStep;

/* cfg, store and cw (may be NULL) are borrowed and must outlive it. */
Respondent *respondent_create(const KsConfig *cfg, Store *store, ClockWatch *cw);
/* Ends an open session as abandoned, then frees. Accepts NULL. */
void respondent_destroy(Respondent *r);

/* Opens a session on form f (borrowed) in its language lang and stores its
 * start; the defaults and calculations are stored from the start. */
KsStatus respondent_begin(Respondent *r, const Form *f, int lang);
/* Stores the answers on the page shown (an answer given there counts, even
 * when the person walked away), then the outcome, and forgets everything
 * about the session, so the next person starts from nothing. No session
 * open: KS_OK. */
KsStatus respondent_end(Respondent *r, StoreOutcome outcome);
bool respondent_open(const Respondent *r);
/* The open session's form, or NULL. */
const Form *respondent_form(const Respondent *r);
/* The id of the session last stored as complete (for the thank-you
 * screen), or "" since the next began. */
const char *respondent_completed_id(const Respondent *r);

/* Any tap on the question page, counted: many within one second are a
 * burst, a sign of misuse the session is flagged for. */
void respondent_note_tap(Respondent *r);
/* A tap on the question page: "next", "back", "choice:…", "rank:…",
 * "value:…", "ack", "key:…", "field:…", "pen:…", "undo", "clear". */
RespondentStep respondent_tap(Respondent *r, const char *id);
/* A drag on the drawing canvas or a slider. */
void respondent_drag(Respondent *r, const KsEvent *ev);
/* The wall clock came into doubt: the open session is marked for it. */
void respondent_clock_doubt(Respondent *r);

/* The question page of the open session into v (cleared by the caller);
 * with_speaker offers the read-aloud button. */
void respondent_build_view(Respondent *r, KsView *v, bool with_speaker);

/* A copy of r as it would be after "next" moved to another page of the
 * form, to build that page's view ahead: its own session, r unchanged.
 * NULL when next would stay (an answer missing or breaking its
 * constraint), end the form, or lead to a page with a canvas (made on
 * first use in what r and the copy share). Free with
 * respondent_peek_free. */
Respondent *respondent_peek_next(const Respondent *r);
void respondent_peek_free(Respondent *p);
/* What the speaker reads on the question page: each question and its
 * visible choices (the form's own recording where it has one). Returns the
 * count; the texts are borrowed from the form. */
int respondent_speech(const Respondent *r, SpeechItem *items, int max);

#endif
