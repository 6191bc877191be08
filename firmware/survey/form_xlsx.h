/* form_xlsx: reads an XLSForm workbook (.xlsx) into a Form. The zip and XML
 * reading is xlsx.h; the mapping onto the model, shared with CSV folders, is
 * form_load. */
#ifndef KS_FORM_XLSX_H
#define KS_FORM_XLSX_H

#include "form.h"
#include "form_diag.h"

/* Loads the workbook at `path`: its sheets survey, choices and settings
 * (names in any case; other sheets are ignored). Pictures named in the form
 * are looked up in the workbook's folder. The form's SHA-256 is that of the
 * file. Errors as form_csv_load. */
KsStatus form_xlsx_load(const char *path, Form **out, FormDiag *diag);

#endif
