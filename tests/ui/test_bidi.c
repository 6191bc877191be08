/* test_bidi: ui/bidi cuts a line into runs in visual order — numbers in an
 * Arabic sentence stay readable left to right at the right place, German is
 * one left-to-right run, an Arabic word inside German is one right-to-left
 * run in the middle, and punctuation inside Arabic lands in a run whose
 * characters the kiosk's fonts can all draw. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <SDL_ttf.h>
#include <stdio.h>
#include <string.h>

#include "../../ui/bidi.h"

#define FONT_DIR "/usr/share/fonts/truetype/"

static BidiRun runs[BIDI_RUNS_MAX];

/* The run's text, NUL-terminated, in a rotating buffer. */
static const char *run_text(const char *s, const BidiRun *r)
{
    static char buf[4][256];
    static int k;
    char *b = buf[k++ % 4];
    snprintf(b, sizeof buf[0], "%.*s", r->len, s + r->start);
    return b;
}

static int runs_of(const char *s, bool rtl)
{
    int n = bidi_line_runs(s, strlen(s), rtl, runs, BIDI_RUNS_MAX);
    /* Every byte is in exactly one run. */
    int total = 0;
    for (int i = 0; i < n; i++)
        total += runs[i].len;
    assert_int_equal(total, (int)strlen(s));
    return n;
}

static void test_arabic_with_numbers(void **state)
{
    (void)state;
    const char *s = "السؤال 3 من 10";
    int n = runs_of(s, true);
    assert_true(n >= 4);
    /* Visual order, left to right: "10", " من ", "3", "السؤال ". */
    assert_string_equal(run_text(s, &runs[0]), "10");
    assert_false(runs[0].rtl);
    assert_non_null(strstr(run_text(s, &runs[n - 1]), "السؤال"));
    assert_true(runs[n - 1].rtl);
    assert_int_equal(runs[n - 1].script, BIDI_SCRIPT_ARABIC);
    int three = -1, min = -1;
    for (int i = 0; i < n; i++) {
        if (strcmp(run_text(s, &runs[i]), "3") == 0)
            three = i;
        if (strstr(run_text(s, &runs[i]), "من"))
            min = i;
    }
    assert_true(three > 0 && min > 0 && min < three && three < n - 1);
}

static void test_german_unchanged(void **state)
{
    (void)state;
    const char *s = "Frage 3 von 10";
    assert_int_equal(runs_of(s, false), 1);
    assert_string_equal(run_text(s, &runs[0]), s);
    assert_false(runs[0].rtl);
    assert_int_equal(runs[0].script, BIDI_SCRIPT_LATIN);
    assert_string_equal(bidi_script_tag(runs[0].script), "Latn");
}

static void test_arabic_word_in_german(void **state)
{
    (void)state;
    const char *s = "Ich spreche العربية gut";
    int n = runs_of(s, false);
    assert_int_equal(n, 3);
    assert_string_equal(run_text(s, &runs[0]), "Ich spreche ");
    assert_string_equal(run_text(s, &runs[1]), "العربية");
    assert_true(runs[1].rtl);
    assert_int_equal(runs[1].script, BIDI_SCRIPT_ARABIC);
    assert_string_equal(bidi_script_tag(runs[1].script), "Arab");
    assert_string_equal(run_text(s, &runs[2]), " gut");
    assert_false(runs[0].rtl || runs[2].rtl);
}

