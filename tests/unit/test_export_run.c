/* test_export_run: the whole export run against a real database and a
 * stand-in stick folder: a batch lands and its sessions are marked; then
 * every mutating step of the stick writes fails in turn (as a full, a
 * read-only and a pulled stick) and each time the stick holds no finished
 * batch, nothing is marked exported, the result names the matching cause
 * (and staff read the matching text from the catalogs), and a
 * later run succeeds; a failing ledger commit takes the batch off the
 * stick again. kiosk.conf's site_code and export_qi_lang reach the batch's
 * files. The progress goes through its phases in order, and a run asked
 * to stop at any point marks nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../export/export.h"
#include "../../firmware/app/staff_export_text.h"
#include "../../firmware/app/uitext.h"
#include "../../firmware/core/config.h"
#include "../../firmware/core/log.h"
#include "../../firmware/storage/store.h"
#include "../../firmware/storage/store_export.h"
#include "../../firmware/storage/store_responses.h"
#include "../../firmware/survey/catalog.h"
#include "../../firmware/survey/form.h"
#include "../../firmware/sys/safe_copy.h"
#include "../test_files.h"
#include "../test_locale.h"
#include "../test_main.h"
#include "../test_tmp.h"
#include "export_fixture.h"

#define T0 1795556918000LL /* 2026-11-24 */
#define N_SESSIONS 6
#define NOW (T0 + 86400000) /* the day after */

typedef struct {
    StoreFixture sf;
    char top[160]; /* stick/KM2KIOSK */
} Fixture;

static int setup(void **state)
{
    Fixture *f = store_fixture_new(sizeof(Fixture), "ks_export", 0, SAMPLE_FORMS);
    snprintf(f->top, sizeof f->top, "%s/KM2KIOSK", f->sf.stick);
    sample_sessions(f->sf.store, f->sf.cat, T0, N_SESSIONS, "schule=4 lesen=3 freunde=yes");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    safe_copy_fault_fail_nth(0, 0);
    store_fault_fail_nth_write(0);
    return store_fixture_teardown(state);
}

static int pending(Fixture *f)
{
    int complete = -1, flagged = -1;
    assert_int_equal(store_stats_pending(f->sf.store, &complete, &flagged), KS_OK);
    return complete;
}

/* Entries in KM2KIOSK/ that are a batch or its receipt (not the public key,
 * not a leftover the next run cleans). */
static int finished_entries(Fixture *f)
{
    DIR *d = opendir(f->top);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.' || strncmp(e->d_name, "_PARTIAL_", 9) == 0 ||
            (len > 4 && strcmp(e->d_name + len - 4, ".pub") == 0))
            continue;
        n++;
    }
    closedir(d);
    return n;
}

static void test_export_ok(void **state)
{
    Fixture *f = *state;
    ExportRunResult r;
    assert_int_equal(export_to_stick(&f->sf, NOW, &r), KS_OK);
    assert_int_equal(r.outcome, EXPORT_DONE);
    assert_int_equal(r.rows, N_SESSIONS);
    assert_int_equal(pending(f), 0);
    assert_int_equal(finished_entries(f), 3); /* the bag and the two receipt files */
    assert_int_equal(r.cause, EXPORT_CAUSE_NONE);
    char text[512];
    staff_export_text(&r, "de", true, text, sizeof text);
    assert_non_null(strstr(text, "Export fertig: 6 Antworten in KM2KIOSK/"));
    assert_non_null(strstr(text, "Der Stick kann jetzt ausgeworfen werden."));
    staff_export_text(&r, "en", false, text, sizeof text);
    assert_non_null(strstr(text, "Export done: 6 responses in KM2KIOSK/"));
    assert_null(strstr(text, "ejected"));
    StoreBatch b;
    assert_int_equal(store_batch_last(f->sf.store, &b), KS_OK);
    assert_string_equal(b.id, r.batch_id);
    assert_string_equal(b.tag_sha256, r.tag_sha256);
    /* Nothing new afterwards. */
    ExportRunResult r2;
    assert_int_equal(export_to_stick(&f->sf, NOW, &r2), KS_ERR_NOT_FOUND);
    assert_int_equal(r2.outcome, EXPORT_NOTHING);
    assert_int_equal(finished_entries(f), 3);
}

