/* test_forms: whole forms end to end through the loader and the session:
 * every shipped form, its .xlsx twin loading to the same model, and the
 * public XLSForms in tests/fixtures/xlsform-samples (run when the kiosk
 * supports what they use, refused naming the feature and the cell
 * otherwise). Run from the repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../firmware/core/log.h"
#include "../../firmware/survey/catalog.h"
#include "../../firmware/survey/form_diag.h"
#include "../../firmware/survey/form_load.h"
#include "../../firmware/survey/session.h"
#include "../test_main.h"
#include "../test_tmp.h"

#define SAMPLES "tests/fixtures/xlsform-samples"
static const char *const shipped[] = {"assets/forms/kinder", "assets/forms/jugendliche",
                                      "assets/forms/eltern", "assets/forms/fachkraefte"};

static Form *load(const char *path, KsStatus want, FormDiag *d)
{
    Form *f = NULL;
    KsStatus st = form_load_path(path, &f, d);
    if (st != want) {
        form_diag_print(d, stderr);
        fail_msg("%s: status %s, expected %s", path, ks_status_str(st), ks_status_str(want));
    }
    return f;
}

static bool diag_has(const FormDiag *d, const char *needle)
{
    for (int i = 0; i < form_diag_count(d); i++)
        if (strstr(form_diag_message(d, i), needle))
            return true;
    return false;
}

static void same_text(const Form *a, const Form *b, const FormText *ta, const FormText *tb,
                      const char *what)
{
    for (int l = 0; l < form_lang_count(a); l++) {
        if (strcmp(form_text(a, ta, l), form_text(b, tb, l)) != 0)
            fail_msg("%s differs in %s: \"%s\" / \"%s\"", what, form_lang(a, l)->code,
                     form_text(a, ta, l), form_text(b, tb, l));
    }
}

static void same_model(const Form *a, const Form *b)
{
    assert_string_equal(form_id(a), form_id(b));
    assert_string_equal(form_version(a), form_version(b));
    assert_int_equal(form_audience(a), form_audience(b));
    assert_int_equal(form_lang_count(a), form_lang_count(b));
    for (int l = 0; l < form_lang_count(a); l++)
        assert_string_equal(form_lang(a, l)->code, form_lang(b, l)->code);
    assert_int_equal(form_default_lang(a), form_default_lang(b));
    same_text(a, b, form_title(a), form_title(b), "title");
    assert_int_equal(form_group_count(a), form_group_count(b));
    for (int g = 0; g < form_group_count(a); g++) {
        assert_string_equal(form_group(a, g)->name, form_group(b, g)->name);
        assert_int_equal(form_group(a, g)->field_list, form_group(b, g)->field_list);
        assert_int_equal(form_group(a, g)->relevant != NULL, form_group(b, g)->relevant != NULL);
    }
    assert_int_equal(form_question_count(a), form_question_count(b));
    for (int i = 0; i < form_question_count(a); i++) {
        const FormQuestion *qa = form_question(a, i), *qb = form_question(b, i);
        assert_string_equal(qa->name, qb->name);
        assert_int_equal(qa->type, qb->type);
        assert_int_equal(qa->row, qb->row);
        assert_int_equal(qa->required, qb->required);
        assert_int_equal(qa->quasi_identifier, qb->quasi_identifier);
        assert_int_equal(qa->appearance, qb->appearance);
        assert_int_equal(qa->group, qb->group);
        assert_int_equal(qa->relevant != NULL, qb->relevant != NULL);
        assert_int_equal(qa->constraint != NULL, qb->constraint != NULL);
        same_text(a, b, &qa->label, &qb->label, qa->name);
        same_text(a, b, &qa->hint, &qb->hint, qa->name);
        same_text(a, b, &qa->image, &qb->image, qa->name);
        same_text(a, b, &qa->constraint_msg, &qb->constraint_msg, qa->name);
        assert_int_equal(qa->list != NULL, qb->list != NULL);
        if (!qa->list)
            continue;
        assert_string_equal(qa->list->name, qb->list->name);
        assert_int_equal(qa->list->n_choices, qb->list->n_choices);
        for (int c = 0; c < qa->list->n_choices; c++) {
            assert_string_equal(qa->list->choices[c].name, qb->list->choices[c].name);
            same_text(a, b, &qa->list->choices[c].label, &qb->list->choices[c].label,
                      qa->list->choices[c].name);
            same_text(a, b, &qa->list->choices[c].image, &qb->list->choices[c].image,
                      qa->list->choices[c].name);
        }
    }
}

/* Every shipped form loads without a single error or warning, in all six
 * languages, and asks for nothing that identifies a person. */
