/* sign: Ed25519 key files (the kiosk's own format and minisign's
 * unencrypted secret key), minisign public keys and minisign-compatible
 * signatures. Owns the secret: it never leaves this file except as a key
 * file, and it is wiped on destroy. Writes no bag files (bag.c does). */
#include "sign.h"

#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../firmware/core/log.h"
#include "../firmware/core/mem.h"
#include "bagit.h"

#define SIGN_FILE_MAGIC "KM2KIOSK-ED25519-SECRET-KEY-1"
#define SIGN_FILE_MAX 1024
#define SIGN_KEYNUM_BYTES 8
/* "Ed"/"ED" + key number + signature */
#define SIGN_BLOB_BYTES (2 + SIGN_KEYNUM_BYTES + crypto_sign_BYTES)
/* "Ed" + key number + public key: a minisign public key */
#define SIGN_PUBLIC_BYTES (2 + SIGN_KEYNUM_BYTES + crypto_sign_PUBLICKEYBYTES)
#define SIGN_UNTRUSTED "untrusted comment:"

/* minisign's secret key: sig_alg "Ed", kdf_alg ("Sc" or two zero bytes
 * when unencrypted), cksum_alg "B2", the scrypt salt and limits (unused
 * when unencrypted), then key number, secret key and checksum. */
#define SIGN_MS_KDF 2
#define SIGN_MS_CHK_ALG 4
#define SIGN_MS_KEYNUM (6 + 32 + 8 + 8)
#define SIGN_MS_SK (SIGN_MS_KEYNUM + SIGN_KEYNUM_BYTES)
#define SIGN_MS_CHK (SIGN_MS_SK + crypto_sign_SECRETKEYBYTES)
#define SIGN_MS_BYTES (SIGN_MS_CHK + 32)

struct SignKey {
    unsigned char keynum[SIGN_KEYNUM_BYTES];
    unsigned char sk[crypto_sign_SECRETKEYBYTES];
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    char id[17];
};

/* minisign prints the key number as a little-endian 64-bit integer. */
static void sign_format_id(const unsigned char keynum[SIGN_KEYNUM_BYTES], char out[17])
{
    static const char hex[] = "0123456789ABCDEF";
    for (int i = 0; i < SIGN_KEYNUM_BYTES; i++) {
        unsigned char b = keynum[SIGN_KEYNUM_BYTES - 1 - i];
        out[2 * i] = hex[b >> 4];
        out[2 * i + 1] = hex[b & 15];
    }
    out[16] = '\0';
}

/* Fills in the public half and id of a key whose keynum and sk are set.
 * KS_ERR_CORRUPT when the public half stored in sk does not derive from
 * its seed, so a damaged file is never used to sign. */
static KsStatus sign_key_complete(SignKey *k)
{
    unsigned char seed_pk[crypto_sign_PUBLICKEYBYTES], seed_sk[crypto_sign_SECRETKEYBYTES];
    crypto_sign_ed25519_sk_to_pk(k->pk, k->sk);
    crypto_sign_seed_keypair(seed_pk, seed_sk, k->sk);
    sign_format_id(k->keynum, k->id);
    sodium_memzero(seed_sk, sizeof seed_sk);
    return sodium_memcmp(seed_pk, k->pk, sizeof seed_pk) == 0 ? KS_OK : KS_ERR_CORRUPT;
}

