/* test_survey: the survey module: the CSV reader, the XLSForm CSV loader and
 * its diagnostics, the form model, the catalog and the session logic.
 * Run from the repository root (fixtures are under tests/fixtures/forms). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../firmware/core/log.h"
#include "../../firmware/survey/catalog.h"
#include "../../firmware/survey/csv.h"
#include "../../firmware/survey/form_csv.h"
#include "../../firmware/survey/form_diag.h"
#include "../../firmware/survey/session.h"
#include "../test_tmp.h"
#include "csv_expect.h"

#define CATALOG_DIR "tests/fixtures/forms/catalog"
#define KINDER_DIR CATALOG_DIR "/kinder"

/* ---- helpers ---------------------------------------------------------- */

static CsvTable *parse_ok(const char *text)
{
    CsvTable *t = NULL;
    char err[128];
    assert_int_equal(csv_parse(text, strlen(text), &t, err, sizeof err), KS_OK);
    assert_non_null(t);
    return t;
}

/* A form written into a fresh temporary folder; NULL contents leave a file out. */
typedef struct {
    char dir[64];
} TmpForm;

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (!text) {
        unlink(path);
        return;
    }
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fwrite(text, 1, strlen(text), fp);
    fclose(fp);
}

static void tmp_form_write(TmpForm *t, const char *settings, const char *survey,
                           const char *choices)
{
    if (!t->dir[0])
        assert_true(test_tmp_dir(t->dir, sizeof t->dir, "ks_survey"));
    write_file(t->dir, "settings.csv", settings);
    write_file(t->dir, "survey.csv", survey);
    write_file(t->dir, "choices.csv", choices);
}

static void tmp_form_remove(TmpForm *t)
{
    write_file(t->dir, "settings.csv", NULL);
    write_file(t->dir, "survey.csv", NULL);
    write_file(t->dir, "choices.csv", NULL);
    rmdir(t->dir);
}

static bool diag_has(const FormDiag *d, const char *needle)
{
    for (int i = 0; i < form_diag_count(d); i++)
        if (strstr(form_diag_message(d, i), needle))
            return true;
    return false;
}

/* Loads a temporary form and expects `st`, and a message containing `needle`. */
static Form *load_tmp(const char *settings, const char *survey, const char *choices, KsStatus want,
                      const char *needle)
{
    TmpForm t = {{0}};
    tmp_form_write(&t, settings, survey, choices);
    Form *f = NULL;
    FormDiag *d = form_diag_create();
    KsStatus st = form_csv_load(t.dir, &f, d);
    if (st != want || (needle && !diag_has(d, needle)))
        form_diag_print(d, stderr);
    assert_int_equal(st, want);
    if (needle) {
        char full[256];
        /* Needles starting with "/" are located: prefix the folder. */
        if (needle[0] == '/') {
            snprintf(full, sizeof full, "%s%s", t.dir, needle);
            assert_true(diag_has(d, full));
        } else {
            assert_true(diag_has(d, needle));
        }
    }
    if (want != KS_OK)
        assert_null(f);
    form_diag_destroy(d);
    tmp_form_remove(&t);
    return f;
}

static const char *SURVEY_YN = "type,name,label\nselect_one yn,q1,Frage?\n";
static const char *CHOICES_YN = "list_name,name,label\nyn,yes,Ja\nyn,no,Nein\n";
static const char *SETTINGS_T = "form_id,version\nt,7\n";

/* ---- csv -------------------------------------------------------------- */

static void test_csv_quotes(void **state)
{
    (void)state;
    CsvTable *t = parse_ok("a,\"b,c\",\"say \"\"hi\"\"\",\"\",\n");
    assert_int_equal(csv_rows(t), 1);
    assert_int_equal(csv_cols(t, 0), 5);
    expect_cells(t, 0, 0, "a", "b,c", "say \"hi\"", "", "", NULL);
    csv_destroy(t);
}

