/* sdl_platform: the SDL2 implementation of the ui.h port — window and
 * renderer, event waiting, layout on view change, drawing only when
 * something changed, the screen rotation (drawn upright into a texture,
 * presented turned), kiosk lockdown (keyboard grab, no cursor), the attract
 * screen's slow float, pages drawn ahead into the caches (the welcome page
 * while the kiosk's data opens, the next question page while one is read:
 * ui_prefetch), and screenshots (the input scripts inject is
 * sdl_inject.c's). */
#include <SDL.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "../firmware/core/clock.h"
#include "../firmware/core/log.h"
#include "../firmware/core/mem.h"
#include "display.h"
#include "gfx.h"
#include "input.h"
#include "layout.h"
#include "piccache.h"
#include "picload.h"
#include "png_write.h"
#include "render.h"
#include "text.h"
#include "theme.h"
#include "turn.h"
#include "ui.h"
#include "ui_private.h"

/* Where the target keeps its pixels, a text block bigger than this (a
 * quarter of a 1280x800 screen: a page's paragraph, not a question of two
 * lines) is drawn straight rather than kept (text_keep_blocks_up_to). */
#define TEXT_BLOCK_KEPT_MAX ((size_t)1024 * 1024)

/* CLOCK_MONOTONIC in ms: SDL's performance counter may run on
 * CLOCK_MONOTONIC_RAW, which other processes do not compare with. */
static double shared_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double ms_between(Uint64 t0, Uint64 t1)
{
    return (double)(t1 - t0) * 1000.0 / (double)SDL_GetPerformanceFrequency();
}

/* What the layer must draw again for the view just laid out: the targets
 * that changed when it is the page on show with other answers, else all. */
static void invalidate_changes(Ui *ui)
{
    RenderSig now;
    render_sig_make(&ui->theme, &ui->view, &ui->layout, &now);
    SDL_Rect area;
    if (ui->have_sig && !ui->new_page && render_sig_changes(&ui->sig, &now, &area))
        render_cache_invalidate(ui->render_cache, &area); /* nothing when empty */
    else
        render_cache_invalidate(ui->render_cache, NULL);
    ui->sig = now;
    ui->have_sig = true;
}

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
        t->subtext = vt->subtext ? vt->subtext : "";
        t->rect = (UiRect){lt->rect.x, lt->rect.y, lt->rect.w, lt->rect.h};
        t->selected = vt->selected;
        t->enabled = vt->enabled;
    }
    ui->picture_base = ui->layout.picture;
    ui->anim_dy = 0;
    ui->anim_last_ms = -1;
    ui->moved = false;
    invalidate_changes(ui);
    input_relayout(&ui->input, &ui->layout, &ui->view, ui->layout_gen);
    ui->dirty = true;
}

static void drop_canvas(Ui *ui)
{
    if (ui->canvas)
        SDL_DestroyTexture(ui->canvas);
    if (ui->turned)
        SDL_DestroyTexture(ui->turned);
    free(ui->upright);
    ui->canvas = ui->turned = NULL;
    ui->upright = NULL;
}

static bool software_renderer(SDL_Renderer *r)
{
    SDL_RendererInfo info;
    return SDL_GetRendererInfo(r, &info) == 0 && (info.flags & SDL_RENDERER_SOFTWARE);
}

/* The upright frame a rotated screen is drawn into, at the logical size. */
static void make_canvas(Ui *ui)
{
    drop_canvas(ui);
    if (ui->rotation == 0)
        return;
    if (software_renderer(ui->ren)) {
        ui->turned = SDL_CreateTexture(ui->ren, SDL_PIXELFORMAT_ARGB8888,
                                       SDL_TEXTUREACCESS_STREAMING, ui->out_w, ui->out_h);
        if (ui->turned) {
            SDL_SetTextureBlendMode(ui->turned, SDL_BLENDMODE_NONE);
            ui->upright = xmalloc((size_t)ui->w * (size_t)ui->h * sizeof *ui->upright);
        }
    }
    ui->canvas = SDL_CreateTexture(ui->ren, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET,
                                   ui->w, ui->h);
    if (ui->canvas)
        SDL_SetTextureBlendMode(ui->canvas, SDL_BLENDMODE_NONE); /* a copy, not a blend */
}

