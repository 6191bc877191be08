/* sdl_platform: the SDL2 implementation of the ui.h port — window and
 * renderer, event waiting, layout on view change, drawing only when
 * something changed, screenshots and injected touches for scripts. */
#include <SDL.h>
#include <SDL_image.h>
#include <string.h>

#include "../firmware/core/log.h"
#include "../firmware/core/mem.h"
#include "gfx.h"
#include "input.h"
#include "layout.h"
#include "render.h"
#include "text.h"
#include "theme.h"
#include "ui.h"

struct Ui {
    SDL_Window *win;
    SDL_Renderer *ren;
    int w, h;
    Theme theme;
    Text *text;
    Pictures *pictures;
    char icons_dir[512];
    double panel_w_mm, panel_h_mm;

    Layout layout;
    KsView view;            /* copy of the view the layout was built from */
    bool have_view;
    unsigned layout_gen;
    UiTarget targets[KS_VIEW_MAX_TARGETS];
    int n_targets;

    InputState input;
    bool dirty;             /* something on screen changed since the last frame */
    int overflow;
    SDL_TouchID inject_touch;
};

static void relayout(Ui *ui)
{
    layout_compute(&ui->layout, &ui->view, &ui->theme, ui->w, ui->h);
    ui->layout_gen++;
    ui->n_targets = 0;
    for (int i = 0; i < ui->layout.n; i++) {
        const LayoutTarget *lt = &ui->layout.targets[i];
        const KsViewTarget *vt = &ui->view.targets[lt->view_index];
        UiTarget *t = &ui->targets[ui->n_targets++];
        t->id = vt->id;
        t->text = vt->text ? vt->text : "";
        t->rect = (UiRect){lt->rect.x, lt->rect.y, lt->rect.w, lt->rect.h};
        t->selected = vt->selected;
        t->enabled = vt->enabled;
    }
    input_reset(&ui->input);
    ui->dirty = true;
}

static void resize(Ui *ui)
{
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(ui->ren, &w, &h);
    if (w <= 0 || h <= 0)
        return;
    ui->w = w;
    ui->h = h;
    theme_init(&ui->theme, w, h, ui->panel_w_mm, ui->panel_h_mm);
    if (ui->have_view)
        relayout(ui);
}

KsStatus ui_create(const UiOptions *opt, Ui **out)
{
    *out = NULL;
    if (opt->headless) {
        SDL_setenv("SDL_VIDEODRIVER", "dummy", 1);
        SDL_setenv("SDL_AUDIODRIVER", "dummy", 0);
    }
    /* A desktop touchscreen sends each tap twice (touch + mouse); input.c
     * takes the finger events and ignores the synthetic mouse ones. */
    SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0");
    SDL_SetHint(SDL_HINT_MOUSE_TOUCH_EVENTS, "0");
    SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "0");
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        LOG_ERROR("SDL_Init: %s", SDL_GetError());
        return KS_ERR_IO;
    }
    Ui *ui = xcalloc(1, sizeof *ui);
    ui->panel_w_mm = opt->panel_w_mm;
    ui->panel_h_mm = opt->panel_h_mm;
    snprintf(ui->icons_dir, sizeof ui->icons_dir, "%s", opt->icons_dir);
    Uint32 flags = SDL_WINDOW_ALLOW_HIGHDPI;
    if (opt->fullscreen)
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    ui->win = SDL_CreateWindow("km2kiosk", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                               opt->width, opt->height, flags);
    if (!ui->win) {
        LOG_ERROR("SDL_CreateWindow: %s", SDL_GetError());
        goto fail;
    }
    Uint32 rflags = SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC;
    if (opt->headless) {
        rflags = SDL_RENDERER_SOFTWARE;
    }
    /* Under X11 the software renderer is silently backed by OpenGL unless
     * framebuffer acceleration is off (DESIGN.md §4). */
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    ui->ren = SDL_CreateRenderer(ui->win, -1, rflags);
    if (!ui->ren && !opt->headless)
        ui->ren = SDL_CreateRenderer(ui->win, -1, SDL_RENDERER_SOFTWARE);
    if (!ui->ren) {
        LOG_ERROR("SDL_CreateRenderer: %s", SDL_GetError());
        goto fail;
    }
    SDL_SetRenderDrawBlendMode(ui->ren, SDL_BLENDMODE_BLEND);
    if (opt->fullscreen)
        SDL_ShowCursor(SDL_DISABLE);
    ui->text = text_create(ui->ren, opt->font_regular, opt->font_bold);
    if (!ui->text)
        goto fail;
    ui->pictures = pictures_create(ui->ren);
    input_reset(&ui->input);
    ui->inject_touch = 4242;
    resize(ui);
    *out = ui;
    return KS_OK;
fail:
    ui_destroy(ui);
    return KS_ERR_IO;
}

void ui_destroy(Ui *ui)
{
    if (!ui)
        return;
    pictures_destroy(ui->pictures);
    text_destroy(ui->text);
    if (ui->ren)
        SDL_DestroyRenderer(ui->ren);
    if (ui->win)
        SDL_DestroyWindow(ui->win);
    free(ui);
    IMG_Quit();
    SDL_Quit();
}

