/* test_audio: the SDL sound output on SDL's "disk" driver, which writes what
 * the device plays into a file — speech synthesised by espeak-ng through the
 * SDL sink reaches the output, a WAV file (stereo, 44.1 kHz) is converted and
 * played, a stop empties the queue, and without a sound device the sink is
 * silent but harmless. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <SDL.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../firmware/sys/audio.h"
#include "../../firmware/sys/speech.h"
#include "../../ui/audio.h"
#include "../test_main.h"
#include "../test_time.h"
#include "../test_tmp.h"

#define RATE 22050

static char g_out[64];

static int setup(void **state)
{
    (void)state;
    assert_true(test_tmp_file(g_out, sizeof g_out, "ks_audio", ""));
    setenv("SDL_AUDIODRIVER", "disk", 1);
    setenv("SDL_DISKAUDIOFILE", g_out, 1);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(g_out);
    SDL_Quit();
    return 0;
}

/* Reads the disk driver's output (mono int16 at RATE): the peak level and
 * the number of samples louder than `floor`. */
static void scan_output(int *peak, size_t *loud, int floor)
{
    FILE *f = fopen(g_out, "rb");
    assert_non_null(f);
    int16_t buf[4096];
    size_t n;
    *peak = 0;
    *loud = 0;
    while ((n = fread(buf, sizeof buf[0], 4096, f)) > 0) {
        for (size_t i = 0; i < n; i++) {
            int v = abs((int)buf[i]);
            if (v > *peak)
                *peak = v;
            if (v > floor)
                (*loud)++;
        }
    }
    fclose(f);
}

static KsAudioPort sdl_port(AudioSdl *a)
{
    return (KsAudioPort){.ctx = a,
                         .play_pcm = audio_sdl_play_pcm,
                         .play_file = audio_sdl_play_file,
                         .stop = audio_sdl_stop,
                         .busy = audio_sdl_busy,
                         .queued_ms = audio_sdl_queued_ms};
}

static bool speech_busy_cb(void *ctx)
{
    return speech_busy(ctx);
}

/* Speaks text in German through the device a and waits until it is said. */
static void speak_through(AudioSdl *a, const char *text)
{
    KsAudioPort port = sdl_port(a);
    Speech *sp = NULL;
    assert_int_equal(speech_create(&port, &sp), KS_OK);
    const char *texts[] = {text};
    assert_int_equal(speech_say(sp, "de", texts, 1), KS_OK);
    assert_true(test_wait_quiet(speech_busy_cb, sp, 10.0));
    speech_destroy(sp);
}

static void test_speech_reaches_the_device(void **state)
{
    (void)state;
    AudioSdl *a = NULL;
    assert_int_equal(audio_sdl_open(RATE, &a), KS_OK);
    assert_true(audio_sdl_has_device(a));
    speak_through(a, "Wie geht es dir?");
    SDL_Delay(150); /* the device's last buffer */
    audio_sdl_close(&a);
    assert_null(a);
    int peak;
    size_t loud;
    scan_output(&peak, &loud, 1000);
    print_message("speech over SDL: peak %d, %zu loud samples\n", peak, loud);
    assert_true(peak > 3000);
    assert_true(loud > RATE / 10);
}

static void put_le(FILE *f, uint32_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        fputc((int)((v >> (8 * i)) & 0xff), f);
}

/* A 16-bit stereo WAV: `secs` of a 440 Hz sine at `amp`. */
static void write_wav(const char *path, int rate, double secs, int amp)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    uint32_t frames = (uint32_t)(rate * secs), data = frames * 4;
    fwrite("RIFF", 1, 4, f);
    put_le(f, 36 + data, 4);
    fwrite("WAVEfmt ", 1, 8, f);
    put_le(f, 16, 4);
    put_le(f, 1, 2); /* PCM */
    put_le(f, 2, 2); /* channels */
    put_le(f, (uint32_t)rate, 4);
    put_le(f, (uint32_t)rate * 4, 4); /* byte rate */
    put_le(f, 4, 2);                  /* block align */
    put_le(f, 16, 2);                 /* bits */
    fwrite("data", 1, 4, f);
    put_le(f, data, 4);
    for (uint32_t i = 0; i < frames; i++) {
        int16_t s = (int16_t)lrint(amp * sin(2 * M_PI * 440.0 * i / rate));
        put_le(f, (uint16_t)s, 2);
        put_le(f, (uint16_t)s, 2);
    }
    fclose(f);
}

