/* text: font choice by glyph coverage, bidi-aware line layout, greedy word
 * wrapping, shrink-to-fit, and the block texture cache. Owns every text
 * texture of the UI; the fonts come from ui/fonts. The bidi algorithm
 * itself lives in ui/bidi (FriBidi); shaping is SDL_ttf's HarfBuzz.
 * Blocks drawn while text_keep_on_disk is on are also kept in the picture
 * cache, so the welcome page of the next start needs no font.
 * Scratch layouts are static: one caller at a time. */
#include "text.h"

#include <SDL_ttf.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "../firmware/core/log.h"
#include "../firmware/core/mem.h"
#include "../firmware/core/str.h"
#include "bidi.h"
#include "fonts.h"
#include "piccache.h"
#include "texcache.h"

#define FACES FONTS_FACES /* per weight: main, Arabic, symbols — the fallback order */
#define BLOCK_SLOTS 192
/* What the cached blocks may hold at most: 4 MB, more than the most
 * text-laden screen needs even at 1280x800. */
#define BLOCK_BYTES_MAX ((size_t)4 * 1024 * 1024)
#define LINES_MAX 24
#define PIECES_MAX 64
#define WRAP_TEXT_MAX 1024
#define KEY_MAX (WRAP_TEXT_MAX + 96)
#define FONTS_ID_MAX 1024 /* the font files' identity, in a kept block's key */

typedef struct {
    TexSlot t; /* t.key: the block's key, as text_draw_caret makes it */
    Uint32 hash;
    int w, h;
    bool fits;
    int end_x, end_y, line_h; /* where the last line ends, in block pixels */
    int last_x;               /* where the last line starts */
} BlockSlot;

struct Text {
    SDL_Renderer *r;
    /* The software renderer's textures are plain surfaces in memory: a
     * block is drawn straight into its texture there, instead of into a
     * surface of the same size that is then copied and freed. */
    bool draw_in_texture;
    Fonts *fonts;
    BlockSlot blocks[BLOCK_SLOTS];
    unsigned long clock;
    unsigned long screen_start;  /* the clock when the screen on show was first drawn */
    unsigned long fonts_start;   /* the fonts' clock then */
    bool keep_on_disk;           /* text_keep_on_disk */
    unsigned from_disk;          /* blocks taken from the picture cache */
    char fonts_id[FONTS_ID_MAX]; /* every font file's path, size, times and inode */
};

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

static Wrap g_wrap;
static Line g_cand[2];
static char g_piece_text[WRAP_TEXT_MAX];

/* What the blocks kept on disk were drawn from: each font file as it is
 * now. Another font, or the same one changed, is another key. */
