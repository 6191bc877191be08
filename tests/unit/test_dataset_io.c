/* test_dataset_io: the batch formats without a kiosk behind them — the
 * streaming CSV writer against the whole-table one (same bytes), the CSV
 * reader on its own output and on hostile input (unclosed quote, huge
 * field, too many columns, embedded CR/LF/quotes, BOM, NUL, random
 * mutations), the streaming SAV writer against sav_write (same data back
 * from the `readstat` command), datapackage.json written and read back to
 * the same columns, its reader on hostile packages, the codebook from a
 * read-back schema, and 200 000 rows streamed through the CSV and SAV
 * writers and the reader in flat memory (first, so the peak is theirs). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../../export/codebook.h"
#include "../../export/csvfile.h"
#include "../../export/datapackage.h"
#include "../../export/dataset.h"
#include "../../export/sav.h"
#include "../../firmware/core/log.h"
#include "../test_files.h"
#include "../test_tmp.h"

static char dir[64];

static int group_setup(void **state)
{
    (void)state;
    assert_true(test_tmp_dir(dir, sizeof dir, "ks_dsio"));
    log_set_level(LOG_LEVEL_ERROR + 1);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    return test_tmp_remove(dir) ? 0 : -1;
}

static void path_of(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s/%s", dir, name);
}

static long peak_kb(void)
{
    struct rusage ru;
    assert_int_equal(getrusage(RUSAGE_SELF, &ru), 0);
    return ru.ru_maxrss;
}

/* A schema with every kind of column: the shape of a responses table. */
static DatasetTable *schema_table(void)
{
    DatasetTable *t = dataset_table_create("responses", "Antworten, eine Zeile je Befragung");
    dataset_table_add_column(t, "response_id", "Zufallskennung", NULL, DATASET_STRING);
    dataset_table_add_column(t, "form", "Formular", "form_id", DATASET_STRING);
    dataset_table_add_column(t, "lang", "Sprache", NULL, DATASET_STRING);
    dataset_table_add_column(t, "clock_doubt", "Uhr zweifelhaft", NULL, DATASET_BINARY);
    int g = dataset_table_add_column(t, "geschlecht", "Geschlecht?", NULL, DATASET_CATEGORY);
    dataset_table_add_category(t, g, 1, "female", "weiblich");
    dataset_table_add_category(t, g, 2, "male", "männlich");
    dataset_table_add_category(t, g, 3, "diverse", "");
    int a = dataset_table_add_column(t, "alter", "Alter, \"jung\" | alt", NULL, DATASET_CATEGORY);
    dataset_table_add_category(t, a, 1, "10_11", "10 oder 11 Jahre, \"jung\"");
    dataset_table_add_category(t, a, 2, "12_13", "12 oder 13");
    int nr = dataset_table_add_column(t, "nr", "Nummer", NULL, DATASET_INTEGER);
    int weg = dataset_table_add_column(t, "weg", "Weg in km", "Dezimal", DATASET_NUMBER);
    int park = dataset_table_add_column(t, "orte_park", "Orte: Park", NULL, DATASET_BINARY);
    dataset_table_add_column(t, "text", "Freitext", NULL, DATASET_STRING);
    for (int c = 4; c < t->n_cols; c++) {
        t->cols[c].form_id = strdup("probe");
        t->cols[c].forms = strdup(c == nr ? "probe, zweit" : "probe");
        t->cols[c].question = strdup(t->cols[c].name);
    }
    t->cols[g].quasi_identifier = true;
    t->cols[g].suppressed = 3;
    t->cols[a].quasi_identifier = true;
    t->cols[weg].versions = strdup("2026-11-24, 2026-11-24.2");
    (void)park;
    return t;
}

/* Row i of a synthetic table over schema_table's columns (cells point into
 * buf, which holds 512 bytes). */
static void synth_row(long i, char *buf, const char *cells[10])
{
    static const char *const g[] = {"female", "male", "diverse", NULL, "unknown"};
    static const char *const a[] = {"10_11", "12_13", NULL};
    static const char *const txt[] = {
        "",  "Ein Spielplatz, bitte", "Sagte \"hallo\"", "zwei\r\nZeilen", "nur\nLF", "ÄÖÜ – ملعب",
        NULL};
    char *p = buf;
    cells[0] = p;
    p += sprintf(p, "ID%08ld", i) + 1;
    cells[1] = i % 7 ? "probe" : "zweit";
    cells[2] = i % 11 ? "de" : "ar";
    cells[3] = i % 13 ? "0" : "1";
    cells[4] = g[i % 5];
    cells[5] = a[i % 3];
    cells[6] = p;
    p += sprintf(p, "%ld", i) + 1;
    cells[7] = p;
    p += (i % 4 ? sprintf(p, "%ld.%02ld", i % 97, i % 100) : sprintf(p, "x%ld", i)) + 1;
    cells[8] = i % 3 == 0 ? NULL : i % 2 ? "1" : "0";
    cells[9] = txt[i % 7];
}

/* The string columns' max_bytes over n synthetic rows. */
static void synth_widths(DatasetTable *t, long n)
{
    char buf[512];
    const char *cells[10];
    for (long i = 0; i < n && i < 1000; i++) {
        synth_row(i, buf, cells);
        for (int c = 0; c < t->n_cols; c++)
            if (t->cols[c].kind == DATASET_STRING && cells[c] &&
                (int)strlen(cells[c]) > t->cols[c].max_bytes)
                t->cols[c].max_bytes = (int)strlen(cells[c]);
    }
    /* the ids grow past 1000 rows */
    t->cols[0].max_bytes = 10;
}

