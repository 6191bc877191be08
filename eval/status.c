/* status: the archive's state per kiosk (see status.h). Gaps are worked
 * out from the chain links themselves: a batch names its predecessor, and a
 * predecessor that is nowhere in the archive is missing — unless a
 * re-export of it stands in, which is said separately. */
#include "status.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../firmware/core/clock.h"
#include "../firmware/core/mem.h"
#include "../firmware/core/str.h"
#include "names.h"

typedef struct {
    char id[64];
    char site[32];
    int batches, rows;
    char last_batch[48], last_period[16], last_received[24];
    Names known;     /* every batch id in the archive */
    Names prevs;     /* every predecessor named */
    Names stand_ins; /* originals a re-export stands in for */
    Names gaps, forks;
    int quarantined;
    bool quiet;
} KioskStat;

typedef struct {
    KioskStat *k;
    int n;
} Stats;

static KioskStat *stat_of(Stats *s, const char *id)
{
    for (int i = 0; i < s->n; i++)
        if (strcmp(s->k[i].id, id) == 0)
            return &s->k[i];
    s->k = xrealloc(s->k, (size_t)(s->n + 1) * sizeof *s->k);
    KioskStat *k = &s->k[s->n++];
    memset(k, 0, sizeof *k);
    str_copy(k->id, sizeof k->id, id);
    return k;
}

static bool on_batch(const ArchiveBatch *b, void *ctx)
{
    KioskStat *k = stat_of(ctx, b->kiosk_id);
    names_add(&k->known, b->id);
    if (b->prev_id[0])
        names_add(&k->prevs, b->prev_id);
    if (b->state == ARCHIVE_BATCH_STANDS_IN)
        names_add(&k->stand_ins, b->redo_of);
    if (b->state == ARCHIVE_BATCH_RECEIVED || b->state == ARCHIVE_BATCH_STANDS_IN) {
        k->batches++;
        k->rows += b->rows;
    }
    if (!k->site[0])
        str_copy(k->site, sizeof k->site, b->site);
    if (strcmp(b->received_at, k->last_received) > 0)
        str_copy(k->last_received, sizeof k->last_received, b->received_at);
    /* The newest batch: the latest period, then the latest id (dated). */
    int c = strcmp(b->period_to, k->last_period);
    if (!b->redo_of[0] && (c > 0 || (c == 0 && strcmp(b->id, k->last_batch) > 0))) {
        str_copy(k->last_batch, sizeof k->last_batch, b->id);
        str_copy(k->last_period, sizeof k->last_period, b->period_to);
    }
    return true;
}

static bool on_quarantine(const ArchiveQuarantined *q, void *ctx)
{
    KioskStat *k = stat_of(ctx, q->kiosk_id);
    if (strcmp(q->outcome, "fork") == 0)
        names_add(&k->forks, q->batch_id);
    return true;
}

/* "2026-12-07T10:11:12Z" -> seconds since the epoch (0 when malformed). */
static int64_t iso_seconds(const char *iso)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (!iso[0] || !strptime(iso, "%Y-%m-%dT%H:%M:%S", &tm))
        return 0;
    return (int64_t)timegm(&tm);
}

static void finish(Archive *a, Stats *s, int quiet_weeks)
{
    int64_t now = clock_wall_ms() / 1000;
    for (int i = 0; i < s->n; i++) {
        KioskStat *k = &s->k[i];
        char site[32];
        archive_kiosk_site(a, k->id, site, sizeof site);
        if (site[0])
            str_copy(k->site, sizeof k->site, site);
        for (int j = 0; j < k->prevs.n; j++) {
            const char *p = k->prevs.v[j];
            if (!names_has(&k->known, p) && !names_has(&k->stand_ins, p))
                names_add(&k->gaps, p);
        }
        k->quarantined = archive_quarantine_count(a, k->id);
        int64_t last = iso_seconds(k->last_received);
        k->quiet = last == 0 || now - last > (int64_t)quiet_weeks * 7 * 86400;
    }
}

static cJSON *names_json(const Names *l)
{
    cJSON *arr = cJSON_CreateArray();
    for (int i = 0; i < l->n; i++)
        cJSON_AddItemToArray(arr, cJSON_CreateString(l->v[i]));
    return arr;
}

