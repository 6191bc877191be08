/* display: which SDL renderer the kiosk draws with, chosen for the video
 * driver in use, and the start-up probe that proves it really draws. It
 * owns the choice and the probe, nothing of the frame itself (that is
 * sdl_platform's and render's). */
#ifndef KS_DISPLAY_H
#define KS_DISPLAY_H

#include <SDL.h>
#include <stdbool.h>

typedef struct {
    char video[32];    /* SDL's video driver: KMSDRM, x11, wayland, dummy */
    char renderer[32]; /* the renderer picked, e.g. opengles2 */
    bool drawn;        /* the probe read back what it drew */
    char failed[128];  /* renderers tried first whose probe failed, comma-separated */
} DisplayInfo;

/* Creates the renderer for win: on KMSDRM the GLES2 renderer (then the
 * desktop-GL one, never the software renderer: without a GL renderer
 * underneath it cannot put a frame on a KMS display), on X11 the
 * accelerated ones and then software with framebuffer acceleration off,
 * headless (dummy) software only. SDL_RENDER_DRIVER in the environment
 * names the one renderer to use. Each is probed (display_probe) before it
 * is kept; when every candidate fails the probe, the first one created is
 * returned with info->drawn false, so the caller can still try to show a
 * fault. Logs one line naming driver, renderer and texture limits. NULL
 * when no renderer could be created at all (the reason is logged). */
SDL_Renderer *display_open(SDL_Window *win, bool headless, bool vsync, DisplayInfo *info);

/* Draws a small pattern into the renderer's back buffer (a filled
 * rectangle, a triangle and a texture copy on the clear colour), reads it
 * back and clears again; true when every part came back in its colour.
 * Nothing is presented. A renderer that cannot read pixels back counts as
 * drawing (there is nothing to disprove it). */
bool display_probe(SDL_Renderer *r);

/* Reads back a few rows of the frame just drawn (before it is presented)
 * and says whether it is the clear colour only: what the kiosk showed on
 * KMSDRM with a renderer whose draws did not land. False (not blank) when
 * the renderer cannot read pixels back. */
bool display_frame_blank(SDL_Renderer *r, int w, int h, SDL_Color clear);

/* The probe's verdict on pixels read back: each of the n samples (ARGB8888)
 * is within a small tolerance of its expected colour. Pure, for tests. */
bool display_samples_match(const Uint32 *got, const Uint32 *want, int n);

#endif
