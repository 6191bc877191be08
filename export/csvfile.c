/* csvfile: RFC 4180 CSV, written and read one row at a time (see
 * csvfile.h). The reader keeps one row's fields in a single buffer,
 * NUL-separated, and points the returned cells into it; every byte is
 * checked against the limits as it arrives, so no input can make it grow
 * past them. */
#include "csvfile.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../firmware/core/log.h"
#include "../firmware/core/mem.h"

#define CSVFILE_IO_BUF 65536

/* ---- writing ------------------------------------------------------------ */

struct CsvFileWriter {
    FILE *f;
    int n_cols;
    bool bad;   /* a write failed: the close reports it */
    char *path; /* for the log */
};

static void csvfile_put_field(FILE *f, const char *v)
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

static KsStatus csvfile_put_row(CsvFileWriter *w, const char *const *cells)
{
    for (int c = 0; c < w->n_cols; c++) {
        if (c)
            fputc(',', w->f);
        csvfile_put_field(w->f, cells[c]);
    }
    fputs("\r\n", w->f);
    if (ferror(w->f) && !w->bad) {
        LOG_ERROR("cannot write %s", w->path);
        w->bad = true;
    }
    return w->bad ? KS_ERR_IO : KS_OK;
}

CsvFileWriter *csvfile_writer_open(const char *path, const char *const *header, int n_cols)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        LOG_ERROR("cannot create %s: %s", path, strerror(errno));
        return NULL;
    }
    /* fewer, larger writes; the bytes are the same */
    setvbuf(f, NULL, _IOFBF, CSVFILE_IO_BUF);
    CsvFileWriter *w = xcalloc(1, sizeof *w);
    w->f = f;
    w->n_cols = n_cols;
    w->path = xstrdup(path);
    csvfile_put_row(w, header);
    return w;
}

KsStatus csvfile_writer_row(CsvFileWriter *w, const char *const *cells)
{
    if (w->bad)
        return KS_ERR_IO;
    return csvfile_put_row(w, cells);
}

KsStatus csvfile_writer_close(CsvFileWriter **wp)
{
    CsvFileWriter *w = wp ? *wp : NULL;
    if (!w)
        return KS_OK;
    *wp = NULL;
    bool bad = w->bad;
    bad |= fflush(w->f) != 0;
    /* the batch is copied to a stick from here: what is on disk must be
     * what was written */
    bad |= fsync(fileno(w->f)) != 0;
    bad |= fclose(w->f) != 0;
    if (bad && !w->bad)
        LOG_ERROR("cannot write %s: %s", w->path, strerror(errno));
    free(w->path);
    free(w);
    return bad ? KS_ERR_IO : KS_OK;
}

KsStatus csvfile_write_table(const DatasetTable *t, const char *path)
{
    const char **header = xcalloc((size_t)(t->n_cols ? t->n_cols : 1), sizeof *header);
    for (int c = 0; c < t->n_cols; c++)
        header[c] = t->cols[c].name;
    CsvFileWriter *w = csvfile_writer_open(path, header, t->n_cols);
    free(header);
    if (!w)
        return KS_ERR_IO;
    KsStatus ks = KS_OK;
    for (int r = 0; ks == KS_OK && r < t->n_rows; r++)
        ks = csvfile_writer_row(w, (const char *const *)t->cells + (size_t)r * (size_t)t->n_cols);
    KsStatus closed = csvfile_writer_close(&w);
    return ks != KS_OK ? ks : closed;
}

/* ---- reading ------------------------------------------------------------ */

struct CsvFileReader {
    FILE *f;
    unsigned char buf[CSVFILE_IO_BUF];
    size_t pos, len;
    bool eof;
    char *text; /* the row's fields, each NUL-terminated */
    size_t text_len, text_cap;
    size_t *starts;     /* offset of each field in text */
    const char **cells; /* what the caller gets */
    int cap_cells;
    long line;     /* line of the next byte (1-based) */
    long row_line; /* line the last row started on */
    KsStatus err;  /* sticky */
    char why[200];
};