static void test_csv_embedded_newline_counts_one_row(void **state)
{
    (void)state;
    CsvTable *t = parse_ok("h1,h2\n\"line one\nline two\",x\nlast,row\n");
    assert_int_equal(csv_rows(t), 3);
    assert_string_equal(csv_cell(t, 1, 0), "line one\nline two");
    assert_string_equal(csv_cell(t, 2, 0), "last");
    assert_int_equal(csv_row_number(t, 2), 3);
    csv_destroy(t);
}

static void test_csv_crlf_bom_no_final_newline(void **state)
{
    (void)state;
    CsvTable *t = parse_ok("\xEF\xBB\xBFtype,name\r\nnote,\"a\r\nb\"\r\nx,y");
    assert_int_equal(csv_rows(t), 3);
    assert_string_equal(csv_cell(t, 0, 0), "type");
    assert_string_equal(csv_cell(t, 1, 1), "a\r\nb");
    assert_string_equal(csv_cell(t, 2, 1), "y");
    csv_destroy(t);
}

static void test_csv_ragged_and_blank_rows(void **state)
{
    (void)state;
    CsvTable *t = parse_ok("a,b,c\n\nd\n");
    assert_int_equal(csv_rows(t), 3);
    assert_int_equal(csv_cols(t, 0), 3);
    assert_int_equal(csv_cols(t, 1), 0);
    assert_int_equal(csv_cols(t, 2), 1);
    assert_string_equal(csv_cell(t, 2, 2), "");
    assert_string_equal(csv_cell(t, 9, 0), "");
    assert_string_equal(csv_cell(t, -1, 0), "");
    csv_destroy(t);
    t = parse_ok("");
    assert_int_equal(csv_rows(t), 0);
    csv_destroy(t);
}

static void test_csv_unclosed_quote(void **state)
{
    (void)state;
    CsvTable *t = NULL;
    char err[128];
    const char *text = "a\nb\n\"never closed\n";
    assert_int_equal(csv_parse(text, strlen(text), &t, err, sizeof err), KS_ERR_PARSE);
    assert_null(t);
    assert_non_null(strstr(err, "row 3"));
}

static void test_csv_limits(void **state)
{
    (void)state;
    CsvTable *t = NULL;
    char err[128];
    size_t big = CSV_MAX_FIELD + 10;
    char *buf = malloc(big + 2);
    memset(buf, 'x', big);
    buf[0] = '"';
    buf[big] = '"';
    buf[big + 1] = '\0';
    assert_int_equal(csv_parse(buf, big + 1, &t, err, sizeof err), KS_ERR_LIMIT);
    assert_null(t);
    assert_non_null(strstr(err, "longer than"));
    free(buf);

    char cols[CSV_MAX_COLS * 2 + 8];
    size_t n = 0;
    for (int i = 0; i <= CSV_MAX_COLS; i++) {
        cols[n++] = 'c';
        cols[n++] = ',';
    }
    cols[n - 1] = '\n';
    assert_int_equal(csv_parse(cols, n, &t, err, sizeof err), KS_ERR_LIMIT);
    assert_non_null(strstr(err, "columns"));
    assert_int_equal(csv_parse(cols, n - 4, &t, err, sizeof err), KS_OK);
    assert_int_equal(csv_cols(t, 0), CSV_MAX_COLS);
    csv_destroy(t);

    size_t rows = CSV_MAX_ROWS + 1;
    char *lines = malloc(rows * 2);
    for (size_t i = 0; i < rows; i++) {
        lines[2 * i] = 'r';
        lines[2 * i + 1] = '\n';
    }
    assert_int_equal(csv_parse(lines, rows * 2, &t, err, sizeof err), KS_ERR_LIMIT);
    assert_non_null(strstr(err, "rows"));
    assert_int_equal(csv_parse(lines, (rows - 1) * 2, &t, err, sizeof err), KS_OK);
    assert_int_equal(csv_rows(t), CSV_MAX_ROWS);
    csv_destroy(t);
    free(lines);
}

/* ---- form loading ---------------------------------------------------- */