/* Parses the kiosk's key file text. */
static KsStatus sign_parse_file(const char *text, SignKey *k)
{
    char magic[64], id[32], b64[256];
    unsigned char blob[SIGN_KEYNUM_BYTES + crypto_sign_SECRETKEYBYTES];
    size_t blob_len = 0;
    const char *end = NULL;
    KsStatus ks = KS_ERR_PARSE;

    if (sscanf(text, "%63s %31s %255s", magic, id, b64) != 3 || strcmp(magic, SIGN_FILE_MAGIC) != 0)
        goto cleanup;
    if (sodium_base642bin(blob, sizeof blob, b64, strlen(b64), NULL, &blob_len, &end,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        blob_len != sizeof blob || *end != '\0')
        goto cleanup;
    memcpy(k->keynum, blob, SIGN_KEYNUM_BYTES);
    memcpy(k->sk, blob + SIGN_KEYNUM_BYTES, crypto_sign_SECRETKEYBYTES);
    ks = sign_key_complete(k);
    if (ks == KS_OK && strcmp(id, k->id) != 0)
        ks = KS_ERR_CORRUPT;
cleanup:
    sodium_memzero(blob, sizeof blob);
    sodium_memzero(b64, sizeof b64);
    return ks;
}

/* Reads a secret key file (a regular file, not through a symlink, at most
 * SIGN_FILE_MAX - 1 bytes) into buf. fix_mode: the kiosk's own key is set
 * back to 0600; any other key only gets a warning. */
static KsStatus sign_read_secret(const char *path, char buf[SIGN_FILE_MAX + 1], bool fix_mode)
{
    struct stat sb;
    ssize_t n = 0;
    KsStatus ks = KS_ERR_IO;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? KS_ERR_NOT_FOUND : KS_ERR_IO;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        LOG_ERROR("key file %s is not a regular file", path);
        goto cleanup;
    }
    /* Wider permissions are fixed, not refused: a kiosk that cannot sign
     * cannot hand over its data at all. The log line tells the technician. */
    if ((sb.st_mode & 07777) != 0600) {
        LOG_WARN("key file %s has mode %04o%s", path, (unsigned)(sb.st_mode & 07777),
                 fix_mode ? "; setting 0600" : "");
        if (fix_mode && fchmod(fd, 0600) != 0) {
            LOG_ERROR("chmod %s: %s", path, strerror(errno));
            goto cleanup;
        }
    }
    do
        n = read(fd, buf, SIGN_FILE_MAX);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        goto cleanup;
    if (n == SIGN_FILE_MAX) {
        ks = KS_ERR_PARSE;
        goto cleanup;
    }
    buf[n] = '\0';
    ks = KS_OK;
cleanup:
    close(fd);
    return ks;
}

static KsStatus sign_load(const char *path, SignKey *k)
{
    char buf[SIGN_FILE_MAX + 1];
    KsStatus ks = sign_read_secret(path, buf, true);
    if (ks == KS_OK)
        ks = sign_parse_file(buf, k);
    if (ks != KS_OK && ks != KS_ERR_NOT_FOUND)
        LOG_ERROR("key file %s: %s", path, ks_status_str(ks));
    sodium_memzero(buf, sizeof buf);
    return ks;
}

static void sign_new_key(SignKey *k)
{
    randombytes_buf(k->keynum, sizeof k->keynum);
    crypto_sign_keypair(k->pk, k->sk);
    sign_format_id(k->keynum, k->id);
}

static KsStatus sign_create(const char *path, SignKey *k)
{
    unsigned char blob[SIGN_KEYNUM_BYTES + crypto_sign_SECRETKEYBYTES];
    char b64[sodium_base64_ENCODED_LEN(sizeof blob, sodium_base64_VARIANT_ORIGINAL)];
    char text[SIGN_FILE_MAX];
    int len;

    sign_new_key(k);
    memcpy(blob, k->keynum, SIGN_KEYNUM_BYTES);
    memcpy(blob + SIGN_KEYNUM_BYTES, k->sk, crypto_sign_SECRETKEYBYTES);
    sodium_bin2base64(b64, sizeof b64, blob, sizeof blob, sodium_base64_VARIANT_ORIGINAL);
    len = snprintf(text, sizeof text, "%s\n%s\n%s\n", SIGN_FILE_MAGIC, k->id, b64);
    KsStatus ks = bagit_create_file(path, text, (size_t)len, 0600);
    if (ks == KS_OK)
        LOG_INFO("created signing key %s in %s", k->id, path);
    sodium_memzero(blob, sizeof blob);
    sodium_memzero(b64, sizeof b64);
    sodium_memzero(text, sizeof text);
    return ks;
}

