/* kiosk_answer: how touches on a question page become answers — choices,
 * numbered tiles, keys typed into an entry field, drawing strokes and
 * tools, slider drags. It changes the session (never storage: answers are
 * committed by kiosk.c when the respondent moves on). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../core/log.h"
#include "../core/str.h"
#include "keys.h"
#include "kiosk_private.h"

/* The question on the current page with a choice of this name, and the
 * choice's index. */
static int page_choice(Kiosk *k, const char *name, int *choice)
{
    int qs[SESSION_PAGE_MAX];
    int n = session_page(k->session, qs, SESSION_PAGE_MAX);
    for (int i = 0; i < n; i++) {
        const FormQuestion *fq = form_question(k->form, qs[i]);
        for (int c = 0; fq->list && c < fq->list->n_choices; c++) {
            if (strcmp(fq->list->choices[c].name, name) == 0 &&
                session_choice_visible(k->session, qs[i], c)) {
                *choice = c;
                return qs[i];
            }
        }
    }
    return -1;
}

void kiosk_answer_choice(Kiosk *k, const char *target)
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
        q = form_question_index(k->form, qname);
        const FormQuestion *fq = form_question(k->form, q);
        for (int i = 0; fq && fq->list && i < fq->list->n_choices; i++)
            if (strcmp(fq->list->choices[i].name, name) == 0)
                c = i;
    } else {
        q = page_choice(k, name, &c);
    }
    if (q < 0 || c < 0 || session_tap_choice(k->session, q, c) != KS_OK) {
        LOG_WARN("tap on unknown choice %s", target);
        return;
    }
    k->show_problem = false;
    const FormQuestion *fq = form_question(k->form, q);
    int qs[SESSION_PAGE_MAX];
    if ((fq->appearance & FORM_APP_QUICK) && fq->type == FORM_Q_SELECT_ONE &&
        session_page(k->session, qs, SESSION_PAGE_MAX) == 1)
        kiosk_next_page(k);
}

/* A numbered tile of a short range ("value:<n>") or the OK of acknowledge. */
void kiosk_answer_value(Kiosk *k, const char *v, FormQType type)
{
    int qs[SESSION_PAGE_MAX];
    int n = session_page(k->session, qs, SESSION_PAGE_MAX);
    for (int i = 0; i < n; i++) {
        const FormQuestion *fq = form_question(k->form, qs[i]);
        if (fq->type != type || kiosk_typed_question(fq))
            continue;
        const char *want = type == FORM_Q_ACKNOWLEDGE ? "OK" : v;
        const char *now = session_value(k->session, qs[i]);
        /* Tapping the acknowledged OK again takes it back. */
        if (type == FORM_Q_ACKNOWLEDGE && strcmp(now, "OK") == 0)
            want = "";
        if (session_set_value(k->session, qs[i], want) == KS_OK) {
            k->show_problem = false;
            return;
        }
    }
}

void kiosk_answer_key(Kiosk *k, const char *key)
{
    if (k->focus_q < 0 || keys_switch(&k->keys, key))
        return;
    const FormQuestion *fq = form_question(k->form, k->focus_q);
    char next[KS_VIEW_TEXT_MAX];
    str_copy(next, sizeof next, k->edit);
    if (!keys_type(&k->keys, key, next, sizeof next, fq->type == FORM_Q_TEXT ? fq->max_length : -1))
        return;
    str_copy(k->edit, sizeof k->edit, next);
    /* A number is half typed ("-", "3.") until it parses: the answer is then
     * empty and next explains. */
    if (session_set_value(k->session, k->focus_q, next) != KS_OK)
        session_set_value(k->session, k->focus_q, "");
    k->show_problem = false;
}

void kiosk_answer_field(Kiosk *k, const char *name)
{
    int q = form_question_index(k->form, name);
    if (q < 0 || !session_is_shown(k->session, q) ||
        !kiosk_typed_question(form_question(k->form, q)))
        return;
    k->focus_q = q;
    str_copy(k->edit, sizeof k->edit, session_value(k->session, q));
}