static DatasetTable *synth_table(long n)
{
    DatasetTable *t = schema_table();
    char buf[512];
    const char *cells[10];
    for (long i = 0; i < n; i++) {
        synth_row(i, buf, cells);
        int row = dataset_table_add_row(t);
        for (int c = 0; c < 10; c++)
            dataset_table_set(t, row, c, cells[c]);
    }
    return t;
}

/* The synthetic rows 0 .. n-1 through the CSV writer, the SAV writer or
 * both (a NULL writer is left out). */
static void synth_write(long n, CsvFileWriter *cw, SavWriter *sw)
{
    char buf[512];
    const char *cells[10];
    for (long i = 0; i < n; i++) {
        synth_row(i, buf, cells);
        if (cw)
            assert_int_equal(csvfile_writer_row(cw, cells), KS_OK);
        if (sw)
            assert_int_equal(sav_writer_row(sw, cells), KS_OK);
    }
}

/* The CSV file at path read back: the header on line 1, then exactly the
 * synthetic rows 0 .. n-1, every cell (a missing one as ""). */
static void expect_synth_csv(const char *path, long n)
{
    char why[256], buf[512];
    const char *cells[10];
    CsvFileReader *r = csvfile_reader_open(path, why, sizeof why);
    assert_non_null(r);
    const char *const *got;
    int nc = 0;
    assert_int_equal(csvfile_reader_row(r, &got, &nc), KS_OK);
    assert_int_equal(csvfile_reader_line(r), 1);
    assert_int_equal(nc, 10);
    assert_string_equal(got[9], "text");
    for (long i = 0; i < n; i++) {
        assert_int_equal(csvfile_reader_row(r, &got, &nc), KS_OK);
        synth_row(i, buf, cells);
        assert_int_equal(nc, 10);
        for (int c = 0; c < 10; c++)
            assert_string_equal(got[c], cells[c] ? cells[c] : "");
    }
    assert_int_equal(csvfile_reader_row(r, &got, &nc), KS_ERR_NOT_FOUND);
    assert_int_equal(csvfile_reader_row(r, &got, &nc), KS_ERR_NOT_FOUND);
    csvfile_reader_close(&r);
    assert_null(r);
    csvfile_reader_close(&r); /* NULL again: nothing */
}

/* ---- memory ------------------------------------------------------------- */

static void test_stream_200k_flat_memory(void **state)
{
    (void)state;
    const long n = 200000;
    char csv[128], sav[128], cmd[512], out[128];
    path_of(csv, sizeof csv, "big.csv");
    path_of(sav, sizeof sav, "big.sav");
    DatasetTable *schema = schema_table();
    synth_widths(schema, n);
    const char *header[10];
    for (int c = 0; c < 10; c++)
        header[c] = schema->cols[c].name;
    long before = peak_kb();
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CsvFileWriter *cw = csvfile_writer_open(csv, header, 10);
    SavWriter *sw = sav_writer_open(sav, schema, "km2eval", n);
    assert_non_null(cw);
    assert_non_null(sw);
    synth_write(n, cw, sw);
    assert_int_equal(csvfile_writer_close(&cw), KS_OK);
    assert_null(cw);
    assert_int_equal(sav_writer_close(&sw), KS_OK);
    assert_null(sw);
    /* and back through the reader, every cell checked */
    expect_synth_csv(csv, n);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long after = peak_kb();
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    print_message("200000 rows: CSV + SAV written and the CSV read back in %.2f s; peak RSS "
                  "%ld KiB before, %ld KiB after\n",
                  secs, before, after);
    assert_true(after < 40 * 1024);
    /* the streamed rows do not raise the peak beyond a few buffers */
    assert_true(after - before < 8 * 1024);
    /* ReadStat's reader agrees on the row count */
    path_of(out, sizeof out, "big-info.txt");
    snprintf(cmd, sizeof cmd, "readstat %s > %s 2>&1", sav, out);
    assert_int_equal(system(cmd), 0);
    char *info = test_slurp(out, NULL);
    assert_non_null(strstr(info, "Rows: 200000"));
    assert_non_null(strstr(info, "Columns: 10"));
    free(info);
    dataset_table_destroy(schema);
    unlink(csv);
    unlink(sav);
}

/* ---- CSV ---------------------------------------------------------------- */

