/* test_frame: the welcome picture's float is drawn by repainting only where
 * the picture was and is (ui/sdl_platform.c keeps the rest of the last
 * frame). Here, on SDL's software renderer, such a clipped repaint of the
 * attract screen must give exactly the pixels of a whole frame drawn with
 * the picture at its new place, at three screen sizes and for every offset
 * the float reaches, drawn straight and through the retained layer. A
 * press drawn over the layer must give the pixels of the page drawn
 * straight with that target pressed; so must every press, slide and lift
 * on a target that keeps its pixels, where a frame draws only what
 * changed. A page drawn under a clip changes no pixel outside it. */
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

/* A frame of v with the picture moved by dy, into r's target; with clip,
 * only that part, drawn straight past the layer as sdl_platform.c draws a
 * step of the float. */
static void frame(RenderCtx *c, const KsView *v, Layout l, int dy, const SDL_Rect *clip)
{
    l.picture.y += dy;
    if (clip) {
        SDL_RenderSetClipRect(c->r, clip);
        render_straight(c, v, &l, -1);
    } else {
        render_frame(c, v, &l, -1);
    }
    SDL_RenderSetClipRect(c->r, NULL);
}

/* part (read back from rp when it is a window's) equals whole. */
static void same_frame(SDL_Renderer *rp, bool window, SDL_Surface *part, SDL_Surface *whole, int dy)
{
    int w = whole->w, h = whole->h;
    if (window)
        assert_int_equal(
            SDL_RenderReadPixels(rp, NULL, SDL_PIXELFORMAT_RGB888, part->pixels, part->pitch), 0);
    for (int y = 0; y < h; y++) {
        const Uint8 *a = (const Uint8 *)part->pixels + (size_t)y * (size_t)part->pitch;
        const Uint8 *b = (const Uint8 *)whole->pixels + (size_t)y * (size_t)whole->pitch;
        if (memcmp(a, b, (size_t)w * 4) != 0)
            fail_msg("%dx%d, offset %d: row %d differs from a whole frame", w, h, dy, y);
    }
}

/* A window of w x h on the dummy driver with SDL's software renderer:
 * the target the kiosk draws on. */
static SDL_Renderer *window_renderer(int w, int h, SDL_Window **win)
{
    *win = SDL_CreateWindow("frame", 0, 0, w, h, 0);
    assert_non_null(*win);
    SDL_Renderer *r = SDL_CreateRenderer(*win, -1, SDL_RENDERER_SOFTWARE);
    assert_non_null(r);
    return r;
}

/* Repaints of the part the picture left and took, checked against whole
 * frames, for each offset from -amp to amp; then, with the layer, the
 * next frame through it (a press): the layer has caught up. On a kept
 * target (the window is the layer), that frame has nothing left to draw. */
