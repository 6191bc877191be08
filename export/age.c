/* age: the age v1 file format with X25519 recipients, both directions.
 * Owns the bech32 texts (recipient "age1…", identity "AGE-SECRET-KEY-1…"),
 * the header (stanzas, MAC) and the 64 KiB STREAM payload. It opens exactly
 * the files it is given and nothing else; secrets are wiped after use. */
#include "age.h"

#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../firmware/core/clock.h"
#include "../firmware/core/log.h"
#include "../firmware/core/mem.h"
#include "../firmware/core/str.h"
#include "bagit.h"

#define AGE_FILE_KEY_BYTES 16
#define AGE_CHUNK 65536
#define AGE_TAG crypto_aead_chacha20poly1305_ietf_ABYTES
#define AGE_B64(n) sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL_NO_PADDING)
#define AGE_NONCE_BYTES 16
#define AGE_IDENTITY_FILE_MAX (64u << 10)
/* Bounds on a header read from a file we did not write: every X25519
 * stanza costs a scalar multiplication before anything is authenticated. */
#define AGE_LINE_MAX 1024
#define AGE_HEADER_MAX (64u << 10)
#define AGE_STANZAS_MAX 64
#define AGE_ARGS_MAX 16
#define AGE_BODY_COLUMNS 64

static const char AGE_BECH32[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
static const char AGE_HRP_RECIPIENT[] = "age";
static const char AGE_HRP_IDENTITY[] = "age-secret-key-";
/* 32 bytes are 52 five-bit characters, and the checksum adds 6. */
#define AGE_BECH32_DATA 52
#define AGE_BECH32_CHECK 6

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

/* The checksum state after the human-readable part (BIP 173: its high
 * bits, a zero, its low bits), always over the lower-case form. */
static uint32_t age_bech32_hrp(const char *hrp)
{
    uint32_t chk = 1;
    for (const char *p = hrp; *p; p++)
        chk = age_polymod_step(chk, (unsigned char)*p >> 5);
    chk = age_polymod_step(chk, 0);
    for (const char *p = hrp; *p; p++)
        chk = age_polymod_step(chk, (unsigned char)*p & 31);
    return chk;
}

/* Encodes a 32-byte key under a lower-case hrp into out (strlen(hrp) + 60
 * bytes), upper-cased as a whole when asked (identities are written so). */
static void age_bech32_encode(const char *hrp, const unsigned char key[AGE_KEY_BYTES], bool upper,
                              char *out)
{
    unsigned char v[AGE_BECH32_DATA + AGE_BECH32_CHECK];
    uint32_t acc = 0, chk = age_bech32_hrp(hrp);
    unsigned bits = 0;
    size_t n = 0, o = 0;

    for (size_t i = 0; i < AGE_KEY_BYTES; i++) {
        acc = (acc << 8) | key[i];
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            v[n++] = (unsigned char)((acc >> bits) & 31);
        }
    }
    if (bits > 0)
        v[n++] = (unsigned char)((acc << (5 - bits)) & 31);
    for (size_t i = 0; i < n; i++)
        chk = age_polymod_step(chk, v[i]);
    for (size_t i = 0; i < AGE_BECH32_CHECK; i++)
        chk = age_polymod_step(chk, 0);
    chk ^= 1;
    for (size_t i = 0; i < AGE_BECH32_CHECK; i++)
        v[n++] = (unsigned char)((chk >> (5 * (AGE_BECH32_CHECK - 1 - i))) & 31);
    for (const char *p = hrp; *p; p++)
        out[o++] = *p;
    out[o++] = '1';
    for (size_t i = 0; i < n; i++)
        out[o++] = AGE_BECH32[v[i]];
    out[o] = '\0';
    if (upper)
        for (size_t i = 0; i < o; i++)
            if (out[i] >= 'a' && out[i] <= 'z')
                out[i] = (char)(out[i] - 'a' + 'A');
    sodium_memzero(v, sizeof v); /* an identity's secret passed through here */
}

/* Decodes bech32 text holding exactly 32 bytes under hrp (lower case; the
 * text may be all lower or all upper case, never mixed). */
