/* test_archive: the office's archive — creating and reopening it (WAL,
 * migrations), the kiosk registry (a new kiosk, the same key again, a
 * different key refused unless replaced with the old one kept, a key of
 * another kiosk refused), the batch ledger (lookups, successors, stand-ins,
 * states), the rows (counted only for counted batches, filtered by site
 * and period, dropped for a superseded stand-in), the quarantine, and the
 * durable copy (symlinks refused, a read failing mid-copy leaves nothing). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../eval/archive.h"
#include "../../eval/archive_rows.h"
#include "../../eval/copytree.h"
#include "../../eval/report.h"
#include "../test_tmp.h"

static char g_dir[256];

static int setup(void **state)
{
    (void)state;
    assert_true(test_tmp_dir(g_dir, sizeof g_dir, "km2eval-test"));
    char path[512];
    snprintf(path, sizeof path, "%s/a", g_dir);
    assert_int_equal(archive_create(path), KS_OK);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    (void)copytree_remove(g_dir);
    return 0;
}

static Archive *open_a(void)
{
    char path[512];
    snprintf(path, sizeof path, "%s/a", g_dir);
    Archive *a = NULL;
    assert_int_equal(archive_open(path, &a), KS_OK);
    return a;
}

static void test_create_open(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/a", g_dir);
    assert_int_equal(archive_create(path), KS_ERR_STATE); /* never twice */
    snprintf(path, sizeof path, "%s/a/keys", g_dir);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    Archive *a = NULL;
    snprintf(path, sizeof path, "%s/nothing", g_dir);
    assert_int_equal(archive_open(path, &a), KS_ERR_NOT_FOUND);
    assert_null(a);
    a = open_a();
    archive_close(&a);
    assert_null(a);
    archive_close(&a); /* twice is fine */
}

static void test_enrol(void **state)
{
    (void)state;
    Archive *a = open_a();
    ArchiveEnrol r;
    assert_int_equal(archive_enrol(a, "K1", "NORD", "AAAA000000000001", "RWQkey1", false, &r),
                     KS_OK);
    assert_int_equal(r, ARCHIVE_ENROL_NEW);
    assert_int_equal(archive_enrol(a, "K1", "", "AAAA000000000001", "RWQkey1", false, &r), KS_OK);
    assert_int_equal(r, ARCHIVE_ENROL_SAME);
    char site[32];
    archive_kiosk_site(a, "K1", site, sizeof site);
    assert_string_equal(site, "NORD"); /* "" keeps the site */
    /* A reinstalled kiosk: refused without --replace, then replaced. */
    assert_int_equal(archive_enrol(a, "K1", "", "BBBB000000000002", "RWQkey2", false, &r),
                     KS_ERR_STATE);
    assert_int_equal(archive_enrol(a, "K1", "", "BBBB000000000002", "RWQkey2", true, &r), KS_OK);
    assert_int_equal(r, ARCHIVE_ENROL_REPLACED);
    ArchiveKey k;
    assert_int_equal(archive_key_find(a, "AAAA000000000001", &k), KS_OK);
    assert_true(k.retired); /* history kept: old batches still verify */
    assert_int_equal(archive_key_find(a, "BBBB000000000002", &k), KS_OK);
    assert_false(k.retired);
    assert_string_equal(k.kiosk_id, "K1");
    /* One key, one kiosk. */
    assert_int_equal(archive_enrol(a, "K2", "SUED", "BBBB000000000002", "RWQkey2", false, &r),
                     KS_ERR_INVALID);
    assert_int_equal(archive_key_find(a, "CCCC000000000003", &k), KS_ERR_NOT_FOUND);
    archive_close(&a);
}

static ArchiveBatch batch(const char *id, const char *prev, ArchiveBatchState state)
{
    ArchiveBatch b;
    memset(&b, 0, sizeof b);
    snprintf(b.id, sizeof b.id, "%s", id);
    snprintf(b.kiosk_id, sizeof b.kiosk_id, "K1");
    snprintf(b.site, sizeof b.site, "NORD");
    snprintf(b.key_id, sizeof b.key_id, "AAAA000000000001");
    snprintf(b.tag_sha256, sizeof b.tag_sha256, "%064d", 1);
    snprintf(b.prev_id, sizeof b.prev_id, "%s", prev);
    snprintf(b.forms, sizeof b.forms, "kinder 1");
    snprintf(b.period_from, sizeof b.period_from, "2026-W10");
    snprintf(b.period_to, sizeof b.period_to, "2026-W11");
    archive_now(b.received_at);
    b.rows = 2;
    b.k = 5;
    b.state = state;
    return b;
}

static void add_row(Archive *a, const char *batch_id, const char *site, const char *period)
{
    ArchiveResponse r = {batch_id, "K1", site,    "kinder", "1",
                         period,   "de", "child", "R1",     "{\"schule\":\"3\"}"};
    assert_int_equal(archive_response_add(a, &r), KS_OK);
}

static bool count_cb(const ArchiveResponse *r, void *ctx)
{
    (void)r;
    (*(int *)ctx)++;
    return true;
}