KsStatus sign_key_load_or_create(const char *path, SignKey **out)
{
    *out = NULL;
    if (sodium_init() < 0)
        return KS_ERR_STATE;
    SignKey *k = xcalloc(1, sizeof *k);
    KsStatus ks = sign_load(path, k);
    if (ks == KS_ERR_NOT_FOUND)
        ks = sign_create(path, k);
    if (ks != KS_OK) {
        sign_key_destroy(k);
        return ks;
    }
    *out = k;
    return KS_OK;
}

/* The minisign checksum: BLAKE2b-256 of sig_alg, key number and secret key. */
static void sign_ms_checksum(const unsigned char blob[SIGN_MS_BYTES], unsigned char chk[32])
{
    crypto_generichash_state hs;
    crypto_generichash_init(&hs, NULL, 0, 32);
    crypto_generichash_update(&hs, blob, 2);
    crypto_generichash_update(&hs, blob + SIGN_MS_KEYNUM, SIGN_KEYNUM_BYTES);
    crypto_generichash_update(&hs, blob + SIGN_MS_SK, crypto_sign_SECRETKEYBYTES);
    crypto_generichash_final(&hs, chk, 32);
    sodium_memzero(&hs, sizeof hs);
}

KsStatus sign_key_create_minisign(const char *path, SignKey **out)
{
    unsigned char blob[SIGN_MS_BYTES] = {0};
    char b64[sodium_base64_ENCODED_LEN(SIGN_MS_BYTES, sodium_base64_VARIANT_ORIGINAL)];
    char text[SIGN_FILE_MAX];
    KsStatus ks;
    int len;

    *out = NULL;
    if (sodium_init() < 0)
        return KS_ERR_STATE;
    SignKey *k = xcalloc(1, sizeof *k);
    sign_new_key(k);
    /* Unencrypted: kdf_alg, salt and limits stay zero, as minisign -W
     * leaves them. The checksum is written all the same. */
    memcpy(blob, "Ed", 2);
    memcpy(blob + SIGN_MS_CHK_ALG, "B2", 2);
    memcpy(blob + SIGN_MS_KEYNUM, k->keynum, SIGN_KEYNUM_BYTES);
    memcpy(blob + SIGN_MS_SK, k->sk, crypto_sign_SECRETKEYBYTES);
    sign_ms_checksum(blob, blob + SIGN_MS_CHK);
    sodium_bin2base64(b64, sizeof b64, blob, sizeof blob, sodium_base64_VARIANT_ORIGINAL);
    len = snprintf(text, sizeof text, SIGN_UNTRUSTED " minisign secret key %s (unencrypted)\n%s\n",
                   k->id, b64);
    ks = bagit_create_file(path, text, (size_t)len, 0600);
    sodium_memzero(blob, sizeof blob);
    sodium_memzero(b64, sizeof b64);
    sodium_memzero(text, sizeof text);
    if (ks != KS_OK) {
        LOG_ERROR("minisign key %s: %s", path, ks_status_str(ks));
        sign_key_destroy(k);
        return ks;
    }
    LOG_INFO("created minisign key %s in %s", k->id, path);
    *out = k;
    return KS_OK;
}

static bool sign_is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The base64 line after an "untrusted comment:" line, blanks around it
 * dropped, copied into line. False when the text has another shape. */
static bool sign_key_line(const char *text, bool comment_required, char *line, size_t size)
{
    const char *s = text, *end;
    while (sign_is_blank(*s))
        s++;
    if (strncmp(s, SIGN_UNTRUSTED, strlen(SIGN_UNTRUSTED)) == 0) {
        s = strchr(s, '\n');
        if (!s)
            return false;
        while (sign_is_blank(*s))
            s++;
    } else if (comment_required) {
        return false;
    }
    end = s + strlen(s);
    while (end > s && sign_is_blank(end[-1]))
        end--;
    if (end == s || (size_t)(end - s) >= size)
        return false;
    for (const char *p = s; p < end; p++)
        if (sign_is_blank(*p))
            return false;
    memcpy(line, s, (size_t)(end - s));
    line[end - s] = '\0';
    return true;
}

