/* staff_export: one worker thread per run. The job and the result are the
 * worker's while it runs; the progress, the finished flag and the stop
 * request are shared and live under the mutex. The UI thread touches the
 * result only after it saw the finished flag (under the mutex) and joined. */
#include "staff_export.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/log.h"
#include "../core/mem.h"
#include "../core/str.h"
#include "../storage/store.h"
#include "../sys/safe_copy.h"

struct StaffExport {
    pthread_mutex_t lock;
    pthread_t thread;
    bool started; /* a thread runs or waits to be joined */
    /* under lock */
    bool finished;
    bool stop;
    ExportProgress progress;
    /* the worker's until finished */
    StaffExportJob job;
    StaffExportDone done;
};

StaffExport *staff_export_create(void)
{
    StaffExport *e = xcalloc(1, sizeof *e);
    pthread_mutex_init(&e->lock, NULL);
    return e;
}

void staff_export_destroy(StaffExport *e)
{
    if (!e)
        return;
    if (e->started) {
        pthread_mutex_lock(&e->lock);
        e->stop = true;
        pthread_mutex_unlock(&e->lock);
        LOG_INFO("staff mode: waiting for the export to stop");
        pthread_join(e->thread, NULL);
    }
    pthread_mutex_destroy(&e->lock);
    free(e);
}

/* export_run's progress, from the worker: kept for the UI; false once the
 * UI asked the run to stop. */
static bool on_progress(void *ctx, const ExportProgress *p)
{
    StaffExport *e = ctx;
    pthread_mutex_lock(&e->lock);
    e->progress = *p;
    bool go_on = !e->stop;
    pthread_mutex_unlock(&e->lock);
    return go_on;
}

static bool stop_asked(StaffExport *e)
{
    pthread_mutex_lock(&e->lock);
    bool stop = e->stop;
    pthread_mutex_unlock(&e->lock);
    return stop;
}

/* Keeps a copy of the batch's QR receipt beside the database, so the export
 * page can still show it once the stick is unmounted. Only the newest copy
 * is kept; its name carries the batch id, so the picture cache never shows
 * an older receipt under the same name. */
static void keep_receipt(const StaffExportJob *j, StaffExportDone *d)
{
    char dir[CONFIG_PATH_MAX], name[96];
    const char *slash = strrchr(j->db_path, '/');
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - j->db_path) : 1,
             slash ? j->db_path : ".");
    /* The receipt as written on the stick, shown large for scanning. */
    snprintf(d->qr, sizeof d->qr, "%s/%s/%s-batch-qr.png", j->stick.mount, EXPORT_DIR_NAME,
             d->run.batch_id);
    if (access(d->qr, R_OK) != 0) {
        d->qr[0] = '\0';
        return;
    }
    snprintf(name, sizeof name, "receipt-%s-qr.png", d->run.batch_id);
    if (j->old_receipt[0] && strcmp(j->old_receipt, name) != 0)
        (void)safe_copy_discard(dir, j->old_receipt);
    KsStatus ks = safe_copy_file(d->qr, dir, name, NULL, NULL);
    if (ks != KS_OK) {
        LOG_WARN("QR receipt not kept beside the database: %s", ks_status_str(ks));
        return;
    }
    str_copy(d->receipt, sizeof d->receipt, name);
    snprintf(d->qr, sizeof d->qr, "%s/%s", dir, name);
}

/* The run, on the worker thread: its own connection, the export, the
 * receipts on the stick, and after a good run the receipt kept and the
 * stick unmounted at once (staff pull it without another tap). */
static void run_job(StaffExport *e, Store *store)
{
    const StaffExportJob *j = &e->job;
    StaffExportDone *d = &e->done;
    static const ExportStickPort port = {safe_copy_dir, safe_copy_file, safe_copy_discard,
                                         safe_copy_clean};
    ExportRunOptions o = {.db_path = j->db_path,
                          .stick_dir = j->stick.mount,
                          .redo_batch = j->redo_batch[0] ? j->redo_batch : NULL,
                          .port = &port,
                          .now_ms = j->now_ms,
                          .progress = on_progress,
                          .progress_ctx = e};
    d->status = export_run(store, j->catalog, j->cfg, &o, &d->run);
    LOG_INFO("staff mode: export to %s: %s (%s)", j->stick.mount,
             export_outcome_name(d->run.outcome), ks_status_str(d->status));
    if (stop_asked(e))
        return;
    /* The office may have put receipts on this stick; read them while it
     * is still mounted, whatever became of the export. */
    if (j->cfg->eval_pubkey[0]) {
        KsStatus ks =
            retention_read_acks(store, j->cfg->eval_pubkey, j->stick.mount, j->now_ms, &d->acks);
        if (ks != KS_OK)
            LOG_WARN("staff mode: receipts on %s not (all) read: %s", j->stick.mount,
                     ks_status_str(ks));
        d->acks_read = true;
    }
    if (d->status != KS_OK || d->run.outcome != EXPORT_DONE)
        return;
    keep_receipt(j, d);
    d->eject = usb_eject(&j->stick, j->cfg->usb_eject);
    d->eject_tried = true;
    LOG_INFO("staff mode: after the export, eject %s: %s", j->stick.mount,
             usb_eject_outcome_name(d->eject));
}

static void *worker(void *arg)
{
    StaffExport *e = arg;
    Store *store = NULL;
    KsStatus ks = store_open(e->job.db_path, &store);
    if (ks == KS_OK) {
        run_job(e, store);
    } else {
        LOG_ERROR("staff mode: the export cannot open %s: %s", e->job.db_path, ks_status_str(ks));
        e->done.status = ks;
        e->done.run.outcome = EXPORT_FAILED;
        e->done.run.cause = EXPORT_CAUSE_FAILED;
    }
    store_close(&store);
    pthread_mutex_lock(&e->lock);
    e->finished = true;
    pthread_mutex_unlock(&e->lock);
    return NULL;
}

KsStatus staff_export_start(StaffExport *e, const StaffExportJob *job)
{
    if (e->started)
        return KS_ERR_STATE;
    e->job = *job;
    memset(&e->done, 0, sizeof e->done);
    e->finished = e->stop = false;
    e->progress = (ExportProgress){.phase = EXPORT_PHASE_BUILDING};
    if (pthread_create(&e->thread, NULL, worker, e) != 0) {
        LOG_ERROR("staff mode: no thread for the export");
        return KS_ERR_IO;
    }
    e->started = true;
    return KS_OK;
}

bool staff_export_running(const StaffExport *e)
{
    return e && e->started;
}

bool staff_export_progress(StaffExport *e, ExportProgress *out)
{
    if (!e || !e->started)
        return false;
    pthread_mutex_lock(&e->lock);
    *out = e->progress;
    pthread_mutex_unlock(&e->lock);
    return true;
}

const StaffExportDone *staff_export_collect(StaffExport *e)
{
    if (!e || !e->started)
        return NULL;
    pthread_mutex_lock(&e->lock);
    bool finished = e->finished;
    pthread_mutex_unlock(&e->lock);
    if (!finished)
        return NULL;
    pthread_join(e->thread, NULL);
    e->started = false;
    return &e->done;
}
