/* ack: the evaluation office's signed receipt for one batch, both
 * directions: the text (format, strict parse), writing it and its
 * signature durably onto the stick, reading and checking both back. No
 * storage, no UI; what a receipt allows (retention) is the kiosk's call. */
#include "ack.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../firmware/core/clock.h"
#include "../firmware/core/log.h"
#include "../firmware/core/mem.h"
#include "../firmware/core/str.h"
#include "bagit.h"
#include "sign.h"

#define ACK_SIG_MAX 4096

enum { ACK_VERSION, ACK_BATCH, ACK_TAG, ACK_ROWS, ACK_RECEIVED, ACK_FIELDS };

static const char *const ACK_LABELS[ACK_FIELDS] = {
    "KM2-Ack-Version", "KM2-Batch-Id", "KM2-Tagmanifest-SHA256", "KM2-Rows", "KM2-Received",
};

/* A batch id is the receipt's file name: FAT-safe, printable ASCII. */
static bool ack_batch_ok(const char *s)
{
    if (strnlen(s, sizeof((AckInfo *)0)->batch_id) == sizeof((AckInfo *)0)->batch_id ||
        !str_is_fat_safe(s))
        return false;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p > 0x7e)
            return false;
    return true;
}

static bool ack_hex64(const char *s, bool lower_only)
{
    for (int i = 0; i < 64; i++) {
        char c = s[i];
        bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
                  (!lower_only && c >= 'A' && c <= 'F');
        if (!ok)
            return false;
    }
    return s[64] == '\0';
}

