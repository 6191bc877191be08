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

int csv_rows(const CsvTable *t);
/* Cells in row `row` (0-based); 0 for a row out of range. */
int csv_cols(const CsvTable *t, int row);
/* The cell text, never NULL: "" for a missing row or cell. Lives until
 * csv_destroy. */
const char *csv_cell(const CsvTable *t, int row, int col);
/* The 1-based row number a spreadsheet shows for row `row` (0-based). */
int csv_row_number(const CsvTable *t, int row);

#endif
