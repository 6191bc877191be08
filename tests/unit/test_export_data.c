/* test_export_data: the data files of a batch, from a real Store filled
 * through the write API and the forms in tests/fixtures/forms/export —
 * columns (site_code in every row), no stored uuid anywhere, shuffling,
 * k-anonymity recounted over the quasi-identifier columns (the survey
 * language among them, or not: export_qi_lang), the small-batch hold-back,
 * misuse left out,
 * only approved free text and drawings (contact data masked), and the
 * `readstat` command turning responses.sav back into the CSV's rows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../export/anonymise.h"
#include "../../export/datapackage.h"
#include "../../export/export_data.h"
#include "../../export/responses.h"
#include "../../firmware/storage/store_export.h"
#include "../../firmware/storage/store_responses.h"
#include "../../firmware/survey/csv.h"
#include "../test_files.h"
#include "../test_main.h"
#include "../test_tmp.h"
#include "export_fixture.h"

#define T0 1795000000000LL /* 2026-11-18, ISO week 2026-W47 */

typedef struct {
    StoreFixture sf;
    char uuids[64][33];
    int n_uuids;
} Fx;

static int setup(void **state)
{
    Fx *f = store_fixture_new(sizeof(Fx), "ks_exd", 0, "tests/fixtures/forms/export");
    assert_int_equal(catalog_count(f->sf.cat), 2);
    *state = f;
    return 0;
}

/* One session in a language: answers as "question=value" pairs; misuse may
 * be NULL. */
static int64_t add_session_in(Fx *f, const char *form, const char *lang, const char *const *answers,
                              int n, bool complete, const char *misuse, int64_t at)
{
    const Form *fm = catalog_find(f->sf.cat, form);
    assert_non_null(fm);
    snprintf(f->uuids[f->n_uuids], 33, "%08x%024d", 0xabc00000u + (unsigned)f->n_uuids, 7);
    StoreSessionMeta m = {
        f->uuids[f->n_uuids], form, form_version(fm), form_sha256(fm), lang, "youth", at, false};
    f->n_uuids++;
    int64_t id = 0;
    assert_int_equal(store_session_begin(f->sf.store, &m, &id), KS_OK);
    for (int i = 0; i < n; i++) {
        char q[64];
        const char *eq = strchr(answers[i], '=');
        snprintf(q, sizeof q, "%.*s", (int)(eq - answers[i]), answers[i]);
        assert_int_equal(store_answer_put(f->sf.store, id, q, eq + 1, at + 1000 * i), KS_OK);
    }
    if (misuse)
        assert_int_equal(store_session_flag_misuse(f->sf.store, id, misuse), KS_OK);
    if (complete)
        assert_int_equal(store_session_finish(f->sf.store, id, STORE_OUTCOME_COMPLETE, at + 60000),
                         KS_OK);
    return id;
}

/* One session in German. */
static int64_t add_session(Fx *f, const char *form, const char *const *answers, int n,
                           bool complete, const char *misuse, int64_t at)
{
    return add_session_in(f, form, "de", answers, n, complete, misuse, at);
}

/* A probe session in a language with the running number nr and the given
 * QI values. */
static int64_t add_probe_in(Fx *f, const char *lang, int nr, const char *gender, const char *age,
                            const char *langs)
{
    char a[8][64];
    int n = 0;
    snprintf(a[n++], 64, "nr=%d", nr);
    if (gender)
        snprintf(a[n++], 64, "geschlecht=%s", gender);
    if (age)
        snprintf(a[n++], 64, "alter=%s", age);
    if (langs)
        snprintf(a[n++], 64, "sprachen=%s", langs);
    snprintf(a[n++], 64, "weg=%d.5", nr % 4);
    snprintf(a[n++], 64, "zufrieden=%d", 1 + nr % 5);
    snprintf(a[n++], 64, "orte=%s", nr % 2 ? "park library" : "sport");
    snprintf(a[n++], 64, "rangfolge=%s", nr % 2 ? "library park sport" : "sport park");
    const char *p[8];
    for (int i = 0; i < n; i++)
        p[i] = a[i];
    return add_session_in(f, "probe", lang, p, n, true, NULL, T0 + nr * 1000LL);
}

static int64_t add_probe(Fx *f, int nr, const char *gender, const char *age, const char *langs)
{
    return add_probe_in(f, "de", nr, gender, age, langs);
}

static ExportDataOptions opts(int k)
{
    ExportDataOptions o = export_options("TEST1-20261124-ABCD", k);
    o.site_code = "HH-01";
    o.qi_lang = true; /* kiosk.conf's default */
    return o;
}

/* Exports into a fresh folder under the fixture; path gets the folder. */
static KsStatus run_export(Fx *f, const ExportDataOptions *o, ExportDataResult *r, char *path,
                           size_t size)
{
    snprintf(path, size, "%s/out%d", f->sf.dir, f->sf.runs++);
    assert_int_equal(mkdir(path, 0700), 0);
    return export_data_build(f->sf.store, f->sf.cat, o, path, r);
}

/* The default export (opts(5)), which must succeed, into a fresh folder
 * (out); its result. */
static ExportDataResult export_default(Fx *f, char *out, size_t size)
{
    ExportDataOptions o = opts(5);
    ExportDataResult r;
    assert_int_equal(run_export(f, &o, &r, out, size), KS_OK);
    return r;
}

