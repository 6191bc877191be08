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
#include "../storage/store_export.h"
#include "../storage/store_responses.h"
#include "../survey/session.h"
#include "../sys/disk.h"
#include "keys.h"
#include "kiosk_private.h"
#include "retention.h"
#include "uitext.h"

/* How often a full disk is looked at again on its fault screen. */
#define DISK_RECHECK_MS 10000
/* How often the welcome screen looks whether the night has begun or ended. */
#define SLEEP_CHECK_MS 60000

static const char *audience_name(FormAudience a)
{
    switch (a) {
    case FORM_AUDIENCE_YOUTH:
        return "youth";
    case FORM_AUDIENCE_PARENT:
        return "parent";
    case FORM_AUDIENCE_PROFESSIONAL:
        return "professional";
    case FORM_AUDIENCE_CHILD:
        break;
    }
    return "child";
}

static void go_fault(Kiosk *k, UiTextId reason)
{
    k->screen = KS_SCREEN_FAULT;
    k->fault_reason = reason;
    k->fault_since_ms = clock_mono_ms();
}

/* Ends the respondent's session (if any) with the given outcome and forgets
 * everything about it, so the next person starts from nothing. */
static KsStatus sync_answers(Kiosk *k);

static void forget_stored(Kiosk *k)
{
    if (!k->stored)
        return;
    for (int q = 0; k->form && q < form_question_count(k->form); q++) {
        free(k->stored[q]);
        drawing_destroy(k->drawings[q]);
    }
    free(k->stored);
    free(k->drawings);
    free(k->drawn_rev);
    k->stored = NULL;
    k->drawings = NULL;
    k->drawn_rev = NULL;
}

Drawing *kiosk_drawing(Kiosk *k, int q)
{
    if (!k->drawings[q])
        k->drawings[q] = drawing_create();
    return k->drawings[q];
}

static KsStatus end_session(Kiosk *k, StoreOutcome outcome)
{
    KsStatus ks = KS_OK;
    /* An answer given on the last screen shown counts, even when the
     * respondent walked away before moving on. */
    if (k->session && k->store)
        ks = sync_answers(k);
    if (k->session && k->store && ks == KS_OK)
        ks = store_session_finish(k->store, k->session_row, outcome, clock_wall_ms());
    if (k->session && ks == KS_OK)
        clockwatch_note(k->cw); /* a committed session: the clock was good until now */
    if (ks != KS_OK)
        LOG_ERROR("could not end session: %s", ks_status_str(ks));
    session_destroy(k->session);
    forget_stored(k);
    k->session = NULL;
    k->session_row = 0;
    k->session_uuid[0] = '\0';
    k->form = NULL;
    k->lang_code[0] = '\0';
    k->show_problem = false;
    k->focus_q = -1;
    k->edit[0] = '\0';
    return ks;
}

static void go_attract(Kiosk *k)
{
    k->screen = KS_SCREEN_ATTRACT;
    k->lang_code[0] = '\0'; /* the next person chooses again */
    if (k->ws)
        workshop_end(k->ws); /* the next person starts from nothing */
}

bool kiosk_is_ws_screen(KsScreen s)
{
    return view_screen_owner(s) == KS_OWNER_WORKSHOP;
}

/* While staff have a workshop open, the welcome screen leads into it: at a
 * Werkstatt event the kiosk is the wall of cards, and a child should reach
 * it with one tap. The surveys come back when staff close the workshop. */
/* Whether the disk holding the database has room for new answers. An
 * unknown path or a failing statvfs does not stop anyone: SQLite's own
 * errors still lead to the fault screen. */
static bool disk_has_room(const Kiosk *k)
{
    uint64_t free_b = 0, total = 0;
    if (!k->db_path[0] || disk_space(k->db_path, &free_b, &total) != KS_OK)
        return true;
    return free_b >= (uint64_t)k->cfg->min_free_mb * 1024 * 1024;
}

static void on_start(Kiosk *k)
{
    /* A full disk stops new sessions here, before SQLite would fail. */
    if (!disk_has_room(k)) {
        LOG_ERROR("less than %d MB free beside %s: no new session", k->cfg->min_free_mb,
                  k->db_path);
        go_fault(k, UIT_FAULT_DISK_FULL);
        return;
    }
    if (k->ws && workshop_is_open(k->ws)) {
        workshop_begin(k->ws);
        k->screen = workshop_screen(k->ws);
    } else {
        k->screen = KS_SCREEN_LANGUAGE;
    }
}

