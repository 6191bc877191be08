/* archive_schema: the archive database's migrations, one function a step,
 * keyed on PRAGMA user_version; each step runs in the transaction that also
 * moves the version on. */
#include <stdio.h>

#include "../firmware/core/log.h"
#include "archive_private.h"

/* v1: the registry (kiosks and their keys, with history), the ledger of
 * batches with their chain links, the quarantine, and the rows: responses
 * with their answers as one JSON object, each batch's column definitions,
 * the other tables of a batch (free text, drawings, workshops) and its
 * pictures. */
static KsStatus schema_step_1(Archive *a)
{
    static const char *const steps[][2] = {
        {"CREATE TABLE kiosk (id TEXT PRIMARY KEY, site TEXT NOT NULL, enrolled_at TEXT NOT NULL)",
         "schema 1: kiosk"},
        {"CREATE TABLE kiosk_key (key_id TEXT PRIMARY KEY,"
         " kiosk_id TEXT NOT NULL REFERENCES kiosk(id), public_key TEXT NOT NULL,"
         " enrolled_at TEXT NOT NULL, retired_at TEXT)",
         "schema 1: kiosk_key"},
        {"CREATE TABLE batch (id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, site TEXT NOT NULL,"
         " key_id TEXT NOT NULL, tag_sha256 TEXT NOT NULL, prev_id TEXT NOT NULL,"
         " prev_tag_sha256 TEXT NOT NULL, redo_of TEXT NOT NULL, period_from TEXT NOT NULL,"
         " period_to TEXT NOT NULL, forms TEXT NOT NULL, rows INTEGER NOT NULL, k INTEGER NOT NULL,"
         " state TEXT NOT NULL CHECK(state IN ('received','stands_in','duplicate','superseded')),"
         " received_at TEXT NOT NULL, path TEXT NOT NULL)",
         "schema 1: batch"},
        {"CREATE INDEX batch_prev ON batch(kiosk_id, prev_id)", "schema 1: batch_prev"},
        {"CREATE TABLE quarantine (id INTEGER PRIMARY KEY, batch_id TEXT NOT NULL,"
         " kiosk_id TEXT NOT NULL, outcome TEXT NOT NULL, reason TEXT NOT NULL,"
         " path TEXT NOT NULL, at TEXT NOT NULL)",
         "schema 1: quarantine"},
        {"CREATE TABLE batch_column (batch_id TEXT NOT NULL REFERENCES batch(id) ON DELETE CASCADE,"
         " tab TEXT NOT NULL, position INTEGER NOT NULL, name TEXT NOT NULL, spec TEXT NOT NULL,"
         " PRIMARY KEY(batch_id, tab, position)) WITHOUT ROWID",
         "schema 1: batch_column"},
        {"CREATE TABLE response (id INTEGER PRIMARY KEY,"
         " batch_id TEXT NOT NULL REFERENCES batch(id) ON DELETE CASCADE, form TEXT NOT NULL,"
         " version TEXT NOT NULL, site TEXT NOT NULL, kiosk_id TEXT NOT NULL, period TEXT NOT NULL,"
         " lang TEXT NOT NULL, audience TEXT NOT NULL, response_id TEXT NOT NULL,"
         " cells TEXT NOT NULL)",
         "schema 1: response"},
        {"CREATE INDEX response_form ON response(form, site, period)", "schema 1: response_form"},
        {"CREATE INDEX response_batch ON response(batch_id)", "schema 1: response_batch"},
        {"CREATE TABLE extra (id INTEGER PRIMARY KEY,"
         " batch_id TEXT NOT NULL REFERENCES batch(id) ON DELETE CASCADE, file TEXT NOT NULL,"
         " cells TEXT NOT NULL)",
         "schema 1: extra"},
        {"CREATE INDEX extra_batch ON extra(batch_id, file)", "schema 1: extra_batch"},
        {"CREATE TABLE media (batch_id TEXT NOT NULL REFERENCES batch(id) ON DELETE CASCADE,"
         " path TEXT NOT NULL, data BLOB NOT NULL, PRIMARY KEY(batch_id, path)) WITHOUT ROWID",
         "schema 1: media"},
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        KsStatus ks = archive_exec(a, steps[i][0], steps[i][1]);
        if (ks != KS_OK)
            return ks;
    }
    return KS_OK;
}

typedef KsStatus (*SchemaStep)(Archive *a);
static const SchemaStep STEPS[] = {schema_step_1};
#define SCHEMA_VERSION ((int)(sizeof STEPS / sizeof STEPS[0]))

static int schema_version(Archive *a)
{
    sqlite3_stmt *st = NULL;
    int v = -1;
    if (sqlite3_prepare_v2(a->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

KsStatus archive_schema_migrate(Archive *a)
{
    int v = schema_version(a);
    if (v < 0)
        return archive_fail(a, sqlite3_errcode(a->db), "read user_version");
    if (v > SCHEMA_VERSION) {
        LOG_ERROR("archive schema %d is newer than this km2eval knows (%d)", v, SCHEMA_VERSION);
        return KS_ERR_UNSUPPORTED;
    }
    for (; v < SCHEMA_VERSION; v++) {
        KsStatus ks = archive_tx_begin(a);
        if (ks == KS_OK)
            ks = STEPS[v](a);
        char sql[48];
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v + 1);
        if (ks == KS_OK)
            ks = archive_exec(a, sql, "set user_version");
        if (ks == KS_OK)
            ks = archive_tx_commit(a);
        if (ks != KS_OK) {
            archive_tx_rollback(a);
            return ks;
        }
        LOG_INFO("archive schema migrated to version %d", v + 1);
    }
    return KS_OK;
}
