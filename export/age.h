/* age: encrypts a file to one X25519 recipient in the age v1 format
 * (age-encryption.org/v1), so that the standard `age -d -i IDENTITY`
 * decrypts it. Built on libsodium (X25519, HKDF-SHA-256 from HMAC,
 * ChaCha20-Poly1305, the 64 KiB STREAM). Encrypt only: the kiosk holds no
 * identity and can never read the result back. */
#ifndef KS_AGE_H
#define KS_AGE_H

#include "../firmware/core/ks_status.h"

#define AGE_KEY_BYTES 32

/* Decodes an "age1…" recipient (bech32, HRP "age", lower or upper case)
 * into the X25519 public key. KS_ERR_INVALID for anything else. */
KsStatus age_parse_recipient(const char *text, unsigned char key[AGE_KEY_BYTES]);

/* Encrypts in_path to out_path (created or truncated, fsync'ed). On any
 * failure out_path is removed. KS_ERR_IO on a failed read or write,
 * KS_ERR_INVALID for a low-order recipient key. */
KsStatus age_encrypt_file(const unsigned char recipient[AGE_KEY_BYTES], const char *in_path,
                          const char *out_path);

#endif