/* A tap on a participant's workshop screen; back to the welcome screen
 * when the visit ends. */
static void on_ws_tap(Kiosk *k, const char *id)
{
    workshop_tap(k->ws, id);
    if (workshop_active(k->ws))
        k->screen = workshop_screen(k->ws);
    else
        go_attract(k);
}

Kiosk *kiosk_create(const KsConfig *cfg, Catalog *catalog, Store *store, KsStatus store_fault)
{
    Kiosk *k = xcalloc(1, sizeof *k);
    k->cfg = cfg;
    k->catalog = catalog;
    k->store = store;
    k->last_activity_ms = clock_mono_ms();
    k->focus_q = -1;
    if (store && store_fault == KS_OK) {
        k->cw = clockwatch_create(store);
        k->staff = staff_create(cfg, catalog, store, NULL);
        k->ws = workshop_create(cfg, store);
        staff_set_workshop(k->staff, k->ws);
        staff_set_clockwatch(k->staff, k->cw);
        /* Old exports leave at start and then once a day (kiosk_tick). */
        retention_run(store, cfg->retention_days, cfg->eval_pubkey[0] != '\0',
                      clockwatch_in_doubt(k->cw), clock_wall_ms(), NULL);
        k->retention_next_ms = clock_mono_ms() + RETENTION_DAY_MS;
    }
    if (store_fault == KS_ERR_CORRUPT)
        go_fault(k, UIT_FAULT_CORRUPT);
    else if (store_fault != KS_OK || !store)
        go_fault(k, UIT_FAULT_DATABASE);
    else if (!catalog || catalog_count(catalog) == 0)
        go_fault(k, UIT_FAULT_NO_FORMS);
    else
        go_attract(k);
    kiosk_rebuild_view(k);
    return k;
}

void kiosk_self_test_failed(Kiosk *k, UiTextId fault, const char *detail)
{
    if (k->screen == KS_SCREEN_FAULT && k->fault_reason == UIT_FAULT_CORRUPT)
        return;
    go_fault(k, fault);
    str_copy(k->fault_detail, sizeof k->fault_detail, detail ? detail : "");
    kiosk_rebuild_view(k);
}

void kiosk_set_speech(Kiosk *k, Speech *speech)
{
    k->speech = speech;
    kiosk_rebuild_view(k);
}

void kiosk_set_db_path(Kiosk *k, const char *db_path)
{
    str_copy(k->db_path, sizeof k->db_path, db_path ? db_path : "");
    Staff *old = k->staff;
    if (!old)
        return;
    k->staff = staff_create(k->cfg, k->catalog, k->store, db_path);
    staff_set_workshop(k->staff, k->ws);
    staff_set_clockwatch(k->staff, k->cw);
    staff_destroy(old);
}

void kiosk_destroy(Kiosk *k)
{
    if (!k)
        return;
    if (k->session)
        end_session(k, STORE_OUTCOME_ABANDONED);
    staff_destroy(k->staff);
    workshop_destroy(k->ws);
    clockwatch_destroy(k->cw);
    free(k);
}

static KsStatus begin_session(Kiosk *k, int lang)
{
    char uuid[33];
    KsStatus ks = rng_hex(uuid, 16);
    if (ks != KS_OK)
        return ks;
    const FormLang *fl = form_lang(k->form, lang);
    clockwatch_check(k->cw); /* a clock that just went back flags this session too */
    StoreSessionMeta meta = {
        .uuid = uuid,
        .form_id = form_id(k->form),
        .form_version = form_version(k->form),
        .form_sha256 = form_sha256(k->form),
        .lang = fl->code,
        .audience = audience_name(form_audience(k->form)),
        .started_ms = clock_wall_ms(),
        .clock_doubt = clockwatch_in_doubt(k->cw),
    };
    int64_t row = 0;
    ks = store_session_begin(k->store, &meta, &row);
    if (ks != KS_OK)
        return ks;
    char today[32];
    clock_format_iso(clock_wall_ms(), today);
    today[10] = '\0'; /* "YYYY-MM-DD" */
    k->session = session_create(k->form, lang, today);
    size_t nq = (size_t)form_question_count(k->form) + 1;
    k->stored = xcalloc(nq, sizeof *k->stored);
    k->drawings = xcalloc(nq, sizeof *k->drawings);
    k->drawn_rev = xcalloc(nq, sizeof *k->drawn_rev);
    k->pen = 0;
    keys_start(&k->keys, fl->code);
    k->page_shown_ms = clock_mono_ms();
    k->fast_pages = 0;
    k->flagged_fast = k->flagged_burst = false;
    burst_reset(&k->taps);
    k->session_row = row;
    memcpy(k->session_uuid, uuid, sizeof uuid);
    str_copy(k->lang_code, sizeof k->lang_code, fl->code);
    k->show_problem = false;
    k->focus_q = -1;
    k->edit[0] = '\0';
    return sync_answers(k); /* defaults and calculations count from the start */
}

