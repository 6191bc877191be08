/* sav: SPSS output with ReadStat (see sav.h). Numbers are parsed back from
 * the cells the CSV holds, so both files carry the same values. ReadStat
 * compresses and writes each row as it comes, so streaming needs memory for
 * one row; what it needs up front is the row count and the string widths. */
#include "sav.h"

#include <errno.h>
#include <readstat.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "../firmware/core/log.h"
#include "../firmware/core/mem.h"
#include "../firmware/core/str.h"

/* SPSS limits in bytes; str_copy never cuts a UTF-8 sequence. */
#define SAV_VALUE_LABEL_MAX 120
#define SAV_VAR_LABEL_MAX 255

struct SavWriter {
    readstat_writer_t *rw;
    FILE *f;
    const DatasetTable *schema;
    readstat_variable_t **vars;
    size_t *widths;    /* storage width per string column */
    long n_rows, rows; /* promised and written */
    KsStatus err;      /* the first failure; sticky */
    char *path;        /* for the log */
};

static ssize_t sav_data_writer(const void *data, size_t len, void *ctx)
{
    FILE *f = ctx;
    return fwrite(data, 1, len, f) == len ? (ssize_t)len : -1;
}

static KsStatus sav_check(readstat_error_t e, const char *what, const char *path)
{
    if (e == READSTAT_OK)
        return KS_OK;
    LOG_ERROR("%s: %s: %s", path, what, readstat_error_message(e));
    return e == READSTAT_ERROR_ROW_COUNT_MISMATCH ? KS_ERR_STATE : KS_ERR_IO;
}

static readstat_label_set_t *sav_category_labels(readstat_writer_t *rw, const DatasetColumn *c,
                                                 int n)
{
    char name[32], label[SAV_VALUE_LABEL_MAX + 1];
    snprintf(name, sizeof name, "labels%d", n);
    readstat_label_set_t *ls = readstat_add_label_set(rw, READSTAT_TYPE_DOUBLE, name);
    for (int i = 0; i < c->n_cats; i++) {
        const DatasetCategory *cat = &c->cats[i];
        str_copy(label, sizeof label, cat->label[0] ? cat->label : cat->name);
        readstat_label_double_value(ls, cat->code, label);
    }
    return ls;
}

/* Declares the variables of schema; widths[c] is the storage width of
 * string column c. */
static void sav_declare(SavWriter *w, const char *file_label)
{
    const DatasetTable *t = w->schema;
    char buf[SAV_VAR_LABEL_MAX + 1];
    str_copy(buf, 65, file_label ? file_label : "");
    readstat_writer_set_file_label(w->rw, buf);
    readstat_writer_set_compression(w->rw, READSTAT_COMPRESS_ROWS);
    readstat_label_set_t *binary = readstat_add_label_set(w->rw, READSTAT_TYPE_DOUBLE, "binary");
    readstat_label_double_value(binary, 0, "nicht gewählt");
    readstat_label_double_value(binary, 1, "gewählt");
    for (int c = 0; c < t->n_cols; c++) {
        const DatasetColumn *col = &t->cols[c];
        readstat_variable_t *v = NULL;
        if (col->kind == DATASET_STRING) {
            v = readstat_add_variable(w->rw, col->name, READSTAT_TYPE_STRING, w->widths[c]);
            readstat_variable_set_measure(v, READSTAT_MEASURE_NOMINAL);
        } else {
            v = readstat_add_variable(w->rw, col->name, READSTAT_TYPE_DOUBLE, 0);
            if (col->kind == DATASET_CATEGORY && col->n_cats > 0) {
                readstat_variable_set_label_set(v, sav_category_labels(w->rw, col, c));
                readstat_variable_set_measure(v, READSTAT_MEASURE_NOMINAL);
            } else if (col->kind == DATASET_BINARY) {
                readstat_variable_set_label_set(v, binary);
                readstat_variable_set_measure(v, READSTAT_MEASURE_NOMINAL);
            } else {
                readstat_variable_set_measure(v, READSTAT_MEASURE_SCALE);
            }
            /* whole numbers show without decimals in SPSS */
            if (col->kind != DATASET_NUMBER)
                readstat_variable_set_format(v, "F8.0");
        }
        str_copy(buf, sizeof buf, col->title);
        readstat_variable_set_label(v, buf);
        w->vars[c] = v;
    }
}

