/* test_speech: read-aloud through the null audio sink — every kiosk language
 * produces audible speech, a stop cancels a long text at once, WAV items go
 * to play_file, a second Speech is refused, sound is handed to a sink that
 * plays in time no further ahead than it plays, and the timing of synthesis
 * (first sound, a 10-word German sentence) is measured and bounded. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../firmware/sys/audio.h"
#include "../../firmware/sys/speech.h"
#include "../test_main.h"
#include "../test_time.h"
#include "../test_tmp.h"

typedef struct {
    AudioNull *sink;
    KsAudioPort port;
    Speech *sp;
} Fx;

static int setup(void **state)
{
    Fx *f = calloc(1, sizeof *f);
    f->sink = audio_null_create();
    f->port = audio_null_port(f->sink);
    assert_int_equal(speech_create(&f->port, &f->sp), KS_OK);
    assert_non_null(f->sp);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    Fx *f = *state;
    speech_destroy(f->sp);
    audio_null_destroy(f->sink);
    free(f);
    return 0;
}

static bool speech_busy_cb(void *ctx)
{
    return speech_busy(ctx);
}

/* Waits until the speech is idle; false after `timeout` seconds. */
static bool wait_idle(Speech *sp, double timeout)
{
    return test_wait_quiet(speech_busy_cb, sp, timeout);
}

static void test_every_language_speaks(void **state)
{
    Fx *f = *state;
    static const struct {
        const char *lang, *text;
    } cases[] = {
        {"de", "Wie geht es dir?"}, {"en", "How are you?"}, {"tr", "Nasılsın?"},
        {"ar", "كيف حالك؟"},        {"uk", "Як справи?"},   {"ru", "Как дела?"},
    };
    int rate = speech_rate_hz(f->sp);
    assert_true(rate >= 8000);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        audio_null_reset(f->sink);
        const char *texts[] = {cases[i].text};
        assert_int_equal(speech_say(f->sp, cases[i].lang, texts, 1), KS_OK);
        assert_true(wait_idle(f->sp, 10.0));
        AudioNullStats st = audio_null_stats(f->sink);
        print_message("%s: %.2f s of speech, peak %d\n", cases[i].lang, (double)st.samples / rate,
                      st.peak);
        assert_int_equal(st.rate_hz, rate);
        assert_true(st.samples > (size_t)rate * 3 / 10);
        assert_true(st.peak > 3000);
    }
}

/* The language screen's greeting: one sequence, each piece in its own
 * language's voice. The German voice (the sequence's language) spells
 * Arabic letters one by one (about 17 s for this greeting); the Arabic
 * voice says it in about 2.5 s. */
static void test_item_languages(void **state)
{
    Fx *f = *state;
    int rate = speech_rate_hz(f->sp);
    SpeechItem own[] = {{.text = "مرحبًا! أجب بالعربية", .lang = "ar"}};
    assert_int_equal(speech_say_items(f->sp, "de", own, 1), KS_OK);
    assert_true(wait_idle(f->sp, 10.0));
    size_t ar_voice = audio_null_stats(f->sink).samples;
    audio_null_reset(f->sink);
    SpeechItem german[] = {{.text = "مرحبًا! أجب بالعربية"}};
    assert_int_equal(speech_say_items(f->sp, "de", german, 1), KS_OK);
    assert_true(wait_idle(f->sp, 10.0));
    size_t de_voice = audio_null_stats(f->sink).samples;
    audio_null_reset(f->sink);
    print_message("Arabic greeting: %.2f s in the Arabic voice, %.2f s in the German one\n",
                  (double)ar_voice / rate, (double)de_voice / rate);
    assert_true(ar_voice > (size_t)rate / 2);
    assert_true(ar_voice * 3 < de_voice);
    /* All six in one sequence, switching voice piece by piece. */
    SpeechItem all[] = {
        {.text = "Hallo! Auf Deutsch antworten", .lang = "de"},
        {.text = "Hello! Answer in English", .lang = "en"},
        {.text = "Merhaba! Türkçe cevapla", .lang = "tr"},
        {.text = "مرحبًا! أجب بالعربية", .lang = "ar"},
        {.text = "Привіт! Відповідати українською", .lang = "uk"},
        {.text = "Привет! Отвечать по-русски", .lang = "ru"},
    };
    assert_int_equal(speech_say_items(f->sp, "de", all, 6), KS_OK);
    assert_true(wait_idle(f->sp, 30.0));
    AudioNullStats st = audio_null_stats(f->sink);
    assert_true(st.samples > (size_t)rate * 6 + ar_voice);
    assert_true(st.peak > 3000);
}