/* Stores a drawing question's answer: its file name as the value and the
 * PNG beside it, in one transaction. */
static KsStatus store_drawing(Kiosk *k, int q, const Drawing *d)
{
    uint8_t *png = NULL;
    size_t n = 0;
    KsStatus ks = drawing_to_png(d, &png, &n);
    if (ks == KS_OK) {
        StoreMedia media = {"image/png", png, n};
        ks = store_answer_put_media(k->store, k->session_row, form_question(k->form, q)->name,
                                    session_value(k->session, q), &media, clock_wall_ms());
    }
    free(png);
    if (ks == KS_OK)
        k->drawn_rev[q] = drawing_revision(d);
    return ks;
}

/* Brings the stored answers in line with the session, one transaction per
 * changed answer: new and changed answers are written, answers that became
 * empty or not relevant are deleted (as in ODK, they are not kept). */
static KsStatus sync_answers(Kiosk *k)
{
    for (int q = 0; q < form_question_count(k->form); q++) {
        const FormQuestion *fq = form_question(k->form, q);
        if (fq->type == FORM_Q_NOTE)
            continue;
        const char *now = session_value(k->session, q);
        const char *was = k->stored[q] ? k->stored[q] : "";
        Drawing *d = fq->type == FORM_Q_DRAW ? k->drawings[q] : NULL;
        /* A drawing whose answer was cleared (its question stopped being
         * relevant) is wiped too, as a typed answer would be. */
        if (d && !now[0] && drawing_stroke_count(d) > 0)
            drawing_clear(d);
        bool redrawn = d && now[0] && drawing_revision(d) != k->drawn_rev[q];
        if (strcmp(now, was) == 0 && !redrawn)
            continue;
        /* Free text waits for a staff review before it may be exported. */
        KsStatus ks = d && now[0] ? store_drawing(k, q, d)
                                  : (fq->type == FORM_Q_TEXT
                                         ? store_answer_put_review(k->store, k->session_row,
                                                                   fq->name, now, clock_wall_ms())
                                         : store_answer_put(k->store, k->session_row, fq->name, now,
                                                            clock_wall_ms()));
        if (ks != KS_OK)
            return ks;
        free(k->stored[q]);
        k->stored[q] = now[0] ? xstrdup(now) : NULL;
    }
    return KS_OK;
}

/* The entry field that gets the keys: the focused one if it is on the page,
 * else the first typed question of the page. */
bool kiosk_typed_question(const FormQuestion *fq)
{
    return fq->type == FORM_Q_INTEGER || fq->type == FORM_Q_DECIMAL || fq->type == FORM_Q_TEXT;
}

static void settle_focus(Kiosk *k)
{
    int qs[SESSION_PAGE_MAX];
    int n = session_page(k->session, qs, SESSION_PAGE_MAX), first = -1;
    for (int i = 0; i < n; i++) {
        if (!kiosk_typed_question(form_question(k->form, qs[i])))
            continue;
        if (qs[i] == k->focus_q)
            return;
        if (first < 0)
            first = qs[i];
    }
    k->focus_q = first;
    str_copy(k->edit, sizeof k->edit, first >= 0 ? session_value(k->session, first) : "");
}

static void fail_storage(Kiosk *k, KsStatus ks)
{
    LOG_ERROR("answer not stored: %s", ks_status_str(ks));
    end_session(k, STORE_OUTCOME_ABANDONED);
    go_fault(k, UIT_FAULT_DATABASE);
}

/* Flags the session for later review; the answers stay as they are. */
static void flag_misuse(Kiosk *k, const char *reason)
{
    KsStatus ks = store_session_flag_misuse(k->store, k->session_row, reason);
    if (ks != KS_OK)
        LOG_WARN("session not flagged (%s): %s", reason, ks_status_str(ks));
    else
        LOG_INFO("session flagged as suspected misuse: %s", reason);
}

