/* store_responses: writes sessions and answers, each public call exactly one
 * BEGIN IMMEDIATE … COMMIT transaction, rolled back on any failure so a call
 * is either wholly stored or not at all. Reading for export lives elsewhere. */
#include "store_responses.h"

#include <stdio.h>
#include <string.h>

#include "../core/log.h"
#include "store_private.h"
#include "store_stats.h"

#define SQL_SESSION_INSERT                                                            \
    "INSERT INTO session(uuid, form_id, form_version, form_sha256, lang, audience," \
    " outcome, started_at, clock_doubt) VALUES(?1, ?2, ?3, ?4, ?5, ?6, 'open', ?7, ?8)"
#define SQL_FORM_SEEN_INSERT                                                     \
    "INSERT OR IGNORE INTO form_seen(form_id, version, sha256, first_seen)"      \
    " VALUES(?1, ?2, ?3, ?4)"
#define SQL_FORM_SEEN_GET "SELECT sha256 FROM form_seen WHERE form_id = ?1 AND version = ?2"
#define SQL_SESSION_OUTCOME "SELECT outcome FROM session WHERE id = ?1"
#define SQL_ANSWER_UPSERT                                                        \
    "INSERT INTO answer(session_id, question, value, answered_at, review)"     \
    " VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(session_id, question)"            \
    " DO UPDATE SET value = excluded.value, answered_at = excluded.answered_at," \
    " review = excluded.review, reviewed_at = NULL"
#define SQL_ANSWER_DELETE "DELETE FROM answer WHERE session_id = ?1 AND question = ?2"
#define SQL_MEDIA_UPSERT                                                          \
    "INSERT INTO answer_media(session_id, question, mime, data) VALUES(?1, ?2, ?3, ?4)" \
    " ON CONFLICT(session_id, question) DO UPDATE SET mime = excluded.mime, data = excluded.data"
#define SQL_MEDIA_DELETE "DELETE FROM answer_media WHERE session_id = ?1 AND question = ?2"
#define SQL_MEDIA_GET "SELECT data FROM answer_media WHERE session_id = ?1 AND question = ?2"
#define SQL_SESSION_MISUSE                                                          \
    "UPDATE session SET misuse = CASE WHEN misuse IS NULL THEN ?2"                 \
    " WHEN instr(',' || misuse || ',', ',' || ?2 || ',') > 0 THEN misuse"          \
    " ELSE misuse || ',' || ?2 END WHERE id = ?1"
#define SQL_SESSION_CLOCK_DOUBT "UPDATE session SET clock_doubt = 1 WHERE id = ?1"
#define SQL_SESSION_FINISH \
    "UPDATE session SET outcome = ?2, ended_at = ?3 WHERE id = ?1 AND outcome = 'open'"
#define SQL_SESSION_CLOSE_STALE \
    "UPDATE session SET outcome = 'abandoned', ended_at = ?1 WHERE outcome = 'open'"

static bool store_text_ok(const char *v)
{
    return v && *v;
}

/* KS_OK when the session exists and is open, else NOT_FOUND or STATE. Runs
 * inside the caller's transaction so the answer cannot race a finish. */
static KsStatus store_session_require_open(Store *s, int64_t session_id)
{
    const char *what = "look up session state";
    sqlite3_stmt *st = NULL;
    KsStatus ks = store_stmt_get(s, SQL_SESSION_OUTCOME, what, &st);
    if (ks == KS_OK)
        ks = store_bind_int64(s, st, 1, session_id, what);
    if (ks != KS_OK)
        goto cleanup;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        LOG_WARN("session %lld does not exist", (long long)session_id);
        ks = KS_ERR_NOT_FOUND;
    } else if (rc != SQLITE_ROW) {
        ks = store_log_fail(s, rc, what);
    } else {
        const char *outcome = (const char *)sqlite3_column_text(st, 0);
        if (!outcome || strcmp(outcome, "open") != 0) {
            LOG_WARN("session %lld is %s, not open", (long long)session_id,
                     outcome ? outcome : "(null)");
            ks = KS_ERR_STATE;
        }
    }
cleanup:
    store_stmt_put(s, st);
    return ks;
}

/* Inside the caller's transaction: records the form version if new, and
 * compares the recorded content hash with sha256. */
