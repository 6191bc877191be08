/* kiosk: the state machine behind the screens. It owns the respondent's
 * survey session, decides what happens on each tap and timer, commits every
 * answer before moving on, and rebuilds the view after each change.
 * It never draws and never touches SQLite directly (storage does). */
#include "kiosk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/clock.h"
#include "../core/log.h"
#include "../core/mem.h"
#include "../core/rng.h"
#include "../core/str.h"
#include "../storage/store_responses.h"
#include "../survey/session.h"
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
    bool show_need_answer;

    int64_t last_activity_ms; /* monotonic */
    int64_t prompt_start_ms;
    int64_t thanks_start_ms;
    UiTextId fault_reason;

    KsView view;
    char answer_buf[ANSWER_MAX];
};

static void rebuild_view(Kiosk *k);

static const char *audience_name(FormAudience a)
{
    switch (a) {
    case FORM_AUDIENCE_YOUTH: return "youth";
    case FORM_AUDIENCE_PARENT: return "parent";
    case FORM_AUDIENCE_CHILD: break;
    }
    return "child";
}

static void go_fault(Kiosk *k, UiTextId reason)
{
    k->screen = KS_SCREEN_FAULT;
    k->fault_reason = reason;
}

/* Ends the respondent's session (if any) with the given outcome and forgets
 * everything about it, so the next person starts from nothing. */
static KsStatus commit_current(Kiosk *k);

static KsStatus end_session(Kiosk *k, StoreOutcome outcome)
{
    KsStatus st = KS_OK;
    /* An answer tapped on the last screen shown counts as given, even when
     * the respondent walked away before moving on. */
    if (k->session && k->store && outcome == STORE_OUTCOME_ABANDONED &&
        session_is_answered(k->session, session_current(k->session)))
        st = commit_current(k);
    if (k->session && k->store && st == KS_OK)
        st = store_session_finish(k->store, k->session_row, outcome, clock_wall_ms());
    if (st != KS_OK)
        LOG_ERROR("could not end session: %s", ks_status_str(st));
    session_destroy(k->session);
    k->session = NULL;
    k->session_row = 0;
    k->session_uuid[0] = '\0';
    k->form = NULL;
    k->lang_code[0] = '\0';
    k->show_need_answer = false;
    return st;
}

static void go_attract(Kiosk *k)
{
    k->screen = KS_SCREEN_ATTRACT;
}

Kiosk *kiosk_create(const KsConfig *cfg, const Catalog *catalog, Store *store, KsStatus store_fault)
{
    Kiosk *k = xcalloc(1, sizeof *k);
    k->cfg = cfg;
    k->catalog = catalog;
    k->store = store;
    k->last_activity_ms = clock_mono_ms();
    if (store_fault == KS_ERR_CORRUPT)
        go_fault(k, UIT_FAULT_CORRUPT);
    else if (store_fault != KS_OK || !store)
        go_fault(k, UIT_FAULT_DATABASE);
    else if (!catalog || catalog_count(catalog) == 0)
        go_fault(k, UIT_FAULT_NO_FORMS);
    else
        go_attract(k);
    rebuild_view(k);
    return k;
}

void kiosk_destroy(Kiosk *k)
{
    if (!k)
        return;
    if (k->session)
        end_session(k, STORE_OUTCOME_ABANDONED);
    free(k);
}

static KsStatus begin_session(Kiosk *k, int lang)
{
    char uuid[33];
    KsStatus st = rng_hex(uuid, 16);
    if (st != KS_OK)
        return st;
    const FormLang *fl = form_lang(k->form, lang);
    StoreSessionMeta meta = {
        .uuid = uuid,
        .form_id = form_id(k->form),
        .form_version = form_version(k->form),
        .form_sha256 = form_sha256(k->form),
        .lang = fl->code,
        .audience = audience_name(form_audience(k->form)),
        .started_ms = clock_wall_ms(),
    };
    int64_t row = 0;
    st = store_session_begin(k->store, &meta, &row);
    if (st != KS_OK)
        return st;
    k->session = session_create(k->form, lang);
    k->session_row = row;
    memcpy(k->session_uuid, uuid, sizeof uuid);
    str_copy(k->lang_code, sizeof k->lang_code, fl->code);
    k->show_need_answer = false;
    return KS_OK;
}

