/* session: one respondent going through one form. Pure logic: which question
 * is current, what is answered, whether a required question blocks moving on,
 * and the progress. No I/O: the app commits answers through storage. */
#ifndef KS_SESSION_H
#define KS_SESSION_H

#include <stdbool.h>

#include "form.h"

typedef struct Session Session;

typedef enum {
    SESSION_MOVED,        /* the current question changed */
    SESSION_NEED_ANSWER,  /* required question unanswered: stays */
    SESSION_AT_START,     /* back on the first question: stays */
    SESSION_FINISHED,     /* next on the last question: the form is done */
} SessionMove;

/* The form is borrowed and must outlive the session. */
Session *session_create(const Form *form, int lang);
void session_destroy(Session *s); /* accepts NULL */

const Form *session_form(const Session *s);
int session_lang(const Session *s);

/* Index (into the form) of the current question. */
int session_current(const Session *s);
/* 1-based position of the current question among the questions shown and
 * the total number shown, for the progress indicator. */
void session_progress(const Session *s, int *pos, int *total);

bool session_is_answered(const Session *s, int question);
bool session_is_selected(const Session *s, int question, int choice);
/* Taps choice `choice` of the current question: selects it for a single
 * choice (replacing the earlier one), toggles it for a multiple choice.
 * KS_ERR_INVALID when the index is out of range or the question has no
 * choices. */
KsStatus session_tap_choice(Session *s, int choice);

/* The stored form of the answer to `question` into buf: the choice name for
 * a single choice, the selected names separated by single spaces (in list
 * order) for a multiple choice, "" when unanswered. */
void session_answer_value(const Session *s, int question, char *buf, int size);

SessionMove session_next(Session *s);
SessionMove session_back(Session *s);

#endif
