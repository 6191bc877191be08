/* staff_export_page: the export page of staff mode — starting the export to
 * the stick (or the last one again, for a lost stick), following it on its
 * worker thread (staff_export.c) with its phase and a bar, then its result
 * in words, the QR receipt to scan and the office's receipts read, and
 * ejecting the stick. While an export runs staff mode cannot be left, and
 * a result that came in while another page showed stays until this page
 * has shown it. */
#include <stdio.h>
#include <string.h>

#include "../core/clock.h"
#include "../core/log.h"
#include "../core/str.h"
#include "../storage/store_export.h"
#include "staff_export_text.h"
#include "staff_private.h"
#include "view_build.h"

void staff_export_page_init(Staff *s)
{
    s->export.msg = UIT_NONE;
    s->export.run = staff_export_create();
}

void staff_export_page_free(Staff *s)
{
    staff_export_destroy(s->export.run);
    s->export.run = NULL;
}

void staff_export_page_enter(Staff *s)
{
    StaffExportPage *e = &s->export;
    /* A running export, or a result that came in while another page
     * showed, stays on the page. */
    if (staff_busy(s) || e->unseen) {
        e->unseen = false;
        staff_stick_poll(s);
        return;
    }
    e->msg = UIT_NONE;
    e->text[0] = '\0';
    e->qr[0] = '\0';
    staff_stick_reread_acks(s);
    staff_stick_poll(s);
}

void staff_export_page_leave(Staff *s)
{
    s->export.unseen = false;
}

void staff_export_page_hold(Staff *s)
{
    s->export.msg = UIT_EXPORT_BUSY_STAY;
}

/* Starts the export to the stick on its worker thread: the responses not
 * exported yet, or with redo_batch the sessions of that earlier batch again
 * (a lost stick). While one runs, it only says so. */
static void start(Staff *s, const char *redo_batch)
{
    StaffExportPage *e = &s->export;
    if (staff_export_running(e->run)) {
        /* One export at a time: a second tap says so and changes nothing. */
        e->msg = UIT_EXPORT_BUSY;
        LOG_INFO("staff mode: export asked for while one runs");
        return;
    }
    e->msg = UIT_NONE;
    e->text[0] = '\0';
    e->qr[0] = '\0';
    staff_stick_poll(s);
    if (!s->db_path || !s->stick.have) {
        e->msg = UIT_STAFF_NO_STICK;
        LOG_INFO("staff mode: export asked for, no stick below %s", s->cfg->usb_root);
        return;
    }
    StaffExportJob job = {
        .cfg = s->cfg, .catalog = s->catalog, .stick = s->stick.usb, .now_ms = clock_wall_ms()};
    str_copy(job.db_path, sizeof job.db_path, s->db_path);
    str_copy(job.redo_batch, sizeof job.redo_batch, redo_batch ? redo_batch : "");
    str_copy(job.old_receipt, sizeof job.old_receipt, e->receipt);
    if (staff_export_start(e->run, &job) != KS_OK) {
        e->msg = UIT_EXPORT_FAILED;
        return;
    }
    str_copy(e->mount, sizeof e->mount, s->stick.usb.mount);
    e->next_ms = clock_mono_ms() + STAFF_EXPORT_FRAME_MS;
    LOG_INFO("staff mode: export started, stick %s", s->stick.usb.mount);
}

/* Once the running export has finished: its result in words, the QR
 * receipt and the office's receipts become what the page shows. True when
 * that happened. */
static bool collect(Staff *s)
{
    StaffExportPage *e = &s->export;
    const StaffExportDone *d = staff_export_collect(e->run);
    if (!d)
        return false;
    staff_export_text(&d->run, staff_lang(s), false, e->text, sizeof e->text);
    if (d->acks_read)
        staff_stick_acks_read(s, e->mount, &d->acks);
    if (d->run.outcome == EXPORT_DONE) {
        str_copy(e->qr, sizeof e->qr, d->qr);
        if (d->receipt[0])
            str_copy(e->receipt, sizeof e->receipt, d->receipt);
    }
    if (d->eject_tried && d->eject != USB_EJECT_GONE) {
        size_t n = strlen(e->text);
        snprintf(e->text + n, sizeof e->text - n, "%s%s", n ? " " : "",
                 staff_eject_text(d->eject, staff_lang(s)));
        /* An unmounted stick has left the mount table by itself; one only
         * synced stays on offer (for "repeat the last export") until it is
         * pulled. */
        if (d->eject == USB_EJECTED)
            s->stick.have = false;
    }
    return true;
}

void staff_export_page_tap(Staff *s, const char *id)
{
    StaffExportPage *e = &s->export;
    if (strcmp(id, "export:start") == 0) {
        start(s, NULL);
    } else if (strcmp(id, "export:again") == 0) {
        StoreBatch last;
        if (staff_busy(s))
            start(s, NULL); /* says that one runs */
        else if (store_batch_last(s->store, &last) == KS_OK)
            start(s, last.id);
    } else if (strcmp(id, "export:eject") == 0) {
        if (staff_busy(s)) {
            e->msg = UIT_EXPORT_BUSY;
            return;
        }
        e->text[0] = '\0';
        e->qr[0] = '\0';
        e->msg = staff_stick_eject(s);
    }
}