static void test_wav_file_round_trip(void **state)
{
    (void)state;
    char wav[128];
    assert_true(test_tmp_file(wav, sizeof wav, "ks_audio", ".wav"));
    write_wav(wav, 44100, 0.5, 12000);
    AudioSdl *a = NULL;
    assert_int_equal(audio_sdl_open(RATE, &a), KS_OK);
    assert_int_equal(audio_sdl_play_file(a, wav), KS_OK);
    assert_true(audio_sdl_busy(a));
    assert_true(test_wait_quiet(audio_sdl_busy, a, 5.0));
    SDL_Delay(150);
    audio_sdl_close(&a);
    int peak;
    size_t loud;
    scan_output(&peak, &loud, 1000);
    print_message("wav over SDL: peak %d, %zu loud samples\n", peak, loud);
    assert_in_range(peak, 11000, 13000);
    /* 0.5 s at 22050 Hz is 11025 samples, ~94 % of them above 1000. */
    assert_in_range(loud, 9000, 11100);

    /* Errors: a missing file, a file that is not a WAV. */
    assert_int_equal(audio_sdl_open(RATE, &a), KS_OK);
    assert_int_equal(audio_sdl_play_file(a, "/nonexistent/a.wav"), KS_ERR_NOT_FOUND);
    FILE *f = fopen(wav, "wb");
    fputs("not a wav at all", f);
    fclose(f);
    assert_int_equal(audio_sdl_play_file(a, wav), KS_ERR_PARSE);
    assert_false(audio_sdl_busy(a));
    audio_sdl_close(&a);
    unlink(wav);
}

static void test_stop_empties_the_queue(void **state)
{
    (void)state;
    AudioSdl *a = NULL;
    assert_int_equal(audio_sdl_open(RATE, &a), KS_OK);
    size_t n = RATE * 5;
    int16_t *pcm = malloc(n * sizeof *pcm);
    for (size_t i = 0; i < n; i++)
        pcm[i] = (int16_t)lrint(8000 * sin(2 * M_PI * 300.0 * (double)i / RATE));
    /* A different rate is converted, not refused. */
    assert_int_equal(audio_sdl_play_pcm(a, pcm, n, 16000), KS_OK);
    assert_true(audio_sdl_busy(a));
    audio_sdl_stop(a);
    assert_false(audio_sdl_busy(a));
    assert_int_equal(audio_sdl_play_pcm(a, pcm, n, 0), KS_ERR_INVALID);
    free(pcm);
    audio_sdl_close(&a);
    audio_sdl_close(&a); /* NULL after the first close */
    audio_sdl_close(NULL);
}

static void test_without_device_is_silent(void **state)
{
    (void)state;
    setenv("SDL_AUDIODRIVER", "no_such_driver", 1);
    AudioSdl *a = NULL;
    assert_int_equal(audio_sdl_open(RATE, &a), KS_OK);
    assert_non_null(a);
    assert_false(audio_sdl_has_device(a));
    int16_t pcm[100] = {1000};
    assert_int_equal(audio_sdl_play_pcm(a, pcm, 100, RATE), KS_OK);
    assert_false(audio_sdl_busy(a));
    audio_sdl_stop(a);
    speak_through(a, "Hallo");
    audio_sdl_close(&a);
    assert_int_equal(audio_sdl_open(1, &a), KS_ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_speech_reaches_the_device),
        cmocka_unit_test(test_wav_file_round_trip),
        cmocka_unit_test(test_stop_empties_the_queue),
        cmocka_unit_test(test_without_device_is_silent),
    };
    return test_run_each(tests, setup, teardown);
}
