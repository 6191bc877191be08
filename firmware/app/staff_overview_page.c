/* staff_overview_page: the overview page of staff mode, the first after the
 * PIN — a warning while the clock is in doubt, what waits for the
 * evaluation office's receipts, sessions per form, what waits for export
 * and what is kept, free space, the last export, the signing key as a QR
 * code for enrolling the kiosk, and the time. The figures are
 * staff_overview.c's (shared with `km2kiosk stats`), gathered when the page
 * opens. */
#include <stdio.h>
#include <string.h>

#include "../core/clock.h"
#include "../core/log.h"
#include "../core/str.h"
#include "staff_private.h"
#include "view_build.h"

/* The signing key for the overview, created when there is none (staff may
 * open the overview before the first export), and its QR picture beside
 * the database. Loaded once per staff mode; tried again while it fails. */
static void key_load(Staff *s)
{
    StaffOverviewPage *o = &s->overview;
    if (o->have_key || !s->db_path)
        return;
    if (staff_key_load(s->db_path, &o->key, NULL) != KS_OK)
        return;
    o->have_key = true;
    if (staff_key_qr(s->db_path, &o->key, o->key_qr, sizeof o->key_qr) != KS_OK)
        o->key_qr[0] = '\0';
}

void staff_overview_page_enter(Staff *s)
{
    if (staff_overview_gather(s->store, s->db_path, &s->overview.figures) != KS_OK)
        LOG_WARN("staff overview incomplete");
    key_load(s);
}

void staff_overview_page_leave(Staff *s)
{
    s->overview.have_key = false;
}

/* What the kiosk keeps, and when the exported part goes. */
static void add_kept(Staff *s, KsView *v)
{
    const StoreKept *kp = &s->overview.figures.kept;
    char oldest[16] = "–", line[256];
    if (kp->sessions > 0) {
        char iso[32];
        clock_format_iso(kp->oldest_ms, iso);
        snprintf(oldest, sizeof oldest, "%.10s", iso);
    }
    int days = s->cfg->retention_days;
    if (days > 0)
        uitext_format(line, sizeof line, staff_lang(s),
                      s->cfg->eval_pubkey[0] ? UIT_STAFF_KEPT_ACK : UIT_STAFF_KEPT, kp->sessions,
                      kp->exported, days, oldest);
    else
        uitext_format(line, sizeof line, staff_lang(s), UIT_STAFF_KEPT_FOREVER, kp->sessions,
                      kp->exported, oldest);
    staff_view_line(v, line);
}

/* With receipts expected: how many exports the evaluation office has not
 * confirmed yet, and since when. */
static void add_acks(Staff *s, KsView *v)
{
    const StoreAckCounts *a = &s->overview.figures.acks;
    char line[256];
    if (a->unacked > 0) {
        char iso[32];
        clock_format_iso(a->oldest_unacked_ms, iso);
        char day[16];
        snprintf(day, sizeof day, "%.10s", iso);
        uitext_format(line, sizeof line, staff_lang(s), UIT_STAFF_UNACKED, a->unacked, day);
        staff_view_line(v, line);
    } else if (a->acked > 0) {
        staff_view_line(v, staff_text(s, UIT_STAFF_ALL_ACKED));
    }
}

/* Each form's sessions, and those of its latest day with answers (days
 * come oldest first). */
static void add_forms(Staff *s, KsView *v)
{
    const StaffOverview *o = &s->overview.figures;
    char line[256];
    for (int i = 0; i < o->n_forms; i++) {
        const StaffFormCounts *c = &o->forms[i];
        uitext_format(line, sizeof line, staff_lang(s), UIT_STAFF_COUNTS, c->form_id, c->complete,
                      c->abandoned, c->misuse);
        staff_view_line(v, line);
        for (int d = o->n_days - 1; d >= 0; d--) {
            const StaffDayCounts *dc = &o->days[d];
            if (strcmp(dc->form_id, c->form_id) != 0)
                continue;
            uitext_format(line, sizeof line, staff_lang(s), UIT_STAFF_DAY_COUNTS, dc->day,
                          dc->form_id, dc->complete, dc->abandoned);
            staff_view_line(v, line);
            break;
        }
    }
}

/* The signing key: its public key line as a QR code (a picture, not
 * tappable) for enrolling the kiosk at the office, its id under it. */
static void add_key(Staff *s, KsView *v)
{
    StaffOverviewPage *o = &s->overview;
    if (!s->db_path)
        return;
    if (!o->have_key) {
        staff_view_line(v, staff_text(s, UIT_STAFF_KEY_NONE));
        return;
    }
    snprintf(o->key_label, sizeof o->key_label, "%s %s", staff_text(s, UIT_STAFF_KEY), o->key.id);
    KsViewTarget *t = o->key_qr[0] ? view_add_slot(v, KS_SLOT_KEY_QR, "overview:key", o->key_label,
                                                   KS_TARGET_OPTION)
                                   : NULL;
    if (t) {
        t->enabled = false;
        t->image = o->key_qr;
    } else {
        staff_view_line(v, o->key_label);
    }
}

void staff_overview_page_view(Staff *s, KsView *v)
{
    const StaffOverview *o = &s->overview.figures;
    char line[256];
    staff_clock_doubt_line(s, v, UIT_STAFF_CLOCK_DOUBT);
    /* What waits for the office comes first: staff act on it. */
    if (s->cfg->eval_pubkey[0])
        add_acks(s, v);
    add_forms(s, v);
    uitext_format(line, sizeof line, staff_lang(s), UIT_STAFF_PENDING, o->pending_complete,
                  o->pending_flagged);
    staff_view_line(v, line);
    add_kept(s, v);
    char val[96];
    if (o->have_disk) {
        staff_overview_bytes(o->disk_free, val, sizeof val);
        uitext_format(line, sizeof line, staff_lang(s), UIT_STAFF_DISK, val);
        staff_view_line(v, line);
    }
    if (o->have_batch) {
        char iso[32];
        clock_format_iso(o->last_batch.created_ms, iso);
        snprintf(val, sizeof val, "%s (%.10s, %d)", o->last_batch.id, iso, o->last_batch.rows);
    } else {
        str_copy(val, sizeof val, staff_text(s, UIT_STAFF_NO_EXPORT));
    }
    uitext_format(line, sizeof line, staff_lang(s), UIT_STAFF_LAST_EXPORT, val);
    staff_view_line(v, line);
    add_key(s, v);
    char iso[32];
    clock_format_iso(clock_wall_ms(), iso);
    snprintf(val, sizeof val, "%.10s %.5s UTC", iso, iso + 11);
    uitext_format(line, sizeof line, staff_lang(s), UIT_STAFF_CLOCK_NOW, val);
    staff_view_line(v, line);
}
