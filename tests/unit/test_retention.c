/* test_retention: the two appliance features of a kiosk without a battery
 * clock, checked against real SQLite data — clock doubt (at start, on a
 * backwards jump, the flag stored with sessions, exports without a period,
 * the doubt ended by staff) and retention (only exported and old sessions
 * leave, with their answers and drawings; the rest and the ledger stay;
 * VACUUM shrinks the file; 30 days by default, 0 = never; with the office's
 * receipt key configured only what a receipt acknowledged leaves, counted
 * from the receipt). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../export/export_data.h"
#include "../../firmware/app/clockwatch.h"
#include "../../firmware/app/kiosk.h"
#include "../../firmware/app/retention.h"
#include "../../firmware/app/uitext.h"
#include "../../firmware/core/clock.h"
#include "../../firmware/core/config.h"
#include "../../firmware/storage/store_export.h"
#include "../../firmware/storage/store_responses.h"
#include "../../firmware/storage/store_retention.h"
#include "../../firmware/storage/store_workshop.h"
#include "../../firmware/survey/csv.h"
#include "../test_files.h"
#include "../test_locale.h"
#include "../test_main.h"
#include "../test_tmp.h"
#include "db_fixture.h"
#include "export_fixture.h"
#include "kiosk_fixture.h"

#define T0 1795000000000LL /* 2026-11-18, ISO week 2026-W47 */
#define DAY RETENTION_DAY_MS
#define HOUR (60LL * 60 * 1000)

typedef StoreFixture Fx;

static int setup(void **state)
{
    *state = store_fixture_new(sizeof(Fx), "ks_ret", T0, NULL);
    return 0;
}

static int64_t session(Fx *f, const char *form, bool doubt, bool complete, int64_t at)
{
    return plain_session(f->store, ++f->n, form, at, doubt, complete);
}

static void batch(Fx *f, const char *id, int64_t at, const int64_t *ids, int n, const int64_t *ws,
                  int n_ws)
{
    ledger_batch(f->store, id, at, n, 'a', ids, n, ws, n_ws);
}

static void setting(Fx *f, const char *key, char *out, size_t size)
{
    assert_int_equal(store_setting_get(f->store, key, out, size), KS_OK);
}

/* ---- clock doubt ------------------------------------------------------ */

static void test_doubt_at_start(void **state)
{
    Fx *f = *state;
    char v[32];
    /* the first start: nothing known yet, so no doubt; now is saved at
     * the first check (the kiosk's first tick, after its first frame) */
    ClockWatch *cw = clockwatch_create(f->store);
    assert_false(clockwatch_in_doubt(cw));
    assert_int_equal(store_setting_get(f->store, CLOCKWATCH_KEY_LAST, v, sizeof v),
                     KS_ERR_NOT_FOUND);
    assert_false(clockwatch_check(cw));
    setting(f, CLOCKWATCH_KEY_LAST, v, sizeof v);
    assert_int_equal(strtoll(v, NULL, 10), T0);
    clockwatch_destroy(cw);

    /* a power cut: the clock comes back an hour before the last known time */
    snprintf(v, sizeof v, "%lld", T0 + HOUR);
    assert_int_equal(store_setting_set(f->store, CLOCKWATCH_KEY_LAST, v), KS_OK);
    cw = clockwatch_create(f->store);
    assert_true(clockwatch_in_doubt(cw));
    assert_int_equal(clockwatch_last_known_ms(cw), T0 + HOUR);
    setting(f, CLOCKWATCH_KEY_DOUBT, v, sizeof v);
    assert_string_equal(v, "1");
    /* in doubt the wrong time never becomes the last known one */
    clock_advance_ms(5 * 60 * 1000);
    clockwatch_check(cw);
    clockwatch_note(cw);
    setting(f, CLOCKWATCH_KEY_LAST, v, sizeof v);
    assert_int_equal(strtoll(v, NULL, 10), T0 + HOUR);
    clockwatch_destroy(cw);

    /* a restart remembers the doubt even when the clock moved on since */
    clock_use_virtual(T0 + 2 * HOUR);
    cw = clockwatch_create(f->store);
    assert_true(clockwatch_in_doubt(cw));
    bool doubt = false;
    int64_t last = 0;
    clockwatch_read_stored(f->store, &doubt, &last);
    assert_true(doubt);
    assert_int_equal(last, T0 + HOUR);
    clockwatch_destroy(cw);
}

