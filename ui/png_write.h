/* png_write: screenshots as PNG files. */
#ifndef KS_PNG_WRITE_H
#define KS_PNG_WRITE_H

#include <stddef.h>
#include <stdbool.h>

/* Writes px (w x h, 3 bytes a pixel, rows packed) to path as an RGB PNG.
 * False with why in err when the file cannot be written. */
bool png_write_rgb(const char *path, const unsigned char *px, int w, int h, char *err, size_t size);

#endif
