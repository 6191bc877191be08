/* report_count: what the report counts for one form. Two passes over the
 * form's rows in the archive — who took part where and when, then every
 * question's answers per scope (all, each compared period, each site).
 * Counts only: no k rule and no HTML here (report.c). */
#include "report_count.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "../firmware/core/mem.h"
#include "../firmware/core/str.h"
#include "archive_rows.h"

static int add_name(char **list, int *n, int max, const char *s)
{
    for (int i = 0; i < *n; i++)
        if (strcmp(list[i], s) == 0)
            return i;
    if (*n >= max)
        return -1;
    list[*n] = xstrdup(s);
    return (*n)++;
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "Frage: Antwort" -> "Antwort"; the question's part is shown once above. */
static const char *after_colon(const char *title, const char *q_title)
{
    size_t n = strlen(q_title);
    if (n && strncmp(title, q_title, n) == 0 && title[n] == ':' && title[n + 1] == ' ')
        return title + n + 2;
    const char *c = strrchr(title, ':');
    return c && c[1] == ' ' ? c + 2 : title;
}

static void add_answer(Question *q, const char *label, const char *value)
{
    q->labels = xrealloc(q->labels, (size_t)(q->n_labels + 1) * sizeof *q->labels);
    q->values = xrealloc(q->values, (size_t)(q->n_labels + 1) * sizeof *q->values);
    q->labels[q->n_labels] = xstrdup(label);
    q->values[q->n_labels++] = xstrdup(value);
}

/* The questions of a schema: a category column, a group of 0/1 columns of
 * one question (multiple choice), a number column. Text columns carry no
 * chart. */
static void find_questions(FormCount *fc)
{
    const DatasetTable *t = fc->s->table;
    for (int c = SCHEMA_LEAD; c < t->n_cols; c++) {
        const DatasetColumn *col = &t->cols[c];
        if (col->kind == DATASET_STRING || strcmp(col->name, "clock_doubt") == 0)
            continue;
        const char *key = col->question ? col->question : col->name;
        Question *q = NULL;
        for (int i = 0; i < fc->n_q && !q; i++) {
            Question *o = &fc->q[i];
            if (strcmp(o->key, key) != 0 || !col->question)
                continue;
            if (o->kind == Q_MULTI && col->kind == DATASET_BINARY)
                q = o;
            else if ((o->kind == Q_NUMBER || o->kind == Q_RANK) && col->kind == DATASET_INTEGER)
                q = o;
        }
        if (q && q->kind == Q_NUMBER) {
            /* A second place column of one question: a ranking. */
            q->kind = Q_RANK;
            char *colon = strrchr(q->title, ':');
            const DatasetColumn *first = &t->cols[q->cols[0]];
            if (colon && colon[1] == ' ')
                *colon = '\0';
            add_answer(q, after_colon(first->title ? first->title : first->name, q->title), "1");
        }
        if (!q) {
            fc->q = xrealloc(fc->q, (size_t)(fc->n_q + 1) * sizeof *fc->q);
            q = &fc->q[fc->n_q++];
            memset(q, 0, sizeof *q);
            q->key = xstrdup(key);
            q->kind = col->kind == DATASET_CATEGORY ? Q_SINGLE
                      : col->kind == DATASET_BINARY ? Q_MULTI
                                                    : Q_NUMBER;
            q->title = xstrdup(col->title ? col->title : col->name);
            if (q->kind == Q_MULTI) {
                /* The question's own words: the titles' common part before ": ". */
                char *colon = strrchr(q->title, ':');
                if (colon && colon[1] == ' ')
                    *colon = '\0';
            }
        }
        q->cols = xrealloc(q->cols, (size_t)(q->n_cols + 1) * sizeof *q->cols);
        q->cols[q->n_cols++] = c;
        if (q->kind == Q_SINGLE) {
            for (int i = 0; i < col->n_cats; i++) {
                q->labels = xrealloc(q->labels, (size_t)(q->n_labels + 1) * sizeof *q->labels);
                q->values = xrealloc(q->values, (size_t)(q->n_labels + 1) * sizeof *q->values);
                q->labels[q->n_labels] =
                    xstrdup(col->cats[i].label[0] ? col->cats[i].label : col->cats[i].name);
                q->values[q->n_labels++] = xstrdup(col->cats[i].name);
            }
        } else if (q->kind == Q_MULTI || q->kind == Q_RANK) {
            add_answer(q, after_colon(col->title ? col->title : col->name, q->title), "1");
        }
    }
    /* A lone 0/1 column (an acknowledgement, a yes/no box) is a yes or no. */
    for (int i = 0; i < fc->n_q; i++) {
        Question *q = &fc->q[i];
        if (q->kind != Q_MULTI || q->n_cols != 1)
            continue;
        free(q->labels[0]);
        free(q->values[0]);
        q->n_labels = 0;
        q->kind = Q_SINGLE;
        add_answer(q, "ja", "1");
        add_answer(q, "nein", "0");
    }
}

static void alloc_counts(FormCount *fc)
{
    for (int i = 0; i < fc->n_q; i++) {
        Question *q = &fc->q[i];
        int width = q->kind == Q_NUMBER ? NUMBER_VALUES_MAX : q->n_labels;
        q->counts = xcalloc((size_t)(fc->n_scopes * (width ? width : 1)), sizeof *q->counts);
        q->answered = xcalloc((size_t)fc->n_scopes, sizeof *q->answered);
        if (q->kind == Q_NUMBER) {
            q->sum = xcalloc((size_t)fc->n_scopes, sizeof *q->sum);
            q->min = xcalloc((size_t)fc->n_scopes, sizeof *q->min);
            q->max = xcalloc((size_t)fc->n_scopes, sizeof *q->max);
        }
    }
}

void report_count_free(FormCount *fc)
{
    for (int i = 0; i < fc->n_q; i++) {
        Question *q = &fc->q[i];
        for (int j = 0; j < q->n_labels; j++) {
            free(q->labels[j]);
            free(q->values[j]);
        }
        free(q->labels);
        free(q->values);
        free(q->key);
        free(q->title);
        free(q->cols);
        free(q->counts);
        free(q->answered);
        free(q->sum);
        free(q->min);
        free(q->max);
    }
    free(fc->q);
    for (int i = 0; i < fc->n_sites; i++)
        free(fc->sites[i]);
    for (int i = 0; i < fc->n_periods; i++)
        free(fc->periods[i]);
    free(fc->taking);
}

/* Pass 1: sites, periods, participation, the target group. */
static bool on_taking(const ArchiveResponse *r, void *ctx)
{
    FormCount *fc = ctx;
    (void)add_name(fc->sites, &fc->n_sites, SITES_MAX, r->site);
    (void)add_name(fc->periods, &fc->n_periods, PERIODS_MAX, r->period[0] ? r->period : NO_DATE);
    if (!fc->audience[0])
        str_copy(fc->audience, sizeof fc->audience, r->audience);
    fc->rows++;
    return true;
}

static int index_of(char *const *list, int n, const char *s)
{
    for (int i = 0; i < n; i++)
        if (strcmp(list[i], s) == 0)
            return i;
    return -1;
}

static void count_value(Question *q, int scope, const char *v)
{
    int width = q->kind == Q_NUMBER ? NUMBER_VALUES_MAX : q->n_labels;
    if (q->kind == Q_NUMBER) {
        double d = strtod(v, NULL);
        if (q->answered[scope] == 0 || d < q->min[scope])
            q->min[scope] = d;
        if (q->answered[scope] == 0 || d > q->max[scope])
            q->max[scope] = d;
        q->sum[scope] += d;
        q->answered[scope]++;
        int i = index_of(q->values, q->n_labels, v);
        if (i < 0 && !q->summary) {
            if (q->n_labels == NUMBER_VALUES_MAX) {
                q->summary = true;
                return;
            }
            q->labels = xrealloc(q->labels, (size_t)(q->n_labels + 1) * sizeof *q->labels);
            q->values = xrealloc(q->values, (size_t)(q->n_labels + 1) * sizeof *q->values);
            q->labels[q->n_labels] = xstrdup(v);
            q->values[q->n_labels] = xstrdup(v);
            i = q->n_labels++;
        }
        if (i >= 0)
            q->counts[scope * width + i]++;
        return;
    }
    int i = index_of(q->values, q->n_labels, v);
    if (i >= 0)
        q->counts[scope * width + i]++;
    q->answered[scope]++;
}

typedef struct {
    FormCount *fc;
    const char **cells;
} Pass2;

static bool on_counts(const ArchiveResponse *r, void *ctx)
{
    Pass2 *p = ctx;
    FormCount *fc = p->fc;
    cJSON *json = NULL;
    schema_row(fc->s, r, &json, p->cells);
    int scopes[3], n = 0;
    scopes[n++] = 0;
    if (fc->scope_a > 0 && report_period_in(r->period, fc->o->compare_a))
        scopes[n++] = fc->scope_a;
    else if (fc->scope_b > 0 && report_period_in(r->period, fc->o->compare_b))
        scopes[n++] = fc->scope_b;
    int site = index_of(fc->sites, fc->n_sites, r->site);
    if (site >= 0)
        scopes[n++] = fc->scope_site0 + site;
    int period = index_of(fc->periods, fc->n_periods, r->period[0] ? r->period : NO_DATE);
    if (site >= 0 && period >= 0)
        fc->taking[site * fc->n_periods + period]++;
    for (int i = 0; i < fc->n_q; i++) {
        Question *q = &fc->q[i];
        if (q->kind == Q_MULTI || q->kind == Q_RANK) {
            bool seen = false;
            for (int c = 0; c < q->n_cols && !seen; c++)
                seen = p->cells[q->cols[c]] != NULL;
            if (!seen)
                continue;
            for (int s = 0; s < n; s++) {
                q->answered[scopes[s]]++;
                for (int c = 0; c < q->n_cols; c++)
                    if (p->cells[q->cols[c]] && strcmp(p->cells[q->cols[c]], "1") == 0)
                        q->counts[scopes[s] * q->n_labels + c]++;
            }
        } else {
            const char *v = p->cells[q->cols[0]];
            if (!v)
                continue;
            for (int s = 0; s < n; s++)
                count_value(q, scopes[s], v);
        }
    }
    cJSON_Delete(json);
    return true;
}

/* The values of a number question in numeric order, their counts with
 * them (counted in the order they were first seen). */
static void sort_values(Question *q, int n_scopes)
{
    for (int i = 1; i < q->n_labels; i++) {
        for (int j = i; j > 0 && strtod(q->values[j], NULL) < strtod(q->values[j - 1], NULL); j--) {
            char *t = q->values[j];
            q->values[j] = q->values[j - 1];
            q->values[j - 1] = t;
            t = q->labels[j];
            q->labels[j] = q->labels[j - 1];
            q->labels[j - 1] = t;
            for (int s = 0; s < n_scopes; s++) {
                long *c = q->counts + s * NUMBER_VALUES_MAX;
                long x = c[j];
                c[j] = c[j - 1];
                c[j - 1] = x;
            }
        }
    }
}

void report_count_init(FormCount *fc, const ReportOptions *o, const FormSchema *s)
{
    memset(fc, 0, sizeof *fc);
    fc->o = o;
    fc->s = s;
}

KsStatus report_count_taking(Archive *a, const char *form, FormCount *fc)
{
    ArchiveFilter filt = {form, fc->o->site, NULL, NULL};
    KsStatus ks = archive_responses_each(a, &filt, on_taking, fc);
    if (ks != KS_OK || fc->rows == 0)
        return ks;
    qsort(fc->sites, (size_t)fc->n_sites, sizeof *fc->sites, str_cmp);
    qsort(fc->periods, (size_t)fc->n_periods, sizeof *fc->periods, str_cmp);
    fc->taking = xcalloc((size_t)(fc->n_sites * fc->n_periods), sizeof *fc->taking);
    fc->n_scopes = 1;
    if (fc->o->compare_a && fc->o->compare_b) {
        fc->scope_a = fc->n_scopes++;
        fc->scope_b = fc->n_scopes++;
    }
    fc->scope_site0 = fc->n_scopes;
    fc->n_scopes += fc->n_sites;
    return KS_OK;
}

KsStatus report_count_answers(Archive *a, const char *form, FormCount *fc)
{
    ArchiveFilter filt = {form, fc->o->site, NULL, NULL};
    find_questions(fc);
    alloc_counts(fc);
    Pass2 p2 = {fc, xcalloc((size_t)fc->s->table->n_cols, sizeof *p2.cells)};
    KsStatus ks = archive_responses_each(a, &filt, on_counts, &p2);
    free(p2.cells);
    for (int i = 0; i < fc->n_q; i++)
        if (fc->q[i].kind == Q_NUMBER && !fc->q[i].summary)
            sort_values(&fc->q[i], fc->n_scopes);
    return ks;
}