static void test_small_step_back_is_no_doubt(void **state)
{
    Fx *f = *state;
    char v[32];
    snprintf(v, sizeof v, "%lld", T0 + 60 * 1000); /* one minute ahead: tolerated */
    assert_int_equal(store_setting_set(f->store, CLOCKWATCH_KEY_LAST, v), KS_OK);
    ClockWatch *cw = clockwatch_create(f->store);
    assert_false(clockwatch_in_doubt(cw));
    clock_set_wall(clock_wall_ms() - 30 * 1000); /* NTP stepping back 30 s */
    assert_false(clockwatch_check(cw));
    assert_false(clockwatch_in_doubt(cw));
    clockwatch_destroy(cw);
}

static void test_doubt_on_backwards_jump(void **state)
{
    Fx *f = *state;
    ClockWatch *cw = clockwatch_create(f->store);
    clock_advance_ms(90 * 1000);
    assert_false(clockwatch_check(cw));
    char v[32];
    setting(f, CLOCKWATCH_KEY_LAST, v, sizeof v); /* saved once a minute */
    assert_int_equal(strtoll(v, NULL, 10), T0 + 90 * 1000);
    /* the wall clock jumps back 10 minutes while the monotonic one runs on */
    assert_int_equal(clock_set_wall(clock_wall_ms() - 10 * 60 * 1000), KS_OK);
    assert_true(clockwatch_check(cw));
    assert_true(clockwatch_in_doubt(cw));
    assert_false(clockwatch_check(cw)); /* began once */
    setting(f, CLOCKWATCH_KEY_DOUBT, v, sizeof v);
    assert_string_equal(v, "1");
    /* staff confirm: the doubt ends and the time now is the last known */
    assert_int_equal(clockwatch_resolve(cw, false), KS_OK);
    assert_false(clockwatch_in_doubt(cw));
    setting(f, CLOCKWATCH_KEY_DOUBT, v, sizeof v);
    assert_string_equal(v, "0");
    setting(f, CLOCKWATCH_KEY_LAST, v, sizeof v);
    assert_int_equal(strtoll(v, NULL, 10), clock_wall_ms());
    clockwatch_destroy(cw);
}

static void test_flag_stored_on_sessions(void **state)
{
    Fx *f = *state;
    int64_t a = session(f, "f", true, true, T0);
    int64_t b = session(f, "f", false, false, T0);
    assert_int_equal(db_file_int(f->db, "SELECT clock_doubt FROM session WHERE id = 1"), 1);
    assert_int_equal(db_file_int(f->db, "SELECT clock_doubt FROM session WHERE id = 2"), 0);
    assert_int_equal(store_session_flag_clock_doubt(f->store, b), KS_OK);
    assert_int_equal(db_file_int(f->db, "SELECT clock_doubt FROM session WHERE id = 2"), 1);
    assert_int_equal(store_session_flag_clock_doubt(f->store, 999), KS_ERR_NOT_FOUND);
    (void)a;
}

/* ---- export of doubtful sessions ------------------------------------- */

static int col_of(const CsvTable *t, const char *name)
{
    for (int c = 0; c < csv_cols(t, 0); c++)
        if (strcmp(csv_cell(t, 0, c), name) == 0)
            return c;
    return -1;
}

