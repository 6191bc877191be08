/* store_private: what the storage .c files share and nobody else may see —
 * the Store struct, checked statement helpers, the statement cache and the
 * transaction helpers. Never include this outside firmware/storage/. */
#ifndef KS_STORE_PRIVATE_H
#define KS_STORE_PRIVATE_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "../core/ks_status.h"
#include "store.h"

#define STORE_STMT_CACHE 64

typedef struct {
    const char *sql; /* key: the SQL text (a string literal, compared by content) */
    sqlite3_stmt *stmt;
} StoreStmtSlot;

struct Store {
    sqlite3 *db;
    char *path;
    StoreStmtSlot cache[STORE_STMT_CACHE];
};

/* Maps an SQLite result code (extended or primary) to a KsStatus. */
KsStatus store_status_from_rc(int rc);

/* Logs a failed SQLite call with its purpose, the code's name and the
 * connection's message, and returns the mapped status. */
KsStatus store_log_fail(Store *s, int rc, const char *what);

/* Runs SQL that needs no bound values (DDL, pragmas), stepping through any
 * rows it returns. Not cached: meant for start-up and migrations. */
KsStatus store_exec(Store *s, const char *sql, const char *what);

/* Hands out the cached prepared statement for sql (preparing it on first
 * use), reset and with no bindings. Return it with store_stmt_put. */
KsStatus store_stmt_get(Store *s, const char *sql, const char *what, sqlite3_stmt **out);
/* Resets a statement from store_stmt_get for its next use; accepts NULL. */
void store_stmt_put(Store *s, sqlite3_stmt *stmt);

/* Binds text; logs and maps a failure. A NULL value binds SQL NULL. */
KsStatus store_bind_text(Store *s, sqlite3_stmt *st, int idx, const char *v, const char *what);
KsStatus store_bind_int64(Store *s, sqlite3_stmt *st, int idx, int64_t v, const char *what);
/* Binds a wall time as ISO 8601 UTC text with milliseconds. */
KsStatus store_bind_time(Store *s, sqlite3_stmt *st, int idx, int64_t wall_ms, const char *what);

/* Steps a statement expected to return no rows; *changed (when not NULL)
 * gets the number of rows it changed. Logs and maps a failure. */
KsStatus store_step_done(Store *s, sqlite3_stmt *st, const char *what, int *changed);

/* Steps a statement that reads one blob in column 0 and copies it into
 * *data (malloc'd; the caller frees it). KS_ERR_NOT_FOUND without a row. */
KsStatus store_step_blob(Store *s, sqlite3_stmt *st, const char *what, uint8_t **data,
                         size_t *size);

/* BEGIN IMMEDIATE / COMMIT; rollback is a no-op outside a transaction and
 * never fails loudly (it only logs). */
KsStatus store_tx_begin(Store *s);
KsStatus store_tx_commit(Store *s);
void store_tx_rollback(Store *s);

/* store_schema.c: brings the schema to store_schema_latest(), one step per
 * transaction. KS_ERR_STATE when the database is newer than this code. */
KsStatus store_schema_migrate(Store *s);
int store_schema_latest(void);

#endif
