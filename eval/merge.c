/* merge: the dataset of one form over the whole archive (see merge.h). The
 * rows go straight from the archive to the CSV and SAV writers; the other
 * tables (free text, drawings, workshops) are gathered with their own
 * columns and the batch they came from. */
#include "merge.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../export/bagit.h"
#include "../export/codebook.h"
#include "../export/csvfile.h"
#include "../export/datapackage.h"
#include "../export/sav.h"
#include "../firmware/core/log.h"
#include "../firmware/core/mem.h"
#include "../firmware/core/str.h"
#include "archive_rows.h"
#include "schema.h"

#define MERGE_PATH 1200
#define EXTRA_COLS_MAX 64

typedef struct {
    const FormSchema *s;
    CsvFileWriter *csv;
    SavWriter *sav;
    const char **cells;
    long rows;
    KsStatus ks;
} RowSink;

static bool on_row(const ArchiveResponse *r, void *ctx)
{
    RowSink *k = ctx;
    cJSON *json = NULL;
    schema_row(k->s, r, &json, k->cells);
    k->ks = csvfile_writer_row(k->csv, k->cells);
    if (k->ks == KS_OK)
        k->ks = sav_writer_row(k->sav, k->cells);
    cJSON_Delete(json);
    k->rows++;
    return k->ks == KS_OK;
}

/* Pass 1: the longest text of every string column, which the SAV file
 * needs before its first row. */
typedef struct {
    const FormSchema *s;
    const char **cells;
    bool answers; /* string answer columns exist: parse the rows' JSON */
} Widths;

static bool on_width(const ArchiveResponse *r, void *ctx)
{
    Widths *w = ctx;
    DatasetTable *t = w->s->table;
    cJSON *json = NULL;
    if (w->answers) {
        schema_row(w->s, r, &json, w->cells);
    } else {
        const char *lead[SCHEMA_LEAD] = {r->site,        r->kiosk_id, r->batch_id, r->period,
                                         r->response_id, r->version,  r->lang,     r->audience};
        for (int i = 0; i < SCHEMA_LEAD; i++)
            w->cells[i] = lead[i];
    }
    int n = w->answers ? t->n_cols : SCHEMA_LEAD;
    for (int i = 0; i < n; i++) {
        if (t->cols[i].kind != DATASET_STRING || !w->cells[i])
            continue;
        int len = (int)strlen(w->cells[i]);
        if (len > t->cols[i].max_bytes)
            t->cols[i].max_bytes = len;
    }
    cJSON_Delete(json);
    return true;
}

static void out_path(const MergeOptions *o, const char *name, char *buf, size_t size)
{
    snprintf(buf, size, "%s/%s", o->to, name);
}

/* ---- the other tables ------------------------------------------------------- */

typedef struct {
    const MergeOptions *o;
    Archive *a;
    bool by_form;            /* rows must name the form ("form" cell) */
    const char *picture_col; /* a cell naming a PNG below data/, copied along */
    const char *picture_dir; /* where the pictures go in the output folder */
    char *keys[EXTRA_COLS_MAX];
    int n_keys;
    CsvFileWriter *w;
    int rows;
    KsStatus ks;
} Extra;

static bool extra_wanted(const Extra *x, const ArchiveExtra *e, const cJSON *row)
{
    const MergeOptions *o = x->o;
    if (o->site && o->site[0] && strcmp(e->site, o->site) != 0)
        return false;
    if (x->by_form) {
        const cJSON *f = cJSON_GetObjectItemCaseSensitive(row, "form");
        if (!cJSON_IsString(f) || strcmp(f->valuestring, o->form) != 0)
            return false;
    }
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(row, "period");
    if (cJSON_IsString(p) && p->valuestring[0]) {
        if (o->period_from && o->period_from[0] && strcmp(p->valuestring, o->period_from) < 0)
            return false;
        if (o->period_to && o->period_to[0] && strcmp(p->valuestring, o->period_to) > 0)
            return false;
    }
    return true;
}

static bool extra_keys(const ArchiveExtra *e, void *ctx)
{
    Extra *x = ctx;
    cJSON *row = cJSON_Parse(e->cells);
    if (row && extra_wanted(x, e, row)) {
        const cJSON *it;
        cJSON_ArrayForEach(it, row)
        {
            bool have = false;
            for (int i = 0; i < x->n_keys && !have; i++)
                have = strcmp(x->keys[i], it->string) == 0;
            if (!have && x->n_keys < EXTRA_COLS_MAX)
                x->keys[x->n_keys++] = xstrdup(it->string);
        }
    }
    cJSON_Delete(row);
    return true;
}

