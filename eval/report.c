/* report: the German HTML report (see report.h). Two passes over a form's
 * rows — who took part where and when, then every question's counts per
 * scope (all, each compared period, each site) — and the HTML written from
 * those counts with the k rule applied to every number that is shown. */
#include "report.h"

#include <cjson/cJSON.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../firmware/core/clock.h"
#include "../firmware/core/mem.h"
#include "../firmware/core/str.h"
#include "archive_rows.h"
#include "report_svg.h"
#include "schema.h"

#define NUMBER_VALUES_MAX 12   /* more distinct values: a summary, not bars */
#define SITES_MAX 64
#define PERIODS_MAX 256
#define PICTURE_MAX (4 * 1024 * 1024)
/* The period of answers given while the kiosk's clock was in doubt (it
 * makes no date up); sorts after every real period. */
#define NO_DATE "~ohne Datum"

bool report_period_in(const char *p, const char *asked)
{
    size_t n = strlen(asked);
    return strncmp(p, asked, n) == 0 && (p[n] == '\0' || p[n] == '-');
}

/* ---- what is counted ---------------------------------------------------- */

/* A single choice; a multiple choice (0/1 columns); a number; a ranking
 * (one place column per choice: counted is how often each came first). */
typedef enum { Q_SINGLE, Q_MULTI, Q_NUMBER, Q_RANK } QKind;

typedef struct {
    char *key;                /* question name */
    char *title;
    QKind kind;
    int *cols;                /* schema columns */
    int n_cols;
    char **labels;            /* answers (Q_NUMBER: the values seen) */
    char **values;            /* the cell values counted per answer (category names, "1") */
    int n_labels;
    bool summary;             /* Q_NUMBER with too many values: n, mean, min, max only */
    long *counts;             /* [scope][answer], NUMBER_VALUES_MAX wide for Q_NUMBER */
    long *answered;           /* [scope] */
    double *sum, *min, *max;  /* [scope], Q_NUMBER */
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
    long *taking;             /* [site][period] participation */
    long rows;
    char audience[32];
    int n_scopes;             /* 1 (all) + 2 (compared periods, when asked) + n_sites */
    int scope_a, scope_b, scope_site0;
} FormCount;

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
                      : col->kind == DATASET_BINARY  ? Q_MULTI
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
                q->labels[q->n_labels] = xstrdup(col->cats[i].label[0] ? col->cats[i].label
                                                                         : col->cats[i].name);
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

static void free_counts(FormCount *fc)
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

/* ---- the k rule -------------------------------------------------------------- */

typedef struct {
    int k;
    int suppressed;
} Rule;

/* Marks the answers of one scope that must not be shown. A single choice
 * with exactly one hidden answer would give it away (total minus the rest):
 * the next smallest is hidden too. */
static bool apply_k(Rule *rule, const Question *q, int scope, long *counts, bool *hidden)
{
    int n = q->n_labels;
    int width = q->kind == Q_NUMBER ? NUMBER_VALUES_MAX : n;
    int n_hidden = 0;
    for (int i = 0; i < n; i++) {
        counts[i] = q->counts[scope * width + i];
        hidden[i] = counts[i] < rule->k;
        n_hidden += hidden[i];
    }
    if (q->kind != Q_MULTI && q->kind != Q_RANK && n_hidden == 1) {
        int smallest = -1;
        for (int i = 0; i < n; i++)
            if (!hidden[i] && (smallest < 0 || counts[i] < counts[smallest]))
                smallest = i;
        if (smallest >= 0) {
            hidden[smallest] = true;
            n_hidden++;
        }
    }
    rule->suppressed += n_hidden;
    return q->answered[scope] < rule->k;
}

/* A count for a table cell: the number, or "weniger als k". */
static void put_count(FILE *f, Rule *rule, long n)
{
    if (n < rule->k) {
        fprintf(f, "weniger als %d", rule->k);
        rule->suppressed++;
    } else {
        fprintf(f, "%ld", n);
    }
}

/* ---- writing -------------------------------------------------------------------- */

