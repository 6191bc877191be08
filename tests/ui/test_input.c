/* test_input: touch and mouse handling of the UI — a tap is reported once,
 * on release over the same target; a desktop touchscreen's synthetic mouse
 * events are ignored; stray points outside the panel are clamped; a press
 * whose screen changed before release does nothing; canvas and slider
 * targets report drags (begin, every move, end) and never taps; touches and
 * mouse positions map through the panel wiring and all four rotations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "../../ui/input.h"

static Layout L;
static KsView V;

static int setup(void **state)
{
    (void)state;
    memset(&L, 0, sizeof L);
    memset(&V, 0, sizeof V);
    L.w = 800;
    L.h = 480;
    V.n_targets = 2;
    strcpy(V.targets[0].id, "left");
    strcpy(V.targets[1].id, "right");
    layout_add(&L, 0, layout_rect(0, 0, 400, 480), STYLE_TILE_V);
    layout_add(&L, 1, layout_rect(400, 0, 400, 480), STYLE_TILE_V);
    return 0;
}

static SDL_Event finger(Uint32 type, SDL_FingerID id, float x, float y)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = type;
    e.tfinger.fingerId = id;
    e.tfinger.x = x;
    e.tfinger.y = y;
    return e;
}

static SDL_Event mouse(Uint32 type, Uint32 which, int x, int y)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = type;
    e.button.which = which;
    e.button.button = SDL_BUTTON_LEFT;
    e.button.x = x;
    e.button.y = y;
    return e;
}

/* Feeds events and returns the number of taps; the last tap's id in tap_id. */
static int feed(InputState *s, SDL_Event *ev, int n, unsigned *gens, char *tap_id)
{
    int taps = 0;
    for (int i = 0; i < n; i++) {
        KsEvent out[4];
        bool redraw;
        int k = input_handle(s, &ev[i], &L, &V, gens ? gens[i] : 1, out, 4, &redraw);
        for (int j = 0; j < k; j++) {
            if (out[j].type == KS_EV_TAP) {
                taps++;
                strcpy(tap_id, out[j].target);
            }
        }
    }
    return taps;
}

static void test_finger_tap_once(void **state)
{
    (void)state;
    InputState s;
    input_init(&s, NULL);
    char id[64] = "";
    SDL_Event ev[] = {finger(SDL_FINGERDOWN, 7, 0.75f, 0.5f), finger(SDL_FINGERUP, 7, 0.75f, 0.5f)};
    assert_int_equal(feed(&s, ev, 2, NULL, id), 1);
    assert_string_equal(id, "right");
}

static void test_touch_mouse_ignored(void **state)
{
    (void)state;
    InputState s;
    input_init(&s, NULL);
    char id[64] = "";
    /* A desktop touchscreen: finger events plus synthetic mouse events. */
    SDL_Event ev[] = {
        finger(SDL_FINGERDOWN, 3, 0.25f, 0.5f),
        mouse(SDL_MOUSEBUTTONDOWN, SDL_TOUCH_MOUSEID, 200, 240),
        mouse(SDL_MOUSEBUTTONUP, SDL_TOUCH_MOUSEID, 200, 240),
        finger(SDL_FINGERUP, 3, 0.25f, 0.5f),
    };
    assert_int_equal(feed(&s, ev, 4, NULL, id), 1);
    assert_string_equal(id, "left");
    /* A real mouse works on a desktop. */
    SDL_Event m[] = {mouse(SDL_MOUSEBUTTONDOWN, 0, 600, 100),
                     mouse(SDL_MOUSEBUTTONUP, 0, 600, 100)};
    assert_int_equal(feed(&s, m, 2, NULL, id), 1);
    assert_string_equal(id, "right");
}

static void test_release_elsewhere_or_after_change(void **state)
{
    (void)state;
    InputState s;
    input_init(&s, NULL);
    char id[64] = "";
    SDL_Event slide[] = {finger(SDL_FINGERDOWN, 1, 0.1f, 0.5f),
                         finger(SDL_FINGERUP, 1, 0.9f, 0.5f)};
    assert_int_equal(feed(&s, slide, 2, NULL, id), 0);
    SDL_Event ev[] = {finger(SDL_FINGERDOWN, 1, 0.1f, 0.5f), finger(SDL_FINGERUP, 1, 0.1f, 0.5f)};
    unsigned gens[] = {1, 2}; /* the screen changed between press and release */
    assert_int_equal(feed(&s, ev, 2, gens, id), 0);
}

