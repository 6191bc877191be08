/* form_csv: reads an XLSForm stored as a folder of CSV files (survey.csv,
 * choices.csv, settings.csv) into a Form. The CSV reader itself is csv.h;
 * the mapping onto the model, shared with .xlsx workbooks, is form_load. */
#ifndef KS_FORM_CSV_H
#define KS_FORM_CSV_H

#include "form.h"
#include "form_diag.h"

/* Loads the form in folder `dir`. On success *out owns a new Form.
 * Every problem found is added to diag (may be NULL) as
 * FILE:SHEET:ROW:COLUMN: message; KS_ERR_PARSE / KS_ERR_INVALID /
 * KS_ERR_UNSUPPORTED mean the form is unusable and *out is NULL. */
KsStatus form_csv_load(const char *dir, Form **out, FormDiag *diag);

#endif