/* An export that succeeds with rows rows, into a fresh folder (out). */
static void export_rows(Fx *f, const ExportDataOptions *o, char *out, size_t size, int rows)
{
    ExportDataResult r;
    assert_int_equal(run_export(f, o, &r, out, size), KS_OK);
    assert_int_equal(r.rows, rows);
    export_data_result_free(&r);
}

/* The CSV file at path, parsed. */
static CsvTable *parse_csv_file(const char *path)
{
    size_t len = 0;
    char *buf = test_slurp(path, &len);
    assert_non_null(buf);
    CsvTable *t = NULL;
    assert_int_equal(csv_parse(buf, len, &t, NULL, 0), KS_OK);
    free(buf);
    return t;
}

/* The batch's data file name, parsed. */
static CsvTable *read_csv(const char *dir, const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/data/%s", dir, name);
    return parse_csv_file(path);
}

static int col_of(const CsvTable *t, const char *name)
{
    for (int c = 0; c < csv_cols(t, 0); c++)
        if (strcmp(csv_cell(t, 0, c), name) == 0)
            return c;
    return -1;
}

/* Every file under dir (recursively) must not contain needle. */
static void assert_nowhere(const char *dir, const char *needle)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat sb;
        assert_int_equal(stat(path, &sb), 0);
        if (S_ISDIR(sb.st_mode)) {
            assert_nowhere(path, needle);
            continue;
        }
        size_t len = 0;
        char *buf = test_slurp(path, &len);
        assert_non_null(buf);
        assert_null(memmem(buf, len, needle, strlen(needle)));
        free(buf);
    }
    closedir(d);
}

static void fill_mixed(Fx *f, int n)
{
    static const char *const g[] = {"female", "male", "diverse"};
    static const char *const a[] = {"10_11", "12_13", "14_15"};
    static const char *const l[] = {"de", "de tr", "ar"};
    for (int i = 0; i < n; i++)
        add_probe(f, i + 1, g[i % 2], a[(i / 2) % 2], l[i % 3 == 0 ? 0 : 1]);
    (void)g[2];
    (void)a[2];
    (void)l[2];
}

