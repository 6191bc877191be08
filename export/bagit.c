/* bagit: payload walk, hashing, manifests and fsync'ed writes for a bag.
 * Every file it writes is fsync'ed before it returns; directories are
 * fsync'ed by the caller once it has written all names into them. */
#include "bagit.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../firmware/core/log.h"
#include "../firmware/core/mem.h"

#define BAGIT_MANIFEST_MAX (64u << 20)

void bagit_list_free(BagitList *l)
{
    if (!l)
        return;
    for (int i = 0; i < l->n; i++)
        free(l->paths[i]);
    free(l->paths);
    l->paths = NULL;
    l->n = l->cap = 0;
}

static void bagit_list_add(BagitList *l, char *owned)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 16;
        l->paths = xrealloc(l->paths, (size_t)l->cap * sizeof *l->paths);
    }
    l->paths[l->n++] = owned;
}

static int bagit_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *bagit_join(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *s = xmalloc(la + lb + 2);
    memcpy(s, a, la);
    s[la] = '/';
    memcpy(s + la + 1, b, lb + 1);
    return s;
}

/* rel is the path relative to the bag ("data" or "data/sub"). */
static KsStatus bagit_walk(const char *dir, const char *rel, BagitList *out)
{
    char *abs = bagit_join(dir, rel);
    DIR *d = opendir(abs);
    KsStatus st = KS_OK;
    struct dirent *e;
    if (!d) {
        LOG_ERROR("opendir %s: %s", abs, strerror(errno));
        free(abs);
        return KS_ERR_IO;
    }
    while (st == KS_OK && (e = readdir(d)) != NULL) {
        struct stat sb;
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *child = bagit_join(rel, e->d_name);
        char *child_abs = bagit_join(dir, child);
        if (lstat(child_abs, &sb) != 0) {
            LOG_ERROR("lstat %s: %s", child_abs, strerror(errno));
            st = KS_ERR_IO;
        } else if (S_ISDIR(sb.st_mode)) {
            st = bagit_walk(dir, child, out);
        } else if (S_ISREG(sb.st_mode)) {
            bagit_list_add(out, child);
            child = NULL;
        } else {
            LOG_ERROR("%s is neither a file nor a directory", child_abs);
            st = KS_ERR_INVALID;
        }
        free(child);
        free(child_abs);
    }
    closedir(d);
    free(abs);
    return st;
}

KsStatus bagit_list_payload(const char *dir, BagitList *out)
{
    KsStatus st = bagit_walk(dir, "data", out);
    if (st != KS_OK) {
        bagit_list_free(out);
        return st;
    }
    qsort(out->paths, (size_t)out->n, sizeof *out->paths, bagit_cmp);
    return KS_OK;
}

KsStatus bagit_sha256_file(const char *path, char hex[65], uint64_t *size)
{
    unsigned char buf[65536], hash[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_state s;
    uint64_t total = 0;
    ssize_t n;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? KS_ERR_NOT_FOUND : KS_ERR_IO;
    crypto_hash_sha256_init(&s);
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        crypto_hash_sha256_update(&s, buf, (unsigned long long)n);
        total += (uint64_t)n;
    }
    close(fd);
    if (n < 0) {
        LOG_ERROR("read %s: %s", path, strerror(errno));
        return KS_ERR_IO;
    }
    crypto_hash_sha256_final(&s, hash);
    sodium_bin2hex(hex, 65, hash, sizeof hash);
    if (size)
        *size = total;
    return KS_OK;
}

KsStatus bagit_write_file(const char *path, const void *data, size_t len)
{
    const unsigned char *p = data;
    KsStatus st = KS_ERR_IO;
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        goto cleanup;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            goto cleanup;
        p += n;
        len -= (size_t)n;
    }
    if (fsync(fd) != 0)
        goto cleanup;
    st = KS_OK;
cleanup:
    if (st != KS_OK)
        LOG_ERROR("write %s: %s", path, strerror(errno));
    if (fd >= 0 && close(fd) != 0 && st == KS_OK) {
        LOG_ERROR("close %s: %s", path, strerror(errno));
        st = KS_ERR_IO;
    }
    return st;
}

KsStatus bagit_read_file(const char *path, size_t max, char **out, size_t *len)
{
    struct stat sb;
    char *buf = NULL;
    size_t got = 0;
    KsStatus st = KS_ERR_IO;
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? KS_ERR_NOT_FOUND : KS_ERR_IO;
    if (fstat(fd, &sb) != 0)
        goto cleanup;
    if ((uint64_t)sb.st_size > max) {
        st = KS_ERR_LIMIT;
        goto cleanup;
    }
    buf = xmalloc((size_t)sb.st_size + 1);
    while (got < (size_t)sb.st_size) {
        ssize_t n = read(fd, buf + got, (size_t)sb.st_size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            goto cleanup;
        got += (size_t)n;
    }
    buf[got] = '\0';
    *out = buf;
    buf = NULL;
    if (len)
        *len = got;
    st = KS_OK;
cleanup:
    free(buf);
    close(fd);
    return st;
}

KsStatus bagit_fsync_dir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    KsStatus st = KS_OK;
    if (fd < 0 || fsync(fd) != 0) {
        LOG_ERROR("fsync directory %s: %s", path, strerror(errno));
        st = KS_ERR_IO;
    }
    if (fd >= 0)
        close(fd);
    return st;
}

