/* store_schema: the database schema as a list of migration steps keyed on
 * PRAGMA user_version, one function per step, the steps a database is
 * behind in one transaction. Steps only ever move forward: a database newer
 * than this code is refused, never downgraded. */
#include <stdio.h>
#include <stdlib.h>

#include "../core/log.h"
#include "store_private.h"

/* Runs a step's statements in order, each {sql, what}; stops at the first
 * failure. */
static KsStatus schema_exec(Store *s, const char *const (*steps)[2], size_t n)
{
    KsStatus ks = KS_OK;
    for (size_t i = 0; ks == KS_OK && i < n; i++)
        ks = store_exec(s, steps[i][0], steps[i][1]);
    return ks;
}
#define SCHEMA_EXEC(s, steps) schema_exec(s, steps, sizeof steps / sizeof steps[0])

/* v1: sessions and their answers. Times are ISO 8601 UTC text with ms. */
static KsStatus schema_step_1(Store *s)
{
    static const char *const steps[][2] = {
        {"CREATE TABLE session ("
         " id INTEGER PRIMARY KEY,"
         " uuid TEXT NOT NULL UNIQUE,"
         " form_id TEXT NOT NULL,"
         " form_version TEXT NOT NULL,"
         " form_sha256 TEXT NOT NULL,"
         " lang TEXT NOT NULL,"
         " audience TEXT NOT NULL,"
         " outcome TEXT NOT NULL"
         "  CHECK(outcome IN ('open','complete','abandoned')),"
         " started_at TEXT NOT NULL,"
         " ended_at TEXT)",
         "schema 1: create session"},
        {"CREATE TABLE answer ("
         " session_id INTEGER NOT NULL REFERENCES session(id) ON DELETE CASCADE,"
         " question TEXT NOT NULL,"
         " value TEXT NOT NULL,"
         " answered_at TEXT NOT NULL,"
         " PRIMARY KEY(session_id, question)) WITHOUT ROWID",
         "schema 1: create answer"},
    };
    return SCHEMA_EXEC(s, steps);
}

/* v2: the stats query groups by (form_id, outcome); kiosk_meta keeps small
 * facts across restarts such as the last wall time seen. */
static KsStatus schema_step_2(Store *s)
{
    static const char *const steps[][2] = {
        {"CREATE INDEX session_form_outcome ON session(form_id, outcome)",
         "schema 2: create session index"},
        {"CREATE TABLE kiosk_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
         "schema 2: create kiosk_meta"},
    };
    return SCHEMA_EXEC(s, steps);
}

/* v3: the identity of every form version ever used, so that changed content
 * under an unchanged version can be refused; filled from earlier sessions. */
static KsStatus schema_step_3(Store *s)
{
    static const char *const steps[][2] = {
        {"CREATE TABLE form_seen (form_id TEXT NOT NULL,"
         " version TEXT NOT NULL, sha256 TEXT NOT NULL,"
         " first_seen TEXT NOT NULL, PRIMARY KEY(form_id, version))"
         " WITHOUT ROWID",
         "schema 3: create form_seen"},
        {"INSERT OR IGNORE INTO form_seen(form_id, version, sha256, first_seen)"
         " SELECT form_id, form_version, form_sha256, started_at FROM session"
         " ORDER BY started_at",
         "schema 3: fill form_seen"},
    };
    return SCHEMA_EXEC(s, steps);
}

/* v4: drawings are stored as PNG beside their answer (whose value names the
 * file), and a session can carry a suspected-misuse flag: a comma list of
 * reasons ("fast", "burst"). Flagged sessions are kept, never deleted. */
static KsStatus schema_step_4(Store *s)
{
    static const char *const steps[][2] = {
        {"ALTER TABLE session ADD COLUMN misuse TEXT", "schema 4: add session.misuse"},
        {"CREATE TABLE answer_media ("
         " session_id INTEGER NOT NULL REFERENCES session(id) ON DELETE CASCADE,"
         " question TEXT NOT NULL,"
         " mime TEXT NOT NULL,"
         " data BLOB NOT NULL,"
         " PRIMARY KEY(session_id, question)) WITHOUT ROWID",
         "schema 4: create answer_media"},
    };
    return SCHEMA_EXEC(s, steps);
}

