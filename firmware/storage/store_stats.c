/* store_stats: read-only session counts per (form, outcome) for the stats
 * command and the staff screen, the outcome names as stored, and the
 * counts of batches the evaluation office confirmed. Writes nothing. */
#include "store_stats.h"

#include <string.h>

#include "../core/log.h"
#include "../core/str.h"
#include "store_private.h"

#define SQL_STATS_SESSIONS                                                                         \
    "SELECT form_id, outcome, count(*) FROM session"                                               \
    " GROUP BY form_id, outcome ORDER BY form_id, outcome"

/* A batch is unconfirmed while no batch of its family (the original and
 * its re-exports) has a receipt. */
#define SQL_STATS_ACKS                                                                             \
    "SELECT count(*), coalesce(sum(u), 0),"                                                        \
    " coalesce(CAST(round((julianday(min(CASE WHEN u THEN created_at END)) - 2440587.5)"           \
    "  * 86400000) AS INTEGER), 0)"                                                                \
    " FROM (SELECT b.created_at, NOT EXISTS (SELECT 1 FROM batch x"                                \
    "  WHERE x.acked_at IS NOT NULL"                                                               \
    "  AND coalesce(x.redo_of, x.id) = coalesce(b.redo_of, b.id)) AS u FROM batch b)"

/* The CHECK constraint limits outcome to these three names. */
static const char *const STORE_OUTCOME_NAMES[] = {"open", "complete", "abandoned"};
_Static_assert(STR_COUNT(STORE_OUTCOME_NAMES) == STORE_OUTCOME_ABANDONED + 1,
               "a name for every outcome");

const char *store_outcome_name(StoreOutcome o)
{
    const char *name =
        str_name_of(STORE_OUTCOME_NAMES, STR_COUNT(STORE_OUTCOME_NAMES), (int)o, NULL);
    if (name)
        return name;
    LOG_ERROR("unknown outcome %d", (int)o);
    return "open";
}

static bool store_outcome_parse(const char *name, StoreOutcome *out)
{
    int i = str_name_index(STORE_OUTCOME_NAMES, STR_COUNT(STORE_OUTCOME_NAMES), name);
    if (i < 0)
        return false;
    *out = (StoreOutcome)i;
    return true;
}

typedef struct {
    StoreCountFn fn;
    void *ctx;
} CountRun;

static KsStatus count_row(void *ctx, sqlite3_stmt *row)
{
    CountRun *run = ctx;
    const char *form_id = (const char *)sqlite3_column_text(row, 0);
    StoreOutcome outcome;
    if (KS_NEVER(!store_outcome_parse((const char *)sqlite3_column_text(row, 1), &outcome)))
        return KS_OK;
    run->fn(run->ctx, form_id ? form_id : "", outcome, sqlite3_column_int(row, 2));
    return KS_OK;
}

KsStatus store_stats_sessions(Store *s, StoreCountFn fn, void *ctx)
{
    CountRun run = {fn, ctx};
    return store_query(s, SQL_STATS_SESSIONS, "count sessions", count_row, &run, "");
}

KsStatus store_stats_acks(Store *s, StoreAckCounts *out)
{
    int64_t v[3] = {0, 0, 0};
    KsStatus ks = store_query_row(s, SQL_STATS_ACKS, "count receipts", store_row_ints, v, "");
    out->unacked = (int)v[1];
    out->acked = (int)v[0] - out->unacked;
    out->oldest_unacked_ms = v[2];
    return ks;
}
