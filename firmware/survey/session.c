/* session: one respondent's walk through a form: the answers (one string per
 * question, as they will be stored), the relevance and calculations derived
 * from them, and the moves between pages. Pure logic over a borrowed Form;
 * no I/O and no storage. */
#include "session.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/log.h"
#include "../core/mem.h"
#include "../core/str.h"

#define SESSION_VALUE_MAX 4096 /* bytes of one answer */

struct Session {
    const Form *form;
    int lang;
    int cur;         /* first question of the current page */
    char **value;    /* per question: the answer, or NULL */
    bool *relevant;  /* per question */
    bool *group_rel; /* per group */
    int problem;     /* question that stopped the last next, or -1 */
    const char *problem_msg;
    char today[11];
    const FormList *filter_list; /* while evaluating a choice_filter */
    int filter_choice;
};

/* ---- expression environment ---- */

static const char *session_env_answer(void *ctx, const char *name)
{
    const Session *s = ctx;
    int q = form_question_index(s->form, name);
    return q >= 0 ? session_value(s, q) : "";
}

static const char *session_env_column(void *ctx, const char *name)
{
    const Session *s = ctx;
    const FormList *l = s->filter_list;
    if (!l || s->filter_choice < 0)
        return "";
    const FormChoice *c = &l->choices[s->filter_choice];
    if (strcmp(name, "name") == 0)
        return c->name;
    for (int i = 0; i < l->n_extra_cols; i++)
        if (strcmp(l->extra_cols[i], name) == 0)
            return c->extra[i];
    return "";
}

static ExprEnv session_env(const Session *s, const char *current)
{
    return (ExprEnv){
        .ctx = (void *)s,
        .answer = session_env_answer,
        .current = current ? current : "",
        .column = session_env_column,
        .today = s->today,
    };
}

/* ---- answers ---- */

static void session_store(Session *s, int q, const char *v)
{
    free(s->value[q]);
    s->value[q] = (v && v[0]) ? xstrdup(v) : NULL;
}

const char *session_value(const Session *s, int q)
{
    if (q < 0 || q >= form_question_count(s->form) || !s->value[q])
        return "";
    return s->value[q];
}

void session_answer_value(const Session *s, int q, char *buf, int size)
{
    if (!buf || size <= 0)
        return;
    if (!str_copy(buf, (size_t)size, session_value(s, q)))
        LOG_WARN("the answer to question %d does not fit in %d bytes", q, size);
}

/* Whether `name` is one of the space-separated words of v. */
static bool session_has_word(const char *v, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = v; p && *p;) {
        while (*p == ' ')
            p++;
        const char *end = strchr(p, ' ');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && len && strncmp(p, name, n) == 0)
            return true;
        p = end;
    }
    return false;
}

static int session_choice_count(const Session *s, int q)
{
    const FormQuestion *fq = form_question(s->form, q);
    return (fq && fq->list) ? fq->list->n_choices : 0;
}

bool session_is_selected(const Session *s, int q, int choice)
{
    if (choice < 0 || choice >= session_choice_count(s, q))
        return false;
    return session_has_word(session_value(s, q),
                            form_question(s->form, q)->list->choices[choice].name);
}

int session_rank_of(const Session *s, int q, int choice)
{
    const FormQuestion *fq = form_question(s->form, q);
    if (!fq || fq->type != FORM_Q_RANK || choice < 0 || choice >= fq->list->n_choices)
        return 0;
    const char *name = fq->list->choices[choice].name;
    size_t n = strlen(name);
    int place = 0;
    for (const char *p = session_value(s, q); *p;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        place++;
        const char *end = strchr(p, ' ');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && strncmp(p, name, n) == 0)
            return place;
        if (!end)
            break;
        p = end;
    }
    return 0;
}

bool session_is_answered(const Session *s, int q)
{
    return session_value(s, q)[0] != '\0';
}