static bool sign_b64_exact(const char *b64, unsigned char *bin, size_t len)
{
    size_t got = 0;
    const char *end = NULL;
    return sodium_base642bin(bin, len, b64, strlen(b64), NULL, &got, &end,
                             sodium_base64_VARIANT_ORIGINAL) == 0 &&
           got == len && *end == '\0';
}

static bool sign_all_zero(const unsigned char *p, size_t n)
{
    unsigned char acc = 0;
    for (size_t i = 0; i < n; i++)
        acc |= p[i];
    return acc == 0;
}

static KsStatus sign_parse_minisign(const char *text, SignKey *k)
{
    char line[sodium_base64_ENCODED_LEN(SIGN_MS_BYTES, sodium_base64_VARIANT_ORIGINAL) + 1];
    unsigned char blob[SIGN_MS_BYTES], chk[32];
    KsStatus ks = KS_ERR_PARSE;

    if (!sign_key_line(text, true, line, sizeof line) || !sign_b64_exact(line, blob, sizeof blob) ||
        memcmp(blob, "Ed", 2) != 0 || memcmp(blob + SIGN_MS_CHK_ALG, "B2", 2) != 0)
        goto cleanup;
    if (memcmp(blob + SIGN_MS_KDF, "Sc", 2) == 0) {
        ks = KS_ERR_UNSUPPORTED;
        goto cleanup;
    }
    if (blob[SIGN_MS_KDF] != 0 || blob[SIGN_MS_KDF + 1] != 0)
        goto cleanup;
    /* minisign -W leaves the checksum of an unencrypted key all zero (it
     * checks it only when decrypting); any other value must match. */
    sign_ms_checksum(blob, chk);
    if (!sign_all_zero(blob + SIGN_MS_CHK, 32) && sodium_memcmp(chk, blob + SIGN_MS_CHK, 32) != 0) {
        ks = KS_ERR_CORRUPT;
        goto cleanup;
    }
    memcpy(k->keynum, blob + SIGN_MS_KEYNUM, SIGN_KEYNUM_BYTES);
    memcpy(k->sk, blob + SIGN_MS_SK, crypto_sign_SECRETKEYBYTES);
    ks = sign_key_complete(k);
cleanup:
    sodium_memzero(line, sizeof line);
    sodium_memzero(blob, sizeof blob);
    return ks;
}

KsStatus sign_key_load_minisign(const char *path, SignKey **out)
{
    char buf[SIGN_FILE_MAX + 1];
    KsStatus ks;

    *out = NULL;
    if (sodium_init() < 0)
        return KS_ERR_STATE;
    SignKey *k = xcalloc(1, sizeof *k);
    ks = sign_read_secret(path, buf, false);
    if (ks == KS_OK)
        ks = sign_parse_minisign(buf, k);
    sodium_memzero(buf, sizeof buf);
    if (ks != KS_OK) {
        LOG_ERROR("minisign key %s: %s", path, ks_status_str(ks));
        sign_key_destroy(k);
        return ks;
    }
    *out = k;
    return KS_OK;
}

void sign_key_destroy(SignKey *k)
{
    if (!k)
        return;
    sodium_memzero(k, sizeof *k);
    free(k);
}

const char *sign_key_id(const SignKey *k)
{
    return k->id;
}

void sign_key_public(const SignKey *k, SignPublic *out)
{
    memcpy(out->keynum, k->keynum, sizeof out->keynum);
    memcpy(out->pk, k->pk, sizeof out->pk);
    memcpy(out->id, k->id, sizeof out->id);
}

