/* retention: when exported responses leave the kiosk. Runs the store's
 * deletion of sessions exported longer than retention_days ago (at start
 * and once a day), never while the clock is in doubt (a wrong clock would
 * make a wrong cut-off), and logs what it deleted. With the evaluation
 * office's receipt key configured (kiosk.conf eval_pubkey) it counts from
 * the office's signed receipt instead, and it owns reading those receipts
 * from a stick (KM2KIOSK/received/<batch-id>.ack, export/ack.h) into the
 * ledger. Draws nothing. */
#ifndef KS_RETENTION_H
#define KS_RETENTION_H

#include <stdint.h>
#include <stdbool.h>

#include "../storage/store.h"
#include "../storage/store_retention.h"

#define RETENTION_DAY_MS (24LL * 60 * 60 * 1000)
/* Receipts looked at on one stick at most; the rest are left for later. */
#define RETENTION_ACKS_MAX 2000

/* Deletes what was exported more than `days` days before the wall time
 * now_ms — with by_receipt (kiosk.conf eval_pubkey set) only what the
 * office's receipts acknowledged, counted from the receipt (see
 * store_retention_purge) — and logs the counts. KS_OK with nothing done
 * when days is 0 (keep for ever); KS_ERR_STATE (logged, nothing done) when
 * clock_doubt. *out (may be NULL) gets the counts. */
KsStatus retention_run(Store *s, int days, bool by_receipt, bool clock_doubt, int64_t now_ms,
                       StoreRetentionResult *out);

typedef struct {
    int recorded; /* receipts accepted now */
    int known;    /* receipts accepted before (nothing changed) */
    int ignored;  /* forged, malformed or not matching the ledger: a journal line each */
} RetentionAcks;

/* Reads every <stick_dir>/KM2KIOSK/received/<name>.ack, checks it with the
 * office's key (eval_pubkey, a minisign public key line) and accepts it
 * only when it names a batch of the ledger with the same tag-manifest hash
 * and row count; then records it (store_batch_acknowledge, dated now_ms).
 * Anything else on the stick is hostile input: a file that is not a
 * regular file, too large, forged, malformed or mismatching is ignored
 * with a LOG_WARN naming it and why, and the reading goes on. *out gets
 * the counts. KS_OK with nothing read when eval_pubkey is empty or the
 * stick has no such folder; KS_ERR_INVALID (logged) for an eval_pubkey
 * that is not a public key; KS_ERR_IO when the folder cannot be read; a
 * storage failure stops the reading and is returned. */
KsStatus retention_read_acks(Store *s, const char *eval_pubkey, const char *stick_dir,
                             int64_t now_ms, RetentionAcks *out);

#endif
