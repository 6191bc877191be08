/* drawing: strokes in, PNG out. The picture is rasterised here (round pens
 * of a fixed width, so it looks like the screen) into one byte a pixel (an
 * index into the pens' colours, 0 the white paper) and encoded with
 * libpng's simplified API as a palette image; nothing of SDL is involved,
 * so a stored drawing does not depend on the renderer. */
#include "drawing.h"

#include <math.h>
#include <png.h>
#include <stdlib.h>
#include <string.h>

#include "../core/mem.h"

/* Pen radius in stored pixels (about 2 mm on a 7" panel's canvas). */
#define PEN_RADIUS 6.0f
/* Points closer than this (in canvas units) add nothing visible. */
#define MIN_STEP 0.002f

struct Drawing {
    KsPoint points[DRAWING_MAX_POINTS];
    KsStroke strokes[DRAWING_MAX_STROKES];
    int n_points, n_strokes;
    bool open; /* the last stroke still takes points */
    unsigned revision;
};

Drawing *drawing_create(void)
{
    return xcalloc(1, sizeof(Drawing));
}

void drawing_destroy(Drawing *d)
{
    free(d);
}

static float clamp01(float v)
{
    return v < 0 ? 0 : (v > 1 ? 1 : v);
}

void drawing_begin(Drawing *d, int pen, float x, float y)
{
    d->open = false;
    if (d->n_strokes >= DRAWING_MAX_STROKES || d->n_points >= DRAWING_MAX_POINTS)
        return;
    KsStroke *s = &d->strokes[d->n_strokes++];
    s->pen = pen >= 0 && pen < KS_PEN_COUNT ? pen : 0;
    s->first = d->n_points;
    s->n = 1;
    d->points[d->n_points++] = (KsPoint){clamp01(x), clamp01(y)};
    d->open = true;
    d->revision++;
}

void drawing_move(Drawing *d, float x, float y)
{
    if (!d->open || d->n_points >= DRAWING_MAX_POINTS)
        return;
    KsPoint p = {clamp01(x), clamp01(y)};
    const KsPoint *last = &d->points[d->n_points - 1];
    if (fabsf(p.x - last->x) < MIN_STEP && fabsf(p.y - last->y) < MIN_STEP)
        return;
    d->points[d->n_points++] = p;
    d->strokes[d->n_strokes - 1].n++;
    d->revision++;
}

bool drawing_undo(Drawing *d)
{
    d->open = false;
    if (d->n_strokes == 0)
        return false;
    d->n_strokes--;
    d->n_points = d->strokes[d->n_strokes].first;
    d->revision++;
    return true;
}

void drawing_clear(Drawing *d)
{
    d->open = false;
    if (d->n_strokes == 0)
        return;
    d->n_strokes = 0;
    d->n_points = 0;
    d->revision++;
}

int drawing_stroke_count(const Drawing *d)
{
    return d->n_strokes;
}

unsigned drawing_revision(const Drawing *d)
{
    return d->revision;
}

KsDrawingView drawing_view(const Drawing *d)
{
    return (KsDrawingView){d->points, d->strokes, d->n_strokes};
}

/* Paints every pixel within PEN_RADIUS of the segment a-b (in pixels) with
 * palette index `ink`. */
static void paint_segment(uint8_t *pix, float ax, float ay, float bx, float by, uint8_t ink)
{
    float r = PEN_RADIUS;
    int x0 = (int)floorf(fminf(ax, bx) - r), x1 = (int)ceilf(fmaxf(ax, bx) + r);
    int y0 = (int)floorf(fminf(ay, by) - r), y1 = (int)ceilf(fmaxf(ay, by) + r);
    x0 = x0 < 0 ? 0 : x0;
    y0 = y0 < 0 ? 0 : y0;
    x1 = x1 >= DRAWING_PNG_W ? DRAWING_PNG_W - 1 : x1;
    y1 = y1 >= DRAWING_PNG_H ? DRAWING_PNG_H - 1 : y1;
    float dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
    for (int y = y0; y <= y1; y++) {
        for (int x = x0; x <= x1; x++) {
            float px = (float)x + 0.5f - ax, py = (float)y + 0.5f - ay;
            float t = len2 > 0 ? (px * dx + py * dy) / len2 : 0;
            t = t < 0 ? 0 : (t > 1 ? 1 : t);
            float ex = px - t * dx, ey = py - t * dy;
            if (ex * ex + ey * ey > r * r)
                continue;
            pix[(size_t)y * DRAWING_PNG_W + (size_t)x] = ink;
        }
    }
}

KsStatus drawing_to_png(const Drawing *d, uint8_t **png, size_t *n)
{
    *png = NULL;
    *n = 0;
    if (d->n_strokes == 0)
        return KS_ERR_INVALID;
    /* A third of the memory of RGB pixels: this runs in the middle of a
     * survey, with the screen's textures alive. */
    uint8_t *pix = xcalloc((size_t)DRAWING_PNG_W * DRAWING_PNG_H, 1);
    uint8_t palette[(KS_PEN_COUNT + 1) * 3];
    memset(palette, 0xFF, 3); /* index 0: the white paper */
    for (int p = 0; p < KS_PEN_COUNT; p++) {
        palette[(p + 1) * 3] = (uint8_t)(ks_pen_colours[p] >> 16);
        palette[(p + 1) * 3 + 1] = (uint8_t)(ks_pen_colours[p] >> 8);
        palette[(p + 1) * 3 + 2] = (uint8_t)ks_pen_colours[p];
    }
    for (int s = 0; s < d->n_strokes; s++) {
        const KsStroke *st = &d->strokes[s];
        for (int i = 0; i < st->n; i++) {
            const KsPoint *a = &d->points[st->first + (i > 0 ? i - 1 : 0)];
            const KsPoint *b = &d->points[st->first + i];
            paint_segment(pix, a->x * DRAWING_PNG_W, a->y * DRAWING_PNG_H, b->x * DRAWING_PNG_W,
                          b->y * DRAWING_PNG_H, (uint8_t)(st->pen + 1));
        }
    }
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    img.width = DRAWING_PNG_W;
    img.height = DRAWING_PNG_H;
    img.format = PNG_FORMAT_RGB_COLORMAP;
    img.colormap_entries = KS_PEN_COUNT + 1;
    png_alloc_size_t size = 0;
    KsStatus ks = KS_ERR_NOMEM;
    /* First call measures, second writes. */
    if (png_image_write_to_memory(&img, NULL, &size, 0, pix, DRAWING_PNG_W, palette) && size) {
        uint8_t *buf = xmalloc(size);
        if (png_image_write_to_memory(&img, buf, &size, 0, pix, DRAWING_PNG_W, palette)) {
            *png = buf;
            *n = size;
            ks = KS_OK;
        } else {
            free(buf);
        }
    }
    png_image_free(&img);
    free(pix);
    return ks;
}
