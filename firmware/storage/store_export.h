/* store_export: the read side for exports and the staff screens, and the
 * export ledger. Reading never changes anything; the only writes here are
 * the ledger commit (sessions marked exported in one transaction with their
 * batch), staff reviews of free text and drawings, form activation and
 * small settings (the staff PIN hash). */
#ifndef KS_STORE_EXPORT_H
#define KS_STORE_EXPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "store.h"

/* One stored session as an export sees it. Strings are borrowed for the
 * duration of the callback only. */
typedef struct {
    int64_t id; /* row id: for the ledger only, never exported */
    const char *form_id;
    const char *form_version;
    const char *lang;
    const char *audience;
    int64_t started_ms, ended_ms; /* wall clock, ms since the epoch */
    const char *misuse;           /* NULL, or "fast", "burst", "fast,burst" */
    const char *batch_id;         /* NULL until exported */
    bool clock_doubt;             /* recorded while the clock was in doubt: times unreliable */
} StoreExportSession;

typedef enum {
    STORE_REVIEW_NONE,    /* an answer that needs no review (choices, numbers) */
    STORE_REVIEW_PENDING, /* free text or a drawing nobody has looked at yet */
    STORE_REVIEW_APPROVED,
    STORE_REVIEW_REJECTED,
} StoreReview;

typedef struct {
    const char *question;
    const char *value; /* as stored: "a b c" for multiple choice, "x.png" for drawings */
    StoreReview review;
    bool has_media; /* a PNG is stored beside it (store_answer_media_get) */
} StoreExportAnswer;

/* Calls fn for each complete session that has not been exported (batch_id
 * NULL), or, with redo_batch, for each session of that batch; sessions with
 * a misuse flag only when include_misuse. Ordered by id. A non-OK status
 * from fn stops the walk and is returned. */
typedef KsStatus (*StoreSessionFn)(void *ctx, const StoreExportSession *s,
                                   const StoreExportAnswer *answers, int n_answers);
KsStatus store_export_sessions(Store *s, const char *redo_batch, bool include_misuse,
                               StoreSessionFn fn, void *ctx);

/* Answers waiting for a staff decision (review pending), oldest first, at
 * most `max`. fn gets the session and one answer. */
typedef KsStatus (*StoreReviewFn)(void *ctx, const StoreExportSession *s,
                                  const StoreExportAnswer *a);
KsStatus store_review_pending(Store *s, int max, StoreReviewFn fn, void *ctx);
/* Approves or rejects one answer. KS_ERR_NOT_FOUND when it does not exist
 * or needs no review. */
KsStatus store_review_set(Store *s, int64_t session_id, const char *question, StoreReview r,
                          int64_t at_ms);

/* The export ledger. */
typedef struct {
    char id[48];         /* batch id */
    char tag_sha256[65]; /* hex SHA-256 of its tagmanifest-sha256.txt */
    char prev_id[48];    /* the batch before it, "" for the first */
    int rows;
    int64_t created_ms;
    /* Read only (store_batch_commit derives or records them): */
    char redo_of[48];        /* the original batch a re-export repeats, "" for an original */
    int64_t acked_ms;        /* when the office's receipt was accepted, 0 when none */
    int64_t ack_received_ms; /* when the office says it received the batch, 0 when none */
} StoreBatch;

/* The newest batch. KS_ERR_NOT_FOUND when there is none. */
KsStatus store_batch_last(Store *s, StoreBatch *out);
/* Looks a batch up by id. KS_ERR_NOT_FOUND when unknown. */
KsStatus store_batch_get(Store *s, const char *id, StoreBatch *out);
/* Records a new batch and marks its sessions exported, in one transaction.
 * A batch whose id is an earlier batch's id followed by "-R" and four
 * characters (a re-export, see export.h) is recorded as repeating that one
 * (redo_of). KS_ERR_STATE (and nothing stored) when any of the sessions is
 * already exported or not complete. */
KsStatus store_batch_commit(Store *s, const StoreBatch *b, const int64_t *session_ids, int n);
/* As store_batch_commit, and in the same transaction marks the workshops
 * exported in this batch (see store_ws_export_list). KS_ERR_STATE (and
 * nothing stored) also when a workshop is exported already or still
 * running (open and not in the results phase). workshop_ids may be NULL
 * when n_ws is 0. */
KsStatus store_batch_commit_ws(Store *s, const StoreBatch *b, const int64_t *session_ids, int n,
                               const int64_t *workshop_ids, int n_ws);

/* The evaluation office's signed receipt for one batch (export/ack.h),
 * checked by the caller; the strings are borrowed for the call. */
typedef struct {
    const char *batch_id;
    const char *tag_sha256; /* 64 hex digits, as the ledger has them */
    int rows;
    int64_t received_ms; /* the office's time of receipt; 0 when unknown */
} StoreAck;

typedef struct {
    bool recorded; /* false: the batch had its receipt already, nothing changed */
    int sessions;  /* sessions acknowledged by it */
    int workshops; /* workshops acknowledged by it */
} StoreAckResult;

/* Records the receipt for a batch of the ledger, in one transaction: the
 * batch gets acked_at (the latest of now_ms, the receipt's time and the
 * batch's own time, so a clock that went back cannot date it early) and
 * the receipt's time; the sessions and workshops it carried get acked_at
 * too. An original batch carried all of its sessions and workshops. A
 * re-export carried the workshops of the batch it repeats and its
 * sessions: all of them when the receipt's row count equals their number,
 * those without a misuse flag when it equals theirs (the flagged ones were
 * left out then), none when it equals neither (they wait for another
 * receipt). KS_ERR_NOT_FOUND when the ledger has no such batch,
 * KS_ERR_CORRUPT when the hash or the row count differs from the ledger's
 * (nothing stored either way); a batch acknowledged already is KS_OK with
 * out->recorded false. */
KsStatus store_batch_acknowledge(Store *s, const StoreAck *a, int64_t now_ms, StoreAckResult *out);

/* Counts for the staff overview: fn once per (form, day, outcome) with the
 * number of sessions and how many of them carry a misuse flag. Day is
 * "YYYY-MM-DD" in UTC, outcome "complete", "abandoned" or "open". */
typedef void (*StoreDayFn)(void *ctx, const char *form_id, const char *day, const char *outcome,
                           int count, int misuse);
KsStatus store_stats_days(Store *s, StoreDayFn fn, void *ctx);
/* Sessions complete and not yet exported (misuse-flagged ones counted
 * apart). */
KsStatus store_stats_pending(Store *s, int *complete, int *flagged);

/* Whether the kiosk offers a form (all are active until staff turn one
 * off). */
KsStatus store_form_set_active(Store *s, const char *form_id, bool active);
bool store_form_is_active(Store *s, const char *form_id);

/* Small settings kept across restarts (the staff PIN's Argon2id hash, the
 * count of wrong PINs). value gets "" and KS_ERR_NOT_FOUND when unset. */
KsStatus store_setting_get(Store *s, const char *key, char *value, size_t size);
KsStatus store_setting_set(Store *s, const char *key, const char *value);

#endif
