/* export: one whole export run, as the staff screen and `km2kiosk export`
 * start it. Builds the anonymised batch on the kiosk's own disk, finishes
 * and verifies the signed bag there, copies it to the stick through a port
 * (firmware/sys/safe_copy behind function pointers: export/ may not include
 * sys), verifies the copy again, and only then records the batch and marks
 * its sessions exported. It draws nothing and words nothing: the result
 * carries the outcome, its cause, the counts and the QR payload, and the
 * app turns them into text for staff. */
#ifndef KS_EXPORT_H
#define KS_EXPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "../firmware/core/config.h"
#include "../firmware/core/ks_status.h"
#include "../firmware/storage/store.h"
#include "../firmware/survey/catalog.h"

#define EXPORT_SOFTWARE "km2kiosk 0.5"
#define EXPORT_DIR_NAME "KM2KIOSK" /* the folder on the stick */

/* How far one copy to the stick is (firmware/sys/safe_copy.h's
 * SafeCopyTick): reading_back 0 while writing, 1 while comparing; the files
 * and bytes of that pass so far. False asks the copy to stop. */
typedef bool ExportCopyTick(void *ctx, int reading_back, int files, uint64_t bytes);

/* Writing to the stick. The calls of firmware/sys/safe_copy.h fit as they
 * are. Each one leaves nothing finished behind on failure and returns
 * KS_ERR_FULL (stick full), KS_ERR_STATE (read-only), KS_ERR_IO (pulled
 * out or broken), KS_ERR_CORRUPT (the read-back differs), KS_ERR_INVALID or
 * KS_ERR_LIMIT (a name or file a FAT stick cannot hold) or KS_ERR_EXISTS
 * (copy_dir: the folder is there already). */
typedef struct {
    /* Copies the folder src to <dest_root>/<name>/, read back, telling
     * tick (may be NULL) how far it is. */
    KsStatus (*copy_dir)(const char *src, const char *dest_root, const char *name,
                         ExportCopyTick *tick, void *ctx);
    /* Copies (or replaces) one file as <dest_root>/<name>, read back. */
    KsStatus (*copy_file)(const char *src, const char *dest_root, const char *name,
                          ExportCopyTick *tick, void *ctx);
    /* Removes <dest_root>/<name> again (a run that failed later). */
    KsStatus (*discard)(const char *dest_root, const char *name);
    /* Removes the leftovers of interrupted runs in dest_root. */
    KsStatus (*clean)(const char *dest_root);
} ExportStickPort;

/* The steps of a run, in order, as a progress bar shows them. */
typedef enum {
    EXPORT_PHASE_BUILDING,     /* the data files and the signed bag, on the kiosk's disk */
    EXPORT_PHASE_WRITING,      /* the bag copied to the stick */
    EXPORT_PHASE_READING_BACK, /* the stick's copy compared with the original */
    EXPORT_PHASE_VERIFYING,    /* the bag check on the stick's copy, the receipt files */
} ExportPhase;

typedef struct {
    ExportPhase phase;
    int files_done, files_total;      /* the bag's files (writing, reading back) */
    uint64_t bytes_done, bytes_total; /* and their bytes; totals 0 while building */
} ExportProgress;

/* Hears how far a run is, from the thread running export_run: at each
 * phase and after each chunk written to or read back from the stick.
 * Returning false asks the run to stop (a kiosk shutting down): it ends as
 * EXPORT_FAILED with EXPORT_CAUSE_STOPPED, nothing marked, nothing finished
 * left on the stick. */
typedef bool (*ExportProgressFn)(void *ctx, const ExportProgress *p);

typedef struct {
    const char *db_path;    /* the database file: the work folder and the signing key
                               live beside it (export_key_path) */
    const char *stick_dir;  /* the stick's mount point; the batch goes to
                               <stick_dir>/KM2KIOSK/<batch-id>/ */
    const char *redo_batch; /* re-export the sessions of this earlier batch; NULL: the
                               responses not exported yet */
    const ExportStickPort *port;
    int64_t now_ms;            /* the batch date; 0: clock_wall_ms() */
    ExportProgressFn progress; /* NULL: nobody asks */
    void *progress_ctx;
} ExportRunOptions;

typedef enum {
    EXPORT_DONE,    /* the batch is on the stick and recorded */
    EXPORT_NOTHING, /* no new responses */
    EXPORT_TOO_FEW, /* fewer than k waiting: held back */
    EXPORT_STICK_FULL,
    EXPORT_STICK_READONLY,
    EXPORT_STICK_GONE, /* pulled out (or broken) mid-way */
    EXPORT_FAILED,     /* anything else (see the log) */
} ExportOutcome;

