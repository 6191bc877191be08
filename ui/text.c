/* text: SDL_ttf fonts by size, greedy word wrapping, shrink-to-fit, and the
 * block texture cache. Owns every TTF_Font and text texture of the UI. */
#include "text.h"

#include <SDL_ttf.h>
#include <string.h>

#include "../firmware/core/log.h"
#include "../firmware/core/mem.h"
#include "../firmware/core/str.h"

#define FONT_SLOTS 40
#define BLOCK_SLOTS 192
#define KEY_MAX 700
#define LINES_MAX 24
#define WRAP_TEXT_MAX 1024

typedef struct {
    TTF_Font *font;
    int px;
    bool bold;
    unsigned long used;
} FontSlot;

typedef struct {
    char key[KEY_MAX];
    Uint32 hash;
    SDL_Texture *tex;
    int w, h;
    bool fits;
    int end_x, end_y, line_h; /* where the last line ends, in block pixels */
    int last_x;               /* where the last line starts */
    unsigned long used;
} BlockSlot;

struct Text {
    SDL_Renderer *r;
    char *path[2];
    FontSlot fonts[FONT_SLOTS];
    BlockSlot blocks[BLOCK_SLOTS];
    unsigned long clock;
};

typedef struct {
    char buf[WRAP_TEXT_MAX];
    int start[LINES_MAX];
    int n;
    int height;
    bool fits;
} Wrap;

Text *text_create(SDL_Renderer *r, const char *regular_path, const char *bold_path)
{
    if (!TTF_WasInit() && TTF_Init() != 0) {
        LOG_ERROR("TTF_Init: %s", TTF_GetError());
        return NULL;
    }
    Text *t = xcalloc(1, sizeof *t);
    t->r = r;
    t->path[0] = xstrdup(regular_path);
    t->path[1] = xstrdup(bold_path);
    /* Open once now so a missing font is reported at start-up. */
    for (int i = 0; i < 2; i++) {
        TTF_Font *f = TTF_OpenFont(t->path[i], 20);
        if (!f) {
            LOG_ERROR("cannot open font %s: %s", t->path[i], TTF_GetError());
            text_destroy(t);
            return NULL;
        }
        TTF_CloseFont(f);
    }
    return t;
}

void text_flush(Text *t)
{
    for (int i = 0; i < BLOCK_SLOTS; i++) {
        if (t->blocks[i].tex)
            SDL_DestroyTexture(t->blocks[i].tex);
        memset(&t->blocks[i], 0, sizeof t->blocks[i]);
    }
}

void text_destroy(Text *t)
{
    if (!t)
        return;
    text_flush(t);
    for (int i = 0; i < FONT_SLOTS; i++)
        if (t->fonts[i].font)
            TTF_CloseFont(t->fonts[i].font);
    free(t->path[0]);
    free(t->path[1]);
    free(t);
    TTF_Quit();
}

static TTF_Font *font_get(Text *t, int px, bool bold)
{
    int victim = 0;
    t->clock++;
    for (int i = 0; i < FONT_SLOTS; i++) {
        FontSlot *s = &t->fonts[i];
        if (s->font && s->px == px && s->bold == bold) {
            s->used = t->clock;
            return s->font;
        }
        if (!s->font || s->used < t->fonts[victim].used)
            victim = i;
        if (!s->font)
            break;
    }
    FontSlot *s = &t->fonts[victim];
    if (s->font)
        TTF_CloseFont(s->font);
    s->font = TTF_OpenFont(t->path[bold ? 1 : 0], px);
    if (!s->font) {
        LOG_ERROR("cannot open font at %d px: %s", px, TTF_GetError());
        return NULL;
    }
    s->px = px;
    s->bold = bold;
    s->used = t->clock;
    return s->font;
}

/* Greedy wrapping at spaces and explicit newlines. A word wider than the box
 * makes the wrap not fit rather than being cut. */
static void wrap_text(TTF_Font *font, const char *s, int max_w, int max_h, Wrap *w)
{
    str_copy(w->buf, sizeof w->buf, s);
    w->n = 0;
    w->fits = true;
    char *p = w->buf;
    int skip = TTF_FontLineSkip(font);
    while (*p && w->n < LINES_MAX) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        char *line = p, *last_break = NULL;
        for (;;) {
            char *end = p;
            while (*end && *end != ' ' && *end != '\n')
                end++;
            char saved = *end;
            *end = '\0';
            int tw = 0, th = 0;
            TTF_SizeUTF8(font, line, &tw, &th);
            *end = saved;
            if (tw > max_w) {
                if (!last_break) {
                    w->fits = false; /* a single word is wider than the box */
                    p = end;
                } else {
                    p = last_break;
                }
                break;
            }
            p = end;
            if (*end != ' ')
                break;
            last_break = end;
            p = end + 1;
        }
        char *stop = p;
        if (*p == ' ' || *p == '\n')
            p++;
        *stop = '\0';
        /* Trim trailing spaces of the line. */
        for (char *q = stop - 1; q >= line && *q == ' '; q--)
            *q = '\0';
        w->start[w->n++] = (int)(line - w->buf);
    }
    if (*p)
        w->fits = false;
    w->height = w->n * skip;
    if (w->height > max_h)
        w->fits = false;
}

