/* display: the renderer choice per video driver and the start-up probe.
 *
 * Why not SDL's own default: SDL 2.26 tries the desktop-GL renderer first
 * everywhere. On KMSDRM with Mesa and no libGL (a minimal Debian system has
 * only the EGL and GLES libraries) that renderer is created, but only
 * glClear reaches the screen: the kiosk showed its background colour and
 * nothing else. The software renderer cannot present on KMSDRM at all once
 * framebuffer acceleration is off. So the order is stated here, each
 * candidate has to draw a probe it reads back, and the choice is logged. */
#include "display.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../firmware/core/log.h"
#include "../firmware/core/str.h"
#include "ui.h"

/* Per channel: room for a 16-bit (RGB565) scan-out and dithering. */
#define PROBE_TOLERANCE 24

static const char *const ORDER_KMSDRM[] = {"opengles2", "opengl", NULL};
static const char *const ORDER_DESKTOP[] = {"opengl", "opengles2", "software", NULL};
static const char *const ORDER_DUMMY[] = {"software", NULL};

static int driver_index(const char *name)
{
    int n = SDL_GetNumRenderDrivers();
    for (int i = 0; i < n; i++) {
        SDL_RendererInfo info;
        if (SDL_GetRenderDriverInfo(i, &info) == 0 && strcmp(info.name, name) == 0)
            return i;
    }
    return -1;
}

static SDL_Renderer *create(SDL_Window *win, const char *name, bool vsync, const char *video)
{
    int idx = driver_index(name);
    if (idx < 0)
        return NULL;
    bool software = strcmp(name, "software") == 0;
    /* Under X11 SDL would back the software renderer's window with an
     * OpenGL texture (~100 MB, ~5 ms a frame, DESIGN.md §4); elsewhere that
     * texture is the only way it can present, so the hint stays SDL's. */
    if (software && SDL_strcasecmp(video, "x11") == 0)
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    Uint32 flags = software ? SDL_RENDERER_SOFTWARE
                            : SDL_RENDERER_ACCELERATED | (vsync ? SDL_RENDERER_PRESENTVSYNC : 0);
    SDL_Renderer *r = SDL_CreateRenderer(win, idx, flags);
    if (!r)
        LOG_WARN("display: renderer %s on %s cannot be created: %s", name, video, SDL_GetError());
    return r;
}

bool display_samples_match(const Uint32 *got, const Uint32 *want, int n)
{
    for (int i = 0; i < n; i++) {
        for (int shift = 0; shift < 24; shift += 8) {
            int a = (int)((got[i] >> shift) & 0xFF), b = (int)((want[i] >> shift) & 0xFF);
            if (abs(a - b) > PROBE_TOLERANCE)
                return false;
        }
    }
    return true;
}

enum { PROBE_CELL = 12, PROBE_STEP = 20, PROBE_SAMPLES = 4 };

bool display_probe(SDL_Renderer *r)
{
    /* Clear colour, then one colour for each way the kiosk draws: filled
     * rectangles, triangles (rounded tiles, faces) and textures (text,
     * pictures), far enough apart that none can pass for another. */
    static const SDL_Color colour[PROBE_SAMPLES] = {
        {250, 240, 230, 255}, {32, 96, 192, 255}, {192, 48, 48, 255}, {48, 160, 64, 255}};
    Uint32 want[PROBE_SAMPLES], got[PROBE_SAMPLES];
    for (int i = 0; i < PROBE_SAMPLES; i++)
        want[i] = 0xFF000000u | (Uint32)colour[i].r << 16 | (Uint32)colour[i].g << 8 | colour[i].b;
    SDL_Rect cell[PROBE_SAMPLES];
    for (int i = 0; i < PROBE_SAMPLES; i++)
        cell[i] = (SDL_Rect){4 + i * PROBE_STEP, 4, PROBE_CELL, PROBE_CELL};

    SDL_SetRenderTarget(r, NULL);
    SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_NONE);
    SDL_SetRenderDrawColor(r, colour[0].r, colour[0].g, colour[0].b, 255);
    SDL_RenderClear(r);

    SDL_SetRenderDrawColor(r, colour[1].r, colour[1].g, colour[1].b, 255);
    SDL_RenderFillRect(r, &cell[1]);

    const SDL_Rect *q = &cell[2];
    float x0 = (float)q->x, y0 = (float)q->y, x1 = (float)(q->x + q->w), y1 = (float)(q->y + q->h);
    SDL_Vertex v[4] = {{{x0, y0}, colour[2], {0, 0}},
                       {{x1, y0}, colour[2], {0, 0}},
                       {{x1, y1}, colour[2], {0, 0}},
                       {{x0, y1}, colour[2], {0, 0}}};
    int idx[6] = {0, 1, 2, 0, 2, 3};
    SDL_RenderGeometry(r, NULL, v, 4, idx, 6);

    bool textured = false;
    SDL_Texture *t = SDL_CreateTexture(r, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STATIC, 2, 2);
    if (t) {
        Uint32 px[4] = {want[3], want[3], want[3], want[3]};
        textured = SDL_UpdateTexture(t, NULL, px, 2 * (int)sizeof px[0]) == 0 &&
                   SDL_RenderCopy(r, t, NULL, &cell[3]) == 0;
    }

    bool readable = true;
    for (int i = 0; i < PROBE_SAMPLES && readable; i++) {
        SDL_Rect at = {cell[i].x + PROBE_CELL / 2, cell[i].y + PROBE_CELL / 2, 1, 1};
        readable = SDL_RenderReadPixels(r, &at, SDL_PIXELFORMAT_ARGB8888, &got[i], 4) == 0;
    }
    if (t)
        SDL_DestroyTexture(t);
    SDL_SetRenderDrawColor(r, colour[0].r, colour[0].g, colour[0].b, 255);
    SDL_RenderClear(r);
    SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_BLEND);
    if (!readable) {
        LOG_INFO(
            "display: the renderer cannot read pixels back (%s); its drawing is taken on trust",
            SDL_GetError());
        return true;
    }
    bool ok = textured && display_samples_match(got, want, PROBE_SAMPLES);
    if (!ok)
        LOG_ERROR("display probe: read back clear #%06X rect #%06X triangle #%06X texture #%06X, "
                  "drew #%06X #%06X #%06X #%06X",
                  got[0] & 0xFFFFFFu, got[1] & 0xFFFFFFu, got[2] & 0xFFFFFFu, got[3] & 0xFFFFFFu,
                  want[0] & 0xFFFFFFu, want[1] & 0xFFFFFFu, want[2] & 0xFFFFFFu,
                  want[3] & 0xFFFFFFu);
    return ok;
}

