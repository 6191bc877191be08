/* service: what the kiosk tells its service manager (systemd's sd_notify
 * protocol): ready once the first frame is on the screen, alive at half the
 * watchdog interval, a one-line status, and stopping. Every call is a no-op
 * when the process was not started by a service manager (no NOTIFY_SOCKET),
 * as in a terminal or the tests. */
#ifndef KS_SERVICE_H
#define KS_SERVICE_H

#include <stdint.h>

/* The first frame is shown: READY=1 (sent once; later calls do nothing). */
void service_ready(void);

/* Milliseconds between watchdog pings (half of WatchdogSec=), or -1 when
 * the manager runs no watchdog for this process. */
int64_t service_ping_interval_ms(void);

/* Sends WATCHDOG=1 when the interval has passed since the last ping, by
 * the real monotonic clock (never the kiosk's virtual test clock: the
 * watchdog counts real time). Returns the milliseconds until the next ping
 * is due (-1 without a watchdog), for the main loop's sleep. */
int64_t service_ping(void);

/* STATUS=<text>: shown by `systemctl status km2kiosk`. */
void service_status(const char *text);

/* STOPPING=1: the kiosk is shutting down on purpose. */
void service_stopping(void);

#endif
