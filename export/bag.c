/* bag: a finished batch folder as a signed BagIt bag, and its QR receipt.
 * Orchestrates bagit (files and manifests), age (encryption), sign
 * (minisign) and qr; owns only the bag-level rules: which files exist,
 * what bag-info.txt says, what is signed, what the receipt carries. */
#include "bag.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <sodium.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../firmware/core/clock.h"
#include "../firmware/core/log.h"
#include "../firmware/core/mem.h"
#include "../firmware/core/str.h"
#include "age.h"
#include "bagit.h"
#include "qr.h"
#include "sign.h"

#define BAG_TAGMANIFEST "tagmanifest-sha256.txt"
#define BAG_SIGNATURE BAG_TAGMANIFEST ".minisig"
#define BAG_MANIFEST "manifest-sha256.txt"
#define BAG_TAG_MAX (1u << 20)
#define BAG_MANIFEST_MAX (64u << 20)
#define BAG_SIG_MAX 4096
#define BAG_BAGIT_MAX 4096
#define BAG_INFO_MAX (64u << 10)
#define BAG_INFO_LABEL_MAX 128
#define BAG_SHOW_MAX 160 /* a path as a message shows it */
#define BAG_WHY_MAX 256

static const char BAG_BAGIT_TXT[] = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";

static int bag_cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *bag_path(const char *dir, const char *name)
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
    KsStatus st = bagit_fsync_dir(abs);
    free(abs);
    return st;
}

/* Replaces every payload file by its .age encryption. The plaintext is
 * removed only after the ciphertext is on disk. */
static KsStatus bag_encrypt_payload(const char *dir, const unsigned char recipient[AGE_KEY_BYTES])
{
    BagitList files = {0};
    KsStatus st = bagit_list_payload(dir, &files);
    for (int i = 0; i < files.n && st == KS_OK; i++) {
        char *in = bag_path(dir, files.paths[i]);
        size_t n = strlen(in) + 5;
        char *out = xmalloc(n);
        snprintf(out, n, "%s.age", in);
        st = age_encrypt_file(recipient, in, out);
        if (st == KS_OK && unlink(in) != 0) {
            LOG_ERROR("removing plaintext %s: %s", in, strerror(errno));
            st = KS_ERR_IO;
        }
        if (st == KS_OK)
            st = bag_fsync_parent(dir, files.paths[i]);
        free(in);
        free(out);
    }
    bagit_list_free(&files);
    return st;
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
    KsStatus st;
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
    st = bagit_write_file(path, text, len);
    free(text);
    free(path);
    return st;
}

static KsStatus bag_sign(const char *dir, const BagInfo *info, const SignKey *key)
{
    char *tm_path = bag_path(dir, BAG_TAGMANIFEST);
    char *sig_path = bag_path(dir, BAG_SIGNATURE);
    char *msg = NULL, *sig = NULL;
    char comment[256];
    size_t len = 0;
    KsStatus st = bagit_read_file(tm_path, BAG_TAG_MAX, &msg, &len);
    if (st != KS_OK)
        goto cleanup;
    snprintf(comment, sizeof comment, "timestamp:%lld\tfile:%s\tbatch:%s\thashed",
             (long long)(clock_wall_ms() / 1000), BAG_TAGMANIFEST, info->batch_id);
    st = sign_minisig_create(key, (const unsigned char *)msg, len, comment, &sig);
    if (st == KS_OK)
        st = bagit_write_file(sig_path, sig, strlen(sig));
cleanup:
    free(msg);
    free(sig);
    free(tm_path);
    free(sig_path);
    return st;
}

