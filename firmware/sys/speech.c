/* speech: espeak-ng behind one worker thread. The UI thread only posts a
 * request (a copied list of pieces) or bumps the generation counter to
 * cancel; the worker synthesises in espeak-ng's synchronous mode, flushing
 * the PCM to the audio port every ~200 ms of sound, so the first sound
 * starts long before a long text is synthesised, and never more than
 * AHEAD_MS ahead of what plays, so a long text does not wait in the sink's
 * queue in full. libespeak-ng is not linked: the worker loads it (dlopen)
 * and initialises it (its data files, its audio layer) for the first
 * request, so a kiosk starts without it and one that never reads aloud
 * never maps it. This is the only file that includes espeak-ng; it must
 * not touch SDL or block the caller for long. */
#include <espeak-ng/espeak_ng.h>
#include <espeak-ng/speak_lib.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "../core/dynlib.h"
#include "../core/log.h"
#include "../core/mem.h"
#include "speech.h"

#define FLUSH_MS 200 /* hand PCM to the port in pieces of about this length */
#define PAUSE_MS 350 /* silence between the question and each option */
/* Sound is handed to the port no further ahead of what plays than this:
 * espeak-ng synthesises many times faster than speech, and a long text
 * would otherwise wait in the sink's queue in full. */
#define AHEAD_MS 600
#define ROOM_POLL_MS 20
/* A queue that has not shrunk for this long belongs to a sink that stopped
 * playing: the worker then queues on rather than wait for good. */
#define STALLED_MS 2000
#define ESPEAK_BUF_MS 50
#define ESPEAK_LIB "libespeak-ng.so.1" /* its soname: the package libespeak-ng1 */

typedef struct {
    char lang[16];
    int n;
    char **text;           /* n entries, each NULL or owned */
    char **wav;            /* n entries, each NULL or owned */
    char (*item_lang)[16]; /* n entries, "" for the request's language */
} Request;

struct Speech {
    KsAudioPort port;
    pthread_t thread;
    pthread_mutex_t mu; /* guards pending, working, worker_gen, quit */
    pthread_cond_t cv;
    pthread_mutex_t port_mu; /* serialises queueing against stop */
    atomic_uint gen;         /* bumped by every say, stop and destroy */
    Request *pending;
    bool working;
    unsigned worker_gen; /* the generation the worker is playing */
    bool quit;

    /* Worker-only state; rate, buf and silence are set up for the first
     * request, once espeak-ng is loaded. */
    int rate;
    int16_t *buf;
    size_t n_buf, cap;
    int16_t *silence;
    size_t n_silence;
    unsigned run_gen;
    bool aborted;
    unsigned warned; /* one bit per voice already warned about */
};

/* espeak-ng is one per process: its functions, its state, and the Speech
 * its callback feeds. */
static struct {
    __typeof__(espeak_ng_InitializePath) *InitializePath;
    __typeof__(espeak_ng_Initialize) *Initialize;
    __typeof__(espeak_ng_InitializeOutput) *InitializeOutput;
    __typeof__(espeak_ng_GetStatusCodeMessage) *GetStatusCodeMessage;
    __typeof__(espeak_ng_ClearErrorContext) *ClearErrorContext;
    __typeof__(espeak_SetSynthCallback) *SetSynthCallback;
    __typeof__(espeak_ng_GetSampleRate) *GetSampleRate;
    __typeof__(espeak_ng_SetVoiceByName) *SetVoiceByName;
    __typeof__(espeak_ng_Synthesize) *Synthesize;
} g_es;
static pthread_once_t g_es_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t g_init_mu = PTHREAD_MUTEX_INITIALIZER;
static int g_rate; /* > 0 once espeak-ng is initialised (after g_es_once) */
static Speech *g_active;

static const struct {
    const char *code, *voice;
} VOICES[] = {
    {"de", "de"}, {"en", "en"}, {"tr", "tr"}, {"ar", "ar"}, {"uk", "uk"}, {"ru", "ru"},
};
#define N_VOICES ((int)(sizeof VOICES / sizeof VOICES[0]))

static int voice_index(const char *lang)
{
    if (!lang)
        return 0;
    for (int i = 0; i < N_VOICES; i++) {
        size_t len = strlen(VOICES[i].code);
        /* "de", "de-AT", "de_CH" all mean German; "deu" does not. */
        if (strncasecmp(lang, VOICES[i].code, len) == 0 &&
            (lang[len] == '\0' || lang[len] == '-' || lang[len] == '_'))
            return i;
    }
    return 0;
}

const char *speech_voice_for(const char *lang)
{
    return VOICES[voice_index(lang)].voice;
}