static void update_map(Ui *ui)
{
    InputMap m = ui->input.map;
    SDL_GetWindowSize(ui->win, &m.win_w, &m.win_h);
    ui->input.map = m;
}

static void resize(Ui *ui)
{
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(ui->ren, &w, &h);
    if (w <= 0 || h <= 0)
        return;
    bool turned = ui->rotation == 90 || ui->rotation == 270;
    ui->out_w = w;
    ui->out_h = h;
    ui->w = turned ? h : w;
    ui->h = turned ? w : h;
    make_canvas(ui);
    if (ui->rotation != 0 && !ui->canvas) {
        /* Better an upright screen that works than a turned one that cannot
         * be drawn: picture and touches stay unrotated together. */
        LOG_ERROR("rotation %d: no render target (%s); showing the screen unrotated", ui->rotation,
                  SDL_GetError());
        drop_canvas(ui);
        ui->rotation = 0;
        ui->input.map.rotation = 0;
        ui->w = w;
        ui->h = h;
    }
    update_map(ui);
    w = ui->w;
    h = ui->h;
    theme_init(&ui->theme, w, h, ui->panel_w_mm, ui->panel_h_mm);
    ui->input.map.corner_px = theme_mm(&ui->theme, UI_CORNER_MM);
    if (ui->have_view)
        relayout(ui);
}

/* The welcome picture is read on a thread of its own while the renderer is
 * probed and the kiosk's data opens (render_read_welcome_ahead); pictures
 * are kept in the picture cache from here on. */
static void read_welcome_ahead(Ui *ui, const UiOptions *opt)
{
    piccache_set_dir(opt->picture_cache, PICCACHE_BYTES_MAX,
                     (uint64_t)opt->picture_cache_free_mb * 1024 * 1024);
    int w = 0, h = 0;
    SDL_GetWindowSizeInPixels(ui->win, &w, &h);
    bool turned = ui->rotation == 90 || ui->rotation == 270;
    render_read_welcome_ahead(ui->icons_dir, turned ? h : w, turned ? w : h, ui->panel_w_mm,
                              ui->panel_h_mm);
}

KsStatus ui_create(const UiOptions *opt, Ui **out)
{
    *out = NULL;
    ui_choose_drivers(opt->headless);
    /* A desktop touchscreen sends each tap twice (touch + mouse); input.c
     * takes the finger events and ignores the synthetic mouse ones. */
    SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0");
    SDL_SetHint(SDL_HINT_MOUSE_TOUCH_EVENTS, "0");
    SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "0");
    /* SIGTERM and SIGINT belong to firmware/sys/stop.c, in every mode: they
     * never become an SDL_QUIT (which kiosk mode ignores). */
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    if (opt->fullscreen) {
        /* Kiosk mode: Alt+Tab, Alt+F4 and the like go to us, not to a window
         * manager. */
        SDL_SetHint(SDL_HINT_GRAB_KEYBOARD, "1");
    }
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        LOG_ERROR("SDL_Init: %s", SDL_GetError());
        return KS_ERR_IO;
    }
    Ui *ui = xcalloc(1, sizeof *ui);
    ui->rotation =
        opt->rotation == 90 || opt->rotation == 180 || opt->rotation == 270 ? opt->rotation : 0;
    ui->fullscreen = opt->fullscreen;
    const char *video = SDL_GetCurrentVideoDriver();
    InputMap map = {.rotation = ui->rotation,
                    .swap_xy = opt->touch_swap_xy,
                    .flip_x = opt->touch_flip_x,
                    .flip_y = opt->touch_flip_y,
                    .evdev_mouse = video && SDL_strcasecmp(video, "KMSDRM") == 0};
    input_init(&ui->input, &map);
    ui->panel_w_mm = opt->panel_w_mm;
    ui->panel_h_mm = opt->panel_h_mm;
    ui->long_press_ms = opt->long_press_ms;
    snprintf(ui->icons_dir, sizeof ui->icons_dir, "%s", opt->icons_dir);
    Uint32 flags = SDL_WINDOW_ALLOW_HIGHDPI;
    if (opt->fullscreen)
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    ui->win = SDL_CreateWindow("km2kiosk", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                               opt->width, opt->height, flags);
    if (!ui->win) {
        LOG_ERROR("SDL_CreateWindow: %s", SDL_GetError());
        goto cleanup;
    }
    if (opt->fullscreen)
        SDL_SetWindowKeyboardGrab(ui->win, SDL_TRUE);
    read_welcome_ahead(ui, opt);
    /* The renderer is chosen for the video driver and has to draw a probe
     * it reads back before the kiosk relies on it (display.c). */
    ui->ren = display_open(ui->win, opt->headless, true, &ui->display);
    if (!ui->ren)
        goto cleanup;
    SDL_SetRenderDrawBlendMode(ui->ren, SDL_BLENDMODE_BLEND);
    /* No pointer on a kiosk or on any touch screen. */
    if (opt->fullscreen || SDL_GetNumTouchDevices() > 0) {
        SDL_ShowCursor(SDL_DISABLE);
        ui->cursor_hidden = true;
    }
    ui->text =
        text_create(ui->ren, &(TextFonts){opt->font_regular, opt->font_bold, opt->font_arabic,
                                          opt->font_arabic_bold, opt->font_symbols, NULL});
    if (!ui->text)
        goto cleanup;
    ui->pictures = pictures_create(ui->ren);
    ui->render_cache = render_cache_create();
    /* SDL's software renderer draws into the window's own surface (or the
     * canvas of a turned screen), which keeps its pixels between frames:
     * that is the layer, and a frame draws only what changed. */
    bool kept = software_renderer(ui->ren);
    render_cache_keep_target(ui->render_cache, kept);
    /* There a page's paragraph is drawn once, so it need not be kept. */
    text_keep_blocks_up_to(ui->text, kept ? TEXT_BLOCK_KEPT_MAX : 0);
    ui->inject_touch = 4242;
    ui->lift_to_photon_ms = -1;
    ui->first_frame_mono_ms = -1;
    resize(ui);
    *out = ui;
    return KS_OK;
