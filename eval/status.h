/* status: `km2eval status` — per site and kiosk what the archive holds:
 * batches and rows received, the last batch and its period, gaps in the
 * chain (batches known to be missing), forks, quarantined batches, and
 * kiosks not heard from for a while. Reads the archive only. */
#ifndef KM2EVAL_STATUS_H
#define KM2EVAL_STATUS_H

#include <stdbool.h>
#include <stdio.h>

#include "archive.h"

/* Writes the status to out: German lines, or with json one line
 * {"kiosks":{"<id>":{"site":…,"batches":n,"rows":n,"last_batch":…,
 * "last_period":…,"last_received":…,"gaps":[…],"stands_in":[…],"forks":[…],
 * "quarantined":n,"quiet":bool}}}. A kiosk is quiet when nothing came from
 * it for more than quiet_weeks weeks (or never, when it is enrolled).
 * *problems counts kiosks with gaps, forks, quarantine or quiet. */
KsStatus status_write(Archive *a, bool json, int quiet_weeks, FILE *out, int *problems);

#endif
