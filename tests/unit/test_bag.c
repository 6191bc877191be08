/* test_bag: bags checked with the receivers' standard tools —
 * sha256sum -c on both manifests, minisign -V on the tag manifest, age -d
 * with a test identity, zbarimg on the QR PNG — and with the office's own
 * check (bag_check_public, on which bag_verify stands) against a hostile
 * stick: other keys, forged and missing signatures, symlinks, FIFOs, files
 * in no manifest (a 2 GiB sparse one too), paths leaving the bag, edited
 * manifests re-signed; bag-info.txt read back as facts and its malformed
 * shapes refused; the key file (0600, reload, repair of wider modes,
 * refusal of damage) and the recipient parser. A missing tool fails the
 * test, it never skips. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../../export/age.h"
#include "../../export/bag.h"
#include "../../export/sign.h"
#include "../../firmware/core/ks_status.h"
#include "../test_files.h"
#include "../test_main.h"
#include "../test_tmp.h"

typedef struct {
    char dir[64];
    char bag[128];
    SignKey *key;
    char pub[160];
} Fixture;

static int fixture_setup(void **state)
{
    Fixture *f = TEST_FIXTURE_NEW(Fixture, "ks_bag");
    snprintf(f->bag, sizeof f->bag, "%s/BATCH", f->dir);
    char path[256];
    snprintf(path, sizeof path, "%s/signing.key", f->dir);
    assert_int_equal(sign_key_load_or_create(path, &f->key), KS_OK);
    snprintf(f->pub, sizeof f->pub, "%s/kiosk.pub", f->dir);
    char pub[512];
    sign_key_public_file(f->key, pub, sizeof pub);
    test_write_text(f->pub, pub);
    assert_int_equal(test_run("mkdir -p '%s/data/zeichnungen'", f->bag), 0);
    *state = f;
    return 0;
}

static int fixture_teardown(void **state)
{
    Fixture *f = *state;
    sign_key_destroy(f->key);
    test_fixture_free(f, f->dir);
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
    assert_int_equal(test_run("sed 's/^\\(.\\)/X/' '%s' > '%s' && chmod 600 '%s'", path, bad, bad),
                     0);
    assert_int_not_equal(sign_key_load_or_create(bad, &again), KS_OK);
    assert_null(again);
    test_write_text(bad, "KM2KIOSK-ED25519-SECRET-KEY-1\n0000000000000000\nAAAA\n");
    assert_int_not_equal(sign_key_load_or_create(bad, &again), KS_OK);
    sign_key_destroy(NULL);
}

static void test_plain_bag(void **state)
{
    Fixture *f = *state;
    char p[512], tag[65], out[256];
    BagInfo info = test_info(NULL);
    snprintf(p, sizeof p, "%s/data/responses.csv", f->bag);
    test_write_text(p, "id,alter\nA1,7\nA2,9\n");
    snprintf(p, sizeof p, "%s/data/zeichnungen/bild 1.png", f->bag);
    test_write_pattern(p, 3000, 1);
    snprintf(p, sizeof p, "%s/data/übersicht-ä.md", f->bag);
    test_write_text(p, "# Übersicht\n");

    assert_int_equal(bag_finish(f->bag, &info, f->key, tag), KS_OK);
    assert_int_equal(strlen(tag), 64);
    assert_int_equal(
        test_capture(out, sizeof out, "cd '%s' && sha256sum tagmanifest-sha256.txt", f->bag), 0);
    assert_true(strncmp(out, tag, 64) == 0);
    assert_int_equal(
        test_run("cd '%s' && sha256sum --quiet --strict -c manifest-sha256.txt", f->bag), 0);
    assert_int_equal(
        test_run("cd '%s' && sha256sum --quiet --strict -c tagmanifest-sha256.txt", f->bag), 0);
    assert_int_equal(test_run("cd '%s' && test $(wc -l < manifest-sha256.txt) = 3", f->bag), 0);
    assert_int_equal(test_run("cd '%s' && grep -qx 'KM2-Encrypted: no' bag-info.txt && "
                              "grep -qx 'Payload-Oxum: 3032.3' bag-info.txt && "
                              "grep -qx 'KM2-Signing-Key-Id: %s' bag-info.txt && "
                              "grep -qx 'KM2-Rows: 42' bag-info.txt && "
                              "grep -qx 'KM2-Previous-Batch-Id: none' bag-info.txt",
                              f->bag, sign_key_id(f->key)),
                     0);
    assert_int_equal(
        test_run("minisign -Vm '%s/tagmanifest-sha256.txt' -p '%s' >/dev/null", f->bag, f->pub), 0);
    assert_int_equal(bag_verify(f->bag, f->key), KS_OK);

    /* One byte of the tag manifest changed: minisign and bag_verify refuse. */
    assert_int_equal(test_run("cd '%s' && cp tagmanifest-sha256.txt tm.orig && "
                              "sed -i '1s/^./X/' tagmanifest-sha256.txt",
                              f->bag),
                     0);
    assert_int_not_equal(
        test_run("minisign -Vm '%s/tagmanifest-sha256.txt' -p '%s' >/dev/null 2>&1", f->bag,
                 f->pub),
        0);
    assert_int_equal(bag_verify(f->bag, f->key), KS_ERR_CORRUPT);
    assert_int_equal(test_run("cd '%s' && mv tm.orig tagmanifest-sha256.txt", f->bag), 0);
    assert_int_equal(bag_verify(f->bag, f->key), KS_OK);

    /* A changed data file, then an extra one. */
    snprintf(p, sizeof p, "%s/data/responses.csv", f->bag);
    test_write_text(p, "id,alter\nA1,7\nA2,8\n");
    assert_int_equal(bag_verify(f->bag, f->key), KS_ERR_CORRUPT);
    assert_int_not_equal(
        test_run("cd '%s' && sha256sum --quiet -c manifest-sha256.txt >/dev/null 2>&1", f->bag), 0);
    test_write_text(p, "id,alter\nA1,7\nA2,9\n");
    assert_int_equal(bag_verify(f->bag, f->key), KS_OK);
    snprintf(p, sizeof p, "%s/data/zeichnungen/extra.png", f->bag);
    test_write_text(p, "x");
    assert_int_equal(bag_verify(f->bag, f->key), KS_ERR_CORRUPT);
    unlink(p);
    /* bag-info.txt edited: the tag manifest catches it. */
    assert_int_equal(
        test_run("cd '%s' && sed -i 's/KM2-Rows: 42/KM2-Rows: 43/' bag-info.txt", f->bag), 0);
    assert_int_equal(bag_verify(f->bag, f->key), KS_ERR_CORRUPT);
}

