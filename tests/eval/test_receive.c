/* test_receive: km2eval's intake against hostile and unlucky sticks, with
 * bags made by the kiosk's own bag code: a good batch (received once, then
 * "already", its receipt on the stick verifying with the office key); a
 * CSV with an extra column and a truncated .age file, both signed by the
 * kiosk (bad_data); a 2 GB file no manifest lists, a symlink in the bag
 * (bad_manifest); a stranger's key with a forged .pub beside the batch
 * (unknown_key, never trusted); an empty KM2KIOSK (nothing); a stick pulled
 * mid-copy (nothing half-received stays); and a run interrupted after the
 * copy was renamed into place, which the next run finishes. Refused batches
 * land in the quarantine with a REASON.txt. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../eval/archive.h"
#include "../../eval/archive_rows.h"
#include "../../eval/copytree.h"
#include "../../eval/office.h"
#include "../../eval/receive.h"
#include "../../export/ack.h"
#include "../../export/bag.h"
#include "../../export/bagit.h"
#include "../../export/csvfile.h"
#include "../../export/datapackage.h"
#include "../../export/dataset.h"
#include "../../export/sav.h"
#include "../../export/sign.h"
#include "../test_files.h"
#include "../test_main.h"
#include "../test_tmp.h"

typedef struct {
    char dir[256], office[300], stick[300], top[320];
    SignKey *kiosk, *stranger;
    OfficeInit init;
    OfficeKeys keys;
    Archive *a;
    ReceiveResult last[16];
    int n;
} Fx;

static void on_result(const ReceiveResult *r, void *ctx)
{
    Fx *f = ctx;
    if (f->n < 16)
        f->last[f->n++] = *r;
}

/* A batch as the kiosk writes it, into <stick>/KM2KIOSK/<id>/. */
static void make_bag(Fx *f, SignKey *key, const char *id, const char *prev, const char *prev_tag,
                     int rows, bool extra_col, const char *recipient, char tag[65])
{
    char dir[512], data[600], path[700];
    snprintf(dir, sizeof dir, "%s/%s", f->top, id);
    snprintf(data, sizeof data, "%s/data", dir);
    assert_int_equal(mkdir(dir, 0755), 0);
    assert_int_equal(mkdir(data, 0755), 0);
    DatasetTable *t = dataset_table_create("responses", "Antworten");
    static const char *const fixed[] = {"response_id", "form",     "form_version", "site_code",
                                        "lang",        "audience", "period",       "clock_doubt"};
    for (int i = 0; i < 8; i++)
        dataset_table_add_column(t, fixed[i], fixed[i], NULL,
                                 i == 7 ? DATASET_BINARY : DATASET_STRING);
    int c = dataset_table_add_column(t, "schule", "Wie gefällt dir die Schule?", NULL,
                                     DATASET_CATEGORY);
    dataset_table_add_category(t, c, 1, "gut", "gut");
    dataset_table_add_category(t, c, 2, "schlecht", "schlecht");
    t->cols[c].question = strdup("schule");
    t->cols[c].forms = strdup("kinder");
    for (int r = 0; r < rows; r++) {
        int row = dataset_table_add_row(t);
        char rid[16];
        snprintf(rid, sizeof rid, "R%09d", r);
        const char *v[] = {
            rid, "kinder", "1", "NORD", "de", "child", "2026-W10", "0", r % 3 ? "gut" : "schlecht"};
        for (int i = 0; i < 9; i++)
            dataset_table_set(t, row, i, v[i]);
    }
    snprintf(path, sizeof path, "%s/responses.csv", data);
    assert_int_equal(csvfile_write_table(t, path), KS_OK);
    snprintf(path, sizeof path, "%s/responses.sav", data);
    assert_int_equal(sav_write(t, "test", path), KS_OK);
    snprintf(path, sizeof path, "%s/datapackage.json", data);
    const DatasetTable *tabs[] = {t};
    assert_int_equal(datapackage_write(tabs, 1, id, NULL, 0, path), KS_OK);
    snprintf(path, sizeof path, "%s/disclosure-report.json", data);
    test_write_text(path, "{\"k\":5}");
    if (extra_col) {
        /* The kiosk's CSV gains a column its description does not have. */
        snprintf(path, sizeof path, "%s/responses.csv", data);
        FILE *fp = fopen(path, "a");
        fputs("R999999999,kinder,1,NORD,de,child,2026-W10,0,gut,zuviel\r\n", fp);
        fclose(fp);
    }
    dataset_table_destroy(t);
    BagInfo info = {.batch_id = id,
                    .kiosk_id = "NORD-A",
                    .site_code = "NORD",
                    .forms = "kinder 1",
                    .rows = rows + (extra_col ? 1 : 0),
                    .period_from = "2026-W10",
                    .period_to = "2026-W10",
                    .prev_batch_id = prev,
                    .prev_tag_sha256 = prev_tag,
                    .age_recipient = recipient};
    char t64[65];
    assert_int_equal(bag_finish(dir, &info, key, t64), KS_OK);
    if (tag)
        memcpy(tag, t64, 65);
}

