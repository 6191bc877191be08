/* uitext: the kiosk's own words (buttons, prompts, screens), per language.
 * Survey content comes from the forms; these are the texts around it.
 * Unknown languages fall back to German, the kiosk's home language. */
#ifndef KS_UITEXT_H
#define KS_UITEXT_H

typedef enum {
    UIT_TAP_TO_START,
    UIT_WELCOME,
    UIT_WHO_ARE_YOU,
    UIT_WHICH_LANGUAGE,
    UIT_AUDIENCE_CHILD,
    UIT_AUDIENCE_YOUTH,
    UIT_AUDIENCE_PARENT,
    UIT_NEXT,
    UIT_DONE,
    UIT_BACK,
    UIT_PLEASE_ANSWER,
    UIT_CHECK_ANSWER,
    UIT_OK,
    UIT_QUESTION_N_OF_M, /* printf format with two %d */
    UIT_STILL_THERE,
    UIT_YES_STILL_HERE,
    UIT_COUNTDOWN,       /* printf format with one %d (seconds) */
    UIT_QUIT_QUESTION,
    UIT_QUIT_YES,
    UIT_QUIT_NO,
    UIT_THANKS,
    UIT_THANKS_MORE,
    UIT_FAULT_TITLE,
    UIT_FAULT_DATABASE,
    UIT_FAULT_CORRUPT,
    UIT_FAULT_NO_FORMS,
    UIT_COUNT
} UiTextId;

/* The text for id in language `lang` ("de", "en", ...). Static storage. */
const char *uitext_get(const char *lang, UiTextId id);

/* Formats a text whose entry is a printf format (UIT_QUESTION_N_OF_M,
 * UIT_COUNTDOWN) with integer arguments into buf. */
void uitext_format(char *buf, int size, const char *lang, UiTextId id, ...);

/* The name of a language in that language ("Deutsch", "English", "Türkçe",
 * "العربية", ...), or NULL when the kiosk does not know the code. */
const char *uitext_endonym(const char *code);

/* True when the language is written right to left. */
int uitext_is_rtl(const char *code);

#endif
