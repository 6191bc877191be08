/* input_fixture: the screen the input suites press on (test_input,
 * test_long_press, test_display): an 800 x 480 layout with named targets
 * side by side, SDL's finger and mouse events made up as a touch panel or
 * a mouse sends them, and the taps the input layer reports for a script of
 * them. Header only: small helpers, each suite keeps its checks. */
#ifndef KS_INPUT_FIXTURE_H
#define KS_INPUT_FIXTURE_H

#include <stdio.h>
#include <string.h>

#include "../../ui/input.h"

#define INPUT_W 800
#define INPUT_H 480

/* The layout l and view v of an INPUT_W x INPUT_H screen holding the n
 * targets ids[], side by side over its full height, drawn in style. */
static inline void input_screen(Layout *l, KsView *v, int n, const char *const ids[],
                                TargetStyle style)
{
    memset(l, 0, sizeof *l);
    memset(v, 0, sizeof *v);
    l->w = INPUT_W;
    l->h = INPUT_H;
    v->n_targets = n;
    for (int i = 0; i < n; i++) {
        snprintf(v->targets[i].id, sizeof v->targets[i].id, "%s", ids[i]);
        layout_add(l, i, layout_rect(i * INPUT_W / n, 0, INPUT_W / n, INPUT_H), style);
    }
}

/* A finger event; x and y from 0 to 1 across the panel (or beyond it). */
static inline SDL_Event input_finger(Uint32 type, SDL_FingerID id, float x, float y)
{
    return (SDL_Event){.tfinger = {.type = type, .fingerId = id, .x = x, .y = y}};
}

/* A left mouse button event of the mouse `which` at pixel x, y. */
static inline SDL_Event input_mouse(Uint32 type, Uint32 which, int x, int y)
{
    return (SDL_Event){
        .button = {.type = type, .which = which, .button = SDL_BUTTON_LEFT, .x = x, .y = y}};
}

/* The mouse `which` moved to pixel x, y. */
static inline SDL_Event input_motion(Uint32 which, int x, int y)
{
    return (SDL_Event){.motion = {.type = SDL_MOUSEMOTION, .which = which, .x = x, .y = y}};
}

/* Feeds the n events to s on screen l, v, the i-th in the screen
 * generation gens[i] (all 1 when gens is NULL). Returns the number of taps
 * reported; the last tap's target goes to tap_id (KS_TARGET_ID_MAX bytes). */
static inline int input_feed(InputState *s, const Layout *l, const KsView *v, const SDL_Event *ev,
                             int n, const unsigned *gens, char *tap_id)
{
    int taps = 0;
    for (int i = 0; i < n; i++) {
        KsEvent out[4];
        bool redraw;
        int k = input_handle(s, &ev[i], l, v, gens ? gens[i] : 1, out, 4, &redraw);
        for (int j = 0; j < k; j++)
            if (out[j].type == KS_EV_TAP) {
                taps++;
                snprintf(tap_id, KS_TARGET_ID_MAX, "%s", out[j].target);
            }
    }
    return taps;
}

#endif