static void test_csv_stream_equals_table(void **state)
{
    (void)state;
    DatasetTable *t = synth_table(400);
    char a[128], b[128];
    path_of(a, sizeof a, "table.csv");
    path_of(b, sizeof b, "stream.csv");
    assert_int_equal(csvfile_write_table(t, a), KS_OK);
    const char *header[10];
    for (int c = 0; c < 10; c++)
        header[c] = t->cols[c].name;
    CsvFileWriter *w = csvfile_writer_open(b, header, 10);
    assert_non_null(w);
    synth_write(400, w, NULL);
    assert_int_equal(csvfile_writer_close(&w), KS_OK);
    size_t la = 0, lb = 0;
    char *da = test_slurp(a, &la), *db = test_slurp(b, &lb);
    assert_int_equal(la, lb);
    assert_memory_equal(da, db, la);
    /* the dialect, pinned: CRLF, quotes only where needed and doubled,
     * missing cells empty, no BOM */
    const char *want_head =
        "response_id,form,lang,clock_doubt,geschlecht,alter,nr,weg,orte_park,text\r\n"
        "ID00000000,zweit,ar,1,female,10_11,0,x0,,\r\n"
        "ID00000001,probe,de,0,male,12_13,1,1.01,1,\"Ein Spielplatz, bitte\"\r\n"
        "ID00000002,probe,de,0,diverse,,2,2.02,0,\"Sagte \"\"hallo\"\"\"\r\n"
        "ID00000003,probe,de,0,,10_11,3,3.03,,\"zwei\r\nZeilen\"\r\n"
        "ID00000004,probe,de,0,unknown,12_13,4,x4,0,\"nur\nLF\"\r\n"
        "ID00000005,probe,de,0,female,,5,5.05,1,ÄÖÜ – ملعب\r\n";
    assert_memory_equal(da, want_head, strlen(want_head));
    free(da);
    free(db);
    /* read back: the same cells, missing ones "" */
    expect_synth_csv(a, 400);
    dataset_table_destroy(t);
    /* a write that fails is reported at the close */
    const char *h1[] = {"a"};
    w = csvfile_writer_open("/dev/full", h1, 1);
    if (w) {
        const char *c1[] = {"x"};
        for (int i = 0; i < 20000 && csvfile_writer_row(w, c1) == KS_OK; i++)
            ;
        assert_int_equal(csvfile_writer_close(&w), KS_ERR_IO);
    }
    assert_null(csvfile_writer_open("/nonexistent/dir/x.csv", h1, 1));
}

/* Writes text to a file and reads it all; returns the status that ended
 * the reading, with the rows and the reason. */
static KsStatus read_all(const char *text, size_t len, int *rows, int *last_n, char *why,
                         size_t size)
{
    char p[128];
    path_of(p, sizeof p, "in.csv");
    test_write_data(p, text, len);
    CsvFileReader *r = csvfile_reader_open(p, why, size);
    assert_non_null(r);
    const char *const *cells;
    int n = 0;
    KsStatus ks;
    *rows = 0;
    while ((ks = csvfile_reader_row(r, &cells, &n)) == KS_OK) {
        (*rows)++;
        if (last_n)
            *last_n = n;
    }
    snprintf(why, size, "%s", csvfile_reader_why(r));
    /* an error stays */
    if (ks != KS_ERR_NOT_FOUND)
        assert_int_equal(csvfile_reader_row(r, &cells, &n), ks);
    csvfile_reader_close(&r);
    return ks;
}

static KsStatus read_str(const char *text, int *rows, char *why, size_t size)
{
    return read_all(text, strlen(text), rows, NULL, why, size);
}

/* The cells of the single data row of text (header "a,b,c"). */
static void expect_row(const char *text, const char *const *want, int n_want)
{
    char p[128], why[256];
    path_of(p, sizeof p, "row.csv");
    test_write_data(p, text, strlen(text));
    CsvFileReader *r = csvfile_reader_open(p, why, sizeof why);
    const char *const *cells;
    int n = 0;
    assert_int_equal(csvfile_reader_row(r, &cells, &n), KS_OK);
    assert_int_equal(n, 3);
    assert_string_equal(cells[0], "a");
    assert_int_equal(csvfile_reader_row(r, &cells, &n), KS_OK);
    assert_int_equal(n, n_want);
    for (int i = 0; i < n_want; i++)
        assert_string_equal(cells[i], want[i]);
    assert_int_equal(csvfile_reader_row(r, &cells, &n), KS_ERR_NOT_FOUND);
    csvfile_reader_close(&r);
}

static void test_csv_reader_dialect(void **state)
{
    (void)state;
    /* embedded CR, LF, CRLF, quotes and commas inside quotes */
    const char *const w1[] = {"x\r\ny", "say \"hi\"", "a,b\nc"};
    expect_row("a,b,c\r\n\"x\r\ny\",\"say \"\"hi\"\"\",\"a,b\nc\"\r\n", w1, 3);
    /* a BOM is skipped, LF line ends and a missing last line end accepted */
    const char *const w2[] = {"1", "", "3"};
    expect_row("\xEF\xBB\xBF"
               "a,b,c\n1,,3",
               w2, 3);
    /* an empty quoted field and a trailing empty field */
    const char *const w3[] = {"", "", ""};
    expect_row("a,b,c\r\n\"\",,\r\n", w3, 3);
    /* a blank line is one empty cell (a one-column table's missing value) */
    const char *const w4[] = {""};
    expect_row("a,b,c\r\n\r\n", w4, 1);
    char why[256];
    int rows = 0;
    assert_int_equal(read_str("", &rows, why, sizeof why), KS_ERR_NOT_FOUND);
    assert_int_equal(rows, 0);
    assert_string_equal(why, "");
    /* the line a row started on */
    char p[128];
    path_of(p, sizeof p, "lines.csv");
    const char *lines = "a\r\n\"x\ny\"\r\nz\r\n";
    test_write_data(p, lines, strlen(lines));
    CsvFileReader *r = csvfile_reader_open(p, why, sizeof why);
    const char *const *cells;
    int n;
    assert_int_equal(csvfile_reader_row(r, &cells, &n), KS_OK);
    assert_int_equal(csvfile_reader_row(r, &cells, &n), KS_OK);
    assert_int_equal(csvfile_reader_line(r), 2);
    assert_int_equal(csvfile_reader_row(r, &cells, &n), KS_OK);
    assert_int_equal(csvfile_reader_line(r), 4);
    assert_string_equal(cells[0], "z");
    csvfile_reader_close(&r);
    assert_null(csvfile_reader_open("/nonexistent/x.csv", why, sizeof why));
    assert_non_null(strstr(why, "x.csv"));
    assert_non_null(strstr(why, "kann nicht geöffnet werden"));
}

