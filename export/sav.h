/* sav: writes dataset rows as an SPSS .sav file through ReadStat's
 * writer, a whole table or one row at a time. Variable labels are the
 * column titles (German); categories are the codes of the column's
 * categories with their labels as value labels; 0/1 columns carry
 * "nicht gewählt"/"gewählt"; text columns are string variables. Missing
 * numbers are system-missing, missing text is "". Only formatting;
 * ReadStat lives here and in no other module. */
#ifndef KS_SAV_H
#define KS_SAV_H

#include "../firmware/core/ks_status.h"
#include "dataset.h"

typedef struct SavWriter SavWriter;

/* Writes t to path (created or replaced); file_label is the SPSS file label
 * (cut to 64 bytes). String widths come from the rows held (max_bytes is
 * not used). KS_ERR_IO when ReadStat refuses the metadata or a write
 * fails. */
KsStatus sav_write(const DatasetTable *t, const char *file_label, const char *path);

/* Starts a .sav file at path (created or replaced) with the columns of
 * schema (its rows are ignored) for exactly n_rows rows: the SAV header
 * holds the row count, so it must be known before the first row (a caller
 * that streams knows it, e.g. from a count over its archive). Each string
 * column gets a storage width of its max_bytes (at least 1). schema is
 * borrowed until the close. NULL when the file cannot be created or
 * ReadStat refuses the metadata (logged). */
SavWriter *sav_writer_open(const char *path, const DatasetTable *schema, const char *file_label,
                           long n_rows);
/* Appends one row: cells[c] is column c's value as the CSV holds it (NULL
 * or "" missing; a category by its name, numbers as text). A value that is
 * not a number (or not a category) in a numeric column is written as
 * missing. KS_ERR_INVALID when a text is longer than its column's
 * max_bytes; KS_ERR_STATE past n_rows rows; KS_ERR_IO when writing fails.
 * After an error the file is unusable: close it and remove it. */
KsStatus sav_writer_row(SavWriter *w, const char *const *cells);
/* Finishes, syncs and closes the file and sets *w to NULL (accepts NULL
 * and *w NULL). KS_ERR_STATE when fewer than n_rows rows were written;
 * KS_ERR_IO when an earlier row or the finishing failed. */
KsStatus sav_writer_close(SavWriter **w);

/* Reads an SPSS file's shape back with ReadStat's parser: its rows and its
 * variables (a receiver checks them against the CSV). KS_ERR_PARSE for a
 * file ReadStat cannot read. */
KsStatus sav_read_shape(const char *path, long *rows, int *vars);

#endif