void sign_public_line(const SignPublic *p, char *buf, size_t size)
{
    unsigned char blob[SIGN_PUBLIC_BYTES];
    char b64[sodium_base64_ENCODED_LEN(sizeof blob, sodium_base64_VARIANT_ORIGINAL)];
    blob[0] = 'E';
    blob[1] = 'd';
    memcpy(blob + 2, p->keynum, SIGN_KEYNUM_BYTES);
    memcpy(blob + 2 + SIGN_KEYNUM_BYTES, p->pk, crypto_sign_PUBLICKEYBYTES);
    sodium_bin2base64(b64, sizeof b64, blob, sizeof blob, sodium_base64_VARIANT_ORIGINAL);
    snprintf(buf, size, "%s", b64);
}

KsStatus sign_public_parse(const char *text, SignPublic *out)
{
    char line[SIGN_PUBLIC_LINE];
    unsigned char blob[SIGN_PUBLIC_BYTES];
    memset(out, 0, sizeof *out);
    if (!text || !sign_key_line(text, false, line, sizeof line) ||
        !sign_b64_exact(line, blob, sizeof blob) || blob[0] != 'E' || blob[1] != 'd')
        return KS_ERR_PARSE;
    memcpy(out->keynum, blob + 2, SIGN_KEYNUM_BYTES);
    memcpy(out->pk, blob + 2 + SIGN_KEYNUM_BYTES, crypto_sign_PUBLICKEYBYTES);
    sign_format_id(out->keynum, out->id);
    return KS_OK;
}

void sign_key_public_file(const SignKey *k, char *buf, size_t size)
{
    SignPublic p;
    char line[SIGN_PUBLIC_LINE];
    sign_key_public(k, &p);
    sign_public_line(&p, line, sizeof line);
    snprintf(buf, size, "untrusted comment: minisign public key %s\n%s\n", k->id, line);
}

KsStatus sign_minisig_create(const SignKey *k, const unsigned char *msg, size_t len,
                             const char *trusted_comment, char **out)
{
    unsigned char hash[crypto_generichash_BYTES_MAX];
    unsigned char blob[SIGN_BLOB_BYTES];
    unsigned char global[crypto_sign_BYTES];
    char b64_blob[sodium_base64_ENCODED_LEN(SIGN_BLOB_BYTES, sodium_base64_VARIANT_ORIGINAL)];
    char b64_global[sodium_base64_ENCODED_LEN(crypto_sign_BYTES, sodium_base64_VARIANT_ORIGINAL)];
    size_t tc_len = strlen(trusted_comment);
    char *tc = xstrdup(trusted_comment);
    unsigned char *global_msg = xmalloc(crypto_sign_BYTES + tc_len);
    size_t size;

    for (size_t i = 0; i < tc_len; i++)
        if ((unsigned char)tc[i] < 0x20 || tc[i] == 0x7f)
            tc[i] = ' ';
    crypto_generichash(hash, sizeof hash, msg, len, NULL, 0);
    blob[0] = 'E';
    blob[1] = 'D';
    memcpy(blob + 2, k->keynum, SIGN_KEYNUM_BYTES);
    crypto_sign_detached(blob + 2 + SIGN_KEYNUM_BYTES, NULL, hash, sizeof hash, k->sk);
    /* The global signature binds the trusted comment to this signature. */
    memcpy(global_msg, blob + 2 + SIGN_KEYNUM_BYTES, crypto_sign_BYTES);
    memcpy(global_msg + crypto_sign_BYTES, tc, tc_len);
    crypto_sign_detached(global, NULL, global_msg, crypto_sign_BYTES + tc_len, k->sk);
    sodium_bin2base64(b64_blob, sizeof b64_blob, blob, sizeof blob, sodium_base64_VARIANT_ORIGINAL);
    sodium_bin2base64(b64_global, sizeof b64_global, global, sizeof global,
                      sodium_base64_VARIANT_ORIGINAL);
    size = 128 + sizeof b64_blob + sizeof b64_global + tc_len;
    *out = xmalloc(size);
    snprintf(*out, size,
             "untrusted comment: signature from km2kiosk secret key %s\n%s\n"
             "trusted comment: %s\n%s\n",
             k->id, b64_blob, tc, b64_global);
    free(global_msg);
    free(tc);
    return KS_OK;
}

