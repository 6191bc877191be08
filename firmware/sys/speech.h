/* speech: reads a question and its options aloud. Owns libespeak-ng (the only
 * file that includes it) and one worker thread that synthesises text piece
 * by piece, or plays a recorded WAV file, and hands the sound to an audio
 * port (audio.h) as each piece is ready. It draws nothing and knows no SDL.
 *
 * Calls below come from one thread (the UI/kiosk thread); the worker calls
 * the port's play_pcm/play_file/busy, and speech_stop/speech_say call the
 * port's stop, from the calling thread (see audio.h's threading contract). */
#ifndef KS_SPEECH_H
#define KS_SPEECH_H

#include <stdbool.h>

#include "../core/ks_status.h"
#include "audio.h"

typedef struct Speech Speech;

/* One piece of a read-aloud sequence: a recorded WAV file (the form's
 * audio:: column) when wav_path names a readable file, else text spoken by
 * the synthesiser. Either may be NULL; an item with neither is skipped. When
 * the file cannot be played the text is spoken instead. lang, when set,
 * speaks this piece in that language's voice (the language screen greets in
 * each language); NULL uses the sequence's language. */
typedef struct {
    const char *text;
    const char *wav_path;
    const char *lang;
} SpeechItem;

/* Starts the speech service on `port` (copied; port->ctx must outlive the
 * Speech): starts the worker thread, which loads and initialises espeak-ng
 * for the first request of the process (it stays loaded for the process).
 * Only one Speech may live at a time (espeak-ng is a process-wide
 * singleton): KS_ERR_STATE otherwise; KS_ERR_INVALID for a port with a NULL
 * function. When espeak-ng or its data is missing, the Speech is still
 * created (KS_OK): it logs the problem once, plays WAV files, and skips
 * text. Release with speech_destroy. */
KsStatus speech_create(const KsAudioPort *port, Speech **out);

/* Stops any speech, joins the worker and frees. Accepts NULL. Call before
 * the port's sink is closed. */
void speech_destroy(Speech *s);

/* Speaks `n` pieces in language `lang` (a form language code: de, en, tr,
 * ar, uk, ru; a region such as "de-AT" is ignored; unknown or NULL codes are
 * spoken with the German voice), with a short pause between pieces. Stops
 * what was playing first. The items and their strings are copied; the call
 * returns at once. KS_ERR_INVALID for n < 0 or n > SPEECH_MAX_ITEMS. */
#define SPEECH_MAX_ITEMS 64
KsStatus speech_say_items(Speech *s, const char *lang, const SpeechItem *items, int n);

/* As speech_say_items with texts only; a text that ends in ".wav" and names
 * a readable file is played as that file (a path that names no file is
 * logged and skipped rather than spelled out). */
KsStatus speech_say(Speech *s, const char *lang, const char *const *texts, int n);

/* Stops at once: cancels synthesis in progress, forgets the rest of the
 * sequence and tells the port to drop what it has queued. Safe when idle. */
void speech_stop(Speech *s);

/* True while a sequence is being synthesised or its sound is still playing. */
bool speech_busy(Speech *s);

/* The synthesiser's sample rate in Hz (espeak-ng's, typically 22050); 0 when
 * espeak-ng is not available. Loads espeak-ng if no request has yet. */
int speech_rate_hz(const Speech *s);

/* The espeak-ng voice name used for a form language code ("de" for unknown
 * codes). Static storage. */
const char *speech_voice_for(const char *lang);

#endif
