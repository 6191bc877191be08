/* burst: a ring of the latest tap times. */
#include "burst.h"

#include <string.h>

void burst_reset(Burst *b)
{
    memset(b, 0, sizeof *b);
}

bool burst_note(Burst *b, int64_t now_ms, int n)
{
    if (n > BURST_MAX)
        n = BURST_MAX;
    if (n < 1)
        n = 1;
    b->taps[b->pos] = now_ms;
    b->pos = (b->pos + 1) % BURST_MAX;
    /* The tap n-1 places back in the ring is the oldest of the last n. */
    int64_t oldest = b->taps[(b->pos - n + BURST_MAX) % BURST_MAX];
    return oldest > 0 && now_ms - oldest < 1000;
}
