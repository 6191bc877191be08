/* office: the evaluation office's own keys in the archive's keys/ folder —
 * the team's age identity (team.age, age-keygen's format: `age -d -i`
 * reads it too) and the Ed25519 receipt key (receipt.key in minisign's
 * secret key format, receipt.pub its public half). Both mode 0600, made
 * once by `km2eval init`. */
#ifndef KM2EVAL_OFFICE_H
#define KM2EVAL_OFFICE_H

#include "../export/age.h"
#include "../export/bag.h"
#include "../export/sign.h"

#define OFFICE_AGE_FILE "team.age"
#define OFFICE_RECEIPT_KEY "receipt.key"
#define OFFICE_RECEIPT_PUB "receipt.pub"

typedef struct {
    char recipient[AGE_RECIPIENT_MAX]; /* age_recipient for kiosk.conf */
    char office_key[SIGN_PUBLIC_LINE]; /* eval_pubkey for kiosk.conf */
    char office_key_id[17];
} OfficeInit;

/* Makes the archive in dir (archive_create) and both key pairs. KS_ERR_STATE
 * when dir already holds an archive or keys (nothing is overwritten). */
KsStatus office_init(const char *dir, OfficeInit *out);

/* The keys of an archive, loaded for receiving. */
typedef struct {
    unsigned char age_secret[AGE_KEY_BYTES];
    SignKey *receipt; /* owned; office_keys_clear frees it */
} OfficeKeys;

/* Loads both keys from dir/keys. KS_ERR_NOT_FOUND when a file is missing. */
KsStatus office_keys_load(const char *dir, OfficeKeys *out);
void office_keys_clear(OfficeKeys *k); /* wipes the age secret, frees the receipt key */

#endif
