/* export_fixture: what the export and ledger suites share (test_export_run,
 * test_staff_export, test_workshop_export, test_receipts, test_retention):
 * sessions written through the store's write API — of the sample form's
 * "kinder", or of a plain one-answer form — batches in the ledger, and the
 * export run onto a stick folder through the real safe copy. Each helper
 * asserts (cmocka) that the store took what it wrote. Linked into the
 * suites that include it (Makefile, EXPORT_FIXTURE_OBJ). */
#ifndef KS_EXPORT_FIXTURE_H
#define KS_EXPORT_FIXTURE_H

#include <stdint.h>
#include <stdbool.h>

#include "../../export/export.h"
#include "../../firmware/core/config.h"
#include "../../firmware/storage/store.h"
#include "../../firmware/survey/catalog.h"

/* The sample forms (kinder, eltern). */
#define SAMPLE_FORMS "tests/fixtures/forms/sample"

/* The stick port of the real safe copy (firmware/sys/safe_copy.h). */
extern const ExportStickPort SAFE_COPY_PORT;

/* One complete session of the sample form "kinder" in cat: uuid i + 1 in
 * hex, German, a child's, begun at t0 + i minutes and finished half a
 * minute later, with answers ("question=value", separated by spaces) given
 * at t0. Its id. */
int64_t sample_session(Store *s, const Catalog *cat, int64_t t0, int i, const char *answers);

/* Registers "kinder" at t0, then sample_session i = 0 .. n - 1. */
void sample_sessions(Store *s, const Catalog *cat, int64_t t0, int n, const char *answers);

/* A session of form (version "1", German, youth) whose uuid is the number
 * nr, begun at `at` with clock doubt or not, answered nr=1; finished
 * complete a second later when complete. Its id. */
int64_t plain_session(Store *s, int nr, const char *form, int64_t at, bool doubt, bool complete);

/* Commits the batch `id` made at `at` to the ledger: rows, a tag-manifest
 * hash of 64 times tag, the sessions ids[n] and the workshops ws[n_ws]
 * (either may be NULL when its count is 0). */
void ledger_batch(Store *s, const char *id, int64_t at, int rows, char tag, const int64_t *ids,
                  int n, const int64_t *ws, int n_ws);

/* export_run of the database at db onto the stick folder with
 * SAFE_COPY_PORT, dated now_ms. */
KsStatus export_to_stick(Store *s, const Catalog *cat, const KsConfig *cfg, const char *db,
                         const char *stick, int64_t now_ms, ExportRunResult *r);

#endif
