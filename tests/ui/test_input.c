/* test_input: touch and mouse handling of the UI — a tap is reported once,
 * on release over the same target; a desktop touchscreen's synthetic mouse
 * events are ignored; stray points outside the panel are clamped; a press
 * whose screen changed before release does nothing. */
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
    input_reset(&s);
    char id[64] = "";
    SDL_Event ev[] = {finger(SDL_FINGERDOWN, 7, 0.75f, 0.5f), finger(SDL_FINGERUP, 7, 0.75f, 0.5f)};
    assert_int_equal(feed(&s, ev, 2, NULL, id), 1);
    assert_string_equal(id, "right");
}

static void test_touch_mouse_ignored(void **state)
{
    (void)state;
    InputState s;
    input_reset(&s);
    char id[64] = "";
    /* A desktop touchscreen: finger events plus synthetic mouse events. */
    SDL_Event ev[] = {
        finger(SDL_FINGERDOWN, 3, 0.25f, 0.5f), mouse(SDL_MOUSEBUTTONDOWN, SDL_TOUCH_MOUSEID, 200, 240),
        mouse(SDL_MOUSEBUTTONUP, SDL_TOUCH_MOUSEID, 200, 240), finger(SDL_FINGERUP, 3, 0.25f, 0.5f),
    };
    assert_int_equal(feed(&s, ev, 4, NULL, id), 1);
    assert_string_equal(id, "left");
    /* A real mouse works on a desktop. */
    SDL_Event m[] = {mouse(SDL_MOUSEBUTTONDOWN, 0, 600, 100), mouse(SDL_MOUSEBUTTONUP, 0, 600, 100)};
    assert_int_equal(feed(&s, m, 2, NULL, id), 1);
    assert_string_equal(id, "right");
}

static void test_release_elsewhere_or_after_change(void **state)
{
    (void)state;
    InputState s;
    input_reset(&s);
    char id[64] = "";
    SDL_Event slide[] = {finger(SDL_FINGERDOWN, 1, 0.1f, 0.5f), finger(SDL_FINGERUP, 1, 0.9f, 0.5f)};
    assert_int_equal(feed(&s, slide, 2, NULL, id), 0);
    SDL_Event ev[] = {finger(SDL_FINGERDOWN, 1, 0.1f, 0.5f), finger(SDL_FINGERUP, 1, 0.1f, 0.5f)};
    unsigned gens[] = {1, 2}; /* the screen changed between press and release */
    assert_int_equal(feed(&s, ev, 2, gens, id), 0);
}

static void test_second_finger_and_clamp(void **state)
{
    (void)state;
    InputState s;
    input_reset(&s);
    char id[64] = "";
    SDL_Event ev[] = {
        finger(SDL_FINGERDOWN, 1, 0.1f, 0.5f), finger(SDL_FINGERDOWN, 2, 0.9f, 0.5f),
        finger(SDL_FINGERUP, 2, 0.9f, 0.5f), finger(SDL_FINGERUP, 1, 0.1f, 0.5f),
    };
    assert_int_equal(feed(&s, ev, 4, NULL, id), 1);
    assert_string_equal(id, "left");
    /* Phantom points beyond the panel edge land on the edge target. */
    SDL_Event edge[] = {finger(SDL_FINGERDOWN, 5, 1.7f, -0.3f), finger(SDL_FINGERUP, 5, 1.2f, 0.0f)};
    assert_int_equal(feed(&s, edge, 2, NULL, id), 1);
    assert_string_equal(id, "right");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_finger_tap_once, setup),
        cmocka_unit_test_setup(test_touch_mouse_ignored, setup),
        cmocka_unit_test_setup(test_release_elsewhere_or_after_change, setup),
        cmocka_unit_test_setup(test_second_finger_and_clamp, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