static void test_columns_and_files(void **state)
{
    Fx *f = *state;
    fill_mixed(f, 12);
    for (int i = 0; i < 5; i++) {
        const char *a[] = {i % 2 ? "alter=small" : "alter=big", "nr=100", "wunsch=Ruhe"};
        add_session(f, "zweit", a, 3, true, NULL, T0);
    }
    /* not complete: never exported */
    const char *open_a[] = {"nr=555"};
    add_session(f, "probe", open_a, 1, false, NULL, T0);
    char out[128];
    ExportDataResult r = export_default(f, out, sizeof out);
    assert_int_equal(r.rows, 17);
    assert_int_equal(r.n_sessions, 17);
    assert_non_null(r.session_ids);
    assert_string_equal(r.period_from, "2026-W47");
    assert_string_equal(r.period_to, "2026-W47");
    assert_non_null(strstr(r.forms, "probe 2026-11-24.1"));
    assert_non_null(strstr(r.forms, "zweit 2026-11-24.3"));

    CsvTable *t = read_csv(out, "responses.csv");
    assert_int_equal(csv_rows(t), 18);
    static const char *const want[] = {"response_id",
                                       "form",
                                       "form_version",
                                       "site_code",
                                       "lang",
                                       "audience",
                                       "period",
                                       "clock_doubt",
                                       "geschlecht",
                                       "probe_alter",
                                       "sprachen_de",
                                       "sprachen_tr",
                                       "sprachen_ar",
                                       "nr",
                                       "weg",
                                       "zufrieden",
                                       "orte_park",
                                       "orte_sport",
                                       "orte_library",
                                       "rangfolge_park",
                                       "rangfolge_sport",
                                       "rangfolge_library",
                                       "ok",
                                       "zweit_alter"};
    int n_want = (int)(sizeof want / sizeof want[0]);
    assert_int_equal(csv_cols(t, 0), n_want);
    for (int c = 0; c < n_want; c++)
        assert_string_equal(csv_cell(t, 0, c), want[c]);
    assert_int_equal(col_of(t, "wunsch"), -1);
    assert_int_equal(col_of(t, "bild"), -1);
    assert_int_equal(col_of(t, "rechnung"), -1);
    assert_int_equal(col_of(t, "hallo"), -1);
    int probe = 0, zweit = 0;
    for (int r2 = 1; r2 < csv_rows(t); r2++) {
        const char *form = csv_cell(t, r2, 1);
        assert_int_equal(strlen(csv_cell(t, r2, 0)), 10);
        assert_string_equal(csv_cell(t, r2, 3), "HH-01");
        assert_string_equal(csv_cell(t, r2, 6), "2026-W47");
        if (strcmp(form, "probe") == 0) {
            probe++;
            assert_string_equal(csv_cell(t, r2, 2), "2026-11-24.1");
            assert_string_equal(csv_cell(t, r2, col_of(t, "zweit_alter")), "");
            /* multiple choice as 0/1, rank as places */
            int nr = atoi(csv_cell(t, r2, col_of(t, "nr")));
            assert_string_equal(csv_cell(t, r2, col_of(t, "orte_park")), nr % 2 ? "1" : "0");
            assert_string_equal(csv_cell(t, r2, col_of(t, "rangfolge_sport")), nr % 2 ? "3" : "1");
            assert_string_equal(csv_cell(t, r2, col_of(t, "rangfolge_library")), nr % 2 ? "1" : "");
        } else {
            zweit++;
            assert_string_equal(form, "zweit");
            assert_string_equal(csv_cell(t, r2, col_of(t, "nr")), "100");
            assert_string_equal(csv_cell(t, r2, col_of(t, "geschlecht")), "");
        }
    }
    assert_int_equal(probe, 12);
    assert_int_equal(zweit, 5);
    csv_destroy(t);

    static const char *const files[] = {
        "responses.sav", "datapackage.json",       "codebook.md", "freetext.csv",
        "drawings.csv",  "disclosure-report.json", "batch.json"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char p[256];
        snprintf(p, sizeof p, "%s/data/%s", out, files[i]);
        assert_int_equal(access(p, R_OK), 0);
    }
    /* datapackage.json reads back to the CSV's columns, categories with
     * their codes and German labels, without any form */
    char dp[256], why[256];
    snprintf(dp, sizeof dp, "%s/data/datapackage.json", out);
    DatasetTable **tables = NULL;
    int n_tables = 0;
    assert_int_equal(datapackage_read(dp, &tables, &n_tables, why, sizeof why), KS_OK);
    assert_int_equal(n_tables, 3);
    assert_string_equal(tables[1]->name, "freetext");
    assert_string_equal(tables[2]->name, "drawings");
    assert_int_equal(tables[0]->n_cols, n_want);
    for (int c = 0; c < n_want; c++)
        assert_string_equal(tables[0]->cols[c].name, want[c]);
    const DatasetColumn *gc = &tables[0]->cols[dataset_table_find(tables[0], "geschlecht")];
    assert_int_equal(gc->kind, DATASET_CATEGORY);
    assert_int_equal(gc->n_cats, 3);
    assert_int_equal(gc->cats[1].code, 2);
    assert_string_equal(gc->cats[1].name, "male");
    assert_string_equal(gc->cats[1].label, "männlich");
    assert_string_equal(gc->form_id, "probe");
    assert_true(gc->quasi_identifier);
    const DatasetColumn *za = &tables[0]->cols[dataset_table_find(tables[0], "zweit_alter")];
    assert_string_equal(za->cats[0].label, "unter 6");
    assert_string_equal(za->form_id, "zweit");
    assert_string_equal(tables[0]->cols[dataset_table_find(tables[0], "nr")].forms, "probe, zweit");
    assert_int_equal(tables[0]->cols[dataset_table_find(tables[0], "orte_park")].kind,
                     DATASET_BINARY);
    const DatasetColumn *site = &tables[0]->cols[3];
    assert_int_equal(site->kind, DATASET_STRING);
    assert_false(site->quasi_identifier);
    assert_null(site->forms);
    assert_true(tables[0]->cols[4].quasi_identifier); /* lang, by default */
    datapackage_free_tables(tables, n_tables);
    /* The batch names its site (kiosk.conf site_code). */
    char bj[256], text[4096];
    snprintf(bj, sizeof bj, "%s/data/batch.json", out);
    FILE *fp = fopen(bj, "r");
    assert_non_null(fp);
    size_t got = fread(text, 1, sizeof text - 1, fp);
    fclose(fp);
    text[got] = '\0';
    assert_non_null(strstr(text, "\"site_code\""));
    assert_non_null(strstr(text, "\"HH-01\""));
    char data[160];
    snprintf(data, sizeof data, "%s/data", out);
    for (int i = 0; i < f->n_uuids; i++)
        assert_nowhere(data, f->uuids[i]);
    /* no exact time either (the first session started at T0 + 1 s) */
    assert_nowhere(data, "2026-11-18T");
    export_data_result_free(&r);
}

static void read_column(const char *out, const char *name, char vals[][16], int *n)
{
    CsvTable *t = read_csv(out, "responses.csv");
    int c = col_of(t, name);
    assert_true(c >= 0);
    *n = csv_rows(t) - 1;
    for (int r = 1; r < csv_rows(t); r++)
        snprintf(vals[r - 1], 16, "%s", csv_cell(t, r, c));
    csv_destroy(t);
}

static void test_shuffled_fresh_ids(void **state)
{
    Fx *f = *state;
    fill_mixed(f, 20);
    ExportDataOptions o = opts(5);
    char nr[3][32][16], ids[3][32][16];
    int unsorted = 0;
    for (int run = 0; run < 3; run++) {
        ExportDataResult r;
        char out[128];
        assert_int_equal(run_export(f, &o, &r, out, sizeof out), KS_OK);
        int n = 0;
        read_column(out, "nr", nr[run], &n);
        assert_int_equal(n, 20);
        read_column(out, "response_id", ids[run], &n);
        bool sorted = true;
        for (int i = 1; i < n; i++)
            sorted &= atoi(nr[run][i - 1]) < atoi(nr[run][i]);
        unsorted += !sorted;
        export_data_result_free(&r);
    }
    /* 20! orders: all three in insertion order would be a broken shuffle */
    assert_true(unsorted >= 2);
    assert_true(memcmp(nr[0], nr[1], sizeof nr[0]) != 0 || memcmp(nr[1], nr[2], sizeof nr[0]) != 0);
    /* fresh random ids each batch */
    for (int i = 0; i < 20; i++)
        for (int j = 0; j < 20; j++)
            assert_string_not_equal(ids[0][i], ids[1][j]);
}

