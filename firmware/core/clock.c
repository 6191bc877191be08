/* clock: real or virtual time behind two functions. */
#include "clock.h"

#include <stdio.h>
#include <time.h>

static bool g_virtual;
static int64_t g_virtual_mono;
static int64_t g_virtual_wall_start;

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

void clock_format_iso(int64_t wall_ms, char out[32])
{
    time_t secs = (time_t)(wall_ms / 1000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(wall_ms % 1000));
}
