/* age: the age v1 file format (age-encryption.org/v1) with X25519
 * recipients, both directions: the kiosk encrypts to the evaluation team's
 * recipient (it holds no identity and can never read the result back); the
 * office's km2eval makes the team's identity and decrypts. The standard
 * `age` tool reads and writes the same files. Built on libsodium (X25519,
 * HKDF-SHA-256 from HMAC, ChaCha20-Poly1305, the 64 KiB STREAM). */
#ifndef KS_AGE_H
#define KS_AGE_H

#include "../firmware/core/ks_status.h"

#define AGE_KEY_BYTES 32

/* Decodes an "age1…" recipient (bech32, HRP "age", lower or upper case)
 * into the X25519 public key. KS_ERR_INVALID for anything else. */
KsStatus age_parse_recipient(const char *text, unsigned char key[AGE_KEY_BYTES]);

/* Text sizes, terminating NUL included: "age1" + 58 bech32 characters, and
 * "AGE-SECRET-KEY-1" + 58. */
#define AGE_RECIPIENT_MAX 64
#define AGE_IDENTITY_MAX 80

/* A new X25519 identity from libsodium's generator: the secret as
 * age-keygen writes it (upper case "AGE-SECRET-KEY-1…") and its recipient
 * ("age1…", lower case). Both are "" only if libsodium cannot start. */
void age_identity_generate(char identity[AGE_IDENTITY_MAX], char recipient[AGE_RECIPIENT_MAX]);

/* Writes an identity file as age-keygen does ("# created: <UTC ISO time>",
 * "# public key: age1…", the identity line), mode 0600, fsync'ed, never
 * replacing a file (written beside it as path + ".tmp", then linked).
 * KS_ERR_STATE when path exists, KS_ERR_INVALID when identity is malformed
 * or recipient is not its recipient, KS_ERR_IO when it cannot be written. */
KsStatus age_identity_write(const char *path, const char *identity, const char *recipient);

/* Reads the first identity of an age identity file (comment and blank lines
 * skipped, CRLF accepted) into the X25519 secret. The first other line
 * decides: KS_ERR_PARSE when it is not a valid upper-case
 * "AGE-SECRET-KEY-1…" (age's own rule), or when there is none or the file
 * is over 64 KiB. KS_ERR_NOT_FOUND for a missing file, KS_ERR_IO for one
 * that cannot be read (a symlink is not followed). */
KsStatus age_identity_load(const char *path, unsigned char secret[AGE_KEY_BYTES]);

/* The recipient ("age1…") of a secret. */
void age_recipient_of(const unsigned char secret[AGE_KEY_BYTES], char recipient[AGE_RECIPIENT_MAX]);

/* Decrypts in_path (age v1, one or more X25519 stanzas; stanzas of other
 * types are ignored) to out_path. out_path is opened only once the header
 * checked out (created or truncated, mode 0600, a symlink not followed,
 * fsync'ed) and removed again on any later failure, so it never holds a
 * partial or unauthenticated plaintext. Streams in 64 KiB chunks: memory
 * does not grow with the file.
 *   KS_ERR_PARSE     not an age file, or a malformed header (also: more
 *                    than 64 stanzas, a header over 64 KiB, a line over
 *                    1 KiB, a low-order X25519 share, scrypt not alone)
 *   KS_ERR_NOT_FOUND no stanza for this identity
 *   KS_ERR_CORRUPT   the header MAC, a chunk's authentication, a truncated
 *                    file (no final chunk), data after the final chunk, an
 *                    empty final chunk after others
 *   KS_ERR_IO        in_path cannot be opened, a failed read or write */
KsStatus age_decrypt_file(const unsigned char secret[AGE_KEY_BYTES], const char *in_path,
                          const char *out_path);

/* Encrypts in_path to out_path (created or truncated, fsync'ed). On any
 * failure out_path is removed. KS_ERR_IO on a failed read or write,
 * KS_ERR_INVALID for a low-order recipient key. */
KsStatus age_encrypt_file(const unsigned char recipient[AGE_KEY_BYTES], const char *in_path,
                          const char *out_path);

#endif
