/* form_load: maps the three sheets of an XLSForm (survey, choices, settings),
 * whatever container they came from, onto the Form model: rows to questions,
 * groups and choice lists, settings to the form's identity, and every
 * problem to a located diagnostic. Type, appearance and expression cells are
 * parsed in form_load_types.c; header cells in form_load_header.c. */
#include <stdarg.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/log.h"
#include "../core/mem.h"
#include "../core/str.h"
#include "form_csv.h"
#include "form_load.h"
#include "form_load_private.h"
#include "form_xlsx.h"

#define FORM_LOAD_MAX_GROUP_DEPTH 16
#define FORM_LOAD_TEXT_MAX_LENGTH 300 /* characters of a free-text answer */

static const char *const form_load_sheet_names[FORM_SHEETS] = {"settings", "survey", "choices"};

void form_load_begin(FormLoader *L, FormDiag *diag)
{
    memset(L, 0, sizeof *L);
    L->diag = diag;
    L->f = form_create();
    L->tmp = arena_create(0);
    for (int i = 0; i < FORM_SHEETS; i++) {
        L->sheets[i].name = form_load_sheet_names[i];
        L->sheets[i].file = "";
        for (int r = 0; r < FORM_COL_COUNT; r++)
            L->sheets[i].scalar[r] = -1;
    }
}

KsStatus form_load_end(FormLoader *L, Form **out)
{
    *out = NULL;
    for (int i = 0; i < FORM_SHEETS; i++)
        csv_destroy(L->sheets[i].table);
    arena_destroy(L->tmp);
    if (L->fail != KS_OK) {
        form_destroy(L->f);
        return L->fail;
    }
    *out = L->f;
    return KS_OK;
}

void form_load_report(FormLoader *L, KsStatus ks, FormSheetId sh, int row, const char *col,
                      const char *fmt, ...)
{
    char msg[384];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (L->diag)
        form_diag_add(L->diag, ks != KS_OK, L->sheets[sh].file, L->sheets[sh].name, row, col, "%s",
                      msg);
    if (ks != KS_OK && L->fail == KS_OK)
        L->fail = ks;
}

char *form_load_value(FormLoader *L, FormSheetId sh, int row, int col)
{
    if (col < 0 || !L->sheets[sh].table)
        return arena_strdup(L->tmp, "");
    return str_trim(arena_strdup(L->tmp, csv_cell(L->sheets[sh].table, row, col)));
}

int form_load_row_number(const FormLoader *L, FormSheetId sh, int row)
{
    return L->sheets[sh].table ? csv_row_number(L->sheets[sh].table, row) : row + 1;
}

bool form_load_row_blank(const FormLoader *L, FormSheetId sh, int row)
{
    const CsvTable *t = L->sheets[sh].table;
    for (int c = 0; c < csv_cols(t, row); c++)
        for (const char *p = csv_cell(t, row, c); *p; p++)
            if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
                return false;
    return true;
}

/* The language-carrying texts of one row. */
typedef struct {
    FormText label, hint, image, audio, required_msg, constraint_msg, title;
} FormRowTexts;

static FormText *form_load_text_slot(FormRowTexts *t, FormColRole role)
{
    switch (role) {
    case FORM_COL_LABEL:
        return &t->label;
    case FORM_COL_HINT:
        return &t->hint;
    case FORM_COL_IMAGE:
        return &t->image;
    case FORM_COL_AUDIO:
        return &t->audio;
    case FORM_COL_REQUIRED_MSG:
        return &t->required_msg;
    case FORM_COL_CONSTRAINT_MSG:
        return &t->constraint_msg;
    case FORM_COL_FORM_TITLE:
        return &t->title;
    default:
        return NULL;
    }
}

static bool form_load_path_escapes(const char *v)
{
    size_t n = strlen(v);
    return v[0] == '/' || strchr(v, '\\') || strcmp(v, "..") == 0 || strncmp(v, "../", 3) == 0 ||
           strstr(v, "/../") || (n >= 3 && strcmp(v + n - 3, "/..") == 0);
}