/* The export on its worker thread, looked at once a frame (every
 * STAFF_EXPORT_FRAME_MS on the kiosk's clock; never at the instant it
 * started, so a script's `dump` right after the tap shows it running): its
 * result once it has finished, else whether its progress moved since the
 * page was last built. */
bool staff_export_page_tick(Staff *s)
{
    StaffExportPage *e = &s->export;
    if (!staff_busy(s) || clock_mono_ms() < e->next_ms)
        return false;
    e->next_ms = clock_mono_ms() + STAFF_EXPORT_FRAME_MS;
    if (collect(s)) {
        e->msg = UIT_NONE;
        e->unseen = s->screen != KS_SCREEN_STAFF_EXPORT;
        /* Staff get their full idle time to read the result. */
        staff_touch(s);
        return true;
    }
    ExportProgress p;
    if (!staff_export_progress(e->run, &p))
        return false;
    /* No idle end while it runs: leaving is refused until it has finished. */
    staff_touch(s);
    const ExportProgress *was = &e->shown;
    bool moved = p.phase != was->phase || p.files_done != was->files_done ||
                 p.bytes_done != was->bytes_done || p.bytes_total != was->bytes_total;
    e->shown = p;
    return moved && s->screen == KS_SCREEN_STAFF_EXPORT;
}

int64_t staff_export_page_deadline(const Staff *s)
{
    return s->export.next_ms;
}

/* The running export's phase and how far it is, as a line and a bar in
 * thousandths: building, then writing and reading back by bytes, then
 * checking the stick's copy. */
static void add_progress(Staff *s, KsView *v, const ExportProgress *p)
{
    char line[256], done[32], total[32];
    staff_overview_bytes(p->bytes_done, done, sizeof done);
    staff_overview_bytes(p->bytes_total, total, sizeof total);
    double part = p->bytes_total > 0   ? (double)p->bytes_done / (double)p->bytes_total
                  : p->files_total > 0 ? (double)p->files_done / p->files_total
                                       : 0;
    if (part > 1)
        part = 1;
    switch (p->phase) {
    case EXPORT_PHASE_BUILDING:
        str_copy(line, sizeof line, staff_text(s, UIT_EXPORT_PHASE_BUILDING));
        v->progress_pos = 20;
        break;
    case EXPORT_PHASE_WRITING:
        uitext_format(line, sizeof line, staff_lang(s), UIT_EXPORT_PHASE_WRITING, p->files_done,
                      p->files_total, done, total);
        v->progress_pos = 50 + (int)(450 * part);
        break;
    case EXPORT_PHASE_READING_BACK:
        uitext_format(line, sizeof line, staff_lang(s), UIT_EXPORT_PHASE_READING_BACK,
                      p->files_done, p->files_total, done, total);
        v->progress_pos = 500 + (int)(400 * part);
        break;
    case EXPORT_PHASE_VERIFYING:
        str_copy(line, sizeof line, staff_text(s, UIT_EXPORT_PHASE_VERIFYING));
        v->progress_pos = 950;
        break;
    }
    v->progress_total = 1000;
    staff_view_line(v, line);
}

/* Start and eject, repeating the last export, where the stick is, then the
 * running export's progress or the last result (beside a QR receipt the
 * result alone: it names the place). */
void staff_export_page_view(Staff *s, KsView *v)
{
    const StaffExportPage *e = &s->export;
    ExportProgress p;
    bool running = staff_export_progress(e->run, &p);
    view_add_target(v, "export:start", staff_text(s, UIT_STAFF_EXPORT_START), KS_TARGET_PRIMARY);
    if (s->stick.have)
        view_add_target(v, "export:eject", staff_text(s, UIT_STAFF_EJECT), KS_TARGET_SECONDARY);
    StoreBatch last;
    if (!running && s->stick.have && !e->qr[0] && store_batch_last(s->store, &last) == KS_OK)
        view_add_slot(v, KS_SLOT_EXPORT_AGAIN, "export:again",
                      staff_text(s, UIT_STAFF_EXPORT_AGAIN), KS_TARGET_SECONDARY);
    if (!e->qr[0] && e->msg != UIT_STAFF_NO_STICK)
        str_copy(v->message, sizeof v->message, s->stick.line);
    if (running)
        add_progress(s, v, &p);
    if (e->msg != UIT_NONE)
        staff_view_line(v, staff_text(s, e->msg));
    else if (!running && e->text[0])
        staff_view_line(v, e->text);
    if (s->stick.acks_text[0])
        staff_view_line(v, s->stick.acks_text);
    KsViewTarget *qr =
        e->qr[0] ? view_add_slot(v, KS_SLOT_EXPORT_QR, "export:qr", NULL, KS_TARGET_OPTION) : NULL;
    if (qr) {
        qr->enabled = false;
        qr->image = e->qr;
    }
}
