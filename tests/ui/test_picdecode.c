/* test_picdecode: pictures read by a process of their own (ui/picdecode,
 * ui/picload). The reader is this program itself (its main answers the
 * `picture` command as km2kiosk's does), or small shell scripts that fail
 * the ways a broken reader can: each must cost only that process, and the
 * kiosk side must come back with nothing and no child left behind. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../firmware/core/clock.h"
#include "../../ui/piccache.h"
#include "../../ui/picdecode.h"
#include "../../ui/picload.h"
#include "../../ui/png_write.h"
#include "../test_tmp.h"

#define SVG "assets/icons/hand.svg"

static char g_dir[512];

static void path_in(char *out, size_t size, const char *name)
{
    snprintf(out, size, "%s/%s", g_dir, name);
}

static void write_script(const char *name, const char *body)
{
    char path[600];
    path_in(path, sizeof path, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "#!/bin/sh\n%s\n", body);
    fclose(f);
    assert_int_equal(chmod(path, 0755), 0);
}

static int setup(void **state)
{
    (void)state;
    return test_tmp_dir(g_dir, sizeof g_dir, "picdecode") ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    return test_tmp_remove(g_dir) ? 0 : -1;
}

/* No child of this process is left: every reader was waited for. */
static void no_child_left(void)
{
    errno = 0;
    assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
    assert_int_equal(errno, ECHILD);
}

static void same_surface(SDL_Surface *a, SDL_Surface *b)
{
    assert_int_equal(a->w, b->w);
    assert_int_equal(a->h, b->h);
    assert_int_equal(a->format->format, b->format->format);
    size_t row = (size_t)a->w * a->format->BytesPerPixel;
    for (int y = 0; y < a->h; y++)
        assert_memory_equal((char *)a->pixels + (size_t)y * (size_t)a->pitch,
                            (char *)b->pixels + (size_t)y * (size_t)b->pitch, row);
}

/* A 300 x 200 photo-like PNG at path. */
static void write_png(const char *path)
{
    static unsigned char px[300 * 200 * 3];
    for (int i = 0; i < 300 * 200; i++) {
        px[3 * i] = (unsigned char)(i % 300);
        px[3 * i + 1] = (unsigned char)(i / 300);
        px[3 * i + 2] = (unsigned char)(i * 7);
    }
    char err[128];
    assert_true(png_write_rgb(path, px, 300, 200, err, sizeof err));
}

/* What the reader process gives is what reading here gives: the same
 * size, format and pixels, for an SVG and a PNG (shrunk to its box). */
static void test_same_as_read_here(void **state)
{
    (void)state;
    piccache_set_dir(NULL, 0, 0);
    char png[600];
    path_in(png, sizeof png, "photo.png");
    write_png(png);
    const char *const paths[] = {SVG, png};
    for (int i = 0; i < 2; i++) {
        bool started = false;
        SDL_Surface *there = picdecode_run("/proc/self/exe", paths[i], 120, 90, 10000, &started);
        assert_true(started);
        assert_non_null(there);
        picload_use_decoder(NULL);
        SDL_Surface *here = picload_read(paths[i], 120, 90);
        assert_non_null(here);
        same_surface(there, here);
        SDL_FreeSurface(there);
        SDL_FreeSurface(here);
    }
    no_child_left();
}

/* A reader that fails, writes nonsense, claims more than the box, stops
 * short, crashes or hangs gives nothing; the one that hangs is stopped at
 * the time out. A reader that cannot be started says so. */
