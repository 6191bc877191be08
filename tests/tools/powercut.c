/* powercut: an LD_PRELOAD shim for the power-cut scenario. For every file at
 * or below $KS_POWERCUT_DIR it appends, before each change, an undo/redo
 * record to $KS_POWERCUT_LOG (a file outside that directory): writes, size
 * changes, creations, unlinks and renames with the bytes they replace, and
 * after each successful fsync/fdatasync a "synced" mark. tests/tools/
 * powercut.py later rolls the files back to what a disk that lost its
 * unflushed writes could hold. It changes no data and no result, except
 * with KS_POWERCUT_LIE=1: then fsync and fdatasync do nothing and report
 * success, a disk that lies, so the scenario can prove it notices (with
 * KS_POWERCUT_LIE=-wal only the WAL's syncs lie, much as synchronous=OFF).
 * KS_POWERCUT_KILL_AT=n makes the process SIGKILL itself before its n-th
 * change or sync (counting only paths ending in KS_POWERCUT_KILL_MATCH when
 * that is set), so cuts land inside commits and checkpoints.
 *
 * Log format: one text line "TAG n1 n2 ... path\n" then raw bytes:
 *   C 0 path                         the file was created (did not exist)
 *   W off len oldsize oldlen path    + len new bytes + oldlen old bytes
 *   T newsize oldsize oldlen path    + oldlen bytes formerly at [newsize, ...)
 *   S 0 path                         fsync/fdatasync of a file succeeded
 *   D 0 path                         fsync/fdatasync of a directory succeeded
 *   U size path                      + size bytes: the content unlinked
 *   R 0 from\tto                     renamed (from and to are full paths)
 *   M 0 path                         a shared writable mmap we cannot follow
 *   L 0 path                         an fsync that lied (KS_POWERCUT_LIE)
 * The -shm file of SQLite's WAL is shared memory written through mmap and
 * rebuilt after a crash; it is not followed. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#define PC_MAX_FD 4096

static char g_dir[PATH_MAX];
static size_t g_dir_len;
static int g_log = -1;
static const char *g_lie_match; /* KS_POWERCUT_LIE: "1" all, else a path suffix */
static long g_kill_at;          /* KS_POWERCUT_KILL_AT: die before this followed change */
static long g_changes;
static const char *g_kill_match; /* KS_POWERCUT_KILL_MATCH: count only paths ending so */
static char *g_paths[PC_MAX_FD]; /* tracked fd -> full path */
static unsigned char g_isdir[PC_MAX_FD];
static pthread_mutex_t g_mu = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;

/* Releases g_mu, keeping errno as the wrapped call left it. */
static void pc_unlock(void)
{
    int saved = errno;
    pthread_mutex_unlock(&g_mu);
    errno = saved;
}

static int (*real_open)(const char *, int, ...);
static int (*real_open64)(const char *, int, ...);
static int (*real_openat)(int, const char *, int, ...);
static int (*real_openat64)(int, const char *, int, ...);
static int (*real_close)(int);
static ssize_t (*real_write)(int, const void *, size_t);
static ssize_t (*real_pwrite)(int, const void *, size_t, off_t);
static ssize_t (*real_pwrite64)(int, const void *, size_t, off64_t);
static ssize_t (*real_writev)(int, const struct iovec *, int);
static int (*real_ftruncate)(int, off_t);
static int (*real_ftruncate64)(int, off64_t);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static int (*real_unlink)(const char *);
static int (*real_unlinkat)(int, const char *, int);
static int (*real_rename)(const char *, const char *);
static void *(*real_mmap)(void *, size_t, int, int, int, off_t);
static void *(*real_mmap64)(void *, size_t, int, int, int, off64_t);