static void test_sequence_has_pauses(void **state)
{
    Fx *f = *state;
    int rate = speech_rate_hz(f->sp);
    const char *one[] = {"Ja"};
    assert_int_equal(speech_say(f->sp, "de", one, 1), KS_OK);
    assert_true(wait_idle(f->sp, 10.0));
    size_t single = audio_null_stats(f->sink).samples;
    audio_null_reset(f->sink);
    const char *three[] = {"Ja", "Ja", "Ja"};
    assert_int_equal(speech_say(f->sp, "de", three, 3), KS_OK);
    assert_true(wait_idle(f->sp, 10.0));
    size_t seq = audio_null_stats(f->sink).samples;
    /* Three pieces and two pauses of at least 0.2 s each. */
    assert_true(seq >= 3 * single + (size_t)rate * 4 / 10);
}

/* sentence n times over, in buf (size bytes). */
static const char *repeated(char *buf, size_t size, const char *sentence, int n)
{
    buf[0] = '\0';
    for (int i = 0; i < n; i++)
        strncat(buf, sentence, size - strlen(buf) - 1);
    return buf;
}

static void test_stop_cancels_long_text(void **state)
{
    Fx *f = *state;
    static char text[40000];
    const char *texts[] = {repeated(
        text, sizeof text, "Dies ist ein sehr langer Satz, der lange vorgelesen wird. ", 300)};
    assert_int_equal(speech_say(f->sp, "de", texts, 1), KS_OK);
    /* Wait until sound started, then stop in the middle of synthesis. */
    double end = test_seconds() + 5.0;
    while (audio_null_stats(f->sink).pcm_calls == 0 && test_seconds() < end)
        usleep(1000);
    assert_true(speech_busy(f->sp));
    int stops_before = audio_null_stats(f->sink).stops;
    double t0 = test_seconds();
    speech_stop(f->sp);
    assert_true(wait_idle(f->sp, 0.5));
    double took = test_seconds() - t0;
    AudioNullStats st = audio_null_stats(f->sink);
    assert_true(st.stops > stops_before);
    /* The worker must really have stopped: no sound arrives afterwards. */
    usleep(100000);
    AudioNullStats later = audio_null_stats(f->sink);
    assert_int_equal(later.samples, st.samples);
    print_message("stop: idle after %.1f ms; %.1f s of %s synthesised before it\n", took * 1000,
                  (double)st.samples / speech_rate_hz(f->sp), "a ~20 min text");
    /* And it speaks again afterwards. */
    audio_null_reset(f->sink);
    const char *again[] = {"Hallo"};
    assert_int_equal(speech_say(f->sp, "de", again, 1), KS_OK);
    assert_true(wait_idle(f->sp, 10.0));
    assert_true(audio_null_stats(f->sink).samples > 0);
}

static void test_say_replaces_previous(void **state)
{
    Fx *f = *state;
    static char text[20000];
    const char *first[] = {repeated(text, sizeof text, "Noch ein langer Satz zum Vorlesen. ", 150)};
    const char *second[] = {"Kurz."};
    assert_int_equal(speech_say(f->sp, "de", first, 1), KS_OK);
    assert_int_equal(speech_say(f->sp, "de", second, 1), KS_OK);
    assert_true(wait_idle(f->sp, 10.0));
    /* Far less than the long text's minutes of sound. */
    assert_true(audio_null_stats(f->sink).samples < (size_t)speech_rate_hz(f->sp) * 30);
}

