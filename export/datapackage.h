/* datapackage: a batch's tables as a Frictionless Data Package
 * (datapackage.json, a Table Schema per CSV) with cJSON, in both
 * directions: the writer describes the dataset tables the CSV and SAV
 * writers get; the reader turns a package back into those tables' columns
 * (no rows), for a program that has the package but not the forms. */
#ifndef KS_DATAPACKAGE_H
#define KS_DATAPACKAGE_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "../firmware/core/ks_status.h"
#include "dataset.h"

/* What datapackage_read accepts at most. */
#define DATAPACKAGE_FILE_MAX (8 << 20) /* bytes of datapackage.json */
#define DATAPACKAGE_ITEMS_MAX 500000   /* JSON values in it */
#define DATAPACKAGE_RESOURCES_MAX 1024
#define DATAPACKAGE_FIELDS_MAX 4096     /* per resource, as csvfile reads */
#define DATAPACKAGE_CATEGORIES_MAX 4096 /* per field */
#define DATAPACKAGE_TEXT_MAX 65536      /* bytes of one text (title, description, ...) */

/* Writes datapackage.json to path: one tabular resource per table (path
 * "<name>.csv") plus responses.sav and the drawing files as plain
 * resources. Fields carry type, title, description, enum constraints,
 * labelled categories and their SPSS codes ("spssCodes"), and the km2
 * properties question, forms, versions, quasiIdentifier and suppressed
 * when set; missingValues is [""]. drawing_files (n_drawings names
 * relative to data/) may be NULL. KS_ERR_IO when writing fails. */
KsStatus datapackage_write(const DatasetTable *const *tables, int n_tables, const char *batch_id,
                           const char *const *drawing_files, int n_drawings, const char *path);

/* Reads the package at path: every tabular resource (one with a schema)
 * becomes a table named after it, with its columns as the writer describes
 * them and no rows. The kind comes from the Table Schema type and
 * constraints (a string with categories or an enum is a category, an
 * integer limited to 0 and 1 is binary), form_id is the first of forms,
 * max_bytes is 0. *tables gets a new array of *n_tables tables (free with
 * datapackage_free_tables). KS_ERR_IO when the file cannot be read;
 * KS_ERR_LIMIT when it passes a limit above; KS_ERR_PARSE when it is not
 * JSON or not a package this module writes (a bad name, an unknown type, a
 * duplicate column, a resource path other than "<name>.csv", ...). On any
 * error *tables is NULL and why (size bytes) says what in German. */
KsStatus datapackage_read(const char *path, DatasetTable ***tables, int *n_tables, char *why,
                          size_t size);
/* Destroys n_tables tables and the array (accepts NULL). */
void datapackage_free_tables(DatasetTable **tables, int n_tables);

/* One field of a Table Schema as datapackage.json writes it (a new cJSON
 * object, the caller deletes it), and read back as a column appended to t
 * with the reader's checks (KS_ERR_PARSE with a German why). The
 * evaluation office keeps every batch's fields this way. */
cJSON *datapackage_field_json(const DatasetColumn *c);
KsStatus datapackage_field_read(const cJSON *field, DatasetTable *t, char *why, size_t size);

#endif