static void test_shipped_forms_clean(void **state)
{
    (void)state;
    const char *langs[] = {"de", "en", "tr", "ar", "uk", "ru"};
    for (size_t i = 0; i < sizeof shipped / sizeof shipped[0]; i++) {
        FormDiag *d = form_diag_create();
        Form *f = load(shipped[i], KS_OK, d);
        if (form_diag_count(d) > 0) {
            form_diag_print(d, stderr);
            fail_msg("%s has %d problem(s)", shipped[i], form_diag_count(d));
        }
        for (size_t l = 0; l < sizeof langs / sizeof langs[0]; l++)
            if (form_lang_index(f, langs[l]) < 0)
                fail_msg("%s has no %s", shipped[i], langs[l]);
        int skip_logic = 0, quasi = 0, texts = 0;
        for (int q = 0; q < form_question_count(f); q++) {
            const FormQuestion *fq = form_question(f, q);
            skip_logic += fq->relevant != NULL;
            quasi += fq->quasi_identifier;
            /* free text is never required and never a quasi-identifier: it is
             * optional and goes through staff approval before it leaves */
            if (fq->type == FORM_Q_TEXT) {
                assert_false(fq->required);
                assert_false(fq->quasi_identifier);
                texts++;
            }
        }
        assert_true(skip_logic >= 2);
        assert_true(quasi >= 1);
        /* children draw instead of typing; everyone else may add a short text */
        assert_true(strstr(shipped[i], "kinder") ? texts == 0 : texts >= 1);
        form_destroy(f);
        form_diag_destroy(d);
    }
}

/* The .xlsx a spreadsheet user would save loads to the same model as the
 * CSV folder it was made from. */
static void test_xlsx_equals_csv(void **state)
{
    (void)state;
    char tmpl[96];
    assert_true(test_tmp_dir(tmpl, sizeof tmpl, "ks_forms"));
    for (size_t i = 0; i < sizeof shipped / sizeof shipped[0]; i++) {
        char xlsx[256], cmd[640];
        const char *base = strrchr(shipped[i], '/') + 1;
        snprintf(xlsx, sizeof xlsx, "%s/%s.xlsx", tmpl, base);
        snprintf(cmd, sizeof cmd, "python3 tests/tools/csv_to_xlsx.py %s %s", shipped[i], xlsx);
        assert_int_equal(system(cmd), 0);
        FormDiag *d = form_diag_create();
        Form *csv = load(shipped[i], KS_OK, d);
        Form *wb = load(xlsx, KS_OK, d);
        same_model(csv, wb);
        assert_string_not_equal(form_sha256(csv), form_sha256(wb)); /* different files */
        form_destroy(csv);
        form_destroy(wb);
        form_diag_destroy(d);
        unlink(xlsx);
    }
    rmdir(tmpl);
}

/* Walks a session to its end, answering every shown question with the
 * first visible choice or a fitting value; returns the pages seen. */
static int walk(const Form *f, Session *s)
{
    int pages = 0;
    for (int guard = 0; guard < 500; guard++) {
        int qs[SESSION_PAGE_MAX];
        int n = session_page(s, qs, SESSION_PAGE_MAX);
        pages++;
        for (int i = 0; i < n; i++) {
            const FormQuestion *q = form_question(f, qs[i]);
            if (q->list && !session_is_answered(s, qs[i])) {
                for (int c = 0; c < q->list->n_choices; c++)
                    if (session_tap_choice(s, qs[i], c) == KS_OK)
                        break;
            } else if (q->type == FORM_Q_INTEGER || q->type == FORM_Q_DECIMAL) {
                session_set_value(s, qs[i], "3");
            } else if (q->type == FORM_Q_RANGE) {
                char v[32];
                snprintf(v, sizeof v, "%g", q->range_start);
                assert_int_equal(session_set_value(s, qs[i], v), KS_OK);
            } else if (q->type == FORM_Q_TEXT) {
                session_set_value(s, qs[i], "a@b.de");
            } else if (q->type == FORM_Q_ACKNOWLEDGE) {
                session_set_value(s, qs[i], "OK");
            }
        }
        SessionMove m = session_next(s);
        if (m == SESSION_FINISHED)
            return pages;
        if (m != SESSION_MOVED) {
            const char *msg = NULL;
            int q = session_problem(s, &msg);
            fail_msg("stuck on %s (%d)", q >= 0 ? form_question(f, q)->name : "?", (int)m);
        }
    }
    fail_msg("the walk did not end");
    return pages;
}

static void test_public_samples_run(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        const char *id;
        int min_pages;
    } ok[] = {
        {"testA.xlsx", "testwerk_wirkung_2025", 8},
        {"mitwirken_umfrage.xlsx", "bedarfserhebung_mo_sachsen", 8},
        {"pyxform-choice_filter_test.xlsx", "cascading_selects1", 3},
        {"pyxform-field-list.xlsx", "pyxform-field-list", 1},
        {"pyxform-yes_or_no_question.xlsx", "pyxform-yes_or_no_question", 1},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        char path[256];
        snprintf(path, sizeof path, "%s/%s", SAMPLES, ok[i].file);
        FormDiag *d = form_diag_create();
        Form *f = load(path, KS_OK, d);
        assert_string_equal(form_id(f), ok[i].id);
        Session *s = session_create(f, -1, "2026-11-24");
        int pages = walk(f, s);
        if (pages < ok[i].min_pages)
            fail_msg("%s: %d pages", ok[i].file, pages);
        session_destroy(s);
        form_destroy(f);
        form_diag_destroy(d);
    }
}