static void test_doubt_rows_exported_without_period(void **state)
{
    Fx *f = *state;
    assert_int_equal(catalog_load("tests/fixtures/forms/export", &f->cat), KS_OK);
    const Form *fm = catalog_find(f->cat, "probe");
    assert_non_null(fm);
    for (int i = 0; i < 8; i++) {
        char uuid[33];
        snprintf(uuid, sizeof uuid, "%032d", 100 + i);
        StoreSessionMeta m = {.uuid = uuid,
                              .form_id = "probe",
                              .form_version = form_version(fm),
                              .form_sha256 = form_sha256(fm),
                              .lang = "de",
                              .audience = "youth",
                              .started_ms = T0,
                              .clock_doubt = i < 3};
        int64_t id = 0;
        assert_int_equal(store_session_begin(f->store, &m, &id), KS_OK);
        char nr[12];
        snprintf(nr, sizeof nr, "%d", i);
        assert_int_equal(store_answer_put(f->store, id, "nr", nr, T0), KS_OK);
        assert_int_equal(store_session_finish(f->store, id, STORE_OUTCOME_COMPLETE, T0 + 1000),
                         KS_OK);
    }
    ExportDataOptions o = export_options("TEST1-20261118-ABCD", 5);
    ExportDataResult r;
    char out[128], path[256];
    snprintf(out, sizeof out, "%s/out", f->dir);
    assert_int_equal(mkdir(out, 0700), 0);
    assert_int_equal(export_data_build(f->store, f->cat, &o, out, &r), KS_OK);
    assert_int_equal(r.rows, 8);
    /* the batch's period comes from the trusted rows only */
    assert_string_equal(r.period_from, "2026-W47");
    assert_string_equal(r.period_to, "2026-W47");

    snprintf(path, sizeof path, "%s/data/responses.csv", out);
    char *csv = test_slurp(path, NULL);
    CsvTable *t = NULL;
    assert_int_equal(csv_parse(csv, strlen(csv), &t, NULL, 0), KS_OK);
    free(csv);
    int pc = col_of(t, "period"), dc = col_of(t, "clock_doubt"), nc = col_of(t, "nr");
    assert_true(pc >= 0 && dc == pc + 1 && nc >= 0);
    int doubtful = 0;
    for (int row = 1; row < csv_rows(t); row++) {
        bool d = atoi(csv_cell(t, row, nc)) < 3;
        assert_string_equal(csv_cell(t, row, dc), d ? "1" : "0");
        assert_string_equal(csv_cell(t, row, pc), d ? "" : "2026-W47");
        doubtful += d;
    }
    assert_int_equal(doubtful, 3);
    csv_destroy(t);

    /* the column is described in the package, the codebook and the .sav;
     * batch.json counts the rows */
    static const char *const files[] = {"datapackage.json", "codebook.md", "responses.sav"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/data/%s", out, files[i]);
        FILE *fp = fopen(path, "rb");
        assert_non_null(fp);
        char buf[1 << 16];
        size_t n = fread(buf, 1, sizeof buf, fp);
        fclose(fp);
        assert_non_null(memmem(buf, n, "clock_doubt", 11));
    }
    snprintf(path, sizeof path, "%s/data/batch.json", out);
    char *bj = test_slurp(path, NULL);
    assert_non_null(strstr(bj, "\"clock_doubt\":\t3"));
    free(bj);
    export_data_result_free(&r);
}

/* The sample forms for a kiosk on the fixture's store, and the UI texts. */
static void kiosk_forms(Fx *f)
{
    assert_true(test_ui_texts());
    assert_int_equal(catalog_load(SAMPLE_FORMS, &f->cat), KS_OK);
}

/* ---- the kiosk and staff ---------------------------------------------- */

static bool view_has(const KsView *v, const char *text)
{
    return strstr(v->message, text) != NULL;
}

