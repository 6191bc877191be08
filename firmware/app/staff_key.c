/* staff_key: the signing key's public parts and the QR picture of its
 * public key line (see staff_key.h). */
#include "staff_key.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../export/bag.h"
#include "../../export/export.h"
#include "../../export/qr.h"
#include "../core/config.h"
#include "../core/log.h"
#include "../core/str.h"

KsStatus staff_key_load(const char *db_path, StaffKey *out, bool *created)
{
    memset(out, 0, sizeof *out);
    if (created)
        *created = false;
    if (!db_path || !db_path[0])
        return KS_ERR_INVALID;
    char path[CONFIG_PATH_MAX + 16];
    export_key_path(db_path, path, sizeof path);
    bool existed = access(path, F_OK) == 0;
    SignKey *key = NULL;
    KsStatus ks = sign_key_load_or_create(path, &key);
    if (ks != KS_OK) {
        LOG_ERROR("signing key %s: %s", path, ks_status_str(ks));
        return ks;
    }
    SignPublic pub;
    sign_key_public(key, &pub);
    sign_public_line(&pub, out->line, sizeof out->line);
    str_copy(out->id, sizeof out->id, sign_key_id(key));
    sign_key_public_file(key, out->pub_file, sizeof out->pub_file);
    sign_key_destroy(key);
    if (created)
        *created = !existed;
    return KS_OK;
}

/* Whether the file at path holds exactly the n bytes of data. */
static bool same_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    unsigned char *buf = malloc(n + 1);
    bool same = buf && fread(buf, 1, n + 1, f) == n && memcmp(buf, data, n) == 0;
    free(buf);
    fclose(f);
    return same;
}

/* Writes data to path through "<path>.tmp": written, synced, renamed. */
static KsStatus write_replace(const char *path, const void *data, size_t n)
{
    char tmp[CONFIG_PATH_MAX + 64];
    int len = snprintf(tmp, sizeof tmp, "%s.tmp", path);
    if (len < 0 || (size_t)len >= sizeof tmp)
        return KS_ERR_LIMIT;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return KS_ERR_IO;
    bool ok = write(fd, data, n) == (ssize_t)n && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        return KS_ERR_IO;
    }
    return KS_OK;
}

KsStatus staff_key_qr(const char *db_path, const StaffKey *k, char *path, size_t size)
{
    int len = snprintf(path, size, "%s%s", db_path, STAFF_KEY_QR_SUFFIX);
    if (len < 0 || (size_t)len >= size) {
        path[0] = '\0';
        return KS_ERR_LIMIT;
    }
    unsigned char modules[QR_MAX_SIDE * QR_MAX_SIDE];
    int side = qr_encode(k->line, modules, (int)sizeof modules);
    if (side <= 0)
        return KS_ERR_LIMIT;
    void *png = NULL;
    size_t n = 0;
    KsStatus ks = qr_png(modules, side, &png, &n);
    if (ks == KS_OK && !same_file(path, png, n)) {
        ks = write_replace(path, png, n);
        if (ks == KS_OK)
            LOG_INFO("the public key's QR code written to %s", path);
        else
            LOG_WARN("cannot write the public key's QR code to %s", path);
    }
    free(png);
    return ks;
}
