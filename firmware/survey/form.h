/* form: the immutable, in-memory model of one XLSForm (survey, choices,
 * settings), whatever container it was read from (see form_csv.h).
 * A Form owns all of its strings (one arena); every pointer obtained from it
 * lives until form_destroy. The model has no I/O and no UI knowledge. */
#ifndef KS_FORM_H
#define KS_FORM_H

#include <stdbool.h>

#include "../core/ks_status.h"
#include "expr.h"

#define FORM_MAX_LANGS 8
#define FORM_LANG_CODE_MAX 16
#define FORM_LANG_NAME_MAX 48

/* A text in every language of the form: s[i] is the text in form language i,
 * or NULL when that language has none. Use form_text() to read it with the
 * fallback rules. */
typedef struct {
    const char *s[FORM_MAX_LANGS];
} FormText;

typedef struct {
    char code[FORM_LANG_CODE_MAX]; /* "de"; from the column header "label::Deutsch (de)";
                                      the name itself when the header has no "(code)";
                                      "" for plain `label` columns */
    char name[FORM_LANG_NAME_MAX]; /* "Deutsch" as written in the header */
} FormLang;

typedef enum {
    FORM_Q_SELECT_ONE,
    FORM_Q_SELECT_MULTIPLE,
    FORM_Q_NOTE,
    FORM_Q_INTEGER,
    FORM_Q_DECIMAL,
    FORM_Q_TEXT,
    FORM_Q_RANGE,       /* a number from start to end in steps (parameters) */
    FORM_Q_RANK,        /* every choice of a list, in the respondent's order */
    FORM_Q_ACKNOWLEDGE, /* one "OK" */
    FORM_Q_CALCULATE,   /* never shown: its value is its calculation */
    FORM_Q_DRAW,        /* `image` with appearance draw: a drawing */
} FormQType;

/* Appearance flags (XLSForm `appearance` column, space-separated words). */
enum {
    FORM_APP_FACES = 1u << 0,      /* kiosk: smiley scale */
    FORM_APP_COLUMNS = 1u << 1,    /* picture tile grid ("columns", "columns-N") */
    FORM_APP_NO_BUTTONS = 1u << 2, /* picture tiles without radio marks */
    FORM_APP_LIKERT = 1u << 3,
    FORM_APP_QUICK = 1u << 4,     /* advance on tap */
    FORM_APP_YES_NO = 1u << 5,    /* kiosk: two big yes/no tiles */
    FORM_APP_MULTILINE = 1u << 6, /* text: a taller field */
    FORM_APP_DRAW = 1u << 7,
    FORM_APP_FIELD_LIST = 1u << 8, /* groups: all questions on one screen */
    FORM_APP_PICKER = 1u << 9,     /* range: numbered tiles ("picker", "rating") */
};

/* Who a form is for (kiosk setting `audience`). */
typedef enum {
    FORM_AUDIENCE_CHILD,
    FORM_AUDIENCE_YOUTH,
    FORM_AUDIENCE_PARENT,
    FORM_AUDIENCE_PROFESSIONAL /* educators and leaders of the network's institutions */
} FormAudience;

typedef struct {
    const char *name; /* the value stored for this choice */
    FormText label;
    FormText image;     /* path of the picture: the form's folder joined with the
                           cell ("assets/forms/kinder/images/sport.svg"), or a
                           bare name of the kiosk's icon library, or NULL */
    const char **extra; /* values of the list's extra columns (FormList.extra_cols) */
    int row;            /* 1-based row in the choices sheet */
} FormChoice;

typedef struct {
    const char *name;
    const FormChoice *choices;
    int n_choices;
    /* Columns of the choices sheet that are not XLSForm's own (e.g. `cf`):
     * a choice_filter refers to them by bare name. */
    const char **extra_cols;
    int n_extra_cols;
} FormList;

/* A begin_group ... end_group block. */
typedef struct {
    const char *name;
    FormText label;
    const Expr *relevant; /* NULL: always */
    bool field_list;      /* appearance field-list: its questions share one screen */
    int parent;           /* enclosing group, -1 for none */
    int row;
} FormGroup;

typedef struct {
    FormQType type;
    const char *name;
    FormText label;
    FormText hint;
    FormText image;
    FormText audio;          /* audio::<lang> file path, or NULL */
    FormText required_msg;   /* required_message::<lang> */
    FormText constraint_msg; /* constraint_message::<lang> */
    bool required;
    bool quasi_identifier;                     /* kiosk column: suppressed for anonymisation */
    unsigned appearance;                       /* FORM_APP_* bits */
    const FormList *list;                      /* select and rank types only; NULL otherwise */
    const Expr *relevant;                      /* NULL: always shown */
    const Expr *constraint;                    /* NULL: any value */
    const Expr *calculation;                   /* calculate only */
    const Expr *choice_filter;                 /* NULL: every choice */
    const char *default_value;                 /* literal default answer, or NULL */
    double range_start, range_end, range_step; /* range only */
    int max_length;                            /* text: most characters accepted */
    int group;                                 /* innermost enclosing group, -1 for none */
    int row;                                   /* 1-based row in the survey sheet, for messages */
} FormQuestion;

typedef struct Form Form;

/* Accepts NULL. */
void form_destroy(Form *f);

const char *form_id(const Form *f);
const char *form_version(const Form *f);
/* Lower-case hex SHA-256 of the form's content (64 digits + NUL).
 * For an .xlsx workbook it is the SHA-256 of the file.
 * For a CSV folder it is computed over the three files in the fixed order
 * settings.csv, survey.csv, choices.csv; each contributes its file name, one
 * NUL byte, its length in bytes as an 8-byte big-endian integer, then its raw
 * bytes (a missing file counts as empty). Any change to any byte, or bytes
 * moved from one file to another, gives a new hash. */
const char *form_sha256(const Form *f);
/* The folder or file the form was loaded from. */
const char *form_source(const Form *f);
FormAudience form_audience(const Form *f);
/* An audience's name as the settings sheet writes it and sessions store it
 * ("child", "youth", "parent", "professional"), and back: the audience of
 * a name in any case, or -1. */
const char *form_audience_name(FormAudience a);
int form_audience_of(const char *name);
const FormText *form_title(const Form *f);

int form_lang_count(const Form *f);
const FormLang *form_lang(const Form *f, int i);
/* Index of the language with this code, or -1. */
int form_lang_index(const Form *f, const char *code);
/* Index of the default language (settings `default_language`, else the first). */
int form_default_lang(const Form *f);

int form_question_count(const Form *f);
const FormQuestion *form_question(const Form *f, int i);
/* Index of the question with this name, or -1. */
int form_question_index(const Form *f, const char *name);

int form_group_count(const Form *f);
const FormGroup *form_group(const Form *f, int i);

/* The text in language `lang`, else in the default language, else in any
 * language that has it; "" only when no language has any text. Never NULL. */
const char *form_text(const Form *f, const FormText *t, int lang);

#endif
