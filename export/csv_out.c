/* csv_out: RFC 4180 CSV of a dataset table (see csv_out.h). */
#include "csv_out.h"

#include <stdio.h>
#include <string.h>

#include "../firmware/core/log.h"

static void csv_out_field(FILE *f, const char *v)
{
    if (!v)
        return;
    if (!strpbrk(v, ",\"\r\n")) {
        fputs(v, f);
        return;
    }
    fputc('"', f);
    for (const char *p = v; *p; p++) {
        if (*p == '"')
            fputc('"', f);
        fputc(*p, f);
    }
    fputc('"', f);
}

KsStatus csv_out_write(const DatasetTable *t, const char *path)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        LOG_ERROR("cannot create %s", path);
        return KS_ERR_IO;
    }
    for (int c = 0; c < t->n_cols; c++) {
        if (c)
            fputc(',', f);
        csv_out_field(f, t->cols[c].name);
    }
    fputs("\r\n", f);
    for (int r = 0; r < t->n_rows; r++) {
        for (int c = 0; c < t->n_cols; c++) {
            if (c)
                fputc(',', f);
            csv_out_field(f, dataset_table_get(t, r, c));
        }
        fputs("\r\n", f);
    }
    bool bad = ferror(f) != 0;
    bad |= fclose(f) != 0;
    if (bad) {
        LOG_ERROR("cannot write %s", path);
        return KS_ERR_IO;
    }
    return KS_OK;
}
