/* dataset: tables of typed, labelled columns and text cells (see
 * dataset.h). Pure memory; the format modules read and write it. */
#include "dataset.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../firmware/core/mem.h"

DatasetTable *dataset_table_create(const char *name, const char *title)
{
    DatasetTable *t = xcalloc(1, sizeof *t);
    t->name = xstrdup(name);
    t->title = xstrdup(title);
    return t;
}

void dataset_table_destroy(DatasetTable *t)
{
    if (!t)
        return;
    for (int c = 0; c < t->n_cols; c++) {
        DatasetColumn *col = &t->cols[c];
        for (int i = 0; i < col->n_cats; i++) {
            free(col->cats[i].name);
            free(col->cats[i].label);
        }
        free(col->cats);
        free(col->name);
        free(col->title);
        free(col->description);
        free(col->form_id);
        free(col->question);
        free(col->forms);
        free(col->versions);
    }
    size_t n = (size_t)t->n_rows * (size_t)t->n_cols;
    for (size_t i = 0; i < n; i++)
        free(t->cells[i]);
    free(t->cells);
    free(t->cols);
    free(t->name);
    free(t->title);
    free(t);
}

int dataset_table_add_column(DatasetTable *t, const char *name, const char *title,
                             const char *description, DatasetKind kind)
{
    if (t->n_rows > 0)
        abort(); /* programmer error: columns come before rows */
    if (t->n_cols == t->cap_cols) {
        t->cap_cols = t->cap_cols ? t->cap_cols * 2 : 16;
        t->cols = xrealloc(t->cols, (size_t)t->cap_cols * sizeof *t->cols);
    }
    DatasetColumn *c = &t->cols[t->n_cols];
    memset(c, 0, sizeof *c);
    c->name = xstrdup(name);
    c->title = xstrdup(title ? title : "");
    c->description = description ? xstrdup(description) : NULL;
    c->kind = kind;
    return t->n_cols++;
}

void dataset_table_add_columns(DatasetTable *t, const DatasetColumnSpec *specs, int n)
{
    for (int i = 0; i < n; i++)
        dataset_table_add_column(t, specs[i].name, specs[i].title, specs[i].description,
                                 specs[i].kind);
}

void dataset_table_add_category(DatasetTable *t, int col, int code, const char *name,
                                const char *label)
{
    DatasetColumn *c = &t->cols[col];
    if (c->n_cats == c->cap_cats) {
        c->cap_cats = c->cap_cats ? c->cap_cats * 2 : 8;
        c->cats = xrealloc(c->cats, (size_t)c->cap_cats * sizeof *c->cats);
    }
    c->cats[c->n_cats++] = (DatasetCategory){code, xstrdup(name), xstrdup(label ? label : "")};
}

int dataset_table_find(const DatasetTable *t, const char *name)
{
    for (int c = 0; c < t->n_cols; c++)
        if (strcasecmp(t->cols[c].name, name) == 0)
            return c;
    return -1;
}

int dataset_table_add_row(DatasetTable *t)
{
    if (t->n_rows == t->cap_rows) {
        t->cap_rows = t->cap_rows ? t->cap_rows * 2 : 64;
        t->cells = xrealloc(t->cells, (size_t)t->cap_rows * (size_t)t->n_cols * sizeof *t->cells);
    }
    memset(t->cells + (size_t)t->n_rows * (size_t)t->n_cols, 0,
           (size_t)t->n_cols * sizeof *t->cells);
    return t->n_rows++;
}

void dataset_table_set(DatasetTable *t, int row, int col, const char *v)
{
    char **cell = &t->cells[(size_t)row * (size_t)t->n_cols + (size_t)col];
    free(*cell);
    *cell = v && v[0] ? xstrdup(v) : NULL;
}

const char *dataset_table_get(const DatasetTable *t, int row, int col)
{
    return t->cells[(size_t)row * (size_t)t->n_cols + (size_t)col];
}

void dataset_safe_name(const char *name, char *out, size_t size)
{
    size_t o = 0, max = size - 1 < 64 ? size - 1 : 64;
    if (!isalpha((unsigned char)name[0]) && o < max)
        out[o++] = 'v';
    for (const char *p = name; *p && o < max; p++)
        out[o++] = isalnum((unsigned char)*p) && !((unsigned char)*p & 0x80) ? *p : '_';
    out[o] = '\0';
}

int dataset_category_code(const DatasetColumn *c, const char *value)
{
    if (!value)
        return 0;
    for (int i = 0; i < c->n_cats; i++)
        if (strcmp(c->cats[i].name, value) == 0)
            return c->cats[i].code;
    return 0;
}
