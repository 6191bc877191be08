/* db_fixture: the plain SQLite helpers of the storage suites (see
 * db_fixture.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "db_fixture.h"

sqlite3 *db_open(const char *path, int flags)
{
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db, flags, NULL);
    if (rc != SQLITE_OK)
        fail_msg("open %s: %s", path, sqlite3_errstr(rc));
    return db;
}

void db_exec(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
    if (rc != SQLITE_OK)
        fail_msg("%s: %s", sql, err ? err : sqlite3_errstr(rc));
}

/* The statement of sql stepped once: SQLITE_ROW or SQLITE_DONE. */
static int first_row(sqlite3 *db, const char *sql, sqlite3_stmt **st)
{
    *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    int rc = sqlite3_step(*st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    return rc;
}

const char *db_text(sqlite3 *db, const char *sql, char *buf, size_t size)
{
    sqlite3_stmt *st;
    buf[0] = '\0';
    if (first_row(db, sql, &st) == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(st, 0);
        snprintf(buf, size, "%s", t ? (const char *)t : "NULL");
    }
    sqlite3_finalize(st);
    return buf;
}

long long db_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    if (first_row(db, sql, &st) != SQLITE_ROW)
        fail_msg("no row: %s", sql);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

const char *db_file_text(const char *path, const char *sql, char *buf, size_t size)
{
    sqlite3 *db = db_open(path, SQLITE_OPEN_READONLY);
    db_text(db, sql, buf, size);
    sqlite3_close(db);
    return buf;
}

long long db_file_int(const char *path, const char *sql)
{
    sqlite3 *db = db_open(path, SQLITE_OPEN_READONLY);
    long long v = db_int(db, sql);
    sqlite3_close(db);
    return v;
}