static bool age_bech32_decode(const char *text, const char *hrp, unsigned char key[AGE_KEY_BYTES])
{
    size_t hrp_len = strlen(hrp);
    size_t len = text ? strlen(text) : 0;
    bool lower = false, upper = false;
    uint32_t chk = age_bech32_hrp(hrp), acc = 0;
    unsigned bits = 0;
    size_t out = 0;

    if (len != hrp_len + 1 + AGE_BECH32_DATA + AGE_BECH32_CHECK)
        return false;
    for (size_t i = 0; i < len; i++) {
        lower |= text[i] >= 'a' && text[i] <= 'z';
        upper |= text[i] >= 'A' && text[i] <= 'Z';
    }
    if (lower && upper)
        return false;
    for (size_t i = 0; i < hrp_len; i++)
        if ((text[i] >= 'A' && text[i] <= 'Z' ? text[i] | 0x20 : text[i]) != hrp[i])
            return false;
    if (text[hrp_len] != '1')
        return false;
    for (size_t i = hrp_len + 1; i < len; i++) {
        char c = text[i] >= 'A' && text[i] <= 'Z' ? (char)(text[i] - 'A' + 'a') : text[i];
        const char *pos = c ? strchr(AGE_BECH32, c) : NULL;
        if (!pos)
            return false;
        unsigned v = (unsigned)(pos - AGE_BECH32);
        chk = age_polymod_step(chk, v);
        if (i >= len - AGE_BECH32_CHECK)
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
    return chk == 1 && out == AGE_KEY_BYTES && bits < 5 && (acc & ((1u << bits) - 1)) == 0;
}

KsStatus age_parse_recipient(const char *text, unsigned char key[AGE_KEY_BYTES])
{
    return age_bech32_decode(text, AGE_HRP_RECIPIENT, key) ? KS_OK : KS_ERR_INVALID;
}

/* An identity as age-keygen writes it: upper case only, as age itself
 * requires of "AGE-SECRET-KEY-1…". */
static bool age_parse_identity(const char *text, unsigned char secret[AGE_KEY_BYTES])
{
    for (const char *p = text; *p; p++)
        if (*p >= 'a' && *p <= 'z')
            return false;
    return age_bech32_decode(text, AGE_HRP_IDENTITY, secret);
}

void age_recipient_of(const unsigned char secret[AGE_KEY_BYTES], char recipient[AGE_RECIPIENT_MAX])
{
    unsigned char pk[crypto_scalarmult_BYTES];
    recipient[0] = '\0';
    if (KS_NEVER(sodium_init() < 0) || KS_NEVER(crypto_scalarmult_base(pk, secret) != 0))
        return;
    age_bech32_encode(AGE_HRP_RECIPIENT, pk, false, recipient);
}

void age_identity_generate(char identity[AGE_IDENTITY_MAX], char recipient[AGE_RECIPIENT_MAX])
{
    unsigned char secret[AGE_KEY_BYTES];
    identity[0] = recipient[0] = '\0';
    if (KS_NEVER(sodium_init() < 0))
        return;
    randombytes_buf(secret, sizeof secret);
    age_bech32_encode(AGE_HRP_IDENTITY, secret, true, identity);
    age_recipient_of(secret, recipient);
    sodium_memzero(secret, sizeof secret);
}

KsStatus age_identity_write(const char *path, const char *identity, const char *recipient)
{
    unsigned char secret[AGE_KEY_BYTES];
    char derived[AGE_RECIPIENT_MAX], created[32], text[256];
    time_t now = (time_t)(clock_wall_ms() / 1000);
    struct tm tm;
    KsStatus ks = KS_ERR_INVALID;
    int n;

    if (!identity || !recipient || !age_parse_identity(identity, secret)) {
        LOG_ERROR("age identity for %s is malformed", path);
        goto cleanup;
    }
    age_recipient_of(secret, derived);
    if (strcmp(derived, recipient) != 0) {
        LOG_ERROR("age recipient %s does not belong to the identity", recipient);
        goto cleanup;
    }
    gmtime_r(&now, &tm);
    strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm);
    n = snprintf(text, sizeof text, "# created: %s\n# public key: %s\n%s\n", created, recipient,
                 identity);
    if (n < 0 || (size_t)n >= sizeof text)
        goto cleanup;
    ks = bagit_create_file(path, text, (size_t)n, 0600);
    if (ks == KS_OK)
        LOG_INFO("wrote age identity for %s to %s", recipient, path);
cleanup:
    sodium_memzero(secret, sizeof secret);
    sodium_memzero(text, sizeof text);
    return ks;
}

