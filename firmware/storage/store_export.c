/* store_export: reading sessions for exports and staff screens, the batch
 * ledger, reviews, form activation and settings. Reads walk one joined,
 * ordered query, so an export of many sessions costs one statement, not one
 * per session. */
#include "store_export.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/log.h"
#include "../core/mem.h"
#include "../core/str.h"
#include "store_private.h"

/* Sessions with their answers, one row per answer (or one row with NULL
 * answer columns for a session without answers), ordered by session. */
#define SQL_SESSIONS_SELECT                                                               \
    "SELECT s.id, s.form_id, s.form_version, s.lang, s.audience, s.started_at,"           \
    " s.ended_at, s.misuse, s.batch_id, a.question, a.value, a.review,"                   \
    " (SELECT count(*) FROM answer_media m WHERE m.session_id = a.session_id"             \
    "  AND m.question = a.question), s.clock_doubt"                                       \
    " FROM session s LEFT JOIN answer a ON a.session_id = s.id"
#define SQL_SESSIONS_NEW                                                                  \
    SQL_SESSIONS_SELECT " WHERE s.outcome = 'complete' AND s.batch_id IS NULL"            \
                        " AND (?1 OR s.misuse IS NULL) ORDER BY s.id, a.question"
#define SQL_SESSIONS_REDO                                                                 \
    SQL_SESSIONS_SELECT " WHERE s.batch_id = ?2 AND (?1 OR s.misuse IS NULL)"             \
                        " ORDER BY s.id, a.question"
#define SQL_REVIEW_PENDING                                                                \
    SQL_SESSIONS_SELECT " WHERE a.review = 'pending' AND s.outcome = 'complete'"          \
                        " ORDER BY a.answered_at, s.id, a.question LIMIT ?1"
#define SQL_REVIEW_SET                                                                    \
    "UPDATE answer SET review = ?3, reviewed_at = ?4 WHERE session_id = ?1"               \
    " AND question = ?2 AND review IS NOT NULL"
#define SQL_BATCH_COLS                                                                    \
    "SELECT id, tag_sha256, prev_id, rows, created_at, redo_of, acked_at, ack_received"   \
    " FROM batch"
#define SQL_BATCH_LAST SQL_BATCH_COLS " ORDER BY rowid DESC LIMIT 1"
#define SQL_BATCH_GET SQL_BATCH_COLS " WHERE id = ?1"
/* A re-export's id is the original's and "-R" with four characters
 * (export.h); the same rule as schema step 8's. */
#define SQL_BATCH_INSERT                                                                  \
    "INSERT INTO batch(id, tag_sha256, prev_id, rows, created_at, redo_of)"               \
    " VALUES(?1, ?2, ?3, ?4, ?5, (SELECT p.id FROM batch p"                               \
    " WHERE length(?1) = length(p.id) + 6 AND substr(?1, 1, length(p.id)) = p.id"         \
    " AND substr(?1, length(p.id) + 1, 2) = '-R'))"
#define SQL_BATCH_ACK                                                                     \
    "UPDATE batch SET acked_at = ?2, ack_received = ?3 WHERE id = ?1 AND acked_at IS NULL"
#define SQL_BATCH_SESSIONS                                                                \
    "SELECT count(*), coalesce(sum(misuse IS NULL), 0) FROM session WHERE batch_id = ?1"
/* ?3: 1 for every session of the batch, 0 for those without a misuse flag. */
#define SQL_SESSIONS_ACK                                                                  \
    "UPDATE session SET acked_at = ?2 WHERE batch_id = ?1 AND acked_at IS NULL"           \
    " AND (?3 OR misuse IS NULL)"
#define SQL_WORKSHOPS_ACK                                                                 \
    "UPDATE workshop SET acked_at = ?2 WHERE batch_id = ?1 AND acked_at IS NULL"
#define SQL_SESSION_EXPORTED                                                              \
    "UPDATE session SET batch_id = ?2 WHERE id = ?1 AND batch_id IS NULL"                 \
    " AND outcome = 'complete'"
#define SQL_WORKSHOP_EXPORTED                                                             \
    "UPDATE workshop SET batch_id = ?2 WHERE id = ?1 AND batch_id IS NULL"                \
    " AND (open = 0 OR phase = 'results')"
#define SQL_STATS_DAYS                                                                    \
    "SELECT form_id, substr(started_at, 1, 10), outcome, count(*),"                       \
    " sum(misuse IS NOT NULL) FROM session GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
