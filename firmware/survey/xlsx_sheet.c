/* xlsx_sheet: the sheets of an open book: finding them by name and reading
 * one worksheet part into a CsvTable (cell references, cell types, shared and
 * inline strings, numbers). It does not interpret the cells' meaning. */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xlsx_private.h"

#define XLSX_MAX_ROW 1048576 /* Excel's last row */
#define XLSX_MAX_COL 16384   /* Excel's last column, XFD */

/* ---- the list of sheets ------------------------------------------------ */

int xlsx_sheet_count(const XlsxBook *b)
{
    return b ? b->n_sheets : 0;
}

const char *xlsx_sheet_name(const XlsxBook *b, int i)
{
    if (!b || i < 0 || i >= b->n_sheets)
        return NULL;
    return b->sheets[i].name;
}

int xlsx_sheet_find(const XlsxBook *b, const char *name)
{
    for (int i = 0; b && name && i < b->n_sheets; i++) {
        const char *s = b->sheets[i].name;
        size_t k = 0;
        for (;; k++) {
            int c1 = (unsigned char)s[k], c2 = (unsigned char)name[k];
            if (c1 >= 'A' && c1 <= 'Z')
                c1 += 'a' - 'A';
            if (c2 >= 'A' && c2 <= 'Z')
                c2 += 'a' - 'A';
            if (c1 != c2)
                break;
            if (c1 == 0)
                return i;
        }
    }
    return -1;
}

/* ---- reading a worksheet ----------------------------------------------- */

typedef struct {
    XlsxBook *b;
    CsvTable *t;
    const char *sheet; /* printable name, for messages */
    int row;           /* 0-based row of the open <row>, -1 before the first */
    int col;           /* 0-based column of the latest cell, -1 at row start */
    int cell_row, cell_col;
    char type[16];
    bool in_cell, has_is;
    int is_depth, rph_depth;
} XlsxSheetRead;

/* "C7" for 0-based (row 6, col 2). */
static void xlsx_sheet_cell_name(int row, int col, char *buf, size_t size)
{
    char letters[8];
    int n = 0;
    for (int c = col + 1; c > 0 && n < (int)sizeof letters; c = (c - 1) / 26)
        letters[n++] = (char)('A' + (c - 1) % 26);
    size_t k = 0;
    while (n > 0 && k + 1 < size)
        buf[k++] = letters[--n];
    snprintf(buf + k, size - k, "%d", row + 1);
}

/* Parses "B7" into 0-based row and column; false unless it is a cell reference
 * within Excel's grid. */
