/* test_ack: the office's receipt. Its exact text, the strict parser against
 * every malformed shape, writing it durably (no temporary file left, no
 * half-written pair after a failed step, ENOSPC and EROFS reported as such)
 * and reading it back: `minisign -V` verifies what we sign, and a receipt
 * renamed, edited, signed by another key or without its signature is
 * refused. A missing tool fails the test, it never skips. */
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

#include "../../export/ack.h"
#include "../../export/bagit.h"
#include "../../export/sign.h"
#include "../../firmware/core/ks_status.h"
#include "../test_files.h"
#include "../test_tmp.h"

#define HASH "5cc07dbba2fae4bf65234a278e96f2f688943d1deb5666476bb2fee43e4084f0"

typedef struct {
    char dir[64];
    char received[128]; /* <dir>/received, the stick's KM2KIOSK/received */
    SignKey *office;
    SignPublic office_pub;
} Fixture;

static int fixture_setup(void **state)
{
    Fixture *f = TEST_FIXTURE_NEW(Fixture, "ks_ack");
    char key[128];
    snprintf(f->received, sizeof f->received, "%s/%s", f->dir, ACK_DIR_NAME);
    assert_int_equal(mkdir(f->received, 0755), 0);
    snprintf(key, sizeof key, "%s/office.key", f->dir);
    assert_int_equal(sign_key_create_minisign(key, &f->office), KS_OK);
    sign_key_public(f->office, &f->office_pub);
    *state = f;
    return 0;
}

static int fixture_teardown(void **state)
{
    Fixture *f = *state;
    bagit_fault_fail_nth(0, 0);
    sign_key_destroy(f->office);
    test_fixture_free(f, f->dir);
    return 0;
}

static AckInfo sample(void)
{
    AckInfo a = {.rows = 42};
    strcpy(a.batch_id, "KIOSK1-20261124-7Q4M");
    strcpy(a.tag_sha256, HASH);
    strcpy(a.received, "2026-12-07T10:11:12Z");
    return a;
}

static const char SAMPLE_TEXT[] = "KM2-Ack-Version: 1\n"
                                  "KM2-Batch-Id: KIOSK1-20261124-7Q4M\n"
                                  "KM2-Tagmanifest-SHA256: " HASH "\n"
                                  "KM2-Rows: 42\n"
                                  "KM2-Received: 2026-12-07T10:11:12Z\n";

static void test_format(void **state)
{
    (void)state;
    char buf[ACK_TEXT_MAX];
    AckInfo a = sample(), back;
    assert_int_equal(ack_format(&a, buf, sizeof buf), KS_OK);
    assert_string_equal(buf, SAMPLE_TEXT);
    assert_int_equal(ack_parse(buf, strlen(buf), &back), KS_OK);
    assert_memory_equal(&a, &back, sizeof a);

    /* An upper-case hash is written lower case; rows 0 is fine. */
    AckInfo b = sample();
    for (char *c = b.tag_sha256; *c; c++)
        if (*c >= 'a' && *c <= 'f')
            *c = (char)(*c - 'a' + 'A');
    b.rows = 0;
    assert_int_equal(ack_format(&b, buf, sizeof buf), KS_OK);
    assert_non_null(strstr(buf, HASH));
    assert_non_null(strstr(buf, "KM2-Rows: 0\n"));

    /* What may not go into a receipt. */
    const char *BAD_IDS[] = {
        "",   "a/b",      "a:b",     "..",
        "x.", "KIOSK1\n", "Kiosk-ä", "012345678901234567890123456789012345678901234567"};
    for (size_t i = 0; i < sizeof BAD_IDS / sizeof BAD_IDS[0]; i++) {
        b = sample();
        snprintf(b.batch_id, sizeof b.batch_id, "%s", BAD_IDS[i]);
        if (strlen(BAD_IDS[i]) >= sizeof b.batch_id) /* one too long: fill without a NUL */
            memset(b.batch_id, 'A', sizeof b.batch_id);
        if (ack_format(&b, buf, sizeof buf) != KS_ERR_INVALID)
            fail_msg("batch id %zu accepted", i);
    }
    b = sample();
    b.tag_sha256[63] = '\0';
    assert_int_equal(ack_format(&b, buf, sizeof buf), KS_ERR_INVALID);
    b = sample();
    b.tag_sha256[10] = 'g';
    assert_int_equal(ack_format(&b, buf, sizeof buf), KS_ERR_INVALID);
    b = sample();
    b.rows = -1;
    assert_int_equal(ack_format(&b, buf, sizeof buf), KS_ERR_INVALID);
    const char *BAD_TIMES[] = {"",
                               "2026-12-07 10:11:12Z",
                               "2026-13-07T10:11:12Z",
                               "2026-12-07T24:00:00Z",
                               "2026-12-07T10:11:12",
                               "2026-12-07T10:11:12+01"};
    for (size_t i = 0; i < sizeof BAD_TIMES / sizeof BAD_TIMES[0]; i++) {
        b = sample();
        snprintf(b.received, sizeof b.received, "%s", BAD_TIMES[i]);
        assert_int_equal(ack_format(&b, buf, sizeof buf), KS_ERR_INVALID);
    }
    /* A buffer too small. */
    assert_int_equal(ack_format(&a, buf, 40), KS_ERR_FULL);
}