static void test_second_finger_and_clamp(void **state)
{
    (void)state;
    InputState s;
    input_init(&s, NULL);
    char id[64] = "";
    SDL_Event ev[] = {
        finger(SDL_FINGERDOWN, 1, 0.1f, 0.5f),
        finger(SDL_FINGERDOWN, 2, 0.9f, 0.5f),
        finger(SDL_FINGERUP, 2, 0.9f, 0.5f),
        finger(SDL_FINGERUP, 1, 0.1f, 0.5f),
    };
    assert_int_equal(feed(&s, ev, 4, NULL, id), 1);
    assert_string_equal(id, "left");
    /* Phantom points beyond the panel edge land on the edge target. */
    SDL_Event edge[] = {finger(SDL_FINGERDOWN, 5, 1.7f, -0.3f),
                        finger(SDL_FINGERUP, 5, 1.2f, 0.0f)};
    assert_int_equal(feed(&s, edge, 2, NULL, id), 1);
    assert_string_equal(id, "right");
}

/* ---- drags -------------------------------------------------------------- */

static SDL_Event motion_ev(Uint32 which, int x, int y)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_MOUSEMOTION;
    e.motion.which = which;
    e.motion.x = x;
    e.motion.y = y;
    return e;
}

/* Feeds events, collecting every KsEvent produced (max 4 per SDL event). */
static int collect(InputState *s, SDL_Event *ev, int n, KsEvent *all, int cap)
{
    int total = 0;
    for (int i = 0; i < n; i++) {
        KsEvent out[4];
        bool redraw;
        int k = input_handle(s, &ev[i], &L, &V, 1, out, 4, &redraw);
        for (int j = 0; j < k && total < cap; j++)
            all[total++] = out[j];
    }
    return total;
}

static void test_canvas_drag(void **state)
{
    (void)state;
    V.targets[0].role = KS_TARGET_CANVAS; /* "left": 0,0 400x480 */
    InputState s;
    input_init(&s, NULL);
    SDL_Event ev[] = {
        finger(SDL_FINGERDOWN, 4, 0.0f, 0.0f),
        finger(SDL_FINGERMOTION, 4, 0.25f, 0.5f),
        finger(SDL_FINGERMOTION, 9, 0.3f, 0.5f), /* another finger: ignored */
        finger(SDL_FINGERMOTION, 4, 0.4f, 0.5f),
        finger(SDL_FINGERMOTION, 4, 0.75f, 0.5f), /* beyond the box: x > 1 */
        finger(SDL_FINGERUP, 4, 0.75f, 0.5f),
    };
    KsEvent all[16];
    int n = collect(&s, ev, 6, all, 16);
    assert_int_equal(n, 6);
    assert_int_equal(all[0].type, KS_EV_ACTIVITY);
    assert_int_equal(all[1].type, KS_EV_DRAG);
    assert_int_equal(all[1].phase, KS_DRAG_BEGIN);
    assert_string_equal(all[1].target, "left");
    assert_true(all[1].x == 0.0f && all[1].y == 0.0f);
    for (int i = 2; i <= 4; i++) {
        assert_int_equal(all[i].type, KS_EV_DRAG);
        assert_int_equal(all[i].phase, KS_DRAG_MOVE);
        assert_string_equal(all[i].target, "left");
    }
    assert_true(all[2].x > 0.49f && all[2].x < 0.51f); /* 200 of 0..399 */
    assert_true(all[2].y > 0.49f && all[2].y < 0.51f);
    assert_true(all[4].x > 1.4f);
    assert_int_equal(all[5].type, KS_EV_DRAG);
    assert_int_equal(all[5].phase, KS_DRAG_END);
    assert_false(s.down);
}

