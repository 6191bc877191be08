/* schema: the columns of one form merged over every batch in the archive —
 * each batch's own description (its datapackage.json fields), joined by
 * column name in the order they first appear, with the form versions that
 * asked each question. Leading columns say where a row comes from: site,
 * kiosk, batch, period, then response_id, form_version, lang, audience.
 * Used by the dataset and by the report; reads the archive only. */
#ifndef KM2EVAL_SCHEMA_H
#define KM2EVAL_SCHEMA_H

#include <cjson/cJSON.h>

#include "../export/dataset.h"
#include "archive.h"
#include "archive_rows.h"

enum {
    SCHEMA_SITE,
    SCHEMA_KIOSK,
    SCHEMA_BATCH,
    SCHEMA_PERIOD,
    SCHEMA_RESPONSE_ID,
    SCHEMA_VERSION,
    SCHEMA_LANG,
    SCHEMA_AUDIENCE,
    SCHEMA_LEAD
};

typedef struct {
    DatasetTable *table; /* the merged columns (no rows); owned */
    int *slots;          /* open-addressed name -> column index + 1 */
    int n_slots;
    char **versions; /* every version of the form seen, sorted */
    int n_versions;
    int batches; /* batches that describe the form */
} FormSchema;

/* Builds the schema of form. KS_ERR_NOT_FOUND with a German why when no
 * batch describes it. */
KsStatus schema_build(Archive *a, const char *form, FormSchema *out, char *why, size_t size);
void schema_clear(FormSchema *s);

/* The column with this name, or -1. */
int schema_find(const FormSchema *s, const char *name);

/* The cells of one response in schema order (cells has table->n_cols
 * entries; NULL = missing). The answers come from r->cells parsed into
 * *json, which stays owned by the caller (cJSON_Delete) while cells are
 * used. */
void schema_row(const FormSchema *s, const ArchiveResponse *r, cJSON **json, const char **cells);

#endif