/* Copies a batch's picture into the output folder; returns its new name
 * relative to the output folder ("" when it is not in the archive). */
static void copy_picture(Extra *x, const ArchiveExtra *e, const char *rel, char *out, size_t size)
{
    out[0] = '\0';
    void *data = NULL;
    size_t len = 0;
    if (archive_media_get(x->a, e->batch_id, rel, &data, &len) != KS_OK)
        return;
    const char *base = strrchr(rel, '/');
    base = base ? base + 1 : rel;
    char dir[MERGE_PATH], path[MERGE_PATH * 2];
    out_path(x->o, x->picture_dir, dir, sizeof dir);
    (void)mkdir(dir, 0755);
    snprintf(out, size, "%s/%s-%s", x->picture_dir, e->batch_id, base);
    snprintf(path, sizeof path, "%s/%s", x->o->to, out);
    if (bagit_write_file(path, data, len) != KS_OK)
        out[0] = '\0';
    free(data);
}

static bool extra_rows(const ArchiveExtra *e, void *ctx)
{
    Extra *x = ctx;
    cJSON *row = cJSON_Parse(e->cells);
    if (!row || !extra_wanted(x, e, row)) {
        cJSON_Delete(row);
        return true;
    }
    const char *cells[EXTRA_COLS_MAX + 4];
    char picture[MERGE_PATH] = "", workshop[32] = "";
    int n = 0;
    cells[n++] = e->site;
    cells[n++] = e->kiosk_id;
    cells[n++] = e->batch_id;
    /* "workshop-2-cards.csv" -> "workshop-2": which workshop of the batch */
    const char *dash = strstr(e->file, "-cards.csv");
    if (!dash)
        dash = strstr(e->file, "-votes.csv");
    if (dash && strncmp(e->file, "workshop-", 9) == 0) {
        snprintf(workshop, sizeof workshop, "%.*s", (int)(dash - e->file), e->file);
        cells[n++] = workshop;
    }
    for (int i = 0; i < x->n_keys; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(row, x->keys[i]);
        const char *s = cJSON_IsString(v) ? v->valuestring : NULL;
        if (s && x->picture_col && strcmp(x->keys[i], x->picture_col) == 0) {
            copy_picture(x, e, s, picture, sizeof picture);
            s = picture[0] ? picture : NULL;
        }
        cells[n++] = s;
    }
    x->ks = csvfile_writer_row(x->w, cells);
    x->rows++;
    cJSON_Delete(row);
    return x->ks == KS_OK;
}

/* Gathers the extra rows of files LIKE `like` into name (with site, kiosk,
 * batch and, for workshops, the workshop before their own columns). */
static KsStatus write_extra(Archive *a, const MergeOptions *o, const char *like, const char *name,
                            bool by_form, const char *picture_col, const char *picture_dir,
                            int *rows)
{
    Extra x = {.o = o,
               .a = a,
               .by_form = by_form,
               .picture_col = picture_col,
               .picture_dir = picture_dir,
               .ks = KS_OK};
    *rows = 0;
    KsStatus ks = archive_extras_each(a, like, extra_keys, &x);
    if (ks == KS_OK && x.n_keys > 0) {
        const char *header[EXTRA_COLS_MAX + 4];
        int n = 0;
        header[n++] = "site";
        header[n++] = "kiosk";
        header[n++] = "batch";
        if (strncmp(name, "workshop", 8) == 0)
            header[n++] = "workshop";
        for (int i = 0; i < x.n_keys; i++)
            header[n++] = x.keys[i];
        char path[MERGE_PATH];
        out_path(o, name, path, sizeof path);
        x.w = csvfile_writer_open(path, header, n);
        ks = x.w ? archive_extras_each(a, like, extra_rows, &x) : KS_ERR_IO;
        if (ks == KS_OK)
            ks = x.ks;
        KsStatus cs = x.w ? csvfile_writer_close(&x.w) : KS_OK;
        if (ks == KS_OK)
            ks = cs;
        *rows = x.rows;
    }
    for (int i = 0; i < x.n_keys; i++)
        free(x.keys[i]);
    return ks;
}

/* ---- the dataset ------------------------------------------------------------ */

typedef struct {
    const char *form;
    int k;
} MinK;

static bool on_k(const ArchiveBatch *b, void *ctx)
{
    MinK *m = ctx;
    if (b->k > 0 && strstr(b->forms, m->form) && (m->k == 0 || b->k < m->k))
        m->k = b->k;
    return true;
}

