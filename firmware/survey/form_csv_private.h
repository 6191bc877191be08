/* form_csv_private: the loader state shared by form_csv.c (rows to model)
 * and form_csv_header.c (header cells to roles and languages). Only those two
 * files include it. */
#ifndef KS_FORM_CSV_PRIVATE_H
#define KS_FORM_CSV_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/arena.h"
#include "csv.h"
#include "form_diag.h"
#include "form_private.h"

/* Column language markers before and after resolving plain columns. */
#define FORM_CSV_LANG_PLAIN (-2) /* "label" without "::language" */
#define FORM_CSV_LANG_ALL (-3)   /* a plain column in a form whose labels are all translated */

typedef enum {
    FORM_CSV_SETTINGS,
    FORM_CSV_SURVEY,
    FORM_CSV_CHOICES,
    FORM_CSV_SHEETS
} FormCsvSheetId;

typedef enum {
    FORM_CSV_ROLE_OTHER,       /* a column the kiosk ignores */
    FORM_CSV_ROLE_UNSUPPORTED, /* an XLSForm column whose meaning the kiosk cannot honour yet */
    FORM_CSV_ROLE_TYPE,
    FORM_CSV_ROLE_NAME,
    FORM_CSV_ROLE_REQUIRED,
    FORM_CSV_ROLE_APPEARANCE,
    FORM_CSV_ROLE_LIST_NAME,
    FORM_CSV_ROLE_FORM_ID,
    FORM_CSV_ROLE_VERSION,
    FORM_CSV_ROLE_DEFAULT_LANGUAGE,
    FORM_CSV_ROLE_AUDIENCE,
    FORM_CSV_ROLE_LABEL, /* roles from here on carry a language */
    FORM_CSV_ROLE_HINT,
    FORM_CSV_ROLE_IMAGE,
    FORM_CSV_ROLE_FORM_TITLE,
    FORM_CSV_ROLE_COUNT
} FormCsvRole;

typedef struct {
    FormCsvRole role;
    int lang;
    const char *header; /* trimmed, as written, for messages */
} FormCsvCol;

typedef struct {
    CsvTable *table;
    char *data;
    size_t len;
    bool present;
    char *path;
    FormCsvCol cols[CSV_MAX_COLS];
    int n_cols;
    int scalar[FORM_CSV_ROLE_COUNT]; /* column of each language-free role, or -1 */
} FormCsvSheet;

typedef struct {
    const char *dir;
    Form *f;
    FormDiag *diag;
    KsStatus fail;
    Arena *tmp; /* scratch strings that die with the load */
    FormCsvSheet sheets[FORM_CSV_SHEETS];
    bool too_many_langs;
} FormCsvLoader;

/* Records a problem at a place in a sheet: st == KS_OK is a warning, any
 * other status an error that fails the load (the first one is returned). */
void form_csv_report(FormCsvLoader *L, KsStatus st, FormCsvSheetId sh, int row, const char *col,
                     const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* A trimmed copy of a cell; lives until the load ends. "" for col < 0. */
char *form_csv_value(FormCsvLoader *L, FormCsvSheetId sh, int row, int col);

/* "Deutsch (de)" -> code "de", name "Deutsch"; "English" -> both "English";
 * "" -> code "", name "default". Modifies spec. */
void form_csv_header_split_lang(char *spec, FormLang *out);
/* Index of the form language with want's code (ASCII case-insensitive), or -1. */
int form_csv_header_find_lang(const Form *f, const FormLang *want);
/* Maps row 1 of sheet sh to column roles, registering languages. */
void form_csv_header_map(FormCsvLoader *L, FormCsvSheetId sh);
/* Decides what plain (language-less) columns mean once all headers are read. */
void form_csv_header_resolve_plain(FormCsvLoader *L);

#endif
