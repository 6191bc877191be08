/* qr: libqrencode and libpng behind two calls. The payload is expected to
 * be upper-case ASCII already (bag.c builds it), so libqrencode picks its
 * alphanumeric mode and the code stays small. */
#include "qr.h"

#include <png.h>
#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

#include "../firmware/core/log.h"
#include "../firmware/core/mem.h"

int qr_encode(const char *payload, unsigned char *modules, int max)
{
    /* Case-sensitive, so libqrencode never folds case; upper-case text then
     * goes in alphanumeric mode by its own mode analysis. */
    QRcode *qr = QRcode_encodeString(payload, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    int side = 0;
    if (!qr) {
        LOG_WARN("qr: cannot encode a %zu-character payload", strlen(payload));
        return 0;
    }
    if (qr->version > QR_MAX_VERSION) {
        LOG_WARN("qr: payload needs version %d (at most %d allowed)", qr->version, QR_MAX_VERSION);
        goto cleanup;
    }
    if (qr->width * qr->width > max) {
        LOG_WARN("qr: %d x %d modules do not fit %d bytes", qr->width, qr->width, max);
        goto cleanup;
    }
    side = qr->width;
    for (int i = 0; i < side * side; i++)
        modules[i] = qr->data[i] & 1;
cleanup:
    QRcode_free(qr);
    return side;
}

KsStatus qr_png(const unsigned char *modules, int side, void **png, size_t *len)
{
    png_image img;
    int full = (side + 2 * QR_QUIET) * QR_PX_PER_MODULE;
    unsigned char *px = NULL;
    png_alloc_size_t size = 0;
    KsStatus ks = KS_ERR_IO;
    *png = NULL;
    *len = 0;
    if (side <= 0 || side > QR_MAX_SIDE)
        return KS_ERR_INVALID;
    px = xmalloc((size_t)full * (size_t)full);
    memset(px, 255, (size_t)full * (size_t)full);
    for (int y = 0; y < side; y++)
        for (int x = 0; x < side; x++) {
            if (!modules[y * side + x])
                continue;
            for (int dy = 0; dy < QR_PX_PER_MODULE; dy++) {
                int row = (y + QR_QUIET) * QR_PX_PER_MODULE + dy;
                memset(px + (size_t)row * (size_t)full + (size_t)(x + QR_QUIET) * QR_PX_PER_MODULE,
                       0, QR_PX_PER_MODULE);
            }
        }
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    img.width = (png_uint_32)full;
    img.height = (png_uint_32)full;
    img.format = PNG_FORMAT_GRAY;
    /* First call sizes the buffer, second writes it. */
    if (!png_image_write_to_memory(&img, NULL, &size, 0, px, full, NULL))
        goto cleanup;
    *png = xmalloc(size);
    if (!png_image_write_to_memory(&img, *png, &size, 0, px, full, NULL)) {
        free(*png);
        *png = NULL;
        goto cleanup;
    }
    *len = size;
    ks = KS_OK;
cleanup:
    if (ks != KS_OK)
        LOG_ERROR("qr: libpng: %s", img.message);
    png_image_free(&img);
    free(px);
    return ks;
}
