/* bag: a finished batch folder as a signed BagIt bag, and its QR receipt.
 * Orchestrates bagit (files and manifests), age (encryption), sign
 * (minisign) and qr; owns only the bag-level rules: which files exist,
 * what bag-info.txt says, what is signed, what the receipt carries.
 * Checking a bag is bag_check.c; reading bag-info.txt back is bag_facts.c. */
#include "bag.h"

#include <stdint.h>
#include <ctype.h>
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../firmware/core/clock.h"
#include "../firmware/core/log.h"
#include "../firmware/core/mem.h"
#include "age.h"
#include "bag_private.h"
#include "bagit.h"
#include "qr.h"
#include "sign.h"

static const char BAG_BAGIT_TXT[] = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";

char *bag_path(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *s = xmalloc(n);
    snprintf(s, n, "%s/%s", dir, name);
    return s;
}

/* fsyncs the directory holding a bag-relative path ("data/sub/x.csv"). */
static KsStatus bag_fsync_parent(const char *dir, const char *rel)
{
    char *abs = bag_path(dir, rel);
    char *slash = strrchr(abs, '/');
    *slash = '\0';
    KsStatus ks = bagit_fsync_dir(abs);
    free(abs);
    return ks;
}

/* Replaces every payload file by its .age encryption. The plaintext is
 * removed only after the ciphertext is on disk. */
static KsStatus bag_encrypt_payload(const char *dir, const unsigned char recipient[AGE_KEY_BYTES])
{
    BagitList files = {0};
    KsStatus ks = bagit_list_payload(dir, &files);
    for (int i = 0; i < files.n && ks == KS_OK; i++) {
        char *in = bag_path(dir, files.paths[i]);
        size_t n = strlen(in) + 5;
        char *out = xmalloc(n);
        snprintf(out, n, "%s.age", in);
        ks = age_encrypt_file(recipient, in, out);
        if (ks == KS_OK && unlink(in) != 0) {
            LOG_ERROR("removing plaintext %s: %s", in, strerror(errno));
            ks = KS_ERR_IO;
        }
        if (ks == KS_OK)
            ks = bag_fsync_parent(dir, files.paths[i]);
        free(in);
        free(out);
    }
    bagit_list_free(&files);
    return ks;
}

/* A bag-info value on one line: control characters become spaces. An
 * empty value (the first batch has no previous one) is written as "none",
 * since bag-info lines should not end in a bare colon. */
static void bag_put_field(FILE *f, const char *label, const char *value)
{
    fprintf(f, "%s: ", label);
    if (!value || !*value)
        value = "none";
    for (const char *p = value; *p; p++)
        fputc((unsigned char)*p < 0x20 || *p == 0x7f ? ' ' : *p, f);
    fputc('\n', f);
}

static void bag_format_size(uint64_t bytes, char *out, size_t size)
{
    if (bytes < 1024)
        snprintf(out, size, "%llu B", (unsigned long long)bytes);
    else if (bytes < 1024 * 1024)
        snprintf(out, size, "%.1f KB", (double)bytes / 1024.0);
    else if (bytes < 1024ull * 1024 * 1024)
        snprintf(out, size, "%.1f MB", (double)bytes / (1024.0 * 1024.0));
    else
        snprintf(out, size, "%.1f GB", (double)bytes / (1024.0 * 1024.0 * 1024.0));
}

