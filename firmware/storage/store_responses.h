/* store_responses: the write side for survey sessions and their answers.
 * Every call is one committed transaction: when it returns KS_OK the data
 * survives a power cut (WAL + synchronous=FULL). On failure nothing of that
 * call is stored. */
#ifndef KS_STORE_RESPONSES_H
#define KS_STORE_RESPONSES_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "store.h"

typedef enum { STORE_OUTCOME_OPEN, STORE_OUTCOME_COMPLETE, STORE_OUTCOME_ABANDONED } StoreOutcome;

typedef struct {
    const char *uuid; /* random session id, 32 hex digits */
    const char *form_id;
    const char *form_version;
    const char *form_sha256;
    const char *lang;     /* language code the respondent chose */
    const char *audience; /* "child", "youth", "parent" */
    int64_t started_ms;   /* wall clock, ms since the epoch */
    bool clock_doubt;     /* the wall clock was in doubt: started_ms may be wrong */
} StoreSessionMeta;

/* Records a new session with outcome "open"; *out_id is its handle for the
 * calls below. KS_ERR_INVALID when the uuid is already stored; KS_ERR_STATE
 * when this form_id and version were used before with other content (a
 * different form_sha256): nothing is stored then. */
KsStatus store_session_begin(Store *s, const StoreSessionMeta *meta, int64_t *out_id);

/* Stores (or replaces) the answer to `question`. A NULL or "" value removes
 * the answer. KS_ERR_STATE when the session is no longer open. */
KsStatus store_answer_put(Store *s, int64_t session_id, const char *question, const char *value,
                          int64_t at_ms);

/* Like store_answer_put for an answer a person wrote in their own words
 * (free text): it waits for a staff review before any export. */
KsStatus store_answer_put_review(Store *s, int64_t session_id, const char *question,
                                 const char *value, int64_t at_ms);

/* A file that belongs to an answer (a drawing's PNG). Borrowed. */
typedef struct {
    const char *mime; /* "image/png" */
    const uint8_t *data;
    size_t size;
} StoreMedia;

/* Like store_answer_put, and stores media beside the answer in the same
 * transaction (a NULL or "" value removes both); it waits for a staff
 * review as free text does. The value names the file,
 * e.g. "drawing.png". KS_ERR_INVALID for empty media. */
KsStatus store_answer_put_media(Store *s, int64_t session_id, const char *question,
                                const char *value, const StoreMedia *media, int64_t at_ms);

/* Reads the media stored with an answer into *data (malloc'd; the caller
 * frees it). KS_ERR_NOT_FOUND when there is none. */
KsStatus store_answer_media_get(Store *s, int64_t session_id, const char *question, uint8_t **data,
                                size_t *size);

/* Adds a reason ("fast", "burst") to the session's suspected-misuse flag.
 * The session and its answers are kept as they are. KS_ERR_NOT_FOUND when
 * the session does not exist. */
KsStatus store_session_flag_misuse(Store *s, int64_t session_id, const char *reason);

/* Marks a session as recorded while the wall clock was in doubt (its
 * times may be wrong; exports then give it no period). KS_ERR_NOT_FOUND
 * when the session does not exist. */
KsStatus store_session_flag_clock_doubt(Store *s, int64_t session_id);

/* Ends an open session as complete or abandoned. KS_ERR_STATE when it is not
 * open. */
KsStatus store_session_finish(Store *s, int64_t session_id, StoreOutcome outcome, int64_t at_ms);

/* At start-up: sessions left open by a crash or power cut become abandoned
 * (their answers are kept). *n_closed gets how many. */
KsStatus store_sessions_close_stale(Store *s, int64_t at_ms, int *n_closed);

/* Records that this form version with this content is in use. KS_OK when it
 * is new or its content is the one recorded; KS_ERR_STATE when the same
 * form_id and version were recorded with different content, whose hash is
 * then copied into known_sha256 (65 bytes, may be NULL). */
KsStatus store_form_register(Store *s, const char *form_id, const char *version, const char *sha256,
                             int64_t at_ms, char *known_sha256);

/* One form version for store_forms_register: what to record, and how it
 * went. */
typedef struct {
    const char *form_id, *version, *sha256;
    KsStatus status;       /* out: as store_form_register's */
    char known_sha256[65]; /* out: with KS_ERR_STATE, the content recorded */
} StoreFormReg;

/* store_form_register for n form versions in one transaction (one commit
 * for all that are new). Each entry gets its own status; a failure that
 * stores none of them (a write, the commit) is returned, and every entry
 * then has it as its status. The commit is not synced (the start-up's
 * registration: on a new database three syncs before the first screen):
 * one a power cut takes is made again at the next start, and whatever
 * refers to a form version (a session, which records it again) commits
 * after it with a sync, which makes both durable. */
KsStatus store_forms_register(Store *s, StoreFormReg *forms, int n, int64_t at_ms);

/* Reads the content hash recorded for this form version into sha256 (65
 * bytes), without recording anything. KS_ERR_NOT_FOUND when never used. */
KsStatus store_form_lookup(Store *s, const char *form_id, const char *version, char *sha256);

#endif
