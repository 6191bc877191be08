/* form_diag: a growable list of located messages about one form. It only
 * formats and stores them; deciding what is an error is the loader's job. */
#include "form_diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../core/mem.h"

#define FORM_DIAG_MSG_MAX 512

typedef struct {
    bool is_error;
    char *text;
    size_t loc_len; /* bytes of "FILE:SHEET:ROW:COLUMN: " at the start of text */
} FormDiagEntry;

struct FormDiag {
    FormDiagEntry *items;
    int n, cap, n_errors;
};

FormDiag *form_diag_create(void)
{
    return xcalloc(1, sizeof(FormDiag));
}

void form_diag_destroy(FormDiag *d)
{
    if (!d)
        return;
    for (int i = 0; i < d->n; i++)
        free(d->items[i].text);
    free(d->items);
    free(d);
}

/* Appends "part:" to the location when the part is present. */
static size_t form_diag_put_part(char *buf, size_t size, size_t at, const char *part)
{
    if (!part || !part[0] || at >= size)
        return at;
    int n = snprintf(buf + at, size - at, "%s:", part);
    return n < 0 ? at : at + (size_t)n;
}

void form_diag_add(FormDiag *d, bool is_error, const char *file, const char *sheet, int row,
                   const char *column, const char *fmt, ...)
{
    if (!d)
        return;
    char buf[FORM_DIAG_MSG_MAX];
    char rowbuf[16] = "";
    if (row > 0)
        snprintf(rowbuf, sizeof rowbuf, "%d", row);
    size_t at = 0;
    buf[0] = '\0';
    at = form_diag_put_part(buf, sizeof buf, at, file);
    at = form_diag_put_part(buf, sizeof buf, at, sheet);
    at = form_diag_put_part(buf, sizeof buf, at, rowbuf);
    at = form_diag_put_part(buf, sizeof buf, at, column);
    if (at > 0 && at + 1 < sizeof buf)
        buf[at++] = ' ';
    if (at < sizeof buf) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(buf + at, sizeof buf - at, fmt, ap);
        va_end(ap);
    }
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 16;
        d->items = xrealloc(d->items, (size_t)d->cap * sizeof *d->items);
    }
    d->items[d->n].is_error = is_error;
    d->items[d->n].text = xstrdup(buf);
    d->items[d->n].loc_len = at < sizeof buf ? at : 0;
    d->n++;
    if (is_error)
        d->n_errors++;
}

int form_diag_count(const FormDiag *d)
{
    return d ? d->n : 0;
}

int form_diag_errors(const FormDiag *d)
{
    return d ? d->n_errors : 0;
}

const char *form_diag_message(const FormDiag *d, int i)
{
    if (!d || i < 0 || i >= d->n)
        return "";
    return d->items[i].text;
}

bool form_diag_is_error(const FormDiag *d, int i)
{
    return d && i >= 0 && i < d->n && d->items[i].is_error;
}

void form_diag_print(const FormDiag *d, FILE *out)
{
    if (!d)
        return;
    for (int i = 0; i < d->n; i++)
        fprintf(out, "%.*s%s%s\n", (int)d->items[i].loc_len, d->items[i].text,
                d->items[i].is_error ? "" : "warning: ", d->items[i].text + d->items[i].loc_len);
}