static void test_csv_reader_hostile(void **state)
{
    (void)state;
    char why[256];
    int rows = 0, last = 0;
    /* unclosed quote: the line it opened on is named */
    assert_int_equal(read_str("a,b\r\n1,2\r\n3,\"open\r\nmore\r\n", &rows, why, sizeof why),
                     KS_ERR_PARSE);
    assert_int_equal(rows, 2);
    assert_non_null(strstr(why, "Zeile 3"));
    assert_non_null(strstr(why, "nicht geschlossen"));
    assert_int_equal(read_str("a\r\n\"x\"y\r\n", &rows, why, sizeof why), KS_ERR_PARSE);
    assert_non_null(strstr(why, "schließenden Anführungszeichen"));
    assert_int_equal(read_str("a\r\nx\"y\r\n", &rows, why, sizeof why), KS_ERR_PARSE);
    assert_int_equal(read_str("a\rb\r\n", &rows, why, sizeof why), KS_ERR_PARSE);
    assert_non_null(strstr(why, "CR"));
    assert_int_equal(read_all("a\r\nx\0y\r\n", 8, &rows, NULL, why, sizeof why), KS_ERR_PARSE);
    assert_non_null(strstr(why, "Nullbyte"));

    /* a field of exactly 64 KiB passes, one byte more does not (quoted or
     * not) */
    size_t big = CSVFILE_FIELD_MAX + 16;
    char *text = malloc(big + 16);
    memset(text, 'x', big + 16);
    memcpy(text, "a\r\n", 3);
    memcpy(text + 3 + CSVFILE_FIELD_MAX, "\r\n", 2);
    assert_int_equal(read_all(text, 3 + CSVFILE_FIELD_MAX + 2, &rows, NULL, why, sizeof why),
                     KS_ERR_NOT_FOUND);
    assert_int_equal(rows, 2);
    memcpy(text + 3 + CSVFILE_FIELD_MAX, "x\r\n", 3);
    assert_int_equal(read_all(text, 3 + CSVFILE_FIELD_MAX + 3, &rows, NULL, why, sizeof why),
                     KS_ERR_LIMIT);
    assert_non_null(strstr(why, "64 KiB"));
    text[3] = '"';
    memcpy(text + 3 + CSVFILE_FIELD_MAX + 1, "x\"\r\n", 4);
    assert_int_equal(read_all(text, 3 + CSVFILE_FIELD_MAX + 5, &rows, NULL, why, sizeof why),
                     KS_ERR_LIMIT);
    free(text);

    /* 4096 columns pass, 4097 do not */
    size_t cap = 3 * (CSVFILE_COLS_MAX + 2);
    text = malloc(cap);
    size_t o = 0;
    for (int i = 0; i < CSVFILE_COLS_MAX; i++)
        o += (size_t)sprintf(text + o, "%s%d", i ? "," : "", i % 10);
    assert_int_equal(read_all(text, o, &rows, &last, why, sizeof why), KS_ERR_NOT_FOUND);
    assert_int_equal(last, CSVFILE_COLS_MAX);
    o += (size_t)sprintf(text + o, ",9");
    assert_int_equal(read_all(text, o, &rows, NULL, why, sizeof why), KS_ERR_LIMIT);
    assert_non_null(strstr(why, "4096"));
    /* empty fields count too */
    memset(text, ',', CSVFILE_COLS_MAX + 1);
    assert_int_equal(read_all(text, CSVFILE_COLS_MAX + 1, &rows, NULL, why, sizeof why),
                     KS_ERR_LIMIT);
    free(text);

    /* a row of many large fields passes the row limit */
    size_t field = 60000, n_fields = CSVFILE_ROW_MAX / field + 2;
    text = malloc(n_fields * (field + 1) + 2);
    o = 0;
    for (size_t i = 0; i < n_fields; i++) {
        memset(text + o, 'y', field);
        o += field;
        text[o++] = ',';
    }
    text[o - 1] = '\n';
    assert_int_equal(read_all(text, o, &rows, NULL, why, sizeof why), KS_ERR_LIMIT);
    assert_non_null(strstr(why, "4 MiB"));
    free(text);
}

/* Random damage to a valid file: every outcome is a row, the end, or a
 * clean error, never a crash or a runaway (run under ASan by make san). */
