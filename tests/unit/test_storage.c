/* test_storage: the storage module against real SQLite files in a temp
 * directory — open and pragmas, migrations, refusal of newer and corrupt
 * files, the session/answer write side, stats, and the "fail the Nth write"
 * hook (every write/sync of a session in turn fails; nothing is ever half). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../firmware/core/log.h"
#include "../../firmware/storage/store.h"
#include "../../firmware/storage/store_export.h"
#include "../../firmware/storage/store_private.h"
#include "../../firmware/storage/store_responses.h"
#include "../../firmware/storage/store_stats.h"
#include "../test_files.h"
#include "../test_main.h"
#include "../test_tmp.h"
#include "db_fixture.h"
#include "export_fixture.h"

#define T0 1795000000000LL /* 2026-11-18, a fixed wall time */

typedef struct {
    char dir[64];
    char path[128];
} Fixture;

static int fixture_setup(void **state)
{
    Fixture *f = TEST_FIXTURE_NEW(Fixture, "ks_storage");
    snprintf(f->path, sizeof f->path, "%s/kiosk.db", f->dir);
    *state = f;
    return 0;
}

static int fixture_teardown(void **state)
{
    Fixture *f = *state;
    test_fixture_free(f, f->dir);
    return 0;
}

/* ---- helpers --------------------------------------------------------- */

static const char *V1_DDL =
    "CREATE TABLE session (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
    " form_id TEXT NOT NULL, form_version TEXT NOT NULL, form_sha256 TEXT NOT NULL,"
    " lang TEXT NOT NULL, audience TEXT NOT NULL, outcome TEXT NOT NULL"
    " CHECK(outcome IN ('open','complete','abandoned')), started_at TEXT NOT NULL,"
    " ended_at TEXT);"
    "CREATE TABLE answer (session_id INTEGER NOT NULL REFERENCES session(id) ON DELETE CASCADE,"
    " question TEXT NOT NULL, value TEXT NOT NULL, answered_at TEXT NOT NULL,"
    " PRIMARY KEY(session_id, question)) WITHOUT ROWID;"
    "PRAGMA user_version=1;";

/* ---- open, pragmas, migrations --------------------------------------- */

static void test_open_creates_latest_schema(void **state)
{
    Fixture *f = *state;
    Store *s = NULL;
    char buf[64];
    assert_int_equal(store_open(f->path, &s), KS_OK);
    assert_non_null(s);
    assert_int_equal(store_schema_version(s), store_schema_latest());
    assert_int_equal(store_schema_latest(), 9);

    /* per-connection pragmas are only visible on the store's own connection */
    assert_string_equal(db_text(s->db, "PRAGMA journal_mode", buf, sizeof buf), "wal");
    assert_int_equal(db_int(s->db, "PRAGMA synchronous"), 2);
    assert_int_equal(db_int(s->db, "PRAGMA foreign_keys"), 1);

    /* WAL is persistent in the file: a second, read-only connection sees it */
    sqlite3 *ro = db_open(f->path, SQLITE_OPEN_READONLY);
    assert_string_equal(db_text(ro, "PRAGMA journal_mode", buf, sizeof buf), "wal");
    assert_int_equal(db_int(ro, "PRAGMA user_version"), store_schema_latest());
    assert_int_equal(db_int(ro, "SELECT count(*) FROM sqlite_schema WHERE name IN"
                                " ('session','answer','kiosk_meta','session_form_outcome')"),
                     4);
    sqlite3_close(ro);

    store_close(&s);
    assert_null(s);
    store_close(&s); /* NULL is accepted */
    store_close(NULL);

    /* reopening an up-to-date database changes nothing */
    assert_int_equal(store_open(f->path, &s), KS_OK);
    assert_int_equal(store_schema_version(s), store_schema_latest());
    store_close(&s);
}

/* The schema of the database at path, one line per entry, by name. */
static void schema_of(const char *path, char *out, size_t size)
{
    sqlite3 *db = db_open(path, SQLITE_OPEN_READONLY);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT type, name, tbl_name, ifnull(sql, '') FROM"
                                        " sqlite_schema ORDER BY name",
                                        -1, &st, NULL),
                     SQLITE_OK);
    size_t n = 0;
    out[0] = '\0';
    while (sqlite3_step(st) == SQLITE_ROW) {
        int k = snprintf(out + n, size - n, "%s %s %s %s\n", sqlite3_column_text(st, 0),
                         sqlite3_column_text(st, 1), sqlite3_column_text(st, 2),
                         sqlite3_column_text(st, 3));
        assert_true(k > 0 && (size_t)k < size - n);
        n += (size_t)k;
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
}

/* A new database gets the latest schema in one pass: the very schema the
 * steps give a database from its first version on. */
static void test_new_schema_equals_migrated(void **state)
{
    Fixture *f = *state;
    Store *s = NULL;
    assert_int_equal(store_open(f->path, &s), KS_OK);
    store_close(&s);
    char old[sizeof f->path + 8];
    snprintf(old, sizeof old, "%s/old.db", f->dir);
    FILE *empty = fopen(old, "w"); /* a database of schema version 0 */
    assert_non_null(empty);
    fclose(empty);
    assert_int_equal(store_open(old, &s), KS_OK);
    assert_int_equal(store_schema_version(s), store_schema_latest());
    store_close(&s);
    static char made[16384], migrated[16384];
    schema_of(f->path, made, sizeof made);
    schema_of(old, migrated, sizeof migrated);
    assert_true(strlen(made) > 1000);
    assert_string_equal(made, migrated);
    assert_int_equal(db_file_int(f->path, "PRAGMA user_version"), store_schema_latest());
}

