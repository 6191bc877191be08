/* burst: notices a burst of taps — many within one second — as a sign of
 * misuse (a child hammering the screen). It only counts; what a burst
 * means (a flag on a session or a voting token) is the caller's. */
#ifndef KS_BURST_H
#define KS_BURST_H

#include <stdint.h>
#include <stdbool.h>

#define BURST_MAX 64

typedef struct {
    int64_t taps[BURST_MAX]; /* monotonic times of the latest taps, a ring */
    int pos;
} Burst;

/* Forgets every tap (a new session or visit). */
void burst_reset(Burst *b);
/* Records a tap at now_ms (monotonic); true when it and the n-1 taps before
 * it came within one second (n is capped at BURST_MAX). */
bool burst_note(Burst *b, int64_t now_ms, int n);

#endif
