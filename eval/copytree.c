/* copytree: durable folder copies for the archive (see copytree.h). */
#include "copytree.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../firmware/core/log.h"

#define COPY_BUF (256 * 1024)
#define COPY_DEPTH_MAX 16

static int g_fail_nth_read;
static int g_reads;

void copytree_fail_nth_read(int n)
{
    g_fail_nth_read = n > 0 ? n : 0;
    g_reads = 0;
}

static KsStatus from_errno(int e)
{
    return e == ENOSPC || e == EDQUOT ? KS_ERR_FULL : KS_ERR_IO;
}

static ssize_t read_checked(int fd, void *buf, size_t n)
{
    g_reads++;
    if (g_fail_nth_read > 0 && g_reads == g_fail_nth_read) {
        errno = EIO;
        return -1;
    }
    return read(fd, buf, n);
}

static KsStatus copy_file(const char *src, const char *dst, char *buf)
{
    int in = open(src, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (in < 0) {
        LOG_WARN("cannot read %s: %s", src, strerror(errno));
        return errno == ELOOP ? KS_ERR_INVALID : KS_ERR_IO;
    }
    int out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    KsStatus ks = KS_OK;
    if (out < 0) {
        LOG_ERROR("cannot create %s: %s", dst, strerror(errno));
        ks = from_errno(errno);
    }
    while (ks == KS_OK) {
        ssize_t n = read_checked(in, buf, COPY_BUF);
        if (n < 0) {
            LOG_ERROR("reading %s failed: %s", src, strerror(errno));
            ks = KS_ERR_IO;
            break;
        }
        if (n == 0)
            break;
        for (ssize_t done = 0; done < n && ks == KS_OK;) {
            ssize_t w = write(out, buf + done, (size_t)(n - done));
            if (w < 0) {
                LOG_ERROR("writing %s failed: %s", dst, strerror(errno));
                ks = from_errno(errno);
            } else {
                done += w;
            }
        }
    }
    if (ks == KS_OK && (fchmod(out, 0444) != 0 || fsync(out) != 0)) {
        LOG_ERROR("cannot finish %s: %s", dst, strerror(errno));
        ks = from_errno(errno);
    }
    if (out >= 0 && close(out) != 0 && ks == KS_OK)
        ks = from_errno(errno);
    close(in);
    return ks;
}

static KsStatus fsync_path(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return KS_ERR_IO;
    KsStatus ks = fsync(fd) == 0 ? KS_OK : KS_ERR_IO;
    close(fd);
    return ks;
}

static KsStatus copy_dir(const char *src, const char *dst, uint64_t max_file, int *skipped,
                         char *buf, int depth)
{
    if (depth > COPY_DEPTH_MAX)
        return KS_ERR_INVALID;
    if (mkdir(dst, 0755) != 0) {
        LOG_ERROR("cannot create %s: %s", dst, strerror(errno));
        return from_errno(errno);
    }
    DIR *d = opendir(src);
    if (!d) {
        LOG_WARN("cannot read %s: %s", src, strerror(errno));
        return KS_ERR_IO;
    }
    KsStatus ks = KS_OK;
    struct dirent *e;
    while (ks == KS_OK && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *s = NULL, *t = NULL;
        if (asprintf(&s, "%s/%s", src, e->d_name) < 0 ||
            asprintf(&t, "%s/%s", dst, e->d_name) < 0) {
            free(s);
            ks = KS_ERR_NOMEM;
            break;
        }
        struct stat st;
        if (lstat(s, &st) != 0) {
            ks = KS_ERR_IO;
        } else if (S_ISDIR(st.st_mode)) {
            ks = copy_dir(s, t, max_file, skipped, buf, depth + 1);
        } else if (!S_ISREG(st.st_mode)) {
            LOG_WARN("%s is not a plain file or folder: not copied", s);
            ks = KS_ERR_INVALID;
        } else if (max_file > 0 && (uint64_t)st.st_size > max_file) {
            if (skipped)
                (*skipped)++;
        } else {
            ks = copy_file(s, t, buf);
        }
        free(s);
        free(t);
    }
    closedir(d);
    if (ks == KS_OK)
        ks = fsync_path(dst);
    if (ks == KS_OK && chmod(dst, 0555) != 0)
        ks = KS_ERR_IO;
    return ks;
}

KsStatus copytree_copy(const char *src, const char *dst, uint64_t max_file, int *skipped)
{
    struct stat st;
    if (lstat(src, &st) != 0)
        return KS_ERR_IO;
    if (!S_ISDIR(st.st_mode))
        return KS_ERR_INVALID;
    char *buf = malloc(COPY_BUF);
    if (!buf)
        return KS_ERR_NOMEM;
    KsStatus ks = copy_dir(src, dst, max_file, skipped, buf, 0);
    free(buf);
    if (ks != KS_OK)
        (void)copytree_remove(dst);
    return ks;
}

static KsStatus remove_tree(const char *path, int depth)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? KS_OK : KS_ERR_IO;
    if (!S_ISDIR(st.st_mode))
        return unlink(path) == 0 ? KS_OK : KS_ERR_IO;
    if (depth > COPY_DEPTH_MAX + 2)
        return KS_ERR_INVALID;
    (void)chmod(path, 0755);
    DIR *d = opendir(path);
    if (!d)
        return KS_ERR_IO;
    KsStatus ks = KS_OK;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *p = NULL;
        if (asprintf(&p, "%s/%s", path, e->d_name) < 0) {
            ks = KS_ERR_NOMEM;
            break;
        }
        KsStatus r = remove_tree(p, depth + 1);
        if (r != KS_OK)
            ks = r;
        free(p);
    }
    closedir(d);
    if (rmdir(path) != 0 && ks == KS_OK)
        ks = KS_ERR_IO;
    return ks;
}

KsStatus copytree_remove(const char *path)
{
    return remove_tree(path, 0);
}
