/* picload: pictures read into surfaces (from the picture cache when they
 * were read before; else by a process of its own, picdecode, or with
 * SDL2_image loaded on first use), one read ahead on its own thread (see
 * picload.h). */
#include "picload.h"

#include <SDL_image.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../firmware/core/dynlib.h"
#include "../firmware/core/log.h"
#include "../firmware/core/str.h"
#include "piccache.h"
#include "picdecode.h"

#define SDL_IMAGE_LIB "libSDL2_image-2.0.so.0"

static struct {
    __typeof__(IMG_Load) *Load;
    __typeof__(IMG_LoadSizedSVG_RW) *LoadSizedSVG_RW;
    __typeof__(IMG_Quit) *Quit;
} g_img;
static bool g_img_ok;
static pthread_once_t g_img_once = PTHREAD_ONCE_INIT;
static char g_decoder[512];       /* picload_use_decoder; "": read here */
static atomic_bool g_decoder_off; /* it could not be started: read here */

static void load_sdl_image(void)
{
    const DynlibFn fns[] = {
        DYNLIB_FN(g_img, Load, IMG_Load),
        DYNLIB_FN(g_img, LoadSizedSVG_RW, IMG_LoadSizedSVG_RW),
        DYNLIB_FN(g_img, Quit, IMG_Quit),
    };
    char why[256];
    g_img_ok = dynlib_load(SDL_IMAGE_LIB, fns, sizeof fns / sizeof fns[0], why, sizeof why);
    if (!g_img_ok)
        LOG_ERROR("pictures cannot be read: SDL2_image is not usable (%s)", why);
}

static bool is_svg(const char *path)
{
    size_t n = strlen(path);
    return n > 4 && (strcmp(path + n - 4, ".svg") == 0 || strcmp(path + n - 4, ".SVG") == 0);
}

/* s shrunk to fit w x h (s itself when it fits or cannot be shrunk): a
 * photo from a form may be far larger than its tile, and the cache holds
 * what the screen shows. */
static SDL_Surface *fit(SDL_Surface *s, int w, int h)
{
    if (s->w <= w && s->h <= h)
        return s;
    double k = (double)w / s->w < (double)h / s->h ? (double)w / s->w : (double)h / s->h;
    int sw = (int)(s->w * k) > 0 ? (int)(s->w * k) : 1;
    int sh = (int)(s->h * k) > 0 ? (int)(s->h * k) : 1;
    SDL_Surface *small = SDL_CreateRGBSurfaceWithFormat(0, sw, sh, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Surface *conv = small ? SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_ARGB8888, 0) : NULL;
    if (conv && SDL_BlitScaled(conv, NULL, small, NULL) == 0) {
        SDL_FreeSurface(s);
        s = small;
        small = NULL;
    }
    SDL_FreeSurface(conv);
    SDL_FreeSurface(small);
    return s;
}

/* The picture at path fitted into w x h, read in this process. */
static SDL_Surface *read_here(const char *path, int w, int h)
{
    pthread_once(&g_img_once, load_sdl_image);
    if (!g_img_ok)
        return NULL;
    SDL_Surface *s = NULL;
    if (is_svg(path)) {
        SDL_RWops *rw = SDL_RWFromFile(path, "rb");
        if (rw) {
            s = g_img.LoadSizedSVG_RW(rw, w, h);
            SDL_RWclose(rw);
        }
    } else {
        s = g_img.Load(path);
    }
    if (!s) {
        /* IMG_GetError is SDL_GetError. */
        LOG_WARN("cannot load picture %s: %s", path, SDL_GetError());
        return NULL;
    }
    return fit(s, w, h);
}

void picload_use_decoder(const char *exe)
{
    str_copy(g_decoder, sizeof g_decoder, exe ? exe : "");
    atomic_store(&g_decoder_off, false);
}

SDL_Surface *picload_read(const char *path, int w, int h)
{
    SDL_Surface *kept = piccache_get(path, w, h);
    if (kept)
        return kept;
    bool started = false;
    SDL_Surface *s = NULL;
    if (g_decoder[0] && !atomic_load(&g_decoder_off)) {
        s = picdecode_run(g_decoder, path, w, h, PICDECODE_TIMEOUT_MS, &started);
        /* Read here after all (an emulator that cannot start the program
         * again, say), and so from now on. */
        if (!started && !atomic_exchange(&g_decoder_off, true))
            LOG_WARN("pictures are read in this process from now on: %s cannot be started (%s)",
                     g_decoder, strerror(errno));
    }
    if (!started)
        s = read_here(path, w, h);
    if (s)
        piccache_put(path, w, h, s);
    return s;
}

int picload_command(int argc, char **argv)
{
    long w = 0, h = 0;
    char *end_w = NULL, *end_h = NULL;
    if (argc == 5) {
        w = strtol(argv[3], &end_w, 10);
        h = strtol(argv[4], &end_h, 10);
    }
    if (argc != 5 || *end_w || *end_h || w < 1 || h < 1 || w > 16384 || h > 16384) {
        fprintf(stderr, "usage: km2kiosk picture FILE WIDTH HEIGHT (1 to 16384): the picture "
                        "fitted into WIDTH x HEIGHT, as pixels on standard output\n");
        return 2;
    }
    SDL_Surface *s = read_here(argv[2], (int)w, (int)h);
    bool ok = s && picdecode_write(1, s);
    SDL_FreeSurface(s);
    picload_quit();
    return ok ? 0 : 1;
}

/* The one picture read ahead. Only the thread that starts and takes it
 * touches this; the reading thread writes surface before it ends, and the
 * join hands it over. */
static struct {
    SDL_Thread *thread; /* NULL: none under way or waiting */
    char path[512];
    int w, h;
    SDL_Surface *surface;
} g_ahead;

static int ahead_run(void *data)
{
    (void)data;
    g_ahead.surface = picload_read(g_ahead.path, g_ahead.w, g_ahead.h);
    return 0;
}

void picload_ahead(const char *path, int w, int h)
{
    if (g_ahead.thread || !path || !*path || w <= 0 || h <= 0 ||
        strlen(path) >= sizeof g_ahead.path)
        return;
    str_copy(g_ahead.path, sizeof g_ahead.path, path);
    g_ahead.w = w;
    g_ahead.h = h;
    g_ahead.surface = NULL;
    g_ahead.thread = SDL_CreateThread(ahead_run, "picture", NULL);
    /* Without a thread the picture is read when it is first drawn. */
}

SDL_Surface *picload_take(const char *path, int w, int h, bool *taken)
{
    *taken = g_ahead.thread && g_ahead.w == w && g_ahead.h == h && strcmp(g_ahead.path, path) == 0;
    if (!*taken)
        return NULL;
    SDL_WaitThread(g_ahead.thread, NULL);
    g_ahead.thread = NULL;
    SDL_Surface *s = g_ahead.surface;
    g_ahead.surface = NULL;
    return s;
}

void picload_forget(void)
{
    if (!g_ahead.thread)
        return;
    SDL_WaitThread(g_ahead.thread, NULL);
    g_ahead.thread = NULL;
    SDL_FreeSurface(g_ahead.surface);
    g_ahead.surface = NULL;
}

void picload_quit(void)
{
    picload_forget();
    if (g_img_ok)
        g_img.Quit();
}
