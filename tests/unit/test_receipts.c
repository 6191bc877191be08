/* test_receipts: the evaluation office's signed receipts on the kiosk's
 * side, against real files and a real database — a good receipt recorded
 * once (its batch, sessions and workshops acknowledged, an earlier clock
 * never dating it early), everything else on a stick ignored with a reason
 * (another key, a wrong hash or row count, a file name that does not match,
 * an unknown batch, a malformed text, a missing signature, a link), a
 * re-export's receipt acknowledging what it carried, the counts of
 * confirmed batches, and the staff export page reading a stick's receipts. */
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

#include "../../export/ack.h"
#include "../../export/sign.h"
#include "../../firmware/app/kiosk.h"
#include "../../firmware/app/retention.h"
#include "../../firmware/app/uitext.h"
#include "../../firmware/core/clock.h"
#include "../../firmware/core/config.h"
#include "../../firmware/core/log.h"
#include "../../firmware/storage/store_export.h"
#include "../../firmware/storage/store_responses.h"
#include "../../firmware/storage/store_stats.h"
#include "../../firmware/storage/store_workshop.h"
#include "../test_files.h"
#include "../test_locale.h"
#include "../test_main.h"
#include "../test_tmp.h"
#include "db_fixture.h"
#include "export_fixture.h"
#include "kiosk_fixture.h"

#define T0 1795000000000LL /* 2026-11-18 */
#define DAY (24LL * 60 * 60 * 1000)
#define B1 "K1-20261118-AAAA"
#define B2 "K1-20261118-BBBB"
#define B3 "K1-20261118-CCCC"
#define B4 "K1-20261118-DDDD"

typedef struct {
    StoreFixture sf;
    char received[192];
    SignKey *office, *other;
    char office_line[SIGN_PUBLIC_LINE];
} Fx;

static int setup(void **state)
{
    Fx *f = store_fixture_new(sizeof(Fx), "ks_receipts", T0, NULL);
    snprintf(f->received, sizeof f->received, "%s/KM2KIOSK/received", f->sf.stick);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "mkdir -p %s", f->received);
    assert_int_equal(system(cmd), 0);
    char path[160];
    snprintf(path, sizeof path, "%s/office.key", f->sf.dir);
    assert_int_equal(sign_key_create_minisign(path, &f->office), KS_OK);
    snprintf(path, sizeof path, "%s/other.key", f->sf.dir);
    assert_int_equal(sign_key_create_minisign(path, &f->other), KS_OK);
    SignPublic pub;
    sign_key_public(f->office, &pub);
    sign_public_line(&pub, f->office_line, sizeof f->office_line);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    Fx *f = *state;
    sign_key_destroy(f->office);
    sign_key_destroy(f->other);
    return store_fixture_teardown(state);
}

/* A complete session; misuse-flagged when asked. */
static int64_t session(Fx *f, bool misuse)
{
    int64_t id = plain_session(f->sf.store, ++f->sf.n, "f", T0, false, true);
    if (misuse)
        assert_int_equal(store_session_flag_misuse(f->sf.store, id, "fast"), KS_OK);
    return id;
}

/* A batch of the ledger whose tag-manifest hash is 64 times `tag`. */
static void batch(Fx *f, const char *id, int64_t at, const int64_t *ids, int n, int rows, char tag)
{
    ledger_batch(f->sf.store, id, at, rows, tag, ids, n, NULL, 0);
}

/* Writes <received>/<batch>.ack and its signature with key. */
static void receipt(Fx *f, const SignKey *key, const char *batch_id, char tag, int rows)
{
    AckInfo a = {.rows = rows};
    snprintf(a.batch_id, sizeof a.batch_id, "%s", batch_id);
    memset(a.tag_sha256, tag, 64);
    snprintf(a.received, sizeof a.received, "2026-12-07T10:11:12Z");
    assert_int_equal(ack_write(f->received, &a, key), KS_OK);
}

static RetentionAcks read_stick(Fx *f, int64_t now)
{
    RetentionAcks r;
    assert_int_equal(retention_read_acks(f->sf.store, f->office_line, f->sf.stick, now, &r), KS_OK);
    return r;
}

static void path_in(Fx *f, const char *name, char *out, size_t size)
{
    snprintf(out, size, "%s/%s", f->received, name);
}

/* ---- a good receipt ------------------------------------------------------ */

