/* staff_import: finds forms on a stick, checks one and installs it. The
 * copy goes through safe_copy (temp name, fsync, rename, read back), so a
 * stick pulled mid-way leaves no half form in the forms folder. */
#include "staff_import.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/clock.h"
#include "../core/config.h"
#include "../core/log.h"
#include "../core/str.h"
#include "../storage/store_responses.h"
#include "../survey/form_diag.h"
#include "../survey/form_load.h"
#include "../sys/safe_copy.h"
#include "uitext.h"

static int entry_cmp(const void *a, const void *b)
{
    return strcmp(((const StaffImportEntry *)a)->name, ((const StaffImportEntry *)b)->name);
}

int staff_import_find(const StaffImport *im, const char *name)
{
    for (int i = 0; i < im->n; i++)
        if (strcmp(im->entries[i].name, name) == 0)
            return i;
    return -1;
}

static void scan_dir(StaffImport *im, const char *dir)
{
    DIR *dp = opendir(dir);
    if (!dp)
        return;
    for (struct dirent *e = readdir(dp); e && im->n < STAFF_IMPORT_MAX; e = readdir(dp)) {
        if (e->d_name[0] == '.' || strlen(e->d_name) >= sizeof im->entries[0].name ||
            staff_import_find(im, e->d_name) >= 0)
            continue;
        StaffImportEntry *en = &im->entries[im->n];
        int len = snprintf(en->path, sizeof en->path, "%s/%s", dir, e->d_name);
        if (len < 0 || (size_t)len >= sizeof en->path || !form_load_is_form(en->path))
            continue;
        str_copy(en->name, sizeof en->name, e->d_name);
        im->n++;
    }
    closedir(dp);
}

void staff_import_scan(StaffImport *im, const char *mount)
{
    im->n = 0;
    if (!mount || !mount[0])
        return;
    char dir[USB_PATH_MAX + 32];
    snprintf(dir, sizeof dir, "%s/KM2KIOSK/forms", mount);
    scan_dir(im, dir);
    scan_dir(im, mount);
    qsort(im->entries, (size_t)im->n, sizeof im->entries[0], entry_cmp);
}

/* Appends a line to im->text, cut to a length a 10 mm target's font keeps
 * readable on two lines of a small panel. */
static void add_line(StaffImport *im, const char *line)
{
    size_t n = strlen(im->text);
    if (n > 0 && n + 1 < sizeof im->text)
        im->text[n++] = '\n';
    char cut[132];
    if (strlen(line) >= sizeof cut) {
        snprintf(cut, sizeof cut, "%.*s…", (int)sizeof cut - 5, line);
        line = cut;
    }
    str_copy(im->text + n, sizeof im->text - n, line);
}

/* The problems of the form at `path`, named relative to the folder holding
 * it ("kaputt/survey.csv:survey:10:type: …"): the stick's own path says
 * nothing to staff and would crowd the message out. */
static void show_problems(StaffImport *im, const char *path, const char *name, const FormDiag *d)
{
    const char *slash = strrchr(path, '/');
    size_t skip = slash ? (size_t)(slash - path) + 1 : 0;
    char line[256];
    int errors = form_diag_errors(d) ? form_diag_errors(d) : 1;
    uitext_format(im->text, sizeof im->text, im->lang, UIT_STAFF_IMPORT_BAD, name, errors);
    int shown = 0;
    for (int k = 0; k < form_diag_count(d) && shown < STAFF_IMPORT_LINES; k++) {
        if (!form_diag_is_error(d, k))
            continue; /* warnings do not stop a form; errors are what staff must fix */
        const char *m = form_diag_message(d, k);
        add_line(im, strncmp(m, path, skip) == 0 ? m + skip : m);
        shown++;
    }
    if (errors > shown && shown > 0) {
        uitext_format(line, sizeof line, im->lang, UIT_STAFF_IMPORT_MORE, errors - shown);
        add_line(im, line);
    }
    im->problems = true;
}