/* dlsym answers an object pointer; ISO C has no cast to a function pointer. */
#define PC_LOAD(name)                                                                              \
    do {                                                                                           \
        void *sym_ = dlsym(RTLD_NEXT, #name);                                                      \
        memcpy(&real_##name, &sym_, sizeof real_##name);                                           \
    } while (0)
#define PC_READY()                                                                                 \
    do {                                                                                           \
        if (!g_inited)                                                                             \
            pc_init();                                                                             \
    } while (0)

static int g_inited;

/* Finds the real functions; a sanitizer runtime may call in here before our
 * constructor, so this runs on first use too. */
static void pc_init(void)
{
    if (g_inited)
        return;
    g_inited = 1;
    PC_LOAD(open);
    PC_LOAD(open64);
    PC_LOAD(openat);
    PC_LOAD(openat64);
    PC_LOAD(close);
    PC_LOAD(write);
    PC_LOAD(pwrite);
    PC_LOAD(pwrite64);
    PC_LOAD(writev);
    PC_LOAD(ftruncate);
    PC_LOAD(ftruncate64);
    PC_LOAD(fsync);
    PC_LOAD(fdatasync);
    PC_LOAD(unlink);
    PC_LOAD(unlinkat);
    PC_LOAD(rename);
    PC_LOAD(mmap);
    PC_LOAD(mmap64);
}

/* Reads the environment once the process is set up: before that, calls
 * pass straight through. */
__attribute__((constructor)) static void pc_configure(void)
{
    pc_init();
    const char *dir = getenv("KS_POWERCUT_DIR");
    const char *log = getenv("KS_POWERCUT_LOG");
    g_lie_match = getenv("KS_POWERCUT_LIE");
    if (g_lie_match && strcmp(g_lie_match, "1") == 0)
        g_lie_match = "";
    const char *kill_at = getenv("KS_POWERCUT_KILL_AT");
    g_kill_at = kill_at ? atol(kill_at) : 0;
    g_kill_match = getenv("KS_POWERCUT_KILL_MATCH");
    if (!dir || !log || !realpath(dir, g_dir))
        return;
    g_dir_len = strlen(g_dir);
    g_log = real_open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (g_log < 0)
        fprintf(stderr, "powercut: cannot open log %s\n", log);
}

/* Writes all of buf to the log or aborts: a log with holes would make the
 * recovery invent states no disk could have. */
static void pc_put(const void *buf, size_t n)
{
    const char *p = buf;
    while (n > 0) {
        ssize_t w = real_write(g_log, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            fprintf(stderr, "powercut: log write failed\n");
            abort();
        }
        p += w;
        n -= (size_t)w;
    }
}

/* Counts a change (or sync) about to be logged and made; the n-th one is
 * where the power goes: the process dies before it, mid-transaction. */
static void pc_count(const char *path)
{
    size_t n = strlen(path), m = g_kill_match ? strlen(g_kill_match) : 0;
    if (m && (n < m || strcmp(path + n - m, g_kill_match) != 0))
        return;
    if (g_kill_at > 0 && ++g_changes >= g_kill_at)
        raise(SIGKILL);
}

static int pc_lies(const char *path)
{
    if (!g_lie_match)
        return 0;
    size_t n = strlen(path), m = strlen(g_lie_match);
    return n >= m && strcmp(path + n - m, g_lie_match) == 0;
}

static void pc_line(const char *fmt, ...)
{
    char line[PATH_MAX * 2 + 128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n > 0)
        pc_put(line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

/* The absolute form of path (relative to dirfd); does not resolve
 * symbolic links of the last component, which the kiosk does not use. */
static int pc_abs(int dirfd, const char *path, char *out)
{
    char base[PATH_MAX];
    if (!path)
        return -1;
    if (path[0] == '/') {
        snprintf(out, PATH_MAX, "%s", path);
    } else {
        if (dirfd == AT_FDCWD) {
            if (!getcwd(base, sizeof base))
                return -1;
        } else {
            char link[64];
            snprintf(link, sizeof link, "/proc/self/fd/%d", dirfd);
            ssize_t n = readlink(link, base, sizeof base - 1);
            if (n < 0)
                return -1;
            base[n] = '\0';
        }
        if (snprintf(out, PATH_MAX, "%s/%s", base, path) >= PATH_MAX)
            return -1;
    }
    /* Resolve the directory part so the prefix test is reliable. */
    char dir[PATH_MAX], real[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", out);
    char *slash = strrchr(dir, '/');
    if (!slash)
        return -1;
    const char *name = slash + 1;
    char namebuf[PATH_MAX];
    snprintf(namebuf, sizeof namebuf, "%s", name);
    if (slash == dir)
        slash[1] = '\0';
    else
        *slash = '\0';
    if (!realpath(dir, real))
        return -1;
    if (strcmp(namebuf, ".") == 0 || namebuf[0] == '\0') {
        snprintf(out, PATH_MAX, "%s", real);
        return 0;
    }
    const char *prefix = strcmp(real, "/") == 0 ? "" : real;
    return snprintf(out, PATH_MAX, "%s/%s", prefix, namebuf) >= PATH_MAX ? -1 : 0;
}

static int pc_followed(const char *abs)
{
    if (g_log < 0 || strncmp(abs, g_dir, g_dir_len) != 0)
        return 0;
    if (abs[g_dir_len] != '\0' && abs[g_dir_len] != '/')
        return 0;
    size_t n = strlen(abs);
    return !(n > 4 && strcmp(abs + n - 4, "-shm") == 0);
}

static const char *pc_path(int fd)
{
    return fd >= 0 && fd < PC_MAX_FD ? g_paths[fd] : NULL;
}

/* Appends the old bytes of [off, off+len) (those that exist) to the log
 * after a header; the caller holds the mutex. */
static void pc_old_bytes(int fd, const char *path, off_t off, size_t len, off_t size)
{
    int rfd = -1;
    size_t have = off >= size ? 0 : (size_t)(size - off) < len ? (size_t)(size - off) : len;
    char buf[65536];
    size_t done = 0;
    while (done < have) {
        size_t want = have - done < sizeof buf ? have - done : sizeof buf;
        ssize_t r = pread(rfd >= 0 ? rfd : fd, buf, want, off + (off_t)done);
        if (r < 0 && errno == EBADF && rfd < 0 &&
            (rfd = real_open(path, O_RDONLY | O_CLOEXEC)) >= 0)
            continue; /* a write-only descriptor: read through our own */
        if (r <= 0) {
            /* Keep the record's length promise with zeros. */
            memset(buf, 0, want);
            r = (ssize_t)want;
        }
        pc_put(buf, (size_t)r);
        done += (size_t)r;
    }
    if (rfd >= 0)
        real_close(rfd);
}

static size_t pc_old_len(off_t off, size_t len, off_t size)
{
    return off >= size ? 0 : (size_t)(size - off) < len ? (size_t)(size - off) : len;
}

static off_t pc_size(int fd)
{
    struct stat st;
    return fstat(fd, &st) == 0 ? st.st_size : 0;
}

static void pc_record_write(int fd, const char *path, off_t off, const struct iovec *iov, int cnt)
{
    size_t len = 0;
    for (int i = 0; i < cnt; i++)
        len += iov[i].iov_len;
    off_t size = pc_size(fd);
    size_t oldlen = pc_old_len(off, len, size);
    pc_count(path);
    pc_line("W %lld %zu %lld %zu %s\n", (long long)off, len, (long long)size, oldlen, path);
    for (int i = 0; i < cnt; i++)
        pc_put(iov[i].iov_base, iov[i].iov_len);
    pc_old_bytes(fd, path, off, len, size);
}

static void pc_record_truncate(int fd, const char *path, off_t newsize)
{
    off_t size = pc_size(fd);
    size_t oldlen = newsize < size ? (size_t)(size - newsize) : 0;
    pc_count(path);
    pc_line("T %lld %lld %zu %s\n", (long long)newsize, (long long)size, oldlen, path);
    pc_old_bytes(fd, path, newsize, oldlen, size);
}

static int pc_do_open(int dirfd, const char *path, int flags, mode_t mode, int at, int large)
{
    char abs[PATH_MAX];
    int followed = g_log >= 0 && pc_abs(dirfd, path, abs) == 0 && pc_followed(abs);
    int fd;
    if (!followed) {
        if (at)
            return large ? real_openat64(dirfd, path, flags, mode)
                         : real_openat(dirfd, path, flags, mode);
        return large ? real_open64(path, flags, mode) : real_open(path, flags, mode);
    }
    pthread_mutex_lock(&g_mu);
    struct stat st;
    int existed = stat(abs, &st) == 0;
    if ((flags & O_CREAT) && !existed) {
        pc_count(abs);
        pc_line("C 0 %s\n", abs);
    }
    if ((flags & O_TRUNC) && existed && S_ISREG(st.st_mode) && st.st_size > 0 &&
        (flags & O_ACCMODE) != O_RDONLY) {
        int rfd = real_open(abs, O_RDONLY | O_CLOEXEC);
        if (rfd >= 0) {
            pc_record_truncate(rfd, abs, 0);
            real_close(rfd);
        }
    }
    if (at)
        fd =
            large ? real_openat64(dirfd, path, flags, mode) : real_openat(dirfd, path, flags, mode);
    else
        fd = large ? real_open64(path, flags, mode) : real_open(path, flags, mode);
    int saved = errno;
    if (fd >= 0 && fd < PC_MAX_FD) {
        free(g_paths[fd]);
        g_paths[fd] = strdup(abs);
        g_isdir[fd] = fstat(fd, &st) == 0 && S_ISDIR(st.st_mode);
    }
    pthread_mutex_unlock(&g_mu);
    errno = saved;
    return fd;
}

static mode_t pc_mode(int flags, va_list ap)
{
    return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? (mode_t)va_arg(ap, int) : 0;
}

/* open, open64, openat and openat64: the mode argument is there only with
 * O_CREAT or O_TMPFILE; each hands over to pc_do_open. */
#define PC_OPEN(name, params, dir, at, large)                                                      \
    int name params                                                                                \
    {                                                                                              \
        PC_READY();                                                                                \
        va_list ap;                                                                                \
        va_start(ap, flags);                                                                       \
        mode_t m = pc_mode(flags, ap);                                                             \
        va_end(ap);                                                                                \
        return pc_do_open(dir, path, flags, m, at, large);                                         \
    }

PC_OPEN(open, (const char *path, int flags, ...), AT_FDCWD, 0, 0)
PC_OPEN(open64, (const char *path, int flags, ...), AT_FDCWD, 0, 1)
PC_OPEN(openat, (int dirfd, const char *path, int flags, ...), dirfd, 1, 0)
PC_OPEN(openat64, (int dirfd, const char *path, int flags, ...), dirfd, 1, 1)

/* With _FORTIFY_SOURCE an open whose flags are not a compile-time constant
 * calls these instead (there is no mode: they never create with O_CREAT). */
int __open_2(const char *path, int flags);
int __open64_2(const char *path, int flags);
int __openat_2(int dirfd, const char *path, int flags);
int __openat64_2(int dirfd, const char *path, int flags);

int __open_2(const char *path, int flags)
{
    PC_READY();
    return pc_do_open(AT_FDCWD, path, flags, 0, 0, 0);
}

int __open64_2(const char *path, int flags)
{
    PC_READY();
    return pc_do_open(AT_FDCWD, path, flags, 0, 0, 1);
}

int __openat_2(int dirfd, const char *path, int flags)
{
    PC_READY();
    return pc_do_open(dirfd, path, flags, 0, 1, 0);
}

int __openat64_2(int dirfd, const char *path, int flags)
{
    PC_READY();
    return pc_do_open(dirfd, path, flags, 0, 1, 1);
}

int creat(const char *path, mode_t mode)
{
    PC_READY();
    return pc_do_open(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode, 0, 0);
}

int close(int fd)
{
    PC_READY();
    if (fd >= 0 && fd < PC_MAX_FD && g_paths[fd]) {
        pthread_mutex_lock(&g_mu);
        free(g_paths[fd]);
        g_paths[fd] = NULL;
        pthread_mutex_unlock(&g_mu);
    }
    return real_close(fd);
}

static ssize_t pc_pwritev(int fd, const struct iovec *iov, int cnt, off_t off, int positioned,
                          int large)
{
    const char *path = pc_path(fd);
    if (!path || g_isdir[fd]) {
        if (positioned)
            return large ? real_pwrite64(fd, iov[0].iov_base, iov[0].iov_len, off)
                         : real_pwrite(fd, iov[0].iov_base, iov[0].iov_len, off);
        return cnt == 1 ? real_write(fd, iov[0].iov_base, iov[0].iov_len)
                        : real_writev(fd, iov, cnt);
    }
    pthread_mutex_lock(&g_mu);
    off_t at = off;
    if (!positioned) {
        int fl = fcntl(fd, F_GETFL);
        at = (fl >= 0 && (fl & O_APPEND)) ? pc_size(fd) : lseek(fd, 0, SEEK_CUR);
    }
    if (at >= 0)
        pc_record_write(fd, path, at, iov, cnt);
    ssize_t r;
    if (positioned)
        r = large ? real_pwrite64(fd, iov[0].iov_base, iov[0].iov_len, off)
                  : real_pwrite(fd, iov[0].iov_base, iov[0].iov_len, off);
    else
        r = cnt == 1 ? real_write(fd, iov[0].iov_base, iov[0].iov_len) : real_writev(fd, iov, cnt);
    pc_unlock();
    return r;
}

ssize_t write(int fd, const void *buf, size_t n)
{
    PC_READY();
    struct iovec v = {(void *)buf, n};
    return pc_pwritev(fd, &v, 1, 0, 0, 0);
}

ssize_t writev(int fd, const struct iovec *iov, int cnt)
{
    PC_READY();
    return pc_pwritev(fd, iov, cnt, 0, 0, 0);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
    PC_READY();
    struct iovec v = {(void *)buf, n};
    return pc_pwritev(fd, &v, 1, off, 1, 0);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off64_t off)
{
    PC_READY();
    struct iovec v = {(void *)buf, n};
    return pc_pwritev(fd, &v, 1, off, 1, 1);
}

static int pc_truncate(int fd, off_t size, int large)
{
    const char *path = pc_path(fd);
    if (!path)
        return large ? real_ftruncate64(fd, size) : real_ftruncate(fd, size);
    pthread_mutex_lock(&g_mu);
    pc_record_truncate(fd, path, size);
    int r = large ? real_ftruncate64(fd, size) : real_ftruncate(fd, size);
    pc_unlock();
    return r;
}

int ftruncate(int fd, off_t size)
{
    PC_READY();
    return pc_truncate(fd, size, 0);
}

int ftruncate64(int fd, off64_t size)
{
    PC_READY();
    return pc_truncate(fd, size, 1);
}

static int pc_sync(int fd, int data_only)
{
    const char *path = pc_path(fd);
    if (!path)
        return data_only ? real_fdatasync(fd) : real_fsync(fd);
    pthread_mutex_lock(&g_mu);
    int r = 0;
    if (pc_lies(path)) {
        pc_count(path);
        pc_line("L 0 %s\n", path);
    } else {
        /* Counted first: the power may go while the disk flushes. */
        pc_count(path);
        r = data_only ? real_fdatasync(fd) : real_fsync(fd);
        if (r == 0)
            pc_line("%c 0 %s\n", g_isdir[fd] ? 'D' : 'S', path);
    }
    pc_unlock();
    return r;
}

int fsync(int fd)
{
    PC_READY();
    return pc_sync(fd, 0);
}

int fdatasync(int fd)
{
    PC_READY();
    return pc_sync(fd, 1);
}

/* Records an unlink with the content the file had, so a lost unlink can
 * bring it back. */
static void pc_record_unlink(const char *abs)
{
    int rfd = real_open(abs, O_RDONLY | O_CLOEXEC);
    if (rfd < 0)
        return;
    off_t size = pc_size(rfd);
    pc_count(abs);
    pc_line("U %lld %s\n", (long long)size, abs);
    pc_old_bytes(rfd, abs, 0, (size_t)size, size);
    real_close(rfd);
}

/* unlink (at 0) or unlinkat (at 1): a file the test follows is recorded
 * with its content first. */
static int pc_unlink(int dirfd, const char *path, int flags, int at)
{
    char abs[PATH_MAX];
    if (g_log < 0 || (flags & AT_REMOVEDIR) || pc_abs(dirfd, path, abs) != 0 || !pc_followed(abs))
        return at ? real_unlinkat(dirfd, path, flags) : real_unlink(path);
    pthread_mutex_lock(&g_mu);
    pc_record_unlink(abs);
    int r = at ? real_unlinkat(dirfd, path, flags) : real_unlink(path);
    pc_unlock();
    return r;
}

int unlink(const char *path)
{
    PC_READY();
    return pc_unlink(AT_FDCWD, path, 0, 0);
}

int unlinkat(int dirfd, const char *path, int flags)
{
    PC_READY();
    return pc_unlink(dirfd, path, flags, 1);
}

int rename(const char *from, const char *to)
{
    PC_READY();
    char a[PATH_MAX], b[PATH_MAX];
    if (g_log < 0 || pc_abs(AT_FDCWD, from, a) != 0 || pc_abs(AT_FDCWD, to, b) != 0 ||
        (!pc_followed(a) && !pc_followed(b)))
        return real_rename(from, to);
    pthread_mutex_lock(&g_mu);
    struct stat st;
    if (stat(b, &st) == 0)
        pc_record_unlink(b); /* the replaced file, should the rename be lost */
    pc_count(b);
    pc_line("R 0 %s\t%s\n", a, b);
    int r = real_rename(from, to);
    pc_unlock();
    return r;
}

static void pc_check_mmap(int prot, int flags, int fd)
{
    const char *path = pc_path(fd);
    if (path && (prot & PROT_WRITE) && (flags & MAP_SHARED)) {
        pthread_mutex_lock(&g_mu);
        pc_line("M 0 %s\n", path);
        pthread_mutex_unlock(&g_mu);
    }
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
    PC_READY();
    pc_check_mmap(prot, flags, fd);
    return real_mmap(addr, len, prot, flags, fd, off);
}

void *mmap64(void *addr, size_t len, int prot, int flags, int fd, off64_t off)
{
    PC_READY();
    pc_check_mmap(prot, flags, fd);
    return real_mmap64(addr, len, prot, flags, fd, off);
}
