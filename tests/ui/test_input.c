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
#include "input_fixture.h"

static Layout L;
static KsView V;
static InputState S;

/* Two targets, "left" and "right", each half of the 800 x 480 screen; the
 * input layer fresh, without a panel map. */
static int setup(void **state)
{
    (void)state;
    static const char *const ids[] = {"left", "right"};
    input_screen(&L, &V, 2, ids, STYLE_TILE_V);
    input_init(&S, NULL);
    return 0;
}

/* Feeds the n events (screen generations gens, NULL: all 1) and checks the
 * taps: how many were reported and, when there were any, the last one's
 * target. */
static void expect_taps(const SDL_Event *ev, int n, const unsigned *gens, int taps,
                        const char *target)
{
    char id[KS_TARGET_ID_MAX] = "";
    assert_int_equal(input_feed(&S, &L, &V, ev, n, gens, id), taps);
    if (taps > 0)
        assert_string_equal(id, target);
}

static void test_finger_tap_once(void **state)
{
    (void)state;
    SDL_Event ev[] = {input_finger(SDL_FINGERDOWN, 7, 0.75f, 0.5f),
                      input_finger(SDL_FINGERUP, 7, 0.75f, 0.5f)};
    expect_taps(ev, 2, NULL, 1, "right");
}

static void test_touch_mouse_ignored(void **state)
{
    (void)state;
    /* A desktop touchscreen: finger events plus synthetic mouse events. */
    SDL_Event ev[] = {
        input_finger(SDL_FINGERDOWN, 3, 0.25f, 0.5f),
        input_mouse(SDL_MOUSEBUTTONDOWN, SDL_TOUCH_MOUSEID, 200, 240),
        input_mouse(SDL_MOUSEBUTTONUP, SDL_TOUCH_MOUSEID, 200, 240),
        input_finger(SDL_FINGERUP, 3, 0.25f, 0.5f),
    };
    expect_taps(ev, 4, NULL, 1, "left");
    /* A real mouse works on a desktop. */
    SDL_Event m[] = {input_mouse(SDL_MOUSEBUTTONDOWN, 0, 600, 100),
                     input_mouse(SDL_MOUSEBUTTONUP, 0, 600, 100)};
    expect_taps(m, 2, NULL, 1, "right");
}

static void test_release_elsewhere_or_after_change(void **state)
{
    (void)state;
    SDL_Event slide[] = {input_finger(SDL_FINGERDOWN, 1, 0.1f, 0.5f),
                         input_finger(SDL_FINGERUP, 1, 0.9f, 0.5f)};
    expect_taps(slide, 2, NULL, 0, NULL);
    SDL_Event ev[] = {input_finger(SDL_FINGERDOWN, 1, 0.1f, 0.5f),
                      input_finger(SDL_FINGERUP, 1, 0.1f, 0.5f)};
    unsigned gens[] = {1, 2}; /* the screen changed between press and release */
    expect_taps(ev, 2, gens, 0, NULL);
}

static void test_second_finger_and_clamp(void **state)
{
    (void)state;
    SDL_Event ev[] = {
        input_finger(SDL_FINGERDOWN, 1, 0.1f, 0.5f),
        input_finger(SDL_FINGERDOWN, 2, 0.9f, 0.5f),
        input_finger(SDL_FINGERUP, 2, 0.9f, 0.5f),
        input_finger(SDL_FINGERUP, 1, 0.1f, 0.5f),
    };
    expect_taps(ev, 4, NULL, 1, "left");
    /* Phantom points beyond the panel edge land on the edge target. */
    SDL_Event edge[] = {input_finger(SDL_FINGERDOWN, 5, 1.7f, -0.3f),
                        input_finger(SDL_FINGERUP, 5, 1.2f, 0.0f)};
    expect_taps(edge, 2, NULL, 1, "right");
}

/* ---- drags -------------------------------------------------------------- */

/* Feeds events, collecting every KsEvent produced (max 4 per SDL event). */
static int collect(SDL_Event *ev, int n, KsEvent *all, int cap)
{
    int total = 0;
    for (int i = 0; i < n; i++) {
        KsEvent out[4];
        bool redraw;
        int k = input_handle(&S, &ev[i], &L, &V, 1, out, 4, &redraw);
        for (int j = 0; j < k && total < cap; j++)
            all[total++] = out[j];
    }
    return total;
}

/* Checks the kinds of the n events, one letter each: 'a' activity, and a
 * drag's 'B'egin, 'M'ove and 'E'nd. */
