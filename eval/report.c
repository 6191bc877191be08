/* report: the German HTML report (see report.h), written from the counts
 * of report_count.c with the k rule applied to every number that is shown;
 * the approved free texts and the workshops' ideas with their drawings. */
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
#include "report_count.h"
#include "report_svg.h"
#include "schema.h"

#define PICTURE_MAX (4 * 1024 * 1024)

bool report_period_in(const char *p, const char *asked)
{
    size_t n = strlen(asked);
    return strncmp(p, asked, n) == 0 && (p[n] == '\0' || p[n] == '-');
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
    static const char *const names[][2] = {{"child", "Kinder"},    {"youth", "Jugendliche"},
                                           {"parent", "Eltern"},   {"professional", "Fachkräfte"},
                                           {"children", "Kinder"}, {"parents", "Eltern"}};
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
        fprintf(f,
                "<p class=\"few\">Zu wenige Antworten für eine Auswertung (weniger als %d).</p>\n",
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
            two[s].too_few =
                apply_k(rule, q, scopes[s], counts + (s + 1) * n, hidden + (s + 1) * n);
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
    char current[96]; /* batch + workshop of the list being written */
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
    FormCount fc;
    report_count_init(&fc, o, &s);
    ks = report_count_taking(a, form, &fc);
    if (ks != KS_OK || fc.rows == 0) {
        report_count_free(&fc);
        schema_clear(&s);
        return 0;
    }
    ks = report_count_answers(a, form, &fc);

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
    report_count_free(&fc);
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

KsStatus report_write(Archive *a, const ReportOptions *o, ReportResult *out, char *why, size_t size)
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
              "<title>Bedarfsanalyse – Auswertung</title>\n<style>\n",
              f);
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
        fprintf(f,
                "<p class=\"note\">Datenschutz: Jede Zahl unter %d erscheint als „weniger als "
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