static void request_free(Request *r)
{
    if (!r)
        return;
    for (int i = 0; i < r->n; i++) {
        free(r->text[i]);
        free(r->wav[i]);
    }
    free(r->text);
    free(r->wav);
    free(r->item_lang);
    free(r);
}

static bool cancelled(Speech *s)
{
    return atomic_load(&s->gen) != s->run_gen;
}

/* Waits while the port holds more than AHEAD_MS of sound, until the
 * request is cancelled or the queue stops shrinking. */
static void wait_for_room(Speech *s)
{
    if (!s->port.queued_ms)
        return;
    int last = -1, still_ms = 0;
    while (!cancelled(s) && still_ms < STALLED_MS) {
        int queued = s->port.queued_ms(s->port.ctx);
        if (queued <= AHEAD_MS)
            return;
        still_ms = last >= 0 && queued >= last ? still_ms + ROOM_POLL_MS : 0;
        last = queued;
        usleep(ROOM_POLL_MS * 1000);
    }
}

/* Hands PCM to the port unless the request was cancelled meanwhile. Holding
 * port_mu means a stop either runs after this (and clears the sound) or
 * before it (and this call sees the new generation and queues nothing). */
static bool port_play_pcm(Speech *s, const int16_t *pcm, size_t n)
{
    bool ok = false;
    wait_for_room(s);
    pthread_mutex_lock(&s->port_mu);
    if (!cancelled(s)) {
        KsStatus ks = s->port.play_pcm(s->port.ctx, pcm, n, s->rate);
        if (ks != KS_OK)
            LOG_WARN("audio: play_pcm: %s", ks_status_str(ks));
        ok = true;
    }
    pthread_mutex_unlock(&s->port_mu);
    return ok;
}

static bool flush(Speech *s)
{
    bool ok = s->n_buf == 0 || port_play_pcm(s, s->buf, s->n_buf);
    s->n_buf = 0;
    return ok;
}

/* espeak-ng's synthesis callback, on the worker thread. Returning 1 stops
 * the synthesis in progress: that is how a stop cancels it quickly. */
static int on_samples(short *wav, int n, espeak_EVENT *events)
{
    (void)events;
    Speech *s = g_active;
    if (!s || !wav)
        return 0;
    if (cancelled(s)) {
        s->aborted = true;
        return 1;
    }
    for (int i = 0; i < n;) {
        size_t take = s->cap - s->n_buf;
        if (take > (size_t)(n - i))
            take = (size_t)(n - i);
        memcpy(s->buf + s->n_buf, wav + i, take * sizeof *wav);
        s->n_buf += take;
        i += (int)take;
        if (s->n_buf == s->cap && !flush(s)) {
            s->aborted = true;
            return 1;
        }
    }
    return 0;
}

/* Selects the voice for a language; falls back to German. Warns once per
 * missing voice. False when no voice could be selected. */
static bool select_voice(Speech *s, const char *lang)
{
    int vi = voice_index(lang);
    if (g_es.SetVoiceByName(VOICES[vi].voice) == ENS_OK)
        return true;
    if (!(s->warned & (1u << vi))) {
        s->warned |= 1u << vi;
        LOG_WARN("speech: espeak-ng voice '%s' (language %s) is missing; using German",
                 VOICES[vi].voice, lang ? lang : "?");
    }
    if (vi != 0 && g_es.SetVoiceByName(VOICES[0].voice) == ENS_OK)
        return true;
    if (!(s->warned & (1u << 31))) {
        s->warned |= 1u << 31;
        LOG_WARN("speech: no espeak-ng voice available; text is not read aloud");
    }
    return false;
}

static void speak_text(Speech *s, const char *text)
{
    s->n_buf = 0;
    s->aborted = false;
    espeak_ng_STATUS st =
        g_es.Synthesize(text, strlen(text) + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, NULL, NULL);
    if (st != ENS_OK && !s->aborted && !cancelled(s)) {
        char msg[160];
        g_es.GetStatusCodeMessage(st, msg, sizeof msg);
        LOG_WARN("speech: synthesis failed: %s", msg);
    }
    if (!s->aborted)
        flush(s);
    s->n_buf = 0;
}

static bool play_file(Speech *s, const char *path)
{
    KsStatus ks = KS_ERR_STATE;
    pthread_mutex_lock(&s->port_mu);
    if (!cancelled(s))
        ks = s->port.play_file(s->port.ctx, path);
    pthread_mutex_unlock(&s->port_mu);
    if (ks != KS_OK && ks != KS_ERR_STATE)
        LOG_WARN("speech: cannot play %s: %s", path, ks_status_str(ks));
    return ks == KS_OK;
}