static void test_csv_reader_mutations(void **state)
{
    (void)state;
    const char *base =
        "a,b,c\r\n\"x\r\ny\",\"say \"\"hi\"\"\",3\r\n,,\r\n\xEF\xBB\xBF\"\",q,\"\"\"\"\r\n";
    size_t len = strlen(base);
    char text[256], why[256];
    unsigned seed = 12345;
    static const char alphabet[] = {'"', ',', '\r', '\n', 'x', '\0', (char)0xEF, (char)0xBB};
    for (int round = 0; round < 3000; round++) {
        memcpy(text, base, len);
        size_t n = len;
        for (int k = 0; k < 1 + round % 4; k++) {
            seed = seed * 1103515245u + 12345u;
            size_t at = (seed >> 8) % n;
            seed = seed * 1103515245u + 12345u;
            int op = (int)((seed >> 8) % 3);
            char c = alphabet[(seed >> 16) % sizeof alphabet];
            if (op == 0) {
                text[at] = c;
            } else if (op == 1 && n + 1 < sizeof text) {
                memmove(text + at + 1, text + at, n - at);
                text[at] = c;
                n++;
            } else if (n > 1) {
                memmove(text + at, text + at + 1, n - at - 1);
                n--;
            }
        }
        int rows = 0;
        KsStatus ks = read_all(text, n, &rows, NULL, why, sizeof why);
        assert_true(ks == KS_ERR_NOT_FOUND || ks == KS_ERR_PARSE || ks == KS_ERR_LIMIT);
        assert_true(ks == KS_ERR_NOT_FOUND || strncmp(why, "Zeile ", 6) == 0);
        assert_true(rows <= 8);
    }
}

/* ---- SAV ---------------------------------------------------------------- */

static char *readstat_csv(const char *sav, const char *name)
{
    char out[128], cmd[512];
    path_of(out, sizeof out, name);
    unlink(out);
    snprintf(cmd, sizeof cmd, "readstat %s %s > /dev/null 2>&1", sav, out);
    assert_int_equal(system(cmd), 0);
    char *text = test_slurp(out, NULL);
    assert_non_null(text);
    return text;
}

static void test_sav_stream_equals_table(void **state)
{
    (void)state;
    const long n = 300;
    DatasetTable *t = synth_table(n);
    char a[128], b[128];
    path_of(a, sizeof a, "table.sav");
    path_of(b, sizeof b, "stream.sav");
    assert_int_equal(sav_write(t, "km2kiosk export", a), KS_OK);
    DatasetTable *schema = schema_table();
    synth_widths(schema, n);
    SavWriter *w = sav_writer_open(b, schema, "km2kiosk export", n);
    assert_non_null(w);
    synth_write(n, NULL, w);
    assert_int_equal(sav_writer_close(&w), KS_OK);
    /* the same bytes but for the creation date and time in the header */
    size_t la = 0, lb = 0;
    char *da = test_slurp(a, &la), *db = test_slurp(b, &lb);
    assert_int_equal(la, lb);
    memset(da + 92, ' ', 17);
    memset(db + 92, ' ', 17);
    assert_memory_equal(da, db, la);
    free(da);
    free(db);
    /* and the same data for ReadStat's reader */
    char *ca = readstat_csv(a, "table-back.csv"), *cb = readstat_csv(b, "stream-back.csv");
    assert_string_equal(ca, cb);
    /* categories by their codes, a value outside them and a non-number
     * missing, strings as they are */
    char p[128], why[256], buf[512];
    const char *cells[10];
    path_of(p, sizeof p, "table-back.csv");
    CsvFileReader *r = csvfile_reader_open(p, why, sizeof why);
    const char *const *got;
    int nc = 0;
    assert_int_equal(csvfile_reader_row(r, &got, &nc), KS_OK);
    assert_int_equal(nc, 10);
    assert_string_equal(got[4], "geschlecht");
    for (long i = 0; i < n; i++) {
        assert_int_equal(csvfile_reader_row(r, &got, &nc), KS_OK);
        synth_row(i, buf, cells);
        assert_string_equal(got[0], cells[0]);
        static const char *const codes[] = {"1.000000", "2.000000", "3.000000", "", ""};
        assert_string_equal(got[4], codes[i % 5]);
        if (i % 4 == 0)
            assert_string_equal(got[7], "");
        else
            assert_true(strtod(got[7], NULL) == strtod(cells[7], NULL));
    }
    csvfile_reader_close(&r);
    free(ca);
    free(cb);

    /* the contract of the streaming writer */
    w = sav_writer_open(b, schema, "x", 2);
    assert_non_null(w);
    synth_row(1, buf, cells);
    assert_int_equal(sav_writer_row(w, cells), KS_OK);
    assert_int_equal(sav_writer_close(&w), KS_ERR_STATE); /* one row short */
    w = sav_writer_open(b, schema, "x", 1);
    assert_int_equal(sav_writer_row(w, cells), KS_OK);
    assert_int_equal(sav_writer_row(w, cells), KS_ERR_STATE); /* one too many */
    assert_int_equal(sav_writer_close(&w), KS_ERR_STATE);
    w = sav_writer_open(b, schema, "x", 1);
    cells[9] = "longer than any text the schema was measured with";
    assert_int_equal(sav_writer_row(w, cells), KS_ERR_INVALID);
    assert_int_equal(sav_writer_close(&w), KS_ERR_INVALID);
    assert_null(sav_writer_open("/nonexistent/dir/x.sav", schema, "x", 1));
    assert_int_equal(sav_writer_close(&w), KS_OK); /* NULL: nothing */
    /* an empty table is a valid file */
    DatasetTable *empty = schema_table();
    assert_int_equal(sav_write(empty, "leer", a), KS_OK);
    char *ce = readstat_csv(a, "empty-back.csv");
    assert_non_null(strstr(ce, "\"response_id\""));
    free(ce);
    dataset_table_destroy(empty);
    dataset_table_destroy(schema);
    dataset_table_destroy(t);
}

