/* archive: the evaluation office's archive, a folder on the office machine:
 *   archive.db            SQLite (WAL, synchronous=FULL, user_version
 *                         migrations): the kiosk registry, every batch
 *                         received with its place in its kiosk's chain, the
 *                         response rows, the quarantine
 *   batches/<kiosk>/<id>/ each received bag kept verbatim, read-only
 *   quarantine/           what failed, each with a REASON.txt
 *   keys/                 the office's keys (mode 0600)
 * This file owns opening, the transaction and statement helpers and the
 * registry and batch ledger; archive_rows.c the rows. The only SQLite user
 * of km2eval; it knows nothing about bags or sticks. */
#ifndef KM2EVAL_ARCHIVE_H
#define KM2EVAL_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "../firmware/core/ks_status.h"

typedef struct Archive Archive;

#define ARCHIVE_DB "archive.db"
#define ARCHIVE_BATCHES "batches"
#define ARCHIVE_QUARANTINE "quarantine"
#define ARCHIVE_KEYS "keys"

/* Creates the folders and the database of a new archive in dir (which may
 * exist but must not hold an archive.db). KS_ERR_STATE when it does. */
KsStatus archive_create(const char *dir);

/* Opens an existing archive (migrating its database to the current
 * version). KS_ERR_NOT_FOUND when dir holds no archive.db, KS_ERR_CORRUPT
 * when the integrity check fails. */
KsStatus archive_open(const char *dir, Archive **out);
void archive_close(Archive **a); /* accepts NULL and *a == NULL */

/* The archive's folder; borrowed for the archive's life. */
const char *archive_dir(const Archive *a);

KsStatus archive_tx_begin(Archive *a);
KsStatus archive_tx_commit(Archive *a);
void archive_tx_rollback(Archive *a);

/* ---- the kiosk registry ------------------------------------------------ */

typedef struct {
    char kiosk_id[64];
    char site[32];
    char key_id[17];
    char public_key[64]; /* minisign's base64 line */
    char enrolled_at[24];
    bool retired; /* replaced by a newer key of the same kiosk */
} ArchiveKey;

typedef enum {
    ARCHIVE_ENROL_NEW,      /* a kiosk not known before */
    ARCHIVE_ENROL_SAME,     /* this very key was enrolled already (a new site is taken) */
    ARCHIVE_ENROL_REPLACED, /* a known kiosk got a new key (replace); the old one retired */
} ArchiveEnrol;

/* Enrols key_id/public_key for kiosk_id at site (site "" keeps a known
 * kiosk's site). A different key for a kiosk that has one is refused with
 * KS_ERR_STATE unless replace; the old key stays in the registry as
 * retired (batches signed with it still verify). A key id already enrolled
 * for another kiosk is KS_ERR_INVALID. */
KsStatus archive_enrol(Archive *a, const char *kiosk_id, const char *site, const char *key_id,
                       const char *public_key, bool replace, ArchiveEnrol *result);

/* The key with this id (current or retired). KS_ERR_NOT_FOUND. */
KsStatus archive_key_find(Archive *a, const char *key_id, ArchiveKey *out);
/* The site a kiosk is enrolled for ("" when unknown). */
void archive_kiosk_site(Archive *a, const char *kiosk_id, char *site, size_t size);

/* ---- the batch ledger ---------------------------------------------------- */

typedef enum {
    ARCHIVE_BATCH_RECEIVED,   /* its rows are in the archive */
    ARCHIVE_BATCH_STANDS_IN,  /* a re-export whose original is missing: its rows stand in */
    ARCHIVE_BATCH_DUPLICATE,  /* a re-export whose original was there: a chain link, no rows */
    ARCHIVE_BATCH_SUPERSEDED, /* a stand-in whose original arrived later: rows removed */
} ArchiveBatchState;

typedef struct {
    char id[48];
    char kiosk_id[64];
    char site[32];
    char key_id[17];
    char tag_sha256[65];
    char prev_id[48];
    char prev_tag_sha256[65];
    char redo_of[48]; /* a re-export: the original's id; "" otherwise */
    char period_from[16], period_to[16];
    char forms[256];
    char received_at[24];
    char path[512]; /* the bag's folder, relative to the archive */
    int rows;
    int k; /* the batch's k-anonymity (disclosure-report.json), 0 unknown */
    ArchiveBatchState state;
} ArchiveBatch;

/* The batch with this id. KS_ERR_NOT_FOUND. */
KsStatus archive_batch_get(Archive *a, const char *id, ArchiveBatch *out);
/* Another batch of kiosk_id naming prev_id as its predecessor (the first
 * found, not `except`). KS_ERR_NOT_FOUND. */
KsStatus archive_batch_successor(Archive *a, const char *kiosk_id, const char *prev_id,
                                 const char *except, ArchiveBatch *out);
/* A re-export of original that stands in for it. KS_ERR_NOT_FOUND. */
KsStatus archive_batch_stand_in(Archive *a, const char *original, ArchiveBatch *out);
/* Records a batch (inside a transaction). */
KsStatus archive_batch_add(Archive *a, const ArchiveBatch *b);
KsStatus archive_batch_set_state(Archive *a, const char *id, ArchiveBatchState state);
/* "received", "stands_in", "duplicate", "superseded". */
const char *archive_batch_state_name(ArchiveBatchState s);

/* Calls fn for every batch, ordered by kiosk and reception; stops early
 * when fn returns false. */
KsStatus archive_batch_each(Archive *a, bool (*fn)(const ArchiveBatch *b, void *ctx), void *ctx);

/* Records a batch that failed (outcome name, German reason, its folder
 * under quarantine/, relative). */
KsStatus archive_quarantine_add(Archive *a, const char *batch_id, const char *kiosk_id,
                                const char *outcome, const char *reason, const char *path);
/* Quarantined batches of a kiosk. */
int archive_quarantine_count(Archive *a, const char *kiosk_id);
typedef struct {
    const char *batch_id, *kiosk_id, *outcome, *reason, *path, *at;
} ArchiveQuarantined;
/* Calls fn for every quarantine entry, oldest first. */
KsStatus archive_quarantine_each(Archive *a, bool (*fn)(const ArchiveQuarantined *q, void *ctx),
                                 void *ctx);
/* Kiosk ids of the registry and of all batches, sorted, each once: *ids
 * malloc'd (free each and the array). */
KsStatus archive_kiosks(Archive *a, char ***ids, int *n);

/* The folder name of a kiosk below batches/ and quarantine/: the kiosk id
 * when it is made of letters, digits, '-', '_' and '.' (not first), else
 * those characters with the rest as '_' and a short hash of the id, so two
 * ids never share a folder and no id can name a path outside. */
void archive_kiosk_folder(const char *kiosk_id, char out[80]);

/* The current UTC time as "2026-12-07T10:11:12Z" (clock_wall_ms: the
 * archive's clock for every timestamp it writes; tests may set it). */
void archive_now(char out[24]);

#endif