/* Changed content under an unchanged version is refused, for a new session
 * and for registration; a new version is fine. */
static void test_form_identity(void **state)
{
    Fixture *f = *state;
    Store *s = NULL;
    char known[65] = "";
    assert_int_equal(store_open(f->path, &s), KS_OK);
    assert_int_equal(store_form_lookup(s, "kinder", "1", known), KS_ERR_NOT_FOUND);
    assert_int_equal(store_form_register(s, "kinder", "1", "aaa", 0, known), KS_OK);
    assert_int_equal(store_form_register(s, "kinder", "1", "aaa", 0, known), KS_OK);
    assert_int_equal(store_form_register(s, "kinder", "1", "bbb", 0, known), KS_ERR_STATE);
    assert_string_equal(known, "aaa");
    assert_int_equal(store_form_register(s, "kinder", "2", "bbb", 0, known), KS_OK);
    StoreSessionMeta m = plain_meta("u-identity", "kinder", 0); /* version 1 */
    m.form_sha256 = "ccc";
    int64_t id = 0;
    assert_int_equal(store_session_begin(s, &m, &id), KS_ERR_STATE);
    assert_int_equal(id, 0);
    m.form_sha256 = "aaa";
    assert_int_equal(store_session_begin(s, &m, &id), KS_OK);
    assert_int_equal(store_form_lookup(s, "kinder", "2", known), KS_OK);
    assert_string_equal(known, "bbb");
    store_close(&s);
}

/* The start-up's registration of every form commits without a sync of its
 * own (three fewer before a new kiosk's first screen); the session that
 * refers to a form version records it again and is synced, and every
 * commit after the registration is synced again. */
static void test_forms_register_unsynced(void **state)
{
    Fixture *f = *state;
    Store *s = NULL;
    char known[65] = "";
    assert_int_equal(store_open(f->path, &s), KS_OK);
    StoreFormReg regs[] = {{.form_id = "kinder", .version = "1", .sha256 = "aaa"},
                           {.form_id = "eltern", .version = "3", .sha256 = "bbb"}};
    store_fault_fail_nth_write(0);
    assert_int_equal(store_forms_register(s, regs, 2, T0), KS_OK);
    assert_int_equal(regs[0].status, KS_OK);
    assert_int_equal(regs[1].status, KS_OK);
    assert_true(store_fault_write_count() > 0);
    assert_int_equal(store_fault_sync_count(), 0);
    assert_int_equal(store_form_lookup(s, "eltern", "3", known), KS_OK);
    assert_string_equal(known, "bbb");
    StoreSessionMeta m = plain_meta("u-unsynced", "kinder", T0);
    m.form_sha256 = "aaa";
    int64_t id = 0;
    assert_int_equal(store_session_begin(s, &m, &id), KS_OK);
    assert_true(store_fault_sync_count() > 0);
    int synced = store_fault_sync_count();
    assert_int_equal(store_answer_put(s, id, "q1", "a", T0 + 1), KS_OK);
    assert_true(store_fault_sync_count() > synced);
    /* A changed form is still told apart after an unsynced registration. */
    regs[0].sha256 = "ccc";
    assert_int_equal(store_forms_register(s, regs, 2, T0), KS_OK);
    assert_int_equal(regs[0].status, KS_ERR_STATE);
    assert_string_equal(regs[0].known_sha256, "aaa");
    store_close(&s);
}

static void test_open_bad_path_is_io(void **state)
{
    (void)state;
    Store *s = (Store *)1;
    assert_int_equal(store_open("/nonexistent-dir-ks/x/kiosk.db", &s), KS_ERR_IO);
    assert_null(s);
}

