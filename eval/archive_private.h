/* archive_private: what the archive's files share and nothing outside them
 * sees — the struct, the checked-call and statement helpers. */
#ifndef KM2EVAL_ARCHIVE_PRIVATE_H
#define KM2EVAL_ARCHIVE_PRIVATE_H

#include <sqlite3.h>

#include "archive.h"

#define ARCHIVE_STMT_CACHE 48

struct Archive {
    sqlite3 *db;
    char dir[1024];
    struct {
        const char *sql; /* static text: the cache key is its address */
        sqlite3_stmt *stmt;
    } cache[ARCHIVE_STMT_CACHE];
    int n_cache;
};

/* Logs what failed with SQLite's words and maps the code to a KsStatus. */
KsStatus archive_fail(Archive *a, int rc, const char *what);
KsStatus archive_exec(Archive *a, const char *sql, const char *what);
/* A prepared statement for static sql, reset and cleared; borrowed until
 * the archive closes. */
KsStatus archive_stmt(Archive *a, const char *sql, sqlite3_stmt **out);
/* Binds text (NULL binds NULL). */
KsStatus archive_bind(Archive *a, sqlite3_stmt *st, int idx, const char *v);
/* Steps a statement that returns no row. */
KsStatus archive_done(Archive *a, sqlite3_stmt *st, const char *what);
/* Steps a statement for its one row, which read(st, out) takes; resets it.
 * KS_ERR_NOT_FOUND when there is no row. */
KsStatus archive_row(Archive *a, sqlite3_stmt *st, const char *what,
                     void (*read)(sqlite3_stmt *st, void *out), void *out);
/* The first column of every row of sql (static text, no parameters) as
 * text ("" for NULL): *v a new array of *n new strings. */
KsStatus archive_texts(Archive *a, const char *sql, const char *what, char ***v, int *n);
/* Copies column i as text ("" for NULL). */
void archive_col(sqlite3_stmt *st, int i, char *out, size_t size);

/* Migrates the database to the current schema (archive_schema.c). */
KsStatus archive_schema_migrate(Archive *a);

#endif
