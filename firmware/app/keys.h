/* keys: the key layouts of the on-screen number pad and keyboards, as rows
 * of key labels, and what a key press does to a keyboard's state and to the
 * text being typed. The kiosk turns keys into view targets ("key:<label>");
 * the UI lays them out. */
#ifndef KS_KEYS_H
#define KS_KEYS_H

#include <stddef.h>
#include <stdbool.h>

#define KEYS_MAX_ROWS 5

/* Special keys (their labels are these words). */
#define KEYS_BACKSPACE "backspace"
#define KEYS_SPACE "space"
#define KEYS_SYMBOLS "symbols" /* switches between letters and the symbols page */
#define KEYS_LAYOUT "layout"   /* switches to the next language's letters */
#define KEYS_SHIFT "shift"     /* the next letter as a capital */

typedef struct {
    const char *code; /* layout name: "de", "numbers", … */
    int n_rows;
    const char *rows[KEYS_MAX_ROWS]; /* keys separated by single spaces */
} KeysLayout;

/* The keyboard for a language code (German for a language without one). */
const KeysLayout *keys_for_lang(const char *lang);
/* The capitals of `lang`'s keyboard (its letters again for a script
 * without capitals, such as Arabic). */
const KeysLayout *keys_for_lang_upper(const char *lang);
/* The keyboard after `lang`'s in the switching order (de, en, tr, ar, uk,
 * ru, then de again). */
const KeysLayout *keys_next(const char *lang);
/* The short name on the key that switches to the layout `code` ("DE",
 * "عربي", "УКР"); static storage. */
const char *keys_caption(const char *code);
/* The caption of the key that leads from the symbols page back to the
 * letters of `code` ("abc", "абв", "أ ب ت"). */
const char *keys_letters_caption(const char *code);
/* Digits and punctuation for typing in `lang` (Arabic gets ، ؛ ؟). */
const KeysLayout *keys_symbols_page(const char *lang);
/* The number pad; `decimal` adds the decimal point. */
const KeysLayout *keys_numpad(bool decimal);

/* One on-screen keyboard as a person uses it: whose letters, the symbols
 * page or not, and a shift waiting for the next letter. */
typedef struct {
    char code[16]; /* the language whose letters are shown */
    bool symbols;  /* the symbols page is shown instead */
    bool shift;    /* the next letter is a capital */
} KeysState;

/* Letters of lang (German for a language without a keyboard), no shift. */
void keys_start(KeysState *ks, const char *lang);
/* The layout the keyboard shows now. */
const KeysLayout *keys_shown(const KeysState *ks);
/* Handles the keys that switch the keyboard (symbols, layout, shift) and
 * returns true; false for any other key. */
bool keys_switch(KeysState *ks, const char *key);
/* Types a character key (or space) into text, or takes the last character
 * back (backspace, a whole UTF-8 character). Returns false, text unchanged,
 * when the text would not fit size bytes or would pass max_chars
 * characters (max_chars < 0: no limit). A typed character ends a shift. */
bool keys_type(KeysState *ks, const char *key, char *text, size_t size, int max_chars);

#endif
