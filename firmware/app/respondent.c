/* respondent: one person's session and its storage — begin, commit each
 * changed answer before moving on, end with an outcome, and flag signs of
 * misuse — plus the routing of a question page's taps. The page's input
 * is in respondent_answer.c, the page itself in respondent_view.c. */
#include "respondent.h"

#include <stdlib.h>
#include <string.h>

#include "../core/clock.h"
#include "../core/log.h"
#include "../core/mem.h"
#include "../core/rng.h"
#include "../core/str.h"
#include "respondent_private.h"

Respondent *respondent_create(const KsConfig *cfg, Store *store, ClockWatch *cw)
{
    Respondent *r = xcalloc(1, sizeof *r);
    r->cfg = cfg;
    r->store = store;
    r->cw = cw;
    r->focus_q = -1;
    return r;
}

void respondent_destroy(Respondent *r)
{
    if (!r)
        return;
    respondent_end(r, STORE_OUTCOME_ABANDONED);
    free(r);
}

bool respondent_open(const Respondent *r)
{
    return r->session != NULL;
}

const Form *respondent_form(const Respondent *r)
{
    return r->form;
}

const char *respondent_completed_id(const Respondent *r)
{
    return r->completed_uuid;
}

Drawing *respondent_drawing(Respondent *r, int q)
{
    if (!r->drawings[q])
        r->drawings[q] = drawing_create();
    return r->drawings[q];
}

bool respondent_typed_question(const FormQuestion *fq)
{
    return fq->type == FORM_Q_INTEGER || fq->type == FORM_Q_DECIMAL || fq->type == FORM_Q_TEXT;
}

/* Frees the per-question answers and drawings. */
static void forget_answers(Respondent *r)
{
    if (!r->stored)
        return;
    for (int q = 0; r->form && q < form_question_count(r->form); q++) {
        free(r->stored[q]);
        drawing_destroy(r->drawings[q]);
    }
    free(r->stored);
    free(r->drawings);
    free(r->drawn_rev);
    r->stored = NULL;
    r->drawings = NULL;
    r->drawn_rev = NULL;
}

/* A fresh start on the first page: no answers committed yet, the pen and
 * the keyboard as new, no signs of misuse. */
static void start_fresh(Respondent *r, const FormLang *fl)
{
    size_t nq = (size_t)form_question_count(r->form) + 1;
    r->stored = xcalloc(nq, sizeof *r->stored);
    r->drawings = xcalloc(nq, sizeof *r->drawings);
    r->drawn_rev = xcalloc(nq, sizeof *r->drawn_rev);
    r->pen = 0;
    r->pen_out = false;
    keys_start(&r->keys, fl->code);
    r->page_shown_ms = clock_mono_ms();
    r->fast_pages = 0;
    r->flagged_fast = r->flagged_burst = false;
    burst_reset(&r->taps);
    str_copy(r->lang_code, sizeof r->lang_code, fl->code);
    r->show_problem = false;
    r->focus_q = -1;
    r->edit[0] = '\0';
    r->completed_uuid[0] = '\0';
}

/* The entry field that gets the keys: the focused one if it is on the page,
 * else the first typed question of the page. */
static void settle_focus(Respondent *r)
{
    int qs[SESSION_PAGE_MAX];
    int n = session_page(r->session, qs, SESSION_PAGE_MAX), first = -1;
    for (int i = 0; i < n; i++) {
        if (!respondent_typed_question(form_question(r->form, qs[i])))
            continue;
        if (qs[i] == r->focus_q)
            return;
        if (first < 0)
            first = qs[i];
    }
    r->focus_q = first;
    str_copy(r->edit, sizeof r->edit, first >= 0 ? session_value(r->session, first) : "");
}

KsStatus respondent_begin(Respondent *r, const Form *f, int lang)
{
    respondent_end(r, STORE_OUTCOME_ABANDONED);
    char uuid[33];
    KsStatus ks = rng_hex(uuid, 16);
    if (ks != KS_OK)
        return ks;
    const FormLang *fl = form_lang(f, lang);
    clockwatch_check(r->cw); /* a clock that just went back flags this session too */
    StoreSessionMeta meta = {
        .uuid = uuid,
        .form_id = form_id(f),
        .form_version = form_version(f),
        .form_sha256 = form_sha256(f),
        .lang = fl->code,
        .audience = form_audience_name(form_audience(f)),
        .started_ms = clock_wall_ms(),
        .clock_doubt = clockwatch_in_doubt(r->cw),
    };
    int64_t row = 0;
    ks = store_session_begin(r->store, &meta, &row);
    if (ks != KS_OK)
        return ks;
    char today[32];
    clock_format_iso(clock_wall_ms(), today);
    today[10] = '\0'; /* "YYYY-MM-DD" */
    r->form = f;
    r->session = session_create(f, lang, today);
    r->session_row = row;
    memcpy(r->uuid, uuid, sizeof uuid);
    start_fresh(r, fl);
    ks = respondent_sync(r); /* defaults and calculations count from the start */
    if (ks != KS_OK) {
        respondent_end(r, STORE_OUTCOME_ABANDONED);
        return ks;
    }
    settle_focus(r);
    return KS_OK;
}

