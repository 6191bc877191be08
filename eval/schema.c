/* schema: a form's columns merged over the archive's batches (see
 * schema.h). Each batch's field descriptions are read back by
 * export/datapackage's own reader, so the archive never interprets the
 * format a second way. */
#include "schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../export/datapackage.h"
#include "../firmware/core/mem.h"
#include "../firmware/core/str.h"
#include "names.h"

/* The response columns a row's lead replaces (and "form", the same in every row). */
static const char *const REPLACED[] = {"form", "site_code", "response_id", "form_version",
                                       "lang", "audience",  "period"};

static const char *const LEAD[SCHEMA_LEAD][2] = {
    {"site", "Standort"},
    {"kiosk", "Kiosk"},
    {"batch", "Lieferung"},
    {"period", "Zeitraum"},
    {"response_id", "Antwort-Kennung"},
    {"form_version", "Fragebogen-Version"},
    {"lang", "Sprache"},
    {"audience", "Zielgruppe"},
};

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The version of form in a batch's KM2-Forms ("kinder 2026-11-24.2,
 * eltern 2026-11-24"), or "". */
static void version_in(const char *forms, const char *form, char *out, size_t size)
{
    out[0] = '\0';
    size_t n = strlen(form);
    for (const char *p = forms; p && *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len > n + 1 && strncmp(p, form, n) == 0 && p[n] == ' ') {
            snprintf(out, size, "%.*s", (int)(len - n - 1), p + n + 1);
            return;
        }
        p = end;
    }
}

/* Whether a field's "forms" (NULL: every form) names form. */
static bool field_for(const cJSON *spec, const char *form)
{
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(spec, "forms");
    if (!cJSON_IsString(f))
        return true;
    size_t n = strlen(form);
    for (const char *p = f->valuestring; (p = strstr(p, form)) != NULL; p += n) {
        bool start = p == f->valuestring || p[-1] == ' ' || p[-1] == ',';
        bool end = p[n] == '\0' || p[n] == ',' || p[n] == ' ';
        if (start && end)
            return true;
    }
    return false;
}

typedef struct {
    const char *form;
    FormSchema *s;
    char **batch_ids; /* batch -> version of the form */
    char **batch_versions;
    int n_batches;
    Names *col_versions; /* per column of the table */
    int cap_cols;
    char why[256];
    KsStatus ks;
} Build;

static bool on_batch(const ArchiveBatch *b, void *ctx)
{
    Build *bd = ctx;
    char v[64];
    version_in(b->forms, bd->form, v, sizeof v);
    if (!v[0])
        return true;
    bd->batch_ids = xrealloc(bd->batch_ids, (size_t)(bd->n_batches + 1) * sizeof *bd->batch_ids);
    bd->batch_versions =
        xrealloc(bd->batch_versions, (size_t)(bd->n_batches + 1) * sizeof *bd->batch_versions);
    bd->batch_ids[bd->n_batches] = xstrdup(b->id);
    bd->batch_versions[bd->n_batches] = xstrdup(v);
    bd->n_batches++;
    return true;
}

static const char *batch_version(const Build *bd, const char *batch)
{
    for (int i = 0; i < bd->n_batches; i++)
        if (strcmp(bd->batch_ids[i], batch) == 0)
            return bd->batch_versions[i];
    return NULL;
}

static void grow_versions(Build *bd, int n_cols)
{
    if (n_cols <= bd->cap_cols)
        return;
    int cap = bd->cap_cols ? bd->cap_cols : 32;
    while (cap < n_cols)
        cap *= 2;
    bd->col_versions = xrealloc(bd->col_versions, (size_t)cap * sizeof *bd->col_versions);
    memset(bd->col_versions + bd->cap_cols, 0,
           (size_t)(cap - bd->cap_cols) * sizeof *bd->col_versions);
    bd->cap_cols = cap;
}

/* A later version may offer more choices: they join the column with the
 * next free codes (the first version's codes stay as they are). */
static void merge_categories(DatasetTable *t, int col, const char *spec_text)
{
    cJSON *spec = cJSON_Parse(spec_text);
    DatasetTable *tmp = dataset_table_create("tmp", "");
    char why[64];
    if (spec && datapackage_field_read(spec, tmp, why, sizeof why) == KS_OK && tmp->n_cols == 1) {
        const DatasetColumn *from = &tmp->cols[0];
        for (int i = 0; i < from->n_cats; i++) {
            DatasetColumn *to = &t->cols[col];
            bool have = false;
            int next = 1;
            for (int j = 0; j < to->n_cats; j++) {
                have = have || strcmp(to->cats[j].name, from->cats[i].name) == 0;
                if (to->cats[j].code >= next)
                    next = to->cats[j].code + 1;
            }
            if (!have)
                dataset_table_add_category(t, col, next, from->cats[i].name, from->cats[i].label);
        }
    }
    dataset_table_destroy(tmp);
    cJSON_Delete(spec);
}