/* The drawing question on the current page (the first, when a page has
 * several), or -1. */
static int page_drawing(Kiosk *k)
{
    int qs[SESSION_PAGE_MAX];
    int n = session_page(k->session, qs, SESSION_PAGE_MAX);
    for (int i = 0; i < n; i++)
        if (form_question(k->form, qs[i])->type == FORM_Q_DRAW)
            return qs[i];
    return -1;
}

/* The answer follows the strokes: a file name while there are any. */
static void drawing_changed(Kiosk *k, int q)
{
    const FormQuestion *fq = form_question(k->form, q);
    char value[KS_TARGET_ID_MAX + 8];
    snprintf(value, sizeof value, "%s.png", fq->name);
    session_set_value(k->session, q, drawing_stroke_count(k->drawings[q]) > 0 ? value : "");
    k->show_problem = false;
}

void kiosk_answer_tool(Kiosk *k, const char *id)
{
    int q = page_drawing(k);
    if (q < 0)
        return;
    Drawing *d = kiosk_drawing(k, q);
    if (strncmp(id, "pen:", 4) == 0) {
        for (int i = 0; i < KS_PEN_COUNT; i++)
            if (strcmp(id + 4, ks_pen_names[i]) == 0)
                k->pen = i;
        return;
    }
    if (strcmp(id, "undo") == 0)
        drawing_undo(d);
    else if (strcmp(id, "clear") == 0)
        drawing_clear(d);
    drawing_changed(k, q);
}

/* The range question a slider target belongs to: "slider" on a page with
 * one, "slider:<question>" on a field-list page. */
static int slider_question(Kiosk *k, const char *target)
{
    if (target[6] == ':')
        return form_question_index(k->form, target + 7);
    int qs[SESSION_PAGE_MAX];
    int n = session_page(k->session, qs, SESSION_PAGE_MAX);
    for (int i = 0; i < n; i++)
        if (form_question(k->form, qs[i])->type == FORM_Q_RANGE)
            return qs[i];
    return -1;
}

void kiosk_answer_drag(Kiosk *k, const KsEvent *ev)
{
    if (k->screen != KS_SCREEN_QUESTION || !k->session)
        return;
    float x = ev->x < 0 ? 0 : (ev->x > 1 ? 1 : ev->x);
    if (strcmp(ev->target, "canvas") == 0) {
        int q = page_drawing(k);
        if (q < 0)
            return;
        Drawing *d = kiosk_drawing(k, q);
        /* A finger that leaves the canvas lifts the pen; coming back in
         * starts a new stroke, so no line runs along the edge. */
        bool inside = ev->x >= 0 && ev->x <= 1 && ev->y >= 0 && ev->y <= 1;
        if (ev->phase == KS_DRAG_BEGIN || (inside && k->pen_out))
            drawing_begin(d, k->pen, x, ev->y);
        else if (inside)
            drawing_move(d, x, ev->y);
        k->pen_out = !inside;
        drawing_changed(k, q);
    } else if (strncmp(ev->target, "slider", 6) == 0) {
        int q = slider_question(k, ev->target);
        const FormQuestion *fq = form_question(k->form, q);
        if (!fq || fq->type != FORM_Q_RANGE || !session_is_shown(k->session, q))
            return;
        /* The track runs from start at the reading side's beginning. */
        if (uitext_is_rtl(k->lang_code))
            x = 1 - x;
        double steps = round((fq->range_end - fq->range_start) / fq->range_step);
        double v = fq->range_start + round(x * steps) * fq->range_step;
        char num[32];
        snprintf(num, sizeof num, "%.10g", v);
        if (session_set_value(k->session, q, num) == KS_OK)
            k->show_problem = false;
    }
}
