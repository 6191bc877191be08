/* safe_copy: temp folder → fsync every file and folder → rename → fsync the
 * parent → read back and compare. Every mutating system call goes through
 * the sc_* wrappers below so that a test can fail each of them in turn. */
#include "safe_copy.h"

#include <stdint.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "../core/log.h"
#include "../core/str.h"
#include "usb.h"

#define SC_PATH_MAX 1024
#define SC_CHUNK (64 * 1024)
#define SC_FAT_MAX_FILE 0xFFFFFFFFull
#define SC_SLACK 32768u /* a large FAT cluster: what each file may cost beyond its size */

/* ---- fault injection ---------------------------------------------------- */

static int g_fault_arm_n;
static int g_fault_errno = EIO;
static int g_fault_count;
static int g_fault_delay_ms;

void safe_copy_fault_delay_ms(int ms)
{
    g_fault_delay_ms = ms > 0 ? ms : 0;
}

void safe_copy_fault_fail_nth(int n, int err)
{
    g_fault_arm_n = n > 0 ? n : 0;
    g_fault_errno = err ? err : EIO;
    g_fault_count = 0;
}

int safe_copy_fault_count(void)
{
    return g_fault_count;
}

static bool sc_fault(const char *what, const char *path)
{
    g_fault_count++;
    if (g_fault_arm_n > 0 && g_fault_count == g_fault_arm_n) {
        LOG_WARN("injected %s failure (#%d) on %s", what, g_fault_count, path);
        errno = g_fault_errno;
        return true;
    }
    return false;
}

/* The slow stick of safe_copy_fault_delay_ms: a wait per file opened on it. */
static void sc_slow(void)
{
    if (g_fault_delay_ms <= 0)
        return;
    struct timespec ts = {g_fault_delay_ms / 1000, (long)(g_fault_delay_ms % 1000) * 1000000};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static int sc_open(const char *path, int flags, mode_t mode)
{
    sc_slow();
    return sc_fault("open", path) ? -1 : open(path, flags, mode);
}

static ssize_t sc_write(int fd, const void *buf, size_t n, const char *path)
{
    return sc_fault("write", path) ? -1 : write(fd, buf, n);
}

static int sc_fsync(int fd, const char *path)
{
    return sc_fault("fsync", path) ? -1 : fsync(fd);
}

static int sc_mkdir(const char *path, mode_t mode)
{
    return sc_fault("mkdir", path) ? -1 : mkdir(path, mode);
}

static int sc_rename(const char *from, const char *to)
{
    return sc_fault("rename", to) ? -1 : rename(from, to);
}

static int sc_unlink(const char *path)
{
    return sc_fault("unlink", path) ? -1 : unlink(path);
}

static int sc_rmdir(const char *path)
{
    return sc_fault("rmdir", path) ? -1 : rmdir(path);
}

/* ---- statuses ----------------------------------------------------------- */

static KsStatus sc_status(int err)
{
    switch (err) {
    case ENOSPC:
    case EDQUOT:
    case EFBIG:
        return KS_ERR_FULL;
    case EROFS:
    case EACCES:
    case EPERM:
        return KS_ERR_STATE;
    default:
        return KS_ERR_IO; /* ENOENT, EIO, ENODEV, ENXIO…: the stick went away or broke */
    }
}

static KsStatus sc_fail(const char *what, const char *path)
{
    int err = errno;
    LOG_ERROR("%s %s: %s", what, path, strerror(err));
    return sc_status(err);
}

/* What one call has done so far, for its tick: files and bytes of the pass
 * under way (writing, then reading back). */
typedef struct {
    SafeCopyTick *tick; /* NULL: nobody asks */
    void *ctx;
    int reading_back;
    int files;
    uint64_t bytes;
} ScWatch;

/* Tells the watcher; false when it asks the copy to stop. */
static bool sc_tell(ScWatch *w, uint64_t bytes, int files)
{
    if (!w)
        return true;
    w->bytes += bytes;
    w->files += files;
    return !w->tick || w->tick(w->ctx, w->reading_back, w->files, w->bytes);
}

/* A watcher that asked to stop: the copy ends as a stick gone mid-way. */
static KsStatus sc_stopped(const char *path)
{
    LOG_WARN("copy to %s stopped on request", path);
    return KS_ERR_IO;
}

static bool sc_join(char *out, const char *dir, const char *name)
{
    int n = snprintf(out, SC_PATH_MAX, "%s/%s", dir, name);
    return n > 0 && n < SC_PATH_MAX;
}

/* Calls fn(ctx, child, name) for each entry of the folder dir but . and ..
 * (child: dir/name) until one fails; KS_ERR_LIMIT for a path too long. */
static KsStatus sc_each_child(const char *dir,
                              KsStatus (*fn)(void *ctx, const char *child, const char *name),
                              void *ctx)
{
    DIR *d = opendir(dir);
    if (!d)
        return sc_fail("opendir", dir);
    KsStatus ks = KS_OK;
    struct dirent *e;
    char child[SC_PATH_MAX];
    while (ks == KS_OK && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        ks = sc_join(child, dir, e->d_name) ? fn(ctx, child, e->d_name) : KS_ERR_LIMIT;
    }
    closedir(d);
    return ks;
}

/* ---- removing ----------------------------------------------------------- */

static KsStatus sc_remove_child(void *ctx, const char *child, const char *name);

static KsStatus sc_remove_tree(const char *path)
{
    struct stat sb;
    if (lstat(path, &sb) != 0)
        return errno == ENOENT ? KS_OK : sc_fail("lstat", path);
    if (!S_ISDIR(sb.st_mode))
        return sc_unlink(path) == 0 ? KS_OK : sc_fail("unlink", path);
    KsStatus ks = sc_each_child(path, sc_remove_child, NULL);
    if (ks == KS_OK && sc_rmdir(path) != 0)
        ks = sc_fail("rmdir", path);
    return ks;
}

static KsStatus sc_remove_child(void *ctx, const char *child, const char *name)
{
    (void)ctx;
    (void)name;
    return sc_remove_tree(child);
}

static KsStatus sc_fsync_dir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return sc_fail("open", path);
    KsStatus ks = sc_fsync(fd, path) == 0 ? KS_OK : sc_fail("fsync", path);
    close(fd);
    return ks;
}