/* A media cell: a path inside the form's folder, or a bare name of the
 * kiosk's own picture library. NULL (reported) when it leaves the folder. */
static const char *form_load_media(FormLoader *L, FormSheetId sh, int row, const FormCol *col,
                                   const char *v)
{
    if (form_load_path_escapes(v)) {
        form_load_report(L, KS_ERR_INVALID, sh, form_load_row_number(L, sh, row), col->header,
                         "the file \"%s\" must be inside the form's folder", v);
        return NULL;
    }
    size_t n = strlen(L->dir) + 1 + strlen(v) + 1;
    char *p = arena_alloc(L->f->arena, n);
    snprintf(p, n, "%s/%s", L->dir, v);
    /* A bare picture name that the form folder does not hold names a picture
     * of the kiosk's own library (assets/icons), so forms can use the shipped
     * pictograms without copying them. */
    if (col->role == FORM_COL_IMAGE && !strchr(v, '/') && access(p, R_OK) != 0) {
        /* "sport" is short for the library's "sport.svg". */
        bool bare = !strchr(v, '.');
        size_t m = strlen(v) + 5;
        char *name = arena_alloc(L->f->arena, m);
        snprintf(name, m, "%s%s", v, bare ? ".svg" : "");
        return name;
    }
    if (col->role == FORM_COL_AUDIO && access(p, R_OK) != 0)
        form_load_report(L, KS_OK, sh, form_load_row_number(L, sh, row), col->header,
                         "the sound file \"%s\" is not in the form's folder; speech is "
                         "synthesised instead",
                         v);
    return p;
}

/* Labels written for ODK may carry markdown or HTML. The kiosk shows plain
 * text: emphasis marks and tags are dropped, and a link keeps only its text
 * (a kiosk has no browser), which the author is told about. */
static char *form_load_plain_text(FormLoader *L, FormSheetId sh, int row, const FormCol *col,
                                  const char *v)
{
    size_t n = strlen(v);
    char *out = arena_alloc(L->f->arena, n + 1);
    size_t o = 0;
    bool link = false, html = false;
    for (size_t i = 0; i < n;) {
        if ((v[i] == '*' && v[i + 1] == '*') || (v[i] == '_' && v[i + 1] == '_')) {
            i += 2;
            continue;
        }
        if (v[i] == '[') {
            const char *close = strchr(v + i, ']');
            if (close && close[1] == '(' && strchr(close, ')')) {
                memcpy(out + o, v + i + 1, (size_t)(close - v - i - 1));
                o += (size_t)(close - v - i - 1);
                i = (size_t)(strchr(close, ')') - v) + 1;
                link = true;
                continue;
            }
        }
        if (v[i] == '<') {
            const char *close = strchr(v + i, '>');
            bool tag = close && (isalpha((unsigned char)v[i + 1]) || v[i + 1] == '/');
            if (tag) {
                link = link || strncasecmp(v + i, "<a ", 3) == 0;
                html = true;
                i = (size_t)(close - v) + 1;
                continue;
            }
        }
        out[o++] = v[i++];
    }
    out[o] = '\0';
    if (link || html)
        form_load_report(L, KS_OK, sh, form_load_row_number(L, sh, row), col->header, "%s",
                         link ? "the kiosk cannot open links: only the link's text is shown"
                              : "HTML tags are not shown on the kiosk");
    return out;
}

static void form_load_fill_all(const Form *f, FormText *t, const char *v)
{
    for (int i = 0; i < f->n_langs; i++)
        if (!t->s[i])
            t->s[i] = v;
}

/* Reads the language columns of one row, and refuses cells in columns whose
 * meaning the kiosk cannot honour. */
