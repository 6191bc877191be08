/* picdecode: a picture read in a process of its own. The kiosk never maps
 * SDL2_image, nor the JPEG, TIFF and WebP libraries and libstdc++ it
 * brings (about 1.7 MB and ten libraries), and a picture that makes a
 * decoder crash or hang (a form's pictures come from a USB stick) costs
 * that process, never the kiosk. Both sides of it live here: the kiosk
 * starts `EXE picture PATH W H` and reads the pixels it writes to its
 * standard output (picdecode_run); that command writes them
 * (picdecode_write). */
#ifndef KS_PICDECODE_H
#define KS_PICDECODE_H

#include <SDL.h>
#include <stdbool.h>

/* How long a picture may take to be read before its process is stopped
 * (the kiosk waits for it; once read, a picture is kept by piccache). */
#define PICDECODE_TIMEOUT_MS 5000

/* Runs `exe picture path w h` and returns the picture it wrote: at most
 * w x h, of 3 or 4 bytes a pixel (the caller owns it). NULL (logged) when
 * the process failed, crashed, took longer than timeout_ms (it is then
 * killed) or wrote something else; NULL with *started false (errno set,
 * nothing logged) when it could not be started at all. */
SDL_Surface *picdecode_run(const char *exe, const char *path, int w, int h, int timeout_ms,
                           bool *started);

/* Writes s to fd as picdecode_run reads it (a palette's pictures converted
 * to ARGB8888).
 * False on a failed write or conversion. */
bool picdecode_write(int fd, SDL_Surface *s);

#endif