static int mkdirs(const char *path)
{
    char tmp[CONFIG_PATH_MAX];
    str_copy(tmp, sizeof tmp, path);
    for (char *p = tmp + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
                return -1;
            *p = '/';
        }
    }
    return mkdir(tmp, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

bool staff_import_install(StaffImport *im, int i, Catalog *catalog, Store *store,
                          const char *forms_dir)
{
    im->text[0] = '\0';
    im->problems = false;
    if (i < 0 || i >= im->n)
        return false;
    const StaffImportEntry *en = &im->entries[i];
    FormDiag *d = form_diag_create();
    Form *f = NULL;
    bool installed = false;
    char msg[256] = "";
    KsStatus ks = form_load_path(en->path, &f, d);
    if (ks == KS_OK && store) {
        char known[65] = "";
        if (store_form_lookup(store, form_id(f), form_version(f), known) == KS_OK &&
            strcmp(known, form_sha256(f)) != 0) {
            form_diag_add(d, true, en->name, "settings", 0, "version",
                          "the content of %s version %s changed, but its version did not: "
                          "give the changed form a new version",
                          form_id(f), form_version(f));
            ks = KS_ERR_STATE;
        }
    }
    if (ks != KS_OK) {
        LOG_INFO("staff mode: form %s on the stick is not usable (%s)", en->path,
                 ks_status_str(ks));
        show_problems(im, en->path, en->name, d);
        goto cleanup;
    }
    char dest[CONFIG_PATH_MAX + 96];
    snprintf(dest, sizeof dest, "%s/%s", forms_dir, en->name);
    if (catalog_find(catalog, form_id(f)) || access(dest, F_OK) == 0) {
        uitext_format(im->text, sizeof im->text, im->lang, UIT_STAFF_IMPORT_EXISTS, form_id(f));
        LOG_INFO("staff mode: form %s not imported: %s or %s is installed already", en->path,
                 form_id(f), dest);
        goto cleanup;
    }
    struct stat sb;
    bool is_dir = stat(en->path, &sb) == 0 && S_ISDIR(sb.st_mode);
    if (mkdirs(forms_dir) != 0) {
        ks = KS_ERR_IO;
        LOG_ERROR("cannot create the forms folder %s: %s", forms_dir, strerror(errno));
        snprintf(msg, sizeof msg, "%s", forms_dir);
    } else {
        ks = is_dir ? safe_copy_dir(en->path, forms_dir, en->name, NULL, NULL)
                    : safe_copy_file(en->path, forms_dir, en->name, NULL, NULL);
        /* The forms folder is on the kiosk's card; the stick is only read. */
        if (ks == KS_ERR_FULL)
            str_copy(msg, sizeof msg, uitext_get(im->lang, UIT_STAFF_IMPORT_NO_ROOM));
        else if (ks == KS_ERR_IO)
            str_copy(msg, sizeof msg, uitext_get(im->lang, UIT_STAFF_IMPORT_UNREADABLE));
    }
    const Form *added = NULL;
    if (ks == KS_OK)
        ks = catalog_add_path(catalog, dest, &added);
    if (ks == KS_OK && store) {
        ks = store_form_register(store, form_id(added), form_version(added), form_sha256(added),
                                 clock_wall_ms(), NULL);
        if (ks != KS_OK)
            catalog_drop(catalog, catalog_count(catalog) - 1);
    }
    if (ks != KS_OK) {
        LOG_ERROR("staff mode: form %s not installed: %s", en->path, ks_status_str(ks));
        (void)safe_copy_discard(forms_dir, en->name);
        uitext_format(im->text, sizeof im->text, im->lang, UIT_STAFF_IMPORT_FAILED,
                      msg[0] ? msg : ks_status_str(ks));
        goto cleanup;
    }
    LOG_INFO("staff mode: form %s (%s version %s) imported to %s", en->path, form_id(added),
             form_version(added), dest);
    uitext_format(im->text, sizeof im->text, im->lang, UIT_STAFF_IMPORT_DONE, form_id(added));
    installed = true;
cleanup:
    form_destroy(f);
    form_diag_destroy(d);
    return installed;
}