static void form_load_read_texts(FormLoader *L, FormSheetId sh, int row, FormRowTexts *out)
{
    FormSheet *s = &L->sheets[sh];
    FormRowTexts all;
    memset(out, 0, sizeof *out);
    memset(&all, 0, sizeof all);
    for (int c = 0; c < s->n_cols; c++) {
        const FormCol *col = &s->cols[c];
        if (col->role != FORM_COL_UNSUPPORTED && col->role < FORM_COL_LABEL)
            continue;
        char *v = form_load_value(L, sh, row, c);
        if (!v[0])
            continue;
        if (col->role == FORM_COL_UNSUPPORTED) {
            form_load_report(L, KS_ERR_UNSUPPORTED, sh, form_load_row_number(L, sh, row),
                             col->header, "the column \"%s\" is not supported by the kiosk",
                             col->header);
            continue;
        }
        /* Plain columns are read into slot 0 of a scratch text, then spread. */
        bool plain = col->lang == FORM_LANG_ALL;
        FormText *t = form_load_text_slot(plain ? &all : out, col->role);
        if (!t)
            continue;
        const char *text = v;
        if (col->role == FORM_COL_IMAGE || col->role == FORM_COL_AUDIO)
            text = form_load_media(L, sh, row, col, v);
        else
            text = form_load_plain_text(L, sh, row, col, v);
        if (text)
            t->s[plain ? 0 : col->lang] = text;
    }
    for (FormColRole r = FORM_COL_LABEL; r < FORM_COL_COUNT; r++) {
        FormText *a = form_load_text_slot(&all, r);
        if (a && a->s[0])
            form_load_fill_all(L->f, form_load_text_slot(out, r), a->s[0]);
    }
}

/* Reports languages that have a label column but no text in this row. */
static void form_load_check_labels(FormLoader *L, FormSheetId sh, int row, const char *what,
                                   const char *name, const FormText *label, const FormText *image)
{
    const FormSheet *s = &L->sheets[sh];
    int rn = form_load_row_number(L, sh, row);
    bool any = false;
    for (int i = 0; i < FORM_MAX_LANGS; i++)
        any = any || (label->s[i] != NULL) || (image->s[i] != NULL);
    if (!any) {
        form_load_report(L, KS_OK, sh, rn, NULL, "%s \"%s\" has no label and no picture", what,
                         name);
        return;
    }
    for (int c = 0; c < s->n_cols; c++) {
        const FormCol *col = &s->cols[c];
        if (col->role == FORM_COL_LABEL && col->lang >= 0 && !label->s[col->lang] &&
            !image->s[col->lang])
            form_load_report(L, KS_OK, sh, rn, col->header,
                             "%s \"%s\" has no label in %s; another language is shown", what, name,
                             L->f->langs[col->lang].name);
    }
}