/* Frees everything and closes the file; returns the first failure. */
static KsStatus sav_finish(SavWriter *w)
{
    KsStatus ks = w->err;
    if (w->f) {
        bool bad = fflush(w->f) != 0;
        bad |= ks == KS_OK && fsync(fileno(w->f)) != 0;
        bad |= fclose(w->f) != 0;
        if (bad && ks == KS_OK) {
            LOG_ERROR("cannot write %s: %s", w->path, strerror(errno));
            ks = KS_ERR_IO;
        }
    }
    readstat_writer_free(w->rw);
    free(w->vars);
    free(w->widths);
    free(w->path);
    free(w);
    return ks;
}

/* sav_writer_open with the string widths given (taken over). */
static SavWriter *sav_open_widths(const char *path, const DatasetTable *schema,
                                  const char *file_label, long n_rows, size_t *widths)
{
    SavWriter *w = xcalloc(1, sizeof *w);
    w->schema = schema;
    w->widths = widths;
    w->n_rows = n_rows;
    w->path = xstrdup(path);
    w->vars = xcalloc((size_t)(schema->n_cols ? schema->n_cols : 1), sizeof *w->vars);
    w->rw = readstat_writer_init();
    if (!w->rw) {
        w->err = KS_ERR_IO;
        goto cleanup;
    }
    w->f = fopen(path, "wb");
    if (!w->f) {
        LOG_ERROR("cannot create %s: %s", path, strerror(errno));
        w->err = KS_ERR_IO;
        goto cleanup;
    }
    w->err = sav_check(readstat_set_data_writer(w->rw, sav_data_writer), "data writer", path);
    if (w->err != KS_OK)
        goto cleanup;
    sav_declare(w, file_label);
    w->err = sav_check(readstat_begin_writing_sav(w->rw, w->f, n_rows), "begin", path);
    if (w->err == KS_OK)
        w->err = sav_check(readstat_validate_metadata(w->rw), "metadata", path);
    for (int c = 0; w->err == KS_OK && c < schema->n_cols; c++)
        w->err =
            sav_check(readstat_validate_variable(w->rw, w->vars[c]), schema->cols[c].name, path);
    if (w->err != KS_OK)
        goto cleanup;
    return w;
cleanup:
    sav_finish(w);
    return NULL;
}

SavWriter *sav_writer_open(const char *path, const DatasetTable *schema, const char *file_label,
                           long n_rows)
{
    size_t *widths = xcalloc((size_t)(schema->n_cols ? schema->n_cols : 1), sizeof *widths);
    for (int c = 0; c < schema->n_cols; c++)
        widths[c] = schema->cols[c].max_bytes > 1 ? (size_t)schema->cols[c].max_bytes : 1;
    return sav_open_widths(path, schema, file_label, n_rows, widths);
}

static readstat_error_t sav_insert(SavWriter *w, int c, const char *s)
{
    const DatasetColumn *col = &w->schema->cols[c];
    readstat_variable_t *v = w->vars[c];
    if (col->kind == DATASET_STRING)
        return readstat_insert_string_value(w->rw, v, s ? s : "");
    if (!s)
        return readstat_insert_missing_value(w->rw, v);
    if (col->kind == DATASET_CATEGORY) {
        int code = dataset_category_code(col, s);
        return code ? readstat_insert_double_value(w->rw, v, code)
                    : readstat_insert_missing_value(w->rw, v);
    }
    char *end = NULL;
    double d = strtod(s, &end);
    return end && end != s && !*end ? readstat_insert_double_value(w->rw, v, d)
                                    : readstat_insert_missing_value(w->rw, v);
}

