/* gfx: rounded shapes as rows of rectangles, convex shapes and lines as
 * triangles, and a bounded picture cache. */
#include "gfx.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "../firmware/core/log.h"
#include "../firmware/core/mem.h"
#include "../firmware/core/str.h"
#include "picload.h"
#include "texcache.h"

#define PICTURE_SLOTS 96
/* What the cached pictures may hold at most: 8 MB. */
#define PICTURE_BYTES_MAX ((size_t)8 * 1024 * 1024)
#define PATH_MAX_LEN 512

/* How far a row of a circle of radius reaches from its centre line: the
 * pixels whose centres lie within it, for the row j pixels off the line. */
static int circle_reach(int radius, int j)
{
    double dy = j + 0.5;
    double r2 = (double)radius * radius - dy * dy;
    return r2 > 0 ? (int)floor(sqrt(r2) + 0.5) : 0;
}

/* Rows of a corner, merged where they are alike, filled together. */
typedef struct {
    SDL_Renderer *r;
    SDL_Rect rows[64];
    int n;
} Spans;

static void spans_add(Spans *sp, int x, int y, int w)
{
    if (w <= 0)
        return;
    SDL_Rect *last = sp->n > 0 ? &sp->rows[sp->n - 1] : NULL;
    /* The rows of a corner go away from its centre line, up or down. */
    if (last && last->x == x && last->w == w && (y == last->y - 1 || y == last->y + last->h)) {
        if (y < last->y)
            last->y = y;
        last->h++;
        return;
    }
    if (sp->n == (int)(sizeof sp->rows / sizeof sp->rows[0])) {
        SDL_RenderFillRects(sp->r, sp->rows, sp->n);
        sp->n = 0;
    }
    sp->rows[sp->n++] = (SDL_Rect){x, y, w, 1};
}

/* A quarter of the ring between radii r_in and r_out (0: a quarter disc)
 * around (cx, cy), as one span a row. Quadrant 0 is the top right, then
 * counter-clockwise; the corner lies in the radius x radius square beside
 * (cx, cy) in that direction. Spans of the ring and of the disc within it
 * meet without a gap or an overlap. */
static void corner(SDL_Renderer *r, int cx, int cy, int r_out, int r_in, int quadrant)
{
    Spans sp = {.r = r};
    bool left = quadrant == 1 || quadrant == 2, up = quadrant < 2;
    for (int j = 0; j < r_out; j++) {
        int out = circle_reach(r_out, j), in = j < r_in ? circle_reach(r_in, j) : 0;
        int y = up ? cy - 1 - j : cy + j;
        spans_add(&sp, left ? cx - out : cx + in, y, out - in);
    }
    if (sp.n > 0)
        SDL_RenderFillRects(r, sp.rows, sp.n);
}

