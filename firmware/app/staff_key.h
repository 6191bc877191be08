/* staff_key: the kiosk's signing key as technicians and staff see it — its
 * id, its minisign public key (the base64 line and the whole .pub text) and
 * a QR code of the line as a picture beside the database, so the kiosk can
 * be enrolled at the evaluation office from the staff overview or from
 * `km2kiosk key`, never from a data stick. The key itself is export/'s
 * (sign.h); this module only loads it, creating it when there is none. */
#ifndef KS_STAFF_KEY_H
#define KS_STAFF_KEY_H

#include <stddef.h>
#include <stdbool.h>

#include "../../export/sign.h"
#include "../core/ks_status.h"

#define STAFF_KEY_QR_SUFFIX ".pub-qr.png" /* the picture: "<db>.pub-qr.png" */

typedef struct {
    char id[17];                 /* 16 upper-case hex digits (minisign's key number) */
    char line[SIGN_PUBLIC_LINE]; /* the public key line, "RW…" */
    char pub_file[256];          /* the .pub text: comment line and the key line */
} StaffKey;

/* Loads the signing key beside db_path (export_key_path), creating it when
 * there is none (sign_key_load_or_create), and fills *out with its public
 * parts; the secret is wiped again at once. *created (may be NULL) says
 * whether it was made now. KS_ERR_IO when it can be neither read nor
 * written, KS_ERR_CORRUPT (or another status of the key file's reader)
 * for a damaged key file, which is never replaced. */
KsStatus staff_key_load(const char *db_path, StaffKey *out, bool *created);

/* Writes the QR code of k->line as "<db_path>.pub-qr.png" (8 px a module,
 * a 4-module quiet zone) unless that file holds exactly this picture
 * already; written to a temporary name, synced, then renamed. path gets the
 * picture's name. KS_ERR_IO when it cannot be written, KS_ERR_LIMIT for a
 * path too long. */
KsStatus staff_key_qr(const char *db_path, const StaffKey *k, char *path, size_t size);

#endif