static int setup(void **state)
{
    Fx *f = TEST_FIXTURE_NEW(Fx, "km2eval-recv");
    snprintf(f->office, sizeof f->office, "%s/office", f->dir);
    snprintf(f->stick, sizeof f->stick, "%s/stick", f->dir);
    snprintf(f->top, sizeof f->top, "%s/KM2KIOSK", f->stick);
    assert_int_equal(mkdir(f->stick, 0755), 0);
    assert_int_equal(mkdir(f->top, 0755), 0);
    assert_int_equal(office_init(f->office, &f->init), KS_OK);
    assert_int_equal(office_keys_load(f->office, &f->keys), KS_OK);
    char path[400];
    snprintf(path, sizeof path, "%s/kiosk.signkey", f->dir);
    assert_int_equal(sign_key_load_or_create(path, &f->kiosk), KS_OK);
    snprintf(path, sizeof path, "%s/stranger.signkey", f->dir);
    assert_int_equal(sign_key_load_or_create(path, &f->stranger), KS_OK);
    assert_int_equal(archive_open(f->office, &f->a), KS_OK);
    SignPublic pub;
    sign_key_public(f->kiosk, &pub);
    char line[SIGN_PUBLIC_LINE];
    sign_public_line(&pub, line, sizeof line);
    ArchiveEnrol r;
    assert_int_equal(archive_enrol(f->a, "NORD-A", "NORD", pub.id, line, false, &r), KS_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    Fx *f = *state;
    archive_close(&f->a);
    office_keys_clear(&f->keys);
    sign_key_destroy(f->kiosk);
    sign_key_destroy(f->stranger);
    copytree_fail_nth_read(0);
    test_fixture_free(f, f->dir);
    return 0;
}

static int receive(Fx *f, const char *const *receipts, int n_receipts)
{
    ReceiveOptions o = {
        .stick = f->stick, .receipts = receipts, .n_receipts = n_receipts, .write_ack = true};
    f->n = 0;
    int failed = 0;
    KsStatus ks = receive_run(f->a, &f->keys, &o, on_result, f, &failed);
    return ks == KS_OK ? failed : -1;
}

static long rows_of(Fx *f);

/* A run of the office that refuses all n batches on the stick with the
 * outcome want, each saying `says` (NULL: not checked), and archives no row. */
static void expect_refused(Fx *f, int n, ReceiveOutcome want, const char *says)
{
    assert_int_equal(receive(f, NULL, 0), n);
    assert_int_equal(f->n, n);
    for (int i = 0; i < n; i++) {
        assert_int_equal(f->last[i].outcome, want);
        if (says && !strstr(f->last[i].message, says))
            fail_msg("batch %d: \"%s\" does not say \"%s\"", i, f->last[i].message, says);
    }
    assert_int_equal(rows_of(f), 0);
}

static long rows_of(Fx *f)
{
    ArchiveFilter all = {"kinder", NULL, NULL, NULL};
    long n = -1;
    assert_int_equal(archive_responses_count(f->a, &all, &n), KS_OK);
    return n;
}

static void test_good_batch_and_receipt(void **state)
{
    Fx *f = *state;
    char tag[65];
    make_bag(f, f->kiosk, "NORD-A-20261201-AAAA", "", "", 7, false, f->init.recipient, tag);
    assert_int_equal(receive(f, NULL, 0), 0);
    assert_int_equal(f->n, 1);
    assert_int_equal(f->last[0].outcome, RECV_RECEIVED);
    assert_int_equal(f->last[0].rows, 7);
    assert_true(f->last[0].acked);
    assert_int_equal(rows_of(f), 7);
    assert_true(test_exists("%s/batches/NORD-A/NORD-A-20261201-AAAA/bagit.txt", f->office));
    /* The receipt on the stick verifies with the office key. */
    char ack[600];
    snprintf(ack, sizeof ack, "%s/received/NORD-A-20261201-AAAA.ack", f->top);
    SignPublic office;
    assert_int_equal(sign_public_parse(f->init.office_key, &office), KS_OK);
    AckInfo ai;
    assert_int_equal(ack_read(ack, &office, &ai), KS_OK);
    assert_string_equal(ai.tag_sha256, tag);
    assert_int_equal(ai.rows, 7);
    /* Again: nothing changes. */
    assert_int_equal(receive(f, NULL, 0), 0);
    assert_int_equal(f->last[0].outcome, RECV_ALREADY);
    assert_int_equal(rows_of(f), 7);
}

static void test_bad_data(void **state)
{
    Fx *f = *state;
    make_bag(f, f->kiosk, "NORD-A-20261201-BBBB", "", "", 5, true, NULL, NULL);
    expect_refused(f, 1, RECV_BAD_DATA, "Zellen");
    assert_false(test_exists("%s/batches/NORD-A/NORD-A-20261201-BBBB", f->office));
    assert_false(test_exists("%s/batches/NORD-A/.tmp-NORD-A-20261201-BBBB", f->office));
    assert_false(test_exists("%s/received/NORD-A-20261201-BBBB.ack", f->top));
    char cmd[700];
    snprintf(cmd, sizeof cmd, "grep -q 'Ergebnis: bad_data' %s/quarantine/NORD-A/*/REASON.txt",
             f->office);
    assert_int_equal(system(cmd), 0);
}

/* Writes the manifests of dir again and signs them, as a kiosk whose own
 * files were already damaged before it bagged them would. */
static void resign(const char *dir, SignKey *key)
{
    BagitList payload = {0};
    assert_int_equal(bagit_list_payload(dir, &payload), KS_OK);
    assert_int_equal(bagit_write_manifest(dir, "manifest-sha256.txt", &payload, NULL, NULL), KS_OK);
    bagit_list_free(&payload);
    static const char *const tagfiles[] = {"bag-info.txt", "bagit.txt", "manifest-sha256.txt"};
    BagitList tags = {(char **)tagfiles, 3, 3};
    assert_int_equal(bagit_write_manifest(dir, "tagmanifest-sha256.txt", &tags, NULL, NULL), KS_OK);
    char p[800], *msg = NULL, *sig = NULL;
    size_t len = 0;
    snprintf(p, sizeof p, "%s/tagmanifest-sha256.txt", dir);
    assert_int_equal(bagit_read_file(p, 1 << 20, &msg, &len), KS_OK);
    assert_int_equal(sign_minisig_create(key, (const unsigned char *)msg, len, "km2kiosk", &sig),
                     KS_OK);
    snprintf(p, sizeof p, "%s/tagmanifest-sha256.txt.minisig", dir);
    test_write_text(p, sig);
    free(msg);
    free(sig);
}

static void test_truncated_age(void **state)
{
    Fx *f = *state;
    char dir[600], age[800];
    snprintf(dir, sizeof dir, "%s/NORD-A-20261201-CCCC", f->top);
    make_bag(f, f->kiosk, "NORD-A-20261201-CCCC", "", "", 5, false, f->init.recipient, NULL);
    snprintf(age, sizeof age, "%s/data/responses.csv.age", dir);
    struct stat st;
    assert_int_equal(stat(age, &st), 0);
    assert_int_equal(truncate(age, st.st_size / 2), 0);
    resign(dir, f->kiosk);
    expect_refused(f, 1, RECV_BAD_DATA, "abgeschnitten");
}

static void test_unlisted_giant_and_symlink(void **state)
{
    Fx *f = *state;
    make_bag(f, f->kiosk, "NORD-A-20261201-DDDD", "", "", 5, false, NULL, NULL);
    char p[700];
    snprintf(p, sizeof p, "%s/NORD-A-20261201-DDDD/data/film.mp4", f->top);
    int fd = open(p, O_CREAT | O_WRONLY, 0644);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, 2LL * 1024 * 1024 * 1024), 0); /* sparse: no disk used */
    close(fd);
    make_bag(f, f->kiosk, "NORD-A-20261202-EEEE", "", "", 5, false, NULL, NULL);
    snprintf(p, sizeof p, "%s/NORD-A-20261202-EEEE/data/passwd", f->top);
    assert_int_equal(symlink("/etc/passwd", p), 0);
    expect_refused(f, 2, RECV_BAD_MANIFEST, NULL);
    /* The quarantine does not copy the giant. */
    char cmd[700];
    snprintf(cmd, sizeof cmd, "test -z \"$(find %s/quarantine -name film.mp4)\"", f->office);
    assert_int_equal(system(cmd), 0);
}