KsStatus bag_finish(const char *dir, const BagInfo *info, const SignKey *key,
                    char tag_sha256[65])
{
    unsigned char recipient[AGE_KEY_BYTES];
    BagitList payload = {0};
    BagitList tags = {0};
    char *path = NULL;
    uint64_t bytes = 0;
    int count = 0;
    KsStatus st = KS_ERR_INVALID;

    tag_sha256[0] = '\0';
    if (sodium_init() < 0)
        return KS_ERR_STATE;
    if (!info->batch_id || !info->kiosk_id)
        return KS_ERR_INVALID;
    if (info->age_recipient && age_parse_recipient(info->age_recipient, recipient) != KS_OK) {
        LOG_ERROR("age recipient \"%s\" is not an age1… X25519 key", info->age_recipient);
        return KS_ERR_INVALID;
    }
    if (info->age_recipient && (st = bag_encrypt_payload(dir, recipient)) != KS_OK)
        goto cleanup;
    if ((st = bagit_list_payload(dir, &payload)) != KS_OK)
        goto cleanup;
    path = bag_path(dir, "bagit.txt");
    if ((st = bagit_write_file(path, BAG_BAGIT_TXT, strlen(BAG_BAGIT_TXT))) != KS_OK)
        goto cleanup;
    if ((st = bagit_write_manifest(dir, BAG_MANIFEST, &payload, &bytes, &count)) != KS_OK)
        goto cleanup;
    if ((st = bag_write_info(dir, info, key, bytes, count)) != KS_OK)
        goto cleanup;
    /* Sorted, as every manifest here. */
    tags.paths = xmalloc(3 * sizeof *tags.paths);
    tags.cap = 3;
    tags.paths[tags.n++] = xstrdup("bag-info.txt");
    tags.paths[tags.n++] = xstrdup("bagit.txt");
    tags.paths[tags.n++] = xstrdup(BAG_MANIFEST);
    if ((st = bagit_write_manifest(dir, BAG_TAGMANIFEST, &tags, NULL, NULL)) != KS_OK)
        goto cleanup;
    if ((st = bag_sign(dir, info, key)) != KS_OK)
        goto cleanup;
    if ((st = bagit_fsync_dir(dir)) != KS_OK)
        goto cleanup;
    free(path);
    path = bag_path(dir, BAG_TAGMANIFEST);
    st = bagit_sha256_file(path, tag_sha256, NULL);
cleanup:
    if (st != KS_OK) {
        tag_sha256[0] = '\0';
        LOG_ERROR("bag %s: %s", dir, ks_status_str(st));
    }
    sodium_memzero(recipient, sizeof recipient);
    bagit_list_free(&payload);
    bagit_list_free(&tags);
    free(path);
    return st;
}

/* ---- checking a bag as a receiver ------------------------------------ */

/* Writes the first problem (a German sentence for office staff) into why. */
static void bag_why(char *why, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void bag_why(char *why, size_t size, const char *fmt, ...)
{
    va_list ap;
    if (!why || size == 0)
        return;
    va_start(ap, fmt);
    vsnprintf(why, size, fmt, ap);
    va_end(ap);
}

/* Strict UTF-8: no overlong forms, no surrogates, nothing past U+10FFFF. */
static bool bag_utf8_valid(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        size_t len;
        unsigned cp;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (n - i < len)
            return false;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += len;
    }
    return true;
}

/* A path from the stick made fit for a message: control characters (and
 * every non-ASCII byte of a name that is not UTF-8) become '?', long ones
 * are cut (UTF-8 safe) with "…". */
static void bag_show(const char *path, char out[BAG_SHOW_MAX])
{
    char tmp[BAG_SHOW_MAX];
    bool utf8 = bag_utf8_valid((const unsigned char *)path, strlen(path));
    if (!str_copy(tmp, sizeof tmp - 4, path)) {
        size_t n = strlen(tmp);
        snprintf(tmp + n, sizeof tmp - n, "…");
    }
    for (char *c = tmp; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f || (!utf8 && (unsigned char)*c >= 0x80))
            *c = '?';
    memcpy(out, tmp, sizeof tmp);
}

static bool bag_list_has(const BagitList *l, const char *path)
{
    const char *key = path;
    return l->n > 0 && bsearch(&key, l->paths, (size_t)l->n, sizeof *l->paths, bag_cmp_str);
}

static bool bag_is_tag_only(const char *rel)
{
    return strcmp(rel, BAG_TAGMANIFEST) == 0 || strcmp(rel, BAG_SIGNATURE) == 0;
}

static bool bag_in_payload(const char *rel)
{
    return strncmp(rel, "data/", 5) == 0;
}

/* Skips one or more digits; NULL when there is none. */
static const char *bag_skip_digits(const char *p, const char *end)
{
    const char *start = p;
    while (p < end && *p >= '0' && *p <= '9')
        p++;
    return p > start ? p : NULL;
}

