/* text: fonts and text drawing. Text is wrapped at spaces (a word is never
 * cut), shrunk step by step down to a minimum size until it fits its box,
 * and each finished block is kept as one texture in a bounded cache keyed by
 * text, size, colour, box and alignment — so an unchanged screen renders no
 * text at all. */
#ifndef KS_TEXT_H
#define KS_TEXT_H

#include <SDL.h>
#include <stdbool.h>

typedef struct Text Text;

typedef enum { TEXT_LEFT, TEXT_CENTER, TEXT_RIGHT } TextAlign;
typedef enum { TEXT_TOP, TEXT_MIDDLE, TEXT_BOTTOM } TextVAlign;

typedef struct {
    int px, min_px;    /* preferred and smallest font size in pixels */
    bool bold;
    SDL_Color color;
    TextAlign align;
    TextVAlign valign;
} TextStyle;

/* NULL (with a log line) when TTF cannot start or a font cannot be opened. */
Text *text_create(SDL_Renderer *r, const char *regular_path, const char *bold_path);
void text_destroy(Text *t); /* accepts NULL */

/* Draws s into box. Returns false when the text does not fit even at
 * min_px (it is then drawn clipped to the box). */
bool text_draw(Text *t, const char *s, SDL_Rect box, const TextStyle *style);

/* Like text_draw; *caret (when not NULL) gets where the text ends: x, the
 * top of the last line, w = 0 and h = the line height. With right
 * alignment the text is taken as right-to-left, so it ends on the left. */
bool text_draw_caret(Text *t, const char *s, SDL_Rect box, const TextStyle *style, SDL_Rect *caret);

/* Whether s fits into box at some size between style's px and min_px. */
bool text_fits(Text *t, const char *s, SDL_Rect box, const TextStyle *style);

/* Drops every cached texture (after the renderer lost them). */
void text_flush(Text *t);

#endif
