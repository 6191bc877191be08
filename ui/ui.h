/* ui: the port between the kiosk and the screen. It draws a KsView and turns
 * touches into KsEvents, resolving positions to target ids itself.
 * SDL appears only under ui/. One Ui per process. */
#ifndef KS_UI_H
#define KS_UI_H

#include <stddef.h>
#include <stdbool.h>

#include "../firmware/app/event.h"
#include "../firmware/app/view.h"
#include "../firmware/core/ks_status.h"

typedef struct Ui Ui;

typedef struct {
    int width, height;             /* window size; ignored when fullscreen */
    bool fullscreen;               /* fullscreen-desktop at the output's size */
    bool headless;                 /* dummy video/audio drivers, software renderer */
    double panel_w_mm, panel_h_mm; /* visible panel size, for sizing in mm */
    const char *font_regular;
    const char *font_bold;
    const char *font_arabic; /* fonts tried, in this order, for a run of text */
    const char *font_arabic_bold;
    const char *font_symbols;  /* last resort for glyphs the others lack */
    const char *icons_dir;     /* folder of the kiosk's own pictures */
    const char *picture_cache; /* folder pictures are kept in between starts
                                  (piccache.h); NULL: none */
    int picture_cache_free_mb; /* a picture is kept only while this stays free */
    int rotation;              /* 0, 90, 180, 270: the picture is turned clockwise */
    bool touch_swap_xy;        /* the panel's touch axes, before rotation */
    bool touch_flip_x, touch_flip_y;
    int long_press_ms; /* a press held this long in a corner square (UI_CORNER_MM)
                          is reported as KS_EV_LONG_PRESS; 0: never */
} UiOptions;

/* Side of the corner squares a long press counts in. */
#define UI_CORNER_MM 15

typedef struct {
    int x, y, w, h;
} UiRect;

/* A tappable thing as laid out on screen now (for scripts and `dump`). */
typedef struct {
    const char *id; /* borrowed from the view */
    const char *text;
    const char *subtext; /* the smaller second line, "" if none */
    UiRect rect;
    bool selected;
    bool enabled;
} UiTarget;

/* Chooses the drivers SDL will use: headless, the dummy video driver and
 * (unless SDL_AUDIODRIVER names one) the dummy sound driver. It changes the
 * process environment, so it runs before any other thread starts;
 * ui_create calls it again (harmless). */
void ui_choose_drivers(bool headless);
/* Opens the window and renderer and loads fonts. KS_ERR_IO with a log line
 * when SDL or a font cannot be initialised. */
KsStatus ui_create(const UiOptions *opt, Ui **out);
void ui_destroy(Ui *ui); /* accepts NULL */

/* Waits up to timeout_ms (0: no wait) for input, then collects what arrived
 * as at most max events. Returns the number of events written. */
int ui_poll(Ui *ui, KsEvent *out, int max, int timeout_ms);

/* Lays out view and makes its text blocks and pictures, the screen staying
 * as it is, so that a later frame of view is composed from what is ready:
 * the welcome page while the kiosk's data still opens, the next question
 * page while one is read. False (nothing done) while a finger is down. */
bool ui_prefetch(Ui *ui, const KsView *view);

/* Lays out the view (when it changed) and draws it if anything on screen
 * changed since the last frame. Returns true when a frame was drawn. */
bool ui_render(Ui *ui, const KsView *view);

/* Whether the renderer passed the start-up probe (it drew a pattern and
 * read it back; display.h). renderer (may be NULL) gets "<renderer> on
 * <video driver>" for a fault message. */
bool ui_display_drawn(const Ui *ui, char *renderer, size_t size);

/* True once a frame has been drawn and presented by a renderer that passed
 * the probe: what "the first frame is on the screen" means for the service
 * manager. */
bool ui_frame_shown(const Ui *ui);

/* Draws the current view and writes it as a PNG. */
KsStatus ui_screenshot(Ui *ui, const KsView *view, const char *png_path);

/* The targets of the last laid-out view; borrowed until the next ui_render. */
int ui_targets(const Ui *ui, const UiTarget **out);
/* Looks up a target by id in the current layout. */
bool ui_find_target(const Ui *ui, const char *id, UiRect *out);

/* Queues a finger tap (down then up) at logical pixel x,y, exactly as a
 * touch panel would deliver it (through the rotation and the panel wiring of
 * UiOptions); the next ui_poll reports it. */
void ui_inject_tap(Ui *ui, int x, int y);

typedef enum { UI_TOUCH_DOWN, UI_TOUCH_MOVE, UI_TOUCH_UP } UiTouchPhase;
/* Queues one finger event (down, motion or up of the one injected finger)
 * at logical pixel x,y, like ui_inject_tap. */
void ui_inject_touch(Ui *ui, UiTouchPhase phase, int x, int y);

/* Queues a key press and release: "escape", "alt+f4" or "alt+tab". Returns
 * false for any other name (nothing queued). For lockdown tests. */
bool ui_inject_key(Ui *ui, const char *name);
/* Queues what closing the window sends: SDL_WINDOWEVENT_CLOSE, SDL_QUIT. */
void ui_inject_close(Ui *ui);

/* Milliseconds until the screen wants to be drawn again by itself (the
 * attract screen's slow motion) or a held corner press becomes a long press,
 * 0 when due now, -1 when it waits for input. */
int ui_next_frame_ms(const Ui *ui);

/* Logical size in pixels: what is laid out, drawn, scripted and screenshot
 * (the output's size with width and height swapped for rotation 90 and 270). */
void ui_size(const Ui *ui, int *w, int *h);

/* What one frame drawn by ui_bench_frames cost. */
typedef struct {
    double ms;     /* wall time from the start of drawing to the return of the present */
    double cpu_ms; /* this thread's CPU time in it: far below ms when the machine ran
                      something else meanwhile */
    long faults;   /* page faults in it (memory touched for the first time) */
    long switches; /* involuntary context switches in it (the thread was preempted) */
} UiFrameTime;

/* Draws the current view n times and writes what each frame cost to
 * frames[] (for `make bench`). The text and picture caches are emptied
 * first, so frames[0] is a cold frame (layout, text and pictures made anew)
 * and the rest are repaints from the caches: a finger put down on the
 * target whose press changes the most pixels and lifted, in turn, as a tap
 * draws them. Returns that target's id; "" when the screen has none a
 * finger can press (its repaints then have nothing to draw where the
 * target keeps its pixels, and are the layer's copy elsewhere). */
const char *ui_bench_frames(Ui *ui, const KsView *view, UiFrameTime *frames, int n);

/* Touch to photon (for `make bench`): milliseconds from the last injected
 * finger lift (ui_inject_touch UI_TOUCH_UP, ui_inject_tap) to the return of
 * the present of the first frame after it that shows another view; -1 until
 * such a frame was shown (no tap yet, or a tap that changed nothing). */
double ui_touch_to_photon_ms(const Ui *ui);

/* When the first frame's present returned, in ms of CLOCK_MONOTONIC (the
 * clock every process of the machine shares, not the kiosk's own, which
 * is virtual when headless): for `make bench`, which measures start-up
 * from the moment it started the kiosk. -1 before the first frame. */
double ui_first_frame_mono_ms(const Ui *ui);

/* Text boxes of the last layout whose text did not fit (for layout checks). */
int ui_overflow_count(const Ui *ui);

#endif