static void test_form_kinder_model(void **state)
{
    (void)state;
    Form *f = NULL;
    FormDiag *d = form_diag_create();
    assert_int_equal(form_csv_load(KINDER_DIR, &f, d), KS_OK);
    assert_int_equal(form_diag_errors(d), 0);
    assert_string_equal(form_id(f), "kinder");
    assert_string_equal(form_version(f), "3");
    assert_string_equal(form_source(f), KINDER_DIR);
    assert_int_equal(form_audience(f), FORM_AUDIENCE_YOUTH);
    assert_int_equal(form_lang_count(f), 2);
    assert_string_equal(form_lang(f, 0)->code, "de");
    assert_string_equal(form_lang(f, 0)->name, "Deutsch");
    assert_string_equal(form_lang(f, 1)->code, "en");
    assert_string_equal(form_lang(f, 1)->name, "English");
    assert_int_equal(form_lang_index(f, "en"), 1);
    assert_int_equal(form_lang_index(f, "fr"), -1);
    assert_int_equal(form_default_lang(f), 0);
    assert_string_equal(form_text(f, form_title(f), 1), "Children's survey");

    assert_int_equal(form_question_count(f), 4);
    const FormQuestion *welcome = form_question(f, 0);
    assert_int_equal(welcome->type, FORM_Q_NOTE);
    assert_false(welcome->required);
    assert_null(welcome->list);

    const FormQuestion *mood = form_question(f, 1);
    assert_int_equal(mood->type, FORM_Q_SELECT_ONE);
    assert_string_equal(mood->name, "mood");
    assert_true(mood->required);
    assert_int_equal(mood->appearance, FORM_APP_FACES | FORM_APP_QUICK);
    assert_int_equal(mood->row, 3);
    assert_string_equal(form_text(f, &mood->hint, 1), "Tippe ein Gesicht");
    assert_string_equal(mood->list->name, "mood");
    assert_int_equal(mood->list->n_choices, 3);
    assert_string_equal(mood->list->choices[2].name, "sad");
    assert_string_equal(form_text(f, &mood->list->choices[0].image, 1),
                        KINDER_DIR "/images/happy.svg");

    const FormQuestion *sports = form_question(f, 2);
    assert_int_equal(sports->row, 5); /* the blank row 4 is skipped but counted */
    assert_int_equal(sports->type, FORM_Q_SELECT_MULTIPLE);
    assert_true(sports->required);
    assert_int_equal(sports->appearance, FORM_APP_COLUMNS | FORM_APP_NO_BUTTONS);
    assert_string_equal(sports->image.s[0], KINDER_DIR "/images/sport.svg");
    assert_string_equal(sports->image.s[1], KINDER_DIR "/images/sport.svg");
    assert_string_equal(form_text(f, &sports->list->choices[2].label, 0), "Tanzen, \"Ballett\"");

    const FormQuestion *again = form_question(f, 3);
    assert_int_equal(again->appearance, FORM_APP_YES_NO);
    assert_int_equal(form_question_index(f, "again"), 3);
    assert_int_equal(form_question_index(f, "nope"), -1);
    assert_null(form_question(f, 4));
    /* Missing translations are warnings naming the column. */
    assert_true(diag_has(d,
                         "survey.csv:survey:6:label::English (en): the question \"again\" has no "
                         "label in English"));
    assert_true(diag_has(d, "choices.csv:choices:10:label::Deutsch (de): choice \"maybe\""));
    form_diag_destroy(d);
    form_destroy(f);
}

static void test_form_text_fallback(void **state)
{
    (void)state;
    Form *f = NULL;
    assert_int_equal(form_csv_load(KINDER_DIR, &f, NULL), KS_OK);
    const FormQuestion *again = form_question(f, 3);
    /* chosen language */
    assert_string_equal(form_text(f, &form_question(f, 1)->label, 1), "How are you?");
    /* chosen (en) missing -> default (de) */
    assert_string_equal(form_text(f, &again->label, 1), "Nochmal?");
    /* chosen and default (de) missing -> any language */
    assert_string_equal(form_text(f, &again->list->choices[2].label, 0), "Maybe");
    /* out of range language behaves as missing */
    assert_string_equal(form_text(f, &again->label, 7), "Nochmal?");
    /* nothing anywhere -> "" */
    assert_string_equal(form_text(f, &again->hint, 0), "");
    assert_string_equal(form_text(f, NULL, 0), "");
    form_destroy(f);
}

