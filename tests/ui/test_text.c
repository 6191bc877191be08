/* test_text: the text module on SDL's software renderer (no display). An
 * Arabic sentence with numbers is drawn with every character covered by a
 * font and real ink; a word too long for its box is reported as not fitting
 * instead of being cut; the caret of right-to-left text ends on the left;
 * text kept on disk comes back at the next start pixel for pixel (and typed
 * text never goes there); a block too big to keep is drawn a line at a
 * time with the pixels, fit and caret of a kept one, and not at all
 * outside the clip; and a sample of every UI script is written to
 * build/text_sample.png for a person to look at (joined Arabic letters,
 * right order, no boxes). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <SDL.h>
#include <SDL_image.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../ui/piccache.h"
#include "../../ui/text.h"
#include "../test_tmp.h"

#define FONT_DIR "/usr/share/fonts/truetype/"

static SDL_Surface *surf;
static SDL_Renderer *ren;
static Text *text;

static const TextFonts FONTS = {
    FONT_DIR "noto/NotoSans-Regular.ttf",       FONT_DIR "noto/NotoSans-Bold.ttf",
    FONT_DIR "noto/NotoSansArabic-Regular.ttf", FONT_DIR "noto/NotoSansArabic-Bold.ttf",
    FONT_DIR "dejavu/DejaVuSans.ttf",           NULL,
};

static const SDL_Color INK = {20, 30, 40, 255};

static int setup(void **state)
{
    (void)state;
    SDL_setenv("SDL_VIDEODRIVER", "dummy", 1);
    if (SDL_Init(SDL_INIT_VIDEO) != 0)
        return -1;
    surf = SDL_CreateRGBSurfaceWithFormat(0, 900, 560, 32, SDL_PIXELFORMAT_ARGB8888);
    ren = surf ? SDL_CreateSoftwareRenderer(surf) : NULL;
    text = ren ? text_create(ren, &FONTS) : NULL;
    return text ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    text_destroy(text);
    SDL_DestroyRenderer(ren);
    SDL_FreeSurface(surf);
    SDL_Quit();
    return 0;
}

static void clear(void)
{
    SDL_SetRenderDrawColor(ren, 255, 255, 255, 255);
    SDL_RenderClear(ren);
}

/* Pixels in r that are not white, and the leftmost/rightmost such column. */
static int ink_in(SDL_Rect r, int *left, int *right)
{
    int n = 0;
    *left = -1;
    *right = -1;
    const Uint32 *px = surf->pixels;
    int pitch = surf->pitch / 4;
    for (int y = r.y; y < r.y + r.h; y++)
        for (int x = r.x; x < r.x + r.w; x++)
            if ((px[y * pitch + x] & 0xFFFFFF) != 0xFFFFFF) {
                n++;
                if (*left < 0 || x < *left)
                    *left = x;
                if (x > *right)
                    *right = x;
            }
    return n;
}

static TextStyle style(int px, bool rtl)
{
    TextStyle st = {px, px * 6 / 10, false, INK, rtl ? TEXT_RIGHT : TEXT_LEFT, TEXT_TOP, rtl};
    return st;
}

