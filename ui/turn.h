/* turn: a frame's pixels turned by hand. */
#ifndef KS_TURN_H
#define KS_TURN_H

#include <SDL.h>

/* Turns the upright w x h frame src (rows packed) clockwise by rotation (90,
 * 180 or 270) into dst, whose rows are dst_pitch bytes apart (h x w for 90
 * and 270), in tiles so both sides stay in the cache. */
void turn_pixels(const Uint32 *src, int w, int h, int rotation, Uint32 *dst, int dst_pitch);

#endif