KsStatus age_identity_load(const char *path, unsigned char secret[AGE_KEY_BYTES])
{
    char *text = NULL;
    size_t len = 0;
    KsStatus ks = bagit_read_file(path, AGE_IDENTITY_FILE_MAX, &text, &len);
    if (ks != KS_OK) {
        LOG_ERROR("age identity %s: %s", path, ks_status_str(ks));
        return ks == KS_ERR_LIMIT ? KS_ERR_PARSE : ks;
    }
    ks = KS_ERR_PARSE;
    for (char *line = text, *next; line && *line; line = next) {
        char *nl = strchr(line, '\n');
        next = nl ? nl + 1 : NULL;
        if (nl)
            *nl = '\0';
        str_trim(line);
        if (line[0] == '\0' || line[0] == '#')
            continue;
        /* The first identity decides: a damaged one is an error, not a
         * reason to look further. */
        if (age_parse_identity(line, secret))
            ks = KS_OK;
        break;
    }
    if (ks != KS_OK)
        LOG_ERROR("age identity %s: no valid AGE-SECRET-KEY-1 line", path);
    sodium_memzero(text, len);
    free(text);
    return ks;
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
                           const unsigned char file_key[AGE_FILE_KEY_BYTES], char *hdr, size_t size)
{
    static const unsigned char zero_nonce[crypto_aead_chacha20poly1305_ietf_NPUBBYTES] = {0};
    unsigned char eph[crypto_scalarmult_SCALARBYTES], share[crypto_scalarmult_BYTES];
    unsigned char shared[crypto_scalarmult_BYTES], salt[2 * AGE_KEY_BYTES];
    unsigned char wrap_key[32], mac_key[32], body[AGE_FILE_KEY_BYTES + AGE_TAG];
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    char b64_share[AGE_B64(sizeof share)], b64_body[AGE_B64(sizeof body)];
    char b64_mac[AGE_B64(sizeof mac)];
    KsStatus ks = KS_ERR_INVALID;
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
        ks = KS_ERR_LIMIT;
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
    ks = KS_OK;
cleanup:
    sodium_memzero(eph, sizeof eph);
    sodium_memzero(shared, sizeof shared);
    sodium_memzero(wrap_key, sizeof wrap_key);
    sodium_memzero(mac_key, sizeof mac_key);
    return ks;
}

/* What a run of either direction holds: its keys and its chunk buffers,
 * and what it does to which files, for its end. */
typedef struct {
    unsigned char file_key[AGE_FILE_KEY_BYTES], payload_key[32];
    unsigned char *plain, *cipher;
    const char *doing; /* "encrypting", "decrypting" */
    const char *in_path, *out_path;
} AgeRun;

/* The STREAM nonce of a chunk: its counter as 11 bytes big-endian, then
 * whether it is the last chunk. */
static void age_chunk_nonce(unsigned char nonce[crypto_aead_chacha20poly1305_ietf_NPUBBYTES],
                            uint64_t counter, bool last)
{
    for (int i = 0; i < 8; i++)
        nonce[10 - i] = (unsigned char)(counter >> (8 * i));
    nonce[11] = last ? 1 : 0;
}

/* The end of a run: a failure logged, out closed (a close that fails fails
 * the run), the output file removed unless the run succeeded (made: whether
 * it was created), the keys and the plaintext wiped. Returns the run's
 * status. */
