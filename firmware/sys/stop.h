/* stop: what the kiosk does on SIGTERM (systemd stopping the service) and
 * SIGINT (Ctrl+C in a terminal). Every confirmed answer is already committed
 * when it is shown as confirmed, so stopping never waits for anything: the
 * main loop sees the request within a tenth of a second and ends normally,
 * and whatever still runs a second after the signal (start-up, a slow disk
 * under load) is ended by the timer the signal armed. A second signal ends
 * the process at once. SDL's own signal handling is off (ui/ sets
 * SDL_HINT_NO_SIGNAL_HANDLERS): this module owns both signals. */
#ifndef KS_STOP_H
#define KS_STOP_H

#include <stdbool.h>

/* Longest sleep of a loop that must notice a stop request. */
#define STOP_POLL_MS 100

/* Installs the handlers for SIGTERM and SIGINT (without SA_RESTART, so a
 * blocking read, such as a script from a pipe, returns EINTR). Call once,
 * early in main. */
void stop_install(void);

/* True once SIGTERM or SIGINT arrived. */
bool stop_requested(void);

#endif
