/* test_kiosk_widgets: the kiosk state machine on the widgets fixture form —
 * the drawing canvas (strokes by drag events, pens, undo, clear, the PNG
 * stored beside the answer), the slider, keyboard page and layout
 * switching, the suspected-misuse flag and the thank-you cool-down. What is
 * stored is read back with SQLite directly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../firmware/app/drawing.h"
#include "../../firmware/app/kiosk.h"
#include "../../firmware/core/clock.h"
#include "../../firmware/core/config.h"
#include "../../firmware/storage/store_responses.h"
#include "../../firmware/sys/audio.h"
#include "../../firmware/sys/speech.h"
#include "../test_main.h"
#include "db_fixture.h"
#include "kiosk_fixture.h"

typedef KioskFixture Fx;

/* The kiosk on the widgets form alone. */
static int setup(void **state)
{
    const KioskFixtureOptions o = {.one_form = "tests/fixtures/forms/widgets"};
    return kiosk_fixture_setup(state, &o);
}

static void drag(Kiosk *k, const char *id, KsDragPhase phase, float x, float y)
{
    KsEvent e = {.type = KS_EV_DRAG, .phase = phase, .x = x, .y = y};
    snprintf(e.target, sizeof e.target, "%s", id);
    kiosk_handle(k, &e);
}

/* Taps `next` (reading for a while first, as a person would) until the
 * question `name` is shown, answering what blocks on the way. */
static void go_to(Fx *f, const char *name)
{
    for (int guard = 0; guard < 20; guard++) {
        const KsView *v = kiosk_view(f->k);
        if (v->screen == KS_SCREEN_QUESTION && strcmp(v->question, name) == 0)
            return;
        clock_advance_ms(3000);
        if (strcmp(v->question, "alter") == 0) {
            tap(f->k, "key:9");
        } else if (strcmp(v->question, "zufrieden") == 0) {
            tap(f->k, "value:3");
        }
        tap(f->k, "next");
    }
    fail_msg("question %s not reached", name);
}

static void start(Fx *f, const char *lang)
{
    tap(f->k, "start");
    char id[32];
    snprintf(id, sizeof id, "lang:%s", lang);
    tap(f->k, id);
    tap(f->k, "audience:widgets");
}

/* A session in lang, on the page of question. */
static void start_at(Fx *f, const char *lang, const char *question)
{
    start(f, lang);
    go_to(f, question);
}

/* The value the database holds for the answer to question. */
static void expect_answer(Fx *f, const char *question, const char *want)
{
    char sql[128], buf[128];
    snprintf(sql, sizeof sql, "SELECT value FROM answer WHERE question = '%s'", question);
    assert_string_equal(db_file_text(f->db, sql, buf, sizeof buf), want);
}

static void test_drawing_png(void **state)
{
    (void)state;
    Drawing *d = drawing_create();
    uint8_t *png = NULL;
    size_t n = 0;
    assert_int_equal(drawing_to_png(d, &png, &n), KS_ERR_INVALID);
    drawing_begin(d, 1, 0.1f, 0.1f);
    drawing_move(d, 0.9f, 0.9f);
    drawing_move(d, 0.9005f, 0.9f); /* too close: skipped */
    drawing_move(d, 2.0f, -1.0f);   /* clamped */
    KsDrawingView v = drawing_view(d);
    assert_int_equal(v.n_strokes, 1);
    assert_int_equal(v.strokes[0].n, 3);
    assert_true(v.points[2].x == 1.0f && v.points[2].y == 0.0f);
    assert_int_equal(drawing_to_png(d, &png, &n), KS_OK);
    assert_true(n > 100);
    assert_memory_equal(png, "\x89PNG\r\n\x1a\n", 8);
    free(png);
    unsigned rev = drawing_revision(d);
    assert_true(drawing_undo(d));
    assert_true(drawing_revision(d) != rev);
    assert_false(drawing_undo(d));
    assert_int_equal(drawing_stroke_count(d), 0);
    drawing_destroy(d);
}