static void check_float(int w, int h, bool layer, bool kept)
{
    /* The window's own format under the dummy and X11 drivers. */
    SDL_Surface *part = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_RGB888);
    SDL_Surface *whole = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_RGB888);
    assert_non_null(part);
    assert_non_null(whole);
    /* The layer takes the format of the window it is copied to: the
     * layered side draws on a window, read back into part. */
    SDL_Window *win = NULL;
    SDL_Renderer *rp = layer ? window_renderer(w, h, &win) : SDL_CreateSoftwareRenderer(part);
    SDL_Renderer *rw = SDL_CreateSoftwareRenderer(whole);
    Text *tp = text_create(rp, &FONTS), *tw = text_create(rw, &FONTS);
    Pictures *pp = pictures_create(rp), *pw = pictures_create(rw);
    assert_non_null(tp);
    assert_non_null(tw);
    Theme theme;
    theme_init(&theme, w, h, 154.08, 85.92);
    RenderCache *cache = layer ? render_cache_create() : NULL;
    render_cache_keep_target(cache, kept);
    RenderCtx cp = {rp, &theme, tp, pp, "assets/icons", cache};
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
    SDL_Rect area = {0, 0, 0, 0};
    frame(&cp, &v, l, last, NULL);
    /* A new view's first frame is drawn straight; the second composes the
     * layer, which the float's steps then go past. */
    frame(&cp, &v, l, last, NULL);
    for (int i = 1; i <= 2 * amp; i++) {
        int dy = i % 2 ? amp - i / 2 : -amp + i / 2;
        /* What sdl_platform.c repaints: where the picture was and is. */
        static Layout was, now;
        was = now = l;
        was.picture.y += last;
        now.picture.y += dy;
        last = dy;
        SDL_Rect from = render_picture_area(&cp, &was), to = render_picture_area(&cp, &now);
        /* the picture's own place, not its whole box */
        assert_true(to.w * to.h < l.picture.w * l.picture.h);
        SDL_UnionRect(&from, &to, &area);
        render_cache_lag(cache, &area);
        frame(&cp, &v, l, dy, &area);
        frame(&cw, &v, l, dy, NULL);
        same_frame(rp, layer, part, whole, dy);
    }
    if (kept) {
        /* A mark where the last step drew stays: nothing lags. */
        SDL_SetRenderDrawColor(rp, 255, 0, 255, 255);
        SDL_RenderDrawPoint(rp, area.x, area.y);
        Uint32 mark = 0, now = 0;
        SDL_Rect at = {area.x, area.y, 1, 1};
        SDL_RenderReadPixels(rp, &at, SDL_PIXELFORMAT_ARGB8888, &mark, 4);
        frame(&cp, &v, l, last, NULL);
        SDL_RenderReadPixels(rp, &at, SDL_PIXELFORMAT_ARGB8888, &now, 4);
        assert_int_equal(now, mark);
    } else if (layer) {
        /* A frame through the layer (a press) has every step in. */
        frame(&cp, &v, l, last, NULL);
        same_frame(rp, layer, part, whole, last);
    }
    render_cache_destroy(cache);
    pictures_destroy(pp);
    pictures_destroy(pw);
    text_destroy(tp);
    text_destroy(tw);
    SDL_DestroyRenderer(rp);
    SDL_DestroyRenderer(rw);
    if (win)
        SDL_DestroyWindow(win);
    SDL_FreeSurface(part);
    SDL_FreeSurface(whole);
}

static void test_attract_float(void **state)
{
    (void)state;
    check_float(1280, 800, false, false);
    check_float(800, 480, false, false);
    check_float(720, 1280, false, false);
    check_float(1280, 800, true, false);
    check_float(720, 1280, true, false);
    check_float(1280, 800, true, true);
}

/* A page of multiple choice: four picture tiles, back, next and quit. */
static void choices_view(KsView *v)
{
    static const char *const words[] = {"Lesen", "Schreiben", "Rechnen", "Deutsch sprechen"};
    static const char *const pics[] = {"library.svg", "homework.svg", "maths.svg", "people.svg"};
    memset(v, 0, sizeof *v);
    v->generation = 1;
    v->screen = KS_SCREEN_QUESTION;
    v->form_id = "kinder";
    v->question = "schwer";
    v->lang = "de";
    v->widget = KS_WIDGET_CHECKS;
    v->progress_pos = 5;
    v->progress_total = 9;
    snprintf(v->progress_text, sizeof v->progress_text, "Frage 5 von 9");
    v->n_items = 1;
    v->items[0].question = "schwer";
    v->items[0].widget = KS_WIDGET_CHECKS;
    snprintf(v->items[0].title, sizeof v->items[0].title, "Was ist schwer?");
    snprintf(v->title, sizeof v->title, "Was ist schwer?");
    for (int i = 0; i < 4; i++) {
        KsViewTarget *t = &v->targets[v->n_targets++];
        snprintf(t->id, sizeof t->id, "choice:%d", i);
        t->text = words[i];
        t->image = pics[i];
        t->item = 0;
        t->role = KS_TARGET_OPTION;
        t->selected = i == 1;
        t->enabled = true;
    }
    static const KsTargetRole roles[] = {KS_TARGET_BACK, KS_TARGET_NEXT, KS_TARGET_QUIT};
    static const char *const ids[] = {"back", "next", "quit"};
    for (int i = 0; i < 3; i++) {
        KsViewTarget *t = &v->targets[v->n_targets++];
        snprintf(t->id, sizeof t->id, "%s", ids[i]);
        t->text = ids[i];
        t->item = -1;
        t->role = roles[i];
        t->enabled = true;
    }
}

