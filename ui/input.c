/* input: touch and mouse to taps and drags on target ids, through the panel
 * wiring and the screen rotation. */
#include "input.h"

#include <limits.h>
#include <string.h>

#include "../firmware/core/clock.h"
#include "../firmware/core/str.h"
#include "abspointer.h"

void input_reset(InputState *s)
{
    InputMap keep = s->map;
    memset(s, 0, sizeof *s);
    s->map = keep;
    s->target = -1;
}

void input_init(InputState *s, const InputMap *map)
{
    memset(s, 0, sizeof *s);
    if (map)
        s->map = *map;
    input_reset(s);
}

static int clampi(int v, int lo, int hi)
{
    return v < lo ? lo : (v > hi ? hi : v);
}

static float clamp01(float v)
{
    return v < 0 ? 0 : (v > 1 ? 1 : v);
}

/* Panel 0..1 (as shown on the physical output) to logical 0..1: the picture
 * is turned clockwise by `rotation`, so undo that turn. */
static void unrotate(float px, float py, int rotation, float *lx, float *ly)
{
    switch (rotation) {
    case 90:
        *lx = py;
        *ly = 1 - px;
        break;
    case 180:
        *lx = 1 - px;
        *ly = 1 - py;
        break;
    case 270:
        *lx = 1 - py;
        *ly = px;
        break;
    default:
        *lx = px;
        *ly = py;
        break;
    }
}

/* Logical 0..1 to panel 0..1: turning clockwise by `rotation` undoes a turn
 * by the rest of the full circle. */
static void rotate(float lx, float ly, int rotation, float *px, float *py)
{
    unrotate(lx, ly, 360 - rotation, px, py);
}

static void to_px(float lx, float ly, int w, int h, int *x, int *y)
{
    *x = clampi((int)(clamp01(lx) * (float)w), 0, w > 0 ? w - 1 : 0);
    *y = clampi((int)(clamp01(ly) * (float)h), 0, h > 0 ? h - 1 : 0);
}

/* Finger coordinates are 0..1 of the panel; panels report stray points
 * slightly outside, so clamp before mapping to pixels. */
void input_map_touch(float fx, float fy, const InputMap *m, int w, int h, int *x, int *y)
{
    float px = clamp01(fx), py = clamp01(fy);
    if (m->swap_xy) {
        float t = px;
        px = py;
        py = t;
    }
    if (m->flip_x)
        px = 1 - px;
    if (m->flip_y)
        py = 1 - py;
    float lx, ly;
    unrotate(px, py, m->rotation, &lx, &ly);
    to_px(lx, ly, w, h, x, y);
}

void input_unmap_touch(int x, int y, const InputMap *m, int w, int h, float *fx, float *fy)
{
    float lx = w > 0 ? ((float)x + 0.5f) / (float)w : 0;
    float ly = h > 0 ? ((float)y + 0.5f) / (float)h : 0;
    float px, py;
    rotate(lx, ly, m->rotation, &px, &py);
    if (m->flip_x)
        px = 1 - px;
    if (m->flip_y)
        py = 1 - py;
    if (m->swap_xy) {
        float t = px;
        px = py;
        py = t;
    }
    *fx = px;
    *fy = py;
}

void input_map_mouse(int mx, int my, const InputMap *m, int w, int h, int *x, int *y)
{
    if (m->win_w <= 0 || m->win_h <= 0) {
        if (m->rotation == 0) {
            *x = clampi(mx, 0, w > 0 ? w - 1 : 0);
            *y = clampi(my, 0, h > 0 ? h - 1 : 0);
            return;
        }
    }
    bool turned = m->rotation == 90 || m->rotation == 270;
    int ww = m->win_w > 0 ? m->win_w : (turned ? h : w);
    int wh = m->win_h > 0 ? m->win_h : (turned ? w : h);
    float px = ((float)mx + 0.5f) / (float)ww, py = ((float)my + 0.5f) / (float)wh;
    float lx, ly;
    unrotate(clamp01(px), clamp01(py), m->rotation, &lx, &ly);
    to_px(lx, ly, w, h, x, y);
}

static bool draggable(const Layout *l, const KsView *v, int t)
{
    if (t < 0)
        return false;
    KsTargetRole role = v->targets[l->targets[t].view_index].role;
    return role == KS_TARGET_CANVAS || role == KS_TARGET_SLIDER;
}