static void test_slider_tap_is_drag_and_mouse_drag(void **state)
{
    (void)state;
    V.targets[1].role = KS_TARGET_SLIDER; /* "right" */
    InputState s;
    input_init(&s, NULL);
    /* A tap on a slider: begin and end, no tap. */
    SDL_Event tap[] = {finger(SDL_FINGERDOWN, 1, 0.75f, 0.5f),
                       finger(SDL_FINGERUP, 1, 0.75f, 0.5f)};
    KsEvent all[16];
    int n = collect(&s, tap, 2, all, 16);
    assert_int_equal(n, 3);
    assert_int_equal(all[1].phase, KS_DRAG_BEGIN);
    assert_int_equal(all[2].type, KS_EV_DRAG);
    assert_int_equal(all[2].phase, KS_DRAG_END);
    /* A real mouse drags; a touchscreen's synthetic motion does not. */
    SDL_Event m[] = {
        mouse(SDL_MOUSEBUTTONDOWN, 0, 400, 0),
        motion_ev(SDL_TOUCH_MOUSEID, 500, 10),
        motion_ev(0, 799, 479),
        mouse(SDL_MOUSEBUTTONUP, 0, 799, 479),
    };
    n = collect(&s, m, 4, all, 16);
    assert_int_equal(n, 4);
    assert_int_equal(all[1].phase, KS_DRAG_BEGIN);
    assert_true(all[1].x == 0.0f);
    assert_int_equal(all[2].phase, KS_DRAG_MOVE);
    assert_true(all[2].x == 1.0f && all[2].y == 1.0f);
    assert_int_equal(all[3].phase, KS_DRAG_END);
    /* Motion without a press reports nothing. */
    SDL_Event idle[] = {motion_ev(0, 500, 10), finger(SDL_FINGERMOTION, 1, 0.5f, 0.5f)};
    assert_int_equal(collect(&s, idle, 2, all, 16), 0);
}

static void test_drag_survives_relayout(void **state)
{
    (void)state;
    V.targets[0].role = KS_TARGET_CANVAS;
    InputState s;
    input_init(&s, NULL);
    SDL_Event down = finger(SDL_FINGERDOWN, 2, 0.1f, 0.1f);
    KsEvent all[16];
    assert_int_equal(collect(&s, &down, 1, all, 16), 2);
    /* Drawing changes the view: the canvas is laid out anew, with the same id. */
    input_relayout(&s, &L, &V, 2);
    assert_true(s.down && s.drag);
    SDL_Event rest[] = {finger(SDL_FINGERMOTION, 2, 0.2f, 0.2f),
                        finger(SDL_FINGERUP, 2, 0.2f, 0.2f)};
    int n = 0;
    for (int i = 0; i < 2; i++) {
        bool redraw;
        n += input_handle(&s, &rest[i], &L, &V, 2, all + n, 4, &redraw);
    }
    assert_int_equal(n, 2);
    assert_int_equal(all[0].phase, KS_DRAG_MOVE);
    assert_int_equal(all[1].phase, KS_DRAG_END);
    /* A tap press is forgotten by a new layout. */
    SDL_Event press = finger(SDL_FINGERDOWN, 3, 0.75f, 0.5f);
    assert_int_equal(collect(&s, &press, 1, all, 16), 1);
    input_relayout(&s, &L, &V, 3);
    assert_false(s.down);
}

/* ---- mapping ------------------------------------------------------------ */

static void expect_touch(InputMap m, float fx, float fy, int w, int h, int ex, int ey)
{
    int x = -1, y = -1;
    input_map_touch(fx, fy, &m, w, h, &x, &y);
    if (x != ex || y != ey)
        fail_msg("rotation %d swap %d flip %d/%d: (%g,%g) -> (%d,%d), expected (%d,%d)", m.rotation,
                 m.swap_xy, m.flip_x, m.flip_y, (double)fx, (double)fy, x, y, ex, ey);
}

static void test_map_rotations(void **state)
{
    (void)state;
    /* Panel 800x480; for 90 and 270 the logical screen is 480x800. */
    expect_touch((InputMap){.rotation = 0}, 0.25f, 0.75f, 800, 480, 200, 360);
    /* 90 clockwise: the panel's top right corner is the logical top left. */
    expect_touch((InputMap){.rotation = 90}, 1.0f, 0.0f, 480, 800, 0, 0);
    expect_touch((InputMap){.rotation = 90}, 0.0f, 0.0f, 480, 800, 0, 799);
    expect_touch((InputMap){.rotation = 90}, 0.25f, 0.75f, 480, 800, 360, 600);
    expect_touch((InputMap){.rotation = 180}, 0.25f, 0.75f, 800, 480, 600, 120);
    expect_touch((InputMap){.rotation = 180}, 0.0f, 0.0f, 800, 480, 799, 479);
    /* 270: the panel's bottom left corner is the logical top left. */
    expect_touch((InputMap){.rotation = 270}, 0.0f, 1.0f, 480, 800, 0, 0);
    expect_touch((InputMap){.rotation = 270}, 0.25f, 0.75f, 480, 800, 120, 200);
    /* Stray points are clamped after the rotation too. */
    expect_touch((InputMap){.rotation = 90}, 1.3f, -0.2f, 480, 800, 0, 0);
}

