/* fonts: font files opened once, one SDL_ttf font per face read from its
 * file on first use and set to the size asked for. A font is read, not
 * mapped: FreeType copies the tables and glyphs it needs, so the kiosk holds
 * those bytes and not every page of the file it once touched. */
#include "fonts.h"

#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
    int fd; /* read-only, -1 until first needed */
    Sint64 size;
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
    if (ff->fd >= 0)
        close(ff->fd);
    free(ff->path);
    memset(ff, 0, sizeof *ff);
    ff->fd = -1;
}

/* Opens the face's file on first need. False (logged, face dropped) when it
 * cannot be read. */
static bool open_face(Fonts *f, int face)
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
    if (ff->fd >= 0)
        return true;
    int fd = open(ff->path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
        st.st_size > INT32_MAX) {
        LOG_ERROR("cannot open font %s: cannot read the file", ff->path);
        if (fd >= 0)
            close(fd);
        drop_face(ff);
        return false;
    }
    ff->fd = fd;
    ff->size = (Sint64)st.st_size;
    return true;
}

/* A stream over a face's open file for one TTF_Font: its own position,
 * each read one pread(), so the fonts of a file share its descriptor. */
typedef struct {
    int fd;
    Sint64 pos, size;
} FontStream;

static Sint64 stream_size(SDL_RWops *rw)
{
    return ((FontStream *)rw->hidden.unknown.data1)->size;
}

static Sint64 stream_seek(SDL_RWops *rw, Sint64 offset, int whence)
{
    FontStream *fs = rw->hidden.unknown.data1;
    Sint64 to = whence == RW_SEEK_SET   ? offset
                : whence == RW_SEEK_CUR ? fs->pos + offset
                                        : fs->size + offset;
    if (to < 0)
        return SDL_SetError("font: seek before the start of the file");
    fs->pos = to;
    return to;
}

static size_t stream_read(SDL_RWops *rw, void *buf, size_t size, size_t n)
{
    FontStream *fs = rw->hidden.unknown.data1;
    if (size == 0 || n > SIZE_MAX / size)
        return 0;
    size_t want = size * n, got = 0;
    while (got < want) {
        ssize_t r = pread(fs->fd, (char *)buf + got, want - got, (off_t)(fs->pos + (Sint64)got));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    fs->pos += (Sint64)got;
    return got / size;
}

static size_t stream_write(SDL_RWops *rw, const void *buf, size_t size, size_t n)
{
    (void)rw;
    (void)buf;
    (void)size;
    (void)n;
    SDL_SetError("font: read-only");
    return 0;
}

/* Frees the stream; the descriptor stays with the face. */
static int stream_close(SDL_RWops *rw)
{
    free(rw->hidden.unknown.data1);
    SDL_FreeRW(rw);
    return 0;
}

static SDL_RWops *face_stream(const FontFile *ff)
{
    SDL_RWops *rw = SDL_AllocRW();
    if (!rw)
        return NULL;
    FontStream *fs = xmalloc(sizeof *fs);
    *fs = (FontStream){ff->fd, 0, ff->size};
    rw->size = stream_size;
    rw->seek = stream_seek;
    rw->read = stream_read;
    rw->write = stream_write;
    rw->close = stream_close;
    rw->type = SDL_RWOPS_UNKNOWN;
    rw->hidden.unknown.data1 = fs;
    return rw;
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

/* A new font of face at px read from the face's file; NULL (logged) when
 * the file is no font SDL_ttf can open. */
static TTF_Font *open_font(Fonts *f, int face, int px)
{
    if (!open_face(f, face))
        return NULL;
    const FontFile *ff = &f->file[face];
    SDL_RWops *rw = face_stream(ff);
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
    for (int i = 0; i < 2 * FONTS_FACES; i++) {
        f->file[i].path = paths[i] && paths[i][0] ? xstrdup(paths[i]) : NULL;
        f->file[i].fd = -1;
    }
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