CsvFileReader *csvfile_reader_open(const char *path, char *why, size_t size)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        const char *base = strrchr(path, '/');
        if (why && size)
            snprintf(why, size, "Die Datei %s kann nicht geöffnet werden (%s).",
                     base ? base + 1 : path, strerror(errno));
        return NULL;
    }
    CsvFileReader *r = xcalloc(1, sizeof *r);
    r->f = f;
    r->line = 1;
    r->text_cap = 1024;
    r->text = xmalloc(r->text_cap);
    r->cap_cells = 64;
    r->starts = xmalloc((size_t)r->cap_cells * sizeof *r->starts);
    r->cells = xmalloc((size_t)r->cap_cells * sizeof *r->cells);
    if (why && size)
        why[0] = '\0';
    return r;
}

void csvfile_reader_close(CsvFileReader **rp)
{
    CsvFileReader *r = rp ? *rp : NULL;
    if (!r)
        return;
    *rp = NULL;
    fclose(r->f);
    free(r->text);
    free(r->starts);
    free(r->cells);
    free(r);
}

const char *csvfile_reader_why(const CsvFileReader *r)
{
    return r->why;
}

long csvfile_reader_line(const CsvFileReader *r)
{
    return r->row_line;
}

/* The next byte without taking it, or EOF (also after a read error,
 * which sets r->err). */
static int csvfile_peek(CsvFileReader *r)
{
    if (r->pos == r->len) {
        if (r->eof)
            return EOF;
        r->len = fread(r->buf, 1, sizeof r->buf, r->f);
        r->pos = 0;
        if (r->len == 0) {
            r->eof = true;
            if (ferror(r->f)) {
                r->err = KS_ERR_IO;
                snprintf(r->why, sizeof r->why,
                         "Zeile %ld: die Datei konnte nicht gelesen "
                         "werden.",
                         r->line);
            }
            return EOF;
        }
    }
    return r->buf[r->pos];
}

static KsStatus csvfile_fail(CsvFileReader *r, KsStatus ks, const char *what)
{
    r->err = ks;
    snprintf(r->why, sizeof r->why, "Zeile %ld: %s", r->line, what);
    return ks;
}

/* Appends one byte to the current field (the field began at start). */
static KsStatus csvfile_add(CsvFileReader *r, int c, size_t start)
{
    if (c == '\0')
        return csvfile_fail(r, KS_ERR_PARSE, "ein Nullbyte steht in der Datei.");
    if (r->text_len - start >= CSVFILE_FIELD_MAX)
        return csvfile_fail(r, KS_ERR_LIMIT, "ein Feld ist länger als 64 KiB.");
    if (r->text_len >= CSVFILE_ROW_MAX)
        return csvfile_fail(r, KS_ERR_LIMIT, "die Zeile ist länger als 4 MiB.");
    if (r->text_len == r->text_cap) {
        r->text_cap *= 2;
        r->text = xrealloc(r->text, r->text_cap);
    }
    r->text[r->text_len++] = (char)c;
    return KS_OK;
}

/* Starts field number n of the row. */
static KsStatus csvfile_begin_field(CsvFileReader *r, int n)
{
    if (n >= CSVFILE_COLS_MAX)
        return csvfile_fail(r, KS_ERR_LIMIT, "die Zeile hat mehr als 4096 Felder.");
    if (n == r->cap_cells) {
        r->cap_cells *= 2;
        r->starts = xrealloc(r->starts, (size_t)r->cap_cells * sizeof *r->starts);
        r->cells = xrealloc(r->cells, (size_t)r->cap_cells * sizeof *r->cells);
    }
    r->starts[n] = r->text_len;
    return KS_OK;
}

/* Ends the current field. */
static void csvfile_end_field(CsvFileReader *r)
{
    if (r->text_len == r->text_cap) {
        r->text_cap *= 2;
        r->text = xrealloc(r->text, r->text_cap);
    }
    r->text[r->text_len++] = '\0';
}

/* Takes the line end at the reading position (CRLF, LF, or the end of the
 * file); true when there was one. */
