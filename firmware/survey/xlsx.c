/* xlsx: opening a workbook: the archive (libzip, from memory) and its entry
 * checks, the workbook's relationships, its list of sheets and its shared
 * strings, and the error messages of the whole reader. The XML driver is
 * xlsx_xml.c, the worksheets xlsx_sheet.c. Every size is counted while
 * reading. It does not interpret the cells' meaning. */
#include "xlsx.h"

#include <stdarg.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "../core/arena.h"
#include "../core/log.h"
#include "../core/mem.h"
#include "xlsx_private.h"

#define XLSX_MAX_ATTR 1024 /* bytes of a sheet name or relationship target */
#define XLSX_MAX_RELS 4096 /* relationships of the workbook part */

#define XLSX_WORKBOOK "xl/workbook.xml"
#define XLSX_WORKBOOK_RELS "xl/_rels/workbook.xml.rels"
#define XLSX_SST_DEFAULT "xl/sharedStrings.xml"

const char xlsx_too_long[] = "";

/* ---- errors ----------------------------------------------------------- */

KsStatus xlsx_error(char *err, size_t errsz, KsStatus ks, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    LOG_WARN("xlsx: %s (%s)", msg, ks_status_str(ks));
    if (err && errsz)
        snprintf(err, errsz, "%s", msg);
    return ks;
}

const char *xlsx_printable(const char *s, char *buf, size_t size)
{
    size_t n = 0;
    for (; s[n] && n + 1 < size && n < 80; n++)
        buf[n] = ((unsigned char)s[n] < 0x20 || s[n] == 0x7f) ? '?' : s[n];
    buf[n] = '\0';
    return buf;
}

/* ---- workbook and relationships ---------------------------------------- */

typedef struct {
    const char *id, *target, *type;
} XlsxRel;

typedef struct {
    XlsxBook *b;
    XlsxRel rels[XLSX_MAX_RELS];
    int n_rels;
    const char *rids[XLSX_MAX_SHEETS]; /* r:id of each sheet, parallel to b->sheets */
} XlsxOpen;

static const char *xlsx_attr_copy(XlsxXml *x, Arena *a, const char **attrs, const char *local)
{
    const char *v = xlsx_xml_attr(attrs, local);
    if (!v)
        return NULL;
    if (strlen(v) > XLSX_MAX_ATTR) {
        xlsx_xml_fail(x, KS_ERR_LIMIT, "the workbook is damaged: a %s is longer than %d bytes",
                      local, XLSX_MAX_ATTR);
        return NULL;
    }
    return arena_strdup(a, v);
}

static void xlsx_rels_start(XlsxXml *x, XlsxTag tag, const char **attrs)
{
    XlsxOpen *o = x->user;
    if (tag != XLSX_TAG_REL || xlsx_xml_parent(x) != XLSX_TAG_RELS)
        return;
    const char *mode = xlsx_xml_attr(attrs, "TargetMode");
    if (mode && strcmp(mode, "External") == 0)
        return;
    if (o->n_rels >= XLSX_MAX_RELS) {
        xlsx_xml_fail(x, KS_ERR_LIMIT, "the workbook has more than %d relationships",
                      XLSX_MAX_RELS);
        return;
    }
    XlsxRel r = {
        .id = xlsx_attr_copy(x, o->b->arena, attrs, "Id"),
        .target = xlsx_attr_copy(x, o->b->arena, attrs, "Target"),
        .type = xlsx_attr_copy(x, o->b->arena, attrs, "Type"),
    };
    if (r.id && r.target)
        o->rels[o->n_rels++] = r;
}

static void xlsx_workbook_start(XlsxXml *x, XlsxTag tag, const char **attrs)
{
    XlsxOpen *o = x->user;
    XlsxBook *b = o->b;
    if (tag != XLSX_TAG_SHEET || xlsx_xml_parent(x) != XLSX_TAG_SHEETS)
        return;
    if (b->n_sheets >= XLSX_MAX_SHEETS) {
        xlsx_xml_fail(x, KS_ERR_LIMIT, "the workbook has more than %d sheets", XLSX_MAX_SHEETS);
        return;
    }
    const char *name = xlsx_attr_copy(x, b->arena, attrs, "name");
    const char *rid = xlsx_attr_copy(x, b->arena, attrs, "id");
    if (x->ks != KS_OK)
        return;
    if (!name || !rid) {
        xlsx_xml_fail(x, KS_ERR_PARSE, "the workbook is damaged: a sheet has no %s",
                      name ? "relationship" : "name");
        return;
    }
    o->rids[b->n_sheets] = rid;
    b->sheets[b->n_sheets++] = (XlsxSheet){.name = name, .entry = -1};
}