/* Finds the largest size between px and min_px at which s fits. */
static int fit_size(Text *t, const char *s, int w, int h, const TextStyle *st, Wrap *wrap,
                    TTF_Font **font_out)
{
    int px = st->px;
    int min_px = st->min_px > 0 && st->min_px < st->px ? st->min_px : st->px;
    for (;;) {
        TTF_Font *f = font_get(t, px, st->bold);
        if (!f)
            return 0;
        wrap_text(f, s, w, h, wrap);
        *font_out = f;
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

static BlockSlot *render_block(Text *t, BlockSlot *slot, const char *s, int w, int h,
                               const TextStyle *st)
{
    static Wrap wrap;
    TTF_Font *font = NULL;
    if (!fit_size(t, s, w, h, st, &wrap, &font))
        return NULL;
    int skip = TTF_FontLineSkip(font);
    int bh = wrap.n * skip;
    if (bh < 1)
        bh = 1;
    /* The block is only as wide as its widest line: blending cost grows with
     * the area drawn, and most lines are much narrower than their box. */
    int bw = 1;
    for (int i = 0; i < wrap.n; i++) {
        int lw = 0, lh = 0;
        TTF_SizeUTF8(font, wrap.buf + wrap.start[i], &lw, &lh);
        if (lw > bw)
            bw = lw;
    }
    if (bw > w)
        bw = w;
    SDL_Surface *block = SDL_CreateRGBSurfaceWithFormat(0, bw, bh, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!block)
        return NULL;
    SDL_FillRect(block, NULL, SDL_MapRGBA(block->format, st->color.r, st->color.g, st->color.b, 0));
    slot->end_x = slot->last_x = 0;
    slot->end_y = wrap.n > 0 ? (wrap.n - 1) * skip : 0;
    slot->line_h = skip;
    for (int i = 0; i < wrap.n; i++) {
        const char *line = wrap.buf + wrap.start[i];
        if (!*line)
            continue;
        SDL_Surface *ls = TTF_RenderUTF8_Blended(font, line, st->color);
        if (!ls)
            continue;
        SDL_Rect dst = {0, i * skip, ls->w, ls->h};
        if (st->align == TEXT_CENTER)
            dst.x = (bw - ls->w) / 2;
        else if (st->align == TEXT_RIGHT)
            dst.x = bw - ls->w;
        if (i == wrap.n - 1) {
            slot->last_x = dst.x;
            slot->end_x = dst.x + (ls->w < bw ? ls->w : bw);
        }
        SDL_SetSurfaceBlendMode(ls, SDL_BLENDMODE_NONE);
        SDL_BlitSurface(ls, NULL, block, &dst);
        SDL_FreeSurface(ls);
    }
    if (slot->tex)
        SDL_DestroyTexture(slot->tex);
    slot->tex = SDL_CreateTextureFromSurface(t->r, block);
    SDL_FreeSurface(block);
    if (!slot->tex)
        return NULL;
    SDL_SetTextureBlendMode(slot->tex, SDL_BLENDMODE_BLEND);
    slot->w = bw;
    slot->h = bh;
    slot->fits = wrap.fits;
    return slot;
}

bool text_fits(Text *t, const char *s, SDL_Rect box, const TextStyle *st)
{
    static Wrap wrap;
    TTF_Font *font = NULL;
    if (!s || !*s)
        return true;
    if (box.w <= 0 || box.h <= 0 || !fit_size(t, s, box.w, box.h, st, &wrap, &font))
        return false;
    return wrap.fits;
}

bool text_draw(Text *t, const char *s, SDL_Rect box, const TextStyle *st)
{
    return text_draw_caret(t, s, box, st, NULL);
}

bool text_draw_caret(Text *t, const char *s, SDL_Rect box, const TextStyle *st, SDL_Rect *caret)
{
    if (caret) {
        /* Without text the caret stands at the start of an empty line. */
        TTF_Font *f = font_get(t, st->px, st->bold);
        int skip = f ? TTF_FontLineSkip(f) : st->px;
        int x = st->align == TEXT_RIGHT ? box.x + box.w : (st->align == TEXT_CENTER ? box.x + box.w / 2 : box.x);
        int y = st->valign == TEXT_TOP ? box.y : (st->valign == TEXT_BOTTOM ? box.y + box.h - skip : box.y + (box.h - skip) / 2);
        *caret = (SDL_Rect){x, y, 0, skip};
    }
    if (!s || !*s || box.w <= 0 || box.h <= 0)
        return true;
    char key[KEY_MAX];
    snprintf(key, sizeof key, "%d|%d|%d|%d|%02x%02x%02x|%d|%d|%s", box.w, box.h, st->px, st->min_px,
             st->color.r, st->color.g, st->color.b, st->bold, (int)st->align, s);
    Uint32 h = hash_str(key);
    t->clock++;
    BlockSlot *hit = NULL, *victim = &t->blocks[0];
    for (int i = 0; i < BLOCK_SLOTS; i++) {
        BlockSlot *b = &t->blocks[i];
        if (b->tex && b->hash == h && strcmp(b->key, key) == 0) {
            hit = b;
            break;
        }
        if (!b->tex) {
            if (victim->tex)
                victim = b;
        } else if (victim->tex && b->used < victim->used) {
            victim = b;
        }
    }
    if (!hit) {
        hit = render_block(t, victim, s, box.w, box.h, st);
        if (!hit)
            return false;
        str_copy(hit->key, sizeof hit->key, key);
        hit->hash = h;
    }
    hit->used = t->clock;
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
        SDL_RenderCopy(t->r, hit->tex, &src, &dst);
    if (caret) {
        /* Right-aligned text is right-to-left: it ends on the left. */
        int bx = dst.x + (st->align == TEXT_RIGHT ? hit->last_x : hit->end_x);
        *caret = (SDL_Rect){bx, dst.y - src.y + hit->end_y, 0, hit->line_h};
    }
    return hit->fits;
}
