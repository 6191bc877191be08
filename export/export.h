/* export: one whole export run, as the staff screen and `km2kiosk export`
 * start it. Builds the anonymised batch on the kiosk's own disk, finishes
 * and verifies the signed bag there, copies it to the stick through a port
 * (firmware/sys/safe_copy behind function pointers: export/ may not include
 * sys), verifies the copy again, and only then records the batch and marks
 * its sessions exported. It draws nothing; the result carries the staff
 * message and the QR payload. */
#ifndef KS_EXPORT_H
#define KS_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../firmware/core/config.h"
#include "../firmware/core/ks_status.h"
#include "../firmware/storage/store.h"
#include "../firmware/survey/catalog.h"

#define EXPORT_SOFTWARE "km2kiosk 0.5"
#define EXPORT_DIR_NAME "KM2KIOSK" /* the folder on the stick */

/* Writing to the stick. The calls of firmware/sys/safe_copy.h fit as they
 * are. Each one leaves nothing finished behind on failure and returns
 * KS_ERR_FULL (stick full), KS_ERR_STATE (read-only), KS_ERR_IO (pulled
 * out or broken) or KS_ERR_CORRUPT (the read-back differs), with a German
 * message for staff in msg. */
typedef struct {
    /* Copies the folder src to <dest_root>/<name>/, read back. */
    KsStatus (*copy_dir)(const char *src, const char *dest_root, const char *name, char *msg,
                         size_t size);
    /* Copies (or replaces) one file as <dest_root>/<name>, read back. */
    KsStatus (*copy_file)(const char *src, const char *dest_root, const char *name, char *msg,
                          size_t size);
    /* Removes <dest_root>/<name> again (a run that failed later). */
    KsStatus (*discard)(const char *dest_root, const char *name);
    /* Removes the leftovers of interrupted runs in dest_root. */
    KsStatus (*clean)(const char *dest_root);
} ExportStickPort;

typedef struct {
    const char *db_path;        /* the database file: the work folder and the signing key
                                   live beside it (export_key_path) */
    const char *stick_dir;      /* the stick's mount point; the batch goes to
                                   <stick_dir>/KM2KIOSK/<batch-id>/ */
    const char *redo_batch;     /* re-export the sessions of this earlier batch; NULL: the
                                   responses not exported yet */
    const ExportStickPort *port;
    int64_t now_ms;             /* the batch date; 0: clock_wall_ms() */
    bool ejects_after;          /* the caller unmounts the stick itself: the message
                                   does not tell staff to eject it */
} ExportRunOptions;

typedef enum {
    EXPORT_DONE,                /* the batch is on the stick and recorded */
    EXPORT_NOTHING,             /* no new responses */
    EXPORT_TOO_FEW,             /* fewer than k waiting: held back */
    EXPORT_STICK_FULL,
    EXPORT_STICK_READONLY,
    EXPORT_STICK_GONE,          /* pulled out (or broken) mid-way */
    EXPORT_FAILED,              /* anything else (see the log) */
} ExportOutcome;

typedef struct {
    ExportOutcome outcome;
    char batch_id[48];          /* e.g. "KIOSK1-20261124-7Q4M"; a re-export "<old>-R<4>" */
    char redo_of[48];           /* the batch re-exported, "" for a new one */
    int rows;                   /* responses in the batch */
    int held_back;              /* responses waiting because there are fewer than k */
    int free_texts, drawings;
    char period_from[16], period_to[16];
    char tag_sha256[65];        /* hex SHA-256 of tagmanifest-sha256.txt */
    char key_id[17];            /* the signing key's id (minisign's, 16 hex digits) */
    char qr_payload[256];       /* "KM2B1/<BATCH>/R<ROWS>/T<HASH>/K<KEYID>" (with prefix) */
    char bag_path[1024];        /* <stick_dir>/KM2KIOSK/<batch-id> */
    char message[512];          /* German, for the staff screen */
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
 * out->outcome and out->message saying what staff should know
 * (KS_ERR_NOT_FOUND: nothing to export or no such batch to redo;
 * KS_ERR_STATE: too few responses, or a read-only stick; KS_ERR_FULL;
 * KS_ERR_IO). The database is then unchanged and the stick holds no
 * finished batch of this run. */
KsStatus export_run(Store *st, const Catalog *cat, const KsConfig *cfg,
                    const ExportRunOptions *o, ExportRunResult *out);

/* The signing key's file for a database: "<db_path>.signkey" (mode 0600). */
void export_key_path(const char *db_path, char *out, size_t size);

/* "done", "nothing", "too_few", "stick_full", "stick_readonly",
 * "stick_gone", "failed". */
const char *export_outcome_name(ExportOutcome o);

#endif