/* Resolves a relationship target against xl/ into the archive path in buf.
 * False when it is malformed or leads outside xl/. */
static bool xlsx_resolve(const char *target, char *buf, size_t size)
{
    char tmp[XLSX_MAX_ATTR + 8];
    if (strchr(target, '\\') || strlen(target) > XLSX_MAX_ATTR || size < sizeof tmp)
        return false;
    snprintf(tmp, sizeof tmp, "%s%s", target[0] == '/' ? "" : "xl/", target);
    /* Rebuild segment by segment; ".." pops, "." and empty segments vanish. */
    size_t len = 0;
    buf[0] = '\0';
    for (char *seg = tmp, *next; seg; seg = next) {
        next = strchr(seg, '/');
        if (next)
            *next++ = '\0';
        if (seg[0] == '\0' || strcmp(seg, ".") == 0)
            continue;
        if (strcmp(seg, "..") == 0) {
            if (len == 0)
                return false;
            char *slash = strrchr(buf, '/');
            len = slash ? (size_t)(slash - buf) : 0;
            buf[len] = '\0';
            continue;
        }
        len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? "/" : "", seg);
    }
    return strncmp(buf, "xl/", 3) == 0 && buf[3] != '\0';
}

/* The archive index of the part a relationship points to, or -1 with an error. */
static zip_int64_t xlsx_rel_entry(XlsxBook *b, const XlsxRel *r, char *err, size_t errsz,
                                  KsStatus *ks)
{
    char path[XLSX_MAX_ATTR + 8], shown[96];
    if (!xlsx_resolve(r->target, path, sizeof path)) {
        *ks = xlsx_error(err, errsz, KS_ERR_INVALID,
                         "the workbook refers to a part outside the workbook: %s",
                         xlsx_printable(r->target, shown, sizeof shown));
        return -1;
    }
    zip_int64_t idx = b->z->zip_name_locate(b->zip, path, 0);
    if (idx < 0)
        *ks = xlsx_error(err, errsz, KS_ERR_PARSE, "the workbook is damaged: %s is missing",
                         xlsx_printable(path, shown, sizeof shown));
    return idx;
}

static bool xlsx_ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* ---- shared strings ---------------------------------------------------- */

typedef struct {
    XlsxBook *b;
    int si_depth, rph_depth;
} XlsxSst;

static void xlsx_sst_start(XlsxXml *x, XlsxTag tag, const char **attrs)
{
    XlsxSst *s = x->user;
    (void)attrs;
    if (tag == XLSX_TAG_SI) {
        if (s->si_depth++ == 0)
            xlsx_xml_text_reset(x);
    } else if (tag == XLSX_TAG_RPH) {
        s->rph_depth++;
    } else if (tag == XLSX_TAG_T) {
        x->collect = s->si_depth > 0 && s->rph_depth == 0;
    }
}

static void xlsx_sst_end(XlsxXml *x, XlsxTag tag)
{
    XlsxSst *s = x->user;
    XlsxBook *b = s->b;
    if (tag == XLSX_TAG_RPH && s->rph_depth > 0) {
        s->rph_depth--;
    } else if (tag == XLSX_TAG_T) {
        x->collect = false;
    } else if (tag == XLSX_TAG_SI && s->si_depth > 0 && --s->si_depth == 0) {
        if (b->n_sst >= XLSX_MAX_SHARED_STRINGS) {
            xlsx_xml_fail(x, KS_ERR_LIMIT, "the workbook has more than %d different texts",
                          XLSX_MAX_SHARED_STRINGS);
            return;
        }
        if (b->n_sst == b->cap_sst) {
            b->cap_sst = b->cap_sst ? b->cap_sst * 2 : 256;
            b->sst = xrealloc(b->sst, (size_t)b->cap_sst * sizeof *b->sst);
        }
        b->sst[b->n_sst++] =
            x->text_over ? xlsx_too_long : arena_strndup(b->arena, x->text, x->text_len);
    }
}

/* ---- opening ----------------------------------------------------------- */

/* Refuses entries that a careless unzip would write outside its folder. */
static bool xlsx_entry_name_safe(const char *name)
{
    if (!name[0] || name[0] == '/' || strchr(name, '\\') || (name[0] && name[1] == ':'))
        return false;
    for (const char *seg = name;;) {
        if (seg[0] == '.' && seg[1] == '.' && (seg[2] == '/' || seg[2] == '\0'))
            return false;
        const char *slash = strchr(seg, '/');
        if (!slash)
            return true;
        seg = slash + 1;
    }
}