static void run_request(Speech *s, const Request *r)
{
    const char *voice = r->lang;
    bool voice_ok = g_rate > 0 && select_voice(s, voice);
    bool first = true;
    for (int i = 0; i < r->n && !cancelled(s); i++) {
        const char *text = r->text[i];
        bool has_text = text && text[strspn(text, " \t\r\n")] != '\0';
        if (!r->wav[i] && !has_text)
            continue;
        const char *want = r->item_lang[i][0] ? r->item_lang[i] : r->lang;
        if (has_text && g_rate > 0 && voice_index(want) != voice_index(voice)) {
            voice = want;
            voice_ok = select_voice(s, voice);
        }
        if (!first && s->rate > 0)
            port_play_pcm(s, s->silence, s->n_silence);
        first = false;
        if (r->wav[i] && play_file(s, r->wav[i]))
            continue;
        if (has_text && voice_ok)
            speak_text(s, text);
    }
}

static bool load_espeak(void)
{
    const DynlibFn fns[] = {
        DYNLIB_FN(g_es, InitializePath, espeak_ng_InitializePath),
        DYNLIB_FN(g_es, Initialize, espeak_ng_Initialize),
        DYNLIB_FN(g_es, InitializeOutput, espeak_ng_InitializeOutput),
        DYNLIB_FN(g_es, GetStatusCodeMessage, espeak_ng_GetStatusCodeMessage),
        DYNLIB_FN(g_es, ClearErrorContext, espeak_ng_ClearErrorContext),
        DYNLIB_FN(g_es, SetSynthCallback, espeak_SetSynthCallback),
        DYNLIB_FN(g_es, GetSampleRate, espeak_ng_GetSampleRate),
        DYNLIB_FN(g_es, SetVoiceByName, espeak_ng_SetVoiceByName),
        DYNLIB_FN(g_es, Synthesize, espeak_ng_Synthesize),
    };
    char why[256];
    if (dynlib_load(ESPEAK_LIB, fns, sizeof fns / sizeof fns[0], why, sizeof why))
        return true;
    LOG_ERROR("speech: espeak-ng is not usable (%s); questions are not read aloud", why);
    return false;
}

/* Once per process (g_es_once): espeak-ng loaded, in synchronous mode, our
 * callback. Leaves g_rate 0 when any of it fails. */
static void init_espeak(void)
{
    if (!load_espeak())
        return;
    espeak_ng_ERROR_CONTEXT ctx = NULL;
    g_es.InitializePath(NULL);
    espeak_ng_STATUS st = g_es.Initialize(&ctx);
    if (st == ENS_OK)
        st = g_es.InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, ESPEAK_BUF_MS, NULL);
    if (st != ENS_OK) {
        char msg[160];
        g_es.GetStatusCodeMessage(st, msg, sizeof msg);
        LOG_ERROR("speech: espeak-ng is not usable (%s); questions are not read aloud", msg);
        g_es.ClearErrorContext(&ctx);
        return;
    }
    g_es.SetSynthCallback(on_samples);
    int rate = g_es.GetSampleRate();
    if (rate <= 0)
        LOG_ERROR("speech: espeak-ng reports sample rate %d", rate);
    else
        g_rate = rate;
}

/* On the worker, before its first request: espeak-ng and the buffers
 * sized for its rate. */
static void worker_prepare(Speech *s)
{
    pthread_once(&g_es_once, init_espeak);
    if (s->rate > 0 || g_rate <= 0)
        return;
    s->rate = g_rate;
    s->cap = (size_t)s->rate * FLUSH_MS / 1000;
    s->buf = xmalloc(s->cap * sizeof *s->buf);
    s->n_silence = (size_t)s->rate * PAUSE_MS / 1000;
    s->silence = xcalloc(s->n_silence, sizeof *s->silence);
}