KsStatus respondent_end(Respondent *r, StoreOutcome outcome)
{
    if (!r->session)
        return KS_OK;
    KsStatus ks = respondent_sync(r);
    if (ks == KS_OK)
        ks = store_session_finish(r->store, r->session_row, outcome, clock_wall_ms());
    if (ks == KS_OK)
        clockwatch_note(r->cw); /* a committed session: the clock was good until now */
    else
        LOG_ERROR("could not end session: %s", ks_status_str(ks));
    if (ks == KS_OK && outcome == STORE_OUTCOME_COMPLETE)
        memcpy(r->completed_uuid, r->uuid, sizeof r->uuid);
    session_destroy(r->session);
    forget_answers(r);
    r->session = NULL;
    r->session_row = 0;
    r->uuid[0] = '\0';
    r->form = NULL;
    r->lang_code[0] = '\0';
    r->show_problem = false;
    r->focus_q = -1;
    r->edit[0] = '\0';
    return ks;
}

/* Stores a drawing question's answer: its file name as the value and the
 * PNG beside it, in one transaction. */
static KsStatus store_drawing(Respondent *r, int q, const Drawing *d)
{
    uint8_t *png = NULL;
    size_t n = 0;
    KsStatus ks = drawing_to_png(d, &png, &n);
    if (ks == KS_OK) {
        StoreMedia media = {"image/png", png, n};
        ks = store_answer_put_media(r->store, r->session_row, form_question(r->form, q)->name,
                                    session_value(r->session, q), &media, clock_wall_ms());
    }
    free(png);
    if (ks == KS_OK)
        r->drawn_rev[q] = drawing_revision(d);
    return ks;
}

/* Stores one changed answer in its own transaction. Free text waits for a
 * staff review before it may be exported. */
static KsStatus store_one(Respondent *r, const FormQuestion *fq, int q, const char *now)
{
    Drawing *d = fq->type == FORM_Q_DRAW ? r->drawings[q] : NULL;
    if (d && now[0])
        return store_drawing(r, q, d);
    if (fq->type == FORM_Q_TEXT)
        return store_answer_put_review(r->store, r->session_row, fq->name, now, clock_wall_ms());
    return store_answer_put(r->store, r->session_row, fq->name, now, clock_wall_ms());
}

/* Brings the stored answers in line with the session, one transaction per
 * changed answer: new and changed answers are written, answers that became
 * empty or not relevant are deleted (as in ODK, they are not kept). */
KsStatus respondent_sync(Respondent *r)
{
    for (int q = 0; q < form_question_count(r->form); q++) {
        const FormQuestion *fq = form_question(r->form, q);
        if (fq->type == FORM_Q_NOTE)
            continue;
        const char *now = session_value(r->session, q);
        const char *was = r->stored[q] ? r->stored[q] : "";
        Drawing *d = fq->type == FORM_Q_DRAW ? r->drawings[q] : NULL;
        /* A drawing whose answer was cleared (its question stopped being
         * relevant) is wiped too, as a typed answer would be. */
        if (d && !now[0] && drawing_stroke_count(d) > 0)
            drawing_clear(d);
        bool redrawn = d && now[0] && drawing_revision(d) != r->drawn_rev[q];
        if (strcmp(now, was) == 0 && !redrawn)
            continue;
        KsStatus ks = store_one(r, fq, q, now);
        if (ks != KS_OK)
            return ks;
        free(r->stored[q]);
        r->stored[q] = now[0] ? xstrdup(now) : NULL;
    }
    return KS_OK;
}

/* A storage failure ends the session as abandoned with what is stored. */
static RespondentStep fail_storage(Respondent *r, KsStatus ks)
{
    LOG_ERROR("answer not stored: %s", ks_status_str(ks));
    respondent_end(r, STORE_OUTCOME_ABANDONED);
    return RESPONDENT_FAILED;
}

/* Flags the session for later review; the answers stay as they are. */
static void flag_misuse(Respondent *r, const char *reason)
{
    KsStatus ks = store_session_flag_misuse(r->store, r->session_row, reason);
    if (ks != KS_OK)
        LOG_WARN("session not flagged (%s): %s", reason, ks_status_str(ks));
    else
        LOG_INFO("session flagged as suspected misuse: %s", reason);
}

