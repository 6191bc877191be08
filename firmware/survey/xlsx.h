/* xlsx: reads the cell text of an Office Open XML workbook (.xlsx) into one
 * CsvTable per sheet. Owns the container (libzip) and XML (expat) handling and
 * the limits against hostile files; it knows nothing about XLSForm. */
#ifndef KS_XLSX_H
#define KS_XLSX_H

#include <stddef.h>

#include "../core/ks_status.h"
#include "csv.h"

/* Limits a workbook must stay within. Sizes are decompressed bytes counted
 * while reading, never the sizes the archive declares. */
#define XLSX_MAX_FILE (64u << 20)      /* bytes of the .xlsx file itself */
#define XLSX_MAX_PART (32u << 20)      /* bytes read from one archive entry */
#define XLSX_MAX_BOOK (64u << 20)      /* bytes read from all entries of one open book */
#define XLSX_MAX_ENTRIES 10000         /* entries in the archive */
#define XLSX_MAX_SHEETS 256            /* sheets in the workbook */
#define XLSX_MAX_SHARED_STRINGS 100000 /* entries in the shared-strings part */
#define XLSX_MAX_DEPTH 64              /* XML element nesting */

typedef struct XlsxBook XlsxBook;

/* Opens the workbook at path. The file is read into memory (at most
 * XLSX_MAX_FILE bytes); the list of sheets and the shared strings are read
 * now, the sheets by xlsx_sheet_read.
 * On success *out owns a new book (xlsx_close). On failure *out is NULL and a
 * message for a spreadsheet user is written to err (may be NULL) and logged:
 * KS_ERR_NOT_FOUND: no such file; KS_ERR_IO: it cannot be read;
 * KS_ERR_PARSE: not an .xlsx workbook, or damaged; KS_ERR_INVALID: password-
 * protected, or an entry or reference outside the workbook; KS_ERR_LIMIT: a
 * limit above is exceeded. */
KsStatus xlsx_open_file(const char *path, XlsxBook **out, char *err, size_t errsz);
/* As xlsx_open_file, over len bytes at buf. The bytes are copied: the caller
 * may free buf once this returns. */
KsStatus xlsx_open_mem(const void *buf, size_t len, XlsxBook **out, char *err, size_t errsz);
void xlsx_close(XlsxBook *b); /* accepts NULL */

/* The sheets, in the order the workbook shows their tabs. */
int xlsx_sheet_count(const XlsxBook *b);
/* The name of sheet i, or NULL when i is out of range. Lives until xlsx_close. */
const char *xlsx_sheet_name(const XlsxBook *b, int i);
/* The index of the sheet called name (ASCII case-insensitive), -1 if none. */
int xlsx_sheet_find(const XlsxBook *b, const char *name);

/* Reads the cells of sheet i into a new table the caller owns (csv_destroy).
 * Table row r is spreadsheet row r + 1 (csv_row_number matches the row
 * number Excel shows), column c is column A + c; empty cells are "".
 * Shared and inline strings (rich text joined, phonetic runs left out) and
 * formula results give their text; booleans "true"/"false"; numbers their
 * stored text, with exponents and binary-float tails (0.30000000000000004)
 * written as %.15g; error values "".
 * On failure *out is NULL and err names the sheet or cell: KS_ERR_LIMIT for a
 * cell longer than CSV_MAX_FIELD, a cell beyond CSV_MAX_ROWS/CSV_MAX_COLS or
 * a size limit; KS_ERR_PARSE for damaged XML or a bad shared-string index;
 * KS_ERR_INVALID for i out of range. The read counts towards XLSX_MAX_BOOK. */
KsStatus xlsx_sheet_read(XlsxBook *b, int i, CsvTable **out, char *err, size_t errsz);

#endif