/* Recounts k-anonymity over the QI columns of one form's rows. */
static void recount_k(const char *out, const char *form, const char *const *qi, int n_qi, int k)
{
    CsvTable *t = read_csv(out, "responses.csv");
    int cols[16];
    for (int j = 0; j < n_qi; j++) {
        cols[j] = col_of(t, qi[j]);
        assert_true(cols[j] >= 0);
    }
    int fc = col_of(t, "form");
    for (int r = 1; r < csv_rows(t); r++) {
        if (strcmp(csv_cell(t, r, fc), form) != 0)
            continue;
        bool any = false;
        for (int j = 0; j < n_qi; j++)
            any |= csv_cell(t, r, cols[j])[0] != '\0';
        if (!any)
            continue; /* every field suppressed (or never answered) */
        int same = 0;
        for (int r2 = 1; r2 < csv_rows(t); r2++) {
            if (strcmp(csv_cell(t, r2, fc), form) != 0)
                continue;
            bool eq = true;
            for (int j = 0; j < n_qi && eq; j++)
                eq = strcmp(csv_cell(t, r, cols[j]), csv_cell(t, r2, cols[j])) == 0;
            same += eq;
        }
        assert_true(same >= k);
    }
    csv_destroy(t);
}

static int count_nonempty(const char *out, const char *col)
{
    CsvTable *t = read_csv(out, "responses.csv");
    int c = col_of(t, col), n = 0;
    for (int r = 1; r < csv_rows(t); r++)
        n += csv_cell(t, r, c)[0] != '\0';
    csv_destroy(t);
    return n;
}

static void test_k_anonymity(void **state)
{
    Fx *f = *state;
    /* 10 alike (must stay), 6 alike but for age (age 3 vs 3: suppressed),
     * 2 unique ones (suppressed down to nothing) */
    for (int i = 0; i < 10; i++)
        add_probe(f, i, "female", "12_13", "de");
    for (int i = 0; i < 6; i++)
        add_probe(f, 20 + i, "male", i % 2 ? "10_11" : "14_15", "de tr");
    add_probe(f, 40, "diverse", "10_11", "ar");
    add_probe(f, 41, "female", "14_15", "tr");
    char out[128];
    ExportDataResult r = export_default(f, out, sizeof out);
    /* one form in the batch: no name clash, so "alter" keeps its name;
     * the survey language counts too */
    static const char *const qi[] = {"geschlecht",  "alter",       "sprachen_de",
                                     "sprachen_tr", "sprachen_ar", "lang"};
    recount_k(out, "probe", qi, 6, 5);
    /* the big group is untouched: 10 rows still say female / 12_13 */
    CsvTable *t = read_csv(out, "responses.csv");
    int g = col_of(t, "geschlecht"), a = col_of(t, "alter"), big = 0;
    for (int row = 1; row < csv_rows(t); row++)
        big +=
            strcmp(csv_cell(t, row, g), "female") == 0 && strcmp(csv_cell(t, row, a), "12_13") == 0;
    csv_destroy(t);
    assert_int_equal(big, 10);
    /* the report's counts match what disappeared */
    char path[256];
    snprintf(path, sizeof path, "%s/data/disclosure-report.json", out);
    char *rep = test_slurp(path, NULL);
    assert_non_null(rep);
    int lost_age = 18 - count_nonempty(out, "alter");
    int lost_gender = 18 - count_nonempty(out, "geschlecht");
    assert_true(lost_age > 0);
    char want[64];
    snprintf(want, sizeof want, "\"alter\":\t%d", lost_age);
    assert_non_null(strstr(rep, want));
    snprintf(want, sizeof want, "\"geschlecht\":\t%d", lost_gender);
    assert_non_null(strstr(rep, want));
    snprintf(want, sizeof want, "\"lang\":\t%d", 18 - count_nonempty(out, "lang"));
    assert_non_null(strstr(rep, want));
    assert_non_null(strstr(rep, "\"k\":\t5"));
    free(rep);
    export_data_result_free(&r);
}

/* The column of the batch's responses table as datapackage.json has it. */
static DatasetColumn *package_column(DatasetTable **tables, int n, const char *name)
{
    assert_true(n >= 1);
    assert_string_equal(tables[0]->name, "responses");
    int c = dataset_table_find(tables[0], name);
    assert_true(c >= 0);
    return &tables[0]->cols[c];
}

static char *data_file(const char *out, const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/data/%s", out, name);
    char *text = test_slurp(path, NULL);
    assert_non_null(text);
    return text;
}

/* 10 German, 3 Turkish and 3 Arabic answers with the same quasi-identifier
 * answers: with export_qi_lang (the default) the two small language groups
 * lose their language and nothing else; without it every value stays. */