static void test_age_bag(void **state)
{
    Fixture *f = *state;
    char p[512], tag[65], recipient[128] = "";
    static const struct {
        const char *name;
        size_t size;
    } FILES[] = {{"big.csv", 200001}, {"chunk.bin", 65536}, {"empty.txt", 0},
                 {"two.bin", 131072}, {"small.csv", 17},    {"zeichnungen/bild ä.png", 70000}};
    const int n = (int)(sizeof FILES / sizeof FILES[0]);

    assert_int_equal(test_run("age-keygen -o '%s/id.txt' 2>/dev/null", f->dir), 0);
    assert_int_equal(test_capture(recipient, sizeof recipient,
                                  "sed -n 's/^# public key: //p' '%s/id.txt'", f->dir),
                     0);
    assert_true(strncmp(recipient, "age1", 4) == 0);
    assert_int_equal(test_run("mkdir -p '%s/orig/zeichnungen'", f->dir), 0);
    for (int i = 0; i < n; i++) {
        snprintf(p, sizeof p, "%s/data/%s", f->bag, FILES[i].name);
        test_write_pattern(p, FILES[i].size, (unsigned)i);
        snprintf(p, sizeof p, "%s/orig/%s", f->dir, FILES[i].name);
        test_write_pattern(p, FILES[i].size, (unsigned)i);
    }
    BagInfo info = test_info(recipient);
    info.prev_batch_id = "KIOSK1-20261117-AB12";
    info.prev_tag_sha256 = "5cc07dbba2fae4bf65234a278e96f2f688943d1deb5666476bb2fee43e4084f0";
    assert_int_equal(bag_finish(f->bag, &info, f->key, tag), KS_OK);
    assert_int_equal(
        test_run(
            "cd '%s' && grep -qx 'KM2-Previous-Batch-Id: KIOSK1-20261117-AB12' bag-info.txt && "
            "grep -qx 'KM2-Previous-Tagmanifest-SHA256: %s' bag-info.txt",
            f->bag, info.prev_tag_sha256),
        0);
    for (int i = 0; i < n; i++) {
        snprintf(p, sizeof p, "%s/data/%s", f->bag, FILES[i].name);
        assert_int_not_equal(access(p, F_OK), 0); /* the plaintext is gone */
        assert_int_equal(test_run("age -d -i '%s/id.txt' '%s.age' | cmp -s - '%s/orig/%s'", f->dir,
                                  p, f->dir, FILES[i].name),
                         0);
    }
    assert_int_equal(
        test_run("cd '%s' && sha256sum --quiet --strict -c manifest-sha256.txt", f->bag), 0);
    assert_int_equal(
        test_run("cd '%s' && sha256sum --quiet --strict -c tagmanifest-sha256.txt", f->bag), 0);
    assert_int_equal(test_run("cd '%s' && grep -qx 'KM2-Encrypted: yes' bag-info.txt && "
                              "test $(grep -c '\\.age$' manifest-sha256.txt) = %d",
                              f->bag, n),
                     0);
    assert_int_equal(
        test_run("minisign -Vm '%s/tagmanifest-sha256.txt' -p '%s' >/dev/null", f->bag, f->pub), 0);
    assert_int_equal(bag_verify(f->bag, f->key), KS_OK);
    /* The office's way: the identity file age-keygen wrote, our decrypter. */
    unsigned char secret[AGE_KEY_BYTES];
    snprintf(p, sizeof p, "%s/id.txt", f->dir);
    assert_int_equal(age_identity_load(p, secret), KS_OK);
    for (int i = 0; i < n; i++) {
        char in[512], out[512];
        snprintf(in, sizeof in, "%s/data/%s.age", f->bag, FILES[i].name);
        snprintf(out, sizeof out, "%s/plain-%d", f->dir, i);
        assert_int_equal(age_decrypt_file(secret, in, out), KS_OK);
        assert_int_equal(test_run("cmp -s '%s' '%s/orig/%s'", out, f->dir, FILES[i].name), 0);
    }
    BagFacts facts;
    assert_int_equal(bag_read_facts(f->bag, &facts, NULL, 0), KS_OK);
    assert_true(facts.encrypted);
    assert_string_equal(facts.prev_batch_id, "KIOSK1-20261117-AB12");
    assert_string_equal(facts.prev_tag_sha256, info.prev_tag_sha256);
    /* A wrong identity cannot decrypt. */
    assert_int_equal(test_run("age-keygen -o '%s/other.txt' 2>/dev/null", f->dir), 0);
    assert_int_not_equal(
        test_run("age -d -i '%s/other.txt' '%s/data/small.csv.age' >/dev/null 2>&1", f->dir,
                 f->bag),
        0);
}