/* Commits the current question's answer in its own transaction. */
static KsStatus commit_current(Kiosk *k)
{
    int q = session_current(k->session);
    const FormQuestion *fq = form_question(k->form, q);
    if (fq->type == FORM_Q_NOTE)
        return KS_OK;
    session_answer_value(k->session, q, k->answer_buf, sizeof k->answer_buf);
    return store_answer_put(k->store, k->session_row, fq->name, k->answer_buf, clock_wall_ms());
}

static void on_next(Kiosk *k)
{
    KsStatus st = commit_current(k);
    if (st != KS_OK) {
        LOG_ERROR("answer not stored: %s", ks_status_str(st));
        end_session(k, STORE_OUTCOME_ABANDONED);
        go_fault(k, UIT_FAULT_DATABASE);
        return;
    }
    switch (session_next(k->session)) {
    case SESSION_NEED_ANSWER:
        k->show_need_answer = true;
        break;
    case SESSION_FINISHED: {
        /* The outcome is committed before the thank-you screen is built. */
        char uuid[33];
        memcpy(uuid, k->session_uuid, sizeof uuid);
        char lang[16];
        str_copy(lang, sizeof lang, k->lang_code);
        if (end_session(k, STORE_OUTCOME_COMPLETE) != KS_OK) {
            go_fault(k, UIT_FAULT_DATABASE);
            return;
        }
        memcpy(k->session_uuid, uuid, sizeof uuid);
        str_copy(k->lang_code, sizeof k->lang_code, lang);
        k->screen = KS_SCREEN_THANKS;
        k->thanks_start_ms = clock_mono_ms();
        break;
    }
    case SESSION_MOVED:
    case SESSION_AT_START:
        k->show_need_answer = false;
        break;
    }
}

static void on_back(Kiosk *k)
{
    int q = session_current(k->session);
    if (session_is_answered(k->session, q) && commit_current(k) != KS_OK) {
        end_session(k, STORE_OUTCOME_ABANDONED);
        go_fault(k, UIT_FAULT_DATABASE);
        return;
    }
    session_back(k->session);
    k->show_need_answer = false;
}

static void on_choice(Kiosk *k, const char *name)
{
    int q = session_current(k->session);
    const FormQuestion *fq = form_question(k->form, q);
    if (!fq->list)
        return;
    for (int i = 0; i < fq->list->n_choices; i++) {
        if (strcmp(fq->list->choices[i].name, name) == 0) {
            session_tap_choice(k->session, i);
            k->show_need_answer = false;
            return;
        }
    }
    LOG_WARN("tap on unknown choice %s", name);
}

static void handle_tap(Kiosk *k, const char *id)
{
    switch (k->screen) {
    case KS_SCREEN_ATTRACT:
        if (strcmp(id, "start") == 0)
            k->screen = KS_SCREEN_AUDIENCE;
        break;
    case KS_SCREEN_AUDIENCE:
        if (strncmp(id, "audience:", 9) == 0) {
            const Form *f = catalog_find(k->catalog, id + 9);
            if (f) {
                k->form = f;
                k->screen = KS_SCREEN_LANGUAGE;
            }
        } else if (strcmp(id, "back") == 0) {
            go_attract(k);
        }
        break;
    case KS_SCREEN_LANGUAGE:
        if (strncmp(id, "lang:", 5) == 0) {
            int lang = form_lang_index(k->form, id + 5);
            if (lang < 0)
                break;
            KsStatus st = begin_session(k, lang);
            if (st != KS_OK) {
                LOG_ERROR("session not started: %s", ks_status_str(st));
                go_fault(k, UIT_FAULT_DATABASE);
                break;
            }
            k->screen = KS_SCREEN_QUESTION;
        } else if (strcmp(id, "back") == 0) {
            k->form = NULL;
            k->screen = KS_SCREEN_AUDIENCE;
        }
        break;
    case KS_SCREEN_QUESTION:
        if (strcmp(id, "next") == 0)
            on_next(k);
        else if (strcmp(id, "back") == 0)
            on_back(k);
        else if (strcmp(id, "quit") == 0) {
            k->behind = KS_SCREEN_QUESTION;
            k->screen = KS_SCREEN_CONFIRM_QUIT;
        } else if (strncmp(id, "choice:", 7) == 0)
            on_choice(k, id + 7);
        break;
    case KS_SCREEN_CONFIRM_QUIT:
        if (strcmp(id, "yes") == 0) {
            end_session(k, STORE_OUTCOME_ABANDONED);
            go_attract(k);
        } else if (strcmp(id, "no") == 0) {
            k->screen = k->behind;
        }
        break;
    case KS_SCREEN_IDLE_PROMPT:
        if (strcmp(id, "continue") == 0)
            k->screen = k->behind;
        break;
    case KS_SCREEN_THANKS:
    case KS_SCREEN_FAULT:
        break;
    }
}

