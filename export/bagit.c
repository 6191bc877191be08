/* bagit: payload walk, hashing, manifests and fsync'ed writes for a bag.
 * Every file it writes is fsync'ed before it returns; directories are
 * fsync'ed by the caller once it has written all names into them (the
 * create and replace helpers fsync their own). Walks and reads never follow
 * a symlink: a bag on a stick is hostile input. */
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

#include "../firmware/core/fdio.h"
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

/* What a walk accepts and how far it goes. */
typedef struct {
    const char *dir; /* the bag */
    BagitList *out;
    char *bad; /* the offending relative path, or NULL */
    size_t bad_size;
    bool any_file; /* false: regular files only (the payload's rule) */
} BagitWalk;

static void bagit_walk_bad(const BagitWalk *w, const char *rel)
{
    if (w->bad && w->bad_size > 0)
        snprintf(w->bad, w->bad_size, "%s", rel);
}

/* rel is the path relative to the bag ("data", "data/sub"; "" for the bag
 * itself). The folder is opened without following a symlink, so what lstat
 * saw is what is read. */
static KsStatus bagit_walk(const BagitWalk *w, const char *rel, int depth)
{
    char *abs = rel[0] ? bagit_join(w->dir, rel) : xstrdup(w->dir);
    int fd = open(abs, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    KsStatus ks = KS_OK;
    struct dirent *e;
    if (!d) {
        int err = errno;
        LOG_ERROR("opendir %s: %s", abs, strerror(err));
        if (fd >= 0)
            close(fd);
        free(abs);
        bagit_walk_bad(w, rel);
        return err == ELOOP || err == ENOTDIR ? KS_ERR_INVALID : KS_ERR_IO;
    }
    if (depth > BAGIT_TREE_MAX_DEPTH) {
        LOG_WARN("%s: folders nested too deep", abs);
        bagit_walk_bad(w, rel);
        ks = KS_ERR_LIMIT;
    }
    while (ks == KS_OK && (errno = 0, e = readdir(d)) != NULL) {
        struct stat sb;
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *child = rel[0] ? bagit_join(rel, e->d_name) : xstrdup(e->d_name);
        char *child_abs = bagit_join(w->dir, child);
        if (lstat(child_abs, &sb) != 0) {
            LOG_ERROR("lstat %s: %s", child_abs, strerror(errno));
            bagit_walk_bad(w, child);
            ks = KS_ERR_IO;
        } else if (S_ISDIR(sb.st_mode)) {
            ks = bagit_walk(w, child, depth + 1);
        } else if (S_ISREG(sb.st_mode) ||
                   (w->any_file && !S_ISLNK(sb.st_mode) && !S_ISCHR(sb.st_mode) &&
                    !S_ISBLK(sb.st_mode) && !S_ISFIFO(sb.st_mode) && !S_ISSOCK(sb.st_mode))) {
            if (w->out->n >= BAGIT_TREE_MAX_FILES) {
                LOG_WARN("%s: more than %d files", w->dir, BAGIT_TREE_MAX_FILES);
                bagit_walk_bad(w, child);
                ks = KS_ERR_LIMIT;
            } else {
                bagit_list_add(w->out, child);
                child = NULL;
            }
        } else {
            LOG_ERROR("%s is neither a file nor a directory", child_abs);
            bagit_walk_bad(w, child);
            ks = KS_ERR_INVALID;
        }
        free(child);
        free(child_abs);
    }
    if (ks == KS_OK && errno != 0) {
        LOG_ERROR("readdir %s: %s", abs, strerror(errno));
        ks = KS_ERR_IO;
    }
    closedir(d);
    free(abs);
    return ks;
}

/* Walks from rel (at depth) and sorts what w found; nothing is left on a
 * failure. */
static KsStatus bagit_list(BagitWalk *w, const char *rel, int depth)
{
    KsStatus ks = bagit_walk(w, rel, depth);
    if (ks != KS_OK) {
        bagit_list_free(w->out);
        return ks;
    }
    qsort(w->out->paths, (size_t)w->out->n, sizeof *w->out->paths, bagit_cmp);
    return KS_OK;
}

KsStatus bagit_list_payload(const char *dir, BagitList *out)
{
    BagitWalk w = {.dir = dir, .out = out};
    return bagit_list(&w, "data", 1);
}

KsStatus bagit_list_tree(const char *dir, BagitList *out, char *bad, size_t size)
{
    BagitWalk w = {.dir = dir, .out = out, .bad = bad, .bad_size = size, .any_file = true};
    if (bad && size > 0)
        bad[0] = '\0';
    return bagit_list(&w, "", 0);
}

KsStatus bagit_sha256_file(const char *path, char hex[65], uint64_t *size)
{
    unsigned char buf[65536], hash[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_state s;
    uint64_t total = 0;
    ssize_t n;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? KS_ERR_NOT_FOUND : KS_ERR_IO;
    crypto_hash_sha256_init(&s);
    while ((n = read(fd, buf, sizeof buf)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            break;
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
    KsStatus ks = KS_ERR_IO;
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        goto cleanup;
    if (!fdio_write_all(fd, data, len) || fsync(fd) != 0)
        goto cleanup;
    ks = KS_OK;
cleanup:
    if (ks != KS_OK)
        LOG_ERROR("write %s: %s", path, strerror(errno));
    if (fd >= 0 && close(fd) != 0 && ks == KS_OK) {
        LOG_ERROR("close %s: %s", path, strerror(errno));
        ks = KS_ERR_IO;
    }
    return ks;
}

/* The folder part of a path ("." for a bare name), malloc'd. */
static char *bagit_parent(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return xstrdup(".");
    if (slash == path)
        return xstrdup("/");
    return xstrndup(path, (size_t)(slash - path));
}

/* The test hook's state (bagit_fault_fail_nth); 0 is off. */
static int bagit_fault_nth, bagit_fault_err, bagit_fault_seen;

void bagit_fault_fail_nth(int n, int err)
{
    bagit_fault_nth = n;
    bagit_fault_err = err;
    bagit_fault_seen = 0;
}

/* True (errno set) when the hook says this step fails. */
static bool bagit_fault(bool faults)
{
    if (!faults || bagit_fault_nth <= 0 || ++bagit_fault_seen != bagit_fault_nth)
        return false;
    errno = bagit_fault_err ? bagit_fault_err : EIO;
    return true;
}

/* Writes a temporary file (mode, fsync'ed); errno tells why on failure.
 * faults: steps count for the test hook. */
static bool bagit_write_temp(const char *tmp, const void *data, size_t len, unsigned mode,
                             bool faults)
{
    int fd = bagit_fault(faults)
                 ? -1
                 : open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, (mode_t)mode);
    if (fd < 0)
        return false;
    /* fchmod: the umask must not widen or narrow what the caller asked. */
    bool ok = fchmod(fd, (mode_t)mode) == 0 && !bagit_fault(faults) &&
              fdio_write_all(fd, data, len) && !bagit_fault(faults) && fsync(fd) == 0;
    int err = errno;
    if (close(fd) != 0 && ok) {
        ok = false;
        err = errno;
    }
    errno = err;
    return ok;
}

KsStatus bagit_create_file(const char *path, const void *data, size_t len, unsigned mode)
{
    struct stat sb;
    size_t n = strlen(path) + 5;
    char *tmp = xmalloc(n);
    char *parent = bagit_parent(path);
    KsStatus ks = KS_ERR_IO;
    snprintf(tmp, n, "%s.tmp", path);
    if (lstat(path, &sb) == 0) {
        ks = KS_ERR_STATE;
        goto cleanup;
    }
    if (!bagit_write_temp(tmp, data, len, mode, false)) {
        LOG_ERROR("writing %s: %s", tmp, strerror(errno));
        unlink(tmp);
        goto cleanup;
    }
    /* link() rather than rename(): never replaces a file another process
     * created meanwhile. */
    if (link(tmp, path) != 0) {
        ks = errno == EEXIST ? KS_ERR_STATE : KS_ERR_IO;
        LOG_ERROR("creating %s: %s", path, strerror(errno));
        unlink(tmp);
        goto cleanup;
    }
    unlink(tmp);
    ks = bagit_fsync_dir(parent);
cleanup:
    if (ks == KS_ERR_STATE)
        LOG_WARN("%s exists already; left as it is", path);
    free(tmp);
    free(parent);
    return ks;
}

static KsStatus bagit_errno_status(int err)
{
    if (err == ENOSPC || err == EDQUOT)
        return KS_ERR_FULL;
    if (err == EROFS)
        return KS_ERR_STATE;
    return KS_ERR_IO;
}

KsStatus bagit_replace_file(const char *dir, const char *name, const void *data, size_t len)
{
    char *path = bagit_join(dir, name);
    size_t n = strlen(path) + 5;
    char *tmp = xmalloc(n);
    KsStatus ks = KS_OK;
    snprintf(tmp, n, "%s.tmp", path);
    if (!bagit_write_temp(tmp, data, len, 0644, true) || bagit_fault(true) ||
        rename(tmp, path) != 0) {
        int err = errno;
        LOG_ERROR("writing %s: %s", path, strerror(err));
        unlink(tmp);
        ks = bagit_errno_status(err);
    } else {
        ks = bagit_fsync_dir(dir);
    }
    free(tmp);
    free(path);
    return ks;
}

KsStatus bagit_read_file(const char *path, size_t max, char **out, size_t *len)
{
    struct stat sb;
    char *buf = NULL;
    size_t got = 0;
    KsStatus ks = KS_ERR_IO;
    *out = NULL;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? KS_ERR_NOT_FOUND : KS_ERR_IO;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode))
        goto cleanup;
    if ((uint64_t)sb.st_size > max) {
        ks = KS_ERR_LIMIT;
        goto cleanup;
    }
    buf = xmalloc((size_t)sb.st_size + 1);
    /* The size may change under us (a stick is not ours): read what is
     * there, never more than max. */
    for (;;) {
        size_t want = (size_t)sb.st_size + 1 - got;
        if (want == 0) {
            ks = KS_ERR_LIMIT;
            goto cleanup;
        }
        ssize_t n = read(fd, buf + got, want);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            goto cleanup;
        if (n == 0)
            break;
        got += (size_t)n;
    }
    buf[got] = '\0';
    *out = buf;
    buf = NULL;
    if (len)
        *len = got;
    ks = KS_OK;
cleanup:
    free(buf);
    close(fd);
    return ks;
}

KsStatus bagit_fsync_dir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    KsStatus ks = KS_OK;
    if (fd < 0 || fsync(fd) != 0) {
        LOG_ERROR("fsync directory %s: %s", path, strerror(errno));
        ks = KS_ERR_IO;
    }
    if (fd >= 0)
        close(fd);
    return ks;
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

/* Decodes n bytes of a manifest path into a fresh string. */
static char *bagit_decode_path(const char *s, size_t n)
{
    char *out = xmalloc(n + 1), *o = out;
    const char *end = s + n;
    while (s < end) {
        size_t left = (size_t)(end - s);
        if (left >= 3 && (strncmp(s, "%0D", 3) == 0 || strncmp(s, "%0d", 3) == 0)) {
            *o++ = '\r';
            s += 3;
        } else if (left >= 3 && (strncmp(s, "%0A", 3) == 0 || strncmp(s, "%0a", 3) == 0)) {
            *o++ = '\n';
            s += 3;
        } else if (left >= 3 && strncmp(s, "%25", 3) == 0) {
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
    KsStatus ks = KS_OK;
    FILE *mem = open_memstream(&text, &text_len);
    char *out_path = bagit_join(dir, name);
    if (!mem) {
        free(out_path);
        return KS_ERR_NOMEM;
    }
    for (int i = 0; i < paths->n && ks == KS_OK; i++) {
        char hex[65];
        uint64_t size = 0;
        char *abs = bagit_join(dir, paths->paths[i]);
        ks = bagit_sha256_file(abs, hex, &size);
        if (ks == KS_OK) {
            fprintf(mem, "%s  ", hex);
            bagit_put_path(mem, paths->paths[i]);
            fputc('\n', mem);
            total += size;
        } else {
            LOG_ERROR("hashing %s: %s", abs, ks_status_str(ks));
        }
        free(abs);
    }
    fclose(mem);
    if (ks == KS_OK)
        ks = bagit_write_file(out_path, text, text_len);
    if (bytes)
        *bytes = total;
    if (count)
        *count = paths->n;
    free(text);
    free(out_path);
    return ks;
}

static bool bagit_is_hex64(const char *s)
{
    for (int i = 0; i < 64; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
              (s[i] >= 'A' && s[i] <= 'F')))
            return false;
    return true;
}

/* A manifest path must stay inside the bag: relative, no empty, "." or ".."
 * parts. */
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

void bagit_manifest_free(BagitManifest *m)
{
    if (!m)
        return;
    for (int i = 0; i < m->n; i++)
        free(m->entries[i].path);
    free(m->entries);
    m->entries = NULL;
    m->n = m->cap = 0;
}

static int bagit_entry_cmp(const void *a, const void *b)
{
    return strcmp(((const BagitEntry *)a)->path, ((const BagitEntry *)b)->path);
}

KsStatus bagit_parse_manifest(const char *text, size_t len, BagitManifest *out, int *line)
{
    const char *p = text, *end = text + len;
    BagitManifest m = {0};
    KsStatus ks = KS_OK;
    int no = 0;

    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end;
        size_t n = (size_t)(eol - p);
        no++;
        if (n > 0 && p[n - 1] == '\r')
            n--;
        /* sha256sum writes two spaces (text mode) or " *" (binary mode). */
        if (n < 67 || memchr(p, '\0', n) || memchr(p, '\r', n) || !bagit_is_hex64(p) ||
            p[64] != ' ' || (p[65] != ' ' && p[65] != '*')) {
            ks = KS_ERR_PARSE;
            goto cleanup;
        }
        if (m.n == m.cap) {
            m.cap = m.cap ? 2 * m.cap : 16;
            m.entries = xrealloc(m.entries, (size_t)m.cap * sizeof *m.entries);
        }
        BagitEntry *e = &m.entries[m.n++];
        e->path = bagit_decode_path(p + 66, n - 66);
        e->line = no;
        for (int i = 0; i < 64; i++)
            e->hex[i] = (char)(p[i] >= 'A' && p[i] <= 'F' ? p[i] - 'A' + 'a' : p[i]);
        e->hex[64] = '\0';
        if (!bagit_path_safe(e->path)) {
            ks = KS_ERR_INVALID;
            goto cleanup;
        }
        p = nl ? nl + 1 : end;
    }
    no = 0;
    if (m.n > 0)
        qsort(m.entries, (size_t)m.n, sizeof *m.entries, bagit_entry_cmp);
    for (int i = 1; i < m.n; i++)
        if (strcmp(m.entries[i - 1].path, m.entries[i].path) == 0) {
            /* Name the later of the two lines. */
            no = m.entries[i - 1].line > m.entries[i].line ? m.entries[i - 1].line
                                                           : m.entries[i].line;
            ks = KS_ERR_CORRUPT;
            goto cleanup;
        }
cleanup:
    if (line)
        *line = ks == KS_OK ? 0 : no;
    if (ks != KS_OK)
        bagit_manifest_free(&m);
    *out = m;
    return ks;
}

const BagitEntry *bagit_manifest_find(const BagitManifest *m, const char *path)
{
    BagitEntry key = {.path = (char *)path};
    if (m->n == 0)
        return NULL;
    return bsearch(&key, m->entries, (size_t)m->n, sizeof *m->entries, bagit_entry_cmp);
}

KsStatus bagit_check_manifest(const char *dir, const char *name, BagitList *listed)
{
    char *path = bagit_join(dir, name);
    char *text = NULL;
    size_t len = 0;
    BagitManifest m = {0};
    int line = 0;
    KsStatus ks = bagit_read_file(path, BAGIT_MANIFEST_MAX, &text, &len);
    if (ks != KS_OK) {
        LOG_WARN("%s: %s", path, ks_status_str(ks));
        ks = ks == KS_ERR_NOT_FOUND ? KS_ERR_CORRUPT : ks;
        goto cleanup;
    }
    ks = bagit_parse_manifest(text, len, &m, &line);
    if (ks != KS_OK) {
        LOG_WARN("%s: line %d: %s", path, line,
                 ks == KS_ERR_PARSE     ? "malformed"
                 : ks == KS_ERR_INVALID ? "the path leaves the bag"
                                        : "a path listed twice");
        ks = ks == KS_ERR_PARSE ? KS_ERR_PARSE : KS_ERR_CORRUPT;
        goto cleanup;
    }
    for (int i = 0; i < m.n; i++) {
        char hex[65];
        char *abs = bagit_join(dir, m.entries[i].path);
        ks = bagit_sha256_file(abs, hex, NULL);
        free(abs);
        if (ks != KS_OK || strcmp(hex, m.entries[i].hex) != 0) {
            LOG_WARN("%s: %s %s", path, m.entries[i].path, ks != KS_OK ? "is missing" : "differs");
            ks = KS_ERR_CORRUPT;
            goto cleanup;
        }
    }
    if (listed) {
        for (int i = 0; i < m.n; i++) {
            bagit_list_add(listed, m.entries[i].path);
            m.entries[i].path = NULL;
        }
    }
cleanup:
    bagit_manifest_free(&m);
    free(text);
    free(path);
    return ks;
}