static void test_kiosk_flags_sessions_until_staff_confirm(void **state)
{
    Fx *f = *state;
    kiosk_forms(f);
    char v[32];
    snprintf(v, sizeof v, "%lld", T0 + 3 * HOUR);
    assert_int_equal(store_setting_set(f->store, CLOCKWATCH_KEY_LAST, v), KS_OK);
    Kiosk *k = kiosk_create(&f->cfg, f->cat, f->store, KS_OK);

    tap(k, "start");
    tap(k, "lang:de");
    tap(k, "audience:kinder");
    assert_int_equal(kiosk_view(k)->screen, KS_SCREEN_QUESTION);
    assert_int_equal(db_file_int(f->db, "SELECT clock_doubt FROM session ORDER BY id DESC LIMIT 1"),
                     1);
    tap(k, "back");
    tap(k, "quit:yes");

    /* the overview warns with the last known time and counts what is kept */
    staff_in(k, "2468");
    const KsView *view = kiosk_view(k);
    assert_int_equal(view->screen, KS_SCREEN_STAFF_OVERVIEW);
    assert_true(view_has(view, "Achtung, Uhr zweifelhaft (zuletzt bekannt: "));
    assert_true(view_has(view, "2026-11-18 14:06 UTC"));
    assert_true(
        view_has(view, "Auf dem Kiosk: 1 Antworten (0 exportiert, werden nach 30 Tagen gelöscht)"));
    tap(k, "staff:clock");
    view = kiosk_view(k);
    assert_true(view_has(view, "Uhr zweifelhaft"));
    assert_non_null(find(view, "clock:confirm"));
    tap(k, "clock:confirm");
    view = kiosk_view(k);
    assert_null(find(view, "clock:confirm"));
    assert_false(view_has(view, "Uhr zweifelhaft"));
    assert_true(view_has(view, "Die Uhrzeit ist bestätigt."));
    setting(f, CLOCKWATCH_KEY_DOUBT, v, sizeof v);
    assert_string_equal(v, "0");
    tap(k, "staff:exit");

    /* a session now is trusted again */
    tap(k, "start");
    tap(k, "lang:de");
    tap(k, "audience:kinder");
    assert_int_equal(db_file_int(f->db, "SELECT clock_doubt FROM session ORDER BY id DESC LIMIT 1"),
                     0);

    /* a backwards jump while a session is open flags that session too */
    clock_advance_ms(30 * 1000);
    assert_int_equal(clock_set_wall(clock_wall_ms() - HOUR), KS_OK);
    kiosk_tick(k);
    assert_int_equal(db_file_int(f->db, "SELECT clock_doubt FROM session ORDER BY id DESC LIMIT 1"),
                     1);
    kiosk_destroy(k);
}

static void test_setting_the_clock_ends_doubt(void **state)
{
    Fx *f = *state;
    kiosk_forms(f);
    assert_int_equal(store_setting_set(f->store, CLOCKWATCH_KEY_DOUBT, "1"), KS_OK);
    Kiosk *k = kiosk_create(&f->cfg, f->cat, f->store, KS_OK);
    staff_in(k, "2468");
    tap(k, "staff:clock");
    assert_non_null(find(kiosk_view(k), "clock:confirm"));
    tap(k, "clock:year:+");
    tap(k, "clock:ok");
    const KsView *view = kiosk_view(k);
    assert_null(find(view, "clock:confirm"));
    char v[32];
    setting(f, CLOCKWATCH_KEY_DOUBT, v, sizeof v);
    assert_string_equal(v, "0");
    /* the new, later time is the last known one */
    setting(f, CLOCKWATCH_KEY_LAST, v, sizeof v);
    assert_true(strtoll(v, NULL, 10) > T0 + 300 * DAY);
    kiosk_destroy(k);
}

/* ---- retention -------------------------------------------------------- */

