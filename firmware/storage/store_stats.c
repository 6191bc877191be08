/* store_stats: read-only session counts per (form, outcome) for the stats
 * command and the staff screen, the outcome names as stored, and the
 * counts of batches the evaluation office confirmed. Writes nothing. */
#include "store_stats.h"

#include <string.h>

#include "../core/log.h"
#include "store_private.h"

#define SQL_STATS_SESSIONS                                         \
    "SELECT form_id, outcome, count(*) FROM session"              \
    " GROUP BY form_id, outcome ORDER BY form_id, outcome"

/* A batch is unconfirmed while no batch of its family (the original and
 * its re-exports) has a receipt. */
#define SQL_STATS_ACKS                                                                    \
    "SELECT count(*), coalesce(sum(u), 0),"                                               \
    " coalesce(CAST(round((julianday(min(CASE WHEN u THEN created_at END)) - 2440587.5)"  \
    "  * 86400000) AS INTEGER), 0)"                                                       \
    " FROM (SELECT b.created_at, NOT EXISTS (SELECT 1 FROM batch x"                       \
    "  WHERE x.acked_at IS NOT NULL"                                                      \
    "  AND coalesce(x.redo_of, x.id) = coalesce(b.redo_of, b.id)) AS u FROM batch b)"

const char *store_outcome_name(StoreOutcome o)
{
    switch (o) {
    case STORE_OUTCOME_OPEN:
        return "open";
    case STORE_OUTCOME_COMPLETE:
        return "complete";
    case STORE_OUTCOME_ABANDONED:
        return "abandoned";
    }
    LOG_ERROR("unknown outcome %d", (int)o);
    return "open";
}

/* The CHECK constraint limits outcome to the three names. */
static bool store_outcome_parse(const char *name, StoreOutcome *out)
{
    if (!name)
        return false;
    if (strcmp(name, "open") == 0)
        *out = STORE_OUTCOME_OPEN;
    else if (strcmp(name, "complete") == 0)
        *out = STORE_OUTCOME_COMPLETE;
    else if (strcmp(name, "abandoned") == 0)
        *out = STORE_OUTCOME_ABANDONED;
    else
        return false;
    return true;
}

KsStatus store_stats_sessions(Store *s, StoreCountFn fn, void *ctx)
{
    const char *what = "count sessions";
    sqlite3_stmt *st = NULL;
    KsStatus ks = store_stmt_get(s, SQL_STATS_SESSIONS, what, &st);
    if (ks != KS_OK)
        return ks;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *form_id = (const char *)sqlite3_column_text(st, 0);
        StoreOutcome outcome;
        if (KS_NEVER(!store_outcome_parse((const char *)sqlite3_column_text(st, 1), &outcome)))
            continue;
        fn(ctx, form_id ? form_id : "", outcome, sqlite3_column_int(st, 2));
    }
    if (rc != SQLITE_DONE)
        ks = store_log_fail(s, rc, what);
    store_stmt_put(s, st);
    return ks;
}

KsStatus store_stats_acks(Store *s, StoreAckCounts *out)
{
    const char *what = "count receipts";
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = NULL;
    KsStatus ks = store_stmt_get(s, SQL_STATS_ACKS, what, &st);
    if (ks != KS_OK)
        return ks;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        int total = sqlite3_column_int(st, 0);
        out->unacked = sqlite3_column_int(st, 1);
        out->acked = total - out->unacked;
        out->oldest_unacked_ms = sqlite3_column_int64(st, 2);
    } else {
        ks = store_log_fail(s, rc, what);
    }
    store_stmt_put(s, st);
    return ks;
}
