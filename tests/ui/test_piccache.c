/* test_piccache: pictures kept between starts (piccache.c) come back pixel
 * for pixel for the same source and box, and never for anything else: a
 * source that changed, another box, a file cut short or with one pixel
 * changed (a power cut), a header that is not one. Pictures with a palette
 * and pictures larger than their box are not kept; without a folder, or
 * when the disk would keep less room free than asked, nothing is. The folder stays within its
 * budget, the oldest files going first. Through picload, an SVG read twice gives the same pixels,
 * the second time from the file kept. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "../../ui/piccache.h"
#include "../../ui/picload.h"
#include "../test_tmp.h"

typedef struct {
    char dir[256];   /* the test's folder */
    char cache[300]; /* the cache folder inside it */
    char src[300];   /* a source file the pictures are "made from" */
} Fixture;

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
    static Fixture fx;
    if (!test_tmp_dir(fx.dir, sizeof fx.dir, "piccache"))
        return -1;
    snprintf(fx.cache, sizeof fx.cache, "%s/picture-cache", fx.dir);
    snprintf(fx.src, sizeof fx.src, "%s/picture.svg", fx.dir);
    write_file(fx.src, "<svg/>");
    piccache_set_dir(fx.cache, PICCACHE_BYTES_MAX, 0);
    *state = &fx;
    return 0;
}

static int teardown(void **state)
{
    Fixture *fx = *state;
    piccache_set_dir(NULL, 0, 0);
    return test_tmp_remove(fx->dir) ? 0 : -1;
}

/* A w x h ARGB picture with every pixel different. */
static SDL_Surface *pattern(int w, int h, Uint32 seed)
{
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    assert_non_null(s);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            ((Uint32 *)((Uint8 *)s->pixels + y * s->pitch))[x] =
                (Uint32)(x * 2654435761u) ^ (Uint32)(y * 40503u) ^ seed;
    return s;
}

static bool same_pixels(const SDL_Surface *a, const SDL_Surface *b)
{
    if (a->w != b->w || a->h != b->h || a->format->format != b->format->format)
        return false;
    size_t row = (size_t)a->w * a->format->BytesPerPixel;
    for (int y = 0; y < a->h; y++)
        if (memcmp((const Uint8 *)a->pixels + y * a->pitch, (const Uint8 *)b->pixels + y * b->pitch,
                   row) != 0)
            return false;
    return true;
}

/* The one file in the cache folder, into path; how many there are. */
static int cache_files(const Fixture *fx, char *path, size_t size)
{
    DIR *d = opendir(fx->cache);
    if (!d)
        return 0;
    int n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.')
            continue;
        if (path)
            snprintf(path, size, "%s/%s", fx->cache, e->d_name);
        n++;
    }
    closedir(d);
    return n;
}

static void test_round_trip(void **state)
{
    Fixture *fx = *state;
    assert_null(piccache_get(fx->src, 64, 32));
    SDL_Surface *s = pattern(64, 30, 7);
    piccache_put(fx->src, 64, 32, s);
    assert_int_equal(cache_files(fx, NULL, 0), 1);
    SDL_Surface *got = piccache_get(fx->src, 64, 32);
    assert_non_null(got);
    assert_true(same_pixels(s, got));
    SDL_FreeSurface(got);
    /* Another box is another picture. */
    assert_null(piccache_get(fx->src, 64, 31));
    assert_null(piccache_get(fx->src, 65, 32));
    /* Kept again: the file is replaced, not added to, and what another
     * process left half written goes. */
    char stale[400];
    snprintf(stale, sizeof stale, "%s/.new-1-0", fx->cache);
    write_file(stale, "half");
    piccache_put(fx->src, 64, 32, s);
    assert_int_equal(cache_files(fx, NULL, 0), 1);
    assert_int_equal(access(stale, F_OK), -1);
    SDL_FreeSurface(s);
}

static void test_source_changed(void **state)
{
    Fixture *fx = *state;
    SDL_Surface *s = pattern(20, 20, 1);
    piccache_put(fx->src, 20, 20, s);
    SDL_Surface *got = piccache_get(fx->src, 20, 20);
    assert_non_null(got);
    SDL_FreeSurface(got);
    /* Its time changed (same size and content): made anew. */
    struct timeval later[2] = {{2000000000, 0}, {2000000000, 0}};
    assert_int_equal(utimes(fx->src, later), 0);
    assert_null(piccache_get(fx->src, 20, 20));
    /* Kept for the source as it is now, then the source is replaced. */
    piccache_put(fx->src, 20, 20, s);
    got = piccache_get(fx->src, 20, 20);
    assert_non_null(got);
    SDL_FreeSurface(got);
    write_file(fx->src, "<svg width='2'/>");
    assert_null(piccache_get(fx->src, 20, 20));
    /* A source that is gone has nothing kept. */
    assert_int_equal(unlink(fx->src), 0);
    assert_null(piccache_get(fx->src, 20, 20));
    piccache_put(fx->src, 20, 20, s);
    assert_int_equal(cache_files(fx, NULL, 0), 1); /* the old one, unused */
    SDL_FreeSurface(s);
    write_file(fx->src, "<svg/>");
}

