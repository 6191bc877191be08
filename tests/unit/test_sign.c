/* test_sign: minisign compatibility byte for byte, proved with the real
 * `minisign` tool: a secret key file we create signs with `minisign -S`,
 * one `minisign -G -W` created loads here, signatures cross both ways, and
 * public keys parse from a .pub file or the bare line. Damaged, encrypted
 * and foreign keys, forged signatures and edited trusted comments are
 * refused. A missing tool fails the test, it never skips. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../export/bag.h"
#include "../../export/sign.h"
#include "../../firmware/core/ks_status.h"
#include "../test_files.h"
#include "../test_main.h"
#include "../test_tmp.h"

typedef struct {
    char dir[64];
} Fixture;

static int fixture_setup(void **state)
{
    Fixture *f = TEST_FIXTURE_NEW(Fixture, "ks_sign");
    *state = f;
    return 0;
}

static int fixture_teardown(void **state)
{
    Fixture *f = *state;
    test_fixture_free(f, f->dir);
    return 0;
}

/* Rewrites the base64 line of a minisign secret key file after fix(blob). */
static void edit_secret(const char *path, void (*fix)(unsigned char blob[158]))
{
    char *text = test_slurp(path, NULL);
    char *line = strchr(text, '\n') + 1;
    line[strcspn(line, "\n")] = '\0';
    unsigned char blob[158];
    size_t n = 0;
    assert_int_equal(sodium_base642bin(blob, sizeof blob, line, strlen(line), NULL, &n, NULL,
                                       sodium_base64_VARIANT_ORIGINAL),
                     0);
    assert_int_equal(n, 158);
    fix(blob);
    char b64[256], out[512];
    sodium_bin2base64(b64, sizeof b64, blob, sizeof blob, sodium_base64_VARIANT_ORIGINAL);
    snprintf(out, sizeof out, "untrusted comment: edited\n%s\n", b64);
    test_write_text(path, out);
    free(text);
}

static void flip_keynum(unsigned char blob[158])
{
    blob[54] ^= 1;
}
static void flip_seed(unsigned char blob[158])
{
    blob[62] ^= 1;
}
static void set_scrypt(unsigned char blob[158])
{
    memcpy(blob + 2, "Sc", 2);
}
static void set_kdf_junk(unsigned char blob[158])
{
    memcpy(blob + 2, "Zz", 2);
}
static void set_alg(unsigned char blob[158])
{
    memcpy(blob, "Ec", 2);
}
static void set_chk_alg(unsigned char blob[158])
{
    memcpy(blob + 4, "B3", 2);
}
static void zero_chk(unsigned char blob[158])
{
    memset(blob + 126, 0, 32);
}

static void test_public_parse(void **state)
{
    Fixture *f = *state;
    char path[256], file[512], line[SIGN_PUBLIC_LINE], text[512];
    SignKey *k = NULL;
    SignPublic a, b;
    snprintf(path, sizeof path, "%s/kiosk.key", f->dir);
    assert_int_equal(sign_key_load_or_create(path, &k), KS_OK);
    sign_key_public_file(k, file, sizeof file);
    sign_key_public(k, &a);
    assert_string_equal(a.id, sign_key_id(k));
    sign_public_line(&a, line, sizeof line);
    assert_int_equal(strlen(line), 56);
    assert_true(strncmp(line, "RW", 2) == 0);
    assert_non_null(strstr(file, line));

    /* A whole .pub file, the bare line, blanks around either. */
    assert_int_equal(sign_public_parse(file, &b), KS_OK);
    assert_memory_equal(&a, &b, sizeof a);
    assert_int_equal(sign_public_parse(line, &b), KS_OK);
    assert_memory_equal(&a, &b, sizeof a);
    snprintf(text, sizeof text, "  \n\t%s \r\n\n", line);
    assert_int_equal(sign_public_parse(text, &b), KS_OK);
    assert_memory_equal(&a, &b, sizeof a);
    snprintf(text, sizeof text, "untrusted comment: x\r\n%s\r\n", line);
    assert_int_equal(sign_public_parse(text, &b), KS_OK);
    assert_memory_equal(&a, &b, sizeof a);

    /* A key minisign made, parsed from its .pub file and its line. */
    char pub[256], msline[128];
    snprintf(pub, sizeof pub, "%s/ms.pub", f->dir);
    assert_int_equal(test_run("cd '%s' && minisign -G -W -s ms.key -p ms.pub >/dev/null", f->dir),
                     0);
    char *ms = test_slurp(pub, NULL);
    assert_int_equal(sign_public_parse(ms, &b), KS_OK);
    snprintf(msline, sizeof msline, "%s", strchr(ms, '\n') + 1);
    msline[strcspn(msline, "\n")] = '\0';
    assert_int_equal(sign_public_parse(msline, &b), KS_OK);
    sign_public_line(&b, line, sizeof line);
    assert_string_equal(line, msline);
    free(ms);

    /* Everything else. */
    char shorter[64], other_alg[64];
    snprintf(shorter, sizeof shorter, "%.52s", msline);
    unsigned char blob[42];
    size_t n = 0;
    assert_int_equal(sodium_base642bin(blob, sizeof blob, msline, 56, NULL, &n, NULL,
                                       sodium_base64_VARIANT_ORIGINAL),
                     0);
    blob[1] = 'D';
    sodium_bin2base64(other_alg, sizeof other_alg, blob, sizeof blob,
                      sodium_base64_VARIANT_ORIGINAL);
    snprintf(text, sizeof text, "%s\n%s\n", msline, msline);
    const char *BAD[] = {
        "",   "   \n", "untrusted comment: only a comment",           shorter, other_alg,
        text, "RW!!",  "untrusted comment: x\nuntrusted comment: y\n"};
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
        if (sign_public_parse(BAD[i], &b) != KS_ERR_PARSE)
            fail_msg("accepted public key %zu: %s", i, BAD[i]);
        assert_string_equal(b.id, "");
    }
    assert_int_equal(sign_public_parse(NULL, &b), KS_ERR_PARSE);
    sign_key_destroy(k);
}