static void test_stranger(void **state)
{
    Fx *f = *state;
    make_bag(f, f->stranger, "NORD-A-20261201-FFFF", "", "", 5, false, NULL, NULL);
    /* Its own public key beside it, named like the kiosk's: never trusted. */
    char pub[600], text[512];
    snprintf(pub, sizeof pub, "%s/NORD-A.pub", f->top);
    sign_key_public_file(f->stranger, text, sizeof text);
    test_write_text(pub, text);
    expect_refused(f, 1, RECV_UNKNOWN_KEY, NULL);
    assert_non_null(strstr(f->last[0].enrol, "km2eval enrol"));
}

static void test_empty_stick(void **state)
{
    Fx *f = *state;
    ReceiveOptions o = {.stick = f->stick, .write_ack = true};
    int failed = 0;
    assert_int_equal(receive_run(f->a, &f->keys, &o, on_result, f, &failed), KS_ERR_NOT_FOUND);
    char nothing[400];
    snprintf(nothing, sizeof nothing, "%s/nowhere", f->dir);
    o.stick = nothing;
    assert_int_equal(receive_run(f->a, &f->keys, &o, on_result, f, &failed), KS_ERR_NOT_FOUND);
}

static void test_pulled_mid_copy(void **state)
{
    Fx *f = *state;
    make_bag(f, f->kiosk, "NORD-A-20261201-GGGG", "", "", 5, false, NULL, NULL);
    copytree_fail_nth_read(3);
    assert_int_equal(receive(f, NULL, 0), 1);
    copytree_fail_nth_read(0);
    assert_int_equal(f->last[0].outcome, RECV_BAD_MANIFEST);
    assert_non_null(strstr(f->last[0].message, "abgezogen"));
    assert_int_equal(rows_of(f), 0);
    assert_false(test_exists("%s/batches/NORD-A/NORD-A-20261201-GGGG", f->office));
    assert_false(test_exists("%s/batches/NORD-A/.tmp-NORD-A-20261201-GGGG", f->office));
    ArchiveBatch b;
    assert_int_equal(archive_batch_get(f->a, "NORD-A-20261201-GGGG", &b), KS_ERR_NOT_FOUND);
    /* The stick back in: taken in whole. */
    assert_int_equal(receive(f, NULL, 0), 0);
    assert_int_equal(f->last[0].outcome, RECV_RECEIVED);
    assert_int_equal(rows_of(f), 5);
}

