/* text: text blocks drawn from their layout (ui/text_wrap: font choice by
 * glyph coverage, bidi-aware lines, wrapping, shrink-to-fit) and the block
 * texture cache. Owns every text texture of the UI; the fonts come from
 * ui/fonts. A block too big to keep is drawn straight a line at a time.
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
#include "text_wrap.h"

#define FACES FONTS_FACES /* per weight: main, Arabic, symbols — the fallback order */
#define BLOCK_SLOTS 192
/* What the cached blocks may hold at most: 4 MB, more than the most
 * text-laden screen needs even at 1280x800. */
#define BLOCK_BYTES_MAX ((size_t)4 * 1024 * 1024)
#define KEY_MAX (WRAP_TEXT_MAX + 96)
#define FONTS_ID_MAX 1024 /* the font files' identity, in a kept block's key */

typedef struct {
    TexSlot t; /* t.key: the block's key, as text_draw_caret makes it */
    Uint32 hash;
    int w, h;
    bool fits;
    bool straight;            /* too big to keep: laid out, drawn straight each time (t.tex NULL) */
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
    unsigned long hold_start;    /* the clock at text_hold_begin */
    bool keep_on_disk;           /* text_keep_on_disk */
    size_t keep_max;             /* text_keep_blocks_up_to; 0: no limit */
    unsigned from_disk;          /* blocks taken from the picture cache */
    char fonts_id[FONTS_ID_MAX]; /* every font file's path, size, times and inode */
};

static Wrap g_wrap;

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

void text_hold_begin(Text *t)
{
    t->hold_start = t->clock + 1;
}

