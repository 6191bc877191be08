/* test_glyphs: every character the kiosk can show in its six languages has a
 * glyph in one of the shipped fonts — the UI texts from the gettext catalogs
 * and every label, hint, message and choice of the forms in assets/forms.
 * A miss names the language, the text and the code point (U+XXXX). Also
 * checks that the catalogs still carry the texts of the former C table.
 * Runs from the repo root after `make` ($KS_BUILD/locale, default build). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <SDL_ttf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../firmware/app/uitext.h"
#include "../../firmware/core/config.h"
#include "../../firmware/survey/catalog.h"
#include "../test_locale.h"

#define N_FONTS 5
#define MAX_REPORTS 40

static const char *const LANGS[] = {"de", "en", "tr", "ar", "uk", "ru"};
#define N_LANGS (sizeof LANGS / sizeof LANGS[0])

static TTF_Font *g_fonts[N_FONTS];
static int g_reports; /* misses printed so far (the rest are only counted) */

static int group_setup(void **state)
{
    (void)state;
    if (!test_ui_texts()) {
        char locale[256];
        print_error("no catalogs in %s: run `make` from the repo root first\n",
                    test_locale_dir(locale, sizeof locale));
        return -1;
    }
    if (TTF_Init() != 0) {
        print_error("TTF_Init: %s\n", TTF_GetError());
        return -1;
    }
    KsConfig cfg;
    config_defaults(&cfg);
    const char *paths[N_FONTS] = {cfg.font_regular, cfg.font_bold, cfg.font_arabic,
                                  cfg.font_arabic_bold, cfg.font_symbols};
    for (int i = 0; i < N_FONTS; i++) {
        g_fonts[i] = TTF_OpenFont(paths[i], 24);
        if (!g_fonts[i]) {
            print_error("cannot open font %s: %s\n", paths[i], TTF_GetError());
            return -1;
        }
    }
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    for (int i = 0; i < N_FONTS; i++)
        if (g_fonts[i])
            TTF_CloseFont(g_fonts[i]);
    TTF_Quit();
    return 0;
}

/* Characters that need no glyph: controls, spaces, the joiners and the
 * direction marks (shaping and bidi consume them). */
static int needs_no_glyph(uint32_t cp)
{
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
        return 1;
    if (cp == 0x20 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
        cp == 0x202F || cp == 0x205F || cp == 0x3000)
        return 1;
    return cp == 0x200C || cp == 0x200D || cp == 0x200E || cp == 0x200F;
}

static int provided(uint32_t cp)
{
    for (int i = 0; i < N_FONTS; i++)
        if (TTF_GlyphIsProvided32(g_fonts[i], cp))
            return 1;
    return 0;
}

/* Decodes one UTF-8 sequence at s into *cp; returns its length, 0 when the
 * bytes are not valid UTF-8. */