#define SQL_STATS_PENDING                                                                 \
    "SELECT sum(misuse IS NULL), sum(misuse IS NOT NULL) FROM session"                    \
    " WHERE outcome = 'complete' AND batch_id IS NULL"
#define SQL_FORM_ACTIVE_SET                                                               \
    "INSERT INTO form_state(form_id, active) VALUES(?1, ?2)"                              \
    " ON CONFLICT(form_id) DO UPDATE SET active = excluded.active"
#define SQL_FORM_ACTIVE_GET "SELECT active FROM form_state WHERE form_id = ?1"
#define SQL_SETTING_GET "SELECT value FROM kiosk_meta WHERE key = ?1"
#define SQL_SETTING_SET                                                                   \
    "INSERT INTO kiosk_meta(key, value) VALUES(?1, ?2)"                                   \
    " ON CONFLICT(key) DO UPDATE SET value = excluded.value"

#define ANSWERS_MAX 256

static const char *col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : NULL;
}

/* "2026-11-24T10:11:12.345Z" to ms since the epoch (0 when unreadable). */
static int64_t iso_to_ms(const char *iso)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    int ms = 0;
    if (!iso || sscanf(iso, "%d-%d-%dT%d:%d:%d.%dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                       &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &ms) < 6)
        return 0;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return (int64_t)timegm(&tm) * 1000 + ms;
}

static StoreReview review_of(const char *v)
{
    if (!v)
        return STORE_REVIEW_NONE;
    if (strcmp(v, "approved") == 0)
        return STORE_REVIEW_APPROVED;
    if (strcmp(v, "rejected") == 0)
        return STORE_REVIEW_REJECTED;
    return STORE_REVIEW_PENDING;
}

static const char *review_name(StoreReview r)
{
    switch (r) {
    case STORE_REVIEW_APPROVED: return "approved";
    case STORE_REVIEW_REJECTED: return "rejected";
    case STORE_REVIEW_PENDING: return "pending";
    case STORE_REVIEW_NONE: break;
    }
    return NULL;
}

/* The session columns of the current row; strings live until the next
 * step, so the walk copies what it keeps. */
typedef struct {
    int64_t id;
    char *form_id, *form_version, *lang, *audience, *misuse, *batch_id;
    int64_t started_ms, ended_ms;
    bool clock_doubt;
    StoreExportAnswer answers[ANSWERS_MAX];
    char *owned[2 * ANSWERS_MAX];
    int n, n_owned;
} Walk;

static void walk_reset(Walk *w)
{
    free(w->form_id);
    free(w->form_version);
    free(w->lang);
    free(w->audience);
    free(w->misuse);
    free(w->batch_id);
    for (int i = 0; i < w->n_owned; i++)
        free(w->owned[i]);
    memset(w, 0, sizeof *w);
}

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

static void walk_begin(Walk *w, sqlite3_stmt *st)
{
    walk_reset(w);
    w->id = sqlite3_column_int64(st, 0);
    w->form_id = dup_or_null(col_text(st, 1));
    w->form_version = dup_or_null(col_text(st, 2));
    w->lang = dup_or_null(col_text(st, 3));
    w->audience = dup_or_null(col_text(st, 4));
    w->started_ms = iso_to_ms(col_text(st, 5));
    w->ended_ms = iso_to_ms(col_text(st, 6));
    w->misuse = dup_or_null(col_text(st, 7));
    w->batch_id = dup_or_null(col_text(st, 8));
    w->clock_doubt = sqlite3_column_int(st, 13) != 0;
}

static void walk_add_answer(Walk *w, sqlite3_stmt *st)
{
    if (sqlite3_column_type(st, 9) == SQLITE_NULL || KS_NEVER(w->n >= ANSWERS_MAX))
        return;
    StoreExportAnswer *a = &w->answers[w->n++];
    a->question = w->owned[w->n_owned++] = xstrdup(col_text(st, 9));
    a->value = w->owned[w->n_owned++] = xstrdup(col_text(st, 10) ? col_text(st, 10) : "");
    a->review = review_of(col_text(st, 11));
    a->has_media = sqlite3_column_int(st, 12) > 0;
}

static StoreExportSession walk_session(const Walk *w)
{
    return (StoreExportSession){w->id,         w->form_id,    w->form_version, w->lang,
                                w->audience,   w->started_ms, w->ended_ms,     w->misuse,
                                w->batch_id,   w->clock_doubt};
}

KsStatus store_export_sessions(Store *s, const char *redo_batch, bool include_misuse,
                               StoreSessionFn fn, void *ctx)
{
    const char *what = "read sessions for export";
    sqlite3_stmt *st = NULL;
    Walk *w = xcalloc(1, sizeof *w);
    KsStatus ks = store_stmt_get(s, redo_batch ? SQL_SESSIONS_REDO : SQL_SESSIONS_NEW, what, &st);
    if (ks == KS_OK)
        ks = store_bind_int64(s, st, 1, include_misuse ? 1 : 0, what);
    if (ks == KS_OK && redo_batch)
        ks = store_bind_text(s, st, 2, redo_batch, what);
    bool have = false;
    while (ks == KS_OK) {
        int rc = sqlite3_step(st);
        if (rc == SQLITE_DONE)
            break;
        if (rc != SQLITE_ROW) {
            ks = store_log_fail(s, rc, what);
            break;
        }
        int64_t id = sqlite3_column_int64(st, 0);
        if (have && id != w->id) {
            StoreExportSession se = walk_session(w);
            ks = fn(ctx, &se, w->answers, w->n);
            have = false;
        }
        if (ks != KS_OK)
            break;
        if (!have) {
            walk_begin(w, st);
            have = true;
        }
        walk_add_answer(w, st);
    }
    if (ks == KS_OK && have) {
        StoreExportSession se = walk_session(w);
        ks = fn(ctx, &se, w->answers, w->n);
    }
    store_stmt_put(s, st);
    walk_reset(w);
    free(w);
    return ks;
}

KsStatus store_review_pending(Store *s, int max, StoreReviewFn fn, void *ctx)
{
    const char *what = "read answers to review";
    sqlite3_stmt *st = NULL;
    Walk *w = xcalloc(1, sizeof *w);
    KsStatus ks = store_stmt_get(s, SQL_REVIEW_PENDING, what, &st);
    if (ks == KS_OK)
        ks = store_bind_int64(s, st, 1, max, what);
    while (ks == KS_OK) {
        int rc = sqlite3_step(st);
        if (rc == SQLITE_DONE)
            break;
        if (rc != SQLITE_ROW) {
            ks = store_log_fail(s, rc, what);
            break;
        }
        walk_begin(w, st);
        walk_add_answer(w, st);
        StoreExportSession se = walk_session(w);
        if (w->n == 1)
            ks = fn(ctx, &se, &w->answers[0]);
    }
    store_stmt_put(s, st);
    walk_reset(w);
    free(w);
    return ks;
}

KsStatus store_review_set(Store *s, int64_t session_id, const char *question, StoreReview r,
                          int64_t at_ms)
{
    const char *what = "review answer";
    if (!question || (r != STORE_REVIEW_APPROVED && r != STORE_REVIEW_REJECTED &&
                      r != STORE_REVIEW_PENDING))
        return KS_ERR_INVALID;
    sqlite3_stmt *st = NULL;
    int changed = 0;
    KsStatus ks = store_tx_begin(s);
    if (ks != KS_OK)
        return ks;
    ks = store_stmt_get(s, SQL_REVIEW_SET, what, &st);
    if (ks == KS_OK)
        ks = store_bind_int64(s, st, 1, session_id, what);
    if (ks == KS_OK)
        ks = store_bind_text(s, st, 2, question, what);
    if (ks == KS_OK)
        ks = store_bind_text(s, st, 3, review_name(r), what);
    if (ks == KS_OK)
        ks = store_bind_time(s, st, 4, at_ms, what);
    if (ks == KS_OK)
        ks = store_step_done(s, st, what, &changed);
    store_stmt_put(s, st);
    if (ks == KS_OK && changed != 1)
        ks = KS_ERR_NOT_FOUND;
    if (ks == KS_OK)
        ks = store_tx_commit(s);
    if (ks != KS_OK)
        store_tx_rollback(s);
    return ks;
}

static KsStatus batch_read(Store *s, const char *sql, const char *id, StoreBatch *out)
{
    const char *what = "read batch";
    sqlite3_stmt *st = NULL;
    memset(out, 0, sizeof *out);
    KsStatus ks = store_stmt_get(s, sql, what, &st);
    if (ks == KS_OK && id)
        ks = store_bind_text(s, st, 1, id, what);
    if (ks == KS_OK) {
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            str_copy(out->id, sizeof out->id, col_text(st, 0));
            str_copy(out->tag_sha256, sizeof out->tag_sha256, col_text(st, 1));
            str_copy(out->prev_id, sizeof out->prev_id, col_text(st, 2));
            out->rows = sqlite3_column_int(st, 3);
            out->created_ms = iso_to_ms(col_text(st, 4));
            str_copy(out->redo_of, sizeof out->redo_of, col_text(st, 5) ? col_text(st, 5) : "");
            out->acked_ms = iso_to_ms(col_text(st, 6));
            out->ack_received_ms = iso_to_ms(col_text(st, 7));
        } else {
            ks = rc == SQLITE_DONE ? KS_ERR_NOT_FOUND : store_log_fail(s, rc, what);
        }
    }
    store_stmt_put(s, st);
    return ks;
}