/* v5: exports. An answer of free text or a drawing waits for a staff
 * review before it may leave the kiosk; a session records the batch it was
 * exported in; the ledger of batches chains each to the one before; staff
 * can switch forms off. */
static KsStatus schema_step_5(Store *s)
{
    static const char *const steps[][2] = {
        {"ALTER TABLE answer ADD COLUMN review TEXT"
         " CHECK(review IN ('pending','approved','rejected'))",
         "schema 5: add answer.review"},
        {"ALTER TABLE answer ADD COLUMN reviewed_at TEXT", "schema 5: add answer.reviewed_at"},
        {"ALTER TABLE session ADD COLUMN batch_id TEXT", "schema 5: add session.batch_id"},
        {"CREATE INDEX session_batch ON session(batch_id)", "schema 5: create session index"},
        {"CREATE TABLE batch (id TEXT PRIMARY KEY, tag_sha256 TEXT NOT NULL,"
         " prev_id TEXT NOT NULL, rows INTEGER NOT NULL, created_at TEXT NOT NULL)",
         "schema 5: create batch"},
        {"CREATE TABLE form_state (form_id TEXT PRIMARY KEY, active INTEGER NOT NULL)"
         " WITHOUT ROWID",
         "schema 5: create form_state"},
    };
    return SCHEMA_EXEC(s, steps);
}

/* v6: the Zukunftswerkstatt. A workshop, its idea cards (no names, only
 * the day), their drawings, dot votes keyed by a random per-participant
 * token that never links to a card's author, and tokens flagged for
 * misuse. At most one workshop is open (a partial unique index). A
 * workshop records the batch it was exported in; an exported workshop is
 * frozen. voting_seen remembers whether voting was ever entered, so that
 * entering it again starts a new round. */
static KsStatus schema_step_6(Store *s)
{
    static const char *const steps[][2] = {
        {"CREATE TABLE workshop ("
         " id INTEGER PRIMARY KEY,"
         " title TEXT NOT NULL,"
         " question TEXT NOT NULL,"
         " langs TEXT NOT NULL,"
         " dots INTEGER NOT NULL CHECK(dots BETWEEN 1 AND 99),"
         " approval INTEGER NOT NULL CHECK(approval IN (0, 1)),"
         " phase TEXT NOT NULL"
         "  CHECK(phase IN ('critique','fantasy','realisation','voting','results')),"
         " round INTEGER NOT NULL CHECK(round >= 1),"
         " voting_seen INTEGER NOT NULL DEFAULT 0 CHECK(voting_seen IN (0, 1)),"
         " day TEXT NOT NULL,"
         " open INTEGER NOT NULL CHECK(open IN (0, 1)),"
         " batch_id TEXT)",
         "schema 6: create workshop"},
        {"CREATE UNIQUE INDEX workshop_one_open ON workshop(open) WHERE open = 1",
         "schema 6: create workshop open index"},
        {"CREATE INDEX workshop_batch ON workshop(batch_id)",
         "schema 6: create workshop batch index"},
        {"CREATE TABLE ws_card ("
         " id INTEGER PRIMARY KEY,"
         " workshop_id INTEGER NOT NULL REFERENCES workshop(id) ON DELETE CASCADE,"
         " phase TEXT NOT NULL CHECK(phase IN ('critique','fantasy','realisation')),"
         " lang TEXT NOT NULL,"
         " age_band TEXT NOT NULL DEFAULT '',"
         " topic TEXT NOT NULL DEFAULT '',"
         " text TEXT NOT NULL DEFAULT '',"
         " status TEXT NOT NULL CHECK(status IN ('pending','approved','rejected')),"
         " merged_into INTEGER REFERENCES ws_card(id),"
         " about_card INTEGER REFERENCES ws_card(id),"
         " day TEXT NOT NULL)",
         "schema 6: create ws_card"},
        {"CREATE INDEX ws_card_wall ON ws_card(workshop_id, phase, status, merged_into)",
         "schema 6: create ws_card wall index"},
        {"CREATE INDEX ws_card_merged ON ws_card(merged_into) WHERE merged_into IS NOT NULL",
         "schema 6: create ws_card merge index"},
        {"CREATE TABLE ws_drawing ("
         " card_id INTEGER PRIMARY KEY REFERENCES ws_card(id) ON DELETE CASCADE,"
         " png BLOB NOT NULL)",
         "schema 6: create ws_drawing"},
        {"CREATE TABLE ws_vote ("
         " id INTEGER PRIMARY KEY,"
         " workshop_id INTEGER NOT NULL REFERENCES workshop(id) ON DELETE CASCADE,"
         " token TEXT NOT NULL,"
         " card_id INTEGER NOT NULL REFERENCES ws_card(id) ON DELETE CASCADE,"
         " round INTEGER NOT NULL CHECK(round >= 1),"
         " count INTEGER NOT NULL CHECK(count > 0))",
         "schema 6: create ws_vote"},
        {"CREATE INDEX ws_vote_token ON ws_vote(workshop_id, token, round)",
         "schema 6: create ws_vote token index"},
        {"CREATE INDEX ws_vote_card ON ws_vote(card_id)", "schema 6: create ws_vote card index"},
        {"CREATE TABLE ws_flag ("
         " workshop_id INTEGER NOT NULL REFERENCES workshop(id) ON DELETE CASCADE,"
         " token TEXT NOT NULL,"
         " reason TEXT NOT NULL,"
         " PRIMARY KEY(workshop_id, token)) WITHOUT ROWID",
         "schema 6: create ws_flag"},
    };
    return SCHEMA_EXEC(s, steps);
}

