/* staff_overview: the figures of the staff overview screen and of
 * `km2kiosk stats` — sessions per form (and per form and day), what waits
 * for export, what is kept, free disk space, the last export, the batches
 * the evaluation office has confirmed and the clock (and whether it is in
 * doubt). Reads storage and the file system; changes
 * nothing. */
#ifndef KS_STAFF_OVERVIEW_H
#define KS_STAFF_OVERVIEW_H

#include <stdint.h>
#include <stdbool.h>

#include "../storage/store.h"
#include "../storage/store_export.h"
#include "../storage/store_retention.h"
#include "../storage/store_stats.h"

#define STAFF_OVERVIEW_FORMS 32
#define STAFF_OVERVIEW_DAYS 512

typedef struct {
    char form_id[64];
    int complete, abandoned, open, misuse;
} StaffFormCounts;

typedef struct {
    char form_id[64];
    char day[11]; /* "YYYY-MM-DD" (UTC) */
    int complete, abandoned, open, misuse;
} StaffDayCounts;

typedef struct {
    int n_forms;
    StaffFormCounts forms[STAFF_OVERVIEW_FORMS];
    int n_days; /* newest last; at most STAFF_OVERVIEW_DAYS kept */
    StaffDayCounts days[STAFF_OVERVIEW_DAYS];
    int pending_complete, pending_flagged; /* complete and not yet exported */
    bool have_disk;
    uint64_t disk_free, disk_total; /* bytes, of the database's file system */
    bool have_batch;
    StoreBatch last_batch;
    int64_t now_ms;        /* wall clock when gathered */
    bool clock_doubt;      /* the clock went back (clockwatch.h) */
    int64_t last_known_ms; /* last known good wall time, 0 when none */
    StoreKept kept;        /* what the kiosk keeps (retention) */
    StoreAckCounts acks;   /* batches the evaluation office confirmed */
} StaffOverview;

/* Gathers the overview from the store and the file system of db_path (NULL:
 * no disk figures). Fills what it can; the first storage error is returned
 * (a missing batch is not an error). */
KsStatus staff_overview_gather(Store *s, const char *db_path, StaffOverview *out);

/* "1.2 GB", "850 MB", "12 kB" (decimal units). */
void staff_overview_bytes(uint64_t bytes, char *out, int size);

#endif