static KsStatus xlsx_check_entries(XlsxBook *b, char *err, size_t errsz)
{
    zip_int64_t n = b->z->zip_get_num_entries(b->zip, 0);
    if (n > XLSX_MAX_ENTRIES)
        return xlsx_error(err, errsz, KS_ERR_LIMIT, "the workbook has more than %d parts",
                          XLSX_MAX_ENTRIES);
    for (zip_int64_t i = 0; i < n; i++) {
        char shown[96];
        zip_stat_t zs;
        const char *name = b->z->zip_get_name(b->zip, (zip_uint64_t)i, ZIP_FL_ENC_RAW);
        if (!name || b->z->zip_stat_index(b->zip, (zip_uint64_t)i, ZIP_FL_ENC_RAW, &zs) != 0)
            return xlsx_error(err, errsz, KS_ERR_PARSE, "the workbook is damaged (%s)",
                              b->z->zip_strerror(b->zip));
        if (!xlsx_entry_name_safe(name))
            return xlsx_error(err, errsz, KS_ERR_INVALID,
                              "the file contains an entry outside the workbook: %s",
                              xlsx_printable(name, shown, sizeof shown));
        if ((zs.valid & ZIP_STAT_ENCRYPTION_METHOD) && zs.encryption_method != ZIP_EM_NONE)
            return xlsx_error(err, errsz, KS_ERR_INVALID,
                              "the workbook is password-protected: save it without a password");
    }
    return KS_OK;
}

/* Reads the relationships, the sheet list and the shared strings. */
static KsStatus xlsx_load(XlsxBook *b, char *err, size_t errsz)
{
    KsStatus ks = KS_OK;
    XlsxOpen *o = xcalloc(1, sizeof *o);
    o->b = b;
    zip_int64_t wb = b->z->zip_name_locate(b->zip, XLSX_WORKBOOK, 0);
    zip_int64_t rels = b->z->zip_name_locate(b->zip, XLSX_WORKBOOK_RELS, 0);
    zip_int64_t sst = -1;
    if (wb < 0) {
        ks = xlsx_error(err, errsz, KS_ERR_PARSE, "the file is not an Excel workbook (.xlsx)");
        goto cleanup;
    }
    if (rels < 0) {
        ks = xlsx_error(err, errsz, KS_ERR_PARSE, "the workbook is damaged: %s is missing",
                        XLSX_WORKBOOK_RELS);
        goto cleanup;
    }
    XlsxXml x = {.on_start = xlsx_rels_start, .user = o};
    ks = xlsx_xml_read_part(b, rels, &x, "the workbook's relationships", err, errsz);
    if (ks != KS_OK)
        goto cleanup;
    x = (XlsxXml){.on_start = xlsx_workbook_start, .user = o};
    ks = xlsx_xml_read_part(b, wb, &x, "the list of sheets", err, errsz);
    if (ks != KS_OK)
        goto cleanup;
    for (int i = 0; i < b->n_sheets; i++) {
        const XlsxRel *r = NULL;
        for (int k = 0; k < o->n_rels && !r; k++)
            if (strcmp(o->rels[k].id, o->rids[i]) == 0)
                r = &o->rels[k];
        if (!r) {
            char shown[96];
            ks = xlsx_error(err, errsz, KS_ERR_PARSE,
                            "the workbook is damaged: sheet %s has no data part",
                            xlsx_printable(b->sheets[i].name, shown, sizeof shown));
            goto cleanup;
        }
        b->sheets[i].entry = xlsx_rel_entry(b, r, err, errsz, &ks);
        if (ks != KS_OK)
            goto cleanup;
    }
    for (int k = 0; k < o->n_rels && sst < 0; k++)
        if (o->rels[k].type && xlsx_ends_with(o->rels[k].type, "/sharedStrings")) {
            sst = xlsx_rel_entry(b, &o->rels[k], err, errsz, &ks);
            if (ks != KS_OK)
                goto cleanup;
        }
    if (sst < 0)
        sst = b->z->zip_name_locate(b->zip, XLSX_SST_DEFAULT, 0);
    if (sst >= 0) {
        XlsxSst s = {.b = b};
        x = (XlsxXml){.on_start = xlsx_sst_start, .on_end = xlsx_sst_end, .user = &s};
        ks = xlsx_xml_read_part(b, sst, &x, "the workbook's texts", err, errsz);
    }

cleanup:
    free(o);
    return ks;
}