static void test_form_plain_label_no_settings(void **state)
{
    (void)state;
    Form *f = NULL;
    FormDiag *d = form_diag_create();
    assert_int_equal(form_csv_load(CATALOG_DIR "/plain/", &f, d), KS_OK);
    assert_string_equal(form_id(f), "plain");
    assert_true(diag_has(d, "there is no form_id; the form is called \"plain\" after its file"));
    assert_string_equal(form_version(f), "1");
    assert_int_equal(form_audience(f), FORM_AUDIENCE_CHILD);
    assert_int_equal(form_lang_count(f), 1);
    assert_string_equal(form_lang(f, 0)->code, "");
    assert_string_equal(form_lang(f, 0)->name, "default");
    assert_string_equal(form_text(f, form_title(f), 0), "plain");
    assert_string_equal(form_text(f, &form_question(f, 0)->label, 0), "Magst du \"Pizza\"?");
    assert_string_equal(form_text(f, &form_question(f, 1)->label, 0), "Danke!\r\nTschuess");
    assert_true(form_question(f, 0)->required);
    form_diag_destroy(d);
    form_destroy(f);
}

static void test_form_default_language_forms(void **state)
{
    (void)state;
    const char *survey = "type,name,label::Deutsch (de),label::English (en)\n"
                         "select_one yn,q1,Frage?,Question?\n";
    const char *choices = "list_name,name,label::Deutsch (de),label::English (en)\n"
                          "yn,yes,Ja,Yes\nyn,no,Nein,No\n";
    Form *f = load_tmp("form_id,default_language\nt,en\n", survey, choices, KS_OK, NULL);
    assert_int_equal(form_default_lang(f), 1);
    form_destroy(f);
    f = load_tmp("form_id,default_language\nt,English\n", survey, choices, KS_OK, NULL);
    assert_int_equal(form_default_lang(f), 1);
    form_destroy(f);
    /* Plain label columns take the name of the default language. */
    f = load_tmp("form_id,default_language,form_title\nt,Deutsch (de),Titel\n", SURVEY_YN,
                 CHOICES_YN, KS_OK, NULL);
    assert_int_equal(form_lang_count(f), 1);
    assert_string_equal(form_lang(f, 0)->code, "de");
    assert_string_equal(form_text(f, form_title(f), 0), "Titel");
    form_destroy(f);
    f = load_tmp("form_id,default_language\nt,fr\n", survey, choices, KS_OK,
                 "default_language \"fr\" is not a language of the form");
    assert_int_equal(form_default_lang(f), 0);
    form_destroy(f);
}

static void test_form_error_unknown_type(void **state)
{
    (void)state;
    load_tmp(SETTINGS_T, "type,name,label\nselect_one yn,q1,\"two\nlines\"\n\ngeopoint,where,Wo?\n",
             CHOICES_YN, KS_ERR_UNSUPPORTED,
             "/survey.csv:survey:4:type: the question type \"geopoint\" cannot be used on the "
             "kiosk: the kiosk has no GPS");
    load_tmp(SETTINGS_T, "type,name,label\nbegin_group,g,G\n", CHOICES_YN, KS_ERR_INVALID,
             "the group \"g\" has no end_group");
    load_tmp(SETTINGS_T, "type,name,label\nbegin repeat,g,G\nend repeat,,\n", CHOICES_YN,
             KS_ERR_UNSUPPORTED,
             "survey:2:type: the question type \"begin repeat\" cannot be "
             "used on the kiosk: repeats");
    load_tmp(SETTINGS_T, "type,name,label\nselect_one yn or_other,q,G\n", CHOICES_YN,
             KS_ERR_UNSUPPORTED, "\"or_other\" is not supported");
    load_tmp(SETTINGS_T, "type,name,label\nselect_one_from_file x.csv,q,G\n", CHOICES_YN,
             KS_ERR_UNSUPPORTED, "\"select_one_from_file\" cannot be used on the kiosk");
    load_tmp(SETTINGS_T, "type,name,label\nwhatever,q,G\n", CHOICES_YN, KS_ERR_UNSUPPORTED,
             "the question type \"whatever\" is not known to the kiosk");
    load_tmp(SETTINGS_T, "type,name,label\nimage,q,G\n", CHOICES_YN, KS_ERR_UNSUPPORTED,
             "an image question can only be a drawing");
}

