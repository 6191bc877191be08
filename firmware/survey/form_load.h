/* form_load: the one entry point for reading a form from disk, whatever its
 * container: a folder of CSV files or an .xlsx workbook. */
#ifndef KS_FORM_LOAD_H
#define KS_FORM_LOAD_H

#include "form.h"
#include "form_diag.h"

/* Loads the form at `path`: a folder holding survey.csv, or a file ending in
 * .xlsx. Every problem goes to diag (may be NULL) as FILE:SHEET:ROW:COLUMN:
 * message. KS_ERR_NOT_FOUND when path is neither; other errors as
 * form_csv_load. */
KsStatus form_load_path(const char *path, Form **out, FormDiag *diag);
/* Whether path looks like a form: a folder with survey.csv or an .xlsx file. */
bool form_load_is_form(const char *path);

#endif
