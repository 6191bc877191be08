/* clock: real or virtual time behind two functions. The virtual clock is
 * read from other threads (the staff export's worker dates its batch) while
 * the main loop moves it: its two numbers are atomic. */
#include "clock.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "log.h"

static bool g_virtual; /* set once at start-up, before other threads run */
static _Atomic int64_t g_virtual_mono;
static _Atomic int64_t g_virtual_wall_start;

static int64_t timespec_ms(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t clock_mono_ms(void)
{
    return g_virtual ? g_virtual_mono : timespec_ms(CLOCK_MONOTONIC);
}

int64_t clock_wall_ms(void)
{
    return g_virtual ? g_virtual_wall_start + g_virtual_mono : timespec_ms(CLOCK_REALTIME);
}

void clock_use_virtual(int64_t wall_start_ms)
{
    g_virtual = true;
    g_virtual_mono = 0;
    g_virtual_wall_start = wall_start_ms;
}

bool clock_is_virtual(void)
{
    return g_virtual;
}

void clock_advance_ms(int64_t ms)
{
    if (g_virtual && ms > 0)
        g_virtual_mono += ms;
}

KsStatus clock_set_wall(int64_t ms)
{
    if (g_virtual) {
        g_virtual_wall_start = ms - g_virtual_mono;
        return KS_OK;
    }
    struct timespec ts = {.tv_sec = (time_t)(ms / 1000), .tv_nsec = (long)(ms % 1000) * 1000000};
    if (clock_settime(CLOCK_REALTIME, &ts) != 0) {
        LOG_ERROR("cannot set the clock: %s", strerror(errno));
        return KS_ERR_IO;
    }
    return KS_OK;
}

void clock_format_iso(int64_t wall_ms, char out[32])
{
    time_t secs = (time_t)(wall_ms / 1000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    char date[24];
    if (strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm) == 0)
        date[0] = '\0';
    snprintf(out, 32, "%.19s.%03dZ", date, (int)(wall_ms % 1000));
}
