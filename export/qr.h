/* qr: the QR code of a short ASCII payload (libqrencode, ECC level M,
 * version 7 at most so phones and zbar read it from a screen) and its PNG
 * image (libpng). Draws nothing on screen and writes no files itself. */
#ifndef KS_QR_H
#define KS_QR_H

#include <stddef.h>

#include "../firmware/core/ks_status.h"

#define QR_MAX_VERSION 7
#define QR_MAX_SIDE (17 + 4 * QR_MAX_VERSION) /* 45 modules */
#define QR_QUIET 4                            /* modules of white border */
#define QR_PX_PER_MODULE 8

/* Encodes payload; fills modules (side*side bytes, row-major, 1 = dark) and
 * returns side, or 0 when the payload needs a version above 7, does not fit
 * max bytes, or libqrencode fails. */
int qr_encode(const char *payload, unsigned char *modules, int max);

/* An 8-bit grey PNG of a matrix: QR_PX_PER_MODULE pixels per module, a
 * QR_QUIET-module white border, black on white. *png is malloc'd (caller
 * frees). KS_ERR_INVALID for a bad matrix, KS_ERR_IO when libpng fails. */
KsStatus qr_png(const unsigned char *modules, int side, void **png, size_t *len);

#endif