void gfx_fill_round(SDL_Renderer *r, SDL_Rect rc, int radius, SDL_Color c)
{
    if (rc.w <= 0 || rc.h <= 0)
        return;
    if (radius * 2 > rc.w)
        radius = rc.w / 2;
    if (radius * 2 > rc.h)
        radius = rc.h / 2;
    /* Opaque fills skip blending: the software renderer then fills spans
     * with plain stores, which keeps a full repaint within a few ms. */
    SDL_SetRenderDrawBlendMode(r, c.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(r, c.r, c.g, c.b, c.a);
    if (radius <= 1) {
        SDL_RenderFillRect(r, &rc);
        return;
    }
    /* The body as three rectangles, the corners as quarter discs of one
     * span a row: all of it plain rectangle fills, which the software
     * renderer does as stores along each row. */
    SDL_Rect parts[3] = {
        {rc.x + radius, rc.y, rc.w - 2 * radius, rc.h},
        {rc.x, rc.y + radius, radius, rc.h - 2 * radius},
        {rc.x + rc.w - radius, rc.y + radius, radius, rc.h - 2 * radius},
    };
    SDL_RenderFillRects(r, parts, 3);
    int x0 = rc.x + radius, x1 = rc.x + rc.w - radius;
    int y0 = rc.y + radius, y1 = rc.y + rc.h - radius;
    corner(r, x1, y0, radius, 0, 0);
    corner(r, x0, y0, radius, 0, 1);
    corner(r, x0, y1, radius, 0, 2);
    corner(r, x1, y1, radius, 0, 3);
}

void gfx_frame_round(SDL_Renderer *r, SDL_Rect rc, int radius, int border, SDL_Color c)
{
    if (rc.w <= 0 || rc.h <= 0 || border <= 0)
        return;
    if (radius * 2 > rc.w)
        radius = rc.w / 2;
    if (radius * 2 > rc.h)
        radius = rc.h / 2;
    if (radius < border)
        radius = border;
    SDL_SetRenderDrawBlendMode(r, c.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(r, c.r, c.g, c.b, c.a);
    SDL_Rect strips[4] = {
        {rc.x + radius, rc.y, rc.w - 2 * radius, border},
        {rc.x + radius, rc.y + rc.h - border, rc.w - 2 * radius, border},
        {rc.x, rc.y + radius, border, rc.h - 2 * radius},
        {rc.x + rc.w - border, rc.y + radius, border, rc.h - 2 * radius},
    };
    SDL_RenderFillRects(r, strips, 4);
    int x0 = rc.x + radius, x1 = rc.x + rc.w - radius;
    int y0 = rc.y + radius, y1 = rc.y + rc.h - radius;
    int in = radius - border;
    corner(r, x1, y0, radius, in, 0);
    corner(r, x0, y0, radius, in, 1);
    corner(r, x0, y1, radius, in, 2);
    corner(r, x1, y1, radius, in, 3);
}

void gfx_tile(SDL_Renderer *r, SDL_Rect rc, int radius, int border, SDL_Color edge, SDL_Color fill)
{
    /* Each pixel is painted once: the interior, then the frame around it. */
    SDL_Rect in = {rc.x + border, rc.y + border, rc.w - 2 * border, rc.h - 2 * border};
    int ir = radius - border;
    gfx_fill_round(r, in, ir > 0 ? ir : 0, fill);
    gfx_frame_round(r, rc, radius, border, edge);
}

void gfx_shadow(SDL_Renderer *r, SDL_Rect rc, int radius, int offset, SDL_Color c)
{
    /* Only the part that shows below the tile is painted. */
    int h = 2 * radius + offset;
    if (h > rc.h)
        h = rc.h;
    SDL_Rect sh = {rc.x, rc.y + rc.h + offset - h, rc.w, h};
    gfx_fill_round(r, sh, radius, c);
}

void gfx_fill_circle(SDL_Renderer *r, int cx, int cy, int radius, SDL_Color c)
{
    SDL_Rect rc = {cx - radius, cy - radius, 2 * radius, 2 * radius};
    gfx_fill_round(r, rc, radius, c);
}

void gfx_fill_convex(SDL_Renderer *r, const SDL_FPoint *pts, int n, SDL_Color c)
{
    SDL_Vertex v[GFX_POLY_MAX];
    int idx[3 * (GFX_POLY_MAX - 2)];
    if (n < 3 || n > GFX_POLY_MAX)
        return;
    for (int i = 0; i < n; i++)
        v[i] = (SDL_Vertex){pts[i], c, {0, 0}};
    for (int i = 0; i < n - 2; i++) {
        idx[3 * i] = 0;
        idx[3 * i + 1] = i + 1;
        idx[3 * i + 2] = i + 2;
    }
    SDL_RenderGeometry(r, NULL, v, n, idx, 3 * (n - 2));
}

void gfx_line(SDL_Renderer *r, float x0, float y0, float x1, float y1, float width, SDL_Color c)
{
    float dx = x1 - x0, dy = y1 - y0;
    float len = sqrtf(dx * dx + dy * dy);
    if (len <= 0)
        return;
    float nx = -dy / len * width / 2, ny = dx / len * width / 2;
    SDL_FPoint q[4] = {
        {x0 + nx, y0 + ny}, {x1 + nx, y1 + ny}, {x1 - nx, y1 - ny}, {x0 - nx, y0 - ny}};
    gfx_fill_convex(r, q, 4, c);
}

typedef struct {
    TexSlot t; /* tex NULL with failed=1: the file could not be read */
    char path[PATH_MAX_LEN];
    int box_w, box_h; /* the box it is drawn into */
    int w, h;         /* the texture: the picture fitted into that box */
    int failed;
    bool laid; /* blended once onto `under`: an opaque texture */
    SDL_Color under;
} PictureSlot;

struct Pictures {
    SDL_Renderer *r;
    PictureSlot slots[PICTURE_SLOTS];
    unsigned long clock;
    unsigned long screen_start; /* the clock when the screen on show was first drawn */
};

Pictures *pictures_create(SDL_Renderer *r)
{
    Pictures *p = xcalloc(1, sizeof *p);
    p->r = r;
    return p;
}

void pictures_flush(Pictures *p)
{
    texcache_flush(p->slots, PICTURE_SLOTS, sizeof p->slots[0]);
}

void pictures_destroy(Pictures *p)
{
    if (!p)
        return;
    pictures_flush(p);
    free(p);
}

void pictures_screen_begin(Pictures *p)
{
    p->screen_start = p->clock + 1;
}

void pictures_screen_end(Pictures *p)
{
    texcache_drop_older(p->slots, PICTURE_SLOTS, sizeof p->slots[0], p->screen_start);
    picload_forget(); /* read ahead for a screen that did not come */
}

/* A w x h texture of s stretched with the linear filter, in the pixel
 * format the renderer gave small (s as a texture): the very pixels a
 * stretching copy of small would blend at every frame, worked out once.
 * NULL when it cannot be made. */
static SDL_Texture *stretched(SDL_Renderer *r, SDL_Texture *small, SDL_Surface *s, int w, int h)
{
    Uint32 format = 0;
    if (SDL_QueryTexture(small, &format, NULL, NULL, NULL) != 0 || SDL_BYTESPERPIXEL(format) != 4)
        return NULL;
    SDL_Surface *src = s->format->format == format ? s : SDL_ConvertSurfaceFormat(s, format, 0);
    SDL_Texture *t = src ? SDL_CreateTexture(r, format, SDL_TEXTUREACCESS_STREAMING, w, h) : NULL;
    void *pixels = NULL;
    int pitch = 0;
    bool ok = false;
    if (t && SDL_LockTexture(t, NULL, &pixels, &pitch) == 0) {
        SDL_Surface *dst = SDL_CreateRGBSurfaceWithFormatFrom(pixels, w, h, 32, pitch, format);
        ok = dst && SDL_SoftStretchLinear(src, NULL, dst, NULL) == 0;
        SDL_FreeSurface(dst);
        SDL_UnlockTexture(t);
    }
    if (src != s)
        SDL_FreeSurface(src);
    if (!ok && t) {
        SDL_DestroyTexture(t);
        t = NULL;
    }
    return t;
}

Uint32 gfx_target_format(SDL_Renderer *r)
{
    Uint32 format = SDL_PIXELFORMAT_UNKNOWN;
    SDL_Texture *target = SDL_GetRenderTarget(r);
    if (target)
        SDL_QueryTexture(target, &format, NULL, NULL, NULL);
    else if (SDL_RenderGetWindow(r))
        format = SDL_GetWindowPixelFormat(SDL_RenderGetWindow(r));
    return format;
}

bool pictures_can_lay(SDL_Renderer *r)
{
    Uint32 format = gfx_target_format(r);
    return SDL_BYTESPERPIXEL(format) == 4 && !SDL_ISPIXELFORMAT_ALPHA(format);
}

/* The pixels of a texture being laid: on the software renderer its own
 * surface, written in place, so the picture exists once while it is made;
 * elsewhere a surface of its own, uploaded once. */
typedef struct {
    SDL_Texture *t;
    SDL_Surface *dst;
    bool in_place;
} LaidPixels;

static bool laid_open(SDL_Renderer *r, Uint32 format, int w, int h, LaidPixels *lp)
{
    SDL_RendererInfo info;
    lp->in_place = SDL_GetRendererInfo(r, &info) == 0 && (info.flags & SDL_RENDERER_SOFTWARE);
    lp->t = SDL_CreateTexture(
        r, format, lp->in_place ? SDL_TEXTUREACCESS_STREAMING : SDL_TEXTUREACCESS_STATIC, w, h);
    lp->dst = NULL;
    void *pixels = NULL;
    int pitch = 0;
    if (!lp->t)
        return false;
    if (!lp->in_place)
        lp->dst = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, format);
    else if (SDL_LockTexture(lp->t, NULL, &pixels, &pitch) == 0)
        lp->dst = SDL_CreateRGBSurfaceWithFormatFrom(pixels, w, h, 32, pitch, format);
    return lp->dst != NULL;
}

/* The texture, when its pixels were all written (ok), else NULL. */
static SDL_Texture *laid_close(LaidPixels *lp, bool ok)
{
    if (lp->in_place && lp->dst)
        SDL_UnlockTexture(lp->t);
    else if (ok && lp->dst && SDL_UpdateTexture(lp->t, NULL, lp->dst->pixels, lp->dst->pitch) != 0)
        ok = false;
    SDL_FreeSurface(lp->dst);
    if (!ok && lp->t) {
        SDL_DestroyTexture(lp->t);
        lp->t = NULL;
    }
    return lp->t;
}

/* s fitted to w x h (the linear filter, as stretched() does) and blended
 * once onto a plain colour in the target's format (no alpha): the pixels a
 * blending copy onto that colour gives, as an opaque texture. NULL when it
 * cannot be made. */
static SDL_Texture *laid_on(SDL_Renderer *r, SDL_Surface *s, int w, int h, SDL_Color under)
{
    if (!pictures_can_lay(r))
        return NULL;
    SDL_Surface *fit = s;
    if (w != s->w || h != s->h) {
        fit = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, s->format->format);
        if (fit && SDL_SoftStretchLinear(s, NULL, fit, NULL) != 0) {
            SDL_FreeSurface(fit);
            fit = NULL;
        }
    }
    LaidPixels lp = {0};
    bool ok =
        fit && laid_open(r, gfx_target_format(r), w, h, &lp) &&
        SDL_FillRect(lp.dst, NULL, SDL_MapRGB(lp.dst->format, under.r, under.g, under.b)) == 0 &&
        SDL_SetSurfaceBlendMode(fit, SDL_BLENDMODE_BLEND) == 0 &&
        SDL_BlitSurface(fit, NULL, lp.dst, NULL) == 0;
    SDL_Texture *t = laid_close(&lp, ok);
    if (fit != s)
        SDL_FreeSurface(fit);
    return t;
}