/* Why a run ended as it did, finer than the outcome: what staff are told
 * (and should do) follows from it. */
typedef enum {
    EXPORT_CAUSE_NONE,          /* done, nothing to export, too few responses */
    EXPORT_CAUSE_FAILED,        /* a step on the kiosk failed (see the log): call support */
    EXPORT_CAUSE_NO_SUCH_BATCH, /* redo_batch names no batch (redo_of says which) */
    EXPORT_CAUSE_KIOSK_FULL,    /* the work folder could not be made on the kiosk's disk */
    EXPORT_CAUSE_STICK_FULL,
    EXPORT_CAUSE_STICK_READONLY,
    EXPORT_CAUSE_STICK_GONE,    /* pulled out or broken while writing */
    EXPORT_CAUSE_STICK_DIFFERS, /* the read-back differs from the original */
    EXPORT_CAUSE_STICK_UNFIT,   /* a file name or file the stick cannot hold */
    EXPORT_CAUSE_STICK_EXISTS,  /* the batch's folder is on the stick already */
    EXPORT_CAUSE_UNVERIFIED,    /* the bag check of the stick's copy failed */
    EXPORT_CAUSE_LEDGER,        /* not recorded on the kiosk; taken off the stick again */
    EXPORT_CAUSE_STOPPED,       /* the progress callback asked the run to stop */
} ExportCause;

typedef struct {
    ExportOutcome outcome;
    ExportCause cause;
    char batch_id[48]; /* e.g. "KIOSK1-20261124-7Q4M"; a re-export "<old>-R<4>" */
    char redo_of[48];  /* the batch re-exported (or asked for), "" for a new one */
    int rows;          /* responses in the batch */
    int held_back;     /* responses waiting because there are fewer than k */
    int k;             /* the k-anonymity applied (the smallest batch) */
    int free_texts, drawings;
    int workshops;      /* Zukunftswerkstatt workshops in the batch */
    int workshop_cards; /* their card rows */
    char period_from[16], period_to[16];
    char tag_sha256[65];  /* hex SHA-256 of tagmanifest-sha256.txt */
    char key_id[17];      /* the signing key's id (minisign's, 16 hex digits) */
    char qr_payload[256]; /* "KM2B1/<BATCH>/R<ROWS>/T<HASH>/K<KEYID>" (with prefix) */
    char bag_path[1024];  /* <stick_dir>/KM2KIOSK/<batch-id> */
} ExportRunResult;

/* Runs an export (see the file comment). Only when everything on the stick
 * is written, read back and verified are the sessions marked exported, in
 * one transaction (a re-export marks nothing again; it is recorded as a
 * batch of its own whose id says which one it repeats). On the stick:
 *   KM2KIOSK/<batch-id>/               the signed BagIt bag
 *   KM2KIOSK/<batch-id>-batch-qr.png   the QR receipt, and its text
 *   KM2KIOSK/<batch-id>-batch-qr.txt
 *   KM2KIOSK/<kiosk-id>.pub            the public key, minisign's format
 * Returns KS_OK for EXPORT_DONE; otherwise the failing step's status, with
 * out->outcome and out->cause saying what staff should know
 * (KS_ERR_NOT_FOUND: nothing to export or no such batch to redo;
 * KS_ERR_STATE: too few responses, a read-only stick, or asked to stop; KS_ERR_FULL;
 * KS_ERR_IO). The database is then unchanged and the stick holds no
 * finished batch of this run. It may run on a thread of its own: it uses
 * only store (a connection that thread owns), reads cat and cfg (which must not
 * change meanwhile), and tells o->progress from that thread. */
KsStatus export_run(Store *store, const Catalog *cat, const KsConfig *cfg,
                    const ExportRunOptions *o, ExportRunResult *out);

/* The signing key's file for a database: "<db_path>.signkey" (mode 0600). */
void export_key_path(const char *db_path, char *out, size_t size);

/* "done", "nothing", "too_few", "stick_full", "stick_readonly",
 * "stick_gone", "failed". */
const char *export_outcome_name(ExportOutcome o);

/* The cause as a word for logs and `km2kiosk export`'s JSON: "none",
 * "failed", "no_such_batch", "kiosk_full", "stick_full", "stick_readonly",
 * "stick_gone", "stick_differs", "stick_unfit", "stick_exists",
 * "unverified", "ledger", "stopped". */
const char *export_cause_name(ExportCause c);

#endif