KsStatus safe_copy_discard(const char *dest_root, const char *name)
{
    char path[SC_PATH_MAX], tmp[SC_PATH_MAX], pname[SC_PATH_MAX];
    snprintf(pname, sizeof pname, "%s%s", SAFE_COPY_PARTIAL, name);
    if (!sc_join(path, dest_root, name) || !sc_join(tmp, dest_root, pname))
        return KS_ERR_LIMIT;
    struct stat sb;
    if (lstat(path, &sb) != 0)
        return errno == ENOENT ? KS_OK : sc_fail("lstat", path);
    KsStatus ks = sc_remove_tree(tmp);
    if (ks == KS_OK && sc_rename(path, tmp) != 0)
        ks = sc_fail("rename", path);
    if (ks == KS_OK)
        (void)sc_fsync_dir(dest_root);
    if (ks == KS_OK)
        ks = sc_remove_tree(tmp);
    return ks;
}

KsStatus safe_copy_clean(const char *dest_root)
{
    DIR *d = opendir(dest_root);
    if (!d)
        return errno == ENOENT ? KS_OK : sc_fail("opendir", dest_root);
    KsStatus ks = KS_OK;
    struct dirent *e;
    char path[SC_PATH_MAX];
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, SAFE_COPY_PARTIAL, strlen(SAFE_COPY_PARTIAL)) != 0)
            continue;
        if (!sc_join(path, dest_root, e->d_name))
            continue;
        LOG_INFO("removing the leftover %s of an interrupted export", path);
        KsStatus s = sc_remove_tree(path);
        if (s != KS_OK)
            ks = s;
    }
    closedir(d);
    return ks;
}

/* ---- copying ------------------------------------------------------------ */

/* Bytes the tree may take on a FAT stick; KS_ERR_INVALID for anything that
 * is not a plain file or folder or has an unsafe name, KS_ERR_LIMIT for a
 * file FAT cannot hold. */
static KsStatus sc_measure_child(void *ctx, const char *child, const char *name);