/* RFC 8493 §2.1.3: CR, LF and % in a manifest path are percent-encoded. */
static void bagit_put_path(FILE *f, const char *path)
{
    for (const char *p = path; *p; p++) {
        if (*p == '\r')
            fputs("%0D", f);
        else if (*p == '\n')
            fputs("%0A", f);
        else if (*p == '%')
            fputs("%25", f);
        else
            fputc(*p, f);
    }
}

static char *bagit_decode_path(const char *s)
{
    char *out = xmalloc(strlen(s) + 1), *o = out;
    while (*s) {
        if (strncmp(s, "%0D", 3) == 0 || strncmp(s, "%0d", 3) == 0) {
            *o++ = '\r';
            s += 3;
        } else if (strncmp(s, "%0A", 3) == 0 || strncmp(s, "%0a", 3) == 0) {
            *o++ = '\n';
            s += 3;
        } else if (strncmp(s, "%25", 3) == 0) {
            *o++ = '%';
            s += 3;
        } else {
            *o++ = *s++;
        }
    }
    *o = '\0';
    return out;
}

KsStatus bagit_write_manifest(const char *dir, const char *name, const BagitList *paths,
                              uint64_t *bytes, int *count)
{
    char *text = NULL;
    size_t text_len = 0;
    uint64_t total = 0;
    KsStatus st = KS_OK;
    FILE *mem = open_memstream(&text, &text_len);
    char *out_path = bagit_join(dir, name);
    if (!mem) {
        free(out_path);
        return KS_ERR_NOMEM;
    }
    for (int i = 0; i < paths->n && st == KS_OK; i++) {
        char hex[65];
        uint64_t size = 0;
        char *abs = bagit_join(dir, paths->paths[i]);
        st = bagit_sha256_file(abs, hex, &size);
        if (st == KS_OK) {
            fprintf(mem, "%s  ", hex);
            bagit_put_path(mem, paths->paths[i]);
            fputc('\n', mem);
            total += size;
        } else {
            LOG_ERROR("hashing %s: %s", abs, ks_status_str(st));
        }
        free(abs);
    }
    fclose(mem);
    if (st == KS_OK)
        st = bagit_write_file(out_path, text, text_len);
    if (bytes)
        *bytes = total;
    if (count)
        *count = paths->n;
    free(text);
    free(out_path);
    return st;
}

static bool bagit_is_hex64(const char *s)
{
    for (int i = 0; i < 64; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
              (s[i] >= 'A' && s[i] <= 'F')))
            return false;
    return true;
}

/* A manifest path must stay inside the bag: relative, no "." or ".." parts. */
static bool bagit_path_safe(const char *p)
{
    if (*p == '\0' || *p == '/')
        return false;
    const char *seg = p;
    for (;;) {
        const char *slash = strchr(seg, '/');
        size_t n = slash ? (size_t)(slash - seg) : strlen(seg);
        if (n == 0 || (n == 1 && seg[0] == '.') || (n == 2 && seg[0] == '.' && seg[1] == '.'))
            return false;
        if (!slash)
            return true;
        seg = slash + 1;
    }
}

KsStatus bagit_check_manifest(const char *dir, const char *name, BagitList *listed)
{
    char *path = bagit_join(dir, name);
    char *text = NULL, *line, *save = NULL;
    BagitList seen = {0};
    KsStatus st = bagit_read_file(path, BAGIT_MANIFEST_MAX, &text, NULL);
    if (st != KS_OK) {
        LOG_WARN("%s: %s", path, ks_status_str(st));
        st = st == KS_ERR_NOT_FOUND ? KS_ERR_CORRUPT : st;
        goto cleanup;
    }
    for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char hex[65];
        size_t n = strlen(line);
        if (n > 0 && line[n - 1] == '\r')
            line[--n] = '\0';
        /* sha256sum writes two spaces (text mode) or " *" (binary mode). */
        if (n < 67 || !bagit_is_hex64(line) || line[64] != ' ' ||
            (line[65] != ' ' && line[65] != '*')) {
            LOG_WARN("%s: malformed line", path);
            st = KS_ERR_PARSE;
            goto cleanup;
        }
        char *rel = bagit_decode_path(line + 66);
        bagit_list_add(&seen, rel);
        if (!bagit_path_safe(rel)) {
            LOG_WARN("%s: path %s leaves the bag", path, rel);
            st = KS_ERR_CORRUPT;
            goto cleanup;
        }
        char *abs = bagit_join(dir, rel);
        st = bagit_sha256_file(abs, hex, NULL);
        free(abs);
        if (st != KS_OK || strncasecmp(hex, line, 64) != 0) {
            LOG_WARN("%s: %s %s", path, rel, st != KS_OK ? "is missing" : "differs");
            st = KS_ERR_CORRUPT;
            goto cleanup;
        }
    }
    qsort(seen.paths, (size_t)seen.n, sizeof *seen.paths, bagit_cmp);
    for (int i = 1; i < seen.n; i++)
        if (strcmp(seen.paths[i - 1], seen.paths[i]) == 0) {
            LOG_WARN("%s: %s listed twice", path, seen.paths[i]);
            st = KS_ERR_CORRUPT;
            goto cleanup;
        }
    if (listed) {
        *listed = seen;
        seen = (BagitList){0};
    }
cleanup:
    bagit_list_free(&seen);
    free(text);
    free(path);
    return st;
}
