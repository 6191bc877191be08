/* store_stats: read-only counts for the stats command and the staff screen. */
#ifndef KS_STORE_STATS_H
#define KS_STORE_STATS_H

#include <stdint.h>

#include "store.h"
#include "store_responses.h"

/* Calls fn once per (form, outcome) pair that has sessions, ordered by
 * form id then outcome. */
typedef void (*StoreCountFn)(void *ctx, const char *form_id, StoreOutcome outcome, int count);
KsStatus store_stats_sessions(Store *s, StoreCountFn fn, void *ctx);

/* The batches of the export ledger and the office's receipts. A batch and
 * its re-exports carry the same responses: a receipt for any of them
 * confirms all of them. */
typedef struct {
    int acked;                 /* batches confirmed by a receipt */
    int unacked;               /* batches not confirmed yet */
    int64_t oldest_unacked_ms; /* the oldest of those, 0 when none */
} StoreAckCounts;
KsStatus store_stats_acks(Store *s, StoreAckCounts *out);

/* Name of an outcome as stored and printed: "open", "complete", "abandoned". */
const char *store_outcome_name(StoreOutcome o);

#endif