/* Takes ownership of data (malloc'd, len bytes) whatever the outcome. */
static KsStatus xlsx_open_owned(void *data, size_t len, XlsxBook **out, char *err, size_t errsz)
{
    const char *why = "";
    const XlsxZip *z = xlsx_zip(&why);
    if (!z) {
        free(data);
        *out = NULL;
        return xlsx_error(err, errsz, KS_ERR_UNSUPPORTED,
                          "Excel workbooks cannot be read here: libzip is missing (%s)", why);
    }
    KsStatus ks = KS_OK;
    XlsxBook *b = NULL;
    zip_source_t *src = NULL;
    zip_error_t ze;
    z->zip_error_init(&ze);
    const unsigned char *u = data;

    if (len >= 4 && memcmp(u, "\xD0\xCF\x11\xE0", 4) == 0) {
        /* The OLE container: an old .xls, or an .xlsx Excel encrypted. */
        ks = xlsx_error(err, errsz, KS_ERR_PARSE,
                        "the file is an old Excel file (.xls) or password-protected: save it "
                        "as an Excel workbook (.xlsx) without a password");
        goto cleanup;
    }
    if (len < 4 || memcmp(u, "PK", 2) != 0) {
        ks = xlsx_error(err, errsz, KS_ERR_PARSE, "the file is not an Excel workbook (.xlsx)");
        goto cleanup;
    }
    src = z->zip_source_buffer_create(data, len, 1, &ze);
    if (!src) {
        ks = xlsx_error(err, errsz, KS_ERR_NOMEM, "cannot read the workbook (%s)",
                        z->zip_error_strerror(&ze));
        goto cleanup;
    }
    data = NULL; /* the source frees it now */
    b = xcalloc(1, sizeof *b);
    b->arena = arena_create(0);
    b->z = z;
    b->zip = z->zip_open_from_source(src, ZIP_RDONLY, &ze);
    if (!b->zip) {
        ks = xlsx_error(err, errsz, KS_ERR_PARSE, "%s (%s)",
                        z->zip_error_code_zip(&ze) == ZIP_ER_NOZIP
                            ? "the file is not an Excel workbook (.xlsx)"
                            : "the workbook is damaged",
                        z->zip_error_strerror(&ze));
        goto cleanup;
    }
    src = NULL; /* the archive owns it now */
    ks = xlsx_check_entries(b, err, errsz);
    if (ks == KS_OK)
        ks = xlsx_load(b, err, errsz);

cleanup:
    z->zip_error_fini(&ze);
    if (src)
        z->zip_source_free(src);
    free(data);
    if (ks != KS_OK) {
        xlsx_close(b);
        b = NULL;
    }
    *out = b;
    return ks;
}

KsStatus xlsx_open_mem(const void *buf, size_t len, XlsxBook **out, char *err, size_t errsz)
{
    *out = NULL;
    if (err && errsz)
        err[0] = '\0';
    if (len > XLSX_MAX_FILE)
        return xlsx_error(err, errsz, KS_ERR_LIMIT, "the workbook is larger than %u MiB",
                          XLSX_MAX_FILE >> 20);
    void *copy = xmalloc(len ? len : 1);
    if (len)
        memcpy(copy, buf, len);
    return xlsx_open_owned(copy, len, out, err, errsz);
}

KsStatus xlsx_open_file(const char *path, XlsxBook **out, char *err, size_t errsz)
{
    KsStatus ks = KS_OK;
    FILE *fp = NULL;
    char *data = NULL;
    size_t len = 0, cap = 0;
    *out = NULL;
    if (err && errsz)
        err[0] = '\0';

    fp = fopen(path, "rb");
    if (!fp) {
        ks = xlsx_error(err, errsz, errno == ENOENT ? KS_ERR_NOT_FOUND : KS_ERR_IO,
                        "cannot open %s: %s", path, strerror(errno));
        goto cleanup;
    }
    for (;;) {
        if (len == cap) {
            if (cap > XLSX_MAX_FILE) {
                ks = xlsx_error(err, errsz, KS_ERR_LIMIT, "%s is larger than %u MiB", path,
                                XLSX_MAX_FILE >> 20);
                goto cleanup;
            }
            cap = cap ? cap * 2 : 256 * 1024;
            data = xrealloc(data, cap);
        }
        size_t n = fread(data + len, 1, cap - len, fp);
        len += n;
        if (n == 0)
            break;
    }
    if (ferror(fp)) {
        ks = xlsx_error(err, errsz, KS_ERR_IO, "cannot read %s", path);
        goto cleanup;
    }
    if (len > XLSX_MAX_FILE) {
        ks = xlsx_error(err, errsz, KS_ERR_LIMIT, "%s is larger than %u MiB", path,
                        XLSX_MAX_FILE >> 20);
        goto cleanup;
    }
    ks = xlsx_open_owned(data, len, out, err, errsz);
    data = NULL;

cleanup:
    if (fp)
        fclose(fp);
    free(data);
    return ks;
}

void xlsx_close(XlsxBook *b)
{
    if (!b)
        return;
    if (b->zip)
        b->z->zip_discard(b->zip);
    arena_destroy(b->arena);
    free(b->sst);
    free(b);
}
