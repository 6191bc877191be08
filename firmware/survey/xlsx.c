/* xlsx: the archive (libzip, from memory), the XML parts (expat, streamed in
 * chunks) and the mapping of cells to CsvTables. Every size is counted while
 * reading; DTDs are refused. It does not interpret the cells' meaning. */
#include "xlsx.h"

#include <errno.h>
#include <expat.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "../core/arena.h"
#include "../core/log.h"
#include "../core/mem.h"

#define XLSX_CHUNK (64 * 1024)       /* decompressed bytes fed to expat at once */
#define XLSX_MAX_TOKEN (4u << 20)    /* bytes expat may buffer without an event */
#define XLSX_MAX_ATTR 1024           /* bytes of a sheet name or relationship target */
#define XLSX_MAX_RELS 4096           /* relationships of the workbook part */
#define XLSX_MAX_ROW 1048576         /* Excel's last row */
#define XLSX_MAX_COL 16384           /* Excel's last column, XFD */

#define XLSX_WORKBOOK "xl/workbook.xml"
#define XLSX_WORKBOOK_RELS "xl/_rels/workbook.xml.rels"
#define XLSX_SST_DEFAULT "xl/sharedStrings.xml"

typedef struct {
    const char *name;
    zip_int64_t entry; /* archive index of the sheet's part */
} XlsxSheet;

struct XlsxBook {
    zip_t *zip;
    Arena *arena; /* names and shared strings */
    XlsxSheet sheets[XLSX_MAX_SHEETS];
    int n_sheets;
    const char **sst;
    int n_sst, cap_sst;
    unsigned long long read_total; /* decompressed bytes read so far */
};

/* A shared string longer than CSV_MAX_FIELD: kept as this marker so the error
 * can name the cell that uses it. */
static const char xlsx_too_long[] = "";

/* ---- errors ----------------------------------------------------------- */

