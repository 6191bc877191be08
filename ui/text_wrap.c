/* text_wrap: line layout of ui/text (see text_wrap.h). */
#include "text_wrap.h"

#include <string.h>

#include "../firmware/core/str.h"
#include "bidi.h"

#define FACES FONTS_FACES /* per weight: main, Arabic, symbols — the fallback order */

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
bool wrap_invisible(unsigned long cp)
{
    return cp < 0x20 || cp == 0x7F || (cp >= 0x200B && cp <= 0x200F) ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2069) ||
           (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF;
}

/* The fallback rank (0..FACES-1) of the font to draw cp with: the current
 * piece's for marks and spaces it has, else the first that has the glyph,
 * else the current (or main) one, which will show a box. */
static int face_for(Fonts *fonts, int weight, int px, unsigned long cp, int current)
{
    if (current >= 0) {
        if (sticks(cp))
            return current;
        if (cp == ' ' || cp == 0xA0) {
            TTF_Font *f = fonts_get(fonts, weight * FACES + current, px);
            if (f && TTF_GlyphIsProvided32(f, (Uint32)cp))
                return current;
        }
    }
    for (int i = 0; i < FACES; i++) {
        TTF_Font *f = fonts_get(fonts, weight * FACES + i, px);
        if (f && TTF_GlyphIsProvided32(f, (Uint32)cp))
            return i;
    }
    return current >= 0 ? current : 0;
}

/* Direction and script are per font in SDL_ttf: set both before every use. */
void wrap_font_prepare(TTF_Font *f, bool rtl, const char *script)
{
    TTF_SetFontDirection(f, rtl ? TTF_DIRECTION_RTL : TTF_DIRECTION_LTR);
    TTF_SetFontScriptName(f, script);
}

/* buf[p->start..p->start+p->len), NUL-terminated, in a static buffer. */
static const char *piece_text(const char *buf, const Piece *p)
{
    static char g_piece_text[WRAP_TEXT_MAX];
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
static void layout_line(Fonts *fonts, const char *buf, int start, int len, int px, bool bold,
                        bool rtl, bool extents, Line *out)
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
            int f = face_for(fonts, weight, px, cp, face);
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
        p->font = fonts_get(fonts, p->face, px);
        if (!p->font)
            continue;
        wrap_font_prepare(p->font, p->rtl, p->script);
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
            if (wrap_invisible(cp) ||
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
    TTF_Font *main_font = fonts_get(fonts, weight * FACES, px);
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
static void wrap_paragraph(Fonts *fonts, Wrap *w, int p, int pe, int px, bool bold, bool rtl,
                           int max_w)
{
    static int ends[WRAP_TEXT_MAX / 2 + 1];
    static Line cand[2];
    Line *line = &cand[0], *word = &cand[1];
    TTF_Font *main_font = fonts_get(fonts, bold ? FACES : 0, px);
    int space_w = 0, h = 0;
    if (main_font) {
        wrap_font_prepare(main_font, false, "Zyyy");
        TTF_SizeUTF8(main_font, " ", &space_w, &h);
    }
    int q = p;
    bool first = true;
    while (w->n < LINES_MAX) {
        while (q < pe && w->buf[q] == ' ')
            q++;
        if (q >= pe) {
            if (first) {
                layout_line(fonts, w->buf, q, 0, px, bold, rtl, true, line);
                commit_line(w, line);
            }
            return;
        }
        first = false;
        int ls = q, n_ends = 0;
        int le = word_end(w->buf, q, pe);
        ends[n_ends++] = le;
        layout_line(fonts, w->buf, ls, le - ls, px, bold, rtl, false, word);
        int est = word->w;
        while (est <= max_w) {
            int r = le;
            while (r < pe && w->buf[r] == ' ')
                r++;
            if (r >= pe)
                break;
            int ne = word_end(w->buf, r, pe);
            layout_line(fonts, w->buf, r, ne - r, px, bold, rtl, false, word);
            int more = (r - le) * space_w + word->w;
            if (est + more > max_w)
                break;
            est += more;
            le = ne;
            ends[n_ends++] = le;
        }
        layout_line(fonts, w->buf, ls, le - ls, px, bold, rtl, true, line);
        while (line->w > max_w && n_ends > 1) {
            le = ends[--n_ends - 1];
            layout_line(fonts, w->buf, ls, le - ls, px, bold, rtl, true, line);
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

static void wrap_text(Fonts *fonts, const char *s, int px, const TextStyle *st, int max_w,
                      int max_h, Wrap *w)
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
        wrap_paragraph(fonts, w, p, pe, px, st->bold, st->rtl, max_w);
        p = pe + 1;
        if (p < w->len && w->n >= LINES_MAX)
            w->fits = false;
    }
    if (w->skip == 0) {
        /* Only empty lines: use the main font's metrics. */
        TTF_Font *f = fonts_get(fonts, st->bold ? FACES : 0, px);
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

const char *wrap_piece_text(const Wrap *wrap, const Piece *p)
{
    return piece_text(wrap->buf, p);
}

int wrap_fit(Fonts *fonts, const char *s, int w, int h, const TextStyle *st, Wrap *wrap)
{
    int px = st->px;
    int min_px = st->min_px > 0 && st->min_px < st->px ? st->min_px : st->px;
    if (px <= 0 || !fonts_get(fonts, st->bold ? FACES : 0, px))
        return 0;
    for (;;) {
        wrap_text(fonts, s, px, st, w, h, wrap);
        if (wrap->fits || px <= min_px)
            return px;
        int next = px * 9 / 10;
        px = next < min_px ? min_px : next;
    }
}
