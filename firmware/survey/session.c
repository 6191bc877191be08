/* session: one respondent's walk through a form: the current question, the
 * selected choices and the moves allowed. Pure logic over a borrowed Form;
 * no I/O and no storage. */
#include "session.h"

#include <stdlib.h>
#include <string.h>

#include "../core/log.h"
#include "../core/mem.h"

struct Session {
    const Form *form;
    int lang;
    int cur;
    int *offset;    /* per question: first slot of its choices in `selected` */
    bool *selected; /* one flag per (question, choice) */
};

Session *session_create(const Form *form, int lang)
{
    Session *s = xcalloc(1, sizeof *s);
    int nq = form_question_count(form);
    s->form = form;
    s->lang = (lang >= 0 && lang < form_lang_count(form)) ? lang : form_default_lang(form);
    s->offset = xcalloc((size_t)nq + 1, sizeof *s->offset);
    int slots = 0;
    for (int q = 0; q < nq; q++) {
        const FormQuestion *fq = form_question(form, q);
        s->offset[q] = slots;
        slots += fq->list ? fq->list->n_choices : 0;
    }
    s->offset[nq] = slots;
    s->selected = xcalloc((size_t)slots + 1, sizeof *s->selected);
    s->cur = 0;
    return s;
}

void session_destroy(Session *s)
{
    if (!s)
        return;
    free(s->offset);
    free(s->selected);
    free(s);
}

const Form *session_form(const Session *s)
{
    return s->form;
}

int session_lang(const Session *s)
{
    return s->lang;
}

int session_current(const Session *s)
{
    return s->cur;
}

/* Whether question q is shown. Every question is, until relevance arrives
 * with expressions; all navigation goes through here so that is one change. */
static bool session_is_shown(const Session *s, int q)
{
    (void)s;
    (void)q;
    return true;
}

void session_progress(const Session *s, int *pos, int *total)
{
    int p = 0, t = 0;
    for (int q = 0; q < form_question_count(s->form); q++) {
        if (!session_is_shown(s, q))
            continue;
        t++;
        if (q <= s->cur)
            p++;
    }
    if (pos)
        *pos = p;
    if (total)
        *total = t;
}

static int session_choice_count(const Session *s, int question)
{
    const FormQuestion *q = form_question(s->form, question);
    return (q && q->list) ? q->list->n_choices : 0;
}

bool session_is_answered(const Session *s, int question)
{
    int n = session_choice_count(s, question);
    for (int c = 0; c < n; c++)
        if (s->selected[s->offset[question] + c])
            return true;
    return false;
}

bool session_is_selected(const Session *s, int question, int choice)
{
    if (choice < 0 || choice >= session_choice_count(s, question))
        return false;
    return s->selected[s->offset[question] + choice];
}

KsStatus session_tap_choice(Session *s, int choice)
{
    const FormQuestion *q = form_question(s->form, s->cur);
    int n = session_choice_count(s, s->cur);
    if (!q || choice < 0 || choice >= n)
        return KS_ERR_INVALID;
    bool *sel = &s->selected[s->offset[s->cur]];
    if (q->type == FORM_Q_SELECT_MULTIPLE) {
        sel[choice] = !sel[choice];
    } else {
        memset(sel, 0, (size_t)n * sizeof *sel);
        sel[choice] = true;
    }
    return KS_OK;
}

void session_answer_value(const Session *s, int question, char *buf, int size)
{
    if (!buf || size <= 0)
        return;
    buf[0] = '\0';
    const FormQuestion *q = form_question(s->form, question);
    int n = session_choice_count(s, question);
    size_t used = 0, cap = (size_t)size;
    for (int c = 0; c < n; c++) {
        if (!s->selected[s->offset[question] + c])
            continue;
        const char *name = q->list->choices[c].name;
        size_t len = strlen(name) + (used ? 1 : 0);
        if (used + len >= cap) {
            LOG_WARN("answer to %s does not fit in %d bytes", q->name, size);
            return;
        }
        if (used)
            buf[used++] = ' ';
        memcpy(buf + used, name, strlen(name) + 1);
        used += strlen(name);
    }
}

SessionMove session_next(Session *s)
{
    int nq = form_question_count(s->form);
    const FormQuestion *q = form_question(s->form, s->cur);
    if (q && q->required && q->type != FORM_Q_NOTE && !session_is_answered(s, s->cur))
        return SESSION_NEED_ANSWER;
    for (int i = s->cur + 1; i < nq; i++) {
        if (session_is_shown(s, i)) {
            s->cur = i;
            return SESSION_MOVED;
        }
    }
    return SESSION_FINISHED;
}

SessionMove session_back(Session *s)
{
    for (int i = s->cur - 1; i >= 0; i--) {
        if (session_is_shown(s, i)) {
            s->cur = i;
            return SESSION_MOVED;
        }
    }
    return SESSION_AT_START;
}
