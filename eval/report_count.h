/* report_count: the counts behind one form's part of the report (see
 * report.h): participation per site and period, and each question's
 * answers per scope. Owned by report.c, which applies the k rule and
 * writes the HTML; nothing here decides what may be shown. */
#ifndef KM2EVAL_REPORT_COUNT_H
#define KM2EVAL_REPORT_COUNT_H

#include <stdbool.h>

#include "archive.h"
#include "report.h"
#include "schema.h"

#define NUMBER_VALUES_MAX 12 /* more distinct values: a summary, not bars */
#define SITES_MAX 64
#define PERIODS_MAX 256
/* The period of answers given while the kiosk's clock was in doubt (it
 * makes no date up); sorts after every real period. */
#define NO_DATE "~ohne Datum"

/* A single choice; a multiple choice (0/1 columns); a number; a ranking
 * (one place column per choice: counted is how often each came first). */
typedef enum { Q_SINGLE, Q_MULTI, Q_NUMBER, Q_RANK } QKind;

typedef struct {
    char *key; /* question name */
    char *title;
    QKind kind;
    int *cols; /* schema columns */
    int n_cols;
    char **labels; /* answers (Q_NUMBER: the values seen) */
    char **values; /* the cell values counted per answer (category names, "1") */
    int n_labels;
    bool summary;            /* Q_NUMBER with too many values: n, mean, min, max only */
    long *counts;            /* [scope][answer], NUMBER_VALUES_MAX wide for Q_NUMBER */
    long *answered;          /* [scope] */
    double *sum, *min, *max; /* [scope], Q_NUMBER */
} Question;

typedef struct {
    const ReportOptions *o;
    const FormSchema *s;
    Question *q;
    int n_q;
    char *sites[SITES_MAX];
    int n_sites;
    char *periods[PERIODS_MAX];
    int n_periods;
    long *taking; /* [site][period] participation */
    long rows;
    char audience[32];
    int n_scopes; /* 1 (all) + 2 (compared periods, when asked) + n_sites */
    int scope_a, scope_b, scope_site0;
} FormCount;

/* An empty count for form schema s and the report's options o (both
 * borrowed for the count's life). */
void report_count_init(FormCount *fc, const ReportOptions *o, const FormSchema *s);

/* Pass 1: sites and periods (sorted), participation, the target group,
 * the scopes. fc->rows == 0 afterwards: nothing to report for the form.
 * Archive errors pass through. */
KsStatus report_count_taking(Archive *a, const char *form, FormCount *fc);

/* Pass 2, after pass 1 found rows: the questions of the schema and their
 * counts per scope. On an archive error the counts are partial and the
 * error is returned. */
KsStatus report_count_answers(Archive *a, const char *form, FormCount *fc);

/* Frees what the count holds (any stage; fc itself is the caller's). */
void report_count_free(FormCount *fc);

#endif