static KsStatus store_form_check(Store *s, const char *form_id, const char *version,
                                 const char *sha256, int64_t at_ms, char *known)
{
    const char *what = "record form version";
    sqlite3_stmt *st = NULL;
    KsStatus ks = store_stmt_get(s, SQL_FORM_SEEN_INSERT, what, &st);
    if (ks == KS_OK)
        ks = store_bind_text(s, st, 1, form_id, what);
    if (ks == KS_OK)
        ks = store_bind_text(s, st, 2, version, what);
    if (ks == KS_OK)
        ks = store_bind_text(s, st, 3, sha256, what);
    if (ks == KS_OK)
        ks = store_bind_time(s, st, 4, at_ms, what);
    if (ks == KS_OK)
        ks = store_step_done(s, st, what, NULL);
    store_stmt_put(s, st);
    st = NULL;
    if (ks != KS_OK)
        return ks;
    char seen[65] = "";
    ks = store_form_lookup(s, form_id, version, seen);
    if (ks == KS_OK && strcmp(seen, sha256) != 0) {
        LOG_ERROR("form %s version %s: its content changed but its version did not", form_id,
                  version);
        if (known)
            snprintf(known, 65, "%s", seen);
        ks = KS_ERR_STATE;
    }
    return ks;
}

KsStatus store_form_register(Store *s, const char *form_id, const char *version,
                             const char *sha256, int64_t at_ms, char *known_sha256)
{
    if (!store_text_ok(form_id) || !version || !store_text_ok(sha256))
        return KS_ERR_INVALID;
    KsStatus ks = store_tx_begin(s);
    if (ks != KS_OK)
        return ks;
    ks = store_form_check(s, form_id, version, sha256, at_ms, known_sha256);
    if (ks == KS_OK)
        ks = store_tx_commit(s);
    if (ks != KS_OK)
        store_tx_rollback(s);
    return ks;
}

KsStatus store_form_lookup(Store *s, const char *form_id, const char *version, char *sha256)
{
    const char *what = "look up form version";
    sqlite3_stmt *st = NULL;
    KsStatus ks = store_stmt_get(s, SQL_FORM_SEEN_GET, what, &st);
    if (ks == KS_OK)
        ks = store_bind_text(s, st, 1, form_id, what);
    if (ks == KS_OK)
        ks = store_bind_text(s, st, 2, version, what);
    if (ks != KS_OK)
        goto cleanup;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        ks = KS_ERR_NOT_FOUND;
    } else if (rc != SQLITE_ROW) {
        ks = store_log_fail(s, rc, what);
    } else {
        const char *seen = (const char *)sqlite3_column_text(st, 0);
        snprintf(sha256, 65, "%s", seen ? seen : "");
    }
cleanup:
    store_stmt_put(s, st);
    return ks;
}

KsStatus store_session_begin(Store *s, const StoreSessionMeta *meta, int64_t *out_id)
{
    const char *what = "insert session";
    sqlite3_stmt *st = NULL;
    *out_id = 0;
    if (!meta || !store_text_ok(meta->uuid) || !store_text_ok(meta->form_id) ||
        !meta->form_version || !meta->form_sha256 || !store_text_ok(meta->lang) ||
        !store_text_ok(meta->audience)) {
        LOG_ERROR("session metadata incomplete");
        return KS_ERR_INVALID;
    }
    KsStatus ks = store_tx_begin(s);
    if (ks != KS_OK)
        return ks;
    ks = store_form_check(s, meta->form_id, meta->form_version, meta->form_sha256,
                          meta->started_ms, NULL);
    if (ks == KS_OK)
        ks = store_stmt_get(s, SQL_SESSION_INSERT, what, &st);
    if (ks == KS_OK)
        ks = store_bind_text(s, st, 1, meta->uuid, what);
    if (ks == KS_OK)
        ks = store_bind_text(s, st, 2, meta->form_id, what);
    if (ks == KS_OK)
        ks = store_bind_text(s, st, 3, meta->form_version, what);
    if (ks == KS_OK)
        ks = store_bind_text(s, st, 4, meta->form_sha256, what);
    if (ks == KS_OK)
        ks = store_bind_text(s, st, 5, meta->lang, what);
    if (ks == KS_OK)
        ks = store_bind_text(s, st, 6, meta->audience, what);
    if (ks == KS_OK)
        ks = store_bind_time(s, st, 7, meta->started_ms, what);
    if (ks == KS_OK)
        ks = store_bind_int64(s, st, 8, meta->clock_doubt ? 1 : 0, what);
    if (ks != KS_OK)
        goto cleanup;
    int rc = sqlite3_step(st);
    if (rc != SQLITE_DONE) {
        /* the only constraint an insert with valid metadata can break is
         * the unique uuid, which the header promises as KS_ERR_INVALID */
        ks = store_log_fail(s, rc, what);
        goto cleanup;
    }
    int64_t id = (int64_t)sqlite3_last_insert_rowid(s->db);
    store_stmt_put(s, st);
    st = NULL;
    ks = store_tx_commit(s);
    if (ks == KS_OK)
        *out_id = id;

cleanup:
    store_stmt_put(s, st);
    if (ks != KS_OK)
        store_tx_rollback(s);
    return ks;
}