KsStatus sav_writer_row(SavWriter *w, const char *const *cells)
{
    if (w->err != KS_OK)
        return w->err;
    if (w->rows >= w->n_rows) {
        LOG_ERROR("%s: more rows than the %ld announced", w->path, w->n_rows);
        return w->err = KS_ERR_STATE;
    }
    const DatasetTable *t = w->schema;
    for (int c = 0; c < t->n_cols; c++) {
        if (t->cols[c].kind == DATASET_STRING && cells[c] && strlen(cells[c]) > w->widths[c]) {
            LOG_ERROR("%s: a value of %s is longer than its %zu bytes", w->path, t->cols[c].name,
                      w->widths[c]);
            return w->err = KS_ERR_INVALID;
        }
    }
    KsStatus ks = sav_check(readstat_begin_row(w->rw), "row", w->path);
    for (int c = 0; ks == KS_OK && c < t->n_cols; c++) {
        const char *s = cells[c] && cells[c][0] ? cells[c] : NULL;
        ks = sav_check(sav_insert(w, c, s), t->cols[c].name, w->path);
    }
    if (ks == KS_OK)
        ks = sav_check(readstat_end_row(w->rw), "row end", w->path);
    if (ks == KS_OK)
        w->rows++;
    return w->err = ks;
}

KsStatus sav_writer_close(SavWriter **wp)
{
    SavWriter *w = wp ? *wp : NULL;
    if (!w)
        return KS_OK;
    *wp = NULL;
    if (w->err == KS_OK)
        w->err = sav_check(readstat_end_writing(w->rw), "end", w->path);
    return sav_finish(w);
}

KsStatus sav_write(const DatasetTable *t, const char *file_label, const char *path)
{
    /* the widths the rows need, as the streaming writer takes them */
    size_t *widths = xcalloc((size_t)(t->n_cols ? t->n_cols : 1), sizeof *widths);
    for (int c = 0; c < t->n_cols; c++) {
        widths[c] = 1;
        for (int r = 0; t->cols[c].kind == DATASET_STRING && r < t->n_rows; r++) {
            const char *s = dataset_table_get(t, r, c);
            if (s && strlen(s) > widths[c])
                widths[c] = strlen(s);
        }
    }
    SavWriter *w = sav_open_widths(path, t, file_label, t->n_rows, widths);
    if (!w)
        return KS_ERR_IO;
    KsStatus ks = KS_OK;
    for (int r = 0; ks == KS_OK && r < t->n_rows; r++)
        ks = sav_writer_row(w, (const char *const *)t->cells + (size_t)r * (size_t)t->n_cols);
    KsStatus closed = sav_writer_close(&w);
    return ks != KS_OK ? ks : closed;
}

/* ---- reading back -------------------------------------------------------- */

typedef struct {
    long rows; /* from the header; -1 when it does not say */
    int vars;
    long counted; /* rows seen, when the header does not say */
} SavShape;

static int sav_on_metadata(readstat_metadata_t *m, void *ctx)
{
    SavShape *sh = ctx;
    sh->rows = readstat_get_row_count(m);
    sh->vars = readstat_get_var_count(m);
    return READSTAT_HANDLER_OK;
}

static int sav_on_value(int obs, readstat_variable_t *v, readstat_value_t value, void *ctx)
{
    (void)value;
    SavShape *sh = ctx;
    if (readstat_variable_get_index(v) == 0 && obs + 1 > sh->counted)
        sh->counted = obs + 1;
    return READSTAT_HANDLER_OK;
}

static int sav_on_variable(int index, readstat_variable_t *v, const char *labels, void *ctx)
{
    (void)index;
    (void)v;
    (void)labels;
    (void)ctx;
    return READSTAT_HANDLER_OK;
}

KsStatus sav_read_shape(const char *path, long *rows, int *vars)
{
    *rows = -1;
    *vars = -1;
    SavShape sh = {-1, -1, 0};
    readstat_parser_t *p = readstat_parser_init();
    if (!p)
        return KS_ERR_NOMEM;
    readstat_set_metadata_handler(p, sav_on_metadata);
    /* ReadStat 1.1.8 hands values only to a parser that also takes the
     * variables; with a value handler alone it crashes. */
    readstat_set_variable_handler(p, sav_on_variable);
    readstat_set_value_handler(p, sav_on_value);
    readstat_error_t e = readstat_parse_sav(p, path, &sh);
    readstat_parser_free(p);
    if (e != READSTAT_OK) {
        LOG_WARN("%s: not a readable SPSS file (%s)", path, readstat_error_message(e));
        return KS_ERR_PARSE;
    }
    *rows = sh.rows >= 0 ? sh.rows : sh.counted;
    *vars = sh.vars;
    return KS_OK;
}