static void test_arabic_block(void **state)
{
    (void)state;
    const char *s = "السؤال 3 من 10";
    assert_int_equal(text_missing_glyphs(text, s), 0);
    assert_int_equal(text_missing_glyphs(text, "هل أنت بخير؟ (نعم) 100%"), 0);
    assert_int_equal(text_missing_glyphs(text, "İıŞşĞğ Привіт їє Grüße ß"), 0);
    /* A character no font has is counted (a CJK ideograph). */
    assert_int_equal(text_missing_glyphs(text, "a\xE6\xBC\xA2z\n"), 1);
    assert_int_equal(text_missing_glyphs(text, ""), 0);

    clear();
    SDL_Rect box = {20, 20, 600, 80};
    TextStyle st = style(36, true);
    Uint64 t0 = SDL_GetPerformanceCounter();
    assert_true(text_draw(text, s, box, &st));
    double cold =
        (double)(SDL_GetPerformanceCounter() - t0) * 1000.0 / (double)SDL_GetPerformanceFrequency();
    t0 = SDL_GetPerformanceCounter();
    assert_true(text_draw(text, s, box, &st));
    double warm =
        (double)(SDL_GetPerformanceCounter() - t0) * 1000.0 / (double)SDL_GetPerformanceFrequency();
    print_message("Arabic block: cold %.2f ms (fonts already open: see below), cached %.3f ms\n",
                  cold, warm);
    int left, right;
    int n = ink_in(box, &left, &right);
    assert_true(n > 200);
    /* Right-aligned: the ink ends at the box's right edge. */
    assert_true(right > box.x + box.w - 12);
    assert_true(left > box.x + box.w / 3);

    /* The same again in a narrower box: a cold layout with open fonts. */
    SDL_Rect box2 = {20, 120, 590, 80};
    t0 = SDL_GetPerformanceCounter();
    assert_true(text_draw(text, s, box2, &st));
    print_message("Arabic block, fonts open: cold %.2f ms\n",
                  (double)(SDL_GetPerformanceCounter() - t0) * 1000.0 /
                      (double)SDL_GetPerformanceFrequency());
    /* A question of three lines that must shrink once to fit. */
    const char *q = "ما مدى رضاك عن الطريقة التي يشرح بها المعلمون الدروس في مدرستك؟ "
                    "هل تفهم معظم ما يقال في الصف (نعم/لا) وهل تشعر بالراحة عند طرح الأسئلة؟";
    SDL_Rect box3 = {20, 200, 560, 150};
    t0 = SDL_GetPerformanceCounter();
    assert_true(text_draw(text, q, box3, &st));
    print_message("Arabic paragraph (%zu bytes, wrapped, shrunk): cold %.2f ms\n", strlen(q),
                  (double)(SDL_GetPerformanceCounter() - t0) * 1000.0 /
                      (double)SDL_GetPerformanceFrequency());
    n = ink_in(box3, &left, &right);
    assert_true(n > 1000);
    box3.w += 1; /* a new cache key: the same work with every font size open */
    t0 = SDL_GetPerformanceCounter();
    assert_true(text_draw(text, q, box3, &st));
    print_message("Arabic paragraph, fonts open: cold %.2f ms\n",
                  (double)(SDL_GetPerformanceCounter() - t0) * 1000.0 /
                      (double)SDL_GetPerformanceFrequency());
}

static void test_caret_ends_left_in_rtl(void **state)
{
    (void)state;
    clear();
    SDL_Rect box = {20, 20, 600, 80}, caret;
    TextStyle st = style(36, true);
    assert_true(text_draw_caret(text, "نعم", box, &st, &caret));
    int left, right;
    ink_in(box, &left, &right);
    assert_true(abs(caret.x - left) <= 4);
    assert_true(caret.x > box.x + box.w / 2);
    assert_true(caret.h > 0);

    clear();
    st = style(36, false);
    assert_true(text_draw_caret(text, "Frage 3 von 10", box, &st, &caret));
    ink_in(box, &left, &right);
    assert_true(abs(caret.x - right) <= 5);
}

/* A checksum of the pixels in r. */
static Uint32 pixel_sum(SDL_Rect r)
{
    Uint32 h = 2166136261u;
    const Uint32 *px = surf->pixels;
    for (int y = r.y; y < r.y + r.h; y++)
        for (int x = r.x; x < r.x + r.w; x++)
            h = (h ^ px[y * (surf->pitch / 4) + x]) * 16777619u;
    return h;
}