static void test_receipt_recorded_once(void **state)
{
    Fx *f = *state;
    int64_t ids[2] = {session(f, false), session(f, false)};
    int64_t waiting = session(f, false);
    batch(f, B1, T0 + DAY, ids, 2, 2, 'a');
    receipt(f, f->office, B1, 'a', 2);

    RetentionAcks r = read_stick(f, T0 + 20 * DAY);
    assert_int_equal(r.recorded, 1);
    assert_int_equal(r.known, 0);
    assert_int_equal(r.ignored, 0);
    StoreBatch b;
    assert_int_equal(store_batch_get(f->sf.store, B1, &b), KS_OK);
    assert_int_equal(b.acked_ms, T0 + 20 * DAY);
    assert_int_equal(b.ack_received_ms, 1796638272000LL); /* 2026-12-07T10:11:12Z */
    assert_int_equal(
        db_file_int(f->sf.db, "SELECT count(*) FROM session WHERE acked_at IS NOT NULL"), 2);
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT acked_at IS NULL FROM session WHERE id = %lld",
             (long long)waiting);
    assert_int_equal(db_file_int(f->sf.db, sql), 1);

    /* read again (the same stick, or the next export): nothing changes */
    r = read_stick(f, T0 + 25 * DAY);
    assert_int_equal(r.recorded, 0);
    assert_int_equal(r.known, 1);
    assert_int_equal(store_batch_get(f->sf.store, B1, &b), KS_OK);
    assert_int_equal(b.acked_ms, T0 + 20 * DAY);

    /* no key configured: nothing is read at all */
    assert_int_equal(retention_read_acks(f->sf.store, "", f->sf.stick, T0, &r), KS_OK);
    assert_int_equal(r.recorded + r.known + r.ignored, 0);
    assert_int_equal(retention_read_acks(f->sf.store, "RWnot-a-key", f->sf.stick, T0, &r),
                     KS_ERR_INVALID);
    /* a stick without the folder */
    char other[160];
    snprintf(other, sizeof other, "%s/empty", f->sf.dir);
    assert_int_equal(mkdir(other, 0700), 0);
    assert_int_equal(retention_read_acks(f->sf.store, f->office_line, other, T0, &r), KS_OK);
    assert_int_equal(r.recorded + r.known + r.ignored, 0);
}

/* A kiosk whose clock went back never dates a receipt before its batch, and
 * the office's own time of receipt counts when it is later. */
static void test_receipt_time_never_early(void **state)
{
    Fx *f = *state;
    int64_t a = session(f, false), b = session(f, false);
    batch(f, B1, T0 + DAY, &a, 1, 1, 'a');
    batch(f, B2, T0 + DAY, &b, 1, 1, 'b');
    StoreAck ack = {.batch_id = B1, .tag_sha256 = NULL, .rows = 1};
    char tag[65];
    memset(tag, 'a', 64);
    tag[64] = '\0';
    ack.tag_sha256 = tag;
    StoreAckResult res;
    assert_int_equal(store_batch_acknowledge(f->sf.store, &ack, T0 - 300 * DAY, &res), KS_OK);
    assert_true(res.recorded);
    assert_int_equal(res.sessions, 1);
    StoreBatch got;
    assert_int_equal(store_batch_get(f->sf.store, B1, &got), KS_OK);
    assert_int_equal(got.acked_ms, T0 + DAY);
    memset(tag, 'b', 64);
    ack.batch_id = B2;
    ack.received_ms = T0 + 9 * DAY;
    assert_int_equal(store_batch_acknowledge(f->sf.store, &ack, T0 - 300 * DAY, &res), KS_OK);
    assert_int_equal(store_batch_get(f->sf.store, B2, &got), KS_OK);
    assert_int_equal(got.acked_ms, T0 + 9 * DAY);
    /* the ledger's checks, without a file */
    ack.rows = 2;
    assert_int_equal(store_batch_acknowledge(f->sf.store, &ack, T0, &res), KS_ERR_CORRUPT);
    ack.batch_id = "K1-20990101-ZZZZ";
    assert_int_equal(store_batch_acknowledge(f->sf.store, &ack, T0, &res), KS_ERR_NOT_FOUND);
}

/* ---- everything else on a stick ----------------------------------------- */