/* v7: a Pi has no battery clock. A session started while the wall clock
 * was in doubt (it went back before the last known time) is flagged, so
 * its export carries no date made up from a wrong clock. */
static KsStatus schema_step_7(Store *s)
{
    return store_exec(s,
                      "ALTER TABLE session ADD COLUMN clock_doubt INTEGER NOT NULL DEFAULT 0"
                      " CHECK(clock_doubt IN (0, 1))",
                      "schema 7: add session.clock_doubt");
}

/* v8: the evaluation office's signed receipts. A batch records when the
 * kiosk accepted the receipt for it (acked_at, the time retention counts
 * from) and the time the office says it received the batch; a re-export
 * names the batch it repeats (redo_of), so a receipt for either confirms the
 * same responses; sessions and workshops record when a receipt covered
 * them. Re-exports already in the ledger are recognised by their id: the
 * original's id, "-R" and four characters, the original in the ledger. */
static KsStatus schema_step_8(Store *s)
{
    static const char *const steps[][2] = {
        {"ALTER TABLE batch ADD COLUMN redo_of TEXT", "schema 8: add batch.redo_of"},
        {"ALTER TABLE batch ADD COLUMN acked_at TEXT", "schema 8: add batch.acked_at"},
        {"ALTER TABLE batch ADD COLUMN ack_received TEXT", "schema 8: add batch.ack_received"},
        {"ALTER TABLE session ADD COLUMN acked_at TEXT", "schema 8: add session.acked_at"},
        {"ALTER TABLE workshop ADD COLUMN acked_at TEXT", "schema 8: add workshop.acked_at"},
        {"UPDATE batch SET redo_of = (SELECT p.id FROM batch p"
         " WHERE length(batch.id) = length(p.id) + 6"
         " AND substr(batch.id, 1, length(p.id)) = p.id"
         " AND substr(batch.id, length(p.id) + 1, 2) = '-R')",
         "schema 8: fill batch.redo_of"},
    };
    return SCHEMA_EXEC(s, steps);
}

/* v9: the Zukunftswerkstatt from ideas to a plan. A voting round is about
 * the cards of one phase: the workshop keeps the phase staff chose for the
 * current round (vote_phase, Fantasie by default) and ws_round the phase of
 * every round that has dots; rounds voted before this step were about the
 * cards of every phase (phase NULL). A realisation card is a plan: its
 * helpers (who, a space-separated list of codes) and its time (by_when).
 * A fantasy card's about_card now names the critique card it answers. */