static void drag_event(const InputState *s, KsDragPhase phase, int x, int y, KsEvent *out)
{
    memset(out, 0, sizeof *out);
    out->type = KS_EV_DRAG;
    out->phase = phase;
    str_copy(out->target, sizeof out->target, s->drag_id);
    const SDL_Rect *r = &s->drag_rect;
    /* The edge pixels are exactly 0 and 1; beyond the box the values leave
     * 0..1 and the receiver clamps them. */
    out->x = (float)(x - r->x) / (float)(r->w > 1 ? r->w - 1 : 1);
    out->y = (float)(y - r->y) / (float)(r->h > 1 ? r->h - 1 : 1);
}

static int press(InputState *s, const Layout *l, const KsView *v, unsigned gen, int x, int y,
                 KsEvent *out, int max, bool *redraw)
{
    s->down = true;
    s->down_ms = clock_mono_ms();
    s->x0 = s->x = x;
    s->y0 = s->y = y;
    s->long_sent = false;
    s->layout_gen = gen;
    s->target = layout_hit(l, x, y);
    *redraw = s->target >= 0;
    int n = 0;
    if (max < 1)
        return 0;
    memset(out, 0, sizeof *out);
    out->type = KS_EV_ACTIVITY;
    n = 1;
    if (draggable(l, v, s->target)) {
        s->drag = true;
        str_copy(s->drag_id, sizeof s->drag_id, v->targets[l->targets[s->target].view_index].id);
        s->drag_rect = l->targets[s->target].rect;
        if (max > 1)
            drag_event(s, KS_DRAG_BEGIN, x, y, &out[n++]);
    }
    return n;
}

static int motion(InputState *s, int x, int y, KsEvent *out, int max)
{
    s->x = x;
    s->y = y;
    if (!s->drag || max < 1)
        return 0;
    drag_event(s, KS_DRAG_MOVE, x, y, out);
    return 1;
}

static int release(InputState *s, const Layout *l, const KsView *v, unsigned gen, int x, int y,
                   KsEvent *out, int max, bool *redraw)
{
    int n = 0;
    int t = s->target;
    *redraw = t >= 0;
    if (s->drag) {
        if (max > 0) {
            drag_event(s, KS_DRAG_END, x, y, out);
            n = 1;
        }
        input_reset(s);
        return n;
    }
    bool same = s->down && t >= 0 && gen == s->layout_gen && layout_hit(l, x, y) == t;
    if (same && max > 0) {
        memset(out, 0, sizeof *out);
        out->type = KS_EV_TAP;
        str_copy(out->target, sizeof out->target, v->targets[l->targets[t].view_index].id);
        n = 1;
    }
    input_reset(s);
    return n;
}

static bool real_mouse(Uint32 which)
{
    return which != SDL_TOUCH_MOUSEID;
}

/* The mouse position of an event in window pixels; on KMSDRM an absolute
 * pointer's from its device, as SDL's own is its raw value clamped. */
static void mouse_at(const InputState *s, Uint32 which, int ex, int ey, int *mx, int *my)
{
    *mx = ex;
    *my = ey;
    if (s->map.evdev_mouse && which <= (Uint32)INT_MAX)
        (void)abspointer_position((int)which, s->map.win_w, s->map.win_h, mx, my);
}