static void test_damaged_files(void **state)
{
    Fixture *fx = *state;
    SDL_Surface *s = pattern(16, 16, 3);
    char path[600];
    piccache_put(fx->src, 16, 16, s);
    assert_int_equal(cache_files(fx, path, sizeof path), 1);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    /* One pixel changed, as blocks a power cut left unwritten. */
    int fd = open(path, O_WRONLY);
    assert_true(fd >= 0);
    assert_int_equal(pwrite(fd, "\x55", 1, st.st_size - 5), 1);
    close(fd);
    assert_null(piccache_get(fx->src, 16, 16));
    /* Cut short. */
    piccache_put(fx->src, 16, 16, s);
    assert_int_equal(truncate(path, st.st_size - 64), 0);
    assert_null(piccache_get(fx->src, 16, 16));
    /* Empty, and only a few bytes of something else. */
    assert_int_equal(truncate(path, 0), 0);
    assert_null(piccache_get(fx->src, 16, 16));
    write_file(path, "not a picture at all");
    assert_null(piccache_get(fx->src, 16, 16));
    /* Made again, it is whole. */
    piccache_put(fx->src, 16, 16, s);
    SDL_Surface *got = piccache_get(fx->src, 16, 16);
    assert_non_null(got);
    assert_true(same_pixels(s, got));
    SDL_FreeSurface(got);
    SDL_FreeSurface(s);
}

static void test_not_kept(void **state)
{
    Fixture *fx = *state;
    /* Larger than its box. */
    SDL_Surface *s = pattern(40, 10, 5);
    piccache_put(fx->src, 39, 39, s);
    assert_int_equal(cache_files(fx, NULL, 0), 0);
    /* A palette. */
    SDL_Surface *p = SDL_CreateRGBSurfaceWithFormat(0, 8, 8, 8, SDL_PIXELFORMAT_INDEX8);
    assert_non_null(p);
    piccache_put(fx->src, 8, 8, p);
    assert_int_equal(cache_files(fx, NULL, 0), 0);
    SDL_FreeSurface(p);
    /* A disk that would keep less free than asked: nothing kept. */
    piccache_set_dir(fx->cache, PICCACHE_BYTES_MAX, UINT64_MAX / 2);
    piccache_put(fx->src, 40, 40, s);
    assert_int_equal(cache_files(fx, NULL, 0), 0);
    /* No folder: nothing kept, nothing found. */
    piccache_set_dir(NULL, 0, 0);
    piccache_put(fx->src, 40, 40, s);
    assert_null(piccache_get(fx->src, 40, 40));
    assert_int_equal(cache_files(fx, NULL, 0), 0);
    SDL_FreeSurface(s);
}

static void test_budget(void **state)
{
    Fixture *fx = *state;
    /* Room for about two 32 x 32 pictures (4 KiB each). */
    piccache_set_dir(fx->cache, 9000, 0);
    char src[3][320];
    for (int i = 0; i < 3; i++) {
        snprintf(src[i], sizeof src[i], "%s/p%d.svg", fx->dir, i);
        write_file(src[i], "<svg/>");
        SDL_Surface *s = pattern(32, 32, (Uint32)i);
        piccache_put(src[i], 32, 32, s);
        SDL_FreeSurface(s);
        /* Files made in the same tick are told apart by time. */
        usleep(20000);
    }
    assert_int_equal(cache_files(fx, NULL, 0), 2);
    SDL_Surface *gone = piccache_get(src[0], 32, 32);
    SDL_Surface *kept = piccache_get(src[2], 32, 32);
    assert_null(gone);
    assert_non_null(kept);
    SDL_FreeSurface(kept);
}

static void test_picload_keeps(void **state)
{
    Fixture *fx = *state;
    char svg[320];
    snprintf(svg, sizeof svg, "%s/wide.svg", fx->dir);
    write_file(svg, "<svg xmlns='http://www.w3.org/2000/svg' width='200' height='100'>"
                    "<rect x='10' y='10' width='180' height='80' fill='#2060c0'/>"
                    "<circle cx='100' cy='50' r='30' fill='#f0c020'/></svg>");
    /* Rasterised at the box's size: 120 x 60 in 120 x 90, not 90 x 45. */
    SDL_Surface *first = picload_read(svg, 120, 90);
    assert_non_null(first);
    assert_int_equal(first->w, 120);
    assert_int_equal(first->h, 60);
    assert_int_equal(cache_files(fx, NULL, 0), 1);
    SDL_Surface *again = picload_read(svg, 120, 90);
    assert_non_null(again);
    assert_true(same_pixels(first, again));
    SDL_FreeSurface(first);
    SDL_FreeSurface(again);
    picload_quit();
}

int main(void)
{
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_source_changed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_damaged_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_kept, setup, teardown),
        cmocka_unit_test_setup_teardown(test_budget, setup, teardown),
        cmocka_unit_test_setup_teardown(test_picload_keeps, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