bool session_choice_visible(const Session *s, int q, int choice)
{
    const FormQuestion *fq = form_question(s->form, q);
    if (!fq || !fq->list || choice < 0 || choice >= fq->list->n_choices)
        return false;
    if (!fq->choice_filter)
        return true;
    Session *m = (Session *)s; /* the filter context is scratch state only */
    m->filter_list = fq->list;
    m->filter_choice = choice;
    ExprEnv env = session_env(s, NULL);
    bool ok = expr_eval_bool(fq->choice_filter, &env);
    m->filter_list = NULL;
    m->filter_choice = -1;
    return ok;
}

/* ---- derived state ---- */

static bool session_group_relevant(const Session *s, int g)
{
    return g < 0 || s->group_rel[g];
}

/* Keeps only the selected choices that the filter still shows. */
static void session_drop_filtered(Session *s, int q)
{
    const FormQuestion *fq = form_question(s->form, q);
    if (!fq->choice_filter || !s->value[q])
        return;
    char buf[SESSION_VALUE_MAX];
    size_t used = 0;
    buf[0] = '\0';
    for (int c = 0; c < fq->list->n_choices; c++) {
        if (!session_is_selected(s, q, c) || !session_choice_visible(s, q, c))
            continue;
        const char *name = fq->list->choices[c].name;
        if (used + strlen(name) + 2 >= sizeof buf)
            break;
        used += (size_t)snprintf(buf + used, sizeof buf - used, "%s%s", used ? " " : "", name);
    }
    if (strcmp(buf, s->value[q]) != 0)
        session_store(s, q, buf);
}

/* The relevance of a group or a question into *rel: that of its enclosing
 * group and its own expression's (NULL: always). True when *rel changed. */
static bool session_update_relevance(Session *s, int group, const Expr *relevant, bool *rel)
{
    ExprEnv env = session_env(s, NULL);
    bool now = session_group_relevant(s, group) && (!relevant || expr_eval_bool(relevant, &env));
    bool changed = now != *rel;
    *rel = now;
    return changed;
}

/* Recomputes relevance and calculations in form order. Later questions may
 * feed earlier ones, so it runs until nothing changes (bounded). */
static void session_refresh(Session *s)
{
    const Form *f = s->form;
    int nq = form_question_count(f), ng = form_group_count(f);
    for (int pass = 0; pass < 4; pass++) {
        bool changed = false;
        for (int g = 0; g < ng; g++) {
            const FormGroup *fg = form_group(f, g);
            changed =
                session_update_relevance(s, fg->parent, fg->relevant, &s->group_rel[g]) || changed;
        }
        for (int q = 0; q < nq; q++) {
            const FormQuestion *fq = form_question(f, q);
            changed =
                session_update_relevance(s, fq->group, fq->relevant, &s->relevant[q]) || changed;
            ExprEnv env = session_env(s, NULL);
            if (!s->relevant[q]) {
                changed = changed || s->value[q];
                session_store(s, q, NULL);
                continue;
            }
            if (fq->type == FORM_Q_CALCULATE) {
                char buf[SESSION_VALUE_MAX];
                expr_eval_string(fq->calculation, &env, buf, sizeof buf);
                if (strcmp(buf, session_value(s, q)) != 0) {
                    session_store(s, q, buf);
                    changed = true;
                }
            }
            session_drop_filtered(s, q);
        }
        if (!changed)
            break;
    }
}

bool session_is_relevant(const Session *s, int q)
{
    return q >= 0 && q < form_question_count(s->form) && s->relevant[q];
}

bool session_is_shown(const Session *s, int q)
{
    return session_is_relevant(s, q) && form_question(s->form, q)->type != FORM_Q_CALCULATE;
}

/* ---- pages ---- */

/* The outermost field-list group around q, or -1: all of its questions share
 * one page. */
static int session_page_group(const Session *s, int q)
{
    int found = -1;
    for (int g = form_question(s->form, q)->group; g >= 0; g = form_group(s->form, g)->parent)
        if (form_group(s->form, g)->field_list)
            found = g;
    return found;
}

