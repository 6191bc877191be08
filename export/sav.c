/* sav: SPSS output with ReadStat (see sav.h). Numbers are parsed back from
 * the cells the CSV holds, so both files carry the same values. */
#include "sav.h"

#include <readstat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "../firmware/core/log.h"
#include "../firmware/core/mem.h"
#include "../firmware/core/str.h"

/* SPSS limits in bytes; str_copy never cuts a UTF-8 sequence. */
#define SAV_VALUE_LABEL_MAX 120
#define SAV_VAR_LABEL_MAX 255

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
    return KS_ERR_IO;
}

static readstat_label_set_t *sav_category_labels(readstat_writer_t *w, const DatasetColumn *c,
                                                 int n)
{
    char name[32], label[SAV_VALUE_LABEL_MAX + 1];
    snprintf(name, sizeof name, "labels%d", n);
    readstat_label_set_t *ls = readstat_add_label_set(w, READSTAT_TYPE_DOUBLE, name);
    int lang = form_default_lang(c->form);
    for (int i = 0; i < c->list->n_choices; i++) {
        const FormChoice *ch = &c->list->choices[i];
        const char *text = form_text(c->form, &ch->label, lang);
        str_copy(label, sizeof label, text[0] ? text : ch->name);
        readstat_label_double_value(ls, i + 1, label);
    }
    return ls;
}

KsStatus sav_write(const DatasetTable *t, const char *file_label, const char *path)
{
    KsStatus ks = KS_OK;
    FILE *f = NULL;
    readstat_variable_t **vars = NULL;
    readstat_writer_t *w = readstat_writer_init();
    char buf[SAV_VAR_LABEL_MAX + 1];
    if (!w)
        return KS_ERR_IO;
    f = fopen(path, "wb");
    if (!f) {
        LOG_ERROR("cannot create %s", path);
        ks = KS_ERR_IO;
        goto cleanup;
    }
    vars = xcalloc((size_t)(t->n_cols ? t->n_cols : 1), sizeof *vars);
    ks = sav_check(readstat_set_data_writer(w, sav_data_writer), "data writer", path);
    if (ks != KS_OK)
        goto cleanup;
    str_copy(buf, 65, file_label ? file_label : "");
    readstat_writer_set_file_label(w, buf);
    readstat_writer_set_compression(w, READSTAT_COMPRESS_ROWS);
    readstat_label_set_t *binary = readstat_add_label_set(w, READSTAT_TYPE_DOUBLE, "binary");
    readstat_label_double_value(binary, 0, "nicht gewählt");
    readstat_label_double_value(binary, 1, "gewählt");
    for (int c = 0; c < t->n_cols; c++) {
        const DatasetColumn *col = &t->cols[c];
        readstat_variable_t *v = NULL;
        if (col->kind == DATASET_STRING) {
            size_t width = 1;
            for (int r = 0; r < t->n_rows; r++) {
                const char *s = dataset_table_get(t, r, c);
                if (s && strlen(s) > width)
                    width = strlen(s);
            }
            v = readstat_add_variable(w, col->name, READSTAT_TYPE_STRING, width);
            readstat_variable_set_measure(v, READSTAT_MEASURE_NOMINAL);
        } else {
            v = readstat_add_variable(w, col->name, READSTAT_TYPE_DOUBLE, 0);
            if (col->kind == DATASET_CATEGORY && col->list && col->form) {
                readstat_variable_set_label_set(v, sav_category_labels(w, col, c));
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
        vars[c] = v;
    }
    ks = sav_check(readstat_begin_writing_sav(w, f, t->n_rows), "begin", path);
    if (ks == KS_OK)
        ks = sav_check(readstat_validate_metadata(w), "metadata", path);
    for (int c = 0; ks == KS_OK && c < t->n_cols; c++)
        ks = sav_check(readstat_validate_variable(w, vars[c]), t->cols[c].name, path);
    for (int r = 0; ks == KS_OK && r < t->n_rows; r++) {
        ks = sav_check(readstat_begin_row(w), "row", path);
        for (int c = 0; ks == KS_OK && c < t->n_cols; c++) {
            const DatasetColumn *col = &t->cols[c];
            const char *s = dataset_table_get(t, r, c);
            readstat_error_t e;
            if (col->kind == DATASET_STRING) {
                e = readstat_insert_string_value(w, vars[c], s ? s : "");
            } else if (!s) {
                e = readstat_insert_missing_value(w, vars[c]);
            } else if (col->kind == DATASET_CATEGORY) {
                int code = dataset_category_code(col, s);
                e = code ? readstat_insert_double_value(w, vars[c], code)
                         : readstat_insert_missing_value(w, vars[c]);
            } else {
                char *end = NULL;
                double d = strtod(s, &end);
                e = end && end != s && !*end ? readstat_insert_double_value(w, vars[c], d)
                                             : readstat_insert_missing_value(w, vars[c]);
            }
            ks = sav_check(e, col->name, path);
        }
        if (ks == KS_OK)
            ks = sav_check(readstat_end_row(w), "row end", path);
    }
    if (ks == KS_OK)
        ks = sav_check(readstat_end_writing(w), "end", path);
cleanup:
    readstat_writer_free(w);
    free(vars);
    if (f) {
        bool bad = ferror(f) != 0;
        bad |= fclose(f) != 0;
        if (bad && ks == KS_OK) {
            LOG_ERROR("cannot write %s", path);
            ks = KS_ERR_IO;
        }
    }
    return ks;
}
