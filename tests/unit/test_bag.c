/* test_bag: bags checked with the receivers' standard tools only —
 * sha256sum -c on both manifests, minisign -V on the tag manifest, age -d
 * with a test identity, zbarimg on the QR PNG — plus bag_verify, the key
 * file (0600, reload, repair of wider modes, refusal of damage) and the
 * recipient parser. A missing tool fails the test, it never skips. */
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

#include "../../export/age.h"
#include "../../export/bag.h"
#include "../../firmware/core/ks_status.h"

typedef struct {
    char dir[64];
    char bag[128];
    SignKey *key;
    char pub[160];
} Fixture;

static int run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int run(const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int rc = system(cmd);
    return rc == -1 ? -1 : WEXITSTATUS(rc);
}

/* The first line the command prints, without the newline ("" if none). */
static int capture(char *out, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int capture(char *out, size_t size, const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    out[0] = '\0';
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    if (!fgets(out, (int)size, p))
        out[0] = '\0';
    out[strcspn(out, "\n")] = '\0';
    int rc = pclose(p);
    return rc == -1 ? -1 : WEXITSTATUS(rc);
}

static void write_bytes(const char *path, size_t n, unsigned seed)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    for (size_t i = 0; i < n; i++)
        fputc((int)((i * 131 + seed * 7 + (i >> 9)) & 0xff), f);
    assert_int_equal(fclose(f), 0);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static int fixture_setup(void **state)
{
    Fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    strcpy(f->dir, "/tmp/ks_bag_XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->bag, sizeof f->bag, "%s/BATCH", f->dir);
    char path[256];
    snprintf(path, sizeof path, "%s/signing.key", f->dir);
    assert_int_equal(sign_key_load_or_create(path, &f->key), KS_OK);
    snprintf(f->pub, sizeof f->pub, "%s/kiosk.pub", f->dir);
    char pub[512];
    sign_key_public_file(f->key, pub, sizeof pub);
    write_text(f->pub, pub);
    assert_int_equal(run("mkdir -p '%s/data/zeichnungen'", f->bag), 0);
    *state = f;
    return 0;
}

static int fixture_teardown(void **state)
{
    Fixture *f = *state;
    sign_key_destroy(f->key);
    run("rm -rf '%s'", f->dir);
    free(f);
    return 0;
}

static BagInfo test_info(const char *recipient)
{
    BagInfo info = {
        .batch_id = "KIOSK1-20261124-7Q4M",
        .kiosk_id = "KIOSK1",
        .forms = "kinder 2026-11-24.2, eltern 2026-11-24.2",
        .rows = 42,
        .period_from = "2026-W47",
        .period_to = "2026-W48",
        .prev_batch_id = "",
        .prev_tag_sha256 = "",
        .age_recipient = recipient,
    };
    return info;
}

static void test_key_file(void **state)
{
    Fixture *f = *state;
    char path[256], pub[512];
    struct stat sb;
    SignKey *again = NULL;
    snprintf(path, sizeof path, "%s/signing.key", f->dir);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_int_equal(strlen(sign_key_id(f->key)), 16);
    sign_key_public_file(f->key, pub, sizeof pub);
    assert_true(strncmp(pub, "untrusted comment: minisign public key ", 39) == 0);
    assert_non_null(strstr(pub, sign_key_id(f->key)));

    /* A wider mode is repaired on load, and the same key comes back. */
    assert_int_equal(chmod(path, 0644), 0);
    assert_int_equal(sign_key_load_or_create(path, &again), KS_OK);
    assert_string_equal(sign_key_id(again), sign_key_id(f->key));
    sign_key_destroy(again);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);

    /* A damaged file is refused, never replaced by a new key. */
    char bad[256];
    snprintf(bad, sizeof bad, "%s/bad.key", f->dir);
    assert_int_equal(run("sed 's/^\\(.\\)/X/' '%s' > '%s' && chmod 600 '%s'", path, bad, bad), 0);
    assert_int_not_equal(sign_key_load_or_create(bad, &again), KS_OK);
    assert_null(again);
    write_text(bad, "KM2KIOSK-ED25519-SECRET-KEY-1\n0000000000000000\nAAAA\n");
    assert_int_not_equal(sign_key_load_or_create(bad, &again), KS_OK);
    sign_key_destroy(NULL);
}

static void test_plain_bag(void **state)
{
    Fixture *f = *state;
    char p[512], tag[65], out[256];
    BagInfo info = test_info(NULL);
    snprintf(p, sizeof p, "%s/data/responses.csv", f->bag);
    write_text(p, "id,alter\nA1,7\nA2,9\n");
    snprintf(p, sizeof p, "%s/data/zeichnungen/bild 1.png", f->bag);
    write_bytes(p, 3000, 1);
    snprintf(p, sizeof p, "%s/data/übersicht-ä.md", f->bag);
    write_text(p, "# Übersicht\n");

    assert_int_equal(bag_finish(f->bag, &info, f->key, tag), KS_OK);
    assert_int_equal(strlen(tag), 64);
    assert_int_equal(capture(out, sizeof out, "cd '%s' && sha256sum tagmanifest-sha256.txt", f->bag), 0);
    assert_true(strncmp(out, tag, 64) == 0);
    assert_int_equal(run("cd '%s' && sha256sum --quiet --strict -c manifest-sha256.txt", f->bag), 0);
    assert_int_equal(run("cd '%s' && sha256sum --quiet --strict -c tagmanifest-sha256.txt", f->bag), 0);
    assert_int_equal(run("cd '%s' && test $(wc -l < manifest-sha256.txt) = 3", f->bag), 0);
    assert_int_equal(run("cd '%s' && grep -qx 'KM2-Encrypted: no' bag-info.txt && "
                         "grep -qx 'Payload-Oxum: 3032.3' bag-info.txt && "
                         "grep -qx 'KM2-Signing-Key-Id: %s' bag-info.txt && "
                         "grep -qx 'KM2-Rows: 42' bag-info.txt && "
                         "grep -qx 'KM2-Previous-Batch-Id: none' bag-info.txt",
                         f->bag, sign_key_id(f->key)),
                     0);
    assert_int_equal(run("minisign -Vm '%s/tagmanifest-sha256.txt' -p '%s' >/dev/null", f->bag, f->pub), 0);
    assert_int_equal(bag_verify(f->bag, f->key), KS_OK);

    /* One byte of the tag manifest changed: minisign and bag_verify refuse. */
    assert_int_equal(run("cd '%s' && cp tagmanifest-sha256.txt tm.orig && "
                         "sed -i '1s/^./X/' tagmanifest-sha256.txt", f->bag), 0);
    assert_int_not_equal(run("minisign -Vm '%s/tagmanifest-sha256.txt' -p '%s' >/dev/null 2>&1", f->bag, f->pub), 0);
    assert_int_equal(bag_verify(f->bag, f->key), KS_ERR_CORRUPT);
    assert_int_equal(run("cd '%s' && mv tm.orig tagmanifest-sha256.txt", f->bag), 0);
    assert_int_equal(bag_verify(f->bag, f->key), KS_OK);

    /* A changed data file, then an extra one. */
    snprintf(p, sizeof p, "%s/data/responses.csv", f->bag);
    write_text(p, "id,alter\nA1,7\nA2,8\n");
    assert_int_equal(bag_verify(f->bag, f->key), KS_ERR_CORRUPT);
    assert_int_not_equal(run("cd '%s' && sha256sum --quiet -c manifest-sha256.txt >/dev/null 2>&1", f->bag), 0);
    write_text(p, "id,alter\nA1,7\nA2,9\n");
    assert_int_equal(bag_verify(f->bag, f->key), KS_OK);
    snprintf(p, sizeof p, "%s/data/zeichnungen/extra.png", f->bag);
    write_text(p, "x");
    assert_int_equal(bag_verify(f->bag, f->key), KS_ERR_CORRUPT);
    unlink(p);
    /* bag-info.txt edited: the tag manifest catches it. */
    assert_int_equal(run("cd '%s' && sed -i 's/KM2-Rows: 42/KM2-Rows: 43/' bag-info.txt", f->bag), 0);
    assert_int_equal(bag_verify(f->bag, f->key), KS_ERR_CORRUPT);
}

static void test_age_bag(void **state)
{
    Fixture *f = *state;
    char p[512], tag[65], recipient[128] = "";
    static const struct {
        const char *name;
        size_t size;
    } FILES[] = {{"big.csv", 200001},       {"chunk.bin", 65536}, {"empty.txt", 0},
                 {"two.bin", 131072},       {"small.csv", 17},    {"zeichnungen/bild ä.png", 70000}};
    const int n = (int)(sizeof FILES / sizeof FILES[0]);

    assert_int_equal(run("age-keygen -o '%s/id.txt' 2>/dev/null", f->dir), 0);
    assert_int_equal(capture(recipient, sizeof recipient,
                             "sed -n 's/^# public key: //p' '%s/id.txt'", f->dir), 0);
    assert_true(strncmp(recipient, "age1", 4) == 0);
    assert_int_equal(run("mkdir -p '%s/orig/zeichnungen'", f->dir), 0);
    for (int i = 0; i < n; i++) {
        snprintf(p, sizeof p, "%s/data/%s", f->bag, FILES[i].name);
        write_bytes(p, FILES[i].size, (unsigned)i);
        snprintf(p, sizeof p, "%s/orig/%s", f->dir, FILES[i].name);
        write_bytes(p, FILES[i].size, (unsigned)i);
    }
    BagInfo info = test_info(recipient);
    info.prev_batch_id = "KIOSK1-20261117-AB12";
    info.prev_tag_sha256 = "5cc07dbba2fae4bf65234a278e96f2f688943d1deb5666476bb2fee43e4084f0";
    assert_int_equal(bag_finish(f->bag, &info, f->key, tag), KS_OK);
    assert_int_equal(run("cd '%s' && grep -qx 'KM2-Previous-Batch-Id: KIOSK1-20261117-AB12' bag-info.txt && "
                         "grep -qx 'KM2-Previous-Tagmanifest-SHA256: %s' bag-info.txt",
                         f->bag, info.prev_tag_sha256),
                     0);
    for (int i = 0; i < n; i++) {
        snprintf(p, sizeof p, "%s/data/%s", f->bag, FILES[i].name);
        assert_int_not_equal(access(p, F_OK), 0); /* the plaintext is gone */
        assert_int_equal(run("age -d -i '%s/id.txt' '%s.age' | cmp -s - '%s/orig/%s'", f->dir, p,
                             f->dir, FILES[i].name),
                         0);
    }
    assert_int_equal(run("cd '%s' && sha256sum --quiet --strict -c manifest-sha256.txt", f->bag), 0);
    assert_int_equal(run("cd '%s' && sha256sum --quiet --strict -c tagmanifest-sha256.txt", f->bag), 0);
    assert_int_equal(run("cd '%s' && grep -qx 'KM2-Encrypted: yes' bag-info.txt && "
                         "test $(grep -c '\\.age$' manifest-sha256.txt) = %d",
                         f->bag, n),
                     0);
    assert_int_equal(run("minisign -Vm '%s/tagmanifest-sha256.txt' -p '%s' >/dev/null", f->bag, f->pub), 0);
    assert_int_equal(bag_verify(f->bag, f->key), KS_OK);
    /* A wrong identity cannot decrypt. */
    assert_int_equal(run("age-keygen -o '%s/other.txt' 2>/dev/null", f->dir), 0);
    assert_int_not_equal(run("age -d -i '%s/other.txt' '%s/data/small.csv.age' >/dev/null 2>&1",
                             f->dir, f->bag),
                         0);
}

static void test_recipient(void **state)
{
    Fixture *f = *state;
    unsigned char key[AGE_KEY_BYTES];
    char recipient[128], tag[65];
    assert_int_equal(run("age-keygen -o '%s/id2.txt' 2>/dev/null", f->dir), 0);
    assert_int_equal(capture(recipient, sizeof recipient,
                             "sed -n 's/^# public key: //p' '%s/id2.txt'", f->dir), 0);
    assert_int_equal(age_parse_recipient(recipient, key), KS_OK);
    for (char *c = recipient; *c; c++)
        *c = (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c);
    assert_int_equal(age_parse_recipient(recipient, key), KS_OK); /* all upper is bech32 too */
    recipient[10] = recipient[10] == 'Q' ? 'P' : 'Q';             /* checksum breaks */
    assert_int_equal(age_parse_recipient(recipient, key), KS_ERR_INVALID);
    assert_int_equal(age_parse_recipient("age1", key), KS_ERR_INVALID);
    assert_int_equal(age_parse_recipient("", key), KS_ERR_INVALID);

    /* A malformed recipient is refused before anything is touched. */
    char p[512];
    snprintf(p, sizeof p, "%s/data/responses.csv", f->bag);
    write_text(p, "a\n");
    BagInfo info = test_info("age1notakey");
    assert_int_equal(bag_finish(f->bag, &info, f->key, tag), KS_ERR_INVALID);
    assert_int_equal(access(p, F_OK), 0);
}

static void test_qr(void **state)
{
    Fixture *f = *state;
    char payload[256], out[256];
    const char *hash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    unsigned char modules[45 * 45];

    bag_qr_payload(payload, sizeof payload, "", "kiosk1-20261124-7q4m", 42, hash, "0123456789ABCDEF");
    assert_string_equal(payload, "KM2B1/KIOSK1-20261124-7Q4M/R42/"
                                 "T4OYMIQUY7QOBJGX36TEJS35ZEQT24QPEMSNZGTFESWMRW6CSXBKQ/K0123456789ABCDEF");
    bag_qr_payload(payload, sizeof payload, "https://example.org/b/", "KIOSK1-20261124-7Q4M", 42,
                   hash, "0123456789ABCDEF");
    assert_true(strncmp(payload, "HTTPS://EXAMPLE.ORG/B/KM2B1/KIOSK1-", 35) == 0);
    int side = bag_qr_matrix(payload, modules, (int)sizeof modules);
    assert_true(side >= 21 && side <= 45);
    assert_int_equal(bag_qr_matrix(payload, modules, 10), 0);

    assert_int_equal(bag_qr_write(f->bag, payload), KS_OK);
    assert_int_equal(capture(out, sizeof out, "zbarimg --raw -q '%s/batch-qr.png'", f->bag), 0);
    assert_string_equal(out, payload);
    assert_int_equal(capture(out, sizeof out, "cat '%s/batch-qr.txt'", f->bag), 0);
    assert_string_equal(out, payload);
    /* 8 px per module plus the 4-module quiet zone, 8-bit grey: the IHDR. */
    unsigned char ihdr[26];
    char png[256];
    snprintf(png, sizeof png, "%s/batch-qr.png", f->bag);
    FILE *fp = fopen(png, "rb");
    assert_non_null(fp);
    assert_int_equal(fread(ihdr, 1, sizeof ihdr, fp), sizeof ihdr);
    fclose(fp);
    assert_memory_equal(ihdr + 12, "IHDR", 4);
    unsigned w = (unsigned)ihdr[16] << 24 | (unsigned)ihdr[17] << 16 | (unsigned)ihdr[18] << 8 | ihdr[19];
    unsigned h = (unsigned)ihdr[20] << 24 | (unsigned)ihdr[21] << 16 | (unsigned)ihdr[22] << 8 | ihdr[23];
    assert_int_equal(w, (unsigned)(side + 8) * 8);
    assert_int_equal(h, w);
    assert_int_equal(ihdr[24], 8); /* bit depth */
    assert_int_equal(ihdr[25], 0); /* colour type: grey */

    /* Far too long for version 7: no matrix, no files. */
    char longp[400];
    memset(longp, 'A', sizeof longp - 1);
    longp[sizeof longp - 1] = '\0';
    assert_int_equal(bag_qr_matrix(longp, modules, (int)sizeof modules), 0);
    assert_int_equal(bag_qr_write(f->dir, longp), KS_ERR_LIMIT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_key_file, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_plain_bag, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_age_bag, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_recipient, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_qr, fixture_setup, fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
