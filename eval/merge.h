/* merge: `km2eval dataset` — one dataset of a form over every kiosk, batch
 * and form version in the archive: responses.csv (site, kiosk, batch,
 * period before the answers; a question a version lacks is missing in
 * that version's rows, never 0), responses.sav with value labels,
 * datapackage.json and a German codebook.md that say which versions asked
 * which question, and the form's approved free texts and drawings and the
 * workshops alongside. Streams the rows: memory does not grow with them. */
#ifndef KM2EVAL_MERGE_H
#define KM2EVAL_MERGE_H

#include <stddef.h>

#include "archive.h"

typedef struct {
    const char *form;        /* form id (required) */
    const char *to;          /* output folder (created) */
    const char *site;        /* NULL or "": every site */
    const char *period_from; /* inclusive, NULL: from the start */
    const char *period_to;   /* inclusive, NULL: to the end */
} MergeOptions;

typedef struct {
    long rows;
    int columns;
    int versions; /* form versions seen */
    int batches;  /* batches the rows came from */
    int free_texts, drawings, workshop_cards;
} MergeResult;

/* Writes the dataset (see above) into o->to. KS_ERR_NOT_FOUND with a
 * German reason when the archive has no rows of the form; KS_ERR_IO when a
 * file cannot be written. */
KsStatus merge_write(Archive *a, const MergeOptions *o, MergeResult *out, char *why, size_t size);

#endif
