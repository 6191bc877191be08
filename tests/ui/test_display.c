/* test_display: the renderer choice and its start-up probe (display.c), and
 * the absolute-pointer correction for KMSDRM (abspointer.c). The probe's
 * verdict is checked on pixels that came back right, slightly off (a 16-bit
 * scan-out) and wrong (only the clear colour, as SDL's desktop-GL renderer
 * gave on KMSDRM); the probe and the first-frame check run on SDL's
 * software renderer. The
 * pointer scale maps a device's whole range onto the window; a descriptor
 * that is no input device is left alone, and the input layer then keeps
 * SDL's own mouse position. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "../../ui/abspointer.h"
#include "../../ui/display.h"
#include "../../ui/input.h"
#include "input_fixture.h"

static void test_samples_match(void **state)
{
    (void)state;
    const Uint32 want[4] = {0xFFFAF0E6, 0xFF2060C0, 0xFFC03030, 0xFF30A040};
    Uint32 got[4];
    memcpy(got, want, sizeof got);
    assert_true(display_samples_match(got, want, 4));
    /* RGB565 keeps 5 or 6 bits a channel: off by up to 8 still matches. */
    got[1] = 0xFF2464C4;
    got[2] = 0xFFB82828;
    assert_true(display_samples_match(got, want, 4));
    /* Only the clear colour came back: the draws did not land. */
    for (int i = 1; i < 4; i++)
        got[i] = want[0];
    assert_false(display_samples_match(got, want, 4));
    /* One channel far off is enough to fail. */
    memcpy(got, want, sizeof got);
    got[3] = 0xFF30A0FF;
    assert_false(display_samples_match(got, want, 4));
    /* Alpha is not compared (read-back formats differ there). */
    memcpy(got, want, sizeof got);
    got[0] = 0x00FAF0E6;
    assert_true(display_samples_match(got, want, 4));
}

static void test_probe_software(void **state)
{
    (void)state;
    SDL_setenv("SDL_VIDEODRIVER", "dummy", 1);
    assert_int_equal(SDL_Init(SDL_INIT_VIDEO), 0);
    SDL_Window *w = SDL_CreateWindow("probe", 0, 0, 320, 200, SDL_WINDOW_HIDDEN);
    assert_non_null(w);
    DisplayInfo info;
    SDL_Renderer *r = display_open(w, true, false, &info);
    assert_non_null(r);
    assert_string_equal(info.video, "dummy");
    assert_string_equal(info.renderer, "software");
    assert_true(info.drawn);
    assert_string_equal(info.failed, "");
    /* The probe can be run again and leaves the clear colour behind. */
    assert_true(display_probe(r));
    Uint32 px = 0;
    SDL_Rect at = {10, 10, 1, 1};
    assert_int_equal(SDL_RenderReadPixels(r, &at, SDL_PIXELFORMAT_ARGB8888, &px, 4), 0);
    assert_int_equal(px & 0xFFFFFF, 0xFAF0E6);
    /* A frame of the clear colour only is blank; one rectangle across the
     * middle row is enough to make it a picture. */
    SDL_Color bg = {0xFA, 0xF0, 0xE6, 255};
    assert_true(display_frame_blank(r, 320, 200, bg));
    SDL_SetRenderDrawColor(r, 30, 30, 30, 255);
    SDL_Rect word = {150, 95, 20, 10};
    SDL_RenderFillRect(r, &word);
    assert_false(display_frame_blank(r, 320, 200, bg));
    SDL_DestroyRenderer(r);
    SDL_DestroyWindow(w);
    SDL_Quit();
}

static void test_pointer_scale(void **state)
{
    (void)state;
    /* QEMU's tablet: 0..32767 onto 800 pixels. */
    assert_int_equal(abspointer_scale(0, 0, 32767, 800), 0);
    assert_int_equal(abspointer_scale(32767, 0, 32767, 800), 799);
    assert_int_equal(abspointer_scale(16384, 0, 32767, 800), 400);
    /* A touch frame whose range does not start at 0. */
    assert_int_equal(abspointer_scale(100, 100, 4095, 480), 0);
    assert_int_equal(abspointer_scale(4095, 100, 4095, 480), 479);
    /* Out of range is clamped; a range of nothing gives 0. */
    assert_int_equal(abspointer_scale(-50, 0, 1000, 800), 0);
    assert_int_equal(abspointer_scale(5000, 0, 1000, 800), 799);
    assert_int_equal(abspointer_scale(7, 5, 5, 800), 0);
    assert_int_equal(abspointer_scale(7, 0, 10, 1), 0);
}

static void test_pointer_not_input(void **state)
{
    (void)state;
    int x = 12, y = 34;
    int fd = open("/dev/null", O_RDONLY);
    assert_true(fd >= 0);
    assert_false(abspointer_position(fd, 800, 480, &x, &y));
    close(fd);
    assert_false(abspointer_position(-1, 800, 480, &x, &y));
    int p[2];
    assert_int_equal(pipe(p), 0);
    assert_false(abspointer_position(p[0], 800, 480, &x, &y));
    close(p[0]);
    close(p[1]);
    assert_int_equal(x, 12);
    assert_int_equal(y, 34);
}

/* With evdev_mouse on and a mouse id that is no input device (X11's mouse
 * 0 is stdin, a closed or other descriptor), SDL's position stands. */
static void test_input_keeps_sdl_position(void **state)
{
    (void)state;
    Layout l;
    KsView v;
    static const char *const ids[] = {"left", "right"};
    input_screen(&l, &v, 2, ids, STYLE_TILE_V);
    InputState s;
    InputMap m = {.win_w = 800, .win_h = 480, .evdev_mouse = true};
    input_init(&s, &m);
    int fd = open("/dev/null", O_RDONLY);
    assert_true(fd >= 0);
    SDL_Event ev[] = {input_mouse(SDL_MOUSEBUTTONDOWN, (Uint32)fd, 600, 200),
                      input_mouse(SDL_MOUSEBUTTONUP, (Uint32)fd, 600, 200)};
    char id[KS_TARGET_ID_MAX] = "";
    int taps = input_feed(&s, &l, &v, ev, 2, NULL, id);
    close(fd);
    assert_int_equal(taps, 1);
    assert_string_equal(id, "right");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_samples_match),
        cmocka_unit_test(test_probe_software),
        cmocka_unit_test(test_pointer_scale),
        cmocka_unit_test(test_pointer_not_input),
        cmocka_unit_test(test_input_keeps_sdl_position),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