static void test_recover_interrupted(void **state)
{
    Fx *f = *state;
    make_bag(f, f->kiosk, "NORD-A-20261201-HHHH", "", "", 6, false, f->init.recipient, NULL);
    /* As if a run ended after renaming the checked copy into place and
     * before its transaction: the copy is whole, the ledger knows nothing;
     * and a half-made copy of another batch lies beside it. */
    char kdir[600], src[600], dst[700], tmp[700];
    snprintf(kdir, sizeof kdir, "%s/batches/NORD-A", f->office);
    assert_int_equal(mkdir(kdir, 0750), 0);
    snprintf(src, sizeof src, "%s/NORD-A-20261201-HHHH", f->top);
    snprintf(dst, sizeof dst, "%s/NORD-A-20261201-HHHH", kdir);
    snprintf(tmp, sizeof tmp, "%s/.tmp-NORD-A-20261201-XXXX", kdir);
    assert_int_equal(copytree_copy(src, dst, 0, NULL), KS_OK);
    assert_int_equal(mkdir(tmp, 0755), 0);
    f->n = 0;
    assert_int_equal(receive_recover(f->a, &f->keys, on_result, f), KS_OK);
    assert_int_equal(f->n, 1);
    assert_int_equal(f->last[0].outcome, RECV_RECEIVED);
    assert_int_equal(rows_of(f), 6);
    assert_false(test_exists("%s", tmp));
    /* Then the stick itself: already there. */
    assert_int_equal(receive(f, NULL, 0), 0);
    assert_int_equal(f->last[0].outcome, RECV_ALREADY);
    assert_int_equal(rows_of(f), 6);
}

