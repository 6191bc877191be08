/* store_workshop_private: what the two halves of the workshop storage
 * (store_workshop.c: workshops, rounds and votes; store_workshop_cards.c:
 * cards) share — the workshop row with its storage-only facts, reading it
 * inside a transaction, and small statement helpers. Only those two files
 * include it. */
#ifndef KS_STORE_WORKSHOP_PRIVATE_H
#define KS_STORE_WORKSHOP_PRIVATE_H

#include <stdint.h>
#include <stdbool.h>

#include "store_private.h"
#include "store_workshop.h"

/* A workshop as stored, with what only storage needs to know. */
typedef struct {
    StoreWorkshop w;
    bool exported;    /* a batch carries it: frozen */
    bool voting_seen; /* voting was entered before: entering it again is a new round */
} WsRow;

/* The phase of a stored name (a never-case for an unknown one). */
WsPhase store_ws_phase_of(const char *name);
/* A text column, "" for NULL; lives until the statement steps again. */
const char *store_ws_col_text(sqlite3_stmt *st, int i);
/* Reads one workshop by id (or the open one when id is 0).
 * KS_ERR_NOT_FOUND without a row. */
KsStatus store_ws_load(Store *s, int64_t id, WsRow *out);
/* Inside a transaction: the workshop exists and may still change (not
 * exported; open too when need_open). */
KsStatus store_ws_require_live(Store *s, int64_t id, bool need_open, WsRow *out);
/* Begins the transaction of a change to workshop id with the checks of
 * store_ws_require_live inside it; on failure it is rolled back. */
KsStatus store_ws_begin(Store *s, int64_t id, bool need_open, WsRow *out);

#endif
