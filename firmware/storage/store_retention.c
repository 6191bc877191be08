/* store_retention: the deletion of exported data after the retention
 * period, counted from the export or from the office's receipt (one
 * transaction, then VACUUM and a WAL checkpoint outside it) and the counts
 * of what is kept. Answers and drawings go with their session
 * through ON DELETE CASCADE (foreign keys are on, see store.c); the batch
 * ledger is never touched. */
#include "store_retention.h"

#include <string.h>

#include "../core/log.h"
#include "store_private.h"

/* A session leaves only when its batch is in the ledger and old enough
 * (with receipts: its acknowledgement is), and none of its answers waits
 * for review or was approved after the batch was made (such an answer
 * never went out). */
#define SQL_PURGE_SESSIONS_WHERE(cond)                                                             \
    "DELETE FROM session WHERE id IN (SELECT s.id FROM session s"                                  \
    " JOIN batch b ON b.id = s.batch_id WHERE " cond                                               \
    " AND NOT EXISTS (SELECT 1 FROM answer a WHERE a.session_id = s.id"                            \
    " AND (a.review = 'pending' OR (a.review = 'approved' AND a.reviewed_at > b.created_at))))"
#define SQL_PURGE_SESSIONS SQL_PURGE_SESSIONS_WHERE("b.created_at < ?1")
#define SQL_PURGE_SESSIONS_ACKED SQL_PURGE_SESSIONS_WHERE("s.acked_at < ?1")
/* An exported workshop is frozen; once closed nothing of it can change. */
#define SQL_PURGE_WORKSHOPS                                                                        \
    "DELETE FROM workshop WHERE open = 0 AND batch_id IN"                                          \
    " (SELECT id FROM batch WHERE created_at < ?1)"
#define SQL_PURGE_WORKSHOPS_ACKED                                                                  \
    "DELETE FROM workshop WHERE open = 0 AND batch_id IN (SELECT id FROM batch)"                   \
    " AND acked_at < ?1"
#define SQL_KEPT                                                                                   \
    "SELECT count(*), coalesce(sum(batch_id IS NOT NULL), 0),"                                     \
    " coalesce(CAST(round((julianday(min(started_at)) - 2440587.5) * 86400000) AS INTEGER), 0),"   \
    " coalesce((SELECT CAST(round((julianday(min(b.created_at)) - 2440587.5) * 86400000)"          \
    "  AS INTEGER) FROM batch b WHERE EXISTS (SELECT 1 FROM session x"                             \
    "  WHERE x.batch_id = b.id)), 0)"                                                              \
    " FROM session"

/* Runs one purge statement; *changed gets the rows it deleted. */
static KsStatus purge_one(Store *s, const char *sql, int64_t cutoff_ms, const char *what,
                          int *changed)
{
    KsStatus ks = store_run(s, sql, what, "T", cutoff_ms);
    if (ks == KS_OK)
        *changed = store_changes(s);
    return ks;
}

/* VACUUM rewrites the file without the freed pages (nothing of the deleted
 * answers is left in it); in WAL mode the new pages sit in the WAL until a
 * checkpoint, which with synchronous=FULL is synced before the WAL is
 * truncated, so the smaller file is as durable as any commit. */
static void compact(Store *s)
{
    if (store_exec(s, "VACUUM", "vacuum database") != KS_OK) {
        LOG_WARN("database not compacted after deleting old data");
        return;
    }
    if (store_exec(s, "PRAGMA wal_checkpoint(TRUNCATE)", "checkpoint WAL") != KS_OK)
        LOG_WARN("WAL not checkpointed after compacting the database");
}

KsStatus store_retention_purge(Store *s, int64_t cutoff_ms, bool by_receipt,
                               StoreRetentionResult *out)
{
    memset(out, 0, sizeof *out);
    KsStatus ks = store_tx_begin(s);
    if (ks != KS_OK)
        return ks;
    int sessions = 0, workshops = 0;
    ks = purge_one(s, by_receipt ? SQL_PURGE_SESSIONS_ACKED : SQL_PURGE_SESSIONS, cutoff_ms,
                   "delete old exported sessions", &sessions);
    if (ks == KS_OK)
        ks = purge_one(s, by_receipt ? SQL_PURGE_WORKSHOPS_ACKED : SQL_PURGE_WORKSHOPS, cutoff_ms,
                       "delete old exported workshops", &workshops);
    ks = store_tx_end(s, ks);
    if (ks != KS_OK)
        return ks;
    out->sessions = sessions;
    out->workshops = workshops;
    if (sessions > 0 || workshops > 0)
        compact(s);
    return KS_OK;
}

KsStatus store_retention_kept(Store *s, StoreKept *out)
{
    int64_t v[4] = {0, 0, 0, 0};
    KsStatus ks = store_query_row(s, SQL_KEPT, "count kept sessions", store_row_ints, v, "");
    out->sessions = (int)v[0];
    out->exported = (int)v[1];
    out->oldest_ms = v[2];
    out->oldest_export_ms = v[3];
    return ks;
}