static void test_lang_quasi_identifier(void **state)
{
    Fx *f = *state;
    for (int i = 0; i < 10; i++)
        add_probe_in(f, "de", i, "female", "12_13", "de");
    for (int i = 0; i < 3; i++)
        add_probe_in(f, "tr", 20 + i, "female", "12_13", "de");
    for (int i = 0; i < 3; i++)
        add_probe_in(f, "ar", 30 + i, "female", "12_13", "de");
    char out[128], why[256];
    ExportDataResult r = export_default(f, out, sizeof out);
    assert_int_equal(r.rows, 16);
    static const char *const qi[] = {"geschlecht",  "alter",       "sprachen_de",
                                     "sprachen_tr", "sprachen_ar", "lang"};
    recount_k(out, "probe", qi, 6, 5);
    char vals[32][16];
    int n = 0, de = 0, blank = 0;
    read_column(out, "lang", vals, &n);
    assert_int_equal(n, 16);
    for (int i = 0; i < n; i++) {
        de += strcmp(vals[i], "de") == 0;
        blank += vals[i][0] == '\0';
    }
    assert_int_equal(de, 10);
    assert_int_equal(blank, 6);
    assert_int_equal(count_nonempty(out, "geschlecht"), 16);
    assert_int_equal(count_nonempty(out, "alter"), 16);
    assert_int_equal(count_nonempty(out, "sprachen_de"), 16);
    char *rep = data_file(out, "disclosure-report.json");
    assert_non_null(strstr(rep, "\"quasi_identifiers\":\t[\"geschlecht\", \"alter\", "
                                "\"sprachen\", \"lang\"]"));
    assert_non_null(strstr(rep, "\"lang\":\t6"));
    assert_non_null(strstr(rep, "\"alter\":\t0"));
    assert_non_null(strstr(rep, "export_qi_lang = yes"));
    free(rep);
    char *book = data_file(out, "codebook.md");
    assert_non_null(strstr(book, "Außerdem zählt bei allen Formularen die Spalte `lang` als "
                                 "Quasi-Identifikator"));
    assert_non_null(strstr(book, "| `lang` | Sprache, in der geantwortet wurde (Sprachcode)<br>"
                                 "**Quasi-Identifikator** (k = 5): in diesem Export 6 Werte "
                                 "unterdrückt |"));
    free(book);
    char path[256];
    snprintf(path, sizeof path, "%s/data/datapackage.json", out);
    DatasetTable **tables = NULL;
    int n_tables = 0;
    assert_int_equal(datapackage_read(path, &tables, &n_tables, why, sizeof why), KS_OK);
    DatasetColumn *lang = package_column(tables, n_tables, "lang");
    assert_true(lang->quasi_identifier);
    assert_int_equal(lang->suppressed, 6);
    assert_false(package_column(tables, n_tables, "site_code")->quasi_identifier);
    datapackage_free_tables(tables, n_tables);
    export_data_result_free(&r);

    /* export_qi_lang = no: the same answers keep every language */
    ExportDataOptions o = opts(5);
    o.qi_lang = false;
    assert_int_equal(run_export(f, &o, &r, out, sizeof out), KS_OK);
    read_column(out, "lang", vals, &n);
    de = blank = 0;
    for (int i = 0; i < n; i++) {
        de += strcmp(vals[i], "de") == 0;
        blank += vals[i][0] == '\0';
    }
    assert_int_equal(de, 10);
    assert_int_equal(blank, 0);
    rep = data_file(out, "disclosure-report.json");
    assert_non_null(strstr(rep, "\"quasi_identifiers\":\t[\"geschlecht\", \"alter\", "
                                "\"sprachen\"]"));
    assert_null(strstr(rep, "\"lang\":\t"));
    assert_non_null(strstr(rep, "export_qi_lang = no"));
    free(rep);
    book = data_file(out, "codebook.md");
    assert_null(strstr(book, "Außerdem zählt"));
    assert_non_null(strstr(book, "| `lang` | Sprache, in der geantwortet wurde (Sprachcode) |"));
    free(book);
    snprintf(path, sizeof path, "%s/data/datapackage.json", out);
    assert_int_equal(datapackage_read(path, &tables, &n_tables, why, sizeof why), KS_OK);
    assert_false(package_column(tables, n_tables, "lang")->quasi_identifier);
    datapackage_free_tables(tables, n_tables);
    export_data_result_free(&r);
}

static void test_small_batch_held_back(void **state)
{
    Fx *f = *state;
    ExportDataOptions o = opts(5);
    ExportDataResult r;
    char out[128], data[160];
    assert_int_equal(run_export(f, &o, &r, out, sizeof out), KS_ERR_NOT_FOUND);
    assert_int_equal(r.held_back, 0);
    fill_mixed(f, 3);
    assert_int_equal(run_export(f, &o, &r, out, sizeof out), KS_ERR_STATE);
    assert_int_equal(r.held_back, 3);
    assert_int_equal(r.rows, 0);
    assert_null(r.session_ids);
    snprintf(data, sizeof data, "%s/data", out);
    assert_int_not_equal(access(data, F_OK), 0);
    /* with k = 3 it goes */
    o.k = 3;
    export_rows(f, &o, out, sizeof out, 3);
}

static void test_misuse_left_out(void **state)
{
    Fx *f = *state;
    fill_mixed(f, 6);
    const char *a[] = {"nr=900"};
    add_session(f, "probe", a, 1, true, "fast", T0);
    ExportDataOptions o = opts(5);
    char out[128];
    char vals[32][16];
    int n = 0;
    export_rows(f, &o, out, sizeof out, 6);
    read_column(out, "nr", vals, &n);
    for (int i = 0; i < n; i++)
        assert_string_not_equal(vals[i], "900");
    o.include_misuse = true;
    export_rows(f, &o, out, sizeof out, 7);
}

