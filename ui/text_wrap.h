/* text_wrap: the layout of a text block for ui/text. A text is split into
 * paragraphs at newlines, each line into bidi runs (ui/bidi) in visual
 * order, each run into pieces by the first font of the fallback list that
 * has the glyph, and each piece is measured by SDL_ttf/HarfBuzz with its own
 * direction and script. Lines are wrapped greedily at spaces (a word is
 * never cut) and the size is stepped down until the text fits its box.
 * Measures only; drawing is ui/text's. Scratch state is static: one caller
 * at a time. */
#ifndef KS_TEXT_WRAP_H
#define KS_TEXT_WRAP_H

#include <SDL_ttf.h>
#include <stdbool.h>

#include "fonts.h"
#include "text.h"

#define LINES_MAX 24
#define PIECES_MAX 64
#define WRAP_TEXT_MAX 1024

/* A piece: characters of one bidi run that one font draws. */
typedef struct {
    TTF_Font *font;
    int face;       /* weight * FACES + fallback rank (fonts.h) */
    int start, len; /* bytes in the wrap buffer, logical order */
    bool rtl;
    const char *script;
    int w;
} Piece;

/* A laid-out line: its pieces in visual order, left to right. */
typedef struct {
    int start, len;
    Piece piece[PIECES_MAX];
    int n;
    int w;
    int ascent, descent, skip; /* the largest of the fonts used */
} Line;

typedef struct {
    char buf[WRAP_TEXT_MAX];
    int len;
    Line line[LINES_MAX];
    int n;
    int ascent, descent, skip, height;
    bool fits;
} Wrap;

/* Lays s out at the largest size between st->px and st->min_px at which it
 * fits a w x h box (at min_px when none does: wrap->fits is then false).
 * Returns that size; 0 when the main font cannot be had at st->px. */
int wrap_fit(Fonts *fonts, const char *s, int w, int h, const TextStyle *st, Wrap *wrap);

/* The piece's text, NUL-terminated, in a static buffer (valid until the
 * next call). */
const char *wrap_piece_text(const Wrap *wrap, const Piece *p);

/* Direction and script are per font in SDL_ttf: set both before every use. */
void wrap_font_prepare(TTF_Font *f, bool rtl, const char *script);

/* Characters that draw nothing and need no glyph. */
bool wrap_invisible(unsigned long cp);

#endif
