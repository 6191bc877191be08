/* workshop_staff: the staff side of the Zukunftswerkstatt — the settings
 * before a start, the phases, which cards a voting round is about,
 * moderation, merging, the results full-screen and closing. Every decision
 * is committed through store_workshop before the page shows it. Draws
 * nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/clock.h"
#include "../core/log.h"
#include "../core/str.h"
#include "workshop_private.h"

static const char DEFAULT_TITLE[] = "Zukunftswerkstatt";
static const char DEFAULT_QUESTION[] = "Unser Kiez in 5 Jahren";

/* The settings of the next start back to their defaults. */
static void setup_defaults(Workshop *w)
{
    str_copy(w->staff.title, sizeof w->staff.title, DEFAULT_TITLE);
    str_copy(w->staff.question, sizeof w->staff.question, DEFAULT_QUESTION);
    for (int i = 0; i < WS_LANG_COUNT; i++)
        w->staff.langs[i] = true;
    w->staff.dots = 3;
    w->staff.approval = true;
}

void workshop_staff_init(Workshop *w)
{
    w->staff.msg = UIT_NONE;
    w->staff.screen = KS_SCREEN_STAFF_WORKSHOP;
    setup_defaults(w);
}

void workshop_staff_enter(Workshop *w)
{
    workshop_refresh(w);
    w->staff.screen = KS_SCREEN_STAFF_WORKSHOP;
    w->staff.merge_from = 0;
    w->staff.msg = UIT_NONE;
    workshop_load_pending(w);
}

KsScreen workshop_staff_screen(const Workshop *w)
{
    return w->staff.screen;
}

bool workshop_staff_tabs(const Workshop *w)
{
    return w->staff.screen != KS_SCREEN_STAFF_WS_EDIT &&
           w->staff.screen != KS_SCREEN_STAFF_WS_RESULTS;
}

static KsStatus on_pending(void *ctx, const StoreWsCard *c)
{
    Workshop *w = ctx;
    if (w->staff.n_pending++ == 0) {
        w->staff.have_pending = true;
        w->staff.pending = *c;
    }
    return KS_OK;
}

void workshop_load_pending(Workshop *w)
{
    w->staff.have_pending = false;
    w->staff.n_pending = 0;
    w->staff.pending_thumb[0] = '\0';
    if (!w->have)
        return;
    KsStatus ks = store_ws_cards(w->store, w->cur.id, -1, false, true, on_pending, w);
    if (ks != KS_OK)
        LOG_ERROR("pending cards not read: %s", ks_status_str(ks));
    if (w->staff.have_pending)
        workshop_thumb(w, &w->staff.pending, w->staff.pending_thumb, sizeof w->staff.pending_thumb);
}

static void start_workshop(Workshop *w)
{
    StoreWorkshop s;
    memset(&s, 0, sizeof s);
    str_copy(s.title, sizeof s.title, w->staff.title[0] ? w->staff.title : DEFAULT_TITLE);
    str_copy(s.question, sizeof s.question, w->staff.question);
    for (int i = 0; i < WS_LANG_COUNT; i++) {
        if (!w->staff.langs[i])
            continue;
        size_t n = strlen(s.langs);
        snprintf(s.langs + n, sizeof s.langs - n, "%s%s", n ? " " : "", ws_langs[i]);
    }
    if (!s.langs[0]) {
        w->staff.msg = UIT_STAFF_WS_NO_LANG;
        return;
    }
    s.dots = w->staff.dots;
    s.approval = w->staff.approval;
    s.phase = WS_PHASE_CRITIQUE;
    s.round = 1;
    s.open = true;
    int64_t id = 0;
    KsStatus ks = store_ws_create(w->store, &s, clock_wall_ms(), &id);
    if (ks != KS_OK) {
        LOG_ERROR("workshop not started: %s", ks_status_str(ks));
        w->staff.msg = UIT_STAFF_WS_FAILED;
        return;
    }
    LOG_INFO("workshop %lld started: %s (%s)", (long long)id, s.title, s.langs);
    workshop_refresh(w);
}

static void merge_tap(Workshop *w, const char *id)
{
    if (strncmp(id, "merge:", 6) == 0) {
        int64_t c = strtoll(id + 6, NULL, 10);
        w->staff.merge_from = w->staff.merge_from == c ? 0 : c; /* a second tap takes it back */
        w->staff.msg = UIT_NONE;
    } else if (strncmp(id, "merge-into:", 11) == 0 && w->staff.merge_from) {
        int64_t into = strtoll(id + 11, NULL, 10);
        KsStatus ks = store_ws_card_merge(w->store, w->staff.merge_from, into);
        if (ks != KS_OK) {
            LOG_ERROR("cards not merged: %s", ks_status_str(ks));
            w->staff.msg = UIT_STAFF_WS_FAILED;
        } else {
            LOG_INFO("workshop card %lld merged into %lld", (long long)w->staff.merge_from,
                     (long long)into);
            w->staff.msg = UIT_STAFF_WS_MERGED;
        }
        w->staff.merge_from = 0;
    }
    workshop_load_cards(w, -1, false);
}