/* A page left sooner than anyone could read it counts as too fast. */
static void note_page_left(Kiosk *k)
{
    int64_t now = clock_mono_ms();
    if (now - k->page_shown_ms < k->cfg->misuse_min_ms &&
        ++k->fast_pages >= k->cfg->misuse_fast_pages && !k->flagged_fast) {
        k->flagged_fast = true;
        flag_misuse(k, "fast");
    }
    k->page_shown_ms = now;
}

/* Many taps within one second on the question screens: a burst. */
static void note_tap(Kiosk *k)
{
    if (burst_note(&k->taps, clock_mono_ms(), k->cfg->misuse_burst_taps) && !k->flagged_burst) {
        k->flagged_burst = true;
        flag_misuse(k, "burst");
    }
}

void kiosk_next_page(Kiosk *k)
{
    KsStatus ks = sync_answers(k);
    if (ks != KS_OK) {
        fail_storage(k, ks);
        return;
    }
    SessionMove move = session_next(k->session);
    if (move == SESSION_MOVED || move == SESSION_FINISHED)
        note_page_left(k);
    switch (move) {
    case SESSION_NEED_ANSWER:
    case SESSION_CONSTRAINT:
        k->show_problem = true;
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
        return;
    }
    case SESSION_MOVED:
    case SESSION_AT_START:
        k->show_problem = false;
        break;
    }
    settle_focus(k);
}

static void on_back(Kiosk *k)
{
    KsStatus ks = sync_answers(k);
    if (ks != KS_OK) {
        fail_storage(k, ks);
        return;
    }
    session_back(k->session);
    k->page_shown_ms = clock_mono_ms();
    k->show_problem = false;
    settle_focus(k);
}

static void handle_tap(Kiosk *k, const char *id)
{
    switch (k->screen) {
    case KS_SCREEN_ATTRACT:
        if (strcmp(id, "start") == 0)
            on_start(k);
        break;
    case KS_SCREEN_LANGUAGE:
        if (strncmp(id, "lang:", 5) == 0) {
            const char *codes[KS_VIEW_MAX_TARGETS];
            int n = kiosk_offered_langs(k, codes, KS_VIEW_MAX_TARGETS - 2);
            for (int i = 0; i < n; i++)
                if (strcmp(codes[i], id + 5) == 0) {
                    str_copy(k->lang_code, sizeof k->lang_code, codes[i]);
                    k->screen = KS_SCREEN_AUDIENCE;
                }
        } else if (strcmp(id, "back") == 0) {
            go_attract(k);
        }
        break;
    case KS_SCREEN_AUDIENCE:
        if (strncmp(id, "audience:", 9) == 0) {
            const Form *f = catalog_find(k->catalog, id + 9);
            if (!f || !kiosk_form_offered(k, f))
                break;
            k->form = f;
            KsStatus ks = begin_session(k, form_lang_index(f, k->lang_code));
            if (ks != KS_OK) {
                LOG_ERROR("session not started: %s", ks_status_str(ks));
                k->form = NULL;
                go_fault(k, UIT_FAULT_DATABASE);
                break;
            }
            k->screen = KS_SCREEN_QUESTION;
            settle_focus(k);
        } else if (strcmp(id, "back") == 0) {
            k->lang_code[0] = '\0';
            k->screen = KS_SCREEN_LANGUAGE;
        }
        break;
    case KS_SCREEN_QUESTION:
        if (strcmp(id, "next") == 0)
            kiosk_next_page(k);
        else if (strcmp(id, "back") == 0)
            on_back(k);
        else if (strcmp(id, "quit") == 0) {
            k->behind = KS_SCREEN_QUESTION;
            k->screen = KS_SCREEN_CONFIRM_QUIT;
        } else if (strncmp(id, "choice:", 7) == 0) {
            kiosk_answer_choice(k, id + 7);
        } else if (strncmp(id, "rank:", 5) == 0) {
            kiosk_answer_choice(k, id + 5);
        } else if (strncmp(id, "value:", 6) == 0) {
            kiosk_answer_value(k, id + 6, FORM_Q_RANGE);
        } else if (strcmp(id, "ack") == 0) {
            kiosk_answer_value(k, "OK", FORM_Q_ACKNOWLEDGE);
        } else if (strncmp(id, "key:", 4) == 0) {
            kiosk_answer_key(k, id + 4);
        } else if (strncmp(id, "field:", 6) == 0) {
            kiosk_answer_field(k, id + 6);
        } else if (strncmp(id, "pen:", 4) == 0 || strcmp(id, "undo") == 0 ||
                   strcmp(id, "clear") == 0) {
            kiosk_answer_tool(k, id);
        }
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
        /* After the cool-down, "done" leads to the start for the next person. */
        if (strcmp(id, "done") == 0 &&
            clock_mono_ms() - k->thanks_start_ms >= (int64_t)k->cfg->cooldown_s * 1000) {
            k->session_uuid[0] = '\0';
            k->lang_code[0] = '\0';
            go_attract(k);
        }
        break;
    case KS_SCREEN_FAULT:
        break;
    default: /* staff screens: kiosk_handle gives their taps to staff */
        if (kiosk_is_ws_screen(k->screen))
            on_ws_tap(k, id);
        break;
    }
}

