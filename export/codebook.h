/* codebook: the German codebook (codebook.md) of a batch, generated from
 * the same dataset tables as the CSV, SAV and datapackage.json: per table
 * and per form every column with its question, type, codes and labels
 * (the column's categories), the form versions that asked it when they are
 * recorded, how missing values are written and which fields are
 * quasi-identifiers. Needs no form. */
#ifndef KS_CODEBOOK_H
#define KS_CODEBOOK_H

#include "../firmware/core/ks_status.h"
#include "dataset.h"

typedef struct {
    const char *batch_id;
    int k;
    const char *period_name;     /* "ISO-Kalenderwoche (2026-W48)" */
    const char *const *form_ids; /* the forms in the batch, n_forms of them */
    int n_forms;
    int n_workshops; /* Zukunftswerkstatt tables follow the survey tables */
} CodebookInfo;

/* Writes the codebook to path. tables[0] is the responses table. KS_ERR_IO
 * when writing fails. */
KsStatus codebook_write(const DatasetTable *const *tables, int n_tables, const CodebookInfo *info,
                        const char *path);

#endif
