/* test_age: the age format in both directions against the real `age`
 * tools — our identities used by `age -d -i` and `age-keygen -y`, files
 * the `age` CLI encrypted read by age_decrypt_file (empty, one chunk,
 * several, to several recipients) — and the decrypter's refusals: wrong
 * identity, truncation at every level, trailing data, an empty final chunk,
 * a broken header MAC, malformed stanzas. Layouts no encrypter writes come
 * from a small age writer in this file built straight on libsodium. A
 * missing tool fails the test, it never skips. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../export/age.h"
#include "../../firmware/core/ks_status.h"
#include "../test_files.h"
#include "../test_main.h"
#include "../test_tmp.h"

typedef struct {
    char dir[64];
    char id_path[128]; /* an identity file we wrote */
    char identity[AGE_IDENTITY_MAX];
    char recipient[AGE_RECIPIENT_MAX];
    unsigned char secret[AGE_KEY_BYTES];
} Fixture;

/* Where the payload (the 16-byte nonce) starts: after the "--- " line. */
static size_t payload_offset(const unsigned char *buf, size_t n)
{
    for (size_t i = 0; i + 4 < n; i++)
        if (memcmp(buf + i, "\n--- ", 5) == 0) {
            const unsigned char *nl = memchr(buf + i + 1, '\n', n - i - 1);
            assert_non_null(nl);
            return (size_t)(nl - buf) + 1;
        }
    fail_msg("no header end");
    return 0;
}

static int fixture_setup(void **state)
{
    Fixture *f = TEST_FIXTURE_NEW(Fixture, "ks_age");
    age_identity_generate(f->identity, f->recipient);
    snprintf(f->id_path, sizeof f->id_path, "%s/team.txt", f->dir);
    assert_int_equal(age_identity_write(f->id_path, f->identity, f->recipient), KS_OK);
    assert_int_equal(age_identity_load(f->id_path, f->secret), KS_OK);
    *state = f;
    return 0;
}

static int fixture_teardown(void **state)
{
    Fixture *f = *state;
    test_fixture_free(f, f->dir);
    return 0;
}

/* ---- a hand-made age writer, for layouts no encrypter produces ---------- */

typedef struct {
    size_t len; /* plaintext bytes */
    bool last;  /* the STREAM last-chunk flag */
} ForgeChunk;

typedef struct {
    const char *before; /* header text before our stanza ("" none) */
    const char *after;  /* header text after it, before "---" */
    bool bad_mac;
    const ForgeChunk *chunks;
    int n_chunks;
    size_t trailing; /* junk bytes after the last chunk */
} Forge;

static void forge_hkdf(const unsigned char *salt, size_t salt_len, const unsigned char *ikm,
                       size_t ikm_len, const char *info, unsigned char out[32])
{
    unsigned char prk[32], one = 1, zero[32] = {0};
    crypto_auth_hmacsha256_state s;
    crypto_auth_hmacsha256_init(&s, salt_len ? salt : zero, salt_len ? salt_len : 32);
    crypto_auth_hmacsha256_update(&s, ikm, ikm_len);
    crypto_auth_hmacsha256_final(&s, prk);
    crypto_auth_hmacsha256_init(&s, prk, sizeof prk);
    crypto_auth_hmacsha256_update(&s, (const unsigned char *)info, strlen(info));
    crypto_auth_hmacsha256_update(&s, &one, 1);
    crypto_auth_hmacsha256_final(&s, out);
}

/* Writes an age file to recipient with the given layout; plaintext byte i
 * of the whole file is (i * 7) & 0xff. Returns the plaintext size. */
