/* picdecode: a picture read in a process of its own (see picdecode.h). What
 * goes through the pipe: "KSP1", the width, the height and the SDL pixel
 * format as 32-bit numbers, then the rows of pixels, no padding. The
 * format is the one the picture was read in (the renderer blends each
 * format with its own code, so another one could change a pixel's last
 * bit); a picture with a palette, or of other than 3 or 4 bytes a pixel,
 * goes as ARGB8888, as a texture would be made of it. */
#include "picdecode.h"

#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../firmware/core/clock.h"
#include "../firmware/core/fdio.h"
#include "../firmware/core/log.h"

extern char **environ;

static const char MAGIC[4] = {'K', 'S', 'P', '1'};

/* A format that goes through the pipe as it is. */
static bool format_sent(Uint32 format)
{
    return !SDL_ISPIXELFORMAT_INDEXED(format) && !SDL_ISPIXELFORMAT_FOURCC(format) &&
           (SDL_BYTESPERPIXEL(format) == 3 || SDL_BYTESPERPIXEL(format) == 4);
}

bool picdecode_write(int fd, SDL_Surface *s)
{
    SDL_Surface *out = format_sent(s->format->format)
                           ? s
                           : SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_ARGB8888, 0);
    if (!out)
        return false;
    uint32_t head[4] = {0, (uint32_t)out->w, (uint32_t)out->h, out->format->format};
    memcpy(head, MAGIC, sizeof MAGIC);
    size_t row = (size_t)out->w * out->format->BytesPerPixel;
    bool ok = fdio_write_all(fd, head, sizeof head);
    for (int y = 0; ok && y < out->h; y++)
        ok = fdio_write_all(fd, (const char *)out->pixels + (size_t)y * (size_t)out->pitch, row);
    if (out != s)
        SDL_FreeSurface(out);
    return ok;
}

/* Reads n bytes from fd before the monotonic deadline (ms). 1: read, 0:
 * end of file first, -1: error or time out. */
static int read_full(int fd, void *buf, size_t n, int64_t deadline)
{
    char *p = buf;
    while (n > 0) {
        int64_t left = deadline - clock_mono_ms();
        if (left <= 0)
            return -1;
        struct pollfd pf = {fd, POLLIN, 0};
        int r = poll(&pf, 1, (int)left);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        ssize_t k = read(fd, p, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            return -1;
        if (k == 0)
            return 0;
        p += k;
        n -= (size_t)k;
    }
    return 1;
}

/* Starts `exe picture path w h` with its standard output on a new pipe,
 * whose reading end goes to *out. */
static bool start(const char *exe, const char *path, int w, int h, pid_t *pid, int *out)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        return false;
    char ws[16], hs[16];
    snprintf(ws, sizeof ws, "%d", w);
    snprintf(hs, sizeof hs, "%d", h);
    char *argv[] = {(char *)exe, "picture", (char *)path, ws, hs, NULL};
    posix_spawn_file_actions_t fa;
    int err = posix_spawn_file_actions_init(&fa);
    if (err == 0) {
        err = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
        if (err == 0)
            err = posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
        if (err == 0)
            err = posix_spawn(pid, exe, &fa, NULL, argv, environ);
        posix_spawn_file_actions_destroy(&fa);
    }
    close(fds[1]);
    if (err != 0) {
        close(fds[0]);
        errno = err;
        return false;
    }
    *out = fds[0];
    return true;
}

/* Waits for pid to end before the deadline (then stops it); true when it
 * ended by exiting with 0. */
static bool ended_well(pid_t pid, int64_t deadline, int timeout_ms, const char *path)
{
    int status = 0;
    for (;;) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            break;
        if (r < 0 && errno != EINTR) {
            LOG_WARN("picture %s: its reader cannot be waited for: %s", path, strerror(errno));
            return false;
        }
        if (clock_mono_ms() >= deadline) {
            kill(pid, SIGKILL);
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
            }
            LOG_WARN("picture %s: its reader took longer than %d ms and was stopped", path,
                     timeout_ms);
            return false;
        }
        struct timespec ts = {0, 1000000}; /* the reader ends right after its last write */
        nanosleep(&ts, NULL);
    }
    if (WIFSIGNALED(status)) {
        LOG_WARN("picture %s: its reader crashed (signal %d)", path, WTERMSIG(status));
        return false;
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

SDL_Surface *picdecode_run(const char *exe, const char *path, int w, int h, int timeout_ms,
                           bool *started)
{
    pid_t pid;
    int fd = -1;
    *started = start(exe, path, w, h, &pid, &fd);
    if (!*started)
        return NULL;
    int64_t deadline = clock_mono_ms() + timeout_ms;
    SDL_Surface *s = NULL;
    uint32_t head[4];
    int got = read_full(fd, head, sizeof head, deadline);
    bool fits = got == 1 && memcmp(head, MAGIC, sizeof MAGIC) == 0 && head[1] > 0 &&
                head[1] <= (uint32_t)w && head[2] > 0 && head[2] <= (uint32_t)h &&
                format_sent(head[3]);
    if (fits)
        s = SDL_CreateRGBSurfaceWithFormat(0, (int)head[1], (int)head[2],
                                           (int)SDL_BITSPERPIXEL(head[3]), head[3]);
    bool whole = s != NULL;
    for (int y = 0; whole && y < s->h; y++)
        whole = read_full(fd, (char *)s->pixels + (size_t)y * (size_t)s->pitch,
                          (size_t)s->w * s->format->BytesPerPixel, deadline) == 1;
    close(fd);
    bool well = ended_well(pid, deadline, timeout_ms, path);
    if (got == 1 && !fits)
        LOG_WARN("picture %s: its reader wrote no picture of at most %dx%d", path, w, h);
    else if (well && s && !whole)
        LOG_WARN("picture %s: its reader stopped before the whole picture", path);
    if (!well || !whole) {
        SDL_FreeSurface(s);
        return NULL;
    }
    return s;
}
