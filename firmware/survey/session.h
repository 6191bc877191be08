/* session: one respondent going through one form. Pure logic: which page is
 * current (one question, or every question of a field-list group), the
 * answers, relevance (skip logic), calculations, choice filters, required
 * and constraint checks, and the progress. No I/O: the app commits the
 * answers through storage, and tells the session today's date. */
#ifndef KS_SESSION_H
#define KS_SESSION_H

#include <stdbool.h>

#include "form.h"

#define SESSION_PAGE_MAX 64 /* questions on one page */

typedef struct Session Session;

typedef enum {
    SESSION_MOVED,       /* the current page changed */
    SESSION_NEED_ANSWER, /* a required question is unanswered: stays */
    SESSION_CONSTRAINT,  /* an answer breaks its constraint: stays */
    SESSION_AT_START,    /* back on the first page: stays */
    SESSION_FINISHED,    /* next on the last page: the form is done */
} SessionMove;

/* The form is borrowed and must outlive the session. `today` is
 * "YYYY-MM-DD" for today() in expressions (NULL: "1970-01-01"). Defaults are
 * applied and calculations run at once. */
Session *session_create(const Form *form, int lang, const char *today);
/* A session of its own with s's answers and page: what it does leaves s as
 * it is (to see where a move would lead). */
Session *session_copy(const Session *s);
void session_destroy(Session *s); /* accepts NULL */

const Form *session_form(const Session *s);
int session_lang(const Session *s);

/* Index (into the form) of the first question shown on the current page. */
int session_current(const Session *s);
/* The questions shown on the current page, in form order, into qs (at most
 * max); returns how many. */
int session_page(const Session *s, int *qs, int max);
/* 1-based position of the current page among the pages shown and their
 * total, for the progress indicator. */
void session_progress(const Session *s, int *pos, int *total);

/* Whether question q is relevant now (its own and its groups' `relevant`).
 * An answer to a question that is not relevant is cleared, as in ODK. */
bool session_is_relevant(const Session *s, int q);
/* Relevant and not a calculation: a respondent sees it. */
bool session_is_shown(const Session *s, int q);
bool session_is_answered(const Session *s, int q);
bool session_is_selected(const Session *s, int q, int choice);
/* Whether a choice passes the question's choice_filter now. */
bool session_choice_visible(const Session *s, int q, int choice);
/* For rank: the 1-based place of the choice in the order given, 0 if not
 * yet placed. */
int session_rank_of(const Session *s, int q, int choice);

/* The stored form of the answer to q: the choice name for a single choice,
 * the selected names separated by single spaces in list order for a
 * multiple choice, the names in the respondent's order for rank, the text or
 * number otherwise; "" when unanswered or not relevant. Lives until the next
 * change to the session. */
const char *session_value(const Session *s, int q);
/* session_value copied into buf (truncated at a character boundary). */
void session_answer_value(const Session *s, int q, char *buf, int size);

/* Taps choice `choice` of question q: selects it for a single choice
 * (replacing the earlier one), toggles it for a multiple choice, and for
 * rank places it next (a placed choice is taken out again, with every
 * choice placed after it). KS_ERR_INVALID when out of range, filtered out,
 * or q has no choices. */
KsStatus session_tap_choice(Session *s, int q, int choice);
/* Sets the answer of an integer, decimal, text, range, acknowledge or
 * drawing question; "" clears it. KS_ERR_INVALID (answer unchanged) when v
 * is not a number of that type, outside the range or off its steps, or
 * longer than the question's max_length characters. */
KsStatus session_set_value(Session *s, int q, const char *v);

/* Checks the page and moves to the next page with something to show. On
 * SESSION_NEED_ANSWER or SESSION_CONSTRAINT the page stays and
 * session_problem() names the question. */
SessionMove session_next(Session *s);
SessionMove session_back(Session *s);
/* The question that stopped the last session_next (-1 for none) and the
 * form's own message for it (required_message / constraint_message) in the
 * session language, or NULL when the form has none. */
int session_problem(const Session *s, const char **message);

#endif