static void test_form_error_lists(void **state)
{
    (void)state;
    load_tmp(SETTINGS_T, "type,name,label\nselect_one nope,q1,Q\n", CHOICES_YN, KS_ERR_INVALID,
             "/survey.csv:survey:2:type: the choice list \"nope\" is not in the choices sheet");
    load_tmp(SETTINGS_T, SURVEY_YN, "list_name,name,label\nyn,yes,Ja\nyn,no,Nein\nyn,yes,Jo\n",
             KS_ERR_INVALID,
             "/choices.csv:choices:4:name: the list \"yn\" has the choice \"yes\" twice (first on "
             "row 2)");
    load_tmp(SETTINGS_T, SURVEY_YN, NULL, KS_ERR_INVALID, "the choice list \"yn\" is not in");
    load_tmp(SETTINGS_T, "type,name,label\nselect_one\tyn,q1,Q\n", "list_name,name,label\nyn,,Ja\n",
             KS_ERR_INVALID, "the choice name is missing");
}

static void test_form_error_question_names(void **state)
{
    (void)state;
    load_tmp(SETTINGS_T, "type,name,label\nselect_one yn,q1,A\nnote,q1,B\n", CHOICES_YN,
             KS_ERR_INVALID,
             "/survey.csv:survey:3:name: the name \"q1\" is used twice (first on row 2)");
    load_tmp(SETTINGS_T, "type,name,label\nnote,,B\n", NULL, KS_ERR_INVALID, "the name is missing");
    load_tmp(SETTINGS_T, "type,name,label\nnote,has space,B\n", NULL, KS_ERR_INVALID,
             "the name \"has space\" may only have letters");
    load_tmp(SETTINGS_T, "type,label\nnote,B\n", NULL, KS_ERR_INVALID, "needs the columns");
    load_tmp(SETTINGS_T, "type,name,label\n\n", NULL, KS_ERR_INVALID, "no questions");
}

static void test_form_error_settings_and_columns(void **state)
{
    (void)state;
    load_tmp("form_id,audience\nt,grownups\n", SURVEY_YN, CHOICES_YN, KS_ERR_INVALID,
             "/settings.csv:settings:2:audience: the audience \"grownups\" is not known");
    load_tmp("form_id,audience\nt,grownups\n", SURVEY_YN, CHOICES_YN, KS_ERR_INVALID,
             "write child (children, the largest targets), youth, parent or professional");
    /* Educators and leaders: the fourth audience. */
    Form *pro = load_tmp("form_id,version,audience\nt,1,Professional\n", SURVEY_YN, CHOICES_YN,
                         KS_OK, NULL);
    assert_int_equal(form_audience(pro), FORM_AUDIENCE_PROFESSIONAL);
    form_destroy(pro);
    load_tmp(SETTINGS_T, "type,name,label,relevant\nselect_one yn,q1,A,${x} = 1\n", CHOICES_YN,
             KS_ERR_INVALID,
             "survey:2:relevant: ${x} at character 1: there is no question with this name");
    load_tmp(SETTINGS_T, "type,name,label,relevant\nselect_one yn,q1,A,(${q1} = 1\n", CHOICES_YN,
             KS_ERR_PARSE, "survey:2:relevant: ");
    /* A regex() pattern PCRE2 refuses is a load error naming the cell. */
    load_tmp(SETTINGS_T, "type,name,label,constraint\ntext,q1,A,\"regex(., '^[a-z')\"\n", NULL,
             KS_ERR_PARSE,
             "survey:2:constraint: the pattern is not a valid regular expression: missing "
             "terminating ] for character class at character 16 of \"regex(., '^[a-z')\"");
    load_tmp(SETTINGS_T, "type,name,label,read_only\nselect_one yn,q1,A,yes\n", CHOICES_YN,
             KS_ERR_UNSUPPORTED, "the column \"read_only\" is not supported");
    load_tmp(SETTINGS_T, "type,name,label,required\nselect_one yn,q1,A,${x} = 1\n", CHOICES_YN,
             KS_ERR_UNSUPPORTED, "required \"${x} = 1\" is not supported");
    load_tmp(SETTINGS_T, "type,name,label,image\nselect_one yn,q1,A,../../etc/passwd\n", CHOICES_YN,
             KS_ERR_INVALID, "must be inside the form's folder");
    load_tmp(SETTINGS_T, "type,name,label\nselect_one yn,q1,\"never closed\n", CHOICES_YN,
             KS_ERR_PARSE, "/survey.csv:survey: row 2: quoted field is never closed");
    load_tmp(SETTINGS_T, NULL, CHOICES_YN, KS_ERR_NOT_FOUND,
             "the file cannot be read: it does not exist");
}