static void expect_kinds(const KsEvent *all, int n, const char *kinds)
{
    assert_int_equal(n, (int)strlen(kinds));
    for (int i = 0; i < n; i++) {
        if (kinds[i] == 'a') {
            assert_int_equal(all[i].type, KS_EV_ACTIVITY);
            continue;
        }
        KsDragPhase want = kinds[i] == 'B'   ? KS_DRAG_BEGIN
                           : kinds[i] == 'M' ? KS_DRAG_MOVE
                                             : KS_DRAG_END;
        if (all[i].type != KS_EV_DRAG || all[i].phase != want)
            fail_msg("event %d of \"%s\": type %d phase %d", i, kinds, all[i].type, all[i].phase);
    }
}

static void test_canvas_drag(void **state)
{
    (void)state;
    V.targets[0].role = KS_TARGET_CANVAS; /* "left": 0,0 400x480 */
    SDL_Event ev[] = {
        input_finger(SDL_FINGERDOWN, 4, 0.0f, 0.0f),
        input_finger(SDL_FINGERMOTION, 4, 0.25f, 0.5f),
        input_finger(SDL_FINGERMOTION, 9, 0.3f, 0.5f), /* another finger: ignored */
        input_finger(SDL_FINGERMOTION, 4, 0.4f, 0.5f),
        input_finger(SDL_FINGERMOTION, 4, 0.75f, 0.5f), /* beyond the box: x > 1 */
        input_finger(SDL_FINGERUP, 4, 0.75f, 0.5f),
    };
    KsEvent all[16];
    expect_kinds(all, collect(ev, 6, all, 16), "aBMMME");
    assert_true(all[1].x == 0.0f && all[1].y == 0.0f);
    for (int i = 1; i <= 4; i++)
        assert_string_equal(all[i].target, "left");
    assert_true(all[2].x > 0.49f && all[2].x < 0.51f); /* 200 of 0..399 */
    assert_true(all[2].y > 0.49f && all[2].y < 0.51f);
    assert_true(all[4].x > 1.4f);
    assert_false(S.down);
}

static void test_slider_tap_is_drag_and_mouse_drag(void **state)
{
    (void)state;
    V.targets[1].role = KS_TARGET_SLIDER; /* "right" */
    /* A tap on a slider: begin and end, no tap. */
    SDL_Event tap[] = {input_finger(SDL_FINGERDOWN, 1, 0.75f, 0.5f),
                       input_finger(SDL_FINGERUP, 1, 0.75f, 0.5f)};
    KsEvent all[16];
    expect_kinds(all, collect(tap, 2, all, 16), "aBE");
    /* A real mouse drags; a touchscreen's synthetic motion does not. */
    SDL_Event m[] = {
        input_mouse(SDL_MOUSEBUTTONDOWN, 0, 400, 0),
        input_motion(SDL_TOUCH_MOUSEID, 500, 10),
        input_motion(0, 799, 479),
        input_mouse(SDL_MOUSEBUTTONUP, 0, 799, 479),
    };
    expect_kinds(all, collect(m, 4, all, 16), "aBME");
    assert_true(all[1].x == 0.0f);
    assert_true(all[2].x == 1.0f && all[2].y == 1.0f);
    /* Motion without a press reports nothing. */
    SDL_Event idle[] = {input_motion(0, 500, 10), input_finger(SDL_FINGERMOTION, 1, 0.5f, 0.5f)};
    assert_int_equal(collect(idle, 2, all, 16), 0);
}

static void test_drag_survives_relayout(void **state)
{
    (void)state;
    V.targets[0].role = KS_TARGET_CANVAS;
    SDL_Event down = input_finger(SDL_FINGERDOWN, 2, 0.1f, 0.1f);
    KsEvent all[16];
    assert_int_equal(collect(&down, 1, all, 16), 2);
    /* Drawing changes the view: the canvas is laid out anew, with the same id. */
    input_relayout(&S, &L, &V, 2);
    assert_true(S.down && S.drag);
    SDL_Event rest[] = {input_finger(SDL_FINGERMOTION, 2, 0.2f, 0.2f),
                        input_finger(SDL_FINGERUP, 2, 0.2f, 0.2f)};
    int n = 0;
    for (int i = 0; i < 2; i++) {
        bool redraw;
        n += input_handle(&S, &rest[i], &L, &V, 2, all + n, 4, &redraw);
    }
    expect_kinds(all, n, "ME");
    /* A tap press is forgotten by a new layout. */
    SDL_Event press = input_finger(SDL_FINGERDOWN, 3, 0.75f, 0.5f);
    assert_int_equal(collect(&press, 1, all, 16), 1);
    input_relayout(&S, &L, &V, 3);
    assert_false(S.down);
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
