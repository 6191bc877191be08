/* staff_import: the forms screen's import from a USB stick. It lists the
 * forms on the stick, checks one exactly as `km2kiosk check --db` does and
 * installs a usable one: copied (safe_copy) into the writable forms folder
 * and added to the running catalog, so the audience screen offers it at
 * once. Draws nothing; the texts it fills are in the staff language, for
 * the staff view. */
#ifndef KS_STAFF_IMPORT_H
#define KS_STAFF_IMPORT_H

#include <stdbool.h>

#include "../storage/store.h"
#include "../survey/catalog.h"
#include "../sys/usb.h"
#include "view.h"

#define STAFF_IMPORT_MAX 12
/* Problems shown on the screen; the rest are counted ("… and N more"). */
#define STAFF_IMPORT_LINES 3

typedef struct {
    char name[KS_TARGET_ID_MAX - 8]; /* folder or file name: target import:<name> */
    char path[USB_PATH_MAX + 96];    /* where it is on the stick */
} StaffImportEntry;

typedef struct {
    StaffImportEntry entries[STAFF_IMPORT_MAX];
    int n;
    const char *lang;            /* the language of text (set by the owner) */
    char text[KS_VIEW_TEXT_MAX]; /* the last result, or "" */
    bool problems;               /* text lists why the form cannot be used */
} StaffImport;

/* Lists the forms on the stick mounted at `mount`: in KM2KIOSK/forms/ first,
 * then in its top folder (a name found in both is taken from KM2KIOSK/forms):
 * each sub-folder with a survey.csv and each .xlsx file, in name order, at
 * most STAFF_IMPORT_MAX. mount NULL or unreadable: an empty list. */
void staff_import_scan(StaffImport *im, const char *mount);

/* The entry named `name`, or -1. */
int staff_import_find(const StaffImport *im, const char *name);

/* Checks entry i as `check --db` does (a changed content under a version the
 * store knows is a problem too). A form with problems: im->text says so,
 * with the first STAFF_IMPORT_LINES `FILE:SHEET:ROW:COLUMN: message` lines,
 * and im->problems is set. A form whose form_id is already in the catalog
 * is refused (replacing a form that sessions may be using is a
 * technician's job). Otherwise it is copied to <forms_dir>/<name> (created
 * when missing), loaded from there into `catalog` and registered in the
 * store. True when the form was installed. */
bool staff_import_install(StaffImport *im, int i, Catalog *catalog, Store *store,
                          const char *forms_dir);

#endif
