/* bag_facts: bag-info.txt read back as facts — the KM2 fields a receiver
 * relies on (batch, kiosk, key, chain, period, rows), each checked for its
 * form; the first problem named in a German sentence. */
#include "bag.h"

#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../firmware/core/log.h"
#include "../firmware/core/mem.h"
#include "../firmware/core/str.h"
#include "bag_private.h"
#include "bagit.h"

enum {
    BAG_F_BATCH,
    BAG_F_KIOSK,
    BAG_F_SITE,
    BAG_F_KEY,
    BAG_F_PREV,
    BAG_F_PREV_TAG,
    BAG_F_FORMS,
    BAG_F_PERIOD,
    BAG_F_ROWS,
    BAG_F_ENCRYPTED,
    BAG_F_COUNT
};

static const char *const BAG_FIELDS[BAG_F_COUNT] = {
    "KM2-Batch-Id",
    "KM2-Kiosk-Id",
    "KM2-Site-Code",
    "KM2-Signing-Key-Id",
    "KM2-Previous-Batch-Id",
    "KM2-Previous-Tagmanifest-SHA256",
    "KM2-Forms",
    "KM2-Period",
    "KM2-Rows",
    "KM2-Encrypted",
};

/* A batch id: a FAT-safe file name of printable ASCII, shorter than 48. */
static bool bag_batch_id_ok(const char *v)
{
    if (strlen(v) >= sizeof((BagFacts *)0)->batch_id || !str_is_fat_safe(v))
        return false;
    for (const char *p = v; *p; p++)
        if ((unsigned char)*p > 0x7e)
            return false;
    return true;
}

static bool bag_chars_ok(const char *v, const char *allowed)
{
    return strspn(v, allowed) == strlen(v);
}

static bool bag_rows_ok(const char *v, int *rows)
{
    size_t n = strlen(v);
    long long x = 0;
    if (n == 0 || n > 10 || !bag_chars_ok(v, "0123456789") || (n > 1 && v[0] == '0'))
        return false;
    for (const char *p = v; *p; p++)
        x = x * 10 + (*p - '0');
    if (x > INT_MAX)
        return false;
    *rows = (int)x;
    return true;
}

/* "FROM/TO", each part empty or letters, digits and '-' (a day, week or
 * month), shorter than 16. */