cleanup:
    ui_destroy(ui);
    return KS_ERR_IO;
}

void ui_destroy(Ui *ui)
{
    if (!ui)
        return;
    picload_quit(); /* a picture still read ahead included */
    render_cache_destroy(ui->render_cache);
    pictures_destroy(ui->pictures);
    text_destroy(ui->text);
    drop_canvas(ui);
    if (ui->ren)
        SDL_DestroyRenderer(ui->ren);
    if (ui->win)
        SDL_DestroyWindow(ui->win);
    free(ui);
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
    case SDL_KEYDOWN:
        /* Escape asks to quit like closing the window: run.c honours it only
         * in windowed (developer) mode. Every other key, Alt+F4 and Alt+Tab
         * included, does nothing here. */
        if (e->key.keysym.sym != SDLK_ESCAPE || e->key.repeat || max < 1)
            return 0;
        memset(out, 0, sizeof *out);
        out->type = KS_EV_QUIT;
        return 1;
    case SDL_WINDOWEVENT:
        /* SDL_WINDOWEVENT_CLOSE of the only window is followed by SDL_QUIT;
         * that one is reported (and ignored in kiosk mode). */
        if (e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED)
            resize(ui);
        else if (e->window.event == SDL_WINDOWEVENT_EXPOSED)
            ui->dirty = true;
        return 0;
    case SDL_RENDER_DEVICE_RESET:
        resize(ui); /* the canvas texture is gone with the device */
        /* fall through */
    case SDL_RENDER_TARGETS_RESET:
        text_flush(ui->text);
        pictures_flush(ui->pictures);
        render_cache_flush(ui->render_cache);
        ui->dirty = true;
        return 0;
    default: {
        if (!ui->cursor_hidden && (e->type == SDL_FINGERDOWN || e->type == SDL_FINGERMOTION)) {
            /* a touch panel that appeared after start-up */
            SDL_ShowCursor(SDL_DISABLE);
            ui->cursor_hidden = true;
        }
        if (!ui->have_view)
            return 0;
        bool redraw = false;
        int n =
            input_handle(&ui->input, e, &ui->layout, &ui->view, ui->layout_gen, out, max, &redraw);
        if (redraw)
            ui->dirty = true;
        return n;
    }
    }
}