static KsStatus sc_measure(const char *path, uint64_t *bytes)
{
    struct stat sb;
    if (lstat(path, &sb) != 0)
        return sc_fail("lstat", path);
    if (S_ISREG(sb.st_mode)) {
        if ((uint64_t)sb.st_size > SC_FAT_MAX_FILE) {
            LOG_ERROR("%s is too large for a FAT stick", path);
            return KS_ERR_LIMIT;
        }
        *bytes += (uint64_t)sb.st_size + SC_SLACK;
        return KS_OK;
    }
    if (!S_ISDIR(sb.st_mode)) {
        LOG_ERROR("%s is neither a file nor a folder", path);
        return KS_ERR_INVALID;
    }
    *bytes += SC_SLACK;
    return sc_each_child(path, sc_measure_child, bytes);
}

static KsStatus sc_measure_child(void *ctx, const char *child, const char *name)
{
    if (!usb_name_is_fat_safe(name)) {
        LOG_ERROR("%s: the name is not FAT-safe", child);
        return KS_ERR_INVALID;
    }
    return sc_measure(child, ctx);
}

static KsStatus sc_check_space(const char *dest_root, uint64_t need)
{
    struct statvfs vfs;
    if (statvfs(dest_root, &vfs) != 0)
        return sc_fail("statvfs", dest_root);
    uint64_t avail = (uint64_t)vfs.f_bavail * vfs.f_frsize;
    if (avail < need) {
        LOG_ERROR("%s: %llu bytes free, %llu needed", dest_root, (unsigned long long)avail,
                  (unsigned long long)need);
        return KS_ERR_FULL;
    }
    return KS_OK;
}

static KsStatus sc_copy_file(const char *src, const char *dst, ScWatch *watch)
{
    KsStatus ks = KS_OK;
    unsigned char *buf = NULL;
    int out = -1;
    int in = open(src, O_RDONLY | O_CLOEXEC);
    if (in < 0) {
        LOG_ERROR("open %s: %s", src, strerror(errno));
        return KS_ERR_IO;
    }
    out = sc_open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (out < 0) {
        ks = sc_fail("open", dst);
        goto cleanup;
    }
    buf = malloc(SC_CHUNK);
    if (!buf) {
        ks = KS_ERR_NOMEM;
        goto cleanup;
    }
    for (;;) {
        ssize_t n = read(in, buf, SC_CHUNK);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            LOG_ERROR("read %s: %s", src, strerror(errno));
            ks = KS_ERR_IO;
            goto cleanup;
        }
        if (n == 0)
            break;
        for (ssize_t off = 0; off < n;) {
            ssize_t w = sc_write(out, buf + off, (size_t)(n - off), dst);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0) {
                if (w == 0)
                    errno = ENOSPC;
                ks = sc_fail("write", dst);
                goto cleanup;
            }
            off += w;
        }
        if (!sc_tell(watch, (uint64_t)n, 0)) {
            ks = sc_stopped(dst);
            goto cleanup;
        }
    }
    if (sc_fsync(out, dst) != 0) {
        ks = sc_fail("fsync", dst);
        goto cleanup;
    }
    if (!sc_tell(watch, 0, 1))
        ks = sc_stopped(dst);
cleanup:
    /* close() can report a delayed write error (NFS, some FUSE sticks). */
    if (out >= 0 && close(out) != 0 && ks == KS_OK)
        ks = sc_fail("close", dst);
    close(in);
    free(buf);
    return ks;
}

static KsStatus sc_copy_tree(const char *src, const char *dst, ScWatch *watch)
{
    if (sc_mkdir(dst, 0755) != 0)
        return sc_fail("mkdir", dst);
    DIR *d = opendir(src);
    if (!d)
        return sc_fail("opendir", src);
    KsStatus ks = KS_OK;
    struct dirent *e;
    char s[SC_PATH_MAX], t[SC_PATH_MAX];
    while (ks == KS_OK && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (!sc_join(s, src, e->d_name) || !sc_join(t, dst, e->d_name)) {
            ks = KS_ERR_LIMIT;
            break;
        }
        struct stat sb;
        if (lstat(s, &sb) != 0)
            ks = sc_fail("lstat", s);
        else if (S_ISDIR(sb.st_mode))
            ks = sc_copy_tree(s, t, watch);
        else if (S_ISREG(sb.st_mode))
            ks = sc_copy_file(s, t, watch);
        else
            ks = KS_ERR_INVALID;
    }
    closedir(d);
    if (ks == KS_OK)
        ks = sc_fsync_dir(dst);
    return ks;
}