static bool bag_period_ok(const char *v, BagFacts *f)
{
    static const char PERIOD[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-";
    const char *slash = strchr(v, '/');
    if (!slash || strchr(slash + 1, '/'))
        return false;
    size_t a = (size_t)(slash - v), b = strlen(slash + 1);
    if (a >= sizeof f->period_from || b >= sizeof f->period_to || strspn(v, PERIOD) != a ||
        !bag_chars_ok(slash + 1, PERIOD))
        return false;
    memcpy(f->period_from, v, a);
    f->period_from[a] = '\0';
    memcpy(f->period_to, slash + 1, b + 1);
    return true;
}

/* Checks one KM2 field's value (joined, trimmed, without control
 * characters) and stores it. */
static bool bag_fact_store(int field, const char *v, BagFacts *f)
{
    static const char HEX_UP[] = "0123456789ABCDEF", HEX_LOW[] = "0123456789abcdef";
    static const char SITE[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    size_t n = strlen(v);
    bool none = strcmp(v, "none") == 0;
    switch (field) {
    case BAG_F_BATCH:
        return bag_batch_id_ok(v) && str_copy(f->batch_id, sizeof f->batch_id, v);
    case BAG_F_KIOSK:
        return n > 0 && str_copy(f->kiosk_id, sizeof f->kiosk_id, v);
    case BAG_F_SITE:
        return n > 0 && bag_chars_ok(v, SITE) && str_copy(f->site_code, sizeof f->site_code, v);
    case BAG_F_KEY:
        return n == 16 && bag_chars_ok(v, HEX_UP) && str_copy(f->key_id, sizeof f->key_id, v);
    case BAG_F_PREV:
        /* The kiosk writes "none" for the first batch. */
        return none ||
               (bag_batch_id_ok(v) && str_copy(f->prev_batch_id, sizeof f->prev_batch_id, v));
    case BAG_F_PREV_TAG:
        return none || (n == 64 && bag_chars_ok(v, HEX_LOW) &&
                        str_copy(f->prev_tag_sha256, sizeof f->prev_tag_sha256, v));
    case BAG_F_FORMS:
        return none || (n > 0 && str_copy(f->forms, sizeof f->forms, v));
    case BAG_F_PERIOD:
        return bag_period_ok(v, f);
    case BAG_F_ROWS:
        return bag_rows_ok(v, &f->rows);
    case BAG_F_ENCRYPTED:
        f->encrypted = strcmp(v, "yes") == 0;
        return f->encrypted || strcmp(v, "no") == 0;
    default:
        return !KS_NEVER(true);
    }
}

/* Parser state: the field being collected (its value joined across
 * continuation lines). */
typedef struct {
    BagFacts *out;
    char *why;
    size_t size;
    bool seen[BAG_F_COUNT];
    char label[BAG_INFO_LABEL_MAX + 1];
    char *value; /* len + 1 bytes */
    size_t value_len;
    bool open;
} BagInfoParser;

/* Ends the field being collected: a KM2 field is checked and kept. */
static bool bag_info_commit(BagInfoParser *p)
{
    if (!p->open)
        return true;
    p->open = false;
    while (p->value_len > 0 && p->value[p->value_len - 1] == ' ')
        p->value_len--;
    p->value[p->value_len] = '\0';
    for (int i = 0; i < BAG_F_COUNT; i++) {
        if (strcasecmp(p->label, BAG_FIELDS[i]) != 0)
            continue;
        if (p->seen[i]) {
            bag_why(p->why, p->size, "Das Feld %s steht mehrfach in bag-info.txt.", BAG_FIELDS[i]);
            return false;
        }
        p->seen[i] = true;
        if (strchr(p->value, '\t') || !bag_fact_store(i, p->value, p->out)) {
            bag_why(p->why, p->size, "Das Feld %s in bag-info.txt hat einen ungültigen Wert.",
                    BAG_FIELDS[i]);
            return false;
        }
        return true;
    }
    return true;
}

/* Appends n bytes of a line to the value, blanks at both ends dropped and
 * one space before a continuation. */
static void bag_info_append(BagInfoParser *p, const char *s, size_t n)
{
    while (n > 0 && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n == 0)
        return;
    if (p->value_len > 0)
        p->value[p->value_len++] = ' ';
    memcpy(p->value + p->value_len, s, n);
    p->value_len += n;
}

/* One line (without its end): a "Label: value" field or, indented, the
 * continuation of the one before. */
static bool bag_info_line(BagInfoParser *p, const char *s, size_t n, int no)
{
    if (n > 0 && (s[0] == ' ' || s[0] == '\t')) {
        if (!p->open) {
            bag_why(p->why, p->size, "Zeile %d von bag-info.txt ist fehlerhaft.", no);
            return false;
        }
        bag_info_append(p, s, n);
        return true;
    }
    if (!bag_info_commit(p))
        return false;
    const char *colon = memchr(s, ':', n);
    size_t label_len = colon ? (size_t)(colon - s) : 0;
    /* RFC 8493: a blank after the colon (unless the value is empty). */
    bool ok = label_len > 0 && label_len <= BAG_INFO_LABEL_MAX &&
              (label_len + 1 == n || colon[1] == ' ' || colon[1] == '\t');
    for (size_t i = 0; ok && i < label_len; i++)
        ok = s[i] > 0x20 && s[i] < 0x7f;
    if (!ok) {
        bag_why(p->why, p->size, "Zeile %d von bag-info.txt ist fehlerhaft.", no);
        return false;
    }
    memcpy(p->label, s, label_len);
    p->label[label_len] = '\0';
    p->value_len = 0;
    p->open = true;
    bag_info_append(p, colon + 1, n - label_len - 1);
    return true;
}

KsStatus bag_parse_facts(const char *text, size_t len, BagFacts *out, char *why, size_t size)
{
    BagInfoParser p = {.out = out, .why = why, .size = why ? size : 0};
    const char *s = text, *end = text + len;
    KsStatus ks = KS_ERR_PARSE;
    int no = 0;

    memset(out, 0, sizeof *out);
    if (why && size > 0)
        why[0] = '\0';
    if (len > BAG_INFO_MAX) {
        bag_why(why, p.size, "bag-info.txt ist größer als 64 KiB.");
        goto cleanup;
    }
    if (!bag_utf8_valid((const unsigned char *)text, len)) {
        bag_why(why, p.size, "bag-info.txt ist kein gültiger UTF-8-Text.");
        goto cleanup;
    }
    p.value = xmalloc(len + 1);
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
        no++;
        if (n > 0 && s[n - 1] == '\r')
            n--;
        for (size_t i = 0; i < n; i++)
            if (((unsigned char)s[i] < 0x20 && s[i] != '\t') || s[i] == 0x7f) {
                bag_why(why, p.size, "Zeile %d von bag-info.txt enthält Steuerzeichen.", no);
                goto cleanup;
            }
        if (n == 0) {
            bag_why(why, p.size, "Zeile %d von bag-info.txt ist leer.", no);
            goto cleanup;
        }
        if (!bag_info_line(&p, s, n, no))
            goto cleanup;
        s = nl ? nl + 1 : end;
    }
    if (!bag_info_commit(&p))
        goto cleanup;
    static const int REQUIRED[] = {BAG_F_BATCH, BAG_F_KIOSK, BAG_F_KEY, BAG_F_ROWS};
    for (size_t i = 0; i < sizeof REQUIRED / sizeof REQUIRED[0]; i++)
        if (!p.seen[REQUIRED[i]]) {
            bag_why(why, p.size, "In bag-info.txt fehlt das Feld %s.", BAG_FIELDS[REQUIRED[i]]);
            goto cleanup;
        }
    ks = KS_OK;
cleanup:
    if (ks != KS_OK)
        memset(out, 0, sizeof *out);
    free(p.value);
    return ks;
}

KsStatus bag_read_facts(const char *dir, BagFacts *out, char *why, size_t size)
{
    char *path = bag_path(dir, "bag-info.txt");
    char *text = NULL;
    size_t len = 0;
    KsStatus ks = bagit_read_file(path, BAG_INFO_MAX, &text, &len);
    free(path);
    memset(out, 0, sizeof *out);
    if (why && size > 0)
        why[0] = '\0';
    if (ks == KS_ERR_NOT_FOUND) {
        bag_why(why, size, "Die Datei bag-info.txt fehlt.");
    } else if (ks == KS_ERR_LIMIT) {
        bag_why(why, size, "bag-info.txt ist größer als 64 KiB.");
        ks = KS_ERR_PARSE;
    } else if (ks != KS_OK) {
        bag_why(why, size, "bag-info.txt ließ sich nicht lesen.");
    } else {
        ks = bag_parse_facts(text, len, out, why, size);
    }
    free(text);
    return ks;
}