/* Copies the next line of *p (without \n or \r\n) into a fresh string and
 * advances *p; NULL at the end of the text. */
static char *sign_next_line(const char **p)
{
    const char *s = *p;
    if (*s == '\0')
        return NULL;
    const char *nl = strchr(s, '\n');
    size_t n = nl ? (size_t)(nl - s) : strlen(s);
    *p = nl ? nl + 1 : s + n;
    if (n > 0 && s[n - 1] == '\r')
        n--;
    return xstrndup(s, n);
}

KsStatus sign_minisig_verify_public(const SignPublic *p, const unsigned char *msg, size_t len,
                                    const char *sig_text)
{
    static const char UNTRUSTED[] = "untrusted comment: ";
    static const char TRUSTED[] = "trusted comment: ";
    unsigned char blob[SIGN_BLOB_BYTES];
    unsigned char global[crypto_sign_BYTES];
    unsigned char hash[crypto_generichash_BYTES_MAX];
    const char *s = sig_text ? sig_text : "";
    char *l1 = sign_next_line(&s), *l2 = sign_next_line(&s);
    char *l3 = sign_next_line(&s), *l4 = sign_next_line(&s);
    unsigned char *global_msg = NULL;
    const unsigned char *sig = blob + 2 + SIGN_KEYNUM_BYTES;
    KsStatus ks = KS_ERR_PARSE;
    size_t tc_len;
    int ok;

    if (sodium_init() < 0) {
        ks = KS_ERR_STATE;
        goto cleanup;
    }
    if (!l1 || !l2 || !l3 || !l4 || strncmp(l1, UNTRUSTED, strlen(UNTRUSTED)) != 0 ||
        strncmp(l3, TRUSTED, strlen(TRUSTED)) != 0 || !sign_b64_exact(l2, blob, sizeof blob) ||
        !sign_b64_exact(l4, global, sizeof global) || blob[0] != 'E' ||
        (blob[1] != 'd' && blob[1] != 'D'))
        goto cleanup;
    ks = KS_ERR_CORRUPT;
    if (memcmp(blob + 2, p->keynum, SIGN_KEYNUM_BYTES) != 0) {
        LOG_WARN("signature is from another key than %s", p->id);
        goto cleanup;
    }
    if (blob[1] == 'D') {
        crypto_generichash(hash, sizeof hash, msg, len, NULL, 0);
        ok = crypto_sign_verify_detached(sig, hash, sizeof hash, p->pk) == 0;
    } else {
        ok = crypto_sign_verify_detached(sig, msg, len, p->pk) == 0;
    }
    if (!ok)
        goto cleanup;
    tc_len = strlen(l3) - strlen(TRUSTED);
    global_msg = xmalloc(crypto_sign_BYTES + tc_len);
    memcpy(global_msg, sig, crypto_sign_BYTES);
    memcpy(global_msg + crypto_sign_BYTES, l3 + strlen(TRUSTED), tc_len);
    if (crypto_sign_verify_detached(global, global_msg, crypto_sign_BYTES + tc_len, p->pk) != 0)
        goto cleanup;
    ks = KS_OK;
cleanup:
    free(global_msg);
    free(l1);
    free(l2);
    free(l3);
    free(l4);
    return ks;
}

KsStatus sign_minisig_verify(const SignKey *k, const unsigned char *msg, size_t len,
                             const char *sig_text)
{
    SignPublic p;
    sign_key_public(k, &p);
    return sign_minisig_verify_public(&p, msg, len, sig_text);
}