static void fonts_identity(char *out, size_t size, const char *const paths[2 * FACES])
{
    size_t used = 0;
    out[0] = '\0';
    for (int i = 0; i < 2 * FACES && used < size; i++) {
        struct stat st;
        if (!paths[i] || !paths[i][0] || stat(paths[i], &st) != 0)
            continue;
        int n = snprintf(out + used, size - used, "%s:%lld:%llu:%lld.%ld:%lld.%ld;", paths[i],
                         (long long)st.st_size, (unsigned long long)st.st_ino,
                         (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
                         (long long)st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
        used = n > 0 ? used + (size_t)n : size;
    }
    if (used >= size)
        out[0] = '\0'; /* too long to name: nothing is kept */
}

Text *text_create(SDL_Renderer *r, const TextFonts *fonts)
{
    const char *paths[2 * FACES] = {fonts->regular, fonts->arabic,      fonts->symbols,
                                    fonts->bold,    fonts->arabic_bold, fonts->symbols_bold};
    Fonts *f = fonts_create(paths);
    if (!f)
        return NULL;
    Text *t = xcalloc(1, sizeof *t);
    fonts_identity(t->fonts_id, sizeof t->fonts_id, paths);
    t->r = r;
    SDL_RendererInfo info;
    t->draw_in_texture = SDL_GetRendererInfo(r, &info) == 0 && (info.flags & SDL_RENDERER_SOFTWARE);
    t->fonts = f;
    return t;
}

void text_flush(Text *t)
{
    texcache_flush(t->blocks, BLOCK_SLOTS, sizeof t->blocks[0]);
}

void text_screen_begin(Text *t)
{
    t->screen_start = t->clock + 1;
    t->fonts_start = fonts_clock(t->fonts) + 1;
}

void text_screen_end(Text *t)
{
    texcache_drop_older(t->blocks, BLOCK_SLOTS, sizeof t->blocks[0], t->screen_start);
    fonts_drop_older(t->fonts, t->fonts_start);
}

void text_destroy(Text *t)
{
    if (!t)
        return;
    text_flush(t);
    fonts_destroy(t->fonts);
    free(t);
}

/* The font of face at px (see fonts_get). */
static TTF_Font *font_get(Text *t, int face, int px)
{
    return fonts_get(t->fonts, face, px);
}

/* Characters that belong to whatever they follow: splitting a piece there
 * would cut a mark from its letter or a joiner from its word. */
static bool sticks(unsigned long cp)
{
    return (cp >= 0x300 && cp < 0x370) || (cp >= 0x483 && cp <= 0x489) ||
           (cp >= 0x610 && cp <= 0x61A) || (cp >= 0x64B && cp <= 0x65F) || cp == 0x670 ||
           (cp >= 0x6D6 && cp <= 0x6ED) || (cp >= 0x200B && cp <= 0x200F) ||
           (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0x1AB0 && cp < 0x1B00) ||
           (cp >= 0x20D0 && cp < 0x2100);
}

/* Characters that draw nothing and need no glyph. */
static bool invisible(unsigned long cp)
{
    return cp < 0x20 || cp == 0x7F || (cp >= 0x200B && cp <= 0x200F) ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2069) ||
           (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF;
}

/* The fallback rank (0..FACES-1) of the font to draw cp with: the current
 * piece's for marks and spaces it has, else the first that has the glyph,
 * else the current (or main) one, which will show a box. */
static int face_for(Text *t, int weight, int px, unsigned long cp, int current)
{
    if (current >= 0) {
        if (sticks(cp))
            return current;
        if (cp == ' ' || cp == 0xA0) {
            TTF_Font *f = font_get(t, weight * FACES + current, px);
            if (f && TTF_GlyphIsProvided32(f, (Uint32)cp))
                return current;
        }
    }
    for (int i = 0; i < FACES; i++) {
        TTF_Font *f = font_get(t, weight * FACES + i, px);
        if (f && TTF_GlyphIsProvided32(f, (Uint32)cp))
            return i;
    }
    return current >= 0 ? current : 0;
}

/* Direction and script are per font in SDL_ttf: set both before every use. */
static void font_prepare(TTF_Font *f, bool rtl, const char *script)
{
    TTF_SetFontDirection(f, rtl ? TTF_DIRECTION_RTL : TTF_DIRECTION_LTR);
    TTF_SetFontScriptName(f, script);
}

/* The piece's text, NUL-terminated, in a static buffer. */
static const char *piece_text(const char *buf, const Piece *p)
{
    int n = p->len < WRAP_TEXT_MAX - 1 ? p->len : WRAP_TEXT_MAX - 1;
    memcpy(g_piece_text, buf + p->start, (size_t)n);
    g_piece_text[n] = '\0';
    return g_piece_text;
}

static void add_piece(Line *out, int face, int start, int end, bool rtl, const char *script)
{
    if (end <= start || out->n >= PIECES_MAX)
        return;
    out->piece[out->n++] = (Piece){NULL, face, start, end - start, rtl, script, 0};
}

/* Lays out buf[start..start+len) as one line: bidi runs in visual order,
 * each split into pieces by font, each piece measured. With extents, the
 * line's ascent and descent are measured too (else only its width counts). */
static void layout_line(Text *t, const char *buf, int start, int len, int px, bool bold, bool rtl,
                        bool extents, Line *out)
{
    static BidiRun runs[BIDI_RUNS_MAX];
    int weight = bold ? 1 : 0;
    out->start = start;
    out->len = len;
    out->n = 0;
    out->w = 0;
    out->ascent = out->descent = out->skip = 0;
    int nr = bidi_line_runs(buf + start, (size_t)len, rtl, runs, BIDI_RUNS_MAX);
    if (nr == 0 && len > 0) {
        runs[0] = (BidiRun){0, len, rtl, rtl ? 1 : 0, BIDI_SCRIPT_COMMON};
        nr = 1;
    }
    for (int r = 0; r < nr; r++) {
        const BidiRun *run = &runs[r];
        const char *script = bidi_script_tag(run->script);
        int first = out->n;
        int end = start + run->start + run->len;
        size_t pos = (size_t)(start + run->start);
        int face = -1, piece_start = (int)pos;
        while ((int)pos < end) {
            int at = (int)pos;
            unsigned long cp = bidi_utf8_next(buf, (size_t)end, &pos);
            int f = face_for(t, weight, px, cp, face);
            if (face >= 0 && f != face) {
                add_piece(out, weight * FACES + face, piece_start, at, run->rtl, script);
                piece_start = at;
            }
            face = f;
        }
        if (face >= 0)
            add_piece(out, weight * FACES + face, piece_start, end, run->rtl, script);
        /* Pieces of a right-to-left run go right to left. */
        if (run->rtl)
            for (int a = first, b = out->n - 1; a < b; a++, b--) {
                Piece tmp = out->piece[a];
                out->piece[a] = out->piece[b];
                out->piece[b] = tmp;
            }
    }
    for (int i = 0; i < out->n; i++) {
        Piece *p = &out->piece[i];
        p->font = font_get(t, p->face, px);
        if (!p->font)
            continue;
        font_prepare(p->font, p->rtl, p->script);
        int w = 0, h = 0;
        if (TTF_SizeUTF8(p->font, piece_text(buf, p), &w, &h) == 0)
            p->w = w;
        out->w += p->w;
        /* Fallback fonts (Noto Sans Arabic: 1.5 times Noto Sans's line
         * height) reserve room for marks few words use: the line grows
         * only as far as its glyphs actually reach. */
        size_t pos = (size_t)p->start, end = pos + (size_t)p->len;
        while (extents && pos < end) {
            unsigned long cp = bidi_utf8_next(buf, end, &pos);
            int minx, maxx, miny, maxy, adv;
            if (invisible(cp) ||
                TTF_GlyphMetrics32(p->font, (Uint32)cp, &minx, &maxx, &miny, &maxy, &adv) != 0)
                continue;
            if (maxy > out->ascent)
                out->ascent = maxy;
            if (-miny > out->descent)
                out->descent = -miny;
        }
    }
    /* A line with text in the main font is never less than that font's
     * line, so Latin and Cyrillic keep their look. A line wholly in another
     * font (Arabic) takes what its glyphs reach, plus a little air: the
     * main font's ascent over an Arabic descent would make it needlessly
     * tall. */
    bool main_used = false;
    for (int i = 0; i < out->n; i++)
        main_used = main_used || out->piece[i].face == weight * FACES;
    TTF_Font *main_font = font_get(t, weight * FACES, px);
    if (main_font) {
        if (main_used || !extents) {
            if (TTF_FontAscent(main_font) > out->ascent)
                out->ascent = TTF_FontAscent(main_font);
            if (-TTF_FontDescent(main_font) > out->descent)
                out->descent = -TTF_FontDescent(main_font);
        } else {
            out->ascent += px / 20;
            out->descent += px / 20;
        }
        out->skip = TTF_FontLineSkip(main_font);
    }
}

/* Where the word starting at q ends: at a space, or just after a hyphen or
 * slash between two letters (a break there keeps the mark on the line). */
static int word_end(const char *buf, int q, int pe)
{
    int start = q;
    while (q < pe && buf[q] != ' ') {
        char c = buf[q++];
        if ((c == '-' || c == '/') && q - 1 > start && q < pe && buf[q] != ' ' && buf[q] != '-' &&
            buf[q] != '/')
            return q;
    }
    return q;
}

static void commit_line(Wrap *w, const Line *l)
{
    if (w->n >= LINES_MAX) {
        w->fits = false;
        return;
    }
    w->line[w->n++] = *l;
    if (l->ascent > w->ascent)
        w->ascent = l->ascent;
    if (l->descent > w->descent)
        w->descent = l->descent;
    if (l->skip > w->skip)
        w->skip = l->skip;
}

/* Greedy wrapping of one paragraph buf[p..pe): as many whole words on a
 * line as fit. Words are measured one by one (plus the spaces between them)
 * to choose the break, then the line is laid out whole and, should shaping
 * across words make it wider than the box, words go back one at a time. A
 * word wider than the box stands alone and makes the wrap not fit. */
static void wrap_paragraph(Text *t, Wrap *w, int p, int pe, int px, bool bold, bool rtl, int max_w)
{
    static int ends[WRAP_TEXT_MAX / 2 + 1];
    Line *line = &g_cand[0], *word = &g_cand[1];
    TTF_Font *main_font = font_get(t, bold ? FACES : 0, px);
    int space_w = 0, h = 0;
    if (main_font) {
        font_prepare(main_font, false, "Zyyy");
        TTF_SizeUTF8(main_font, " ", &space_w, &h);
    }
    int q = p;
    bool first = true;
    while (w->n < LINES_MAX) {
        while (q < pe && w->buf[q] == ' ')
            q++;
        if (q >= pe) {
            if (first) {
                layout_line(t, w->buf, q, 0, px, bold, rtl, true, line);
                commit_line(w, line);
            }
            return;
        }
        first = false;
        int ls = q, n_ends = 0;
        int le = word_end(w->buf, q, pe);
        ends[n_ends++] = le;
        layout_line(t, w->buf, ls, le - ls, px, bold, rtl, false, word);
        int est = word->w;
        while (est <= max_w) {
            int r = le;
            while (r < pe && w->buf[r] == ' ')
                r++;
            if (r >= pe)
                break;
            int ne = word_end(w->buf, r, pe);
            layout_line(t, w->buf, r, ne - r, px, bold, rtl, false, word);
            int more = (r - le) * space_w + word->w;
            if (est + more > max_w)
                break;
            est += more;
            le = ne;
            ends[n_ends++] = le;
        }
        layout_line(t, w->buf, ls, le - ls, px, bold, rtl, true, line);
        while (line->w > max_w && n_ends > 1) {
            le = ends[--n_ends - 1];
            layout_line(t, w->buf, ls, le - ls, px, bold, rtl, true, line);
        }
        if (line->w > max_w)
            w->fits = false; /* one word wider than the box */
        commit_line(w, line);
        q = le;
    }
    while (q < pe && w->buf[q] == ' ')
        q++;
    if (q < pe)
        w->fits = false; /* more lines than LINES_MAX */
}

static void wrap_text(Text *t, const char *s, int px, const TextStyle *st, int max_w, int max_h,
                      Wrap *w)
{
    str_copy(w->buf, sizeof w->buf, s);
    w->len = (int)strlen(w->buf);
    w->n = 0;
    w->ascent = w->descent = w->skip = 0;
    w->fits = true;
    if (strlen(s) >= sizeof w->buf)
        w->fits = false; /* the rest would not be shown */
    for (int p = 0; p < w->len && w->n < LINES_MAX;) {
        int pe = p;
        while (pe < w->len && w->buf[pe] != '\n')
            pe++;
        wrap_paragraph(t, w, p, pe, px, st->bold, st->rtl, max_w);
        p = pe + 1;
        if (p < w->len && w->n >= LINES_MAX)
            w->fits = false;
    }
    if (w->skip == 0) {
        /* Only empty lines: use the main font's metrics. */
        TTF_Font *f = font_get(t, st->bold ? FACES : 0, px);
        w->ascent = f ? TTF_FontAscent(f) : px;
        w->skip = f ? TTF_FontLineSkip(f) : px;
    }
    /* Lines are spaced by the main font's line, or by what the glyphs
     * reach (Arabic marks), but at most 1.5 times the size: marks of two
     * lines rarely meet, and the block still holds the first line's
     * highest and the last line's lowest point. */
    int full = w->ascent + w->descent;
    if (full > w->skip)
        w->skip = full < px * 3 / 2 ? full : (px * 3 / 2 > w->skip ? px * 3 / 2 : w->skip);
    /* The last line adds only what its glyphs reach: a line of a symbol
     * from another font ("−" on a key) is then centred by its own height,
     * not hung at the top of the main font's line. */
    w->height = w->n > 0 ? (w->n - 1) * w->skip + full : 0;
    if (w->height > max_h)
        w->fits = false;
}

/* Finds the largest size between px and min_px at which s fits. */
static int fit_size(Text *t, const char *s, int w, int h, const TextStyle *st, Wrap *wrap)
{
    int px = st->px;
    int min_px = st->min_px > 0 && st->min_px < st->px ? st->min_px : st->px;
    if (px <= 0 || !font_get(t, st->bold ? FACES : 0, px))
        return 0;
    for (;;) {
        wrap_text(t, s, px, st, w, h, wrap);
        if (wrap->fits || px <= min_px)
            return px;
        int next = px * 9 / 10;
        px = next < min_px ? min_px : next;
    }
}

static Uint32 hash_str(const char *s)
{
    Uint32 h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static void draw_line(const Wrap *wrap, const Line *l, SDL_Surface *block, int x, int y,
                      SDL_Color color)
{
    for (int i = 0; i < l->n; i++) {
        const Piece *p = &l->piece[i];
        if (!p->font || p->w <= 0) {
            x += p->w;
            continue;
        }
        font_prepare(p->font, p->rtl, p->script);
        SDL_Surface *ps = TTF_RenderUTF8_Blended(p->font, piece_text(wrap->buf, p), color);
        if (ps) {
            /* Baselines line up whatever the font's ascent. */
            SDL_Rect dst = {x, y + wrap->ascent - TTF_FontAscent(p->font), ps->w, ps->h};
            SDL_SetSurfaceBlendMode(ps, SDL_BLENDMODE_BLEND);
            SDL_BlitSurface(ps, NULL, block, &dst);
            SDL_FreeSurface(ps);
        }
        x += p->w;
    }
}

/* A bw x bh ARGB surface to draw a block on: with draw_in_texture, the
 * pixels of *tex (made here, streaming, locked until block_finish). NULL
 * when it cannot be made. */
static SDL_Surface *block_start(Text *t, int bw, int bh, SDL_Texture **tex)
{
    *tex = NULL;
    if (!t->draw_in_texture)
        return SDL_CreateRGBSurfaceWithFormat(0, bw, bh, 32, SDL_PIXELFORMAT_ARGB8888);
    void *pixels = NULL;
    int pitch = 0;
    *tex = SDL_CreateTexture(t->r, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STREAMING, bw, bh);
    if (!*tex)
        return NULL;
    SDL_Surface *block = NULL;
    if (SDL_LockTexture(*tex, NULL, &pixels, &pitch) == 0) {
        block =
            SDL_CreateRGBSurfaceWithFormatFrom(pixels, bw, bh, 32, pitch, SDL_PIXELFORMAT_ARGB8888);
        if (!block)
            SDL_UnlockTexture(*tex);
    }
    if (!block) {
        SDL_DestroyTexture(*tex);
        *tex = NULL;
    }
    return block;
}

/* The texture of a block block_start began (block is freed): tex itself,
 * or a copy of the surface. NULL when it cannot be made. */
static SDL_Texture *block_finish(Text *t, SDL_Surface *block, SDL_Texture *tex)
{
    if (tex) {
        SDL_FreeSurface(block);
        SDL_UnlockTexture(tex);
        return tex;
    }
    tex = SDL_CreateTextureFromSurface(t->r, block);
    SDL_FreeSurface(block);
    return tex;
}

/* slot now holds tex, a w x h block; NULL (slot empty) without tex. */
static BlockSlot *slot_hold(BlockSlot *slot, SDL_Texture *tex, int w, int h, bool fits)
{
    slot->t.tex = tex;
    if (!tex)
        return NULL;
    SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
    slot->w = w;
    slot->h = h;
    slot->t.bytes = texcache_bytes(w, h);
    slot->fits = fits;
    return slot;
}

/* Draws s into a new block in slot; with disk_key, the block is also kept
 * in the picture cache under it. */
static BlockSlot *render_block(Text *t, BlockSlot *slot, const char *s, int w, int h,
                               const TextStyle *st, const char *disk_key)
{
    Wrap *wrap = &g_wrap;
    if (!fit_size(t, s, w, h, st, wrap))
        return NULL;
    int skip = wrap->skip;
    int bh = wrap->height;
    if (bh < 1)
        bh = 1;
    /* The block is only as wide as its widest line: blending cost grows with
     * the area drawn, and most lines are much narrower than their box. */
    int bw = 1;
    for (int i = 0; i < wrap->n; i++)
        if (wrap->line[i].w > bw)
            bw = wrap->line[i].w;
    if (bw > w)
        bw = w;
    /* The slot's old block goes first: its memory is free for the new one. */
    texcache_flush(slot, 1, sizeof *slot);
    SDL_Texture *tex = NULL;
    SDL_Surface *block = block_start(t, bw, bh, &tex);
    if (!block)
        return NULL;
    SDL_FillRect(block, NULL, SDL_MapRGBA(block->format, st->color.r, st->color.g, st->color.b, 0));
    slot->end_x = slot->last_x = 0;
    slot->end_y = wrap->n > 0 ? (wrap->n - 1) * skip : 0;
    slot->line_h = skip;
    for (int i = 0; i < wrap->n; i++) {
        const Line *l = &wrap->line[i];
        int lw = l->w < bw ? l->w : bw;
        int x = 0;
        if (st->align == TEXT_CENTER)
            x = (bw - lw) / 2;
        else if (st->align == TEXT_RIGHT)
            x = bw - lw;
        if (i == wrap->n - 1) {
            slot->last_x = x;
            slot->end_x = x + lw;
        }
        /* An overlong line keeps its start in view: the left end for
         * left-to-right text, the right end for right-to-left. */
        if (l->w > bw && st->rtl)
            x = bw - l->w;
        draw_line(wrap, l, block, x, i * skip, st->color);
    }
    if (disk_key) {
        int32_t meta[PICCACHE_META] = {slot->end_x, slot->last_x, slot->end_y, slot->line_h,
                                       wrap->fits};
        piccache_put_keyed(disk_key, w, h, block, meta);
    }
    if (!slot_hold(slot, block_finish(t, block, tex), bw, bh, wrap->fits))
        return NULL;
    /* Said once per block made: a text that does not fit is a finding for
     * the form's author or the layout, never silently clipped. */
    if (!slot->fits)
        LOG_WARN("text does not fit a %dx%d box at %d px: \"%s\"", bw, bh, st->min_px, s);
    return slot;
}

/* The block of key for a w x h box as a start before kept it (render_block
 * with a disk key), into slot; NULL when there is none. */
static BlockSlot *kept_block(Text *t, BlockSlot *slot, const char *key, int w, int h)
{
    int32_t meta[PICCACHE_META];
    SDL_Surface *s = piccache_get_keyed(key, w, h, meta);
    if (!s)
        return NULL;
    texcache_flush(slot, 1, sizeof *slot);
    slot->end_x = meta[0];
    slot->last_x = meta[1];
    slot->end_y = meta[2];
    slot->line_h = meta[3];
    int bw = s->w, bh = s->h;
    if (!slot_hold(slot, block_finish(t, s, NULL), bw, bh, meta[4] != 0))
        return NULL;
    t->from_disk++;
    return slot;
}

/* A new block for key: kept from an earlier start, or drawn (and kept for
 * the next while text_keep_on_disk is on). */
static BlockSlot *new_block(Text *t, BlockSlot *slot, const char *key, const char *s, SDL_Rect box,
                            const TextStyle *st)
{
    static char disk_key[KEY_MAX + FONTS_ID_MAX + 8];
    if (!t->keep_on_disk || !t->fonts_id[0])
        return render_block(t, slot, s, box.w, box.h, st, NULL);
    snprintf(disk_key, sizeof disk_key, "text|%s|%s", t->fonts_id, key);
    BlockSlot *kept = kept_block(t, slot, disk_key, box.w, box.h);
    return kept ? kept : render_block(t, slot, s, box.w, box.h, st, disk_key);
}

void text_keep_on_disk(Text *t, bool on)
{
    t->keep_on_disk = on;
}

unsigned text_blocks_from_disk(const Text *t)
{
    return t->from_disk;
}

bool text_fits(Text *t, const char *s, SDL_Rect box, const TextStyle *st)
{
    if (!s || !*s)
        return true;
    if (box.w <= 0 || box.h <= 0 || !fit_size(t, s, box.w, box.h, st, &g_wrap))
        return false;
    return g_wrap.fits;
}

int text_missing_glyphs(Text *t, const char *s)
{
    if (!s)
        return 0;
    bool any = false;
    for (int i = 0; i < FACES; i++)
        any = any || font_get(t, i, 20) != NULL;
    if (!any)
        return -1;
    int missing = 0;
    size_t len = strlen(s), pos = 0;
    while (pos < len) {
        unsigned long cp = bidi_utf8_next(s, len, &pos);
        if (invisible(cp))
            continue;
        bool found = false;
        for (int i = 0; i < FACES && !found; i++) {
            TTF_Font *f = font_get(t, i, 20);
            found = f && TTF_GlyphIsProvided32(f, (Uint32)cp);
        }
        if (!found)
            missing++;
    }
    return missing;
}

bool text_draw(Text *t, const char *s, SDL_Rect box, const TextStyle *st)
{
    return text_draw_caret(t, s, box, st, NULL);
}

bool text_draw_caret(Text *t, const char *s, SDL_Rect box, const TextStyle *st, SDL_Rect *caret)
{
    bool rtl = st->rtl || st->align == TEXT_RIGHT;
    if (caret) {
        /* Without text the caret stands at the start of an empty line. */
        TTF_Font *f = font_get(t, st->bold ? FACES : 0, st->px);
        int skip = f ? TTF_FontLineSkip(f) : st->px;
        int x = st->align == TEXT_RIGHT ? box.x + box.w
                                        : (st->align == TEXT_CENTER ? box.x + box.w / 2 : box.x);
        int y = st->valign == TEXT_TOP ? box.y
                                       : (st->valign == TEXT_BOTTOM ? box.y + box.h - skip
                                                                    : box.y + (box.h - skip) / 2);
        *caret = (SDL_Rect){x, y, 0, skip};
    }
    if (!s || !*s || box.w <= 0 || box.h <= 0)
        return true;
    static char key[KEY_MAX];
    snprintf(key, sizeof key, "%d|%d|%d|%d|%02x%02x%02x%02x|%d|%d|%d|%s", box.w, box.h, st->px,
             st->min_px, st->color.r, st->color.g, st->color.b, st->color.a, st->bold,
             (int)st->align, st->rtl, s);
    Uint32 h = hash_str(key);
    t->clock++;
    BlockSlot *hit = NULL, *victim = &t->blocks[0];
    for (int i = 0; i < BLOCK_SLOTS; i++) {
        BlockSlot *b = &t->blocks[i];
        if (b->t.tex && b->hash == h && strcmp(b->t.key, key) == 0) {
            hit = b;
            break;
        }
        if (!b->t.tex) {
            if (victim->t.tex)
                victim = b;
        } else if (victim->t.tex && b->t.used < victim->t.used) {
            victim = b;
        }
    }
    if (!hit) {
        hit = caret ? render_block(t, victim, s, box.w, box.h, st, NULL)
                    : new_block(t, victim, key, s, box, st);
        if (!hit)
            return false;
        hit->t.key = xstrdup(key);
        hit->hash = h;
        hit->t.used = t->clock;
        /* The blocks drawn longest ago go while the cache holds more than
         * BLOCK_BYTES_MAX; the one drawn last stays. */
        texcache_evict(t->blocks, BLOCK_SLOTS, sizeof t->blocks[0], BLOCK_BYTES_MAX, t->clock);
    }
    hit->t.used = t->clock;
    SDL_Rect dst = {box.x, box.y, hit->w, hit->h};
    if (st->align == TEXT_CENTER)
        dst.x = box.x + (box.w - hit->w) / 2;
    else if (st->align == TEXT_RIGHT)
        dst.x = box.x + box.w - hit->w;
    if (st->valign == TEXT_MIDDLE)
        dst.y = box.y + (box.h - hit->h) / 2;
    else if (st->valign == TEXT_BOTTOM)
        dst.y = box.y + box.h - hit->h;
    SDL_Rect src = {0, 0, hit->w, hit->h};
    if (dst.y < box.y) {
        src.y = box.y - dst.y;
        dst.y = box.y;
    }
    if (dst.y + (hit->h - src.y) > box.y + box.h)
        src.h = box.y + box.h - dst.y;
    else
        src.h = hit->h - src.y;
    dst.h = src.h;
    if (src.h > 0)
        SDL_RenderCopy(t->r, hit->t.tex, &src, &dst);
    if (caret) {
        /* Right-to-left text ends on the left of its last line. */
        int bx = dst.x + (rtl ? hit->last_x : hit->end_x);
        *caret = (SDL_Rect){bx, dst.y - src.y + hit->end_y, 0, hit->line_h};
    }
    return hit->fits;
}