static void read_frame(SDL_Renderer *r, int w, Uint32 *px)
{
    assert_int_equal(SDL_RenderReadPixels(r, NULL, SDL_PIXELFORMAT_ARGB8888, px, w * 4), 0);
}

/* The frames on ra and rb are the same, pixel for pixel. */
static void same_frames(SDL_Renderer *ra, SDL_Renderer *rb, int w, int h, const char *what, int p)
{
    size_t n = (size_t)w * (size_t)h;
    Uint32 *a = SDL_malloc(n * 4), *b = SDL_malloc(n * 4);
    read_frame(ra, w, a);
    read_frame(rb, w, b);
    for (int y = 0; y < h; y++)
        if (memcmp(a + (size_t)y * (size_t)w, b + (size_t)y * (size_t)w, (size_t)w * 4) != 0)
            fail_msg("%dx%d, %s %d: row %d differs from the page drawn straight", w, h, what, p, y);
    SDL_free(a);
    SDL_free(b);
}

static Uint32 pixel_at(SDL_Renderer *r, int x, int y)
{
    Uint32 px = 0;
    assert_int_equal(
        SDL_RenderReadPixels(r, &(SDL_Rect){x, y, 1, 1}, SDL_PIXELFORMAT_ARGB8888, &px, 4), 0);
    return px;
}

/* Two windows of the same size on the software renderer: a's frames go
 * through a cache (its target kept or not), b's are drawn straight. */
typedef struct {
    SDL_Window *wa, *wb;
    SDL_Renderer *ra, *rb;
    Text *ta, *tb;
    Pictures *pa, *pb;
    RenderCache *cache;
    Theme theme;
    RenderCtx ca, cb;
} Pair;

static void pair_open(Pair *p, int w, int h, bool kept)
{
    p->ra = window_renderer(w, h, &p->wa);
    p->rb = window_renderer(w, h, &p->wb);
    p->ta = text_create(p->ra, &FONTS);
    p->tb = text_create(p->rb, &FONTS);
    p->pa = pictures_create(p->ra);
    p->pb = pictures_create(p->rb);
    p->cache = render_cache_create();
    render_cache_keep_target(p->cache, kept);
    theme_init(&p->theme, w, h, 154.08, 85.92);
    p->ca = (RenderCtx){p->ra, &p->theme, p->ta, p->pa, "assets/icons", p->cache};
    p->cb = (RenderCtx){p->rb, &p->theme, p->tb, p->pb, "assets/icons", NULL};
}

static void pair_close(Pair *p)
{
    render_cache_destroy(p->cache);
    pictures_destroy(p->pa);
    pictures_destroy(p->pb);
    text_destroy(p->ta);
    text_destroy(p->tb);
    SDL_DestroyRenderer(p->ra);
    SDL_DestroyRenderer(p->rb);
    SDL_DestroyWindow(p->wa);
    SDL_DestroyWindow(p->wb);
}

/* Every target of v pressed in turn: the layer (composed with no finger
 * down) with the press over it against the page drawn straight. */
static void check_presses(const KsView *v, int w, int h)
{
    static Pair pair;
    pair_open(&pair, w, h, false);
    static Layout l;
    layout_compute(&l, v, &pair.theme, w, h);
    assert_true(l.n > 0);
    render_frame(&pair.ca, v, &l, -1);
    for (int p = -1; p < l.n; p++) {
        int over_a = render_frame(&pair.ca, v, &l, p);
        int over_b = render_frame(&pair.cb, v, &l, p);
        assert_int_equal(over_a, over_b);
        same_frames(pair.ra, pair.rb, w, h, "target pressed", p);
    }
    pair_close(&pair);
}

/* On a target that keeps its pixels: each press, a slide to the next
 * target and each lift, drawn only where they change, against the page
 * drawn straight; a frame where nothing changed draws nothing, and one
 * after render_cache_lag draws that area again. */