static void test_retention_deletes_only_old_exported(void **state)
{
    Fx *f = *state;
    int64_t old1 = session(f, "f", false, true, T0);
    int64_t old2 = session(f, "f", false, true, T0);
    int64_t recent = session(f, "f", false, true, T0 + 20 * DAY);
    int64_t waiting = session(f, "f", false, true, T0);  /* complete, never exported */
    int64_t gave_up = session(f, "f", false, false, T0); /* abandoned: never exported */
    assert_int_equal(store_session_finish(f->store, gave_up, STORE_OUTCOME_ABANDONED, T0), KS_OK);
    int64_t pending = session(f, "f", false, false, T0); /* a text nobody reviewed */
    assert_int_equal(store_answer_put_review(f->store, pending, "wunsch", "Mehr Bänke", T0), KS_OK);
    assert_int_equal(store_session_finish(f->store, pending, STORE_OUTCOME_COMPLETE, T0), KS_OK);
    uint8_t png[64] = {0x89, 'P', 'N', 'G'};
    StoreMedia media = {"image/png", png, sizeof png};
    int64_t drawn = session(f, "f", false, false, T0);
    assert_int_equal(store_answer_put_media(f->store, drawn, "bild", "bild.png", &media, T0),
                     KS_OK);
    assert_int_equal(store_session_finish(f->store, drawn, STORE_OUTCOME_COMPLETE, T0), KS_OK);
    assert_int_equal(store_review_set(f->store, drawn, "bild", STORE_REVIEW_APPROVED, T0), KS_OK);

    int64_t first[] = {old1, old2, pending, drawn};
    batch(f, "B1", T0 + DAY, first, 4, NULL, 0);
    int64_t second[] = {recent};
    batch(f, "B2", T0 + 21 * DAY, second, 1, NULL, 0);
    assert_int_equal(db_file_int(f->db, "SELECT count(*) FROM answer_media"), 1);

    StoreKept kept;
    assert_int_equal(store_retention_kept(f->store, &kept), KS_OK);
    assert_int_equal(kept.sessions, 7);
    assert_int_equal(kept.exported, 5);
    assert_int_equal(kept.oldest_ms, T0);
    assert_int_equal(kept.oldest_export_ms, T0 + DAY);

    /* 30 days after B1, 10 after B2: only B1's sessions may go */
    StoreRetentionResult r;
    assert_int_equal(retention_run(f->store, 30, false, false, T0 + 31 * DAY + 1, &r), KS_OK);
    assert_int_equal(r.sessions, 3); /* old1, old2, drawn; not the one waiting for review */
    assert_int_equal(db_file_int(f->db, "SELECT count(*) FROM session"), 4);
    char sql[128];
    int64_t gone[] = {old1, old2, drawn};
    for (int i = 0; i < 3; i++) {
        snprintf(sql, sizeof sql, "SELECT count(*) FROM answer WHERE session_id = %lld",
                 (long long)gone[i]);
        assert_int_equal(db_file_int(f->db, sql), 0);
    }
    assert_int_equal(db_file_int(f->db, "SELECT count(*) FROM answer_media"), 0);
    int64_t stay[] = {recent, waiting, pending};
    for (int i = 0; i < 3; i++) {
        snprintf(sql, sizeof sql, "SELECT count(*) FROM answer WHERE session_id = %lld",
                 (long long)stay[i]);
        assert_true(db_file_int(f->db, sql) >= 1);
    }
    assert_int_equal(db_file_int(f->db, "SELECT count(*) FROM session WHERE outcome = 'abandoned'"),
                     1);
    /* the ledger is the chain of signed batches: never touched */
    assert_int_equal(db_file_int(f->db, "SELECT count(*) FROM batch"), 2);

    /* once reviewed after its export the text still never went out */
    assert_int_equal(
        store_review_set(f->store, pending, "wunsch", STORE_REVIEW_APPROVED, T0 + 40 * DAY), KS_OK);
    assert_int_equal(retention_run(f->store, 30, false, false, T0 + 60 * DAY, &r), KS_OK);
    assert_int_equal(r.sessions, 1); /* recent (B2 is 39 days old now) */
    assert_int_equal(db_file_int(f->db, "SELECT count(*) FROM session"), 3);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM session WHERE id = %lld", (long long)pending);
    assert_int_equal(db_file_int(f->db, sql), 1);
}

