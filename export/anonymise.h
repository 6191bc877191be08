/* anonymise: the privacy steps of an export, free of any file format —
 * random ids, secure shuffling, coarse periods, local suppression for
 * k-anonymity and masking of contact data in free text. Uses libsodium's
 * generator; knows nothing of storage or forms. */
#ifndef KS_ANONYMISE_H
#define KS_ANONYMISE_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "export_data.h"

#define ANONYMISE_ID_LEN 10 /* characters of a random id (Crockford base32, 50 bits) */

/* Writes ANONYMISE_ID_LEN random upper-case base32 characters and a NUL
 * into out. Never derived from time or from stored ids. */
void anonymise_random_id(char out[ANONYMISE_ID_LEN + 1]);
/* The same with n characters (out holds n + 1 bytes). */
void anonymise_random_base32(char *out, int n);

/* Shuffles n indices in place (Fisher-Yates with randombytes_uniform). */
void anonymise_shuffle(int *idx, int n);

/* The coarse period of a UTC time in ms: "2026-W48" (ISO 8601 week),
 * "2026-11-24" (day) or "2026-11" (month). out holds at least 16 bytes.
 * Strings of one granularity sort in time order. */
void anonymise_period(int64_t ms, ExportPeriod p, char out[16]);

/* Copies text into a new malloc'd string (*out, the caller frees it) with
 * e-mail addresses, URLs and phone numbers (6 or more digits, possibly
 * broken by spaces, '+', '-', '/', '(' or ')') replaced by "[entfernt]".
 * Returns true when anything was masked. */
bool anonymise_mask_contacts(const char *text, char **out);

/* What local suppression did (counts over the cells given). */
typedef struct {
    int groups_before, small_groups_before; /* distinct QI combinations; those < k */
    int groups_after, small_groups_after;   /* after suppression ("small" ones are
                                               then only records with every field empty) */
    int records_all_suppressed;             /* records left with no QI value at all */
} AnonymiseStats;

/* k-anonymity by local suppression. cells is row-major n_rows x n_qi; NULL
 * or "" is an empty cell; fields are ordered by importance (index 0 most
 * important). Records are grouped by their combination of values; in every
 * group smaller than k (with any value left) the least important field that
 * still has a value is suppressed, and the grouping is repeated until every
 * group has k records or nothing is left to suppress. suppressed (n_rows x
 * n_qi, caller's) gets true for each cell to blank out; suppressed_per_field
 * (n_qi, may be NULL) gets the count per field. */
void anonymise_k_suppress(const char *const *cells, int n_rows, int n_qi, int k, bool *suppressed,
                          int *suppressed_per_field, AnonymiseStats *stats);

#endif