static KsStatus bag_write_info(const char *dir, const BagInfo *info, const SignKey *key,
                               uint64_t bytes, int count)
{
    char *text = NULL, *path = bag_path(dir, "bag-info.txt");
    size_t len = 0;
    char iso[32], date[11], oxum[48], size[32], rows[16], period[64];
    FILE *f = open_memstream(&text, &len);
    KsStatus ks;
    if (!f) {
        free(path);
        return KS_ERR_NOMEM;
    }
    clock_format_iso(clock_wall_ms(), iso);
    memcpy(date, iso, 10);
    date[10] = '\0';
    snprintf(oxum, sizeof oxum, "%llu.%d", (unsigned long long)bytes, count);
    bag_format_size(bytes, size, sizeof size);
    snprintf(rows, sizeof rows, "%d", info->rows);
    snprintf(period, sizeof period, "%s/%s", info->period_from ? info->period_from : "",
             info->period_to ? info->period_to : "");
    bag_put_field(f, "Bagging-Date", date);
    bag_put_field(f, "Payload-Oxum", oxum);
    bag_put_field(f, "Bag-Size", size);
    bag_put_field(f, "External-Identifier", info->batch_id);
    bag_put_field(f, "Bag-Software-Agent", "km2kiosk");
    bag_put_field(f, "KM2-Kiosk-Id", info->kiosk_id);
    if (info->site_code && info->site_code[0])
        bag_put_field(f, "KM2-Site-Code", info->site_code);
    bag_put_field(f, "KM2-Batch-Id", info->batch_id);
    bag_put_field(f, "KM2-Forms", info->forms);
    bag_put_field(f, "KM2-Rows", rows);
    bag_put_field(f, "KM2-Period", period);
    bag_put_field(f, "KM2-Encrypted", info->age_recipient ? "yes" : "no");
    bag_put_field(f, "KM2-Signing-Key-Id", sign_key_id(key));
    bag_put_field(f, "KM2-Previous-Batch-Id", info->prev_batch_id);
    bag_put_field(f, "KM2-Previous-Tagmanifest-SHA256", info->prev_tag_sha256);
    fclose(f);
    ks = bagit_write_file(path, text, len);
    free(text);
    free(path);
    return ks;
}

static KsStatus bag_sign(const char *dir, const BagInfo *info, const SignKey *key)
{
    char *tm_path = bag_path(dir, BAG_TAGMANIFEST);
    char *sig_path = bag_path(dir, BAG_SIGNATURE);
    char *msg = NULL, *sig = NULL;
    char comment[256];
    size_t len = 0;
    KsStatus ks = bagit_read_file(tm_path, BAG_TAG_MAX, &msg, &len);
    if (ks != KS_OK)
        goto cleanup;
    snprintf(comment, sizeof comment, "timestamp:%lld\tfile:%s\tbatch:%s\thashed",
             (long long)(clock_wall_ms() / 1000), BAG_TAGMANIFEST, info->batch_id);
    ks = sign_minisig_create(key, (const unsigned char *)msg, len, comment, &sig);
    if (ks == KS_OK)
        ks = bagit_write_file(sig_path, sig, strlen(sig));
cleanup:
    free(msg);
    free(sig);
    free(tm_path);
    free(sig_path);
    return ks;
}

KsStatus bag_finish(const char *dir, const BagInfo *info, const SignKey *key, char tag_sha256[65])
{
    unsigned char recipient[AGE_KEY_BYTES];
    BagitList payload = {0};
    BagitList tags = {0};
    char *path = NULL;
    uint64_t bytes = 0;
    int count = 0;
    KsStatus ks = KS_ERR_INVALID;

    tag_sha256[0] = '\0';
    if (sodium_init() < 0)
        return KS_ERR_STATE;
    if (!info->batch_id || !info->kiosk_id)
        return KS_ERR_INVALID;
    if (info->age_recipient && age_parse_recipient(info->age_recipient, recipient) != KS_OK) {
        LOG_ERROR("age recipient \"%s\" is not an age1… X25519 key", info->age_recipient);
        return KS_ERR_INVALID;
    }
    if (info->age_recipient && (ks = bag_encrypt_payload(dir, recipient)) != KS_OK)
        goto cleanup;
    if ((ks = bagit_list_payload(dir, &payload)) != KS_OK)
        goto cleanup;
    path = bag_path(dir, "bagit.txt");
    if ((ks = bagit_write_file(path, BAG_BAGIT_TXT, strlen(BAG_BAGIT_TXT))) != KS_OK)
        goto cleanup;
    if ((ks = bagit_write_manifest(dir, BAG_MANIFEST, &payload, &bytes, &count)) != KS_OK)
        goto cleanup;
    if ((ks = bag_write_info(dir, info, key, bytes, count)) != KS_OK)
        goto cleanup;
    /* Sorted, as every manifest here. */
    tags.paths = xmalloc(3 * sizeof *tags.paths);
    tags.cap = 3;
    tags.paths[tags.n++] = xstrdup("bag-info.txt");
    tags.paths[tags.n++] = xstrdup("bagit.txt");
    tags.paths[tags.n++] = xstrdup(BAG_MANIFEST);
    if ((ks = bagit_write_manifest(dir, BAG_TAGMANIFEST, &tags, NULL, NULL)) != KS_OK)
        goto cleanup;
    if ((ks = bag_sign(dir, info, key)) != KS_OK)
        goto cleanup;
    if ((ks = bagit_fsync_dir(dir)) != KS_OK)
        goto cleanup;
    free(path);
    path = bag_path(dir, BAG_TAGMANIFEST);
    ks = bagit_sha256_file(path, tag_sha256, NULL);
cleanup:
    if (ks != KS_OK) {
        tag_sha256[0] = '\0';
        LOG_ERROR("bag %s: %s", dir, ks_status_str(ks));
    }
    sodium_memzero(recipient, sizeof recipient);
    bagit_list_free(&payload);
    bagit_list_free(&tags);
    free(path);
    return ks;
}