static void test_ledger_and_rows(void **state)
{
    (void)state;
    Archive *a = open_a();
    assert_int_equal(archive_tx_begin(a), KS_OK);
    ArchiveBatch b1 = batch("K1-20261201-AAAA", "", ARCHIVE_BATCH_RECEIVED);
    ArchiveBatch r2 = batch("K1-20261201-BBBB-RCCCC", "K1-20261201-AAAA", ARCHIVE_BATCH_STANDS_IN);
    snprintf(r2.redo_of, sizeof r2.redo_of, "K1-20261201-BBBB");
    assert_int_equal(archive_batch_add(a, &b1), KS_OK);
    assert_int_equal(archive_batch_add(a, &r2), KS_OK);
    add_row(a, b1.id, "NORD", "2026-W10");
    add_row(a, b1.id, "NORD", "2026-W11");
    add_row(a, r2.id, "SUED", "2026-W12");
    assert_int_equal(archive_tx_commit(a), KS_OK);
    /* The same id twice is refused by the database. */
    assert_int_equal(archive_tx_begin(a), KS_OK);
    assert_int_not_equal(archive_batch_add(a, &b1), KS_OK);
    archive_tx_rollback(a);

    ArchiveBatch got;
    assert_int_equal(archive_batch_get(a, b1.id, &got), KS_OK);
    assert_int_equal(got.rows, 2);
    assert_int_equal(got.k, 5);
    assert_int_equal(archive_batch_successor(a, "K1", b1.id, "", &got), KS_OK);
    assert_string_equal(got.id, r2.id);
    assert_int_equal(archive_batch_successor(a, "K1", b1.id, r2.id, &got), KS_ERR_NOT_FOUND);
    assert_int_equal(archive_batch_stand_in(a, "K1-20261201-BBBB", &got), KS_OK);
    assert_string_equal(got.id, r2.id);

    long n = 0;
    ArchiveFilter all = {"kinder", NULL, NULL, NULL};
    assert_int_equal(archive_responses_count(a, &all, &n), KS_OK);
    assert_int_equal(n, 3);
    ArchiveFilter nord = {"kinder", "NORD", "2026-W11", ""};
    assert_int_equal(archive_responses_count(a, &nord, &n), KS_OK);
    assert_int_equal(n, 1);
    int seen = 0;
    assert_int_equal(archive_responses_each(a, &all, count_cb, &seen), KS_OK);
    assert_int_equal(seen, 3);

    /* The original arrives: the stand-in's rows go, its ledger entry stays. */
    assert_int_equal(archive_tx_begin(a), KS_OK);
    assert_int_equal(archive_rows_drop(a, r2.id), KS_OK);
    assert_int_equal(archive_batch_set_state(a, r2.id, ARCHIVE_BATCH_SUPERSEDED), KS_OK);
    assert_int_equal(archive_tx_commit(a), KS_OK);
    assert_int_equal(archive_responses_count(a, &all, &n), KS_OK);
    assert_int_equal(n, 2);
    assert_int_equal(archive_batch_get(a, r2.id, &got), KS_OK);
    assert_int_equal(got.state, ARCHIVE_BATCH_SUPERSEDED);
    assert_int_equal(archive_batch_stand_in(a, "K1-20261201-BBBB", &got), KS_ERR_NOT_FOUND);

    assert_int_equal(archive_quarantine_add(a, "X", "K1", "fork", "Grund", "quarantine/K1/X"),
                     KS_OK);
    assert_int_equal(archive_quarantine_count(a, "K1"), 1);
    assert_int_equal(archive_quarantine_count(a, "K2"), 0);
    char **ids;
    int n_ids;
    assert_int_equal(archive_kiosks(a, &ids, &n_ids), KS_OK);
    assert_int_equal(n_ids, 1);
    assert_string_equal(ids[0], "K1");
    free(ids[0]);
    free(ids);
    archive_close(&a);
}

static void test_copytree(void **state)
{
    (void)state;
    char src[512], dst[512], p[600];
    snprintf(src, sizeof src, "%s/src", g_dir);
    snprintf(dst, sizeof dst, "%s/dst", g_dir);
    assert_int_equal(mkdir(src, 0755), 0);
    snprintf(p, sizeof p, "%s/data", src);
    assert_int_equal(mkdir(p, 0755), 0);
    snprintf(p, sizeof p, "%s/data/x.csv", src);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    for (int i = 0; i < 100000; i++)
        fputs("a,b,c\n", f);
    fclose(f);
    assert_int_equal(copytree_copy(src, dst, 0, NULL), KS_OK);
    snprintf(p, sizeof p, "%s/data/x.csv", dst);
    struct stat st;
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_size, 600000);
    assert_int_equal(st.st_mode & 0777, 0444);
    assert_int_equal(copytree_remove(dst), KS_OK);
    assert_int_not_equal(access(dst, F_OK), 0);
    /* A read failing mid-copy (the stick pulled) leaves nothing. */
    copytree_fail_nth_read(2);
    assert_int_equal(copytree_copy(src, dst, 0, NULL), KS_ERR_IO);
    copytree_fail_nth_read(0);
    assert_int_not_equal(access(dst, F_OK), 0);
    /* A symlink is refused, not followed. */
    snprintf(p, sizeof p, "%s/data/link", src);
    assert_int_equal(symlink("/etc/passwd", p), 0);
    assert_int_equal(copytree_copy(src, dst, 0, NULL), KS_ERR_INVALID);
    assert_int_not_equal(access(dst, F_OK), 0);
    /* Files over the limit are left out and counted. */
    assert_int_equal(unlink(p), 0);
    int skipped = 0;
    assert_int_equal(copytree_copy(src, dst, 1000, &skipped), KS_OK);
    assert_int_equal(skipped, 1);
}

static void test_periods(void **state)
{
    (void)state;
    assert_true(report_period_in("2026-W10", "2026-W10"));
    assert_true(report_period_in("2026-W10", "2026"));
    assert_true(report_period_in("2026-11-24", "2026-11"));
    assert_false(report_period_in("2026-W10", "2026-W1"));
    assert_false(report_period_in("2026-10", "2026-1"));
    assert_false(report_period_in("2027-W01", "2026"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_create_open, setup, teardown),
        cmocka_unit_test_setup_teardown(test_enrol, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ledger_and_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_copytree, setup, teardown),
        cmocka_unit_test(test_periods),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