/* Our key file in minisign's format: minisign signs with it, and we verify
 * its signatures; ours verify with minisign -V. */
static void test_our_minisign_key(void **state)
{
    Fixture *f = *state;
    char key[256], pub[256], msg[256], text[512];
    struct stat sb;
    SignKey *k = NULL, *again = NULL;
    SignPublic p;
    char *sig = NULL;

    snprintf(key, sizeof key, "%s/office.key", f->dir);
    snprintf(pub, sizeof pub, "%s/office.pub", f->dir);
    snprintf(msg, sizeof msg, "%s/message.txt", f->dir);
    assert_int_equal(sign_key_create_minisign(key, &k), KS_OK);
    assert_int_equal(stat(key, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    sign_key_public_file(k, text, sizeof text);
    test_write_text(pub, text);
    test_write_text(msg, "KM2-Batch-Id: X\n");
    assert_int_equal(sign_key_create_minisign(key, &again), KS_ERR_STATE);
    assert_null(again);

    /* minisign signs with our file; minisign and we verify. */
    assert_int_equal(
        test_run("minisign -S -s '%s' -m '%s' -t 'from the tool' </dev/null >/dev/null", key, msg),
        0);
    assert_int_equal(test_run("minisign -V -p '%s' -m '%s' >/dev/null", pub, msg), 0);
    sign_key_public(k, &p);
    snprintf(text, sizeof text, "%s.minisig", msg);
    char *tool_sig = NULL;
    FILE *fp = fopen(text, "rb");
    assert_non_null(fp);
    tool_sig = calloc(1, 4096);
    assert_non_null(tool_sig);
    assert_true(fread(tool_sig, 1, 4095, fp) > 0);
    fclose(fp);
    const char *m = "KM2-Batch-Id: X\n";
    assert_int_equal(sign_minisig_verify_public(&p, (const unsigned char *)m, strlen(m), tool_sig),
                     KS_OK);
    assert_int_equal(sign_minisig_verify(k, (const unsigned char *)m, strlen(m), tool_sig), KS_OK);
    assert_int_equal(sign_minisig_verify_public(&p, (const unsigned char *)"KM2-Batch-Id: Y\n",
                                                strlen(m), tool_sig),
                     KS_ERR_CORRUPT);

    /* It loads back as the same key, and what we sign minisign verifies. */
    assert_int_equal(sign_key_load_minisign(key, &again), KS_OK);
    assert_string_equal(sign_key_id(again), sign_key_id(k));
    assert_int_equal(sign_minisig_create(again, (const unsigned char *)m, strlen(m), "ours", &sig),
                     KS_OK);
    test_write_text(text, sig);
    assert_int_equal(test_run("minisign -V -p '%s' -m '%s' >/dev/null", pub, msg), 0);
    sign_public_line(&p, text, sizeof text);
    assert_int_equal(test_run("minisign -V -P '%s' -m '%s' >/dev/null", text, msg), 0);

    free(sig);
    free(tool_sig);
    sign_key_destroy(again);
    sign_key_destroy(k);
}

/* A key `minisign -G -W` created loads, signs for minisign -V, and verifies
 * what minisign signed with it. */
static void test_their_minisign_key(void **state)
{
    Fixture *f = *state;
    char key[256], pub[256], msg[256], sigpath[256];
    SignKey *k = NULL;
    SignPublic p, mine;
    char *sig = NULL;
    const char *m = "tagmanifest\n";

    snprintf(key, sizeof key, "%s/tool.key", f->dir);
    snprintf(pub, sizeof pub, "%s/tool.pub", f->dir);
    snprintf(msg, sizeof msg, "%s/m.txt", f->dir);
    snprintf(sigpath, sizeof sigpath, "%s/m.txt.minisig", f->dir);
    assert_int_equal(test_run("minisign -G -W -s '%s' -p '%s' >/dev/null", key, pub), 0);
    assert_int_equal(test_run("chmod 600 '%s'", key), 0);
    char *pubtext = test_slurp(pub, NULL);
    assert_int_equal(sign_public_parse(pubtext, &p), KS_OK);
    free(pubtext);
    assert_int_equal(sign_key_load_minisign(key, &k), KS_OK);
    assert_string_equal(sign_key_id(k), p.id);
    sign_key_public(k, &mine);
    assert_memory_equal(&mine, &p, sizeof p);

    test_write_text(msg, m);
    assert_int_equal(sign_minisig_create(k, (const unsigned char *)m, strlen(m), "x", &sig), KS_OK);
    test_write_text(sigpath, sig);
    free(sig);
    assert_int_equal(test_run("minisign -V -p '%s' -m '%s' >/dev/null", pub, msg), 0);
    assert_int_equal(test_run("minisign -S -s '%s' -m '%s' </dev/null >/dev/null", key, msg), 0);
    sig = test_slurp(sigpath, NULL);
    assert_int_equal(sign_minisig_verify_public(&p, (const unsigned char *)m, strlen(m), sig),
                     KS_OK);
    free(sig);
    sign_key_destroy(k);
}

static void test_damaged_keys(void **state)
{
    Fixture *f = *state;
    char ours[256], tool[256], path[256];
    SignKey *k = NULL;
    snprintf(ours, sizeof ours, "%s/ours.key", f->dir);
    snprintf(tool, sizeof tool, "%s/tool.key", f->dir);
    snprintf(path, sizeof path, "%s/edit.key", f->dir);
    assert_int_equal(sign_key_create_minisign(ours, &k), KS_OK);
    sign_key_destroy(k);
    assert_int_equal(test_run("minisign -G -W -s '%s' -p '%s.pub' >/dev/null", tool, tool), 0);

    /* Our checksum catches a changed key number; a changed seed no longer
     * matches the public half in the file, with or without checksum. */
    const struct {
        const char *from;
        void (*fix)(unsigned char blob[158]);
        KsStatus want;
    } CASES[] = {
        {ours, flip_keynum, KS_ERR_CORRUPT},    {ours, flip_seed, KS_ERR_CORRUPT},
        {tool, flip_seed, KS_ERR_CORRUPT},      {ours, zero_chk, KS_OK},
        {ours, set_scrypt, KS_ERR_UNSUPPORTED}, {ours, set_kdf_junk, KS_ERR_PARSE},
        {ours, set_alg, KS_ERR_PARSE},          {ours, set_chk_alg, KS_ERR_PARSE},
    };
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        assert_int_equal(test_run("cp '%s' '%s'", CASES[i].from, path), 0);
        edit_secret(path, CASES[i].fix);
        KsStatus st = sign_key_load_minisign(path, &k);
        if (st != CASES[i].want)
            fail_msg("case %zu: %s", i, ks_status_str(st));
        sign_key_destroy(k);
        k = NULL;
    }

    /* Not a minisign secret key at all. */
    const char *BAD[] = {"", "untrusted comment: x\n", "untrusted comment: x\nAAAA\n", "RWQAAEIy\n",
                         "KM2KIOSK-ED25519-SECRET-KEY-1\n0000000000000000\nAAAA\n"};
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
        test_write_text(path, BAD[i]);
        assert_int_equal(sign_key_load_minisign(path, &k), KS_ERR_PARSE);
        assert_null(k);
    }
    /* A minisign public key is not a secret key; the kiosk's own key file
     * is not one in minisign's format. */
    assert_int_equal(test_run("cp '%s.pub' '%s'", tool, path), 0);
    assert_int_equal(sign_key_load_minisign(path, &k), KS_ERR_PARSE);
    snprintf(path, sizeof path, "%s/kiosk.key", f->dir);
    assert_int_equal(sign_key_load_or_create(path, &k), KS_OK);
    sign_key_destroy(k);
    assert_int_equal(sign_key_load_minisign(path, &k), KS_ERR_PARSE);
    snprintf(path, sizeof path, "%s/absent.key", f->dir);
    assert_int_equal(sign_key_load_minisign(path, &k), KS_ERR_NOT_FOUND);
    snprintf(path, sizeof path, "%s/link.key", f->dir);
    assert_int_equal(symlink(ours, path), 0);
    assert_int_equal(sign_key_load_minisign(path, &k), KS_ERR_IO);
    assert_null(k);
}