static KsStatus xlsx_error(char *err, size_t errsz, KsStatus st, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static KsStatus xlsx_error(char *err, size_t errsz, KsStatus st, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    LOG_WARN("xlsx: %s (%s)", msg, ks_status_str(st));
    if (err && errsz)
        snprintf(err, errsz, "%s", msg);
    return st;
}

/* A copy of untrusted text fit for a message: short, no control bytes. */
static const char *xlsx_printable(const char *s, char *buf, size_t size)
{
    size_t n = 0;
    for (; s[n] && n + 1 < size && n < 80; n++)
        buf[n] = ((unsigned char)s[n] < 0x20 || s[n] == 0x7f) ? '?' : s[n];
    buf[n] = '\0';
    return buf;
}

/* "C7" for 0-based (row 6, col 2). */
static void xlsx_cell_name(int row, int col, char *buf, size_t size)
{
    char letters[8];
    int n = 0;
    for (int c = col + 1; c > 0 && n < (int)sizeof letters; c = (c - 1) / 26)
        letters[n++] = (char)('A' + (c - 1) % 26);
    size_t k = 0;
    while (n > 0 && k + 1 < size)
        buf[k++] = letters[--n];
    snprintf(buf + k, size - k, "%d", row + 1);
}

/* ---- the XML driver ---------------------------------------------------- */

typedef enum {
    XLSX_TAG_OTHER = 0,
    XLSX_TAG_SHEETS,
    XLSX_TAG_SHEET,
    XLSX_TAG_RELS,
    XLSX_TAG_REL,
    XLSX_TAG_SI,
    XLSX_TAG_SHEETDATA,
    XLSX_TAG_ROW,
    XLSX_TAG_C,
    XLSX_TAG_V,
    XLSX_TAG_IS,
    XLSX_TAG_T,
    XLSX_TAG_RPH
} XlsxTag;

static const struct {
    const char *name;
    XlsxTag tag;
} xlsx_tags[] = {
    {"sheets", XLSX_TAG_SHEETS},    {"sheet", XLSX_TAG_SHEET}, {"Relationships", XLSX_TAG_RELS},
    {"Relationship", XLSX_TAG_REL}, {"si", XLSX_TAG_SI},       {"sheetData", XLSX_TAG_SHEETDATA},
    {"row", XLSX_TAG_ROW},          {"c", XLSX_TAG_C},         {"v", XLSX_TAG_V},
    {"is", XLSX_TAG_IS},            {"t", XLSX_TAG_T},         {"rPh", XLSX_TAG_RPH},
};

/* One XML part being read. Handlers of a part get this and the part's state
 * in `user`; they stop the parse with xlsx_xml_fail. */
typedef struct XlsxXml XlsxXml;
struct XlsxXml {
    XML_Parser parser;
    KsStatus st;
    char msg[256];
    unsigned char tags[XLSX_MAX_DEPTH];
    int depth;
    long long last_event; /* byte index of the latest event */
    bool collect;         /* character data goes to text */
    bool text_over;       /* text passed CSV_MAX_FIELD */
    char *text;
    size_t text_len;
    void (*on_start)(XlsxXml *x, XlsxTag tag, const char **attrs);
    void (*on_end)(XlsxXml *x, XlsxTag tag);
    void (*on_overflow)(XlsxXml *x);
    void *user;
};

static void xlsx_xml_fail(XlsxXml *x, KsStatus st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void xlsx_xml_fail(XlsxXml *x, KsStatus st, const char *fmt, ...)
{
    if (x->st != KS_OK)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(x->msg, sizeof x->msg, fmt, ap);
    va_end(ap);
    x->st = st;
    XML_StopParser(x->parser, XML_FALSE);
}

/* The local part of an expat namespace name "uri|local". */
static const char *xlsx_local(const char *name)
{
    const char *bar = strrchr(name, '|');
    return bar ? bar + 1 : name;
}

static XlsxTag xlsx_tag_of(const char *name)
{
    const char *local = xlsx_local(name);
    for (size_t i = 0; i < sizeof xlsx_tags / sizeof xlsx_tags[0]; i++)
        if (strcmp(local, xlsx_tags[i].name) == 0)
            return xlsx_tags[i].tag;
    return XLSX_TAG_OTHER;
}

/* The value of the attribute whose local name is `local`, or NULL. */
static const char *xlsx_attr(const char **attrs, const char *local)
{
    for (int i = 0; attrs[i]; i += 2)
        if (strcmp(xlsx_local(attrs[i]), local) == 0)
            return attrs[i + 1];
    return NULL;
}

static XlsxTag xlsx_parent(const XlsxXml *x)
{
    return x->depth >= 2 ? (XlsxTag)x->tags[x->depth - 2] : XLSX_TAG_OTHER;
}

static void xlsx_xml_mark(XlsxXml *x)
{
    x->last_event = (long long)XML_GetCurrentByteIndex(x->parser);
}

static void XMLCALL xlsx_xml_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
    XlsxXml *x = ud;
    xlsx_xml_mark(x);
    if (x->st != KS_OK)
        return;
    if (x->depth >= XLSX_MAX_DEPTH) {
        xlsx_xml_fail(x, KS_ERR_LIMIT, "the workbook is nested more than %d levels deep",
                      XLSX_MAX_DEPTH);
        return;
    }
    XlsxTag tag = xlsx_tag_of(name);
    x->tags[x->depth++] = (unsigned char)tag;
    if (x->on_start)
        x->on_start(x, tag, attrs);
}

static void XMLCALL xlsx_xml_end(void *ud, const XML_Char *name)
{
    XlsxXml *x = ud;
    (void)name;
    xlsx_xml_mark(x);
    if (x->st != KS_OK || KS_NEVER(x->depth <= 0))
        return;
    XlsxTag tag = (XlsxTag)x->tags[x->depth - 1];
    if (x->on_end)
        x->on_end(x, tag);
    x->depth--;
}

static void XMLCALL xlsx_xml_text(void *ud, const XML_Char *s, int len)
{
    XlsxXml *x = ud;
    xlsx_xml_mark(x);
    if (x->st != KS_OK || !x->collect || x->text_over || len <= 0)
        return;
    if (x->text_len + (size_t)len > CSV_MAX_FIELD) {
        x->text_over = true;
        if (x->on_overflow)
            x->on_overflow(x);
        return;
    }
    memcpy(x->text + x->text_len, s, (size_t)len);
    x->text_len += (size_t)len;
}

/* Anything else (comments, declarations, whitespace outside elements): only
 * moves the mark, so a huge token is noticed. */
static void XMLCALL xlsx_xml_other(void *ud, const XML_Char *s, int len)
{
    (void)s;
    (void)len;
    xlsx_xml_mark(ud);
}

static void XMLCALL xlsx_xml_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                                     const XML_Char *pubid, int has_internal)
{
    (void)name;
    (void)sysid;
    (void)pubid;
    (void)has_internal;
    /* Excel never writes a DTD; refusing it shuts out entity expansion bombs. */
    xlsx_xml_fail(ud, KS_ERR_PARSE,
                  "the workbook is damaged: it contains a document type declaration");
}

