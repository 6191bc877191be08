/* text: fonts and text drawing in every script. Each line is split into
 * bidi runs (ui/bidi), each run into pieces by the first font of a list that
 * has the glyph, and each piece is shaped by SDL_ttf/HarfBuzz with its own
 * direction and script. Text is wrapped at spaces (a word is never cut),
 * shrunk step by step down to a minimum size until it fits its box, and each
 * finished block is kept as one texture in a cache (bounded in bytes, and
 * emptied of what a new screen does not show) keyed by text,
 * weight, size, colour, box, alignment and direction — so an unchanged screen
 * renders no text at all (a block too big to keep is drawn straight, see
 * text_keep_blocks_up_to). */
#ifndef KS_TEXT_H
#define KS_TEXT_H

#include <SDL.h>
#include <stdbool.h>

typedef struct Text Text;

typedef enum { TEXT_LEFT, TEXT_CENTER, TEXT_RIGHT } TextAlign;
typedef enum { TEXT_TOP, TEXT_MIDDLE, TEXT_BOTTOM } TextVAlign;

typedef struct {
    int px, min_px; /* preferred and smallest font size in pixels */
    bool bold;
    SDL_Color color;
    TextAlign align;
    TextVAlign valign;
    bool rtl; /* paragraph base direction: right-to-left (Arabic UI);
               * false (zero-initialised) is left-to-right */
} TextStyle;

/* Font files, tried in this order for each character of a run: the main
 * face, the Arabic face, the symbols face (last resort). regular and bold
 * are required; the others may be NULL (or fail to open: logged, skipped).
 * symbols_bold NULL means "the symbols file with -Bold before .ttf if that
 * exists, else symbols". Paths are copied. */
typedef struct {
    const char *regular, *bold;
    const char *arabic, *arabic_bold;
    const char *symbols, *symbols_bold;
} TextFonts;

/* NULL (with a log line) when TTF cannot start or the regular or bold font
 * cannot be opened. */
Text *text_create(SDL_Renderer *r, const TextFonts *fonts);
void text_destroy(Text *t); /* accepts NULL */

/* Draws s into box. Returns false when the text does not fit even at
 * min_px (it is then drawn clipped to the box). */
bool text_draw(Text *t, const char *s, SDL_Rect box, const TextStyle *style);

/* Like text_draw; *caret (when not NULL) gets where the text ends: x, the
 * top of the last line, w = 0 and h = the line height. Right-to-left text
 * (style->rtl, or right alignment as before) ends on the left of its last
 * line. */
bool text_draw_caret(Text *t, const char *s, SDL_Rect box, const TextStyle *style, SDL_Rect *caret);

/* Whether s fits into box at some size between style's px and min_px. */
bool text_fits(Text *t, const char *s, SDL_Rect box, const TextStyle *style);

/* How many characters of s (UTF-8) no regular-weight font of the list
 * provides a glyph for: these would show as boxes. Controls, newlines,
 * zero-width joiners and bidi marks are not counted. 0 for NULL or "";
 * -1 when no font can be opened. Opens fonts into the font cache, draws
 * nothing. */
int text_missing_glyphs(Text *t, const char *s);

/* While on, the blocks text_draw makes are also kept in the picture cache
 * (piccache, keyed by the text, its box and style and the font files as
 * they are) and taken from it: for the welcome page, so that a start
 * draws it without opening a font. Never for a page that shows what a
 * respondent typed. */
void text_keep_on_disk(Text *t, bool on);

/* Blocks of more than bytes (width x height x 4) are not kept as a
 * texture: such a block is laid out once and drawn straight onto the
 * target, piece by piece, by every text_draw that reaches pixels of it
 * inside the renderer's clip (one that reaches none draws nothing and lays
 * nothing out again). For a target that keeps its pixels between frames,
 * where a big paragraph is drawn once per page. 0 (the default): every
 * block is kept. Kept blocks made before a change are dropped. */
void text_keep_blocks_up_to(Text *t, size_t bytes);

/* What the blocks kept as textures hold, in bytes (for tests). */
size_t text_kept_bytes(const Text *t);

/* How many blocks this Text took from the picture cache (for tests). */
unsigned text_blocks_from_disk(const Text *t);

/* Drops every cached texture (after the renderer lost them). */
void text_flush(Text *t);

/* Around drawing what is still to be drawn from the blocks (on a target
 * that keeps its pixels: what the page's targets draw again under a
 * finger): text_hold_end frees the texture of every other block, which
 * keeps its layout and is drawn as one too big to keep from then on
 * (text_keep_blocks_up_to): a page's title, drawn once. */
void text_hold_begin(Text *t);
void text_hold_end(Text *t);

/* Around the first frame of a new screen: text_screen_end drops every
 * block not drawn and closes every font not used since text_screen_begin,
 * so the caches hold what the screen on show draws. */
void text_screen_begin(Text *t);
void text_screen_end(Text *t);

#endif
