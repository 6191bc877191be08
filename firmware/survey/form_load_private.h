/* form_load_private: the loader state shared by the container readers
 * (form_csv.c for a folder of CSV files, form_xlsx.c for a workbook), their
 * file reading (form_load_file.c) and the container-free mapping of sheets
 * onto the model (form_load*.c). Only those files include it. */
#ifndef KS_FORM_LOAD_PRIVATE_H
#define KS_FORM_LOAD_PRIVATE_H

#include <stddef.h>
#include <stdbool.h>

#include "../core/arena.h"
#include "csv.h"
#include "form_diag.h"
#include "form_private.h"

/* Column language markers before and after resolving plain columns. */
#define FORM_LANG_PLAIN (-2) /* "label" without "::language" */
#define FORM_LANG_ALL (-3)   /* a plain column in a form whose labels are all translated */

typedef enum {
    FORM_SHEET_SETTINGS,
    FORM_SHEET_SURVEY,
    FORM_SHEET_CHOICES,
    FORM_SHEETS
} FormSheetId;

typedef enum {
    FORM_COL_OTHER,       /* a column the kiosk ignores (or, in choices, a filter column) */
    FORM_COL_UNSUPPORTED, /* an XLSForm column whose meaning the kiosk cannot honour */
    FORM_COL_TYPE,
    FORM_COL_NAME,
    FORM_COL_REQUIRED,
    FORM_COL_APPEARANCE,
    FORM_COL_RELEVANT,
    FORM_COL_CONSTRAINT,
    FORM_COL_CALCULATION,
    FORM_COL_CHOICE_FILTER,
    FORM_COL_DEFAULT,
    FORM_COL_PARAMETERS,
    FORM_COL_QUASI_ID,
    FORM_COL_LIST_NAME,
    FORM_COL_FORM_ID,
    FORM_COL_VERSION,
    FORM_COL_DEFAULT_LANGUAGE,
    FORM_COL_AUDIENCE,
    FORM_COL_ALLOW_DUPLICATES,
    FORM_COL_LABEL, /* roles from here on carry a language */
    FORM_COL_HINT,
    FORM_COL_IMAGE,
    FORM_COL_AUDIO,
    FORM_COL_REQUIRED_MSG,
    FORM_COL_CONSTRAINT_MSG,
    FORM_COL_FORM_TITLE,
    FORM_COL_COUNT
} FormColRole;

typedef struct {
    FormColRole role;
    int lang;
    const char *header; /* trimmed, as written, for messages */
} FormCol;

typedef struct {
    CsvTable *table; /* owned; NULL when the sheet is absent */
    bool present;
    const char *file; /* for messages: the CSV file or the workbook */
    const char *name; /* the sheet name as the author wrote it */
    FormCol cols[CSV_MAX_COLS];
    int n_cols;
    int scalar[FORM_COL_COUNT]; /* column of each language-free role, or -1 */
} FormSheet;

/* An expression met while loading, kept to check its references at the end. */
typedef struct {
    const Expr *e;
    FormSheetId sheet;
    int row;              /* spreadsheet row */
    const char *col;      /* header, for messages */
    const FormList *list; /* choice_filter: the list whose columns it may name */
} FormLoadExpr;

typedef struct {
    const char *dir;        /* folder of the form's files: pictures are relative to it */
    const char *default_id; /* form_id when settings has none (folder or file name) */
    Form *f;
    FormDiag *diag;
    KsStatus fail;
    Arena *tmp; /* scratch strings that die with the load */
    FormSheet sheets[FORM_SHEETS];
    bool too_many_langs;
    bool allow_duplicates;
    FormLoadExpr *exprs; /* in tmp */
    int n_exprs, cap_exprs;
    const FormList *filter_list; /* list of the question whose cells are being read */
} FormLoader;

/* Sets up L for a load; the container reader then fills L->sheets (tables,
 * file, name, present) and L->f->sha256, and calls form_load_sheets(). */
void form_load_begin(FormLoader *L, FormDiag *diag);
/* Maps the sheets onto L->f and reports every problem. */
void form_load_sheets(FormLoader *L);
/* Frees the scratch state; returns L->f (or NULL, destroying it, when the
 * load failed) through *out and the first error status. */
KsStatus form_load_end(FormLoader *L, Form **out);

/* Reads the file at path whole into *data (malloc'd, the caller frees it) and
 * its size into *len (form_load_file.c). On failure *data is NULL:
 * KS_ERR_NOT_FOUND when there is no such file, KS_ERR_IO when it cannot be
 * opened or read, KS_ERR_LIMIT when it holds max bytes or more. */
KsStatus form_load_file_read(const char *path, size_t max, unsigned char **data, size_t *len);

/* Records a problem at a place in a sheet: ks == KS_OK is a warning, any
 * other status an error that fails the load (the first one is returned). */
void form_load_report(FormLoader *L, KsStatus ks, FormSheetId sh, int row, const char *col,
                      const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* A trimmed copy of a cell; lives until the load ends. "" for col < 0. */
char *form_load_value(FormLoader *L, FormSheetId sh, int row, int col);
/* The spreadsheet row number of table row `row`. */
int form_load_row_number(const FormLoader *L, FormSheetId sh, int row);
bool form_load_row_blank(const FormLoader *L, FormSheetId sh, int row);

/* "Deutsch (de)" -> code "de", name "Deutsch"; "English" -> code "en",
 * name "English" (well-known language names get their code);
 * "" -> code "", name "default". Modifies spec. */
void form_load_header_split_lang(char *spec, FormLang *out);
/* Index of the form language with want's code (ASCII case-insensitive), or -1. */
int form_load_header_find_lang(const Form *f, const FormLang *want);
/* Maps row 1 of sheet sh to column roles, registering languages. */
void form_load_header_map(FormLoader *L, FormSheetId sh);
/* Decides what plain (language-less) columns mean once all headers are read. */
void form_load_header_resolve_plain(FormLoader *L);

/* Parses the type cell of survey row `row` (table index) into q (type, list)
 * or a group marker: returns 1 for a question, 2 for begin_group, 3 for
 * end_group, 4 for a row the kiosk skips (metadata), 0 when refused. */
int form_load_type(FormLoader *L, int row, const char *header, char *type, FormQuestion *q);
unsigned form_load_appearance(FormLoader *L, int row, const char *header, char *v, FormQType type,
                              bool is_group);
/* Parses an expression cell; NULL for an empty cell or a reported error. */
const Expr *form_load_expr(FormLoader *L, FormSheetId sh, int row, int col);
/* Checks every expression's references once all questions are known. */
void form_load_check_refs(FormLoader *L);

/* The settings sheet (form_load_settings.c): allow_choice_duplicates, needed
 * before the choices are read; then, after survey and choices, the form's
 * id, version, default language, audience and titles. */
void form_load_early_settings(FormLoader *L);
void form_load_apply_settings(FormLoader *L);

#endif