static void test_canvas_answer(void **state)
{
    Fx *f = *state;
    start_at(f, "de", "bild");
    const KsView *v = kiosk_view(f->k);
    assert_int_equal(v->items[0].widget, KS_WIDGET_CANVAS);
    assert_non_null(find(v, "canvas"));
    assert_true(find(v, "pen:black")->selected);
    assert_false(find(v, "undo")->enabled);
    tap(f->k, "pen:red");
    drag(f->k, "canvas", KS_DRAG_BEGIN, 0.2f, 0.2f);
    drag(f->k, "canvas", KS_DRAG_MOVE, 0.5f, 0.6f);
    drag(f->k, "canvas", KS_DRAG_END, 0.8f, 0.3f);
    v = kiosk_view(f->k);
    assert_true(find(v, "pen:red")->selected);
    assert_int_equal(v->items[0].drawing.n_strokes, 1);
    assert_int_equal(v->items[0].drawing.strokes[0].pen, 1);
    assert_int_equal(v->items[0].drawing.strokes[0].n, 3);
    assert_true(find(v, "undo")->enabled);
    /* A second stroke, undone; then moving on stores the first as PNG. */
    drag(f->k, "canvas", KS_DRAG_BEGIN, 0.1f, 0.9f);
    drag(f->k, "canvas", KS_DRAG_END, 0.9f, 0.9f);
    assert_int_equal(kiosk_view(f->k)->items[0].drawing.n_strokes, 2);
    tap(f->k, "undo");
    assert_int_equal(kiosk_view(f->k)->items[0].drawing.n_strokes, 1);
    tap(f->k, "next");
    char buf[128];
    expect_answer(f, "bild", "bild.png");
    assert_string_equal(db_file_text(f->db,
                                     "SELECT mime || ':' || (substr(hex(data), 1, 8))"
                                     " FROM answer_media WHERE question = 'bild'",
                                     buf, sizeof buf),
                        "image/png:89504E47");
    /* Back, clear: the answer and its picture are gone. */
    tap(f->k, "back");
    assert_int_equal(kiosk_view(f->k)->items[0].drawing.n_strokes, 1);
    tap(f->k, "clear");
    tap(f->k, "next");
    assert_string_equal(db_file_text(f->db, "SELECT count(*) FROM answer_media", buf, sizeof buf),
                        "0");
    assert_string_equal(
        db_file_text(f->db, "SELECT count(*) FROM answer WHERE question = 'bild'", buf, sizeof buf),
        "0");
}

/* Leaving the canvas lifts the pen; coming back starts a new stroke. */
static void test_canvas_edge(void **state)
{
    Fx *f = *state;
    start_at(f, "de", "bild");
    drag(f->k, "canvas", KS_DRAG_BEGIN, 0.5f, 0.5f);
    drag(f->k, "canvas", KS_DRAG_MOVE, 0.8f, 0.5f);
    drag(f->k, "canvas", KS_DRAG_MOVE, 1.3f, 0.5f);
    drag(f->k, "canvas", KS_DRAG_MOVE, 1.6f, 0.2f);
    drag(f->k, "canvas", KS_DRAG_MOVE, 0.9f, 0.2f);
    drag(f->k, "canvas", KS_DRAG_END, 0.7f, 0.1f);
    const KsDrawingView *d = &kiosk_view(f->k)->items[0].drawing;
    assert_int_equal(d->n_strokes, 2);
    assert_int_equal(d->strokes[0].n, 2);
    assert_int_equal(d->strokes[1].n, 2);
}

