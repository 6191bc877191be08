/* drawing: the strokes of one drawing question (`image` with appearance
 * `draw`) while a respondent draws, and the PNG they become when the answer
 * is stored. Points are kept in 0..1 of the canvas, so the drawing does not
 * depend on the screen it was made on; the canvas is always DRAWING_ASPECT
 * wide for each unit of height. */
#ifndef KS_DRAWING_H
#define KS_DRAWING_H

#include <stddef.h>
#include <stdint.h>

#include "../core/ks_status.h"
#include "view.h"

#define DRAWING_MAX_POINTS 8192
#define DRAWING_MAX_STROKES 512
/* Size of the stored picture in pixels (4:3, as the canvas on screen). */
#define DRAWING_PNG_W 800
#define DRAWING_PNG_H 600

typedef struct Drawing Drawing;

Drawing *drawing_create(void);
void drawing_destroy(Drawing *d); /* accepts NULL */

/* Starts a stroke in pen colour `pen` (an index into ks_pen_colours) at x,y
 * (0..1; clamped). A full drawing ignores further strokes and points. */
void drawing_begin(Drawing *d, int pen, float x, float y);
/* Adds a point to the stroke begun last. Points closer than a fraction of a
 * millimetre to the previous one are skipped. */
void drawing_move(Drawing *d, float x, float y);
/* Removes the last stroke; false when there was none. */
bool drawing_undo(Drawing *d);
void drawing_clear(Drawing *d);
int drawing_stroke_count(const Drawing *d);
/* Counts changes, so a caller can tell whether the PNG must be made again. */
unsigned drawing_revision(const Drawing *d);

/* The strokes for the view; borrowed until the next change. */
KsDrawingView drawing_view(const Drawing *d);

/* Draws the strokes on white at DRAWING_PNG_W x DRAWING_PNG_H and encodes
 * the picture as PNG into *png (malloc'd; the caller frees it).
 * KS_ERR_INVALID for an empty drawing, KS_ERR_NOMEM when encoding fails. */
KsStatus drawing_to_png(const Drawing *d, uint8_t **png, size_t *n);

#endif