void kiosk_handle(Kiosk *k, const KsEvent *ev)
{
    switch (ev->type) {
    case KS_EV_ACTIVITY:
        k->last_activity_ms = clock_mono_ms();
        return;
    case KS_EV_QUIT:
        /* A kiosk has no way out for respondents; main decides on quitting. */
        return;
    case KS_EV_TAP:
        k->last_activity_ms = clock_mono_ms();
        handle_tap(k, ev->target);
        rebuild_view(k);
        return;
    }
}

static bool idle_watched(KsScreen s)
{
    return s == KS_SCREEN_AUDIENCE || s == KS_SCREEN_LANGUAGE || s == KS_SCREEN_QUESTION ||
           s == KS_SCREEN_CONFIRM_QUIT;
}

int64_t kiosk_next_deadline(const Kiosk *k)
{
    int64_t prompt_ms = (int64_t)k->cfg->idle_prompt_s * 1000;
    if (idle_watched(k->screen))
        return k->last_activity_ms + (int64_t)k->cfg->idle_timeout_s * 1000;
    if (k->screen == KS_SCREEN_IDLE_PROMPT) {
        /* Wake at each whole second for the countdown, and at its end. */
        int64_t elapsed = clock_mono_ms() - k->prompt_start_ms;
        int64_t next = k->prompt_start_ms + (elapsed / 1000 + 1) * 1000;
        int64_t end = k->prompt_start_ms + prompt_ms;
        return next < end ? next : end;
    }
    if (k->screen == KS_SCREEN_THANKS)
        return k->thanks_start_ms + (int64_t)k->cfg->thanks_s * 1000;
    return -1;
}

void kiosk_tick(Kiosk *k)
{
    int64_t now = clock_mono_ms();
    KsScreen before = k->screen;
    int countdown_before = k->view.countdown_s;
    if (idle_watched(k->screen) &&
        now - k->last_activity_ms >= (int64_t)k->cfg->idle_timeout_s * 1000) {
        k->behind = k->screen == KS_SCREEN_CONFIRM_QUIT ? k->behind : k->screen;
        k->screen = KS_SCREEN_IDLE_PROMPT;
        k->prompt_start_ms = now;
    } else if (k->screen == KS_SCREEN_IDLE_PROMPT &&
               now - k->prompt_start_ms >= (int64_t)k->cfg->idle_prompt_s * 1000) {
        LOG_INFO("no answer to the idle prompt: session abandoned");
        end_session(k, STORE_OUTCOME_ABANDONED);
        go_attract(k);
    } else if (k->screen == KS_SCREEN_THANKS &&
               now - k->thanks_start_ms >= (int64_t)k->cfg->thanks_s * 1000) {
        k->session_uuid[0] = '\0';
        k->lang_code[0] = '\0';
        go_attract(k);
    }
    if (k->screen != before) {
        rebuild_view(k);
        return;
    }
    if (k->screen == KS_SCREEN_IDLE_PROMPT) {
        int left = k->cfg->idle_prompt_s - (int)((now - k->prompt_start_ms) / 1000);
        if (left != countdown_before)
            rebuild_view(k);
    }
}

const KsView *kiosk_view(const Kiosk *k)
{
    return &k->view;
}