/* One field replaced (or removed, or added) in the sample text. */
static void variant(char *out, size_t size, const char *from, const char *to)
{
    const char *at = strstr(SAMPLE_TEXT, from);
    assert_non_null(at);
    snprintf(out, size, "%.*s%s%s", (int)(at - SAMPLE_TEXT), SAMPLE_TEXT, to, at + strlen(from));
}

static void test_parse_malformed(void **state)
{
    (void)state;
    static const struct {
        const char *from, *to;
    } EDITS[] = {
        {"KM2-Ack-Version: 1\n", ""}, /* a line missing */
        {"KM2-Rows: 42\n", ""},
        {"KM2-Received: 2026-12-07T10:11:12Z\n", ""},
        {"KM2-Rows: 42\n", "KM2-Rows: 42\nKM2-Rows: 42\n"}, /* twice */
        {"KM2-Rows: 42\n", "KM2-Rows: 42\nKM2-Note: hi\n"}, /* something else */
        {"KM2-Rows: 42\n", "KM2-Rows: 42\n\n"},             /* an empty line */
        {"KM2-Ack-Version: 1", "KM2-Ack-Version: 2"},
        {"KM2-Rows: 42", "KM2-Rows: -1"},
        {"KM2-Rows: 42", "KM2-Rows: +42"},
        {"KM2-Rows: 42", "KM2-Rows: 042"},
        {"KM2-Rows: 42", "KM2-Rows: 99999999999"},
        {"KM2-Rows: 42", "KM2-Rows: 2147483648"},
        {"KM2-Rows: 42", "KM2-Rows: 4 2"},
        {"KM2-Rows: 42", "KM2-Rows:  42"},
        {"KM2-Rows: 42", "KM2-Rows:42"},
        {"KM2-Rows: 42", "KM2-Rows: "},
        {"KM2-Rows: 42", "km2-rows: 42"},
        {"KM2-Rows: 42\n", "KM2-Rows: 42\r\n"},
        {"5cc07", "5CC07"},  /* upper-case hash */
        {"5cc07", "5cc0"},   /* 63 digits */
        {"5cc07", "5cc07a"}, /* 65 */
        {"KIOSK1-20261124-7Q4M", "../x"},
        {"KIOSK1-20261124-7Q4M", "a\\b"},
        {"KIOSK1-20261124-7Q4M", "KIOSK1-20261124-7Q4M-with-a-name-far-too-long-to-be-one"},
        {"2026-12-07T10:11:12Z", "2026-12-07T10:11:12"},
        {"2026-12-07T10:11:12Z", "2026-00-07T10:11:12Z"},
        {"2026-12-07T10:11:12Z", "yesterday"},
        {"KM2-Received: 2026-12-07T10:11:12Z\n", "KM2-Received: 2026-12-07T10:11:12Z"}, /* no LF */
    };
    char text[ACK_TEXT_MAX * 2];
    AckInfo a;
    assert_int_equal(ack_parse(SAMPLE_TEXT, strlen(SAMPLE_TEXT), &a), KS_OK);
    for (size_t i = 0; i < sizeof EDITS / sizeof EDITS[0]; i++) {
        variant(text, sizeof text, EDITS[i].from, EDITS[i].to);
        if (ack_parse(text, strlen(text), &a) != KS_ERR_PARSE)
            fail_msg("edit %zu accepted:\n%s", i, text);
        assert_string_equal(a.batch_id, "");
    }
    /* Another order is still the same receipt. */
    variant(text, sizeof text, "KM2-Ack-Version: 1\n", "");
    strcat(text, "KM2-Ack-Version: 1\n");
    assert_int_equal(ack_parse(text, strlen(text), &a), KS_OK);
    assert_int_equal(a.rows, 42);
    /* A NUL inside, nothing at all, more than ACK_TEXT_MAX. */
    memcpy(text, SAMPLE_TEXT, sizeof SAMPLE_TEXT);
    text[20] = '\0';
    assert_int_equal(ack_parse(text, strlen(SAMPLE_TEXT), &a), KS_ERR_PARSE);
    assert_int_equal(ack_parse("", 0, &a), KS_ERR_PARSE);
    memset(text, '\n', sizeof text);
    memcpy(text, SAMPLE_TEXT, strlen(SAMPLE_TEXT));
    assert_int_equal(ack_parse(text, ACK_TEXT_MAX + 1, &a), KS_ERR_PARSE);
}