static KsStatus schema_step_9(Store *s)
{
    static const char *const steps[][2] = {
        {"ALTER TABLE workshop ADD COLUMN vote_phase TEXT NOT NULL DEFAULT 'fantasy'"
         " CHECK(vote_phase IN ('critique','fantasy','realisation'))",
         "schema 9: add workshop.vote_phase"},
        {"CREATE TABLE ws_round ("
         " workshop_id INTEGER NOT NULL REFERENCES workshop(id) ON DELETE CASCADE,"
         " round INTEGER NOT NULL CHECK(round >= 1),"
         " phase TEXT CHECK(phase IN ('critique','fantasy','realisation')),"
         " PRIMARY KEY(workshop_id, round)) WITHOUT ROWID",
         "schema 9: create ws_round"},
        {"INSERT INTO ws_round(workshop_id, round, phase)"
         " SELECT DISTINCT workshop_id, round, NULL FROM ws_vote",
         "schema 9: fill ws_round"},
        {"ALTER TABLE ws_card ADD COLUMN who TEXT NOT NULL DEFAULT ''",
         "schema 9: add ws_card.who"},
        {"ALTER TABLE ws_card ADD COLUMN by_when TEXT NOT NULL DEFAULT ''"
         " CHECK(by_when IN ('','week','month','schoolyear','later'))",
         "schema 9: add ws_card.by_when"},
        {"CREATE INDEX ws_card_about ON ws_card(about_card) WHERE about_card IS NOT NULL",
         "schema 9: create ws_card about index"},
    };
    return SCHEMA_EXEC(s, steps);
}

/* The latest schema as a new database gets it: the statements the steps
 * above leave in sqlite_schema, in their order. Replaying the steps on a
 * new database reloads the whole schema after each ALTER TABLE (17 million
 * instructions, 3 ms of a kiosk's first start); this is one pass.
 * test_storage checks that both ways give the same schema: a new step
 * changes this list too. */