static void fail_each_step(Fixture *f, int err, ExportOutcome want, ExportCause cause,
                           const char *word)
{
    int steps = 0;
    for (int n = 1; n < 1000; n++) {
        ExportRunResult r;
        safe_copy_fault_fail_nth(n, err);
        KsStatus st = export_to_stick(&f->sf, NOW, &r);
        int seen = safe_copy_fault_count();
        safe_copy_fault_fail_nth(0, 0);
        if (n > seen) {
            assert_int_equal(st, KS_OK);
            steps = n - 1;
            break;
        }
        if (st == KS_OK)
            fail_msg("step %d failed with errno %d, yet the export succeeded", n, err);
        char text[512];
        staff_export_text(&r, "de", true, text, sizeof text);
        if (r.outcome != want || r.cause != cause || !strstr(text, word))
            fail_msg("step %d, errno %d: outcome %s, cause %s, text %s", n, err,
                     export_outcome_name(r.outcome), export_cause_name(r.cause), text);
        assert_int_equal(finished_entries(f), 0);
        assert_int_equal(pending(f), N_SESSIONS);
        StoreBatch b;
        assert_int_equal(store_batch_last(f->sf.store, &b), KS_ERR_NOT_FOUND);
    }
    /* The run that got through is complete and recorded. */
    assert_true(steps > 15);
    assert_int_equal(pending(f), 0);
    assert_int_equal(finished_entries(f), 3);
}

static void test_stick_full(void **state)
{
    fail_each_step(*state, ENOSPC, EXPORT_STICK_FULL, EXPORT_CAUSE_STICK_FULL, "voll");
}

static void test_stick_readonly(void **state)
{
    fail_each_step(*state, EROFS, EXPORT_STICK_READONLY, EXPORT_CAUSE_STICK_READONLY,
                   "schreibgeschützt");
}

static void test_stick_pulled(void **state)
{
    fail_each_step(*state, EIO, EXPORT_STICK_GONE, EXPORT_CAUSE_STICK_GONE, "entfernt");
}

static void test_commit_fails(void **state)
{
    Fixture *f = *state;
    ExportRunResult r;
    store_fault_fail_nth_write(1);
    KsStatus st = export_to_stick(&f->sf, NOW, &r);
    store_fault_fail_nth_write(0);
    assert_int_not_equal(st, KS_OK);
    assert_int_equal(r.outcome, EXPORT_FAILED);
    assert_int_equal(r.cause, EXPORT_CAUSE_LEDGER);
    assert_int_equal(finished_entries(f), 0);
    assert_int_equal(pending(f), N_SESSIONS);
    assert_int_equal(export_to_stick(&f->sf, NOW, &r), KS_OK);
    assert_int_equal(pending(f), 0);
}

static void test_too_few_and_redo(void **state)
{
    Fixture *f = *state;
    ExportRunResult r, r2;
    f->sf.cfg.export_k = N_SESSIONS + 1;
    assert_int_equal(export_to_stick(&f->sf, NOW, &r), KS_ERR_STATE);
    assert_int_equal(r.outcome, EXPORT_TOO_FEW);
    assert_int_equal(r.held_back, N_SESSIONS);
    assert_int_equal(r.k, N_SESSIONS + 1);
    char text[512];
    staff_export_text(&r, "de", true, text, sizeof text);
    assert_non_null(strstr(text, "Noch zu wenige Antworten für einen Export: 6 warten, nötig "
                                 "sind mindestens 7"));
    assert_int_equal(finished_entries(f), 0);
    f->sf.cfg.export_k = 5;
    assert_int_equal(export_to_stick(&f->sf, NOW, &r), KS_OK);
    ExportRunOptions o = {.db_path = f->sf.db,
                          .stick_dir = f->sf.stick,
                          .port = &SAFE_COPY_PORT,
                          .redo_batch = r.batch_id};
    assert_int_equal(export_run(f->sf.store, f->sf.cat, &f->sf.cfg, &o, &r2), KS_OK);
    assert_int_equal(r2.rows, N_SESSIONS);
    assert_string_equal(r2.redo_of, r.batch_id);
    assert_memory_equal(r2.batch_id, r.batch_id, strlen(r.batch_id));
    assert_int_equal(finished_entries(f), 6);
    o.redo_batch = "NOPE";
    assert_int_equal(export_run(f->sf.store, f->sf.cat, &f->sf.cfg, &o, &r2), KS_ERR_NOT_FOUND);
    assert_int_equal(r2.cause, EXPORT_CAUSE_NO_SUCH_BATCH);
    staff_export_text(&r2, "de", true, text, sizeof text);
    assert_string_equal(text, "Einen Export mit der Nummer NOPE gibt es nicht.");
}

/* What export_run's progress callback heard. */
typedef struct {
    int calls, stop_at;
    ExportPhase last;
    int phases; /* a bit per phase seen */
    bool backwards;
    ExportProgress final;
} Progress;

static bool on_progress(void *ctx, const ExportProgress *p)
{
    Progress *pr = ctx;
    if (pr->calls++ > 0 && p->phase < pr->last)
        pr->backwards = true;
    pr->last = p->phase;
    pr->phases |= 1 << p->phase;
    pr->final = *p;
    return pr->calls != pr->stop_at;
}

