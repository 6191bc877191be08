/* store_responses: writes sessions and answers, each public call exactly one
 * BEGIN IMMEDIATE … COMMIT transaction, rolled back on any failure so a call
 * is either wholly stored or not at all. Reading for export lives elsewhere. */
#include "store_responses.h"

#include <stdio.h>
#include <string.h>

#include "../core/log.h"
#include "store_private.h"
#include "store_stats.h"

#define SQL_SESSION_INSERT                                                                         \
    "INSERT INTO session(uuid, form_id, form_version, form_sha256, lang, audience,"                \
    " outcome, started_at, clock_doubt) VALUES(?1, ?2, ?3, ?4, ?5, ?6, 'open', ?7, ?8)"
#define SQL_FORM_SEEN_INSERT                                                                       \
    "INSERT OR IGNORE INTO form_seen(form_id, version, sha256, first_seen)"                        \
    " VALUES(?1, ?2, ?3, ?4)"
#define SQL_FORM_SEEN_GET "SELECT sha256 FROM form_seen WHERE form_id = ?1 AND version = ?2"
#define SQL_SESSION_OUTCOME "SELECT outcome FROM session WHERE id = ?1"
#define SQL_ANSWER_UPSERT                                                                          \
    "INSERT INTO answer(session_id, question, value, answered_at, review)"                         \
    " VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(session_id, question)"                                \
    " DO UPDATE SET value = excluded.value, answered_at = excluded.answered_at,"                   \
    " review = excluded.review, reviewed_at = NULL"
#define SQL_ANSWER_DELETE "DELETE FROM answer WHERE session_id = ?1 AND question = ?2"
#define SQL_MEDIA_UPSERT                                                                           \
    "INSERT INTO answer_media(session_id, question, mime, data) VALUES(?1, ?2, ?3, ?4)"            \
    " ON CONFLICT(session_id, question) DO UPDATE SET mime = excluded.mime, data = excluded.data"
#define SQL_MEDIA_DELETE "DELETE FROM answer_media WHERE session_id = ?1 AND question = ?2"
#define SQL_MEDIA_GET "SELECT data FROM answer_media WHERE session_id = ?1 AND question = ?2"
#define SQL_SESSION_MISUSE                                                                         \
    "UPDATE session SET misuse = CASE WHEN misuse IS NULL THEN ?2"                                 \
    " WHEN instr(',' || misuse || ',', ',' || ?2 || ',') > 0 THEN misuse"                          \
    " ELSE misuse || ',' || ?2 END WHERE id = ?1"
#define SQL_SESSION_CLOCK_DOUBT "UPDATE session SET clock_doubt = 1 WHERE id = ?1"
#define SQL_SESSION_FINISH                                                                         \
    "UPDATE session SET outcome = ?2, ended_at = ?3 WHERE id = ?1 AND outcome = 'open'"
/* Open sessions through the index on (form_id, outcome): the form ids one
 * by one (each the next above the last, a few index lookups), then each
 * form's open sessions, instead of reading every session there is. */
#define SQL_SESSION_CLOSE_STALE                                                                    \
    "WITH RECURSIVE form(id) AS (SELECT min(form_id) FROM session UNION ALL"                       \
    " SELECT (SELECT min(form_id) FROM session WHERE form_id > form.id) FROM form"                 \
    " WHERE form.id IS NOT NULL)"                                                                  \
    " UPDATE session SET outcome = 'abandoned', ended_at = ?1"                                     \
    " WHERE form_id IN (SELECT id FROM form WHERE id IS NOT NULL) AND outcome = 'open'"

static bool store_text_ok(const char *v)
{
    return v && *v;
}

/* KS_OK when the session exists and is open, else NOT_FOUND or STATE. Runs
 * inside the caller's transaction so the answer cannot race a finish. */
static KsStatus store_session_require_open(Store *s, int64_t session_id)
{
    char outcome[16];
    StoreText text = {outcome, sizeof outcome, false};
    KsStatus ks = store_query_row(s, SQL_SESSION_OUTCOME, "look up session state", store_row_text,
                                  &text, "I", session_id);
    if (ks == KS_ERR_NOT_FOUND) {
        LOG_WARN("session %lld does not exist", (long long)session_id);
    } else if (ks == KS_OK && strcmp(outcome, "open") != 0) {
        LOG_WARN("session %lld is %s, not open", (long long)session_id, outcome);
        ks = KS_ERR_STATE;
    }
    return ks;
}

/* Inside the caller's transaction: records the form version if new, and
 * compares the recorded content hash with sha256. */
