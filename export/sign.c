/* sign: the kiosk's Ed25519 key file and minisign-compatible signatures.
 * Owns the secret: it never leaves this file except as the key file itself,
 * and it is wiped on destroy. Writes no bag files (bag.c does). */
#include "sign.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../firmware/core/log.h"
#include "../firmware/core/mem.h"

#define SIGN_FILE_MAGIC "KM2KIOSK-ED25519-SECRET-KEY-1"
#define SIGN_FILE_MAX 1024
#define SIGN_KEYNUM_BYTES 8
/* "Ed"/"ED" + key number + signature */
#define SIGN_BLOB_BYTES (2 + SIGN_KEYNUM_BYTES + crypto_sign_BYTES)

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

static KsStatus sign_fsync_parent(const char *path)
{
    char *copy = xstrdup(path);
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    KsStatus st = KS_OK;
    if (fd < 0 || fsync(fd) != 0) {
        LOG_ERROR("fsync of the directory of %s: %s", path, strerror(errno));
        st = KS_ERR_IO;
    }
    if (fd >= 0)
        close(fd);
    free(copy);
    return st;
}

/* Parses the key file text; checks that the public half derives from the
 * secret seed so a damaged file is never used to sign. */
static KsStatus sign_parse_file(const char *text, SignKey *k)
{
    char magic[64], id[32], b64[256];
    unsigned char blob[SIGN_KEYNUM_BYTES + crypto_sign_SECRETKEYBYTES];
    unsigned char seed_pk[crypto_sign_PUBLICKEYBYTES], seed_sk[crypto_sign_SECRETKEYBYTES];
    size_t blob_len = 0;
    const char *end = NULL;
    KsStatus st = KS_ERR_PARSE;

    if (sscanf(text, "%63s %31s %255s", magic, id, b64) != 3 || strcmp(magic, SIGN_FILE_MAGIC) != 0)
        goto cleanup;
    if (sodium_base642bin(blob, sizeof blob, b64, strlen(b64), NULL, &blob_len, &end,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        blob_len != sizeof blob || *end != '\0')
        goto cleanup;
    memcpy(k->keynum, blob, SIGN_KEYNUM_BYTES);
    memcpy(k->sk, blob + SIGN_KEYNUM_BYTES, crypto_sign_SECRETKEYBYTES);
    crypto_sign_ed25519_sk_to_pk(k->pk, k->sk);
    crypto_sign_seed_keypair(seed_pk, seed_sk, k->sk);
    sign_format_id(k->keynum, k->id);
    if (sodium_memcmp(seed_pk, k->pk, sizeof seed_pk) != 0 || strcmp(id, k->id) != 0) {
        st = KS_ERR_CORRUPT;
        goto cleanup;
    }
    st = KS_OK;
cleanup:
    sodium_memzero(blob, sizeof blob);
    sodium_memzero(seed_sk, sizeof seed_sk);
    sodium_memzero(b64, sizeof b64);
    return st;
}

static KsStatus sign_load(const char *path, SignKey *k)
{
    char buf[SIGN_FILE_MAX + 1];
    struct stat sb;
    ssize_t n = 0;
    KsStatus st = KS_ERR_IO;
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
        LOG_WARN("key file %s had mode %04o; setting 0600", path, (unsigned)(sb.st_mode & 07777));
        if (fchmod(fd, 0600) != 0) {
            LOG_ERROR("chmod %s: %s", path, strerror(errno));
            goto cleanup;
        }
    }
    n = read(fd, buf, SIGN_FILE_MAX);
    if (n < 0)
        goto cleanup;
    if (n == SIGN_FILE_MAX) {
        st = KS_ERR_PARSE;
        goto cleanup;
    }
    buf[n] = '\0';
    st = sign_parse_file(buf, k);
    if (st != KS_OK)
        LOG_ERROR("key file %s: %s", path, ks_status_str(st));
cleanup:
    sodium_memzero(buf, sizeof buf);
    close(fd);
    return st;
}

static KsStatus sign_create(const char *path, SignKey *k)
{
    unsigned char blob[SIGN_KEYNUM_BYTES + crypto_sign_SECRETKEYBYTES];
    char b64[sodium_base64_ENCODED_LEN(sizeof blob, sodium_base64_VARIANT_ORIGINAL)];
    char text[SIGN_FILE_MAX];
    char tmp[4096];
    KsStatus st = KS_ERR_IO;
    int fd = -1;
    int len;

    randombytes_buf(k->keynum, sizeof k->keynum);
    crypto_sign_keypair(k->pk, k->sk);
    sign_format_id(k->keynum, k->id);
    memcpy(blob, k->keynum, SIGN_KEYNUM_BYTES);
    memcpy(blob + SIGN_KEYNUM_BYTES, k->sk, crypto_sign_SECRETKEYBYTES);
    sodium_bin2base64(b64, sizeof b64, blob, sizeof blob, sodium_base64_VARIANT_ORIGINAL);
    len = snprintf(text, sizeof text, "%s\n%s\n%s\n", SIGN_FILE_MAGIC, k->id, b64);
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
        st = KS_ERR_INVALID;
        goto cleanup;
    }
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0 || fchmod(fd, 0600) != 0 || write(fd, text, (size_t)len) != len || fsync(fd) != 0) {
        LOG_ERROR("writing key file %s: %s", tmp, strerror(errno));
        goto cleanup;
    }
    close(fd);
    fd = -1;
    /* link() rather than rename(): never replaces a key another process
     * created meanwhile. */
    if (link(tmp, path) != 0) {
        LOG_ERROR("creating key file %s: %s", path, strerror(errno));
        unlink(tmp);
        goto cleanup;
    }
    unlink(tmp);
    st = sign_fsync_parent(path);
    if (st == KS_OK)
        LOG_INFO("created signing key %s in %s", k->id, path);
