/* abspointer: where an absolute pointing device (a touch frame in mouse
 * mode, a virtual machine's tablet) really points on KMSDRM. SDL 2.26's
 * evdev layer passes such a device's raw axis values on as window pixels
 * (not scaled to the device's range: a FIXME in SDL_evdev.c) and then clamps
 * them to the window, so every tap lands near a corner. There SDL's mouse id
 * is the evdev file descriptor it reads; the device's current position and
 * its range are asked from that descriptor instead. Linux only; elsewhere
 * nothing is ever corrected. */
#ifndef KS_ABSPOINTER_H
#define KS_ABSPOINTER_H

#include <stdbool.h>

/* The window pixel (win_w x win_h) the absolute device behind descriptor fd
 * points at now. False, leaving x and y alone, when fd is not an input
 * device with absolute X and Y axes (a relative mouse, a closed fd). */
bool abspointer_position(int fd, int win_w, int win_h, int *x, int *y);

/* Value v of an axis running from lo to hi as a pixel of 0..size-1
 * (clamped). Pure, for tests. */
int abspointer_scale(int v, int lo, int hi, int size);

#endif