/* Runs one cached statement to its end, bound to (session, question) and,
 * as 3 and 4, either (value, time) or (mime, blob). Inside the caller's
 * transaction. */
static KsStatus answer_row(Store *s, const char *sql, int64_t session_id, const char *question,
                           const char *value, int64_t at_ms, const StoreMedia *media,
                           bool review, const char *what)
{
    sqlite3_stmt *st = NULL;
    KsStatus ks = store_stmt_get(s, sql, what, &st);
    if (ks == KS_OK)
        ks = store_bind_int64(s, st, 1, session_id, what);
    if (ks == KS_OK)
        ks = store_bind_text(s, st, 2, question, what);
    if (ks == KS_OK && value)
        ks = store_bind_text(s, st, 3, value, what);
    if (ks == KS_OK && value)
        ks = store_bind_time(s, st, 4, at_ms, what);
    if (ks == KS_OK && value)
        ks = store_bind_text(s, st, 5, review ? "pending" : NULL, what);
    if (ks == KS_OK && media)
        ks = store_bind_text(s, st, 3, media->mime, what);
    if (ks == KS_OK && media) {
        int rc = sqlite3_bind_blob64(st, 4, media->data, media->size, SQLITE_TRANSIENT);
        if (rc != SQLITE_OK)
            ks = store_log_fail(s, rc, what);
    }
    if (ks == KS_OK)
        ks = store_step_done(s, st, what, NULL);
    store_stmt_put(s, st);
    return ks;
}

static KsStatus answer_write(Store *s, int64_t session_id, const char *question, const char *value,
                             const StoreMedia *media, bool review, int64_t at_ms)
{
    bool remove = !value || !*value;
    if (!store_text_ok(question)) {
        LOG_ERROR("answer without a question name");
        return KS_ERR_INVALID;
    }
    if (!remove && media && (!media->data || media->size == 0 || !store_text_ok(media->mime))) {
        LOG_ERROR("answer %s: empty media", question);
        return KS_ERR_INVALID;
    }
    KsStatus ks = store_tx_begin(s);
    if (ks != KS_OK)
        return ks;
    ks = store_session_require_open(s, session_id);
    if (ks == KS_OK && remove)
        ks = answer_row(s, SQL_ANSWER_DELETE, session_id, question, NULL, 0, NULL, false,
                        "delete answer");
    if (ks == KS_OK && !remove)
        ks = answer_row(s, SQL_ANSWER_UPSERT, session_id, question, value, at_ms, NULL, review,
                        "store answer");
    /* A removed or replaced answer takes its old picture with it. */
    if (ks == KS_OK && (remove || !media))
        ks = answer_row(s, SQL_MEDIA_DELETE, session_id, question, NULL, 0, NULL, false,
                        "delete answer media");
    if (ks == KS_OK && !remove && media)
        ks = answer_row(s, SQL_MEDIA_UPSERT, session_id, question, NULL, 0, media, false,
                        "store answer media");
    if (ks == KS_OK)
        ks = store_tx_commit(s);
    if (ks != KS_OK)
        store_tx_rollback(s);
    return ks;
}

KsStatus store_answer_put(Store *s, int64_t session_id, const char *question, const char *value,
                          int64_t at_ms)
{
    return answer_write(s, session_id, question, value, NULL, false, at_ms);
}

KsStatus store_answer_put_review(Store *s, int64_t session_id, const char *question,
                                 const char *value, int64_t at_ms)
{
    return answer_write(s, session_id, question, value, NULL, true, at_ms);
}

KsStatus store_answer_put_media(Store *s, int64_t session_id, const char *question,
                                const char *value, const StoreMedia *media, int64_t at_ms)
{
    return answer_write(s, session_id, question, value, media, true, at_ms);
}

KsStatus store_answer_media_get(Store *s, int64_t session_id, const char *question,
                                uint8_t **data, size_t *size)
{
    const char *what = "read answer media";
    sqlite3_stmt *st = NULL;
    *data = NULL;
    *size = 0;
    KsStatus ks = store_stmt_get(s, SQL_MEDIA_GET, what, &st);
    if (ks == KS_OK)
        ks = store_bind_int64(s, st, 1, session_id, what);
    if (ks == KS_OK)
        ks = store_bind_text(s, st, 2, question, what);
    if (ks == KS_OK)
        ks = store_step_blob(s, st, what, data, size);
    store_stmt_put(s, st);
    return ks;
}

