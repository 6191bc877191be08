/* audio (ui): the SDL sound output. One SDL audio device, mono int16, fed by
 * SDL's queue; recorded WAV files are converted to the device format. When no
 * device can be opened (no sound card, no driver) it is a silent sink that
 * accepts everything, so the kiosk runs without sound.
 *
 * The play/stop/busy functions take the sink as `void *ctx` so the
 * composition root can put them straight into the audio port of
 * firmware/sys/audio.h (this file does not include it: ui/ must not). They
 * are safe to call from any thread and concurrently (a speech worker plays
 * while the UI thread stops); audio_sdl_open/close are not: call them from
 * the main thread, close only after every user has stopped. */
#ifndef KS_UI_AUDIO_H
#define KS_UI_AUDIO_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "../firmware/core/ks_status.h"

typedef struct AudioSdl AudioSdl;

/* A sink for the default output device at rate_hz (e.g. 22050), mono. The
 * device is opened by the first sound played (or audio_sdl_has_device), on
 * whichever thread that is; that call initialises SDL's audio subsystem
 * itself (reference counted; SDL_AUDIODRIVER picks the driver). Always
 * gives a sink: without a device it logs once and is silent.
 * KS_ERR_INVALID only for a rate outside 8000..192000. Close with
 * audio_sdl_close. */
KsStatus audio_sdl_open(int rate_hz, AudioSdl **out);

/* Drops the queue, closes the device, sets *a to NULL. Accepts NULL and a
 * pointer to NULL. Call before SDL_Quit (ui_destroy). */
void audio_sdl_close(AudioSdl **a);

/* True when a real device is open (false for the silent sink); opens it
 * when no sound has yet. */
bool audio_sdl_has_device(AudioSdl *a);

/* Port functions; ctx is an AudioSdl *. */

/* Queues mono int16 samples at rate_hz (converted when it differs from the
 * device rate) and starts playback. Returns at once; the samples are copied.
 * KS_ERR_INVALID for a bad rate, KS_ERR_IO when SDL refuses. */
KsStatus audio_sdl_play_pcm(void *ctx, const int16_t *pcm, size_t n_samples, int rate_hz);

/* Loads a WAV file, converts it to the device format and queues it.
 * KS_ERR_NOT_FOUND for a missing file, KS_ERR_PARSE for one SDL cannot read. */
KsStatus audio_sdl_play_file(void *ctx, const char *wav_path);

/* Drops all queued sound at once. */
void audio_sdl_stop(void *ctx);

/* True while queued sound remains to be played. */
bool audio_sdl_busy(void *ctx);
/* Milliseconds of sound queued on the device and not yet played. */
int audio_sdl_queued_ms(void *ctx);

#endif