static void test_direction_is_part_of_the_cache_key(void **state)
{
    (void)state;
    /* The same mixed line laid out on an LTR and an RTL paragraph: the
     * runs change places, so a cached LTR block must not be reused. */
    const char *s = "Frage 3: العربية ok?";
    SDL_Rect box = {20, 20, 600, 60};
    TextStyle ltr = style(30, false), rtl = style(30, false);
    rtl.rtl = true;
    clear();
    assert_true(text_draw(text, s, box, &ltr));
    Uint32 a = pixel_sum(box);
    clear();
    assert_true(text_draw(text, s, box, &rtl));
    Uint32 b = pixel_sum(box);
    clear();
    assert_true(text_draw(text, s, box, &ltr));
    assert_true(a != b);
    assert_true(pixel_sum(box) == a);
}

static int files_in(const char *dir)
{
    int n = 0;
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

static void copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    assert_non_null(in);
    assert_non_null(out);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        assert_int_equal(fwrite(buf, 1, n, out), n);
    fclose(in);
    assert_int_equal(fclose(out), 0);
}

/* The welcome page's text between starts: a block drawn while
 * text_keep_on_disk is on is kept in the picture cache, and the next start
 * (a new Text) takes it from there, pixel for pixel, without drawing it.
 * Nothing is kept while it is off, nor a text drawn with its caret (what a
 * respondent types); another font file is another key. */
static void test_kept_on_disk(void **state)
{
    (void)state;
    char dir[256], cache[300], font[300];
    assert_true(test_tmp_dir(dir, sizeof dir, "textkeep"));
    snprintf(cache, sizeof cache, "%s/picture-cache", dir);
    piccache_set_dir(cache, PICCACHE_BYTES_MAX, 0);
    const char *s = "Hallo! Sag uns deine Meinung.";
    SDL_Rect box = {20, 20, 600, 120};
    TextStyle st = style(40, false);
    text_flush(text);
    text_keep_on_disk(text, false);
    assert_true(text_draw(text, s, box, &st));
    assert_int_equal(files_in(cache), 0);
    text_flush(text);
    text_keep_on_disk(text, true);
    SDL_Rect caret;
    assert_true(text_draw_caret(text, "Mein Wunsch", box, &st, &caret));
    assert_int_equal(files_in(cache), 0);
    clear();
    assert_true(text_draw(text, s, box, &st));
    Uint32 drawn = pixel_sum(box);
    assert_int_equal(files_in(cache), 1);
    assert_int_equal(text_blocks_from_disk(text), 0);
    text_keep_on_disk(text, false);

    Text *next = text_create(ren, &FONTS);
    assert_non_null(next);
    text_keep_on_disk(next, true);
    clear();
    assert_true(text_draw(next, s, box, &st));
    assert_int_equal(text_blocks_from_disk(next), 1);
    assert_int_equal(pixel_sum(box), drawn);
    assert_int_equal(files_in(cache), 1);
    text_destroy(next);

    snprintf(font, sizeof font, "%s/Regular.ttf", dir);
    copy_file(FONTS.regular, font);
    TextFonts other = FONTS;
    other.regular = font;
    Text *changed = text_create(ren, &other);
    assert_non_null(changed);
    text_keep_on_disk(changed, true);
    clear();
    assert_true(text_draw(changed, s, box, &st));
    assert_int_equal(text_blocks_from_disk(changed), 0);
    assert_int_equal(files_in(cache), 2);
    text_destroy(changed);
    piccache_set_dir(NULL, 0, 0);
    assert_true(test_tmp_remove(dir));
}

