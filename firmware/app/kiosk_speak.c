/* kiosk_speak: the speaker button — what the screen shown now says aloud,
 * in whose voice: the language screen greets in every offered language,
 * "who are you?" reads its heading and tiles, a question page its
 * questions and their options (the form's own audio where it has one). */
#include <stdio.h>

#include "../core/log.h"
#include "kiosk_private.h"

/* The language screen aloud: a greeting and "Answer in …" in each
 * offered language, each in its own voice. */
static int speak_languages(Kiosk *k, SpeechItem *items, char (*texts)[160])
{
    const char *codes[KS_VIEW_MAX_TARGETS];
    int n = kiosk_offered_langs(
        k, codes, SPEECH_MAX_ITEMS < KS_VIEW_MAX_TARGETS ? SPEECH_MAX_ITEMS : KS_VIEW_MAX_TARGETS);
    for (int i = 0; i < n; i++) {
        snprintf(texts[i], sizeof texts[i], "%s %s", uitext_get(codes[i], UIT_HELLO),
                 uitext_get(codes[i], UIT_ANSWER_IN));
        items[i] = (SpeechItem){.text = texts[i], .lang = codes[i]};
    }
    return n;
}

/* "Who are you?" aloud in the chosen language, then each tile's word. */
static int speak_view(const Kiosk *k, SpeechItem *items)
{
    int n = 0;
    items[n++] = (SpeechItem){.text = k->view.title};
    for (int i = 0; i < k->view.n_targets && n < SPEECH_MAX_ITEMS; i++)
        if (k->view.targets[i].role == KS_TARGET_OPTION)
            items[n++] = (SpeechItem){.text = k->view.targets[i].text};
    return n;
}

void kiosk_speak(Kiosk *k)
{
    if (!k->speech)
        return;
    if (speech_busy(k->speech)) {
        speech_stop(k->speech); /* a second tap stops it */
        return;
    }
    SpeechItem items[SPEECH_MAX_ITEMS];
    if (k->screen != KS_SCREEN_QUESTION) {
        char texts[SPEECH_MAX_ITEMS][160]; /* copied by speech_say_items */
        int n = k->screen == KS_SCREEN_LANGUAGE ? speak_languages(k, items, texts)
                                                : speak_view(k, items);
        KsStatus ks = speech_say_items(k->speech, k->lang_code, items, n);
        if (ks != KS_OK)
            LOG_WARN("read-aloud: %s", ks_status_str(ks));
        return;
    }
    int n = respondent_speech(k->resp, items, SPEECH_MAX_ITEMS);
    KsStatus ks = speech_say_items(k->speech, k->lang_code, items, n);
    if (ks != KS_OK)
        LOG_WARN("read-aloud: %s", ks_status_str(ks));
}
