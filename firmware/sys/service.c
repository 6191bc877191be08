/* service: the sd_notify side of the systemd unit (Type=notify,
 * WatchdogSec=). libsystemd does the protocol; this file decides when. The
 * watchdog is pinged from the main loop only, so a loop that hangs (a
 * blocked write, a stuck driver) is restarted by systemd. */
#include "service.h"

#include <stdbool.h>
#include <systemd/sd-daemon.h>
#include <time.h>

#include "../core/log.h"

static bool sent_ready;
static int64_t interval_ms = -2; /* -2: not looked up yet */
static int64_t last_ping_ms = -1;

void service_ready(void)
{
    if (sent_ready)
        return;
    sent_ready = true;
    if (sd_notify(0, "READY=1") > 0)
        LOG_INFO("service manager told: ready");
}

int64_t service_ping_interval_ms(void)
{
    if (interval_ms == -2) {
        uint64_t usec = 0;
        /* > 0 only when WATCHDOG_USEC is set for this very process. */
        if (sd_watchdog_enabled(0, &usec) > 0 && usec >= 2000)
            interval_ms = (int64_t)(usec / 2000);
        else
            interval_ms = -1;
        if (interval_ms > 0)
            LOG_INFO("watchdog: pinging every %lld ms", (long long)interval_ms);
    }
    return interval_ms;
}

int64_t service_ping(void)
{
    int64_t every = service_ping_interval_ms();
    if (every < 0)
        return -1;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    int64_t now_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    if (last_ping_ms < 0 || now_ms - last_ping_ms >= every) {
        (void)sd_notify(0, "WATCHDOG=1");
        last_ping_ms = now_ms;
    }
    return last_ping_ms + every - now_ms;
}

void service_status(const char *text)
{
    if (text)
        (void)sd_notifyf(0, "STATUS=%s", text);
}

void service_stopping(void)
{
    (void)sd_notify(0, "STOPPING=1");
}