/* ---- building the view ---------------------------------------------- */

static KsViewTarget *add_target(KsView *v, const char *id, const char *text, KsTargetRole role)
{
    if (KS_NEVER(v->n_targets >= KS_VIEW_MAX_TARGETS))
        return NULL;
    KsViewTarget *t = &v->targets[v->n_targets++];
    memset(t, 0, sizeof *t);
    str_copy(t->id, sizeof t->id, id);
    t->text = text;
    t->role = role;
    t->enabled = true;
    return t;
}

static const char *audience_icon(FormAudience a)
{
    switch (a) {
    case FORM_AUDIENCE_YOUTH: return "audience-youth.svg";
    case FORM_AUDIENCE_PARENT: return "audience-parent.svg";
    case FORM_AUDIENCE_CHILD: break;
    }
    return "audience-child.svg";
}

static UiTextId audience_text(FormAudience a)
{
    switch (a) {
    case FORM_AUDIENCE_YOUTH: return UIT_AUDIENCE_YOUTH;
    case FORM_AUDIENCE_PARENT: return UIT_AUDIENCE_PARENT;
    case FORM_AUDIENCE_CHILD: break;
    }
    return UIT_AUDIENCE_CHILD;
}

static KsWidget widget_for(const Form *f, const FormQuestion *q, int lang)
{
    if (q->type == FORM_Q_NOTE || !q->list)
        return KS_WIDGET_NONE;
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

static void build_question(Kiosk *k, KsView *v)
{
    const Form *f = k->form;
    int lang = session_lang(k->session);
    int qi = session_current(k->session);
    const FormQuestion *q = form_question(f, qi);
    v->form_id = form_id(f);
    v->question = q->name;
    str_copy(v->title, sizeof v->title, form_text(f, &q->label, lang));
    session_progress(k->session, &v->progress_pos, &v->progress_total);
    uitext_format(v->progress_text, sizeof v->progress_text, k->lang_code, UIT_QUESTION_N_OF_M,
                  v->progress_pos, v->progress_total);
    v->widget = widget_for(f, q, lang);
    if (k->show_need_answer)
        str_copy(v->message, sizeof v->message, uitext_get(k->lang_code, UIT_PLEASE_ANSWER));
    else
        str_copy(v->message, sizeof v->message, form_text(f, &q->hint, lang));
    if (q->list) {
        int n = q->list->n_choices;
        for (int i = 0; i < n; i++) {
            const FormChoice *c = &q->list->choices[i];
            char id[KS_TARGET_ID_MAX];
            snprintf(id, sizeof id, "choice:%s", c->name);
            KsViewTarget *t = add_target(v, id, form_text(f, &c->label, lang), KS_TARGET_OPTION);
            if (!t)
                break;
            const char *img = form_text(f, &c->image, lang);
            t->image = img[0] ? img : NULL;
            t->selected = session_is_selected(k->session, qi, i);
            if (v->widget == KS_WIDGET_FACES)
                t->face = n == 1 ? 3 : 1 + (i * 4) / (n - 1);
        }
    }
    if (v->progress_pos > 1)
        add_target(v, "back", uitext_get(k->lang_code, UIT_BACK), KS_TARGET_BACK);
    bool last = v->progress_pos == v->progress_total;
    KsViewTarget *next = add_target(v, "next", uitext_get(k->lang_code, last ? UIT_DONE : UIT_NEXT),
                                    KS_TARGET_NEXT);
    if (next && q->required && !session_is_answered(k->session, qi))
        next->enabled = false; /* drawn dimmed; a tap still explains why */
    add_target(v, "quit", "×", KS_TARGET_QUIT);
}

static void rebuild_view(Kiosk *k)
{
    KsView *v = &k->view;
    unsigned gen = v->generation + 1;
    memset(v, 0, sizeof *v);
    v->generation = gen;
    v->screen = k->screen;
    v->form_id = "";
    v->question = "";
    v->lang = k->lang_code[0] ? k->lang_code : "de";
    v->rtl = uitext_is_rtl(v->lang) != 0;
    const char *de = "de", *en = "en";

    switch (k->screen) {
    case KS_SCREEN_ATTRACT: {
        str_copy(v->title, sizeof v->title, uitext_get(de, UIT_WELCOME));
        str_copy(v->message, sizeof v->message, uitext_get(en, UIT_WELCOME));
        KsViewTarget *t = add_target(v, "start", uitext_get(de, UIT_TAP_TO_START), KS_TARGET_PRIMARY);
        if (t) {
            t->subtext = uitext_get(en, UIT_TAP_TO_START);
            t->image = "hand.svg";
        }
        break;
    }
    case KS_SCREEN_AUDIENCE:
        str_copy(v->title, sizeof v->title, uitext_get(de, UIT_WHO_ARE_YOU));
        str_copy(v->message, sizeof v->message, uitext_get(en, UIT_WHO_ARE_YOU));
        for (int i = 0; i < catalog_count(k->catalog); i++) {
            const Form *f = catalog_form(k->catalog, i);
            char id[KS_TARGET_ID_MAX];
            snprintf(id, sizeof id, "audience:%s", form_id(f));
            KsViewTarget *t = add_target(v, id, uitext_get(de, audience_text(form_audience(f))),
                                         KS_TARGET_OPTION);
            if (!t)
                break;
            t->subtext = uitext_get(en, audience_text(form_audience(f)));
            t->image = audience_icon(form_audience(f));
        }
        add_target(v, "back", uitext_get(de, UIT_BACK), KS_TARGET_BACK);
        break;
    case KS_SCREEN_LANGUAGE:
        v->form_id = form_id(k->form);
        str_copy(v->title, sizeof v->title, uitext_get(de, UIT_WHICH_LANGUAGE));
        str_copy(v->message, sizeof v->message, uitext_get(en, UIT_WHICH_LANGUAGE));
        for (int i = 0; i < form_lang_count(k->form); i++) {
            const FormLang *fl = form_lang(k->form, i);
            if (!fl->code[0])
                continue;
            char id[KS_TARGET_ID_MAX];
            snprintf(id, sizeof id, "lang:%s", fl->code);
            const char *name = uitext_endonym(fl->code);
            add_target(v, id, name ? name : fl->name, KS_TARGET_OPTION);
        }
        add_target(v, "back", uitext_get(de, UIT_BACK), KS_TARGET_BACK);
        break;
    case KS_SCREEN_QUESTION:
        build_question(k, v);
        break;
    case KS_SCREEN_CONFIRM_QUIT:
        v->form_id = k->form ? form_id(k->form) : "";
        str_copy(v->title, sizeof v->title, uitext_get(v->lang, UIT_QUIT_QUESTION));
        add_target(v, "no", uitext_get(v->lang, UIT_QUIT_NO), KS_TARGET_PRIMARY);
        add_target(v, "yes", uitext_get(v->lang, UIT_QUIT_YES), KS_TARGET_SECONDARY);
        break;
    case KS_SCREEN_IDLE_PROMPT: {
        v->form_id = k->form ? form_id(k->form) : "";
        /* Before a language is chosen the prompt speaks German. */
        str_copy(v->title, sizeof v->title, uitext_get(v->lang, UIT_STILL_THERE));
        int left = k->cfg->idle_prompt_s - (int)((clock_mono_ms() - k->prompt_start_ms) / 1000);
        if (left < 0)
            left = 0;
        v->countdown_s = left;
        uitext_format(v->message, sizeof v->message, v->lang, UIT_COUNTDOWN, left);
        add_target(v, "continue", uitext_get(v->lang, UIT_YES_STILL_HERE), KS_TARGET_PRIMARY);
        break;
    }
    case KS_SCREEN_THANKS:
        str_copy(v->title, sizeof v->title, uitext_get(v->lang, UIT_THANKS));
        str_copy(v->message, sizeof v->message, uitext_get(v->lang, UIT_THANKS_MORE));
        v->session = k->session_uuid;
        break;
    case KS_SCREEN_FAULT:
        str_copy(v->title, sizeof v->title, uitext_get(de, UIT_FAULT_TITLE));
        str_copy(v->message, sizeof v->message, uitext_get(de, k->fault_reason));
        break;
    }
}
