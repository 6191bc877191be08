/* dataset: the anonymised batch in memory, as the writers see it — a list
 * of tables (responses, free texts, drawings), each with typed, labelled
 * columns and rows of text cells. One schema feeds responses.csv,
 * responses.sav, datapackage.json and codebook.md, so they cannot drift
 * apart. Owns all of its strings; no I/O. */
#ifndef KS_DATASET_H
#define KS_DATASET_H

#include <stdbool.h>
#include <stddef.h>

#include "../firmware/survey/form.h"

typedef enum {
    DATASET_STRING,   /* text; SAV string variable */
    DATASET_INTEGER,  /* whole number */
    DATASET_NUMBER,   /* decimal number */
    DATASET_CATEGORY, /* one choice of `list`: the CSV holds the choice name,
                         the SAV the code 1..n (position in the list) */
    DATASET_BINARY,   /* 0/1 (a choice of a multiple choice question, or an
                         acknowledgement) */
} DatasetKind;

typedef struct {
    char *name;            /* column name: [A-Za-z][A-Za-z0-9_]*, at most 64 bytes */
    char *title;           /* German label (the form's default language) */
    char *description;     /* how to read it (German), or NULL */
    DatasetKind kind;
    const Form *form;      /* the form that defined it first; NULL for batch columns */
    const FormList *list;  /* DATASET_CATEGORY: its choices, borrowed from form */
    char *question;        /* the form question it comes from, or NULL */
    char *forms;           /* ids of the forms that have it, "kinder, eltern"; NULL: all */
    bool quasi_identifier; /* part of the k-anonymity check */
    int suppressed;        /* values blanked by k-anonymity in this batch */
} DatasetColumn;

typedef struct {
    char *name;            /* "responses": file stem of its CSV */
    char *title;
    DatasetColumn *cols;
    int n_cols, cap_cols;
    char **cells;          /* row-major n_rows x n_cols; NULL = missing */
    int n_rows, cap_rows;
} DatasetTable;

DatasetTable *dataset_table_create(const char *name, const char *title);
void dataset_table_destroy(DatasetTable *t); /* accepts NULL */

/* Adds a column and returns its index. Strings are copied; description may
 * be NULL. */
int dataset_table_add_column(DatasetTable *t, const char *name, const char *title,
                             const char *description, DatasetKind kind);
/* Index of the column with this name (ASCII case ignored, as SPSS does),
 * or -1. */
int dataset_table_find(const DatasetTable *t, const char *name);
/* Appends an empty row (all missing) and returns its index. Add every column
 * before the first row. */
int dataset_table_add_row(DatasetTable *t);
/* Sets a cell to a copy of v (NULL or "" makes it missing). */
void dataset_table_set(DatasetTable *t, int row, int col, const char *v);
/* The cell, or NULL when missing. Borrowed until the cell changes. */
const char *dataset_table_get(const DatasetTable *t, int row, int col);

/* Writes a column name made of name's letters, digits and '_' (others
 * become '_'), starting with a letter, at most 64 bytes, into out. */
void dataset_safe_name(const char *name, char *out, size_t size);

/* The SAV code of a category value (1..n), or 0 when it is not a choice of
 * the column's list. */
int dataset_category_code(const DatasetColumn *c, const char *value);

#endif