static void check_kept(const KsView *v, int w, int h)
{
    static Pair pair;
    pair_open(&pair, w, h, true);
    static Layout l;
    layout_compute(&l, v, &pair.theme, w, h);
    assert_true(l.n > 0);
    render_frame(&pair.ca, v, &l, -1);
    render_frame(&pair.cb, v, &l, -1);
    same_frames(pair.ra, pair.rb, w, h, "nothing pressed", -1);
    for (int p = 0; p < l.n; p++) {
        static const int steps[3][2] = {{0, 0}, {1, 1}, {-1, 0}}; /* press, slide on, lift */
        for (int k = 0; k < 3; k++) {
            int q = steps[k][0] < 0 ? -1 : (p + steps[k][0]) % l.n;
            assert_int_equal(render_frame(&pair.ca, v, &l, q), render_frame(&pair.cb, v, &l, q));
            same_frames(pair.ra, pair.rb, w, h, q < 0 ? "lifted after target" : "target pressed",
                        q < 0 ? p : q);
        }
    }
    /* A mark on the screen stays through a frame with nothing new... */
    SDL_SetRenderDrawColor(pair.ra, 255, 0, 255, 255);
    SDL_RenderDrawPoint(pair.ra, 2, 2);
    Uint32 mark = pixel_at(pair.ra, 2, 2);
    render_frame(&pair.ca, v, &l, -1);
    assert_int_equal(pixel_at(pair.ra, 2, 2), mark);
    /* ...and goes with one that draws its place again. */
    render_cache_lag(pair.cache, &(SDL_Rect){0, 0, 8, 8});
    render_frame(&pair.ca, v, &l, -1);
    same_frames(pair.ra, pair.rb, w, h, "after the lag", -1);
    SDL_RenderDrawPoint(pair.ra, 2, 2);
    render_cache_invalidate(pair.cache, NULL);
    render_frame(&pair.ca, v, &l, -1);
    same_frames(pair.ra, pair.rb, w, h, "a new view", -1);
    pair_close(&pair);
}

/* A drawing: the canvas with a stroke, two pens, back and next. */
static void drawing_view(KsView *v)
{
    static const KsPoint points[] = {{0.1f, 0.1f}, {0.5f, 0.9f}, {0.9f, 0.2f}};
    static const KsStroke strokes[] = {{1, 0, 3}};
    memset(v, 0, sizeof *v);
    v->generation = 1;
    v->screen = KS_SCREEN_QUESTION;
    v->form_id = "kinder";
    v->question = "bild";
    v->lang = "de";
    v->widget = KS_WIDGET_CANVAS;
    v->n_items = 1;
    v->items[0].question = "bild";
    v->items[0].widget = KS_WIDGET_CANVAS;
    v->items[0].drawing = (KsDrawingView){points, strokes, 1};
    snprintf(v->items[0].title, sizeof v->items[0].title, "Mal, was dir fehlt.");
    snprintf(v->title, sizeof v->title, "Mal, was dir fehlt.");
    KsViewTarget *t = &v->targets[v->n_targets++];
    snprintf(t->id, sizeof t->id, "canvas");
    t->item = 0;
    t->role = KS_TARGET_CANVAS;
    t->enabled = true;
    for (int i = 0; i < 2; i++) {
        t = &v->targets[v->n_targets++];
        snprintf(t->id, sizeof t->id, "pen:%s", ks_pen_names[i]);
        t->text = "";
        t->item = 0;
        t->pen = i;
        t->role = KS_TARGET_OPTION;
        t->slot = KS_SLOT_PEN;
        t->selected = i == 1;
        t->enabled = true;
    }
    static const KsTargetRole roles[] = {KS_TARGET_BACK, KS_TARGET_NEXT};
    static const char *const ids[] = {"back", "next"};
    for (int i = 0; i < 2; i++) {
        t = &v->targets[v->n_targets++];
        snprintf(t->id, sizeof t->id, "%s", ids[i]);
        t->text = ids[i];
        t->item = -1;
        t->role = roles[i];
        t->enabled = true;
    }
}

static void test_kept_target(void **state)
{
    (void)state;
    KsView v;
    welcome_view(&v);
    check_kept(&v, 1280, 800);
    choices_view(&v);
    check_kept(&v, 1280, 800);
    check_kept(&v, 800, 480);
    drawing_view(&v);
    check_kept(&v, 1280, 800);
}

/* A new view of the same page where only answers changed: the numbers of
 * render_sig_* name an area around the changed tiles only, and a frame
 * drawn there on the kept target gives the new page drawn whole. A new
 * title is more than targets: the page is drawn whole. */
