/* age: the age v1 file format, writer side only, for one X25519 recipient.
 * Owns the recipient encoding (bech32) and the header/STREAM layout; it
 * opens exactly the two files it is given and nothing else. */
#include "age.h"

#include <errno.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../firmware/core/log.h"
#include "../firmware/core/mem.h"

#define AGE_FILE_KEY_BYTES 16
#define AGE_CHUNK 65536
#define AGE_TAG crypto_aead_chacha20poly1305_ietf_ABYTES
#define AGE_B64(n) sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL_NO_PADDING)

static const char AGE_BECH32[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

static uint32_t age_polymod_step(uint32_t chk, unsigned v)
{
    static const uint32_t GEN[5] = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
    uint32_t top = chk >> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (int i = 0; i < 5; i++)
        if ((top >> i) & 1)
            chk ^= GEN[i];
    return chk;
}

KsStatus age_parse_recipient(const char *text, unsigned char key[AGE_KEY_BYTES])
{
    static const char HRP[] = "age";
    size_t len = text ? strlen(text) : 0;
    bool lower = false, upper = false;
    uint32_t chk = 1, acc = 0;
    unsigned bits = 0;
    size_t out = 0;

    /* "age" + "1" + 52 data characters (32 bytes) + 6 checksum characters */
    if (len != 3 + 1 + 52 + 6)
        return KS_ERR_INVALID;
    for (size_t i = 0; i < len; i++) {
        lower |= text[i] >= 'a' && text[i] <= 'z';
        upper |= text[i] >= 'A' && text[i] <= 'Z';
    }
    if ((lower && upper) || (text[0] | 0x20) != 'a' || (text[1] | 0x20) != 'g' ||
        (text[2] | 0x20) != 'e' || text[3] != '1')
        return KS_ERR_INVALID;
    for (size_t i = 0; i < 3; i++)
        chk = age_polymod_step(chk, (unsigned)HRP[i] >> 5);
    chk = age_polymod_step(chk, 0);
    for (size_t i = 0; i < 3; i++)
        chk = age_polymod_step(chk, (unsigned)HRP[i] & 31);
    for (size_t i = 4; i < len; i++) {
        const char *pos = strchr(AGE_BECH32, text[i] | 0x20);
        if (!pos || *pos == '\0')
            return KS_ERR_INVALID;
        unsigned v = (unsigned)(pos - AGE_BECH32);
        chk = age_polymod_step(chk, v);
        if (i >= len - 6)
            continue;
        acc = (acc << 5) | v;
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            if (out < AGE_KEY_BYTES)
                key[out] = (unsigned char)(acc >> bits);
            out++;
        }
    }
    /* Padding must be under 5 bits and zero (BIP 173). */
    if (chk != 1 || out != AGE_KEY_BYTES || bits >= 5 || (acc & ((1u << bits) - 1)) != 0)
        return KS_ERR_INVALID;
    return KS_OK;
}

/* HKDF-SHA-256 (RFC 5869) with a 32-byte output: one HMAC to extract, one
 * to expand. An empty salt is an empty HMAC key, as the RFC's zero key. */
