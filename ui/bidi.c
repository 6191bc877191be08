/* bidi: one line of text into visual-order runs of one direction and one
 * script. FriBidi resolves the levels and the reordering; this file only
 * decodes UTF-8, names scripts and cuts the visual order into runs. It must
 * not know about fonts or SDL. Scratch arrays are static: one caller at a
 * time (the UI thread). */
#include "bidi.h"

#include <fribidi.h>

#include "../firmware/core/str.h"

static FriBidiChar g_text[BIDI_CHARS_MAX];
static int g_off[BIDI_CHARS_MAX + 1]; /* byte offset of each character */
static FriBidiCharType g_types[BIDI_CHARS_MAX];
static FriBidiBracketType g_brackets[BIDI_CHARS_MAX];
static FriBidiLevel g_levels[BIDI_CHARS_MAX];
static FriBidiStrIndex g_map[BIDI_CHARS_MAX];
static BidiScript g_script[BIDI_CHARS_MAX];
static BidiScript g_fallback[BIDI_CHARS_MAX]; /* nearest named script anywhere */

unsigned long bidi_utf8_next(const char *s, size_t len, size_t *pos)
{
    const unsigned char *p = (const unsigned char *)s + *pos;
    size_t left = len - *pos;
    unsigned long cp;
    size_t n;
    if (p[0] < 0x80) {
        *pos += 1;
        return p[0];
    } else if ((p[0] & 0xE0) == 0xC0) {
        cp = p[0] & 0x1Fu;
        n = 2;
    } else if ((p[0] & 0xF0) == 0xE0) {
        cp = p[0] & 0x0Fu;
        n = 3;
    } else if ((p[0] & 0xF8) == 0xF0) {
        cp = p[0] & 0x07u;
        n = 4;
    } else {
        *pos += 1;
        return 0xFFFD;
    }
    if (n > left) {
        *pos += 1;
        return 0xFFFD;
    }
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80) {
            *pos += 1;
            return 0xFFFD;
        }
        cp = (cp << 6) | (p[i] & 0x3Fu);
    }
    /* Overlong forms and surrogates are not characters. */
    if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        *pos += 1;
        return 0xFFFD;
    }
    *pos += n;
    return cp;
}

BidiScript bidi_script_of(unsigned long c)
{
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == 0xAA || c == 0xBA)
        return BIDI_SCRIPT_LATIN;
    if (c < 0xC0)
        return BIDI_SCRIPT_COMMON;
    if (c <= 0x24F)
        return c == 0xD7 || c == 0xF7 ? BIDI_SCRIPT_COMMON : BIDI_SCRIPT_LATIN;
    if (c < 0x370)
        return c >= 0x250 && c < 0x2B0 ? BIDI_SCRIPT_LATIN
                                       : BIDI_SCRIPT_COMMON; /* IPA; modifiers, marks */
    if (c < 0x400)
        return c == 0x37E || c == 0x387 ? BIDI_SCRIPT_COMMON : BIDI_SCRIPT_GREEK;
    if (c < 0x530)
        return (c >= 0x483 && c <= 0x489) ? BIDI_SCRIPT_COMMON : BIDI_SCRIPT_CYRILLIC;
    if (c >= 0x591 && c < 0x600)
        return BIDI_SCRIPT_HEBREW;
    if ((c >= 0x600 && c < 0x700) || (c >= 0x750 && c < 0x780) || (c >= 0x870 && c < 0x900) ||
        (c >= 0xFB50 && c < 0xFE00) || (c >= 0xFE70 && c < 0xFF00)) {
        /* Arabic comma, semicolon, question mark, tatweel and the harakat
         * are shared with other scripts: they follow their neighbours. */
        if (c == 0x60C || c == 0x61B || c == 0x61F || c == 0x640 || (c >= 0x64B && c <= 0x655) ||
            c == 0x670 || c == 0xFEFF)
            return BIDI_SCRIPT_COMMON;
        return BIDI_SCRIPT_ARABIC;
    }
    if ((c >= 0x1C80 && c < 0x1C90) || (c >= 0x2DE0 && c < 0x2E00) || (c >= 0xA640 && c < 0xA6A0))
        return BIDI_SCRIPT_CYRILLIC;
    if ((c >= 0x1E00 && c < 0x1F00) || (c >= 0x2C60 && c < 0x2C80) || (c >= 0xA720 && c < 0xA800) ||
        (c >= 0xAB30 && c < 0xAB70) || (c >= 0xFB00 && c < 0xFB07) ||
        (c >= 0xFF21 && c <= 0xFF3A) || (c >= 0xFF41 && c <= 0xFF5A))
        return BIDI_SCRIPT_LATIN;
    if (c >= 0x1F00 && c < 0x2000)
        return BIDI_SCRIPT_GREEK;
    if (c < 0x700)
        return BIDI_SCRIPT_OTHER; /* Armenian */
    if (c < 0x2000)
        return BIDI_SCRIPT_OTHER; /* Syriac … Georgian, Ethiopic … */
    if (c < 0x2E80 || (c >= 0xFE00 && c < 0xFE70) || (c >= 0xFF00 && c < 0xFF70) ||
        (c >= 0x1F000 && c < 0x1FC00) || c == 0xFFFD)
        return BIDI_SCRIPT_COMMON; /* punctuation, symbols, arrows, emoji */
    return BIDI_SCRIPT_OTHER;
}