static bool on_column(const ArchiveColumn *c, void *ctx)
{
    Build *bd = ctx;
    const char *version = batch_version(bd, c->batch_id);
    if (!version)
        return true; /* a batch without the form */
    for (size_t i = 0; i < sizeof REPLACED / sizeof REPLACED[0]; i++)
        if (strcmp(c->name, REPLACED[i]) == 0)
            return true;
    DatasetTable *t = bd->s->table;
    int col = dataset_table_find(t, c->name);
    if (col < 0) {
        cJSON *spec = cJSON_Parse(c->spec);
        if (!spec || !field_for(spec, bd->form)) {
            cJSON_Delete(spec);
            return true;
        }
        char why[128] = "";
        KsStatus ks = datapackage_field_read(spec, t, why, sizeof why);
        cJSON_Delete(spec);
        if (ks != KS_OK) {
            snprintf(bd->why, sizeof bd->why, "die Spalte %s der Lieferung %s ist unlesbar: %s",
                     c->name, c->batch_id, why);
            bd->ks = ks;
            return false;
        }
        col = t->n_cols - 1;
    } else if (t->cols[col].kind == DATASET_CATEGORY) {
        merge_categories(t, col, c->spec);
    }
    grow_versions(bd, t->n_cols);
    if (version[0])
        names_add(&bd->col_versions[col], version);
    return true;
}

static unsigned name_hash(const char *s)
{
    unsigned h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static void index_names(FormSchema *s)
{
    int need = 16;
    while (need < s->table->n_cols * 2)
        need *= 2;
    s->n_slots = need;
    s->slots = xcalloc((size_t)need, sizeof *s->slots);
    for (int i = 0; i < s->table->n_cols; i++) {
        unsigned h = name_hash(s->table->cols[i].name) & (unsigned)(need - 1);
        while (s->slots[h])
            h = (h + 1) & (unsigned)(need - 1);
        s->slots[h] = i + 1;
    }
}

int schema_find(const FormSchema *s, const char *name)
{
    if (!s->n_slots)
        return -1;
    unsigned h = name_hash(name) & (unsigned)(s->n_slots - 1);
    while (s->slots[h]) {
        int i = s->slots[h] - 1;
        if (strcmp(s->table->cols[i].name, name) == 0)
            return i;
        h = (h + 1) & (unsigned)(s->n_slots - 1);
    }
    return -1;
}

KsStatus schema_build(Archive *a, const char *form, FormSchema *out, char *why, size_t size)
{
    memset(out, 0, sizeof *out);
    out->table = dataset_table_create("responses", form);
    for (int i = 0; i < SCHEMA_LEAD; i++)
        dataset_table_add_column(out->table, LEAD[i][0], LEAD[i][1], NULL, DATASET_STRING);
    Build bd = {.form = form, .s = out, .ks = KS_OK};
    KsStatus ks = archive_batch_each(a, on_batch, &bd);
    if (ks == KS_OK)
        ks = archive_columns_each(a, "responses", on_column, &bd);
    if (ks == KS_OK)
        ks = bd.ks;
    if (ks == KS_OK && bd.n_batches == 0) {
        ks = KS_ERR_NOT_FOUND;
        snprintf(bd.why, sizeof bd.why, "im Archiv ist keine Lieferung mit dem Fragebogen %s.",
                 form);
    }
    Names all = {0};
    if (ks == KS_OK) {
        grow_versions(&bd, out->table->n_cols);
        for (int c = SCHEMA_LEAD; c < out->table->n_cols; c++) {
            Names *l = &bd.col_versions[c];
            qsort(l->v, (size_t)l->n, sizeof *l->v, str_cmp);
            size_t len = 1;
            for (int i = 0; i < l->n; i++) {
                len += strlen(l->v[i]) + 2;
                names_add(&all, l->v[i]);
            }
            char *joined = xcalloc(len, 1);
            for (int i = 0; i < l->n; i++) {
                if (i)
                    strcat(joined, ", ");
                strcat(joined, l->v[i]);
            }
            free(out->table->cols[c].versions);
            out->table->cols[c].versions = joined;
        }
        qsort(all.v, (size_t)all.n, sizeof *all.v, str_cmp);
        out->versions = all.v;
        out->n_versions = all.n;
        out->batches = bd.n_batches;
        index_names(out);
    }
    for (int i = 0; i < bd.cap_cols; i++)
        names_free(&bd.col_versions[i]);
    free(bd.col_versions);
    for (int i = 0; i < bd.n_batches; i++) {
        free(bd.batch_ids[i]);
        free(bd.batch_versions[i]);
    }
    free(bd.batch_ids);
    free(bd.batch_versions);
    if (ks != KS_OK) {
        str_copy(why, size, bd.why);
        schema_clear(out);
    }
    return ks;
}

void schema_clear(FormSchema *s)
{
    dataset_table_destroy(s->table);
    free(s->slots);
    for (int i = 0; i < s->n_versions; i++)
        free(s->versions[i]);
    free(s->versions);
    memset(s, 0, sizeof *s);
}

void schema_row(const FormSchema *s, const ArchiveResponse *r, cJSON **json, const char **cells)
{
    int n = s->table->n_cols;
    for (int i = 0; i < n; i++)
        cells[i] = NULL;
    const char *lead[SCHEMA_LEAD] = {r->site,        r->kiosk_id, r->batch_id, r->period,
                                     r->response_id, r->version,  r->lang,     r->audience};
    for (int i = 0; i < SCHEMA_LEAD; i++)
        cells[i] = lead[i] && lead[i][0] ? lead[i] : NULL;
    *json = cJSON_Parse(r->cells);
    const cJSON *item;
    cJSON_ArrayForEach(item, *json)
    {
        if (!cJSON_IsString(item) || !item->string)
            continue;
        int c = schema_find(s, item->string);
        if (c >= SCHEMA_LEAD)
            cells[c] = item->valuestring;
    }
}