/* A page left sooner than anyone could read it counts as too fast. */
static void note_page_left(Respondent *r)
{
    int64_t now = clock_mono_ms();
    if (now - r->page_shown_ms < r->cfg->misuse_min_ms &&
        ++r->fast_pages >= r->cfg->misuse_fast_pages && !r->flagged_fast) {
        r->flagged_fast = true;
        flag_misuse(r, "fast");
    }
    r->page_shown_ms = now;
}

void respondent_note_tap(Respondent *r)
{
    if (r->session && burst_note(&r->taps, clock_mono_ms(), r->cfg->misuse_burst_taps) &&
        !r->flagged_burst) {
        r->flagged_burst = true;
        flag_misuse(r, "burst");
    }
}

RespondentStep respondent_next(Respondent *r)
{
    KsStatus ks = respondent_sync(r);
    if (ks != KS_OK)
        return fail_storage(r, ks);
    SessionMove move = session_next(r->session);
    if (move == SESSION_MOVED || move == SESSION_FINISHED)
        note_page_left(r);
    switch (move) {
    case SESSION_NEED_ANSWER:
    case SESSION_CONSTRAINT:
        r->show_problem = true;
        return RESPONDENT_STAYED;
    case SESSION_FINISHED:
        /* The outcome is committed before the thank-you screen is built. */
        return respondent_end(r, STORE_OUTCOME_COMPLETE) == KS_OK ? RESPONDENT_FINISHED
                                                                  : RESPONDENT_FAILED;
    case SESSION_MOVED:
    case SESSION_AT_START:
        break;
    }
    r->show_problem = false;
    settle_focus(r);
    return RESPONDENT_MOVED;
}

Respondent *respondent_peek_next(const Respondent *r)
{
    if (!r->session)
        return NULL;
    Respondent *p = xmalloc(sizeof *p);
    *p = *r;
    p->session = session_copy(r->session);
    bool moved = session_next(p->session) == SESSION_MOVED;
    int qs[SESSION_PAGE_MAX];
    int n = moved ? session_page(p->session, qs, SESSION_PAGE_MAX) : 0;
    /* A canvas is made on first use, in the drawings r shares: not ahead. */
    for (int i = 0; i < n && moved; i++)
        moved = form_question(p->form, qs[i])->type != FORM_Q_DRAW;
    if (!moved) {
        respondent_peek_free(p);
        return NULL;
    }
    p->show_problem = false;
    settle_focus(p);
    return p;
}

void respondent_peek_free(Respondent *p)
{
    if (!p)
        return;
    session_destroy(p->session);
    free(p);
}

static RespondentStep go_back(Respondent *r)
{
    KsStatus ks = respondent_sync(r);
    if (ks != KS_OK)
        return fail_storage(r, ks);
    session_back(r->session);
    r->page_shown_ms = clock_mono_ms();
    r->show_problem = false;
    settle_focus(r);
    return RESPONDENT_MOVED;
}

static bool starts(const char *id, const char *prefix)
{
    return strncmp(id, prefix, strlen(prefix)) == 0;
}

RespondentStep respondent_tap(Respondent *r, const char *id)
{
    if (!r->session)
        return RESPONDENT_STAYED;
    if (strcmp(id, "next") == 0)
        return respondent_next(r);
    if (strcmp(id, "back") == 0)
        return go_back(r);
    if (starts(id, "choice:"))
        return respondent_answer_choice(r, id + 7);
    if (starts(id, "rank:"))
        return respondent_answer_choice(r, id + 5);
    if (starts(id, "value:"))
        respondent_answer_value(r, id + 6, FORM_Q_RANGE);
    else if (strcmp(id, "ack") == 0)
        respondent_answer_value(r, "OK", FORM_Q_ACKNOWLEDGE);
    else if (starts(id, "key:"))
        respondent_answer_key(r, id + 4);
    else if (starts(id, "field:"))
        respondent_answer_field(r, id + 6);
    else if (starts(id, "pen:") || strcmp(id, "undo") == 0 || strcmp(id, "clear") == 0)
        respondent_answer_tool(r, id);
    return RESPONDENT_STAYED;
}

void respondent_drag(Respondent *r, const KsEvent *ev)
{
    if (r->session)
        respondent_answer_drag(r, ev);
}

void respondent_clock_doubt(Respondent *r)
{
    if (!r->session)
        return;
    KsStatus ks = store_session_flag_clock_doubt(r->store, r->session_row);
    if (ks != KS_OK)
        LOG_ERROR("clock doubt not recorded for the open session: %s", ks_status_str(ks));
}