/* ISO 15924 codes, in the order of BidiScript. */
static const char *const BIDI_SCRIPT_TAGS[] = {"Zyyy", "Latn", "Arab", "Cyrl",
                                               "Grek", "Hebr", "Zzzz"};
_Static_assert(STR_COUNT(BIDI_SCRIPT_TAGS) == BIDI_SCRIPT_OTHER + 1, "a tag for every script");

const char *bidi_script_tag(BidiScript script)
{
    return str_name_of(BIDI_SCRIPT_TAGS, STR_COUNT(BIDI_SCRIPT_TAGS), (int)script, "Zzzz");
}

/* Common characters (spaces, digits, punctuation) take the script of the
 * nearest named script at their own embedding level, before them, else after
 * them, so a space does not split a word run and punctuation is shaped with
 * the words it belongs to. With none at their level they take the nearest
 * anywhere in the line. Runs on final levels (after reorder_line's L1). */
static void resolve_scripts(int n)
{
    BidiScript last = BIDI_SCRIPT_COMMON;
    for (int i = 0; i < n; i++) {
        BidiScript sc = bidi_script_of(g_text[i]);
        g_script[i] = sc;
        if (sc != BIDI_SCRIPT_COMMON)
            last = sc;
        g_fallback[i] = last;
    }
    last = BIDI_SCRIPT_COMMON;
    for (int i = n - 1; i >= 0; i--) {
        if (g_script[i] != BIDI_SCRIPT_COMMON)
            last = g_script[i];
        else if (g_fallback[i] == BIDI_SCRIPT_COMMON)
            g_fallback[i] = last;
    }
    for (int a = 0; a < n;) {
        int b = a;
        while (b < n && g_levels[b] == g_levels[a])
            b++;
        BidiScript seg = BIDI_SCRIPT_COMMON;
        for (int i = a; i < b; i++) {
            if (g_script[i] != BIDI_SCRIPT_COMMON)
                seg = g_script[i];
            else if (seg != BIDI_SCRIPT_COMMON)
                g_script[i] = seg;
        }
        seg = BIDI_SCRIPT_COMMON;
        for (int i = b - 1; i >= a; i--) {
            if (bidi_script_of(g_text[i]) != BIDI_SCRIPT_COMMON)
                seg = g_script[i];
            else if (g_script[i] == BIDI_SCRIPT_COMMON)
                g_script[i] = seg != BIDI_SCRIPT_COMMON ? seg : g_fallback[i];
        }
        a = b;
    }
}

int bidi_line_runs(const char *s, size_t len, bool rtl_base, BidiRun *runs, int max)
{
    int n = 0;
    size_t pos = 0;
    while (pos < len && n < BIDI_CHARS_MAX) {
        g_off[n] = (int)pos;
        g_text[n++] = (FriBidiChar)bidi_utf8_next(s, len, &pos);
    }
    g_off[n] = (int)pos;
    if (n == 0 || max <= 0)
        return 0;
    FriBidiParType base = rtl_base ? FRIBIDI_PAR_RTL : FRIBIDI_PAR_LTR;
    fribidi_get_bidi_types(g_text, n, g_types);
    fribidi_get_bracket_types(g_text, n, g_types, g_brackets);
    if (!fribidi_get_par_embedding_levels_ex(g_types, g_brackets, n, &base, g_levels))
        return 0;
    for (int i = 0; i < n; i++)
        g_map[i] = i;
    /* No REORDER_NSM: a mark stays in its run's reversed order, so each run
     * is one contiguous logical range the shaper gets whole. */
    if (!fribidi_reorder_line(0, g_types, n, 0, base, g_levels, NULL, g_map))
        return 0;
    resolve_scripts(n);

    int nr = 0;
    for (int v = 0; v < n; v++) {
        int li = g_map[v];
        bool rtl = (g_levels[li] & 1) != 0;
        if (nr > 0) {
            BidiRun *r = &runs[nr - 1];
            int prev = g_map[v - 1];
            bool same = r->level == g_levels[li] && r->script == g_script[li] &&
                        li == (r->rtl ? prev - 1 : prev + 1);
            if (same) {
                /* Grow the run's logical byte range by this character. */
                int end = r->start + r->len;
                if (r->rtl)
                    r->start = g_off[li];
                else
                    end = g_off[li + 1];
                r->len = end - r->start;
                continue;
            }
        }
        if (nr == max)
            break;
        runs[nr].start = g_off[li];
        runs[nr].len = g_off[li + 1] - g_off[li];
        runs[nr].rtl = rtl;
        runs[nr].level = g_levels[li];
        runs[nr].script = g_script[li];
        nr++;
    }
    return nr;
}
