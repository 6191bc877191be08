/* picload: pictures read from files into surfaces, on any thread (no
 * renderer involved). A picture read once is kept by piccache; one not
 * kept yet is read by the `picture` command in a process of its own when a
 * decoder is set (the kiosk: picdecode), else here, with SDL2_image (which
 * brings the JPEG, TIFF and WebP libraries and libstdc++ with it) loaded
 * by the first picture read rather than linked. The welcome picture is
 * read ahead on a thread of its own while the display and the database
 * open. */
#ifndef KS_PICLOAD_H
#define KS_PICLOAD_H

#include <SDL.h>
#include <stdbool.h>

/* The picture at path as large as fits in w x h, its aspect kept: an SVG
 * rasterised at that size, any other picture read and shrunk to it (never
 * enlarged), or what piccache kept of one of those. NULL (logged) when
 * the file cannot be read or SDL2_image cannot be loaded. */
SDL_Surface *picload_read(const char *path, int w, int h);

/* Pictures not kept by piccache are read from now on by `exe picture PATH
 * W H` (picload_command) in a process of its own; NULL or "" reads them in
 * this process. Set before any picture is read. */
void picload_use_decoder(const char *exe);

/* The `picture FILE WIDTH HEIGHT` command: the picture fitted into WIDTH x
 * HEIGHT (as picload_read makes it, without the cache), written to
 * standard output for picdecode_run. Returns the exit status: 0, 1 when
 * the picture cannot be read, 2 for a bad command line. */
int picload_command(int argc, char **argv);

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
