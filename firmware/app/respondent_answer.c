/* respondent_answer: how touches on a question page become answers — choices,
 * numbered tiles, keys typed into an entry field, drawing strokes and
 * tools, slider drags. It changes the session (never storage: answers are
 * committed by respondent.c when the page is left). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../core/log.h"
#include "../core/str.h"
#include "keys.h"
#include "respondent_private.h"
#include "uitext.h"

/* The question on the current page with a choice of this name, and the
 * choice's index. */
static int page_choice(Respondent *r, const char *name, int *choice)
{
    int qs[SESSION_PAGE_MAX];
    int n = session_page(r->session, qs, SESSION_PAGE_MAX);
    for (int i = 0; i < n; i++) {
        const FormQuestion *fq = form_question(r->form, qs[i]);
        for (int c = 0; fq->list && c < fq->list->n_choices; c++) {
            if (strcmp(fq->list->choices[c].name, name) == 0 &&
                session_choice_visible(r->session, qs[i], c)) {
                *choice = c;
                return qs[i];
            }
        }
    }
    return -1;
}

RespondentStep respondent_answer_choice(Respondent *r, const char *target)
{
    /* "choice:<name>" on a one-question page, "choice:<question>/<name>" on a
     * field-list page where lists may share choice names. */
    char qname[KS_TARGET_ID_MAX];
    const char *name = target;
    const char *slash = strchr(target, '/');
    int q = -1, c = -1;
    if (slash) {
        str_copy(qname, sizeof qname, target);
        qname[slash - target] = '\0';
        name = slash + 1;
        q = form_question_index(r->form, qname);
        const FormQuestion *fq = form_question(r->form, q);
        for (int i = 0; fq && fq->list && i < fq->list->n_choices; i++)
            if (strcmp(fq->list->choices[i].name, name) == 0)
                c = i;
    } else {
        q = page_choice(r, name, &c);
    }
    if (q < 0 || c < 0 || session_tap_choice(r->session, q, c) != KS_OK) {
        LOG_WARN("tap on unknown choice %s", target);
        return RESPONDENT_STAYED;
    }
    r->show_problem = false;
    const FormQuestion *fq = form_question(r->form, q);
    int qs[SESSION_PAGE_MAX];
    if ((fq->appearance & FORM_APP_QUICK) && fq->type == FORM_Q_SELECT_ONE &&
        session_page(r->session, qs, SESSION_PAGE_MAX) == 1)
        return respondent_next(r);
    return RESPONDENT_STAYED;
}

/* A numbered tile of a short range ("value:<n>") or the OK of acknowledge. */
void respondent_answer_value(Respondent *r, const char *v, FormQType type)
{
    int qs[SESSION_PAGE_MAX];
    int n = session_page(r->session, qs, SESSION_PAGE_MAX);
    for (int i = 0; i < n; i++) {
        const FormQuestion *fq = form_question(r->form, qs[i]);
        if (fq->type != type || respondent_typed_question(fq))
            continue;
        const char *want = type == FORM_Q_ACKNOWLEDGE ? "OK" : v;
        const char *now = session_value(r->session, qs[i]);
        /* Tapping the acknowledged OK again takes it back. */
        if (type == FORM_Q_ACKNOWLEDGE && strcmp(now, "OK") == 0)
            want = "";
        if (session_set_value(r->session, qs[i], want) == KS_OK) {
            r->show_problem = false;
            return;
        }
    }
}

void respondent_answer_key(Respondent *r, const char *key)
{
    if (r->focus_q < 0 || keys_switch(&r->keys, key))
        return;
    const FormQuestion *fq = form_question(r->form, r->focus_q);
    char next[KS_VIEW_TEXT_MAX];
    str_copy(next, sizeof next, r->edit);
    if (!keys_type(&r->keys, key, next, sizeof next, fq->type == FORM_Q_TEXT ? fq->max_length : -1))
        return;
    str_copy(r->edit, sizeof r->edit, next);
    /* A number is half typed ("-", "3.") until it parses: the answer is then
     * empty and next explains. */
    if (session_set_value(r->session, r->focus_q, next) != KS_OK)
        session_set_value(r->session, r->focus_q, "");
    r->show_problem = false;
}