static bool csvfile_line_end(CsvFileReader *r, KsStatus *ks)
{
    int c = csvfile_peek(r);
    *ks = KS_OK;
    if (c == EOF)
        return true;
    if (c == '\n') {
        r->pos++;
        r->line++;
        return true;
    }
    if (c == '\r') {
        r->pos++;
        if (csvfile_peek(r) != '\n') {
            *ks = csvfile_fail(r, KS_ERR_PARSE,
                               "ein Wagenrücklauf (CR) ohne Zeilenvorschub "
                               "(LF).");
            return true;
        }
        r->pos++;
        r->line++;
        return true;
    }
    return false;
}

/* Where a field may end: at a comma (*done false, another field follows)
 * or the end of the row (*done true). True when it ends here, with *ks the
 * outcome; false, reading nothing, when the field goes on. */
static bool csvfile_field_end(CsvFileReader *r, bool *done, KsStatus *ks)
{
    if (csvfile_peek(r) == ',') {
        r->pos++;
        *done = false;
        *ks = KS_OK;
        return true;
    }
    KsStatus le = KS_OK;
    if (!csvfile_line_end(r, &le))
        return false;
    *done = true;
    *ks = le != KS_OK ? le : r->err;
    return true;
}

/* Reads a quoted field (the opening quote is taken). *done is set when the
 * row ended after it. */
static KsStatus csvfile_quoted(CsvFileReader *r, size_t start, bool *done)
{
    long opened = r->line;
    for (;;) {
        int c = csvfile_peek(r);
        if (c == EOF) {
            if (r->err)
                return r->err;
            r->line = opened;
            return csvfile_fail(r, KS_ERR_PARSE,
                                "ein Anführungszeichen wird nicht "
                                "geschlossen.");
        }
        r->pos++;
        if (c == '"') {
            if (csvfile_peek(r) != '"')
                break;
            r->pos++;
        } else if (c == '\n') {
            r->line++;
        }
        KsStatus ks = csvfile_add(r, c, start);
        if (ks != KS_OK)
            return ks;
    }
    if (r->err)
        return r->err;
    KsStatus ks;
    if (csvfile_field_end(r, done, &ks))
        return ks;
    return csvfile_fail(r, KS_ERR_PARSE, "Text nach einem schließenden Anführungszeichen.");
}

/* Reads an unquoted field. *done is set when the row ended after it. */
static KsStatus csvfile_plain(CsvFileReader *r, size_t start, bool *done)
{
    for (;;) {
        int c = csvfile_peek(r);
        KsStatus ks;
        if (csvfile_field_end(r, done, &ks))
            return ks;
        if (c == '"')
            return csvfile_fail(r, KS_ERR_PARSE,
                                "ein Anführungszeichen mitten in einem Feld "
                                "ohne Anführungszeichen.");
        r->pos++;
        if ((ks = csvfile_add(r, c, start)) != KS_OK)
            return ks;
    }
}

KsStatus csvfile_reader_row(CsvFileReader *r, const char *const **cells, int *n)
{
    *cells = NULL;
    *n = 0;
    if (r->err)
        return r->err;
    if (r->line == 1 && r->pos == 0 && r->len == 0) {
        /* a byte order mark is not part of the first column's name */
        if (csvfile_peek(r) == 0xEF && r->len >= 3 && r->buf[1] == 0xBB && r->buf[2] == 0xBF)
            r->pos = 3;
    }
    if (csvfile_peek(r) == EOF)
        return r->err ? r->err : KS_ERR_NOT_FOUND;
    r->row_line = r->line;
    r->text_len = 0;
    int count = 0;
    for (bool done = false; !done; count++) {
        KsStatus ks = csvfile_begin_field(r, count);
        if (ks != KS_OK)
            return ks;
        size_t start = r->text_len;
        if (csvfile_peek(r) == '"') {
            r->pos++;
            ks = csvfile_quoted(r, start, &done);
        } else {
            ks = csvfile_plain(r, start, &done);
        }
        if (ks != KS_OK)
            return ks;
        csvfile_end_field(r);
    }
    for (int i = 0; i < count; i++)
        r->cells[i] = r->text + r->starts[i];
    *cells = r->cells;
    *n = count;
    return KS_OK;
}