static KsStatus store_form_check(Store *s, const char *form_id, const char *version,
                                 const char *sha256, int64_t at_ms, char *known)
{
    KsStatus ks = store_run(s, SQL_FORM_SEEN_INSERT, "record form version", "tttT", form_id,
                            version, sha256, at_ms);
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

KsStatus store_form_register(Store *s, const char *form_id, const char *version, const char *sha256,
                             int64_t at_ms, char *known_sha256)
{
    if (!store_text_ok(form_id) || !version || !store_text_ok(sha256))
        return KS_ERR_INVALID;
    KsStatus ks = store_tx_begin(s);
    if (ks != KS_OK)
        return ks;
    return store_tx_end(s, store_form_check(s, form_id, version, sha256, at_ms, known_sha256));
}

KsStatus store_forms_register(Store *s, StoreFormReg *forms, int n, int64_t at_ms)
{
    KsStatus ks = store_exec(s, "PRAGMA synchronous=OFF", "register forms without a sync");
    if (ks == KS_OK)
        ks = store_tx_begin(s);
    if (ks == KS_OK) {
        for (int i = 0; ks == KS_OK && i < n; i++) {
            StoreFormReg *f = &forms[i];
            f->known_sha256[0] = '\0';
            if (!store_text_ok(f->form_id) || !f->version || !store_text_ok(f->sha256)) {
                f->status = KS_ERR_INVALID;
                continue;
            }
            f->status =
                store_form_check(s, f->form_id, f->version, f->sha256, at_ms, f->known_sha256);
            /* a changed form is that form's answer, not the others' */
            if (f->status != KS_ERR_STATE)
                ks = f->status;
        }
        ks = store_tx_end(s, ks);
    }
    /* Every other commit is synced again; should that fail, no commit may
     * follow believing it is. */
    KsStatus full = store_exec(s, "PRAGMA synchronous=FULL", "set synchronous=FULL again");
    if (full != KS_OK) {
        s->unsynced = true;
        ks = full;
    }
    for (int i = 0; ks != KS_OK && i < n; i++)
        forms[i].status = ks;
    return ks;
}

KsStatus store_form_lookup(Store *s, const char *form_id, const char *version, char *sha256)
{
    StoreText text = {sha256, 65, false};
    return store_query_row(s, SQL_FORM_SEEN_GET, "look up form version", store_row_text, &text,
                           "tt", form_id, version);
}

KsStatus store_session_begin(Store *s, const StoreSessionMeta *meta, int64_t *out_id)
{
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
    ks = store_form_check(s, meta->form_id, meta->form_version, meta->form_sha256, meta->started_ms,
                          NULL);
    /* the only constraint an insert with valid metadata can break is the
     * unique uuid, which the header promises as KS_ERR_INVALID */
    if (ks == KS_OK)
        ks = store_run(s, SQL_SESSION_INSERT, "insert session", "ttttttTi", meta->uuid,
                       meta->form_id, meta->form_version, meta->form_sha256, meta->lang,
                       meta->audience, meta->started_ms, meta->clock_doubt ? 1 : 0);
    int64_t id = ks == KS_OK ? (int64_t)sqlite3_last_insert_rowid(s->db) : 0;
    ks = store_tx_end(s, ks);
    if (ks == KS_OK)
        *out_id = id;
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
        ks = store_run(s, SQL_ANSWER_DELETE, "delete answer", "It", session_id, question);
    if (ks == KS_OK && !remove)
        ks = store_run(s, SQL_ANSWER_UPSERT, "store answer", "IttTt", session_id, question, value,
                       at_ms, review ? "pending" : NULL);
    /* A removed or replaced answer takes its old picture with it. */
    if (ks == KS_OK && (remove || !media))
        ks = store_run(s, SQL_MEDIA_DELETE, "delete answer media", "It", session_id, question);
    if (ks == KS_OK && !remove && media)
        ks = store_run(s, SQL_MEDIA_UPSERT, "store answer media", "Ittb", session_id, question,
                       media->mime, media->data, media->size);
    return store_tx_end(s, ks);
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

KsStatus store_answer_media_get(Store *s, int64_t session_id, const char *question, uint8_t **data,
                                size_t *size)
{
    StoreBlob blob = {NULL, 0};
    KsStatus ks = store_query_row(s, SQL_MEDIA_GET, "read answer media", store_row_blob, &blob,
                                  "It", session_id, question);
    *data = blob.data;
    *size = blob.size;
    return ks;
}

KsStatus store_session_flag_misuse(Store *s, int64_t session_id, const char *reason)
{
    if (!store_text_ok(reason) || strchr(reason, ','))
        return KS_ERR_INVALID;
    return store_change_one(s, SQL_SESSION_MISUSE, "flag session", "It", session_id, reason);
}

KsStatus store_session_flag_clock_doubt(Store *s, int64_t session_id)
{
    return store_change_one(s, SQL_SESSION_CLOCK_DOUBT, "flag session clock doubt", "I",
                            session_id);
}

KsStatus store_session_finish(Store *s, int64_t session_id, StoreOutcome outcome, int64_t at_ms)
{
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
    if (ks == KS_OK)
        ks = store_run(s, SQL_SESSION_FINISH, "finish session", "ItT", session_id,
                       store_outcome_name(outcome), at_ms);
    if (ks == KS_OK && KS_NEVER(store_changes(s) != 1))
        ks = KS_ERR_STATE;
    return store_tx_end(s, ks);
}

KsStatus store_sessions_close_stale(Store *s, int64_t at_ms, int *n_closed)
{
    *n_closed = 0;
    KsStatus ks = store_tx_begin(s);
    if (ks != KS_OK)
        return ks;
    ks = store_run(s, SQL_SESSION_CLOSE_STALE, "close stale sessions", "T", at_ms);
    int changed = ks == KS_OK ? store_changes(s) : 0;
    ks = store_tx_end(s, ks);
    if (ks == KS_OK) {
        *n_closed = changed;
        if (changed > 0)
            LOG_INFO("%d session(s) left open were marked abandoned", changed);
    }
    return ks;
}
