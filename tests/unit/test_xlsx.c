/* test_xlsx: the .xlsx reader and the CsvTable builder: every kind of cell,
 * sheet order and lookup, row numbers, and hostile workbooks (the small ones
 * from tests/fixtures/xlsx, made by tests/tools/make_xlsx.py; the big ones
 * built here in memory with libzip). Run from the repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "../../firmware/core/log.h"
#include "../../firmware/survey/csv.h"
#include "../../firmware/survey/xlsx.h"
#include "csv_expect.h"

#define FIX "tests/fixtures/xlsx/"
/* A real form from a public project (see tests/fixtures/xlsform-samples/README.md). */
#define XLSX_SAMPLE_A "tests/fixtures/xlsform-samples/testA.xlsx"

/* ---- helpers ---------------------------------------------------------- */

static XlsxBook *open_ok(const char *path)
{
    XlsxBook *b = NULL;
    char err[256];
    KsStatus st = xlsx_open_file(path, &b, err, sizeof err);
    if (st != KS_OK)
        fail_msg("%s: %s", path, err);
    assert_non_null(b);
    return b;
}

static CsvTable *read_ok(XlsxBook *b, const char *sheet)
{
    CsvTable *t = NULL;
    char err[256];
    int i = xlsx_sheet_find(b, sheet);
    assert_true(i >= 0);
    KsStatus st = xlsx_sheet_read(b, i, &t, err, sizeof err);
    if (st != KS_OK)
        fail_msg("sheet %s: %s", sheet, err);
    return t;
}

/* Opens a fixture that must fail with st; err must contain `needle`. */
static void open_fails(const char *path, KsStatus want, const char *needle)
{
    XlsxBook *b = (XlsxBook *)1;
    char err[256];
    KsStatus st = xlsx_open_file(path, &b, err, sizeof err);
    if (st != want || !strstr(err, needle))
        fail_msg("%s: got %s \"%s\", want %s \"%s\"", path, ks_status_str(st), err,
                 ks_status_str(want), needle);
    assert_null(b);
}

typedef struct {
    const char *name;
    const void *data;
    size_t len;
} Part;

/* A zip archive of the parts, built in memory; the caller frees it. */
static unsigned char *zip_build(const Part *parts, int n, size_t *len)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    assert_non_null(src);
    zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    assert_non_null(za);
    zip_source_keep(src);
    for (int i = 0; i < n; i++) {
        zip_source_t *s = zip_source_buffer(za, parts[i].data, parts[i].len, 0);
        assert_non_null(s);
        zip_int64_t idx = zip_file_add(za, parts[i].name, s, ZIP_FL_ENC_UTF_8);
        assert_true(idx >= 0);
        zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 1);
    }
    assert_int_equal(zip_close(za), 0);
    zip_stat_t st;
    assert_int_equal(zip_source_open(src), 0);
    assert_int_equal(zip_source_stat(src, &st), 0);
    unsigned char *buf = malloc(st.size);
    assert_int_equal(zip_source_read(src, buf, st.size), (zip_int64_t)st.size);
    zip_source_close(src);
    zip_source_free(src);
    zip_error_fini(&ze);
    *len = st.size;
    return buf;
}

#define S(text) text, sizeof text - 1

/* A workbook with n sheets ("s1".."sN") all holding `sheet`, and optionally
 * shared strings. */
static unsigned char *book_build(int n, const char *sheet, size_t sheet_len, const char *sst,
                                 size_t sst_len, size_t *len)
{
    static char wb[2048], rels[2048];
    Part parts[16];
    int k = 0;
    assert_true(n >= 1 && n <= 8);
    int w = snprintf(wb, sizeof wb, "<workbook xmlns:r=\"urn:r\"><sheets>");
    int r = snprintf(rels, sizeof rels, "<Relationships>");
    static char names[8][32];
    for (int i = 1; i <= n; i++) {
        w += snprintf(wb + w, sizeof wb - (size_t)w, "<sheet name=\"s%d\" r:id=\"rId%d\"/>", i, i);
        r += snprintf(rels + r, sizeof rels - (size_t)r,
                      "<Relationship Id=\"rId%d\" Target=\"worksheets/sheet%d.xml\"/>", i, i);
        snprintf(names[i - 1], sizeof names[0], "xl/worksheets/sheet%d.xml", i);
        parts[k++] = (Part){names[i - 1], sheet, sheet_len};
    }
    w += snprintf(wb + w, sizeof wb - (size_t)w, "</sheets></workbook>");
    r += snprintf(rels + r, sizeof rels - (size_t)r, "</Relationships>");
    parts[k++] = (Part){"xl/workbook.xml", wb, (size_t)w};
    parts[k++] = (Part){"xl/_rels/workbook.xml.rels", rels, (size_t)r};
    if (sst)
        parts[k++] = (Part){"xl/sharedStrings.xml", sst, sst_len};
    return zip_build(parts, k, len);
}

