/* respondent_view: the question page of the open session as a KsView —
 * each question on the page as an item with its widget, its targets (the
 * visible choices, numbered tiles, entry field, slider, canvas and pens),
 * the refusal to move on explained, the keys, and back, next, quit and the
 * speaker — and what the speaker reads on it. It changes nothing but the
 * view (a drawing is made on first show). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/log.h"
#include "../core/str.h"
#include "keys.h"
#include "respondent_private.h"
#include "uitext.h"
#include "view_build.h"

static KsWidget widget_for(const Form *f, const FormQuestion *q, int lang)
{
    switch (q->type) {
    case FORM_Q_NOTE:
    case FORM_Q_CALCULATE:
        return KS_WIDGET_NONE;
    case FORM_Q_DRAW:
        return KS_WIDGET_CANVAS;
    case FORM_Q_INTEGER:
    case FORM_Q_DECIMAL:
        return KS_WIDGET_NUMPAD;
    case FORM_Q_TEXT:
        return KS_WIDGET_KEYBOARD;
    case FORM_Q_RANGE:
        /* A slider, as in ODK; numbered tiles when asked for and short. */
        return (q->appearance & (FORM_APP_PICKER | FORM_APP_LIKERT)) &&
                       (q->range_end - q->range_start) / q->range_step < 10.5
                   ? KS_WIDGET_SCALE
                   : KS_WIDGET_SLIDER;
    case FORM_Q_RANK:
        return KS_WIDGET_RANK;
    case FORM_Q_ACKNOWLEDGE:
        return KS_WIDGET_ACK;
    case FORM_Q_SELECT_ONE:
    case FORM_Q_SELECT_MULTIPLE:
        break;
    }
    if (q->appearance & FORM_APP_FACES)
        return KS_WIDGET_FACES;
    if (q->appearance & FORM_APP_YES_NO)
        return KS_WIDGET_YES_NO;
    if (q->type == FORM_Q_SELECT_MULTIPLE)
        return KS_WIDGET_CHECKS;
    if (q->appearance & (FORM_APP_COLUMNS | FORM_APP_NO_BUTTONS))
        return KS_WIDGET_TILES;
    for (int i = 0; i < q->list->n_choices; i++)
        if (form_text(f, &q->list->choices[i].image, lang)[0])
            return KS_WIDGET_TILES;
    return KS_WIDGET_LIST;
}

/* Targets of a select or rank question: the visible choices. */
static void add_choice_targets(Respondent *r, KsView *v, int item, int qi, bool qualify)
{
    const Form *f = r->form;
    const FormQuestion *q = form_question(f, qi);
    int lang = session_lang(r->session);
    int n = q->list->n_choices;
    for (int i = 0; i < n; i++) {
        if (!session_choice_visible(r->session, qi, i))
            continue;
        const FormChoice *c = &q->list->choices[i];
        char id[KS_TARGET_ID_MAX];
        const char *prefix = q->type == FORM_Q_RANK ? "rank" : "choice";
        if (qualify)
            snprintf(id, sizeof id, "%s:%s/%s", prefix, q->name, c->name);
        else
            snprintf(id, sizeof id, "%s:%s", prefix, c->name);
        KsViewTarget *t = view_add_target(v, id, form_text(f, &c->label, lang), KS_TARGET_OPTION);
        if (!t)
            return;
        const char *img = form_text(f, &c->image, lang);
        t->image = img[0] ? img : NULL;
        t->item = item;
        t->selected = session_is_selected(r->session, qi, i);
        t->rank = session_rank_of(r->session, qi, i);
        t->selected = t->selected || t->rank > 0;
        if (v->items[item].widget == KS_WIDGET_FACES)
            t->face = n == 1 ? 3 : 1 + (i * 4) / (n - 1);
    }
}