/* ---- reading back ------------------------------------------------------- */

static KsStatus sc_compare_file(const char *src, const char *dst, ScWatch *watch)
{
    KsStatus ks = KS_OK;
    unsigned char *a = NULL, *b = NULL;
    sc_slow();
    int fa = open(src, O_RDONLY | O_CLOEXEC);
    int fb = open(dst, O_RDONLY | O_CLOEXEC);
    if (fa < 0 || fb < 0) {
        ks = fb < 0 ? sc_fail("open", dst) : KS_ERR_IO;
        goto cleanup;
    }
    /* The copy is synced, so its cached pages are clean: dropping them makes
     * the reads below come from the stick rather than from memory. */
    (void)posix_fadvise(fb, 0, 0, POSIX_FADV_DONTNEED);
    a = malloc(SC_CHUNK);
    b = malloc(SC_CHUNK);
    if (!a || !b) {
        ks = KS_ERR_NOMEM;
        goto cleanup;
    }
    for (;;) {
        ssize_t na = read(fa, a, SC_CHUNK);
        if (na < 0) {
            ks = KS_ERR_IO;
            break;
        }
        size_t got = 0;
        while (got < (size_t)na) {
            ssize_t nb = read(fb, b + got, (size_t)na - got);
            if (nb < 0) {
                ks = sc_fail("read", dst);
                goto cleanup;
            }
            if (nb == 0)
                break;
            got += (size_t)nb;
        }
        if (got != (size_t)na || memcmp(a, b, got) != 0) {
            LOG_ERROR("read-back of %s differs from %s", dst, src);
            ks = KS_ERR_CORRUPT;
            break;
        }
        if (!sc_tell(watch, got, na == 0 ? 1 : 0)) {
            ks = sc_stopped(dst);
            break;
        }
        if (na == 0)
            break;
    }
cleanup:
    if (fa >= 0)
        close(fa);
    if (fb >= 0)
        close(fb);
    free(a);
    free(b);
    return ks;
}

static int sc_count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

static KsStatus sc_compare_tree(const char *src, const char *dst, ScWatch *watch)
{
    DIR *d = opendir(src);
    if (!d)
        return KS_ERR_IO;
    KsStatus ks = KS_OK;
    int n = 0;
    struct dirent *e;
    char s[SC_PATH_MAX], t[SC_PATH_MAX];
    while (ks == KS_OK && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        n++;
        if (!sc_join(s, src, e->d_name) || !sc_join(t, dst, e->d_name)) {
            ks = KS_ERR_LIMIT;
            break;
        }
        struct stat sb;
        if (lstat(s, &sb) != 0)
            ks = KS_ERR_IO;
        else if (S_ISDIR(sb.st_mode))
            ks = sc_compare_tree(s, t, watch);
        else
            ks = sc_compare_file(s, t, watch);
    }
    closedir(d);
    if (ks == KS_OK) {
        int m = sc_count_entries(dst);
        if (m < 0)
            ks = sc_fail("opendir", dst);
        else if (m != n) {
            LOG_ERROR("%s holds %d entries, the source %d", dst, m, n);
            ks = KS_ERR_CORRUPT;
        }
    }
    return ks;
}

/* ---- the public calls --------------------------------------------------- */

/* Creates dest_root when missing, made durable by an fsync of its parent. */
static KsStatus sc_ensure_root(const char *dest_root)
{
    struct stat sb;
    if (stat(dest_root, &sb) == 0)
        return S_ISDIR(sb.st_mode) ? KS_OK : KS_ERR_INVALID;
    if (errno != ENOENT)
        return sc_fail("stat", dest_root);
    if (sc_mkdir(dest_root, 0755) != 0 && errno != EEXIST)
        return sc_fail("mkdir", dest_root);
    char parent[SC_PATH_MAX];
    str_copy(parent, sizeof parent, dest_root);
    str_dirname(parent, sizeof parent);
    return sc_fsync_dir(parent);
}

