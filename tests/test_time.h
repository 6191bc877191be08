/* test_time: real time in C tests — the monotonic clock in seconds, and a
 * wait for something busy (a speech queue, an audio device) to go quiet.
 * Header only. */
#ifndef KS_TEST_TIME_H
#define KS_TEST_TIME_H

#include <stdbool.h>
#include <time.h>
#include <unistd.h>

/* The monotonic clock in seconds. */
static inline double test_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Waits in steps of 2 ms until busy(ctx) is false; false when it still is
 * after timeout_s seconds. */
static inline bool test_wait_quiet(bool (*busy)(void *), void *ctx, double timeout_s)
{
    double end = test_seconds() + timeout_s;
    while (busy(ctx)) {
        if (test_seconds() > end)
            return false;
        usleep(2000);
    }
    return true;
}

#endif
