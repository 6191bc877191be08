/* retention: when exported responses leave the kiosk. Runs the store's
 * deletion of sessions exported longer than retention_days ago (at start
 * and once a day), never while the clock is in doubt (a wrong clock would
 * make a wrong cut-off), and logs what it deleted. Draws nothing. */
#ifndef KS_RETENTION_H
#define KS_RETENTION_H

#include <stdint.h>

#include "../storage/store.h"
#include "../storage/store_retention.h"

#define RETENTION_DAY_MS (24LL * 60 * 60 * 1000)

/* Deletes what was exported more than `days` days before the wall time
 * now_ms (see store_retention_purge) and logs the counts. KS_OK with
 * nothing done when days is 0 (keep for ever); KS_ERR_STATE (logged, nothing
 * done) when clock_doubt. *out (may be NULL) gets the counts. */
KsStatus retention_run(Store *s, int days, bool clock_doubt, int64_t now_ms,
                       StoreRetentionResult *out);

#endif