static bool form_load_name_ok(const char *n)
{
    const unsigned char *p = (const unsigned char *)n;
    if (!(*p == '_' || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p >= 0x80))
        return false;
    for (p++; *p; p++) {
        bool ok = *p == '_' || *p == '-' || *p == '.' || (*p >= '0' && *p <= '9') ||
                  (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p >= 0x80;
        if (!ok)
            return false;
    }
    return true;
}

/* Columns of the choices sheet that belong to no XLSForm role: the values a
 * choice_filter can test. */
static int form_load_extra_cols(FormLoader *L, int *cols)
{
    const FormSheet *s = &L->sheets[FORM_SHEET_CHOICES];
    int n = 0;
    for (int c = 0; c < s->n_cols; c++)
        if (s->cols[c].role == FORM_COL_OTHER && s->cols[c].header[0] &&
            form_load_name_ok(s->cols[c].header))
            cols[n++] = c;
    return n;
}

typedef struct {
    int list;
    int row;
    FormChoice choice;
} FormChoiceRow;

static void form_load_build_lists(FormLoader *L)
{
    FormSheet *s = &L->sheets[FORM_SHEET_CHOICES];
    int rows = s->present ? csv_rows(s->table) : 0;
    if (rows < 2)
        return;
    int c_list = s->scalar[FORM_COL_LIST_NAME], c_name = s->scalar[FORM_COL_NAME];
    if (c_list < 0 || c_name < 0) {
        form_load_report(L, KS_ERR_INVALID, FORM_SHEET_CHOICES, 1, NULL,
                         "the choices sheet needs the columns list_name and name");
        return;
    }
    Form *f = L->f;
    int *extra = arena_alloc(L->tmp, CSV_MAX_COLS * sizeof *extra);
    int n_extra = form_load_extra_cols(L, extra);
    const char **extra_names = arena_alloc(f->arena, (size_t)(n_extra + 1) * sizeof(char *));
    for (int e = 0; e < n_extra; e++)
        extra_names[e] = arena_strdup(f->arena, s->cols[extra[e]].header);
    FormChoiceRow *items = arena_alloc(L->tmp, (size_t)rows * sizeof *items);
    const char **names = arena_alloc(L->tmp, (size_t)rows * sizeof *names);
    int n_items = 0, n_lists = 0;
    for (int r = 1; r < rows; r++) {
        if (form_load_row_blank(L, FORM_SHEET_CHOICES, r))
            continue;
        int rn = form_load_row_number(L, FORM_SHEET_CHOICES, r);
        char *list = form_load_value(L, FORM_SHEET_CHOICES, r, c_list);
        char *name = form_load_value(L, FORM_SHEET_CHOICES, r, c_name);
        if (!list[0] || !name[0]) {
            form_load_report(L, KS_ERR_INVALID, FORM_SHEET_CHOICES, rn,
                             s->cols[list[0] ? c_name : c_list].header, "the %s is missing",
                             list[0] ? "choice name" : "list name");
            continue;
        }
        int l = 0;
        while (l < n_lists && strcmp(names[l], list) != 0)
            l++;
        if (l == n_lists)
            names[n_lists++] = list;
        FormChoiceRow *it = &items[n_items];
        memset(it, 0, sizeof *it);
        it->list = l;
        it->row = rn;
        bool dup = false;
        for (int j = 0; j < n_items && !dup && !L->allow_duplicates; j++) {
            if (items[j].list == l && strcmp(items[j].choice.name, name) == 0) {
                form_load_report(L, KS_ERR_INVALID, FORM_SHEET_CHOICES, rn, s->cols[c_name].header,
                                 "the list \"%s\" has the choice \"%s\" twice (first on row %d)",
                                 list, name, items[j].row);
                dup = true;
            }
        }
        if (dup)
            continue;
        FormRowTexts t;
        form_load_read_texts(L, FORM_SHEET_CHOICES, r, &t);
        it->choice.name = arena_strdup(f->arena, name);
        it->choice.label = t.label;
        it->choice.image = t.image;
        it->choice.row = rn;
        it->choice.extra = arena_alloc(f->arena, (size_t)(n_extra + 1) * sizeof(char *));
        for (int e = 0; e < n_extra; e++)
            it->choice.extra[e] =
                arena_strdup(f->arena, form_load_value(L, FORM_SHEET_CHOICES, r, extra[e]));
        form_load_check_labels(L, FORM_SHEET_CHOICES, r, "choice", name, &t.label, &t.image);
        n_items++;
    }
    f->lists = arena_alloc(f->arena, (size_t)(n_lists ? n_lists : 1) * sizeof *f->lists);
    f->n_lists = n_lists;
    for (int l = 0; l < n_lists; l++) {
        FormList *fl = &f->lists[l];
        fl->name = arena_strdup(f->arena, names[l]);
        fl->extra_cols = extra_names;
        fl->n_extra_cols = n_extra;
        for (int j = 0; j < n_items; j++)
            fl->n_choices += items[j].list == l;
        FormChoice *ch = arena_alloc(f->arena, (size_t)(fl->n_choices + 1) * sizeof *ch);
        int k = 0;
        for (int j = 0; j < n_items; j++)
            if (items[j].list == l)
                ch[k++] = items[j].choice;
        fl->choices = ch;
    }
}

static bool form_load_parse_required(FormLoader *L, int row, const char *header, const char *v)
{
    static const char *const yes[] = {"yes", "true", "1", "true()", "ja", "y"};
    static const char *const no[] = {"", "no", "false", "0", "false()", "nein", "n"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        if (str_eq_nocase(v, yes[i]))
            return true;
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        if (str_eq_nocase(v, no[i]))
            return false;
    form_load_report(L, KS_ERR_UNSUPPORTED, FORM_SHEET_SURVEY, row, header,
                     "required \"%s\" is not supported: write yes or no", v);
    return false;
}

/* parameters for range: "start=0 end=100 step=5" (spaces or semicolons). */
static void form_load_range_params(FormLoader *L, int row, const char *header, char *v,
                                   FormQuestion *q)
{
    q->range_start = 1;
    q->range_end = 10;
    q->range_step = 1;
    char *save = NULL;
    for (char *w = strtok_r(v, " \t;,", &save); w; w = strtok_r(NULL, " \t;,", &save)) {
        char *eq = strchr(w, '=');
        char *end = NULL;
        double d = eq ? strtod(eq + 1, &end) : 0;
        bool num = eq && end && end != eq + 1 && *end == '\0';
        if (num && str_starts_with_nocase(w, "start="))
            q->range_start = d;
        else if (num && str_starts_with_nocase(w, "end="))
            q->range_end = d;
        else if (num && str_starts_with_nocase(w, "step="))
            q->range_step = d;
        else
            form_load_report(L, KS_ERR_INVALID, FORM_SHEET_SURVEY, row, header,
                             "the parameter \"%s\" is not understood: a range takes "
                             "start=N end=N step=N",
                             w);
    }
    double span = q->range_end - q->range_start;
    if (!(q->range_step > 0) || span == 0 || span / q->range_step > 1000 ||
        span / q->range_step < -1000)
        form_load_report(L, KS_ERR_INVALID, FORM_SHEET_SURVEY, row, header,
                         "the range from %g to %g in steps of %g is not usable (a positive "
                         "step, at most 1000 steps)",
                         q->range_start, q->range_end, q->range_step);
}

/* parameters for text: "max-length=N" (kiosk), at most the built-in
 * limit of FORM_LOAD_TEXT_MAX_LENGTH characters. */
static void form_load_text_params(FormLoader *L, int row, const char *header, char *v,
                                  FormQuestion *q)
{
    char *save = NULL;
    for (char *w = strtok_r(v, " \t;,", &save); w; w = strtok_r(NULL, " \t;,", &save)) {
        char *end = NULL;
        long n = str_starts_with_nocase(w, "max-length=") ? strtol(w + 11, &end, 10) : 0;
        if (end && end != w + 11 && *end == '\0' && n >= 1 && n <= FORM_LOAD_TEXT_MAX_LENGTH)
            q->max_length = (int)n;
        else
            form_load_report(L, KS_ERR_INVALID, FORM_SHEET_SURVEY, row, header,
                             "the parameter \"%s\" is not understood: a text question takes "
                             "max-length=N (1 to %d characters)",
                             w, FORM_LOAD_TEXT_MAX_LENGTH);
    }
}

static bool form_load_parse_quasi(FormLoader *L, int row, const char *header, const char *v)
{
    if (!v[0] || str_eq_nocase(v, "no") || str_eq_nocase(v, "false"))
        return false;
    if (str_eq_nocase(v, "yes") || str_eq_nocase(v, "true"))
        return true;
    form_load_report(L, KS_ERR_INVALID, FORM_SHEET_SURVEY, row, header,
                     "quasi_identifier \"%s\" must be yes or empty", v);
    return false;
}

/* The per-row cells of a question beyond type and name. */
static void form_load_question_cells(FormLoader *L, int r, FormQuestion *q)
{
    FormSheet *s = &L->sheets[FORM_SHEET_SURVEY];
    Form *f = L->f;
    int rn = form_load_row_number(L, FORM_SHEET_SURVEY, r);
    int c;
    if ((c = s->scalar[FORM_COL_REQUIRED]) >= 0)
        q->required = form_load_parse_required(L, rn, s->cols[c].header,
                                               form_load_value(L, FORM_SHEET_SURVEY, r, c));
    if ((c = s->scalar[FORM_COL_APPEARANCE]) >= 0)
        q->appearance |= form_load_appearance(
            L, rn, s->cols[c].header, form_load_value(L, FORM_SHEET_SURVEY, r, c), q->type, false);
    if ((c = s->scalar[FORM_COL_QUASI_ID]) >= 0)
        q->quasi_identifier = form_load_parse_quasi(L, rn, s->cols[c].header,
                                                    form_load_value(L, FORM_SHEET_SURVEY, r, c));
    q->relevant = form_load_expr(L, FORM_SHEET_SURVEY, r, s->scalar[FORM_COL_RELEVANT]);
    q->constraint = form_load_expr(L, FORM_SHEET_SURVEY, r, s->scalar[FORM_COL_CONSTRAINT]);
    q->calculation = form_load_expr(L, FORM_SHEET_SURVEY, r, s->scalar[FORM_COL_CALCULATION]);
    L->filter_list = q->list;
    q->choice_filter = form_load_expr(L, FORM_SHEET_SURVEY, r, s->scalar[FORM_COL_CHOICE_FILTER]);
    L->filter_list = NULL;
    if ((c = s->scalar[FORM_COL_DEFAULT]) >= 0) {
        const char *d = form_load_value(L, FORM_SHEET_SURVEY, r, c);
        if (d[0])
            q->default_value = arena_strdup(f->arena, d);
    }
    char *params = form_load_value(L, FORM_SHEET_SURVEY, r, s->scalar[FORM_COL_PARAMETERS]);
    if (q->type == FORM_Q_RANGE)
        form_load_range_params(
            L, rn,
            s->cols[s->scalar[FORM_COL_PARAMETERS] >= 0 ? s->scalar[FORM_COL_PARAMETERS]
                                                        : s->scalar[FORM_COL_TYPE]]
                .header,
            params, q);
    q->max_length = FORM_LOAD_TEXT_MAX_LENGTH;
    if (q->type == FORM_Q_TEXT && params[0])
        form_load_text_params(L, rn, s->cols[s->scalar[FORM_COL_PARAMETERS]].header, params, q);
    else if (q->type != FORM_Q_RANGE && params[0])
        form_load_report(L, KS_OK, FORM_SHEET_SURVEY, rn,
                         s->cols[s->scalar[FORM_COL_PARAMETERS]].header,
                         "parameters are only used by range and text questions; \"%s\" is "
                         "ignored",
                         params);
    if (q->type == FORM_Q_CALCULATE && !q->calculation)
        form_load_report(L, KS_ERR_INVALID, FORM_SHEET_SURVEY, rn,
                         s->cols[s->scalar[FORM_COL_TYPE]].header,
                         "a calculate row needs a calculation");
    if (q->type == FORM_Q_DRAW && !(q->appearance & FORM_APP_DRAW))
        form_load_report(L, KS_ERR_UNSUPPORTED, FORM_SHEET_SURVEY, rn,
                         s->cols[s->scalar[FORM_COL_TYPE]].header,
                         "an image question can only be a drawing on the kiosk (appearance "
                         "draw): it has no camera and no files to choose from");
    if (q->choice_filter && !q->list)
        form_load_report(L, KS_OK, FORM_SHEET_SURVEY, rn,
                         s->cols[s->scalar[FORM_COL_CHOICE_FILTER]].header,
                         "a choice_filter only applies to select questions; it is ignored");
}

/* A group row: begin pushes, end pops. */
static void form_load_group(FormLoader *L, int r, bool begin, const char *name, int *stack,
                            int *depth)
{
    FormSheet *s = &L->sheets[FORM_SHEET_SURVEY];
    Form *f = L->f;
    int rn = form_load_row_number(L, FORM_SHEET_SURVEY, r);
    const char *type_col = s->cols[s->scalar[FORM_COL_TYPE]].header;
    if (!begin) {
        if (*depth == 0)
            form_load_report(L, KS_ERR_INVALID, FORM_SHEET_SURVEY, rn, type_col,
                             "end_group without a begin_group before it");
        else
            (*depth)--;
        return;
    }
    if (*depth == FORM_LOAD_MAX_GROUP_DEPTH) {
        form_load_report(L, KS_ERR_LIMIT, FORM_SHEET_SURVEY, rn, type_col,
                         "groups are nested more than %d deep", FORM_LOAD_MAX_GROUP_DEPTH);
        return;
    }
    FormGroup *g = &f->groups[f->n_groups];
    memset(g, 0, sizeof *g);
    g->name = arena_strdup(f->arena, name);
    g->row = rn;
    g->parent = *depth ? stack[*depth - 1] : -1;
    FormRowTexts t;
    form_load_read_texts(L, FORM_SHEET_SURVEY, r, &t);
    g->label = t.label;
    g->relevant = form_load_expr(L, FORM_SHEET_SURVEY, r, s->scalar[FORM_COL_RELEVANT]);
    int c = s->scalar[FORM_COL_APPEARANCE];
    if (c >= 0)
        g->field_list =
            form_load_appearance(L, rn, s->cols[c].header,
                                 form_load_value(L, FORM_SHEET_SURVEY, r, c), FORM_Q_NOTE, true) &
            FORM_APP_FIELD_LIST;
    stack[(*depth)++] = f->n_groups++;
}

static bool form_load_name_taken(FormLoader *L, int rn, const char *col, const char *name)
{
    const Form *f = L->f;
    for (int j = 0; j < f->n_questions; j++) {
        if (strcmp(f->questions[j].name, name) == 0) {
            form_load_report(L, KS_ERR_INVALID, FORM_SHEET_SURVEY, rn, col,
                             "the name \"%s\" is used twice (first on row %d)", name,
                             f->questions[j].row);
            return true;
        }
    }
    return false;
}

static void form_load_build_questions(FormLoader *L)
{
    FormSheet *s = &L->sheets[FORM_SHEET_SURVEY];
    int rows = s->present ? csv_rows(s->table) : 0;
    int c_type = s->scalar[FORM_COL_TYPE], c_name = s->scalar[FORM_COL_NAME];
    if (c_type < 0 || c_name < 0) {
        form_load_report(L, KS_ERR_INVALID, FORM_SHEET_SURVEY, 1, NULL,
                         "the survey sheet needs the columns type and name");
        return;
    }
    Form *f = L->f;
    size_t slots = (size_t)(rows > 0 ? rows : 1);
    f->questions = arena_alloc(f->arena, slots * sizeof *f->questions);
    f->groups = arena_alloc(f->arena, slots * sizeof *f->groups);
    int stack[FORM_LOAD_MAX_GROUP_DEPTH], depth = 0;
    for (int r = 1; r < rows; r++) {
        if (form_load_row_blank(L, FORM_SHEET_SURVEY, r))
            continue;
        int rn = form_load_row_number(L, FORM_SHEET_SURVEY, r);
        FormQuestion q;
        memset(&q, 0, sizeof q);
        q.row = rn;
        q.group = depth ? stack[depth - 1] : -1;
        int kind = form_load_type(L, r, s->cols[c_type].header,
                                  form_load_value(L, FORM_SHEET_SURVEY, r, c_type), &q);
        if (kind == 0 || kind == 4)
            continue;
        char *name = form_load_value(L, FORM_SHEET_SURVEY, r, c_name);
        if (kind == 3) {
            form_load_group(L, r, false, name, stack, &depth);
            continue;
        }
        if (!form_load_name_ok(name)) {
            form_load_report(L, KS_ERR_INVALID, FORM_SHEET_SURVEY, rn, s->cols[c_name].header,
                             name[0] ? "the name \"%s\" may only have letters, digits, _ - . "
                                       "and must start with a letter or _"
                                     : "the name is missing%s",
                             name);
            continue;
        }
        if (kind == 2) {
            form_load_group(L, r, true, name, stack, &depth);
            continue;
        }
        if (form_load_name_taken(L, rn, s->cols[c_name].header, name))
            continue;
        form_load_question_cells(L, r, &q);
        FormRowTexts t;
        form_load_read_texts(L, FORM_SHEET_SURVEY, r, &t);
        q.label = t.label;
        q.hint = t.hint;
        q.image = t.image;
        q.audio = t.audio;
        q.required_msg = t.required_msg;
        q.constraint_msg = t.constraint_msg;
        if (q.type != FORM_Q_CALCULATE)
            form_load_check_labels(L, FORM_SHEET_SURVEY, r, "the question", name, &q.label,
                                   &q.image);
        q.name = arena_strdup(f->arena, name);
        f->questions[f->n_questions++] = q;
    }
    if (depth > 0)
        form_load_report(L, KS_ERR_INVALID, FORM_SHEET_SURVEY, f->groups[stack[depth - 1]].row,
                         s->cols[c_type].header, "the group \"%s\" has no end_group",
                         f->groups[stack[depth - 1]].name);
    int shown = 0;
    for (int i = 0; i < f->n_questions; i++)
        shown += f->questions[i].type != FORM_Q_CALCULATE;
    if (shown == 0 && L->fail == KS_OK)
        form_load_report(L, KS_ERR_INVALID, FORM_SHEET_SURVEY, 0, NULL,
                         "the form has no questions");
}

void form_load_sheets(FormLoader *L)
{
    if (!L->sheets[FORM_SHEET_SURVEY].present) {
        form_load_report(L, KS_ERR_INVALID, FORM_SHEET_SURVEY, 0, NULL, "there is no survey sheet");
        return;
    }
    /* Survey first so its languages come first, as the author ordered them. */
    const FormSheetId order[] = {FORM_SHEET_SURVEY, FORM_SHEET_CHOICES, FORM_SHEET_SETTINGS};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        if (L->sheets[order[i]].present)
            form_load_header_map(L, order[i]);
    if (L->fail != KS_OK)
        return;
    form_load_header_resolve_plain(L);
    form_load_early_settings(L);
    form_load_build_lists(L);
    form_load_build_questions(L);
    form_load_apply_settings(L);
    form_load_check_refs(L);
}

static bool form_load_is_xlsx(const char *path)
{
    size_t n = strlen(path);
    return n > 5 && strcasecmp(path + n - 5, ".xlsx") == 0;
}

bool form_load_is_form(const char *path)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return false;
    if (S_ISREG(sb.st_mode))
        return form_load_is_xlsx(path);
    if (!S_ISDIR(sb.st_mode))
        return false;
    char p[4096];
    int len = snprintf(p, sizeof p, "%s/survey.csv", path);
    return len > 0 && (size_t)len < sizeof p && stat(p, &sb) == 0 && S_ISREG(sb.st_mode);
}

KsStatus form_load_path(const char *path, Form **out, FormDiag *diag)
{
    *out = NULL;
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
        return form_csv_load(path, out, diag);
    if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && form_load_is_xlsx(path))
        return form_xlsx_load(path, out, diag);
    if (diag)
        form_diag_add(diag, true, path, NULL, 0, NULL,
                      stat(path, &sb) == 0
                          ? "not a form: give a folder with survey.csv or an .xlsx workbook"
                          : "there is no such file or folder");
    return KS_ERR_NOT_FOUND;
}