static void test_bad_receipts_ignored(void **state)
{
    Fx *f = *state;
    int64_t s[4];
    for (int i = 0; i < 4; i++)
        s[i] = session(f, false);
    batch(f, B1, T0 + DAY, &s[0], 1, 1, 'a');
    batch(f, B2, T0 + DAY, &s[1], 1, 1, 'b');
    batch(f, B3, T0 + DAY, &s[2], 1, 1, 'c');
    batch(f, B4, T0 + DAY, &s[3], 1, 1, 'd');
    char a[256], b[256];

    /* B1's good receipt under B4's name (both files renamed) */
    receipt(f, f->office, B1, 'a', 1);
    path_in(f, B1 ".ack", a, sizeof a);
    path_in(f, B4 ".ack", b, sizeof b);
    assert_int_equal(rename(a, b), 0);
    path_in(f, B1 ".ack.minisig", a, sizeof a);
    path_in(f, B4 ".ack.minisig", b, sizeof b);
    assert_int_equal(rename(a, b), 0);
    receipt(f, f->other, B1, 'a', 1);                  /* forged: another key */
    receipt(f, f->office, B2, 'e', 1);                 /* another tag manifest */
    receipt(f, f->office, B3, 'c', 7);                 /* another row count */
    receipt(f, f->office, "K1-20990101-ZZZZ", 'a', 1); /* no batch of this kiosk */
    /* a malformed text, correctly signed */
    const char *junk = "KM2-Ack-Version: 1\nKM2-Batch-Id: " B1 "\nHello\n";
    char *sig = NULL;
    assert_int_equal(
        sign_minisig_create(f->office, (const unsigned char *)junk, strlen(junk), "junk", &sig),
        KS_OK);
    path_in(f, "K1-JUNK.ack", a, sizeof a);
    FILE *fp = fopen(a, "w");
    fputs(junk, fp);
    fclose(fp);
    path_in(f, "K1-JUNK.ack.minisig", a, sizeof a);
    fp = fopen(a, "w");
    fputs(sig, fp);
    fclose(fp);
    free(sig);
    /* a receipt without its signature */
    path_in(f, "K1-NOSIG.ack", a, sizeof a);
    fp = fopen(a, "w");
    fputs("KM2-Ack-Version: 1\n", fp);
    fclose(fp);
    /* a link (to a good receipt elsewhere) is not a file of the stick */
    path_in(f, "K1-LINK.ack", a, sizeof a);
    assert_int_equal(symlink("/etc/hostname", a), 0);
    /* a desktop's leftover beside them, and a folder named like a receipt */
    path_in(f, "._" B1 ".ack", a, sizeof a);
    fp = fopen(a, "w");
    fputs("\x00\x05\x16\x07", fp);
    fclose(fp);
    path_in(f, "K1-DIR.ack", a, sizeof a);
    assert_int_equal(mkdir(a, 0700), 0);

    RetentionAcks r = read_stick(f, T0 + 10 * DAY);
    assert_int_equal(r.recorded, 0);
    assert_int_equal(r.known, 0);
    assert_int_equal(r.ignored, 9);
    assert_int_equal(db_file_int(f->sf.db, "SELECT count(*) FROM batch WHERE acked_at IS NOT NULL"),
                     0);
    assert_int_equal(
        db_file_int(f->sf.db, "SELECT count(*) FROM session WHERE acked_at IS NOT NULL"), 0);

    /* the good one among them is taken */
    receipt(f, f->office, B3, 'c', 1);
    r = read_stick(f, T0 + 10 * DAY);
    assert_int_equal(r.recorded, 1);
    assert_int_equal(r.ignored, 8);
    assert_int_equal(db_file_int(f->sf.db, "SELECT count(*) FROM batch WHERE acked_at IS NOT NULL"),
                     1);
}

/* ---- re-exports ----------------------------------------------------------- */

static void test_reexport_receipt(void **state)
{
    Fx *f = *state;
    int64_t ids[3] = {session(f, false), session(f, false), session(f, true)};
    batch(f, B1, T0 + DAY, ids, 3, 3, 'a');
    /* re-exports record the batch they repeat; a look-alike id does not */
    batch(f, B1 "-RAAAA", T0 + 2 * DAY, NULL, 0, 1, 'b'); /* held back: 1 row */
    batch(f, B1 "-RBBBB", T0 + 3 * DAY, NULL, 0, 2, 'c'); /* misuse left out */
    batch(f, B1 "-RCCCC", T0 + 4 * DAY, NULL, 0, 3, 'd'); /* all of them */
    batch(f, "K1-20261119-EEEE-RDDDD", T0 + 4 * DAY, NULL, 0, 0, 'e');
    StoreBatch b;
    assert_int_equal(store_batch_get(f->sf.store, B1 "-RBBBB", &b), KS_OK);
    assert_string_equal(b.redo_of, B1);
    assert_int_equal(store_batch_get(f->sf.store, "K1-20261119-EEEE-RDDDD", &b), KS_OK);
    assert_string_equal(b.redo_of, "");
    assert_int_equal(store_batch_get(f->sf.store, B1, &b), KS_OK);
    assert_string_equal(b.redo_of, "");

    StoreAckCounts c;
    assert_int_equal(store_stats_acks(f->sf.store, &c), KS_OK);
    assert_int_equal(c.acked, 0);
    assert_int_equal(c.unacked, 5);
    assert_int_equal(c.oldest_unacked_ms, T0 + DAY);

    /* a row count that fits neither all nor the unflagged: none */
    receipt(f, f->office, B1 "-RAAAA", 'b', 1);
    RetentionAcks r = read_stick(f, T0 + 30 * DAY);
    assert_int_equal(r.recorded, 1);
    assert_int_equal(
        db_file_int(f->sf.db, "SELECT count(*) FROM session WHERE acked_at IS NOT NULL"), 0);
    /* ... but the office has the batch's family now */
    assert_int_equal(store_stats_acks(f->sf.store, &c), KS_OK);
    assert_int_equal(c.acked, 4);
    assert_int_equal(c.unacked, 1);
    assert_int_equal(c.oldest_unacked_ms, T0 + 4 * DAY);

    /* the unflagged two went out in the second re-export */
    receipt(f, f->office, B1 "-RBBBB", 'c', 2);
    r = read_stick(f, T0 + 31 * DAY);
    assert_int_equal(r.recorded, 1);
    assert_int_equal(r.known, 1);
    assert_int_equal(
        db_file_int(f->sf.db, "SELECT count(*) FROM session WHERE acked_at IS NOT NULL"), 2);
    assert_int_equal(db_file_int(f->sf.db, "SELECT count(*) FROM session WHERE acked_at IS NOT NULL"
                                           " AND misuse IS NOT NULL"),
                     0);
    /* and all three in the third; the first two keep their earlier date */
    receipt(f, f->office, B1 "-RCCCC", 'd', 3);
    r = read_stick(f, T0 + 32 * DAY);
    assert_int_equal(r.recorded, 1);
    assert_int_equal(
        db_file_int(f->sf.db, "SELECT count(*) FROM session WHERE acked_at IS NOT NULL"), 3);
    assert_int_equal(db_file_int(f->sf.db, "SELECT count(DISTINCT acked_at) FROM session"), 2);
}