static void test_form_warnings_only(void **state)
{
    (void)state;
    Form *f = load_tmp(SETTINGS_T,
                       "type,name,label,appearance,required,constraint_message\n"
                       "select_one yn,q1,A,likert columns-pack field-list,False(),whatever\n",
                       CHOICES_YN, KS_OK, "appearance \"field-list\" is not used by the kiosk");
    assert_int_equal(form_question(f, 0)->appearance, FORM_APP_LIKERT | FORM_APP_COLUMNS);
    assert_false(form_question(f, 0)->required);
    form_destroy(f);
    f = load_tmp(SETTINGS_T, "type,name,Label,label\nselect_one yn,q1,A,B\n", CHOICES_YN, KS_OK,
                 "/survey.csv:survey:1:label: duplicate column \"label\"; the first one is used");
    assert_string_equal(form_text(f, &form_question(f, 0)->label, 0), "A");
    form_destroy(f);
    /* A runaway regex() pattern loads, with a warning for the form author. */
    f = load_tmp(SETTINGS_T,
                 "type,name,label,constraint\ntext,q1,A,\"regex(., '^(\\w+\\s?)+$')\"\n", NULL,
                 KS_OK,
                 "survey:2:constraint: at character 10 of \"regex(., '^(\\w+\\s?)+$')\": the "
                 "pattern gives up on some answers");
    assert_non_null(form_question(f, 0)->constraint);
    form_destroy(f);
    /* Missing form_id: the folder name, with a warning. */
    f = load_tmp("version\n2\n", SURVEY_YN, CHOICES_YN, KS_OK,
                 "there is no form_id; the form is called");
    assert_true(strncmp(form_id(f), "ks_survey_", 10) == 0);
    assert_string_equal(form_version(f), "2");
    form_destroy(f);
}

static void test_form_sha256(void **state)
{
    (void)state;
    const char *survey = "type,name,label\nselect_one yn,q1,Frage?\n";
    char first[65], again[65];
    Form *f = load_tmp(SETTINGS_T, survey, CHOICES_YN, KS_OK, NULL);
    strcpy(first, form_sha256(f));
    assert_int_equal(strlen(first), 64);
    assert_int_equal(strspn(first, "0123456789abcdef"), 64);
    form_destroy(f);

    f = load_tmp(SETTINGS_T, survey, CHOICES_YN, KS_OK, NULL);
    strcpy(again, form_sha256(f));
    assert_string_equal(first, again);
    form_destroy(f);

    f = load_tmp(SETTINGS_T, "type,name,label\nselect_one yn,q1,Frage!\n", CHOICES_YN, KS_OK, NULL);
    assert_string_not_equal(first, form_sha256(f));
    form_destroy(f);

    /* Same bytes in a row, moved across the file boundary: still a new hash. */
    f = load_tmp("form_id,version\nt,7\n\n", "type,name,label\nselect_one yn,q1,Frage?", CHOICES_YN,
                 KS_OK, NULL);
    assert_string_not_equal(first, form_sha256(f));
    form_destroy(f);
}

