/* audio: the audio port — where the kiosk's sound goes — and its null
 * implementation. The port is a small table of functions plus a context; the
 * SDL sink (ui/audio.c) and the null sink below both fill it. Mono int16 only.
 * This file knows nothing of SDL or espeak-ng.
 *
 * Threading contract: every function of a port may be called from a thread
 * other than the one that created it (speech.c calls play_pcm, play_file and
 * busy from its worker thread while the UI thread calls stop and busy), and
 * two calls may overlap. An implementation must be safe for that. */
#ifndef KS_AUDIO_H
#define KS_AUDIO_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "../core/ks_status.h"

typedef struct {
    void *ctx;
    /* Queues n_samples of mono int16 PCM at rate_hz behind what is already
     * queued and returns at once (no waiting for playback). The samples are
     * copied; the caller keeps pcm. KS_ERR_INVALID for a bad rate. */
    KsStatus (*play_pcm)(void *ctx, const int16_t *pcm, size_t n_samples, int rate_hz);
    /* Queues a WAV file (any format the sink can convert to mono int16).
     * KS_ERR_NOT_FOUND / KS_ERR_PARSE when the file is missing or not a WAV
     * the sink can read; nothing is queued then. */
    KsStatus (*play_file)(void *ctx, const char *wav_path);
    /* Drops everything queued and silences the output at once. */
    void (*stop)(void *ctx);
    /* True while queued sound is still playing. */
    bool (*busy)(void *ctx);
    /* Milliseconds of queued sound not yet played; NULL for a sink that
     * takes everything at once (nothing to wait for). */
    int (*queued_ms)(void *ctx);
} KsAudioPort;

/* --- The null sink: plays nothing, counts what it was given. ------------ */

typedef struct AudioNull AudioNull;

/* What a null sink has been given since it was created (or last reset). */
typedef struct {
    size_t samples;   /* PCM samples given to play_pcm (silence included) */
    int peak;         /* largest |sample| seen, 0..32768 */
    int rate_hz;      /* rate of the latest play_pcm, 0 before the first */
    int pcm_calls;    /* number of play_pcm calls */
    int file_calls;   /* number of play_file calls (any outcome) */
    int files_played; /* play_file calls whose file existed */
    int stops;        /* number of stop calls */
} AudioNullStats;

/* A new null sink; never fails. Its busy() is always false: it "plays"
 * everything at once. Destroy with audio_null_destroy (accepts NULL) after
 * every user of its port has stopped. */
AudioNull *audio_null_create(void);
void audio_null_destroy(AudioNull *a);

/* The port of a null sink; valid while the sink lives. */
KsAudioPort audio_null_port(AudioNull *a);

/* A snapshot of the counters (thread-safe). */
AudioNullStats audio_null_stats(AudioNull *a);

/* Zeroes the counters. */
void audio_null_reset(AudioNull *a);

#endif