/* The details of the samples that matter: field-list groups share a page,
 * skip logic hides follow-ups, choice filters narrow lists, markdown links
 * are reported. */
static void test_public_samples_details(void **state)
{
    (void)state;
    FormDiag *d = form_diag_create();
    Form *f = load(SAMPLES "/mitwirken_umfrage.xlsx", KS_OK, d);
    assert_true(diag_has(d, "mitwirken_umfrage.xlsx:survey:3:label::Deutsch (de): the kiosk "
                            "cannot open links"));
    Session *s = session_create(f, 0, "2026-11-24");
    int qs[SESSION_PAGE_MAX];
    assert_int_equal(session_page(s, qs, SESSION_PAGE_MAX), 1); /* the welcome note */
    assert_int_equal(session_next(s), SESSION_MOVED);
    int n = session_page(s, qs, SESSION_PAGE_MAX);
    assert_int_equal(n, 4); /* part A, without the hidden "other" text */
    int other = form_question_index(f, "themenfelder_other");
    assert_false(session_is_shown(s, other));
    int themen = form_question_index(f, "themenfelder");
    const FormQuestion *tq = form_question(f, themen);
    for (int c = 0; c < tq->list->n_choices; c++)
        if (strcmp(tq->list->choices[c].name, "other") == 0)
            session_tap_choice(s, themen, c);
    assert_true(session_is_shown(s, other));
    assert_int_equal(session_page(s, qs, SESSION_PAGE_MAX), 5);
    /* The e-mail constraint is a regex on "." */
    int email = form_question_index(f, "email");
    assert_non_null(form_question(f, email)->constraint);
    session_destroy(s);
    form_destroy(f);
    form_diag_destroy(d);

    d = form_diag_create();
    f = load(SAMPLES "/pyxform-choice_filter_test.xlsx", KS_OK, d);
    s = session_create(f, 0, NULL);
    int state_q = form_question_index(f, "state"), county = form_question_index(f, "county");
    assert_int_equal(session_tap_choice(s, state_q, 0), KS_OK); /* texas */
    int visible = 0;
    for (int c = 0; c < form_question(f, county)->list->n_choices; c++)
        visible += session_choice_visible(s, county, c);
    assert_int_equal(visible, 2); /* king and cameron of texas */
    session_destroy(s);
    form_destroy(f);
    form_diag_destroy(d);

    d = form_diag_create();
    f = load(SAMPLES "/testA.xlsx", KS_OK, d);
    int range = form_question_index(f, "attribution_beruf");
    assert_int_equal(form_question(f, range)->type, FORM_Q_RANGE);
    assert_true(form_question(f, range)->range_end == 100);
    assert_true(form_question(f, range)->range_step == 5);
    s = session_create(f, 0, NULL);
    assert_int_equal(session_set_value(s, range, "7"), KS_ERR_INVALID); /* off the steps */
    session_destroy(s); /* before its form, which it borrows */
    form_destroy(f);
    form_diag_destroy(d);

    d = form_diag_create();
    f = load(SAMPLES "/pyxform-case_insensitivity.xlsx", KS_ERR_UNSUPPORTED, d);
    assert_null(f);
    assert_true(diag_has(d, "pyxform-case_insensitivity.xlsx:SURVEY:3:TYPE: the question type "
                            "\"select_one_external\" cannot be used on the kiosk"));
    assert_true(diag_has(d, "pyxform-case_insensitivity.xlsx:SURVEY:4:TYPE: the question type "
                            "\"osm\" cannot be used on the kiosk"));
    form_diag_destroy(d);
}

/* catalog_add_dir: a second folder adds its forms after the first; a
 * form_id already there is left out; forms handed out keep their address. */
static void test_catalog_add_dir(void **state)
{
    (void)state;
    Catalog *c = NULL;
    assert_int_equal(catalog_load("tests/fixtures/forms/export", &c), KS_OK);
    int before = catalog_count(c);
    const Form *probe = catalog_find(c, "probe");
    assert_non_null(probe);
    assert_int_equal(catalog_add_dir(c, "tests/fixtures/forms/sample"), KS_OK);
    assert_int_equal(catalog_count(c), before + 1);
    assert_non_null(catalog_find(c, "kinder"));
    assert_ptr_equal(catalog_find(c, "probe"), probe);
    assert_int_equal(catalog_add_dir(c, "tests/fixtures/forms/export"), KS_OK);
    assert_int_equal(catalog_count(c), before + 1);
    const Form *added = (const Form *)1;
    assert_int_equal(catalog_add_path(c, "tests/fixtures/forms/sample/kinder", &added),
                     KS_ERR_STATE);
    assert_null(added);
    assert_int_equal(catalog_add_dir(c, "tests/fixtures/forms/none-here"), KS_ERR_NOT_FOUND);
    assert_int_equal(catalog_count(c), before + 1);
    catalog_destroy(c);
}

int main(void)
{
    test_quiet_log();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_forms_clean), cmocka_unit_test(test_xlsx_equals_csv),
        cmocka_unit_test(test_public_samples_run),  cmocka_unit_test(test_public_samples_details),
        cmocka_unit_test(test_catalog_add_dir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
