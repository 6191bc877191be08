/* test_store_check: the start-up integrity check that runs beside the
 * kiosk's first screens (store_open_check_later) — a small database is
 * still checked at once, a large one on a thread whose outcome comes
 * later, a damaged one is found either way (before a migration at once),
 * closing does not wait for a long check, and a kiosk on a large damaged
 * database goes from its first screen to the fault screen. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../../firmware/app/kiosk.h"
#include "../../firmware/core/clock.h"
#include "../../firmware/storage/store.h"
#include "../../firmware/storage/store_responses.h"
#include "../test_main.h"
#include "../test_time.h"
#include "kiosk_fixture.h"

#define T0 1795000000000LL
#define WAIT_S 30.0

typedef KioskFixture Fx;

static int setup(void **state)
{
    const KioskFixtureOptions o = {.forms = "tests/fixtures/forms/sample", .ui_texts = true};
    return kiosk_fixture_setup(state, &o);
}

static void exec(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("%s: %s", sql, err ? err : "?");
}

/* A database at the latest schema with `sessions` complete sessions of ten
 * answers each, written in one go (the store commits each answer), and the
 * WAL checkpointed into the file. */
static void make_large(const char *path, int sessions)
{
    Store *s = NULL;
    assert_int_equal(store_open(path, &s), KS_OK);
    store_close(&s);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char sql[1024];
    snprintf(sql, sizeof sql,
             "BEGIN;"
             "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)"
             " INSERT INTO session(uuid, form_id, form_version, form_sha256, lang, audience,"
             " outcome, started_at, ended_at) SELECT printf('%%032d', i), 'kinder', '1', 'x',"
             " 'de', 'kinder', 'complete', '2026-11-18T10:00:00.000Z',"
             " '2026-11-18T10:05:00.000Z' FROM n;"
             "WITH RECURSIVE q(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM q WHERE j < 10)"
             " INSERT INTO answer(session_id, question, value, answered_at)"
             " SELECT id, 'frage_' || j, 'antwort ' || (id * j), started_at FROM session, q;"
             "COMMIT; PRAGMA wal_checkpoint(TRUNCATE);",
             sessions);
    exec(db, sql);
    sqlite3_close(db);
}

/* The database name in the fixture's folder, made by make_large when
 * sessions > 0; valid until the next call. */
static const char *fixture_db(void **state, const char *name, int sessions)
{
    static char path[160];
    const Fx *f = *state;
    snprintf(path, sizeof path, "%s/%s", f->dir, name);
    if (sessions > 0)
        make_large(path, sessions);
    return path;
}

/* Damages the last page of the file (the answers, written last): cells
 * that point outside the page, which only a look at every answer finds. */
static void damage_last_page(const char *path)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT page_size, page_count FROM"
                                        " pragma_page_size, pragma_page_count",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long page = sqlite3_column_int(st, 0), pages = sqlite3_column_int(st, 1);
    sqlite3_finalize(st);
    sqlite3_close(db);
    unsigned char junk[64];
    memset(junk, 0xff, sizeof junk);
    int fd = open(path, O_WRONLY);
    assert_true(fd >= 0);
    assert_int_equal(pwrite(fd, junk, sizeof junk, page * (pages - 1) + 8), (ssize_t)sizeof junk);
    close(fd);
}

static bool check_running(void *ctx)
{
    KsStatus ks;
    return !store_integrity(ctx, &ks);
}

/* The check's outcome, waited for. */
static KsStatus outcome(Store *s)
{
    assert_true(test_wait_quiet(check_running, s, WAIT_S));
    KsStatus ks = KS_ERR_STATE;
    assert_true(store_integrity(s, &ks));
    return ks;
}

static void test_small_checked_at_once(void **state)
{
    const Fx *f = *state;
    const char *path = fixture_db(state, "small.db", 0);
    Store *s = NULL;
    assert_int_equal(store_open_check_later(path, &s), KS_OK);
    KsStatus ks = KS_ERR_STATE;
    assert_true(store_integrity(s, &ks));
    assert_int_equal(ks, KS_OK);
    store_close(&s);
    /* from store_open, and without a store: nothing to wait for */
    assert_true(store_integrity(f->store, &ks));
    assert_int_equal(ks, KS_OK);
    assert_true(store_integrity(NULL, &ks));
    assert_int_equal(ks, KS_OK);
}

