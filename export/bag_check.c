/* bag_check: a bag as its receiver checks it — the tree, bagit.txt, both
 * manifests, every hash and the minisign signature over the tag manifest,
 * with the first problem named in a German sentence. Reads, never writes. */
#include "bag.h"

#include <stdarg.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../firmware/core/log.h"
#include "../firmware/core/str.h"
#include "bag_private.h"
#include "bagit.h"
#include "sign.h"

static int bag_cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void bag_why(char *why, size_t size, const char *fmt, ...)
{
    va_list ap;
    if (!why || size == 0)
        return;
    va_start(ap, fmt);
    vsnprintf(why, size, fmt, ap);
    va_end(ap);
}

bool bag_utf8_valid(const unsigned char *s, size_t n)
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
    KsStatus io; /* KS_ERR_IO once a read failed */
} BagChecker;

/* Reads a small file of the bag (at most max bytes). On failure why names
 * it and the result is BAG_CHECK_MANIFEST (missing_kind for a missing one). */
static BagCheck bag_check_read(BagChecker *c, const char *name, size_t max, BagCheck missing_kind,
                               char **text, size_t *len)
{
    char *path = bag_path(c->dir, name);
    KsStatus ks = bagit_read_file(path, max, text, len);
    free(path);
    if (ks == KS_OK)
        return BAG_CHECK_OK;
    if (ks == KS_ERR_NOT_FOUND) {
        bag_why(c->why, c->size, "Die Datei %s fehlt.", name);
        return missing_kind;
    }
    if (ks == KS_ERR_LIMIT) {
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
    KsStatus ks = bagit_parse_manifest(text, len, m, &line);
    if (ks == KS_OK)
        return BAG_CHECK_OK;
    if (ks == KS_ERR_INVALID)
        bag_why(c->why, c->size, "Zeile %d von %s nennt einen Pfad außerhalb des Pakets.", line,
                name);
    else if (ks == KS_ERR_CORRUPT)
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
    KsStatus ks = bagit_sha256_file(path, hex, NULL);
    free(path);
    bag_show(e->path, shown);
    if (ks == KS_ERR_NOT_FOUND) {
        bag_why(c->why, c->size, "Die Datei %s fehlt.", shown);
        return BAG_CHECK_MANIFEST;
    }
    if (ks != KS_OK) {
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
    KsStatus ks = bagit_list_tree(c->dir, all, bad, sizeof bad);
    bag_show(bad, shown);
    if (ks == KS_ERR_INVALID) {
        bag_why(c->why, c->size,
                "Im Paket liegt eine Verknüpfung oder Sonderdatei (%s); das ist nicht erlaubt.",
                shown);
        return BAG_CHECK_MANIFEST;
    }
    if (ks == KS_ERR_LIMIT) {
        bag_why(c->why, c->size,
                "Das Paket enthält zu viele Dateien oder zu tief verschachtelte Ordner.");
        return BAG_CHECK_MANIFEST;
    }
    if (ks != KS_OK) {
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
/* What the tag manifest lists: never itself, its signature or a payload
 * file, and at least bagit.txt, bag-info.txt and the payload manifest. */
static BagCheck bag_check_tag_list(BagChecker *c, const BagitManifest *tags)
{
    for (int i = 0; i < tags->n; i++) {
        char shown[BAG_SHOW_MAX];
        bag_show(tags->entries[i].path, shown);
        if (bag_is_tag_only(tags->entries[i].path)) {
            bag_why(c->why, c->size, "%s darf sich selbst und seine Signatur nicht aufführen.",
                    BAG_TAGMANIFEST);
            return BAG_CHECK_MANIFEST;
        }
        if (bag_in_payload(tags->entries[i].path)) {
            bag_why(c->why, c->size, "%s nennt die Nutzdatei %s; sie gehört in %s.",
                    BAG_TAGMANIFEST, shown, BAG_MANIFEST);
            return BAG_CHECK_MANIFEST;
        }
    }
    static const char *const REQUIRED[] = {"bagit.txt", "bag-info.txt", BAG_MANIFEST};
    for (size_t i = 0; i < sizeof REQUIRED / sizeof REQUIRED[0]; i++)
        if (!bagit_manifest_find(tags, REQUIRED[i])) {
            bag_why(c->why, c->size, "%s deckt %s nicht ab.", BAG_TAGMANIFEST, REQUIRED[i]);
            return BAG_CHECK_MANIFEST;
        }
    return BAG_CHECK_OK;
}

/* Every tag file's checksum; bagit.txt and the payload manifest from the
 * very bytes read into memory (which are then parsed), the others from
 * disk. */
static BagCheck bag_check_tag_hashes(BagChecker *c, const BagitManifest *tags, const char *bagit,
                                     size_t bagit_len, const char *manifest, size_t manifest_len)
{
    for (int i = 0; i < tags->n; i++) {
        const BagitEntry *e = &tags->entries[i];
        bool in_memory = strcmp(e->path, "bagit.txt") == 0 || strcmp(e->path, BAG_MANIFEST) == 0;
        if (!in_memory) {
            BagCheck r = bag_check_hash(c, e);
            if (r != BAG_CHECK_OK)
                return r;
            continue;
        }
        char hex[65];
        if (strcmp(e->path, "bagit.txt") == 0)
            bag_sha256_hex(bagit, bagit_len, hex);
        else
            bag_sha256_hex(manifest, manifest_len, hex);
        if (strcmp(hex, e->hex) != 0) {
            bag_why(c->why, c->size, "Die Datei %s wurde verändert: ihre Prüfsumme stimmt nicht.",
                    e->path);
            return BAG_CHECK_MANIFEST;
        }
    }
    return BAG_CHECK_OK;
}

static BagCheck bag_check(BagChecker *c, const SignPublic *pk, char tag_sha256[65])
{
    BagitList all = {0};
    BagitManifest tags = {0}, payload = {0};
    char *tm = NULL, *sig = NULL, *manifest = NULL, *bagit = NULL;
    size_t tm_len = 0, manifest_len = 0, bagit_len = 0;
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
    KsStatus ks = sign_minisig_verify_public(pk, (const unsigned char *)tm, tm_len, sig);
    if (ks != KS_OK) {
        r = BAG_CHECK_SIGNATURE;
        if (ks == KS_ERR_PARSE)
            bag_why(c->why, c->size, "Die Signaturdatei %s ist beschädigt.", BAG_SIGNATURE);
        else
            bag_why(c->why, c->size, "Die Signatur passt nicht zum Schlüssel der Kiosk-Anmeldung.");
        goto cleanup;
    }
    if ((r = bag_check_parse(c, BAG_TAGMANIFEST, tm, tm_len, &tags)) != BAG_CHECK_OK)
        goto cleanup;
    if ((r = bag_check_tag_list(c, &tags)) != BAG_CHECK_OK)
        goto cleanup;
    /* bagit.txt and the manifest are checked and parsed from the very
     * bytes that were hashed. */
    if ((r = bag_check_read(c, "bagit.txt", BAG_BAGIT_MAX, BAG_CHECK_MANIFEST, &bagit,
                            &bagit_len)) != BAG_CHECK_OK ||
        (r = bag_check_read(c, BAG_MANIFEST, BAG_MANIFEST_MAX, BAG_CHECK_MANIFEST, &manifest,
                            &manifest_len)) != BAG_CHECK_OK)
        goto cleanup;
    if ((r = bag_check_tag_hashes(c, &tags, bagit, bagit_len, manifest, manifest_len)) !=
        BAG_CHECK_OK)
        goto cleanup;
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