static void test_retention_zero_doubt_and_default(void **state)
{
    Fx *f = *state;
    KsConfig cfg;
    config_defaults(&cfg);
    assert_int_equal(cfg.retention_days, 30);
    char conf[128];
    snprintf(conf, sizeof conf, "%s/kiosk.conf", f->dir);
    FILE *fp = fopen(conf, "w");
    assert_non_null(fp);
    fputs("retention_days = 0\n", fp);
    fclose(fp);
    assert_int_equal(config_load(conf, &cfg), KS_OK);
    assert_int_equal(cfg.retention_days, 0);
    fp = fopen(conf, "w");
    fputs("retention_days = -1\n", fp);
    fclose(fp);
    assert_int_equal(config_load(conf, &cfg), KS_ERR_PARSE);

    int64_t a = session(f, "f", false, true, T0);
    batch(f, "B1", T0, &a, 1, NULL, 0);
    StoreRetentionResult r;
    /* 0 keeps for ever, even ten years on */
    assert_int_equal(retention_run(f->store, 0, false, false, T0 + 3650 * DAY, &r), KS_OK);
    assert_int_equal(r.sessions, 0);
    /* a clock in doubt deletes nothing */
    assert_int_equal(retention_run(f->store, 30, false, true, T0 + 3650 * DAY, &r), KS_ERR_STATE);
    assert_int_equal(db_file_int(f->db, "SELECT count(*) FROM session"), 1);
    /* 29 days after the export it stays, after 30 it goes */
    assert_int_equal(retention_run(f->store, 30, false, false, T0 + 29 * DAY, &r), KS_OK);
    assert_int_equal(r.sessions, 0);
    assert_int_equal(retention_run(f->store, 30, false, false, T0 + 30 * DAY + 1, &r), KS_OK);
    assert_int_equal(r.sessions, 1);
    assert_int_equal(db_file_int(f->db, "SELECT count(*) FROM session"), 0);
}

/* The kiosk deletes at its first tick (after its first frame) and then
 * once a day. */
static void test_kiosk_runs_retention_daily(void **state)
{
    Fx *f = *state;
    kiosk_forms(f);
    int64_t old = session(f, "f", false, true, T0 - 40 * DAY);
    int64_t soon = session(f, "f", false, true, T0 - 30 * DAY);
    batch(f, "B1", T0 - 40 * DAY, &old, 1, NULL, 0);
    batch(f, "B2", T0 - 30 * DAY + HOUR, &soon, 1, NULL, 0);
    Kiosk *k = kiosk_create(&f->cfg, f->cat, f->store, KS_OK);
    assert_int_equal(db_file_int(f->db, "SELECT count(*) FROM session"), 2);
    kiosk_tick(k);
    assert_int_equal(db_file_int(f->db, "SELECT count(*) FROM session"),
                     1); /* B1's went at the first tick */
    clock_advance_ms(DAY - 1000);
    kiosk_tick(k);
    assert_int_equal(db_file_int(f->db, "SELECT count(*) FROM session"), 1); /* not a day yet */
    clock_advance_ms(1000);
    kiosk_tick(k);
    assert_int_equal(db_file_int(f->db, "SELECT count(*) FROM session"), 0);
    assert_int_equal(db_file_int(f->db, "SELECT count(*) FROM batch"), 2);
    kiosk_destroy(k);
}

static long long file_size(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (long long)sb.st_size : 0;
}

static void test_vacuum_shrinks_the_file(void **state)
{
    Fx *f = *state;
    static uint8_t png[100 * 1024];
    for (size_t i = 0; i < sizeof png; i++)
        png[i] = (uint8_t)(i * 31 + 7);
    StoreMedia media = {"image/png", png, sizeof png};
    int64_t ids[40];
    for (int i = 0; i < 40; i++) {
        ids[i] = session(f, "f", false, false, T0);
        assert_int_equal(store_answer_put_media(f->store, ids[i], "bild", "bild.png", &media, T0),
                         KS_OK);
        assert_int_equal(store_session_finish(f->store, ids[i], STORE_OUTCOME_COMPLETE, T0), KS_OK);
        assert_int_equal(store_review_set(f->store, ids[i], "bild", STORE_REVIEW_APPROVED, T0),
                         KS_OK);
    }
    batch(f, "B1", T0 + 1, ids, 40, NULL, 0);
    char wal[160];
    snprintf(wal, sizeof wal, "%s-wal", f->db);
    /* reopening checkpoints the WAL into the file: its full size */
    store_close(&f->store);
    assert_int_equal(store_open(f->db, &f->store), KS_OK);
    long long before = file_size(f->db) + file_size(wal);
    assert_true(before > 40 * (long long)sizeof png);
    StoreRetentionResult r;
    assert_int_equal(store_retention_purge(f->store, T0 + 31 * DAY, false, &r), KS_OK);
    assert_int_equal(r.sessions, 40);
    long long after = file_size(f->db) + file_size(wal);
    assert_true(after < before / 10);
    assert_int_equal(file_size(wal), 0); /* checkpointed and truncated */
    /* still a sound database that takes new answers */
    session(f, "f", false, true, T0 + 32 * DAY);
    store_close(&f->store);
    assert_int_equal(store_open(f->db, &f->store), KS_OK);
    assert_int_equal(db_file_int(f->db, "SELECT count(*) FROM session"), 1);
    assert_int_equal(db_file_int(f->db, "SELECT count(*) FROM batch"), 1);
}

