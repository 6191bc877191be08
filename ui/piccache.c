/* piccache: rasterised pictures kept in files between starts (see
 * piccache.h). A file is a header, the key (a picture's source path, or
 * what a drawing made of several files names) and the pixel rows, in this
 * machine's byte order: the folder is the kiosk's own and is never carried
 * to another machine. */
#include "piccache.h"

#include <stdint.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "../firmware/core/fdio.h"
#include "../firmware/core/str.h"

#define DIR_LEN 512
#define NAME_LEN (DIR_LEN + 64)
#define KEY_MAX_KEPT 2048
#define NEW_PREFIX ".new-"

static const char MAGIC[8] = {'k', 'm', '2', 'k', 'p', 'i', 'c', '2'};

/* What a file must name to be the drawing asked for: its key, the source
 * file as it is now (none for a keyed drawing: its key names its files),
 * the size asked, and the program that made it (a new build may rasterise
 * differently). */
typedef struct {
    char magic[8];
    uint64_t exe_size, exe_ino;
    int64_t exe_mtime_s, exe_mtime_ns;
    uint64_t src_size, src_ino;
    int64_t src_mtime_s, src_mtime_ns, src_ctime_s, src_ctime_ns;
    uint32_t box_w, box_h, key_len, pad0;
    /* The pixels: w x h in format, rows of w * bytes per pixel, and their
     * checksum (a file whose blocks a power cut left unwritten), and what
     * the drawer keeps with them. */
    uint32_t w, h, format, pad;
    uint64_t sum;
    int32_t meta[PICCACHE_META];
} Head;

static char g_dir[DIR_LEN];
static size_t g_max;
static uint64_t g_keep_free;
static struct stat g_exe;

void piccache_set_dir(const char *dir, size_t max_bytes, uint64_t keep_free)
{
    g_dir[0] = '\0';
    g_max = max_bytes;
    g_keep_free = keep_free;
    if (!dir || !dir[0] || strlen(dir) >= sizeof g_dir || stat("/proc/self/exe", &g_exe) != 0)
        return;
    str_copy(g_dir, sizeof g_dir, dir);
}

/* The file for (key, box): FNV-1a of them names it; the header tells the
 * rare two that share a name apart. */
static void file_name(char *out, size_t size, const char *key, int box_w, int box_h)
{
    uint64_t h = 1469598103934665603ULL;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    h = (h ^ (uint64_t)box_w) * 1099511628211ULL;
    h = (h ^ (uint64_t)box_h) * 1099511628211ULL;
    snprintf(out, size, "%s/%016llx.px", g_dir, (unsigned long long)h);
}

/* The header a file for (key, box) must carry, with the identity of the
 * source file src (NULL: none); false when the source cannot be looked at
 * (then nothing is kept or used). */
static bool head_for(const char *key, const char *src, int box_w, int box_h, Head *h)
{
    struct stat st;
    size_t n = strlen(key);
    memset(&st, 0, sizeof st);
    if (!g_dir[0] || box_w <= 0 || box_h <= 0 || n == 0 || n > KEY_MAX_KEPT ||
        (src && stat(src, &st) != 0))
        return false;
    memset(h, 0, sizeof *h);
    memcpy(h->magic, MAGIC, sizeof MAGIC);
    h->exe_size = (uint64_t)g_exe.st_size;
    h->exe_ino = (uint64_t)g_exe.st_ino;
    h->exe_mtime_s = g_exe.st_mtim.tv_sec;
    h->exe_mtime_ns = g_exe.st_mtim.tv_nsec;
    h->src_size = (uint64_t)st.st_size;
    h->src_ino = (uint64_t)st.st_ino;
    h->src_mtime_s = st.st_mtim.tv_sec;
    h->src_mtime_ns = st.st_mtim.tv_nsec;
    h->src_ctime_s = st.st_ctim.tv_sec;
    h->src_ctime_ns = st.st_ctim.tv_nsec;
    h->box_w = (uint32_t)box_w;
    h->box_h = (uint32_t)box_h;
    h->key_len = (uint32_t)n;
    return true;
}

