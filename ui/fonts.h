/* fonts: the font files of the UI and their SDL_ttf fonts, one per face.
 * Each file is opened once, when a face is first needed, and its font is
 * read from it (FreeType keeps what it read: tables and the glyphs in use)
 * and set to each size asked for: a new size makes no new shaping tables,
 * and a fallback face (Arabic, symbols) costs nothing until some text
 * needs it. Owns every TTF_Font of the UI; draws nothing. */
#ifndef KS_FONTS_H
#define KS_FONTS_H

#include <SDL_ttf.h>
#include <stdbool.h>

/* Faces per weight, in the order a character's font is looked for: the
 * main face, the Arabic face, the symbols face (last resort). Face numbers
 * are weight * FONTS_FACES + rank (weight 0 regular, 1 bold). */
#define FONTS_FACES 3

typedef struct Fonts Fonts;

/* paths[face] for the 2 * FONTS_FACES faces; NULL or "" is "no such face".
 * The regular and bold main faces are required: NULL (logged) when either
 * cannot be opened. A missing bold symbols face means the symbols file with
 * -Bold before .ttf if that exists, else the symbols file. Paths are copied;
 * the fallback faces are not looked at until first needed. */
Fonts *fonts_create(const char *const paths[2 * FONTS_FACES]);
void fonts_destroy(Fonts *f); /* accepts NULL */

/* The font of face, opened on first use, set to px. NULL when the face is
 * not configured or cannot be opened (logged once; the face is then left
 * out). The font is at px until the next fonts_get of the same face at
 * another size, and lives until fonts_destroy or fonts_drop_older. */
TTF_Font *fonts_get(Fonts *f, int face, int px);

/* The cache's clock: it ticks at every fonts_get. */
unsigned long fonts_clock(const Fonts *f);
/* Closes every font last asked for before clock `since` (what a screen
 * drawn since then did not need). */
void fonts_drop_older(Fonts *f, unsigned long since);

#endif
