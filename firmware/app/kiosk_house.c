/* kiosk_house: the appliance's duties on the kiosk's tick that are not
 * about a respondent — display sleep in the night hours, the clock watch
 * (clockwatch.h), the outcome of a start-up integrity check that runs
 * beside the first screens, and the daily deletion of old exports
 * (retention.h; after the evaluation office's receipt when eval_pubkey is
 * set). */
#include <time.h>

#include "../core/clock.h"
#include "../core/log.h"
#include "kiosk_private.h"
#include "retention.h"

/* Whether the local wall clock is within kiosk.conf's display_sleep. */
static bool night(const Kiosk *k)
{
    if (k->cfg->sleep_from_min < 0)
        return false;
    time_t t = (time_t)(clock_wall_ms() / 1000);
    struct tm tm;
    if (!localtime_r(&t, &tm))
        return false;
    return config_sleeping_at(k->cfg, tm.tm_hour * 60 + tm.tm_min);
}

/* The welcome screen goes dark at night, unless a touch woke it a short
 * while ago; only the welcome screen: a session or staff mode in progress
 * is never darkened under someone's hands. */
void kiosk_sleep_tick(Kiosk *k, int64_t now)
{
    if (k->screen == KS_SCREEN_ATTRACT && now >= k->awake_until_ms && night(k)) {
        LOG_INFO("display sleep: the screen goes dark");
        k->screen = KS_SCREEN_SLEEP;
    } else if (k->screen == KS_SCREEN_SLEEP && !night(k)) {
        LOG_INFO("display sleep: morning, the welcome screen is back");
        k->screen = KS_SCREEN_ATTRACT;
    }
}

/* The clock watch, the integrity check's outcome and the daily deletion of
 * old exports, on every tick (the main loop ticks at least once a minute,
 * and ten times a second while it waits). True when a staff screen must
 * show a clock doubt that began just now. */
bool kiosk_housekeeping(Kiosk *k)
{
    if (!k->cw)
        return false;
    KsStatus ks = KS_OK;
    if (k->integrity_pending && store_integrity(k->store, &ks)) {
        k->integrity_pending = false;
        if (ks != KS_OK)
            kiosk_store_failed(k, ks);
    }
    bool began = clockwatch_check(k->cw);
    if (began)
        respondent_clock_doubt(k->resp);
    /* A database still being checked, or found damaged, deletes nothing. */
    if (!k->integrity_pending && k->store_fault == UIT_NONE &&
        clock_mono_ms() >= k->retention_next_ms) {
        k->retention_next_ms = clock_mono_ms() + RETENTION_DAY_MS;
        /* With the office's receipt key configured, only what its receipts
         * acknowledged may go, counted from the receipt. */
        retention_run(k->store, k->cfg->retention_days, k->cfg->eval_pubkey[0] != '\0',
                      clockwatch_in_doubt(k->cw), clock_wall_ms(), NULL);
    }
    return began && view_is_staff_screen(k->screen);
}