/* A format kept: packed pixels of 3 or 4 bytes, no palette. */
static bool format_kept(Uint32 format)
{
    return !SDL_ISPIXELFORMAT_INDEXED(format) && !SDL_ISPIXELFORMAT_FOURCC(format) &&
           (SDL_BYTESPERPIXEL(format) == 3 || SDL_BYTESPERPIXEL(format) == 4);
}

/* Folds n bytes into a running checksum, eight at a time. */
static uint64_t sum_bytes(uint64_t h, const unsigned char *p, size_t n)
{
    for (; n >= 8; p += 8, n -= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = (h ^ w) * 0x9E3779B97F4A7C15ULL;
        h ^= h >> 29;
    }
    for (; n > 0; p++, n--)
        h = (h ^ *p) * 1099511628211ULL;
    return h;
}

static uint64_t sum_rows(const SDL_Surface *s)
{
    uint64_t h = 1469598103934665603ULL;
    size_t row = (size_t)s->w * s->format->BytesPerPixel;
    for (int y = 0; y < s->h; y++)
        h = sum_bytes(h, (const unsigned char *)s->pixels + (size_t)y * (size_t)s->pitch, row);
    return h;
}

/* The pixels of an open file whose header matched want, into a new
 * surface; NULL when the file is not whole or not sane. */
static SDL_Surface *read_pixels(int fd, const Head *got, const char *key)
{
    char kept[KEY_MAX_KEPT];
    struct stat st;
    if (got->w == 0 || got->h == 0 || got->w > got->box_w || got->h > got->box_h ||
        !format_kept(got->format) || !fdio_read_all(fd, kept, got->key_len) ||
        memcmp(kept, key, got->key_len) != 0 || fstat(fd, &st) != 0)
        return NULL;
    size_t row = (size_t)got->w * SDL_BYTESPERPIXEL(got->format);
    if ((uint64_t)st.st_size != sizeof *got + got->key_len + row * got->h)
        return NULL;
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(
        0, (int)got->w, (int)got->h, (int)SDL_BITSPERPIXEL(got->format), got->format);
    if (!s)
        return NULL;
    bool ok = true;
    for (uint32_t y = 0; ok && y < got->h; y++)
        ok = fdio_read_all(fd, (char *)s->pixels + (size_t)y * (size_t)s->pitch, row);
    if (!ok || sum_rows(s) != got->sum) {
        SDL_FreeSurface(s);
        return NULL;
    }
    return s;
}

static SDL_Surface *get(const char *key, const char *src, int w, int h, int32_t meta[PICCACHE_META])
{
    Head want, got;
    if (!key || !head_for(key, src, w, h, &want))
        return NULL;
    char name[NAME_LEN];
    file_name(name, sizeof name, key, w, h);
    int fd = open(name, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    SDL_Surface *s = NULL;
    if (fdio_read_all(fd, &got, sizeof got)) {
        /* Everything up to the pixels' own size and format must agree. */
        size_t same = offsetof(Head, w);
        if (memcmp(&got, &want, same) == 0)
            s = read_pixels(fd, &got, key);
    }
    close(fd);
    if (s && meta)
        memcpy(meta, got.meta, sizeof got.meta);
    return s;
}

SDL_Surface *piccache_get(const char *path, int w, int h)
{
    return get(path, path, w, h, NULL);
}

SDL_Surface *piccache_get_keyed(const char *key, int w, int h, int32_t meta[PICCACHE_META])
{
    return get(key, NULL, w, h, meta);
}

typedef struct {
    char name[64];
    off_t size;
    struct timespec mtime;
} Kept;

static int older_first(const void *a, const void *b)
{
    const Kept *x = a, *y = b;
    if (x->mtime.tv_sec != y->mtime.tv_sec)
        return x->mtime.tv_sec < y->mtime.tv_sec ? -1 : 1;
    if (x->mtime.tv_nsec != y->mtime.tv_nsec)
        return x->mtime.tv_nsec < y->mtime.tv_nsec ? -1 : 1;
    return 0;
}

/* Keeps the folder within g_max bytes: the oldest files go, and what
 * another process left half written. */
static void trim(void)
{
    DIR *d = opendir(g_dir);
    if (!d)
        return;
    Kept *all = NULL;
    size_t n = 0, cap = 0;
    uint64_t total = 0;
    char mine[32];
    int mine_len = snprintf(mine, sizeof mine, NEW_PREFIX "%ld-", (long)getpid());
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        size_t len = strlen(e->d_name);
        struct stat st;
        if (strncmp(e->d_name, NEW_PREFIX, strlen(NEW_PREFIX)) == 0 &&
            strncmp(e->d_name, mine, (size_t)mine_len) != 0) {
            unlinkat(dirfd(d), e->d_name, 0); /* half written by a process cut off */
            continue;
        }
        if (len < 4 || len >= sizeof all->name || strcmp(e->d_name + len - 3, ".px") != 0 ||
            fstatat(dirfd(d), e->d_name, &st, 0) != 0)
            continue;
        if (n == cap) {
            size_t more = cap ? cap * 2 : 64;
            Kept *grown = realloc(all, more * sizeof *all);
            if (!grown)
                break;
            all = grown;
            cap = more;
        }
        str_copy(all[n].name, sizeof all[n].name, e->d_name);
        all[n].size = st.st_size;
        all[n].mtime = st.st_mtim;
        total += (uint64_t)st.st_size;
        n++;
    }
    if (total > g_max) {
        qsort(all, n, sizeof *all, older_first);
        for (size_t i = 0; i < n && total > g_max; i++)
            if (unlinkat(dirfd(d), all[i].name, 0) == 0)
                total -= (uint64_t)all[i].size;
    }
    closedir(d);
    free(all);
}