/* The settings before a start. */
static void setup_tap(Workshop *w, const char *id)
{
    if (strcmp(id, "ws:set:title") == 0 || strcmp(id, "ws:set:question") == 0) {
        w->staff.editing = strcmp(id, "ws:set:question") == 0;
        keys_start(&w->keys, "de");
        w->staff.screen = KS_SCREEN_STAFF_WS_EDIT;
    } else if (strncmp(id, "ws:lang:", 8) == 0) {
        for (int i = 0; i < WS_LANG_COUNT; i++)
            if (strcmp(id + 8, ws_langs[i]) == 0)
                w->staff.langs[i] = !w->staff.langs[i];
    } else if (strcmp(id, "ws:dots:+") == 0 && w->staff.dots < 10) {
        w->staff.dots++;
    } else if (strcmp(id, "ws:dots:-") == 0 && w->staff.dots > 1) {
        w->staff.dots--;
    } else if (strcmp(id, "ws:approval") == 0) {
        w->staff.approval = !w->staff.approval;
    } else if (strcmp(id, "ws:start") == 0) {
        start_workshop(w);
    }
}

/* A phase, or which cards the voting round is about. */
static void phase_tap(Workshop *w, const char *id)
{
    bool vote = strncmp(id, "ws:vphase:", 10) == 0;
    int p = workshop_phase_from_name(id + (vote ? 10 : 9));
    if (p < 0 || (vote && p > WS_PHASE_REALISATION))
        return;
    KsStatus ks = vote ? store_ws_set_vote_phase(w->store, w->cur.id, (WsPhase)p)
                       : store_ws_set_phase(w->store, w->cur.id, (WsPhase)p);
    if (ks != KS_OK) {
        LOG_ERROR("phase not switched: %s", ks_status_str(ks));
        w->staff.msg = UIT_STAFF_WS_FAILED;
    } else {
        LOG_INFO("workshop %s: %s", vote ? "voting about" : "phase",
                 store_ws_phase_name((WsPhase)p));
    }
    workshop_refresh(w);
}

/* The controls of a running workshop. */
static void control_tap(Workshop *w, const char *id)
{
    if (strncmp(id, "ws:phase:", 9) == 0 || strncmp(id, "ws:vphase:", 10) == 0) {
        phase_tap(w, id);
    } else if (strcmp(id, "ws:moderate") == 0) {
        workshop_load_pending(w);
        w->staff.screen = KS_SCREEN_STAFF_WS_MODERATE;
    } else if (strcmp(id, "ws:merge") == 0) {
        w->staff.merge_from = 0;
        workshop_load_cards(w, -1, false);
        w->staff.screen = KS_SCREEN_STAFF_WS_MERGE;
    } else if (strcmp(id, "ws:results") == 0) {
        w->rsel = -1;
        w->page = 0;
        workshop_results_load(w);
        w->staff.screen = KS_SCREEN_STAFF_WS_RESULTS;
    } else if (strcmp(id, "ws:close") == 0) {
        KsStatus ks = store_ws_close(w->store, w->cur.id);
        if (ks != KS_OK) {
            LOG_ERROR("workshop not closed: %s", ks_status_str(ks));
            w->staff.msg = UIT_STAFF_WS_FAILED;
        } else {
            LOG_INFO("workshop %lld closed", (long long)w->cur.id);
            setup_defaults(w);
        }
        workshop_refresh(w);
    }
}

static void moderate_tap(Workshop *w, const char *id)
{
    if (!w->staff.have_pending || (strcmp(id, "ws:approve") != 0 && strcmp(id, "ws:reject") != 0))
        return;
    bool ok = strcmp(id, "ws:approve") == 0;
    KsStatus ks = store_ws_card_set_status(w->store, w->staff.pending.id,
                                           ok ? WS_CARD_APPROVED : WS_CARD_REJECTED);
    if (ks != KS_OK)
        LOG_ERROR("card decision not stored: %s", ks_status_str(ks));
    else
        LOG_INFO("workshop card %lld %s", (long long)w->staff.pending.id,
                 ok ? "approved" : "rejected");
    workshop_load_pending(w);
}

KsScreen workshop_staff_tap(Workshop *w, const char *id)
{
    workshop_refresh(w);
    KsScreen scr = w->staff.screen;
    if (scr == KS_SCREEN_STAFF_WS_EDIT) {
        char *buf = w->staff.editing ? w->staff.question : w->staff.title;
        size_t size = w->staff.editing ? sizeof w->staff.question : sizeof w->staff.title;
        if (strncmp(id, "key:", 4) == 0)
            (void)workshop_key(w, id + 4, buf, size, (int)size / 2 - 1);
        else if (strcmp(id, "ws:edit:ok") == 0)
            w->staff.screen = KS_SCREEN_STAFF_WORKSHOP;
        return w->staff.screen;
    }
    if (strcmp(id, "ws:back") == 0) {
        workshop_staff_enter(w);
        return w->staff.screen;
    }
    if (scr == KS_SCREEN_STAFF_WS_RESULTS) {
        if (strcmp(id, "ws:page:next") == 0)
            w->page++;
        else if (strcmp(id, "ws:page:back") == 0 && w->page > 0)
            w->page--;
        else if (workshop_results_tap(w, id)) {
            w->page = 0;
            workshop_results_load(w);
        }
        return w->staff.screen;
    }
    if (scr == KS_SCREEN_STAFF_WS_MODERATE)
        moderate_tap(w, id);
    else if (scr == KS_SCREEN_STAFF_WS_MERGE)
        merge_tap(w, id);
    else {
        /* The workshop page: the settings before a start, the controls after. */
        w->staff.msg = UIT_NONE;
        if (!w->have)
            setup_tap(w, id);
        else
            control_tap(w, id);
    }
    return w->staff.screen;
}