KsStatus merge_write(Archive *a, const MergeOptions *o, MergeResult *out, char *why, size_t size)
{
    memset(out, 0, sizeof *out);
    FormSchema s;
    KsStatus ks = schema_build(a, o->form, &s, why, size);
    if (ks != KS_OK)
        return ks;
    ArchiveFilter f = {o->form, o->site, o->period_from, o->period_to};
    long n_rows = 0;
    if ((ks = archive_responses_count(a, &f, &n_rows)) == KS_OK && n_rows == 0) {
        snprintf(why, size, "für %s gibt es in dieser Auswahl keine Antworten.", o->form);
        ks = KS_ERR_NOT_FOUND;
    }
    if (ks == KS_OK && mkdir(o->to, 0755) != 0 && errno != EEXIST) {
        snprintf(why, size, "der Ordner %s lässt sich nicht anlegen (%s).", o->to, strerror(errno));
        ks = KS_ERR_IO;
    }
    char path[MERGE_PATH], label[128];
    snprintf(label, sizeof label, "km2eval %s", o->form);
    const DatasetTable *t = s.table;
    if (ks == KS_OK) {
        Widths w = {&s, xcalloc((size_t)t->n_cols, sizeof *w.cells), false};
        for (int i = SCHEMA_LEAD; i < t->n_cols; i++)
            w.answers = w.answers || t->cols[i].kind == DATASET_STRING;
        ks = archive_responses_each(a, &f, on_width, &w);
        free(w.cells);
    }
    if (ks == KS_OK) {
        const char **header = xcalloc((size_t)t->n_cols, sizeof *header);
        for (int i = 0; i < t->n_cols; i++)
            header[i] = t->cols[i].name;
        out_path(o, "responses.csv", path, sizeof path);
        RowSink sink = {.s = &s, .cells = xcalloc((size_t)t->n_cols, sizeof *sink.cells)};
        sink.csv = csvfile_writer_open(path, header, t->n_cols);
        out_path(o, "responses.sav", path, sizeof path);
        sink.sav = sink.csv ? sav_writer_open(path, t, label, n_rows) : NULL;
        ks = sink.csv && sink.sav ? archive_responses_each(a, &f, on_row, &sink) : KS_ERR_IO;
        if (ks == KS_OK)
            ks = sink.ks;
        KsStatus c1 = sink.csv ? csvfile_writer_close(&sink.csv) : KS_OK;
        KsStatus c2 = sink.sav ? sav_writer_close(&sink.sav) : KS_OK;
        if (ks == KS_OK)
            ks = c1 != KS_OK ? c1 : c2;
        if (ks != KS_OK)
            snprintf(why, size, "responses.csv/.sav in %s ließen sich nicht schreiben.", o->to);
        out->rows = sink.rows;
        free(sink.cells);
        free(header);
    }
    if (ks == KS_OK)
        ks = write_extra(a, o, "freetext.csv", "freetext.csv", true, NULL, NULL, &out->free_texts);
    if (ks == KS_OK)
        ks = write_extra(a, o, "drawings.csv", "drawings.csv", true, "file", "drawings",
                         &out->drawings);
    int votes = 0;
    if (ks == KS_OK)
        ks = write_extra(a, o, "workshop-%-cards.csv", "workshop-cards.csv", false, "drawing",
                         "workshop-drawings", &out->workshop_cards);
    if (ks == KS_OK)
        ks = write_extra(a, o, "workshop-%-votes.csv", "workshop-votes.csv", false, NULL, NULL,
                         &votes);
    if (ks == KS_OK) {
        out_path(o, "datapackage.json", path, sizeof path);
        ks = datapackage_write(&t, 1, label, NULL, 0, path);
    }
    if (ks == KS_OK) {
        MinK mk = {o->form, 0};
        (void)archive_batch_each(a, on_k, &mk);
        const char *forms[] = {o->form};
        char period[96];
        snprintf(period, sizeof period, "wie in den Lieferungen (%s bis %s)",
                 o->period_from && o->period_from[0] ? o->period_from : "Anfang",
                 o->period_to && o->period_to[0] ? o->period_to : "heute");
        CodebookInfo info = {.batch_id = label,
                             .k = mk.k ? mk.k : 5,
                             .period_name = period,
                             .form_ids = forms,
                             .n_forms = 1,
                             .n_workshops = 0};
        out_path(o, "codebook.md", path, sizeof path);
        ks = codebook_write(&t, 1, &info, path);
    }
    if (ks != KS_OK && !why[0])
        snprintf(why, size, "eine Datei in %s ließ sich nicht schreiben.", o->to);
    out->columns = t ? t->n_cols : 0;
    out->versions = s.n_versions;
    out->batches = s.batches;
    schema_clear(&s);
    return ks;
}