/* ---- datapackage.json --------------------------------------------------- */

static void assert_same_str(const char *a, const char *b)
{
    if (!a || !b)
        assert_ptr_equal(a, b);
    else
        assert_string_equal(a, b);
}

static void assert_same_columns(const DatasetTable *a, const DatasetTable *b)
{
    assert_string_equal(a->name, b->name);
    assert_string_equal(a->title, b->title);
    assert_int_equal(a->n_cols, b->n_cols);
    assert_int_equal(b->n_rows, 0);
    for (int i = 0; i < a->n_cols; i++) {
        const DatasetColumn *x = &a->cols[i], *y = &b->cols[i];
        assert_string_equal(x->name, y->name);
        assert_string_equal(x->title, y->title);
        assert_same_str(x->description, y->description);
        assert_int_equal(x->kind, y->kind);
        assert_same_str(x->form_id, y->form_id);
        assert_same_str(x->question, y->question);
        assert_same_str(x->forms, y->forms);
        assert_same_str(x->versions, y->versions);
        assert_int_equal(x->quasi_identifier, y->quasi_identifier);
        assert_int_equal(x->quasi_identifier ? x->suppressed : 0, y->suppressed);
        assert_int_equal(x->n_cats, y->n_cats);
        for (int c = 0; c < x->n_cats; c++) {
            assert_int_equal(x->cats[c].code, y->cats[c].code);
            assert_string_equal(x->cats[c].name, y->cats[c].name);
            assert_string_equal(x->cats[c].label, y->cats[c].label);
        }
    }
}

static DatasetTable *freetext_table(void)
{
    DatasetTable *t = dataset_table_create("freetext", "Freigegebene Freitexte");
    dataset_table_add_column(t, "text_id", "Zufallskennung", NULL, DATASET_STRING);
    dataset_table_add_column(t, "lang", "Sprache", "Leer, wenn weniger als k …", DATASET_STRING);
    dataset_table_add_column(t, "text", "Antworttext", NULL, DATASET_STRING);
    dataset_table_add_column(t, "masked", "Kontaktdaten entfernt", NULL, DATASET_BINARY);
    return t;
}

static void test_datapackage_round_trip(void **state)
{
    (void)state;
    DatasetTable *resp = schema_table();
    /* codes need not be 1..n, labels may be empty, order is kept */
    int c = dataset_table_add_column(resp, "schule", "Schule | „gern“?", NULL, DATASET_CATEGORY);
    dataset_table_add_category(resp, c, 5, "sehr_gern", "sehr gern");
    dataset_table_add_category(resp, c, 1, "gar_nicht", "gar nicht");
    resp->cols[c].forms = strdup("kinder, eltern");
    resp->cols[c].form_id = strdup("kinder");
    resp->cols[c].versions = strdup("2026-11-1");
    DatasetTable *ft = freetext_table();
    DatasetTable *votes = dataset_table_create("workshop-1-votes", "Punkte");
    dataset_table_add_column(votes, "card_id", "Karte", NULL, DATASET_STRING);
    dataset_table_add_column(votes, "dots_round_1", "Punkte in Runde 1", NULL, DATASET_INTEGER);
    const DatasetTable *tables[] = {resp, ft, votes};
    const char *drawings[] = {"drawings/ABC.png"};
    char p[128], why[256];
    path_of(p, sizeof p, "datapackage.json");
    assert_int_equal(datapackage_write(tables, 3, "KIOSK1-20261124-7Q4M", drawings, 1, p), KS_OK);
    DatasetTable **back = NULL;
    int n = 0;
    assert_int_equal(datapackage_read(p, &back, &n, why, sizeof why), KS_OK);
    assert_string_equal(why, "");
    assert_int_equal(n, 3); /* responses.sav and the drawing are no tables */
    for (int i = 0; i < 3; i++)
        assert_same_columns(tables[i], back[i]);
    assert_int_equal(back[0]->cols[c].cats[0].code, 5);
    assert_int_equal(back[0]->cols[4].kind, DATASET_CATEGORY);
    assert_int_equal(back[0]->cols[3].kind, DATASET_BINARY);
    /* the versions are a field property */
    char *text = test_slurp(p, NULL);
    assert_non_null(strstr(text, "\"versions\":\t\"2026-11-24, 2026-11-24.2\""));
    free(text);
    /* written again from what was read: the same file */
    char p2[128];
    path_of(p2, sizeof p2, "datapackage2.json");
    assert_int_equal(datapackage_write((const DatasetTable *const *)back, n, "KIOSK1-20261124-7Q4M",
                                       drawings, 1, p2),
                     KS_OK);
    size_t l1 = 0, l2 = 0;
    char *t1 = test_slurp(p, &l1), *t2 = test_slurp(p2, &l2);
    assert_int_equal(l1, l2);
    assert_memory_equal(t1, t2, l1);
    free(t1);
    free(t2);

    /* the codebook needs nothing but the schema read back */
    const char *forms[] = {"probe", "kinder"};
    CodebookInfo info = {"KIOSK1-20261124-7Q4M", 5, "ISO-Kalenderwoche", forms, 2, 0};
    path_of(p2, sizeof p2, "codebook.md");
    assert_int_equal(codebook_write((const DatasetTable *const *)back, n, &info, p2), KS_OK);
    char *book = test_slurp(p2, NULL);
    assert_non_null(strstr(book, "gefragt in Version 2026-11-24, 2026-11-24.2"));
    assert_non_null(strstr(book, "`sehr_gern` (SPSS 5) = sehr gern<br>`gar_nicht` (SPSS 1) = "
                                 "gar nicht"));
    assert_non_null(strstr(book, "`diverse` (SPSS 3) = "));
    assert_non_null(strstr(book, "Schule \\| „gern“?"));
    assert_non_null(strstr(book, "**Quasi-Identifikator** (k = 5): in diesem Export 3 Werte"));
    /* no batch column is a quasi-identifier here */
    assert_null(strstr(book, "Außerdem zählt"));
    /* a column both forms have is listed under both */
    const char *kinder = strstr(book, "### Formular `kinder`");
    assert_non_null(kinder);
    assert_non_null(strstr(kinder, "`schule`"));
    free(book);
    datapackage_free_tables(back, n);
    datapackage_free_tables(NULL, 0);
    dataset_table_destroy(resp);
    dataset_table_destroy(ft);
    dataset_table_destroy(votes);
}

