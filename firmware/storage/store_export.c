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
#define SQL_SESSIONS_SELECT                                                                        \
    "SELECT s.id, s.form_id, s.form_version, s.lang, s.audience, s.started_at,"                    \
    " s.ended_at, s.misuse, s.batch_id, a.question, a.value, a.review,"                            \
    " (SELECT count(*) FROM answer_media m WHERE m.session_id = a.session_id"                      \
    "  AND m.question = a.question), s.clock_doubt"                                                \
    " FROM session s LEFT JOIN answer a ON a.session_id = s.id"
#define SQL_SESSIONS_NEW                                                                           \
    SQL_SESSIONS_SELECT " WHERE s.outcome = 'complete' AND s.batch_id IS NULL"                     \
                        " AND (?1 OR s.misuse IS NULL) ORDER BY s.id, a.question"
#define SQL_SESSIONS_REDO                                                                          \
    SQL_SESSIONS_SELECT " WHERE s.batch_id = ?2 AND (?1 OR s.misuse IS NULL)"                      \
                        " ORDER BY s.id, a.question"
#define SQL_REVIEW_PENDING                                                                         \
    SQL_SESSIONS_SELECT " WHERE a.review = 'pending' AND s.outcome = 'complete'"                   \
                        " ORDER BY a.answered_at, s.id, a.question LIMIT ?1"
#define SQL_REVIEW_SET                                                                             \
    "UPDATE answer SET review = ?3, reviewed_at = ?4 WHERE session_id = ?1"                        \
    " AND question = ?2 AND review IS NOT NULL"
#define SQL_BATCH_COLS                                                                             \
    "SELECT id, tag_sha256, prev_id, rows, created_at, redo_of, acked_at, ack_received"            \
    " FROM batch"
#define SQL_BATCH_LAST SQL_BATCH_COLS " ORDER BY rowid DESC LIMIT 1"
#define SQL_BATCH_GET SQL_BATCH_COLS " WHERE id = ?1"
/* A re-export's id is the original's and "-R" with four characters
 * (export.h); the same rule as schema step 8's. */
#define SQL_BATCH_INSERT                                                                           \
    "INSERT INTO batch(id, tag_sha256, prev_id, rows, created_at, redo_of)"                        \
    " VALUES(?1, ?2, ?3, ?4, ?5, (SELECT p.id FROM batch p"                                        \
    " WHERE length(?1) = length(p.id) + 6 AND substr(?1, 1, length(p.id)) = p.id"                  \
    " AND substr(?1, length(p.id) + 1, 2) = '-R'))"
#define SQL_BATCH_ACK                                                                              \
    "UPDATE batch SET acked_at = ?2, ack_received = ?3 WHERE id = ?1 AND acked_at IS NULL"
#define SQL_BATCH_SESSIONS                                                                         \
    "SELECT count(*), coalesce(sum(misuse IS NULL), 0) FROM session WHERE batch_id = ?1"
/* ?3: 1 for every session of the batch, 0 for those without a misuse flag. */
#define SQL_SESSIONS_ACK                                                                           \
    "UPDATE session SET acked_at = ?2 WHERE batch_id = ?1 AND acked_at IS NULL"                    \
    " AND (?3 OR misuse IS NULL)"
#define SQL_WORKSHOPS_ACK                                                                          \
    "UPDATE workshop SET acked_at = ?2 WHERE batch_id = ?1 AND acked_at IS NULL"
#define SQL_SESSION_EXPORTED                                                                       \
    "UPDATE session SET batch_id = ?2 WHERE id = ?1 AND batch_id IS NULL"                          \
    " AND outcome = 'complete'"
#define SQL_WORKSHOP_EXPORTED                                                                      \
    "UPDATE workshop SET batch_id = ?2 WHERE id = ?1 AND batch_id IS NULL"                         \
    " AND (open = 0 OR phase = 'results')"
#define SQL_STATS_DAYS                                                                             \
    "SELECT form_id, substr(started_at, 1, 10), outcome, count(*),"                                \
    " sum(misuse IS NOT NULL) FROM session GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