static void test_recipient(void **state)
{
    Fixture *f = *state;
    unsigned char key[AGE_KEY_BYTES];
    char recipient[128], tag[65];
    assert_int_equal(test_run("age-keygen -o '%s/id2.txt' 2>/dev/null", f->dir), 0);
    assert_int_equal(test_capture(recipient, sizeof recipient,
                                  "sed -n 's/^# public key: //p' '%s/id2.txt'", f->dir),
                     0);
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
    test_write_text(p, "a\n");
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

    bag_qr_payload(payload, sizeof payload, "", "kiosk1-20261124-7q4m", 42, hash,
                   "0123456789ABCDEF");
    assert_string_equal(payload,
                        "KM2B1/KIOSK1-20261124-7Q4M/R42/"
                        "T4OYMIQUY7QOBJGX36TEJS35ZEQT24QPEMSNZGTFESWMRW6CSXBKQ/K0123456789ABCDEF");
    bag_qr_payload(payload, sizeof payload, "https://example.org/b/", "KIOSK1-20261124-7Q4M", 42,
                   hash, "0123456789ABCDEF");
    assert_true(strncmp(payload, "HTTPS://EXAMPLE.ORG/B/KM2B1/KIOSK1-", 35) == 0);
    int side = bag_qr_matrix(payload, modules, (int)sizeof modules);
    assert_true(side >= 21 && side <= 45);
    assert_int_equal(bag_qr_matrix(payload, modules, 10), 0);

    assert_int_equal(bag_qr_write(f->bag, payload), KS_OK);
    assert_int_equal(test_capture(out, sizeof out, "zbarimg --raw -q '%s/batch-qr.png'", f->bag),
                     0);
    assert_string_equal(out, payload);
    assert_int_equal(test_capture(out, sizeof out, "cat '%s/batch-qr.txt'", f->bag), 0);
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
    unsigned w =
        (unsigned)ihdr[16] << 24 | (unsigned)ihdr[17] << 16 | (unsigned)ihdr[18] << 8 | ihdr[19];
    unsigned h =
        (unsigned)ihdr[20] << 24 | (unsigned)ihdr[21] << 16 | (unsigned)ihdr[22] << 8 | ihdr[23];
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

/* ---- the office's check ----------------------------------------------- */

/* A finished plain bag in f->bag and a pristine copy beside it. */
static void make_bag(Fixture *f)
{
    char p[512], tag[65];
    BagInfo info = test_info(NULL);
    info.site_code = "NORD-3";
    snprintf(p, sizeof p, "%s/data/responses.csv", f->bag);
    test_write_text(p, "id,alter\nA1,7\nA2,9\n");
    snprintf(p, sizeof p, "%s/data/zeichnungen/bild 1.png", f->bag);
    test_write_pattern(p, 3000, 1);
    snprintf(p, sizeof p, "%s/data/100%%.csv", f->bag); /* written "100%25.csv" */
    test_write_text(p, "x\n");
    assert_int_equal(bag_finish(f->bag, &info, f->key, tag), KS_OK);
    assert_int_equal(test_run("cp -a '%s' '%s/PRISTINE'", f->bag, f->dir), 0);
}

static void restore(Fixture *f)
{
    assert_int_equal(
        test_run("chmod -R u+w '%s' 2>/dev/null; rm -rf '%s' && cp -a '%s/PRISTINE' '%s'", f->bag,
                 f->bag, f->dir, f->bag),
        0);
}

static SignPublic kiosk_public(const Fixture *f)
{
    char text[512];
    SignPublic pk;
    sign_key_public_file(f->key, text, sizeof text);
    assert_int_equal(sign_public_parse(text, &pk), KS_OK);
    return pk;
}

/* Checks f->bag with the kiosk's public key; why must contain part. */
static void expect(Fixture *f, BagCheck want, const char *part)
{
    char why[256], tag[65];
    SignPublic pk = kiosk_public(f);
    BagCheck got = bag_check_public(f->bag, &pk, tag, why, sizeof why);
    if (got != want || !strstr(why, part))
        fail_msg("check gave %d (\"%s\"), wanted %d with \"%s\"", got, why, want, part);
    if (want == BAG_CHECK_OK)
        assert_string_equal(why, "");
}

/* Rewrites the tag manifest over the given tag files and signs it with the
 * kiosk's key again, so the signature holds and what is checked next is
 * the manifests' content. */
static void reseal(Fixture *f, const char *tag_files)
{
    char path[512], *text = NULL, *sig = NULL;
    size_t len = 0;
    assert_int_equal(
        test_run("cd '%s' && sha256sum %s > tagmanifest-sha256.txt", f->bag, tag_files), 0);
    snprintf(path, sizeof path, "%s/tagmanifest-sha256.txt", f->bag);
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    text = calloc(1, 65536);
    assert_non_null(text);
    len = fread(text, 1, 65535, fp);
    fclose(fp);
    assert_int_equal(
        sign_minisig_create(f->key, (const unsigned char *)text, len, "resealed", &sig), KS_OK);
    snprintf(path, sizeof path, "%s/tagmanifest-sha256.txt.minisig", f->bag);
    test_write_text(path, sig);
    free(text);
    free(sig);
}

#define TAGS "bag-info.txt bagit.txt manifest-sha256.txt"

static void test_check_public(void **state)
{
    Fixture *f = *state;
    char why[256], tag[65], out[256], path[512], line[SIGN_PUBLIC_LINE];
    SignPublic pk;
    make_bag(f);

    expect(f, BAG_CHECK_OK, "");
    pk = kiosk_public(f);
    assert_int_equal(bag_check_public(f->bag, &pk, tag, NULL, 0), BAG_CHECK_OK);
    assert_int_equal(
        test_capture(out, sizeof out, "cd '%s' && sha256sum tagmanifest-sha256.txt", f->bag), 0);
    assert_true(strncmp(out, tag, 64) == 0);
    /* The bare key line, as an enrolment stores it, works the same. */
    sign_public_line(&pk, line, sizeof line);
    assert_int_equal(sign_public_parse(line, &pk), KS_OK);
    assert_int_equal(bag_check_public(f->bag, &pk, tag, why, sizeof why), BAG_CHECK_OK);
    assert_int_equal(bag_verify(f->bag, f->key), KS_OK);

    /* Another kiosk's key: the signature does not verify; the tag hash is
     * still reported. */
    SignKey *other = NULL;
    SignPublic other_pk;
    snprintf(path, sizeof path, "%s/other.key", f->dir);
    assert_int_equal(sign_key_load_or_create(path, &other), KS_OK);
    sign_key_public(other, &other_pk);
    tag[0] = '\0';
    assert_int_equal(bag_check_public(f->bag, &other_pk, tag, why, sizeof why),
                     BAG_CHECK_SIGNATURE);
    assert_string_equal(why, "Die Signatur passt nicht zum Schlüssel der Kiosk-Anmeldung.");
    assert_true(strncmp(out, tag, 64) == 0);
    assert_int_equal(bag_verify(f->bag, other), KS_ERR_CORRUPT);

    /* bag-info edited and everything re-signed by the other key (as if
     * someone forged a batch in this kiosk's name). */
    assert_int_equal(test_run("cd '%s' && sed -i 's/KM2-Rows: 42/KM2-Rows: 4200/' bag-info.txt && "
                              "sha256sum " TAGS " > tagmanifest-sha256.txt",
                              f->bag),
                     0);
    {
        char *text = NULL, *sig = NULL;
        FILE *fp;
        snprintf(path, sizeof path, "%s/tagmanifest-sha256.txt", f->bag);
        fp = fopen(path, "rb");
        assert_non_null(fp);
        text = calloc(1, 4096);
        assert_non_null(text);
        size_t len = fread(text, 1, 4095, fp);
        fclose(fp);
        assert_int_equal(
            sign_minisig_create(other, (const unsigned char *)text, len, "forged", &sig), KS_OK);
        snprintf(path, sizeof path, "%s/tagmanifest-sha256.txt.minisig", f->bag);
        test_write_text(path, sig);
        free(text);
        free(sig);
    }
    expect(f, BAG_CHECK_SIGNATURE, "passt nicht");
    sign_key_destroy(other);
    restore(f);

    /* The signature missing, damaged; the tag manifest missing. */
    assert_int_equal(test_run("rm '%s/tagmanifest-sha256.txt.minisig'", f->bag), 0);
    expect(f, BAG_CHECK_SIGNATURE, "tagmanifest-sha256.txt.minisig fehlt");
    test_write_text(path, "untrusted comment: x\nnonsense\n");
    expect(f, BAG_CHECK_SIGNATURE, "beschädigt");
    restore(f);
    assert_int_equal(test_run("rm '%s/tagmanifest-sha256.txt'", f->bag), 0);
    expect(f, BAG_CHECK_MANIFEST, "tagmanifest-sha256.txt fehlt");
    tag[0] = 'x';
    assert_int_equal(bag_check_public(f->bag, &pk, tag, why, sizeof why), BAG_CHECK_MANIFEST);
    assert_string_equal(tag, "");
    restore(f);

    /* Symlinks anywhere (a file, a folder, the tag manifest itself, the
     * bag), a FIFO: refused, never followed. */
    const char *LINKS[] = {
        "ln -s /etc/passwd data/passwd.csv",
        "ln -s /etc data/zeichnungen/etc",
        "ln -s /etc/hostname notes.txt",
        "mv tagmanifest-sha256.txt ../tm && ln -s ../tm tagmanifest-sha256.txt",
        "mkfifo data/pipe.csv",
    };
    for (size_t i = 0; i < sizeof LINKS / sizeof LINKS[0]; i++) {
        assert_int_equal(test_run("cd '%s' && %s", f->bag, LINKS[i]), 0);
        expect(f, BAG_CHECK_MANIFEST, "Verknüpfung oder Sonderdatei");
        assert_int_equal(bag_verify(f->bag, f->key), KS_ERR_CORRUPT);
        restore(f);
    }
    assert_int_equal(test_run("mv '%s' '%s/real' && ln -s real '%s'", f->bag, f->dir, f->bag), 0);
    expect(f, BAG_CHECK_MANIFEST, "kein Ordner");
    assert_int_equal(test_run("rm '%s' && mv '%s/real' '%s'", f->bag, f->dir, f->bag), 0);
    expect(f, BAG_CHECK_OK, "");

    /* Files in no manifest: in data/, at the top, hidden. */
    const char *EXTRA[] = {"data/extra.csv", "data/zeichnungen/neu.png", "notes.txt", ".DS_Store",
                           "sub/deep.txt"};
    for (size_t i = 0; i < sizeof EXTRA / sizeof EXTRA[0]; i++) {
        assert_int_equal(test_run("cd '%s' && mkdir -p sub && echo x > '%s'", f->bag, EXTRA[i]), 0);
        char part[128];
        snprintf(part, sizeof part, "Die Datei %s steht in keinem Manifest.", EXTRA[i]);
        expect(f, BAG_CHECK_MANIFEST, part);
        assert_int_equal(bag_verify(f->bag, f->key), KS_ERR_CORRUPT);
        restore(f);
    }

    /* A 2 GiB file in no manifest (sparse): refused without reading it. */
    snprintf(path, sizeof path, "%s/data/huge.bin", f->bag);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(ftruncate(fileno(fp), 2147483648LL), 0);
    fclose(fp);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    expect(f, BAG_CHECK_MANIFEST, "Die Datei data/huge.bin steht in keinem Manifest.");
    clock_gettime(CLOCK_MONOTONIC, &t1);
    assert_true(t1.tv_sec - t0.tv_sec < 2);
    restore(f);

    /* A listed file changed, or gone; the data folder gone. */
    snprintf(path, sizeof path, "%s/data/responses.csv", f->bag);
    test_write_text(path, "id,alter\nA1,7\nA2,8\n");
    expect(f, BAG_CHECK_MANIFEST, "Die Datei data/responses.csv wurde verändert");
    assert_int_equal(unlink(path), 0);
    expect(f, BAG_CHECK_MANIFEST, "Die Datei data/responses.csv fehlt.");
    assert_int_equal(bag_verify(f->bag, f->key), KS_ERR_CORRUPT);
    assert_int_equal(test_run("rm -rf '%s/data'", f->bag), 0);
    expect(f, BAG_CHECK_MANIFEST, "Ordner data fehlt");
    restore(f);
    snprintf(path, sizeof path, "%s/bag-info.txt", f->bag);
    assert_int_equal(test_run("sed -i 's/KM2-Rows: 42/KM2-Rows: 43/' '%s'", path), 0);
    expect(f, BAG_CHECK_MANIFEST, "Die Datei bag-info.txt wurde verändert");
    restore(f);
    expect(f, BAG_CHECK_OK, "");
}

/* Manifests with hostile content, re-signed with the right key: only the
 * manifest rules stand between them and the office. */
static void test_check_manifests(void **state)
{
    Fixture *f = *state;
    char path[512];
#define EMPTY_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    make_bag(f);
    snprintf(path, sizeof path, "%s/outside.txt", f->dir);
    test_write_text(path, ""); /* its hash is EMPTY_SHA256 */

    static const struct {
        const char *line; /* appended to manifest-sha256.txt */
        const char *why;
    } LINES[] = {
        {EMPTY_SHA256 "  ../outside.txt\n", "Pfad außerhalb des Pakets"},
        {EMPTY_SHA256 "  data/../../outside.txt\n", "Pfad außerhalb des Pakets"},
        {EMPTY_SHA256 "  /etc/hostname\n", "Pfad außerhalb des Pakets"},
        {EMPTY_SHA256 "  data//responses.csv\n", "Pfad außerhalb des Pakets"},
        {EMPTY_SHA256 "  data/./responses.csv\n", "Pfad außerhalb des Pakets"},
        {EMPTY_SHA256 "  \n", "fehlerhaft"},
        {EMPTY_SHA256 " data/x.csv\n", "fehlerhaft"},
        {"xyz  data/x.csv\n", "fehlerhaft"},
        {"\n", "fehlerhaft"},
        {EMPTY_SHA256 "  bagit.txt\n", "nicht im Ordner data"},
    };
    for (size_t i = 0; i < sizeof LINES / sizeof LINES[0]; i++) {
        snprintf(path, sizeof path, "%s/manifest-sha256.txt", f->bag);
        FILE *fp = fopen(path, "ab");
        assert_non_null(fp);
        fputs(LINES[i].line, fp);
        fclose(fp);
        reseal(f, TAGS);
        expect(f, BAG_CHECK_MANIFEST, LINES[i].why);
        assert_int_equal(bag_verify(f->bag, f->key), KS_ERR_CORRUPT);
        restore(f);
    }

    /* A line twice; a hash changed in the manifest; a listed file gone. */
    assert_int_equal(
        test_run("cd '%s' && head -n 1 manifest-sha256.txt >> manifest-sha256.txt", f->bag), 0);
    reseal(f, TAGS);
    expect(f, BAG_CHECK_MANIFEST, "zum zweiten Mal");
    restore(f);
    assert_int_equal(
        test_run("cd '%s' && sed -i '1s/^./0/;1s/^0\\(.\\)/1\\1/' manifest-sha256.txt", f->bag), 0);
    reseal(f, TAGS);
    expect(f, BAG_CHECK_MANIFEST, "verändert");
    restore(f);
    assert_int_equal(test_run("cd '%s' && rm data/responses.csv", f->bag), 0);
    reseal(f, TAGS);
    expect(f, BAG_CHECK_MANIFEST, "Die Datei data/responses.csv fehlt.");
    restore(f);

    /* The tag manifest: must cover the three tag files, must not list
     * payload or itself; another tag file is fine when listed. */
    reseal(f, "bagit.txt manifest-sha256.txt");
    expect(f, BAG_CHECK_MANIFEST, "deckt bag-info.txt nicht ab");
    restore(f);
    reseal(f, "bag-info.txt bagit.txt");
    expect(f, BAG_CHECK_MANIFEST, "deckt manifest-sha256.txt nicht ab");
    restore(f);
    reseal(f, TAGS " data/responses.csv");
    expect(f, BAG_CHECK_MANIFEST, "Nutzdatei data/responses.csv");
    restore(f);
    reseal(f, TAGS " tagmanifest-sha256.txt.minisig");
    expect(f, BAG_CHECK_MANIFEST, "nicht aufführen");
    restore(f);
    assert_int_equal(test_run("cd '%s' && mkdir -p meta && echo hallo > meta/notiz.txt", f->bag),
                     0);
    reseal(f, TAGS " meta/notiz.txt");
    expect(f, BAG_CHECK_OK, "");
    assert_int_equal(test_run("cd '%s' && echo anders > meta/notiz.txt", f->bag), 0);
    expect(f, BAG_CHECK_MANIFEST, "Die Datei meta/notiz.txt wurde verändert");
    restore(f);

    /* bagit.txt that is no BagIt declaration, signed all the same. */
    const char *DECL[] = {"BagIt-Version: 1.0\n",
                          "BagIt-Version: 1.0\nTag-File-Character-Encoding: Latin-1\n",
                          "BagIt-Version: x\nTag-File-Character-Encoding: UTF-8\n",
                          "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\nmore\n", ""};
    for (size_t i = 0; i < sizeof DECL / sizeof DECL[0]; i++) {
        snprintf(path, sizeof path, "%s/bagit.txt", f->bag);
        test_write_text(path, DECL[i]);
        reseal(f, TAGS);
        expect(f, BAG_CHECK_MANIFEST, "BagIt-Erklärung");
        restore(f);
    }
    snprintf(path, sizeof path, "%s/bagit.txt", f->bag);
    test_write_text(path, "BagIt-Version: 1.0\r\nTag-File-Character-Encoding: UTF-8\r\n");
    reseal(f, TAGS);
    expect(f, BAG_CHECK_OK, "");
}

static const char GOOD_INFO[] =
    "Bagging-Date: 2026-11-24\n"
    "Payload-Oxum: 3032.3\n"
    "External-Identifier: KIOSK1-20261124-7Q4M\n"
    "KM2-Kiosk-Id: Bücherei Nord\n"
    "KM2-Site-Code: NORD-3\n"
    "KM2-Batch-Id: KIOSK1-20261124-7Q4M\n"
    "KM2-Forms: kinder 2026-11-24.2,\n"
    "  eltern 2026-11-24.2\n"
    "KM2-Rows: 42\n"
    "KM2-Period: 2026-W47/2026-W48\n"
    "KM2-Encrypted: yes\n"
    "KM2-Signing-Key-Id: 0123456789ABCDEF\n"
    "KM2-Previous-Batch-Id: KIOSK1-20261117-AB12\n"
    "KM2-Previous-Tagmanifest-SHA256: "
    "5cc07dbba2fae4bf65234a278e96f2f688943d1deb5666476bb2fee43e4084f0\n";

/* GOOD_INFO with one piece replaced. */
static void info_variant(char *out, size_t size, const char *from, const char *to)
{
    const char *at = strstr(GOOD_INFO, from);
    assert_non_null(at);
    snprintf(out, size, "%.*s%s%s", (int)(at - GOOD_INFO), GOOD_INFO, to, at + strlen(from));
}

static void test_facts(void **state)
{
    Fixture *f = *state;
    BagFacts b;
    char why[256], text[4096], path[512];

    /* What bag_finish wrote comes back. */
    make_bag(f);
    assert_int_equal(bag_read_facts(f->bag, &b, why, sizeof why), KS_OK);
    assert_string_equal(b.batch_id, "KIOSK1-20261124-7Q4M");
    assert_string_equal(b.kiosk_id, "KIOSK1");
    assert_string_equal(b.site_code, "NORD-3");
    assert_string_equal(b.key_id, sign_key_id(f->key));
    assert_string_equal(b.prev_batch_id, "");
    assert_string_equal(b.prev_tag_sha256, "");
    assert_string_equal(b.forms, "kinder 2026-11-24.2, eltern 2026-11-24.2");
    assert_string_equal(b.period_from, "2026-W47");
    assert_string_equal(b.period_to, "2026-W48");
    assert_int_equal(b.rows, 42);
    assert_false(b.encrypted);

    /* Continuation lines, CRLF, UTF-8, case-insensitive labels. */
    assert_int_equal(bag_parse_facts(GOOD_INFO, strlen(GOOD_INFO), &b, why, sizeof why), KS_OK);
    assert_string_equal(b.kiosk_id, "Bücherei Nord");
    assert_string_equal(b.forms, "kinder 2026-11-24.2, eltern 2026-11-24.2");
    assert_true(b.encrypted);
    assert_string_equal(b.prev_batch_id, "KIOSK1-20261117-AB12");
    size_t o = 0;
    for (const char *c = GOOD_INFO; *c; c++) {
        if (*c == '\n')
            text[o++] = '\r';
        text[o++] = *c;
    }
    text[o] = '\0';
    assert_int_equal(bag_parse_facts(text, o, &b, why, sizeof why), KS_OK);
    assert_string_equal(b.forms, "kinder 2026-11-24.2, eltern 2026-11-24.2");
    info_variant(text, sizeof text, "KM2-Rows: 42", "km2-rows:\t 7 ");
    assert_int_equal(bag_parse_facts(text, strlen(text), &b, why, sizeof why), KS_OK);
    assert_int_equal(b.rows, 7);
    info_variant(text, sizeof text, "KM2-Period: 2026-W47/2026-W48", "KM2-Period: /");
    assert_int_equal(bag_parse_facts(text, strlen(text), &b, why, sizeof why), KS_OK);
    assert_string_equal(b.period_from, "");

    static const struct {
        const char *from, *to, *why;
    } BAD[] = {
        {"KM2-Batch-Id: KIOSK1-20261124-7Q4M\n", "", "fehlt das Feld KM2-Batch-Id"},
        {"KM2-Kiosk-Id: Bücherei Nord\n", "", "fehlt das Feld KM2-Kiosk-Id"},
        {"KM2-Signing-Key-Id: 0123456789ABCDEF\n", "", "fehlt das Feld KM2-Signing-Key-Id"},
        {"KM2-Rows: 42\n", "", "fehlt das Feld KM2-Rows"},
        {"KM2-Rows: 42\n", "KM2-Rows: 42\nKM2-ROWS: 42\n", "Das Feld KM2-Rows steht mehrfach"},
        {"KM2-Rows: 42", "KM2-Rows: -1", "KM2-Rows in bag-info.txt hat einen ungültigen Wert"},
        {"KM2-Rows: 42", "KM2-Rows: 2147483648", "KM2-Rows"},
        {"KM2-Rows: 42", "KM2-Rows: 042", "KM2-Rows"},
        {"KM2-Rows: 42", "KM2-Rows: 4 2", "KM2-Rows"},
        {"KM2-Rows: 42", "KM2-Rows:", "KM2-Rows"},
        {"0123456789ABCDEF", "0123456789abcdef", "KM2-Signing-Key-Id"},
        {"0123456789ABCDEF", "0123456789ABCDE", "KM2-Signing-Key-Id"},
        {"KM2-Batch-Id: KIOSK1-20261124-7Q4M", "KM2-Batch-Id: ../../etc", "KM2-Batch-Id"},
        {"KM2-Batch-Id: KIOSK1-20261124-7Q4M", "KM2-Batch-Id: K:1", "KM2-Batch-Id"},
        {"KM2-Batch-Id: KIOSK1-20261124-7Q4M",
         "KM2-Batch-Id: KIOSK1-20261124-7Q4M-R1234-R5678-R9ABC-RDEFG-RHIJK", "KM2-Batch-Id"},
        {"KM2-Previous-Batch-Id: KIOSK1-20261117-AB12", "KM2-Previous-Batch-Id: a/b",
         "KM2-Previous-Batch-Id"},
        {"5cc07dbba2", "5CC07DBBA2", "KM2-Previous-Tagmanifest-SHA256"},
        {"KM2-Encrypted: yes", "KM2-Encrypted: ja", "KM2-Encrypted"},
        {"KM2-Period: 2026-W47/2026-W48", "KM2-Period: 2026-W47", "KM2-Period"},
        {"KM2-Period: 2026-W47/2026-W48", "KM2-Period: 2026/W47/W48", "KM2-Period"},
        {"KM2-Period: 2026-W47/2026-W48", "KM2-Period: 2026-W47-and-more/x", "KM2-Period"},
        {"KM2-Site-Code: NORD-3", "KM2-Site-Code: Nord 3", "KM2-Site-Code"},
        {"KM2-Kiosk-Id: Bücherei Nord", "KM2-Kiosk-Id: ", "KM2-Kiosk-Id"},
        {"KM2-Kiosk-Id: Bücherei Nord",
         "KM2-Kiosk-Id: Bücherei Nord mit einem Namen, der viel zu lang für das Feld ist, wirklich",
         "KM2-Kiosk-Id"},
        {"KM2-Kiosk-Id: Bücherei Nord", "KM2-Kiosk-Id: a\tb", "KM2-Kiosk-Id"},
        {"Payload-Oxum: 3032.3\n", "Payload-Oxum 3032.3\n",
         "Zeile 2 von bag-info.txt ist fehlerhaft"},
        {"Payload-Oxum: 3032.3\n", ": 3032.3\n", "Zeile 2"},
        {"Payload-Oxum: 3032.3\n", "Payload Oxum: 3032.3\n", "Zeile 2"},
        {"Payload-Oxum: 3032.3\n", "Payload-Oxum:3032.3\n", "Zeile 2"},
        {"Bagging-Date: 2026-11-24\n", "  continued\nBagging-Date: 2026-11-24\n", "Zeile 1"},
        {"Payload-Oxum: 3032.3\n", "Payload-Oxum: 3032.3\n\n", "Zeile 3 von bag-info.txt ist leer"},
        {"Payload-Oxum: 3032.3\n",
         "Payload-Oxum: 30\x01"
         "32.3\n",
         "Steuerzeichen"},
        {"Payload-Oxum: 3032.3\n", "Payload-Oxum: 3032.3\r\r\n", "Steuerzeichen"},
        {"Bücherei",
         "B\xfc"
         "cherei",
         "UTF-8"},
        {"Bücherei",
         "B\xc3\x28"
         "cherei",
         "UTF-8"},
        {"Bücherei",
         "B\xc0\xbc"
         "cherei",
         "UTF-8"}, /* overlong */
        {"Bücherei",
         "B\xed\xa0\x80"
         "cherei",
         "UTF-8"}, /* a surrogate */
    };
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
        info_variant(text, sizeof text, BAD[i].from, BAD[i].to);
        KsStatus st = bag_parse_facts(text, strlen(text), &b, why, sizeof why);
        if (st != KS_ERR_PARSE || !strstr(why, BAD[i].why))
            fail_msg("case %zu: %s (\"%s\"), wanted \"%s\"", i, ks_status_str(st), why, BAD[i].why);
        assert_string_equal(b.batch_id, ""); /* nothing half-filled */
        assert_int_equal(bag_parse_facts(text, strlen(text), &b, NULL, 0), KS_ERR_PARSE);
    }
    /* A NUL byte; nothing; over 64 KiB (text and file). */
    memcpy(text, GOOD_INFO, sizeof GOOD_INFO);
    text[5] = '\0';
    assert_int_equal(bag_parse_facts(text, strlen(GOOD_INFO), &b, why, sizeof why), KS_ERR_PARSE);
    assert_int_equal(bag_parse_facts("", 0, &b, why, sizeof why), KS_ERR_PARSE);
    assert_non_null(strstr(why, "fehlt das Feld"));
    char *big = malloc(70000);
    assert_non_null(big);
    memset(big, 'a', 70000);
    assert_int_equal(bag_parse_facts(big, 70000, &b, why, sizeof why), KS_ERR_PARSE);
    assert_non_null(strstr(why, "64 KiB"));
    free(big);
    snprintf(path, sizeof path, "%s/bag-info.txt", f->bag);
    assert_int_equal(test_run("head -c 70000 /dev/zero > '%s'", path), 0);
    assert_int_equal(bag_read_facts(f->bag, &b, why, sizeof why), KS_ERR_PARSE);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(bag_read_facts(f->bag, &b, why, sizeof why), KS_ERR_NOT_FOUND);
    assert_non_null(strstr(why, "bag-info.txt fehlt"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_file),
        cmocka_unit_test(test_plain_bag),
        cmocka_unit_test(test_age_bag),
        cmocka_unit_test(test_recipient),
        cmocka_unit_test(test_qr),
        cmocka_unit_test(test_check_public),
        cmocka_unit_test(test_check_manifests),
        cmocka_unit_test(test_facts),
    };
    return test_run_each(tests, fixture_setup, fixture_teardown);
}
