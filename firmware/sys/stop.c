/* stop: SIGTERM and SIGINT (see stop.h). The handlers only do what is
 * async-signal-safe: set a flag, arm alarm(), and on a second signal or
 * the alarm call _exit(). */
#include "stop.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "../core/log.h"

/* The exit status after the alarm or a second signal: as a shell reports a
 * process ended by SIGTERM. */
#define STOP_FORCED_STATUS (128 + SIGTERM)

static volatile sig_atomic_t g_stop;

static void on_alarm(int sig)
{
    (void)sig;
    _exit(STOP_FORCED_STATUS);
}

static void on_stop(int sig)
{
    (void)sig;
    if (g_stop)
        _exit(STOP_FORCED_STATUS);
    g_stop = 1;
    alarm(1); /* the loop ends long before; start-up or a stuck disk does not */
}

void stop_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_alarm;
    if (sigaction(SIGALRM, &sa, NULL) != 0)
        LOG_WARN("cannot handle SIGALRM: a stop may wait for a slow disk");
    sa.sa_handler = on_stop;
    if (sigaction(SIGTERM, &sa, NULL) != 0 || sigaction(SIGINT, &sa, NULL) != 0)
        LOG_WARN("cannot handle SIGTERM/SIGINT: they end the kiosk without its shutdown");
}

bool stop_requested(void)
{
    return g_stop != 0;
}
