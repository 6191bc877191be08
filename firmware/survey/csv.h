/* csv: an RFC 4180 reader over a memory buffer, with limits against hostile
 * input. It knows nothing about forms; form_csv maps its rows to the model.
 * No I/O: the caller reads the file. */
#ifndef KS_CSV_H
#define KS_CSV_H

#include <stddef.h>

#include "../core/ks_status.h"

#define CSV_MAX_FIELD (64 * 1024) /* bytes in one cell */
#define CSV_MAX_COLS 256          /* cells in one row */
#define CSV_MAX_ROWS 20000        /* rows in one file */

typedef struct CsvTable CsvTable;

/* Parses len bytes of buf (no terminator needed). Accepts quoted fields with
 * doubled quotes, commas and newlines inside quotes, CRLF or LF line ends, a
 * UTF-8 byte order mark and a last line without a newline. A quote inside an
 * unquoted field, or text after a closing quote, is kept literally (as
 * spreadsheets do). An empty line is a row with no cells, so row numbers
 * match the spreadsheet's.
 * On success *out owns a new table. On failure *out is NULL, a message naming
 * the row is written to err (may be NULL) and logged: KS_ERR_PARSE for a
 * quote never closed, KS_ERR_LIMIT when a CSV_MAX_* limit is exceeded. */
KsStatus csv_parse(const char *buf, size_t len, CsvTable **out, char *err, size_t errsz);
void csv_destroy(CsvTable *t); /* accepts NULL */

/* The builder, for readers of other containers (xlsx): an empty table that
 * csv_set fills cell by cell. The caller owns it (csv_destroy). */
CsvTable *csv_create(void);
/* Sets the cell at 0-based (row, col) to a copy of the n bytes at s (no
 * terminator needed). Rows and cells up to it are created as needed; the
 * cells in between read "". Overwrites an earlier value. KS_ERR_LIMIT when
 * row, col or n exceed CSV_MAX_ROWS, CSV_MAX_COLS or CSV_MAX_FIELD (the
 * table is unchanged); KS_ERR_INVALID for a negative position or NULL t. */
KsStatus csv_set(CsvTable *t, int row, int col, const char *s, size_t n);

int csv_rows(const CsvTable *t);
/* Cells in row `row` (0-based); 0 for a row out of range. */
int csv_cols(const CsvTable *t, int row);
/* The cell text, never NULL: "" for a missing row or cell. Lives until
 * csv_destroy. */
const char *csv_cell(const CsvTable *t, int row, int col);
/* The 1-based row number a spreadsheet shows for row `row` (0-based). */
int csv_row_number(const CsvTable *t, int row);

#endif
