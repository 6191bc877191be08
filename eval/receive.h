/* receive: `km2eval receive` — takes in every batch on a stick (or a copy
 * of a stick's KM2KIOSK folder). Per batch, stopping at the first failure:
 * the signing key belongs to an enrolled kiosk of that id; the signature
 * and both manifests verify with the enrolled key and nothing in the bag
 * is outside them; the QR receipts given match; the encrypted files
 * decrypt and the data match their description; the batch fits its
 * kiosk's chain. Then the bag is copied into the archive (temp name,
 * fsync, rename) and its rows loaded in one transaction, and a signed
 * receipt for the kiosk is written onto the stick. A batch either is
 * received whole or not at all; a later run finishes what a crash left. */
#ifndef KM2EVAL_RECEIVE_H
#define KM2EVAL_RECEIVE_H

#include <stdbool.h>

#include "archive.h"
#include "office.h"

typedef enum {
    RECV_RECEIVED,         /* taken in */
    RECV_ALREADY,          /* in the archive before (or a re-export of a batch that is) */
    RECV_UNKNOWN_KEY,      /* signed with a key no enrolled kiosk of that id has */
    RECV_BAD_SIGNATURE,    /* the signature does not verify with the enrolled key */
    RECV_BAD_MANIFEST,     /* a hash differs, a file is missing, unlisted or unsafe */
    RECV_RECEIPT_MISMATCH, /* the QR receipts given do not confirm this batch */
    RECV_BAD_DATA,         /* cannot be decrypted, or the data do not match their description */
    RECV_FORK,             /* a second batch in the same place of the kiosk's chain */
    RECV_STANDS_IN,        /* a re-export taken in for its missing original */
} ReceiveOutcome;

typedef struct {
    char batch[48];
    char kiosk[64];
    char site[32];
    ReceiveOutcome outcome;
    int rows;          /* rows taken in (0 when none) */
    bool acked;        /* a receipt for the kiosk is on the stick */
    char message[768]; /* German, for the office */
    char enrol[768];   /* unknown_key: the command that would enrol the kiosk */
} ReceiveResult;

typedef struct {
    const char *stick;           /* the stick's mount point, or a KM2KIOSK folder */
    const char *const *receipts; /* QR receipt texts; n_receipts 0: not checked */
    int n_receipts;
    bool write_ack; /* false: --no-ack */
    bool progress;  /* draw a progress bar on stderr */
} ReceiveOptions;

/* "received", "already", "unknown_key", "bad_signature", "bad_manifest",
 * "receipt_mismatch", "bad_data", "fork", "stands_in". */
const char *receive_outcome_name(ReceiveOutcome o);
/* True for the outcomes that leave the batch's data in the archive. */
bool receive_outcome_ok(ReceiveOutcome o);

/* Receives every batch found (see the file comment), calling report once
 * per batch in chain order. *failed counts the batches refused. KS_OK when
 * every batch got its result; KS_ERR_NOT_FOUND (with *failed 0 and no
 * report) when the stick holds no batch; KS_ERR_IO when the archive itself
 * cannot be written. */
KsStatus receive_run(Archive *a, const OfficeKeys *keys, const ReceiveOptions *o,
                     void (*report)(const ReceiveResult *r, void *ctx), void *ctx, int *failed);

/* Finishes what an interrupted run left in the archive: removes temporary
 * folders, and takes in a bag that was copied but not yet recorded (its
 * copy is complete: it is renamed into place only after every byte is
 * synced) or removes it when it no longer verifies. */
KsStatus receive_recover(Archive *a, const OfficeKeys *keys,
                         void (*report)(const ReceiveResult *r, void *ctx), void *ctx);

#endif
