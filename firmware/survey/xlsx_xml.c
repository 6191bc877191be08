/* xlsx_xml: the streaming XML driver of the .xlsx reader: feeds one archive
 * entry through expat in chunks, tracks the element stack and collects
 * character data for the part's handlers. It counts every decompressed byte,
 * refuses DTDs and entity declarations and caps the nesting and the size of a
 * token; what the elements mean is the handlers' business (xlsx.c,
 * xlsx_sheet.c). */
#include <stdarg.h>
#include <expat.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "../core/log.h"
#include "../core/mem.h"
#include "xlsx_private.h"

#define XLSX_CHUNK (64 * 1024)    /* decompressed bytes fed to expat at once */
#define XLSX_MAX_TOKEN (4u << 20) /* bytes expat may buffer without an event */

static const struct {
    const char *name;
    XlsxTag tag;
} xlsx_xml_tags[] = {
    {"sheets", XLSX_TAG_SHEETS},
    {"sheet", XLSX_TAG_SHEET},
    {"Relationships", XLSX_TAG_RELS},
    {"Relationship", XLSX_TAG_REL},
    {"si", XLSX_TAG_SI},
    {"sheetData", XLSX_TAG_SHEETDATA},
    {"row", XLSX_TAG_ROW},
    {"c", XLSX_TAG_C},
    {"v", XLSX_TAG_V},
    {"is", XLSX_TAG_IS},
    {"t", XLSX_TAG_T},
    {"rPh", XLSX_TAG_RPH},
};

void xlsx_xml_fail(XlsxXml *x, KsStatus ks, const char *fmt, ...)
{
    if (x->ks != KS_OK)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(x->msg, sizeof x->msg, fmt, ap);
    va_end(ap);
    x->ks = ks;
    XML_StopParser(x->parser, XML_FALSE);
}

/* The local part of an expat namespace name "uri|local". */
static const char *xlsx_xml_local(const char *name)
{
    const char *bar = strrchr(name, '|');
    return bar ? bar + 1 : name;
}

static XlsxTag xlsx_xml_tag_of(const char *name)
{
    const char *local = xlsx_xml_local(name);
    for (size_t i = 0; i < sizeof xlsx_xml_tags / sizeof xlsx_xml_tags[0]; i++)
        if (strcmp(local, xlsx_xml_tags[i].name) == 0)
            return xlsx_xml_tags[i].tag;
    return XLSX_TAG_OTHER;
}

const char *xlsx_xml_attr(const char **attrs, const char *local)
{
    for (int i = 0; attrs[i]; i += 2)
        if (strcmp(xlsx_xml_local(attrs[i]), local) == 0)
            return attrs[i + 1];
    return NULL;
}

XlsxTag xlsx_xml_parent(const XlsxXml *x)
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
    if (x->ks != KS_OK)
        return;
    if (x->depth >= XLSX_MAX_DEPTH) {
        xlsx_xml_fail(x, KS_ERR_LIMIT, "the workbook is nested more than %d levels deep",
                      XLSX_MAX_DEPTH);
        return;
    }
    XlsxTag tag = xlsx_xml_tag_of(name);
    x->tags[x->depth++] = (unsigned char)tag;
    if (x->on_start)
        x->on_start(x, tag, attrs);
}

static void XMLCALL xlsx_xml_end(void *ud, const XML_Char *name)
{
    XlsxXml *x = ud;
    (void)name;
    xlsx_xml_mark(x);
    if (x->ks != KS_OK || KS_NEVER(x->depth <= 0))
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
    if (x->ks != KS_OK || !x->collect || x->text_over || len <= 0)
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

void xlsx_xml_text_reset(XlsxXml *x)
{
    x->text_len = 0;
    x->text_over = false;
}

KsStatus xlsx_xml_read_part(XlsxBook *b, zip_int64_t entry, XlsxXml *x, const char *what, char *err,
                            size_t errsz)
{
    KsStatus ks = KS_OK;
    zip_file_t *zf = NULL;
    XML_Parser p = NULL;
    char *chunk = NULL;
    unsigned long long fed = 0;

    zf = b->z->zip_fopen_index(b->zip, (zip_uint64_t)entry, 0);
    if (!zf) {
        ks = xlsx_error(err, errsz, KS_ERR_PARSE, "the workbook is damaged: cannot open %s (%s)",
                        what, b->z->zip_strerror(b->zip));
        goto cleanup;
    }
    p = XML_ParserCreateNS(NULL, '|');
    if (!p) {
        ks = xlsx_error(err, errsz, KS_ERR_NOMEM, "out of memory reading %s", what);
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
        zip_int64_t n = b->z->zip_fread(zf, chunk, XLSX_CHUNK);
        if (n < 0) {
            ks = xlsx_error(err, errsz, KS_ERR_PARSE, "the workbook is damaged: %s (%s)", what,
                            b->z->zip_file_strerror(zf));
            goto cleanup;
        }
        fed += (unsigned long long)n;
        b->read_total += (unsigned long long)n;
        if (fed > XLSX_MAX_PART) {
            ks = xlsx_error(err, errsz, KS_ERR_LIMIT,
                            "the workbook is too large: %s holds more than %u MiB", what,
                            XLSX_MAX_PART >> 20);
            goto cleanup;
        }
        if (b->read_total > XLSX_MAX_BOOK) {
            ks = xlsx_error(err, errsz, KS_ERR_LIMIT,
                            "the workbook is too large: it holds more than %u MiB",
                            XLSX_MAX_BOOK >> 20);
            goto cleanup;
        }
        if (XML_Parse(p, chunk, (int)n, n == 0) != XML_STATUS_OK || n == 0)
            break;
        if (fed - (unsigned long long)(x->last_event > 0 ? x->last_event : 0) > XLSX_MAX_TOKEN)
            xlsx_xml_fail(x, KS_ERR_LIMIT, "the workbook is damaged: %s has an XML tag over %u MiB",
                          what, XLSX_MAX_TOKEN >> 20);
        if (x->ks != KS_OK)
            break;
    }
    if (x->ks != KS_OK)
        ks = xlsx_error(err, errsz, x->ks, "%s", x->msg);
    else if (XML_GetErrorCode(p) != XML_ERROR_NONE)
        ks = xlsx_error(err, errsz, KS_ERR_PARSE, "the workbook is damaged: %s, line %lu: %s", what,
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
        b->z->zip_fclose(zf);
    return ks;
}