static void test_retention_of_workshops(void **state)
{
    Fx *f = *state;
    StoreWorkshop w = {.dots = 3, .approval = false};
    strcpy(w.title, "Kiezwerkstatt");
    strcpy(w.question, "Unser Kiez");
    strcpy(w.langs, "de");
    int64_t closed = 0, shown = 0, card = 0;
    assert_int_equal(store_ws_create(f->store, &w, T0, &closed), KS_OK);
    StoreWsCard c = {.workshop_id = closed, .phase = WS_PHASE_CRITIQUE};
    strcpy(c.lang, "de");
    strcpy(c.text, "Zu wenig Bänke");
    assert_int_equal(store_ws_card_add(f->store, &c, NULL, 0, &card), KS_OK);
    assert_int_equal(store_ws_close(f->store, closed), KS_OK);
    /* the second stays open on its results page after its export */
    assert_int_equal(store_ws_create(f->store, &w, T0, &shown), KS_OK);
    assert_int_equal(store_ws_set_phase(f->store, shown, WS_PHASE_RESULTS), KS_OK);
    int64_t ws[] = {closed, shown};
    batch(f, "B1", T0, NULL, 0, ws, 2);
    StoreRetentionResult r;
    assert_int_equal(retention_run(f->store, 30, false, false, T0 + 31 * DAY, &r), KS_OK);
    assert_int_equal(r.workshops, 1);
    assert_int_equal(db_file_int(f->db, "SELECT count(*) FROM workshop"), 1);
    assert_int_equal(db_file_int(f->db, "SELECT count(*) FROM ws_card"), 0);
    assert_int_equal(db_file_int(f->db, "SELECT count(*) FROM batch"), 1);
}

/* ---- retention after the office's receipt ------------------------------ */

static void acknowledge(Fx *f, const char *id, int rows, int64_t now)
{
    char tag[65];
    memset(tag, 'a', 64);
    tag[64] = '\0';
    StoreAck a = {.batch_id = id, .tag_sha256 = tag, .rows = rows};
    StoreAckResult res;
    assert_int_equal(store_batch_acknowledge(f->store, &a, now, &res), KS_OK);
    assert_true(res.recorded);
}