static void test_free_text_and_drawings(void **state)
{
    Fx *f = *state;
    fill_mixed(f, 5);
    static const uint8_t png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 1, 2, 3};
    StoreMedia media = {"image/png", png, sizeof png};
    struct {
        const char *text;
        StoreReview review;
    } texts[] = {
        {"Mehr Bänke, bitte! Schreib mir: kiez.kind@example.de oder +49 30 123 45 67",
         STORE_REVIEW_APPROVED},
        {"Ein Spielplatz, mehr nicht", STORE_REVIEW_APPROVED},
        {"geheim-pending", STORE_REVIEW_PENDING},
        {"boese-rejected", STORE_REVIEW_REJECTED},
        {"siehe www.kiez-treff.de/neu und kiez.de", STORE_REVIEW_APPROVED},
    };
    int64_t ids[5];
    for (int i = 0; i < 5; i++) {
        const Form *fm = catalog_find(f->sf.cat, "probe");
        snprintf(f->uuids[f->n_uuids], 33, "%08x%024d", 0xdef00000u + (unsigned)i, 9);
        StoreSessionMeta m = {f->uuids[f->n_uuids++],
                              "probe",
                              form_version(fm),
                              form_sha256(fm),
                              "tr",
                              "youth",
                              T0,
                              false};
        assert_int_equal(store_session_begin(f->sf.store, &m, &ids[i]), KS_OK);
        assert_int_equal(store_answer_put_review(f->sf.store, ids[i], "wunsch", texts[i].text, T0),
                         KS_OK);
        if (i < 2)
            assert_int_equal(
                store_answer_put_media(f->sf.store, ids[i], "bild", "bild.png", &media, T0), KS_OK);
        assert_int_equal(store_session_finish(f->sf.store, ids[i], STORE_OUTCOME_COMPLETE, T0 + 1),
                         KS_OK);
        if (texts[i].review != STORE_REVIEW_PENDING)
            assert_int_equal(
                store_review_set(f->sf.store, ids[i], "wunsch", texts[i].review, T0 + 2), KS_OK);
    }
    /* the only Arabic answer: its text must not carry lang and period */
    {
        const Form *fm = catalog_find(f->sf.cat, "probe");
        StoreSessionMeta m = {"0123456789abcdef0123456789abcdef",
                              "probe",
                              form_version(fm),
                              form_sha256(fm),
                              "ar",
                              "youth",
                              T0,
                              false};
        strcpy(f->uuids[f->n_uuids++], m.uuid);
        int64_t id = 0;
        assert_int_equal(store_session_begin(f->sf.store, &m, &id), KS_OK);
        assert_int_equal(store_answer_put_review(f->sf.store, id, "wunsch", "Einzeltext", T0),
                         KS_OK);
        assert_int_equal(store_session_finish(f->sf.store, id, STORE_OUTCOME_COMPLETE, T0 + 1),
                         KS_OK);
        assert_int_equal(store_review_set(f->sf.store, id, "wunsch", STORE_REVIEW_APPROVED, T0 + 2),
                         KS_OK);
    }
    /* the first drawing approved, the second still pending */
    assert_int_equal(store_review_set(f->sf.store, ids[0], "bild", STORE_REVIEW_APPROVED, T0 + 2),
                     KS_OK);
    char out[128];
    ExportDataResult r = export_default(f, out, sizeof out);
    assert_int_equal(r.rows, 11);
    assert_int_equal(r.free_texts, 4);
    assert_int_equal(r.drawings, 1);

    CsvTable *t = read_csv(out, "freetext.csv");
    static const char *const want[] = {"text_id", "form", "question", "lang",
                                       "period",  "text", "masked"};
    assert_int_equal(csv_cols(t, 0), 7);
    for (int c = 0; c < 7; c++)
        assert_string_equal(csv_cell(t, 0, c), want[c]);
    assert_int_equal(csv_rows(t), 5);
    int masked = 0, plain = 0, lone = 0;
    for (int row = 1; row < 5; row++) {
        const char *text = csv_cell(t, row, 5);
        if (strcmp(text, "Einzeltext") == 0) {
            lone++;
            assert_string_equal(csv_cell(t, row, 3), "");
            assert_string_equal(csv_cell(t, row, 4), "");
            continue;
        }
        assert_string_equal(csv_cell(t, row, 4), "2026-W47");
        assert_null(strstr(text, "pending"));
        assert_null(strstr(text, "rejected"));
        assert_null(strstr(text, "@"));
        assert_null(strstr(text, "123"));
        assert_null(strstr(text, "kiez-treff"));
        assert_string_equal(csv_cell(t, row, 3), "tr");
        if (strcmp(csv_cell(t, row, 6), "1") == 0) {
            masked++;
            assert_non_null(strstr(text, "[entfernt]"));
        } else {
            plain++;
            assert_string_equal(text, "Ein Spielplatz, mehr nicht");
        }
    }
    assert_int_equal(masked, 2);
    assert_int_equal(plain, 1);
    assert_int_equal(lone, 1);
    /* the text ids are not response ids */
    CsvTable *resp = read_csv(out, "responses.csv");
    for (int row = 1; row < 5; row++)
        for (int r2 = 1; r2 < csv_rows(resp); r2++)
            assert_string_not_equal(csv_cell(t, row, 0), csv_cell(resp, r2, 0));
    csv_destroy(resp);
    csv_destroy(t);

    t = read_csv(out, "drawings.csv");
    assert_int_equal(csv_rows(t), 2);
    char path[256];
    snprintf(path, sizeof path, "%s/data/%s", out, csv_cell(t, 1, col_of(t, "file")));
    size_t len = 0;
    char *buf = test_slurp(path, &len);
    assert_non_null(buf);
    assert_int_equal(len, sizeof png);
    assert_memory_equal(buf, png, sizeof png);
    free(buf);
    csv_destroy(t);
    char data[160];
    snprintf(data, sizeof data, "%s/data", out);
    for (int i = 0; i < f->n_uuids; i++)
        assert_nowhere(data, f->uuids[i]);
    export_data_result_free(&r);
}

