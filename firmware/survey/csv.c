/* csv: RFC 4180 parsing into one arena per table. Owns the tokenizer and the
 * limits; it does not trim, interpret headers or know about forms. */
#include "csv.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/arena.h"
#include "../core/log.h"
#include "../core/mem.h"

typedef struct {
    int n_cells, cap_cells;
    const char **cells;
} CsvRow;

struct CsvTable {
    Arena *arena;
    CsvRow *rows;
    int n_rows, cap_rows;
};

/* The parser's working state: the field being built and the row's cells. */
typedef struct {
    CsvTable *t;
    char *field;
    size_t field_len, field_cap;
    const char **cells;
    int n_cells;
    int row; /* 1-based number of the row being read */
} CsvParser;

static void csv_set_error(char *err, size_t errsz, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void csv_set_error(char *err, size_t errsz, const char *fmt, ...)
{
    char msg[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    LOG_WARN("csv: %s", msg);
    if (err && errsz)
        snprintf(err, errsz, "%s", msg);
}

static KsStatus csv_push_byte(CsvParser *p, char c)
{
    if (p->field_len >= CSV_MAX_FIELD)
        return KS_ERR_LIMIT;
    if (p->field_len + 1 >= p->field_cap) {
        p->field_cap = p->field_cap ? p->field_cap * 2 : 256;
        p->field = xrealloc(p->field, p->field_cap);
    }
    p->field[p->field_len++] = c;
    return KS_OK;
}

static KsStatus csv_end_field(CsvParser *p)
{
    if (p->n_cells >= CSV_MAX_COLS)
        return KS_ERR_LIMIT;
    p->cells[p->n_cells++] = arena_strndup(p->t->arena, p->field ? p->field : "", p->field_len);
    p->field_len = 0;
    return KS_OK;
}

static KsStatus csv_end_row(CsvParser *p)
{
    CsvTable *t = p->t;
    if (t->n_rows >= CSV_MAX_ROWS)
        return KS_ERR_LIMIT;
    if (t->n_rows == t->cap_rows) {
        t->cap_rows = t->cap_rows ? t->cap_rows * 2 : 64;
        t->rows = xrealloc(t->rows, (size_t)t->cap_rows * sizeof *t->rows);
    }
    CsvRow *r = &t->rows[t->n_rows++];
    r->n_cells = p->n_cells;
    r->cap_cells = p->n_cells;
    r->cells = NULL;
    if (p->n_cells > 0) {
        r->cells = arena_alloc(t->arena, (size_t)p->n_cells * sizeof *r->cells);
        memcpy(r->cells, p->cells, (size_t)p->n_cells * sizeof *r->cells);
    }
    p->n_cells = 0;
    p->row++;
    return KS_OK;
}

/* Reads one field starting at *pos; on return *pos is at the separator
 * (',' or line end) or at len. */
static KsStatus csv_read_field(CsvParser *p, const char *buf, size_t len, size_t *pos)
{
    size_t i = *pos;
    KsStatus ks = KS_OK;
    if (i < len && buf[i] == '"') {
        i++;
        for (;;) {
            if (i >= len) {
                *pos = i;
                return KS_ERR_PARSE;
            }
            if (buf[i] == '"') {
                if (i + 1 < len && buf[i + 1] == '"') {
                    ks = csv_push_byte(p, '"');
                    i += 2;
                } else {
                    i++;
                    break;
                }
            } else {
                ks = csv_push_byte(p, buf[i++]);
            }
            if (ks != KS_OK)
                return ks;
        }
    }
    while (i < len && buf[i] != ',' && buf[i] != '\n' && buf[i] != '\r') {
        ks = csv_push_byte(p, buf[i++]);
        if (ks != KS_OK)
            return ks;
    }
    *pos = i;
    return KS_OK;
}

static KsStatus csv_run(CsvParser *p, const char *buf, size_t len, char *err, size_t errsz)
{
    size_t i = 0;
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len) {
        if (buf[i] == '\n' || buf[i] == '\r') {
            /* An empty line: a row without cells. */
            i += (buf[i] == '\r' && i + 1 < len && buf[i + 1] == '\n') ? 2 : 1;
        } else {
            for (;;) {
                KsStatus ks = csv_read_field(p, buf, len, &i);
                if (ks == KS_ERR_PARSE) {
                    csv_set_error(err, errsz, "row %d: quoted field is never closed", p->row);
                    return ks;
                }
                if (ks == KS_ERR_LIMIT) {
                    csv_set_error(err, errsz, "row %d: a field is longer than %d bytes", p->row,
                                  CSV_MAX_FIELD);
                    return ks;
                }
                if (csv_end_field(p) != KS_OK) {
                    csv_set_error(err, errsz, "row %d: more than %d columns", p->row, CSV_MAX_COLS);
                    return KS_ERR_LIMIT;
                }
                if (i < len && buf[i] == ',') {
                    i++;
                    continue;
                }
                break;
            }
            if (i < len)
                i += (buf[i] == '\r' && i + 1 < len && buf[i + 1] == '\n') ? 2 : 1;
        }
        if (csv_end_row(p) != KS_OK) {
            csv_set_error(err, errsz, "row %d: more than %d rows", p->row, CSV_MAX_ROWS);
            return KS_ERR_LIMIT;
        }
    }
    return KS_OK;
}

KsStatus csv_parse(const char *buf, size_t len, CsvTable **out, char *err, size_t errsz)
{
    *out = NULL;
    if (err && errsz)
        err[0] = '\0';
    CsvTable *t = csv_create();
    CsvParser p = {.t = t, .row = 1};
    p.cells = xmalloc(CSV_MAX_COLS * sizeof *p.cells);
    KsStatus ks = csv_run(&p, buf ? buf : "", buf ? len : 0, err, errsz);
    free(p.field);
    free(p.cells);
    if (ks != KS_OK) {
        csv_destroy(t);
        return ks;
    }
    *out = t;
    return KS_OK;
}

CsvTable *csv_create(void)
{
    CsvTable *t = xcalloc(1, sizeof *t);
    t->arena = arena_create(0);
    return t;
}

/* A capacity that holds index i: cap (first when there is none yet),
 * doubled as often as needed. */
static int csv_cap_for(int cap, int first, int i)
{
    cap = cap ? cap : first;
    while (cap <= i)
        cap *= 2;
    return cap;
}

/* Makes rows 0..row exist; the new ones have no cells. */
static void csv_grow_rows(CsvTable *t, int row)
{
    if (row < t->n_rows)
        return;
    if (row >= t->cap_rows) {
        t->cap_rows = csv_cap_for(t->cap_rows, 64, row);
        t->rows = xrealloc(t->rows, (size_t)t->cap_rows * sizeof *t->rows);
    }
    memset(&t->rows[t->n_rows], 0, (size_t)(row + 1 - t->n_rows) * sizeof *t->rows);
    t->n_rows = row + 1;
}

/* Makes cells 0..col of r exist; the new ones are "". Old cell arrays stay in
 * the arena: doubling keeps the waste below the final size. */
static void csv_grow_cells(CsvTable *t, CsvRow *r, int col)
{
    if (col < r->n_cells)
        return;
    if (col >= r->cap_cells) {
        int cap = csv_cap_for(r->cap_cells, 8, col);
        const char **cells = arena_alloc(t->arena, (size_t)cap * sizeof *cells);
        if (r->n_cells > 0)
            memcpy(cells, r->cells, (size_t)r->n_cells * sizeof *cells);
        r->cells = cells;
        r->cap_cells = cap;
    }
    for (int c = r->n_cells; c <= col; c++)
        r->cells[c] = "";
    r->n_cells = col + 1;
}

KsStatus csv_set(CsvTable *t, int row, int col, const char *s, size_t n)
{
    if (!t || row < 0 || col < 0 || (!s && n > 0))
        return KS_ERR_INVALID;
    if (row >= CSV_MAX_ROWS || col >= CSV_MAX_COLS || n > CSV_MAX_FIELD)
        return KS_ERR_LIMIT;
    csv_grow_rows(t, row);
    CsvRow *r = &t->rows[row];
    csv_grow_cells(t, r, col);
    r->cells[col] = n ? arena_strndup(t->arena, s, n) : "";
    return KS_OK;
}

void csv_destroy(CsvTable *t)
{
    if (!t)
        return;
    arena_destroy(t->arena);
    free(t->rows);
    free(t);
}

int csv_rows(const CsvTable *t)
{
    return t ? t->n_rows : 0;
}

int csv_cols(const CsvTable *t, int row)
{
    if (!t || row < 0 || row >= t->n_rows)
        return 0;
    return t->rows[row].n_cells;
}

const char *csv_cell(const CsvTable *t, int row, int col)
{
    if (!t || row < 0 || row >= t->n_rows || col < 0 || col >= t->rows[row].n_cells)
        return "";
    return t->rows[row].cells[col];
}

int csv_row_number(const CsvTable *t, int row)
{
    (void)t;
    return row + 1;
}