bool display_frame_blank(SDL_Renderer *r, int w, int h, SDL_Color clear)
{
    if (w <= 0 || h <= 0)
        return false;
    Uint32 *row = malloc((size_t)w * sizeof *row);
    if (!row)
        return false;
    const Uint32 want = 0xFF000000u | (Uint32)clear.r << 16 | (Uint32)clear.g << 8 | clear.b;
    bool blank = true;
    /* Three rows across the middle, where every screen has its text. */
    for (int i = 1; i <= 3 && blank; i++) {
        SDL_Rect line = {0, h * i / 4, w, 1};
        if (SDL_RenderReadPixels(r, &line, SDL_PIXELFORMAT_ARGB8888, row, w * 4) != 0) {
            blank = false;
            break;
        }
        for (int x = 0; x < w && blank; x++)
            blank = display_samples_match(&row[x], &want, 1);
    }
    free(row);
    return blank;
}

static void log_choice(SDL_Renderer *r, const DisplayInfo *info)
{
    SDL_RendererInfo ri;
    int w = 0, h = 0;
    if (SDL_GetRendererInfo(r, &ri) != 0)
        memset(&ri, 0, sizeof ri);
    SDL_GetRendererOutputSize(r, &w, &h);
    char limit[32] = "of any size"; /* the software renderer sets none */
    if (ri.max_texture_width > 0)
        snprintf(limit, sizeof limit, "up to %dx%d", ri.max_texture_width, ri.max_texture_height);
    char failed[sizeof info->failed + 32] = "";
    if (info->failed[0])
        snprintf(failed, sizeof failed, "; drew nothing: %s", info->failed);
    LOG_INFO("display: video %s, renderer %s (%s%s%s), textures %s, output %dx%d, probe %s%s",
             info->video, info->renderer,
             (ri.flags & SDL_RENDERER_SOFTWARE) ? "software" : "accelerated",
             (ri.flags & SDL_RENDERER_PRESENTVSYNC) ? ", vsync" : "",
             (ri.flags & SDL_RENDERER_TARGETTEXTURE) ? ", render targets" : "", limit, w, h,
             info->drawn ? "drawn and read back" : "FAILED", failed);
}

SDL_Renderer *display_open(SDL_Window *win, bool headless, bool vsync, DisplayInfo *info)
{
    memset(info, 0, sizeof *info);
    const char *video = SDL_GetCurrentVideoDriver();
    str_copy(info->video, sizeof info->video, video ? video : "?");
    const char *const *order = ORDER_DESKTOP;
    if (headless || SDL_strcasecmp(info->video, "dummy") == 0)
        order = ORDER_DUMMY;
    else if (SDL_strcasecmp(info->video, "KMSDRM") == 0)
        order = ORDER_KMSDRM;
    const char *asked = getenv("SDL_RENDER_DRIVER");
    const char *only[2] = {asked, NULL};
    if (asked && asked[0]) {
        order = only;
        LOG_INFO("display: renderer %s as SDL_RENDER_DRIVER asks", asked);
    }

    /* One renderer per window: a candidate that fails the probe goes before
     * the next is created. */
    SDL_Renderer *r = NULL;
    const char *first = NULL;
    for (int i = 0; order[i] && !info->drawn; i++) {
        r = create(win, order[i], vsync && !headless, info->video);
        if (!r)
            continue;
        if (!first)
            first = order[i];
        str_copy(info->renderer, sizeof info->renderer, order[i]);
        if (display_probe(r)) {
            info->drawn = true;
            break;
        }
        size_t used = strlen(info->failed);
        snprintf(info->failed + used, sizeof info->failed - used, "%s%s", used ? ", " : "",
                 order[i]);
        SDL_DestroyRenderer(r);
        r = NULL;
    }
    /* None drew: the most preferred one, so a fault can at least be tried. */
    if (!r && first) {
        r = create(win, first, vsync && !headless, info->video);
        str_copy(info->renderer, sizeof info->renderer, first);
    }
    if (!r) {
        LOG_ERROR("display: no renderer can be created on video driver %s", info->video);
        return NULL;
    }
    log_choice(r, info);
    return r;
}

/* ui.h: the drivers are the display's first choice. */
void ui_choose_drivers(bool headless)
{
    if (headless) {
        SDL_setenv("SDL_VIDEODRIVER", "dummy", 1);
        SDL_setenv("SDL_AUDIODRIVER", "dummy", 0);
    }
}