static void test_slider(void **state)
{
    Fx *f = *state;
    start_at(f, "de", "prozent");
    const KsView *v = kiosk_view(f->k);
    assert_int_equal(v->items[0].widget, KS_WIDGET_SLIDER);
    assert_false(v->items[0].has_value);
    drag(f->k, "slider", KS_DRAG_BEGIN, 0.1f, 0.5f);
    drag(f->k, "slider", KS_DRAG_MOVE, 0.33f, 0.5f);
    v = kiosk_view(f->k);
    assert_true(v->items[0].has_value);
    assert_true(v->items[0].value == 35.0);        /* 0.33 of 0..100, to the step of 5 */
    drag(f->k, "slider", KS_DRAG_END, 1.7f, 0.5f); /* past the end: the end */
    assert_true(kiosk_view(f->k)->items[0].value == 100.0);
    tap(f->k, "next");
    expect_answer(f, "prozent", "100");
}

/* In Arabic the slider starts at the right: the left edge is the end. */
static void test_slider_rtl(void **state)
{
    Fx *f = *state;
    start_at(f, "ar", "prozent");
    assert_true(kiosk_view(f->k)->rtl);
    drag(f->k, "slider", KS_DRAG_BEGIN, 0.0f, 0.5f);
    assert_true(kiosk_view(f->k)->items[0].value == 100.0);
    drag(f->k, "slider", KS_DRAG_END, 0.9f, 0.5f);
    assert_true(kiosk_view(f->k)->items[0].value == 10.0);
}

static void test_keyboard_switching(void **state)
{
    Fx *f = *state;
    start_at(f, "de", "wunsch");
    const KsView *v = kiosk_view(f->k);
    assert_string_equal(v->keys_layout, "de");
    assert_non_null(find(v, "key:ß"));
    assert_string_equal(find(v, "key:layout")->subtext, "EN");
    assert_string_equal(find(v, "key:symbols")->subtext, "123");
    tap(f->k, "key:symbols");
    v = kiosk_view(f->k);
    assert_string_equal(v->keys_layout, "symbols");
    assert_string_equal(find(v, "key:symbols")->subtext, "abc");
    tap(f->k, "key:7");
    tap(f->k, "key:symbols");
    assert_string_equal(kiosk_view(f->k)->keys_layout, "de");
    tap(f->k, "key:ä");
    /* The layout key goes round the six languages and back. */
    const char *order[] = {"en", "tr", "ar", "uk", "ru", "de"};
    for (int i = 0; i < 6; i++) {
        tap(f->k, "key:layout");
        assert_string_equal(kiosk_view(f->k)->keys_layout, order[i]);
    }
    tap(f->k, "key:layout");
    tap(f->k, "key:layout");
    tap(f->k, "key:layout"); /* Arabic */
    tap(f->k, "key:ب");
    assert_string_equal(kiosk_view(f->k)->items[0].entry, "7äب");
    tap(f->k, "next");
    expect_answer(f, "wunsch", "7äب");
}

/* The form limits the free text (parameters: max-length=60): the 61st key
 * does nothing. */
static void test_text_limit(void **state)
{
    Fx *f = *state;
    start_at(f, "en", "wunsch");
    for (int i = 0; i < 61; i++)
        tap(f->k, i % 7 == 6 ? "key:space" : "key:a");
    assert_int_equal(strlen(kiosk_view(f->k)->items[0].entry), 60);
    tap(f->k, "key:backspace");
    tap(f->k, "key:b");
    const char *e = kiosk_view(f->k)->items[0].entry;
    assert_int_equal(strlen(e), 60);
    assert_int_equal(e[59], 'b');
}

/* Pages left faster than anyone reads flag the session; a person taking
 * their time is not flagged. */
static void test_misuse_fast(void **state)
{
    Fx *f = *state;
    char buf[64];
    start(f, "de");
    tap(f->k, "key:9");
    for (int i = 0; i < 6; i++) {
        tap(f->k, "value:3"); /* the required scale */
        tap(f->k, "next");    /* no time passes: too fast */
    }
    assert_string_equal(
        db_file_text(f->db, "SELECT ifnull(misuse, '-') FROM session", buf, sizeof buf), "fast");
    /* The answers are kept. */
    expect_answer(f, "alter", "9");
}

