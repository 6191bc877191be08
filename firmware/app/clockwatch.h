/* clockwatch: doubt about the wall clock. A Pi has no battery clock, so
 * after a power cut its time may be wrong. The last known good wall time
 * is kept in the store's settings; a clock found before it at start, or
 * jumping backwards against the monotonic clock while running, is "in
 * doubt" until staff set the clock or confirm the time shown. The doubt is
 * stored too, so a restart does not forget it. Draws nothing. */
#ifndef KS_CLOCKWATCH_H
#define KS_CLOCKWATCH_H

#include <stdint.h>
#include <stdbool.h>

#include "../storage/store.h"

typedef struct ClockWatch ClockWatch;

/* Settings keys in the store: ms since the epoch as decimal text, and
 * "1" while the clock is in doubt. */
#define CLOCKWATCH_KEY_LAST "clock_last_known_ms"
#define CLOCKWATCH_KEY_DOUBT "clock_doubt"

/* How far the clock may go back before it is doubted (NTP's small steps
 * and the once-a-minute saving stay below it). */
#define CLOCKWATCH_TOLERANCE_MS (2 * 60 * 1000)
/* How often the last known time is saved while running. */
#define CLOCKWATCH_SAVE_MS (60 * 1000)

/* Reads the stored state and compares the wall clock with the last known
 * time (doubt when it is more than the tolerance before it); the first
 * clockwatch_check then saves the time when not in doubt. store is
 * borrowed and must outlive the watch; NULL gives a watch that never
 * doubts. */
ClockWatch *clockwatch_create(Store *store);
/* Accepts NULL. */
void clockwatch_destroy(ClockWatch *cw);

/* Looks for a backwards jump since the last look and, when not in doubt,
 * saves the wall time at the first call and then once a minute. True when
 * the doubt began just now.
 * Cheap: call it on every tick and before a session starts. */
bool clockwatch_check(ClockWatch *cw);
/* Saves the wall time as last known now (after a committed session),
 * unless the clock is in doubt. */
void clockwatch_note(ClockWatch *cw);

bool clockwatch_in_doubt(const ClockWatch *cw);
/* The last known good wall time (ms since the epoch), 0 when none. */
int64_t clockwatch_last_known_ms(const ClockWatch *cw);

/* Staff set the clock (set = true) or confirmed the time shown: the doubt
 * ends and the wall time now is the last known one. KS_OK, or the store's
 * error (the doubt is then over only until the next start). */
KsStatus clockwatch_resolve(ClockWatch *cw, bool set);

/* The stored state without a watch (for `km2kiosk stats` and the staff
 * overview): whether the clock is in doubt and the last known time (0 when
 * none). */
void clockwatch_read_stored(Store *store, bool *doubt, int64_t *last_ms);

#endif
