/* kiosk_view: builds the KsView of the screen shown — the Kiosk's own
 * (welcome, language, "who are you?", quit question, idle prompt,
 * thank-you, fault) and, by delegation, the question page (the
 * Respondent's), staff mode's and the workshop's. It reads the state and
 * changes nothing but the view. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/clock.h"
#include "../core/log.h"
#include "../core/mem.h"
#include "../core/str.h"
#include "../storage/store_export.h"
#include "keys.h"
#include "kiosk_private.h"
#include "view_build.h"

/* The languages the kiosk ships catalogs for, in the order it offers them. */
static const char *const USUAL_LANGS[] = {"de", "en", "tr", "ar", "uk", "ru"};

static bool is_usual_lang(const char *code)
{
    for (size_t i = 0; i < sizeof USUAL_LANGS / sizeof USUAL_LANGS[0]; i++)
        if (strcmp(code, USUAL_LANGS[i]) == 0)
            return true;
    return false;
}

/* How the "who are you?" tile of each audience looks, in audience order. */
static const struct {
    const char *icon;
    UiTextId word;
} AUDIENCE_TILE[] = {
    [FORM_AUDIENCE_CHILD] = {"audience-child.svg", UIT_AUDIENCE_CHILD},
    [FORM_AUDIENCE_YOUTH] = {"audience-youth.svg", UIT_AUDIENCE_YOUTH},
    [FORM_AUDIENCE_PARENT] = {"audience-parent.svg", UIT_AUDIENCE_PARENT},
    [FORM_AUDIENCE_PROFESSIONAL] = {"audience-professional.svg", UIT_AUDIENCE_PROFESSIONAL},
};

/* The language screen comes first: a parent who reads only Arabic must
 * find their way without German. The heading says "Language" in every
 * offered language, each tile is a language in its own name with "Answer
 * in …" beneath in that language, and the speaker greets in each voice. */
static void build_language(Kiosk *k, KsView *v)
{
    const char *codes[KS_VIEW_MAX_TARGETS];
    int n = kiosk_offered_langs(k, codes, KS_VIEW_MAX_TARGETS - 2);
    size_t used = 0;
    for (int i = 0; i < n && is_usual_lang(codes[i]); i++) {
        /* A no-break space before each dot: a wrapped line ends with the
         * dot rather than the next line starting with one. */
        int w = snprintf(v->title + used, sizeof v->title - used, "%s%s", used ? "\u00a0· " : "",
                         uitext_get(codes[i], UIT_LANGUAGE_WORD));
        if (w < 0 || (size_t)w >= sizeof v->title - used) {
            v->title[used] = '\0'; /* a word that does not fit is left out whole */
            break;
        }
        used += (size_t)w;
    }
    if (!used)
        str_copy(v->title, sizeof v->title, uitext_get("de", UIT_WHICH_LANGUAGE));
    for (int i = 0; i < n; i++) {
        char id[KS_TARGET_ID_MAX];
        snprintf(id, sizeof id, "lang:%s", codes[i]);
        const char *name = uitext_endonym(codes[i]);
        for (int f = 0; !name && f < catalog_count(k->catalog); f++) {
            const Form *form = catalog_form(k->catalog, f);
            int li = form_lang_index(form, codes[i]);
            if (li >= 0 && form_lang(form, li)->name[0])
                name = form_lang(form, li)->name;
        }
        KsViewTarget *t = view_add_target(v, id, name ? name : codes[i], KS_TARGET_OPTION);
        if (t && is_usual_lang(codes[i]))
            t->subtext = uitext_get(codes[i], UIT_ANSWER_IN);
    }
    if (k->speech) {
        KsViewTarget *sp =
            view_add_target(v, "speak", uitext_get("de", UIT_READ_ALOUD), KS_TARGET_SPEAK);
        if (sp)
            sp->image = "speaker.svg";
    }
    view_add_target(v, "back", uitext_get("de", UIT_BACK), KS_TARGET_BACK);
}

/* How many forms offered in the view's language have audience a. */
static int audience_forms(Kiosk *k, FormAudience a)
{
    int n = 0;
    for (int i = 0; i < catalog_count(k->catalog); i++) {
        const Form *f = catalog_form(k->catalog, i);
        n += kiosk_form_offered(k, f) && form_audience(f) == a;
    }
    return n;
}

/* A form's title in lang, up to its first ": " ("Jugendbefragung: Schule,
 * Freizeit und Stadtteil" names itself "Jugendbefragung"), into buf. */
static const char *short_title(const Form *f, const char *lang, char buf[KS_VIEW_NOTE_MAX])
{
    str_copy(buf, KS_VIEW_NOTE_MAX, form_text(f, form_title(f), form_lang_index(f, lang)));
    char *colon = strstr(buf, ": ");
    if (colon && colon > buf)
        *colon = '\0';
    return buf;
}

