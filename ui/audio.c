/* audio (ui): SDL's queued audio behind the audio port's functions. Owns the
 * device; converts rates and WAV formats with SDL_AudioStream. Knows nothing
 * of speech. SDL's audio and the device are opened by the first sound (on
 * the speech worker), not at start: a kiosk nobody asks to read aloud never
 * connects to the sound server. The device id and rate are fixed once open;
 * a mutex makes each queue or clear one step, so a stop never interleaves
 * with a half-queued piece, and another one the opening, so a stop need
 * not wait for it. */
#include "audio.h"

#include <SDL.h>
#include <stdlib.h>
#include <unistd.h>

#include "../firmware/core/log.h"
#include "../firmware/core/mem.h"

#define DEVICE_SAMPLES 1024 /* ~46 ms at 22050 Hz: short enough for a prompt stop */

struct AudioSdl {
    SDL_AudioDeviceID dev; /* under mu; 0: not open (yet), or the silent sink */
    int rate;
    bool asked;         /* under open_mu: the first sound asked SDL for the device */
    bool subsystem;     /* under open_mu: we hold a reference on SDL_INIT_AUDIO */
    SDL_mutex *mu;      /* each queue or clear one step */
    SDL_mutex *open_mu; /* the opening, which may take a while */
};

KsStatus audio_sdl_open(int rate_hz, AudioSdl **out)
{
    *out = NULL;
    if (rate_hz < 8000 || rate_hz > 192000)
        return KS_ERR_INVALID;
    AudioSdl *a = xcalloc(1, sizeof *a);
    a->rate = rate_hz;
    a->mu = SDL_CreateMutex();
    a->open_mu = SDL_CreateMutex();
    *out = a;
    return KS_OK;
}

/* SDL's audio and the default output device, once, under a->open_mu. */
static void open_device(AudioSdl *a)
{
    a->asked = true;
    if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
        LOG_WARN("audio: no sound (SDL audio: %s); the kiosk runs silent", SDL_GetError());
        return;
    }
    a->subsystem = true;
    SDL_AudioSpec want, have;
    SDL_zero(want);
    want.freq = a->rate;
    want.format = AUDIO_S16SYS;
    want.channels = 1;
    want.samples = DEVICE_SAMPLES;
    /* allowed_changes 0: SDL converts to the hardware for us, so the
     * queue always takes exactly this format. */
    SDL_AudioDeviceID dev = SDL_OpenAudioDevice(NULL, 0, &want, &have, 0);
    if (dev == 0)
        LOG_WARN("audio: no sound device (%s); the kiosk runs silent", SDL_GetError());
    else
        LOG_INFO("audio: %s driver, %d Hz mono", SDL_GetCurrentAudioDriver(), a->rate);
    SDL_LockMutex(a->mu);
    a->dev = dev;
    SDL_UnlockMutex(a->mu);
}

/* The device if it was opened, without opening it: before the first sound
 * there is nothing to stop or wait for. */
static SDL_AudioDeviceID device_if_open(AudioSdl *a)
{
    SDL_LockMutex(a->mu);
    SDL_AudioDeviceID dev = a->dev;
    SDL_UnlockMutex(a->mu);
    return dev;
}

/* The device, opened by the first call that has sound for it; 0 for the
 * silent sink. */
static SDL_AudioDeviceID device(AudioSdl *a)
{
    SDL_LockMutex(a->open_mu);
    if (!a->asked)
        open_device(a);
    SDL_UnlockMutex(a->open_mu);
    return device_if_open(a);
}

void audio_sdl_close(AudioSdl **pa)
{
    if (!pa || !*pa)
        return;
    AudioSdl *a = *pa;
    if (a->dev) {
        SDL_ClearQueuedAudio(a->dev);
        SDL_CloseAudioDevice(a->dev);
    }
    if (a->subsystem)
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
    if (a->mu)
        SDL_DestroyMutex(a->mu);
    if (a->open_mu)
        SDL_DestroyMutex(a->open_mu);
    free(a);
    *pa = NULL;
}

bool audio_sdl_has_device(AudioSdl *a)
{
    return a && device(a) != 0;
}

/* Converts `len` bytes of (format, channels, rate) to the device format and
 * queues them, then unpauses. */