void text_hold_end(Text *t)
{
    for (int i = 0; i < BLOCK_SLOTS; i++) {
        BlockSlot *b = &t->blocks[i];
        if (b->t.tex && b->t.used < t->hold_start && !b->straight) {
            SDL_DestroyTexture(b->t.tex);
            b->t.tex = NULL;
            b->t.bytes = 0;
            b->straight = true;
        }
    }
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

static Uint32 hash_str(const char *s)
{
    Uint32 h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* The pieces of line l drawn, each with where it goes in a block that has
 * the line's top left at (x, y): baselines line up whatever the font's
 * ascent. Returns how many (a piece that draws nothing is left out). */
static int line_pieces(const Wrap *wrap, const Line *l, int x, int y, SDL_Color color,
                       SDL_Surface *ps[PIECES_MAX], SDL_Rect at[PIECES_MAX])
{
    int n = 0;
    for (int i = 0; i < l->n; x += l->piece[i++].w) {
        const Piece *p = &l->piece[i];
        if (!p->font || p->w <= 0)
            continue;
        wrap_font_prepare(p->font, p->rtl, p->script);
        SDL_Surface *s = TTF_RenderUTF8_Blended(p->font, wrap_piece_text(wrap, p), color);
        if (!s)
            continue;
        SDL_SetSurfaceBlendMode(s, SDL_BLENDMODE_BLEND);
        ps[n] = s;
        at[n++] = (SDL_Rect){x, y + wrap->ascent - TTF_FontAscent(p->font), s->w, s->h};
    }
    return n;
}

/* Blends the n pieces onto onto, dy rows up from where at puts them, and
 * frees them. */
static void blit_pieces(SDL_Surface *ps[], const SDL_Rect at[], int n, SDL_Surface *onto, int dy)
{
    for (int i = 0; i < n; i++) {
        SDL_Rect dst = {at[i].x, at[i].y - dy, at[i].w, at[i].h};
        SDL_BlitSurface(ps[i], NULL, onto, &dst);
        SDL_FreeSurface(ps[i]);
    }
}

static void draw_line(const Wrap *wrap, const Line *l, SDL_Surface *block, int x, int y,
                      SDL_Color color)
{
    static SDL_Surface *ps[PIECES_MAX];
    static SDL_Rect at[PIECES_MAX];
    blit_pieces(ps, at, line_pieces(wrap, l, x, y, color, ps, at), block, 0);
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

/* Where line i of wrap starts in a block bw wide: by the alignment, and an
 * overlong line keeps its start in view (the left end for left-to-right
 * text, the right end for right-to-left). *lw gets the part of it shown. */
static int line_x(const Wrap *wrap, int i, int bw, const TextStyle *st, int *lw)
{
    const Line *l = &wrap->line[i];
    *lw = l->w < bw ? l->w : bw;
    int x = 0;
    if (st->align == TEXT_CENTER)
        x = (bw - *lw) / 2;
    else if (st->align == TEXT_RIGHT)
        x = bw - *lw;
    return l->w > bw && st->rtl ? bw - l->w : x;
}

/* Fills slot with what a drawn block of wrap is besides its pixels: its
 * size and where its last line ends (for the caret). */
static void block_facts(BlockSlot *slot, const Wrap *wrap, int bw, int bh, const TextStyle *st)
{
    slot->w = bw;
    slot->h = bh;
    slot->fits = wrap->fits;
    slot->end_x = slot->last_x = 0;
    slot->end_y = wrap->n > 0 ? (wrap->n - 1) * wrap->skip : 0;
    slot->line_h = wrap->skip;
    if (wrap->n > 0) {
        int lw, x = line_x(wrap, wrap->n - 1, bw, st, &lw);
        if (wrap->line[wrap->n - 1].w > bw && st->rtl)
            x = 0; /* the caret goes by the part in view */
        slot->last_x = x;
        slot->end_x = x + lw;
    }
}

/* Lays s out into slot (the slot's old block goes first: its memory is free
 * for the new one); g_wrap then holds the layout. The block is only as wide
 * as its widest line: blending cost grows with the area drawn, and most
 * lines are much narrower than their box. NULL when no font can draw it. */
static BlockSlot *lay_block(Text *t, BlockSlot *slot, const char *s, int w, int h,
                            const TextStyle *st)
{
    Wrap *wrap = &g_wrap;
    if (!wrap_fit(t->fonts, s, w, h, st, wrap))
        return NULL;
    int bh = wrap->height < 1 ? 1 : wrap->height;
    int bw = 1;
    for (int i = 0; i < wrap->n; i++)
        if (wrap->line[i].w > bw)
            bw = wrap->line[i].w;
    texcache_flush(slot, 1, sizeof *slot);
    block_facts(slot, wrap, bw > w ? w : bw, bh, st);
    /* Said once per block laid out: a text that does not fit is a finding
     * for the form's author or the layout, never silently clipped. */
    if (!slot->fits)
        LOG_WARN("text does not fit a %dx%d box at %d px: \"%s\"", slot->w, slot->h, st->min_px, s);
    return slot;
}

/* Draws s into a new block in slot; with disk_key, the block is also kept
 * in the picture cache under it. A block of more than text_keep_blocks_up_to
 * bytes is only laid out (slot->straight): text_draw draws it itself. */
static BlockSlot *render_block(Text *t, BlockSlot *slot, const char *s, int w, int h,
                               const TextStyle *st, const char *disk_key)
{
    if (!lay_block(t, slot, s, w, h, st))
        return NULL;
    const Wrap *wrap = &g_wrap;
    int bw = slot->w, bh = slot->h;
    if (t->keep_max > 0 && !disk_key && texcache_bytes(bw, bh) > t->keep_max) {
        slot->straight = true;
        return slot;
    }
    SDL_Texture *tex = NULL;
    SDL_Surface *block = block_start(t, bw, bh, &tex);
    if (!block)
        return NULL;
    SDL_FillRect(block, NULL, SDL_MapRGBA(block->format, st->color.r, st->color.g, st->color.b, 0));
    for (int i = 0; i < wrap->n; i++) {
        int lw;
        draw_line(wrap, &wrap->line[i], block, line_x(wrap, i, bw, st, &lw), i * wrap->skip,
                  st->color);
    }
    if (disk_key) {
        int32_t meta[PICCACHE_META] = {slot->end_x, slot->last_x, slot->end_y, slot->line_h,
                                       wrap->fits};
        piccache_put_keyed(disk_key, w, h, block, meta);
    }
    return slot_hold(slot, block_finish(t, block, tex), bw, bh, wrap->fits);
}

/* A block not kept (slot->straight), laid out in wrap, drawn onto the
 * target a line at a time: each line drawn as render_block draws it into a
 * strip of the block's rows it reaches, that strip copied to where the
 * block would be and freed. The part of the block shown is the rows
 * [top, top + rows) of the block b, whose top left is at origin. The same
 * pixels as the whole block copied there, with one line's memory. */
static void draw_straight(Text *t, const BlockSlot *b, const Wrap *wrap, const TextStyle *st,
                          SDL_Point origin, int top, int rows)
{
    static SDL_Surface *ps[PIECES_MAX];
    static SDL_Rect at[PIECES_MAX];
    for (int i = 0; i < wrap->n; i++) {
        int lw, n = line_pieces(wrap, &wrap->line[i], line_x(wrap, i, b->w, st, &lw),
                                i * wrap->skip, st->color, ps, at);
        int y0 = top + rows, y1 = top; /* the rows the line reaches, within those shown */
        for (int k = 0; k < n; k++) {
            y0 = at[k].y < y0 ? at[k].y : y0;
            y1 = at[k].y + at[k].h > y1 ? at[k].y + at[k].h : y1;
        }
        y0 = y0 < top ? top : y0;
        y1 = y1 > top + rows ? top + rows : y1;
        SDL_Texture *tex = NULL;
        SDL_Surface *strip = y1 > y0 ? block_start(t, b->w, y1 - y0, &tex) : NULL;
        if (!strip) {
            for (int k = 0; k < n; k++)
                SDL_FreeSurface(ps[k]);
            continue;
        }
        SDL_FillRect(strip, NULL,
                     SDL_MapRGBA(strip->format, st->color.r, st->color.g, st->color.b, 0));
        blit_pieces(ps, at, n, strip, y0);
        tex = block_finish(t, strip, tex);
        if (tex) {
            SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
            SDL_RenderCopy(t->r, tex, NULL, &(SDL_Rect){origin.x, origin.y + y0, b->w, y1 - y0});
            SDL_DestroyTexture(tex);
        }
    }
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

void text_keep_blocks_up_to(Text *t, size_t bytes)
{
    if (t->keep_max != bytes)
        text_flush(t);
    t->keep_max = bytes;
}

/* Whether any of area lies inside the renderer's clip (when it has one). */
static bool clip_meets(SDL_Renderer *r, SDL_Rect area)
{
    if (!SDL_RenderIsClipEnabled(r))
        return true;
    SDL_Rect clip;
    SDL_RenderGetClipRect(r, &clip);
    return SDL_HasIntersection(&clip, &area);
}

void text_keep_on_disk(Text *t, bool on)
{
    t->keep_on_disk = on;
}

size_t text_kept_bytes(const Text *t)
{
    size_t n = 0;
    for (int i = 0; i < BLOCK_SLOTS; i++)
        n += t->blocks[i].t.tex ? t->blocks[i].t.bytes : 0;
    return n;
}

unsigned text_blocks_from_disk(const Text *t)
{
    return t->from_disk;
}

bool text_fits(Text *t, const char *s, SDL_Rect box, const TextStyle *st)
{
    if (!s || !*s)
        return true;
    if (box.w <= 0 || box.h <= 0 || !wrap_fit(t->fonts, s, box.w, box.h, st, &g_wrap))
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
        if (wrap_invisible(cp))
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
        if (b->t.key && b->hash == h && strcmp(b->t.key, key) == 0) {
            hit = b;
            break;
        }
        if (!b->t.key) {
            if (victim->t.key)
                victim = b;
        } else if (victim->t.key && b->t.used < victim->t.used) {
            victim = b;
        }
    }
    bool laid = !hit; /* g_wrap holds hit's layout */
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
    if (src.h > 0 && !hit->straight) {
        SDL_RenderCopy(t->r, hit->t.tex, &src, &dst);
    } else if (src.h > 0 && clip_meets(t->r, (SDL_Rect){dst.x, dst.y, hit->w, src.h}) &&
               (laid || wrap_fit(t->fonts, s, box.w, box.h, st, &g_wrap))) {
        /* Laid out again only when some of it is to be drawn. */
        draw_straight(t, hit, &g_wrap, st, (SDL_Point){dst.x, dst.y - src.y}, src.y, src.h);
    }
    if (caret) {
        /* Right-to-left text ends on the left of its last line. */
        int bx = dst.x + (rtl ? hit->last_x : hit->end_x);
        *caret = (SDL_Rect){bx, dst.y - src.y + hit->end_y, 0, hit->line_h};
    }
    return hit->fits;
}
