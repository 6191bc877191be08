/* store_retention: deleting what was exported (or, with receipts, what the
 * evaluation office confirmed) long enough ago, and the figures of what the
 * kiosk still keeps. Only sessions marked exported in a batch of the ledger
 * are ever deleted (never one that was not exported); the ledger itself is
 * kept, it is the chain of signed batches. */
#ifndef KS_STORE_RETENTION_H
#define KS_STORE_RETENTION_H

#include <stdint.h>
#include <stdbool.h>

#include "store.h"

typedef struct {
    int sessions;  /* sessions deleted, with their answers and drawings */
    int workshops; /* closed workshops deleted, with cards, drawings and votes */
} StoreRetentionResult;

/* Deletes, in one transaction, the sessions exported in a batch whose
 * created_at is before cutoff_ms (by_receipt: the sessions a receipt of
 * the evaluation office acknowledged before cutoff_ms, see
 * store_batch_acknowledge; an unacknowledged one is never deleted), with
 * their answers and media — except a session with an answer still waiting
 * for review or approved after its batch was made (that answer never went
 * out) — and the closed workshops exported in such a batch (by_receipt:
 * acknowledged before cutoff_ms). When anything was deleted the database is
 * then vacuumed and the WAL checkpointed (TRUNCATE), outside the
 * transaction. *out gets the counts. A failed VACUUM is logged but the
 * deletion stands (KS_OK); a failed deletion leaves everything as it was. */
KsStatus store_retention_purge(Store *s, int64_t cutoff_ms, bool by_receipt,
                               StoreRetentionResult *out);

/* What the kiosk keeps now, for the staff overview. */
typedef struct {
    int sessions;             /* sessions stored (complete, abandoned or open) */
    int exported;             /* of them marked exported (only complete ones are) */
    int64_t oldest_ms;        /* start of the oldest stored session, 0 when none */
    int64_t oldest_export_ms; /* the oldest batch that still has sessions here, 0 when none */
} StoreKept;
KsStatus store_retention_kept(Store *s, StoreKept *out);

#endif