static void test_changed_targets(void **state)
{
    (void)state;
    int w = 1280, h = 800;
    static Pair pair;
    pair_open(&pair, w, h, true);
    static KsView v1, v2;
    static Layout l1, l2;
    static RenderSig s1, s2;
    choices_view(&v1);
    layout_compute(&l1, &v1, &pair.theme, w, h);
    render_sig_make(&pair.theme, &v1, &l1, &s1);
    render_frame(&pair.ca, &v1, &l1, -1);
    v2 = v1;
    v2.generation++;
    v2.targets[1].selected = false;
    v2.targets[2].selected = true;
    layout_compute(&l2, &v2, &pair.theme, w, h);
    render_sig_make(&pair.theme, &v2, &l2, &s2);
    SDL_Rect area;
    assert_true(render_sig_changes(&s1, &s2, &area));
    assert_true(area.w > 0 && area.h > 0 && (long)area.w * area.h < (long)w * h / 2);
    render_cache_invalidate(pair.cache, &area);
    render_frame(&pair.ca, &v2, &l2, -1);
    render_frame(&pair.cb, &v2, &l2, -1);
    same_frames(pair.ra, pair.rb, w, h, "answer changed, target", 2);
    /* The same view again: nothing changed. */
    assert_true(render_sig_changes(&s2, &s2, &area));
    assert_int_equal(area.w, 0);
    /* Another title: the page. */
    snprintf(v2.title, sizeof v2.title, "Was ist leicht?");
    layout_compute(&l2, &v2, &pair.theme, w, h);
    render_sig_make(&pair.theme, &v2, &l2, &s1);
    assert_false(render_sig_changes(&s2, &s1, &area));
    pair_close(&pair);
}

/* A page drawn under a clip (ui_prefetch draws the next page under an
 * empty one, to make its text and pictures) changes no pixel outside it:
 * the canvas keeps its strokes to the clip it is given. */
static void test_clip_kept_to(void **state)
{
    (void)state;
    int w = 1280, h = 800;
    SDL_Window *win;
    SDL_Renderer *r = window_renderer(w, h, &win);
    Text *t = text_create(r, &FONTS);
    Pictures *p = pictures_create(r);
    Theme theme;
    theme_init(&theme, w, h, 154.08, 85.92);
    RenderCtx c = {r, &theme, t, p, "assets/icons", NULL};
    KsView v;
    drawing_view(&v);
    static Layout l;
    layout_compute(&l, &v, &theme, w, h);
    int canvas = -1;
    for (int i = 0; i < l.n; i++)
        canvas = l.targets[i].style == STYLE_CANVAS ? i : canvas;
    assert_true(canvas >= 0);
    SDL_Rect parts[2] = {{0, 0, 0, 0}, l.targets[canvas].rect};
    parts[1].w /= 2; /* the canvas's left half: its strokes cross it */
    for (int k = 0; k < 2; k++) {
        SDL_SetRenderDrawColor(r, 255, 0, 255, 255);
        SDL_RenderClear(r);
        SDL_RenderSetClipRect(r, &parts[k]);
        render_frame(&c, &v, &l, -1);
        SDL_RenderSetClipRect(r, NULL);
        SDL_Rect all = {0, 0, w, h}, inside;
        for (int y = 0; y < h; y += 7)
            for (int x = 0; x < w; x += 7) {
                SDL_Point at = {x, y};
                bool in =
                    SDL_IntersectRect(&parts[k], &all, &inside) && SDL_PointInRect(&at, &inside);
                if (!in && pixel_at(r, x, y) != 0xFFFF00FFu)
                    fail_msg("clip %d: pixel %d,%d outside it was drawn", k, x, y);
            }
    }
    pictures_destroy(p);
    text_destroy(t);
    SDL_DestroyRenderer(r);
    SDL_DestroyWindow(win);
}

static void test_press_over_layer(void **state)
{
    (void)state;
    KsView v;
    welcome_view(&v);
    check_presses(&v, 1280, 800);
    choices_view(&v);
    check_presses(&v, 1280, 800);
    check_presses(&v, 800, 480);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_attract_float),   cmocka_unit_test(test_press_over_layer),
        cmocka_unit_test(test_kept_target),     cmocka_unit_test(test_clip_kept_to),
        cmocka_unit_test(test_changed_targets),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