/* Reads sheet i of an in-memory book; returns the status, err filled. */
static KsStatus mem_read(const unsigned char *buf, size_t len, int i, char *err, size_t errsz)
{
    XlsxBook *b = NULL;
    CsvTable *t = NULL;
    KsStatus st = xlsx_open_mem(buf, len, &b, err, errsz);
    if (st == KS_OK)
        st = xlsx_sheet_read(b, i, &t, err, errsz);
    csv_destroy(t);
    xlsx_close(b);
    return st;
}

/* A sheet of `head`, then n copies of `fill`, then `tail`; caller frees. */
static char *big_text(const char *head, char fill, size_t n, const char *tail, size_t *len)
{
    size_t h = strlen(head), t = strlen(tail);
    char *s = malloc(h + n + t);
    memcpy(s, head, h);
    memset(s + h, fill, n);
    memcpy(s + h + n, tail, t);
    *len = h + n + t;
    return s;
}

/* ---- the builder ------------------------------------------------------ */

static void test_csv_builder(void **state)
{
    (void)state;
    CsvTable *t = csv_create();
    assert_int_equal(csv_rows(t), 0);
    assert_int_equal(csv_set(t, 3, 2, "x", 1), KS_OK);
    assert_int_equal(csv_rows(t), 4);
    assert_int_equal(csv_cols(t, 0), 0);
    assert_int_equal(csv_cols(t, 3), 3);
    assert_string_equal(csv_cell(t, 3, 0), "");
    assert_string_equal(csv_cell(t, 3, 2), "x");
    assert_int_equal(csv_row_number(t, 3), 4);
    assert_int_equal(csv_set(t, 3, 20, "abc", 2), KS_OK); /* n bytes, no terminator needed */
    assert_string_equal(csv_cell(t, 3, 20), "ab");
    assert_string_equal(csv_cell(t, 3, 2), "x"); /* survives the cells growing */
    assert_int_equal(csv_set(t, 3, 2, "y", 1), KS_OK);
    assert_string_equal(csv_cell(t, 3, 2), "y");
    assert_int_equal(csv_set(t, 0, 0, NULL, 0), KS_OK);
    assert_int_equal(csv_cols(t, 0), 1);
    assert_int_equal(csv_set(t, CSV_MAX_ROWS, 0, "x", 1), KS_ERR_LIMIT);
    assert_int_equal(csv_set(t, 0, CSV_MAX_COLS, "x", 1), KS_ERR_LIMIT);
    assert_int_equal(csv_set(t, CSV_MAX_ROWS - 1, CSV_MAX_COLS - 1, "z", 1), KS_OK);
    assert_int_equal(csv_rows(t), CSV_MAX_ROWS);
    assert_int_equal(csv_set(t, -1, 0, "x", 1), KS_ERR_INVALID);
    char *big = calloc(1, CSV_MAX_FIELD + 2);
    memset(big, 'a', CSV_MAX_FIELD + 1);
    assert_int_equal(csv_set(t, 1, 1, big, CSV_MAX_FIELD + 1), KS_ERR_LIMIT);
    assert_int_equal(csv_set(t, 1, 1, big, CSV_MAX_FIELD), KS_OK);
    assert_int_equal(strlen(csv_cell(t, 1, 1)), CSV_MAX_FIELD);
    free(big);
    csv_destroy(t);

    /* A parsed table can be extended too. */
    assert_int_equal(csv_parse("a,b\nc\n", 6, &t, NULL, 0), KS_OK);
    assert_int_equal(csv_set(t, 1, 2, "z", 1), KS_OK);
    expect_cells(t, 1, 0, "c", "", "z", NULL);
    assert_string_equal(csv_cell(t, 0, 1), "b");
    csv_destroy(t);
}

/* ---- reading ---------------------------------------------------------- */

