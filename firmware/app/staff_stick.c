/* staff_stick: the USB stick on the staff export and import pages — noticing
 * it in the mount table, reading the evaluation office's receipts on it,
 * exporting to it (export_run through safe_copy) and ejecting it. Part of
 * the staff state machine (staff.c hands it the taps); draws nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/clock.h"
#include "../core/log.h"
#include "../core/mem.h"
#include "../core/str.h"
#include "../sys/safe_copy.h"
#include "../sys/usb.h"
#include "../../export/export.h"
#include "retention.h"
#include "staff_private.h"

/* How often the export and import pages read the mount table again. */
#define STICK_POLL_MS 1000

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
    KsStatus st =
        retention_read_acks(s->store, s->cfg->eval_pubkey, mount, clock_wall_ms(), &r);
    if (st != KS_OK)
        LOG_WARN("staff mode: receipts on %s not (all) read: %s", mount, ks_status_str(st));
    if (r.recorded == 0 && r.ignored == 0)
        return had && fresh;
    char line[256];
    s->acks_text[0] = '\0';
    if (r.recorded > 0) {
        uitext_format(line, sizeof line, "de", UIT_STAFF_ACKS_NEW, r.recorded);
        str_copy(s->acks_text, sizeof s->acks_text, line);
    }
    if (r.ignored > 0) {
        uitext_format(line, sizeof line, "de", UIT_STAFF_ACKS_BAD, r.ignored);
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
        str_copy(line, sizeof line, uitext_get("de", UIT_STAFF_STICK_NONE));
    } else if (now.read_only) {
        uitext_format(line, sizeof line, "de", UIT_STAFF_STICK_RO, now.mount);
    } else {
        char free_txt[64];
        staff_overview_bytes(now.free_bytes, free_txt, sizeof free_txt);
        uitext_format(line, sizeof line, "de", UIT_STAFF_STICK, now.mount, free_txt);
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
    bool unmounted = false;
    char msg[256];
    KsStatus st = usb_eject(&s->stick, s->cfg->usb_eject, &unmounted, msg, sizeof msg);
    s->export_msg = st != KS_OK ? UIT_STAFF_EJECT_FAILED
                    : unmounted ? UIT_STAFF_EJECTED
                                : UIT_STAFF_EJECT_SYNCED;
    LOG_INFO("staff mode: eject %s: %s", s->stick.mount, msg);
    /* An unmounted stick has left the mount table by itself; one that is
     * still listed (only synced) is not offered again until it is gone. */
    if (!unmounted)
        str_copy(s->ejected, sizeof s->ejected, s->stick.mount);
    s->have_stick = false;
    (void)staff_stick_poll(s);
}

/* Keeps a copy of the batch's QR receipt beside the database, so the export
 * screen can still show it once the stick is unmounted. Only the newest
 * copy is kept; its name carries the batch id, so the picture cache never
 * shows an older receipt under the same name. */
static void keep_receipt(Staff *s, const char *batch_id)
{
    char dir[CONFIG_PATH_MAX], name[96], msg[256];
    const char *slash = strrchr(s->db_path, '/');
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - s->db_path) : 1,
             slash ? s->db_path : ".");
    snprintf(name, sizeof name, "receipt-%s-qr.png", batch_id);
    if (s->receipt[0] && strcmp(s->receipt, name) != 0)
        (void)safe_copy_discard(dir, s->receipt);
    s->receipt[0] = '\0';
    if (safe_copy_file(s->export_qr, dir, name, msg, sizeof msg) != KS_OK) {
        LOG_WARN("QR receipt not kept beside the database: %s", msg);
        return;
    }
    str_copy(s->receipt, sizeof s->receipt, name);
    snprintf(s->export_qr, sizeof s->export_qr, "%s/%s", dir, name);
}

/* After a verified export the stick is unmounted at once: staff pull it
 * without another tap. When unmounting is not permitted it is synced, and
 * it stays on offer (for "repeat the last export") until it is pulled. */
static void eject_after_export(Staff *s, const UsbStick *stick)
{
    bool unmounted = false;
    char msg[256];
    KsStatus st = usb_eject(stick, s->cfg->usb_eject, &unmounted, msg, sizeof msg);
    LOG_INFO("staff mode: after the export, eject %s: %s", stick->mount, msg);
    if (st != KS_OK)
        return;
    size_t n = strlen(s->export_text);
    snprintf(s->export_text + n, sizeof s->export_text - n, "%s%s", n ? " " : "", msg);
    if (unmounted)
        s->have_stick = false;
}

void staff_stick_export(Staff *s, const char *redo_batch)
{
    s->export_msg = NO_TEXT;
    s->export_text[0] = '\0';
    s->export_qr[0] = '\0';
    staff_stick_poll(s);
    UsbStick stick = s->stick;
    if (!s->db_path || !s->have_stick) {
        s->export_msg = UIT_STAFF_NO_STICK;
        LOG_INFO("staff mode: export asked for, no stick below %s", s->cfg->usb_root);
        return;
    }
    static const ExportStickPort port = {safe_copy_dir, safe_copy_file, safe_copy_discard,
                                         safe_copy_clean};
    ExportRunOptions o = {.db_path = s->db_path, .stick_dir = stick.mount, .port = &port,
                          .redo_batch = redo_batch, .ejects_after = true};
    ExportRunResult *r = xcalloc(1, sizeof *r);
    KsStatus st = export_run(s->store, s->catalog, s->cfg, &o, r);
    str_copy(s->export_text, sizeof s->export_text, r->message);
    LOG_INFO("staff mode: export to %s: %s (%s)", stick.mount, export_outcome_name(r->outcome),
             ks_status_str(st));
    /* The office may have put receipts on this stick; read them while it
     * is still mounted. */
    (void)read_acks(s, stick.mount, false);
    if (st == KS_OK && r->outcome == EXPORT_DONE) {
        /* The receipt as written on the stick, shown large for scanning. */
        snprintf(s->export_qr, sizeof s->export_qr, "%s/%s/%s-batch-qr.png", stick.mount,
                 EXPORT_DIR_NAME, r->batch_id);
        if (access(s->export_qr, R_OK) != 0)
            s->export_qr[0] = '\0';
        else
            keep_receipt(s, r->batch_id);
        eject_after_export(s, &stick);
    }
    free(r);
}