KsStatus store_batch_last(Store *s, StoreBatch *out)
{
    return batch_read(s, SQL_BATCH_LAST, NULL, out);
}

KsStatus store_batch_get(Store *s, const char *id, StoreBatch *out)
{
    return batch_read(s, SQL_BATCH_GET, id, out);
}

KsStatus store_batch_commit(Store *s, const StoreBatch *b, const int64_t *session_ids, int n)
{
    return store_batch_commit_ws(s, b, session_ids, n, NULL, 0);
}

KsStatus store_batch_commit_ws(Store *s, const StoreBatch *b, const int64_t *session_ids, int n,
                               const int64_t *workshop_ids, int n_ws)
{
    const char *what = "record batch";
    if (!b || !b->id[0] || strlen(b->tag_sha256) != 64 || n < 0 || n_ws < 0 ||
        (n_ws > 0 && !workshop_ids))
        return KS_ERR_INVALID;
    sqlite3_stmt *st = NULL;
    KsStatus ks = store_tx_begin(s);
    if (ks != KS_OK)
        return ks;
    ks = store_stmt_get(s, SQL_BATCH_INSERT, what, &st);
    if (ks == KS_OK)
        ks = store_bind_text(s, st, 1, b->id, what);
    if (ks == KS_OK)
        ks = store_bind_text(s, st, 2, b->tag_sha256, what);
    if (ks == KS_OK)
        ks = store_bind_text(s, st, 3, b->prev_id, what);
    if (ks == KS_OK)
        ks = store_bind_int64(s, st, 4, b->rows, what);
    if (ks == KS_OK)
        ks = store_bind_time(s, st, 5, b->created_ms, what);
    if (ks == KS_OK)
        ks = store_step_done(s, st, what, NULL);
    store_stmt_put(s, st);
    st = NULL;
    what = "mark session exported";
    for (int i = 0; ks == KS_OK && i < n; i++) {
        int changed = 0;
        ks = store_stmt_get(s, SQL_SESSION_EXPORTED, what, &st);
        if (ks == KS_OK)
            ks = store_bind_int64(s, st, 1, session_ids[i], what);
        if (ks == KS_OK)
            ks = store_bind_text(s, st, 2, b->id, what);
        if (ks == KS_OK)
            ks = store_step_done(s, st, what, &changed);
        store_stmt_put(s, st);
        st = NULL;
        if (ks == KS_OK && changed != 1) {
            LOG_ERROR("session %lld is exported already or not complete; batch %s not recorded",
                      (long long)session_ids[i], b->id);
            ks = KS_ERR_STATE;
        }
    }
    what = "mark workshop exported";
    for (int i = 0; ks == KS_OK && i < n_ws; i++) {
        int changed = 0;
        ks = store_stmt_get(s, SQL_WORKSHOP_EXPORTED, what, &st);
        if (ks == KS_OK)
            ks = store_bind_int64(s, st, 1, workshop_ids[i], what);
        if (ks == KS_OK)
            ks = store_bind_text(s, st, 2, b->id, what);
        if (ks == KS_OK)
            ks = store_step_done(s, st, what, &changed);
        store_stmt_put(s, st);
        st = NULL;
        if (ks == KS_OK && changed != 1) {
            LOG_ERROR("workshop %lld is exported already or still running; batch %s not"
                      " recorded",
                      (long long)workshop_ids[i], b->id);
            ks = KS_ERR_STATE;
        }
    }
    if (ks == KS_OK)
        ks = store_tx_commit(s);
    if (ks != KS_OK)
        store_tx_rollback(s);
    return ks;
}

