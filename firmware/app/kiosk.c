/* kiosk: the router behind the screens. It owns which screen is shown and
 * the timers (idle prompt, thank-you, fault re-checks), and hands each tap
 * to the part that owns it: a question page's to the Respondent (one
 * person's session and answers), a staff screen's to staff mode, a
 * workshop screen's to the workshop. It rebuilds the view after each
 * change, never draws and never touches SQLite (storage does). */
#include "kiosk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/clock.h"
#include "../core/log.h"
#include "../core/mem.h"
#include "../core/str.h"
#include "../sys/disk.h"
#include "kiosk_private.h"
#include "uitext.h"

/* How often a full disk is looked at again on its fault screen. */
#define DISK_RECHECK_MS 10000
/* How often the welcome screen looks whether the night has begun or ended. */
#define SLEEP_CHECK_MS 60000
/* How often the outcome of a start-up integrity check is looked for. */
#define INTEGRITY_POLL_MS 100

static void go_fault(Kiosk *k, UiTextId reason)
{
    k->screen = KS_SCREEN_FAULT;
    k->fault_reason = reason;
    k->fault_since_ms = clock_mono_ms();
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

/* While staff have a workshop open, the welcome screen leads into it: at a
 * Werkstatt event the kiosk is the wall of cards, and a child should reach
 * it with one tap. The surveys come back when staff close the workshop. */
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
    k->store_fault = UIT_NONE;
    /* A check beside the start (store_open_check_later) may be running
     * still, or have failed already: then as if store_open had failed. */
    KsStatus checked = KS_OK;
    k->integrity_pending = store && store_fault == KS_OK && !store_integrity(store, &checked);
    if (store_fault == KS_OK)
        store_fault = checked;
    if (store && store_fault == KS_OK) {
        k->cw = clockwatch_create(store);
        k->staff = staff_create(cfg, catalog, store, NULL);
        k->ws = workshop_create(cfg, store);
        staff_set_workshop(k->staff, k->ws);
        staff_set_clockwatch(k->staff, k->cw);
        /* Old exports leave at the first tick, after the first frame, and
         * then once a day (kiosk_housekeeping); from a database still being
         * checked, once it has passed. retention_next_ms 0: due. */
    }
    k->resp = respondent_create(cfg, store, k->cw);
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

void kiosk_store_failed(Kiosk *k, KsStatus ks)
{
    k->store_fault = ks == KS_ERR_CORRUPT ? UIT_FAULT_CORRUPT : UIT_FAULT_DATABASE;
    LOG_ERROR("the database failed its start-up check (%s): no more answers are taken",
              ks_status_str(ks));
    /* Staff at work see it when they leave (after_staff); an open session
     * stays as it is: nothing more is written into a damaged database. */
    if (view_is_staff_screen(k->screen))
        return;
    if (k->speech)
        speech_stop(k->speech);
    go_fault(k, k->store_fault);
    kiosk_rebuild_view(k);
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
    respondent_destroy(k->resp); /* an open session is stored as abandoned */
    staff_destroy(k->staff);
    workshop_destroy(k->ws);
    clockwatch_destroy(k->cw);
    free(k);
}

/* Where a question page's tap led: the thank-you screen after the last
 * page, the fault screen when storage failed. */
static void after_question(Kiosk *k, RespondentStep step)
{
    if (step == RESPONDENT_FINISHED) {
        k->screen = KS_SCREEN_THANKS;
        k->thanks_start_ms = clock_mono_ms();
    } else if (step == RESPONDENT_FAILED) {
        go_fault(k, UIT_FAULT_DATABASE);
    }
}

/* A tile on "who are you?": the session on that form begins. */
static void on_audience(Kiosk *k, const char *form)
{
    const Form *f = catalog_find(k->catalog, form);
    if (!f || !kiosk_form_offered(k, f))
        return;
    KsStatus ks = respondent_begin(k->resp, f, form_lang_index(f, k->lang_code));
    if (ks != KS_OK) {
        LOG_ERROR("session not started: %s", ks_status_str(ks));
        go_fault(k, UIT_FAULT_DATABASE);
        return;
    }
    k->screen = KS_SCREEN_QUESTION;
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
            on_audience(k, id + 9);
        } else if (strcmp(id, "back") == 0) {
            k->lang_code[0] = '\0';
            k->screen = KS_SCREEN_LANGUAGE;
        }
        break;
    case KS_SCREEN_QUESTION:
        if (strcmp(id, "quit") == 0) {
            k->behind = KS_SCREEN_QUESTION;
            k->screen = KS_SCREEN_CONFIRM_QUIT;
        } else {
            after_question(k, respondent_tap(k->resp, id));
        }
        break;
    case KS_SCREEN_CONFIRM_QUIT:
        if (strcmp(id, "yes") == 0) {
            respondent_end(k->resp, STORE_OUTCOME_ABANDONED);
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
    if (respondent_open(k->resp)) {
        LOG_INFO("staff mode opened during a session: the session is stored as abandoned");
        respondent_end(k->resp, STORE_OUTCOME_ABANDONED);
    }
    if (k->speech)
        speech_stop(k->speech);
    k->lang_code[0] = '\0';
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
    if (k->store_fault != UIT_NONE)
        go_fault(k, k->store_fault);
    else if (!catalog_count(k->catalog))
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
        if (k->screen == KS_SCREEN_QUESTION)
            respondent_note_tap(k->resp);
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
        else if (k->screen == KS_SCREEN_QUESTION)
            respondent_drag(k->resp, ev);
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
    return k->integrity_pending || staff_busy(k->staff);
}

/* The next deadline of the screen shown (kiosk_next_deadline). */
static int64_t screen_deadline(const Kiosk *k)
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

int64_t kiosk_next_deadline(const Kiosk *k)
{
    int64_t next = screen_deadline(k);
    /* A start-up integrity check still running is looked at ten times a
     * second, whatever the screen. */
    if (k->integrity_pending) {
        int64_t check = clock_mono_ms() + INTEGRITY_POLL_MS;
        if (next < 0 || check < next)
            next = check;
    }
    return next;
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
        respondent_end(k->resp, STORE_OUTCOME_ABANDONED);
        go_attract(k);
    } else if (k->screen == KS_SCREEN_THANKS &&
               now - k->thanks_start_ms >= (int64_t)k->cfg->thanks_s * 1000) {
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