static void test_percent_and_question_mark(void **state)
{
    (void)state;
    /* "?" between Arabic words is Arabic text; "50" reads left to right.
     * After Arabic letters the digits are Arabic numbers (rule W2), so "%"
     * stays in the right-to-left text: drawn just left of "50", as Arabic
     * writes it. */
    const char *s = "هل نسبة 50% صحيحة? نعم";
    int n = runs_of(s, true);
    int pct = -1;
    for (int i = 0; i < n; i++)
        if (strcmp(run_text(s, &runs[i]), "50") == 0)
            pct = i;
    assert_true(pct > 0 && pct < n - 1);
    assert_false(runs[pct].rtl);
    assert_true(runs[pct - 1].rtl);
    assert_true(run_text(s, &runs[pct - 1])[0] == '%');
    /* The question mark stays inside the right-to-left text after "صحيحة". */
    for (int i = 0; i < n; i++)
        if (strchr(run_text(s, &runs[i]), '?')) {
            assert_true(runs[i].rtl);
            assert_non_null(strstr(run_text(s, &runs[i]), "صحيحة? نعم"));
        }
}

static void test_punctuation_covered_by_fonts(void **state)
{
    (void)state;
    assert_int_equal(TTF_Init(), 0);
    const char *paths[] = {FONT_DIR "noto/NotoSans-Regular.ttf",
                           FONT_DIR "noto/NotoSansArabic-Regular.ttf",
                           FONT_DIR "dejavu/DejaVuSans.ttf"};
    TTF_Font *fonts[3];
    for (int i = 0; i < 3; i++) {
        fonts[i] = TTF_OpenFont(paths[i], 20);
        assert_non_null(fonts[i]);
    }
    /* The Arabic font alone lacks these: the fallback list must cover them. */
    assert_false(TTF_GlyphIsProvided32(fonts[1], '?') && TTF_GlyphIsProvided32(fonts[1], '(') &&
                 TTF_GlyphIsProvided32(fonts[1], '%'));
    const char *samples[] = {"هل أنت بخير؟ (نعم)", "هل أنت بخير? (نعم) 100%"};
    for (int k = 0; k < 2; k++) {
        const char *s = samples[k];
        int n = runs_of(s, true);
        assert_true(n >= 1);
        for (int i = 0; i < n; i++) {
            size_t pos = (size_t)runs[i].start, end = pos + (size_t)runs[i].len;
            while (pos < end) {
                unsigned long cp = bidi_utf8_next(s, end, &pos);
                bool found = false;
                for (int f = 0; f < 3 && !found; f++)
                    found = TTF_GlyphIsProvided32(fonts[f], (Uint32)cp) != 0;
                if (!found)
                    fail_msg("U+%04lX in run %d of \"%s\" has no font", cp, i, s);
            }
        }
        /* Brackets around an Arabic word at the end of an RTL line are part
         * of the right-to-left text, so they sit on its left side. */
        const char *last = run_text(s, &runs[0]);
        if (k == 0)
            assert_non_null(strstr(last, "(نعم)"));
    }
    for (int i = 0; i < 3; i++)
        TTF_CloseFont(fonts[i]);
    TTF_Quit();
}

static void test_utf8_and_scripts(void **state)
{
    (void)state;
    size_t pos = 0;
    const char bad[] = "\xC3(";
    assert_int_equal(bidi_utf8_next(bad, 2, &pos), 0xFFFD);
    assert_int_equal(pos, 1);
    assert_int_equal(bidi_script_of(0x0457), BIDI_SCRIPT_CYRILLIC); /* ї */
    assert_int_equal(bidi_script_of(0x0130), BIDI_SCRIPT_LATIN);    /* İ */
    assert_int_equal(bidi_script_of('3'), BIDI_SCRIPT_COMMON);
    assert_int_equal(bidi_line_runs("", 0, true, runs, BIDI_RUNS_MAX), 0);
    const char *s = "Привіт, світ";
    assert_int_equal(runs_of(s, false), 1);
    assert_string_equal(bidi_script_tag(runs[0].script), "Cyrl");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arabic_with_numbers),
        cmocka_unit_test(test_german_unchanged),
        cmocka_unit_test(test_arabic_word_in_german),
        cmocka_unit_test(test_percent_and_question_mark),
        cmocka_unit_test(test_punctuation_covered_by_fonts),
        cmocka_unit_test(test_utf8_and_scripts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