static int utf8_decode(const unsigned char *s, uint32_t *cp)
{
    int len;
    uint32_t c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if ((c & 0xE0) == 0xC0) {
        len = 2;
        c &= 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3;
        c &= 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4;
        c &= 0x07;
    } else {
        return 0;
    }
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    static const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
    if (c < min[len] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

/* How many characters of text no font provides; each miss is printed with
 * the language, where the text comes from, the text and the code point. */
static int count_missing(const char *lang, const char *where, const char *text)
{
    int missing = 0;
    const unsigned char *p = (const unsigned char *)text;
    while (*p) {
        uint32_t cp;
        int n = utf8_decode(p, &cp);
        if (n == 0) {
            if (g_reports++ < MAX_REPORTS)
                print_error("[%s] %s: invalid UTF-8 at byte %d of \"%s\"\n", lang, where,
                            (int)(p - (const unsigned char *)text), text);
            return missing + 1;
        }
        if (!needs_no_glyph(cp) && !provided(cp)) {
            missing++;
            if (g_reports++ < MAX_REPORTS)
                print_error("[%s] %s: no font has U+%04X in \"%s\"\n", lang, where, (unsigned)cp,
                            text);
        }
        p += n;
    }
    return missing;
}

/* The checker must be able to fail: a private-use character and a broken
 * byte are reported, plain Latin, Arabic and Cyrillic are not. */
static void test_checker_reports_misses(void **state)
{
    (void)state;
    int before = g_reports;
    assert_int_equal(count_missing("test", "negative check", "Hallo \xEE\x80\x80!"), 1);
    assert_int_equal(count_missing("test", "negative check", "ab\xFF"), 1);
    assert_int_equal(count_missing("test", "positive check", "Grüße مرحبًا Привіт ğış\xE2\x80\x8F"),
                     0);
    assert_int_equal(g_reports - before, 2);
    g_reports = before;
}

static void test_ui_texts_have_glyphs(void **state)
{
    (void)state;
    int missing = 0;
    for (size_t l = 0; l < N_LANGS; l++) {
        const char *lang = LANGS[l];
        char where[64], buf[256];
        for (int id = 0; id < UIT_COUNT; id++) {
            snprintf(where, sizeof where, "UI text %d", id);
            missing += count_missing(lang, where, uitext_get(lang, (UiTextId)id));
        }
        /* Every plural form of the countdown, and the progress line. */
        static const int counts[] = {0, 1, 2, 3, 5, 11, 21, 100, 101};
        for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
            uitext_format(buf, sizeof buf, lang, UIT_COUNTDOWN, counts[i]);
            missing += count_missing(lang, "countdown", buf);
        }
        uitext_format(buf, sizeof buf, lang, UIT_QUESTION_N_OF_M, 12, 34);
        missing += count_missing(lang, "progress", buf);
        missing += count_missing(lang, "language name", uitext_endonym(lang));
    }
    if (missing)
        print_error("%d UI text characters have no glyph\n", missing);
    assert_int_equal(missing, 0);
}

static int check_text(const Form *f, const FormText *t, int li, const char *what, const char *name)
{
    const char *lang = form_lang(f, li)->code;
    const char *s = form_text(f, t, li);
    char where[160];
    snprintf(where, sizeof where, "form %s, %s %s", form_id(f), what, name ? name : "");
    return count_missing(lang[0] ? lang : "?", where, s);
}

static void test_form_texts_have_glyphs(void **state)
{
    (void)state;
    Catalog *c = NULL;
    assert_int_equal(catalog_load("assets/forms", &c), KS_OK);
    assert_true(catalog_count(c) >= 3);
    int missing = 0;
    for (int fi = 0; fi < catalog_count(c); fi++) {
        const Form *f = catalog_form(c, fi);
        /* Each shipped form speaks all six languages. */
        for (size_t l = 0; l < N_LANGS; l++)
            if (form_lang_index(f, LANGS[l]) < 0)
                print_error("form %s has no language %s\n", form_id(f), LANGS[l]);
        for (size_t l = 0; l < N_LANGS; l++)
            assert_true(form_lang_index(f, LANGS[l]) >= 0);
        for (int li = 0; li < form_lang_count(f); li++) {
            missing += check_text(f, form_title(f), li, "title", NULL);
            for (int gi = 0; gi < form_group_count(f); gi++) {
                const FormGroup *g = form_group(f, gi);
                missing += check_text(f, &g->label, li, "group", g->name);
            }
            for (int qi = 0; qi < form_question_count(f); qi++) {
                const FormQuestion *q = form_question(f, qi);
                missing += check_text(f, &q->label, li, "label of", q->name);
                missing += check_text(f, &q->hint, li, "hint of", q->name);
                missing += check_text(f, &q->required_msg, li, "required_message of", q->name);
                missing += check_text(f, &q->constraint_msg, li, "constraint_message of", q->name);
                for (int ci = 0; q->list && ci < q->list->n_choices; ci++) {
                    const FormChoice *ch = &q->list->choices[ci];
                    char name[128];
                    snprintf(name, sizeof name, "%s/%s", q->name, ch->name);
                    missing += check_text(f, &ch->label, li, "choice", name);
                }
            }
        }
    }
    catalog_destroy(c);
    if (missing)
        print_error("%d form characters have no glyph\n", missing);
    assert_int_equal(missing, 0);
}

/* The texts of the former C table (German and English) and the formats. */
static void test_catalogs_keep_former_texts(void **state)
{
    (void)state;
    static const struct {
        UiTextId id;
        const char *de, *en;
    } FORMER[] = {
        {UIT_TAP_TO_START, "Tippe hier, um zu starten", "Tap here to start"},
        {UIT_WELCOME, "Hallo! Sag uns deine Meinung.", "Hello! Tell us what you think."},
        {UIT_WHO_ARE_YOU, "Wer bist du?", "Who are you?"},
        {UIT_WHICH_LANGUAGE, "Welche Sprache?", "Which language?"},
        {UIT_AUDIENCE_CHILD, "Kind", "Child"},
        {UIT_AUDIENCE_YOUTH, "Jugendliche", "Young person"},
        {UIT_AUDIENCE_PARENT, "Eltern", "Parent"},
        {UIT_NEXT, "Weiter", "Next"},
        {UIT_DONE, "Fertig", "Done"},
        {UIT_BACK, "Zurück", "Back"},
        {UIT_PLEASE_ANSWER, "Bitte wähle eine Antwort.", "Please choose an answer."},
        {UIT_CHECK_ANSWER, "Bitte prüfe diese Antwort.", "Please check this answer."},
        {UIT_OK, "OK", "OK"},
        {UIT_QUESTION_N_OF_M, "Frage %d von %d", "Question %d of %d"},
        {UIT_STILL_THERE, "Bist du noch da?", "Are you still there?"},
        {UIT_YES_STILL_HERE, "Ja, ich bin noch da!", "Yes, I am still here!"},
        {UIT_COUNTDOWN, "Sonst geht es in %d Sekunden von vorn los.",
         "Otherwise we start again in %d seconds."},
        {UIT_QUIT_QUESTION, "Möchtest du aufhören?", "Do you want to stop?"},
        {UIT_QUIT_YES, "Ja, aufhören", "Yes, stop"},
        {UIT_QUIT_NO, "Nein, weitermachen", "No, go on"},
        {UIT_THANKS, "Danke!", "Thank you!"},
        {UIT_THANKS_MORE, "Du hast uns sehr geholfen.", "You helped us a lot."},
        {UIT_FAULT_TITLE, "Bitte hole eine Betreuerin oder einen Betreuer.",
         "Please ask a member of staff."},
        {UIT_FAULT_DATABASE, "Die Antworten können gerade nicht gespeichert werden.",
         "Answers cannot be saved at the moment."},
        {UIT_FAULT_CORRUPT, "Die Datenbank ist beschädigt. Der Kiosk sammelt keine Antworten.",
         "The database is damaged. The kiosk is not collecting answers."},
        {UIT_FAULT_NO_FORMS, "Es ist keine Umfrage eingerichtet.", "No survey is set up."},
    };
    /* Every id has a text in every language (texts added later than the
     * former table have no entry above but must not be empty). */
    for (size_t l = 0; l < N_LANGS; l++)
        for (int id = 0; id < UIT_COUNT; id++)
            assert_true(uitext_get(LANGS[l], (UiTextId)id)[0] != '\0');
    for (size_t i = 0; i < sizeof FORMER / sizeof FORMER[0]; i++) {
        assert_string_equal(uitext_get("de", FORMER[i].id), FORMER[i].de);
        assert_string_equal(uitext_get("en", FORMER[i].id), FORMER[i].en);
        /* Unknown and missing codes read German. */
        assert_string_equal(uitext_get("xx", FORMER[i].id), FORMER[i].de);
        assert_string_equal(uitext_get(NULL, FORMER[i].id), FORMER[i].de);
    }
    for (size_t l = 0; l < N_LANGS; l++)
        if (strcmp(LANGS[l], "en") != 0)
            assert_string_not_equal(uitext_get(LANGS[l], UIT_THANKS), "Thank you!");
    /* The formats, with their plurals; the count comes first. */
    static const struct {
        const char *lang;
        UiTextId id;
        int a, b;
        const char *want;
    } FORMATS[] = {
        {"de", UIT_QUESTION_N_OF_M, 2, 8, "Frage 2 von 8"},
        {"en", UIT_QUESTION_N_OF_M, 2, 8, "Question 2 of 8"},
        {"ar", UIT_QUESTION_N_OF_M, 3, 12, "السؤال 3 من 12"},
        {"de", UIT_COUNTDOWN, 1, 0, "Sonst geht es in 1 Sekunde von vorn los."},
        {"en", UIT_COUNTDOWN, 20, 0, "Otherwise we start again in 20 seconds."},
        {"ru", UIT_COUNTDOWN, 2, 0, "Иначе всё начнётся заново через 2 секунды."},
        {"uk", UIT_COUNTDOWN, 21, 0, "Інакше все почнеться спочатку через 21 секунду."},
        {"ar", UIT_COUNTDOWN, 2, 0, "وإلا سنبدأ من جديد بعد ثانيتين."},
    };
    for (size_t i = 0; i < sizeof FORMATS / sizeof FORMATS[0]; i++) {
        char buf[128];
        uitext_format(buf, sizeof buf, FORMATS[i].lang, FORMATS[i].id, FORMATS[i].a, FORMATS[i].b);
        if (strcmp(buf, FORMATS[i].want) != 0)
            fail_msg("format %zu (%s): \"%s\", expected \"%s\"", i, FORMATS[i].lang, buf,
                     FORMATS[i].want);
    }
    /* A context keeps one English word apart from its other uses; a
     * switch back and forth gives the same texts. */
    assert_string_equal(uitext_get("tr", UIT_OK), "Tamam");
    assert_string_equal(uitext_get("de", UIT_BACK), "Zurück");
    assert_string_equal(uitext_get("tr", UIT_BACK), "Geri");
    assert_string_equal(uitext_get("de", UIT_CLEAR), "Löschen");
    assert_string_equal(uitext_get("en", UIT_CLEAR), "Clear");
    assert_true(uitext_is_rtl("ar"));
    assert_false(uitext_is_rtl("uk"));
    assert_string_equal(uitext_endonym("uk"), "Українська");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_checker_reports_misses),
        cmocka_unit_test(test_ui_texts_have_glyphs),
        cmocka_unit_test(test_form_texts_have_glyphs),
        cmocka_unit_test(test_catalogs_keep_former_texts),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
