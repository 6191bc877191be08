/* sign: Ed25519 keys and minisign-compatible signatures (libsodium): the
 * kiosk's signing key, the evaluation office's receipt key (in minisign's
 * own secret key format), minisign public keys and the .minisig text. Knows
 * nothing about bags. The SignKey API proper (load/create, id, public file)
 * is declared in bag.h; this header adds signing and verifying.
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

/* A minisign public key: what a receiver trusts. Plain data. */
#define SIGN_PUBLIC_LINE 57  /* 56 base64 characters ("RW…") and a NUL */
struct SignPublic {          /* typedef'd in bag.h */
    unsigned char keynum[8]; /* minisign's key number */
    unsigned char pk[32];    /* the Ed25519 public key */
    char id[17];             /* the key number as minisign prints it: 16 upper-case hex */
};

/* Parses a minisign public key: a whole .pub file ("untrusted comment: …"
 * line, then the base64 line) or the base64 line alone ("RW…", as kiosk.conf
 * eval_pubkey and `minisign -P` take it). Surrounding blanks are ignored.
 * KS_ERR_PARSE for anything else (wrong length, not base64, not "Ed", more
 * than one line after the comment); *out is zeroed then. */
KsStatus sign_public_parse(const char *text, SignPublic *out);

/* The public half of a secret key. */
void sign_key_public(const SignKey *k, SignPublic *out);

/* The base64 line of a public key into buf (at least SIGN_PUBLIC_LINE bytes;
 * a smaller buf gets a cut, terminated line). */
void sign_public_line(const SignPublic *p, char *buf, size_t size);

/* Checks a .minisig text against msg with a public key: the key id, the
 * signature ("ED" prehashed or legacy "Ed") and the global signature over
 * the trusted comment. KS_ERR_PARSE for a malformed text, KS_ERR_CORRUPT
 * for another key's id or a bad signature. */
KsStatus sign_minisig_verify_public(const SignPublic *p, const unsigned char *msg, size_t len,
                                    const char *sig_text);

/* The evaluation office's receipt key in minisign's own secret key file
 * format, unencrypted (what `minisign -G -W` writes), so `minisign -S -s
 * FILE` can sign with it too. Create: a new key, the file written mode 0600
 * (under FILE.tmp, then linked: never replaces a file) and fsync'ed, with
 * the BLAKE2b checksum filled in; KS_ERR_STATE when the file exists,
 * KS_ERR_IO when it cannot be written. Load: KS_ERR_PARSE for a file that is
 * not an unencrypted minisign secret key (an encrypted one is
 * KS_ERR_UNSUPPORTED), KS_ERR_CORRUPT when its checksum does not match or
 * the public half in it does not derive from the secret. An all-zero
 * checksum is accepted: minisign -W writes its unencrypted keys so.
 * KS_ERR_NOT_FOUND / KS_ERR_IO when the file cannot be read (a symlink is
 * not followed; a mode wider than 0600 is only logged). The key is the
 * caller's (sign_key_destroy). */
KsStatus sign_key_create_minisign(const char *path, SignKey **out);
KsStatus sign_key_load_minisign(const char *path, SignKey **out);

/* sign_minisig_verify_public with the public half of k. */
KsStatus sign_minisig_verify(const SignKey *k, const unsigned char *msg, size_t len,
                             const char *sig_text);

#endif
