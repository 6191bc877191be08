/* db_fixture: plain SQLite for the suites that look past the store — what
 * it committed, read on its own connection or on a second one to the
 * file, and a file taken back to an older schema. Each call fails the
 * running cmocka test (with the SQL and SQLite's message) where SQLite
 * does. Linked into the suites that include it (Makefile,
 * DB_FIXTURE_OBJ). */
#ifndef KS_DB_FIXTURE_H
#define KS_DB_FIXTURE_H

#include <stddef.h>
#include <sqlite3.h>

/* A connection to the file with sqlite3_open_v2's flags; sqlite3_close it. */
sqlite3 *db_open(const char *path, int flags);

/* Runs one or more statements that return nothing to look at. */
void db_exec(sqlite3 *db, const char *sql);

/* The first column of the first row of sql as text in buf: "" when there
 * is no row, "NULL" for NULL. Returns buf. */
const char *db_text(sqlite3 *db, const char *sql, char *buf, size_t size);

/* The first column of the first row of sql as a number; the query must
 * return a row. */
long long db_int(sqlite3 *db, const char *sql);

/* db_text and db_int on a read-only connection of their own to the file at
 * path: what the store has committed, whatever its own connection does. */
const char *db_file_text(const char *path, const char *sql, char *buf, size_t size);
long long db_file_int(const char *path, const char *sql);

#endif
