/* picload: pictures read from files into surfaces, on any thread (no
 * renderer involved). SDL2_image, which brings the JPEG, TIFF and WebP
 * libraries and libstdc++ with it, is loaded by the first picture read
 * rather than linked: the start does not wait for its loading, and the
 * welcome picture is read ahead on a thread of its own while the display
 * and the database open. A picture read once is kept by piccache, so later
 * starts need SDL2_image only for pictures they have not shown before. */
#ifndef KS_PICLOAD_H
#define KS_PICLOAD_H

#include <SDL.h>
#include <stdbool.h>

/* The picture at path as large as fits in w x h, its aspect kept: an SVG
 * rasterised at that size, any other picture read and shrunk to it (never
 * enlarged), or what piccache kept of one of those. NULL (logged) when
 * the file cannot be read or SDL2_image cannot be loaded. */
SDL_Surface *picload_read(const char *path, int w, int h);

/* Starts picload_read(path, w, h) on a thread of its own. One at a time:
 * ignored while one is under way or waiting to be taken. */
void picload_ahead(const char *path, int w, int h);

/* The picture read ahead for (path, w, h), waiting for its thread when it
 * is not done yet; NULL with *taken false when none was read for that. The
 * caller owns the surface (NULL with *taken true: it could not be read). */
SDL_Surface *picload_take(const char *path, int w, int h, bool *taken);

/* Drops a picture read ahead and not taken (waiting for its thread). */
void picload_forget(void);

/* Drops a picture read ahead and not taken (waits for its thread), and
 * unloads what SDL2_image set up. */
void picload_quit(void);

#endif