static KsStatus age_run_end(AgeRun *r, KsStatus ks, FILE *out, bool made)
{
    const char *out_path = r->out_path;
    if (ks != KS_OK)
        LOG_ERROR("age: %s %s failed: %s", r->doing, r->in_path, ks_status_str(ks));
    if (out && fclose(out) != 0 && ks == KS_OK) {
        LOG_ERROR("age: close %s: %s", out_path, strerror(errno));
        ks = KS_ERR_IO;
    }
    if (made && ks != KS_OK)
        unlink(out_path);
    if (r->plain)
        sodium_memzero(r->plain, AGE_CHUNK);
    free(r->plain);
    free(r->cipher);
    sodium_memzero(r->file_key, sizeof r->file_key);
    sodium_memzero(r->payload_key, sizeof r->payload_key);
    return ks;
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
    AgeRun r = {.doing = "encrypting", .in_path = in_path, .out_path = out_path};
    unsigned char nonce[16], chunk_nonce[crypto_aead_chacha20poly1305_ietf_NPUBBYTES] = {0};
    char hdr[512];
    FILE *in = NULL, *out = NULL;
    KsStatus ks = KS_ERR_IO;
    uint64_t counter = 0;
    bool last = false;

    if (sodium_init() < 0)
        return KS_ERR_STATE;
    randombytes_buf(r.file_key, sizeof r.file_key);
    ks = age_header(recipient, r.file_key, hdr, sizeof hdr);
    if (ks != KS_OK)
        goto cleanup;
    ks = KS_ERR_IO;
    in = fopen(in_path, "rb");
    out = fopen(out_path, "wb");
    if (!in || !out) {
        LOG_ERROR("age: open %s: %s", in ? out_path : in_path, strerror(errno));
        goto cleanup;
    }
    randombytes_buf(nonce, sizeof nonce);
    age_hkdf(nonce, sizeof nonce, r.file_key, sizeof r.file_key, "payload", r.payload_key);
    if (fputs(hdr, out) == EOF || fwrite(nonce, 1, sizeof nonce, out) != sizeof nonce)
        goto cleanup;
    r.plain = xmalloc(AGE_CHUNK);
    r.cipher = xmalloc(AGE_CHUNK + AGE_TAG);
    while (!last) {
        size_t n = 0;
        unsigned long long clen = 0;
        if (age_read_chunk(in, r.plain, &n, &last) != KS_OK)
            goto cleanup;
        age_chunk_nonce(chunk_nonce, counter, last);
        crypto_aead_chacha20poly1305_ietf_encrypt(r.cipher, &clen, r.plain, n, NULL, 0, NULL,
                                                  chunk_nonce, r.payload_key);
        if (fwrite(r.cipher, 1, (size_t)clen, out) != (size_t)clen)
            goto cleanup;
        counter++;
    }
    if (fflush(out) != 0 || fsync(fileno(out)) != 0)
        goto cleanup;
    ks = KS_OK;
cleanup:
    if (in)
        fclose(in);
    return age_run_end(&r, ks, out, out != NULL);
}

/* The header as read: its text (for the MAC) and where parsing stands. */
typedef struct {
    FILE *in;
    char *text; /* every header byte read so far */
    size_t len;
} AgeHeader;

/* Reads one header line (LF-terminated, printable ASCII only) into line
 * (NUL-terminated, without the LF) and appends it to the header text.
 * KS_ERR_PARSE for an unterminated, over-long or non-ASCII line. */
static KsStatus age_header_line(AgeHeader *h, char line[AGE_LINE_MAX + 1])
{
    size_t n = 0;
    int c;
    while ((c = getc(h->in)) != '\n') {
        if (c == EOF)
            return ferror(h->in) ? KS_ERR_IO : KS_ERR_PARSE;
        if (c < 0x20 || c > 0x7e || n == AGE_LINE_MAX)
            return KS_ERR_PARSE;
        line[n++] = (char)c;
    }
    line[n] = '\0';
    if (h->len + n + 1 > AGE_HEADER_MAX)
        return KS_ERR_PARSE;
    memcpy(h->text + h->len, line, n);
    h->text[h->len + n] = '\n';
    h->len += n + 1;
    return KS_OK;
}