static const char *const SCHEMA_NEW[] = {
    /* table session */
    "CREATE TABLE session ( id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, form_id TEXT NOT "
    "NULL, form_version TEXT NOT NULL, form_sha256 TEXT NOT NULL, lang TEXT NOT NULL, audience "
    "TEXT NOT NULL, outcome TEXT NOT NULL  CHECK(outcome IN ('open','complete','abandoned')), "
    "started_at TEXT NOT NULL, ended_at TEXT, misuse TEXT, batch_id TEXT, clock_doubt INTEGER NOT "
    "NULL DEFAULT 0 CHECK(clock_doubt IN (0, 1)), acked_at TEXT)",
    /* table answer */
    "CREATE TABLE answer ( session_id INTEGER NOT NULL REFERENCES session(id) ON DELETE CASCADE, "
    "question TEXT NOT NULL, value TEXT NOT NULL, answered_at TEXT NOT NULL, review TEXT "
    "CHECK(review IN ('pending','approved','rejected')), reviewed_at TEXT, PRIMARY KEY(session_id, "
    "question)) WITHOUT ROWID",
    /* index session_form_outcome */
    "CREATE INDEX session_form_outcome ON session(form_id, outcome)",
    /* table kiosk_meta */
    "CREATE TABLE kiosk_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    /* table form_seen */
    "CREATE TABLE form_seen (form_id TEXT NOT NULL, version TEXT NOT NULL, sha256 TEXT NOT NULL, "
    "first_seen TEXT NOT NULL, PRIMARY KEY(form_id, version)) WITHOUT ROWID",
    /* table answer_media */
    "CREATE TABLE answer_media ( session_id INTEGER NOT NULL REFERENCES session(id) ON DELETE "
    "CASCADE, question TEXT NOT NULL, mime TEXT NOT NULL, data BLOB NOT NULL, PRIMARY "
    "KEY(session_id, question)) WITHOUT ROWID",
    /* index session_batch */
    "CREATE INDEX session_batch ON session(batch_id)",
    /* table batch */
    "CREATE TABLE batch (id TEXT PRIMARY KEY, tag_sha256 TEXT NOT NULL, prev_id TEXT NOT NULL, "
    "rows INTEGER NOT NULL, created_at TEXT NOT NULL, redo_of TEXT, acked_at TEXT, ack_received "
    "TEXT)",
    /* table form_state */
    "CREATE TABLE form_state (form_id TEXT PRIMARY KEY, active INTEGER NOT NULL) WITHOUT ROWID",
    /* table workshop */
    "CREATE TABLE workshop ( id INTEGER PRIMARY KEY, title TEXT NOT NULL, question TEXT NOT NULL, "
    "langs TEXT NOT NULL, dots INTEGER NOT NULL CHECK(dots BETWEEN 1 AND 99), approval INTEGER NOT "
    "NULL CHECK(approval IN (0, 1)), phase TEXT NOT NULL  CHECK(phase IN "
    "('critique','fantasy','realisation','voting','results')), round INTEGER NOT NULL CHECK(round "
    ">= 1), voting_seen INTEGER NOT NULL DEFAULT 0 CHECK(voting_seen IN (0, 1)), day TEXT NOT "
    "NULL, open INTEGER NOT NULL CHECK(open IN (0, 1)), batch_id TEXT, acked_at TEXT, vote_phase "
    "TEXT NOT NULL DEFAULT 'fantasy' CHECK(vote_phase IN ('critique','fantasy','realisation')))",
    /* index workshop_one_open */
    "CREATE UNIQUE INDEX workshop_one_open ON workshop(open) WHERE open = 1",
    /* index workshop_batch */
    "CREATE INDEX workshop_batch ON workshop(batch_id)",
    /* table ws_card */
    "CREATE TABLE ws_card ( id INTEGER PRIMARY KEY, workshop_id INTEGER NOT NULL REFERENCES "
    "workshop(id) ON DELETE CASCADE, phase TEXT NOT NULL CHECK(phase IN "
    "('critique','fantasy','realisation')), lang TEXT NOT NULL, age_band TEXT NOT NULL DEFAULT '', "
    "topic TEXT NOT NULL DEFAULT '', text TEXT NOT NULL DEFAULT '', status TEXT NOT NULL "
    "CHECK(status IN ('pending','approved','rejected')), merged_into INTEGER REFERENCES "
    "ws_card(id), about_card INTEGER REFERENCES ws_card(id), day TEXT NOT NULL, who TEXT NOT NULL "
    "DEFAULT '', by_when TEXT NOT NULL DEFAULT '' CHECK(by_when IN "
    "('','week','month','schoolyear','later')))",
    /* index ws_card_wall */
    "CREATE INDEX ws_card_wall ON ws_card(workshop_id, phase, status, merged_into)",
    /* index ws_card_merged */
    "CREATE INDEX ws_card_merged ON ws_card(merged_into) WHERE merged_into IS NOT NULL",
    /* table ws_drawing */
    "CREATE TABLE ws_drawing ( card_id INTEGER PRIMARY KEY REFERENCES ws_card(id) ON DELETE "
    "CASCADE, png BLOB NOT NULL)",
    /* table ws_vote */
    "CREATE TABLE ws_vote ( id INTEGER PRIMARY KEY, workshop_id INTEGER NOT NULL REFERENCES "
    "workshop(id) ON DELETE CASCADE, token TEXT NOT NULL, card_id INTEGER NOT NULL REFERENCES "
    "ws_card(id) ON DELETE CASCADE, round INTEGER NOT NULL CHECK(round >= 1), count INTEGER NOT "
    "NULL CHECK(count > 0))",
    /* index ws_vote_token */
    "CREATE INDEX ws_vote_token ON ws_vote(workshop_id, token, round)",
    /* index ws_vote_card */
    "CREATE INDEX ws_vote_card ON ws_vote(card_id)",
    /* table ws_flag */
    "CREATE TABLE ws_flag ( workshop_id INTEGER NOT NULL REFERENCES workshop(id) ON DELETE "
    "CASCADE, token TEXT NOT NULL, reason TEXT NOT NULL, PRIMARY KEY(workshop_id, token)) WITHOUT "
    "ROWID",
    /* table ws_round */
    "CREATE TABLE ws_round ( workshop_id INTEGER NOT NULL REFERENCES workshop(id) ON DELETE "
    "CASCADE, round INTEGER NOT NULL CHECK(round >= 1), phase TEXT CHECK(phase IN "
    "('critique','fantasy','realisation')), PRIMARY KEY(workshop_id, round)) WITHOUT ROWID",
    /* index ws_card_about */
    "CREATE INDEX ws_card_about ON ws_card(about_card) WHERE about_card IS NOT NULL",
};