/* The numbered tiles of a short range. */
static void add_scale_targets(Respondent *r, KsView *v, int item, int qi)
{
    const FormQuestion *q = form_question(r->form, qi);
    int steps = (int)((q->range_end - q->range_start) / q->range_step + 0.5);
    for (int i = 0; i <= steps; i++) {
        double d = q->range_start + i * q->range_step;
        char num[32], id[KS_TARGET_ID_MAX];
        snprintf(num, sizeof num, "%g", d);
        snprintf(id, sizeof id, "value:%s", num);
        KsViewTarget *t = view_add_target(v, id, NULL, KS_TARGET_OPTION);
        if (!t)
            return;
        t->text = t->id + 6; /* the number, kept in the view with the id */
        t->item = item;
        t->selected = strcmp(session_value(r->session, qi), num) == 0;
    }
}

/* The target showing item's entry (a typed answer, a slider's value). */
static void add_entry(KsView *v, const char *id, int item, KsTargetRole role, bool selected)
{
    KsViewTarget *t = view_add_target(v, id, v->items[item].entry, role);
    if (t) {
        t->item = item;
        t->selected = selected;
    }
}

static void build_item(Respondent *r, KsView *v, int item, int qi, bool qualify)
{
    const Form *f = r->form;
    int lang = session_lang(r->session);
    const FormQuestion *q = form_question(f, qi);
    KsViewItem *it = &v->items[item];
    it->question = q->name;
    it->widget = widget_for(f, q, lang);
    str_copy(it->title, sizeof it->title, form_text(f, &q->label, lang));
    const char *msg = NULL;
    int problem = session_problem(r->session, &msg);
    if (r->show_problem && problem == qi) {
        it->problem = true;
        if (!msg)
            msg = uitext_get(r->lang_code, session_is_answered(r->session, qi) ? UIT_CHECK_ANSWER
                                                                               : UIT_PLEASE_ANSWER);
        str_copy(it->message, sizeof it->message, msg);
    } else {
        str_copy(it->message, sizeof it->message, form_text(f, &q->hint, lang));
    }
    switch (it->widget) {
    case KS_WIDGET_NUMPAD:
    case KS_WIDGET_KEYBOARD: {
        it->focused = qi == r->focus_q;
        str_copy(it->entry, sizeof it->entry,
                 it->focused ? r->edit : session_value(r->session, qi));
        char id[KS_TARGET_ID_MAX];
        snprintf(id, sizeof id, "field:%s", q->name);
        add_entry(v, id, item, KS_TARGET_FIELD, it->focused);
        break;
    }
    case KS_WIDGET_SCALE:
        add_scale_targets(r, v, item, qi);
        break;
    case KS_WIDGET_SLIDER: {
        it->range_start = q->range_start;
        it->range_end = q->range_end;
        it->range_step = q->range_step;
        const char *val = session_value(r->session, qi);
        it->has_value = val[0] != '\0';
        it->value = it->has_value ? strtod(val, NULL) : q->range_start;
        str_copy(it->entry, sizeof it->entry, val);
        char id[KS_TARGET_ID_MAX];
        if (qualify)
            snprintf(id, sizeof id, "slider:%s", q->name);
        else
            str_copy(id, sizeof id, "slider");
        add_entry(v, id, item, KS_TARGET_SLIDER, it->has_value);
        break;
    }
    case KS_WIDGET_CANVAS:
        view_add_canvas(v, item, respondent_drawing(r, qi), r->pen, r->lang_code);
        break;
    case KS_WIDGET_ACK: {
        KsViewTarget *t =
            view_add_target(v, "ack", uitext_get(r->lang_code, UIT_OK), KS_TARGET_OPTION);
        if (t) {
            t->item = item;
            t->selected = session_is_answered(r->session, qi);
            t->image = "check.svg";
        }
        break;
    }
    case KS_WIDGET_NONE:
        break;
    default:
        add_choice_targets(r, v, item, qi, qualify);
        break;
    }
}