static int translate(Ui *ui, const SDL_Event *e, KsEvent *out, int max)
{
    switch (e->type) {
    case SDL_QUIT:
        if (max < 1)
            return 0;
        memset(out, 0, sizeof *out);
        out->type = KS_EV_QUIT;
        return 1;
    case SDL_WINDOWEVENT:
        if (e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED)
            resize(ui);
        else if (e->window.event == SDL_WINDOWEVENT_EXPOSED)
            ui->dirty = true;
        return 0;
    case SDL_RENDER_TARGETS_RESET:
    case SDL_RENDER_DEVICE_RESET:
        text_flush(ui->text);
        pictures_flush(ui->pictures);
        ui->dirty = true;
        return 0;
    default: {
        if (!ui->have_view)
            return 0;
        bool redraw = false;
        int n = input_handle(&ui->input, e, &ui->layout, &ui->view, ui->layout_gen, out, max,
                             &redraw);
        if (redraw)
            ui->dirty = true;
        return n;
    }
    }
}

/* Video drivers without a blocking wait (dummy, and KMSDRM on the Pi in SDL
 * 2.26) make SDL_WaitEventTimeout wake every millisecond. Instead, poll and
 * then sleep a frame's time: an idle kiosk wakes ~60 times a second, a tap
 * is seen within 16 ms. */
#define POLL_SLEEP_MS 16

int ui_poll(Ui *ui, KsEvent *out, int max, int timeout_ms)
{
    SDL_Event e;
    int n = 0;
    Uint64 start = SDL_GetTicks64();
    for (;;) {
        bool any = false;
        while (n < max && SDL_PollEvent(&e)) {
            any = true;
            n += translate(ui, &e, out + n, max - n);
        }
        Uint64 waited = SDL_GetTicks64() - start;
        if (any || timeout_ms <= 0 || waited >= (Uint64)timeout_ms)
            return n;
        Uint64 left = (Uint64)timeout_ms - waited;
        SDL_Delay((Uint32)(left < POLL_SLEEP_MS ? left : POLL_SLEEP_MS));
    }
}

static void sync_view(Ui *ui, const KsView *view)
{
    if (ui->have_view && view->generation == ui->view.generation)
        return;
    ui->view = *view;
    ui->have_view = true;
    relayout(ui);
}

static void draw(Ui *ui)
{
    RenderCtx c = {ui->ren, &ui->theme, ui->text, ui->pictures, ui->icons_dir};
    int pressed = ui->input.down && ui->input.layout_gen == ui->layout_gen ? ui->input.target : -1;
    ui->overflow = render_frame(&c, &ui->view, &ui->layout, pressed);
}

bool ui_render(Ui *ui, const KsView *view)
{
    sync_view(ui, view);
    if (!ui->dirty)
        return false;
    draw(ui);
    SDL_RenderPresent(ui->ren);
    ui->dirty = false;
    return true;
}

KsStatus ui_screenshot(Ui *ui, const KsView *view, const char *png_path)
{
    sync_view(ui, view);
    draw(ui);
    KsStatus st = KS_OK;
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, ui->w, ui->h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!s || SDL_RenderReadPixels(ui->ren, NULL, SDL_PIXELFORMAT_ARGB8888, s->pixels, s->pitch) != 0 ||
        IMG_SavePNG(s, png_path) != 0) {
        LOG_ERROR("screenshot %s failed: %s", png_path, SDL_GetError());
        st = KS_ERR_IO;
    }
    SDL_FreeSurface(s);
    SDL_RenderPresent(ui->ren);
    ui->dirty = false;
    return st;
}

void ui_bench_frames(Ui *ui, const KsView *view, double *times, int n)
{
    sync_view(ui, view);
    text_flush(ui->text);
    pictures_flush(ui->pictures);
    for (int i = 0; i < n; i++) {
        Uint64 t0 = SDL_GetPerformanceCounter();
        if (i == 0)
            relayout(ui);
        draw(ui);
        SDL_RenderPresent(ui->ren);
        times[i] = (double)(SDL_GetPerformanceCounter() - t0) * 1000.0 /
                   (double)SDL_GetPerformanceFrequency();
    }
    ui->dirty = false;
}

int ui_targets(const Ui *ui, const UiTarget **out)
{
    *out = ui->targets;
    return ui->n_targets;
}

bool ui_find_target(const Ui *ui, const char *id, UiRect *out)
{
    for (int i = 0; i < ui->n_targets; i++) {
        if (strcmp(ui->targets[i].id, id) == 0) {
            *out = ui->targets[i].rect;
            return true;
        }
    }
    return false;
}

void ui_inject_tap(Ui *ui, int x, int y)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.tfinger.touchId = ui->inject_touch;
    e.tfinger.fingerId = 1;
    e.tfinger.x = ui->w > 0 ? ((float)x + 0.5f) / (float)ui->w : 0;
    e.tfinger.y = ui->h > 0 ? ((float)y + 0.5f) / (float)ui->h : 0;
    e.tfinger.pressure = 1.0f;
    e.type = SDL_FINGERDOWN;
    e.tfinger.timestamp = SDL_GetTicks();
    SDL_PushEvent(&e);
    e.type = SDL_FINGERUP;
    SDL_PushEvent(&e);
}

void ui_size(const Ui *ui, int *w, int *h)
{
    *w = ui->w;
    *h = ui->h;
}

int ui_overflow_count(const Ui *ui)
{
    return ui->overflow;
}
