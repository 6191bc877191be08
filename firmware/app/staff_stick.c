/* staff_stick: the USB stick on the staff export and import pages — noticing
 * it in the mount table, reading the evaluation office's receipts on it,
 * exporting to it (on a worker thread, staff_export.c) and ejecting it.
 * Part of the staff state machine (staff.c hands it the taps and the
 * ticks); draws nothing. */
#include <stdio.h>
#include <string.h>

#include "../core/clock.h"
#include "../core/log.h"
#include "../core/str.h"
#include "../sys/usb.h"
#include "retention.h"
#include "staff_export_text.h"
#include "staff_private.h"

/* How often the export and import pages read the mount table again. */
#define STICK_POLL_MS 1000

/* What staff hear about the receipts read from a stick; false (and nothing
 * changed) when there were none. */
static bool acks_said(Staff *s, const RetentionAcks *r)
{
    if (r->recorded == 0 && r->ignored == 0)
        return false;
    char line[256];
    s->acks_text[0] = '\0';
    if (r->recorded > 0) {
        uitext_format(line, sizeof line, staff_lang(s), UIT_STAFF_ACKS_NEW, r->recorded);
        str_copy(s->acks_text, sizeof s->acks_text, line);
    }
    if (r->ignored > 0) {
        uitext_format(line, sizeof line, staff_lang(s), UIT_STAFF_ACKS_BAD, r->ignored);
        size_t n = strlen(s->acks_text);
        snprintf(s->acks_text + n, sizeof s->acks_text - n, "%s%s", n ? " " : "", line);
    }
    return true;
}

/* Reads the evaluation office's receipts on the stick at mount into the
 * ledger (only with eval_pubkey set) and keeps what staff hear about them;
 * fresh: a stick just noticed, whose earlier message no longer applies.
 * True when that message changed. */
static bool read_acks(Staff *s, const char *mount, bool fresh)
{
    str_copy(s->acks_mount, sizeof s->acks_mount, mount);
    bool had = s->acks_text[0] != '\0';
    if (fresh)
        s->acks_text[0] = '\0';
    if (!s->cfg->eval_pubkey[0] || !s->store)
        return had && fresh;
    RetentionAcks r;
    KsStatus ks = retention_read_acks(s->store, s->cfg->eval_pubkey, mount, clock_wall_ms(), &r);
    if (ks != KS_OK)
        LOG_WARN("staff mode: receipts on %s not (all) read: %s", mount, ks_status_str(ks));
    if (r.recorded == 0 && r.ignored == 0)
        return had && fresh;
    char line[256];
    s->acks_text[0] = '\0';
    if (r.recorded > 0) {
        uitext_format(line, sizeof line, staff_lang(s), UIT_STAFF_ACKS_NEW, r.recorded);
        str_copy(s->acks_text, sizeof s->acks_text, line);
    }
    if (r.ignored > 0) {
        uitext_format(line, sizeof line, staff_lang(s), UIT_STAFF_ACKS_BAD, r.ignored);
        size_t n = strlen(s->acks_text);
        snprintf(s->acks_text + n, sizeof s->acks_text - n, "%s%s", n ? " " : "", line);
    }
    return true;
}

bool staff_stick_poll(Staff *s)
{
    s->next_poll_ms = clock_mono_ms() + STICK_POLL_MS;
    UsbStick now;
    bool have = usb_find(s->cfg->usb_mounts, s->cfg->usb_root, &now) == KS_OK;
    if (have && s->ejected[0] && strcmp(now.mount, s->ejected) == 0)
        have = false;
    else
        s->ejected[0] = '\0'; /* the ejected stick has left the table */
    char line[sizeof s->stick_line];
    if (!have) {
        str_copy(line, sizeof line, uitext_get(staff_lang(s), UIT_STAFF_STICK_NONE));
    } else if (now.read_only) {
        uitext_format(line, sizeof line, staff_lang(s), UIT_STAFF_STICK_RO, now.mount);
    } else {
        char free_txt[64];
        staff_overview_bytes(now.free_bytes, free_txt, sizeof free_txt);
        uitext_format(line, sizeof line, staff_lang(s), UIT_STAFF_STICK, now.mount, free_txt);
    }
    bool changed = have != s->have_stick || strcmp(line, s->stick_line) != 0;
    s->have_stick = have;
    if (have)
        s->stick = now;
    str_copy(s->stick_line, sizeof s->stick_line, line);
    if (changed)
        LOG_INFO("staff mode: %s", line);
    if (!have)
        s->acks_mount[0] = '\0';
    else if (strcmp(now.mount, s->acks_mount) != 0)
        changed = read_acks(s, now.mount, true) || changed;
    return changed;
}

