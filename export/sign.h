/* sign: the kiosk's Ed25519 signing key and minisign-compatible signatures
 * (libsodium). Owns the key file format and the .minisig text; knows nothing
 * about bags. The SignKey API proper (load/create, id, public file) is
 * declared in bag.h; this header adds signing and verifying.
 *
 * Key file (mode 0600, text, written once, fsync'ed):
 *   KM2KIOSK-ED25519-SECRET-KEY-1
 *   <16 upper-case hex digits: the key id as minisign prints it>
 *   <base64 (RFC 4648, padded) of key number (8 bytes) || Ed25519 secret key (64 bytes)>
 * Signatures use minisign's prehashed variant ("ED": Ed25519 over the
 * BLAKE2b-512 of the message), the default of minisign 0.11. */
#ifndef KS_SIGN_H
#define KS_SIGN_H

#include <stddef.h>

#include "../firmware/core/ks_status.h"
#include "bag.h"

/* Signs msg and returns the whole .minisig text (untrusted comment, the
 * signature, the trusted comment and its global signature) in *out,
 * malloc'd, caller frees. trusted_comment is one line without a newline
 * (control characters are replaced by spaces). */
KsStatus sign_minisig_create(const SignKey *k, const unsigned char *msg, size_t len,
                             const char *trusted_comment, char **out);

/* Checks a .minisig text against msg with the public half of k: the key id,
 * the signature ("ED" prehashed or legacy "Ed") and the global signature
 * over the trusted comment. KS_ERR_PARSE for a malformed text,
 * KS_ERR_CORRUPT for a wrong key id or a bad signature. */
KsStatus sign_minisig_verify(const SignKey *k, const unsigned char *msg, size_t len,
                             const char *sig_text);

#endif
