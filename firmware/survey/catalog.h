/* catalog: the forms the kiosk offers, read from a forms folder where each
 * sub-folder holds one XLSForm as CSV files and each .xlsx file is one
 * XLSForm workbook. A form with errors is left out
 * (its problems are logged); the others still run. */
#ifndef KS_CATALOG_H
#define KS_CATALOG_H

#include "form.h"

typedef struct Catalog Catalog;

/* Loads every form under `dir` in name order. *out is always set (possibly
 * empty). KS_ERR_NOT_FOUND when dir cannot be read. */
KsStatus catalog_load(const char *dir, Catalog **out);
void catalog_destroy(Catalog *c); /* accepts NULL */

/* Loads every form under `dir` (as catalog_load) into an existing catalog,
 * e.g. the imported forms after the shipped ones. A form whose form_id is
 * already in the catalog is left out with a log line: the first folder
 * wins. KS_ERR_NOT_FOUND when dir cannot be read (the catalog is unchanged). */
KsStatus catalog_add_dir(Catalog *c, const char *dir);

/* Loads the one form at path (a CSV folder or an .xlsx file) and appends it.
 * *added (may be NULL) is the new form, borrowed until catalog_destroy. The
 * forms already in the catalog keep their addresses. Errors: the loader's
 * status (its problems are logged); KS_ERR_STATE when the form_id is
 * already used (nothing is added). */
KsStatus catalog_add_path(Catalog *c, const char *path, const Form **added);

int catalog_count(const Catalog *c);
/* Borrowed; lives until catalog_destroy. */
const Form *catalog_form(const Catalog *c, int i);
/* Destroys form i and takes it out of the catalog (e.g. a form whose
 * content changed under an unchanged version). */
void catalog_drop(Catalog *c, int i);
/* The form with this form_id, or NULL. */
const Form *catalog_find(const Catalog *c, const char *form_id);

#endif