/* Counts a batch's stored sessions: all, and those without a misuse flag. */
static KsStatus batch_session_counts(Store *s, const char *batch_id, int *all, int *clean)
{
    const char *what = "count sessions of a batch";
    sqlite3_stmt *st = NULL;
    *all = *clean = 0;
    KsStatus ks = store_stmt_get(s, SQL_BATCH_SESSIONS, what, &st);
    if (ks == KS_OK)
        ks = store_bind_text(s, st, 1, batch_id, what);
    if (ks == KS_OK) {
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            *all = sqlite3_column_int(st, 0);
            *clean = sqlite3_column_int(st, 1);
        } else {
            ks = store_log_fail(s, rc, what);
        }
    }
    store_stmt_put(s, st);
    return ks;
}

/* Sets acked_at on what a receipt covers (SQL_SESSIONS_ACK or
 * SQL_WORKSHOPS_ACK; all is ?3 of the first). */
static KsStatus ack_rows(Store *s, const char *sql, const char *batch_id, int64_t at_ms,
                         int all, int *changed)
{
    const char *what = "acknowledge exported rows";
    sqlite3_stmt *st = NULL;
    KsStatus ks = store_stmt_get(s, sql, what, &st);
    if (ks == KS_OK)
        ks = store_bind_text(s, st, 1, batch_id, what);
    if (ks == KS_OK)
        ks = store_bind_time(s, st, 2, at_ms, what);
    if (ks == KS_OK && all >= 0)
        ks = store_bind_int64(s, st, 3, all, what);
    if (ks == KS_OK)
        ks = store_step_done(s, st, what, changed);
    store_stmt_put(s, st);
    return ks;
}