static void test_receipts(void **state)
{
    Fx *f = *state;
    char tag[65];
    make_bag(f, f->kiosk, "NORD-A-20261201-JJJJ", "", "", 5, false, NULL, tag);
    SignPublic pub;
    sign_key_public(f->kiosk, &pub);
    char good[256], wrong[256];
    bag_qr_payload(good, sizeof good, "HTTPS://KM2.EXAMPLE/", "NORD-A-20261201-JJJJ", 5, tag,
                   pub.id);
    bag_qr_payload(wrong, sizeof wrong, NULL, "NORD-A-20261201-JJJJ", 6, tag, pub.id);
    const char *r1[] = {wrong};
    assert_int_equal(receive(f, r1, 1), 1);
    assert_int_equal(f->last[0].outcome, RECV_RECEIPT_MISMATCH);
    const char *r2[] = {"KM2B1/ANDERE-LIEFERUNG/R5/TAAAA/K0000000000000000"};
    assert_int_equal(receive(f, r2, 1), 1);
    assert_int_equal(f->last[0].outcome, RECV_RECEIPT_MISMATCH);
    const char *r3[] = {wrong, good};
    assert_int_equal(receive(f, r3, 2), 0);
    assert_int_equal(f->last[0].outcome, RECV_RECEIVED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_batch_and_receipt),
        cmocka_unit_test(test_bad_data),
        cmocka_unit_test(test_truncated_age),
        cmocka_unit_test(test_unlisted_giant_and_symlink),
        cmocka_unit_test(test_stranger),
        cmocka_unit_test(test_empty_stick),
        cmocka_unit_test(test_pulled_mid_copy),
        cmocka_unit_test(test_recover_interrupted),
        cmocka_unit_test(test_receipts),
    };
    return test_run_each(tests, setup, teardown);
}
