/* test_usb: stick detection from a mount-table fixture, FAT-safe names, the
 * safe copy with its read-back and its progress tick (which can stop it),
 * leftovers cleaned, and the fault hook: every
 * mutating step of a copy fails in turn (as a full, read-only or pulled
 * stick) and the stick never holds a finished batch. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../firmware/core/log.h"
#include "../../firmware/sys/safe_copy.h"
#include "../../firmware/sys/usb.h"
#include "../test_files.h"
#include "../test_main.h"
#include "../test_tmp.h"

#define MOUNTS "tests/fixtures/usb/mounts"

typedef struct {
    char dir[64];
    char src[128];
    char dest[128]; /* the stick's KM2KIOSK folder */
} Fixture;

static int count_entries(const char *dir)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "ls -A '%s' 2>/dev/null | wc -l", dir);
    FILE *p = popen(cmd, "r");
    int n = -1;
    if (p) {
        if (fscanf(p, "%d", &n) != 1)
            n = -1;
        pclose(p);
    }
    return n;
}

static int setup(void **state)
{
    Fixture *f = TEST_FIXTURE_NEW(Fixture, "ks_usb");
    snprintf(f->src, sizeof f->src, "%s/bag", f->dir);
    snprintf(f->dest, sizeof f->dest, "%s/stick/KM2KIOSK", f->dir);
    test_mkdir(0700, "%s", f->src);
    test_mkdir(0700, "%s/stick", f->dir);
    test_mkdir(0700, "%s/data", f->src);
    test_write_in(f->src, "bagit.txt", "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n");
    test_write_in(f->src, "data/responses.csv", "id,alter\nA1,8\nB2,9\n");
    test_write_in(f->src, "data/empty.txt", "");
    /* A file larger than one copy chunk, so writes happen more than once. */
    char p[256];
    snprintf(p, sizeof p, "%s/data/big.bin", f->src);
    FILE *b = fopen(p, "w");
    assert_non_null(b);
    for (int i = 0; i < 200000; i++)
        fputc(i * 7 % 251, b);
    fclose(b);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    Fixture *f = *state;
    safe_copy_fault_fail_nth(0, 0);
    test_fixture_free(f, f->dir);
    return 0;
}

static void test_mount_table(void **state)
{
    (void)state;
    UsbStick s;
    assert_int_equal(usb_find(MOUNTS, "/media", &s), KS_OK);
    assert_string_equal(s.mount, "/media/kiosk/MY STICK"); /* \040 decoded */
    assert_string_equal(s.device, "/dev/sda1");
    assert_string_equal(s.fstype, "vfat");
    assert_true(s.read_only);
    assert_int_equal(usb_count(MOUNTS, "/media"), 2);
    assert_int_equal(usb_count(MOUNTS, "/media/"), 2);
    /* /mediathek is not below /media, /media itself is not a stick. */
    assert_int_equal(usb_find(MOUNTS, "/media/kiosk/SECOND", &s), KS_ERR_NOT_FOUND);
    assert_int_equal(usb_find(MOUNTS, "/mnt", &s), KS_ERR_NOT_FOUND);
    assert_int_equal(usb_find(MOUNTS, "/boot", &s), KS_OK);
    assert_false(s.read_only);
    assert_int_equal(usb_find("/nonexistent/mounts", "/media", &s), KS_ERR_IO);
    /* The real table can be read (whatever it holds). */
    KsStatus st = usb_find(NULL, "/media", &s);
    assert_true(st == KS_OK || st == KS_ERR_NOT_FOUND);
}

static void test_fat_names(void **state)
{
    (void)state;
    assert_true(usb_name_is_fat_safe("KIOSK1-20261124-7Q4M"));
    assert_true(usb_name_is_fat_safe("kiosk 1.pub"));
    assert_true(usb_name_is_fat_safe("Ünïcode-ok.txt"));
    const char *bad[] = {"",    ".",   "..",   "a:b", "a*",        "a?",        "a\"b",     "a<b",
                         "a>b", "a|b", "a\\b", "a/b", "trailing.", "trailing ", "tab\tname"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_false(usb_name_is_fat_safe(bad[i]));
    char longname[300];
    memset(longname, 'A', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    assert_false(usb_name_is_fat_safe(longname));
}

static void assert_same_tree(const char *a, const char *b)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "diff -r '%s' '%s' >/dev/null", a, b);
    assert_int_equal(system(cmd), 0);
}