static int64_t max3(int64_t a, int64_t b, int64_t c)
{
    int64_t m = a > b ? a : b;
    return m > c ? m : c;
}

KsStatus store_batch_acknowledge(Store *s, const StoreAck *a, int64_t now_ms,
                                 StoreAckResult *out)
{
    const char *what = "record receipt";
    memset(out, 0, sizeof *out);
    if (!a || !a->batch_id || !a->batch_id[0] || !a->tag_sha256 || a->rows < 0)
        return KS_ERR_INVALID;
    KsStatus ks = store_tx_begin(s);
    if (ks != KS_OK)
        return ks;
    /* Read inside the transaction: a second kiosk process (the export
     * command) cannot record the same receipt in between. */
    StoreBatch b;
    ks = batch_read(s, SQL_BATCH_GET, a->batch_id, &b);
    if (ks == KS_OK && (strcmp(b.tag_sha256, a->tag_sha256) != 0 || b.rows != a->rows))
        ks = KS_ERR_CORRUPT;
    if (ks != KS_OK || b.acked_ms != 0) {
        store_tx_rollback(s);
        return ks;
    }
    int64_t at = max3(now_ms, a->received_ms, b.created_ms);
    sqlite3_stmt *st = NULL;
    int changed = 0;
    ks = store_stmt_get(s, SQL_BATCH_ACK, what, &st);
    if (ks == KS_OK)
        ks = store_bind_text(s, st, 1, b.id, what);
    if (ks == KS_OK)
        ks = store_bind_time(s, st, 2, at, what);
    if (ks == KS_OK)
        ks = a->received_ms > 0 ? store_bind_time(s, st, 3, a->received_ms, what)
                                : store_bind_text(s, st, 3, NULL, what);
    if (ks == KS_OK)
        ks = store_step_done(s, st, what, &changed);
    store_stmt_put(s, st);
    if (ks == KS_OK && changed != 1)
        ks = KS_ERR_STATE; /* cannot happen: read unacknowledged in this transaction */
    /* What the batch carried: an original all of its own; a re-export the
     * sessions of the batch it repeats as far as its row count shows. */
    const char *base = b.redo_of[0] ? b.redo_of : b.id;
    int all = 1;
    if (ks == KS_OK && b.redo_of[0]) {
        int n_all = 0, n_clean = 0;
        ks = batch_session_counts(s, base, &n_all, &n_clean);
        all = a->rows == n_all ? 1 : a->rows == n_clean ? 0 : -1;
        if (ks == KS_OK && all < 0)
            LOG_INFO("receipt for re-export %s: %d rows, but %d responses of %s are stored"
                     " (%d without a misuse flag); they wait for another receipt",
                     b.id, a->rows, n_all, base, n_clean);
    }
    if (ks == KS_OK && all >= 0)
        ks = ack_rows(s, SQL_SESSIONS_ACK, base, at, all, &out->sessions);
    if (ks == KS_OK)
        ks = ack_rows(s, SQL_WORKSHOPS_ACK, base, at, -1, &out->workshops);
    if (ks == KS_OK)
        ks = store_tx_commit(s);
    if (ks != KS_OK) {
        store_tx_rollback(s);
        memset(out, 0, sizeof *out);
        return ks;
    }
    out->recorded = true;
    return KS_OK;
}

