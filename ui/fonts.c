/* fonts: font files mapped once, one SDL_ttf font per face opened from the
 * mapping on first use and set to the size asked for. */
#include "fonts.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../firmware/core/log.h"
#include "../firmware/core/mem.h"

#define SYMBOLS_BOLD (FONTS_FACES + 2)
/* Latin and Cyrillic text smaller than this is hinted fully (open_font). */
#define FULL_HINTING_BELOW_PX 24

/* A face's one font: every size is set on it (TTF_SetFontSize), so the
 * face's shaping tables and plans are made once, not for each size. */
typedef struct {
    TTF_Font *font;
    int px;
    unsigned long used;
} FontSlot;

/* A font file: NULL path is no face (never configured, or it failed). */
typedef struct {
    char *path;
    void *map; /* the whole file, read-only; NULL until first needed */
    size_t size;
} FontFile;

struct Fonts {
    FontFile file[2 * FONTS_FACES];
    bool symbols_bold_derived; /* the bold symbols path is still to be found */
    FontSlot slot[2 * FONTS_FACES];
    unsigned long clock;
};

/* "DejaVuSans.ttf" -> "DejaVuSans-Bold.ttf" when that file exists. */
static char *bold_variant(const char *path)
{
    size_t n = strlen(path);
    if (n < 4 || strcmp(path + n - 4, ".ttf") != 0)
        return NULL;
    char *b = xmalloc(n + 6);
    memcpy(b, path, n - 4);
    memcpy(b + n - 4, "-Bold.ttf", 10);
    if (access(b, R_OK) != 0) {
        free(b);
        return NULL;
    }
    return b;
}

/* Leaves face out from now on (its file could not be used). */
static void drop_face(FontFile *ff)
{
    if (ff->map)
        munmap(ff->map, ff->size);
    free(ff->path);
    memset(ff, 0, sizeof *ff);
}

/* Maps the face's file on first need. False (logged, face dropped) when it
 * cannot be read. */
static bool map_face(Fonts *f, int face)
{
    if (face == SYMBOLS_BOLD && f->symbols_bold_derived) {
        f->symbols_bold_derived = false;
        const char *symbols = f->file[SYMBOLS_BOLD - FONTS_FACES].path;
        if (symbols) {
            f->file[face].path = bold_variant(symbols);
            if (!f->file[face].path)
                f->file[face].path = xstrdup(symbols);
        }
    }
    FontFile *ff = &f->file[face];
    if (!ff->path)
        return false;
    if (ff->map)
        return true;
    int fd = open(ff->path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    void *map = MAP_FAILED;
    if (fd >= 0 && fstat(fd, &st) == 0 && st.st_size > 0 && st.st_size <= INT32_MAX)
        map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (fd >= 0)
        close(fd);
    if (map == MAP_FAILED) {
        LOG_ERROR("cannot open font %s: cannot read the file", ff->path);
        drop_face(ff);
        return false;
    }
    ff->map = map;
    ff->size = (size_t)st.st_size;
    return true;
}

/* Full hinting runs the font's TrueType program for every glyph HarfBuzz
 * measures: a quarter of the first frame's drawing, and three times the
 * layout time for the Arabic font. Large text looks the same with light
 * hinting (vertical only, no bytecode); small Latin and Cyrillic text
 * keeps its crisp stems and the widths labels in narrow tiles were fitted
 * to. */
static int hinting_for(int face, int px)
{
    return face % FONTS_FACES == 1 || px >= FULL_HINTING_BELOW_PX ? TTF_HINTING_LIGHT
                                                                  : TTF_HINTING_NORMAL;
}

/* A new font of face at px from the face's mapping; NULL (logged) when the
 * file is no font SDL_ttf can open. */
static TTF_Font *open_font(Fonts *f, int face, int px)
{
    if (!map_face(f, face))
        return NULL;
    FontFile *ff = &f->file[face];
    SDL_RWops *rw = SDL_RWFromConstMem(ff->map, (int)ff->size);
    TTF_Font *font = rw ? TTF_OpenFontRW(rw, 1, px) : NULL;
    if (!font) {
        LOG_ERROR("cannot open font %s at %d px: %s", ff->path, px, TTF_GetError());
        return NULL;
    }
    if (hinting_for(face, px) != TTF_HINTING_NORMAL)
        TTF_SetFontHinting(font, hinting_for(face, px));
    return font;
}

/* The face's font set to px: its glyph cache starts empty again. False
 * (logged) when SDL_ttf cannot set that size. */
static bool set_size(TTF_Font *font, int face, int px)
{
    if (TTF_SetFontSize(font, px) != 0) {
        LOG_ERROR("cannot set font size %d px: %s", px, TTF_GetError());
        return false;
    }
    if (TTF_GetFontHinting(font) != hinting_for(face, px))
        TTF_SetFontHinting(font, hinting_for(face, px));
    return true;
}

Fonts *fonts_create(const char *const paths[2 * FONTS_FACES])
{
    /* Counted by SDL_ttf: each Fonts has its own TTF_Quit. */
    if (TTF_Init() != 0) {
        LOG_ERROR("TTF_Init: %s", TTF_GetError());
        return NULL;
    }
    Fonts *f = xcalloc(1, sizeof *f);
    for (int i = 0; i < 2 * FONTS_FACES; i++)
        f->file[i].path = paths[i] && paths[i][0] ? xstrdup(paths[i]) : NULL;
    f->symbols_bold_derived = !f->file[SYMBOLS_BOLD].path;
    /* The required faces are tried now, so a font that cannot be used is
     * reported at start-up; the fallbacks wait until a text needs them. */
    for (int w = 0; w < 2; w++) {
        TTF_Font *font = open_font(f, w * FONTS_FACES, 20);
        if (!font) {
            LOG_ERROR("no %s font configured that can be opened", w ? "bold" : "regular");
            fonts_destroy(f);
            return NULL;
        }
        TTF_CloseFont(font);
    }
    return f;
}

void fonts_destroy(Fonts *f)
{
    if (!f)
        return;
    for (int i = 0; i < 2 * FONTS_FACES; i++)
        if (f->slot[i].font)
            TTF_CloseFont(f->slot[i].font);
    for (int i = 0; i < 2 * FONTS_FACES; i++)
        drop_face(&f->file[i]);
    free(f);
    TTF_Quit();
}

unsigned long fonts_clock(const Fonts *f)
{
    return f->clock;
}

void fonts_drop_older(Fonts *f, unsigned long since)
{
    for (int i = 0; i < 2 * FONTS_FACES; i++) {
        FontSlot *s = &f->slot[i];
        if (s->font && s->used < since) {
            TTF_CloseFont(s->font);
            memset(s, 0, sizeof *s);
        }
    }
}

TTF_Font *fonts_get(Fonts *f, int face, int px)
{
    if (face < 0 || face >= 2 * FONTS_FACES || px <= 0 ||
        (!f->file[face].path && !(face == SYMBOLS_BOLD && f->symbols_bold_derived)))
        return NULL;
    f->clock++;
    FontSlot *s = &f->slot[face];
    if (s->font && s->px != px) {
        if (!set_size(s->font, face, px))
            return NULL;
        s->px = px;
    }
    if (!s->font) {
        TTF_Font *font = open_font(f, face, px);
        if (!font) {
            /* A file that is no font fails at every size: leave it out. */
            if (face % FONTS_FACES != 0)
                drop_face(&f->file[face]);
            return NULL;
        }
        *s = (FontSlot){font, px, 0};
    }
    s->used = f->clock;
    return s->font;
}