/* First and last question index of the page holding q. */
static void session_page_span(const Session *s, int q, int *first, int *last)
{
    int nq = form_question_count(s->form), g = session_page_group(s, q);
    *first = *last = q;
    if (g < 0)
        return;
    while (*first > 0 && session_page_group(s, *first - 1) == g)
        (*first)--;
    while (*last + 1 < nq && session_page_group(s, *last + 1) == g)
        (*last)++;
}

static bool session_page_shown(const Session *s, int q, int *first_shown)
{
    int first, last;
    session_page_span(s, q, &first, &last);
    for (int i = first; i <= last; i++) {
        if (session_is_shown(s, i)) {
            if (first_shown)
                *first_shown = i;
            return true;
        }
    }
    return false;
}

int session_current(const Session *s)
{
    return s->cur;
}

int session_page(const Session *s, int *qs, int max)
{
    int first, last, n = 0;
    session_page_span(s, s->cur, &first, &last);
    for (int i = first; i <= last && n < max; i++)
        if (session_is_shown(s, i))
            qs[n++] = i;
    return n;
}

void session_progress(const Session *s, int *pos, int *total)
{
    int p = 0, t = 0, nq = form_question_count(s->form);
    int cur_first, cur_last;
    session_page_span(s, s->cur, &cur_first, &cur_last);
    for (int q = 0; q < nq;) {
        int first, last;
        session_page_span(s, q, &first, &last);
        if (session_page_shown(s, q, NULL)) {
            t++;
            if (first <= cur_first)
                p++;
        }
        q = last + 1;
    }
    if (pos)
        *pos = p;
    if (total)
        *total = t;
}

/* ---- changing answers ---- */

KsStatus session_tap_choice(Session *s, int q, int choice)
{
    const FormQuestion *fq = form_question(s->form, q);
    if (!fq || !fq->list || choice < 0 || choice >= fq->list->n_choices ||
        !session_choice_visible(s, q, choice))
        return KS_ERR_INVALID;
    const char *name = fq->list->choices[choice].name;
    char buf[SESSION_VALUE_MAX];
    buf[0] = '\0';
    size_t used = 0;
    if (fq->type == FORM_Q_SELECT_ONE) {
        str_copy(buf, sizeof buf, name);
    } else if (fq->type == FORM_Q_SELECT_MULTIPLE) {
        bool was = session_is_selected(s, q, choice);
        for (int c = 0; c < fq->list->n_choices; c++) {
            bool on = c == choice ? !was : session_is_selected(s, q, c);
            const char *n = fq->list->choices[c].name;
            if (on && used + strlen(n) + 2 < sizeof buf)
                used += (size_t)snprintf(buf + used, sizeof buf - used, "%s%s", used ? " " : "", n);
        }
    } else if (fq->type == FORM_Q_RANK) {
        int place = session_rank_of(s, q, choice);
        int placed = 0;
        for (int c = 0; c < fq->list->n_choices; c++)
            placed += session_rank_of(s, q, c) > 0;
        /* Keep the order: copy the places before the tapped one (or all). */
        for (int p = 1; p <= placed; p++) {
            if (place && p >= place)
                break;
            for (int c = 0; c < fq->list->n_choices; c++) {
                if (session_rank_of(s, q, c) != p)
                    continue;
                const char *n = fq->list->choices[c].name;
                used += (size_t)snprintf(buf + used, sizeof buf - used, "%s%s", used ? " " : "", n);
            }
        }
        if (!place && used + strlen(name) + 2 < sizeof buf)
            snprintf(buf + used, sizeof buf - used, "%s%s", used ? " " : "", name);
    } else {
        return KS_ERR_INVALID;
    }
    session_store(s, q, buf);
    session_refresh(s);
    return KS_OK;
}