/* ---- catalog --------------------------------------------------------- */

static void test_catalog_skips_broken(void **state)
{
    (void)state;
    Catalog *c = NULL;
    assert_int_equal(catalog_load(CATALOG_DIR, &c), KS_OK);
    assert_int_equal(catalog_count(c), 2);
    assert_string_equal(form_id(catalog_form(c, 0)), "kinder");
    assert_string_equal(form_id(catalog_form(c, 1)), "plain");
    assert_null(catalog_form(c, 2));
    assert_ptr_equal(catalog_find(c, "plain"), catalog_form(c, 1));
    assert_null(catalog_find(c, "broken"));
    catalog_destroy(c);

    assert_int_equal(catalog_load("tests/fixtures/forms/no-such-folder", &c), KS_ERR_NOT_FOUND);
    assert_non_null(c);
    assert_int_equal(catalog_count(c), 0);
    catalog_destroy(c);
    catalog_destroy(NULL);
}

/* ---- session --------------------------------------------------------- */

static void test_session_navigation(void **state)
{
    (void)state;
    Form *f = NULL;
    assert_int_equal(form_csv_load(KINDER_DIR, &f, NULL), KS_OK);
    Session *s = session_create(f, 1, "2026-11-24");
    assert_ptr_equal(session_form(s), f);
    assert_int_equal(session_lang(s), 1);
    int pos = 0, total = 0;
    assert_int_equal(session_current(s), 0);
    session_progress(s, &pos, &total);
    assert_int_equal(pos, 1);
    assert_int_equal(total, 4);
    assert_int_equal(session_back(s), SESSION_AT_START);
    assert_int_equal(session_tap_choice(s, session_current(s), 0),
                     KS_ERR_INVALID);                 /* a note has no choices */
    assert_int_equal(session_next(s), SESSION_MOVED); /* notes never block */

    assert_int_equal(session_current(s), 1);
    assert_int_equal(session_next(s), SESSION_NEED_ANSWER);
    assert_int_equal(session_current(s), 1);
    assert_int_equal(session_tap_choice(s, session_current(s), 3), KS_ERR_INVALID);
    assert_int_equal(session_tap_choice(s, session_current(s), -1), KS_ERR_INVALID);
    assert_int_equal(session_tap_choice(s, session_current(s), 0), KS_OK);
    assert_int_equal(session_tap_choice(s, session_current(s), 2), KS_OK);
    assert_false(session_is_selected(s, 1, 0));
    assert_true(session_is_selected(s, 1, 2));
    assert_int_equal(session_tap_choice(s, session_current(s), 2),
                     KS_OK); /* tapping again keeps it */
    assert_true(session_is_answered(s, 1));
    char buf[64];
    session_answer_value(s, 1, buf, sizeof buf);
    assert_string_equal(buf, "sad");
    assert_int_equal(session_next(s), SESSION_MOVED);

    assert_int_equal(session_current(s), 2);
    assert_int_equal(session_next(s), SESSION_NEED_ANSWER);
    session_tap_choice(s, session_current(s), 2);
    session_tap_choice(s, session_current(s), 0);
    session_tap_choice(s, session_current(s), 1);
    session_tap_choice(s, session_current(s), 1);
    assert_false(session_is_selected(s, 2, 1));
    session_answer_value(s, 2, buf, sizeof buf);
    assert_string_equal(buf, "football dance");
    char small[10];
    session_answer_value(s, 2, small, sizeof small); /* cut, never overrun */
    assert_string_equal(small, "football ");
    session_progress(s, &pos, &total);
    assert_int_equal(pos, 3);
    assert_int_equal(session_next(s), SESSION_MOVED);

    assert_int_equal(session_current(s), 3);
    assert_false(session_is_answered(s, 3));
    session_answer_value(s, 3, buf, sizeof buf);
    assert_string_equal(buf, "");
    assert_int_equal(session_next(s), SESSION_FINISHED); /* not required */
    assert_int_equal(session_current(s), 3);
    session_progress(s, &pos, &total);
    assert_int_equal(pos, 4);
    assert_int_equal(total, 4);

    assert_int_equal(session_back(s), SESSION_MOVED);
    assert_int_equal(session_current(s), 2);
    assert_true(session_is_selected(s, 2, 2)); /* answers survive going back */
    assert_false(session_is_answered(s, 0));
    session_destroy(s);
    session_destroy(NULL);

    s = session_create(f, 42, NULL); /* out of range: the default language */
    assert_int_equal(session_lang(s), form_default_lang(f));
    session_destroy(s);
    form_destroy(f);
}