static void test_write_read(void **state)
{
    Fixture *f = *state;
    char path[320], line[SIGN_PUBLIC_LINE], other_key[256];
    AckInfo a = sample(), back;
    SignKey *other = NULL;
    SignPublic other_pub;

    assert_int_equal(ack_write(f->received, &a, f->office), KS_OK);
    snprintf(path, sizeof path, "%s/%s.ack", f->received, a.batch_id);
    /* Exactly the two files, no temporary one; minisign -V agrees. */
    assert_int_equal(
        test_run("cd '%s' && test \"$(ls -A | tr '\\n' ' ')\" = '%s.ack %s.ack.minisig '",
                 f->received, a.batch_id, a.batch_id),
        0);
    assert_int_equal(test_run("cmp -s '%s' - <<'EOF'\n%sEOF", path, SAMPLE_TEXT), 0);
    sign_public_line(&f->office_pub, line, sizeof line);
    assert_int_equal(test_run("minisign -Vm '%s' -P '%s' >/dev/null", path, line), 0);
    assert_int_equal(ack_read(path, &f->office_pub, &back), KS_OK);
    assert_memory_equal(&a, &back, sizeof a);

    /* Written again (a receipt may be renewed): replaced, still valid. */
    a.rows = 43;
    assert_int_equal(ack_write(f->received, &a, f->office), KS_OK);
    assert_int_equal(ack_read(path, &f->office_pub, &back), KS_OK);
    assert_int_equal(back.rows, 43);

    /* Another office key: refused. */
    snprintf(other_key, sizeof other_key, "%s/other.key", f->dir);
    assert_int_equal(sign_key_create_minisign(other_key, &other), KS_OK);
    sign_key_public(other, &other_pub);
    assert_int_equal(ack_read(path, &other_pub, &back), KS_ERR_CORRUPT);
    assert_string_equal(back.batch_id, "");

    /* Renamed (signature and all) to another batch's name: refused. */
    char moved[256];
    snprintf(moved, sizeof moved, "%s/KIOSK1-20261201-AAAA.ack", f->received);
    assert_int_equal(
        test_run("cp '%s' '%s' && cp '%s.minisig' '%s.minisig'", path, moved, path, moved), 0);
    assert_int_equal(ack_read(moved, &f->office_pub, &back), KS_ERR_CORRUPT);
    snprintf(moved, sizeof moved, "%s/%s.txt", f->received, a.batch_id); /* same length */
    assert_int_equal(
        test_run("cp '%s' '%s' && cp '%s.minisig' '%s.minisig'", path, moved, path, moved), 0);
    assert_int_equal(ack_read(moved, &f->office_pub, &back), KS_ERR_CORRUPT);
    snprintf(moved, sizeof moved, "%s/KIOSK1-20261201-AAAA.ack", f->received);

    /* Edited after signing: refused. */
    assert_int_equal(test_run("sed -i 's/KM2-Rows: 43/KM2-Rows: 44/' '%s'", moved), 0);
    assert_int_equal(test_run("cp '%s.minisig' '%s.minisig'", path, moved), 0);
    assert_int_equal(ack_read(moved, &f->office_pub, &back), KS_ERR_CORRUPT);

    /* Signed by the office key but malformed (minisign itself signs it). */
    snprintf(moved, sizeof moved, "%s/odd.ack", f->received);
    test_write_text(moved, "KM2-Ack-Version: 1\nhello\n");
    assert_int_equal(
        test_run("minisign -S -s '%s/office.key' -m '%s' </dev/null >/dev/null", f->dir, moved), 0);
    assert_int_equal(ack_read(moved, &f->office_pub, &back), KS_ERR_PARSE);

    /* A well-formed receipt signed by another key: refused. */
    AckInfo c = sample();
    assert_int_equal(ack_write(f->dir, &c, other), KS_OK);
    snprintf(moved, sizeof moved, "%s/%s.ack", f->dir, c.batch_id);
    assert_int_equal(ack_read(moved, &f->office_pub, &back), KS_ERR_CORRUPT);

    /* The signature missing, malformed; the receipt missing, huge, a
     * symlink. */
    assert_int_equal(test_run("rm '%s.minisig'", moved), 0);
    assert_int_equal(ack_read(moved, &f->office_pub, &back), KS_ERR_NOT_FOUND);
    test_write_text(moved, SAMPLE_TEXT);
    snprintf(path, sizeof path, "%s.minisig", moved);
    test_write_text(path, "untrusted comment: x\nnot base64\n");
    assert_int_equal(ack_read(moved, &f->office_pub, &back), KS_ERR_PARSE);
    snprintf(path, sizeof path, "%s/nothing.ack", f->dir);
    assert_int_equal(ack_read(path, &f->office_pub, &back), KS_ERR_NOT_FOUND);
    assert_int_equal(test_run("head -c 600 /dev/zero > '%s'", moved), 0);
    assert_int_equal(ack_read(moved, &f->office_pub, &back), KS_ERR_PARSE);
    snprintf(path, sizeof path, "%s/%s.ack", f->received, a.batch_id);
    snprintf(moved, sizeof moved, "%s/link/%s.ack", f->dir, a.batch_id);
    assert_int_equal(test_run("mkdir '%s/link' && ln -s '%s' '%s' && cp '%s.minisig' '%s.minisig'",
                              f->dir, path, moved, path, moved),
                     0);
    assert_int_equal(ack_read(moved, &f->office_pub, &back), KS_ERR_IO);

    /* A receipt we refuse to write leaves nothing. */
    c.rows = -5;
    assert_int_equal(ack_write(f->dir, &c, f->office), KS_ERR_INVALID);
    sign_key_destroy(other);
}

