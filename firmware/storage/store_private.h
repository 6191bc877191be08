/* store_private: what the storage .c files share and nobody else may see —
 * the Store struct, checked statement helpers, the statement cache and the
 * transaction helpers. Never include this outside firmware/storage/. */
#ifndef KS_STORE_PRIVATE_H
#define KS_STORE_PRIVATE_H

#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>
#include <stdbool.h>

#include "../core/ks_status.h"
#include "store.h"

#define STORE_STMT_CACHE 64

typedef struct {
    const char *sql; /* key: the SQL text (a string literal, compared by content) */
    sqlite3_stmt *stmt;
} StoreStmtSlot;

/* The fault-injection shim every connection opens through (store.c). */
#define STORE_FAULT_VFS "ks-fault"

typedef struct StoreCheck StoreCheck;

struct Store {
    sqlite3 *db;
    char *path;
    StoreStmtSlot cache[STORE_STMT_CACHE];
    StoreCheck *check; /* a start-up integrity check on its thread, or NULL */
    bool unsynced;     /* synchronous=FULL could not be set again: no commit may run */
};

/* Makes the database at path, when neither it nor a WAL or journal of it
 * exists, beside its place and renames it in whole (store_create.c).
 * KS_OK also when there was nothing to do. */
KsStatus store_create_if_new(const char *path);

/* Maps an SQLite result code (extended or primary) to a KsStatus. */
KsStatus store_status_from_rc(int rc);

/* Logs a failed SQLite call with its purpose, the code's name and the
 * connection's message, and returns the mapped status. */
KsStatus store_log_fail(Store *s, int rc, const char *what);

/* Hands a row of a query to its reader; a status other than KS_OK stops
 * the query and is what the query returns. Column values live until the
 * next row. */
typedef KsStatus (*StoreRowFn)(void *ctx, sqlite3_stmt *row);

/* Runs SQL that needs no bound values (DDL, pragmas), stepping through any
 * rows it returns. Not cached: meant for start-up and migrations. */
KsStatus store_exec(Store *s, const char *sql, const char *what);

/* Runs a pragma that answers with one text row and copies that row into
 * out; KS_ERR_IO (logged) when it answers nothing. */
KsStatus store_pragma_text(Store *s, const char *sql, const char *what, char *out, size_t size);

/* ---- one statement, checked ---------------------------------------------
 * store_run, store_query and store_query_row take the cached statement for
 * sql, bind the values that follow `types` to ?1, ?2, … one letter each,
 * step it and return it to the cache:
 *   i  int (also bool)
 *   I  int64_t
 *   t  const char *, text; NULL binds SQL NULL
 *   T  int64_t wall time in ms, bound as ISO 8601 UTC text with milliseconds
 *   b  const void *, size_t: a blob (copied)
 * There is one letter for each parameter of the statement (KS_ERR_STATE,
 * logged, when the count differs). The compiler cannot check the letters
 * against the values: I and T take an int64_t, never an int. A failed
 * prepare, bind or step is logged with `what` and SQLite's message and
 * mapped by store_status_from_rc. */

/* Runs a statement that returns no rows (INSERT, UPDATE, DELETE, BEGIN). */
KsStatus store_run(Store *s, const char *sql, const char *what, const char *types, ...);
/* Runs a query and hands each row to fn in order; KS_OK when it returns
 * no rows. */
KsStatus store_query(Store *s, const char *sql, const char *what, StoreRowFn fn, void *ctx,
                     const char *types, ...);
/* Like store_query for the first row only: KS_ERR_NOT_FOUND (not logged)
 * when the query returns no row. */
KsStatus store_query_row(Store *s, const char *sql, const char *what, StoreRowFn fn, void *ctx,
                         const char *types, ...);
/* Runs one statement as a transaction of its own, committed only when it
 * changed exactly one row: KS_ERR_NOT_FOUND (nothing stored) otherwise. */
KsStatus store_change_one(Store *s, const char *sql, const char *what, const char *types, ...);
/* Rows changed by the last store_run that changed any. */
int store_changes(Store *s);

/* A blob read by store_row_blob: data is malloc'd (the caller frees it). */
typedef struct {
    uint8_t *data;
    size_t size;
} StoreBlob;
/* A StoreRowFn that copies the blob in column 0 into the StoreBlob ctx. */
KsStatus store_row_blob(void *ctx, sqlite3_stmt *row);

/* Where store_row_text copies column 0 as text ("" for NULL, cut to fit
 * size bytes); it sets found. */
typedef struct {
    char *buf;
    size_t size;
    bool found;
} StoreText;
KsStatus store_row_text(void *ctx, sqlite3_stmt *row);

/* A StoreRowFn that reads every column of the row as an integer into the
 * int64_t array ctx, which has room for all of them. */
KsStatus store_row_ints(void *ctx, sqlite3_stmt *row);

/* BEGIN IMMEDIATE / COMMIT; rollback is a no-op outside a transaction and
 * never fails loudly (it only logs). */
KsStatus store_tx_begin(Store *s);
KsStatus store_tx_commit(Store *s);
void store_tx_rollback(Store *s);
/* Ends the transaction of store_tx_begin: commits when ks is KS_OK, rolls
 * back when it is not or when the commit fails. Returns the final status. */
KsStatus store_tx_end(Store *s, KsStatus ks);

/* store_check.c: PRAGMA integrity_check on the store's connection:
 * KS_OK, KS_ERR_CORRUPT (the first problems logged), or the error that
 * kept it from running. */
KsStatus store_check_now(Store *s);
/* store_check_now, or for a large database at the latest schema the same
 * check on a thread of its own (store_integrity tells its outcome); falls
 * back to store_check_now when no thread or connection can be had. */
KsStatus store_check_begin(Store *s);
/* Interrupts a check still running on its thread and joins it; nothing
 * without one. */
void store_check_end(Store *s);

/* store_schema.c: brings the schema to store_schema_latest(), every step
 * it is behind in one transaction. KS_ERR_STATE when the database is newer
 * than this code. */
KsStatus store_schema_migrate(Store *s);
/* The latest schema on a new, empty database in one pass (a database
 * with a schema version is migrated instead). */
KsStatus store_schema_create(Store *s);
int store_schema_latest(void);

#endif