/* A copy goes its own way: moving and answering in it leaves the session
 * it came from as it was, and it outlives it. */
static void test_session_copy(void **state)
{
    (void)state;
    Form *f = NULL;
    assert_int_equal(form_csv_load(KINDER_DIR, &f, NULL), KS_OK);
    Session *s = session_create(f, 1, "2026-11-24");
    assert_int_equal(session_next(s), SESSION_MOVED);
    assert_int_equal(session_tap_choice(s, 1, 2), KS_OK);
    Session *c = session_copy(s);
    assert_int_equal(session_current(c), 1);
    assert_true(session_is_selected(c, 1, 2));
    assert_int_equal(session_lang(c), 1);
    /* Where next would lead: the copy moves, the session stays. */
    assert_int_equal(session_next(c), SESSION_MOVED);
    assert_int_equal(session_current(c), 2);
    assert_int_equal(session_current(s), 1);
    assert_int_equal(session_tap_choice(c, 2, 0), KS_OK);
    assert_false(session_is_answered(s, 2));
    assert_int_equal(session_tap_choice(s, 1, 0), KS_OK);
    assert_true(session_is_selected(c, 1, 2)); /* the copy kept its own answer */
    session_destroy(s);
    char buf[32];
    session_answer_value(c, 1, buf, sizeof buf);
    assert_string_equal(buf, "sad");
    session_destroy(c);
    form_destroy(f);
}

static void test_diag_format(void **state)
{
    (void)state;
    FormDiag *d = form_diag_create();
    form_diag_add(d, true, "f.csv", "survey", 4, "type", "bad %d", 1);
    form_diag_add(d, false, NULL, "", 0, NULL, "plain");
    form_diag_add(d, true, "f.csv", NULL, 2, NULL, "x");
    assert_int_equal(form_diag_count(d), 3);
    assert_int_equal(form_diag_errors(d), 2);
    assert_string_equal(form_diag_message(d, 0), "f.csv:survey:4:type: bad 1");
    assert_string_equal(form_diag_message(d, 1), "plain");
    assert_string_equal(form_diag_message(d, 2), "f.csv:2: x");
    assert_false(form_diag_is_error(d, 1));
    assert_string_equal(form_diag_message(d, 3), "");
    form_diag_destroy(d);
    form_diag_destroy(NULL);
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_quotes),
        cmocka_unit_test(test_csv_embedded_newline_counts_one_row),
        cmocka_unit_test(test_csv_crlf_bom_no_final_newline),
        cmocka_unit_test(test_csv_ragged_and_blank_rows),
        cmocka_unit_test(test_csv_unclosed_quote),
        cmocka_unit_test(test_csv_limits),
        cmocka_unit_test(test_diag_format),
        cmocka_unit_test(test_form_kinder_model),
        cmocka_unit_test(test_form_text_fallback),
        cmocka_unit_test(test_form_plain_label_no_settings),
        cmocka_unit_test(test_form_default_language_forms),
        cmocka_unit_test(test_form_error_unknown_type),
        cmocka_unit_test(test_form_error_lists),
        cmocka_unit_test(test_form_error_question_names),
        cmocka_unit_test(test_form_error_settings_and_columns),
        cmocka_unit_test(test_form_warnings_only),
        cmocka_unit_test(test_form_sha256),
        cmocka_unit_test(test_catalog_skips_broken),
        cmocka_unit_test(test_session_navigation),
        cmocka_unit_test(test_session_copy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