KsStatus store_session_flag_misuse(Store *s, int64_t session_id, const char *reason)
{
    const char *what = "flag session";
    if (!store_text_ok(reason) || strchr(reason, ','))
        return KS_ERR_INVALID;
    KsStatus ks = store_tx_begin(s);
    if (ks != KS_OK)
        return ks;
    sqlite3_stmt *st = NULL;
    ks = store_stmt_get(s, SQL_SESSION_MISUSE, what, &st);
    if (ks == KS_OK)
        ks = store_bind_int64(s, st, 1, session_id, what);
    if (ks == KS_OK)
        ks = store_bind_text(s, st, 2, reason, what);
    if (ks == KS_OK)
        ks = store_step_done(s, st, what, NULL);
    if (ks == KS_OK && sqlite3_changes(s->db) != 1)
        ks = KS_ERR_NOT_FOUND;
    store_stmt_put(s, st);
    if (ks == KS_OK)
        ks = store_tx_commit(s);
    if (ks != KS_OK)
        store_tx_rollback(s);
    return ks;
}

KsStatus store_session_flag_clock_doubt(Store *s, int64_t session_id)
{
    const char *what = "flag session clock doubt";
    KsStatus ks = store_tx_begin(s);
    if (ks != KS_OK)
        return ks;
    sqlite3_stmt *st = NULL;
    int changed = 0;
    ks = store_stmt_get(s, SQL_SESSION_CLOCK_DOUBT, what, &st);
    if (ks == KS_OK)
        ks = store_bind_int64(s, st, 1, session_id, what);
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

KsStatus store_session_finish(Store *s, int64_t session_id, StoreOutcome outcome, int64_t at_ms)
{
    const char *what = "finish session";
    sqlite3_stmt *st = NULL;
    if (outcome != STORE_OUTCOME_COMPLETE && outcome != STORE_OUTCOME_ABANDONED) {
        LOG_ERROR("a session can only finish complete or abandoned, not %d", (int)outcome);
        return KS_ERR_INVALID;
    }
    KsStatus ks = store_tx_begin(s);
    if (ks != KS_OK)
        return ks;
    /* checked first so "already finished" and "no such session" get their
     * own status instead of a silent zero-row update */
    ks = store_session_require_open(s, session_id);
    if (ks != KS_OK)
        goto cleanup;
    ks = store_stmt_get(s, SQL_SESSION_FINISH, what, &st);
    if (ks == KS_OK)
        ks = store_bind_int64(s, st, 1, session_id, what);
    if (ks == KS_OK)
        ks = store_bind_text(s, st, 2, store_outcome_name(outcome), what);
    if (ks == KS_OK)
        ks = store_bind_time(s, st, 3, at_ms, what);
    if (ks == KS_OK)
        ks = store_step_done(s, st, what, NULL);
    if (ks != KS_OK)
        goto cleanup;
    if (KS_NEVER(sqlite3_changes(s->db) != 1)) {
        ks = KS_ERR_STATE;
        goto cleanup;
    }
    store_stmt_put(s, st);
    st = NULL;
    ks = store_tx_commit(s);

cleanup:
    store_stmt_put(s, st);
    if (ks != KS_OK)
        store_tx_rollback(s);
    return ks;
}

KsStatus store_sessions_close_stale(Store *s, int64_t at_ms, int *n_closed)
{
    const char *what = "close stale sessions";
    sqlite3_stmt *st = NULL;
    int changed = 0;
    *n_closed = 0;
    KsStatus ks = store_tx_begin(s);
    if (ks != KS_OK)
        return ks;
    ks = store_stmt_get(s, SQL_SESSION_CLOSE_STALE, what, &st);
    if (ks == KS_OK)
        ks = store_bind_time(s, st, 1, at_ms, what);
    if (ks == KS_OK)
        ks = store_step_done(s, st, what, NULL);
    if (ks != KS_OK)
        goto cleanup;
    changed = sqlite3_changes(s->db);
    store_stmt_put(s, st);
    st = NULL;
    ks = store_tx_commit(s);
    if (ks == KS_OK) {
        *n_closed = changed;
        if (changed > 0)
            LOG_INFO("%d session(s) left open were marked abandoned", changed);
    }

cleanup:
    store_stmt_put(s, st);
    if (ks != KS_OK)
        store_tx_rollback(s);
    return ks;
}