static bool ack_digits(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static int ack_num(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* "YYYY-MM-DDTHH:MM:SSZ", every part in its range. */
static bool ack_time_ok(const char *s)
{
    if (strlen(s) != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
        s[16] != ':' || s[19] != 'Z' || !ack_digits(s, 4) || !ack_digits(s + 5, 2) ||
        !ack_digits(s + 8, 2) || !ack_digits(s + 11, 2) || !ack_digits(s + 14, 2) ||
        !ack_digits(s + 17, 2))
        return false;
    int mon = ack_num(s + 5, 2), day = ack_num(s + 8, 2);
    return mon >= 1 && mon <= 12 && day >= 1 && day <= 31 && ack_num(s + 11, 2) <= 23 &&
           ack_num(s + 14, 2) <= 59 && ack_num(s + 17, 2) <= 60;
}

/* A plain decimal 0..INT_MAX, no sign, no leading zero. */
static bool ack_rows(const char *s, int *rows)
{
    size_t n = strlen(s);
    long long v = 0;
    if (n == 0 || n > 10 || !ack_digits(s, (int)n) || (n > 1 && s[0] == '0'))
        return false;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    if (v > INT_MAX)
        return false;
    *rows = (int)v;
    return true;
}

KsStatus ack_format(const AckInfo *a, char *buf, size_t size)
{
    char tag[65];
    if (!ack_batch_ok(a->batch_id) || strnlen(a->tag_sha256, 65) != 64 ||
        !ack_hex64(a->tag_sha256, false) || a->rows < 0 ||
        strnlen(a->received, sizeof a->received) == sizeof a->received || !ack_time_ok(a->received))
        return KS_ERR_INVALID;
    for (int i = 0; i < 65; i++)
        tag[i] =
            (char)(a->tag_sha256[i] >= 'A' && a->tag_sha256[i] <= 'F' ? a->tag_sha256[i] - 'A' + 'a'
                                                                      : a->tag_sha256[i]);
    int n = snprintf(buf, size, "%s: 1\n%s: %s\n%s: %s\n%s: %d\n%s: %s\n", ACK_LABELS[ACK_VERSION],
                     ACK_LABELS[ACK_BATCH], a->batch_id, ACK_LABELS[ACK_TAG], tag,
                     ACK_LABELS[ACK_ROWS], a->rows, ACK_LABELS[ACK_RECEIVED], a->received);
    if (n < 0 || (size_t)n >= size)
        return KS_ERR_FULL;
    return KS_OK;
}

/* Checks one "Label: value" line and stores its value. */
static bool ack_field(int field, const char *v, AckInfo *out)
{
    switch (field) {
    case ACK_VERSION:
        return strcmp(v, "1") == 0;
    case ACK_BATCH:
        return ack_batch_ok(v) && str_copy(out->batch_id, sizeof out->batch_id, v);
    case ACK_TAG:
        return strlen(v) == 64 && ack_hex64(v, true) &&
               str_copy(out->tag_sha256, sizeof out->tag_sha256, v);
    case ACK_ROWS:
        return ack_rows(v, &out->rows);
    case ACK_RECEIVED:
        return ack_time_ok(v) && str_copy(out->received, sizeof out->received, v);
    default:
        return !KS_NEVER(true);
    }
}

KsStatus ack_parse(const char *text, size_t len, AckInfo *out)
{
    char line[ACK_TEXT_MAX + 1];
    bool seen[ACK_FIELDS] = {false};
    const char *p = text, *end = text + len;
    AckInfo a;

    memset(out, 0, sizeof *out);
    memset(&a, 0, sizeof a);
    /* Every line ends in LF, so the text does; no NUL, no CR. */
    if (len == 0 || len > ACK_TEXT_MAX || text[len - 1] != '\n' || memchr(text, '\0', len) ||
        memchr(text, '\r', len))
        return KS_ERR_PARSE;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = (size_t)(nl - p);
        int field = -1;
        memcpy(line, p, n);
        line[n] = '\0';
        p = nl + 1;
        for (int i = 0; i < ACK_FIELDS; i++) {
            size_t l = strlen(ACK_LABELS[i]);
            if (n > l + 2 && strncmp(line, ACK_LABELS[i], l) == 0 && line[l] == ':' &&
                line[l + 1] == ' ') {
                field = i;
                break;
            }
        }
        if (field < 0 || seen[field] || !ack_field(field, line + strlen(ACK_LABELS[field]) + 2, &a))
            return KS_ERR_PARSE;
        seen[field] = true;
    }
    for (int i = 0; i < ACK_FIELDS; i++)
        if (!seen[i])
            return KS_ERR_PARSE;
    *out = a;
    return KS_OK;
}

KsStatus ack_write(const char *dir, const AckInfo *a, const SignKey *office)
{
    char text[ACK_TEXT_MAX], name[sizeof a->batch_id + 16], sig_name[sizeof a->batch_id + 24];
    char comment[128];
    char *sig = NULL;
    KsStatus ks = ack_format(a, text, sizeof text);
    if (ks != KS_OK) {
        LOG_ERROR("receipt for %s: %s", a->batch_id, ks_status_str(ks));
        return ks;
    }
    snprintf(name, sizeof name, "%s.ack", a->batch_id);
    snprintf(sig_name, sizeof sig_name, "%s.ack.minisig", a->batch_id);
    snprintf(comment, sizeof comment, "timestamp:%lld\tfile:%s\thashed",
             (long long)(clock_wall_ms() / 1000), name);
    ks = sign_minisig_create(office, (const unsigned char *)text, strlen(text), comment, &sig);
    /* The signature first: a receipt that is there is signed. Were the
     * receipt itself to fail, its fresh signature goes again, so no
     * mismatched pair stays (an older receipt then has none, and the kiosk
     * ignores it until it is written again). */
    if (ks == KS_OK)
        ks = bagit_replace_file(dir, sig_name, sig, strlen(sig));
    if (ks == KS_OK) {
        ks = bagit_replace_file(dir, name, text, strlen(text));
        if (ks != KS_OK) {
            size_t n = strlen(dir) + strlen(sig_name) + 2;
            char *path = xmalloc(n);
            snprintf(path, n, "%s/%s", dir, sig_name);
            unlink(path);
            bagit_fsync_dir(dir);
            free(path);
        }
    }
    if (ks == KS_OK)
        LOG_INFO("receipt %s/%s written", dir, name);
    else
        LOG_ERROR("receipt %s/%s: %s", dir, name, ks_status_str(ks));
    free(sig);
    return ks;
}

KsStatus ack_read(const char *path, const SignPublic *office, AckInfo *out)
{
    char *text = NULL, *sig = NULL, *sig_path = NULL;
    size_t len = 0, n;
    const char *base;
    AckInfo a;
    KsStatus ks;

    memset(out, 0, sizeof *out);
    ks = bagit_read_file(path, ACK_TEXT_MAX, &text, &len);
    if (ks == KS_OK) {
        n = strlen(path) + sizeof ".minisig";
        sig_path = xmalloc(n);
        snprintf(sig_path, n, "%s.minisig", path);
        ks = bagit_read_file(sig_path, ACK_SIG_MAX, &sig, NULL);
    }
    if (ks == KS_ERR_LIMIT)
        ks = KS_ERR_PARSE;
    if (ks != KS_OK)
        goto cleanup;
    /* The signature before the content: nothing unsigned is believed. */
    if ((ks = sign_minisig_verify_public(office, (const unsigned char *)text, len, sig)) != KS_OK ||
        (ks = ack_parse(text, len, &a)) != KS_OK)
        goto cleanup;
    base = strrchr(path, '/');
    base = base ? base + 1 : path;
    n = strlen(a.batch_id);
    if (strlen(base) != n + 4 || strncmp(base, a.batch_id, n) != 0 ||
        strcmp(base + n, ".ack") != 0) {
        LOG_WARN("receipt %s names batch %s", path, a.batch_id);
        ks = KS_ERR_CORRUPT;
        goto cleanup;
    }
    *out = a;
cleanup:
    if (ks != KS_OK)
        LOG_WARN("receipt %s: %s", path, ks_status_str(ks));
    free(text);
    free(sig);
    free(sig_path);
    return ks;
}