static void test_large_checked_beside(void **state)
{
    const char *path = fixture_db(state, "large.db", 2000);
    Store *s = NULL;
    assert_int_equal(store_open_check_later(path, &s), KS_OK);
    /* the store writes while its check reads */
    StoreSessionMeta m = {.uuid = "0123456789abcdef0123456789abcdef",
                          .form_id = "kinder",
                          .form_version = "1",
                          .form_sha256 = "x",
                          .lang = "de",
                          .audience = "kinder",
                          .started_ms = T0};
    int64_t id = 0;
    assert_int_equal(store_session_begin(s, &m, &id), KS_OK);
    assert_int_equal(store_answer_put(s, id, "frage_1", "ja", T0), KS_OK);
    assert_int_equal(outcome(s), KS_OK);
    store_close(&s);
}

static void test_large_damaged_found(void **state)
{
    const char *path = fixture_db(state, "damaged.db", 2000);
    damage_last_page(path);
    Store *s = NULL;
    assert_int_equal(store_open_check_later(path, &s), KS_OK); /* the start goes on */
    assert_int_equal(outcome(s), KS_ERR_CORRUPT);
    store_close(&s);
    /* store_open still checks before it returns */
    s = (Store *)1;
    assert_int_equal(store_open(path, &s), KS_ERR_CORRUPT);
    assert_null(s);
}

static void test_damaged_before_migration(void **state)
{
    const char *path = fixture_db(state, "old.db", 2000);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    exec(db, "PRAGMA user_version=8");
    sqlite3_close(db);
    damage_last_page(path);
    /* a database to migrate is checked before it is changed */
    Store *s = (Store *)1;
    assert_int_equal(store_open_check_later(path, &s), KS_ERR_CORRUPT);
    assert_null(s);
}

static void test_close_while_checking(void **state)
{
    const char *path = fixture_db(state, "close.db", 20000);
    Store *s = NULL;
    assert_int_equal(store_open_check_later(path, &s), KS_OK);
    double t0 = test_seconds();
    store_close(&s); /* stops the check, whether it still runs or not */
    assert_null(s);
    assert_true(test_seconds() - t0 < 5.0);
}

static bool kiosk_busy_cb(void *ctx)
{
    kiosk_tick(ctx);
    return kiosk_busy(ctx);
}

static void test_kiosk_shows_fault_later(void **state)
{
    Fx *f = *state;
    const char *path = fixture_db(state, "kiosk.db", 20000);
    damage_last_page(path);
    Store *s = NULL;
    assert_int_equal(store_open_check_later(path, &s), KS_OK);
    Kiosk *k = kiosk_create(&f->cfg, f->catalog, s, KS_OK);
    if (kiosk_busy(k)) {
        /* the check still runs: the kiosk starts as usual */
        assert_int_equal(kiosk_view(k)->screen, KS_SCREEN_ATTRACT);
        tap(k, "start");
        assert_int_equal(kiosk_view(k)->screen, KS_SCREEN_LANGUAGE);
    }
    assert_true(test_wait_quiet(kiosk_busy_cb, k, WAIT_S));
    assert_int_equal(kiosk_view(k)->screen, KS_SCREEN_FAULT);
    assert_int_equal(kiosk_view(k)->n_targets, 0);
    tap(k, "start");
    assert_int_equal(kiosk_view(k)->screen, KS_SCREEN_FAULT);
    kiosk_destroy(k);
    store_close(&s);
}

int main(void)
{
    test_quiet_log();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_checked_at_once),
        cmocka_unit_test(test_large_checked_beside),
        cmocka_unit_test(test_large_damaged_found),
        cmocka_unit_test(test_damaged_before_migration),
        cmocka_unit_test(test_close_while_checking),
        cmocka_unit_test(test_kiosk_shows_fault_later),
    };
    return test_run_each(tests, setup, kiosk_fixture_teardown);
}