static void test_map_wiring(void **state)
{
    (void)state;
    expect_touch((InputMap){.swap_xy = true}, 0.25f, 0.75f, 800, 480, 600, 120);
    expect_touch((InputMap){.flip_x = true}, 0.25f, 0.75f, 800, 480, 600, 360);
    expect_touch((InputMap){.flip_y = true}, 0.25f, 0.75f, 800, 480, 200, 120);
    expect_touch((InputMap){.flip_x = true, .flip_y = true}, 0.25f, 0.75f, 800, 480, 600, 120);
    /* Wiring first (swap, then flips), then the rotation:
     * (0.125, 0.25) -> swap (0.25, 0.125) -> flip x (0.75, 0.125) -> 90: (0.125, 0.25). */
    expect_touch((InputMap){.rotation = 90, .swap_xy = true, .flip_x = true}, 0.125f, 0.25f, 480,
                 800, 60, 200);
    /* -> swap (0.25, 0.125) -> flip y (0.25, 0.875) -> 270: (1 - 0.875, 0.25). */
    expect_touch((InputMap){.rotation = 270, .swap_xy = true, .flip_y = true}, 0.125f, 0.25f, 480,
                 800, 60, 200);
}

/* Injected touches go through input_unmap_touch: every logical pixel must
 * come back to itself under every rotation and wiring. */
static void test_map_round_trip(void **state)
{
    (void)state;
    static const int rot[] = {0, 90, 180, 270};
    static const int pts[][2] = {{0, 0},     {1, 1},     {479, 0},  {0, 799},
                                 {479, 799}, {123, 456}, {240, 400}};
    for (int r = 0; r < 4; r++) {
        for (int wiring = 0; wiring < 8; wiring++) {
            InputMap m = {.rotation = rot[r],
                          .swap_xy = wiring & 1,
                          .flip_x = (wiring & 2) != 0,
                          .flip_y = (wiring & 4) != 0};
            bool turned = rot[r] == 90 || rot[r] == 270;
            int w = turned ? 480 : 800, h = turned ? 800 : 480;
            for (size_t i = 0; i < sizeof pts / sizeof pts[0]; i++) {
                int px = pts[i][0] < w ? pts[i][0] : w - 1, py = pts[i][1] < h ? pts[i][1] : h - 1;
                float fx, fy;
                input_unmap_touch(px, py, &m, w, h, &fx, &fy);
                assert_true(fx >= 0 && fx <= 1 && fy >= 0 && fy <= 1);
                expect_touch(m, fx, fy, w, h, px, py);
            }
        }
    }
}

static void test_map_mouse(void **state)
{
    (void)state;
    int x, y;
    /* No window size known, no rotation: mouse pixels are logical pixels. */
    input_map_mouse(600, 100, &(InputMap){0}, 800, 480, &x, &y);
    assert_int_equal(x, 600);
    assert_int_equal(y, 100);
    /* An 800x480 window turned 90: its top right is the logical top left. */
    InputMap m = {.rotation = 90, .win_w = 800, .win_h = 480, .swap_xy = true, .flip_x = true};
    input_map_mouse(799, 0, &m, 480, 800, &x, &y);
    assert_int_equal(x, 0);
    assert_int_equal(y, 0);
    input_map_mouse(0, 479, &m, 480, 800, &x, &y); /* bottom left: logical bottom right */
    assert_int_equal(x, 479);
    assert_int_equal(y, 799);
    m.rotation = 180;
    input_map_mouse(0, 0, &m, 800, 480, &x, &y);
    assert_int_equal(x, 799);
    assert_int_equal(y, 479);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_finger_tap_once, setup),
        cmocka_unit_test_setup(test_touch_mouse_ignored, setup),
        cmocka_unit_test_setup(test_release_elsewhere_or_after_change, setup),
        cmocka_unit_test_setup(test_second_finger_and_clamp, setup),
        cmocka_unit_test_setup(test_canvas_drag, setup),
        cmocka_unit_test_setup(test_slider_tap_is_drag_and_mouse_drag, setup),
        cmocka_unit_test_setup(test_drag_survives_relayout, setup),
        cmocka_unit_test(test_map_rotations),
        cmocka_unit_test(test_map_wiring),
        cmocka_unit_test(test_map_round_trip),
        cmocka_unit_test(test_map_mouse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