/* Without a blocking wait in the video driver (dummy; KMSDRM in SDL 2.26)
 * SDL_WaitEventTimeout wakes every ms. Instead, poll and sleep: a press is
 * seen within 16 ms; on the welcome screen, up for hours with nobody there,
 * within 50 ms (20 wakes a second, not 60: each costs 80-200 us). */
#define POLL_SLEEP_MS 16
#define POLL_WELCOME_MS 50
/* While a finger is on the screen the loop looks every 2 ms: the lift that
 * makes a tap is then seen at once (a tap lasts 50 ms or more, so the
 * press itself is the only event that may wait up to a frame), and the
 * frame showing its effect follows within milliseconds. */
#define POLL_TOUCH_MS 2

static void prepare_layer(Ui *ui);

static bool animating(const Ui *ui)
{
    return ui->have_view && ui->view.screen == KS_SCREEN_ATTRACT && ui->picture_base.w > 0;
}

int ui_poll(Ui *ui, KsEvent *out, int max, int timeout_ms)
{
    SDL_Event e;
    int n = 0;
    Uint64 start = SDL_GetTicks64();
    for (;;) {
        bool any = false;
        /* Keep room for everything one SDL event can produce; the rest waits
         * in SDL's queue for the next call. */
        int room = max < INPUT_EVENTS_PER_SDL ? 1 : INPUT_EVENTS_PER_SDL;
        while (max - n >= room && SDL_PollEvent(&e)) {
            any = true;
            n += translate(ui, &e, out + n, max - n);
        }
        /* A finger held in a corner produces no SDL events: the time
         * alone makes it a long press. */
        if (n < max && ui->have_view)
            n += input_long_press(&ui->input, clock_mono_ms(), ui->long_press_ms, ui->w, ui->h,
                                  out + n);
        if (n > 0)
            any = true;
        Uint64 waited = SDL_GetTicks64() - start;
        if (any || timeout_ms <= 0 || waited >= (Uint64)timeout_ms)
            return n;
        prepare_layer(ui);
        Uint64 left = (Uint64)timeout_ms - waited;
        Uint64 step = ui->input.down  ? POLL_TOUCH_MS
                      : animating(ui) ? POLL_WELCOME_MS
                                      : POLL_SLEEP_MS;
        SDL_Delay((Uint32)(left < step ? left : step));
    }
}

static void sync_view(Ui *ui, const KsView *view)
{
    if (ui->have_view && view->generation == ui->view.generation)
        return;
    char page[sizeof ui->page];
    snprintf(page, sizeof page, "%d|%s|%s|%s", (int)view->screen,
             view->form_id ? view->form_id : "", view->question ? view->question : "",
             view->lang ? view->lang : "");
    if (strcmp(page, ui->page) != 0) {
        memcpy(ui->page, page, sizeof page);
        ui->new_page = true;
    }
    ui->view = *view;
    ui->have_view = true;
    relayout(ui);
}

/* The attract picture floats slowly up and down. Worked out at most every
 * ANIM_STEP_MS and drawn only when its whole-pixel offset changed: about
 * one frame a second (a few px), drawn straight where it moved. */
#define ANIM_STEP_MS 1000
#define ANIM_PERIOD_MS 10000

static RenderCtx render_ctx(Ui *ui)
{
    return (RenderCtx){ui->ren,      &ui->theme,    ui->text,
                       ui->pictures, ui->icons_dir, ui->render_cache};
}

/* While the kiosk waits for input: the retained layer of the view on show
 * (render_layer_prepare), in the format of the target draw() uses. */
static void prepare_layer(Ui *ui)
{
    if (!ui->have_view)
        return;
    if (ui->canvas)
        SDL_SetRenderTarget(ui->ren, ui->canvas);
    RenderCtx c = render_ctx(ui);
    render_layer_prepare(&c, &ui->view, &ui->layout);
    if (ui->canvas)
        SDL_SetRenderTarget(ui->ren, NULL);
}