static bool is_staff_screen(KsScreen s)
{
    return view_is_staff_screen(s);
}

/* A long press in the configured corner of a respondent screen opens the
 * PIN pad. A respondent's open session ends first, as abandoned with its
 * answers kept: refusing instead would leave staff waiting out a walked-away
 * child's idle prompt, and keeping it open behind the staff screens would
 * let the next hands continue someone else's answers. */
static void on_long_press(Kiosk *k, const KsEvent *ev)
{
    if (!k->staff || staff_active(k->staff) || (int)ev->corner != k->cfg->staff_corner)
        return;
    /* Staff mode helps where staff can act: import a form, export to make
     * room, or save the answers before a technician reinstalls fonts. A
     * database in trouble has nothing staff mode could show. */
    if (k->screen == KS_SCREEN_FAULT && k->fault_reason != UIT_FAULT_NO_FORMS &&
        k->fault_reason != UIT_FAULT_DISK_FULL && k->fault_reason != UIT_FAULT_FONTS)
        return;
    if (k->session) {
        LOG_INFO("staff mode opened during a session: the session is stored as abandoned");
        end_session(k, STORE_OUTCOME_ABANDONED);
    }
    if (k->speech)
        speech_stop(k->speech);
    k->session_uuid[0] = '\0';
    k->lang_code[0] = '\0';
    k->form = NULL;
    if (k->ws)
        workshop_end(k->ws);
    staff_open(k->staff);
    k->screen = staff_screen(k->staff);
}

/* Follows staff mode: its screen while open, the welcome screen after. */
static void after_staff(Kiosk *k)
{
    if (staff_active(k->staff)) {
        k->screen = staff_screen(k->staff);
        return;
    }
    k->screen = KS_SCREEN_ATTRACT;
    if (!catalog_count(k->catalog))
        go_fault(k, UIT_FAULT_NO_FORMS);
    k->last_activity_ms = clock_mono_ms();
}

void kiosk_handle(Kiosk *k, const KsEvent *ev)
{
    if (is_staff_screen(k->screen)) {
        if (ev->type == KS_EV_TAP) {
            staff_tap(k->staff, ev->target);
            after_staff(k);
            kiosk_rebuild_view(k);
        } else if (ev->type == KS_EV_ACTIVITY || ev->type == KS_EV_DRAG) {
            staff_touch(k->staff);
        }
        return;
    }
    if (k->screen == KS_SCREEN_SLEEP) {
        /* Any touch wakes the screen for idle_timeout seconds; the touch
         * itself starts nothing. A long press goes on to staff mode. */
        k->awake_until_ms = clock_mono_ms() + (int64_t)k->cfg->idle_timeout_s * 1000;
        k->last_activity_ms = clock_mono_ms();
        go_attract(k);
        LOG_INFO("display sleep: woken by a touch");
        kiosk_rebuild_view(k);
        if (ev->type != KS_EV_LONG_PRESS)
            return;
    }
    switch (ev->type) {
    case KS_EV_LONG_PRESS:
        on_long_press(k, ev);
        kiosk_rebuild_view(k);
        return;
    case KS_EV_ACTIVITY:
        k->last_activity_ms = clock_mono_ms();
        return;
    case KS_EV_QUIT:
        /* A kiosk has no way out for respondents; main decides on quitting. */
        return;
    case KS_EV_TAP:
        k->last_activity_ms = clock_mono_ms();
        if (k->screen == KS_SCREEN_QUESTION && k->session)
            note_tap(k);
        if (strcmp(ev->target, "speak") == 0 &&
            (k->screen == KS_SCREEN_QUESTION || k->screen == KS_SCREEN_LANGUAGE ||
             k->screen == KS_SCREEN_AUDIENCE)) {
            kiosk_speak(k);
            return;
        }
        /* Any other tap silences the reading: the child has chosen. */
        if (k->speech)
            speech_stop(k->speech);
        handle_tap(k, ev->target);
        kiosk_rebuild_view(k);
        return;
    case KS_EV_DRAG:
        k->last_activity_ms = clock_mono_ms();
        if (kiosk_is_ws_screen(k->screen))
            workshop_drag(k->ws, ev);
        else
            kiosk_answer_drag(k, ev);
        kiosk_rebuild_view(k);
        return;
    }
}