static bool session_parse_number(const char *v, bool integer, double *out)
{
    char *end = NULL;
    double d = strtod(v, &end);
    if (!end || end == v || *end != '\0' || !isfinite(d))
        return false;
    if (integer && (strspn(v + (v[0] == '-'), "0123456789") != strlen(v + (v[0] == '-'))))
        return false;
    if (!integer && strpbrk(v, "eEnNxX"))
        return false; /* no exponents, hex, inf or nan from a number pad */
    *out = d;
    return true;
}

KsStatus session_set_value(Session *s, int q, const char *v)
{
    const FormQuestion *fq = form_question(s->form, q);
    if (!fq || !v)
        return KS_ERR_INVALID;
    if (!v[0]) {
        session_store(s, q, NULL);
        session_refresh(s);
        return KS_OK;
    }
    double d = 0;
    switch (fq->type) {
    case FORM_Q_INTEGER:
        if (!session_parse_number(v, true, &d) || strlen(v) > 10)
            return KS_ERR_INVALID;
        break;
    case FORM_Q_DECIMAL:
        if (!session_parse_number(v, false, &d) || strlen(v) > 20)
            return KS_ERR_INVALID;
        break;
    case FORM_Q_RANGE: {
        if (!session_parse_number(v, false, &d))
            return KS_ERR_INVALID;
        double lo = fmin(fq->range_start, fq->range_end), hi = fmax(fq->range_start, fq->range_end);
        double steps = (d - fq->range_start) / fq->range_step;
        if (d < lo || d > hi || fabs(steps - round(steps)) > 1e-9)
            return KS_ERR_INVALID;
        break;
    }
    case FORM_Q_TEXT:
        if ((int)str_utf8_len(v) > fq->max_length || strlen(v) >= SESSION_VALUE_MAX)
            return KS_ERR_INVALID;
        break;
    case FORM_Q_ACKNOWLEDGE:
        if (strcmp(v, "OK") != 0)
            return KS_ERR_INVALID;
        break;
    case FORM_Q_DRAW:
        if (strlen(v) >= SESSION_VALUE_MAX)
            return KS_ERR_INVALID;
        break;
    default:
        return KS_ERR_INVALID;
    }
    session_store(s, q, v);
    session_refresh(s);
    return KS_OK;
}

/* A default is the answer a question starts with; one that does not fit the
 * question (an unknown choice, a word in a number) is left out. */
static void session_apply_default(Session *s, int q)
{
    const FormQuestion *fq = form_question(s->form, q);
    if (!fq->default_value)
        return;
    if (fq->list) {
        char buf[SESSION_VALUE_MAX];
        size_t used = 0;
        buf[0] = '\0';
        for (int c = 0; c < fq->list->n_choices; c++) {
            const char *n = fq->list->choices[c].name;
            if (!session_has_word(fq->default_value, n) || used + strlen(n) + 2 >= sizeof buf)
                continue;
            if (fq->type == FORM_Q_SELECT_ONE && used)
                break;
            used += (size_t)snprintf(buf + used, sizeof buf - used, "%s%s", used ? " " : "", n);
        }
        session_store(s, q, buf);
    } else if (fq->type != FORM_Q_NOTE && fq->type != FORM_Q_CALCULATE &&
               session_set_value(s, q, fq->default_value) != KS_OK) {
        LOG_WARN("default \"%s\" of %s does not fit the question", fq->default_value, fq->name);
    }
}

/* ---- moving ---- */

static bool session_check_question(Session *s, int q)
{
    const FormQuestion *fq = form_question(s->form, q);
    bool needs = fq->type != FORM_Q_NOTE && fq->type != FORM_Q_CALCULATE;
    if (needs && fq->required && !session_is_answered(s, q)) {
        s->problem = q;
        const char *m = form_text(s->form, &fq->required_msg, s->lang);
        s->problem_msg = m[0] ? m : NULL;
        return false;
    }
    if (fq->constraint && session_is_answered(s, q)) {
        ExprEnv env = session_env(s, session_value(s, q));
        if (!expr_eval_bool(fq->constraint, &env)) {
            s->problem = q;
            const char *m = form_text(s->form, &fq->constraint_msg, s->lang);
            s->problem_msg = m[0] ? m : NULL;
            return false;
        }
    }
    return true;
}