static void XMLCALL xlsx_xml_entity(void *ud, const XML_Char *name, int is_param,
                                    const XML_Char *value, int value_len, const XML_Char *base,
                                    const XML_Char *sysid, const XML_Char *pubid,
                                    const XML_Char *notation)
{
    (void)name, (void)is_param, (void)value, (void)value_len, (void)base;
    (void)sysid, (void)pubid, (void)notation;
    xlsx_xml_fail(ud, KS_ERR_PARSE, "the workbook is damaged: it declares an XML entity");
}

static void xlsx_text_reset(XlsxXml *x)
{
    x->text_len = 0;
    x->text_over = false;
}

/* Streams archive entry `entry` through expat with the handlers in x.
 * `what` names the part for messages ("sheet survey"). */
static KsStatus xlsx_read_part(XlsxBook *b, zip_int64_t entry, XlsxXml *x, const char *what,
                               char *err, size_t errsz)
{
    KsStatus st = KS_OK;
    zip_file_t *zf = NULL;
    XML_Parser p = NULL;
    char *chunk = NULL;
    unsigned long long fed = 0;

    zf = zip_fopen_index(b->zip, (zip_uint64_t)entry, 0);
    if (!zf) {
        st = xlsx_error(err, errsz, KS_ERR_PARSE, "the workbook is damaged: cannot open %s (%s)",
                        what, zip_strerror(b->zip));
        goto cleanup;
    }
    p = XML_ParserCreateNS(NULL, '|');
    if (!p) {
        st = xlsx_error(err, errsz, KS_ERR_NOMEM, "out of memory reading %s", what);
        goto cleanup;
    }
    x->parser = p;
    x->text = xmalloc(CSV_MAX_FIELD + 1);
    chunk = xmalloc(XLSX_CHUNK);
    XML_SetUserData(p, x);
    XML_SetElementHandler(p, xlsx_xml_start, xlsx_xml_end);
    XML_SetCharacterDataHandler(p, xlsx_xml_text);
    XML_SetDefaultHandlerExpand(p, xlsx_xml_other);
    XML_SetStartDoctypeDeclHandler(p, xlsx_xml_doctype);
    XML_SetEntityDeclHandler(p, xlsx_xml_entity);

    for (;;) {
        zip_int64_t n = zip_fread(zf, chunk, XLSX_CHUNK);
        if (n < 0) {
            st = xlsx_error(err, errsz, KS_ERR_PARSE, "the workbook is damaged: %s (%s)", what,
                            zip_file_strerror(zf));
            goto cleanup;
        }
        fed += (unsigned long long)n;
        b->read_total += (unsigned long long)n;
        if (fed > XLSX_MAX_PART) {
            st = xlsx_error(err, errsz, KS_ERR_LIMIT,
                            "the workbook is too large: %s holds more than %u MiB", what,
                            XLSX_MAX_PART >> 20);
            goto cleanup;
        }
        if (b->read_total > XLSX_MAX_BOOK) {
            st = xlsx_error(err, errsz, KS_ERR_LIMIT,
                            "the workbook is too large: it holds more than %u MiB", XLSX_MAX_BOOK >> 20);
            goto cleanup;
        }
        if (XML_Parse(p, chunk, (int)n, n == 0) != XML_STATUS_OK || n == 0)
            break;
        if (fed - (unsigned long long)(x->last_event > 0 ? x->last_event : 0) > XLSX_MAX_TOKEN)
            xlsx_xml_fail(x, KS_ERR_LIMIT, "the workbook is damaged: %s has an XML tag over %u MiB",
                          what, XLSX_MAX_TOKEN >> 20);
        if (x->st != KS_OK)
            break;
    }
    if (x->st != KS_OK)
        st = xlsx_error(err, errsz, x->st, "%s", x->msg);
    else if (XML_GetErrorCode(p) != XML_ERROR_NONE)
        st = xlsx_error(err, errsz, KS_ERR_PARSE, "the workbook is damaged: %s, line %lu: %s", what,
                        (unsigned long)XML_GetCurrentLineNumber(p),
                        XML_ErrorString(XML_GetErrorCode(p)));

cleanup:
    free(chunk);
    free(x->text);
    x->text = NULL;
    x->parser = NULL;
    if (p)
        XML_ParserFree(p);
    if (zf)
        zip_fclose(zf);
    return st;
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
    const char *v = xlsx_attr(attrs, local);
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
    if (tag != XLSX_TAG_REL || xlsx_parent(x) != XLSX_TAG_RELS)
        return;
    const char *mode = xlsx_attr(attrs, "TargetMode");
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
    if (tag != XLSX_TAG_SHEET || xlsx_parent(x) != XLSX_TAG_SHEETS)
        return;
    if (b->n_sheets >= XLSX_MAX_SHEETS) {
        xlsx_xml_fail(x, KS_ERR_LIMIT, "the workbook has more than %d sheets", XLSX_MAX_SHEETS);
        return;
    }
    const char *name = xlsx_attr_copy(x, b->arena, attrs, "name");
    const char *rid = xlsx_attr_copy(x, b->arena, attrs, "id");
    if (x->st != KS_OK)
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
                                  KsStatus *st)
{
    char path[XLSX_MAX_ATTR + 8], shown[96];
    if (!xlsx_resolve(r->target, path, sizeof path)) {
        *st = xlsx_error(err, errsz, KS_ERR_INVALID,
                         "the workbook refers to a part outside the workbook: %s",
                         xlsx_printable(r->target, shown, sizeof shown));
        return -1;
    }
    zip_int64_t idx = zip_name_locate(b->zip, path, 0);
    if (idx < 0)
        *st = xlsx_error(err, errsz, KS_ERR_PARSE, "the workbook is damaged: %s is missing",
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
            xlsx_text_reset(x);
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
    zip_int64_t n = zip_get_num_entries(b->zip, 0);
    if (n > XLSX_MAX_ENTRIES)
        return xlsx_error(err, errsz, KS_ERR_LIMIT, "the workbook has more than %d parts",
                          XLSX_MAX_ENTRIES);
    for (zip_int64_t i = 0; i < n; i++) {
        char shown[96];
        zip_stat_t zs;
        const char *name = zip_get_name(b->zip, (zip_uint64_t)i, ZIP_FL_ENC_RAW);
        if (!name || zip_stat_index(b->zip, (zip_uint64_t)i, ZIP_FL_ENC_RAW, &zs) != 0)
            return xlsx_error(err, errsz, KS_ERR_PARSE, "the workbook is damaged (%s)",
                              zip_strerror(b->zip));
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
    KsStatus st = KS_OK;
    XlsxOpen *o = xcalloc(1, sizeof *o);
    o->b = b;
    zip_int64_t wb = zip_name_locate(b->zip, XLSX_WORKBOOK, 0);
    zip_int64_t rels = zip_name_locate(b->zip, XLSX_WORKBOOK_RELS, 0);
    zip_int64_t sst = -1;
    if (wb < 0) {
        st = xlsx_error(err, errsz, KS_ERR_PARSE, "the file is not an Excel workbook (.xlsx)");
        goto cleanup;
    }
    if (rels < 0) {
        st = xlsx_error(err, errsz, KS_ERR_PARSE, "the workbook is damaged: %s is missing",
                        XLSX_WORKBOOK_RELS);
        goto cleanup;
    }
    XlsxXml x = {.on_start = xlsx_rels_start, .user = o};
    st = xlsx_read_part(b, rels, &x, "the workbook's relationships", err, errsz);
    if (st != KS_OK)
        goto cleanup;
    x = (XlsxXml){.on_start = xlsx_workbook_start, .user = o};
    st = xlsx_read_part(b, wb, &x, "the list of sheets", err, errsz);
    if (st != KS_OK)
        goto cleanup;
    for (int i = 0; i < b->n_sheets; i++) {
        const XlsxRel *r = NULL;
        for (int k = 0; k < o->n_rels && !r; k++)
            if (strcmp(o->rels[k].id, o->rids[i]) == 0)
                r = &o->rels[k];
        if (!r) {
            char shown[96];
            st = xlsx_error(err, errsz, KS_ERR_PARSE,
                            "the workbook is damaged: sheet %s has no data part",
                            xlsx_printable(b->sheets[i].name, shown, sizeof shown));
            goto cleanup;
        }
        b->sheets[i].entry = xlsx_rel_entry(b, r, err, errsz, &st);
        if (st != KS_OK)
            goto cleanup;
    }
    for (int k = 0; k < o->n_rels && sst < 0; k++)
        if (o->rels[k].type && xlsx_ends_with(o->rels[k].type, "/sharedStrings")) {
            sst = xlsx_rel_entry(b, &o->rels[k], err, errsz, &st);
            if (st != KS_OK)
                goto cleanup;
        }
    if (sst < 0)
        sst = zip_name_locate(b->zip, XLSX_SST_DEFAULT, 0);
    if (sst >= 0) {
        XlsxSst s = {.b = b};
        x = (XlsxXml){.on_start = xlsx_sst_start, .on_end = xlsx_sst_end, .user = &s};
        st = xlsx_read_part(b, sst, &x, "the workbook's texts", err, errsz);
    }

cleanup:
    free(o);
    return st;
}

/* Takes ownership of data (malloc'd, len bytes) whatever the outcome. */
static KsStatus xlsx_open_owned(void *data, size_t len, XlsxBook **out, char *err, size_t errsz)
{
    KsStatus st = KS_OK;
    XlsxBook *b = NULL;
    zip_source_t *src = NULL;
    zip_error_t ze;
    zip_error_init(&ze);
    const unsigned char *u = data;

    if (len >= 4 && memcmp(u, "\xD0\xCF\x11\xE0", 4) == 0) {
        /* The OLE container: an old .xls, or an .xlsx Excel encrypted. */
        st = xlsx_error(err, errsz, KS_ERR_PARSE,
                        "the file is an old Excel file (.xls) or password-protected: save it "
                        "as an Excel workbook (.xlsx) without a password");
        goto cleanup;
    }
    if (len < 4 || memcmp(u, "PK", 2) != 0) {
        st = xlsx_error(err, errsz, KS_ERR_PARSE, "the file is not an Excel workbook (.xlsx)");
        goto cleanup;
    }
    src = zip_source_buffer_create(data, len, 1, &ze);
    if (!src) {
        st = xlsx_error(err, errsz, KS_ERR_NOMEM, "cannot read the workbook (%s)",
                        zip_error_strerror(&ze));
        goto cleanup;
    }
    data = NULL; /* the source frees it now */
    b = xcalloc(1, sizeof *b);
    b->arena = arena_create(0);
    b->zip = zip_open_from_source(src, ZIP_RDONLY, &ze);
    if (!b->zip) {
        st = xlsx_error(err, errsz, KS_ERR_PARSE, "%s (%s)",
                        zip_error_code_zip(&ze) == ZIP_ER_NOZIP
                            ? "the file is not an Excel workbook (.xlsx)"
                            : "the workbook is damaged",
                        zip_error_strerror(&ze));
        goto cleanup;
    }
    src = NULL; /* the archive owns it now */
    st = xlsx_check_entries(b, err, errsz);
    if (st == KS_OK)
        st = xlsx_load(b, err, errsz);

cleanup:
    zip_error_fini(&ze);
    if (src)
        zip_source_free(src);
    free(data);
    if (st != KS_OK) {
        xlsx_close(b);
        b = NULL;
    }
    *out = b;
    return st;
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
    KsStatus st = KS_OK;
    FILE *fp = NULL;
    char *data = NULL;
    size_t len = 0, cap = 0;
    *out = NULL;
    if (err && errsz)
        err[0] = '\0';

    fp = fopen(path, "rb");
    if (!fp) {
        st = xlsx_error(err, errsz, errno == ENOENT ? KS_ERR_NOT_FOUND : KS_ERR_IO,
                        "cannot open %s: %s", path, strerror(errno));
        goto cleanup;
    }
    for (;;) {
        if (len == cap) {
            if (cap > XLSX_MAX_FILE) {
                st = xlsx_error(err, errsz, KS_ERR_LIMIT, "%s is larger than %u MiB", path,
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
        st = xlsx_error(err, errsz, KS_ERR_IO, "cannot read %s", path);
        goto cleanup;
    }
    if (len > XLSX_MAX_FILE) {
        st = xlsx_error(err, errsz, KS_ERR_LIMIT, "%s is larger than %u MiB", path,
                        XLSX_MAX_FILE >> 20);
        goto cleanup;
    }
    st = xlsx_open_owned(data, len, out, err, errsz);
    data = NULL;

cleanup:
    if (fp)
        fclose(fp);
    free(data);
    return st;
}

void xlsx_close(XlsxBook *b)
{
    if (!b)
        return;
    if (b->zip)
        zip_discard(b->zip);
    arena_destroy(b->arena);
    free(b->sst);
    free(b);
}

int xlsx_sheet_count(const XlsxBook *b)
{
    return b ? b->n_sheets : 0;
}

const char *xlsx_sheet_name(const XlsxBook *b, int i)
{
    if (!b || i < 0 || i >= b->n_sheets)
        return NULL;
    return b->sheets[i].name;
}

int xlsx_sheet_find(const XlsxBook *b, const char *name)
{
    for (int i = 0; b && name && i < b->n_sheets; i++) {
        const char *s = b->sheets[i].name;
        size_t k = 0;
        for (;; k++) {
            int c1 = (unsigned char)s[k], c2 = (unsigned char)name[k];
            if (c1 >= 'A' && c1 <= 'Z')
                c1 += 'a' - 'A';
            if (c2 >= 'A' && c2 <= 'Z')
                c2 += 'a' - 'A';
            if (c1 != c2)
                break;
            if (c1 == 0)
                return i;
        }
    }
    return -1;
}

/* ---- sheets ------------------------------------------------------------ */

typedef struct {
    XlsxBook *b;
    CsvTable *t;
    const char *sheet; /* printable name, for messages */
    int row;           /* 0-based row of the open <row>, -1 before the first */
    int col;           /* 0-based column of the latest cell, -1 at row start */
    int cell_row, cell_col;
    char type[16];
    bool in_cell, has_is;
    int is_depth, rph_depth;
} XlsxSheetRead;

/* Parses "B7" into 0-based row and column; false unless it is a cell reference
 * within Excel's grid. */
static bool xlsx_parse_ref(const char *s, int *row, int *col)
{
    int c = 0, r = 0, i = 0;
    for (; (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z'); i++) {
        c = c * 26 + ((s[i] | 0x20) - 'a' + 1);
        if (i >= 3 || c > XLSX_MAX_COL)
            return false;
    }
    int digits_from = i;
    for (; s[i] >= '0' && s[i] <= '9'; i++) {
        r = r * 10 + (s[i] - '0');
        if (r > XLSX_MAX_ROW)
            return false;
    }
    if (s[i] != '\0' || r < 1 || (digits_from > 0 && c < 1))
        return false;
    *row = r - 1;
    *col = c - 1; /* -1 when the reference is a bare row number */
    return true;
}

static void xlsx_cell_overflow(XlsxXml *x)
{
    XlsxSheetRead *s = x->user;
    char cell[16];
    xlsx_cell_name(s->cell_row, s->cell_col, cell, sizeof cell);
    xlsx_xml_fail(x, KS_ERR_LIMIT, "cell %s of sheet %s is longer than %d bytes", cell, s->sheet,
                  CSV_MAX_FIELD);
}

static void xlsx_sheet_start(XlsxXml *x, XlsxTag tag, const char **attrs)
{
    XlsxSheetRead *s = x->user;
    const char *ref;
    int r, c;
    char shown[32];
    switch (tag) {
    case XLSX_TAG_ROW:
        if (xlsx_parent(x) != XLSX_TAG_SHEETDATA)
            return;
        ref = xlsx_attr(attrs, "r");
        if (!ref) {
            r = s->row + 1;
        } else if (!xlsx_parse_ref(ref, &r, &c) || c != -1) {
            xlsx_xml_fail(x, KS_ERR_PARSE, "sheet %s has a bad row number \"%s\"", s->sheet,
                          xlsx_printable(ref, shown, sizeof shown));
            return;
        }
        if (r >= XLSX_MAX_ROW) {
            xlsx_xml_fail(x, KS_ERR_PARSE, "sheet %s has more rows than Excel allows", s->sheet);
            return;
        }
        s->row = r;
        s->col = -1;
        return;
    case XLSX_TAG_C:
        if (xlsx_parent(x) != XLSX_TAG_ROW)
            return;
        ref = xlsx_attr(attrs, "r");
        if (!ref) {
            r = s->row < 0 ? 0 : s->row;
            c = s->col + 1;
            if (c >= XLSX_MAX_COL) {
                xlsx_xml_fail(x, KS_ERR_PARSE, "sheet %s has more columns than Excel allows",
                              s->sheet);
                return;
            }
        } else if (!xlsx_parse_ref(ref, &r, &c) || c < 0) {
            xlsx_xml_fail(x, KS_ERR_PARSE, "sheet %s has a bad cell reference \"%s\"", s->sheet,
                          xlsx_printable(ref, shown, sizeof shown));
            return;
        }
        s->cell_row = r;
        s->cell_col = s->col = c;
        const char *type = xlsx_attr(attrs, "t");
        snprintf(s->type, sizeof s->type, "%s", type ? type : "n");
        s->in_cell = true;
        s->has_is = false;
        s->is_depth = s->rph_depth = 0;
        xlsx_text_reset(x);
        return;
    case XLSX_TAG_V:
        x->collect = s->in_cell && xlsx_parent(x) == XLSX_TAG_C;
        return;
    case XLSX_TAG_IS:
        if (s->in_cell) {
            s->is_depth++;
            s->has_is = true;
        }
        return;
    case XLSX_TAG_RPH:
        s->rph_depth++;
        return;
    case XLSX_TAG_T:
        x->collect = s->is_depth > 0 && s->rph_depth == 0;
        return;
    default:
        return;
    }
}

/* Writes a numeric cell's stored text into buf: as is, unless it carries an
 * exponent or more digits than a double holds (binary-float tails). */
static const char *xlsx_number(const char *v, char *buf, size_t size)
{
    int sig = 0;
    bool exp = false, leading = true;
    for (const char *p = v; *p; p++) {
        if (*p == 'e' || *p == 'E')
            exp = true;
        else if (*p >= '1' && *p <= '9')
            sig++, leading = false;
        else if (*p == '0' && !leading)
            sig++;
    }
    if (!exp && sig <= 15)
        return v;
    char *end = NULL;
    double d = strtod(v, &end);
    if (end == v || *end != '\0' || !isfinite(d))
        return v;
    snprintf(buf, size, "%.15g", d);
    return buf;
}

/* The text of the cell just closed; NULL after a failure. */
static const char *xlsx_cell_value(XlsxXml *x, XlsxSheetRead *s, char *num, size_t numsz)
{
    const char *v = x->text;
    x->text[x->text_len] = '\0';
    char cell[16];
    xlsx_cell_name(s->cell_row, s->cell_col, cell, sizeof cell);
    if (s->has_is || strcmp(s->type, "inlineStr") == 0 || strcmp(s->type, "str") == 0)
        return v;
    if (strcmp(s->type, "e") == 0)
        return "";
    if (strcmp(s->type, "b") == 0)
        return strcmp(v, "1") == 0 ? "true" : strcmp(v, "0") == 0 ? "false" : v;
    if (strcmp(s->type, "s") == 0) {
        if (!v[0])
            return "";
        char *end = NULL;
        errno = 0;
        unsigned long idx = strtoul(v, &end, 10);
        if (v[0] < '0' || v[0] > '9' || *end != '\0' || errno || idx >= (unsigned long)s->b->n_sst) {
            xlsx_xml_fail(x, KS_ERR_PARSE, "cell %s of sheet %s refers to a text the workbook "
                          "does not have", cell, s->sheet);
            return NULL;
        }
        const char *text = s->b->sst[idx];
        if (text == xlsx_too_long) {
            xlsx_cell_overflow(x);
            return NULL;
        }
        return text;
    }
    if (strcmp(s->type, "n") == 0)
        return xlsx_number(v, num, numsz);
    return v; /* "d" (ISO dates) and types Excel may add later */
}

static void xlsx_sheet_end(XlsxXml *x, XlsxTag tag)
{
    XlsxSheetRead *s = x->user;
    switch (tag) {
    case XLSX_TAG_V:
    case XLSX_TAG_T:
        x->collect = false;
        return;
    case XLSX_TAG_IS:
        if (s->is_depth > 0)
            s->is_depth--;
        return;
    case XLSX_TAG_RPH:
        if (s->rph_depth > 0)
            s->rph_depth--;
        return;
    case XLSX_TAG_C:
        break;
    default:
        return;
    }
    if (!s->in_cell || xlsx_parent(x) != XLSX_TAG_ROW)
        return;
    s->in_cell = false;
    x->collect = false;
    char num[32], cell[16];
    const char *v = xlsx_cell_value(x, s, num, sizeof num);
    if (!v || !v[0])
        return;
    size_t n = strlen(v);
    KsStatus st = csv_set(s->t, s->cell_row, s->cell_col, v, n);
    if (st == KS_OK)
        return;
    xlsx_cell_name(s->cell_row, s->cell_col, cell, sizeof cell);
    if (n > CSV_MAX_FIELD)
        xlsx_cell_overflow(x);
    else if (s->cell_row >= CSV_MAX_ROWS)
        xlsx_xml_fail(x, KS_ERR_LIMIT, "sheet %s has more than %d rows (cell %s)", s->sheet,
                      CSV_MAX_ROWS, cell);
    else
        xlsx_xml_fail(x, KS_ERR_LIMIT, "cell %s of sheet %s is beyond the last column read (%d)",
                      cell, s->sheet, CSV_MAX_COLS);
}

KsStatus xlsx_sheet_read(XlsxBook *b, int i, CsvTable **out, char *err, size_t errsz)
{
    *out = NULL;
    if (err && errsz)
        err[0] = '\0';
    if (!b || i < 0 || i >= b->n_sheets)
        return xlsx_error(err, errsz, KS_ERR_INVALID, "the workbook has no sheet number %d", i + 1);
    char shown[96], what[128];
    XlsxSheetRead s = {
        .b = b,
        .t = csv_create(),
        .sheet = xlsx_printable(b->sheets[i].name, shown, sizeof shown),
        .row = -1,
        .col = -1,
    };
    snprintf(what, sizeof what, "sheet %s", s.sheet);
    XlsxXml x = {
        .on_start = xlsx_sheet_start,
        .on_end = xlsx_sheet_end,
        .on_overflow = xlsx_cell_overflow,
        .user = &s,
    };
    KsStatus st = xlsx_read_part(b, b->sheets[i].entry, &x, what, err, errsz);
    if (st != KS_OK) {
        csv_destroy(s.t);
        return st;
    }
    *out = s.t;
    return KS_OK;
}