static void age_hkdf(const unsigned char *salt, size_t salt_len, const unsigned char *ikm,
                     size_t ikm_len, const char *info, unsigned char out[32])
{
    static const unsigned char one = 1;
    unsigned char prk[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state s;
    crypto_auth_hmacsha256_init(&s, salt_len ? salt : prk, salt_len);
    crypto_auth_hmacsha256_update(&s, ikm, ikm_len);
    crypto_auth_hmacsha256_final(&s, prk);
    crypto_auth_hmacsha256_init(&s, prk, sizeof prk);
    crypto_auth_hmacsha256_update(&s, (const unsigned char *)info, strlen(info));
    crypto_auth_hmacsha256_update(&s, &one, 1);
    crypto_auth_hmacsha256_final(&s, out);
    sodium_memzero(prk, sizeof prk);
    sodium_memzero(&s, sizeof s);
}

/* Builds the header (stanza and MAC line) for a fresh file key. */
static KsStatus age_header(const unsigned char recipient[AGE_KEY_BYTES],
                           const unsigned char file_key[AGE_FILE_KEY_BYTES], char *hdr,
                           size_t size)
{
    static const unsigned char zero_nonce[crypto_aead_chacha20poly1305_ietf_NPUBBYTES] = {0};
    unsigned char eph[crypto_scalarmult_SCALARBYTES], share[crypto_scalarmult_BYTES];
    unsigned char shared[crypto_scalarmult_BYTES], salt[2 * AGE_KEY_BYTES];
    unsigned char wrap_key[32], mac_key[32], body[AGE_FILE_KEY_BYTES + AGE_TAG];
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    char b64_share[AGE_B64(sizeof share)], b64_body[AGE_B64(sizeof body)];
    char b64_mac[AGE_B64(sizeof mac)];
    KsStatus st = KS_ERR_INVALID;
    int n;

    randombytes_buf(eph, sizeof eph);
    crypto_scalarmult_base(share, eph);
    if (crypto_scalarmult(shared, eph, recipient) != 0) {
        LOG_ERROR("age recipient is a low-order point");
        goto cleanup;
    }
    memcpy(salt, share, AGE_KEY_BYTES);
    memcpy(salt + AGE_KEY_BYTES, recipient, AGE_KEY_BYTES);
    age_hkdf(salt, sizeof salt, shared, sizeof shared, "age-encryption.org/v1/X25519", wrap_key);
    crypto_aead_chacha20poly1305_ietf_encrypt(body, NULL, file_key, AGE_FILE_KEY_BYTES, NULL, 0,
                                              NULL, zero_nonce, wrap_key);
    sodium_bin2base64(b64_share, sizeof b64_share, share, sizeof share,
                      sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
    /* 32 bytes are 43 characters: one body line, shorter than 64 as the
     * spec requires of the last line. */
    sodium_bin2base64(b64_body, sizeof b64_body, body, sizeof body,
                      sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
    n = snprintf(hdr, size, "age-encryption.org/v1\n-> X25519 %s\n%s\n---", b64_share, b64_body);
    if (n < 0 || (size_t)n + 2 + sizeof b64_mac >= size) {
        st = KS_ERR_LIMIT;
        goto cleanup;
    }
    /* The MAC covers the header up to and including "---". */
    age_hkdf(NULL, 0, file_key, AGE_FILE_KEY_BYTES, "header", mac_key);
    crypto_auth_hmacsha256_state s;
    crypto_auth_hmacsha256_init(&s, mac_key, sizeof mac_key);
    crypto_auth_hmacsha256_update(&s, (const unsigned char *)hdr, (size_t)n);
    crypto_auth_hmacsha256_final(&s, mac);
    sodium_bin2base64(b64_mac, sizeof b64_mac, mac, sizeof mac,
                      sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
    snprintf(hdr + n, size - (size_t)n, " %s\n", b64_mac);
    st = KS_OK;
cleanup:
    sodium_memzero(eph, sizeof eph);
    sodium_memzero(shared, sizeof shared);
    sodium_memzero(wrap_key, sizeof wrap_key);
    sodium_memzero(mac_key, sizeof mac_key);
    return st;
}

/* Reads up to AGE_CHUNK bytes; *last is set when the input ends with them
 * (a full chunk is last only if nothing follows it). */
static KsStatus age_read_chunk(FILE *in, unsigned char *buf, size_t *n, bool *last)
{
    *n = fread(buf, 1, AGE_CHUNK, in);
    if (ferror(in))
        return KS_ERR_IO;
    if (*n < AGE_CHUNK) {
        *last = true;
        return KS_OK;
    }
    int c = fgetc(in);
    if (c == EOF) {
        if (ferror(in))
            return KS_ERR_IO;
        *last = true;
    } else {
        ungetc(c, in);
        *last = false;
    }
    return KS_OK;
}

KsStatus age_encrypt_file(const unsigned char recipient[AGE_KEY_BYTES], const char *in_path,
                          const char *out_path)
{
    unsigned char file_key[AGE_FILE_KEY_BYTES], payload_key[32];
    unsigned char nonce[16], chunk_nonce[crypto_aead_chacha20poly1305_ietf_NPUBBYTES] = {0};
    unsigned char *plain = NULL, *cipher = NULL;
    char hdr[512];
    FILE *in = NULL, *out = NULL;
    KsStatus st = KS_ERR_IO;
    uint64_t counter = 0;
    bool last = false;

    if (sodium_init() < 0)
        return KS_ERR_STATE;
    randombytes_buf(file_key, sizeof file_key);
    st = age_header(recipient, file_key, hdr, sizeof hdr);
    if (st != KS_OK)
        goto cleanup;
    st = KS_ERR_IO;
    in = fopen(in_path, "rb");
    out = fopen(out_path, "wb");
    if (!in || !out) {
        LOG_ERROR("age: open %s: %s", in ? out_path : in_path, strerror(errno));
        goto cleanup;
    }
    randombytes_buf(nonce, sizeof nonce);
    age_hkdf(nonce, sizeof nonce, file_key, sizeof file_key, "payload", payload_key);
    if (fputs(hdr, out) == EOF || fwrite(nonce, 1, sizeof nonce, out) != sizeof nonce)
        goto cleanup;
    plain = xmalloc(AGE_CHUNK);
    cipher = xmalloc(AGE_CHUNK + AGE_TAG);
    while (!last) {
        size_t n = 0;
        unsigned long long clen = 0;
        if (age_read_chunk(in, plain, &n, &last) != KS_OK)
            goto cleanup;
        /* STREAM nonce: 11-byte big-endian chunk counter, then the last flag. */
        for (int i = 0; i < 8; i++)
            chunk_nonce[10 - i] = (unsigned char)(counter >> (8 * i));
        chunk_nonce[11] = last ? 1 : 0;
        crypto_aead_chacha20poly1305_ietf_encrypt(cipher, &clen, plain, n, NULL, 0, NULL,
                                                  chunk_nonce, payload_key);
        if (fwrite(cipher, 1, (size_t)clen, out) != (size_t)clen)
            goto cleanup;
        counter++;
    }
    if (fflush(out) != 0 || fsync(fileno(out)) != 0)
        goto cleanup;
    st = KS_OK;
cleanup:
    if (st != KS_OK)
        LOG_ERROR("age: encrypting %s failed: %s", in_path, ks_status_str(st));
    if (in)
        fclose(in);
    if (out && fclose(out) != 0 && st == KS_OK) {
        LOG_ERROR("age: close %s: %s", out_path, strerror(errno));
        st = KS_ERR_IO;
    }
    if (out && st != KS_OK)
        unlink(out_path);
    if (plain)
        sodium_memzero(plain, AGE_CHUNK);
    free(plain);
    free(cipher);
    sodium_memzero(file_key, sizeof file_key);
    sodium_memzero(payload_key, sizeof payload_key);
    return st;
}