static void test_retention_waits_for_receipts(void **state)
{
    Fx *f = *state;
    int64_t old1 = session(f, "f", false, true, T0);
    int64_t old2 = session(f, "f", false, true, T0);
    int64_t pending = session(f, "f", false, false, T0); /* a text nobody reviewed */
    assert_int_equal(store_answer_put_review(f->store, pending, "wunsch", "Mehr Bänke", T0), KS_OK);
    assert_int_equal(store_session_finish(f->store, pending, STORE_OUTCOME_COMPLETE, T0), KS_OK);
    int64_t later = session(f, "f", false, true, T0 + DAY);
    StoreWorkshop w = {.dots = 3, .approval = false};
    strcpy(w.title, "Kiezwerkstatt");
    strcpy(w.question, "Unser Kiez");
    strcpy(w.langs, "de");
    int64_t ws = 0;
    assert_int_equal(store_ws_create(f->store, &w, T0, &ws), KS_OK);
    assert_int_equal(store_ws_close(f->store, ws), KS_OK);
    int64_t first[] = {old1, old2, pending};
    batch(f, "B1", T0, first, 3, &ws, 1);
    batch(f, "B2", T0 + DAY, &later, 1, NULL, 0);

    StoreRetentionResult r;
    /* a year after the exports, without a receipt: nothing goes */
    assert_int_equal(retention_run(f->store, 30, true, false, T0 + 365 * DAY, &r), KS_OK);
    assert_int_equal(r.sessions + r.workshops, 0);
    assert_int_equal(db_file_int(f->db, "SELECT count(*) FROM session"), 4);

    /* B1's receipt, accepted 40 days after its export: 30 days from then */
    acknowledge(f, "B1", 3, T0 + 40 * DAY);
    assert_int_equal(retention_run(f->store, 30, true, false, T0 + 70 * DAY - 1000, &r), KS_OK);
    assert_int_equal(r.sessions + r.workshops, 0);
    assert_int_equal(retention_run(f->store, 30, true, true, T0 + 700 * DAY, &r), KS_ERR_STATE);
    assert_int_equal(retention_run(f->store, 30, true, false, T0 + 70 * DAY + 1000, &r), KS_OK);
    assert_int_equal(r.sessions, 2); /* not the one whose text never went out */
    assert_int_equal(r.workshops, 1);
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM session WHERE id IN (%lld, %lld)",
             (long long)pending, (long long)later);
    assert_int_equal(db_file_int(f->db, sql), 2);
    assert_int_equal(db_file_int(f->db, "SELECT count(*) FROM answer WHERE session_id IN"
                                        " (SELECT id FROM session)"),
                     3);
    assert_int_equal(db_file_int(f->db, "SELECT count(*) FROM batch"), 2);

    /* without the key (kiosk.conf eval_pubkey empty) it counts from the
     * export again, exactly as before */
    assert_int_equal(retention_run(f->store, 30, false, false, T0 + 70 * DAY + 1000, &r), KS_OK);
    assert_int_equal(r.sessions, 1); /* B2's */
    assert_int_equal(db_file_int(f->db, "SELECT count(*) FROM session"), 1);
}

/* With eval_pubkey set the kiosk's own runs (at start, then daily) wait for
 * the receipt: the kiosk sets the rule from its configuration. */
static void test_kiosk_retention_waits_for_receipts(void **state)
{
    Fx *f = *state;
    kiosk_forms(f);
    int64_t old = session(f, "f", false, true, T0 - 90 * DAY);
    batch(f, "B1", T0 - 90 * DAY, &old, 1, NULL, 0);
    strcpy(f->cfg.eval_pubkey, "RWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3");
    Kiosk *k = kiosk_create(&f->cfg, f->cat, f->store, KS_OK);
    assert_int_equal(db_file_int(f->db, "SELECT count(*) FROM session"), 1); /* kept at start */
    acknowledge(f, "B1", 1, T0);
    clock_advance_ms(DAY);
    kiosk_tick(k);
    assert_int_equal(db_file_int(f->db, "SELECT count(*) FROM session"), 1); /* 1 day after it */
    clock_advance_ms(30 * DAY);
    kiosk_tick(k);
    assert_int_equal(db_file_int(f->db, "SELECT count(*) FROM session"), 0);
    kiosk_destroy(k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_doubt_at_start),
        cmocka_unit_test(test_small_step_back_is_no_doubt),
        cmocka_unit_test(test_doubt_on_backwards_jump),
        cmocka_unit_test(test_flag_stored_on_sessions),
        cmocka_unit_test(test_doubt_rows_exported_without_period),
        cmocka_unit_test(test_kiosk_flags_sessions_until_staff_confirm),
        cmocka_unit_test(test_setting_the_clock_ends_doubt),
        cmocka_unit_test(test_retention_deletes_only_old_exported),
        cmocka_unit_test(test_retention_zero_doubt_and_default),
        cmocka_unit_test(test_kiosk_runs_retention_daily),
        cmocka_unit_test(test_vacuum_shrinks_the_file),
        cmocka_unit_test(test_retention_of_workshops),
        cmocka_unit_test(test_retention_waits_for_receipts),
        cmocka_unit_test(test_kiosk_retention_waits_for_receipts),
    };
    return test_run_each(tests, setup, store_fixture_teardown);
}