/* "Who are you?" in the chosen language, one tile per form offered in it:
 * children first, then youth, parents and educators (the order of the
 * audience enum), each audience's forms in catalog order. Two forms for
 * the same audience (a staff-imported one beside a shipped one) carry their
 * titles beneath, so the tiles never look the same. */
static void build_audience(Kiosk *k, KsView *v)
{
    const char *lang = v->lang;
    str_copy(v->title, sizeof v->title, uitext_get(lang, UIT_WHO_ARE_YOU));
    int notes = 0;
    for (int a = FORM_AUDIENCE_CHILD; a <= FORM_AUDIENCE_PROFESSIONAL; a++) {
        bool twins = audience_forms(k, (FormAudience)a) > 1;
        for (int i = 0; i < catalog_count(k->catalog); i++) {
            const Form *f = catalog_form(k->catalog, i);
            if (form_audience(f) != (FormAudience)a || !kiosk_form_offered(k, f))
                continue; /* switched off on the staff forms screen, or not in this language */
            char id[KS_TARGET_ID_MAX];
            snprintf(id, sizeof id, "audience:%s", form_id(f));
            KsViewTarget *t = view_add_target(
                v, id, uitext_get(lang, AUDIENCE_TILE[form_audience(f)].word), KS_TARGET_OPTION);
            if (!t)
                break;
            t->image = AUDIENCE_TILE[form_audience(f)].icon;
            if (twins && notes < KS_VIEW_MAX_NOTES)
                t->subtext = short_title(f, lang, v->notes[notes++]);
        }
    }
    if (k->speech) {
        KsViewTarget *sp =
            view_add_target(v, "speak", uitext_get(lang, UIT_READ_ALOUD), KS_TARGET_SPEAK);
        if (sp)
            sp->image = "speaker.svg";
    }
    view_add_target(v, "back", uitext_get(lang, UIT_BACK), KS_TARGET_BACK);
}

/* The welcome screen: German with English beneath, whatever the state. */
static void build_welcome(KsView *v)
{
    str_copy(v->title, sizeof v->title, uitext_get("de", UIT_WELCOME));
    str_copy(v->message, sizeof v->message, uitext_get("en", UIT_WELCOME));
    KsViewTarget *t =
        view_add_target(v, "start", uitext_get("de", UIT_TAP_TO_START), KS_TARGET_PRIMARY);
    if (t) {
        t->subtext = uitext_get("en", UIT_TAP_TO_START);
        t->image = "hand.svg";
    }
}

/* The fields every view starts with, for screen. */
static void view_begin(KsView *v, KsScreen screen, unsigned generation, const char *lang)
{
    memset(v, 0, sizeof *v);
    v->generation = generation;
    v->screen = screen;
    v->form_id = "";
    v->question = "";
    v->lang = lang;
    v->rtl = uitext_is_rtl(v->lang) != 0;
}

void kiosk_welcome_view(KsView *v)
{
    view_begin(v, KS_SCREEN_ATTRACT, 0, "de");
    build_welcome(v);
}

void kiosk_rebuild_view(Kiosk *k)
{
    KsView *v = &k->view;
    const char *lang = k->lang_code[0] ? k->lang_code : "de";
    /* A workshop visit's idle prompt speaks the participant's language. */
    if (!k->lang_code[0] && k->ws && workshop_active(k->ws) && workshop_lang(k->ws)[0])
        lang = workshop_lang(k->ws);
    view_begin(v, k->screen, v->generation + 1, lang);
    const char *de = "de";

    switch (k->screen) {
    case KS_SCREEN_ATTRACT:
        build_welcome(v);
        break;
    case KS_SCREEN_LANGUAGE:
        build_language(k, v);
        break;
    case KS_SCREEN_AUDIENCE:
        build_audience(k, v);
        break;
    case KS_SCREEN_QUESTION:
        respondent_build_view(k->resp, v, k->speech != NULL);
        break;
    case KS_SCREEN_CONFIRM_QUIT:
        v->form_id = respondent_form(k->resp) ? form_id(respondent_form(k->resp)) : "";
        str_copy(v->title, sizeof v->title, uitext_get(v->lang, UIT_QUIT_QUESTION));
        view_add_target(v, "no", uitext_get(v->lang, UIT_QUIT_NO), KS_TARGET_PRIMARY);
        view_add_target(v, "yes", uitext_get(v->lang, UIT_QUIT_YES), KS_TARGET_SECONDARY);
        break;
    case KS_SCREEN_IDLE_PROMPT: {
        v->form_id = respondent_form(k->resp) ? form_id(respondent_form(k->resp)) : "";
        /* Before a language is chosen the prompt speaks German. */
        str_copy(v->title, sizeof v->title, uitext_get(v->lang, UIT_STILL_THERE));
        int left = k->cfg->idle_prompt_s - (int)((clock_mono_ms() - k->prompt_start_ms) / 1000);
        if (left < 0)
            left = 0;
        v->countdown_s = left;
        uitext_format(v->message, sizeof v->message, v->lang, UIT_COUNTDOWN, left);
        view_add_target(v, "continue", uitext_get(v->lang, UIT_YES_STILL_HERE), KS_TARGET_PRIMARY);
        break;
    }
    case KS_SCREEN_THANKS: {
        str_copy(v->title, sizeof v->title, uitext_get(v->lang, UIT_THANKS));
        str_copy(v->message, sizeof v->message, uitext_get(v->lang, UIT_THANKS_MORE));
        v->session = respondent_completed_id(k->resp);
        /* Offered only after the cool-down, so a burst of taps at the end
         * cannot start the next survey. */
        KsViewTarget *t =
            view_add_target(v, "done", uitext_get(v->lang, UIT_DONE), KS_TARGET_PRIMARY);
        if (t)
            t->enabled = clock_mono_ms() - k->thanks_start_ms >= (int64_t)k->cfg->cooldown_s * 1000;
        break;
    }
    case KS_SCREEN_SLEEP:
        break; /* dark, no targets */
    case KS_SCREEN_FAULT:
        str_copy(v->title, sizeof v->title, uitext_get(de, UIT_FAULT_TITLE));
        if (k->fault_reason == UIT_FAULT_DATA_DIR || k->fault_reason == UIT_FAULT_FONTS ||
            k->fault_reason == UIT_FAULT_DISPLAY)
            uitext_format(v->message, sizeof v->message, de, k->fault_reason, k->fault_detail);
        else
            str_copy(v->message, sizeof v->message, uitext_get(de, k->fault_reason));
        break;
    default:
        if (kiosk_is_ws_screen(k->screen))
            workshop_build_view(k->ws, v);
        else
            staff_build_view(k->staff, v);
        break;
    }
}