/* Whether bytes more can be written and keep g_keep_free free. */
static bool room_for(uint64_t bytes)
{
    struct statvfs v;
    const char *probe = g_dir;
    char parent[DIR_LEN];
    if (access(g_dir, F_OK) != 0) { /* not made yet: the disk of its folder */
        str_copy(parent, sizeof parent, g_dir);
        char *slash = strrchr(parent, '/');
        if (slash && slash != parent)
            *slash = '\0';
        probe = parent;
    }
    return statvfs(probe, &v) == 0 && (uint64_t)v.f_bavail * v.f_frsize >= g_keep_free + bytes;
}

static void put(const char *key, const char *src, int w, int h, const SDL_Surface *s,
                const int32_t meta[PICCACHE_META])
{
    Head head;
    if (!s || !key || !head_for(key, src, w, h, &head) || !format_kept(s->format->format) ||
        s->w <= 0 || s->h <= 0 || s->w > w || s->h > h || SDL_MUSTLOCK(s) ||
        SDL_HasColorKey((SDL_Surface *)s))
        return;
    head.w = (uint32_t)s->w;
    head.h = (uint32_t)s->h;
    head.format = s->format->format;
    head.sum = sum_rows(s);
    if (meta)
        memcpy(head.meta, meta, sizeof head.meta);
    size_t row = (size_t)s->w * s->format->BytesPerPixel;
    if (!room_for(sizeof head + head.key_len + row * (size_t)s->h) ||
        (mkdir(g_dir, 0700) != 0 && errno != EEXIST))
        return;
    char name[NAME_LEN], tmp[NAME_LEN];
    file_name(name, sizeof name, key, w, h);
    /* A name of this process and write alone (a picture may be kept from
     * two threads at once); one left by a process that was cut off goes
     * at the next trim. */
    static unsigned g_writes;
    snprintf(tmp, sizeof tmp, "%s/" NEW_PREFIX "%ld-%u", g_dir, (long)getpid(),
             __atomic_fetch_add(&g_writes, 1, __ATOMIC_RELAXED));
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return;
    bool ok = fdio_write_all(fd, &head, sizeof head) && fdio_write_all(fd, key, head.key_len);
    for (int y = 0; ok && y < s->h; y++)
        ok = fdio_write_all(fd, (const char *)s->pixels + (size_t)y * (size_t)s->pitch, row);
    ok = close(fd) == 0 && ok;
    if (!ok || rename(tmp, name) != 0) {
        unlink(tmp);
        return;
    }
    trim();
}

void piccache_put(const char *path, int w, int h, const SDL_Surface *s)
{
    put(path, path, w, h, s, NULL);
}

void piccache_put_keyed(const char *key, int w, int h, const SDL_Surface *s,
                        const int32_t meta[PICCACHE_META])
{
    put(key, NULL, w, h, s, meta);
}
