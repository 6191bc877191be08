/* bag: turns a folder with data/ into a signed BagIt bag (RFC 8493):
 * bagit.txt, bag-info.txt, manifest-sha256.txt, tagmanifest-sha256.txt and
 * tagmanifest-sha256.txt.minisig (Ed25519, minisign's format, so
 * `minisign -V` verifies it). Optionally encrypts each data file to the
 * evaluation team's age recipient first (`age -d` decrypts it). Also the
 * QR receipt of a batch. Everything through libsodium and libqrencode. */
#ifndef KS_BAG_H
#define KS_BAG_H

#include <stdbool.h>
#include <stddef.h>

#include "../firmware/core/ks_status.h"

/* The kiosk's signing key: created on first use beside the database
 * (mode 0600), loaded afterwards. */
typedef struct SignKey SignKey;
KsStatus sign_key_load_or_create(const char *path, SignKey **out);
void sign_key_destroy(SignKey *k); /* accepts NULL; wipes the secret */
/* The key id as 16 upper-case hex digits (minisign's key number). */
const char *sign_key_id(const SignKey *k);
/* The public key file in minisign's format ("untrusted comment: …\n<base64>\n"). */
void sign_key_public_file(const SignKey *k, char *buf, size_t size);

typedef struct {
    const char *batch_id;
    const char *kiosk_id;
    const char *site_code;      /* "" or NULL: no KM2-Site-Code field */
    const char *forms;          /* as in ExportDataResult */
    int rows;
    const char *period_from, *period_to;
    const char *prev_batch_id;  /* "" for the first batch of this kiosk */
    const char *prev_tag_sha256;
    const char *age_recipient;  /* "age1…" to encrypt data files to, or NULL */
} BagInfo;

/* Finishes the bag in dir (which holds data/): encrypts when asked, writes
 * the manifests and bag-info, signs the tag manifest. tag_sha256 gets the
 * hex SHA-256 of tagmanifest-sha256.txt. KS_ERR_IO on a failed write,
 * KS_ERR_INVALID for a malformed recipient. */
KsStatus bag_finish(const char *dir, const BagInfo *info, const SignKey *key,
                    char tag_sha256[65]);

/* Checks a bag as a receiver would: every manifest line's hash, and the
 * signature over the tag manifest with the given key. KS_ERR_CORRUPT when
 * anything differs. Used on the kiosk before and after copying to the
 * stick. */
KsStatus bag_verify(const char *dir, const SignKey *key);

/* The QR receipt: "KM2B1/<BATCH>/R<ROWS>/T<BASE32 SHA-256>/K<KEYID>" behind
 * an optional upper-case URL prefix, ASCII upper case. */
void bag_qr_payload(char *buf, size_t size, const char *prefix, const char *batch_id, int rows,
                    const char tag_sha256_hex[65], const char *key_id);
/* The QR matrix of a payload (for the screen): side modules, 1 = dark,
 * row-major into modules (side*side bytes, at most max). 0 when it does not
 * fit a version 7 code. */
int bag_qr_matrix(const char *payload, unsigned char *modules, int max);
/* Writes batch-qr.png (>= 6 px per module, 4-module quiet zone) and
 * batch-qr.txt (the payload) into dir. */
KsStatus bag_qr_write(const char *dir, const char *payload);

#endif