/* Paths of the final and the temporary name. */
static KsStatus sc_paths(const char *dest_root, const char *name, char *final, char *partial)
{
    if (!usb_name_is_fat_safe(name) ||
        strncmp(name, SAFE_COPY_PARTIAL, strlen(SAFE_COPY_PARTIAL)) == 0) {
        LOG_ERROR("'%s' is not a FAT-safe name", name);
        return KS_ERR_INVALID;
    }
    char pname[SC_PATH_MAX];
    snprintf(pname, sizeof pname, "%s%s", SAFE_COPY_PARTIAL, name);
    if (!sc_join(final, dest_root, name) || !sc_join(partial, dest_root, pname))
        return KS_ERR_LIMIT;
    return KS_OK;
}

/* The steps before a copy: the final and the temporary name, the room the
 * source needs, dest_root made, no temporary copy left from before, enough
 * space. A folder is never copied over one of the same name (a file
 * replaces its namesake by the rename). */
static KsStatus sc_prepare(const char *src, const char *dest_root, const char *name,
                           bool refuse_existing, char *final, char *partial)
{
    uint64_t need = 0;
    KsStatus ks = sc_paths(dest_root, name, final, partial);
    if (ks == KS_OK)
        ks = sc_measure(src, &need);
    if (ks == KS_OK)
        ks = sc_ensure_root(dest_root);
    if (ks != KS_OK)
        return ks;
    struct stat sb;
    if (refuse_existing && lstat(final, &sb) == 0) {
        LOG_ERROR("%s exists already", final);
        return KS_ERR_EXISTS;
    }
    ks = sc_remove_tree(partial);
    if (ks == KS_OK)
        ks = sc_check_space(dest_root, need);
    if (ks != KS_OK)
        (void)sc_remove_tree(partial); /* best effort; the next clean gets the rest */
    return ks;
}

/* A folder (is_dir) or a file copied under its temporary name, renamed,
 * the new name made durable, then read back and compared with the source.
 * A copy failing after the rename is taken off again: it must not look
 * finished. */
static KsStatus sc_copy(const char *src, bool is_dir, const char *dest_root, const char *name,
                        SafeCopyTick *tick, void *ctx)
{
    char final[SC_PATH_MAX], partial[SC_PATH_MAX];
    ScWatch watch = {.tick = tick, .ctx = ctx};
    KsStatus ks = sc_prepare(src, dest_root, name, is_dir, final, partial);
    if (ks != KS_OK)
        return ks;
    if (is_dir) {
        ks = sc_copy_tree(src, partial, &watch);
        if (ks == KS_OK)
            ks = sc_fsync_dir(partial);
    } else {
        ks = sc_copy_file(src, partial, &watch);
    }
    if (ks == KS_OK && sc_rename(partial, final) != 0)
        ks = sc_fail("rename", final);
    if (ks != KS_OK) {
        (void)sc_remove_tree(partial);
        return ks;
    }
    ks = sc_fsync_dir(dest_root);
    watch = (ScWatch){.tick = tick, .ctx = ctx, .reading_back = 1};
    if (ks == KS_OK)
        ks = is_dir ? sc_compare_tree(src, final, &watch) : sc_compare_file(src, final, &watch);
    if (ks != KS_OK) {
        (void)safe_copy_discard(dest_root, name);
        return ks;
    }
    if (is_dir)
        LOG_INFO("copied %s to %s and read it back", src, final);
    return KS_OK;
}

KsStatus safe_copy_dir(const char *src_dir, const char *dest_root, const char *name,
                       SafeCopyTick *tick, void *ctx)
{
    return sc_copy(src_dir, true, dest_root, name, tick, ctx);
}

KsStatus safe_copy_file(const char *src_file, const char *dest_root, const char *name,
                        SafeCopyTick *tick, void *ctx)
{
    return sc_copy(src_file, false, dest_root, name, tick, ctx);
}
