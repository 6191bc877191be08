/* xlsx_private: what the parts of the .xlsx reader share: the open book, the
 * error helpers (xlsx.c) and the streaming XML driver (xlsx_xml.c) that both
 * the workbook parts (xlsx.c) and the worksheets (xlsx_sheet.c) are read
 * with. Only xlsx*.c include it. */
#ifndef KS_XLSX_PRIVATE_H
#define KS_XLSX_PRIVATE_H

#include <stddef.h>
#include <expat.h>
#include <stdbool.h>
#include <zip.h>

#include "../core/arena.h"
#include "../core/ks_status.h"
#include "xlsx.h"

/* ---- libzip (xlsx_zip.c) ------------------------------------------------ */

/* libzip's functions the reader calls, each as the header declares it. */
typedef struct {
    __typeof__(zip_discard) *zip_discard;
    __typeof__(zip_error_code_zip) *zip_error_code_zip;
    __typeof__(zip_error_fini) *zip_error_fini;
    __typeof__(zip_error_init) *zip_error_init;
    __typeof__(zip_error_strerror) *zip_error_strerror;
    __typeof__(zip_fclose) *zip_fclose;
    __typeof__(zip_file_strerror) *zip_file_strerror;
    __typeof__(zip_fopen_index) *zip_fopen_index;
    __typeof__(zip_fread) *zip_fread;
    __typeof__(zip_get_name) *zip_get_name;
    __typeof__(zip_get_num_entries) *zip_get_num_entries;
    __typeof__(zip_name_locate) *zip_name_locate;
    __typeof__(zip_open_from_source) *zip_open_from_source;
    __typeof__(zip_source_buffer_create) *zip_source_buffer_create;
    __typeof__(zip_source_free) *zip_source_free;
    __typeof__(zip_stat_index) *zip_stat_index;
    __typeof__(zip_strerror) *zip_strerror;
} XlsxZip;

/* libzip, loaded by the first call of the process (any thread); static
 * storage. NULL when it cannot be loaded, *why then saying why. */
const XlsxZip *xlsx_zip(const char **why);

/* ---- the open book (xlsx.c) -------------------------------------------- */

typedef struct {
    const char *name;
    zip_int64_t entry; /* archive index of the sheet's part */
} XlsxSheet;

struct XlsxBook {
    const XlsxZip *z; /* libzip */
    zip_t *zip;
    Arena *arena; /* names and shared strings */
    XlsxSheet sheets[XLSX_MAX_SHEETS];
    int n_sheets;
    const char **sst;
    int n_sst, cap_sst;
    unsigned long long read_total; /* decompressed bytes read so far */
};

/* A shared string longer than CSV_MAX_FIELD is kept in b->sst as this marker
 * (compared by address) so the error can name the cell that uses it. */
extern const char xlsx_too_long[];

/* Logs msg and copies it to err (may be NULL); returns ks. */
KsStatus xlsx_error(char *err, size_t errsz, KsStatus ks, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* A copy of untrusted text fit for a message, in buf: short, no control
 * bytes. Returns buf. */
const char *xlsx_printable(const char *s, char *buf, size_t size);

/* ---- the XML driver (xlsx_xml.c) --------------------------------------- */

/* The elements any part's handlers care about, by local name. */
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

/* One XML part being read. Handlers of a part get this and the part's state
 * in `user`; they stop the parse with xlsx_xml_fail. The caller sets only the
 * handlers and `user`; xlsx_xml_read_part owns the rest. */
typedef struct XlsxXml XlsxXml;
struct XlsxXml {
    XML_Parser parser;
    KsStatus ks;
    char msg[256];
    unsigned char tags[XLSX_MAX_DEPTH];
    int depth;
    long long last_event; /* byte index of the latest event */
    bool collect;         /* character data goes to text */
    bool text_over;       /* text passed CSV_MAX_FIELD */
    char *text;           /* CSV_MAX_FIELD + 1 bytes while the part is read */
    size_t text_len;
    void (*on_start)(XlsxXml *x, XlsxTag tag, const char **attrs);
    void (*on_end)(XlsxXml *x, XlsxTag tag);
    void (*on_overflow)(XlsxXml *x);
    void *user;
};

/* Stops the parse with status ks and a message; the first failure wins. */
void xlsx_xml_fail(XlsxXml *x, KsStatus ks, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The value of the attribute whose local name is `local`, or NULL. Lives as
 * long as the handler call. */
const char *xlsx_xml_attr(const char **attrs, const char *local);
/* The tag of the element enclosing the current one. */
XlsxTag xlsx_xml_parent(const XlsxXml *x);
/* Empties the collected text. */
void xlsx_xml_text_reset(XlsxXml *x);
/* Streams archive entry `entry` of b through expat with the handlers in x,
 * counting the bytes against XLSX_MAX_PART and XLSX_MAX_BOOK. `what` names
 * the part for messages ("sheet survey"). Errors as xlsx_sheet_read. */
KsStatus xlsx_xml_read_part(XlsxBook *b, zip_int64_t entry, XlsxXml *x, const char *what, char *err,
                            size_t errsz);

#endif