#define SQL_STATS_PENDING                                                                          \
    "SELECT sum(misuse IS NULL), sum(misuse IS NOT NULL) FROM session"                             \
    " WHERE outcome = 'complete' AND batch_id IS NULL"
#define SQL_FORM_ACTIVE_SET                                                                        \
    "INSERT INTO form_state(form_id, active) VALUES(?1, ?2)"                                       \
    " ON CONFLICT(form_id) DO UPDATE SET active = excluded.active"
#define SQL_FORM_ACTIVE_GET "SELECT active FROM form_state WHERE form_id = ?1"
#define SQL_SETTING_GET "SELECT value FROM kiosk_meta WHERE key = ?1"
#define SQL_SETTING_SET                                                                            \
    "INSERT INTO kiosk_meta(key, value) VALUES(?1, ?2)"                                            \
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

/* The stored names of the reviews; an answer without one has NULL. */
static const char *const g_review_names[] = {[STORE_REVIEW_NONE] = NULL,
                                             [STORE_REVIEW_PENDING] = "pending",
                                             [STORE_REVIEW_APPROVED] = "approved",
                                             [STORE_REVIEW_REJECTED] = "rejected"};

/* Any other stored name than the two decisions counts as pending. */
static StoreReview review_of(const char *v)
{
    if (!v)
        return STORE_REVIEW_NONE;
    if (strcmp(v, g_review_names[STORE_REVIEW_APPROVED]) == 0)
        return STORE_REVIEW_APPROVED;
    if (strcmp(v, g_review_names[STORE_REVIEW_REJECTED]) == 0)
        return STORE_REVIEW_REJECTED;
    return STORE_REVIEW_PENDING;
}

/* The walk's session strings, then two per answer. */
#define WALK_OWNED_MAX (6 + 2 * ANSWERS_MAX)

/* The session columns of the current row; strings live until the next
 * step, so the walk copies what it keeps (into owned). */
typedef struct {
    int64_t id;
    const char *form_id, *form_version, *lang, *audience, *misuse, *batch_id;
    int64_t started_ms, ended_ms;
    bool clock_doubt;
    StoreExportAnswer answers[ANSWERS_MAX];
    char *owned[WALK_OWNED_MAX];
    int n, n_owned;
} Walk;

static void walk_reset(Walk *w)
{
    for (int i = 0; i < w->n_owned; i++)
        free(w->owned[i]);
    memset(w, 0, sizeof *w);
}

/* A copy of text (NULL stays NULL) that lives until walk_reset. */
static const char *walk_keep(Walk *w, const char *text)
{
    if (!text || KS_NEVER(w->n_owned >= WALK_OWNED_MAX))
        return NULL;
    return w->owned[w->n_owned++] = xstrdup(text);
}

static void walk_begin(Walk *w, sqlite3_stmt *st)
{
    walk_reset(w);
    w->id = sqlite3_column_int64(st, 0);
    w->form_id = walk_keep(w, col_text(st, 1));
    w->form_version = walk_keep(w, col_text(st, 2));
    w->lang = walk_keep(w, col_text(st, 3));
    w->audience = walk_keep(w, col_text(st, 4));
    w->started_ms = iso_to_ms(col_text(st, 5));
    w->ended_ms = iso_to_ms(col_text(st, 6));
    w->misuse = walk_keep(w, col_text(st, 7));
    w->batch_id = walk_keep(w, col_text(st, 8));
    w->clock_doubt = sqlite3_column_int(st, 13) != 0;
}

static void walk_add_answer(Walk *w, sqlite3_stmt *st)
{
    if (sqlite3_column_type(st, 9) == SQLITE_NULL || KS_NEVER(w->n >= ANSWERS_MAX))
        return;
    StoreExportAnswer *a = &w->answers[w->n++];
    a->question = walk_keep(w, col_text(st, 9));
    a->value = walk_keep(w, col_text(st, 10) ? col_text(st, 10) : "");
    a->review = review_of(col_text(st, 11));
    a->has_media = sqlite3_column_int(st, 12) > 0;
}

