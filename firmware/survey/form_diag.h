/* form_diag: the list of problems found while reading or checking a form,
 * each tied to a place a spreadsheet user can find:
 * FILE:SHEET:ROW:COLUMN: message. */
#ifndef KS_FORM_DIAG_H
#define KS_FORM_DIAG_H

#include <stdbool.h>
#include <stdio.h>

typedef struct FormDiag FormDiag;

FormDiag *form_diag_create(void);
void form_diag_destroy(FormDiag *d); /* accepts NULL */

/* Adds a problem. file/sheet/column may be NULL or "", row 0 means "no row".
 * `is_error` false records a warning that does not make the form unusable. */
void form_diag_add(FormDiag *d, bool is_error, const char *file, const char *sheet, int row,
                   const char *column, const char *fmt, ...) __attribute__((format(printf, 7, 8)));

int form_diag_count(const FormDiag *d);
int form_diag_errors(const FormDiag *d);
/* The i-th message, formatted; lives until the diag is destroyed. */
const char *form_diag_message(const FormDiag *d, int i);
/* Whether the i-th message is an error (false: a warning or out of range). */
bool form_diag_is_error(const FormDiag *d, int i);
/* Prints every message, one per line: the place, then "warning: " for a
 * warning, then the message. */
void form_diag_print(const FormDiag *d, FILE *out);

#endif
