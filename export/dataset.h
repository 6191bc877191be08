/* dataset: a batch's tables as the format writers and readers see them —
 * each table has typed, labelled columns (with their own category lists)
 * and, when it is held in memory, rows of text cells. One schema feeds
 * <table>.csv, responses.sav, datapackage.json and codebook.md, so they
 * cannot drift apart; a schema read back from datapackage.json has columns
 * and no rows. Owns all of its strings; knows no form and does no I/O. */
#ifndef KS_DATASET_H
#define KS_DATASET_H

#include <stddef.h>
#include <stdbool.h>

typedef enum {
    DATASET_STRING,   /* text; SAV string variable */
    DATASET_INTEGER,  /* whole number */
    DATASET_NUMBER,   /* decimal number */
    DATASET_CATEGORY, /* one of the column's categories: the CSV holds the
                         category's name, the SAV its code */
    DATASET_BINARY,   /* 0/1 (a choice of a multiple choice question, or an
                         acknowledgement) */
} DatasetKind;

/* One category of a DATASET_CATEGORY column. */
typedef struct {
    int code;    /* the SAV code (1..n in the form's list order) */
    char *name;  /* the value in the CSV: the choice name */
    char *label; /* German label (the form's default language); "" when none */
} DatasetCategory;

typedef struct {
    char *name;        /* column name: [A-Za-z][A-Za-z0-9_]*, at most 64 bytes */
    char *title;       /* German label (the form's default language) */
    char *description; /* how to read it (German), or NULL */
    DatasetKind kind;
    DatasetCategory *cats; /* DATASET_CATEGORY: its categories, in order */
    int n_cats, cap_cats;
    char *form_id;         /* the form that defined it first; NULL for batch columns */
    char *question;        /* the form question it comes from, or NULL */
    char *forms;           /* ids of the forms that have it, "kinder, eltern"; NULL: all */
    char *versions;        /* form versions that asked it, "2026-11-24, 2026-11-24.2";
                              NULL: not recorded */
    bool quasi_identifier; /* part of the k-anonymity check */
    int suppressed;        /* values blanked by k-anonymity in this batch */
    int max_bytes;         /* DATASET_STRING: the longest value in bytes, which the
                              streaming SAV writer needs up front; 0 when unknown
                              (set by whoever knows the values) */
} DatasetColumn;

typedef struct {
    char *name; /* "responses": file stem of its CSV */
    char *title;
    DatasetColumn *cols;
    int n_cols, cap_cols;
    char **cells; /* row-major n_rows x n_cols; NULL = missing */
    int n_rows, cap_rows;
} DatasetTable;

DatasetTable *dataset_table_create(const char *name, const char *title);
void dataset_table_destroy(DatasetTable *t); /* accepts NULL */

/* Adds a column and returns its index. Strings are copied; description may
 * be NULL. */
int dataset_table_add_column(DatasetTable *t, const char *name, const char *title,
                             const char *description, DatasetKind kind);
/* A column as a table of them describes it. */
typedef struct {
    const char *name, *title;
    const char *description; /* NULL: none */
    DatasetKind kind;
} DatasetColumnSpec;
/* Adds the n columns of specs in their order, as dataset_table_add_column
 * each. */
void dataset_table_add_columns(DatasetTable *t, const DatasetColumnSpec *specs, int n);
/* Appends a category (copies of name and label; label NULL is "") to
 * column col. */
void dataset_table_add_category(DatasetTable *t, int col, int code, const char *name,
                                const char *label);
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

/* The SAV code of a category value, or 0 when it is not one of the
 * column's categories. */
int dataset_category_code(const DatasetColumn *c, const char *value);

#endif
