/* test_long_press: a finger held still in a corner square is reported as
 * one KS_EV_LONG_PRESS (with its corner) once the hold time has passed —
 * not before, not outside the corners, not when the finger wandered out,
 * and not twice; on the virtual clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "../../firmware/core/clock.h"
#include "../../ui/input.h"

static Layout L;
static KsView V;
static InputState S;

static int setup(void **state)
{
    (void)state;
    memset(&L, 0, sizeof L);
    memset(&V, 0, sizeof V);
    L.w = 800;
    L.h = 480;
    V.n_targets = 1;
    strcpy(V.targets[0].id, "start");
    layout_add(&L, 0, layout_rect(0, 0, 800, 480), STYLE_HIDDEN);
    InputMap map = {.corner_px = 80};
    input_init(&S, &map);
    clock_use_virtual(1795000000000LL);
    return 0;
}

static void finger(Uint32 type, int x, int y)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = type;
    e.tfinger.fingerId = 1;
    e.tfinger.x = ((float)x + 0.5f) / 800.0f;
    e.tfinger.y = ((float)y + 0.5f) / 480.0f;
    KsEvent out[4];
    bool redraw;
    input_handle(&S, &e, &L, &V, 1, out, 4, &redraw);
}

static int poll_long(KsEvent *ev)
{
    return input_long_press(&S, clock_mono_ms(), 3000, 800, 480, ev);
}

static void test_corners(void **state)
{
    (void)state;
    static const struct {
        int x, y;
        KsCorner c;
    } cases[] = {{10, 10, KS_CORNER_TOP_LEFT},
                 {790, 5, KS_CORNER_TOP_RIGHT},
                 {3, 470, KS_CORNER_BOTTOM_LEFT},
                 {799, 479, KS_CORNER_BOTTOM_RIGHT}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        KsEvent ev;
        finger(SDL_FINGERDOWN, cases[i].x, cases[i].y);
        assert_int_equal(input_long_press_wait(&S, clock_mono_ms(), 3000, 800, 480), 3000);
        clock_advance_ms(2999);
        assert_int_equal(poll_long(&ev), 0);
        clock_advance_ms(1);
        assert_int_equal(poll_long(&ev), 1);
        assert_int_equal(ev.type, KS_EV_LONG_PRESS);
        assert_int_equal(ev.corner, cases[i].c);
        assert_true(ev.x >= 0 && ev.x <= 1 && ev.y >= 0 && ev.y <= 1);
        clock_advance_ms(5000);
        assert_int_equal(poll_long(&ev), 0); /* once per press */
        assert_int_equal(input_long_press_wait(&S, clock_mono_ms(), 3000, 800, 480), -1);
        finger(SDL_FINGERUP, cases[i].x, cases[i].y);
    }
}

static void test_not_reported(void **state)
{
    (void)state;
    KsEvent ev;
    /* In the middle of the screen. */
    finger(SDL_FINGERDOWN, 400, 240);
    clock_advance_ms(10000);
    assert_int_equal(poll_long(&ev), 0);
    finger(SDL_FINGERUP, 400, 240);
    /* Lifted before the time. */
    finger(SDL_FINGERDOWN, 5, 5);
    clock_advance_ms(2000);
    finger(SDL_FINGERUP, 5, 5);
    clock_advance_ms(2000);
    assert_int_equal(poll_long(&ev), 0);
    /* Slid out of the corner. */
    finger(SDL_FINGERDOWN, 5, 5);
    finger(SDL_FINGERMOTION, 200, 200);
    clock_advance_ms(4000);
    assert_int_equal(poll_long(&ev), 0);
    finger(SDL_FINGERUP, 200, 200);
    /* No hold time configured: never. */
    finger(SDL_FINGERDOWN, 5, 5);
    clock_advance_ms(4000);
    assert_int_equal(input_long_press(&S, clock_mono_ms(), 0, 800, 480, &ev), 0);
    finger(SDL_FINGERUP, 5, 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_corners, setup),
        cmocka_unit_test_setup(test_not_reported, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
