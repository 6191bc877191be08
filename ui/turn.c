/* turn: a frame's pixels turned by a quarter, half or three quarters, for a
 * panel mounted on its side when the software renderer draws (see
 * sdl_platform.c's present_turned). */
#include "turn.h"

#include <stddef.h>

void turn_pixels(const Uint32 *src, int w, int h, int rotation, Uint32 *dst, int dst_pitch)
{
    enum { TILE = 32 };
    int dw = rotation == 180 ? w : h;
    int dh = rotation == 180 ? h : w;
    int dp = dst_pitch / (int)sizeof *dst;
    for (int ty = 0; ty < h; ty += TILE) {
        int ye = ty + TILE < h ? ty + TILE : h;
        for (int tx = 0; tx < w; tx += TILE) {
            int xe = tx + TILE < w ? tx + TILE : w;
            for (int y = ty; y < ye; y++) {
                const Uint32 *row = src + (size_t)y * (size_t)w;
                for (int x = tx; x < xe; x++) {
                    int ox, oy;
                    if (rotation == 90) {
                        ox = dw - 1 - y;
                        oy = x;
                    } else if (rotation == 270) {
                        ox = y;
                        oy = dh - 1 - x;
                    } else {
                        ox = dw - 1 - x;
                        oy = dh - 1 - y;
                    }
                    dst[(size_t)oy * (size_t)dp + (size_t)ox] = row[x];
                }
            }
        }
    }
}
