/* retention: the daily deletion of old exported data (see retention.h). */
#include "retention.h"

#include <stdbool.h>
#include <string.h>

#include "../core/clock.h"
#include "../core/log.h"

KsStatus retention_run(Store *s, int days, bool clock_doubt, int64_t now_ms,
                       StoreRetentionResult *out)
{
    StoreRetentionResult r;
    memset(&r, 0, sizeof r);
    if (out)
        *out = r;
    if (!s || days <= 0)
        return KS_OK;
    if (clock_doubt) {
        LOG_WARN("old exported data not deleted: the clock is in doubt");
        return KS_ERR_STATE;
    }
    int64_t cutoff = now_ms - (int64_t)days * RETENTION_DAY_MS;
    KsStatus st = store_retention_purge(s, cutoff, &r);
    if (st != KS_OK) {
        LOG_ERROR("old exported data not deleted: %s", ks_status_str(st));
        return st;
    }
    if (r.sessions > 0 || r.workshops > 0) {
        char iso[32];
        clock_format_iso(cutoff, iso);
        LOG_INFO("retention: deleted %d session(s) and %d workshop(s) exported before %s"
                 " (%d days); database compacted",
                 r.sessions, r.workshops, iso, days);
    }
    if (out)
        *out = r;
    return KS_OK;
}