static void test_forged_signatures(void **state)
{
    Fixture *f = *state;
    char path[256];
    SignKey *k = NULL, *other = NULL;
    SignPublic p, q;
    char *sig = NULL, *other_sig = NULL;
    const unsigned char *m = (const unsigned char *)"bagit.txt manifest\n";
    size_t len = strlen((const char *)m);

    snprintf(path, sizeof path, "%s/a.key", f->dir);
    assert_int_equal(sign_key_create_minisign(path, &k), KS_OK);
    snprintf(path, sizeof path, "%s/b.key", f->dir);
    assert_int_equal(sign_key_create_minisign(path, &other), KS_OK);
    sign_key_public(k, &p);
    sign_key_public(other, &q);
    assert_int_equal(sign_minisig_create(k, m, len, "timestamp:1\tfile:x", &sig), KS_OK);
    assert_int_equal(sign_minisig_create(other, m, len, "timestamp:1\tfile:x", &other_sig), KS_OK);
    assert_int_equal(sign_minisig_verify_public(&p, m, len, sig), KS_OK);

    /* Another key's signature; ours checked with another key; the other
     * key's signature relabelled with our key number. */
    assert_int_equal(sign_minisig_verify_public(&p, m, len, other_sig), KS_ERR_CORRUPT);
    assert_int_equal(sign_minisig_verify_public(&q, m, len, sig), KS_ERR_CORRUPT);
    char *l2 = strchr(other_sig, '\n') + 1;
    unsigned char blob[74];
    size_t n = 0;
    assert_int_equal(sodium_base642bin(blob, sizeof blob, l2, strcspn(l2, "\n"), NULL, &n, NULL,
                                       sodium_base64_VARIANT_ORIGINAL),
                     0);
    memcpy(blob + 2, p.keynum, 8);
    char b64[128], forged[1024];
    sodium_bin2base64(b64, sizeof b64, blob, sizeof blob, sodium_base64_VARIANT_ORIGINAL);
    char *l3 = strchr(l2, '\n') + 1;
    snprintf(forged, sizeof forged, "untrusted comment: x\n%s\n%s", b64, l3);
    assert_int_equal(sign_minisig_verify_public(&p, m, len, forged), KS_ERR_CORRUPT);

    /* The trusted comment edited; the untrusted one may change freely. */
    snprintf(forged, sizeof forged, "%s", sig);
    char *tc = strstr(forged, "timestamp:1");
    tc[10] = '2';
    assert_int_equal(sign_minisig_verify_public(&p, m, len, forged), KS_ERR_CORRUPT);
    snprintf(forged, sizeof forged, "untrusted comment: anything at all\n%s",
             strchr(sig, '\n') + 1);
    assert_int_equal(sign_minisig_verify_public(&p, m, len, forged), KS_OK);

    /* Malformed texts. */
    snprintf(forged, sizeof forged, "%s", sig);
    forged[strlen(forged) - 5] = '!';
    const char *BAD[] = {"", "untrusted comment: x\n", forged,
                         "untrusted comment: x\nAAAA\ntrusted comment: \nAAAA\n"};
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++)
        assert_int_equal(sign_minisig_verify_public(&p, m, len, BAD[i]), KS_ERR_PARSE);
    free(sig);
    free(other_sig);
    sign_key_destroy(k);
    sign_key_destroy(other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_public_parse),       cmocka_unit_test(test_our_minisign_key),
        cmocka_unit_test(test_their_minisign_key), cmocka_unit_test(test_damaged_keys),
        cmocka_unit_test(test_forged_signatures),
    };
    return test_run_each(tests, fixture_setup, fixture_teardown);
}