/* Canonical unpadded base64 of exactly len bytes. */
static bool age_b64_exact(const char *b64, size_t b64_len, unsigned char *bin, size_t len)
{
    size_t got = 0;
    const char *end = NULL;
    return sodium_base642bin(bin, len, b64, b64_len, NULL, &got, &end,
                             sodium_base64_VARIANT_ORIGINAL_NO_PADDING) == 0 &&
           got == len && end == b64 + b64_len;
}

static bool age_is_b64_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '/';
}

/* Reads a stanza body: lines of exactly 64 base64 columns, ended by a
 * shorter one (possibly empty). body gets the first size decoded bytes,
 * *body_len the whole length. KS_ERR_PARSE for anything else. */
static KsStatus age_stanza_body(AgeHeader *h, unsigned char *body, size_t size, size_t *body_len)
{
    char line[AGE_LINE_MAX + 1];
    char *b64 = xmalloc(AGE_HEADER_MAX);
    unsigned char *bin = NULL;
    size_t b64_len = 0, got = 0;
    const char *end = NULL;
    KsStatus ks;
    for (;;) {
        if ((ks = age_header_line(h, line)) != KS_OK)
            goto cleanup;
        size_t n = strlen(line);
        for (size_t i = 0; i < n; i++)
            if (!age_is_b64_char(line[i])) {
                ks = KS_ERR_PARSE;
                goto cleanup;
            }
        if (n > AGE_BODY_COLUMNS || b64_len + n > AGE_HEADER_MAX) {
            ks = KS_ERR_PARSE;
            goto cleanup;
        }
        memcpy(b64 + b64_len, line, n);
        b64_len += n;
        if (n < AGE_BODY_COLUMNS)
            break;
    }
    /* Every full line is 48 bytes, so decoding the joined lines is the same
     * as decoding each; canonical and unpadded, or the header is malformed. */
    bin = xmalloc(b64_len / 4 * 3 + 3);
    if (sodium_base642bin(bin, b64_len / 4 * 3 + 3, b64, b64_len, NULL, &got, &end,
                          sodium_base64_VARIANT_ORIGINAL_NO_PADDING) != 0 ||
        end != b64 + b64_len) {
        ks = KS_ERR_PARSE;
        goto cleanup;
    }
    memcpy(body, bin, got < size ? got : size);
    *body_len = got;
cleanup:
    free(b64);
    free(bin);
    return ks;
}

/* Tries an X25519 stanza (share = the ephemeral share, body = the wrapped
 * file key) with our secret. KS_OK and file_key when it is ours,
 * KS_ERR_NOT_FOUND when it is for someone else, KS_ERR_PARSE for a
 * low-order share (age refuses such a file outright). */
static KsStatus age_unwrap(const unsigned char secret[AGE_KEY_BYTES],
                           const unsigned char share[AGE_KEY_BYTES],
                           const unsigned char body[AGE_FILE_KEY_BYTES + AGE_TAG],
                           unsigned char file_key[AGE_FILE_KEY_BYTES])
{
    static const unsigned char zero_nonce[crypto_aead_chacha20poly1305_ietf_NPUBBYTES] = {0};
    unsigned char ours[crypto_scalarmult_BYTES], shared[crypto_scalarmult_BYTES];
    unsigned char salt[2 * AGE_KEY_BYTES], wrap_key[32];
    unsigned long long n = 0;
    KsStatus ks = KS_ERR_NOT_FOUND;

    crypto_scalarmult_base(ours, secret);
    if (crypto_scalarmult(shared, secret, share) != 0) {
        ks = KS_ERR_PARSE;
        goto cleanup;
    }
    memcpy(salt, share, AGE_KEY_BYTES);
    memcpy(salt + AGE_KEY_BYTES, ours, AGE_KEY_BYTES);
    age_hkdf(salt, sizeof salt, shared, sizeof shared, "age-encryption.org/v1/X25519", wrap_key);
    if (crypto_aead_chacha20poly1305_ietf_decrypt(file_key, &n, NULL, body,
                                                  AGE_FILE_KEY_BYTES + AGE_TAG, NULL, 0, zero_nonce,
                                                  wrap_key) == 0 &&
        n == AGE_FILE_KEY_BYTES)
        ks = KS_OK;
cleanup:
    sodium_memzero(shared, sizeof shared);
    sodium_memzero(wrap_key, sizeof wrap_key);
    return ks;
}