/* ---- the staff export page ----------------------------------------------- */

static void test_staff_export_page_reads_receipts(void **state)
{
    Fx *f = *state;
    assert_true(test_ui_texts());
    Catalog *cat = NULL;
    assert_int_equal(catalog_load("tests/fixtures/forms/sample", &cat), KS_OK);
    int64_t a = session(f, false), b = session(f, false);
    batch(f, B1, T0 - 40 * DAY, &a, 1, 1, 'a');
    batch(f, B2, T0 - 35 * DAY, &b, 1, 1, 'b');
    receipt(f, f->office, B1, 'a', 1);
    receipt(f, f->other, B2, 'b', 1);

    KsConfig cfg;
    config_defaults(&cfg);
    snprintf(cfg.eval_pubkey, sizeof cfg.eval_pubkey, "%s", f->office_line);
    snprintf(cfg.usb_root, sizeof cfg.usb_root, "%s", f->sf.media);
    snprintf(cfg.usb_mounts, sizeof cfg.usb_mounts, "%s/mounts", f->sf.dir);
    FILE *fp = fopen(cfg.usb_mounts, "w");
    fprintf(fp, "/dev/sdz1 %s vfat rw 0 0\n", f->sf.stick);
    fclose(fp);
    Kiosk *k = kiosk_create(&cfg, cat, f->sf.store, KS_OK);
    /* the start-up deletion waits for receipts: both old batches stay */
    assert_int_equal(db_file_int(f->sf.db, "SELECT count(*) FROM session"), 2);
    kiosk_set_db_path(k, f->sf.db);
    staff_in(k, "2468");
    const KsView *v = kiosk_view(k);
    assert_int_equal(v->screen, KS_SCREEN_STAFF_OVERVIEW);
    assert_non_null(strstr(v->message, "Vom Auswertungsbüro noch nicht bestätigt: 2 Exporte"
                                       " (seit 2026-10-09)"));
    tap(k, "staff:export");
    v = kiosk_view(k);
    assert_non_null(strstr(v->message, "Das Auswertungsbüro hat 1 Export bestätigt."));
    assert_non_null(strstr(v->message, "1 Empfangsbestätigung auf dem Stick wurde nicht"
                                       " angenommen"));
    assert_int_equal(db_file_int(f->sf.db, "SELECT count(*) FROM batch WHERE acked_at IS NOT NULL"),
                     1);
    tap(k, "staff:overview");
    v = kiosk_view(k);
    assert_non_null(strstr(v->message, "Vom Auswertungsbüro noch nicht bestätigt: 1 Export"
                                       " (seit 2026-10-14)"));
    kiosk_destroy(k);
    catalog_destroy(cat);
}

int main(void)
{
    test_quiet_log();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_receipt_recorded_once),
        cmocka_unit_test(test_receipt_time_never_early),
        cmocka_unit_test(test_bad_receipts_ignored),
        cmocka_unit_test(test_reexport_receipt),
        cmocka_unit_test(test_staff_export_page_reads_receipts),
    };
    return test_run_each(tests, setup, teardown);
}