static void animate(Ui *ui)
{
    if (!animating(ui))
        return;
    int64_t now = clock_mono_ms();
    if (ui->anim_last_ms >= 0 && now - ui->anim_last_ms < ANIM_STEP_MS)
        return;
    ui->anim_last_ms = now;
    int amp = ui->h / 130 + 2;
    double phase = (double)(now % ANIM_PERIOD_MS) / ANIM_PERIOD_MS;
    int dy = (int)lround(amp * sin(phase * 2.0 * 3.14159265358979323846));
    if (dy != ui->anim_dy) {
        RenderCtx c = render_ctx(ui);
        SDL_Rect from = render_picture_area(&c, &ui->layout), to, area;
        if (!ui->moved)
            ui->moved_from = from;
        ui->anim_dy = dy;
        ui->moved = true;
        ui->layout.picture.y = ui->picture_base.y + dy;
        /* Drawn straight where the picture was and is (draw_moved). */
        to = render_picture_area(&c, &ui->layout);
        SDL_UnionRect(&from, &to, &area);
        render_cache_lag(ui->render_cache, &area);
    }
    ui->layout.picture.y = ui->picture_base.y + ui->anim_dy;
}

int ui_next_frame_ms(const Ui *ui)
{
    int64_t hold =
        input_long_press_wait(&ui->input, clock_mono_ms(), ui->long_press_ms, ui->w, ui->h);
    if (hold >= 0 && (!animating(ui) || ui->anim_last_ms < 0 ||
                      hold < ui->anim_last_ms + ANIM_STEP_MS - clock_mono_ms()))
        return (int)hold;
    if (!animating(ui))
        return -1;
    if (ui->anim_last_ms < 0)
        return 0;
    int64_t left = ui->anim_last_ms + ANIM_STEP_MS - clock_mono_ms();
    return left < 0 ? 0 : (int)left;
}

/* Draws the frame with target `pressed` (a layout index, or -1) under a
 * finger; with clip, only the pixels inside it, straight (the rest of the
 * target keeps what it shows, the layer catches up later). */
static void draw_pressed(Ui *ui, const SDL_Rect *clip, int pressed)
{
    if (ui->canvas)
        SDL_SetRenderTarget(ui->ren, ui->canvas);
    if (clip)
        SDL_RenderSetClipRect(ui->ren, clip);
    RenderCtx c = render_ctx(ui);
    bool new_page = ui->new_page;
    if (new_page) {
        /* What the last page drew and this one does not goes after this
         * frame (the layer keeps its texture: relayout made it stale). */
        text_screen_begin(ui->text);
        pictures_screen_begin(ui->pictures);
    }
    ui->overflow = clip ? render_straight(&c, &ui->view, &ui->layout, pressed)
                        : render_frame(&c, &ui->view, &ui->layout, pressed);
    if (new_page) {
        text_screen_end(ui->text);
        pictures_screen_end(ui->pictures);
        ui->new_page = false;
    }
    if (clip)
        SDL_RenderSetClipRect(ui->ren, NULL);
}

/* The frame as it is now: with the target under a finger pressed. */
static void draw(Ui *ui, const SDL_Rect *clip)
{
    draw_pressed(ui, clip,
                 ui->input.down && ui->input.layout_gen == ui->layout_gen ? ui->input.target : -1);
}

/* When only the attract picture moved: its old and new place are drawn
 * again and the rest of the frame stays. The software renderer keeps the
 * last frame in its surface (a GPU's back buffer is undefined after a
 * present); the layer composes that place when it is next copied
 * (animate() marked it). False: draw it all. */
static bool draw_moved(Ui *ui)
{
    if (ui->dirty || !ui->moved || ui->frames == 0 || !software_renderer(ui->ren))
        return false;
    RenderCtx c = render_ctx(ui);
    SDL_Rect now = render_picture_area(&c, &ui->layout), area;
    SDL_UnionRect(&ui->moved_from, &now, &area);
    draw(ui, &area);
    return true;
}

/* Software renderer: read the canvas back and turn it by hand. False when
 * that failed (the caller falls back to SDL_RenderCopyEx). */