typedef KsStatus (*SchemaStep)(Store *s);

/* steps[i] takes the database from version i to i + 1 */
static const SchemaStep g_steps[] = {schema_step_1, schema_step_2, schema_step_3,
                                     schema_step_4, schema_step_5, schema_step_6,
                                     schema_step_7, schema_step_8, schema_step_9};
#define SCHEMA_LATEST ((int)(sizeof g_steps / sizeof g_steps[0]))

int store_schema_latest(void)
{
    return SCHEMA_LATEST;
}

/* Reads user_version inside the current transaction. */
static KsStatus schema_read_version(Store *s, int *out)
{
    char buf[24];
    KsStatus ks =
        store_pragma_text(s, "PRAGMA user_version", "read schema version", buf, sizeof buf);
    if (ks == KS_OK)
        *out = atoi(buf);
    return ks;
}

int store_schema_version(Store *s)
{
    int version = -1;
    if (!s || schema_read_version(s, &version) != KS_OK)
        return -1;
    return version;
}

/* The version the database is at, inside the caller's transaction, checked
 * against the versions this code knows. */
static KsStatus schema_version_known(Store *s, int *version)
{
    KsStatus ks = schema_read_version(s, version);
    if (ks == KS_OK && *version > SCHEMA_LATEST) {
        LOG_ERROR("database schema version %d is newer than this kiosk knows (%d);"
                  " refusing to use it (install newer software, never downgrade)",
                  *version, SCHEMA_LATEST);
        ks = KS_ERR_STATE;
    } else if (ks == KS_OK && *version < 0) {
        LOG_ERROR("database schema version %d is invalid", *version);
        ks = KS_ERR_CORRUPT;
    }
    return ks;
}

static KsStatus schema_write_version(Store *s, int version)
{
    /* PRAGMA takes no bound parameters; version is our own small integer. */
    char sql[48];
    snprintf(sql, sizeof sql, "PRAGMA user_version=%d", version);
    return store_exec(s, sql, "set schema version");
}

/* Brings the schema to the latest version in one transaction: a new
 * database (version 0) in one pass over SCHEMA_NEW when one_pass, else
 * every step it is behind. Every step runs in the one transaction: one
 * commit (one sync) instead of one per step, and a failed step leaves the
 * database at the version it had. The version is read inside the write
 * transaction so a second process opening the same file cannot run a step
 * twice. */
static KsStatus schema_bring_up(Store *s, bool one_pass)
{
    KsStatus ks = store_tx_begin(s);
    if (ks != KS_OK)
        return ks;
    int from = 0;
    ks = schema_version_known(s, &from);
    /* at the latest nothing was written; ending the transaction is enough */
    if (ks == KS_OK && from == SCHEMA_LATEST)
        return store_tx_commit(s);
    one_pass = one_pass && from == 0;
    for (size_t i = 0; one_pass && ks == KS_OK && i < sizeof SCHEMA_NEW / sizeof SCHEMA_NEW[0]; i++)
        ks = store_exec(s, SCHEMA_NEW[i], "create the schema");
    for (int version = from; !one_pass && ks == KS_OK && version < SCHEMA_LATEST; version++) {
        ks = g_steps[version](s);
        if (ks != KS_OK)
            LOG_ERROR("schema step %d failed: %s", version + 1, ks_status_str(ks));
    }
    if (ks == KS_OK)
        ks = schema_write_version(s, SCHEMA_LATEST);
    if (ks == KS_OK)
        ks = store_tx_commit(s);
    if (ks != KS_OK) {
        store_tx_rollback(s);
        return ks;
    }
    if (one_pass)
        LOG_INFO("database created at schema version %d", SCHEMA_LATEST);
    else
        LOG_INFO("database schema migrated from version %d to %d", from, SCHEMA_LATEST);
    return KS_OK;
}

KsStatus store_schema_migrate(Store *s)
{
    return schema_bring_up(s, false);
}

KsStatus store_schema_create(Store *s)
{
    return schema_bring_up(s, true);
}
