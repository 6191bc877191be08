/* test_frame: the welcome picture's float is drawn by repainting only where
 * the picture was and is (ui/sdl_platform.c keeps the rest of the last
 * frame). Here, on SDL's software renderer, such a clipped repaint of the
 * attract screen must give exactly the pixels of a whole frame drawn with
 * the picture at its new place, at three screen sizes and for every offset
 * the float reaches. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <SDL.h>
#include <stdio.h>
#include <string.h>

#include "../../ui/render.h"

#define FONT_DIR "/usr/share/fonts/truetype/"

static const TextFonts FONTS = {
    FONT_DIR "noto/NotoSans-Regular.ttf",       FONT_DIR "noto/NotoSans-Bold.ttf",
    FONT_DIR "noto/NotoSansArabic-Regular.ttf", FONT_DIR "noto/NotoSansArabic-Bold.ttf",
    FONT_DIR "dejavu/DejaVuSans.ttf",           NULL,
};

static int setup(void **state)
{
    (void)state;
    SDL_setenv("SDL_VIDEODRIVER", "dummy", 1);
    return SDL_Init(SDL_INIT_VIDEO);
}

static int teardown(void **state)
{
    (void)state;
    SDL_Quit();
    return 0;
}

/* The welcome screen as the kiosk shows it. */
static void welcome_view(KsView *v)
{
    memset(v, 0, sizeof *v);
    v->generation = 1;
    v->screen = KS_SCREEN_ATTRACT;
    v->form_id = v->question = v->lang = "";
    snprintf(v->title, sizeof v->title, "Hallo! Sag uns deine Meinung.");
    snprintf(v->message, sizeof v->message, "Hello! Tell us what you think.");
    v->n_targets = 1;
    KsViewTarget *t = &v->targets[0];
    snprintf(t->id, sizeof t->id, "start");
    t->text = "Tippe hier, um zu starten";
    t->subtext = "Tap here to start";
    t->image = "hand.svg";
    t->item = -1;
    t->role = KS_TARGET_PRIMARY;
    t->enabled = true;
}

/* A frame of v with the picture moved by dy, into r's target; clipped to
 * clip when it is not NULL. */
static void frame(RenderCtx *c, const KsView *v, Layout l, int dy, const SDL_Rect *clip)
{
    l.picture.y += dy;
    if (clip)
        SDL_RenderSetClipRect(c->r, clip);
    render_frame(c, v, &l, -1);
    SDL_RenderSetClipRect(c->r, NULL);
}

/* Repaints of the part the picture left and took, checked against whole
 * frames, for each offset from -amp to amp. */
static void check_float(int w, int h)
{
    /* The window's own format under the dummy and X11 drivers. */
    SDL_Surface *part = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_RGB888);
    SDL_Surface *whole = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_RGB888);
    assert_non_null(part);
    assert_non_null(whole);
    SDL_Renderer *rp = SDL_CreateSoftwareRenderer(part);
    SDL_Renderer *rw = SDL_CreateSoftwareRenderer(whole);
    Text *tp = text_create(rp, &FONTS), *tw = text_create(rw, &FONTS);
    Pictures *pp = pictures_create(rp), *pw = pictures_create(rw);
    assert_non_null(tp);
    assert_non_null(tw);
    Theme theme;
    theme_init(&theme, w, h, 154.08, 85.92);
    RenderCtx cp = {rp, &theme, tp, pp, "assets/icons", NULL};
    RenderCtx cw = {rw, &theme, tw, pw, "assets/icons", NULL};
    KsView v;
    welcome_view(&v);
    static Layout l;
    layout_compute(&l, &v, &theme, w, h);
    assert_true(l.picture.w > 0);
    int amp = h / 130 + 2; /* as sdl_platform.c floats it */
    /* Every offset, each reached by a jump across the float's range (a
     * step of one pixel would hide a clip too small behind the picture's
     * transparent margin). */
    int last = -amp;
    frame(&cp, &v, l, last, NULL);
    for (int i = 1; i <= 2 * amp; i++) {
        int dy = i % 2 ? amp - i / 2 : -amp + i / 2;
        /* What sdl_platform.c repaints: where the picture was and is. */
        static Layout was, now;
        was = now = l;
        was.picture.y += last;
        now.picture.y += dy;
        last = dy;
        SDL_Rect from = render_picture_area(&cp, &was), to = render_picture_area(&cp, &now), area;
        /* the picture's own place, not its whole box */
        assert_true(to.w * to.h < l.picture.w * l.picture.h);
        SDL_UnionRect(&from, &to, &area);
        frame(&cp, &v, l, dy, &area);
        frame(&cw, &v, l, dy, NULL);
        for (int y = 0; y < h; y++) {
            const Uint8 *a = (const Uint8 *)part->pixels + (size_t)y * (size_t)part->pitch;
            const Uint8 *b = (const Uint8 *)whole->pixels + (size_t)y * (size_t)whole->pitch;
            if (memcmp(a, b, (size_t)w * 4) != 0)
                fail_msg("%dx%d, offset %d: row %d differs from a whole frame", w, h, dy, y);
        }
    }
    pictures_destroy(pp);
    pictures_destroy(pw);
    text_destroy(tp);
    text_destroy(tw);
    SDL_DestroyRenderer(rp);
    SDL_DestroyRenderer(rw);
    SDL_FreeSurface(part);
    SDL_FreeSurface(whole);
}

static void test_attract_float(void **state)
{
    (void)state;
    check_float(1280, 800);
    check_float(800, 480);
    check_float(720, 1280);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_attract_float),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
