/* ack: the evaluation office's receipt for one received batch, the file
 * that closes the loop back to the kiosk. km2eval writes it onto the stick
 * as KM2KIOSK/received/<batch-id>.ack with its minisign signature beside it
 * (<batch-id>.ack.minisig, made with the office's receipt key), so
 * `minisign -Vm <batch-id>.ack -P <office key>` checks it too; the kiosk
 * reads it and, once it matches a batch of its ledger, lets retention delete
 * that batch's answers. The text, one "Key: value" line each, LF ends:
 *   KM2-Ack-Version: 1
 *   KM2-Batch-Id: <batch id>
 *   KM2-Tagmanifest-SHA256: <64 lower-case hex digits>
 *   KM2-Rows: <rows received>
 *   KM2-Received: <UTC, "2026-12-07T10:11:12Z">
 * Owns this format in both directions; no storage, no UI. */
#ifndef KS_ACK_H
#define KS_ACK_H

#include <stddef.h>

#include "../firmware/core/ks_status.h"
#include "bag.h"

#define ACK_DIR_NAME "received" /* below KM2KIOSK/ on the stick */
#define ACK_TEXT_MAX 512

typedef struct {
    char batch_id[48];
    char tag_sha256[65];
    int rows;
    char received[24]; /* "2026-12-07T10:11:12Z" */
} AckInfo;

/* The receipt's text (see above, in that order) into buf; the hash is
 * written lower case. KS_ERR_INVALID for a batch id that is not a FAT-safe
 * name of printable ASCII under 48 bytes, a hash that is not 64 hex digits,
 * rows < 0 or a received time not of the form "2026-12-07T10:11:12Z";
 * KS_ERR_FULL when buf is too small. */
KsStatus ack_format(const AckInfo *a, char *buf, size_t size);

/* Parses a receipt's text (len bytes, hostile input: at most ACK_TEXT_MAX,
 * every line required exactly once, in any order, nothing else: exactly
 * "Label: value" and LF, no CR, no empty line; version "1", the hash 64
 * lower-case hex digits, rows a plain decimal 0..INT_MAX, values as
 * ack_format accepts them). KS_ERR_PARSE otherwise, *out then all zero.
 * Pure, for fuzzing. */
KsStatus ack_parse(const char *text, size_t len, AckInfo *out);

/* Writes <dir>/<batch-id>.ack and <batch-id>.ack.minisig, each durably
 * (temp name "<name>.tmp", fsync, rename, fsync of dir), signed with office;
 * an existing pair is replaced. The signature goes first; when the receipt
 * then fails, the new signature is removed again, so no mismatched pair
 * stays (an older receipt is then left without one: the kiosk ignores it
 * until it is written again). dir must exist. KS_ERR_INVALID as ack_format,
 * KS_ERR_FULL (no space), KS_ERR_STATE (read-only file system), KS_ERR_IO
 * (anything else); no temporary file stays. */
KsStatus ack_write(const char *dir, const AckInfo *a, const SignKey *office);

/* Reads path (a .ack file) and path + ".minisig", checks the signature with
 * office (before the content is parsed) and that the file's name is
 * "<KM2-Batch-Id>.ack". KS_ERR_NOT_FOUND when either file is missing,
 * KS_ERR_IO when one cannot be read (a symlink is not followed),
 * KS_ERR_PARSE for a malformed receipt or signature (also: a receipt over
 * ACK_TEXT_MAX bytes, a signature file over 4 KiB), KS_ERR_CORRUPT when the
 * signature does not verify or the name does not match. *out is filled
 * only on KS_OK (all zero otherwise). */
KsStatus ack_read(const char *path, const SignPublic *office, AckInfo *out);

#endif
