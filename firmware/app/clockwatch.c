/* clockwatch: the last known good wall time and the doubt about the clock
 * (see clockwatch.h). Two small settings in the store; a write at most
 * once a minute, at each committed session and on a change of doubt. */
#include "clockwatch.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/clock.h"
#include "../core/log.h"
#include "../core/mem.h"
#include "../storage/store_export.h"

struct ClockWatch {
    Store *store;
    bool doubt;
    int64_t last_known_ms; /* wall */
    int64_t ref_mono_ms;   /* the last look: monotonic and wall time together */
    int64_t ref_wall_ms;
    int64_t saved_mono_ms; /* when the last known time was last saved */
    bool save_failed;      /* logged once, not every minute */
};

void clockwatch_read_stored(Store *store, bool *doubt, int64_t *last_ms)
{
    char v[32];
    *doubt = false;
    *last_ms = 0;
    if (!store)
        return;
    if (store_setting_get(store, CLOCKWATCH_KEY_DOUBT, v, sizeof v) == KS_OK)
        *doubt = strcmp(v, "1") == 0;
    if (store_setting_get(store, CLOCKWATCH_KEY_LAST, v, sizeof v) == KS_OK)
        *last_ms = strtoll(v, NULL, 10);
}

static void save_last(ClockWatch *cw, int64_t wall_ms)
{
    char v[32];
    snprintf(v, sizeof v, "%" PRId64, wall_ms);
    cw->saved_mono_ms = clock_mono_ms();
    KsStatus ks = store_setting_set(cw->store, CLOCKWATCH_KEY_LAST, v);
    if (ks != KS_OK) {
        if (!cw->save_failed)
            LOG_WARN("last known time not saved: %s", ks_status_str(ks));
        cw->save_failed = true;
        return;
    }
    cw->save_failed = false;
    cw->last_known_ms = wall_ms;
}

static void look_now(ClockWatch *cw)
{
    cw->ref_mono_ms = clock_mono_ms();
    cw->ref_wall_ms = clock_wall_ms();
}

/* The doubt begins: stored at once, so a restart keeps it. */
static void begin_doubt(ClockWatch *cw, const char *why)
{
    cw->doubt = true;
    KsStatus ks = store_setting_set(cw->store, CLOCKWATCH_KEY_DOUBT, "1");
    char now[32], last[32];
    clock_format_iso(clock_wall_ms(), now);
    clock_format_iso(cw->last_known_ms, last);
    LOG_WARN("clock in doubt: %s (clock %s, last known %s); sessions are flagged until staff"
             " set or confirm the clock%s",
             why, now, cw->last_known_ms ? last : "none", ks == KS_OK ? "" : " (not stored)");
}

ClockWatch *clockwatch_create(Store *store)
{
    ClockWatch *cw = xcalloc(1, sizeof *cw);
    cw->store = store;
    look_now(cw);
    if (!store)
        return cw;
    bool stored_doubt = false;
    clockwatch_read_stored(store, &stored_doubt, &cw->last_known_ms);
    int64_t now = clock_wall_ms();
    if (stored_doubt) {
        cw->doubt = true;
        char last[32];
        clock_format_iso(cw->last_known_ms, last);
        LOG_WARN("clock still in doubt since before the restart (last known %s)", last);
    } else if (cw->last_known_ms > 0 && now < cw->last_known_ms - CLOCKWATCH_TOLERANCE_MS) {
        begin_doubt(cw, "the clock is before the last known time at start");
    }
    /* Not saved here: the first clockwatch_check saves it, after the
     * kiosk's first frame (a commit and its sync before it otherwise). */
    cw->saved_mono_ms = INT64_MIN / 2;
    return cw;
}

void clockwatch_destroy(ClockWatch *cw)
{
    free(cw);
}

bool clockwatch_check(ClockWatch *cw)
{
    if (!cw || !cw->store)
        return false;
    int64_t mono = clock_mono_ms(), wall = clock_wall_ms();
    int64_t expected = cw->ref_wall_ms + (mono - cw->ref_mono_ms);
    bool began = false;
    if (!cw->doubt && wall < expected - CLOCKWATCH_TOLERANCE_MS) {
        begin_doubt(cw, "the clock jumped backwards");
        began = true;
    }
    look_now(cw);
    if (!cw->doubt && mono - cw->saved_mono_ms >= CLOCKWATCH_SAVE_MS)
        save_last(cw, wall);
    return began;
}

void clockwatch_note(ClockWatch *cw)
{
    if (cw && cw->store && !cw->doubt)
        save_last(cw, clock_wall_ms());
}

bool clockwatch_in_doubt(const ClockWatch *cw)
{
    return cw && cw->doubt;
}

int64_t clockwatch_last_known_ms(const ClockWatch *cw)
{
    return cw ? cw->last_known_ms : 0;
}

KsStatus clockwatch_resolve(ClockWatch *cw, bool set)
{
    if (!cw || !cw->store)
        return KS_OK;
    bool was = cw->doubt;
    cw->doubt = false;
    look_now(cw);
    KsStatus ks = store_setting_set(cw->store, CLOCKWATCH_KEY_DOUBT, "0");
    save_last(cw, cw->ref_wall_ms);
    char now[32];
    clock_format_iso(cw->ref_wall_ms, now);
    if (was)
        LOG_INFO("clock doubt ended: staff %s the clock (%s)", set ? "set" : "confirmed", now);
    if (ks != KS_OK)
        LOG_ERROR("clock doubt end not stored: %s", ks_status_str(ks));
    return ks;
}