static void test_long_word_not_cut(void **state)
{
    (void)state;
    clear();
    const char *word = "Donaudampfschifffahrtsgesellschaftskapitän";
    SDL_Rect narrow = {20, 20, 120, 200};
    TextStyle st = style(30, false);
    assert_false(text_fits(text, word, narrow, &st));
    assert_false(text_draw(text, word, narrow, &st));
    const char *arabic = "والمستشفيات والمستوصفات";
    st = style(30, true);
    assert_false(text_fits(text, arabic, (SDL_Rect){20, 20, 90, 200}, &st));
    /* Given room, the same texts fit; short words wrap onto lines. */
    st = style(30, false);
    assert_true(text_fits(text, word, (SDL_Rect){20, 20, 860, 60}, &st));
    assert_true(text_fits(text, "ein zwei drei vier fünf sechs", (SDL_Rect){0, 0, 150, 300}, &st));
    assert_false(text_fits(text, "ein zwei drei vier fünf sechs", (SDL_Rect){0, 0, 150, 40}, &st));
    st = style(30, true);
    assert_true(
        text_fits(text, "هل أنت بخير؟ هل أنت بخير؟ هل أنت بخير؟", (SDL_Rect){0, 0, 200, 400}, &st));
}

/* A paragraph drawn by a Text that keeps it and by one that does not
 * (text_keep_blocks_up_to): the same pixels on a page of colour, whole or
 * cut off by its box, left to right and right to left, the same fit and
 * caret; the one not kept holds no texture for it. Drawn again outside
 * the renderer's clip, it changes nothing. */
