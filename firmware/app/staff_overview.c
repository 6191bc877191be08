/* staff_overview: one pass over the store's statistics, plus statvfs. */
#include "staff_overview.h"

#include <stdio.h>
#include <string.h>

#include "../core/clock.h"
#include "../core/str.h"
#include "../sys/disk.h"
#include "clockwatch.h"

static void add_counts(int *complete, int *abandoned, int *open, int *misuse, const char *outcome,
                       int count, int flagged)
{
    if (strcmp(outcome, "complete") == 0)
        *complete += count;
    else if (strcmp(outcome, "abandoned") == 0)
        *abandoned += count;
    else
        *open += count;
    *misuse += flagged;
}

static void on_day(void *ctx, const char *form_id, const char *day, const char *outcome, int count,
                   int misuse)
{
    StaffOverview *o = ctx;
    int f = 0;
    while (f < o->n_forms && strcmp(o->forms[f].form_id, form_id) != 0)
        f++;
    if (f == o->n_forms && o->n_forms < STAFF_OVERVIEW_FORMS)
        str_copy(o->forms[o->n_forms++].form_id, sizeof o->forms[0].form_id, form_id);
    if (f < o->n_forms) {
        StaffFormCounts *c = &o->forms[f];
        add_counts(&c->complete, &c->abandoned, &c->open, &c->misuse, outcome, count, misuse);
    }
    StaffDayCounts *d = NULL;
    for (int i = o->n_days - 1; i >= 0 && !d; i--)
        if (strcmp(o->days[i].form_id, form_id) == 0 && strcmp(o->days[i].day, day) == 0)
            d = &o->days[i];
    if (!d) {
        if (o->n_days == STAFF_OVERVIEW_DAYS) {
            /* Keep the newest days: drop the oldest row. */
            memmove(o->days, o->days + 1, sizeof o->days[0] * (STAFF_OVERVIEW_DAYS - 1));
            o->n_days--;
        }
        d = &o->days[o->n_days++];
        memset(d, 0, sizeof *d);
        str_copy(d->form_id, sizeof d->form_id, form_id);
        str_copy(d->day, sizeof d->day, day);
    }
    add_counts(&d->complete, &d->abandoned, &d->open, &d->misuse, outcome, count, misuse);
}

KsStatus staff_overview_gather(Store *s, const char *db_path, StaffOverview *out)
{
    memset(out, 0, sizeof *out);
    out->now_ms = clock_wall_ms();
    KsStatus first = store_stats_days(s, on_day, out);
    KsStatus ks = store_stats_pending(s, &out->pending_complete, &out->pending_flagged);
    if (first == KS_OK)
        first = ks;
    ks = store_batch_last(s, &out->last_batch);
    out->have_batch = ks == KS_OK;
    if (ks != KS_OK && ks != KS_ERR_NOT_FOUND && first == KS_OK)
        first = ks;
    ks = store_retention_kept(s, &out->kept);
    if (first == KS_OK)
        first = ks;
    ks = store_stats_acks(s, &out->acks);
    if (first == KS_OK)
        first = ks;
    clockwatch_read_stored(s, &out->clock_doubt, &out->last_known_ms);
    if (db_path)
        out->have_disk = disk_space(db_path, &out->disk_free, &out->disk_total) == KS_OK;
    return first;
}

void staff_overview_bytes(uint64_t bytes, char *out, int size)
{
    static const char *const units[] = {"B", "kB", "MB", "GB", "TB"};
    double v = (double)bytes;
    int u = 0;
    while (v >= 1000 && u < 4) {
        v /= 1000;
        u++;
    }
    snprintf(out, (size_t)size, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
}