static void test_copy_and_read_back(void **state)
{
    Fixture *f = *state;
    char final[256];
    assert_int_equal(safe_copy_dir(f->src, f->dest, "B-1", NULL, NULL), KS_OK);
    snprintf(final, sizeof final, "%s/B-1", f->dest);
    assert_same_tree(f->src, final);
    assert_int_equal(count_entries(f->dest), 1); /* no _PARTIAL_ left */
    /* The same name twice is refused, the first copy stays. */
    assert_int_equal(safe_copy_dir(f->src, f->dest, "B-1", NULL, NULL), KS_ERR_EXISTS);
    assert_same_tree(f->src, final);
    /* Unsafe names never reach the stick. */
    assert_int_equal(safe_copy_dir(f->src, f->dest, "B:2", NULL, NULL), KS_ERR_INVALID);
    assert_int_equal(safe_copy_dir(f->src, f->dest, "_PARTIAL_X", NULL, NULL), KS_ERR_INVALID);
    /* A single file, replaced atomically. */
    char src[256];
    snprintf(src, sizeof src, "%s/bagit.txt", f->src);
    assert_int_equal(safe_copy_file(src, f->dest, "k.pub", NULL, NULL), KS_OK);
    assert_int_equal(safe_copy_file(src, f->dest, "k.pub", NULL, NULL), KS_OK);
    assert_true(test_exists("%s/k.pub", f->dest));
    assert_int_equal(count_entries(f->dest), 2);
    /* Discard removes it, and a missing name is fine. */
    assert_int_equal(safe_copy_discard(f->dest, "B-1"), KS_OK);
    assert_false(test_exists("%s/B-1", f->dest));
    assert_int_equal(safe_copy_discard(f->dest, "B-1"), KS_OK);
}

/* What a copy's tick heard: the last of each pass, and where the passes
 * changed. */
typedef struct {
    int calls, switches, last_pass;
    int files[2];
    uint64_t bytes[2];
    int stop_after; /* return false on this call (0: never) */
} Heard;

static bool heard(void *ctx, int reading_back, int files, uint64_t bytes)
{
    Heard *h = ctx;
    h->calls++;
    if (reading_back != h->last_pass)
        h->switches++;
    h->last_pass = reading_back;
    assert_true(files >= h->files[reading_back]);
    assert_true(bytes >= h->bytes[reading_back]);
    h->files[reading_back] = files;
    h->bytes[reading_back] = bytes;
    return h->calls != h->stop_after;
}

/* The tick hears the writing pass, then the read-back pass, each ending
 * with every file and byte; asked to stop, a copy leaves nothing finished. */
static void test_copy_tick(void **state)
{
    Fixture *f = *state;
    const uint64_t total = 54 + 19 + 0 + 200000; /* bagit.txt, responses.csv, empty, big */
    Heard h = {0};
    assert_int_equal(safe_copy_dir(f->src, f->dest, "B-1", heard, &h), KS_OK);
    assert_int_equal(h.switches, 1); /* writing (0) first, then reading back (1) */
    assert_int_equal(h.files[0], 4);
    assert_int_equal(h.files[1], 4);
    assert_true(h.bytes[0] == total && h.bytes[1] == total);
    assert_true(h.calls > 8);
    for (int stop = 1; stop < h.calls; stop += 3) {
        Heard s = {.stop_after = stop};
        assert_int_equal(safe_copy_dir(f->src, f->dest, "B-2", heard, &s), KS_ERR_IO);
        assert_false(test_exists("%s/B-2", f->dest));
        assert_int_equal(safe_copy_clean(f->dest), KS_OK);
    }
}

static void test_clean_leftovers(void **state)
{
    Fixture *f = *state;
    char p[256];
    test_mkdir(0755, "%s", f->dest);
    test_mkdir(0755, "%s/_PARTIAL_OLD", f->dest);
    test_write_in(f->dest, "_PARTIAL_OLD/x.csv", "1\n");
    test_write_in(f->dest, "_PARTIAL_k.pub", "half");
    test_mkdir(0755, "%s/KEEP-1", f->dest);
    assert_int_equal(safe_copy_clean(f->dest), KS_OK);
    assert_int_equal(count_entries(f->dest), 1);
    assert_true(test_exists("%s/KEEP-1", f->dest));
    snprintf(p, sizeof p, "%s/none", f->dir);
    assert_int_equal(safe_copy_clean(p), KS_OK);
}

