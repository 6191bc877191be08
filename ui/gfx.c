/* gfx: rounded shapes as triangle fans and a bounded picture cache. */
#include "gfx.h"

#include <SDL_image.h>
#include <math.h>
#include <string.h>

#include "../firmware/core/log.h"
#include "../firmware/core/mem.h"
#include "../firmware/core/str.h"

#define ARC_STEPS 8
#define PICTURE_SLOTS 96
#define PATH_MAX_LEN 512

void gfx_fill_round(SDL_Renderer *r, SDL_Rect rc, int radius, SDL_Color c)
{
    if (rc.w <= 0 || rc.h <= 0)
        return;
    if (radius * 2 > rc.w)
        radius = rc.w / 2;
    if (radius * 2 > rc.h)
        radius = rc.h / 2;
    if (radius <= 1) {
        SDL_SetRenderDrawColor(r, c.r, c.g, c.b, c.a);
        SDL_RenderFillRect(r, &rc);
        return;
    }
    /* A fan around the centre through the four corner arcs. */
    SDL_Vertex v[2 + 4 * (ARC_STEPS + 1)];
    int idx[3 * 4 * (ARC_STEPS + 1)];
    float cx = rc.x + rc.w / 2.0f, cy = rc.y + rc.h / 2.0f;
    const float corners[4][2] = {
        {(float)(rc.x + rc.w - radius), (float)(rc.y + radius)},
        {(float)(rc.x + radius), (float)(rc.y + radius)},
        {(float)(rc.x + radius), (float)(rc.y + rc.h - radius)},
        {(float)(rc.x + rc.w - radius), (float)(rc.y + rc.h - radius)},
    };
    int n = 0;
    v[n++] = (SDL_Vertex){{cx, cy}, c, {0, 0}};
    for (int k = 0; k < 4; k++) {
        for (int s = 0; s <= ARC_STEPS; s++) {
            double a = (k * 90.0 + s * 90.0 / ARC_STEPS) * M_PI / 180.0;
            v[n++] = (SDL_Vertex){{corners[k][0] + (float)(cos(a) * radius),
                                   corners[k][1] - (float)(sin(a) * radius)},
                                  c,
                                  {0, 0}};
        }
    }
    int ni = 0;
    for (int i = 1; i < n; i++) {
        idx[ni++] = 0;
        idx[ni++] = i;
        idx[ni++] = i + 1 < n ? i + 1 : 1;
    }
    SDL_RenderGeometry(r, NULL, v, n, idx, ni);
}

void gfx_tile(SDL_Renderer *r, SDL_Rect rc, int radius, int border, SDL_Color edge, SDL_Color fill)
{
    gfx_fill_round(r, rc, radius, edge);
    SDL_Rect in = {rc.x + border, rc.y + border, rc.w - 2 * border, rc.h - 2 * border};
    int ir = radius - border;
    gfx_fill_round(r, in, ir > 0 ? ir : 0, fill);
}

void gfx_fill_circle(SDL_Renderer *r, int cx, int cy, int radius, SDL_Color c)
{
    SDL_Rect rc = {cx - radius, cy - radius, 2 * radius, 2 * radius};
    gfx_fill_round(r, rc, radius, c);
}

typedef struct {
    char path[PATH_MAX_LEN];
    int w, h;
    SDL_Texture *tex; /* NULL with failed=1: the file could not be read */
    int failed;
    unsigned long used;
} PictureSlot;

struct Pictures {
    SDL_Renderer *r;
    PictureSlot slots[PICTURE_SLOTS];
    unsigned long clock;
};

Pictures *pictures_create(SDL_Renderer *r)
{
    Pictures *p = xcalloc(1, sizeof *p);
    p->r = r;
    return p;
}

void pictures_flush(Pictures *p)
{
    for (int i = 0; i < PICTURE_SLOTS; i++) {
        if (p->slots[i].tex)
            SDL_DestroyTexture(p->slots[i].tex);
        memset(&p->slots[i], 0, sizeof p->slots[i]);
    }
}

void pictures_destroy(Pictures *p)
{
    if (!p)
        return;
    pictures_flush(p);
    free(p);
}

static int is_svg(const char *path)
{
    size_t n = strlen(path);
    return n > 4 && (strcmp(path + n - 4, ".svg") == 0 || strcmp(path + n - 4, ".SVG") == 0);
}

static SDL_Texture *load_texture(SDL_Renderer *r, const char *path, int w, int h)
{
    SDL_Surface *s = NULL;
    if (is_svg(path)) {
        SDL_RWops *rw = SDL_RWFromFile(path, "rb");
        if (rw)
            s = IMG_LoadSizedSVG_RW(rw, w, h);
        if (rw)
            SDL_RWclose(rw);
    } else {
        s = IMG_Load(path);
    }
    if (!s) {
        LOG_WARN("cannot load picture %s: %s", path, IMG_GetError());
        return NULL;
    }
    SDL_Texture *t = SDL_CreateTextureFromSurface(r, s);
    SDL_FreeSurface(s);
    if (t) {
        SDL_SetTextureBlendMode(t, SDL_BLENDMODE_BLEND);
        SDL_SetTextureScaleMode(t, SDL_ScaleModeLinear);
    }
    return t;
}

int pictures_draw(Pictures *p, const char *path, SDL_Rect box)
{
    if (!path || !*path || box.w <= 0 || box.h <= 0)
        return 0;
    int side = box.w < box.h ? box.w : box.h;
    p->clock++;
    PictureSlot *hit = NULL, *victim = &p->slots[0];
    for (int i = 0; i < PICTURE_SLOTS; i++) {
        PictureSlot *s = &p->slots[i];
        if (s->path[0] && s->w == side && strcmp(s->path, path) == 0) {
            hit = s;
            break;
        }
        if (!s->path[0]) {
            if (victim->path[0])
                victim = s;
        } else if (victim->path[0] && s->used < victim->used) {
            victim = s;
        }
    }
    if (!hit) {
        if (victim->tex)
            SDL_DestroyTexture(victim->tex);
        memset(victim, 0, sizeof *victim);
        str_copy(victim->path, sizeof victim->path, path);
        victim->w = side;
        victim->tex = load_texture(p->r, path, side, side);
        victim->failed = victim->tex == NULL;
        hit = victim;
    }
    hit->used = p->clock;
    if (!hit->tex)
        return 0;
    int tw = 0, th = 0;
    SDL_QueryTexture(hit->tex, NULL, NULL, &tw, &th);
    if (tw <= 0 || th <= 0)
        return 0;
    double scale = (double)box.w / tw;
    if ((double)box.h / th < scale)
        scale = (double)box.h / th;
    SDL_Rect dst = {0, 0, (int)(tw * scale), (int)(th * scale)};
    dst.x = box.x + (box.w - dst.w) / 2;
    dst.y = box.y + (box.h - dst.h) / 2;
    SDL_RenderCopy(p->r, hit->tex, NULL, &dst);
    return 1;
}
