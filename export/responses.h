/* responses: turns the stored answers of a batch into the responses table —
 * one row per response, one column per answer (multiple choice and rank as
 * one column per choice), the union of the columns of every form in the
 * batch. Decides the column names, types and labels; no I/O, no
 * randomness beyond the response ids it is handed. */
#ifndef KS_RESPONSES_H
#define KS_RESPONSES_H

#include <stdbool.h>
#include <stdint.h>

#include "dataset.h"

/* One response as the export keeps it in memory (all strings malloc'd). */
typedef struct {
    int64_t session_id;   /* for the ledger only; never written */
    int form;             /* index into the forms array given to responses_build */
    char *version, *lang, *audience;
    char period[16];      /* "" when the clock was in doubt (no date made up) */
    bool clock_doubt;     /* recorded while the kiosk's clock was in doubt */
    char **answers;       /* per question index of the form; NULL = no answer */
} ResponsesRecord;

/* The batch columns every row has, in this order. */
#define RESPONSES_FIXED_COLS 7 /* response_id form form_version lang audience period
                                * clock_doubt */

/* Builds the table: rows in the order order[0..n-1] (indices into recs),
 * response ids from ids[i] for row i. suppressed[f] (may be NULL) counts per
 * question index of form f the values k-anonymity blanked. Returns a new
 * table (dataset_table_destroy). */
DatasetTable *responses_build(const ResponsesRecord *recs, const int *order, int n,
                              const char *const *ids, const Form *const *forms, int n_forms,
                              const int *const *suppressed);

/* Whether a question of this type gets columns in the responses table (text
 * and drawings go to their own files; notes and calculations nowhere). */
bool responses_has_columns(FormQType t);

#endif
