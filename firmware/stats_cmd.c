/* stats_cmd: `km2kiosk stats`, the sessions per form and outcome and the
 * staff overview's figures as one JSON line, for a technician or a
 * monitoring script. Part of the composition root. */
#include "stats_cmd.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/staff_overview.h"
#include "cmd_args.h"
#include "core/clock.h"
#include "core/str.h"
#include "paths.h"
#include "storage/store.h"
#include "storage/store_stats.h"

#define PATH_LEN 1024

static void count_row(void *ctx, const char *form_id, StoreOutcome outcome, int count)
{
    cJSON *sessions = ctx;
    cJSON *f = cJSON_GetObjectItemCaseSensitive(sessions, form_id);
    if (!f)
        f = cJSON_AddObjectToObject(sessions, form_id);
    cJSON_AddNumberToObject(f, store_outcome_name(outcome), count);
}

static void add_counts(cJSON *o, int complete, int abandoned, int open, int misuse)
{
    cJSON_AddNumberToObject(o, "complete", complete);
    cJSON_AddNumberToObject(o, "abandoned", abandoned);
    cJSON_AddNumberToObject(o, "open", open);
    cJSON_AddNumberToObject(o, "misuse", misuse);
}

/* `stats`: the whole staff overview, under "overview". */
static void add_overview(cJSON *o, const StaffOverview *ov)
{
    cJSON *root = cJSON_AddObjectToObject(o, "overview");
    cJSON *forms = cJSON_AddObjectToObject(root, "forms");
    for (int i = 0; i < ov->n_forms; i++) {
        const StaffFormCounts *c = &ov->forms[i];
        add_counts(cJSON_AddObjectToObject(forms, c->form_id), c->complete, c->abandoned, c->open,
                   c->misuse);
    }
    cJSON *days = cJSON_AddArrayToObject(root, "days");
    for (int i = 0; i < ov->n_days; i++) {
        const StaffDayCounts *d = &ov->days[i];
        cJSON *row = cJSON_CreateObject();
        cJSON_AddStringToObject(row, "form", d->form_id);
        cJSON_AddStringToObject(row, "day", d->day);
        add_counts(row, d->complete, d->abandoned, d->open, d->misuse);
        cJSON_AddItemToArray(days, row);
    }
    cJSON *pending = cJSON_AddObjectToObject(root, "pending");
    cJSON_AddNumberToObject(pending, "complete", ov->pending_complete);
    cJSON_AddNumberToObject(pending, "misuse", ov->pending_flagged);
    if (ov->have_disk) {
        cJSON *disk = cJSON_AddObjectToObject(root, "disk");
        cJSON_AddNumberToObject(disk, "free_bytes", (double)ov->disk_free);
        cJSON_AddNumberToObject(disk, "total_bytes", (double)ov->disk_total);
    } else {
        cJSON_AddNullToObject(root, "disk");
    }
    if (ov->have_batch) {
        cJSON *b = cJSON_AddObjectToObject(root, "last_export");
        char iso[32];
        clock_format_iso(ov->last_batch.created_ms, iso);
        cJSON_AddStringToObject(b, "batch", ov->last_batch.id);
        cJSON_AddNumberToObject(b, "rows", ov->last_batch.rows);
        cJSON_AddStringToObject(b, "created", iso);
    } else {
        cJSON_AddNullToObject(root, "last_export");
    }
    char now[32];
    clock_format_iso(ov->now_ms, now);
    cJSON_AddStringToObject(root, "clock", now);
    cJSON_AddBoolToObject(root, "clock_doubt", ov->clock_doubt);
    if (ov->last_known_ms > 0) {
        char last[32];
        clock_format_iso(ov->last_known_ms, last);
        cJSON_AddStringToObject(root, "last_known_time", last);
    } else {
        cJSON_AddNullToObject(root, "last_known_time");
    }
    cJSON *kept = cJSON_AddObjectToObject(root, "kept");
    cJSON_AddNumberToObject(kept, "sessions", ov->kept.sessions);
    cJSON_AddNumberToObject(kept, "exported", ov->kept.exported);
    /* The evaluation office's receipts: batches confirmed and not yet. */
    cJSON *acks = cJSON_AddObjectToObject(root, "receipts");
    cJSON_AddNumberToObject(acks, "acknowledged", ov->acks.acked);
    cJSON_AddNumberToObject(acks, "unacknowledged", ov->acks.unacked);
    if (ov->acks.unacked > 0) {
        char oldest[32];
        clock_format_iso(ov->acks.oldest_unacked_ms, oldest);
        cJSON_AddStringToObject(acks, "oldest_unacknowledged", oldest);
    } else {
        cJSON_AddNullToObject(acks, "oldest_unacknowledged");
    }
}

int stats_cmd_main(int argc, char **argv)
{
    const char *db_arg = "";
    const CmdArg opts[] = {{"--db", &db_arg}, {NULL, NULL}};
    if (!cmd_args_read("stats", argc, argv, opts)) {
        fputs("usage: km2kiosk stats [--db FILE]\n", stderr);
        return 2;
    }
    char db[PATH_LEN];
    str_copy(db, sizeof db, db_arg);
    if (!db[0] && !paths_default_db(db, sizeof db))
        return 1;
    Store *s = NULL;
    KsStatus ks = store_open(db, &s);
    if (ks != KS_OK) {
        fprintf(stderr, "km2kiosk: cannot open %s: %s\n", db, ks_status_str(ks));
        return 1;
    }
    cJSON *o = cJSON_CreateObject();
    cJSON *sessions = cJSON_AddObjectToObject(o, "sessions");
    ks = store_stats_sessions(s, count_row, sessions);
    /* The staff overview screen's figures, from the same gatherer. */
    StaffOverview *ov = calloc(1, sizeof *ov);
    if (ks == KS_OK && ov)
        ks = staff_overview_gather(s, db, ov);
    if (ks == KS_OK && ov)
        add_overview(o, ov);
    free(ov);
    store_close(&s);
    if (ks != KS_OK) {
        cJSON_Delete(o);
        fprintf(stderr, "km2kiosk: cannot read %s: %s\n", db, ks_status_str(ks));
        return 1;
    }
    char *txt = cJSON_PrintUnformatted(o);
    puts(txt);
    cJSON_free(txt);
    cJSON_Delete(o);
    return 0;
}
