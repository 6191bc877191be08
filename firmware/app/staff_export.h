/* staff_export: the staff export page's export, run on a worker thread
 * beside the UI so that a slow stick never freezes the screen or starves
 * the watchdog (the main loop keeps running). The worker opens its own
 * connection to the database (store_open on the same path: WAL lets it read
 * and commit beside the UI's), runs export_run through safe_copy, reads the
 * evaluation office's receipts on the stick, keeps a copy of the QR receipt
 * beside the database and ejects the stick; then it closes its connection
 * and ends. The UI thread starts it, reads the latest progress (kept under a
 * mutex) each frame, and collects the result once it is finished. One run
 * at a time. Words nothing and draws nothing. */
#ifndef KS_STAFF_EXPORT_H
#define KS_STAFF_EXPORT_H

#include <stdint.h>
#include <stdbool.h>

#include "../../export/export.h"
#include "../core/config.h"
#include "../survey/catalog.h"
#include "../sys/usb.h"
#include "retention.h"

typedef struct StaffExport StaffExport;

/* What to export, copied when the run starts. */
typedef struct {
    const KsConfig *cfg;    /* borrowed: must not change until the run is collected */
    const Catalog *catalog; /* borrowed: must not change until the run is collected (no
                               form import meanwhile) */
    char db_path[CONFIG_PATH_MAX];
    UsbStick stick;       /* where to write, and what to eject after a good run */
    char redo_batch[48];  /* re-export this batch; "" the responses not exported yet */
    int64_t now_ms;       /* the batch date and the receipts' time (wall clock) */
    char old_receipt[96]; /* the receipt copy kept beside the database so far, or "" */
} StaffExportJob;

/* How a run ended. */
typedef struct {
    KsStatus status;     /* export_run's */
    ExportRunResult run; /* its outcome, cause and counts */
    bool acks_read;      /* the office's receipts on the stick were read */
    RetentionAcks acks;
    char qr[CONFIG_PATH_MAX + 112]; /* after a good run: the QR receipt to show (the copy
                                       beside the database, else the stick's), or "" */
    char receipt[96];               /* that copy's file name beside the database, or "" */
    bool eject_tried;               /* after a good run the stick was synced and unmounted */
    UsbEjectOutcome eject;
} StaffExportDone;

StaffExport *staff_export_create(void);
/* Asks a running export to stop (it ends with nothing marked and nothing
 * finished on the stick) and waits for its thread, then frees. Accepts
 * NULL. */
void staff_export_destroy(StaffExport *e);

/* Starts a run on its own thread. KS_ERR_STATE when one runs already (or
 * its result was not collected yet): two exports never race. KS_ERR_IO
 * when no thread could be started. */
KsStatus staff_export_start(StaffExport *e, const StaffExportJob *job);

/* Whether a run was started and its result not collected yet. */
bool staff_export_running(const StaffExport *e);

/* The latest progress of the run (under the mutex the worker writes it
 * with); false when none runs. */
bool staff_export_progress(StaffExport *e, ExportProgress *out);

/* Once the run has finished: joins its thread and returns how it ended
 * (once per run; borrowed, valid until the next start). NULL while it runs
 * or when none was started. */
const StaffExportDone *staff_export_collect(StaffExport *e);

#endif
