/* uitext: the translation table of the kiosk's own words. */
#include "uitext.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    const char *code;
    const char *text[UIT_COUNT];
} UiLang;

static const UiLang g_langs[] = {
    {"de",
     {
         [UIT_TAP_TO_START] = "Tippe hier, um zu starten",
         [UIT_WELCOME] = "Hallo! Sag uns deine Meinung.",
         [UIT_WHO_ARE_YOU] = "Wer bist du?",
         [UIT_WHICH_LANGUAGE] = "Welche Sprache?",
         [UIT_AUDIENCE_CHILD] = "Kind",
         [UIT_AUDIENCE_YOUTH] = "Jugendliche",
         [UIT_AUDIENCE_PARENT] = "Eltern",
         [UIT_NEXT] = "Weiter",
         [UIT_DONE] = "Fertig",
         [UIT_BACK] = "Zurück",
         [UIT_PLEASE_ANSWER] = "Bitte wähle eine Antwort.",
         [UIT_CHECK_ANSWER] = "Bitte prüfe diese Antwort.",
         [UIT_OK] = "OK",
         [UIT_QUESTION_N_OF_M] = "Frage %d von %d",
         [UIT_STILL_THERE] = "Bist du noch da?",
         [UIT_YES_STILL_HERE] = "Ja, ich bin noch da!",
         [UIT_COUNTDOWN] = "Sonst geht es in %d Sekunden von vorn los.",
         [UIT_QUIT_QUESTION] = "Möchtest du aufhören?",
         [UIT_QUIT_YES] = "Ja, aufhören",
         [UIT_QUIT_NO] = "Nein, weitermachen",
         [UIT_THANKS] = "Danke!",
         [UIT_THANKS_MORE] = "Du hast uns sehr geholfen.",
         [UIT_FAULT_TITLE] = "Bitte hole eine Betreuerin oder einen Betreuer.",
         [UIT_FAULT_DATABASE] = "Die Antworten können gerade nicht gespeichert werden.",
         [UIT_FAULT_CORRUPT] = "Die Datenbank ist beschädigt. Der Kiosk sammelt keine Antworten.",
         [UIT_FAULT_NO_FORMS] = "Es ist keine Umfrage eingerichtet.",
     }},
    {"en",
     {
         [UIT_TAP_TO_START] = "Tap here to start",
         [UIT_WELCOME] = "Hello! Tell us what you think.",
         [UIT_WHO_ARE_YOU] = "Who are you?",
         [UIT_WHICH_LANGUAGE] = "Which language?",
         [UIT_AUDIENCE_CHILD] = "Child",
         [UIT_AUDIENCE_YOUTH] = "Young person",
         [UIT_AUDIENCE_PARENT] = "Parent",
         [UIT_NEXT] = "Next",
         [UIT_DONE] = "Done",
         [UIT_BACK] = "Back",
         [UIT_PLEASE_ANSWER] = "Please choose an answer.",
         [UIT_CHECK_ANSWER] = "Please check this answer.",
         [UIT_OK] = "OK",
         [UIT_QUESTION_N_OF_M] = "Question %d of %d",
         [UIT_STILL_THERE] = "Are you still there?",
         [UIT_YES_STILL_HERE] = "Yes, I am still here!",
         [UIT_COUNTDOWN] = "Otherwise we start again in %d seconds.",
         [UIT_QUIT_QUESTION] = "Do you want to stop?",
         [UIT_QUIT_YES] = "Yes, stop",
         [UIT_QUIT_NO] = "No, go on",
         [UIT_THANKS] = "Thank you!",
         [UIT_THANKS_MORE] = "You helped us a lot.",
         [UIT_FAULT_TITLE] = "Please ask a member of staff.",
         [UIT_FAULT_DATABASE] = "Answers cannot be saved at the moment.",
         [UIT_FAULT_CORRUPT] = "The database is damaged. The kiosk is not collecting answers.",
         [UIT_FAULT_NO_FORMS] = "No survey is set up.",
     }},
};

static const struct {
    const char *code, *name;
    int rtl;
} g_endonyms[] = {
    {"de", "Deutsch", 0},    {"en", "English", 0},    {"tr", "Türkçe", 0},
    {"ar", "العربية", 1},    {"uk", "Українська", 0}, {"ru", "Русский", 0},
    {"fa", "فارسی", 1},      {"pl", "Polski", 0},     {"fr", "Français", 0},
};

const char *uitext_get(const char *lang, UiTextId id)
{
    if (id < 0 || id >= UIT_COUNT)
        return "";
    const UiLang *l = &g_langs[0];
    for (size_t i = 0; lang && i < sizeof g_langs / sizeof g_langs[0]; i++)
        if (strcmp(g_langs[i].code, lang) == 0)
            l = &g_langs[i];
    const char *t = l->text[id];
    return t ? t : g_langs[0].text[id];
}

const char *uitext_endonym(const char *code)
{
    for (size_t i = 0; i < sizeof g_endonyms / sizeof g_endonyms[0]; i++)
        if (strcmp(g_endonyms[i].code, code) == 0)
            return g_endonyms[i].name;
    return NULL;
}

int uitext_is_rtl(const char *code)
{
    for (size_t i = 0; i < sizeof g_endonyms / sizeof g_endonyms[0]; i++)
        if (strcmp(g_endonyms[i].code, code) == 0)
            return g_endonyms[i].rtl;
    return 0;
}

void uitext_format(char *buf, int size, const char *lang, UiTextId id, ...)
{
    va_list ap;
    va_start(ap, id);
    /* The formats are the fixed entries of the table above, each with only
     * %d conversions, so a non-literal format is safe here. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    vsnprintf(buf, (size_t)size, uitext_get(lang, id), ap);
#pragma GCC diagnostic pop
    va_end(ap);
}