static void test_xlsx_sheets(void **state)
{
    (void)state;
    XlsxBook *b = open_ok(FIX "cells.xlsx");
    assert_int_equal(xlsx_sheet_count(b), 4);
    assert_string_equal(xlsx_sheet_name(b, 0), "survey");
    assert_string_equal(xlsx_sheet_name(b, 1), "choices");
    assert_string_equal(xlsx_sheet_name(b, 2), "Settings");
    assert_string_equal(xlsx_sheet_name(b, 3), "notes");
    assert_null(xlsx_sheet_name(b, 4));
    assert_null(xlsx_sheet_name(b, -1));
    assert_int_equal(xlsx_sheet_find(b, "settings"), 2);
    assert_int_equal(xlsx_sheet_find(b, "SURVEY"), 0);
    assert_int_equal(xlsx_sheet_find(b, "survey "), -1);
    assert_int_equal(xlsx_sheet_find(b, "nope"), -1);
    assert_int_equal(xlsx_sheet_find(b, NULL), -1);

    CsvTable *t = read_ok(b, "notes"); /* a sheet without cells */
    assert_int_equal(csv_rows(t), 0);
    csv_destroy(t);
    t = read_ok(b, "choices");
    assert_string_equal(csv_cell(t, 0, 0), "type");
    assert_string_equal(csv_cell(t, 1, 1), "ja");
    csv_destroy(t);

    char err[128];
    assert_int_equal(xlsx_sheet_read(b, 9, &t, err, sizeof err), KS_ERR_INVALID);
    assert_null(t);
    xlsx_close(b);
    xlsx_close(NULL);
    assert_int_equal(xlsx_sheet_count(NULL), 0);
}

static void test_xlsx_cells(void **state)
{
    (void)state;
    XlsxBook *b = open_ok(FIX "cells.xlsx");
    CsvTable *t = read_ok(b, "survey");
    assert_int_equal(csv_rows(t), 9);
    /* shared strings, including rich text without its phonetic run */
    assert_string_equal(csv_cell(t, 0, 0), "type");
    assert_string_equal(csv_cell(t, 0, 2), "label::Deutsch (de)");
    assert_string_equal(csv_cell(t, 1, 2), "Grüße");
    assert_string_equal(csv_cell(t, 4, 2), "<b> \xE2\x98\xBA");
    /* inline strings keep their spaces; entities decoded */
    assert_string_equal(csv_cell(t, 1, 0), "text");
    assert_string_equal(csv_cell(t, 1, 1), " q1 & ");
    /* a gap: row 3 is empty, row numbers follow the spreadsheet */
    assert_int_equal(csv_cols(t, 2), 0);
    assert_int_equal(csv_row_number(t, 3), 4);
    /* numbers, booleans, errors, formula text */
    expect_cells(t, 3, 0, "42", "10", "0.3", "3.25", "true", "false", "", "formula text", NULL);
    /* empty cells */
    expect_cells(t, 4, 0, "", "", NULL);
    /* missing r: next column, next row */
    expect_cells(t, 6, 0, "a7", "b7", "", NULL);
    expect_cells(t, 6, 4, "e7", "f7", NULL);
    assert_string_equal(csv_cell(t, 7, 0), "a8");
    assert_int_equal(csv_row_number(t, 7), 8);
    /* inline rich text without the phonetic run */
    assert_string_equal(csv_cell(t, 8, 1), "rich run");
    csv_destroy(t);
    xlsx_close(b);
}

static void test_xlsx_absolute_targets(void **state)
{
    (void)state;
    XlsxBook *b = open_ok(FIX "absolute.xlsx");
    assert_int_equal(xlsx_sheet_count(b), 2);
    assert_string_equal(xlsx_sheet_name(b, 0), "settings");
    CsvTable *t = read_ok(b, "survey");
    assert_int_equal(csv_rows(t), 3);
    assert_string_equal(csv_cell(t, 2, 2), "7");
    assert_int_equal(csv_row_number(t, 2), 3);
    csv_destroy(t);
    xlsx_close(b);
}

static void test_xlsx_real_sample(void **state)
{
    (void)state;
    XlsxBook *b = open_ok(XLSX_SAMPLE_A);
    CsvTable *t = read_ok(b, "survey");
    assert_string_equal(csv_cell(t, 21, 0), "range");
    assert_string_equal(csv_cell(t, 21, 7), "start=0 end=100 step=5");
    assert_int_equal(csv_row_number(t, 21), 22);
    csv_destroy(t);
    for (int i = 0; i < xlsx_sheet_count(b); i++) {
        char err[256];
        assert_int_equal(xlsx_sheet_read(b, i, &t, err, sizeof err), KS_OK);
        csv_destroy(t);
    }
    xlsx_close(b);
}