/* Expects s at p (and a line end after it when eol); NULL otherwise. */
static const char *bag_expect(const char *p, const char *end, const char *s, bool eol)
{
    size_t n = strlen(s);
    if ((size_t)(end - p) < n || strncmp(p, s, n) != 0)
        return NULL;
    p += n;
    if (!eol)
        return p;
    if (p < end && *p == '\r')
        p++;
    return p < end && *p == '\n' ? p + 1 : NULL;
}

/* bagit.txt: "BagIt-Version: M.N" and "Tag-File-Character-Encoding: UTF-8",
 * LF or CRLF ends, nothing else. */
static bool bag_is_declaration(const char *text, size_t len)
{
    const char *end = text + len;
    const char *p = bag_expect(text, end, "BagIt-Version: ", false);
    if (p)
        p = bag_skip_digits(p, end);
    if (p)
        p = bag_expect(p, end, ".", false);
    if (p)
        p = bag_skip_digits(p, end);
    if (p)
        p = bag_expect(p, end, "", true);
    if (p)
        p = bag_expect(p, end, "Tag-File-Character-Encoding: UTF-8", true);
    return p == end;
}

static void bag_sha256_hex(const void *data, size_t len, char hex[65])
{
    unsigned char hash[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(hash, data, (unsigned long long)len);
    sodium_bin2hex(hex, 65, hash, sizeof hash);
}

/* What a check found: which kind of problem, and whether it was the
 * medium (a read failed) rather than the content. */
typedef struct {
    const char *dir;
    char *why;
    size_t size;
    KsStatus io;  /* KS_ERR_IO once a read failed */
} BagChecker;

/* Reads a small file of the bag (at most max bytes). On failure why names
 * it and the result is BAG_CHECK_MANIFEST (missing_kind for a missing one). */
static BagCheck bag_check_read(BagChecker *c, const char *name, size_t max, BagCheck missing_kind,
                               char **text, size_t *len)
{
    char *path = bag_path(c->dir, name);
    KsStatus st = bagit_read_file(path, max, text, len);
    free(path);
    if (st == KS_OK)
        return BAG_CHECK_OK;
    if (st == KS_ERR_NOT_FOUND) {
        bag_why(c->why, c->size, "Die Datei %s fehlt.", name);
        return missing_kind;
    }
    if (st == KS_ERR_LIMIT) {
        bag_why(c->why, c->size, "Die Datei %s ist zu groß.", name);
    } else {
        bag_why(c->why, c->size, "Die Datei %s ließ sich nicht lesen.", name);
        c->io = KS_ERR_IO;
    }
    return missing_kind == BAG_CHECK_SIGNATURE ? BAG_CHECK_SIGNATURE : BAG_CHECK_MANIFEST;
}

/* Parses a manifest's text, naming the first bad line in why. */
static BagCheck bag_check_parse(BagChecker *c, const char *name, const char *text, size_t len,
                                BagitManifest *m)
{
    int line = 0;
    KsStatus st = bagit_parse_manifest(text, len, m, &line);
    if (st == KS_OK)
        return BAG_CHECK_OK;
    if (st == KS_ERR_INVALID)
        bag_why(c->why, c->size, "Zeile %d von %s nennt einen Pfad außerhalb des Pakets.", line,
                name);
    else if (st == KS_ERR_CORRUPT)
        bag_why(c->why, c->size, "Zeile %d von %s nennt eine Datei zum zweiten Mal.", line, name);
    else
        bag_why(c->why, c->size, "Zeile %d von %s ist fehlerhaft.", line, name);
    return BAG_CHECK_MANIFEST;
}

/* Compares one file's hash with its manifest entry. */
static BagCheck bag_check_hash(BagChecker *c, const BagitEntry *e)
{
    char hex[65], shown[BAG_SHOW_MAX];
    char *path = bag_path(c->dir, e->path);
    KsStatus st = bagit_sha256_file(path, hex, NULL);
    free(path);
    bag_show(e->path, shown);
    if (st == KS_ERR_NOT_FOUND) {
        bag_why(c->why, c->size, "Die Datei %s fehlt.", shown);
        return BAG_CHECK_MANIFEST;
    }
    if (st != KS_OK) {
        bag_why(c->why, c->size, "Die Datei %s ließ sich nicht lesen.", shown);
        c->io = KS_ERR_IO;
        return BAG_CHECK_MANIFEST;
    }
    if (strcmp(hex, e->hex) != 0) {
        bag_why(c->why, c->size, "Die Datei %s wurde verändert: ihre Prüfsumme stimmt nicht.",
                shown);
        return BAG_CHECK_MANIFEST;
    }
    return BAG_CHECK_OK;
}

/* The bag's structure before anything in it is read: a real folder, only
 * files and folders in it, a data folder. */
static BagCheck bag_check_tree(BagChecker *c, BagitList *all)
{
    char bad[PATH_MAX], shown[BAG_SHOW_MAX];
    struct stat sb, data_sb;
    char *data = bag_path(c->dir, "data");
    int data_st = lstat(data, &data_sb);
    free(data);
    if (lstat(c->dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        bag_why(c->why, c->size, "Der Paketordner fehlt oder ist kein Ordner.");
        return BAG_CHECK_MANIFEST;
    }
    KsStatus st = bagit_list_tree(c->dir, all, bad, sizeof bad);
    bag_show(bad, shown);
    if (st == KS_ERR_INVALID) {
        bag_why(c->why, c->size,
                "Im Paket liegt eine Verknüpfung oder Sonderdatei (%s); das ist nicht erlaubt.",
                shown);
        return BAG_CHECK_MANIFEST;
    }
    if (st == KS_ERR_LIMIT) {
        bag_why(c->why, c->size,
                "Das Paket enthält zu viele Dateien oder zu tief verschachtelte Ordner.");
        return BAG_CHECK_MANIFEST;
    }
    if (st != KS_OK) {
        bag_why(c->why, c->size, "Der Paketordner ließ sich nicht vollständig lesen.");
        c->io = KS_ERR_IO;
        return BAG_CHECK_MANIFEST;
    }
    if (data_st != 0 || !S_ISDIR(data_sb.st_mode)) {
        bag_why(c->why, c->size, "Der Ordner data fehlt im Paket.");
        return BAG_CHECK_MANIFEST;
    }
    return BAG_CHECK_OK;
}

/* Every file of the bag listed where it belongs, every listed file there. */
static BagCheck bag_check_complete(BagChecker *c, const BagitList *all, const BagitManifest *tags,
                                   const BagitManifest *payload)
{
    char shown[BAG_SHOW_MAX];
    for (int i = 0; i < all->n; i++) {
        const char *rel = all->paths[i];
        if (bag_is_tag_only(rel))
            continue;
        if (!bagit_manifest_find(bag_in_payload(rel) ? payload : tags, rel)) {
            bag_show(rel, shown);
            bag_why(c->why, c->size, "Die Datei %s steht in keinem Manifest.", shown);
            return BAG_CHECK_MANIFEST;
        }
    }
    const BagitManifest *lists[2] = {tags, payload};
    for (int l = 0; l < 2; l++)
        for (int i = 0; i < lists[l]->n; i++)
            if (!bag_list_has(all, lists[l]->entries[i].path)) {
                bag_show(lists[l]->entries[i].path, shown);
                bag_why(c->why, c->size, "Die Datei %s fehlt.", shown);
                return BAG_CHECK_MANIFEST;
            }
    return BAG_CHECK_OK;
}

/* The one verifier behind bag_check_public and bag_verify. Cheap checks
 * come first and payload hashes last, so a bag with a file too many is
 * refused without reading it. */
static BagCheck bag_check(BagChecker *c, const SignPublic *pk, char tag_sha256[65])
{
    BagitList all = {0};
    BagitManifest tags = {0}, payload = {0};
    char *tm = NULL, *sig = NULL, *manifest = NULL, *bagit = NULL;
    size_t tm_len = 0, manifest_len = 0, bagit_len = 0;
    char hex[65];
    BagCheck r;

    if (KS_NEVER(sodium_init() < 0)) {
        bag_why(c->why, c->size, "Die Prüfung konnte nicht starten (libsodium).");
        c->io = KS_ERR_STATE;
        return BAG_CHECK_MANIFEST;
    }
    if ((r = bag_check_tree(c, &all)) != BAG_CHECK_OK)
        goto cleanup;
    /* The signature first: everything else is trusted only through it. */
    if ((r = bag_check_read(c, BAG_TAGMANIFEST, BAG_TAG_MAX, BAG_CHECK_MANIFEST, &tm, &tm_len)) !=
        BAG_CHECK_OK)
        goto cleanup;
    bag_sha256_hex(tm, tm_len, tag_sha256);
    if ((r = bag_check_read(c, BAG_SIGNATURE, BAG_SIG_MAX, BAG_CHECK_SIGNATURE, &sig, NULL)) !=
        BAG_CHECK_OK)
        goto cleanup;
    KsStatus st = sign_minisig_verify_public(pk, (const unsigned char *)tm, tm_len, sig);
    if (st != KS_OK) {
        r = BAG_CHECK_SIGNATURE;
        if (st == KS_ERR_PARSE)
            bag_why(c->why, c->size, "Die Signaturdatei %s ist beschädigt.", BAG_SIGNATURE);
        else
            bag_why(c->why, c->size,
                    "Die Signatur passt nicht zum Schlüssel der Kiosk-Anmeldung.");
        goto cleanup;
    }
    if ((r = bag_check_parse(c, BAG_TAGMANIFEST, tm, tm_len, &tags)) != BAG_CHECK_OK)
        goto cleanup;
    r = BAG_CHECK_MANIFEST;
    for (int i = 0; i < tags.n; i++) {
        char shown[BAG_SHOW_MAX];
        bag_show(tags.entries[i].path, shown);
        if (bag_is_tag_only(tags.entries[i].path)) {
            bag_why(c->why, c->size, "%s darf sich selbst und seine Signatur nicht aufführen.",
                    BAG_TAGMANIFEST);
            goto cleanup;
        }
        if (bag_in_payload(tags.entries[i].path)) {
            bag_why(c->why, c->size, "%s nennt die Nutzdatei %s; sie gehört in %s.",
                    BAG_TAGMANIFEST, shown, BAG_MANIFEST);
            goto cleanup;
        }
    }
    static const char *const REQUIRED[] = {"bagit.txt", "bag-info.txt", BAG_MANIFEST};
    for (size_t i = 0; i < sizeof REQUIRED / sizeof REQUIRED[0]; i++)
        if (!bagit_manifest_find(&tags, REQUIRED[i])) {
            bag_why(c->why, c->size, "%s deckt %s nicht ab.", BAG_TAGMANIFEST, REQUIRED[i]);
            goto cleanup;
        }
    /* bagit.txt and the manifest are checked and parsed from the very
     * bytes that were hashed. */
    if ((r = bag_check_read(c, "bagit.txt", BAG_BAGIT_MAX, BAG_CHECK_MANIFEST, &bagit,
                            &bagit_len)) != BAG_CHECK_OK ||
        (r = bag_check_read(c, BAG_MANIFEST, BAG_MANIFEST_MAX, BAG_CHECK_MANIFEST, &manifest,
                            &manifest_len)) != BAG_CHECK_OK)
        goto cleanup;
    for (int i = 0; i < tags.n; i++) {
        const BagitEntry *e = &tags.entries[i];
        bool in_memory = strcmp(e->path, "bagit.txt") == 0 || strcmp(e->path, BAG_MANIFEST) == 0;
        if (!in_memory) {
            if ((r = bag_check_hash(c, e)) != BAG_CHECK_OK)
                goto cleanup;
            continue;
        }
        if (strcmp(e->path, "bagit.txt") == 0)
            bag_sha256_hex(bagit, bagit_len, hex);
        else
            bag_sha256_hex(manifest, manifest_len, hex);
        if (strcmp(hex, e->hex) != 0) {
            bag_why(c->why, c->size, "Die Datei %s wurde verändert: ihre Prüfsumme stimmt nicht.",
                    e->path);
            r = BAG_CHECK_MANIFEST;
            goto cleanup;
        }
    }
    r = BAG_CHECK_MANIFEST;
    if (!bag_is_declaration(bagit, bagit_len)) {
        bag_why(c->why, c->size, "bagit.txt ist keine gültige BagIt-Erklärung.");
        goto cleanup;
    }
    if ((r = bag_check_parse(c, BAG_MANIFEST, manifest, manifest_len, &payload)) != BAG_CHECK_OK)
        goto cleanup;
    r = BAG_CHECK_MANIFEST;
    for (int i = 0; i < payload.n; i++)
        if (!bag_in_payload(payload.entries[i].path)) {
            char shown[BAG_SHOW_MAX];
            bag_show(payload.entries[i].path, shown);
            bag_why(c->why, c->size, "%s nennt %s, das nicht im Ordner data liegt.", BAG_MANIFEST,
                    shown);
            goto cleanup;
        }
    if ((r = bag_check_complete(c, &all, &tags, &payload)) != BAG_CHECK_OK)
        goto cleanup;
    for (int i = 0; i < payload.n; i++)
        if ((r = bag_check_hash(c, &payload.entries[i])) != BAG_CHECK_OK)
            goto cleanup;
    r = BAG_CHECK_OK;
cleanup:
    if (r != BAG_CHECK_OK)
        LOG_WARN("bag %s: %s", c->dir, c->why && c->why[0] ? c->why : "refused");
    bagit_list_free(&all);
    bagit_manifest_free(&tags);
    bagit_manifest_free(&payload);
    free(tm);
    free(sig);
    free(manifest);
    free(bagit);
    return r;
}

BagCheck bag_check_public(const char *dir, const SignPublic *pk, char tag_sha256[65], char *why,
                          size_t size)
{
    char own[BAG_WHY_MAX];
    bool theirs = why && size > 0;
    BagChecker c = {.dir = dir, .why = theirs ? why : own, .size = theirs ? size : sizeof own};
    c.why[0] = '\0';
    tag_sha256[0] = '\0';
    return bag_check(&c, pk, tag_sha256);
}

KsStatus bag_verify(const char *dir, const SignKey *key)
{
    char why[BAG_WHY_MAX] = "", tag[65];
    SignPublic pk;
    BagChecker c = {.dir = dir, .why = why, .size = sizeof why};
    sign_key_public(key, &pk);
    if (bag_check(&c, &pk, tag) == BAG_CHECK_OK)
        return KS_OK;
    return c.io != KS_OK ? c.io : KS_ERR_CORRUPT;
}

/* ---- bag-info.txt as facts ---------------------------------------------- */

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
    "KM2-Batch-Id", "KM2-Kiosk-Id", "KM2-Site-Code", "KM2-Signing-Key-Id",
    "KM2-Previous-Batch-Id", "KM2-Previous-Tagmanifest-SHA256", "KM2-Forms", "KM2-Period",
    "KM2-Rows", "KM2-Encrypted",
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
    static const char SITE[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
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
    char *value;          /* len + 1 bytes */
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
    KsStatus st = KS_ERR_PARSE;
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
    st = KS_OK;
cleanup:
    if (st != KS_OK)
        memset(out, 0, sizeof *out);
    free(p.value);
    return st;
}

KsStatus bag_read_facts(const char *dir, BagFacts *out, char *why, size_t size)
{
    char *path = bag_path(dir, "bag-info.txt");
    char *text = NULL;
    size_t len = 0;
    KsStatus st = bagit_read_file(path, BAG_INFO_MAX, &text, &len);
    free(path);
    memset(out, 0, sizeof *out);
    if (why && size > 0)
        why[0] = '\0';
    if (st == KS_ERR_NOT_FOUND) {
        bag_why(why, size, "Die Datei bag-info.txt fehlt.");
    } else if (st == KS_ERR_LIMIT) {
        bag_why(why, size, "bag-info.txt ist größer als 64 KiB.");
        st = KS_ERR_PARSE;
    } else if (st != KS_OK) {
        bag_why(why, size, "bag-info.txt ließ sich nicht lesen.");
    } else {
        st = bag_parse_facts(text, len, out, why, size);
    }
    free(text);
    return st;
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
    KsStatus st = KS_ERR_LIMIT;
    int side = qr_encode(payload, modules, (int)sizeof modules);
    if (side == 0)
        goto cleanup;
    if ((st = qr_png(modules, side, &png, &png_len)) != KS_OK ||
        (st = bagit_write_file(png_path, png, png_len)) != KS_OK)
        goto cleanup;
    txt = xmalloc(strlen(payload) + 2);
    snprintf(txt, strlen(payload) + 2, "%s\n", payload);
    if ((st = bagit_write_file(txt_path, txt, strlen(txt))) != KS_OK)
        goto cleanup;
    st = bagit_fsync_dir(dir);
cleanup:
    if (st != KS_OK)
        LOG_ERROR("QR receipt in %s: %s", dir, ks_status_str(st));
    free(png);
    free(txt);
    free(png_path);
    free(txt_path);
    return st;
}