/* Fails every mutating step of a copy in turn, with the errno a full, a
 * read-only and a pulled stick give. Each failure leaves no finished copy
 * and reports the matching status; the next clean leaves the stick as it
 * was. */
static void fail_each_step(Fixture *f, bool dir, int err, KsStatus want)
{
    char src[256];
    const char *name = dir ? "B-2" : "k.pub";
    snprintf(src, sizeof src, "%s/bagit.txt", f->src);
    int steps = 0;
    for (int n = 1; n < 500; n++) {
        safe_copy_fault_fail_nth(n, err);
        KsStatus st = dir ? safe_copy_dir(f->src, f->dest, name, NULL, NULL)
                          : safe_copy_file(src, f->dest, name, NULL, NULL);
        int seen = safe_copy_fault_count();
        safe_copy_fault_fail_nth(0, 0);
        if (n > seen) { /* the fault was never reached: a clean run */
            assert_int_equal(st, KS_OK);
            assert_int_equal(safe_copy_discard(f->dest, name), KS_OK);
            steps = n - 1;
            break;
        }
        if (st == KS_OK) {
            /* Only a failure in clean-up after the fact may go unnoticed;
             * the copy must then be complete. */
            char final[256];
            snprintf(final, sizeof final, "%s/%s", f->dest, name);
            if (dir)
                assert_same_tree(f->src, final);
            assert_int_equal(safe_copy_discard(f->dest, name), KS_OK);
        } else {
            if (st != want)
                print_error("step %d of %s with errno %d: %s\n", n, name, err, ks_status_str(st));
            assert_int_equal(st, want);
            assert_false(test_exists("%s/%s", f->dest, name));
        }
        assert_int_equal(safe_copy_clean(f->dest), KS_OK);
        int left = count_entries(f->dest);
        assert_true(left <= 0);
    }
    assert_true(steps > (dir ? 10 : 4));
}

static void test_fault_full(void **state)
{
    fail_each_step(*state, true, ENOSPC, KS_ERR_FULL);
    fail_each_step(*state, false, ENOSPC, KS_ERR_FULL);
}

static void test_fault_readonly(void **state)
{
    fail_each_step(*state, true, EROFS, KS_ERR_STATE);
    fail_each_step(*state, false, EACCES, KS_ERR_STATE);
}

static void test_fault_pulled(void **state)
{
    fail_each_step(*state, true, EIO, KS_ERR_IO);
    fail_each_step(*state, true, ENOENT, KS_ERR_IO);
    fail_each_step(*state, false, EIO, KS_ERR_IO);
}

/* Eject: a sync, then the helper; a helper that fails (no right to
 * unmount) still ends in "synced" (it can be pulled now). */
static void test_eject(void **state)
{
    Fixture *f = *state;
    UsbStick s;
    memset(&s, 0, sizeof s);
    snprintf(s.mount, sizeof s.mount, "%s/stick", f->dir);
    assert_int_equal(usb_refresh(&s), KS_OK);
    assert_true(s.free_bytes > 0 && s.total_bytes >= s.free_bytes);
    assert_int_equal(usb_eject(&s, "true"), USB_EJECTED);
    assert_int_equal(usb_eject(&s, "false"), USB_EJECT_SYNCED);
    assert_int_equal(usb_eject(&s, "/nonexistent/helper"), USB_EJECT_SYNCED);
    /* A helper of several words gets the mount point last, as
     * "systemd-mount --umount MOUNT" needs: `test -d MOUNT` succeeds only
     * when it is passed, `test -f MOUNT` fails on a folder. */
    assert_int_equal(usb_eject(&s, "test  -d"), USB_EJECTED);
    assert_int_equal(usb_eject(&s, "test -f"), USB_EJECT_SYNCED);
    snprintf(s.mount, sizeof s.mount, "%s/gone", f->dir);
    assert_int_equal(usb_eject(&s, "true"), USB_EJECT_GONE);
    assert_int_equal(usb_refresh(&s), KS_ERR_NOT_FOUND);
}

int main(void)
{
    test_quiet_log();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mount_table),
        cmocka_unit_test(test_fat_names),
        cmocka_unit_test(test_copy_and_read_back),
        cmocka_unit_test(test_copy_tick),
        cmocka_unit_test(test_clean_leftovers),
        cmocka_unit_test(test_fault_full),
        cmocka_unit_test(test_fault_readonly),
        cmocka_unit_test(test_fault_pulled),
        cmocka_unit_test(test_eject),
    };
    return test_run_each(tests, setup, teardown);
}
