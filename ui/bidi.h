/* bidi: splits one line of UTF-8 text into directional runs in visual order
 * (left to right on screen), with FriBidi doing the Unicode bidi algorithm,
 * and tags each run with its script so text can pick a font and tell the
 * shaper what it shapes. Pure: no SDL, no fonts, no allocation. Line
 * breaking happens before this (UAX #9: reorder each line on its own). */
#ifndef KS_BIDI_H
#define KS_BIDI_H

#include <stddef.h>
#include <stdbool.h>

#define BIDI_CHARS_MAX 1024 /* codepoints in one line; the rest is dropped */
#define BIDI_RUNS_MAX 96    /* runs in one line; the rest is dropped */

typedef enum {
    BIDI_SCRIPT_COMMON, /* digits, punctuation, spaces with no script around */
    BIDI_SCRIPT_LATIN,
    BIDI_SCRIPT_ARABIC,
    BIDI_SCRIPT_CYRILLIC,
    BIDI_SCRIPT_GREEK,
    BIDI_SCRIPT_HEBREW,
    BIDI_SCRIPT_OTHER /* a script this module does not name: shaper guesses */
} BidiScript;

typedef struct {
    int start, len;    /* byte range in the line; characters in logical order */
    bool rtl;          /* odd embedding level: shape and lay out right to left */
    int level;         /* the resolved embedding level */
    BidiScript script; /* common/inherited characters take their neighbours' script */
} BidiRun;

/* Fills runs[] (at most max) with the runs of s[0..len) in visual order,
 * laid out on a paragraph of base direction rtl_base (not guessed from the
 * text). Characters keep their logical form: mirroring of brackets in RTL
 * runs is left to the shaper. Invalid UTF-8 bytes count as one character
 * each. Returns the number of runs, 0 for empty text or when FriBidi fails
 * (then the caller should draw the text as one run). */
int bidi_line_runs(const char *s, size_t len, bool rtl_base, BidiRun *runs, int max);

/* The ISO 15924 tag of a script ("Arab", "Latn", "Cyrl", "Zyyy"…) for
 * HarfBuzz; a static string. BIDI_SCRIPT_OTHER gives "Zzzz" (unknown), which
 * lets HarfBuzz guess the script from the text. */
const char *bidi_script_tag(BidiScript script);

/* The script of one codepoint (COMMON for digits, spaces, punctuation and
 * combining marks). */
BidiScript bidi_script_of(unsigned long cp);

/* Decodes the UTF-8 character at s[*pos] (s is len bytes), advances *pos
 * past it and returns its codepoint; an invalid byte gives U+FFFD and
 * advances by one. */
unsigned long bidi_utf8_next(const char *s, size_t len, size_t *pos);

#endif