/* The texture a picture is drawn from when it is not laid: s as it is, or
 * stretched once to w x h here instead of at every frame. */
static SDL_Texture *plain_texture(SDL_Renderer *r, SDL_Surface *s, int w, int h)
{
    SDL_Texture *t = SDL_CreateTextureFromSurface(r, s);
    if (t && (w != s->w || h != s->h) && w > 0 && h > 0) {
        SDL_Texture *big = stretched(r, t, s, w, h);
        if (big) {
            SDL_DestroyTexture(t);
            t = big;
        }
    }
    return t;
}

/* The picture at path as it is drawn into a box_w x box_h box: fitted, its
 * aspect kept, at the size it is shown, so drawing it is a plain copy; for
 * a slot to be laid, already blended onto its colour (laid stays false
 * when that could not be made). Only the texture kept is made. Fills the
 * slot's texture, size and bytes; failed when it cannot be read. */
static void load_picture(Pictures *p, PictureSlot *slot, const char *path)
{
    bool ahead = false;
    SDL_Surface *s = picload_take(path, slot->box_w, slot->box_h, &ahead);
    if (!ahead)
        s = picload_read(path, slot->box_w, slot->box_h);
    slot->failed = s == NULL || s->w <= 0 || s->h <= 0;
    if (slot->failed) {
        SDL_FreeSurface(s);
        return;
    }
    double scale = (double)slot->box_w / s->w;
    if ((double)slot->box_h / s->h < scale)
        scale = (double)slot->box_h / s->h;
    int w = (int)(s->w * scale), h = (int)(s->h * scale);
    SDL_Texture *t = slot->laid && w > 0 && h > 0 ? laid_on(p->r, s, w, h, slot->under) : NULL;
    bool laid = t != NULL;
    slot->laid = laid;
    if (!t)
        t = plain_texture(p->r, s, w, h);
    SDL_FreeSurface(s);
    slot->failed = t == NULL;
    if (!t)
        return;
    int tw = 0, th = 0;
    SDL_QueryTexture(t, NULL, NULL, &tw, &th);
    SDL_SetTextureBlendMode(t, laid ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    SDL_SetTextureScaleMode(t, SDL_ScaleModeLinear);
    slot->t.tex = t;
    slot->t.bytes = texcache_bytes(tw, th);
    slot->w = w;
    slot->h = h;
}

/* The cached picture at path drawn into a box of box's size, or NULL. */
static PictureSlot *find_picture(Pictures *p, const char *path, SDL_Rect box)
{
    for (int i = 0; i < PICTURE_SLOTS; i++) {
        PictureSlot *s = &p->slots[i];
        if (s->path[0] && s->box_w == box.w && s->box_h == box.h && strcmp(s->path, path) == 0)
            return s;
    }
    return NULL;
}

SDL_Rect pictures_place(Pictures *p, const char *path, SDL_Rect box)
{
    const PictureSlot *s = path ? find_picture(p, path, box) : NULL;
    if (!s || !s->t.tex)
        return box;
    return (SDL_Rect){box.x + (box.w - s->w) / 2, box.y + (box.h - s->h) / 2, s->w, s->h};
}

/* The slot holds path for a box of box's size, asked to be laid on *under
 * or (under NULL) to be blended. */
static bool slot_is(const PictureSlot *s, const char *path, SDL_Rect box, const SDL_Color *under)
{
    if (!s->path[0] || s->box_w != box.w || s->box_h != box.h || strcmp(s->path, path) != 0)
        return false;
    if (!under)
        return !s->under.a;
    return s->under.a && s->under.r == under->r && s->under.g == under->g && s->under.b == under->b;
}

static int draw_picture(Pictures *p, const char *path, SDL_Rect box, const SDL_Color *under)
{
    if (!path || !*path || box.w <= 0 || box.h <= 0)
        return 0;
    p->clock++;
    PictureSlot *hit = NULL, *victim = &p->slots[0];
    for (int i = 0; i < PICTURE_SLOTS; i++) {
        PictureSlot *s = &p->slots[i];
        if (slot_is(s, path, box, under)) {
            hit = s;
            break;
        }
        if (!s->path[0]) {
            if (victim->path[0])
                victim = s;
        } else if (victim->path[0] && s->t.used < victim->t.used) {
            victim = s;
        }
    }
    if (!hit) {
        if (victim->t.tex)
            SDL_DestroyTexture(victim->t.tex);
        memset(victim, 0, sizeof *victim);
        str_copy(victim->path, sizeof victim->path, path);
        victim->box_w = box.w;
        victim->box_h = box.h;
        if (under) {
            victim->laid = true;
            victim->under = *under;
            victim->under.a = 255; /* marks a slot asked to be laid */
        }
        load_picture(p, victim, path);
        hit = victim;
        hit->t.used = p->clock;
        /* The pictures drawn longest ago go while the cache holds more than
         * PICTURE_BYTES_MAX; the one drawn last stays. */
        texcache_evict(p->slots, PICTURE_SLOTS, sizeof p->slots[0], PICTURE_BYTES_MAX, p->clock);
    }
    hit->t.used = p->clock;
    if (under && !hit->laid)
        return 0; /* could not be laid: the caller draws it blended */
    if (!hit->t.tex || hit->w <= 0 || hit->h <= 0)
        return hit->t.tex != NULL;
    SDL_Rect dst = {box.x + (box.w - hit->w) / 2, box.y + (box.h - hit->h) / 2, hit->w, hit->h};
    SDL_RenderCopy(p->r, hit->t.tex, NULL, &dst);
    return 1;
}

int pictures_draw(Pictures *p, const char *path, SDL_Rect box)
{
    return draw_picture(p, path, box, NULL);
}

bool pictures_draw_laid(Pictures *p, const char *path, SDL_Rect box, SDL_Color under, SDL_Rect *at)
{
    if (draw_picture(p, path, box, &under) != 1)
        return false;
    *at = pictures_place(p, path, box);
    return true;
}