static KsStatus read_pkg(const char *json, char *why, size_t size)
{
    char p[128];
    path_of(p, sizeof p, "bad.json");
    test_write_data(p, json, strlen(json));
    DatasetTable **t = NULL;
    int n = -1;
    KsStatus ks = datapackage_read(p, &t, &n, why, size);
    if (ks != KS_OK) {
        assert_null(t);
        assert_int_equal(n, 0);
        assert_true(strncmp(why, "datapackage.json", 16) == 0);
    }
    datapackage_free_tables(t, n);
    return ks;
}

/* A package with one resource whose fields are fields_json. */
static KsStatus read_fields(const char *fields_json, char *why, size_t size)
{
    char json[4096];
    snprintf(json, sizeof json,
             "{\"resources\": [{\"name\": \"responses\", \"path\": \"responses.csv\", "
             "\"schema\": {\"fields\": [%s]}}]}",
             fields_json);
    return read_pkg(json, why, size);
}

static void test_datapackage_hostile(void **state)
{
    (void)state;
    char why[256];
    DatasetTable **t = NULL;
    int n = 0;
    assert_int_equal(datapackage_read("/nonexistent/datapackage.json", &t, &n, why, sizeof why),
                     KS_ERR_IO);
    assert_non_null(strstr(why, "kann nicht geöffnet werden"));
    assert_int_equal(read_pkg("{\"resources\": [", why, sizeof why), KS_ERR_PARSE);
    assert_non_null(strstr(why, "kein gültiges JSON"));
    assert_int_equal(read_pkg("[1, 2]", why, sizeof why), KS_ERR_PARSE);
    assert_int_equal(read_pkg("{\"name\": \"x\"}", why, sizeof why), KS_ERR_PARSE);
    assert_non_null(strstr(why, "resources"));
    /* the minimum that is fine, and a plain resource that is skipped */
    assert_int_equal(read_fields("{\"name\": \"a\"}", why, sizeof why), KS_OK);
    assert_int_equal(
        read_pkg("{\"resources\": [{\"name\": \"x\", \"path\": \"x.sav\"}]}", why, sizeof why),
        KS_OK);
    /* names */
    static const char *const bad_names[] = {
        "{\"name\": \"a b\"}",
        "{\"name\": \"../x\"}",
        "{\"name\": \"1a\"}",
        "{\"name\": \"\"}",
        "{\"name\": 7}",
        "{\"title\": \"ohne Namen\"}",
        "{\"name\": \"\\u00e4\"}",
        "{\"name\": \"a123456789a123456789a123456789a123456789a123456789a123456789abcde\"}"};
    for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++)
        assert_int_equal(read_fields(bad_names[i], why, sizeof why), KS_ERR_PARSE);
    assert_int_equal(read_fields("{\"name\": \"a\"}, {\"name\": \"A\"}", why, sizeof why),
                     KS_ERR_PARSE);
    assert_non_null(strstr(why, "doppelt"));
    assert_non_null(strstr(why, "Tabelle responses"));
    /* types and their details */
    assert_int_equal(read_fields("{\"name\": \"a\", \"type\": \"date\"}", why, sizeof why),
                     KS_ERR_PARSE);
    assert_non_null(strstr(why, "Spalte a"));
    assert_non_null(strstr(why, "„date“"));
    assert_int_equal(read_fields("{\"name\": \"a\", \"title\": 5}", why, sizeof why), KS_ERR_PARSE);
    assert_int_equal(
        read_fields("{\"name\": \"a\", \"quasiIdentifier\": \"yes\"}", why, sizeof why),
        KS_ERR_PARSE);
    assert_int_equal(read_fields("{\"name\": \"a\", \"suppressed\": -1}", why, sizeof why),
                     KS_ERR_PARSE);
    assert_int_equal(read_fields("{\"name\": \"a\", \"categories\": [{\"value\": \"x\"}], "
                                 "\"spssCodes\": {}}",
                                 why, sizeof why),
                     KS_ERR_PARSE);
    assert_non_null(strstr(why, "SPSS-Code"));
    assert_int_equal(read_fields("{\"name\": \"a\", \"categories\": [{\"value\": \"x\"}, "
                                 "{\"value\": \"y\"}], \"spssCodes\": {\"x\": 1, \"y\": 1}}",
                                 why, sizeof why),
                     KS_ERR_PARSE);
    assert_int_equal(read_fields("{\"name\": \"a\", \"categories\": [{\"value\": \"x\"}, "
                                 "{\"value\": \"x\"}]}",
                                 why, sizeof why),
                     KS_ERR_PARSE);
    assert_int_equal(read_fields("{\"name\": \"a\", \"categories\": [{\"value\": \"x\"}], "
                                 "\"spssCodes\": {\"x\": 1.5}}",
                                 why, sizeof why),
                     KS_ERR_PARSE);
    assert_int_equal(read_fields("{\"name\": \"a\", \"categories\": 3}", why, sizeof why),
                     KS_ERR_PARSE);
    /* an enum without categories gives codes 1..n and no labels */
    assert_int_equal(read_fields("{\"name\": \"a\", \"constraints\": {\"enum\": [\"p\", \"q\"]}}",
                                 why, sizeof why),
                     KS_OK);
    /* the path must be the table's CSV; the dialect the one csvfile reads */
    assert_int_equal(read_pkg("{\"resources\": [{\"name\": \"responses\", \"path\": "
                              "\"../../etc/passwd\", \"schema\": {\"fields\": []}}]}",
                              why, sizeof why),
                     KS_ERR_PARSE);
    assert_non_null(strstr(why, "responses.csv"));
    assert_int_equal(read_pkg("{\"resources\": [{\"name\": \"r\", \"dialect\": {\"delimiter\": "
                              "\";\"}, \"schema\": {\"fields\": []}}]}",
                              why, sizeof why),
                     KS_ERR_PARSE);
    assert_int_equal(read_pkg("{\"resources\": [{\"name\": \"r/x\", \"schema\": {\"fields\": "
                              "[]}}]}",
                              why, sizeof why),
                     KS_ERR_PARSE);
    assert_int_equal(read_pkg("{\"resources\": [{\"name\": \"r\", \"schema\": {\"fields\": "
                              "[]}}, {\"name\": \"R\", \"schema\": {\"fields\": []}}]}",
                              why, sizeof why),
                     KS_ERR_PARSE);
    assert_int_equal(
        read_pkg("{\"resources\": [{\"name\": \"r\", \"schema\": {}}]}", why, sizeof why),
        KS_ERR_PARSE);

    /* limits: size, values, nesting, fields, categories */
    size_t big = DATAPACKAGE_FILE_MAX + 10;
    char *text = malloc(big + 1);
    memset(text, ' ', big);
    text[0] = '{';
    text[big - 1] = '}';
    text[big] = '\0';
    assert_int_equal(read_pkg(text, why, sizeof why), KS_ERR_LIMIT);
    assert_non_null(strstr(why, "8 MiB"));
    size_t o = (size_t)sprintf(text, "{\"resources\": [], \"x\": [");
    for (int i = 0; i < DATAPACKAGE_ITEMS_MAX + 10; i++)
        o += (size_t)sprintf(text + o, "0,");
    sprintf(text + o, "0]}");
    assert_int_equal(read_pkg(text, why, sizeof why), KS_ERR_LIMIT);
    assert_non_null(strstr(why, "JSON-Werte"));
    o = 0;
    for (int i = 0; i < 5000; i++)
        text[o++] = '[';
    text[o] = '\0';
    assert_int_equal(read_pkg(text, why, sizeof why), KS_ERR_PARSE);
    o = (size_t)sprintf(text, "{\"resources\": [{\"name\": \"r\", \"schema\": {\"fields\": [");
    for (int i = 0; i <= DATAPACKAGE_FIELDS_MAX; i++)
        o += (size_t)sprintf(text + o, "%s{\"name\": \"c%d\"}", i ? "," : "", i);
    sprintf(text + o, "]}}]}");
    assert_int_equal(read_pkg(text, why, sizeof why), KS_ERR_LIMIT);
    o = (size_t)sprintf(text, "{\"resources\": [{\"name\": \"r\", \"schema\": {\"fields\": "
                              "[{\"name\": \"c\", \"constraints\": {\"enum\": [");
    for (int i = 0; i <= DATAPACKAGE_CATEGORIES_MAX; i++)
        o += (size_t)sprintf(text + o, "%s\"v%d\"", i ? "," : "", i);
    sprintf(text + o, "]}}]}}]}");
    assert_int_equal(read_pkg(text, why, sizeof why), KS_ERR_LIMIT);
    o = (size_t)sprintf(text, "{\"resources\": [{\"name\": \"r\", \"title\": \"");
    memset(text + o, 'z', DATAPACKAGE_TEXT_MAX + 1);
    o += DATAPACKAGE_TEXT_MAX + 1;
    sprintf(text + o, "\", \"schema\": {\"fields\": []}}]}");
    assert_int_equal(read_pkg(text, why, sizeof why), KS_ERR_LIMIT);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        /* first: the peak memory it checks is the process's */
        cmocka_unit_test(test_stream_200k_flat_memory),
        cmocka_unit_test(test_csv_stream_equals_table),
        cmocka_unit_test(test_csv_reader_dialect),
        cmocka_unit_test(test_csv_reader_hostile),
        cmocka_unit_test(test_csv_reader_mutations),
        cmocka_unit_test(test_sav_stream_equals_table),
        cmocka_unit_test(test_datapackage_round_trip),
        cmocka_unit_test(test_datapackage_hostile),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