static void test_misuse_none_and_burst(void **state)
{
    Fx *f = *state;
    char buf[64];
    start_at(f, "de", "prozent"); /* 3 s per page */
    assert_string_equal(
        db_file_text(f->db, "SELECT ifnull(misuse, '-') FROM session", buf, sizeof buf), "-");
    /* A hammering child: many taps within a second. */
    for (int i = 0; i < f->cfg.misuse_burst_taps; i++) {
        clock_advance_ms(50);
        tap(f->k, "undo");
    }
    assert_string_equal(
        db_file_text(f->db, "SELECT ifnull(misuse, '-') FROM session", buf, sizeof buf), "burst");
}

/* The thank-you screen offers "done" only after the cool-down. */
static void test_thanks_cooldown(void **state)
{
    Fx *f = *state;
    start_at(f, "de", "ok");
    tap(f->k, "ack");
    clock_advance_ms(3000);
    tap(f->k, "next");
    tap(f->k, "choice:verein/nein");
    clock_advance_ms(3000);
    tap(f->k, "next");
    const KsView *v = kiosk_view(f->k);
    assert_int_equal(v->screen, KS_SCREEN_THANKS);
    assert_false(find(v, "done")->enabled);
    tap(f->k, "done");
    assert_int_equal(kiosk_view(f->k)->screen, KS_SCREEN_THANKS);
    int64_t wake = kiosk_next_deadline(f->k);
    clock_advance_ms(wake - clock_mono_ms());
    kiosk_tick(f->k);
    v = kiosk_view(f->k);
    assert_int_equal(v->screen, KS_SCREEN_THANKS);
    assert_true(find(v, "done")->enabled);
    tap(f->k, "done");
    assert_int_equal(kiosk_view(f->k)->screen, KS_SCREEN_ATTRACT);
}

/* The speaker reads the question and its options; any other tap stops it. */
static void test_read_aloud(void **state)
{
    Fx *f = *state;
    AudioNull *sink = audio_null_create();
    KsAudioPort port = audio_null_port(sink);
    Speech *sp = NULL;
    assert_int_equal(speech_create(&port, &sp), KS_OK);
    kiosk_set_speech(f->k, sp);
    start_at(f, "de", "rangfolge");
    const KsViewTarget *t = find(kiosk_view(f->k), "speak");
    assert_non_null(t);
    assert_int_equal(t->role, KS_TARGET_SPEAK);
    tap(f->k, "speak");
    /* Question and four places; wait (in real time, up to 10 s on a busy
     * machine) for the worker to have spoken more than a second. */
    AudioNullStats st = audio_null_stats(sink);
    for (int i = 0; i < 1000 && (st.pcm_calls < 5 || st.samples <= (size_t)st.rate_hz); i++) {
        usleep(10000);
        st = audio_null_stats(sink);
    }
    assert_true(st.samples > (size_t)st.rate_hz); /* more than a second of speech */
    assert_true(st.peak > 1000);
    int stops = st.stops;
    tap(f->k, "rank:park");
    assert_true(audio_null_stats(sink).stops > stops);
    assert_false(speech_busy(sp));
    kiosk_set_speech(f->k, NULL);
    speech_destroy(sp);
    audio_null_destroy(sink);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_drawing_png),
        cmocka_unit_test(test_canvas_answer),
        cmocka_unit_test(test_canvas_edge),
        cmocka_unit_test(test_slider),
        cmocka_unit_test(test_slider_rtl),
        cmocka_unit_test(test_keyboard_switching),
        cmocka_unit_test(test_text_limit),
        cmocka_unit_test(test_misuse_fast),
        cmocka_unit_test(test_misuse_none_and_burst),
        cmocka_unit_test(test_thanks_cooldown),
        cmocka_unit_test(test_read_aloud),
    };
    return test_run_each(tests, setup, kiosk_fixture_teardown);
}
