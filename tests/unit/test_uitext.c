/* test_uitext: the kiosk's own words by language, one text domain per
 * language: any order of languages, plurals by each language's rule, and
 * lookups from several threads at once without the environment changing
 * after start-up; every text in every catalog. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* clang-format off: cmocka needs the four above first */
#include <cmocka.h>
/* clang-format on */

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../firmware/app/uitext.h"
#include "../test_locale.h"

static int setup(void **state)
{
    (void)state;
    return test_ui_texts() ? 0 : -1;
}

/* Languages asked in any order give their own words, and an unknown code
 * gives German. */
static void test_languages_in_any_order(void **state)
{
    (void)state;
    for (int round = 0; round < 3; round++) {
        assert_string_equal(uitext_get("ar", UIT_WHO_ARE_YOU), "من أنت؟");
        assert_string_equal(uitext_get("de", UIT_WHO_ARE_YOU), "Wer bist du?");
        assert_string_equal(uitext_get("uk", UIT_WHO_ARE_YOU), "Хто ти?");
        assert_string_equal(uitext_get("en", UIT_WHO_ARE_YOU), "Who are you?");
        assert_string_equal(uitext_get("xx", UIT_WHO_ARE_YOU), "Wer bist du?");
        assert_string_equal(uitext_get(NULL, UIT_AUDIENCE_PROFESSIONAL), "Fachkräfte");
    }
}

/* Plurals follow each language's own rule from its catalog. */
static void test_plurals_per_language(void **state)
{
    (void)state;
    char buf[256];
    uitext_format(buf, sizeof buf, "uk", UIT_COUNTDOWN, 1);
    assert_non_null(strstr(buf, "1 секунду"));
    uitext_format(buf, sizeof buf, "uk", UIT_COUNTDOWN, 3);
    assert_non_null(strstr(buf, "3 секунди"));
    uitext_format(buf, sizeof buf, "uk", UIT_COUNTDOWN, 11);
    assert_non_null(strstr(buf, "11 секунд"));
    uitext_format(buf, sizeof buf, "de", UIT_COUNTDOWN, 1);
    assert_non_null(strstr(buf, "1 Sekunde"));
    uitext_format(buf, sizeof buf, "de", UIT_COUNTDOWN, 20);
    assert_non_null(strstr(buf, "20 Sekunden"));
}

typedef struct {
    const char *lang, *want;
    int wrong;
} Reader;

static void *read_many(void *arg)
{
    Reader *r = arg;
    for (int i = 0; i < 20000; i++)
        if (strcmp(uitext_get(r->lang, UIT_WHO_ARE_YOU), r->want) != 0)
            r->wrong++;
    return NULL;
}

/* Three threads in three languages at once each get their own words, and
 * the environment is what uitext_init left: no lookup switches it. */
static void test_threads_never_mix(void **state)
{
    (void)state;
    const char *before = getenv("LANGUAGE");
    assert_non_null(before);
    char env[64];
    snprintf(env, sizeof env, "%s", before);
    Reader r[3] = {{"ar", "من أنت؟", 0}, {"de", "Wer bist du?", 0}, {"ru", "Кто ты?", 0}};
    pthread_t t[3];
    for (int i = 0; i < 3; i++)
        assert_int_equal(pthread_create(&t[i], NULL, read_many, &r[i]), 0);
    for (int i = 0; i < 3; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(r[i].wrong, 0);
    }
    assert_string_equal(getenv("LANGUAGE"), env);
}

/* Every text exists in all six catalogs for real: staff may read any of
 * them (staff_language), and a missing one would show its English msgid. */
static void test_every_text_in_every_catalog(void **state)
{
    (void)state;
    static const char *const langs[] = {"de", "en", "tr", "ar", "uk", "ru"};
    int missing = 0;
    for (size_t l = 0; l < sizeof langs / sizeof langs[0]; l++)
        for (int id = 0; id < UIT_COUNT; id++)
            if (!uitext_translated(langs[l], (UiTextId)id)) {
                print_error("%s: text %d (%s) is not translated\n", langs[l], id,
                            uitext_get("en", (UiTextId)id));
                missing++;
            }
    assert_int_equal(missing, 0);
    assert_false(uitext_translated("fr", UIT_EXPORT_DONE));
}

/* An export's plurals follow each language's rule, with the second count
 * (k) in its place. */
static void test_export_plurals(void **state)
{
    (void)state;
    char buf[512];
    uitext_format(buf, sizeof buf, "de", UIT_EXPORT_DONE, 1, "KM2KIOSK/X");
    assert_string_equal(buf, "Export fertig: 1 Antwort in KM2KIOSK/X.");
    uitext_format(buf, sizeof buf, "de", UIT_EXPORT_DONE, 12, "KM2KIOSK/X");
    assert_string_equal(buf, "Export fertig: 12 Antworten in KM2KIOSK/X.");
    uitext_format(buf, sizeof buf, "ru", UIT_EXPORT_DONE, 3, "KM2KIOSK/X");
    assert_string_equal(buf, "Экспорт завершён: 3 ответа в KM2KIOSK/X.");
    uitext_format(buf, sizeof buf, "uk", UIT_EXPORT_DONE_HELD, 21, 25);
    assert_string_equal(buf, "21 відповідь ще чекає, доки їх буде щонайменше 25.");
    uitext_format(buf, sizeof buf, "de", UIT_EXPORT_TOO_FEW, 1, 5);
    assert_non_null(strstr(buf, ": 1 wartet, nötig sind mindestens 5 "));
    uitext_format(buf, sizeof buf, "ar", UIT_EXPORT_TOO_FEW, 2, 5);
    assert_non_null(strstr(buf, "2"));
    assert_non_null(strstr(buf, "5"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_languages_in_any_order),
        cmocka_unit_test(test_plurals_per_language),
        cmocka_unit_test(test_threads_never_mix),
        cmocka_unit_test(test_every_text_in_every_catalog),
        cmocka_unit_test(test_export_plurals),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
