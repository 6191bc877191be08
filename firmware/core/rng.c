/* rng: getrandom(2) with retry on EINTR and short reads. */
#include "rng.h"

#include <errno.h>
#include <sys/random.h>

#include "log.h"

KsStatus rng_bytes(void *buf, size_t n)
{
    unsigned char *p = buf;
    while (n > 0) {
        ssize_t got = getrandom(p, n, 0);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            LOG_ERROR("getrandom failed: errno %d", errno);
            return KS_ERR_IO;
        }
        p += got;
        n -= (size_t)got;
    }
    return KS_OK;
}

KsStatus rng_hex(char *out, size_t nbytes)
{
    static const char digits[] = "0123456789abcdef";
    unsigned char raw[64];
    if (nbytes > sizeof raw)
        return KS_ERR_INVALID;
    KsStatus ks = rng_bytes(raw, nbytes);
    if (ks != KS_OK)
        return ks;
    for (size_t i = 0; i < nbytes; i++) {
        out[2 * i] = digits[raw[i] >> 4];
        out[2 * i + 1] = digits[raw[i] & 15];
    }
    out[2 * nbytes] = '\0';
    return KS_OK;
}