int input_handle(InputState *s, const SDL_Event *e, const Layout *l, const KsView *v,
                 unsigned layout_gen, KsEvent *out, int max, bool *redraw)
{
    *redraw = false;
    int x, y, mx, my;
    switch (e->type) {
    case SDL_FINGERDOWN:
        if (s->down)
            return 0; /* a second finger while one is down: ignore it */
        input_map_touch(e->tfinger.x, e->tfinger.y, &s->map, l->w, l->h, &x, &y);
        s->finger = e->tfinger.fingerId;
        s->is_mouse = false;
        return press(s, l, v, layout_gen, x, y, out, max, redraw);
    case SDL_FINGERMOTION:
        if (!s->down || s->is_mouse || e->tfinger.fingerId != s->finger)
            return 0;
        input_map_touch(e->tfinger.x, e->tfinger.y, &s->map, l->w, l->h, &x, &y);
        return motion(s, x, y, out, max);
    case SDL_FINGERUP:
        if (!s->down || s->is_mouse || e->tfinger.fingerId != s->finger)
            return 0;
        input_map_touch(e->tfinger.x, e->tfinger.y, &s->map, l->w, l->h, &x, &y);
        return release(s, l, v, layout_gen, x, y, out, max, redraw);
    case SDL_MOUSEBUTTONDOWN:
        if (!real_mouse(e->button.which) || e->button.button != SDL_BUTTON_LEFT || s->down)
            return 0;
        s->is_mouse = true;
        mouse_at(s, e->button.which, e->button.x, e->button.y, &mx, &my);
        input_map_mouse(mx, my, &s->map, l->w, l->h, &x, &y);
        return press(s, l, v, layout_gen, x, y, out, max, redraw);
    case SDL_MOUSEMOTION:
        if (!real_mouse(e->motion.which) || !s->down || !s->is_mouse)
            return 0;
        mouse_at(s, e->motion.which, e->motion.x, e->motion.y, &mx, &my);
        input_map_mouse(mx, my, &s->map, l->w, l->h, &x, &y);
        return motion(s, x, y, out, max);
    case SDL_MOUSEBUTTONUP:
        if (!real_mouse(e->button.which) || e->button.button != SDL_BUTTON_LEFT || !s->down ||
            !s->is_mouse)
            return 0;
        mouse_at(s, e->button.which, e->button.x, e->button.y, &mx, &my);
        input_map_mouse(mx, my, &s->map, l->w, l->h, &x, &y);
        return release(s, l, v, layout_gen, x, y, out, max, redraw);
    default:
        return 0;
    }
}

static KsCorner corner_of(const InputState *s, int x, int y, int w, int h)
{
    int c = s->map.corner_px;
    if (c <= 0)
        return KS_CORNER_NONE;
    bool left = x < c, right = x >= w - c, top = y < c, bottom = y >= h - c;
    if (top && left)
        return KS_CORNER_TOP_LEFT;
    if (top && right)
        return KS_CORNER_TOP_RIGHT;
    if (bottom && left)
        return KS_CORNER_BOTTOM_LEFT;
    if (bottom && right)
        return KS_CORNER_BOTTOM_RIGHT;
    return KS_CORNER_NONE;
}

/* The corner of a press that qualifies for a long press (held in the
 * corner it went down in), or KS_CORNER_NONE. */
static KsCorner held_corner(const InputState *s, int hold_ms, int w, int h)
{
    if (!s->down || s->long_sent || hold_ms <= 0)
        return KS_CORNER_NONE;
    KsCorner c = corner_of(s, s->x0, s->y0, w, h);
    return c != KS_CORNER_NONE && corner_of(s, s->x, s->y, w, h) == c ? c : KS_CORNER_NONE;
}

int input_long_press(InputState *s, int64_t now, int hold_ms, int w, int h, KsEvent *out)
{
    KsCorner c = held_corner(s, hold_ms, w, h);
    if (c == KS_CORNER_NONE || now - s->down_ms < hold_ms)
        return 0;
    s->long_sent = true;
    memset(out, 0, sizeof *out);
    out->type = KS_EV_LONG_PRESS;
    out->corner = c;
    out->x = (float)s->x / (float)(w > 1 ? w - 1 : 1);
    out->y = (float)s->y / (float)(h > 1 ? h - 1 : 1);
    return 1;
}

int64_t input_long_press_wait(const InputState *s, int64_t now, int hold_ms, int w, int h)
{
    if (held_corner(s, hold_ms, w, h) == KS_CORNER_NONE)
        return -1;
    int64_t left = s->down_ms + hold_ms - now;
    return left < 0 ? 0 : left;
}

void input_relayout(InputState *s, const Layout *l, const KsView *v, unsigned layout_gen)
{
    if (s->down && s->drag) {
        for (int i = 0; i < l->n; i++) {
            if (strcmp(v->targets[l->targets[i].view_index].id, s->drag_id) == 0) {
                s->target = i;
                s->layout_gen = layout_gen;
                s->drag_rect = l->targets[i].rect;
                return;
            }
        }
    }
    input_reset(s);
}
