/* keys: the key layouts of the on-screen number pad and keyboards, as rows
 * of key labels. Data only: the kiosk turns keys into view targets
 * ("key:<label>") and edits; the UI lays them out. */
#ifndef KS_KEYS_H
#define KS_KEYS_H

#include <stdbool.h>

#define KEYS_MAX_ROWS 5

/* Special keys (their labels are these words). */
#define KEYS_BACKSPACE "backspace"
#define KEYS_SPACE "space"
#define KEYS_SYMBOLS "symbols" /* switches between letters and the symbols page */
#define KEYS_LAYOUT "layout"   /* switches to the next language's letters */
#define KEYS_SHIFT "shift"     /* the next letter as a capital */

typedef struct {
    const char *code;              /* layout name: "de", "numbers", … */
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
/* Whether a key label names a special key rather than a character. */
bool keys_is_special(const char *key);
/* The number pad; `decimal` adds the decimal point. */
const KeysLayout *keys_numpad(bool decimal);

#endif
