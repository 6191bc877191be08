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
#include "input_fixture.h"

static Layout L;
static KsView V;
static InputState S;

static int setup(void **state)
{
    (void)state;
    static const char *const ids[] = {"start"};
    input_screen(&L, &V, 1, ids, STYLE_HIDDEN);
    InputMap map = {.corner_px = 80};
    input_init(&S, &map);
    clock_use_virtual(1795000000000LL);
    return 0;
}

/* Finger 1 at the pixel x, y. */
static void finger(Uint32 type, int x, int y)
{
    SDL_Event e = input_finger(type, 1, ((float)x + 0.5f) / INPUT_W, ((float)y + 0.5f) / INPUT_H);
    char id[KS_TARGET_ID_MAX];
    input_feed(&S, &L, &V, &e, 1, NULL, id);
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

/* Holds that must not be reported: a finger put down, maybe moved, each
 * step followed by a wait; then asked with a hold time of hold_ms. */
static const struct {
    const char *what;
    int hold_ms;
    struct {
        Uint32 type;
        int x, y, then_ms;
    } steps[2];
} NOT_REPORTED[] = {
    {"in the middle of the screen", 3000, {{SDL_FINGERDOWN, 400, 240, 10000}}},
    {"lifted before the time", 3000, {{SDL_FINGERDOWN, 5, 5, 2000}, {SDL_FINGERUP, 5, 5, 2000}}},
    {"slid out of the corner",
     3000,
     {{SDL_FINGERDOWN, 5, 5, 0}, {SDL_FINGERMOTION, 200, 200, 4000}}},
    {"no hold time configured", 0, {{SDL_FINGERDOWN, 5, 5, 4000}}},
};

static void test_not_reported(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof NOT_REPORTED / sizeof NOT_REPORTED[0]; i++) {
        int x = 0, y = 0;
        bool down = false;
        for (size_t j = 0; j < 2 && NOT_REPORTED[i].steps[j].type; j++) {
            x = NOT_REPORTED[i].steps[j].x;
            y = NOT_REPORTED[i].steps[j].y;
            finger(NOT_REPORTED[i].steps[j].type, x, y);
            down = NOT_REPORTED[i].steps[j].type != SDL_FINGERUP;
            clock_advance_ms(NOT_REPORTED[i].steps[j].then_ms);
        }
        KsEvent ev;
        if (input_long_press(&S, clock_mono_ms(), NOT_REPORTED[i].hold_ms, INPUT_W, INPUT_H, &ev))
            fail_msg("reported a long press: %s", NOT_REPORTED[i].what);
        if (down)
            finger(SDL_FINGERUP, x, y);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_corners, setup),
        cmocka_unit_test_setup(test_not_reported, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
