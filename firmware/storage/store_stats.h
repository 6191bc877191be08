/* store_stats: read-only counts for the stats command and the staff screen. */
#ifndef KS_STORE_STATS_H
#define KS_STORE_STATS_H

#include "store.h"
#include "store_responses.h"

/* Calls fn once per (form, outcome) pair that has sessions, ordered by
 * form id then outcome. */
typedef void (*StoreCountFn)(void *ctx, const char *form_id, StoreOutcome outcome, int count);
KsStatus store_stats_sessions(Store *s, StoreCountFn fn, void *ctx);

/* Name of an outcome as stored and printed: "open", "complete", "abandoned". */
const char *store_outcome_name(StoreOutcome o);

#endif