cleanup:
    if (fd >= 0) {
        close(fd);
        unlink(tmp);
    }
    sodium_memzero(blob, sizeof blob);
    sodium_memzero(b64, sizeof b64);
    sodium_memzero(text, sizeof text);
    return st;
}

KsStatus sign_key_load_or_create(const char *path, SignKey **out)
{
    *out = NULL;
    if (sodium_init() < 0)
        return KS_ERR_STATE;
    SignKey *k = xcalloc(1, sizeof *k);
    KsStatus st = sign_load(path, k);
    if (st == KS_ERR_NOT_FOUND)
        st = sign_create(path, k);
    if (st != KS_OK) {
        sign_key_destroy(k);
        return st;
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

void sign_key_public_file(const SignKey *k, char *buf, size_t size)
{
    unsigned char blob[2 + SIGN_KEYNUM_BYTES + crypto_sign_PUBLICKEYBYTES];
    char b64[sodium_base64_ENCODED_LEN(sizeof blob, sodium_base64_VARIANT_ORIGINAL)];
    blob[0] = 'E';
    blob[1] = 'd';
    memcpy(blob + 2, k->keynum, SIGN_KEYNUM_BYTES);
    memcpy(blob + 2 + SIGN_KEYNUM_BYTES, k->pk, crypto_sign_PUBLICKEYBYTES);
    sodium_bin2base64(b64, sizeof b64, blob, sizeof blob, sodium_base64_VARIANT_ORIGINAL);
    snprintf(buf, size, "untrusted comment: minisign public key %s\n%s\n", k->id, b64);
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
    sodium_bin2base64(b64_blob, sizeof b64_blob, blob, sizeof blob,
                      sodium_base64_VARIANT_ORIGINAL);
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

static bool sign_b64_exact(const char *b64, unsigned char *bin, size_t len)
{
    size_t got = 0;
    const char *end = NULL;
    return sodium_base642bin(bin, len, b64, strlen(b64), NULL, &got, &end,
                             sodium_base64_VARIANT_ORIGINAL) == 0 &&
           got == len && *end == '\0';
}

KsStatus sign_minisig_verify(const SignKey *k, const unsigned char *msg, size_t len,
                             const char *sig_text)
{
    static const char UNTRUSTED[] = "untrusted comment: ";
    static const char TRUSTED[] = "trusted comment: ";
    unsigned char blob[SIGN_BLOB_BYTES];
    unsigned char global[crypto_sign_BYTES];
    unsigned char hash[crypto_generichash_BYTES_MAX];
    const char *p = sig_text;
    char *l1 = sign_next_line(&p), *l2 = sign_next_line(&p);
    char *l3 = sign_next_line(&p), *l4 = sign_next_line(&p);
    unsigned char *global_msg = NULL;
    const unsigned char *sig = blob + 2 + SIGN_KEYNUM_BYTES;
    KsStatus st = KS_ERR_PARSE;
    size_t tc_len;
    int ok;

    if (!l1 || !l2 || !l3 || !l4 || strncmp(l1, UNTRUSTED, strlen(UNTRUSTED)) != 0 ||
        strncmp(l3, TRUSTED, strlen(TRUSTED)) != 0 || !sign_b64_exact(l2, blob, sizeof blob) ||
        !sign_b64_exact(l4, global, sizeof global) || blob[0] != 'E' ||
        (blob[1] != 'd' && blob[1] != 'D'))
        goto cleanup;
    st = KS_ERR_CORRUPT;
    if (memcmp(blob + 2, k->keynum, SIGN_KEYNUM_BYTES) != 0) {
        LOG_WARN("signature is from another key");
        goto cleanup;
    }
    if (blob[1] == 'D') {
        crypto_generichash(hash, sizeof hash, msg, len, NULL, 0);
        ok = crypto_sign_verify_detached(sig, hash, sizeof hash, k->pk) == 0;
    } else {
        ok = crypto_sign_verify_detached(sig, msg, len, k->pk) == 0;
    }
    if (!ok)
        goto cleanup;
    tc_len = strlen(l3) - strlen(TRUSTED);
    global_msg = xmalloc(crypto_sign_BYTES + tc_len);
    memcpy(global_msg, sig, crypto_sign_BYTES);
    memcpy(global_msg + crypto_sign_BYTES, l3 + strlen(TRUSTED), tc_len);
    if (crypto_sign_verify_detached(global, global_msg, crypto_sign_BYTES + tc_len, k->pk) != 0)
        goto cleanup;
    st = KS_OK;
cleanup:
    free(global_msg);
    free(l1);
    free(l2);
    free(l3);
    free(l4);
    return st;
}