static KsStatus queue_converted(AudioSdl *a, SDL_AudioDeviceID dev, const void *data, int len,
                                SDL_AudioFormat format, int channels, int rate)
{
    KsStatus ks = KS_OK;
    Uint8 *out = NULL;
    const void *src = data;
    int n = len;
    SDL_AudioStream *cv = NULL;
    if (format != AUDIO_S16SYS || channels != 1 || rate != a->rate) {
        cv = SDL_NewAudioStream(format, (Uint8)channels, rate, AUDIO_S16SYS, 1, a->rate);
        if (!cv || SDL_AudioStreamPut(cv, data, len) != 0 || SDL_AudioStreamFlush(cv) != 0) {
            LOG_WARN("audio: cannot convert sound: %s", SDL_GetError());
            ks = KS_ERR_PARSE;
            goto cleanup;
        }
        n = SDL_AudioStreamAvailable(cv);
        out = xmalloc((size_t)n + 2);
        n = SDL_AudioStreamGet(cv, out, n);
        if (n < 0) {
            ks = KS_ERR_PARSE;
            goto cleanup;
        }
        src = out;
    }
    SDL_LockMutex(a->mu);
    if (n > 0 && SDL_QueueAudio(dev, src, (Uint32)n) != 0) {
        LOG_WARN("audio: SDL_QueueAudio: %s", SDL_GetError());
        ks = KS_ERR_IO;
    } else {
        SDL_PauseAudioDevice(dev, 0);
    }
    SDL_UnlockMutex(a->mu);
cleanup:
    if (cv)
        SDL_FreeAudioStream(cv);
    free(out);
    return ks;
}

KsStatus audio_sdl_play_pcm(void *ctx, const int16_t *pcm, size_t n_samples, int rate_hz)
{
    AudioSdl *a = ctx;
    if (rate_hz < 1000 || rate_hz > 384000 || (n_samples > 0 && !pcm) ||
        n_samples > (size_t)INT32_MAX / sizeof *pcm)
        return KS_ERR_INVALID;
    if (n_samples == 0)
        return KS_OK;
    SDL_AudioDeviceID dev = device(a);
    if (!dev)
        return KS_OK;
    return queue_converted(a, dev, pcm, (int)(n_samples * sizeof *pcm), AUDIO_S16SYS, 1, rate_hz);
}

KsStatus audio_sdl_play_file(void *ctx, const char *wav_path)
{
    AudioSdl *a = ctx;
    if (!wav_path || access(wav_path, R_OK) != 0)
        return KS_ERR_NOT_FOUND;
    SDL_AudioDeviceID dev = device(a);
    if (!dev)
        return KS_OK;
    SDL_AudioSpec spec;
    Uint8 *buf = NULL;
    Uint32 len = 0;
    if (!SDL_LoadWAV(wav_path, &spec, &buf, &len)) {
        LOG_WARN("audio: %s: %s", wav_path, SDL_GetError());
        return KS_ERR_PARSE;
    }
    KsStatus ks = len > INT32_MAX ? KS_ERR_LIMIT
                                  : queue_converted(a, dev, buf, (int)len, spec.format,
                                                    spec.channels, spec.freq);
    SDL_FreeWAV(buf);
    return ks;
}

void audio_sdl_stop(void *ctx)
{
    AudioSdl *a = ctx;
    SDL_LockMutex(a->mu);
    if (a->dev)
        SDL_ClearQueuedAudio(a->dev);
    SDL_UnlockMutex(a->mu);
}

bool audio_sdl_busy(void *ctx)
{
    AudioSdl *a = ctx;
    SDL_AudioDeviceID dev = device_if_open(a);
    return dev && SDL_GetQueuedAudioSize(dev) > 0;
}

int audio_sdl_queued_ms(void *ctx)
{
    AudioSdl *a = ctx;
    SDL_AudioDeviceID dev = device_if_open(a);
    if (!dev)
        return 0;
    /* The queue holds mono int16 at the device's rate (queue_converted). */
    Uint64 samples = SDL_GetQueuedAudioSize(dev) / sizeof(int16_t);
    return (int)(samples * 1000 / (Uint64)a->rate);
}
