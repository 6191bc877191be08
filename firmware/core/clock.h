/* clock: the only source of time. Real by default (CLOCK_MONOTONIC and the
 * wall clock); a virtual clock for headless runs and tests, advanced only by
 * clock_advance_ms, so a 60 s timeout takes no real time. */
#ifndef KS_CLOCK_H
#define KS_CLOCK_H

#include <stdint.h>
#include <stdbool.h>

#include "ks_status.h"

/* Milliseconds from an arbitrary start; never goes backwards. */
int64_t clock_mono_ms(void);
/* Milliseconds since the Unix epoch (UTC), as the system believes it. */
int64_t clock_wall_ms(void);

/* Switches to a virtual clock starting at the given wall time (ms since the
 * epoch) with the monotonic clock at 0. */
void clock_use_virtual(int64_t wall_start_ms);
bool clock_is_virtual(void);
/* Advances the virtual clock; ignored on the real clock. */
void clock_advance_ms(int64_t ms);

/* Sets the wall clock to ms since the epoch (UTC). The virtual clock is
 * shifted (the monotonic clock does not move); the real one is set with
 * clock_settime(CLOCK_REALTIME), which needs CAP_SYS_TIME: KS_ERR_IO (with a
 * log line) when the system refuses. */
KsStatus clock_set_wall(int64_t ms);

/* Formats a wall time as ISO 8601 UTC with milliseconds:
 * "2026-11-23T16:48:30.123Z" (25 bytes with the terminator). */
void clock_format_iso(int64_t wall_ms, char out[32]);

#endif