KsStatus store_stats_days(Store *s, StoreDayFn fn, void *ctx)
{
    const char *what = "count sessions per day";
    sqlite3_stmt *st = NULL;
    KsStatus ks = store_stmt_get(s, SQL_STATS_DAYS, what, &st);
    while (ks == KS_OK) {
        int rc = sqlite3_step(st);
        if (rc == SQLITE_DONE)
            break;
        if (rc != SQLITE_ROW) {
            ks = store_log_fail(s, rc, what);
            break;
        }
        fn(ctx, col_text(st, 0), col_text(st, 1), col_text(st, 2), sqlite3_column_int(st, 3),
           sqlite3_column_int(st, 4));
    }
    store_stmt_put(s, st);
    return ks;
}

KsStatus store_stats_pending(Store *s, int *complete, int *flagged)
{
    const char *what = "count sessions to export";
    sqlite3_stmt *st = NULL;
    *complete = *flagged = 0;
    KsStatus ks = store_stmt_get(s, SQL_STATS_PENDING, what, &st);
    if (ks == KS_OK) {
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            *complete = sqlite3_column_int(st, 0);
            *flagged = sqlite3_column_int(st, 1);
        } else {
            ks = store_log_fail(s, rc, what);
        }
    }
    store_stmt_put(s, st);
    return ks;
}

/* A one-statement change in its own transaction, binding two texts or a
 * text and an integer. */
static KsStatus write_pair(Store *s, const char *sql, const char *a, const char *b, int64_t bn,
                           const char *what)
{
    sqlite3_stmt *st = NULL;
    KsStatus ks = store_tx_begin(s);
    if (ks != KS_OK)
        return ks;
    ks = store_stmt_get(s, sql, what, &st);
    if (ks == KS_OK)
        ks = store_bind_text(s, st, 1, a, what);
    if (ks == KS_OK)
        ks = b ? store_bind_text(s, st, 2, b, what) : store_bind_int64(s, st, 2, bn, what);
    if (ks == KS_OK)
        ks = store_step_done(s, st, what, NULL);
    store_stmt_put(s, st);
    if (ks == KS_OK)
        ks = store_tx_commit(s);
    if (ks != KS_OK)
        store_tx_rollback(s);
    return ks;
}

/* Reads the first column of a one-text-parameter query as text into
 * value. KS_ERR_NOT_FOUND without a row. */
static KsStatus read_one(Store *s, const char *sql, const char *key, char *value, size_t size,
                         const char *what)
{
    sqlite3_stmt *st = NULL;
    value[0] = '\0';
    KsStatus ks = store_stmt_get(s, sql, what, &st);
    if (ks == KS_OK)
        ks = store_bind_text(s, st, 1, key, what);
    if (ks == KS_OK) {
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            str_copy(value, size, col_text(st, 0) ? col_text(st, 0) : "");
        else
            ks = rc == SQLITE_DONE ? KS_ERR_NOT_FOUND : store_log_fail(s, rc, what);
    }
    store_stmt_put(s, st);
    return ks;
}

KsStatus store_form_set_active(Store *s, const char *form_id, bool active)
{
    if (!form_id || !form_id[0])
        return KS_ERR_INVALID;
    return write_pair(s, SQL_FORM_ACTIVE_SET, form_id, NULL, active ? 1 : 0, "set form active");
}

bool store_form_is_active(Store *s, const char *form_id)
{
    char v[8];
    if (read_one(s, SQL_FORM_ACTIVE_GET, form_id, v, sizeof v, "read form active") != KS_OK)
        return true; /* never switched off */
    return strcmp(v, "0") != 0;
}

KsStatus store_setting_get(Store *s, const char *key, char *value, size_t size)
{
    return read_one(s, SQL_SETTING_GET, key, value, size, "read setting");
}

KsStatus store_setting_set(Store *s, const char *key, const char *value)
{
    if (!key || !key[0] || !value)
        return KS_ERR_INVALID;
    return write_pair(s, SQL_SETTING_SET, key, value, 0, "write setting");
}