/* Splits a stanza line's arguments (after "-> ") in place: single spaces
 * between non-empty arguments (the line holds printable ASCII only).
 * Returns their number, 0 when malformed or more than max. */
static int age_stanza_args(char *s, char *args[], int max)
{
    int n = 0;
    for (;;) {
        if (*s == '\0' || *s == ' ' || n == max)
            return 0;
        args[n++] = s;
        char *sp = strchr(s, ' ');
        if (!sp)
            return n;
        *sp = '\0';
        s = sp + 1;
    }
}

/* Reads and checks the whole header: every stanza well formed, ours
 * unwrapped, the MAC right. On KS_OK the file is positioned at the payload
 * nonce. */
static KsStatus age_read_header(FILE *in, const unsigned char secret[AGE_KEY_BYTES],
                                unsigned char file_key[AGE_FILE_KEY_BYTES])
{
    char line[AGE_LINE_MAX + 1];
    unsigned char body[AGE_FILE_KEY_BYTES + AGE_TAG], share[AGE_KEY_BYTES];
    unsigned char mac[crypto_auth_hmacsha256_BYTES], want[crypto_auth_hmacsha256_BYTES];
    unsigned char mac_key[32];
    AgeHeader h = {.in = in, .text = xmalloc(AGE_HEADER_MAX)};
    int stanzas = 0;
    bool found = false, scrypt = false;
    KsStatus ks;

    if ((ks = age_header_line(&h, line)) != KS_OK)
        goto cleanup;
    if (strcmp(line, "age-encryption.org/v1") != 0) {
        ks = KS_ERR_PARSE;
        goto cleanup;
    }
    for (;;) {
        char *args[AGE_ARGS_MAX];
        size_t body_len = 0;
        int nargs;
        if ((ks = age_header_line(&h, line)) != KS_OK)
            goto cleanup;
        if (strncmp(line, "---", 3) == 0)
            break;
        ks = KS_ERR_PARSE;
        if (strncmp(line, "-> ", 3) != 0 || ++stanzas > AGE_STANZAS_MAX)
            goto cleanup;
        nargs = age_stanza_args(line + 3, args, AGE_ARGS_MAX);
        if (nargs == 0)
            goto cleanup;
        if ((ks = age_stanza_body(&h, body, sizeof body, &body_len)) != KS_OK)
            goto cleanup;
        ks = KS_ERR_PARSE;
        if (strcmp(args[0], "scrypt") == 0)
            scrypt = true;
        if (strcmp(args[0], "X25519") != 0)
            continue; /* another recipient type: not ours, ignored */
        if (nargs != 2 || !age_b64_exact(args[1], strlen(args[1]), share, sizeof share) ||
            body_len != AGE_FILE_KEY_BYTES + AGE_TAG)
            goto cleanup;
        if (found)
            continue;
        ks = age_unwrap(secret, share, body, file_key);
        if (ks == KS_OK)
            found = true;
        else if (ks != KS_ERR_NOT_FOUND)
            goto cleanup;
    }
    /* "--- " and the MAC; an scrypt stanza must stand alone. */
    ks = KS_ERR_PARSE;
    if (line[3] != ' ' || !age_b64_exact(line + 4, strlen(line + 4), mac, sizeof mac) ||
        stanzas == 0 || (scrypt && stanzas > 1))
        goto cleanup;
    if (!found) {
        ks = KS_ERR_NOT_FOUND;
        goto cleanup;
    }
    /* The MAC covers the header up to and including "---". */
    age_hkdf(NULL, 0, file_key, AGE_FILE_KEY_BYTES, "header", mac_key);
    crypto_auth_hmacsha256_state s;
    crypto_auth_hmacsha256_init(&s, mac_key, sizeof mac_key);
    crypto_auth_hmacsha256_update(&s, (const unsigned char *)h.text, h.len - strlen(line) - 1 + 3);
    crypto_auth_hmacsha256_final(&s, want);
    ks = sodium_memcmp(mac, want, sizeof mac) == 0 ? KS_OK : KS_ERR_CORRUPT;
cleanup:
    if (ks != KS_OK)
        sodium_memzero(file_key, AGE_FILE_KEY_BYTES);
    sodium_memzero(mac_key, sizeof mac_key);
    free(h.text);
    return ks;
}