void respondent_build_view(Respondent *r, KsView *v, bool with_speaker)
{
    if (!r->session)
        return;
    const Form *f = r->form;
    int lang = session_lang(r->session);
    int qs[SESSION_PAGE_MAX];
    int n = session_page(r->session, qs, SESSION_PAGE_MAX);
    if (n > KS_VIEW_MAX_ITEMS) {
        LOG_WARN("a page with %d questions shows the first %d", n, KS_VIEW_MAX_ITEMS);
        n = KS_VIEW_MAX_ITEMS;
    }
    v->form_id = form_id(f);
    session_progress(r->session, &v->progress_pos, &v->progress_total);
    uitext_format(v->progress_text, sizeof v->progress_text, r->lang_code, UIT_QUESTION_N_OF_M,
                  v->progress_pos, v->progress_total);
    v->n_items = n;
    bool required_open = false;
    int focus_widget = KS_WIDGET_NONE;
    for (int i = 0; i < n; i++) {
        build_item(r, v, i, qs[i], n > 1);
        const FormQuestion *q = form_question(f, qs[i]);
        required_open = required_open || (q->required && q->type != FORM_Q_NOTE &&
                                          !session_is_answered(r->session, qs[i]));
        if (v->items[i].focused)
            focus_widget = v->items[i].widget;
    }
    if (focus_widget == KS_WIDGET_KEYBOARD)
        view_add_keys(v, keys_shown(&r->keys), r->keys.code, r->keys.shift);
    else if (focus_widget == KS_WIDGET_NUMPAD)
        view_add_keys(v, keys_numpad(form_question(f, r->focus_q)->type != FORM_Q_INTEGER), "",
                      false);
    /* The page's heading: the question, or a field-list group's label. */
    v->question = n > 0 ? v->items[0].question : "";
    v->widget = n > 0 ? v->items[0].widget : KS_WIDGET_NONE;
    const FormQuestion *first = form_question(f, session_current(r->session));
    int g = first ? first->group : -1;
    const char *group_label = "";
    for (; n > 1 && g >= 0; g = form_group(f, g)->parent)
        if (form_group(f, g)->field_list)
            group_label = form_text(f, &form_group(f, g)->label, lang);
    if (n > 1 && group_label[0]) {
        str_copy(v->title, sizeof v->title, group_label);
    } else if (n > 0) {
        str_copy(v->title, sizeof v->title, v->items[0].title);
        str_copy(v->message, sizeof v->message, v->items[0].message);
    }
    KsViewTarget *back =
        v->progress_pos > 1
            ? view_add_target(v, "back", uitext_get(r->lang_code, UIT_BACK), KS_TARGET_BACK)
            : NULL;
    if (back)
        back->item = -1;
    bool last = v->progress_pos == v->progress_total;
    KsViewTarget *next = view_add_target(
        v, "next", uitext_get(r->lang_code, last ? UIT_DONE : UIT_NEXT), KS_TARGET_NEXT);
    if (next) {
        next->item = -1;
        if (required_open)
            next->enabled = false; /* drawn dimmed; a tap still explains why */
    }
    KsViewTarget *quit = view_add_target(v, "quit", "×", KS_TARGET_QUIT);
    if (quit)
        quit->item = -1;
    if (with_speaker) {
        KsViewTarget *sp =
            view_add_target(v, "speak", uitext_get(r->lang_code, UIT_READ_ALOUD), KS_TARGET_SPEAK);
        if (sp) {
            sp->item = -1;
            sp->image = "speaker.svg";
        }
    }
}

int respondent_speech(const Respondent *r, SpeechItem *items, int max)
{
    if (!r->session)
        return 0;
    int n = 0, lang = session_lang(r->session);
    int qs[SESSION_PAGE_MAX];
    int nq = session_page(r->session, qs, SESSION_PAGE_MAX);
    for (int i = 0; i < nq && n < max; i++) {
        const FormQuestion *fq = form_question(r->form, qs[i]);
        const char *audio = form_text(r->form, &fq->audio, lang);
        items[n++] = (SpeechItem){.text = form_text(r->form, &fq->label, lang),
                                  .wav_path = audio[0] ? audio : NULL};
        for (int c = 0; fq->list && c < fq->list->n_choices && n < max; c++)
            if (session_choice_visible(r->session, qs[i], c))
                items[n++] =
                    (SpeechItem){.text = form_text(r->form, &fq->list->choices[c].label, lang)};
    }
    return n;
}
