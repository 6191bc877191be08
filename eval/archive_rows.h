/* archive_rows: the rows the archive holds for its received batches — each
 * batch's column definitions (as datapackage.json gave them), the response
 * rows (the answers of a row as one JSON object, column name to value), the
 * other tables of a batch (free text, drawings, workshop cards and votes:
 * one JSON object a row) and its pictures. Only rows of batches in the
 * state received or stands_in count; a superseded stand-in's rows are
 * dropped. */
#ifndef KM2EVAL_ARCHIVE_ROWS_H
#define KM2EVAL_ARCHIVE_ROWS_H

#include <stddef.h>
#include <stdbool.h>

#include "archive.h"

/* One column of one table of a batch: spec is its datapackage.json field
 * object as JSON text. */
KsStatus archive_column_add(Archive *a, const char *batch_id, const char *table, int position,
                            const char *name, const char *spec);

typedef struct {
    const char *batch_id;
    const char *received_at;
    int position;
    const char *name;
    const char *spec;
} ArchiveColumn;

/* Calls fn for every column of `table` of every counted batch, by batch
 * reception and position (text borrowed for the call). */
KsStatus archive_columns_each(Archive *a, const char *table,
                              bool (*fn)(const ArchiveColumn *c, void *ctx), void *ctx);

typedef struct {
    const char *batch_id, *kiosk_id, *site, *form, *version, *period, *lang, *audience;
    const char *response_id;
    const char *cells; /* JSON object: answer column -> text value */
} ArchiveResponse;

KsStatus archive_response_add(Archive *a, const ArchiveResponse *r);

/* Which rows a query takes: form required, the rest optional ("" or NULL:
 * any); periods compare as text (ISO weeks, days and months sort in time
 * order) and are inclusive. */
typedef struct {
    const char *form;
    const char *site;
    const char *period_from, *period_to;
} ArchiveFilter;

/* Counts and walks the counted rows (ordered by site, kiosk, batch
 * reception, row). Borrowed text lives for the call. */
KsStatus archive_responses_count(Archive *a, const ArchiveFilter *f, long *n);
KsStatus archive_responses_each(Archive *a, const ArchiveFilter *f,
                                bool (*fn)(const ArchiveResponse *r, void *ctx), void *ctx);

/* Forms with counted rows, sorted (malloc'd strings and array). */
KsStatus archive_forms(Archive *a, char ***forms, int *n);

/* A row of another table of a batch (file: its name below data/, e.g.
 * "freetext.csv", "workshop-1-cards.csv"). */
KsStatus archive_extra_add(Archive *a, const char *batch_id, const char *file, const char *cells);
typedef struct {
    const char *batch_id, *kiosk_id, *site, *received_at;
    const char *file;
    const char *cells;
} ArchiveExtra;
/* Walks the extra rows whose file name matches the SQL LIKE pattern, of
 * counted batches, by batch reception and row. */
KsStatus archive_extras_each(Archive *a, const char *like,
                             bool (*fn)(const ArchiveExtra *e, void *ctx), void *ctx);

/* A picture of a batch (path below data/). */
KsStatus archive_media_add(Archive *a, const char *batch_id, const char *path, const void *data,
                           size_t len);
/* Its bytes (malloc'd, caller frees). KS_ERR_NOT_FOUND. */
KsStatus archive_media_get(Archive *a, const char *batch_id, const char *path, void **data,
                           size_t *len);

/* Removes the responses, extras and pictures of a batch (a stand-in whose
 * original arrived). */
KsStatus archive_rows_drop(Archive *a, const char *batch_id);

#endif