static void write_json(const Stats *s, FILE *out)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *ks = cJSON_AddObjectToObject(root, "kiosks");
    for (int i = 0; i < s->n; i++) {
        const KioskStat *k = &s->k[i];
        cJSON *o = cJSON_AddObjectToObject(ks, k->id);
        cJSON_AddStringToObject(o, "site", k->site);
        cJSON_AddNumberToObject(o, "batches", k->batches);
        cJSON_AddNumberToObject(o, "rows", k->rows);
        if (k->last_batch[0]) {
            cJSON_AddStringToObject(o, "last_batch", k->last_batch);
            cJSON_AddStringToObject(o, "last_period", k->last_period);
        } else {
            cJSON_AddNullToObject(o, "last_batch");
            cJSON_AddNullToObject(o, "last_period");
        }
        if (k->last_received[0])
            cJSON_AddStringToObject(o, "last_received", k->last_received);
        else
            cJSON_AddNullToObject(o, "last_received");
        cJSON_AddItemToObject(o, "gaps", names_json(&k->gaps));
        cJSON_AddItemToObject(o, "stands_in", names_json(&k->stand_ins));
        cJSON_AddItemToObject(o, "forks", names_json(&k->forks));
        cJSON_AddNumberToObject(o, "quarantined", k->quarantined);
        cJSON_AddBoolToObject(o, "quiet", k->quiet);
    }
    char *text = cJSON_PrintUnformatted(root);
    if (text)
        fprintf(out, "%s\n", text);
    cJSON_free(text);
    cJSON_Delete(root);
}

static void write_list(FILE *out, const char *label, const Names *l)
{
    if (l->n == 0)
        return;
    fprintf(out, "    %s:", label);
    for (int i = 0; i < l->n; i++)
        fprintf(out, "%s %s", i ? "," : "", l->v[i]);
    fputc('\n', out);
}

static void write_text(const Stats *s, int quiet_weeks, FILE *out)
{
    if (s->n == 0)
        fprintf(out, "Das Archiv ist noch leer: kein Kiosk angemeldet, keine Lieferung.\n");
    const char *site = NULL;
    for (int i = 0; i < s->n; i++) {
        const KioskStat *k = &s->k[i];
        if (!site || strcmp(site, k->site) != 0) {
            site = k->site;
            fprintf(out, "Standort %s\n", site[0] ? site : "(ohne Standort)");
        }
        fprintf(out, "  Kiosk %s: %d Lieferung(en), %d Antworten", k->id, k->batches, k->rows);
        if (k->last_batch[0])
            fprintf(out, "; zuletzt %s (%s), empfangen %.10s", k->last_batch, k->last_period,
                    k->last_received);
        fputc('\n', out);
        write_list(out, "Es fehlen", &k->gaps);
        write_list(out, "Vertreten durch eine Wiederholung", &k->stand_ins);
        write_list(out, "Gabelung (in Quarantäne)", &k->forks);
        if (k->quarantined)
            fprintf(out, "    In Quarantäne: %d Lieferung(en)\n", k->quarantined);
        if (k->quiet)
            fprintf(out, "    %s\n",
                    k->last_received[0] ? "Seit mehr als den eingestellten Wochen nichts mehr "
                                          "geliefert."
                                        : "Hat noch nie geliefert.");
    }
    (void)quiet_weeks;
}

static int kiosk_cmp(const void *x, const void *y)
{
    const KioskStat *a = x, *b = y;
    int c = strcmp(a->site, b->site);
    return c ? c : strcmp(a->id, b->id);
}

KsStatus status_write(Archive *a, bool json, int quiet_weeks, FILE *out, int *problems)
{
    Stats s = {0};
    char **ids = NULL;
    int n = 0;
    KsStatus ks = archive_kiosks(a, &ids, &n);
    for (int i = 0; i < n; i++) {
        if (ks == KS_OK)
            (void)stat_of(&s, ids[i]);
        free(ids[i]);
    }
    free(ids);
    if (ks == KS_OK)
        ks = archive_batch_each(a, on_batch, &s);
    if (ks == KS_OK)
        ks = archive_quarantine_each(a, on_quarantine, &s);
    if (ks == KS_OK) {
        finish(a, &s, quiet_weeks);
        if (s.n > 1)
            qsort(s.k, (size_t)s.n, sizeof *s.k, kiosk_cmp);
        *problems = 0;
        for (int i = 0; i < s.n; i++)
            if (s.k[i].gaps.n || s.k[i].forks.n || s.k[i].quarantined || s.k[i].quiet)
                (*problems)++;
        if (json)
            write_json(&s, out);
        else
            write_text(&s, quiet_weeks, out);
    }
    for (int i = 0; i < s.n; i++) {
        names_free(&s.k[i].known);
        names_free(&s.k[i].prevs);
        names_free(&s.k[i].stand_ins);
        names_free(&s.k[i].gaps);
        names_free(&s.k[i].forks);
    }
    free(s.k);
    return ks;
}
