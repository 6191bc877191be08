/* catalog: finds the forms under a forms folder (CSV folders and .xlsx
 * workbooks) and loads each one.
 * A broken form is logged and left out; it never stops the others. It reads
 * folder listings and nothing else from the file system. */
#include "catalog.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/log.h"
#include "../core/mem.h"
#include "form_load.h"

struct Catalog {
    Form **forms;
    int n, cap;
};

static int catalog_cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void catalog_log_diag(const FormDiag *d)
{
    for (int i = 0; i < form_diag_count(d); i++) {
        if (form_diag_is_error(d, i))
            LOG_ERROR("%s", form_diag_message(d, i));
        else
            LOG_WARN("%s", form_diag_message(d, i));
    }
}

KsStatus catalog_add_path(Catalog *c, const char *path, const Form **added)
{
    if (added)
        *added = NULL;
    Form *f = NULL;
    FormDiag *d = form_diag_create();
    KsStatus ks = form_load_path(path, &f, d);
    catalog_log_diag(d);
    form_diag_destroy(d);
    if (ks != KS_OK) {
        LOG_ERROR("form %s left out: %s", path, ks_status_str(ks));
        return ks;
    }
    if (catalog_find(c, form_id(f))) {
        LOG_ERROR("form %s left out: form_id \"%s\" is already used by %s", path, form_id(f),
                  form_source(catalog_find(c, form_id(f))));
        form_destroy(f);
        return KS_ERR_STATE;
    }
    /* Only the array of pointers moves: a Form already handed out (the
     * kiosk's chosen form, a view's labels) stays where it is. */
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 8;
        c->forms = xrealloc(c->forms, (size_t)c->cap * sizeof *c->forms);
    }
    c->forms[c->n++] = f;
    LOG_INFO("form %s loaded: %s version %s, %d questions", path, form_id(f), form_version(f),
             form_question_count(f));
    if (added)
        *added = f;
    return KS_OK;
}

KsStatus catalog_add_dir(Catalog *c, const char *dir)
{
    char **names = NULL;
    int n = 0, cap = 0;
    DIR *dp = opendir(dir);
    if (!dp) {
        LOG_ERROR("cannot read the forms folder %s", dir);
        return KS_ERR_NOT_FOUND;
    }
    for (struct dirent *e = readdir(dp); e; e = readdir(dp)) {
        if (e->d_name[0] == '.')
            continue;
        char path[4096];
        int len = snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (len < 0 || (size_t)len >= sizeof path || !form_load_is_form(path))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            names = xrealloc(names, (size_t)cap * sizeof *names);
        }
        names[n++] = xstrdup(e->d_name);
    }
    closedir(dp);
    if (n > 0)
        qsort(names, (size_t)n, sizeof *names, catalog_cmp_names);
    for (int i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        (void)catalog_add_path(c, path, NULL); /* a broken form never stops the others */
        free(names[i]);
    }
    free(names);
    return KS_OK;
}

KsStatus catalog_load(const char *dir, Catalog **out)
{
    *out = xcalloc(1, sizeof **out);
    return catalog_add_dir(*out, dir);
}

void catalog_destroy(Catalog *c)
{
    if (!c)
        return;
    for (int i = 0; i < c->n; i++)
        form_destroy(c->forms[i]);
    free(c->forms);
    free(c);
}

int catalog_count(const Catalog *c)
{
    return c ? c->n : 0;
}

const Form *catalog_form(const Catalog *c, int i)
{
    if (!c || i < 0 || i >= c->n)
        return NULL;
    return c->forms[i];
}

const Form *catalog_find(const Catalog *c, const char *id)
{
    for (int i = 0; c && i < c->n; i++)
        if (strcmp(form_id(c->forms[i]), id) == 0)
            return c->forms[i];
    return NULL;
}

void catalog_drop(Catalog *c, int i)
{
    if (!c || i < 0 || i >= c->n)
        return;
    form_destroy(c->forms[i]);
    memmove(&c->forms[i], &c->forms[i + 1], (size_t)(c->n - i - 1) * sizeof *c->forms);
    c->n--;
}
