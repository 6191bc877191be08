/* office: the office's key files (see office.h). The secrets stay in the
 * keys/ folder; only their public halves are printed. */
#include "office.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../firmware/core/log.h"
#include "archive.h"

static void key_path(const char *dir, const char *name, char *out, size_t size)
{
    snprintf(out, size, "%s/%s/%s", dir, ARCHIVE_KEYS, name);
}

KsStatus office_init(const char *dir, OfficeInit *out)
{
    memset(out, 0, sizeof *out);
    char age_path[1200], key_file[1200];
    key_path(dir, OFFICE_AGE_FILE, age_path, sizeof age_path);
    key_path(dir, OFFICE_RECEIPT_KEY, key_file, sizeof key_file);
    if (access(age_path, F_OK) == 0 || access(key_file, F_OK) == 0)
        return KS_ERR_STATE;
    KsStatus ks = archive_create(dir);
    if (ks != KS_OK)
        return ks;
    if (sodium_init() < 0)
        return KS_ERR_STATE;
    char identity[AGE_IDENTITY_MAX];
    age_identity_generate(identity, out->recipient);
    ks = age_identity_write(age_path, identity, out->recipient);
    sodium_memzero(identity, sizeof identity);
    if (ks != KS_OK)
        return ks;
    SignKey *receipt = NULL;
    if ((ks = sign_key_create_minisign(key_file, &receipt)) != KS_OK)
        return ks;
    SignPublic pub;
    sign_key_public(receipt, &pub);
    sign_public_line(&pub, out->office_key, sizeof out->office_key);
    memcpy(out->office_key_id, pub.id, sizeof out->office_key_id);
    char pub_file[1200], text[512];
    key_path(dir, OFFICE_RECEIPT_PUB, pub_file, sizeof pub_file);
    sign_key_public_file(receipt, text, sizeof text);
    sign_key_destroy(receipt);
    FILE *f = fopen(pub_file, "w");
    if (!f || fputs(text, f) < 0 || fflush(f) != 0 || fsync(fileno(f)) != 0) {
        LOG_ERROR("cannot write %s", pub_file);
        if (f)
            fclose(f);
        return KS_ERR_IO;
    }
    fclose(f);
    return KS_OK;
}

KsStatus office_keys_load(const char *dir, OfficeKeys *out)
{
    memset(out, 0, sizeof *out);
    char path[1200];
    key_path(dir, OFFICE_AGE_FILE, path, sizeof path);
    if (access(path, R_OK) != 0)
        return KS_ERR_NOT_FOUND;
    KsStatus ks = age_identity_load(path, out->age_secret);
    if (ks != KS_OK)
        return ks;
    key_path(dir, OFFICE_RECEIPT_KEY, path, sizeof path);
    if (access(path, R_OK) != 0) {
        office_keys_clear(out);
        return KS_ERR_NOT_FOUND;
    }
    ks = sign_key_load_minisign(path, &out->receipt);
    if (ks != KS_OK)
        office_keys_clear(out);
    return ks;
}

void office_keys_clear(OfficeKeys *k)
{
    sodium_memzero(k->age_secret, sizeof k->age_secret);
    sign_key_destroy(k->receipt);
    k->receipt = NULL;
}