void respondent_answer_field(Respondent *r, const char *name)
{
    int q = form_question_index(r->form, name);
    if (q < 0 || !session_is_shown(r->session, q) ||
        !respondent_typed_question(form_question(r->form, q)))
        return;
    r->focus_q = q;
    str_copy(r->edit, sizeof r->edit, session_value(r->session, q));
}

/* The first question of this type on the current page, or -1. */
static int page_question(Respondent *r, FormQType type)
{
    int qs[SESSION_PAGE_MAX];
    int n = session_page(r->session, qs, SESSION_PAGE_MAX);
    for (int i = 0; i < n; i++)
        if (form_question(r->form, qs[i])->type == type)
            return qs[i];
    return -1;
}

/* The answer follows the strokes: a file name while there are any. */
static void drawing_changed(Respondent *r, int q)
{
    const FormQuestion *fq = form_question(r->form, q);
    char value[KS_TARGET_ID_MAX + 8];
    snprintf(value, sizeof value, "%s.png", fq->name);
    session_set_value(r->session, q, drawing_stroke_count(r->drawings[q]) > 0 ? value : "");
    r->show_problem = false;
}

void respondent_answer_tool(Respondent *r, const char *id)
{
    int q = page_question(r, FORM_Q_DRAW);
    if (q < 0)
        return;
    Drawing *d = respondent_drawing(r, q);
    if (strncmp(id, "pen:", 4) == 0) {
        for (int i = 0; i < KS_PEN_COUNT; i++)
            if (strcmp(id + 4, ks_pen_names[i]) == 0)
                r->pen = i;
        return;
    }
    if (strcmp(id, "undo") == 0)
        drawing_undo(d);
    else if (strcmp(id, "clear") == 0)
        drawing_clear(d);
    drawing_changed(r, q);
}

/* The range question a slider target belongs to: "slider" on a page with
 * one, "slider:<question>" on a field-list page. */
static int slider_question(Respondent *r, const char *target)
{
    if (target[6] == ':')
        return form_question_index(r->form, target + 7);
    return page_question(r, FORM_Q_RANGE);
}

void respondent_answer_drag(Respondent *r, const KsEvent *ev)
{
    float x = ev->x < 0 ? 0 : (ev->x > 1 ? 1 : ev->x);
    if (strcmp(ev->target, "canvas") == 0) {
        int q = page_question(r, FORM_Q_DRAW);
        if (q < 0)
            return;
        Drawing *d = respondent_drawing(r, q);
        /* A finger that leaves the canvas lifts the pen; coming back in
         * starts a new stroke, so no line runs along the edge. */
        bool inside = ev->x >= 0 && ev->x <= 1 && ev->y >= 0 && ev->y <= 1;
        if (ev->phase == KS_DRAG_BEGIN || (inside && r->pen_out))
            drawing_begin(d, r->pen, x, ev->y);
        else if (inside)
            drawing_move(d, x, ev->y);
        r->pen_out = !inside;
        drawing_changed(r, q);
    } else if (strncmp(ev->target, "slider", 6) == 0) {
        int q = slider_question(r, ev->target);
        const FormQuestion *fq = form_question(r->form, q);
        if (!fq || fq->type != FORM_Q_RANGE || !session_is_shown(r->session, q))
            return;
        /* The track runs from start at the reading side's beginning. */
        if (uitext_is_rtl(r->lang_code))
            x = 1 - x;
        double steps = round((fq->range_end - fq->range_start) / fq->range_step);
        double v = fq->range_start + round(x * steps) * fq->range_step;
        char num[32];
        snprintf(num, sizeof num, "%.10g", v);
        if (session_set_value(r->session, q, num) == KS_OK)
            r->show_problem = false;
    }
}