static const char *audience_name(const char *a)
{
    static const char *const names[][2] = {
        {"child", "Kinder"},     {"youth", "Jugendliche"},  {"parent", "Eltern"},
        {"professional", "Fachkräfte"}, {"children", "Kinder"}, {"parents", "Eltern"}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(a, names[i][0]) == 0)
            return names[i][1];
    return a[0] ? a : "Befragte";
}

/* Who took part: a row per period, a column per site (periods grow with
 * every round, sites stay few). */
static void write_taking(FILE *f, FormCount *fc, Rule *rule)
{
    fputs("<h3>Wer hat teilgenommen?</h3>\n<table class=\"taking\"><thead><tr><th>Zeitraum</th>",
          f);
    for (int s = 0; s < fc->n_sites; s++) {
        fputs("<th>", f);
        report_escape(f, fc->sites[s][0] ? fc->sites[s] : "(ohne Standort)");
        fputs("</th>", f);
    }
    fputs("<th>zusammen</th></tr></thead><tbody>\n", f);
    for (int p = 0; p <= fc->n_periods; p++) {
        bool total = p == fc->n_periods;
        fputs(total ? "<tr class=\"total\"><th>zusammen" : "<tr><th>", f);
        if (!total)
            report_escape(f, strcmp(fc->periods[p], NO_DATE) == 0 ? "ohne Datum" : fc->periods[p]);
        fputs("</th>", f);
        long row = 0;
        for (int s = 0; s <= fc->n_sites; s++) {
            long n = 0;
            if (s < fc->n_sites) {
                for (int q = total ? 0 : p; q < (total ? fc->n_periods : p + 1); q++)
                    n += fc->taking[s * fc->n_periods + q];
                row += n;
            } else {
                n = row;
            }
            fputs("<td>", f);
            put_count(f, rule, n);
            fputs("</td>", f);
        }
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
}

static void write_number_summary(FILE *f, const Question *q, int scope, Rule *rule)
{
    if (q->answered[scope] < rule->k) {
        fprintf(f, "<p class=\"few\">Zu wenige Antworten für eine Auswertung (weniger als %d).</p>\n",
                rule->k);
        return;
    }
    fprintf(f, "<p>%ld Antworten; Mittelwert %.1f, kleinster Wert %g, größter Wert %g.</p>\n",
            q->answered[scope], q->sum[scope] / (double)q->answered[scope], q->min[scope],
            q->max[scope]);
}

static int write_question(FILE *f, FormCount *fc, const Question *q, Rule *rule)
{
    int charts = 0;
    fputs("<figure class=\"question\"><figcaption>", f);
    report_escape(f, q->title);
    if (q->kind == Q_MULTI)
        fputs(" <span class=\"hint\">(mehrere Antworten möglich)</span>", f);
    else if (q->kind == Q_RANK)
        fputs(" <span class=\"hint\">(wie oft auf Platz 1 gesetzt)</span>", f);
    fputs("</figcaption>\n", f);
    if (q->kind == Q_NUMBER && (q->summary || q->n_labels == 0)) {
        write_number_summary(f, q, 0, rule);
        fputs("</figure>\n", f);
        return 0;
    }
    int n = q->n_labels;
    long *counts = xcalloc((size_t)(n ? n : 1) * 4, sizeof *counts);
    bool *hidden = xcalloc((size_t)(n ? n : 1) * 4, sizeof *hidden);
    const char **labels = (const char **)q->labels;
    /* All answers. */
    ReportSeries all = {NULL, counts, hidden, q->answered[0], false};
    all.too_few = apply_k(rule, q, 0, counts, hidden);
    if (all.too_few) {
        fprintf(f, "<p class=\"few\">Zu wenige Antworten für ein Diagramm (weniger als %d).</p>\n",
                rule->k);
    } else {
        fprintf(f, "<p class=\"n\">%ld Antworten</p>\n", q->answered[0]);
        report_svg_bars(f, labels, n, &all, 1, rule->k);
        charts++;
    }
    /* The baseline against the later round. */
    if (fc->scope_a > 0 && !all.too_few) {
        ReportSeries two[2];
        const char *names[2] = {fc->o->compare_a, fc->o->compare_b};
        int scopes[2] = {fc->scope_a, fc->scope_b};
        for (int s = 0; s < 2; s++) {
            two[s] = (ReportSeries){names[s], counts + (s + 1) * n, hidden + (s + 1) * n,
                                    q->answered[scopes[s]], false};
            two[s].too_few = apply_k(rule, q, scopes[s], counts + (s + 1) * n, hidden + (s + 1) * n);
        }
        fputs("<p class=\"compare\">Vergleich der Zeiträume</p>\n", f);
        report_svg_bars(f, labels, n, two, 2, rule->k);
        charts++;
    }
    /* The sites beside each other. */
    if (fc->n_sites > 1 && !all.too_few) {
        fputs("<table class=\"sites\"><thead><tr><th>Antwort</th>", f);
        for (int s = 0; s < fc->n_sites; s++) {
            fputs("<th>", f);
            report_escape(f, fc->sites[s][0] ? fc->sites[s] : "(ohne Standort)");
            fputs("</th>", f);
        }
        fputs("</tr></thead><tbody>\n", f);
        long *sc = xcalloc((size_t)n * (size_t)fc->n_sites + 1, sizeof *sc);
        bool *sh = xcalloc((size_t)n * (size_t)fc->n_sites + 1, sizeof *sh);
        bool *few = xcalloc((size_t)fc->n_sites, sizeof *few);
        for (int s = 0; s < fc->n_sites; s++)
            few[s] = apply_k(rule, q, fc->scope_site0 + s, sc + s * n, sh + s * n);
        for (int i = 0; i < n; i++) {
            fputs("<tr><th>", f);
            report_escape(f, labels[i]);
            fputs("</th>", f);
            for (int s = 0; s < fc->n_sites; s++) {
                long tot = q->answered[fc->scope_site0 + s];
                if (few[s])
                    fprintf(f, "<td class=\"hidden\">weniger als %d Antworten</td>", rule->k);
                else if (sh[s * n + i])
                    fprintf(f, "<td class=\"hidden\">weniger als %d</td>", rule->k);
                else
                    fprintf(f, "<td>%.0f %% (%ld)</td>",
                            tot ? 100.0 * (double)sc[s * n + i] / (double)tot : 0.0, sc[s * n + i]);
            }
            fputs("</tr>\n", f);
        }
        fputs("</tbody></table>\n", f);
        free(sc);
        free(sh);
        free(few);
    }
    fputs("</figure>\n", f);
    free(counts);
    free(hidden);
    return charts;
}

/* ---- free texts and workshops ------------------------------------------------------ */

typedef struct {
    FILE *f;
    const ReportOptions *o;
    const char *form;
    int n;
} Texts;

static bool on_text(const ArchiveExtra *e, void *ctx)
{
    Texts *t = ctx;
    if (t->o->site && t->o->site[0] && strcmp(e->site, t->o->site) != 0)
        return true;
    cJSON *row = cJSON_Parse(e->cells);
    const cJSON *form = cJSON_GetObjectItemCaseSensitive(row, "form");
    const cJSON *text = cJSON_GetObjectItemCaseSensitive(row, "text");
    const cJSON *q = cJSON_GetObjectItemCaseSensitive(row, "question");
    if (cJSON_IsString(form) && strcmp(form->valuestring, t->form) == 0 && cJSON_IsString(text) &&
        text->valuestring[0]) {
        if (t->n++ == 0)
            fputs("<h3>Was die Befragten geschrieben haben</h3>\n<ul class=\"texts\">\n", t->f);
        fputs("<li>", t->f);
        report_escape(t->f, text->valuestring);
        if (cJSON_IsString(q)) {
            fputs(" <span class=\"hint\">(", t->f);
            report_escape(t->f, q->valuestring);
            fputs(")</span>", t->f);
        }
        fputs("</li>\n", t->f);
    }
    cJSON_Delete(row);
    return true;
}

typedef struct {
    FILE *f;
    Archive *a;
    const ReportOptions *o;
    char current[96];         /* batch + workshop of the list being written */
    int workshops;
} Ideas;

static void write_picture(FILE *f, Archive *a, const char *batch, const char *rel)
{
    void *data = NULL;
    size_t len = 0;
    if (archive_media_get(a, batch, rel, &data, &len) != KS_OK || len > PICTURE_MAX) {
        free(data);
        return;
    }
    size_t b64_len = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
    char *b64 = xmalloc(b64_len);
    sodium_bin2base64(b64, b64_len, data, len, sodium_base64_VARIANT_ORIGINAL);
    fprintf(f, "<img class=\"drawing\" alt=\"Zeichnung\" src=\"data:image/png;base64,%s\">", b64);
    free(b64);
    free(data);
}

/* Cards come in rank order within a workshop file (the kiosk writes them
 * so); a new file starts a new list. */
static bool on_card(const ArchiveExtra *e, void *ctx)
{
    Ideas *w = ctx;
    if (w->o->site && w->o->site[0] && strcmp(e->site, w->o->site) != 0)
        return true;
    char key[96];
    snprintf(key, sizeof key, "%s/%s", e->batch_id, e->file);
    cJSON *row = cJSON_Parse(e->cells);
    const cJSON *text = cJSON_GetObjectItemCaseSensitive(row, "text");
    const cJSON *votes = cJSON_GetObjectItemCaseSensitive(row, "votes");
    const cJSON *rank = cJSON_GetObjectItemCaseSensitive(row, "rank");
    const cJSON *drawing = cJSON_GetObjectItemCaseSensitive(row, "drawing");
    const cJSON *phase = cJSON_GetObjectItemCaseSensitive(row, "phase");
    if (strcmp(key, w->current) != 0) {
        if (w->current[0])
            fputs("</ol>\n", w->f);
        str_copy(w->current, sizeof w->current, key);
        w->workshops++;
        fprintf(w->f, "<h3>Werkstatt %d – Standort ", w->workshops);
        report_escape(w->f, e->site[0] ? e->site : "(ohne Standort)");
        fputs(", Kiosk ", w->f);
        report_escape(w->f, e->kiosk_id);
        fputs("</h3>\n<ol class=\"ideas\">\n", w->f);
    }
    fputs("<li>", w->f);
    if (cJSON_IsString(rank) && rank->valuestring[0]) {
        fputs("<span class=\"rank\">Platz ", w->f);
        report_escape(w->f, rank->valuestring);
        fputs("</span> ", w->f);
    }
    if (cJSON_IsString(text))
        report_escape(w->f, text->valuestring);
    if (cJSON_IsString(votes) && votes->valuestring[0]) {
        fputs(" <span class=\"dots\">● ", w->f);
        report_escape(w->f, votes->valuestring);
        fputs(" Punkte</span>", w->f);
    }
    if (cJSON_IsString(phase) && phase->valuestring[0]) {
        fputs(" <span class=\"hint\">(", w->f);
        report_escape(w->f, phase->valuestring);
        fputs(")</span>", w->f);
    }
    if (cJSON_IsString(drawing) && drawing->valuestring[0])
        write_picture(w->f, w->a, e->batch_id, drawing->valuestring);
    fputs("</li>\n", w->f);
    cJSON_Delete(row);
    return true;
}

/* ---- the document ---------------------------------------------------------------- */

static const char STYLE[] =
    "body{font-family:'Noto Sans','DejaVu Sans',sans-serif;color:#222;max-width:60rem;"
    "margin:2rem auto;padding:0 1rem;line-height:1.4}\n"
    "h1{font-size:1.7rem}h2{border-bottom:2px solid #2f6fbf;padding-bottom:.2rem;margin-top:2.5rem}"
    "h3{margin-top:1.6rem}\n"
    "table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.9rem}"
    "th,td{border:1px solid #bbb;padding:.25rem .5rem;text-align:right}"
    "th:first-child{text-align:left}thead th{background:#eef3fa}tr.total{font-weight:bold}\n"
    "figure.question{margin:1.2rem 0 1.8rem;break-inside:avoid;page-break-inside:avoid}"
    "figcaption{font-weight:bold;margin-bottom:.3rem}\n"
    "svg.chart{width:100%;height:auto;font-size:13px}svg .answer{fill:#222}"
    "svg .value{fill:#333}svg .hidden{fill:#777;font-style:italic}svg .legend{fill:#222}\n"
    ".hint,.n,.compare{color:#555;font-weight:normal;font-size:.9rem}.few,.hidden{color:#777;"
    "font-style:italic}\n"
    ".note{background:#f4f7fb;border-left:4px solid #2f6fbf;padding:.5rem .8rem}\n"
    "ol.ideas li{margin:.4rem 0}.dots{color:#b35c00;white-space:nowrap}.rank{font-weight:bold}"
    "img.drawing{display:block;max-width:14rem;border:1px solid #ccc;margin:.3rem 0}\n"
    "@media print{body{margin:0;max-width:none}h2{page-break-before:always}"
    "a{color:inherit;text-decoration:none}}\n";

static int write_form(FILE *f, Archive *a, const ReportOptions *o, const char *form, Rule *rule,
                      ReportResult *res, char *why, size_t size)
{
    FormSchema s;
    KsStatus ks = schema_build(a, form, &s, why, size);
    if (ks != KS_OK)
        return 0;
    FormCount fc = {.o = o, .s = &s};
    ArchiveFilter filt = {form, o->site, NULL, NULL};
    ks = archive_responses_each(a, &filt, on_taking, &fc);
    if (ks != KS_OK || fc.rows == 0) {
        free_counts(&fc);
        schema_clear(&s);
        return 0;
    }
    qsort(fc.sites, (size_t)fc.n_sites, sizeof *fc.sites, str_cmp);
    qsort(fc.periods, (size_t)fc.n_periods, sizeof *fc.periods, str_cmp);
    fc.taking = xcalloc((size_t)(fc.n_sites * fc.n_periods), sizeof *fc.taking);
    fc.n_scopes = 1;
    if (o->compare_a && o->compare_b) {
        fc.scope_a = fc.n_scopes++;
        fc.scope_b = fc.n_scopes++;
    }
    fc.scope_site0 = fc.n_scopes;
    fc.n_scopes += fc.n_sites;
    find_questions(&fc);
    alloc_counts(&fc);
    Pass2 p2 = {&fc, xcalloc((size_t)s.table->n_cols, sizeof *p2.cells)};
    ks = archive_responses_each(a, &filt, on_counts, &p2);
    free(p2.cells);
    for (int i = 0; i < fc.n_q; i++)
        if (fc.q[i].kind == Q_NUMBER && !fc.q[i].summary)
            sort_values(&fc.q[i], fc.n_scopes);

    fprintf(f, "<section id=\"form-");
    report_escape(f, form);
    fprintf(f, "\">\n<h2>%s <span class=\"hint\">(Fragebogen ", audience_name(fc.audience));
    report_escape(f, form);
    fprintf(f, ", %ld Antworten)</span></h2>\n", fc.rows);
    write_taking(f, &fc, rule);
    if (o->compare_a)
        fprintf(f, "<p class=\"note\">Verglichen werden %s (Ausgangslage) und %s.</p>\n",
                o->compare_a, o->compare_b);
    for (int i = 0; i < fc.n_q; i++)
        res->charts += write_question(f, &fc, &fc.q[i], rule);
    Texts t = {f, o, form, 0};
    (void)archive_extras_each(a, "freetext.csv", on_text, &t);
    if (t.n)
        fputs("</ul>\n", f);
    fputs("</section>\n", f);
    res->rows += fc.rows;
    free_counts(&fc);
    schema_clear(&s);
    return ks == KS_OK ? 1 : 0;
}

typedef struct {
    int k;
} MinK;

static bool on_k(const ArchiveBatch *b, void *ctx)
{
    MinK *m = ctx;
    if ((b->state == ARCHIVE_BATCH_RECEIVED || b->state == ARCHIVE_BATCH_STANDS_IN) && b->k > 0 &&
        (m->k == 0 || b->k < m->k))
        m->k = b->k;
    return true;
}

KsStatus report_write(Archive *a, const ReportOptions *o, ReportResult *out, char *why,
                      size_t size)
{
    memset(out, 0, sizeof *out);
    char **forms = NULL;
    int n_forms = 0;
    KsStatus ks = archive_forms(a, &forms, &n_forms);
    if (ks != KS_OK)
        return ks;
    MinK mk = {0};
    (void)archive_batch_each(a, on_k, &mk);
    /* k: the strictest of the batches; the kiosk's default when none says. */
    Rule rule = {mk.k ? mk.k : 5, 0};
    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%s.tmp", o->path);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        snprintf(why, size, "%s lässt sich nicht schreiben.", o->path);
        ks = KS_ERR_IO;
    }
    if (ks == KS_OK) {
        char today[32];
        clock_format_iso(clock_wall_ms(), today);
        today[10] = '\0';
        fputs("<!DOCTYPE html>\n<html lang=\"de\">\n<head>\n<meta charset=\"utf-8\">\n"
              "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
              "<title>Bedarfsanalyse – Auswertung</title>\n<style>\n", f);
        fputs(STYLE, f);
        fputs("</style>\n</head>\n<body>\n<header>\n<h1>Bedarfsanalyse – Auswertung</h1>\n<p>", f);
        if (o->site && o->site[0]) {
            fputs("Standort ", f);
            report_escape(f, o->site);
            fputs("; ", f);
        } else {
            fputs("Alle Standorte; ", f);
        }
        fprintf(f, "erstellt am %s mit km2eval.</p>\n", today);
        fprintf(f, "<p class=\"note\">Datenschutz: Jede Zahl unter %d erscheint als „weniger als "
                   "%d“, damit niemand aus kleinen Gruppen erkannt werden kann; Diagramme mit zu "
                   "wenigen Antworten werden nicht gezeichnet. Prozente beziehen sich auf alle, "
                   "die die Frage beantwortet haben.</p>\n</header>\n",
                rule.k, rule.k);
        for (int i = 0; i < n_forms; i++) {
            if (o->form && o->form[0] && strcmp(o->form, forms[i]) != 0)
                continue;
            out->forms += write_form(f, a, o, forms[i], &rule, out, why, size);
        }
        Ideas w = {f, a, o, "", 0};
        fputs("<section id=\"werkstatt\">\n", f);
        long at = ftell(f);
        fputs("<h2>Zukunftswerkstatt: Ideen nach Punkten</h2>\n", f);
        (void)archive_extras_each(a, "workshop-%-cards.csv", on_card, &w);
        if (w.current[0])
            fputs("</ol>\n", f);
        if (w.workshops == 0 && at >= 0)
            fputs("<p class=\"hint\">Keine Werkstatt in dieser Auswahl.</p>\n", f);
        fputs("</section>\n</body>\n</html>\n", f);
        out->suppressed = rule.suppressed;
        bool bad = ferror(f) != 0;
        if (fflush(f) != 0 || fsync(fileno(f)) != 0)
            bad = true;
        fclose(f);
        if (bad || out->forms == 0) {
            if (!bad) {
                snprintf(why, size, "in dieser Auswahl gibt es keine Antworten.");
                ks = KS_ERR_NOT_FOUND;
            } else {
                snprintf(why, size, "%s ließ sich nicht vollständig schreiben.", o->path);
                ks = KS_ERR_IO;
            }
            remove(tmp);
        } else if (rename(tmp, o->path) != 0) {
            snprintf(why, size, "%s ließ sich nicht anlegen.", o->path);
            ks = KS_ERR_IO;
        }
    }
    for (int i = 0; i < n_forms; i++)
        free(forms[i]);
    free(forms);
    return ks;
}