static StoreExportSession walk_session(const Walk *w)
{
    return (StoreExportSession){w->id,       w->form_id,    w->form_version, w->lang,
                                w->audience, w->started_ms, w->ended_ms,     w->misuse,
                                w->batch_id, w->clock_doubt};
}

/* A walk over the joined rows and whom it hands them to: whole sessions
 * (session_fn) or single answers to review (review_fn). */
typedef struct {
    Walk w;
    bool have; /* w holds a session not handed over yet */
    StoreSessionFn session_fn;
    StoreReviewFn review_fn;
    void *ctx;
} WalkRun;

static KsStatus walk_hand_over(WalkRun *run)
{
    StoreExportSession se = walk_session(&run->w);
    run->have = false;
    return run->session_fn(run->ctx, &se, run->w.answers, run->w.n);
}

/* Rows come ordered by session: a new id hands the last session over. */
static KsStatus session_row(void *ctx, sqlite3_stmt *row)
{
    WalkRun *run = ctx;
    if (run->have && sqlite3_column_int64(row, 0) != run->w.id) {
        KsStatus ks = walk_hand_over(run);
        if (ks != KS_OK)
            return ks;
    }
    if (!run->have) {
        walk_begin(&run->w, row);
        run->have = true;
    }
    walk_add_answer(&run->w, row);
    return KS_OK;
}

static KsStatus review_row(void *ctx, sqlite3_stmt *row)
{
    WalkRun *run = ctx;
    walk_begin(&run->w, row);
    walk_add_answer(&run->w, row);
    StoreExportSession se = walk_session(&run->w);
    return run->w.n == 1 ? run->review_fn(run->ctx, &se, &run->w.answers[0]) : KS_OK;
}

KsStatus store_export_sessions(Store *s, const char *redo_batch, bool include_misuse,
                               StoreSessionFn fn, void *ctx)
{
    WalkRun *run = xcalloc(1, sizeof *run);
    run->session_fn = fn;
    run->ctx = ctx;
    /* the query for new sessions has no ?2 */
    KsStatus ks = store_query(s, redo_batch ? SQL_SESSIONS_REDO : SQL_SESSIONS_NEW,
                              "read sessions for export", session_row, run, redo_batch ? "it" : "i",
                              include_misuse ? 1 : 0, redo_batch);
    if (ks == KS_OK && run->have)
        ks = walk_hand_over(run);
    walk_reset(&run->w);
    free(run);
    return ks;
}

KsStatus store_review_pending(Store *s, int max, StoreReviewFn fn, void *ctx)
{
    WalkRun *run = xcalloc(1, sizeof *run);
    run->review_fn = fn;
    run->ctx = ctx;
    KsStatus ks =
        store_query(s, SQL_REVIEW_PENDING, "read answers to review", review_row, run, "i", max);
    walk_reset(&run->w);
    free(run);
    return ks;
}

KsStatus store_review_set(Store *s, int64_t session_id, const char *question, StoreReview r,
                          int64_t at_ms)
{
    if (!question ||
        (r != STORE_REVIEW_APPROVED && r != STORE_REVIEW_REJECTED && r != STORE_REVIEW_PENDING))
        return KS_ERR_INVALID;
    return store_change_one(s, SQL_REVIEW_SET, "review answer", "IttT", session_id, question,
                            g_review_names[r], at_ms);
}

static KsStatus batch_row(void *ctx, sqlite3_stmt *row)
{
    StoreBatch *out = ctx;
    str_copy(out->id, sizeof out->id, col_text(row, 0));
    str_copy(out->tag_sha256, sizeof out->tag_sha256, col_text(row, 1));
    str_copy(out->prev_id, sizeof out->prev_id, col_text(row, 2));
    out->rows = sqlite3_column_int(row, 3);
    out->created_ms = iso_to_ms(col_text(row, 4));
    str_copy(out->redo_of, sizeof out->redo_of, col_text(row, 5) ? col_text(row, 5) : "");
    out->acked_ms = iso_to_ms(col_text(row, 6));
    out->ack_received_ms = iso_to_ms(col_text(row, 7));
    return KS_OK;
}