/* Appends s upper-cased, keeping only QR alphanumeric characters (0-9 A-Z
 * space $ % * + - . / :); others, and those in `drop`, become '-'. */
static void bag_qr_append(char *buf, size_t size, size_t *pos, const char *s, const char *drop)
{
    static const char ALNUM_EXTRA[] = " $%*+-./:";
    for (const char *p = s ? s : ""; *p; p++) {
        char c = (char)toupper((unsigned char)*p);
        bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || strchr(ALNUM_EXTRA, c);
        if (!ok || strchr(drop, c))
            c = '-';
        if (*pos + 1 < size)
            buf[(*pos)++] = c;
    }
    if (size > 0)
        buf[*pos < size ? *pos : size - 1] = '\0';
}

void bag_qr_payload(char *buf, size_t size, const char *prefix, const char *batch_id, int rows,
                    const char tag_sha256_hex[65], const char *key_id)
{
    static const char B32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    unsigned char hash[32] = {0};
    char b32[53], rows_s[16];
    size_t bin_len = 0, pos = 0;
    unsigned acc = 0, bits = 0, o = 0;

    if (size == 0)
        return;
    buf[0] = '\0';
    sodium_hex2bin(hash, sizeof hash, tag_sha256_hex, 64, NULL, &bin_len, NULL);
    /* RFC 4648 base32 without padding: 256 bits are 52 characters. */
    for (size_t i = 0; i < sizeof hash; i++) {
        acc = (acc << 8) | hash[i];
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            b32[o++] = B32[(acc >> bits) & 31];
        }
    }
    if (bits > 0)
        b32[o++] = B32[(acc << (5 - bits)) & 31];
    b32[o] = '\0';
    snprintf(rows_s, sizeof rows_s, "%d", rows);
    bag_qr_append(buf, size, &pos, prefix, "");
    bag_qr_append(buf, size, &pos, "KM2B1/", "");
    bag_qr_append(buf, size, &pos, batch_id, "/ ");
    bag_qr_append(buf, size, &pos, "/R", "");
    bag_qr_append(buf, size, &pos, rows_s, "");
    bag_qr_append(buf, size, &pos, "/T", "");
    bag_qr_append(buf, size, &pos, b32, "");
    bag_qr_append(buf, size, &pos, "/K", "");
    bag_qr_append(buf, size, &pos, key_id, "/ ");
}

int bag_qr_matrix(const char *payload, unsigned char *modules, int max)
{
    return qr_encode(payload, modules, max);
}

KsStatus bag_qr_write(const char *dir, const char *payload)
{
    unsigned char modules[QR_MAX_SIDE * QR_MAX_SIDE];
    void *png = NULL;
    size_t png_len = 0;
    char *png_path = bag_path(dir, "batch-qr.png");
    char *txt_path = bag_path(dir, "batch-qr.txt");
    char *txt = NULL;
    KsStatus ks = KS_ERR_LIMIT;
    int side = qr_encode(payload, modules, (int)sizeof modules);
    if (side == 0)
        goto cleanup;
    if ((ks = qr_png(modules, side, &png, &png_len)) != KS_OK ||
        (ks = bagit_write_file(png_path, png, png_len)) != KS_OK)
        goto cleanup;
    txt = xmalloc(strlen(payload) + 2);
    snprintf(txt, strlen(payload) + 2, "%s\n", payload);
    if ((ks = bagit_write_file(txt_path, txt, strlen(txt))) != KS_OK)
        goto cleanup;
    ks = bagit_fsync_dir(dir);
cleanup:
    if (ks != KS_OK)
        LOG_ERROR("QR receipt in %s: %s", dir, ks_status_str(ks));
    free(png);
    free(txt);
    free(png_path);
    free(txt_path);
    return ks;
}