static bool present_turned(Ui *ui)
{
    void *pixels;
    int pitch;
    if (SDL_RenderReadPixels(ui->ren, NULL, SDL_PIXELFORMAT_ARGB8888, ui->upright,
                             ui->w * (int)sizeof *ui->upright) != 0 ||
        SDL_LockTexture(ui->turned, NULL, &pixels, &pitch) != 0)
        return false;
    turn_pixels(ui->upright, ui->w, ui->h, ui->rotation, pixels, pitch);
    SDL_UnlockTexture(ui->turned);
    SDL_SetRenderTarget(ui->ren, NULL);
    SDL_RenderCopy(ui->ren, ui->turned, NULL, NULL);
    return true;
}

/* Shows the frame draw() made: with rotation, the upright canvas turned onto
 * the output about its centre. */
static void present(Ui *ui)
{
    if (ui->canvas && ui->turned && present_turned(ui)) {
        /* done by hand */
    } else if (ui->canvas) {
        SDL_SetRenderTarget(ui->ren, NULL);
        SDL_SetRenderDrawColor(ui->ren, 0, 0, 0, 255);
        SDL_RenderClear(ui->ren);
        SDL_Rect dst = {(ui->out_w - ui->w) / 2, (ui->out_h - ui->h) / 2, ui->w, ui->h};
        SDL_RenderCopyEx(ui->ren, ui->canvas, NULL, &dst, (double)ui->rotation, NULL,
                         SDL_FLIP_NONE);
    }
    SDL_RenderPresent(ui->ren);
}

/* The first frame is read back before it is shown: a renderer that passed
 * the probe but leaves the real frame empty is a display fault too. A dark
 * screen (display sleep) is empty by design and proves nothing. */
static void check_first_frame(Ui *ui)
{
    if (ui->frames > 0 || !ui->display.drawn || ui->view.screen == KS_SCREEN_SLEEP)
        return;
    /* w x h: the canvas when the screen is turned, else the output. */
    if (!display_frame_blank(ui->ren, ui->w, ui->h, ui->theme.bg))
        return;
    ui->display.drawn = false;
    LOG_ERROR("display: the first frame read back is the clear colour only (renderer %s on %s)",
              ui->display.renderer, ui->display.video);
}

bool ui_prefetch(Ui *ui, const KsView *view)
{
    if (ui->input.down)
        return false;
    Layout *l = xcalloc(1, sizeof *l);
    layout_compute(l, view, &ui->theme, ui->w, ui->h);
    /* Drawn with nothing let through: the text blocks and pictures are
     * made, not a pixel of the frame on show changes. The target is the
     * one draw() uses, so pictures are laid for its format. */
    if (ui->canvas)
        SDL_SetRenderTarget(ui->ren, ui->canvas);
    SDL_RenderSetClipRect(ui->ren, &(SDL_Rect){0, 0, 0, 0});
    RenderCtx c = render_ctx(ui);
    c.cache = NULL; /* straight: the layer keeps the page on show */
    render_frame(&c, view, l, -1);
    SDL_RenderSetClipRect(ui->ren, NULL);
    if (ui->canvas)
        SDL_SetRenderTarget(ui->ren, NULL);
    free(l);
    return true;
}

bool ui_render(Ui *ui, const KsView *view)
{
    sync_view(ui, view);
    animate(ui);
    if (!ui->dirty && !ui->moved)
        return false;
    bool new_page = ui->new_page;
    if (!draw_moved(ui))
        draw(ui, NULL);
    check_first_frame(ui);
    present(ui);
    if (ui->frames == 0)
        ui->first_frame_mono_ms = shared_mono_ms();
    if (ui->lift_waiting && ui->view.generation != ui->lift_gen) {
        ui->lift_to_photon_ms = ms_between(ui->lift_at, SDL_GetPerformanceCounter());
        ui->lift_waiting = false;
    }
    /* Once the new page is shown: what the last one held (its blocks,
     * pictures and fonts, dropped by its first frame) goes back to the
     * system. */
    if (new_page)
        mem_release_free();
    ui->dirty = false;
    ui->moved = false;
    ui->frames++;
    return true;
}

double ui_first_frame_mono_ms(const Ui *ui)
{
    return ui->first_frame_mono_ms;
}

double ui_touch_to_photon_ms(const Ui *ui)
{
    return ui->lift_to_photon_ms;
}

bool ui_display_drawn(const Ui *ui, char *renderer, size_t size)
{
    if (renderer && size > 0)
        snprintf(renderer, size, "%s on %s", ui->display.renderer, ui->display.video);
    return ui->display.drawn;
}