/* Every fixture either loads with all its sheets or fails with a message. */
static void test_xlsx_all_fixtures(void **state)
{
    (void)state;
    static const char *const good[] = {"cells.xlsx", "cells-stored.xlsx", "absolute.xlsx"};
    static const char *const all[] = {
        "cells.xlsx",          "cells-stored.xlsx",  "absolute.xlsx",  "traversal.xlsx",
        "backslash.xlsx",      "escape-target.xlsx", "sst-range.xlsx", "deep.xlsx",
        "bad-ref.xlsx",        "doctype.xlsx",       "encrypted.xlsx", "broken-xml.xlsx",
        "not-a-workbook.xlsx", "not-excel.xlsx",
    };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        char path[128], err[256];
        snprintf(path, sizeof path, FIX "%s", all[i]);
        assert_int_equal(access(path, R_OK), 0);
        XlsxBook *b = NULL;
        bool ok = xlsx_open_file(path, &b, err, sizeof err) == KS_OK;
        for (int k = 0; ok && k < xlsx_sheet_count(b); k++) {
            CsvTable *t = NULL;
            ok = xlsx_sheet_read(b, k, &t, err, sizeof err) == KS_OK;
            csv_destroy(t);
        }
        if (!ok)
            assert_true(err[0] != '\0');
        for (size_t g = 0; g < sizeof good / sizeof good[0]; g++)
            if (strcmp(all[i], good[g]) == 0 && !ok)
                fail_msg("%s: %s", path, err);
        xlsx_close(b);
    }

    /* Stored and deflated parts read the same. */
    XlsxBook *a = open_ok(FIX "cells.xlsx"), *b = open_ok(FIX "cells-stored.xlsx");
    CsvTable *ta = read_ok(a, "survey"), *tb = read_ok(b, "survey");
    assert_int_equal(csv_rows(ta), csv_rows(tb));
    for (int r = 0; r < csv_rows(ta); r++)
        for (int c = 0; c < csv_cols(ta, r); c++)
            assert_string_equal(csv_cell(ta, r, c), csv_cell(tb, r, c));
    csv_destroy(ta);
    csv_destroy(tb);
    xlsx_close(a);
    xlsx_close(b);
}

/* ---- hostile workbooks -------------------------------------------------- */

static void test_xlsx_hostile_fixtures(void **state)
{
    (void)state;
    open_fails(FIX "not-a-workbook.xlsx", KS_ERR_PARSE, "not an Excel workbook (.xlsx)");
    open_fails(FIX "not-excel.xlsx", KS_ERR_PARSE, "not an Excel workbook (.xlsx)");
    open_fails(FIX "does-not-exist.xlsx", KS_ERR_NOT_FOUND, "does-not-exist");
    open_fails(FIX "traversal.xlsx", KS_ERR_INVALID,
               "the file contains an entry outside the workbook: ../../evil");
    open_fails(FIX "backslash.xlsx", KS_ERR_INVALID, "entry outside the workbook");
    open_fails(FIX "escape-target.xlsx", KS_ERR_INVALID, "outside the workbook: ../../etc/passwd");
    open_fails(FIX "encrypted.xlsx", KS_ERR_INVALID, "password");

    /* These open, then fail on the sheet. */
    static const struct {
        const char *file;
        KsStatus st;
        const char *needle;
    } sheets[] = {
        {FIX "sst-range.xlsx", KS_ERR_PARSE, "cell A1 of sheet survey refers to a text"},
        {FIX "deep.xlsx", KS_ERR_LIMIT, "nested more than 64 levels"},
        {FIX "bad-ref.xlsx", KS_ERR_PARSE, "bad cell reference \"XFE1\""},
        {FIX "doctype.xlsx", KS_ERR_PARSE, "document type declaration"},
        {FIX "broken-xml.xlsx", KS_ERR_PARSE, "the workbook is damaged: sheet survey, line"},
    };
    for (size_t i = 0; i < sizeof sheets / sizeof sheets[0]; i++) {
        XlsxBook *b = open_ok(sheets[i].file);
        CsvTable *t = (CsvTable *)1;
        char err[256];
        KsStatus st = xlsx_sheet_read(b, 0, &t, err, sizeof err);
        if (st != sheets[i].st || !strstr(err, sheets[i].needle))
            fail_msg("%s: got %s \"%s\"", sheets[i].file, ks_status_str(st), err);
        assert_null(t);
        xlsx_close(b);
    }
}

