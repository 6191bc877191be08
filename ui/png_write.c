/* png_write: the kiosk's screenshots as PNG files (libpng), written for
 * speed rather than size: the scripted tests and the benchmark take
 * thousands of them. */
#include "png_write.h"

#include <errno.h>
#include <png.h>
#include <stdio.h>
#include <string.h>

/* pixels (RGB, w x h) as a PNG: no filter and zlib's fastest level, a
 * larger file saved in a fraction of the time of the defaults. */
bool png_write_rgb(const char *path, const unsigned char *px, int w, int h, char *err, size_t size)
{
    FILE *f = fopen(path, "wb");
    png_structp png = f ? png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL) : NULL;
    png_infop info = png ? png_create_info_struct(png) : NULL;
    bool ok = info != NULL;
    if (ok && setjmp(png_jmpbuf(png)) == 0) {
        png_init_io(png, f);
        png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB,
                     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
        png_set_compression_level(png, 1);
        png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
        png_write_info(png, info);
        for (int y = 0; y < h; y++)
            png_write_row(png, px + (size_t)y * (size_t)w * 3);
        png_write_end(png, info);
    } else {
        ok = false;
    }
    if (png)
        png_destroy_write_struct(&png, info ? &info : NULL);
    if (f && fclose(f) != 0)
        ok = false;
    if (!ok)
        snprintf(err, size, "%s", f ? "cannot write the PNG" : strerror(errno));
    return ok;
}
