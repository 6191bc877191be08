/* store_create: a kiosk database that does not exist yet is made whole
 * beside its place ("<path>.new") and renamed into it. Its schema is
 * written without syncs, as nothing in it can be lost yet; then the file is
 * synced once, renamed and its folder synced. A power cut leaves either no
 * database (made again at the next start) or a complete one, and a new
 * kiosk's first start costs two syncs instead of the nine of a database
 * built in place (the switch to WAL through a rollback journal, the schema's
 * commit). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/log.h"
#include "../core/mem.h"
#include "store.h"
#include "store_private.h"

static bool exists(const char *path, const char *suffix)
{
    char p[PATH_MAX];
    struct stat st;
    snprintf(p, sizeof p, "%s%s", path, suffix);
    return stat(p, &st) == 0 || errno != ENOENT;
}

static void remove_with_suffix(const char *path, const char *suffix)
{
    char p[PATH_MAX];
    snprintf(p, sizeof p, "%s%s", path, suffix);
    (void)unlink(p);
}

/* fsync of a file or folder by name; false (logged) when it fails. */
static bool sync_path(const char *path, int flags)
{
    int fd = open(path, flags | O_CLOEXEC);
    bool ok = fd >= 0 && fsync(fd) == 0;
    if (!ok)
        LOG_ERROR("cannot sync %s: %s", path, strerror(errno));
    if (fd >= 0)
        close(fd);
    return ok;
}

static void folder_of(const char *path, char *out, size_t size)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(out, size, ".");
    else if (slash == path)
        snprintf(out, size, "/");
    else
        snprintf(out, size, "%.*s", (int)(slash - path), path);
}

/* The schema written into tmp, unsynced and with no journal (nothing of
 * it is worth keeping until it is whole), then switched to WAL; the
 * connection closed (which checkpoints the WAL into the file and removes
 * it). Exclusive: no other connection ever opens the ".new" file. */
static KsStatus build(const char *tmp)
{
    Store *s = xcalloc(1, sizeof *s);
    s->path = xstrdup(tmp);
    KsStatus ks = KS_OK;
    int rc =
        sqlite3_open_v2(tmp, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, STORE_FAULT_VFS);
    if (rc != SQLITE_OK)
        ks = store_log_fail(s, rc, "create database");
    /* Unsynced until the whole file is synced below. */
    static const char *const pragmas[] = {"PRAGMA synchronous=OFF", "PRAGMA locking_mode=EXCLUSIVE",
                                          "PRAGMA journal_mode=OFF", "PRAGMA foreign_keys=ON"};
    for (size_t i = 0; ks == KS_OK && i < sizeof pragmas / sizeof pragmas[0]; i++)
        ks = store_exec(s, pragmas[i], pragmas[i]);
    if (ks == KS_OK)
        ks = store_schema_create(s);
    if (ks == KS_OK)
        ks = store_exec(s, "PRAGMA journal_mode=WAL", "switch the new database to WAL");
    store_close(&s);
    return ks;
}

KsStatus store_create_if_new(const char *path)
{
    if (strlen(path) + 8 >= PATH_MAX)
        return KS_OK; /* too long for the name beside it: made in place */
    /* Anything of an earlier database (a WAL or journal without its file
     * included) is left to the usual opening. */
    if (exists(path, "") || exists(path, "-wal") || exists(path, "-journal"))
        return KS_OK;
    char tmp[PATH_MAX], dir[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s.new", path);
    static const char *const leftovers[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof leftovers / sizeof leftovers[0]; i++)
        remove_with_suffix(tmp, leftovers[i]); /* from a start cut short */
    KsStatus ks = build(tmp);
    folder_of(path, dir, sizeof dir);
    if (ks == KS_OK && !sync_path(tmp, O_RDONLY))
        ks = KS_ERR_IO;
    if (ks == KS_OK && rename(tmp, path) != 0) {
        LOG_ERROR("cannot rename %s to %s: %s", tmp, path, strerror(errno));
        ks = KS_ERR_IO;
    }
    if (ks == KS_OK && !sync_path(dir, O_RDONLY | O_DIRECTORY))
        ks = KS_ERR_IO;
    if (ks != KS_OK) {
        for (size_t i = 0; i < sizeof leftovers / sizeof leftovers[0]; i++)
            remove_with_suffix(tmp, leftovers[i]);
    }
    return ks;
}