static KsStatus batch_read(Store *s, const char *sql, const char *id, StoreBatch *out)
{
    memset(out, 0, sizeof *out);
    /* the query for the last batch has no ?1 */
    return store_query_row(s, sql, "read batch", batch_row, out, id ? "t" : "", id);
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

/* Inside the batch's transaction: marks each of ids (sessions or
 * workshops, as sql says) exported in the batch. KS_ERR_STATE when one of
 * them cannot be, because it is exported already or `why`. */
static KsStatus mark_exported(Store *s, const char *sql, const char *noun, const int64_t *ids,
                              int n, const char *batch_id, const char *why)
{
    char what[48];
    snprintf(what, sizeof what, "mark %s exported", noun);
    KsStatus ks = KS_OK;
    for (int i = 0; ks == KS_OK && i < n; i++) {
        ks = store_run(s, sql, what, "It", ids[i], batch_id);
        if (ks == KS_OK && store_changes(s) != 1) {
            LOG_ERROR("%s %lld is exported already or %s; batch %s not recorded", noun,
                      (long long)ids[i], why, batch_id);
            ks = KS_ERR_STATE;
        }
    }
    return ks;
}

KsStatus store_batch_commit_ws(Store *s, const StoreBatch *b, const int64_t *session_ids, int n,
                               const int64_t *workshop_ids, int n_ws)
{
    if (!b || !b->id[0] || strlen(b->tag_sha256) != 64 || n < 0 || n_ws < 0 ||
        (n_ws > 0 && !workshop_ids))
        return KS_ERR_INVALID;
    KsStatus ks = store_tx_begin(s);
    if (ks != KS_OK)
        return ks;
    ks = store_run(s, SQL_BATCH_INSERT, "record batch", "tttiT", b->id, b->tag_sha256, b->prev_id,
                   b->rows, b->created_ms);
    if (ks == KS_OK)
        ks = mark_exported(s, SQL_SESSION_EXPORTED, "session", session_ids, n, b->id,
                           "not complete");
    if (ks == KS_OK)
        ks = mark_exported(s, SQL_WORKSHOP_EXPORTED, "workshop", workshop_ids, n_ws, b->id,
                           "still running");
    return store_tx_end(s, ks);
}

/* Counts a batch's stored sessions: all, and those without a misuse flag. */
static KsStatus batch_session_counts(Store *s, const char *batch_id, int *all, int *clean)
{
    int64_t v[2] = {0, 0};
    KsStatus ks = store_query_row(s, SQL_BATCH_SESSIONS, "count sessions of a batch",
                                  store_row_ints, v, "t", batch_id);
    *all = (int)v[0];
    *clean = (int)v[1];
    return ks;
}

/* Sets acked_at on what a receipt covers (SQL_SESSIONS_ACK or
 * SQL_WORKSHOPS_ACK; all is ?3 of the first, -1 for the second, which has
 * no ?3). */
static KsStatus ack_rows(Store *s, const char *sql, const char *batch_id, int64_t at_ms, int all,
                         int *changed)
{
    KsStatus ks = store_run(s, sql, "acknowledge exported rows", all >= 0 ? "tTi" : "tT", batch_id,
                            at_ms, all);
    if (ks == KS_OK)
        *changed = store_changes(s);
    return ks;
}

static int64_t max3(int64_t a, int64_t b, int64_t c)
{
    int64_t m = a > b ? a : b;
    return m > c ? m : c;
}

/* Inside the receipt's transaction, for a batch read unacknowledged in it:
 * records the receipt on the batch and on the sessions and workshops it
 * carried. */
static KsStatus ack_record(Store *s, const StoreAck *a, const StoreBatch *b, int64_t at,
                           StoreAckResult *out)
{
    const char *what = "record receipt";
    KsStatus ks = a->received_ms > 0
                      ? store_run(s, SQL_BATCH_ACK, what, "tTT", b->id, at, a->received_ms)
                      : store_run(s, SQL_BATCH_ACK, what, "tTt", b->id, at, (const char *)NULL);
    if (ks == KS_OK && store_changes(s) != 1)
        ks = KS_ERR_STATE; /* cannot happen: read unacknowledged in this transaction */
    /* What the batch carried: an original all of its own; a re-export the
     * sessions of the batch it repeats as far as its row count shows. */
    const char *base = b->redo_of[0] ? b->redo_of : b->id;
    int all = 1;
    if (ks == KS_OK && b->redo_of[0]) {
        int n_all = 0, n_clean = 0;
        ks = batch_session_counts(s, base, &n_all, &n_clean);
        all = a->rows == n_all ? 1 : a->rows == n_clean ? 0 : -1;
        if (ks == KS_OK && all < 0)
            LOG_INFO("receipt for re-export %s: %d rows, but %d responses of %s are stored"
                     " (%d without a misuse flag); they wait for another receipt",
                     b->id, a->rows, n_all, base, n_clean);
    }
    if (ks == KS_OK && all >= 0)
        ks = ack_rows(s, SQL_SESSIONS_ACK, base, at, all, &out->sessions);
    if (ks == KS_OK)
        ks = ack_rows(s, SQL_WORKSHOPS_ACK, base, at, -1, &out->workshops);
    return ks;
}

KsStatus store_batch_acknowledge(Store *s, const StoreAck *a, int64_t now_ms, StoreAckResult *out)
{
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
    ks = ack_record(s, a, &b, max3(now_ms, a->received_ms, b.created_ms), out);
    ks = store_tx_end(s, ks);
    if (ks != KS_OK) {
        memset(out, 0, sizeof *out);
        return ks;
    }
    out->recorded = true;
    return KS_OK;
}

typedef struct {
    StoreDayFn fn;
    void *ctx;
} DayRun;

static KsStatus day_row(void *ctx, sqlite3_stmt *row)
{
    DayRun *run = ctx;
    run->fn(run->ctx, col_text(row, 0), col_text(row, 1), col_text(row, 2),
            sqlite3_column_int(row, 3), sqlite3_column_int(row, 4));
    return KS_OK;
}

KsStatus store_stats_days(Store *s, StoreDayFn fn, void *ctx)
{
    DayRun run = {fn, ctx};
    return store_query(s, SQL_STATS_DAYS, "count sessions per day", day_row, &run, "");
}

KsStatus store_stats_pending(Store *s, int *complete, int *flagged)
{
    int64_t v[2] = {0, 0};
    KsStatus ks =
        store_query_row(s, SQL_STATS_PENDING, "count sessions to export", store_row_ints, v, "");
    *complete = (int)v[0];
    *flagged = (int)v[1];
    return ks;
}

/* Reads the first column of a one-text-parameter query as text into
 * value. KS_ERR_NOT_FOUND without a row. */
static KsStatus read_one(Store *s, const char *sql, const char *key, char *value, size_t size,
                         const char *what)
{
    StoreText text = {value, size, false};
    value[0] = '\0';
    return store_query_row(s, sql, what, store_row_text, &text, "t", key);
}

KsStatus store_form_set_active(Store *s, const char *form_id, bool active)
{
    if (!form_id || !form_id[0])
        return KS_ERR_INVALID;
    KsStatus ks = store_tx_begin(s);
    if (ks != KS_OK)
        return ks;
    return store_tx_end(
        s, store_run(s, SQL_FORM_ACTIVE_SET, "set form active", "ti", form_id, active ? 1 : 0));
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
    KsStatus ks = store_tx_begin(s);
    if (ks != KS_OK)
        return ks;
    return store_tx_end(s, store_run(s, SQL_SETTING_SET, "write setting", "tt", key, value));
}
