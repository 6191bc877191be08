/* rng: cryptographically secure random bytes from the kernel (getrandom).
 * Used for identifiers that must not be guessable or derived from time. */
#ifndef KS_RNG_H
#define KS_RNG_H

#include <stddef.h>

#include "ks_status.h"

/* Fills buf with n random bytes; KS_ERR_IO only if the kernel refuses. */
KsStatus rng_bytes(void *buf, size_t n);
/* Writes 2*nbytes lower-case hex digits plus a terminator into out
 * (out must hold 2*nbytes+1). */
KsStatus rng_hex(char *out, size_t nbytes);

#endif