/* The progress goes through every phase in order, and ends with every file
 * and byte of the bag written and read back; asked to stop at any call, a
 * run marks nothing and leaves no finished batch. */
static void test_progress_and_stop(void **state)
{
    Fixture *f = *state;
    Progress pr = {0};
    ExportRunOptions o = {.db_path = f->sf.db,
                          .stick_dir = f->sf.stick,
                          .port = &SAFE_COPY_PORT,
                          .now_ms = T0 + 86400000,
                          .progress = on_progress,
                          .progress_ctx = &pr};
    ExportRunResult r;
    int calls = 0;
    for (int stop = 1;; stop++) {
        memset(&pr, 0, sizeof pr);
        pr.stop_at = stop;
        KsStatus st = export_run(f->sf.store, f->sf.cat, &f->sf.cfg, &o, &r);
        if (pr.calls < stop) { /* never asked to stop: the run went through */
            assert_int_equal(st, KS_OK);
            calls = pr.calls;
            break;
        }
        assert_int_equal(st, KS_ERR_STATE);
        assert_int_equal(r.outcome, EXPORT_FAILED);
        assert_int_equal(r.cause, EXPORT_CAUSE_STOPPED);
        assert_int_equal(finished_entries(f), 0);
        assert_int_equal(pending(f), N_SESSIONS);
    }
    assert_true(calls > 6);
    assert_false(pr.backwards);
    assert_int_equal(pr.phases, 0xf);
    assert_int_equal(pr.final.phase, EXPORT_PHASE_VERIFYING);
    assert_true(pr.final.files_total > 10);
    assert_int_equal(pr.final.files_done, pr.final.files_total);
    assert_true(pr.final.bytes_done == pr.final.bytes_total && pr.final.bytes_total > 1000);
    assert_int_equal(pending(f), 0);
}

static char *bag_file(Fixture *f, const char *batch, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s/data/%s", f->top, batch, name);
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    static char text[65536];
    size_t n = fread(text, 1, sizeof text - 1, fp);
    fclose(fp);
    text[n] = '\0';
    return text;
}

static void test_site_code_and_lang(void **state)
{
    Fixture *f = *state;
    ExportRunResult r, r2;
    /* the defaults: no site code (an empty column), lang a quasi-identifier */
    assert_int_equal(export_to_stick(&f->sf, NOW, &r), KS_OK);
    const char *csv = bag_file(f, r.batch_id, "responses.csv");
    assert_memory_equal(csv,
                        "response_id,form,form_version,site_code,lang,audience,period,"
                        "clock_doubt,",
                        strlen("response_id,form,form_version,site_code,lang,audience,period,"
                               "clock_doubt,"));
    assert_non_null(strstr(csv, ",kinder,2026-11-1,,de,child,"));
    const char *rep = bag_file(f, r.batch_id, "disclosure-report.json");
    assert_non_null(strstr(rep, "\"lang\"]"));
    assert_non_null(strstr(rep, "export_qi_lang = yes"));
    /* site_code set and export_qi_lang = no, on a re-export of the batch */
    snprintf(f->sf.cfg.site_code, sizeof f->sf.cfg.site_code, "HH-01");
    f->sf.cfg.export_qi_lang = false;
    ExportRunOptions o = {.db_path = f->sf.db,
                          .stick_dir = f->sf.stick,
                          .port = &SAFE_COPY_PORT,
                          .redo_batch = r.batch_id};
    assert_int_equal(export_run(f->sf.store, f->sf.cat, &f->sf.cfg, &o, &r2), KS_OK);
    csv = bag_file(f, r2.batch_id, "responses.csv");
    int rows = 0;
    for (const char *p = strstr(csv, ",HH-01,de,child,"); p; p = strstr(p + 1, ",HH-01,de,child,"))
        rows++;
    assert_int_equal(rows, N_SESSIONS);
    rep = bag_file(f, r2.batch_id, "disclosure-report.json");
    assert_null(strstr(rep, "\"lang\"]"));
    assert_non_null(strstr(rep, "export_qi_lang = no"));
}

int main(void)
{
    test_quiet_log();
    if (!test_ui_texts())
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_export_ok),          cmocka_unit_test(test_stick_full),
        cmocka_unit_test(test_stick_readonly),     cmocka_unit_test(test_stick_pulled),
        cmocka_unit_test(test_commit_fails),       cmocka_unit_test(test_too_few_and_redo),
        cmocka_unit_test(test_site_code_and_lang), cmocka_unit_test(test_progress_and_stop),
    };
    return test_run_each(tests, setup, teardown);
}