static size_t forge(const char *path, const unsigned char recipient[32], const Forge *g)
{
    unsigned char eph[32], share[32], shared[32], salt[64], wrap[32], file_key[16];
    unsigned char body[32], mac_key[32], mac[32], nonce[16], payload_key[32];
    unsigned char cnonce[12] = {0}, zero_nonce[12] = {0};
    char b64_share[64], b64_body[64], b64_mac[64], hdr[16384];
    size_t total = 0;

    assert_true(sodium_init() >= 0);
    randombytes_buf(file_key, sizeof file_key);
    randombytes_buf(eph, sizeof eph);
    crypto_scalarmult_base(share, eph);
    assert_int_equal(crypto_scalarmult(shared, eph, recipient), 0);
    memcpy(salt, share, 32);
    memcpy(salt + 32, recipient, 32);
    forge_hkdf(salt, 64, shared, 32, "age-encryption.org/v1/X25519", wrap);
    crypto_aead_chacha20poly1305_ietf_encrypt(body, NULL, file_key, 16, NULL, 0, NULL, zero_nonce,
                                              wrap);
    sodium_bin2base64(b64_share, sizeof b64_share, share, 32,
                      sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
    sodium_bin2base64(b64_body, sizeof b64_body, body, 32,
                      sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
    int n = snprintf(hdr, sizeof hdr, "age-encryption.org/v1\n%s-> X25519 %s\n%s\n%s---",
                     g->before ? g->before : "", b64_share, b64_body, g->after ? g->after : "");
    assert_true(n > 0 && (size_t)n < sizeof hdr - 64);
    forge_hkdf(NULL, 0, file_key, 16, "header", mac_key);
    crypto_auth_hmacsha256(mac, (const unsigned char *)hdr, (unsigned long long)n, mac_key);
    if (g->bad_mac)
        mac[5] ^= 1;
    sodium_bin2base64(b64_mac, sizeof b64_mac, mac, 32, sodium_base64_VARIANT_ORIGINAL_NO_PADDING);

    FILE *out = fopen(path, "wb");
    assert_non_null(out);
    fprintf(out, "%s %s\n", hdr, b64_mac);
    randombytes_buf(nonce, sizeof nonce);
    fwrite(nonce, 1, sizeof nonce, out);
    forge_hkdf(nonce, 16, file_key, 16, "payload", payload_key);
    unsigned char *plain = malloc(65536), *cipher = malloc(65536 + 16);
    assert_non_null(plain);
    assert_non_null(cipher);
    for (int c = 0; c < g->n_chunks; c++) {
        unsigned long long clen = 0;
        for (size_t i = 0; i < g->chunks[c].len; i++)
            plain[i] = (unsigned char)(((total + i) * 7) & 0xff);
        memset(cnonce, 0, sizeof cnonce);
        cnonce[10] = (unsigned char)c;
        cnonce[9] = (unsigned char)(c >> 8);
        cnonce[11] = g->chunks[c].last ? 1 : 0;
        crypto_aead_chacha20poly1305_ietf_encrypt(cipher, &clen, plain, g->chunks[c].len, NULL, 0,
                                                  NULL, cnonce, payload_key);
        fwrite(cipher, 1, (size_t)clen, out);
        total += g->chunks[c].len;
    }
    for (size_t i = 0; i < g->trailing; i++)
        fputc(0x5a, out);
    assert_int_equal(fclose(out), 0);
    free(plain);
    free(cipher);
    return total;
}

/* Checks an output file against forge's pattern. */
static void assert_pattern(const char *path, size_t want)
{
    size_t n = 0;
    unsigned char *buf = (unsigned char *)test_slurp(path, &n);
    assert_int_equal(n, want);
    for (size_t i = 0; i < n; i++)
        if (buf[i] != (unsigned char)((i * 7) & 0xff))
            fail_msg("byte %zu differs", i);
    free(buf);
}

/* ---- tests --------------------------------------------------------------- */

static void test_identity(void **state)
{
    Fixture *f = *state;
    char out[256], path[256];
    unsigned char secret[AGE_KEY_BYTES], key[AGE_KEY_BYTES];
    struct stat sb;

    assert_int_equal(strncmp(f->identity, "AGE-SECRET-KEY-1", 16), 0);
    assert_int_equal(strlen(f->identity), 74);
    assert_int_equal(strncmp(f->recipient, "age1", 4), 0);
    assert_int_equal(strlen(f->recipient), 62);
    assert_int_equal(age_parse_recipient(f->recipient, key), KS_OK);
    assert_int_equal(stat(f->id_path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);

    /* age-keygen reads our file and finds the same recipient. */
    assert_int_equal(test_capture(out, sizeof out, "age-keygen -y '%s'", f->id_path), 0);
    assert_string_equal(out, f->recipient);
    assert_int_equal(test_run("grep -qx '# public key: %s' '%s' && grep -q '^# created: 20' '%s'",
                              f->recipient, f->id_path, f->id_path),
                     0);
    age_recipient_of(f->secret, out);
    assert_string_equal(out, f->recipient);

    /* An existing file is never replaced; a mismatched pair is refused. */
    assert_int_equal(age_identity_write(f->id_path, f->identity, f->recipient), KS_ERR_STATE);
    char other_id[AGE_IDENTITY_MAX], other_rc[AGE_RECIPIENT_MAX];
    age_identity_generate(other_id, other_rc);
    assert_string_not_equal(other_id, f->identity);
    snprintf(path, sizeof path, "%s/mixed.txt", f->dir);
    assert_int_equal(age_identity_write(path, f->identity, other_rc), KS_ERR_INVALID);
    assert_int_equal(age_identity_write(path, "AGE-SECRET-KEY-1XYZ", other_rc), KS_ERR_INVALID);
    assert_int_not_equal(access(path, F_OK), 0);

    /* An identity age-keygen made loads; comments, blank lines, CRLF. */
    snprintf(path, sizeof path, "%s/keygen.txt", f->dir);
    assert_int_equal(test_run("age-keygen -o '%s' 2>/dev/null", path), 0);
    assert_int_equal(age_identity_load(path, secret), KS_OK);
    char want[AGE_RECIPIENT_MAX];
    assert_int_equal(test_capture(want, sizeof want, "age-keygen -y '%s'", path), 0);
    age_recipient_of(secret, out);
    assert_string_equal(out, want);
    snprintf(path, sizeof path, "%s/crlf.txt", f->dir);
    snprintf(out, sizeof out, "# a comment\r\n\r\n   \r\n%s\r\n", f->identity);
    test_write_text(path, out);
    assert_int_equal(age_identity_load(path, secret), KS_OK);
    assert_memory_equal(secret, f->secret, AGE_KEY_BYTES);

    /* What age itself refuses, we refuse. */
    snprintf(out, sizeof out, "%s\n", f->identity);
    for (char *c = out; *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c - 'A' + 'a');
    test_write_text(path, out); /* lower case */
    assert_int_equal(age_identity_load(path, secret), KS_ERR_PARSE);
    snprintf(out, sizeof out, "%s\n", f->identity);
    out[30] = out[30] == 'Q' ? 'P' : 'Q'; /* checksum breaks */
    test_write_text(path, out);
    assert_int_equal(age_identity_load(path, secret), KS_ERR_PARSE);
    snprintf(out, sizeof out, "%s\n", f->recipient); /* a recipient is no identity */
    test_write_text(path, out);
    assert_int_equal(age_identity_load(path, secret), KS_ERR_PARSE);
    snprintf(out, sizeof out, "garbage\n%s\n", f->identity); /* the first line decides */
    test_write_text(path, out);
    assert_int_equal(age_identity_load(path, secret), KS_ERR_PARSE);
    test_write_text(path, "# only comments\n\n");
    assert_int_equal(age_identity_load(path, secret), KS_ERR_PARSE);
    snprintf(out, sizeof out, "%s\x01\n", f->identity);
    test_write_text(path, out);
    assert_int_equal(age_identity_load(path, secret), KS_ERR_PARSE);
    snprintf(path, sizeof path, "%s/missing.txt", f->dir);
    assert_int_equal(age_identity_load(path, secret), KS_ERR_NOT_FOUND);
    /* A symlink to a good identity is not followed. */
    snprintf(path, sizeof path, "%s/link.txt", f->dir);
    assert_int_equal(symlink(f->id_path, path), 0);
    assert_int_equal(age_identity_load(path, secret), KS_ERR_IO);
}

/* Files we encrypt to our own new recipient: `age -d` with our identity
 * file reads them; so do we. */
static void test_cli_decrypts_ours(void **state)
{
    Fixture *f = *state;
    static const size_t SIZES[] = {0, 1, 65535, 65536, 65537, 131072, 200001};
    unsigned char key[AGE_KEY_BYTES];
    char in[256], enc[256], dec[256];
    assert_int_equal(age_parse_recipient(f->recipient, key), KS_OK);
    for (size_t i = 0; i < sizeof SIZES / sizeof SIZES[0]; i++) {
        snprintf(in, sizeof in, "%s/plain-%zu", f->dir, SIZES[i]);
        snprintf(enc, sizeof enc, "%s/ours-%zu.age", f->dir, SIZES[i]);
        snprintf(dec, sizeof dec, "%s/ours-%zu.out", f->dir, SIZES[i]);
        test_write_pattern(in, SIZES[i], (unsigned)i);
        assert_int_equal(age_encrypt_file(key, in, enc), KS_OK);
        assert_int_equal(test_run("age -d -i '%s' '%s' | cmp -s - '%s'", f->id_path, enc, in), 0);
        assert_int_equal(age_decrypt_file(f->secret, enc, dec), KS_OK);
        assert_int_equal(test_run("cmp -s '%s' '%s'", dec, in), 0);
    }
}

/* Files the age CLI encrypted: empty, small, exactly one chunk, several. */
static void test_we_decrypt_cli(void **state)
{
    Fixture *f = *state;
    static const size_t SIZES[] = {0, 17, 65536, 65552, 131072, 300007};
    char in[256], enc[256], dec[256], other[256], other_rc[128];
    struct stat sb;

    for (size_t i = 0; i < sizeof SIZES / sizeof SIZES[0]; i++) {
        snprintf(in, sizeof in, "%s/cli-%zu", f->dir, SIZES[i]);
        snprintf(enc, sizeof enc, "%s/cli-%zu.age", f->dir, SIZES[i]);
        snprintf(dec, sizeof dec, "%s/cli-%zu.out", f->dir, SIZES[i]);
        test_write_pattern(in, SIZES[i], (unsigned)i + 3);
        assert_int_equal(test_run("age -r %s -o '%s' '%s'", f->recipient, enc, in), 0);
        assert_int_equal(age_decrypt_file(f->secret, enc, dec), KS_OK);
        assert_int_equal(test_run("cmp -s '%s' '%s'", dec, in), 0);
        assert_int_equal(stat(dec, &sb), 0);
        assert_int_equal(sb.st_mode & 0777, 0600);
    }

    /* Several recipients, ours second; then only someone else's. */
    snprintf(other, sizeof other, "%s/other.txt", f->dir);
    assert_int_equal(test_run("age-keygen -o '%s' 2>/dev/null", other), 0);
    assert_int_equal(test_capture(other_rc, sizeof other_rc, "age-keygen -y '%s'", other), 0);
    snprintf(in, sizeof in, "%s/cli-131072", f->dir);
    snprintf(enc, sizeof enc, "%s/multi.age", f->dir);
    snprintf(dec, sizeof dec, "%s/multi.out", f->dir);
    assert_int_equal(test_run("age -r %s -r %s -o '%s' '%s'", other_rc, f->recipient, enc, in), 0);
    assert_int_equal(age_decrypt_file(f->secret, enc, dec), KS_OK);
    assert_int_equal(test_run("cmp -s '%s' '%s'", dec, in), 0);
    snprintf(enc, sizeof enc, "%s/theirs.age", f->dir);
    snprintf(dec, sizeof dec, "%s/theirs.out", f->dir);
    assert_int_equal(test_run("age -r %s -o '%s' '%s'", other_rc, enc, in), 0);
    assert_int_equal(age_decrypt_file(f->secret, enc, dec), KS_ERR_NOT_FOUND);
    assert_int_not_equal(access(dec, F_OK), 0);

    /* ASCII armor is not the binary format the kiosk writes. */
    snprintf(enc, sizeof enc, "%s/armored.age", f->dir);
    assert_int_equal(test_run("age -a -r %s -o '%s' '%s'", f->recipient, enc, in), 0);
    assert_int_equal(age_decrypt_file(f->secret, enc, dec), KS_ERR_PARSE);
    snprintf(enc, sizeof enc, "%s/nothing-here.age", f->dir);
    assert_int_equal(age_decrypt_file(f->secret, enc, dec), KS_ERR_IO);
}

/* One CLI file cut, extended and flipped in every way that matters. */
static void test_tampered(void **state)
{
    Fixture *f = *state;
    char in[256], enc[256], bad[256], dec[256], keep[256];
    size_t n = 0;

    snprintf(in, sizeof in, "%s/three-chunks", f->dir);
    snprintf(enc, sizeof enc, "%s/three-chunks.age", f->dir);
    snprintf(bad, sizeof bad, "%s/bad.age", f->dir);
    snprintf(dec, sizeof dec, "%s/bad.out", f->dir);
    test_write_pattern(in, 2 * 65536 + 1000, 9);
    assert_int_equal(test_run("age -r %s -o '%s' '%s'", f->recipient, enc, in), 0);
    unsigned char *buf = (unsigned char *)test_slurp(enc, &n);
    size_t pay = payload_offset(buf, n);
    const size_t full = 65536 + 16;
    assert_int_equal(n, pay + 16 + 2 * full + 1000 + 16);

    /* Cut at every level: in the header, in the nonce, with only the nonce,
     * at a chunk boundary (the final chunk missing), inside a chunk. */
    const struct {
        size_t len;
        KsStatus want;
    } CUTS[] = {
        {pay - 10, KS_ERR_PARSE},
        {pay + 8, KS_ERR_CORRUPT},
        {pay + 16, KS_ERR_CORRUPT},
        {pay + 16 + 10, KS_ERR_CORRUPT},
        {pay + 16 + full, KS_ERR_CORRUPT},
        {pay + 16 + 2 * full, KS_ERR_CORRUPT},
        {pay + 16 + 2 * full + 500, KS_ERR_CORRUPT},
        {n - 1, KS_ERR_CORRUPT},
    };
    for (size_t i = 0; i < sizeof CUTS / sizeof CUTS[0]; i++) {
        test_write_data(bad, buf, CUTS[i].len);
        assert_int_equal(age_decrypt_file(f->secret, bad, dec), CUTS[i].want);
        assert_int_not_equal(access(dec, F_OK), 0); /* no partial plaintext stays */
    }

    /* Data after the final chunk: one byte, a whole chunk's worth. */
    unsigned char *longer = malloc(n + full);
    assert_non_null(longer);
    memcpy(longer, buf, n);
    memset(longer + n, 0, full);
    test_write_data(bad, longer, n + 1);
    assert_int_equal(age_decrypt_file(f->secret, bad, dec), KS_ERR_CORRUPT);
    memcpy(longer + n, buf + pay + 16, full); /* a copy of chunk 0 behind the end */
    test_write_data(bad, longer, n + full);
    assert_int_equal(age_decrypt_file(f->secret, bad, dec), KS_ERR_CORRUPT);
    assert_int_not_equal(access(dec, F_OK), 0);
    free(longer);

    /* One bit flipped in the second chunk; in the nonce. */
    buf[pay + 16 + full + 100] ^= 0x01;
    test_write_data(bad, buf, n);
    assert_int_equal(age_decrypt_file(f->secret, bad, dec), KS_ERR_CORRUPT);
    assert_int_not_equal(access(dec, F_OK), 0);
    buf[pay + 16 + full + 100] ^= 0x01;
    buf[pay + 3] ^= 0x80;
    test_write_data(bad, buf, n);
    assert_int_equal(age_decrypt_file(f->secret, bad, dec), KS_ERR_CORRUPT);
    buf[pay + 3] ^= 0x80;

    /* The header MAC: one base64 character changed to another (still
     * canonical, in the middle of the MAC). */
    unsigned char *mac = buf + pay - 1 - 43;
    assert_memory_equal(mac - 4, "--- ", 4);
    unsigned char was = mac[10];
    mac[10] = was == 'A' ? 'B' : 'A';
    test_write_data(bad, buf, n);
    assert_int_equal(age_decrypt_file(f->secret, bad, dec), KS_ERR_CORRUPT);
    assert_int_not_equal(access(dec, F_OK), 0);
    mac[10] = was;

    /* A file that is no age file: nothing is written, and an existing file
     * of the output's name stays as it was. */
    snprintf(keep, sizeof keep, "%s/keep.txt", f->dir);
    test_write_text(keep, "Bestand\n");
    assert_int_equal(age_decrypt_file(f->secret, in, keep), KS_ERR_PARSE);
    assert_int_equal(test_run("grep -qx Bestand '%s'", keep), 0);
    free(buf);

    /* The original still decrypts, to the byte. */
    assert_int_equal(age_decrypt_file(f->secret, enc, dec), KS_OK);
    assert_int_equal(test_run("cmp -s '%s' '%s'", dec, in), 0);
}

/* Chunk layouts: what is allowed and what is not. */
static void test_stream_rules(void **state)
{
    Fixture *f = *state;
    unsigned char pk[AGE_KEY_BYTES];
    char path[256], dec[256];
    size_t total;
    assert_int_equal(age_parse_recipient(f->recipient, pk), KS_OK);
    snprintf(path, sizeof path, "%s/forged.age", f->dir);
    snprintf(dec, sizeof dec, "%s/forged.out", f->dir);

    /* Sanity: the hand-made writer makes files age and we read. */
    const ForgeChunk two[] = {{65536, false}, {10, true}};
    total = forge(path, pk, &(Forge){.chunks = two, .n_chunks = 2});
    assert_int_equal(age_decrypt_file(f->secret, path, dec), KS_OK);
    assert_pattern(dec, total);
    assert_int_equal(test_run("age -d -i '%s' '%s' | cmp -s - '%s'", f->id_path, path, dec), 0);

    const ForgeChunk full_last[] = {{65536, true}};
    total = forge(path, pk, &(Forge){.chunks = full_last, .n_chunks = 1});
    assert_int_equal(age_decrypt_file(f->secret, path, dec), KS_OK);
    assert_pattern(dec, total);

    const ForgeChunk empty[] = {{0, true}};
    forge(path, pk, &(Forge){.chunks = empty, .n_chunks = 1});
    assert_int_equal(age_decrypt_file(f->secret, path, dec), KS_OK);
    assert_pattern(dec, 0);

    /* An empty final chunk after a full one: refused (age refuses it too). */
    const ForgeChunk empty_tail[] = {{65536, false}, {0, true}};
    forge(path, pk, &(Forge){.chunks = empty_tail, .n_chunks = 2});
    assert_int_equal(age_decrypt_file(f->secret, path, dec), KS_ERR_CORRUPT);
    assert_int_not_equal(access(dec, F_OK), 0);
    assert_int_not_equal(test_run("age -d -i '%s' '%s' >/dev/null 2>&1", f->id_path, path), 0);

    /* No chunk marked last; a short chunk not marked last; a chunk after
     * the last one; no chunk at all. */
    const ForgeChunk no_last[] = {{65536, false}};
    forge(path, pk, &(Forge){.chunks = no_last, .n_chunks = 1});
    assert_int_equal(age_decrypt_file(f->secret, path, dec), KS_ERR_CORRUPT);
    const ForgeChunk short_mid[] = {{100, false}};
    forge(path, pk, &(Forge){.chunks = short_mid, .n_chunks = 1});
    assert_int_equal(age_decrypt_file(f->secret, path, dec), KS_ERR_CORRUPT);
    const ForgeChunk after_last[] = {{65536, true}, {5, true}};
    forge(path, pk, &(Forge){.chunks = after_last, .n_chunks = 2});
    assert_int_equal(age_decrypt_file(f->secret, path, dec), KS_ERR_CORRUPT);
    forge(path, pk, &(Forge){.chunks = NULL, .n_chunks = 0});
    assert_int_equal(age_decrypt_file(f->secret, path, dec), KS_ERR_CORRUPT);
    forge(path, pk, &(Forge){.chunks = two, .n_chunks = 2, .trailing = 3});
    assert_int_equal(age_decrypt_file(f->secret, path, dec), KS_ERR_CORRUPT);
    assert_int_not_equal(access(dec, F_OK), 0);
}

/* Header shapes: unknown stanzas are skipped, malformed ones refused, the
 * MAC is checked. */
static void test_header_rules(void **state)
{
    Fixture *f = *state;
    unsigned char pk[AGE_KEY_BYTES];
    char path[256], dec[256], line64[65], many[8192];
    const ForgeChunk one[] = {{1000, true}};
    assert_int_equal(age_parse_recipient(f->recipient, pk), KS_OK);
    snprintf(path, sizeof path, "%s/hdr.age", f->dir);
    snprintf(dec, sizeof dec, "%s/hdr.out", f->dir);
    memset(line64, 'A', 64);
    line64[64] = '\0';

    char ok_before[256];
    snprintf(ok_before, sizeof ok_before, "-> grease.example a+b/c 7\n%s\n\n-> empty\n\n", line64);
    forge(path, pk,
          &(Forge){
              .before = ok_before, .after = "-> last-one x\nAAAA\n", .chunks = one, .n_chunks = 1});
    assert_int_equal(age_decrypt_file(f->secret, path, dec), KS_OK);
    assert_pattern(dec, 1000);
    assert_int_equal(test_run("age -d -i '%s' '%s' >/dev/null", f->id_path, path), 0);

    assert_int_equal(unlink(dec), 0);
    forge(path, pk, &(Forge){.bad_mac = true, .chunks = one, .n_chunks = 1});
    assert_int_equal(age_decrypt_file(f->secret, path, dec), KS_ERR_CORRUPT);
    assert_int_not_equal(access(dec, F_OK), 0);

    char b68[128]; /* 68 columns: valid base64, but over 64 */
    snprintf(b68, sizeof b68, "-> long\n%sAAAA\n\n", line64);
    char no_short[128];
    snprintf(no_short, sizeof no_short, "-> noend\n%s\n", line64); /* "---" then read as body */
    const char *BAD[] = {
        "-> X25519 short\nAAAA\n",     /* a malformed X25519 stanza */
        "-> X25519\nAAAA\n",           /* no share */
        "->  two-spaces\n\n",          /* an empty argument */
        "-> trailing \n\n",            /* a trailing space */
        "->\n\n",                      /* no type */
        "-> nonb64\nAA=A\n",           /* padding, not base64 */
        "-> noncanonical\nAAF\n",      /* non-zero padding bits */
        "-> scrypt c2FsdA 10\nAAAA\n", /* scrypt beside another stanza */
        "junk line\n",
        "-> tab\there\n\n",
        b68,
        no_short,
    };
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
        forge(path, pk, &(Forge){.before = BAD[i], .chunks = one, .n_chunks = 1});
        if (age_decrypt_file(f->secret, path, dec) != KS_ERR_PARSE)
            fail_msg("header part %zu accepted: %s", i, BAD[i]);
        assert_int_not_equal(access(dec, F_OK), 0);
    }

    /* An X25519 stanza with a valid share but a third argument. */
    unsigned char eph[32], share[32];
    char b64_share[64], extra_arg[256];
    randombytes_buf(eph, sizeof eph);
    crypto_scalarmult_base(share, eph);
    sodium_bin2base64(b64_share, sizeof b64_share, share, sizeof share,
                      sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
    snprintf(extra_arg, sizeof extra_arg, "-> X25519 %s extra\n%.43s\n", b64_share, line64);
    forge(path, pk, &(Forge){.before = extra_arg, .chunks = one, .n_chunks = 1});
    assert_int_equal(age_decrypt_file(f->secret, path, dec), KS_ERR_PARSE);
    snprintf(extra_arg, sizeof extra_arg, "-> X25519 %s\n%.43s\n", b64_share, line64);
    forge(path, pk, &(Forge){.before = extra_arg, .chunks = one, .n_chunks = 1});
    assert_int_equal(age_decrypt_file(f->secret, path, dec), KS_OK); /* someone else's stanza */
    assert_int_equal(unlink(dec), 0);

    /* More stanzas than anyone needs: refused before their crypto runs. */
    size_t off = 0;
    for (int i = 0; i < 70; i++)
        off += (size_t)snprintf(many + off, sizeof many - off, "-> grease%d\n\n", i);
    forge(path, pk, &(Forge){.before = many, .chunks = one, .n_chunks = 1});
    assert_int_equal(age_decrypt_file(f->secret, path, dec), KS_ERR_PARSE);

    /* The version line and line ends are exact. */
    test_write_text(path, "age-encryption.org/v2\n-> X25519 AAAA\nAAAA\n--- AAAA\n");
    assert_int_equal(age_decrypt_file(f->secret, path, dec), KS_ERR_PARSE);
    test_write_text(path, "age-encryption.org/v1\r\n");
    assert_int_equal(age_decrypt_file(f->secret, path, dec), KS_ERR_PARSE);
    test_write_text(path, "");
    assert_int_equal(age_decrypt_file(f->secret, path, dec), KS_ERR_PARSE);
}

/* Memory does not grow with the file: a 24 MiB file decrypts within a few
 * MiB of the peak before it. */
static void test_streaming(void **state)
{
    Fixture *f = *state;
    char in[256], enc[256], dec[256];
    struct rusage before, after;
    snprintf(in, sizeof in, "%s/big", f->dir);
    snprintf(enc, sizeof enc, "%s/big.age", f->dir);
    snprintf(dec, sizeof dec, "%s/big.out", f->dir);
    assert_int_equal(test_run("head -c 25165824 /dev/urandom > '%s' && age -r %s -o '%s' '%s'", in,
                              f->recipient, enc, in),
                     0);
    assert_int_equal(getrusage(RUSAGE_SELF, &before), 0);
    assert_int_equal(age_decrypt_file(f->secret, enc, dec), KS_OK);
    assert_int_equal(getrusage(RUSAGE_SELF, &after), 0);
    assert_true(after.ru_maxrss - before.ru_maxrss < 4 * 1024); /* KiB */
    assert_int_equal(test_run("cmp -s '%s' '%s'", dec, in), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_identity),       cmocka_unit_test(test_cli_decrypts_ours),
        cmocka_unit_test(test_we_decrypt_cli), cmocka_unit_test(test_tampered),
        cmocka_unit_test(test_stream_rules),   cmocka_unit_test(test_header_rules),
        cmocka_unit_test(test_streaming),
    };
    return test_run_each(tests, fixture_setup, fixture_teardown);
}