KsStatus age_decrypt_file(const unsigned char secret[AGE_KEY_BYTES], const char *in_path,
                          const char *out_path)
{
    AgeRun r = {.doing = "decrypting", .in_path = in_path, .out_path = out_path};
    unsigned char nonce[AGE_NONCE_BYTES];
    unsigned char chunk_nonce[crypto_aead_chacha20poly1305_ietf_NPUBBYTES] = {0};
    FILE *in = NULL, *out = NULL;
    KsStatus ks = KS_ERR_IO;
    uint64_t counter = 0;
    bool last = false;
    int fd = -1;

    if (sodium_init() < 0)
        return KS_ERR_STATE;
    in = fopen(in_path, "rb");
    if (!in) {
        LOG_ERROR("age: open %s: %s", in_path, strerror(errno));
        return KS_ERR_IO;
    }
    /* Nothing is written before the header proved the file ours and whole. */
    ks = age_read_header(in, secret, r.file_key);
    if (ks != KS_OK)
        goto cleanup;
    if (fread(nonce, 1, sizeof nonce, in) != sizeof nonce) {
        ks = ferror(in) ? KS_ERR_IO : KS_ERR_CORRUPT;
        goto cleanup;
    }
    age_hkdf(nonce, sizeof nonce, r.file_key, sizeof r.file_key, "payload", r.payload_key);
    fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    out = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (!out) {
        LOG_ERROR("age: open %s: %s", out_path, strerror(errno));
        ks = KS_ERR_IO;
        goto cleanup;
    }
    r.plain = xmalloc(AGE_CHUNK);
    r.cipher = xmalloc(AGE_CHUNK + AGE_TAG);
    while (!last) {
        size_t n = fread(r.cipher, 1, AGE_CHUNK + AGE_TAG, in);
        unsigned long long plen = 0;
        if (ferror(in)) {
            ks = KS_ERR_IO;
            goto cleanup;
        }
        /* No final chunk at all, or one too short for its tag: truncated. */
        ks = KS_ERR_CORRUPT;
        if (n < AGE_TAG)
            goto cleanup;
        last = n < AGE_CHUNK + AGE_TAG;
        if (!last) {
            int c = getc(in);
            if (c == EOF && ferror(in)) {
                ks = KS_ERR_IO;
                goto cleanup;
            }
            last = c == EOF;
            if (!last)
                ungetc(c, in);
        }
        /* Only an empty file ends in an empty chunk. */
        if (last && n == AGE_TAG && counter > 0)
            goto cleanup;
        age_chunk_nonce(chunk_nonce, counter, last);
        /* A chunk marked last followed by more data fails here too: it
         * was opened as a middle chunk. */
        if (crypto_aead_chacha20poly1305_ietf_decrypt(r.plain, &plen, NULL, r.cipher, n, NULL, 0,
                                                      chunk_nonce, r.payload_key) != 0)
            goto cleanup;
        if (fwrite(r.plain, 1, (size_t)plen, out) != (size_t)plen) {
            ks = KS_ERR_IO;
            goto cleanup;
        }
        counter++;
    }
    ks = KS_ERR_IO;
    if (fflush(out) != 0 || fsync(fileno(out)) != 0)
        goto cleanup;
    ks = KS_OK;
cleanup:
    fclose(in);
    if (!out && fd >= 0)
        close(fd);
    return age_run_end(&r, ks, out, fd >= 0);
}