/* The codes the SAV holds for a category column, from datapackage-free
 * knowledge of the fixture: position in the form's list. */
static int fixture_code(const Catalog *cat, const char *column, const char *value)
{
    const char *form = strncmp(column, "zweit_", 6) == 0 ? "zweit" : "probe";
    const char *q = strncmp(column, "probe_", 6) == 0 || strncmp(column, "zweit_", 6) == 0
                        ? column + 6
                        : column;
    const Form *f = catalog_find(cat, form);
    int qi = form_question_index(f, q);
    if (qi < 0)
        return -1;
    const FormQuestion *fq = form_question(f, qi);
    if (fq->type != FORM_Q_SELECT_ONE)
        return -1;
    for (int i = 0; i < fq->list->n_choices; i++)
        if (strcmp(fq->list->choices[i].name, value) == 0)
            return i + 1;
    return 0;
}

static void test_readstat_round_trip(void **state)
{
    Fx *f = *state;
    fill_mixed(f, 12);
    add_probe(f, 77, NULL, NULL, NULL); /* missing values */
    for (int i = 0; i < 5; i++) {
        const char *a[] = {"alter=small", "nr=100"};
        add_session(f, "zweit", a, 2, true, NULL, T0);
    }
    char out[128], cmd[512];
    ExportDataResult r = export_default(f, out, sizeof out);
    snprintf(cmd, sizeof cmd, "readstat %s/data/responses.sav %s/back.csv > /dev/null 2>&1", out,
             out);
    assert_int_equal(system(cmd), 0);
    CsvTable *csv = read_csv(out, "responses.csv");
    char path[256];
    snprintf(path, sizeof path, "%s/back.csv", out);
    CsvTable *back = parse_csv_file(path);
    assert_int_equal(csv_rows(back), csv_rows(csv));
    assert_int_equal(csv_cols(back, 0), csv_cols(csv, 0));
    for (int c = 0; c < csv_cols(csv, 0); c++)
        assert_string_equal(csv_cell(back, 0, c), csv_cell(csv, 0, c));
    for (int row = 1; row < csv_rows(csv); row++) {
        for (int c = 0; c < csv_cols(csv, 0); c++) {
            const char *col = csv_cell(csv, 0, c);
            const char *a = csv_cell(csv, row, c), *b = csv_cell(back, row, c);
            if (c < 7) { /* the text columns up to period */
                assert_string_equal(a, b);
                continue;
            }
            if (!a[0]) {
                assert_string_equal(b, "");
                continue;
            }
            int code = fixture_code(f->sf.cat, col, a);
            double want = code >= 0 ? code : strtod(a, NULL);
            assert_true(b[0] != '\0');
            assert_true(fabs(strtod(b, NULL) - want) < 1e-9);
        }
    }
    csv_destroy(back);
    csv_destroy(csv);
    export_data_result_free(&r);
}

static void test_mask_contacts(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
        bool masked;
    } cases[] = {
        {"Ruf an: 0176 1234567!", "Ruf an: [entfernt]!", true},
        {"+49 (30) 123-456", "[entfernt]", true},
        {"Mail an a.b@kiez.de.", "Mail an [entfernt].", true},
        {"https://example.org/x?y=1 ist gut", "[entfernt] ist gut", true},
        {"www.kiez.de, bitte", "[entfernt], bitte", true},
        {"Ich bin 10 und mag 3 Bäume, 2026 war gut", "Ich bin 10 und mag 3 Bäume, 2026 war gut",
         false},
        {"Am 24.11.2026 um 12:30", "Am 24.11.2026 um 12:30", false},
        {"Größer als z.B. ein Haus", "Größer als z.B. ein Haus", false},
        {"", "", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *out = NULL;
        bool m = anonymise_mask_contacts(cases[i].in, &out);
        assert_string_equal(out, cases[i].out);
        assert_int_equal(m, cases[i].masked);
        free(out);
    }
}

static void test_k_suppress_unit(void **state)
{
    (void)state;
    /* fields: gender (most important), age; k = 2 */
    const char *cells[] = {"f", "10", "f", "10", "m", "10", "m", "12", "d", "12", NULL, NULL};
    bool sup[12];
    int per[2];
    AnonymiseStats st;
    anonymise_k_suppress(cells, 6, 2, 2, sup, per, &st);
    /* f/10 x2 stays; m/10, m/12 lose age -> m/- x2; d/12 loses age then
     * gender; the empty record stays empty */
    assert_false(sup[0] || sup[1] || sup[2] || sup[3]);
    assert_false(sup[4]);
    assert_true(sup[5]);
    assert_false(sup[6]);
    assert_true(sup[7]);
    assert_true(sup[8] && sup[9]);
    assert_int_equal(per[0], 1);
    assert_int_equal(per[1], 3);
    assert_int_equal(st.groups_before, 5);
    assert_int_equal(st.small_groups_before, 3);
    /* d/- lost its gender too and joined the blank record: a group of 2 */
    assert_int_equal(st.small_groups_after, 0);
    assert_int_equal(st.groups_after, 3);
    assert_int_equal(st.records_all_suppressed, 2);
}

