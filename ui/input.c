/* input: touch and mouse to taps on target ids. */
#include "input.h"

#include <string.h>

#include "../firmware/core/str.h"

void input_reset(InputState *s)
{
    memset(s, 0, sizeof *s);
    s->target = -1;
}

static int clampi(int v, int lo, int hi)
{
    return v < lo ? lo : (v > hi ? hi : v);
}

/* Finger coordinates are 0..1 of the window; panels report stray points
 * slightly outside, so clamp before mapping to pixels. */
static void finger_px(const SDL_TouchFingerEvent *f, const Layout *l, int *x, int *y)
{
    float fx = f->x < 0 ? 0 : (f->x > 1 ? 1 : f->x);
    float fy = f->y < 0 ? 0 : (f->y > 1 ? 1 : f->y);
    *x = clampi((int)(fx * l->w), 0, l->w - 1);
    *y = clampi((int)(fy * l->h), 0, l->h - 1);
}

static int press(InputState *s, const Layout *l, unsigned gen, int x, int y, KsEvent *out, int max,
                 bool *redraw)
{
    s->down = true;
    s->layout_gen = gen;
    s->target = layout_hit(l, x, y);
    *redraw = s->target >= 0;
    if (max < 1)
        return 0;
    memset(out, 0, sizeof *out);
    out->type = KS_EV_ACTIVITY;
    return 1;
}

static int release(InputState *s, const Layout *l, const KsView *v, unsigned gen, int x, int y,
                   KsEvent *out, int max, bool *redraw)
{
    int n = 0;
    int t = s->target;
    bool same = s->down && t >= 0 && gen == s->layout_gen && layout_hit(l, x, y) == t;
    *redraw = t >= 0;
    if (same && max > 0) {
        memset(out, 0, sizeof *out);
        out->type = KS_EV_TAP;
        str_copy(out->target, sizeof out->target, v->targets[l->targets[t].view_index].id);
        n = 1;
    }
    input_reset(s);
    return n;
}

int input_handle(InputState *s, const SDL_Event *e, const Layout *l, const KsView *v,
                 unsigned layout_gen, KsEvent *out, int max, bool *redraw)
{
    *redraw = false;
    int x, y;
    switch (e->type) {
    case SDL_FINGERDOWN:
        if (s->down)
            return 0; /* a second finger while one is down: ignore it */
        finger_px(&e->tfinger, l, &x, &y);
        s->finger = e->tfinger.fingerId;
        s->is_mouse = false;
        return press(s, l, layout_gen, x, y, out, max, redraw);
    case SDL_FINGERUP:
        if (!s->down || s->is_mouse || e->tfinger.fingerId != s->finger)
            return 0;
        finger_px(&e->tfinger, l, &x, &y);
        return release(s, l, v, layout_gen, x, y, out, max, redraw);
    case SDL_MOUSEBUTTONDOWN:
        if (e->button.which == SDL_TOUCH_MOUSEID || e->button.button != SDL_BUTTON_LEFT || s->down)
            return 0;
        s->is_mouse = true;
        return press(s, l, layout_gen, e->button.x, e->button.y, out, max, redraw);
    case SDL_MOUSEBUTTONUP:
        if (e->button.which == SDL_TOUCH_MOUSEID || e->button.button != SDL_BUTTON_LEFT ||
            !s->down || !s->is_mouse)
            return 0;
        return release(s, l, v, layout_gen, e->button.x, e->button.y, out, max, redraw);
    default:
        return 0;
    }
}