static void test_straight_block(void **state)
{
    (void)state;
    SDL_Surface *other = SDL_CreateRGBSurfaceWithFormat(0, 900, 560, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Renderer *r2 = SDL_CreateSoftwareRenderer(other);
    Text *straight = text_create(r2, &FONTS);
    assert_non_null(straight);
    text_keep_blocks_up_to(straight, 4096);
    static const struct {
        const char *s;
        SDL_Rect box;
        bool rtl;
        TextVAlign valign;
    } cases[] = {
        {"Hallo! Mitmachen ist freiwillig. Wir fragen nicht nach deinem Namen. Wir schauen "
         "uns alle Antworten nur zusammen an.",
         {30, 40, 820, 400},
         false,
         TEXT_TOP},
        {"Hallo! Mitmachen ist freiwillig. Wir fragen nicht nach deinem Namen. Wir schauen "
         "uns alle Antworten nur zusammen an.",
         {30, 40, 820, 90},
         false,
         TEXT_MIDDLE},
        {"مرحبا! المشاركة طوعية. لا نسأل عن اسمك. ننظر إلى جميع الإجابات معا فقط، 3 من 10.",
         {30, 40, 820, 400},
         true,
         TEXT_TOP},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        TextStyle st = style(44, cases[i].rtl);
        st.min_px = 44;
        st.valign = cases[i].valign;
        SDL_Rect ca, cb;
        SDL_SetRenderDrawColor(ren, 250, 244, 235, 255);
        SDL_RenderClear(ren);
        SDL_SetRenderDrawColor(r2, 250, 244, 235, 255);
        SDL_RenderClear(r2);
        bool fa = text_draw_caret(text, cases[i].s, cases[i].box, &st, &ca);
        size_t before = text_kept_bytes(straight);
        bool fb = text_draw_caret(straight, cases[i].s, cases[i].box, &st, &cb);
        assert_int_equal(text_kept_bytes(straight), before);
        assert_int_equal(fa, fb);
        assert_memory_equal(&ca, &cb, sizeof ca);
        SDL_RenderFlush(ren);
        SDL_RenderFlush(r2);
        for (int y = 0; y < surf->h; y++)
            if (memcmp((char *)surf->pixels + y * surf->pitch,
                       (char *)other->pixels + y * other->pitch, (size_t)surf->w * 4) != 0)
                fail_msg("case %zu: row %d differs from the kept block's", i, y);
    }
    /* Outside the clip: nothing drawn, and still the fit. */
    TextStyle st = style(44, false);
    st.min_px = 44;
    st.valign = TEXT_MIDDLE;
    SDL_SetRenderDrawColor(r2, 255, 0, 255, 255);
    SDL_RenderClear(r2);
    SDL_RenderSetClipRect(r2, &(SDL_Rect){0, 500, 900, 60});
    assert_false(text_draw(straight, cases[1].s, cases[1].box, &st));
    SDL_RenderSetClipRect(r2, NULL);
    SDL_RenderFlush(r2);
    for (int y = 0; y < other->h; y++)
        for (int x = 0; x < other->w; x++)
            if (((Uint32 *)((char *)other->pixels + y * other->pitch))[x] != 0xFFFF00FFu)
                fail_msg("pixel %d,%d drawn outside the clip", x, y);
    text_destroy(straight);
    SDL_DestroyRenderer(r2);
    SDL_FreeSurface(other);
}

/* Blocks not drawn between text_hold_begin and text_hold_end give up their
 * texture and are drawn again from their layout: the same pixels. */
static void test_hold(void **state)
{
    (void)state;
    TextStyle st = style(40, false);
    SDL_Rect a = {20, 20, 400, 120}, b = {20, 200, 400, 120};
    clear();
    text_flush(text);
    assert_true(text_draw(text, "Was ist schwer?", a, &st));
    size_t one = text_kept_bytes(text);
    assert_true(text_draw(text, "Was hilft dir?", b, &st));
    size_t both = text_kept_bytes(text);
    assert_true(both > one);
    SDL_RenderFlush(ren);
    size_t n = (size_t)surf->pitch * (size_t)surf->h;
    unsigned char *before = malloc(n);
    memcpy(before, surf->pixels, n);
    text_hold_begin(text);
    assert_true(text_draw(text, "Was ist schwer?", a, &st));
    text_hold_end(text);
    assert_int_equal(text_kept_bytes(text), one);
    clear();
    assert_true(text_draw(text, "Was ist schwer?", a, &st));
    assert_true(text_draw(text, "Was hilft dir?", b, &st));
    SDL_RenderFlush(ren);
    assert_memory_equal(surf->pixels, before, n);
    assert_int_equal(text_kept_bytes(text), one);
    free(before);
}

static void test_sample_png(void **state)
{
    (void)state;
    clear();
    static const struct {
        const char *s;
        bool rtl, bold;
    } lines[] = {
        {"السؤال 3 من 10", true, false},
        {"هل أنت بخير؟ (نعم) 100% - هل أنت بخير? [لا]", true, true},
        {"Ich spreche العربية gut (Frage 3/10)", false, false},
        {"Türkçe: İıŞşĞğ Çç Öö Üü", false, false},
        {"Русский: Съешь же ещё этих мягких булок", false, true},
        {"Українська: їжак, єнот, ґанок, Її", false, false},
        {"Deutsch: Äpfel, Größe, Straße, ẞ ✓ → ★", false, false},
        {"بيانات طويلة جداً تلتف على عدة أسطر في هذا المربع الضيق دون قطع أي كلمة", true, false},
    };
    int y = 10;
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        TextStyle st = style(30, lines[i].rtl);
        st.bold = lines[i].bold;
        int h = i + 1 == sizeof lines / sizeof lines[0] ? 130 : 52;
        SDL_Rect box = {10, y, i + 1 == sizeof lines / sizeof lines[0] ? 520 : 880, h};
        SDL_SetRenderDrawColor(ren, 235, 240, 250, 255);
        SDL_RenderDrawRect(ren, &box);
        assert_int_equal(text_missing_glyphs(text, lines[i].s), 0);
        assert_true(text_draw(text, lines[i].s, box, &st));
        y += h + 6;
    }
    SDL_RenderPresent(ren);
    assert_int_equal(IMG_SavePNG(surf, "build/text_sample.png"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arabic_block),
        cmocka_unit_test(test_caret_ends_left_in_rtl),
        cmocka_unit_test(test_direction_is_part_of_the_cache_key),
        cmocka_unit_test(test_kept_on_disk),
        cmocka_unit_test(test_long_word_not_cut),
        cmocka_unit_test(test_straight_block),
        cmocka_unit_test(test_hold),
        cmocka_unit_test(test_sample_png),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