static void test_periods(void **state)
{
    (void)state;
    char p[16];
    anonymise_period(1767225600000LL, EXPORT_PERIOD_WEEK, p);
    assert_string_equal(p, "2026-W01");
    anonymise_period(1798761600000LL, EXPORT_PERIOD_WEEK, p);
    assert_string_equal(p, "2026-W53");
    anonymise_period(T0, EXPORT_PERIOD_DAY, p);
    assert_string_equal(p, "2026-11-18");
    anonymise_period(T0, EXPORT_PERIOD_MONTH, p);
    assert_string_equal(p, "2026-11");
    char a[ANONYMISE_ID_LEN + 1], b[ANONYMISE_ID_LEN + 1];
    anonymise_random_id(a);
    anonymise_random_id(b);
    assert_int_equal(strlen(a), 10);
    assert_int_equal(strspn(a, "0123456789ABCDEFGHJKMNPQRSTVWXYZ"), 10);
    assert_string_not_equal(a, b);
}

static void test_period_option_and_io_error(void **state)
{
    Fx *f = *state;
    fill_mixed(f, 5);
    ExportDataOptions o = opts(5);
    o.period = EXPORT_PERIOD_DAY;
    ExportDataResult r;
    char out[128], vals[32][16];
    int n = 0;
    assert_int_equal(run_export(f, &o, &r, out, sizeof out), KS_OK);
    read_column(out, "period", vals, &n);
    assert_int_equal(n, 5);
    for (int i = 0; i < n; i++)
        assert_string_equal(vals[i], "2026-11-18");
    assert_string_equal(r.period_from, "2026-11-18");
    export_data_result_free(&r);
    o.period = EXPORT_PERIOD_MONTH;
    assert_int_equal(run_export(f, &o, &r, out, sizeof out), KS_OK);
    assert_string_equal(r.period_to, "2026-11");
    export_data_result_free(&r);
    /* a folder that is not there: an I/O error (logged), no ids */
    snprintf(out, sizeof out, "%s/missing/deeper", f->sf.dir);
    assert_int_equal(export_data_build(f->sf.store, f->sf.cat, &o, out, &r), KS_ERR_IO);
    assert_null(r.session_ids);
    assert_int_equal(r.n_sessions, 0);
}

/* Names that clash inside one form, or differ only in case (SPSS ignores
 * case), still give distinct columns. */
static void test_column_name_clash(void **state)
{
    (void)state;
    char dir[64], p[128];
    assert_true(test_tmp_dir(dir, sizeof dir, "ks_exn"));
    snprintf(p, sizeof p, "%s/clash", dir);
    assert_int_equal(mkdir(p, 0700), 0);
    snprintf(p, sizeof p, "%s/clash/settings.csv", dir);
    test_write_text(p, "form_id,version,default_language,audience\nclash,1,de,youth\n");
    snprintf(p, sizeof p, "%s/clash/survey.csv", dir);
    test_write_text(p, "type,name,label::Deutsch (de)\n"
                       "select_multiple places,orte,Orte\n"
                       "integer,orte_park,Park-Zahl\n"
                       "integer,Period,Groß\n"
                       "integer,Orte_Park_2,Noch eine\n");
    snprintf(p, sizeof p, "%s/clash/choices.csv", dir);
    test_write_text(p, "list_name,name,label::Deutsch (de)\nplaces,park,Park\nplaces,zoo,Zoo\n");
    Catalog *cat = NULL;
    assert_int_equal(catalog_load(dir, &cat), KS_OK);
    assert_int_equal(catalog_count(cat), 1);
    const Form *forms[1] = {catalog_form(cat, 0)};
    ResponsesRecord rec = {0};
    char *answers[4] = {"park", "7", "8", "9"};
    rec.answers = answers;
    rec.version = "1";
    rec.lang = "de";
    rec.audience = "youth";
    int order = 0;
    const char *ids[] = {"ID"};
    ResponsesBatch batch = {
        .recs = &rec, .order = &order, .n = 1, .ids = ids, .forms = forms, .n_forms = 1};
    DatasetTable *t = responses_build(&batch);
    for (int a = 0; a < t->n_cols; a++)
        for (int b = a + 1; b < t->n_cols; b++)
            assert_true(strcasecmp(t->cols[a].name, t->cols[b].name) != 0);
    assert_int_equal(t->n_cols, RESPONSES_FIXED_COLS + 5);
    /* the choice column keeps the plain name's place, the integer is numbered */
    int c = dataset_table_find(t, "clash_orte_park");
    assert_true(c >= 0);
    assert_string_equal(dataset_table_get(t, 0, c), "1");
    c = dataset_table_find(t, "clash_orte_park_2");
    assert_true(c >= 0);
    assert_string_equal(dataset_table_get(t, 0, c), "7");
    assert_string_equal(dataset_table_get(t, 0, dataset_table_find(t, "clash_Period")), "8");
    dataset_table_destroy(t);
    catalog_destroy(cat);
    assert_true(test_tmp_remove(dir));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mask_contacts),
        cmocka_unit_test(test_k_suppress_unit),
        cmocka_unit_test(test_periods),
        cmocka_unit_test(test_column_name_clash),
        cmocka_unit_test(test_columns_and_files),
        cmocka_unit_test(test_shuffled_fresh_ids),
        cmocka_unit_test(test_k_anonymity),
        cmocka_unit_test(test_lang_quasi_identifier),
        cmocka_unit_test(test_small_batch_held_back),
        cmocka_unit_test(test_misuse_left_out),
        cmocka_unit_test(test_free_text_and_drawings),
        cmocka_unit_test(test_readstat_round_trip),
        cmocka_unit_test(test_period_option_and_io_error),
    };
    return test_run_each(tests, setup, store_fixture_teardown);
}