static void test_xlsx_not_zip_mem(void **state)
{
    (void)state;
    XlsxBook *b = NULL;
    char err[256];
    assert_int_equal(xlsx_open_mem("", 0, &b, err, sizeof err), KS_ERR_PARSE);
    assert_non_null(strstr(err, "not an Excel workbook"));
    assert_int_equal(xlsx_open_mem("PK\3\4garbage-garbage-garbage", 27, &b, err, sizeof err),
                     KS_ERR_PARSE);
    assert_int_equal(xlsx_open_mem("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8, &b, err, sizeof err),
                     KS_ERR_PARSE);
    assert_non_null(strstr(err, "password"));
    assert_null(b);
}

static void test_xlsx_zip_bomb(void **state)
{
    (void)state;
    char err[256];
    size_t n, len;
    /* 40 MiB of spaces in one sheet: deflates to ~40 KiB. */
    char *sheet =
        big_text("<worksheet><sheetData>", ' ', 40u << 20, "</sheetData></worksheet>", &n);
    unsigned char *zip = book_build(1, sheet, n, NULL, 0, &len);
    assert_true(len < (1u << 20));
    assert_int_equal(mem_read(zip, len, 0, err, sizeof err), KS_ERR_LIMIT);
    assert_non_null(strstr(err, "too large: sheet s1"));
    free(zip);

    /* Three sheets of 30 MiB each: every one is within the part limit, the
     * book as a whole is not. */
    free(sheet);
    sheet = big_text("<worksheet><sheetData>", ' ', 30u << 20, "</sheetData></worksheet>", &n);
    zip = book_build(3, sheet, n, NULL, 0, &len);
    XlsxBook *b = NULL;
    CsvTable *t = NULL;
    KsStatus st = KS_OK;
    assert_int_equal(xlsx_open_mem(zip, len, &b, err, sizeof err), KS_OK);
    for (int i = 0; i < 3 && st == KS_OK; i++) {
        st = xlsx_sheet_read(b, i, &t, err, sizeof err);
        csv_destroy(t);
    }
    assert_int_equal(st, KS_ERR_LIMIT);
    assert_non_null(strstr(err, "more than 64 MiB"));
    xlsx_close(b);
    free(zip);
    free(sheet);
}

static void test_xlsx_huge_cell(void **state)
{
    (void)state;
    char err[256];
    size_t n, len;
    char *sheet = big_text("<worksheet><sheetData><row r=\"7\"><c r=\"C7\" t=\"inlineStr\"><is><t>",
                           'x', 1u << 20, "</t></is></c></row></sheetData></worksheet>", &n);
    unsigned char *zip = book_build(1, sheet, n, NULL, 0, &len);
    assert_int_equal(mem_read(zip, len, 0, err, sizeof err), KS_ERR_LIMIT);
    assert_string_equal(err, "cell C7 of sheet s1 is longer than 65536 bytes");
    free(zip);
    free(sheet);

    /* The same through a shared string: the error still names the cell. */
    char *sst = big_text("<sst><si><t>ok</t></si><si><t>", 'y', 1u << 20, "</t></si></sst>", &n);
    static const char uses[] = "<worksheet><sheetData><row r=\"2\"><c r=\"A2\" t=\"s\"><v>0</v></c>"
                               "<c r=\"B2\" t=\"s\"><v>1</v></c></row></sheetData></worksheet>";
    zip = book_build(1, S(uses), sst, n, &len);
    assert_int_equal(mem_read(zip, len, 0, err, sizeof err), KS_ERR_LIMIT);
    assert_string_equal(err, "cell B2 of sheet s1 is longer than 65536 bytes");
    free(zip);
    free(sst);

    /* A 5 MiB attribute: expat would buffer and rescan it; refused. */
    sheet = big_text("<worksheet a=\"", 'z', 5u << 20, "\"><sheetData/></worksheet>", &n);
    zip = book_build(1, sheet, n, NULL, 0, &len);
    assert_int_equal(mem_read(zip, len, 0, err, sizeof err), KS_ERR_LIMIT);
    assert_non_null(strstr(err, "XML tag over"));
    free(zip);
    free(sheet);
}

static void test_xlsx_shared_string_count(void **state)
{
    (void)state;
    char err[256];
    size_t len, n = 0;
    static const char item[] = "<si><t>a</t></si>";
    size_t cap = (XLSX_MAX_SHARED_STRINGS + 1) * (sizeof item - 1) + 64;
    char *sst = malloc(cap);
    n += (size_t)snprintf(sst, cap, "<sst>");
    for (int i = 0; i <= XLSX_MAX_SHARED_STRINGS; i++) {
        memcpy(sst + n, item, sizeof item - 1);
        n += sizeof item - 1;
    }
    memcpy(sst + n, "</sst>", 6);
    n += 6;
    static const char sheet[] = "<worksheet><sheetData/></worksheet>";
    unsigned char *zip = book_build(1, S(sheet), sst, n, &len);
    XlsxBook *b = NULL;
    assert_int_equal(xlsx_open_mem(zip, len, &b, err, sizeof err), KS_ERR_LIMIT);
    assert_non_null(strstr(err, "more than 100000 different texts"));
    assert_null(b);
    free(zip);

    /* Exactly the limit is fine. */
    n -= (sizeof item - 1) + 6;
    memcpy(sst + n, "</sst>", 6);
    zip = book_build(1, S(sheet), sst, n + 6, &len);
    assert_int_equal(xlsx_open_mem(zip, len, &b, err, sizeof err), KS_OK);
    xlsx_close(b);
    free(zip);
    free(sst);
}

static void test_xlsx_grid_limits(void **state)
{
    (void)state;
    char err[256];
    size_t len;
    static const char far_row[] =
        "<worksheet><sheetData><row r=\"20001\"><c r=\"A20001\" "
        "t=\"inlineStr\"><is><t>x</t></is></c></row></sheetData></worksheet>";
    unsigned char *zip = book_build(1, S(far_row), NULL, 0, &len);
    assert_int_equal(mem_read(zip, len, 0, err, sizeof err), KS_ERR_LIMIT);
    assert_non_null(strstr(err, "more than 20000 rows (cell A20001)"));
    free(zip);

    static const char far_col[] = "<worksheet><sheetData><row><c r=\"IW1\" t=\"inlineStr\"><is>"
                                  "<t>x</t></is></c></row></sheetData></worksheet>";
    zip = book_build(1, S(far_col), NULL, 0, &len);
    assert_int_equal(mem_read(zip, len, 0, err, sizeof err), KS_ERR_LIMIT);
    assert_non_null(strstr(err, "cell IW1 of sheet s1"));
    free(zip);

    /* Empty cells far away (formatting only) are no reason to fail. */
    static const char styled[] = "<worksheet><sheetData><row r=\"1048576\"><c r=\"XFD1048576\" "
                                 "s=\"1\"/></row></sheetData></worksheet>";
    zip = book_build(1, S(styled), NULL, 0, &len);
    assert_int_equal(mem_read(zip, len, 0, err, sizeof err), KS_OK);
    free(zip);

    /* Namespace prefixes and a bare "t" outside <is> change nothing. */
    static const char prefixed[] = "<x:worksheet xmlns:x=\"urn:x\"><x:sheetData><x:row r=\"2\">"
                                   "<x:c r=\"B2\" t=\"inlineStr\"><x:is><x:t>p</x:t></x:is></x:c>"
                                   "</x:row></x:sheetData></x:worksheet>";
    zip = book_build(1, S(prefixed), NULL, 0, &len);
    XlsxBook *b = NULL;
    CsvTable *t = NULL;
    assert_int_equal(xlsx_open_mem(zip, len, &b, err, sizeof err), KS_OK);
    assert_int_equal(xlsx_sheet_read(b, 0, &t, err, sizeof err), KS_OK);
    assert_string_equal(csv_cell(t, 1, 1), "p");
    csv_destroy(t);
    xlsx_close(b);
    free(zip);
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_builder),
        cmocka_unit_test(test_xlsx_sheets),
        cmocka_unit_test(test_xlsx_cells),
        cmocka_unit_test(test_xlsx_absolute_targets),
        cmocka_unit_test(test_xlsx_real_sample),
        cmocka_unit_test(test_xlsx_all_fixtures),
        cmocka_unit_test(test_xlsx_hostile_fixtures),
        cmocka_unit_test(test_xlsx_not_zip_mem),
        cmocka_unit_test(test_xlsx_zip_bomb),
        cmocka_unit_test(test_xlsx_huge_cell),
        cmocka_unit_test(test_xlsx_shared_string_count),
        cmocka_unit_test(test_xlsx_grid_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