/* A form's language is offered when kiosk.conf's `languages` names it. A
 * form that has none of those languages offers all of its own: a form
 * nobody could open would be a dead end. */
bool kiosk_form_lang_shown(const Kiosk *k, const Form *f, const char *code)
{
    if (form_lang_index(f, code) < 0)
        return false;
    if (config_lang_offered(k->cfg, code))
        return true;
    for (int i = 0; i < form_lang_count(f); i++) {
        const FormLang *fl = form_lang(f, i);
        if (fl->code[0] && config_lang_offered(k->cfg, fl->code))
            return false;
    }
    return true;
}

bool kiosk_form_offered(const Kiosk *k, const Form *f)
{
    return store_form_is_active(k->store, form_id(f)) && k->lang_code[0] &&
           kiosk_form_lang_shown(k, f, k->lang_code);
}

static bool has_code(const char *const *codes, int n, const char *code)
{
    for (int i = 0; i < n; i++)
        if (strcmp(codes[i], code) == 0)
            return true;
    return false;
}

#define ACTIVE_FORMS_MAX 64

int kiosk_offered_langs(const Kiosk *k, const char **codes, int max)
{
    /* The switch of each form is read once: it lives in the database. */
    const Form *active[ACTIVE_FORMS_MAX];
    int n_active = 0;
    for (int i = 0; i < catalog_count(k->catalog) && n_active < ACTIVE_FORMS_MAX; i++) {
        const Form *f = catalog_form(k->catalog, i);
        if (store_form_is_active(k->store, form_id(f)))
            active[n_active++] = f;
    }
    int n = 0;
    for (size_t u = 0; u < sizeof USUAL_LANGS / sizeof USUAL_LANGS[0]; u++)
        for (int i = 0; i < n_active && n < max; i++)
            if (kiosk_form_lang_shown(k, active[i], USUAL_LANGS[u])) {
                codes[n++] = USUAL_LANGS[u];
                break;
            }
    for (int i = 0; i < n_active; i++)
        for (int j = 0; j < form_lang_count(active[i]) && n < max; j++) {
            const char *code = form_lang(active[i], j)->code;
            if (code[0] && !is_usual_lang(code) && !has_code(codes, n, code) &&
                kiosk_form_lang_shown(k, active[i], code))
                codes[n++] = code;
        }
    return n;
}

struct KioskPeek {
    Kiosk k;
};

KioskPeek *kiosk_peek_next(const Kiosk *k)
{
    if (k->screen != KS_SCREEN_QUESTION || !k->resp)
        return NULL;
    Respondent *r = respondent_peek_next(k->resp);
    if (!r)
        return NULL;
    /* A copy of the kiosk around the respondent's copy: the view is built
     * from it as kiosk_rebuild_view builds every view, and reads the rest. */
    KioskPeek *p = xmalloc(sizeof *p);
    p->k = *k;
    p->k.resp = r;
    kiosk_rebuild_view(&p->k);
    return p;
}

const KsView *kiosk_peek_view(const KioskPeek *p)
{
    return &p->k.view;
}

void kiosk_peek_free(KioskPeek *p)
{
    if (!p)
        return;
    respondent_peek_free(p->k.resp);
    free(p);
}
