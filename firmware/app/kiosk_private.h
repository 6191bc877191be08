/* kiosk_private: the Kiosk's state, shared by the state machine (kiosk.c)
 * and the view builder (kiosk_view.c). Nothing else includes it. */
#ifndef KS_KIOSK_PRIVATE_H
#define KS_KIOSK_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>

#include "../survey/session.h"
#include "kiosk.h"
#include "uitext.h"

#define ANSWER_MAX 2048

struct Kiosk {
    const KsConfig *cfg;
    const Catalog *catalog;
    Store *store;

    KsScreen screen;
    KsScreen behind;          /* the screen an idle prompt or quit question covers */
    const Form *form;         /* chosen on the audience screen */
    Session *session;         /* open from the language choice until the end */
    int64_t session_row;
    char session_uuid[33];
    char lang_code[16];
    bool show_problem;        /* the last next was refused: say why */
    char **stored;            /* per question: the answer as committed, or NULL */
    int focus_q;              /* question whose entry field gets the keys, or -1 */
    char edit[KS_VIEW_TEXT_MAX]; /* what was typed there, valid or not yet */

    int64_t last_activity_ms; /* monotonic */
    int64_t prompt_start_ms;
    int64_t thanks_start_ms;
    UiTextId fault_reason;

    KsView view;
    char answer_buf[ANSWER_MAX];
};

/* Builds k->view from the current state (kiosk_view.c). */
void kiosk_rebuild_view(Kiosk *k);

/* Whether the question is answered by typing into an entry field. */
bool kiosk_typed_question(const FormQuestion *fq);

#endif