bool ui_frame_shown(const Ui *ui)
{
    return ui->frames > 0 && ui->display.drawn;
}

/* The frame shown is still in the software renderer's window (a GL back
 * buffer is undefined after a swap), nothing changed, no canvas turned. */
static bool frame_kept(const Ui *ui)
{
    return ui->frames > 0 && !ui->dirty && !ui->moved && !ui->canvas && software_renderer(ui->ren);
}

KsStatus ui_screenshot(Ui *ui, const KsView *view, const char *png_path)
{
    sync_view(ui, view);
    animate(ui);
    bool kept = frame_kept(ui);
    if (!kept)
        draw(ui, NULL);
    KsStatus ks = KS_OK;
    char err[128] = "";
    int pitch = ui->w * 3;
    unsigned char *px = malloc((size_t)pitch * (size_t)ui->h);
    if (!px || SDL_RenderReadPixels(ui->ren, NULL, SDL_PIXELFORMAT_RGB24, px, pitch) != 0) {
        LOG_ERROR("screenshot %s failed: %s", png_path, px ? SDL_GetError() : "out of memory");
        ks = KS_ERR_IO;
    } else if (!png_write_rgb(png_path, px, ui->w, ui->h, err, sizeof err)) {
        LOG_ERROR("screenshot %s failed: %s", png_path, err);
        ks = KS_ERR_IO;
    }
    free(px);
    if (!kept)
        present(ui);
    ui->dirty = false;
    ui->moved = false;
    return ks;
}

/* This thread's CPU time, page faults and involuntary context switches so
 * far (Linux: RUSAGE_THREAD). */
static UiFrameTime thread_usage(void)
{
    struct timespec ts = {0, 0};
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    getrusage(RUSAGE_THREAD, &ru);
    return (UiFrameTime){.cpu_ms = (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6,
                         .faults = ru.ru_minflt + ru.ru_majflt,
                         .switches = ru.ru_nivcsw};
}

/* The layout index of the enabled target whose press changes the most
 * pixels of the screen, or -1. */
static int largest_target(Ui *ui)
{
    RenderCtx c = render_ctx(ui);
    int best = -1;
    long best_area = 0;
    for (int i = 0; i < ui->layout.n; i++) {
        SDL_Rect r = render_press_area(&c, &ui->view, &ui->layout, i);
        long area = (long)r.w * r.h;
        if (ui->view.targets[ui->layout.targets[i].view_index].enabled && area > best_area) {
            best = i;
            best_area = area;
        }
    }
    return best;
}

const char *ui_bench_frames(Ui *ui, const KsView *view, UiFrameTime *frames, int n)
{
    sync_view(ui, view);
    text_flush(ui->text);
    pictures_flush(ui->pictures);
    render_cache_flush(ui->render_cache);
    int target = -1;
    for (int i = 0; i < n; i++) {
        /* The usage is read outside the timed span. */
        UiFrameTime a = thread_usage();
        Uint64 t0 = SDL_GetPerformanceCounter();
        if (i == 0)
            relayout(ui);
        /* After the cold frame: a finger put down on the largest target and
         * lifted, in turn, the frames a tap draws on the screen. */
        draw_pressed(ui, NULL, i % 2 ? target : -1);
        present(ui);
        Uint64 t1 = SDL_GetPerformanceCounter();
        UiFrameTime b = thread_usage();
        frames[i] = (UiFrameTime){.ms = ms_between(t0, t1),
                                  .cpu_ms = b.cpu_ms - a.cpu_ms,
                                  .faults = b.faults - a.faults,
                                  .switches = b.switches - a.switches};
        if (i == 0) {
            prepare_layer(ui); /* as the loop does when it waits, untimed */
            target = largest_target(ui);
        }
    }
    ui->dirty = false;
    ui->moved = false;
    return target >= 0 ? ui->view.targets[ui->layout.targets[target].view_index].id : "";
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

void ui_size(const Ui *ui, int *w, int *h)
{
    *w = ui->w;
    *h = ui->h;
}

int ui_overflow_count(const Ui *ui)
{
    return ui->overflow;
}