static bool idle_watched(KsScreen s)
{
    return s == KS_SCREEN_AUDIENCE || s == KS_SCREEN_LANGUAGE || s == KS_SCREEN_QUESTION ||
           s == KS_SCREEN_CONFIRM_QUIT || kiosk_is_ws_screen(s);
}

bool kiosk_busy(const Kiosk *k)
{
    return staff_busy(k->staff);
}

int64_t kiosk_next_deadline(const Kiosk *k)
{
    int64_t prompt_ms = (int64_t)k->cfg->idle_prompt_s * 1000;
    if (is_staff_screen(k->screen))
        return staff_next_deadline(k->staff);
    if (idle_watched(k->screen))
        return k->last_activity_ms + (int64_t)k->cfg->idle_timeout_s * 1000;
    if (k->screen == KS_SCREEN_IDLE_PROMPT) {
        /* Wake at each whole second for the countdown, and at its end. */
        int64_t elapsed = clock_mono_ms() - k->prompt_start_ms;
        int64_t next = k->prompt_start_ms + (elapsed / 1000 + 1) * 1000;
        int64_t end = k->prompt_start_ms + prompt_ms;
        return next < end ? next : end;
    }
    if (k->screen == KS_SCREEN_FAULT && k->fault_reason == UIT_FAULT_DISK_FULL)
        return k->fault_since_ms + DISK_RECHECK_MS;
    /* Night hours are looked at once a minute (and when a woken screen
     * may go dark again). */
    if ((k->screen == KS_SCREEN_ATTRACT || k->screen == KS_SCREEN_SLEEP) &&
        k->cfg->sleep_from_min >= 0) {
        int64_t now = clock_mono_ms(), next = now + SLEEP_CHECK_MS;
        if (k->awake_until_ms > now && k->awake_until_ms < next)
            next = k->awake_until_ms;
        return next;
    }
    if (k->screen == KS_SCREEN_THANKS) {
        /* Wake when the cool-down ends (to offer "done"), then at the end. */
        if (k->view.n_targets > 0 && !k->view.targets[0].enabled)
            return k->thanks_start_ms + (int64_t)k->cfg->cooldown_s * 1000;
        return k->thanks_start_ms + (int64_t)k->cfg->thanks_s * 1000;
    }
    return -1;
}

void kiosk_tick(Kiosk *k)
{
    int64_t now = clock_mono_ms();
    KsScreen before = k->screen;
    int countdown_before = k->view.countdown_s;
    bool redraw = kiosk_housekeeping(k);
    if (is_staff_screen(k->screen)) {
        if (staff_tick(k->staff) || redraw) {
            after_staff(k);
            kiosk_rebuild_view(k);
        }
        return;
    }
    /* A disk that has room again (staff exported and freed space) lets
     * the kiosk go back to the welcome screen by itself. */
    if (k->screen == KS_SCREEN_FAULT && k->fault_reason == UIT_FAULT_DISK_FULL &&
        now - k->fault_since_ms >= DISK_RECHECK_MS) {
        k->fault_since_ms = now;
        if (disk_has_room(k)) {
            LOG_INFO("free disk space is back above %d MB", k->cfg->min_free_mb);
            go_attract(k);
            kiosk_rebuild_view(k);
            return;
        }
    }
    kiosk_sleep_tick(k, now);
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
        kiosk_rebuild_view(k);
        return;
    }
    if (k->screen == KS_SCREEN_THANKS && k->view.n_targets > 0 && !k->view.targets[0].enabled &&
        now - k->thanks_start_ms >= (int64_t)k->cfg->cooldown_s * 1000) {
        kiosk_rebuild_view(k);
        return;
    }
    if (k->screen == KS_SCREEN_IDLE_PROMPT) {
        int left = k->cfg->idle_prompt_s - (int)((now - k->prompt_start_ms) / 1000);
        if (left != countdown_before)
            kiosk_rebuild_view(k);
    }
}

const KsView *kiosk_view(const Kiosk *k)
{
    return &k->view;
}