static void *worker(void *arg)
{
    Speech *s = arg;
    pthread_mutex_lock(&s->mu);
    for (;;) {
        while (!s->quit && !s->pending)
            pthread_cond_wait(&s->cv, &s->mu);
        if (s->quit)
            break;
        Request *r = s->pending;
        s->pending = NULL;
        s->working = true;
        s->worker_gen = s->run_gen = atomic_load(&s->gen);
        pthread_mutex_unlock(&s->mu);
        worker_prepare(s);
        run_request(s, r);
        request_free(r);
        pthread_mutex_lock(&s->mu);
        s->working = false;
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

/* Frees what speech_create made, once no thread uses it. */
static void speech_free(Speech *s)
{
    pthread_cond_destroy(&s->cv);
    pthread_mutex_destroy(&s->port_mu);
    pthread_mutex_destroy(&s->mu);
    free(s->buf);
    free(s->silence);
    free(s);
}

KsStatus speech_create(const KsAudioPort *port, Speech **out)
{
    *out = NULL;
    if (!port || !port->play_pcm || !port->play_file || !port->stop || !port->busy)
        return KS_ERR_INVALID;
    pthread_mutex_lock(&g_init_mu);
    if (g_active) {
        pthread_mutex_unlock(&g_init_mu);
        LOG_ERROR("speech: only one speech service may run at a time");
        return KS_ERR_STATE;
    }
    Speech *s = xcalloc(1, sizeof *s);
    s->port = *port;
    pthread_mutex_init(&s->mu, NULL);
    pthread_mutex_init(&s->port_mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    atomic_init(&s->gen, 1);
    if (pthread_create(&s->thread, NULL, worker, s) != 0) {
        pthread_mutex_unlock(&g_init_mu);
        LOG_ERROR("speech: cannot start the worker thread");
        speech_free(s);
        return KS_ERR_NOMEM;
    }
    g_active = s;
    pthread_mutex_unlock(&g_init_mu);
    *out = s;
    return KS_OK;
}

/* Cancels the current request and, when `next` is given, queues it. */
static void post(Speech *s, Request *next)
{
    pthread_mutex_lock(&s->mu);
    atomic_fetch_add(&s->gen, 1);
    request_free(s->pending);
    s->pending = next;
    if (next)
        pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
    pthread_mutex_lock(&s->port_mu);
    s->port.stop(s->port.ctx);
    pthread_mutex_unlock(&s->port_mu);
}

void speech_destroy(Speech *s)
{
    if (!s)
        return;
    post(s, NULL);
    pthread_mutex_lock(&s->mu);
    s->quit = true;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
    pthread_join(s->thread, NULL);
    pthread_mutex_lock(&g_init_mu);
    g_active = NULL;
    pthread_mutex_unlock(&g_init_mu);
    speech_free(s);
}

static bool ends_with_wav(const char *t)
{
    size_t n = strlen(t);
    return n > 4 && strcasecmp(t + n - 4, ".wav") == 0;
}

KsStatus speech_say_items(Speech *s, const char *lang, const SpeechItem *items, int n)
{
    if (n < 0 || n > SPEECH_MAX_ITEMS || (n > 0 && !items))
        return KS_ERR_INVALID;
    Request *r = xcalloc(1, sizeof *r);
    snprintf(r->lang, sizeof r->lang, "%s", lang ? lang : "de");
    r->n = n;
    r->text = xcalloc((size_t)(n ? n : 1), sizeof *r->text);
    r->wav = xcalloc((size_t)(n ? n : 1), sizeof *r->wav);
    r->item_lang = xcalloc((size_t)(n ? n : 1), sizeof *r->item_lang);
    for (int i = 0; i < n; i++) {
        if (items[i].lang)
            snprintf(r->item_lang[i], sizeof r->item_lang[i], "%s", items[i].lang);
        if (items[i].text)
            r->text[i] = xstrdup(items[i].text);
        if (items[i].wav_path && items[i].wav_path[0])
            r->wav[i] = xstrdup(items[i].wav_path);
    }
    post(s, r);
    return KS_OK;
}

KsStatus speech_say(Speech *s, const char *lang, const char *const *texts, int n)
{
    if (n < 0 || n > SPEECH_MAX_ITEMS || (n > 0 && !texts))
        return KS_ERR_INVALID;
    SpeechItem items[SPEECH_MAX_ITEMS];
    for (int i = 0; i < n; i++) {
        const char *t = texts[i];
        items[i] = (SpeechItem){.text = t};
        if (t && ends_with_wav(t) && !strpbrk(t, " \t\r\n")) {
            if (access(t, R_OK) != 0)
                LOG_WARN("speech: audio file %s not found; skipped", t);
            items[i] = (SpeechItem){.wav_path = t};
        }
    }
    return speech_say_items(s, lang, items, n);
}

void speech_stop(Speech *s)
{
    if (s)
        post(s, NULL);
}

bool speech_busy(Speech *s)
{
    if (!s)
        return false;
    pthread_mutex_lock(&s->mu);
    bool b = s->pending || (s->working && s->worker_gen == atomic_load(&s->gen));
    pthread_mutex_unlock(&s->mu);
    return b || s->port.busy(s->port.ctx);
}

int speech_rate_hz(const Speech *s)
{
    if (!s)
        return 0;
    pthread_once(&g_es_once, init_espeak);
    return g_rate;
}