static void test_wav_items_go_to_play_file(void **state)
{
    Fx *f = *state;
    char path[128];
    assert_true(test_tmp_file(path, sizeof path, "ks_speech", ".wav"));
    SpeechItem items[] = {
        {.text = "Frage", .wav_path = path},                   /* file wins */
        {.text = "Antwort", .wav_path = "/nonexistent/x.wav"}, /* falls back to text */
    };
    assert_int_equal(speech_say_items(f->sp, "de", items, 2), KS_OK);
    assert_true(wait_idle(f->sp, 10.0));
    AudioNullStats st = audio_null_stats(f->sink);
    assert_int_equal(st.files_played, 1);
    assert_true(st.samples > 0 && st.peak > 3000);

    audio_null_reset(f->sink);
    const char *texts[] = {path, "/nonexistent/y.wav"};
    assert_int_equal(speech_say(f->sp, "de", texts, 2), KS_OK);
    assert_true(wait_idle(f->sp, 10.0));
    st = audio_null_stats(f->sink);
    assert_int_equal(st.files_played, 1);
    assert_int_equal(st.peak, 0); /* the missing path was not spelled out */
    unlink(path);
}

static void test_voices_and_limits(void **state)
{
    Fx *f = *state;
    assert_string_equal(speech_voice_for("de"), "de");
    assert_string_equal(speech_voice_for("en"), "en");
    assert_string_equal(speech_voice_for("ar"), "ar");
    assert_string_equal(speech_voice_for("uk"), "uk");
    assert_string_equal(speech_voice_for("ru-RU"), "ru");
    assert_string_equal(speech_voice_for("tr_TR"), "tr");
    assert_string_equal(speech_voice_for("xx"), "de");
    assert_string_equal(speech_voice_for("deu"), "de");
    assert_string_equal(speech_voice_for(NULL), "de");
    /* Unknown language: spoken in German, no crash. */
    const char *texts[] = {"Guten Tag"};
    assert_int_equal(speech_say(f->sp, "xx", texts, 1), KS_OK);
    assert_true(wait_idle(f->sp, 10.0));
    assert_true(audio_null_stats(f->sink).peak > 3000);
    assert_int_equal(speech_say(f->sp, "de", texts, -1), KS_ERR_INVALID);
    assert_int_equal(speech_say(f->sp, "de", texts, SPEECH_MAX_ITEMS + 1), KS_ERR_INVALID);
    assert_int_equal(speech_say(f->sp, "de", NULL, 0), KS_OK);
    assert_true(wait_idle(f->sp, 1.0));
    /* One Speech at a time: espeak-ng is a process-wide singleton. */
    Speech *other = NULL;
    assert_int_equal(speech_create(&f->port, &other), KS_ERR_STATE);
    assert_null(other);
    speech_destroy(NULL);
    speech_stop(NULL);
    assert_false(speech_busy(NULL));
}

/* A sink that plays in time, `speed` times faster than real time, in
 * front of the null sink: what it holds drains with the clock. It keeps
 * the most it held when more sound was handed to it. */
typedef struct {
    KsAudioPort inner;
    pthread_mutex_t mu;
    int rate;
    double speed;
    double queued_ms, most_ms, t;
} TimedSink;

static void timed_drain(TimedSink *p)
{
    double now = test_seconds();
    p->queued_ms -= (now - p->t) * 1000.0 * p->speed;
    if (p->queued_ms < 0)
        p->queued_ms = 0;
    p->t = now;
}

static KsStatus timed_play_pcm(void *ctx, const int16_t *pcm, size_t n, int rate_hz)
{
    TimedSink *p = ctx;
    pthread_mutex_lock(&p->mu);
    timed_drain(p);
    if (p->queued_ms > p->most_ms)
        p->most_ms = p->queued_ms;
    p->queued_ms += (double)n * 1000.0 / rate_hz;
    pthread_mutex_unlock(&p->mu);
    return p->inner.play_pcm(p->inner.ctx, pcm, n, rate_hz);
}

static KsStatus timed_play_file(void *ctx, const char *path)
{
    TimedSink *p = ctx;
    return p->inner.play_file(p->inner.ctx, path);
}

static void timed_stop(void *ctx)
{
    TimedSink *p = ctx;
    pthread_mutex_lock(&p->mu);
    p->queued_ms = 0;
    pthread_mutex_unlock(&p->mu);
    p->inner.stop(p->inner.ctx);
}