static bool xlsx_sheet_parse_ref(const char *s, int *row, int *col)
{
    int c = 0, r = 0, i = 0;
    for (; (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z'); i++) {
        c = c * 26 + ((s[i] | 0x20) - 'a' + 1);
        if (i >= 3 || c > XLSX_MAX_COL)
            return false;
    }
    int digits_from = i;
    for (; s[i] >= '0' && s[i] <= '9'; i++) {
        r = r * 10 + (s[i] - '0');
        if (r > XLSX_MAX_ROW)
            return false;
    }
    if (s[i] != '\0' || r < 1 || (digits_from > 0 && c < 1))
        return false;
    *row = r - 1;
    *col = c - 1; /* -1 when the reference is a bare row number */
    return true;
}

static void xlsx_sheet_cell_overflow(XlsxXml *x)
{
    XlsxSheetRead *s = x->user;
    char cell[16];
    xlsx_sheet_cell_name(s->cell_row, s->cell_col, cell, sizeof cell);
    xlsx_xml_fail(x, KS_ERR_LIMIT, "cell %s of sheet %s is longer than %d bytes", cell, s->sheet,
                  CSV_MAX_FIELD);
}

static void xlsx_sheet_start(XlsxXml *x, XlsxTag tag, const char **attrs)
{
    XlsxSheetRead *s = x->user;
    const char *ref;
    int r, c;
    char shown[32];
    switch (tag) {
    case XLSX_TAG_ROW:
        if (xlsx_xml_parent(x) != XLSX_TAG_SHEETDATA)
            return;
        ref = xlsx_xml_attr(attrs, "r");
        if (!ref) {
            r = s->row + 1;
        } else if (!xlsx_sheet_parse_ref(ref, &r, &c) || c != -1) {
            xlsx_xml_fail(x, KS_ERR_PARSE, "sheet %s has a bad row number \"%s\"", s->sheet,
                          xlsx_printable(ref, shown, sizeof shown));
            return;
        }
        if (r >= XLSX_MAX_ROW) {
            xlsx_xml_fail(x, KS_ERR_PARSE, "sheet %s has more rows than Excel allows", s->sheet);
            return;
        }
        s->row = r;
        s->col = -1;
        return;
    case XLSX_TAG_C:
        if (xlsx_xml_parent(x) != XLSX_TAG_ROW)
            return;
        ref = xlsx_xml_attr(attrs, "r");
        if (!ref) {
            r = s->row < 0 ? 0 : s->row;
            c = s->col + 1;
            if (c >= XLSX_MAX_COL) {
                xlsx_xml_fail(x, KS_ERR_PARSE, "sheet %s has more columns than Excel allows",
                              s->sheet);
                return;
            }
        } else if (!xlsx_sheet_parse_ref(ref, &r, &c) || c < 0) {
            xlsx_xml_fail(x, KS_ERR_PARSE, "sheet %s has a bad cell reference \"%s\"", s->sheet,
                          xlsx_printable(ref, shown, sizeof shown));
            return;
        }
        s->cell_row = r;
        s->cell_col = s->col = c;
        const char *type = xlsx_xml_attr(attrs, "t");
        snprintf(s->type, sizeof s->type, "%s", type ? type : "n");
        s->in_cell = true;
        s->has_is = false;
        s->is_depth = s->rph_depth = 0;
        xlsx_xml_text_reset(x);
        return;
    case XLSX_TAG_V:
        x->collect = s->in_cell && xlsx_xml_parent(x) == XLSX_TAG_C;
        return;
    case XLSX_TAG_IS:
        if (s->in_cell) {
            s->is_depth++;
            s->has_is = true;
        }
        return;
    case XLSX_TAG_RPH:
        s->rph_depth++;
        return;
    case XLSX_TAG_T:
        x->collect = s->is_depth > 0 && s->rph_depth == 0;
        return;
    default:
        return;
    }
}

/* Writes a numeric cell's stored text into buf: as is, unless it carries an
 * exponent or more digits than a double holds (binary-float tails). */
static const char *xlsx_sheet_number(const char *v, char *buf, size_t size)
{
    int sig = 0;
    bool exp = false, leading = true;
    for (const char *p = v; *p; p++) {
        if (*p == 'e' || *p == 'E')
            exp = true;
        else if (*p >= '1' && *p <= '9')
            sig++, leading = false;
        else if (*p == '0' && !leading)
            sig++;
    }
    if (!exp && sig <= 15)
        return v;
    char *end = NULL;
    double d = strtod(v, &end);
    if (end == v || *end != '\0' || !isfinite(d))
        return v;
    snprintf(buf, size, "%.15g", d);
    return buf;
}

/* The text of the cell just closed; NULL after a failure. */
static const char *xlsx_sheet_cell_value(XlsxXml *x, XlsxSheetRead *s, char *num, size_t numsz)
{
    const char *v = x->text;
    x->text[x->text_len] = '\0';
    char cell[16];
    xlsx_sheet_cell_name(s->cell_row, s->cell_col, cell, sizeof cell);
    if (s->has_is || strcmp(s->type, "inlineStr") == 0 || strcmp(s->type, "str") == 0)
        return v;
    if (strcmp(s->type, "e") == 0)
        return "";
    if (strcmp(s->type, "b") == 0)
        return strcmp(v, "1") == 0 ? "true" : strcmp(v, "0") == 0 ? "false" : v;
    if (strcmp(s->type, "s") == 0) {
        if (!v[0])
            return "";
        char *end = NULL;
        errno = 0;
        unsigned long idx = strtoul(v, &end, 10);
        if (v[0] < '0' || v[0] > '9' || *end != '\0' || errno ||
            idx >= (unsigned long)s->b->n_sst) {
            xlsx_xml_fail(x, KS_ERR_PARSE,
                          "cell %s of sheet %s refers to a text the workbook "
                          "does not have",
                          cell, s->sheet);
            return NULL;
        }
        const char *text = s->b->sst[idx];
        if (text == xlsx_too_long) {
            xlsx_sheet_cell_overflow(x);
            return NULL;
        }
        return text;
    }
    if (strcmp(s->type, "n") == 0)
        return xlsx_sheet_number(v, num, numsz);
    return v; /* "d" (ISO dates) and types Excel may add later */
}

static void xlsx_sheet_end(XlsxXml *x, XlsxTag tag)
{
    XlsxSheetRead *s = x->user;
    switch (tag) {
    case XLSX_TAG_V:
    case XLSX_TAG_T:
        x->collect = false;
        return;
    case XLSX_TAG_IS:
        if (s->is_depth > 0)
            s->is_depth--;
        return;
    case XLSX_TAG_RPH:
        if (s->rph_depth > 0)
            s->rph_depth--;
        return;
    case XLSX_TAG_C:
        break;
    default:
        return;
    }
    if (!s->in_cell || xlsx_xml_parent(x) != XLSX_TAG_ROW)
        return;
    s->in_cell = false;
    x->collect = false;
    char num[32], cell[16];
    const char *v = xlsx_sheet_cell_value(x, s, num, sizeof num);
    if (!v || !v[0])
        return;
    size_t n = strlen(v);
    KsStatus ks = csv_set(s->t, s->cell_row, s->cell_col, v, n);
    if (ks == KS_OK)
        return;
    xlsx_sheet_cell_name(s->cell_row, s->cell_col, cell, sizeof cell);
    if (n > CSV_MAX_FIELD)
        xlsx_sheet_cell_overflow(x);
    else if (s->cell_row >= CSV_MAX_ROWS)
        xlsx_xml_fail(x, KS_ERR_LIMIT, "sheet %s has more than %d rows (cell %s)", s->sheet,
                      CSV_MAX_ROWS, cell);
    else
        xlsx_xml_fail(x, KS_ERR_LIMIT, "cell %s of sheet %s is beyond the last column read (%d)",
                      cell, s->sheet, CSV_MAX_COLS);
}

KsStatus xlsx_sheet_read(XlsxBook *b, int i, CsvTable **out, char *err, size_t errsz)
{
    *out = NULL;
    if (err && errsz)
        err[0] = '\0';
    if (!b || i < 0 || i >= b->n_sheets)
        return xlsx_error(err, errsz, KS_ERR_INVALID, "the workbook has no sheet number %d", i + 1);
    char shown[96], what[128];
    XlsxSheetRead s = {
        .b = b,
        .t = csv_create(),
        .sheet = xlsx_printable(b->sheets[i].name, shown, sizeof shown),
        .row = -1,
        .col = -1,
    };
    snprintf(what, sizeof what, "sheet %s", s.sheet);
    XlsxXml x = {
        .on_start = xlsx_sheet_start,
        .on_end = xlsx_sheet_end,
        .on_overflow = xlsx_sheet_cell_overflow,
        .user = &s,
    };
    KsStatus ks = xlsx_xml_read_part(b, b->sheets[i].entry, &x, what, err, errsz);
    if (ks != KS_OK) {
        csv_destroy(s.t);
        return ks;
    }
    *out = s.t;
    return KS_OK;
}
