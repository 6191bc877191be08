/* audio_null: the audio sink for headless runs and tests. It plays nothing;
 * it counts the samples and files it is given and the peak level, so a test
 * can tell that speech happened. All state sits behind one mutex because the
 * port is called from the speech worker thread and the UI thread at once. */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "../core/mem.h"
#include "audio.h"

struct AudioNull {
    pthread_mutex_t mu;
    AudioNullStats st;
};

static KsStatus null_play_pcm(void *ctx, const int16_t *pcm, size_t n, int rate_hz)
{
    AudioNull *a = ctx;
    if (rate_hz <= 0 || (n > 0 && !pcm))
        return KS_ERR_INVALID;
    int peak = 0;
    for (size_t i = 0; i < n; i++) {
        int v = pcm[i] < 0 ? -(int)pcm[i] : pcm[i];
        if (v > peak)
            peak = v;
    }
    pthread_mutex_lock(&a->mu);
    a->st.samples += n;
    a->st.rate_hz = rate_hz;
    a->st.pcm_calls++;
    if (peak > a->st.peak)
        a->st.peak = peak;
    pthread_mutex_unlock(&a->mu);
    return KS_OK;
}

static KsStatus null_play_file(void *ctx, const char *wav_path)
{
    AudioNull *a = ctx;
    bool exists = wav_path && access(wav_path, R_OK) == 0;
    pthread_mutex_lock(&a->mu);
    a->st.file_calls++;
    if (exists)
        a->st.files_played++;
    pthread_mutex_unlock(&a->mu);
    return exists ? KS_OK : KS_ERR_NOT_FOUND;
}

static void null_stop(void *ctx)
{
    AudioNull *a = ctx;
    pthread_mutex_lock(&a->mu);
    a->st.stops++;
    pthread_mutex_unlock(&a->mu);
}

static bool null_busy(void *ctx)
{
    (void)ctx;
    return false;
}

AudioNull *audio_null_create(void)
{
    AudioNull *a = xcalloc(1, sizeof *a);
    pthread_mutex_init(&a->mu, NULL);
    return a;
}

void audio_null_destroy(AudioNull *a)
{
    if (!a)
        return;
    pthread_mutex_destroy(&a->mu);
    free(a);
}

KsAudioPort audio_null_port(AudioNull *a)
{
    return (KsAudioPort){.ctx = a,
                         .play_pcm = null_play_pcm,
                         .play_file = null_play_file,
                         .stop = null_stop,
                         .busy = null_busy};
}

AudioNullStats audio_null_stats(AudioNull *a)
{
    pthread_mutex_lock(&a->mu);
    AudioNullStats s = a->st;
    pthread_mutex_unlock(&a->mu);
    return s;
}

void audio_null_reset(AudioNull *a)
{
    pthread_mutex_lock(&a->mu);
    a->st = (AudioNullStats){0};
    pthread_mutex_unlock(&a->mu);
}
