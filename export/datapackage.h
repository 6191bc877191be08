/* datapackage: describes a batch's tables as a Frictionless Data Package
 * (datapackage.json, Table Schema per CSV) with cJSON. Reads the same
 * dataset tables the CSV and SAV writers get; writes nothing else. */
#ifndef KS_DATAPACKAGE_H
#define KS_DATAPACKAGE_H

#include "../firmware/core/ks_status.h"
#include "dataset.h"

/* Writes datapackage.json to path: one tabular resource per table (path
 * "<name>.csv") plus responses.sav and the drawing files as plain
 * resources. Fields carry type, title, description, enum constraints and
 * labelled categories; missingValues is [""]. drawing_files (n_drawings
 * names relative to data/) may be NULL. KS_ERR_IO when writing fails. */
KsStatus datapackage_write(const DatasetTable *const *tables, int n_tables, const char *batch_id,
                           const char *const *drawing_files, int n_drawings, const char *path);

#endif