static void test_migrate_from_v1_keeps_rows(void **state)
{
    Fixture *f = *state;
    sqlite3 *db = db_open(f->path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    db_exec(db, V1_DDL);
    db_exec(db, "INSERT INTO session VALUES(1, 'u1', 'f1', '1', 'sha', 'fr', 'parent', 'open',"
                " '2026-01-01T00:00:00.000Z', NULL);"
                "INSERT INTO answer VALUES(1, 'q1', 'yes', '2026-01-01T00:00:01.000Z');");
    sqlite3_close(db);

    Store *s = NULL;
    char buf[64];
    assert_int_equal(store_open(f->path, &s), KS_OK);
    assert_int_equal(store_schema_version(s), store_schema_latest());
    assert_string_equal(db_text(s->db, "SELECT uuid || '/' || lang FROM session", buf, sizeof buf),
                        "u1/fr");
    /* the form versions of earlier sessions are known to step 3 */
    assert_string_equal(db_text(s->db,
                                "SELECT form_id || '/' || version || '/' || sha256"
                                " FROM form_seen",
                                buf, sizeof buf),
                        "f1/1/sha");
    assert_string_equal(db_text(s->db, "SELECT value FROM answer", buf, sizeof buf), "yes");
    assert_int_equal(db_int(s->db, "SELECT count(*) FROM sqlite_schema WHERE name IN"
                                   " ('kiosk_meta','session_form_outcome')"),
                     2);
    /* the migrated session is still usable */
    assert_int_equal(store_answer_put(s, 1, "q2", "no", T0), KS_OK);
    assert_int_equal(store_session_finish(s, 1, STORE_OUTCOME_COMPLETE, T0), KS_OK);
    store_close(&s);
}

/* Step 8 (the office's receipts) on a database of version 7 with a ledger:
 * the new columns are empty, re-exports already in the ledger know the
 * batch they repeat, and nothing counts as acknowledged. */
static void test_migrate_from_v7_receipts(void **state)
{
    Fixture *f = *state;
    Store *s = NULL;
    char buf[160];
    assert_int_equal(store_open(f->path, &s), KS_OK);
    StoreSessionMeta m = plain_meta("u-v7", "kinder", T0);
    int64_t id = 0;
    assert_int_equal(store_session_begin(s, &m, &id), KS_OK);
    assert_int_equal(store_session_finish(s, id, STORE_OUTCOME_COMPLETE, T0), KS_OK);
    store_close(&s);
    /* back to version 7 as that software left it */
    sqlite3 *db = db_open(f->path, SQLITE_OPEN_READWRITE);
    db_exec(db, "DROP INDEX ws_card_about;"
                "DROP TABLE ws_round;"
                "ALTER TABLE workshop DROP COLUMN vote_phase;"
                "ALTER TABLE ws_card DROP COLUMN who;"
                "ALTER TABLE ws_card DROP COLUMN by_when;"
                "ALTER TABLE batch DROP COLUMN redo_of;"
                "ALTER TABLE batch DROP COLUMN acked_at;"
                "ALTER TABLE batch DROP COLUMN ack_received;"
                "ALTER TABLE session DROP COLUMN acked_at;"
                "ALTER TABLE workshop DROP COLUMN acked_at;"
                "INSERT INTO batch VALUES('K1-20261118-AAAA', 'aa', '', 1,"
                " '2026-11-18T10:00:00.000Z');"
                "INSERT INTO batch VALUES('K1-20261118-AAAA-RX7Q2', 'bb', 'K1-20261118-AAAA', 1,"
                " '2026-11-19T10:00:00.000Z');"
                "INSERT INTO batch VALUES('K9-20261120-BBBB-RZZZZ', 'cc', 'K1-20261118-AAAA-RX7Q2',"
                " 0, '2026-11-20T10:00:00.000Z');"
                "UPDATE session SET batch_id = 'K1-20261118-AAAA';"
                "PRAGMA user_version=7;");
    sqlite3_close(db);

    assert_int_equal(store_open(f->path, &s), KS_OK);
    assert_int_equal(store_schema_version(s), store_schema_latest());
    assert_string_equal(db_text(s->db,
                                "SELECT group_concat(id || '>' || coalesce(redo_of, '-'),"
                                " ' ') FROM (SELECT * FROM batch ORDER BY rowid)",
                                buf, sizeof buf),
                        "K1-20261118-AAAA>- K1-20261118-AAAA-RX7Q2>K1-20261118-AAAA"
                        " K9-20261120-BBBB-RZZZZ>-");
    assert_int_equal(db_int(s->db, "SELECT count(*) FROM batch WHERE acked_at IS NOT NULL"
                                   " OR ack_received IS NOT NULL"),
                     0);
    assert_int_equal(db_int(s->db, "SELECT count(*) FROM session WHERE acked_at IS NULL"
                                   " AND batch_id = 'K1-20261118-AAAA'"),
                     1);
    assert_int_equal(db_int(s->db, "SELECT count(*) FROM pragma_table_info('workshop')"
                                   " WHERE name = 'acked_at'"),
                     1);
    StoreBatch b;
    assert_int_equal(store_batch_get(s, "K1-20261118-AAAA-RX7Q2", &b), KS_OK);
    assert_string_equal(b.redo_of, "K1-20261118-AAAA");
    assert_int_equal(b.acked_ms, 0);
    StoreAckCounts c;
    assert_int_equal(store_stats_acks(s, &c), KS_OK);
    assert_int_equal(c.acked, 0);
    assert_int_equal(c.unacked, 3);
    store_close(&s);
}

static void test_newer_schema_refused(void **state)
{
    Fixture *f = *state;
    sqlite3 *db = db_open(f->path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    db_exec(db, V1_DDL);
    db_exec(db, "PRAGMA user_version=99");
    sqlite3_close(db);

    Store *s = (Store *)1;
    assert_int_equal(store_open(f->path, &s), KS_ERR_STATE);
    assert_null(s);

    db = db_open(f->path, SQLITE_OPEN_READONLY);
    assert_int_equal(db_int(db, "PRAGMA user_version"), 99); /* never downgraded */
    assert_int_equal(db_int(db, "SELECT count(*) FROM sqlite_schema WHERE name='kiosk_meta'"), 0);
    sqlite3_close(db);
}

static void write_garbage(const char *path, long from, long len)
{
    int fd = open(path, O_WRONLY);
    assert_true(fd >= 0);
    unsigned char junk[512];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (unsigned char)(i * 37u + 11u);
    for (long off = from; off < from + len; off += (long)sizeof junk)
        assert_int_equal(pwrite(fd, junk, sizeof junk, off), (ssize_t)sizeof junk);
    close(fd);
}

static void test_corrupt_pages_refused(void **state)
{
    Fixture *f = *state;
    Store *s = NULL;
    assert_int_equal(store_open(f->path, &s), KS_OK);
    for (int i = 0; i < 40; i++) {
        char uuid[40];
        int64_t id;
        snprintf(uuid, sizeof uuid, "%032d", i);
        StoreSessionMeta m = plain_meta(uuid, "form", T0);
        assert_int_equal(store_session_begin(s, &m, &id), KS_OK);
        assert_int_equal(store_answer_put(s, id, "q_with_a_long_name", uuid, T0), KS_OK);
    }
    store_close(&s); /* checkpoints the WAL into the main file */

    sqlite3 *db = db_open(f->path, SQLITE_OPEN_READONLY);
    int page = db_int(db, "PRAGMA page_size");
    int pages = db_int(db, "PRAGMA page_count");
    sqlite3_close(db);
    assert_true(pages > 3);
    /* page 1 (header and schema) stays; every table page is trashed */
    write_garbage(f->path, page, (long)page * (pages - 1));

    s = (Store *)1;
    assert_int_equal(store_open(f->path, &s), KS_ERR_CORRUPT);
    assert_null(s);
}

static void test_not_a_database_refused(void **state)
{
    Fixture *f = *state;
    FILE *fp = fopen(f->path, "w");
    assert_non_null(fp);
    for (int i = 0; i < 200; i++)
        fputs("this is a shopping list, not a database\n", fp);
    fclose(fp);
    Store *s = (Store *)1;
    assert_int_equal(store_open(f->path, &s), KS_ERR_CORRUPT);
    assert_null(s);
}

/* ---- write side ------------------------------------------------------ */

/* The fixture's store, opened, with one plain session begun (its id in
 * *id). */
static Store *open_with_session(Fixture *f, const char *uuid, const char *form, int64_t *id)
{
    Store *s = NULL;
    assert_int_equal(store_open(f->path, &s), KS_OK);
    StoreSessionMeta m = plain_meta(uuid, form, T0);
    assert_int_equal(store_session_begin(s, &m, id), KS_OK);
    return s;
}

static void test_session_flow(void **state)
{
    Fixture *f = *state;
    char buf[128];
    int64_t id = 0;
    Store *s = open_with_session(f, "0123456789abcdef0123456789abcdef", "wellbeing", &id);
    assert_true(id > 0);
    assert_string_equal(
        db_text(s->db,
                "SELECT outcome || '|' || started_at || '|' || ifnull(ended_at, '-')"
                " FROM session",
                buf, sizeof buf),
        "open|2026-11-18T11:06:40.000Z|-");

    assert_int_equal(store_answer_put(s, id, "q1", "a", T0 + 1), KS_OK);
    assert_int_equal(store_answer_put(s, id, "q1", "b", T0 + 2), KS_OK); /* replace */
    assert_int_equal(store_answer_put(s, id, "q2", "x", T0 + 3), KS_OK);
    assert_int_equal(store_answer_put(s, id, "q2", NULL, T0 + 4), KS_OK); /* delete */
    assert_int_equal(store_answer_put(s, id, "q3", "y", T0 + 5), KS_OK);
    assert_int_equal(store_answer_put(s, id, "q3", "", T0 + 6), KS_OK);    /* delete */
    assert_int_equal(store_answer_put(s, id, "never", "", T0 + 6), KS_OK); /* no row: fine */
    assert_string_equal(db_text(s->db,
                                "SELECT group_concat(question || '=' || value || '@' ||"
                                " answered_at, ';') FROM answer",
                                buf, sizeof buf),
                        "q1=b@2026-11-18T11:06:40.002Z");

    assert_int_equal(store_answer_put(s, id + 100, "q1", "a", T0), KS_ERR_NOT_FOUND);
    assert_int_equal(store_answer_put(s, id, NULL, "a", T0), KS_ERR_INVALID);
    assert_int_equal(store_session_finish(s, id, STORE_OUTCOME_OPEN, T0), KS_ERR_INVALID);

    assert_int_equal(store_session_finish(s, id, STORE_OUTCOME_COMPLETE, T0 + 60000), KS_OK);
    assert_string_equal(
        db_text(s->db, "SELECT outcome || '|' || ended_at FROM session", buf, sizeof buf),
        "complete|2026-11-18T11:07:40.000Z");
    assert_int_equal(store_answer_put(s, id, "q1", "c", T0), KS_ERR_STATE);
    assert_int_equal(store_answer_put(s, id, "q1", NULL, T0), KS_ERR_STATE);
    assert_int_equal(store_session_finish(s, id, STORE_OUTCOME_COMPLETE, T0), KS_ERR_STATE);
    assert_int_equal(store_session_finish(s, id, STORE_OUTCOME_ABANDONED, T0), KS_ERR_STATE);
    assert_int_equal(store_session_finish(s, id + 100, STORE_OUTCOME_COMPLETE, T0),
                     KS_ERR_NOT_FOUND);
    /* the refused calls changed nothing and left no transaction open */
    assert_string_equal(db_text(s->db, "SELECT value FROM answer", buf, sizeof buf), "b");
    assert_int_equal(sqlite3_get_autocommit(s->db), 1);

    /* everything committed is there after a reopen */
    store_close(&s);
    assert_int_equal(store_open(f->path, &s), KS_OK);
    assert_int_equal(db_int(s->db, "SELECT count(*) FROM answer"), 1);
    assert_string_equal(db_text(s->db, "SELECT outcome FROM session", buf, sizeof buf), "complete");
    store_close(&s);
}

static void test_duplicate_uuid_invalid(void **state)
{
    Fixture *f = *state;
    Store *s = NULL;
    int64_t id1 = 0, id2 = 0;
    assert_int_equal(store_open(f->path, &s), KS_OK);
    StoreSessionMeta m = plain_meta("dup", "f", T0);
    assert_int_equal(store_session_begin(s, &m, &id1), KS_OK);
    assert_int_equal(store_session_begin(s, &m, &id2), KS_ERR_INVALID);
    assert_int_equal(id2, 0);
    assert_int_equal(sqlite3_get_autocommit(s->db), 1);
    StoreSessionMeta bad = plain_meta(NULL, "f", T0);
    assert_int_equal(store_session_begin(s, &bad, &id2), KS_ERR_INVALID);
    StoreSessionMeta other = plain_meta("other", "f", T0);
    assert_int_equal(store_session_begin(s, &other, &id2), KS_OK);
    assert_true(id2 > id1);
    assert_int_equal(db_int(s->db, "SELECT count(*) FROM session"), 2);
    store_close(&s);
}

static void test_close_stale(void **state)
{
    Fixture *f = *state;
    Store *s = NULL;
    int64_t a, b, c;
    int n = -1;
    char buf[128];
    assert_int_equal(store_open(f->path, &s), KS_OK);
    StoreSessionMeta ma = plain_meta("a", "f", T0), mb = plain_meta("b", "f", T0),
                     mc = plain_meta("c", "f", T0);
    assert_int_equal(store_session_begin(s, &ma, &a), KS_OK);
    assert_int_equal(store_session_begin(s, &mb, &b), KS_OK);
    assert_int_equal(store_session_begin(s, &mc, &c), KS_OK);
    assert_int_equal(store_answer_put(s, a, "q", "kept", T0), KS_OK);
    assert_int_equal(store_session_finish(s, b, STORE_OUTCOME_COMPLETE, T0 + 1000), KS_OK);

    assert_int_equal(store_sessions_close_stale(s, T0 + 5000, &n), KS_OK);
    assert_int_equal(n, 2);
    assert_string_equal(db_text(s->db,
                                "SELECT group_concat(uuid || ':' || outcome || ':' ||"
                                " ended_at, ' ') FROM (SELECT * FROM session ORDER BY uuid)",
                                buf, sizeof buf),
                        "a:abandoned:2026-11-18T11:06:45.000Z b:complete:2026-11-18T11:06:41.000Z"
                        " c:abandoned:2026-11-18T11:06:45.000Z");
    assert_string_equal(db_text(s->db, "SELECT value FROM answer", buf, sizeof buf), "kept");
    assert_int_equal(store_answer_put(s, a, "q", "late", T0), KS_ERR_STATE);

    assert_int_equal(store_sessions_close_stale(s, T0 + 9000, &n), KS_OK);
    assert_int_equal(n, 0);
    store_close(&s);
}

/* ---- stats ----------------------------------------------------------- */

typedef struct {
    char lines[16][64];
    int n;
} StatsSeen;

static void stats_collect(void *ctx, const char *form_id, StoreOutcome outcome, int count)
{
    StatsSeen *seen = ctx;
    assert_true(seen->n < 16);
    snprintf(seen->lines[seen->n++], 64, "%s/%s=%d", form_id, store_outcome_name(outcome), count);
}

static void test_stats_grouping(void **state)
{
    Fixture *f = *state;
    Store *s = NULL;
    StatsSeen seen = {0};
    assert_int_equal(store_open(f->path, &s), KS_OK);
    assert_int_equal(store_stats_sessions(s, stats_collect, &seen), KS_OK);
    assert_int_equal(seen.n, 0);

    /* form, how it ends: 'c' complete, 'a' abandoned, 'o' stays open */
    static const struct {
        const char *form;
        char end;
    } plan[] = {{"zeta", 'c'},  {"alpha", 'o'}, {"alpha", 'c'}, {"zeta", 'c'},
                {"alpha", 'a'}, {"alpha", 'c'}, {"zeta", 'o'},  {"alpha", 'c'}};
    for (size_t i = 0; i < sizeof plan / sizeof plan[0]; i++) {
        char uuid[16];
        int64_t id;
        snprintf(uuid, sizeof uuid, "u%zu", i);
        StoreSessionMeta m = plain_meta(uuid, plan[i].form, T0);
        assert_int_equal(store_session_begin(s, &m, &id), KS_OK);
        if (plan[i].end != 'o')
            assert_int_equal(store_session_finish(s, id,
                                                  plan[i].end == 'c' ? STORE_OUTCOME_COMPLETE
                                                                     : STORE_OUTCOME_ABANDONED,
                                                  T0),
                             KS_OK);
    }
    assert_int_equal(store_stats_sessions(s, stats_collect, &seen), KS_OK);
    assert_int_equal(seen.n, 5);
    assert_string_equal(seen.lines[0], "alpha/abandoned=1");
    assert_string_equal(seen.lines[1], "alpha/complete=3");
    assert_string_equal(seen.lines[2], "alpha/open=1");
    assert_string_equal(seen.lines[3], "zeta/complete=2");
    assert_string_equal(seen.lines[4], "zeta/open=1");
    assert_string_equal(store_outcome_name(STORE_OUTCOME_OPEN), "open");
    assert_string_equal(store_outcome_name(STORE_OUTCOME_COMPLETE), "complete");
    assert_string_equal(store_outcome_name(STORE_OUTCOME_ABANDONED), "abandoned");
    store_close(&s);
}

static void test_status_mapping(void **state)
{
    (void)state;
    assert_int_equal(store_status_from_rc(SQLITE_OK), KS_OK);
    assert_int_equal(store_status_from_rc(SQLITE_DONE), KS_OK);
    assert_int_equal(store_status_from_rc(SQLITE_FULL), KS_ERR_FULL);
    assert_int_equal(store_status_from_rc(SQLITE_IOERR_WRITE), KS_ERR_IO);
    assert_int_equal(store_status_from_rc(SQLITE_IOERR_FSYNC), KS_ERR_IO);
    assert_int_equal(store_status_from_rc(SQLITE_CANTOPEN), KS_ERR_IO);
    assert_int_equal(store_status_from_rc(SQLITE_CORRUPT), KS_ERR_CORRUPT);
    assert_int_equal(store_status_from_rc(SQLITE_NOTADB), KS_ERR_CORRUPT);
    assert_int_equal(store_status_from_rc(SQLITE_CONSTRAINT_UNIQUE), KS_ERR_INVALID);
}

/* ---- fail the Nth write ---------------------------------------------- */

#define FAULT_STEPS 6
/* The database as seen after the first k steps of fault_run_step committed. */
static const char *const FAULT_SNAPSHOT[FAULT_STEPS + 1] = {
    "none",          "open,-,",           "open,-,q1=v1;", "open,-,q1=v2;", "open,-,q1=v2;q2=w;",
    "open,-,q1=v2;", "complete,E,q1=v2;",
};

static KsStatus fault_run_step(Store *s, int step, const char *uuid, int64_t *id)
{
    StoreSessionMeta m = plain_meta(uuid, "fault", T0);
    switch (step) {
    case 0:
        return store_session_begin(s, &m, id);
    case 1:
        return store_answer_put(s, *id, "q1", "v1", T0 + 1);
    case 2:
        return store_answer_put(s, *id, "q1", "v2", T0 + 2);
    case 3:
        return store_answer_put(s, *id, "q2", "w", T0 + 3);
    case 4:
        return store_answer_put(s, *id, "q2", NULL, T0 + 4);
    default:
        return store_session_finish(s, *id, STORE_OUTCOME_COMPLETE, T0 + 5);
    }
}

/* Describes the session with this uuid and its answers in one line. */
static void fault_snapshot(sqlite3 *db, const char *uuid, char *out, size_t size)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT id, outcome, ended_at IS NOT NULL, started_at,"
                                        " form_sha256 FROM session WHERE uuid = ?1",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        snprintf(out, size, "none");
        sqlite3_finalize(st);
        return;
    }
    assert_int_equal(rc, SQLITE_ROW);
    sqlite3_int64 id = sqlite3_column_int64(st, 0);
    size_t len = (size_t)snprintf(out, size, "%s,%s,", (const char *)sqlite3_column_text(st, 1),
                                  sqlite3_column_int(st, 2) ? "E" : "-");
    assert_string_equal((const char *)sqlite3_column_text(st, 3), "2026-11-18T11:06:40.000Z");
    assert_string_equal((const char *)sqlite3_column_text(st, 4), "0000");
    sqlite3_finalize(st);

    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT question, value FROM answer WHERE session_id = ?1"
                                        " ORDER BY question",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_int64(st, 1, id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        len += (size_t)snprintf(out + len, size - len, "%s=%s;",
                                (const char *)sqlite3_column_text(st, 0),
                                (const char *)sqlite3_column_text(st, 1));
    assert_int_equal(rc, SQLITE_DONE);
    sqlite3_finalize(st);
}

static void fault_run_all(Store *s, const char *uuid)
{
    int64_t id = 0;
    for (int step = 0; step < FAULT_STEPS; step++)
        assert_int_equal(fault_run_step(s, step, uuid, &id), KS_OK);
}

static void test_fail_nth_write(void **state)
{
    Fixture *f = *state;
    int faults_hit = 0;
    bool completed = false;
    for (int n = 1; n < 1000 && !completed; n++) {
        char path[160], snap[256], buf[64];
        snprintf(path, sizeof path, "%s/fault%d.db", f->dir, n);
        Store *s = NULL;
        assert_int_equal(store_open(path, &s), KS_OK);
        fault_run_all(s, "before"); /* committed data that must survive */

        store_fault_fail_nth_write(n);
        int64_t id = 0;
        int done = 0; /* steps that returned KS_OK */
        KsStatus failed = KS_OK;
        while (done < FAULT_STEPS) {
            failed = fault_run_step(s, done, "victim", &id);
            if (failed != KS_OK)
                break;
            done++;
        }
        bool hit = store_fault_write_count() >= n;
        store_fault_fail_nth_write(0);
        if (hit) {
            /* the write that failed belongs to the call that failed */
            assert_int_not_equal(failed, KS_OK);
            assert_int_equal(failed, KS_ERR_IO);
            faults_hit++;
        } else {
            assert_int_equal(done, FAULT_STEPS);
            completed = true;
        }

        /* the same connection works again once disarmed, with no leftover
         * transaction */
        assert_int_equal(sqlite3_get_autocommit(s->db), 1);
        fault_run_all(s, "after");
        store_close(&s);

        /* reopen: integrity is checked by store_open and again here */
        assert_int_equal(store_open(path, &s), KS_OK);
        assert_string_equal(db_text(s->db, "PRAGMA integrity_check", buf, sizeof buf), "ok");
        fault_snapshot(s->db, "before", snap, sizeof snap);
        assert_string_equal(snap, FAULT_SNAPSHOT[FAULT_STEPS]);
        fault_snapshot(s->db, "after", snap, sizeof snap);
        assert_string_equal(snap, FAULT_SNAPSHOT[FAULT_STEPS]);
        fault_snapshot(s->db, "victim", snap, sizeof snap);
        /* every call that returned OK is there; the failed one wholly or
         * not at all; nothing after it ran */
        bool ok = strcmp(snap, FAULT_SNAPSHOT[done]) == 0 ||
                  (failed != KS_OK && strcmp(snap, FAULT_SNAPSHOT[done + 1]) == 0);
        if (!ok)
            fail_msg("n=%d: %d calls committed, found \"%s\"", n, done, snap);

        /* and the reopened store still takes new sessions */
        fault_run_all(s, "reopened");
        store_close(&s);
    }
    assert_true(completed);
    assert_true(faults_hit >= FAULT_STEPS); /* at least one fault per call */
}

/* A drawing's PNG lives beside its answer: written, replaced and removed in
 * the same transaction as the answer's value. */
static void test_answer_media(void **state)
{
    Fixture *f = *state;
    char buf[128];
    int64_t id = 0;
    Store *s = open_with_session(f, "11111111111111111111111111111111", "draw", &id);
    const uint8_t png1[] = {0x89, 'P', 'N', 'G', 1}, png2[] = {0x89, 'P', 'N', 'G', 2, 2};
    StoreMedia m1 = {"image/png", png1, sizeof png1}, m2 = {"image/png", png2, sizeof png2};
    assert_int_equal(store_answer_put_media(s, id, "pic", "pic.png", &m1, T0), KS_OK);
    assert_int_equal(store_answer_put_media(s, id, "pic", "pic.png", &m2, T0 + 1), KS_OK);
    uint8_t *data = NULL;
    size_t n = 0;
    assert_int_equal(store_answer_media_get(s, id, "pic", &data, &n), KS_OK);
    assert_int_equal(n, sizeof png2);
    assert_memory_equal(data, png2, sizeof png2);
    free(data);
    assert_string_equal(
        db_text(s->db, "SELECT value FROM answer WHERE question = 'pic'", buf, sizeof buf),
        "pic.png");
    StoreMedia empty = {"image/png", png1, 0};
    assert_int_equal(store_answer_put_media(s, id, "pic", "pic.png", &empty, T0), KS_ERR_INVALID);
    /* Removing the answer removes the picture. */
    assert_int_equal(store_answer_put_media(s, id, "pic", "", NULL, T0 + 2), KS_OK);
    assert_int_equal(store_answer_media_get(s, id, "pic", &data, &n), KS_ERR_NOT_FOUND);
    assert_null(data);
    assert_string_equal(db_text(s->db, "SELECT count(*) FROM answer", buf, sizeof buf), "0");
    store_close(&s);
}

/* A suspected-misuse flag collects distinct reasons and keeps the session. */
static void test_misuse_flag(void **state)
{
    Fixture *f = *state;
    char buf[128];
    int64_t id = 0;
    Store *s = open_with_session(f, "22222222222222222222222222222222", "fast", &id);
    assert_string_equal(db_text(s->db, "SELECT ifnull(misuse, '-') FROM session", buf, sizeof buf),
                        "-");
    assert_int_equal(store_session_flag_misuse(s, id, "fast"), KS_OK);
    assert_int_equal(store_session_flag_misuse(s, id, "fast"), KS_OK);
    assert_int_equal(store_session_flag_misuse(s, id, "burst"), KS_OK);
    assert_int_equal(store_session_flag_misuse(s, id, "a,b"), KS_ERR_INVALID);
    assert_int_equal(store_session_flag_misuse(s, id + 9, "fast"), KS_ERR_NOT_FOUND);
    assert_int_equal(store_session_finish(s, id, STORE_OUTCOME_COMPLETE, T0), KS_OK);
    assert_string_equal(
        db_text(s->db, "SELECT misuse || '|' || outcome FROM session", buf, sizeof buf),
        "fast,burst|complete");
    store_close(&s);
}

/* ---- export read side and ledger ------------------------------------ */

typedef struct {
    int sessions, answers;
    int64_t ids[8];
    char seen[256];
} Walked;

static KsStatus walk_fn(void *ctx, const StoreExportSession *se, const StoreExportAnswer *a, int n)
{
    Walked *w = ctx;
    if (w->sessions < 8)
        w->ids[w->sessions] = se->id;
    w->sessions++;
    w->answers += n;
    for (int i = 0; i < n; i++) {
        char part[64];
        snprintf(part, sizeof part, "%s=%s%s%s;", a[i].question, a[i].value,
                 a[i].review == STORE_REVIEW_PENDING ? "?" : "", a[i].has_media ? "+png" : "");
        strncat(w->seen, part, sizeof w->seen - strlen(w->seen) - 1);
    }
    assert_true(se->started_ms >= T0);
    return KS_OK;
}

static KsStatus review_fn(void *ctx, const StoreExportSession *se, const StoreExportAnswer *a)
{
    Walked *w = ctx;
    (void)se;
    strncat(w->seen, a->question, sizeof w->seen - strlen(w->seen) - 1);
    strncat(w->seen, ";", sizeof w->seen - strlen(w->seen) - 1);
    return KS_OK;
}

static void test_export_read_and_ledger(void **state)
{
    Fixture *f = *state;
    Store *s = NULL;
    assert_int_equal(store_open(f->path, &s), KS_OK);
    int64_t a = 0, b = 0, c = 0;
    StoreSessionMeta m1 = plain_meta("a0000000000000000000000000000000", "kinder", T0);
    StoreSessionMeta m2 = plain_meta("b0000000000000000000000000000000", "kinder", T0);
    StoreSessionMeta m3 = plain_meta("c0000000000000000000000000000000", "kinder", T0);
    assert_int_equal(store_session_begin(s, &m1, &a), KS_OK);
    assert_int_equal(store_session_begin(s, &m2, &b), KS_OK);
    assert_int_equal(store_session_begin(s, &m3, &c), KS_OK);
    const uint8_t png[] = {0x89, 'P', 'N', 'G'};
    StoreMedia media = {"image/png", png, sizeof png};
    assert_int_equal(store_answer_put(s, a, "q1", "x", T0), KS_OK);
    assert_int_equal(store_answer_put_review(s, a, "wish", "more parks", T0 + 1), KS_OK);
    assert_int_equal(store_answer_put_media(s, a, "pic", "pic.png", &media, T0 + 2), KS_OK);
    assert_int_equal(store_answer_put(s, b, "q1", "y", T0), KS_OK);
    assert_int_equal(store_session_flag_misuse(s, b, "fast"), KS_OK);
    assert_int_equal(store_session_finish(s, a, STORE_OUTCOME_COMPLETE, T0 + 10), KS_OK);
    assert_int_equal(store_session_finish(s, b, STORE_OUTCOME_COMPLETE, T0 + 10), KS_OK);
    /* c stays open: never exported */

    Walked w = {0};
    assert_int_equal(store_export_sessions(s, NULL, false, walk_fn, &w), KS_OK);
    assert_int_equal(w.sessions, 1);
    assert_string_equal(w.seen, "pic=pic.png?+png;q1=x;wish=more parks?;");
    memset(&w, 0, sizeof w);
    assert_int_equal(store_export_sessions(s, NULL, true, walk_fn, &w), KS_OK);
    assert_int_equal(w.sessions, 2);

    memset(&w, 0, sizeof w);
    assert_int_equal(store_review_pending(s, 10, review_fn, &w), KS_OK);
    assert_string_equal(w.seen, "wish;pic;");
    assert_int_equal(store_review_set(s, a, "wish", STORE_REVIEW_APPROVED, T0 + 20), KS_OK);
    assert_int_equal(store_review_set(s, a, "q1", STORE_REVIEW_APPROVED, T0), KS_ERR_NOT_FOUND);
    memset(&w, 0, sizeof w);
    assert_int_equal(store_review_pending(s, 10, review_fn, &w), KS_OK);
    assert_string_equal(w.seen, "pic;");

    int pending = 0, flagged = 0;
    assert_int_equal(store_stats_pending(s, &pending, &flagged), KS_OK);
    assert_int_equal(pending, 1);
    assert_int_equal(flagged, 1);

    StoreBatch last;
    assert_int_equal(store_batch_last(s, &last), KS_ERR_NOT_FOUND);
    StoreBatch bt = {.rows = 1, .created_ms = T0 + 100};
    strcpy(bt.id, "K1-20261118-AAAA");
    memset(bt.tag_sha256, 'a', 64);
    assert_int_equal(store_batch_commit(s, &bt, &a, 1), KS_OK);
    assert_int_equal(store_batch_last(s, &last), KS_OK);
    assert_string_equal(last.id, "K1-20261118-AAAA");
    assert_string_equal(last.prev_id, "");
    /* Each response is exported once: a second batch with it is refused whole. */
    StoreBatch bt2 = bt;
    strcpy(bt2.id, "K1-20261118-BBBB");
    strcpy(bt2.prev_id, bt.id);
    int64_t both[2] = {b, a};
    assert_int_equal(store_batch_commit(s, &bt2, both, 2), KS_ERR_STATE);
    assert_int_equal(store_batch_get(s, "K1-20261118-BBBB", &last), KS_ERR_NOT_FOUND);
    assert_int_equal(store_batch_commit(s, &bt2, &c, 1), KS_ERR_STATE); /* still open */
    memset(&w, 0, sizeof w);
    assert_int_equal(store_export_sessions(s, NULL, true, walk_fn, &w), KS_OK);
    assert_int_equal(w.sessions, 1); /* b, flagged, is still waiting */
    memset(&w, 0, sizeof w);
    assert_int_equal(store_export_sessions(s, "K1-20261118-AAAA", false, walk_fn, &w), KS_OK);
    assert_int_equal(w.sessions, 1);
    assert_true(w.ids[0] == a);

    assert_true(store_form_is_active(s, "kinder"));
    assert_int_equal(store_form_set_active(s, "kinder", false), KS_OK);
    assert_false(store_form_is_active(s, "kinder"));
    assert_int_equal(store_form_set_active(s, "kinder", true), KS_OK);
    assert_true(store_form_is_active(s, "kinder"));

    char v[64];
    assert_int_equal(store_setting_get(s, "staff_pin", v, sizeof v), KS_ERR_NOT_FOUND);
    assert_int_equal(store_setting_set(s, "staff_pin", "$argon2id$x"), KS_OK);
    assert_int_equal(store_setting_get(s, "staff_pin", v, sizeof v), KS_OK);
    assert_string_equal(v, "$argon2id$x");
    store_close(&s);
}

int main(void)
{
    /* the refusals below log errors on purpose; KS_LOG=debug shows them */
    test_quiet_log();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_open_creates_latest_schema, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_form_identity, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_forms_register_unsynced, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_new_schema_equals_migrated, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_open_bad_path_is_io, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_migrate_from_v1_keeps_rows, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_migrate_from_v7_receipts, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_newer_schema_refused, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_corrupt_pages_refused, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_not_a_database_refused, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_session_flow, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_duplicate_uuid_invalid, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_close_stale, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_stats_grouping, fixture_setup, fixture_teardown),
        cmocka_unit_test(test_status_mapping),
        cmocka_unit_test_setup_teardown(test_answer_media, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_misuse_flag, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_export_read_and_ledger, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_fail_nth_write, fixture_setup, fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