static int timed_queued_ms(void *ctx)
{
    TimedSink *p = ctx;
    pthread_mutex_lock(&p->mu);
    timed_drain(p);
    int ms = (int)p->queued_ms;
    pthread_mutex_unlock(&p->mu);
    return ms;
}

static bool timed_busy(void *ctx)
{
    return timed_queued_ms(ctx) > 0;
}

/* A long text is handed over no further than about a second ahead of
 * what plays (not minutes of sound at once), all of it in the end, and a
 * stop while the worker waits for the sink ends the request at once. */
static void test_paced_to_the_sink(void **state)
{
    Fx *f = *state;
    speech_destroy(f->sp); /* one Speech at a time: this one gets the timed sink */
    TimedSink ts = {.inner = f->port, .speed = 16.0, .t = test_seconds()};
    pthread_mutex_init(&ts.mu, NULL);
    KsAudioPort port = {.ctx = &ts,
                        .play_pcm = timed_play_pcm,
                        .play_file = timed_play_file,
                        .stop = timed_stop,
                        .busy = timed_busy,
                        .queued_ms = timed_queued_ms};
    assert_int_equal(speech_create(&port, &f->sp), KS_OK);
    int rate = speech_rate_hz(f->sp);
    static char text[4000];
    const char *texts[] = {
        repeated(text, sizeof text, "Dies ist ein Satz, der vorgelesen wird. ", 12)};
    assert_int_equal(speech_say(f->sp, "de", texts, 1), KS_OK);
    assert_true(wait_idle(f->sp, 20.0));
    AudioNullStats st = audio_null_stats(f->sink);
    print_message("paced: %.1f s of speech, at most %.0f ms held by the sink\n",
                  (double)st.samples / rate, ts.most_ms);
    assert_true(st.samples > (size_t)rate * 20);
    assert_true(ts.most_ms < 1000.0);
    /* A sink playing in real time: stopped while the worker waits. */
    ts.speed = 1.0;
    audio_null_reset(f->sink);
    assert_int_equal(speech_say(f->sp, "de", texts, 1), KS_OK);
    double end = test_seconds() + 5.0;
    while (timed_queued_ms(&ts) < 500 && test_seconds() < end)
        usleep(1000);
    usleep(200000);
    double t0 = test_seconds();
    speech_stop(f->sp);
    assert_true(wait_idle(f->sp, 0.5));
    print_message("paced: idle %.1f ms after the stop\n", (test_seconds() - t0) * 1000);
    assert_true(audio_null_stats(f->sink).samples < (size_t)rate * 5);
    speech_destroy(f->sp);
    f->sp = NULL;
    pthread_mutex_destroy(&ts.mu);
}

static void test_timing(void **state)
{
    Fx *f = *state;
    int rate = speech_rate_hz(f->sp);
    const char *texts[] = {"Wie zufrieden sind Sie heute mit dem Essen in unserer Schule?"};
    double t0 = test_seconds();
    assert_int_equal(speech_say(f->sp, "de", texts, 1), KS_OK);
    while (audio_null_stats(f->sink).pcm_calls == 0 && test_seconds() < t0 + 5.0)
        usleep(200);
    double first = test_seconds() - t0;
    assert_true(wait_idle(f->sp, 10.0));
    double total = test_seconds() - t0;
    AudioNullStats st = audio_null_stats(f->sink);
    print_message("timing: 10-word German sentence, %.2f s of speech: first sound after "
                  "%.1f ms, synthesised in %.1f ms\n",
                  (double)st.samples / rate, first * 1000, total * 1000);
    assert_true(first < 0.3);
    assert_true(total < 2.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_language_speaks),
        cmocka_unit_test(test_item_languages),
        cmocka_unit_test(test_sequence_has_pauses),
        cmocka_unit_test(test_stop_cancels_long_text),
        cmocka_unit_test(test_say_replaces_previous),
        cmocka_unit_test(test_wav_items_go_to_play_file),
        cmocka_unit_test(test_voices_and_limits),
        cmocka_unit_test(test_paced_to_the_sink),
        cmocka_unit_test(test_timing),
    };
    return test_run_each(tests, setup, teardown);
}
