/* csvfile: the batch's CSV dialect in both directions — UTF-8 without BOM
 * (a BOM is skipped on reading), RFC 4180: a header row, CRLF line ends
 * (a bare LF is accepted on reading), fields quoted when they hold a comma,
 * a double quote, CR or LF, quotes doubled, a missing cell empty. Writing
 * and reading stream one row at a time, so a file of any length needs
 * memory for one row only; the reader refuses hostile input at fixed
 * limits. Only formatting: the callers decide what the columns mean. */
#ifndef KS_CSVFILE_H
#define KS_CSVFILE_H

#include <stddef.h>

#include "../firmware/core/ks_status.h"
#include "dataset.h"

#define CSVFILE_FIELD_MAX 65536   /* bytes of one field (after unquoting) */
#define CSVFILE_COLS_MAX 4096     /* fields of one row */
#define CSVFILE_ROW_MAX (4 << 20) /* bytes of one row's fields together */

typedef struct CsvFileWriter CsvFileWriter;
typedef struct CsvFileReader CsvFileReader;

/* Writes the table t (its column names as the header, then every row) to
 * path, created or replaced, and syncs it. KS_ERR_IO when a write, the
 * sync or the close fails. */
KsStatus csvfile_write_table(const DatasetTable *t, const char *path);

/* Creates (or replaces) path and writes the header row of n_cols names.
 * NULL when the file cannot be created (logged). */
CsvFileWriter *csvfile_writer_open(const char *path, const char *const *header, int n_cols);
/* Appends one row of the n_cols cells given at open; a NULL cell is
 * missing and written empty. KS_ERR_IO once a write has failed. */
KsStatus csvfile_writer_row(CsvFileWriter *w, const char *const *cells);
/* Flushes, syncs and closes the file, sets *w to NULL (accepts NULL and
 * *w NULL). KS_ERR_IO when any write, the sync or the close failed: the
 * file is then incomplete and the caller removes it. */
KsStatus csvfile_writer_close(CsvFileWriter **w);

/* Opens path for reading. NULL with a German reason in why (size bytes)
 * when it cannot be opened. */
CsvFileReader *csvfile_reader_open(const char *path, char *why, size_t size);
/* Reads the next row, the header being the first: *cells gets *n fields
 * (missing ones ""), borrowed until the next call or the close.
 * KS_ERR_NOT_FOUND after the last row; KS_ERR_PARSE for malformed input
 * (an unclosed quote, text after a closing quote, a quote inside an
 * unquoted field, a NUL byte); KS_ERR_LIMIT when a field, a row or the
 * number of fields passes the limits above; KS_ERR_IO when reading fails.
 * After an error every further call returns it again;
 * csvfile_reader_why says what and where. */
KsStatus csvfile_reader_row(CsvFileReader *r, const char *const **cells, int *n);
/* The German reason for the last error ("Zeile 12: …"), "" without one.
 * Borrowed until the close. */
const char *csvfile_reader_why(const CsvFileReader *r);
/* Number of the line the last row returned started on (1 = the header). */
long csvfile_reader_line(const CsvFileReader *r);
/* Closes the file and sets *r to NULL (accepts NULL and *r NULL). */
void csvfile_reader_close(CsvFileReader **r);

#endif
