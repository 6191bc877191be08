/* responses: turns the stored answers of a batch into the responses table —
 * one row per response, one column per answer (multiple choice and rank as
 * one column per choice), the union of the columns of every form in the
 * batch. Decides the column names, types and labels; no I/O, no
 * randomness beyond the response ids it is handed. */
#ifndef KS_RESPONSES_H
#define KS_RESPONSES_H

#include <stdint.h>
#include <stdbool.h>

#include "../firmware/survey/form.h"
#include "dataset.h"

/* One response as the export keeps it in memory (all strings malloc'd). */
typedef struct {
    int64_t session_id; /* for the ledger only; never written */
    int form;           /* index into the forms array of ResponsesBatch */
    char *version, *lang, *audience;
    char period[16];      /* "" when the clock was in doubt (no date made up) */
    bool clock_doubt;     /* recorded while the kiosk's clock was in doubt */
    bool lang_suppressed; /* k-anonymity blanked lang in this row */
    char **answers;       /* per question index of the form; NULL = no answer */
} ResponsesRecord;

/* The batch columns every row has, in this order. */
#define RESPONSES_FIXED_COLS                                                                       \
    8 /* response_id form form_version site_code lang audience                                     \
       * period clock_doubt */
#define RESPONSES_COL_LANG 4

/* What responses_build turns into a table. */
typedef struct {
    const ResponsesRecord *recs;
    const int *order; /* rows in this order: indices into recs, n of them */
    int n;
    const char *const *ids;   /* the response id of row i */
    const char *site_code;    /* the same in every row; NULL or "" leaves it empty */
    bool qi_lang;             /* lang is a quasi-identifier (after every question) */
    const Form *const *forms; /* the forms of the batch */
    int n_forms;
    const int *const *suppressed; /* may be NULL: suppressed[f] (may be NULL) counts per
                                     question index of form f the values k-anonymity
                                     blanked */
} ResponsesBatch;

/* Builds the table of the batch b. Categories carry the codes 1..n of the
 * choice list and the labels of the form's default language. Returns a new
 * table (dataset_table_destroy). */
DatasetTable *responses_build(const ResponsesBatch *b);

/* Whether a question of this type gets columns in the responses table (text
 * and drawings go to their own files; notes and calculations nowhere). */
bool responses_has_columns(FormQType t);

#endif