bool staff_stick_watched(const Staff *s)
{
    return s->screen == KS_SCREEN_STAFF_EXPORT ||
           (s->screen == KS_SCREEN_STAFF_FORMS && s->importing);
}

void staff_stick_eject(Staff *s)
{
    s->export_text[0] = '\0';
    s->export_qr[0] = '\0';
    s->acks_text[0] = '\0';
    staff_stick_poll(s);
    if (!s->have_stick) {
        s->export_msg = UIT_STAFF_STICK_NONE;
        return;
    }
    UsbEjectOutcome ej = usb_eject(&s->stick, s->cfg->usb_eject);
    s->export_msg = ej == USB_EJECTED        ? UIT_STAFF_EJECTED
                    : ej == USB_EJECT_SYNCED ? UIT_STAFF_EJECT_SYNCED
                                             : UIT_STAFF_EJECT_FAILED;
    LOG_INFO("staff mode: eject %s: %s", s->stick.mount, usb_eject_outcome_name(ej));
    /* An unmounted stick has left the mount table by itself; one that is
     * still listed (only synced) is not offered again until it is gone. */
    if (ej != USB_EJECTED)
        str_copy(s->ejected, sizeof s->ejected, s->stick.mount);
    s->have_stick = false;
    (void)staff_stick_poll(s);
}

void staff_stick_export(Staff *s, const char *redo_batch)
{
    if (staff_export_running(s->exp)) {
        /* One export at a time: a second tap says so and changes nothing. */
        s->export_msg = UIT_EXPORT_BUSY;
        LOG_INFO("staff mode: export asked for while one runs");
        return;
    }
    s->export_msg = NO_TEXT;
    s->export_text[0] = '\0';
    s->export_qr[0] = '\0';
    staff_stick_poll(s);
    if (!s->db_path || !s->have_stick) {
        s->export_msg = UIT_STAFF_NO_STICK;
        LOG_INFO("staff mode: export asked for, no stick below %s", s->cfg->usb_root);
        return;
    }
    StaffExportJob job = {
        .cfg = s->cfg, .catalog = s->catalog, .stick = s->stick, .now_ms = clock_wall_ms()};
    str_copy(job.db_path, sizeof job.db_path, s->db_path);
    str_copy(job.redo_batch, sizeof job.redo_batch, redo_batch ? redo_batch : "");
    str_copy(job.old_receipt, sizeof job.old_receipt, s->receipt);
    if (staff_export_start(s->exp, &job) != KS_OK) {
        s->export_msg = UIT_EXPORT_FAILED;
        return;
    }
    str_copy(s->export_mount, sizeof s->export_mount, s->stick.mount);
    s->export_next_ms = clock_mono_ms() + STAFF_EXPORT_FRAME_MS;
    LOG_INFO("staff mode: export started, stick %s", s->stick.mount);
}

bool staff_stick_collect(Staff *s)
{
    const StaffExportDone *d = staff_export_collect(s->exp);
    if (!d)
        return false;
    staff_export_text(&d->run, staff_lang(s), false, s->export_text, sizeof s->export_text);
    if (d->acks_read) {
        str_copy(s->acks_mount, sizeof s->acks_mount, s->export_mount);
        (void)acks_said(s, &d->acks);
    }
    if (d->run.outcome == EXPORT_DONE) {
        str_copy(s->export_qr, sizeof s->export_qr, d->qr);
        if (d->receipt[0])
            str_copy(s->receipt, sizeof s->receipt, d->receipt);
    }
    if (d->eject_tried && d->eject != USB_EJECT_GONE) {
        size_t n = strlen(s->export_text);
        snprintf(s->export_text + n, sizeof s->export_text - n, "%s%s", n ? " " : "",
                 staff_eject_text(d->eject, staff_lang(s)));
        /* An unmounted stick has left the mount table by itself; one only
         * synced stays on offer (for "repeat the last export") until it is
         * pulled. */
        if (d->eject == USB_EJECTED)
            s->have_stick = false;
    }
    return true;
}
