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

typedef struct {
    const char *code;              /* layout name: "de", "numbers", … */
    int n_rows;
    const char *rows[KEYS_MAX_ROWS]; /* keys separated by single spaces */
} KeysLayout;

/* The keyboard for a language code (German for a language without one). */
const KeysLayout *keys_for_lang(const char *lang);
/* The number pad; `decimal` adds the decimal point. */
const KeysLayout *keys_numpad(bool decimal);

#endif
