/* export_fixture: what the export and ledger suites share (test_export_run,
 * test_staff_export, test_workshop_export, test_receipts, test_retention,
 * test_export_data; test_storage and test_workshop_store for plain_meta):
 * a store in a temporary folder with the suite's forms, sessions written
 * through the store's write API — of the sample form's "kinder", or of a
 * plain one-answer form — batches in the ledger, and the export run onto a
 * stick folder through the real safe copy. Each helper asserts (cmocka)
 * that the store took what it wrote. Linked into the suites that include it
 * (Makefile, EXPORT_FIXTURE_OBJ). */
#ifndef KS_EXPORT_FIXTURE_H
#define KS_EXPORT_FIXTURE_H

#include <stdint.h>
#include <stdbool.h>

#include "../../export/export.h"
#include "../../export/export_data.h"
#include "../../firmware/core/config.h"
#include "../../firmware/storage/store.h"
#include "../../firmware/storage/store_responses.h"
#include "../../firmware/survey/catalog.h"

/* A database in a temporary folder with the store open on it, the default
 * configuration and the suite's forms: what an export suite's fixture is,
 * or begins with as its first member. */
typedef struct {
    char dir[64], db[128]; /* the temporary folder, the database in it */
    char media[96];        /* <dir>/media, a usb_root */
    char stick[128];       /* <media>/STICK, an empty stick folder */
    Store *store;
    Catalog *cat; /* the forms asked for, or NULL */
    KsConfig cfg; /* config_defaults(); the suite may change it */
    int n;        /* plain sessions made, for their uuids */
    int runs;     /* export folders made */
} StoreFixture;

/* Makes a fixture of size bytes that begins with a StoreFixture: its
 * folder under $TMPDIR named after name with the stick folder in it, the
 * virtual clock at t0 (0: the clock left as it is), the store open on
 * <dir>/k.db, the forms of the folder forms loaded (NULL: none). Fails the
 * test when something cannot be made. */
void *store_fixture_new(size_t size, const char *name, int64_t t0, const char *forms);

/* Closes the store and the catalog, removes the folder with all in it and
 * frees the fixture made by store_fixture_new; store_fixture_teardown is
 * its cmocka teardown. */
void store_fixture_free(void *f);
int store_fixture_teardown(void **state);

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

/* The metadata of a session of form (version "1", its hash "0000", German,
 * youth) begun at `at`; uuid is borrowed. */
StoreSessionMeta plain_meta(const char *uuid, const char *form, int64_t at);

/* A session of form (plain_meta) whose uuid is the number nr, begun at
 * `at` with clock doubt or not, answered nr=1; finished complete a second
 * later when complete. Its id. */
int64_t plain_session(Store *s, int nr, const char *form, int64_t at, bool doubt, bool complete);

/* Commits the batch `id` made at `at` to the ledger: rows, a tag-manifest
 * hash of 64 times tag, the sessions ids[n] and the workshops ws[n_ws]
 * (either may be NULL when its count is 0). */
void ledger_batch(Store *s, const char *id, int64_t at, int rows, char tag, const int64_t *ids,
                  int n, const int64_t *ws, int n_ws);

/* The options of a batch's data files: batch_id, kiosk TEST1, software
 * 0.test, k and weekly periods. */
ExportDataOptions export_options(const char *batch_id, int k);

/* export_run of the fixture's store onto its stick with SAFE_COPY_PORT,
 * dated now_ms. */
KsStatus export_to_stick(const StoreFixture *f, int64_t now_ms, ExportRunResult *r);

#endif
