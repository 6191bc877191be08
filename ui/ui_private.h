/* ui_private: the Ui's state, shared by the files that make up the SDL
 * platform (sdl_platform.c, which owns it, and sdl_inject.c). Nothing
 * outside ui/ sees it. */
#ifndef KS_UI_PRIVATE_H
#define KS_UI_PRIVATE_H

#include <stdint.h>
#include <SDL.h>
#include <stdbool.h>

#include "display.h"
#include "input.h"
#include "layout.h"
#include "render.h"
#include "text.h"
#include "theme.h"
#include "ui.h"

struct Ui {
    SDL_Window *win;
    SDL_Renderer *ren;
    int w, h;            /* logical size: what is laid out, drawn and scripted */
    int out_w, out_h;    /* the output's size; w,h swapped for 90 and 270 */
    int rotation;        /* 0, 90, 180, 270 clockwise */
    SDL_Texture *canvas; /* upright frame when rotated; NULL for rotation 0 */
    /* The software renderer turns a texture slowly (~18 ms at 1280x800):
     * there the frame is read back and turned by turn_pixels() into a
     * streaming texture of the output's size instead. */
    SDL_Texture *turned;
    Uint32 *upright; /* the canvas read back, w*h pixels */
    bool fullscreen;
    bool cursor_hidden;
    SDL_Rect picture_base; /* the attract picture where the layout put it */
    int anim_dy;           /* its float offset drawn now */
    bool moved;            /* it moved since the last frame (dirty: much more changed) */
    SDL_Rect moved_from;   /* where it was drawn in the last frame */
    int64_t anim_last_ms;  /* when the float offset was last worked out */
    Theme theme;
    Text *text;
    Pictures *pictures;
    RenderCache *render_cache;
    RenderSig sig; /* the view on show, as numbers (render_sig_make) */
    bool have_sig; /* sig is the laid-out view's */
    char icons_dir[512];
    double panel_w_mm, panel_h_mm;

    Layout layout;
    KsView view; /* copy of the view the layout was built from */
    bool have_view;
    char page[160]; /* which page the view is: screen, form, question, language */
    bool new_page;  /* the page changed: its first frame empties the caches of the last */
    unsigned layout_gen;
    UiTarget targets[KS_VIEW_MAX_TARGETS];
    int n_targets;

    InputState input;
    bool dirty; /* something on screen changed since the last frame */
    int overflow;
    SDL_TouchID inject_touch;
    int long_press_ms;   /* a corner press held this long is a KS_EV_LONG_PRESS */
    DisplayInfo display; /* the renderer in use and whether its probe drew */
    unsigned frames;     /* frames drawn and presented */
    /* Touch to photon: when the last injected finger was lifted, the view
     * on screen then, and the time to the first frame of another view. */
    Uint64 lift_at;
    unsigned lift_gen;
    bool lift_waiting;
    double lift_to_photon_ms;
    double first_frame_mono_ms; /* CLOCK_MONOTONIC at the first present, -1 before */
};

#endif