static void test_broken_readers(void **state)
{
    (void)state;
    /* "KSP1", then width, height and format (ARGB8888) in little-endian;
     * the one too big (256 x 2) sends all its pixels. */
    const char *head2x2 =
        "printf 'KSP1\\002\\000\\000\\000\\002\\000\\000\\000\\004\\040\\066\\026'";
    char body[256];
    write_script("fails.sh", "echo 'cannot read it' >&2; exit 1");
    write_script("nonsense.sh", "echo 'not a picture at all'; exit 0");
    snprintf(body, sizeof body,
             "printf 'KSP1\\000\\001\\000\\000\\002\\000\\000\\000"
             "\\004\\040\\066\\026'; head -c 2048 /dev/zero; exit 0");
    write_script("too_big.sh", body);
    snprintf(body, sizeof body, "%s; printf 'abcd'; exit 0", head2x2);
    write_script("short.sh", body);
    snprintf(body, sizeof body, "%s; kill -SEGV $$", head2x2);
    write_script("crashes.sh", body);
    write_script("hangs.sh", "exec sleep 30");
    static const char *const broken[] = {"fails.sh", "nonsense.sh", "too_big.sh",
                                         "short.sh", "crashes.sh",  "hangs.sh"};
    for (size_t i = 0; i < sizeof broken / sizeof broken[0]; i++) {
        char exe[600];
        path_in(exe, sizeof exe, broken[i]);
        bool started = false;
        int64_t t0 = clock_mono_ms();
        SDL_Surface *s = picdecode_run(exe, SVG, 100, 100, 500, &started);
        assert_true(started);
        if (s)
            fail_msg("%s: a picture came back", broken[i]);
        assert_true(clock_mono_ms() - t0 < 5000);
    }
    no_child_left();
    /* A script that writes a whole 2x2 picture is read. */
    snprintf(body, sizeof body, "%s; printf 'abcdefghijklmnop'; exit 0", head2x2);
    write_script("good.sh", body);
    char exe[600];
    path_in(exe, sizeof exe, "good.sh");
    bool started = false;
    SDL_Surface *s = picdecode_run(exe, SVG, 100, 100, 5000, &started);
    assert_non_null(s);
    assert_int_equal(s->w, 2);
    assert_int_equal(s->format->format, SDL_PIXELFORMAT_ARGB8888);
    assert_memory_equal((char *)s->pixels + s->pitch, "ijklmnop", 8);
    SDL_FreeSurface(s);
    path_in(exe, sizeof exe, "no-such-reader");
    assert_null(picdecode_run(exe, SVG, 100, 100, 5000, &started));
    assert_false(started);
    no_child_left();
}

static int lines_in(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    int n = 0;
    for (int c; (c = fgetc(f)) != EOF;)
        n += c == '\n';
    fclose(f);
    return n;
}

/* picload_read with a reader: a picture not kept is read by it once and
 * kept, the next read comes from the cache. A reader that cannot start
 * makes picload read pictures itself. */
static void test_read_through_reader(void **state)
{
    (void)state;
    char cache[600], count[600], exe[600], body[800];
    path_in(cache, sizeof cache, "cache");
    path_in(count, sizeof count, "count");
    path_in(exe, sizeof exe, "counting.sh");
    piccache_set_dir(cache, 1024 * 1024, 0);
    snprintf(body, sizeof body,
             "echo run >> '%s'; printf 'KSP1\\002\\000\\000\\000\\002\\000\\000\\000"
             "\\004\\040\\066\\026'; printf 'abcdefghijklmnop'",
             count);
    write_script("counting.sh", body);
    picload_use_decoder(exe);
    SDL_Surface *a = picload_read(SVG, 64, 64), *b = picload_read(SVG, 64, 64);
    assert_non_null(a);
    assert_non_null(b);
    same_surface(a, b);
    assert_int_equal(lines_in(count), 1);
    SDL_FreeSurface(a);
    SDL_FreeSurface(b);
    path_in(exe, sizeof exe, "no-such-reader");
    picload_use_decoder(exe);
    SDL_Surface *c = picload_read(SVG, 48, 48); /* read here: a real picture */
    assert_non_null(c);
    assert_true(c->w == 48 || c->h == 48);
    SDL_FreeSurface(c);
    picload_use_decoder(NULL);
    piccache_set_dir(NULL, 0, 0);
    no_child_left();
}

int main(int argc, char **argv)
{
    /* The reader side: this program read a picture as km2kiosk's `picture`. */
    if (argc > 1 && strcmp(argv[1], "picture") == 0)
        return picload_command(argc, argv);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_as_read_here),
        cmocka_unit_test(test_broken_readers),
        cmocka_unit_test(test_read_through_reader),
    };
    int r = cmocka_run_group_tests(tests, setup, teardown);
    picload_quit();
    return r;
}