SessionMove session_next(Session *s)
{
    int qs[SESSION_PAGE_MAX];
    int n = session_page(s, qs, SESSION_PAGE_MAX);
    s->problem = -1;
    s->problem_msg = NULL;
    for (int i = 0; i < n; i++) {
        if (!session_check_question(s, qs[i])) {
            const FormQuestion *fq = form_question(s->form, qs[i]);
            bool required = fq->required && !session_is_answered(s, qs[i]);
            return required ? SESSION_NEED_ANSWER : SESSION_CONSTRAINT;
        }
    }
    int first, last, nq = form_question_count(s->form);
    session_page_span(s, s->cur, &first, &last);
    for (int q = last + 1; q < nq;) {
        int pf, pl, shown;
        session_page_span(s, q, &pf, &pl);
        if (session_page_shown(s, q, &shown)) {
            s->cur = shown;
            return SESSION_MOVED;
        }
        q = pl + 1;
    }
    return SESSION_FINISHED;
}

SessionMove session_back(Session *s)
{
    int first, last;
    s->problem = -1;
    s->problem_msg = NULL;
    session_page_span(s, s->cur, &first, &last);
    for (int q = first - 1; q >= 0;) {
        int pf, pl, shown;
        session_page_span(s, q, &pf, &pl);
        if (session_page_shown(s, q, &shown)) {
            s->cur = shown;
            return SESSION_MOVED;
        }
        q = pf - 1;
    }
    return SESSION_AT_START;
}

int session_problem(const Session *s, const char **message)
{
    if (message)
        *message = s->problem_msg;
    return s->problem;
}

/* ---- life cycle ---- */

Session *session_create(const Form *form, int lang, const char *today)
{
    Session *s = xcalloc(1, sizeof *s);
    int nq = form_question_count(form), ng = form_group_count(form);
    s->form = form;
    s->lang = (lang >= 0 && lang < form_lang_count(form)) ? lang : form_default_lang(form);
    s->value = xcalloc((size_t)nq + 1, sizeof *s->value);
    s->relevant = xcalloc((size_t)nq + 1, sizeof *s->relevant);
    s->group_rel = xcalloc((size_t)ng + 1, sizeof *s->group_rel);
    s->problem = -1;
    s->filter_choice = -1;
    str_copy(s->today, sizeof s->today, today && strlen(today) == 10 ? today : "1970-01-01");
    session_refresh(s);
    for (int q = 0; q < nq; q++)
        if (s->relevant[q])
            session_apply_default(s, q);
    session_refresh(s);
    s->cur = 0;
    int shown;
    if (nq > 0 && !session_page_shown(s, 0, &shown)) {
        if (session_next(s) != SESSION_MOVED)
            s->cur = 0;
    } else if (nq > 0) {
        s->cur = shown;
    }
    return s;
}

Session *session_copy(const Session *s)
{
    Session *c = xmalloc(sizeof *c);
    *c = *s;
    int nq = form_question_count(s->form), ng = form_group_count(s->form);
    c->value = xcalloc((size_t)nq + 1, sizeof *c->value);
    for (int q = 0; q < nq; q++)
        c->value[q] = s->value[q] ? xstrdup(s->value[q]) : NULL;
    c->relevant = xmalloc(((size_t)nq + 1) * sizeof *c->relevant);
    memcpy(c->relevant, s->relevant, ((size_t)nq + 1) * sizeof *c->relevant);
    c->group_rel = xmalloc(((size_t)ng + 1) * sizeof *c->group_rel);
    memcpy(c->group_rel, s->group_rel, ((size_t)ng + 1) * sizeof *c->group_rel);
    return c;
}

void session_destroy(Session *s)
{
    if (!s)
        return;
    for (int q = 0; q < form_question_count(s->form); q++)
        free(s->value[q]);
    free(s->value);
    free(s->relevant);
    free(s->group_rel);
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