/* Every failing step of the two durable writes: the right status, and no
 * half-written pair or temporary file left behind. */
static void test_write_failures(void **state)
{
    Fixture *f = *state;
    AckInfo a = sample(), back;
    char path[256];
    snprintf(path, sizeof path, "%s/%s.ack", f->received, a.batch_id);

    /* Steps: open, write, fsync, rename of the signature, then the same
     * four for the receipt. */
    for (int n = 1; n <= 8; n++) {
        const int ERRS[] = {ENOSPC, EROFS, EIO};
        const KsStatus WANT[] = {KS_ERR_FULL, KS_ERR_STATE, KS_ERR_IO};
        for (int e = 0; e < 3; e++) {
            bagit_fault_fail_nth(n, ERRS[e]);
            KsStatus st = ack_write(f->received, &a, f->office);
            bagit_fault_fail_nth(0, 0);
            if (st != WANT[e])
                fail_msg("step %d, errno %d: %s", n, ERRS[e], ks_status_str(st));
            assert_int_equal(test_run("test -z \"$(ls -A '%s')\"", f->received), 0);
        }
    }
    assert_int_equal(ack_write(f->received, &a, f->office), KS_OK);
    assert_int_equal(ack_read(path, &f->office_pub, &back), KS_OK);

    /* A folder that is not there. */
    snprintf(path, sizeof path, "%s/no-such-dir", f->dir);
    assert_int_equal(ack_write(path, &a, f->office), KS_ERR_IO);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_parse_malformed),
        cmocka_unit_test_setup_teardown(test_write_read, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_write_failures, fixture_setup, fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
