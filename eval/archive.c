/* archive: opening the office's archive (folders and database), the
 * checked SQLite helpers, the kiosk registry and the batch ledger. The rows
 * of a batch are archive_rows.c's. */
#include "archive.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../firmware/core/clock.h"
#include "../firmware/core/log.h"
#include "../firmware/core/mem.h"
#include "../firmware/core/str.h"
#include "archive_private.h"

#define ARCHIVE_BUSY_MS 10000

KsStatus archive_fail(Archive *a, int rc, const char *what)
{
    LOG_ERROR("archive: %s: %s (%s)", what, sqlite3_errstr(rc),
              a && a->db ? sqlite3_errmsg(a->db) : "");
    switch (rc & 0xFF) {
    case SQLITE_FULL:
        return KS_ERR_FULL;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return KS_ERR_CORRUPT;
    case SQLITE_CONSTRAINT:
        return KS_ERR_STATE;
    case SQLITE_NOMEM:
        return KS_ERR_NOMEM;
    default:
        return KS_ERR_IO;
    }
}

KsStatus archive_exec(Archive *a, const char *sql, const char *what)
{
    int rc = sqlite3_exec(a->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? KS_OK : archive_fail(a, rc, what);
}

KsStatus archive_stmt(Archive *a, const char *sql, sqlite3_stmt **out)
{
    for (int i = 0; i < a->n_cache; i++) {
        if (a->cache[i].sql == sql) {
            sqlite3_reset(a->cache[i].stmt);
            sqlite3_clear_bindings(a->cache[i].stmt);
            *out = a->cache[i].stmt;
            return KS_OK;
        }
    }
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v3(a->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    if (rc != SQLITE_OK) {
        char what[96];
        snprintf(what, sizeof what, "prepare \"%.60s…\"", sql);
        return archive_fail(a, rc, what);
    }
    /* The cache holds every statement of km2eval; one more would leak. */
    if (KS_NEVER(a->n_cache >= ARCHIVE_STMT_CACHE)) {
        sqlite3_finalize(st);
        return KS_ERR_FULL;
    }
    a->cache[a->n_cache].sql = sql;
    a->cache[a->n_cache].stmt = st;
    a->n_cache++;
    *out = st;
    return KS_OK;
}

KsStatus archive_bind(Archive *a, sqlite3_stmt *st, int idx, const char *v)
{
    int rc = v ? sqlite3_bind_text(st, idx, v, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, idx);
    return rc == SQLITE_OK ? KS_OK : archive_fail(a, rc, "bind");
}

KsStatus archive_done(Archive *a, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? KS_OK : archive_fail(a, rc, what);
}

KsStatus archive_row(Archive *a, sqlite3_stmt *st, const char *what,
                     void (*read)(sqlite3_stmt *st, void *out), void *out)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read(st, out);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return KS_OK;
    return rc == SQLITE_DONE ? KS_ERR_NOT_FOUND : archive_fail(a, rc, what);
}

KsStatus archive_texts(Archive *a, const char *sql, const char *what, char ***v, int *n)
{
    *v = NULL;
    *n = 0;
    sqlite3_stmt *st;
    KsStatus ks = archive_stmt(a, sql, &st);
    if (ks != KS_OK)
        return ks;
    int cap = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            *v = xrealloc(*v, (size_t)cap * sizeof **v);
        }
        const unsigned char *t = sqlite3_column_text(st, 0);
        (*v)[(*n)++] = xstrdup(t ? (const char *)t : "");
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? KS_OK : archive_fail(a, rc, what);
}

void archive_col(sqlite3_stmt *st, int i, char *out, size_t size)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    str_copy(out, size, t ? (const char *)t : "");
}

KsStatus archive_tx_begin(Archive *a)
{
    return archive_exec(a, "BEGIN IMMEDIATE", "begin");
}

KsStatus archive_tx_commit(Archive *a)
{
    return archive_exec(a, "COMMIT", "commit");
}

void archive_tx_rollback(Archive *a)
{
    if (!sqlite3_get_autocommit(a->db))
        (void)sqlite3_exec(a->db, "ROLLBACK", NULL, NULL, NULL);
}

void archive_now(char out[24])
{
    char iso[32];
    clock_format_iso(clock_wall_ms(), iso);
    /* "2026-12-07T10:11:12.345Z" -> "2026-12-07T10:11:12Z" */
    snprintf(out, 24, "%.19sZ", iso);
}

void archive_kiosk_folder(const char *kiosk_id, char out[80])
{
    size_t n = 0;
    bool changed = !kiosk_id[0] || kiosk_id[0] == '.';
    for (const char *p = kiosk_id; *p && n < 48; p++) {
        char c = *p;
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_' || (c == '.' && n > 0);
        out[n++] = ok ? c : '_';
        changed = changed || !ok;
    }
    changed = changed || strlen(kiosk_id) > 48;
    out[n] = '\0';
    if (changed) {
        unsigned h = 2166136261u;
        for (const char *p = kiosk_id; *p; p++)
            h = (h ^ (unsigned char)*p) * 16777619u;
        snprintf(out + n, 80 - n, "%s%08X", n ? "-" : "kiosk-", h);
    }
}

const char *archive_dir(const Archive *a)
{
    return a->dir;
}

/* ---- open and create ----------------------------------------------------- */

static KsStatus archive_mkdir(const char *dir, const char *sub, mode_t mode)
{
    char path[1200];
    snprintf(path, sizeof path, "%s%s%s", dir, sub ? "/" : "", sub ? sub : "");
    if (mkdir(path, mode) != 0 && errno != EEXIST) {
        LOG_ERROR("cannot create %s: %s", path, strerror(errno));
        return KS_ERR_IO;
    }
    return KS_OK;
}

static KsStatus archive_connect(const char *dir, bool create, Archive **out)
{
    *out = NULL;
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", dir, ARCHIVE_DB);
    if (!create && access(path, F_OK) != 0)
        return KS_ERR_NOT_FOUND;
    Archive *a = xcalloc(1, sizeof *a);
    str_copy(a->dir, sizeof a->dir, dir);
    int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
    int rc = sqlite3_open_v2(path, &a->db, flags, NULL);
    KsStatus ks = rc == SQLITE_OK ? KS_OK : archive_fail(a, rc, "open");
    if (ks == KS_OK)
        sqlite3_busy_timeout(a->db, ARCHIVE_BUSY_MS);
    /* WAL with synchronous=FULL: a receipt the office wrote survives a power
     * cut, as a confirmed answer does on the kiosk. */
    if (ks == KS_OK)
        ks = archive_exec(a, "PRAGMA journal_mode=WAL", "journal_mode");
    if (ks == KS_OK)
        ks = archive_exec(a, "PRAGMA synchronous=FULL", "synchronous");
    if (ks == KS_OK)
        ks = archive_exec(a, "PRAGMA foreign_keys=ON", "foreign_keys");
    if (ks == KS_OK && !create) {
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(a->db, "PRAGMA quick_check", -1, &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW) {
            const unsigned char *r = sqlite3_column_text(st, 0);
            if (!r || strcmp((const char *)r, "ok") != 0) {
                LOG_ERROR("archive %s fails its integrity check: %s", path,
                          r ? (const char *)r : "?");
                ks = KS_ERR_CORRUPT;
            }
        }
        sqlite3_finalize(st);
    }
    if (ks == KS_OK)
        ks = archive_schema_migrate(a);
    if (ks != KS_OK) {
        archive_close(&a);
        return ks;
    }
    *out = a;
    return KS_OK;
}

KsStatus archive_create(const char *dir)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", dir, ARCHIVE_DB);
    if (access(path, F_OK) == 0)
        return KS_ERR_STATE;
    KsStatus ks;
    if ((ks = archive_mkdir(dir, NULL, 0750)) != KS_OK ||
        (ks = archive_mkdir(dir, ARCHIVE_BATCHES, 0750)) != KS_OK ||
        (ks = archive_mkdir(dir, ARCHIVE_QUARANTINE, 0750)) != KS_OK ||
        (ks = archive_mkdir(dir, ARCHIVE_KEYS, 0700)) != KS_OK)
        return ks;
    Archive *a = NULL;
    if ((ks = archive_connect(dir, true, &a)) != KS_OK)
        return ks;
    archive_close(&a);
    return KS_OK;
}

KsStatus archive_open(const char *dir, Archive **out)
{
    return archive_connect(dir, false, out);
}

void archive_close(Archive **ap)
{
    if (!ap || !*ap)
        return;
    Archive *a = *ap;
    for (int i = 0; i < a->n_cache; i++)
        sqlite3_finalize(a->cache[i].stmt);
    if (a->db)
        sqlite3_close(a->db);
    free(a);
    *ap = NULL;
}

/* ---- registry ------------------------------------------------------------- */

static void key_from_row(sqlite3_stmt *st, void *out)
{
    ArchiveKey *k = out;
    memset(k, 0, sizeof *k);
    archive_col(st, 0, k->kiosk_id, sizeof k->kiosk_id);
    archive_col(st, 1, k->site, sizeof k->site);
    archive_col(st, 2, k->key_id, sizeof k->key_id);
    archive_col(st, 3, k->public_key, sizeof k->public_key);
    archive_col(st, 4, k->enrolled_at, sizeof k->enrolled_at);
    k->retired = sqlite3_column_type(st, 5) != SQLITE_NULL;
}

static const char SQL_KEY_FIND[] =
    "SELECT k.kiosk_id, i.site, k.key_id, k.public_key, k.enrolled_at, k.retired_at"
    " FROM kiosk_key k JOIN kiosk i ON i.id = k.kiosk_id WHERE k.key_id = ?1";
static const char SQL_KEY_CURRENT[] =
    "SELECT k.kiosk_id, i.site, k.key_id, k.public_key, k.enrolled_at, k.retired_at"
    " FROM kiosk_key k JOIN kiosk i ON i.id = k.kiosk_id"
    " WHERE k.kiosk_id = ?1 AND k.retired_at IS NULL";

static KsStatus key_query(Archive *a, const char *sql, const char *arg, ArchiveKey *out)
{
    sqlite3_stmt *st;
    KsStatus ks = archive_stmt(a, sql, &st);
    if (ks == KS_OK)
        ks = archive_bind(a, st, 1, arg);
    return ks == KS_OK ? archive_row(a, st, "key lookup", key_from_row, out) : ks;
}

KsStatus archive_key_find(Archive *a, const char *key_id, ArchiveKey *out)
{
    return key_query(a, SQL_KEY_FIND, key_id, out);
}

void archive_kiosk_site(Archive *a, const char *kiosk_id, char *site, size_t size)
{
    site[0] = '\0';
    sqlite3_stmt *st;
    if (archive_stmt(a, "SELECT site FROM kiosk WHERE id = ?1", &st) != KS_OK ||
        archive_bind(a, st, 1, kiosk_id) != KS_OK)
        return;
    if (sqlite3_step(st) == SQLITE_ROW)
        archive_col(st, 0, site, size);
    sqlite3_reset(st);
}

static KsStatus enrol_steps(Archive *a, const char *kiosk_id, const char *site, const char *key_id,
                            const char *public_key, bool replace, ArchiveEnrol *result)
{
    char now[24];
    archive_now(now);
    ArchiveKey have;
    KsStatus ks = archive_key_find(a, key_id, &have);
    if (ks == KS_OK && strcmp(have.kiosk_id, kiosk_id) != 0) {
        LOG_WARN("key %s is enrolled for kiosk %s, not %s", key_id, have.kiosk_id, kiosk_id);
        return KS_ERR_INVALID;
    }
    if (ks != KS_OK && ks != KS_ERR_NOT_FOUND)
        return ks;
    bool known_key = ks == KS_OK;
    ArchiveKey current;
    ks = key_query(a, SQL_KEY_CURRENT, kiosk_id, &current);
    if (ks != KS_OK && ks != KS_ERR_NOT_FOUND)
        return ks;
    bool has_current = ks == KS_OK;
    sqlite3_stmt *st;
    if (site && site[0]) {
        if ((ks = archive_stmt(a,
                               "INSERT INTO kiosk(id, site, enrolled_at) VALUES(?1, ?2, ?3)"
                               " ON CONFLICT(id) DO UPDATE SET site = ?2",
                               &st)) != KS_OK ||
            (ks = archive_bind(a, st, 1, kiosk_id)) != KS_OK ||
            (ks = archive_bind(a, st, 2, site)) != KS_OK ||
            (ks = archive_bind(a, st, 3, now)) != KS_OK ||
            (ks = archive_done(a, st, "kiosk")) != KS_OK)
            return ks;
    } else {
        if ((ks = archive_stmt(a,
                               "INSERT OR IGNORE INTO kiosk(id, site, enrolled_at)"
                               " VALUES(?1, '', ?2)",
                               &st)) != KS_OK ||
            (ks = archive_bind(a, st, 1, kiosk_id)) != KS_OK ||
            (ks = archive_bind(a, st, 2, now)) != KS_OK ||
            (ks = archive_done(a, st, "kiosk")) != KS_OK)
            return ks;
    }
    if (known_key) {
        *result = ARCHIVE_ENROL_SAME;
        return KS_OK;
    }
    if (has_current) {
        if (!replace)
            return KS_ERR_STATE;
        if ((ks = archive_stmt(a,
                               "UPDATE kiosk_key SET retired_at = ?2"
                               " WHERE kiosk_id = ?1 AND retired_at IS NULL",
                               &st)) != KS_OK ||
            (ks = archive_bind(a, st, 1, kiosk_id)) != KS_OK ||
            (ks = archive_bind(a, st, 2, now)) != KS_OK ||
            (ks = archive_done(a, st, "retire key")) != KS_OK)
            return ks;
    }
    if ((ks = archive_stmt(a,
                           "INSERT INTO kiosk_key(key_id, kiosk_id, public_key, enrolled_at)"
                           " VALUES(?1, ?2, ?3, ?4)",
                           &st)) != KS_OK ||
        (ks = archive_bind(a, st, 1, key_id)) != KS_OK ||
        (ks = archive_bind(a, st, 2, kiosk_id)) != KS_OK ||
        (ks = archive_bind(a, st, 3, public_key)) != KS_OK ||
        (ks = archive_bind(a, st, 4, now)) != KS_OK ||
        (ks = archive_done(a, st, "enrol key")) != KS_OK)
        return ks;
    *result = has_current ? ARCHIVE_ENROL_REPLACED : ARCHIVE_ENROL_NEW;
    return KS_OK;
}

KsStatus archive_enrol(Archive *a, const char *kiosk_id, const char *site, const char *key_id,
                       const char *public_key, bool replace, ArchiveEnrol *result)
{
    KsStatus ks = archive_tx_begin(a);
    if (ks != KS_OK)
        return ks;
    ks = enrol_steps(a, kiosk_id, site, key_id, public_key, replace, result);
    if (ks == KS_OK)
        ks = archive_tx_commit(a);
    if (ks != KS_OK)
        archive_tx_rollback(a);
    return ks;
}

/* ---- ledger --------------------------------------------------------------- */

static const char *const STATE_NAMES[] = {"received", "stands_in", "duplicate", "superseded"};

const char *archive_batch_state_name(ArchiveBatchState s)
{
    return str_name_of(STATE_NAMES, STR_COUNT(STATE_NAMES), (int)s, "?");
}

static ArchiveBatchState state_of(const char *name)
{
    int i = str_name_index(STATE_NAMES, STR_COUNT(STATE_NAMES), name);
    return i < 0 ? ARCHIVE_BATCH_RECEIVED : (ArchiveBatchState)i;
}

#define BATCH_COLS                                                                                 \
    "id, kiosk_id, site, key_id, tag_sha256, prev_id, prev_tag_sha256, redo_of, period_from, "     \
    "period_to, forms, received_at, path, rows, state, k"

static void batch_from_row(sqlite3_stmt *st, void *out)
{
    ArchiveBatch *b = out;
    memset(b, 0, sizeof *b);
    archive_col(st, 0, b->id, sizeof b->id);
    archive_col(st, 1, b->kiosk_id, sizeof b->kiosk_id);
    archive_col(st, 2, b->site, sizeof b->site);
    archive_col(st, 3, b->key_id, sizeof b->key_id);
    archive_col(st, 4, b->tag_sha256, sizeof b->tag_sha256);
    archive_col(st, 5, b->prev_id, sizeof b->prev_id);
    archive_col(st, 6, b->prev_tag_sha256, sizeof b->prev_tag_sha256);
    archive_col(st, 7, b->redo_of, sizeof b->redo_of);
    archive_col(st, 8, b->period_from, sizeof b->period_from);
    archive_col(st, 9, b->period_to, sizeof b->period_to);
    archive_col(st, 10, b->forms, sizeof b->forms);
    archive_col(st, 11, b->received_at, sizeof b->received_at);
    archive_col(st, 12, b->path, sizeof b->path);
    b->rows = sqlite3_column_int(st, 13);
    char state[16];
    archive_col(st, 14, state, sizeof state);
    b->state = state_of(state);
    b->k = sqlite3_column_int(st, 15);
}

/* One batch row of a query whose parameters are text. */
static KsStatus batch_query(Archive *a, const char *sql, const char *p1, const char *p2,
                            const char *p3, ArchiveBatch *out)
{
    sqlite3_stmt *st;
    KsStatus ks = archive_stmt(a, sql, &st);
    if (ks == KS_OK)
        ks = archive_bind(a, st, 1, p1);
    if (ks == KS_OK && p2)
        ks = archive_bind(a, st, 2, p2);
    if (ks == KS_OK && p3)
        ks = archive_bind(a, st, 3, p3);
    return ks == KS_OK ? archive_row(a, st, "batch lookup", batch_from_row, out) : ks;
}

KsStatus archive_batch_get(Archive *a, const char *id, ArchiveBatch *out)
{
    return batch_query(a, "SELECT " BATCH_COLS " FROM batch WHERE id = ?1", id, NULL, NULL, out);
}

KsStatus archive_batch_successor(Archive *a, const char *kiosk_id, const char *prev_id,
                                 const char *except, ArchiveBatch *out)
{
    return batch_query(a,
                       "SELECT " BATCH_COLS " FROM batch WHERE kiosk_id = ?1 AND prev_id = ?2"
                       " AND id <> ?3 ORDER BY received_at, id LIMIT 1",
                       kiosk_id, prev_id, except ? except : "", out);
}

KsStatus archive_batch_stand_in(Archive *a, const char *original, ArchiveBatch *out)
{
    return batch_query(a,
                       "SELECT " BATCH_COLS " FROM batch WHERE redo_of = ?1"
                       " AND state = 'stands_in' LIMIT 1",
                       original, NULL, NULL, out);
}

KsStatus archive_batch_add(Archive *a, const ArchiveBatch *b)
{
    sqlite3_stmt *st;
    KsStatus ks = archive_stmt(a,
                               "INSERT INTO batch(" BATCH_COLS ") VALUES(?1, ?2, ?3, ?4, ?5, ?6,"
                               " ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
                               &st);
    const char *text[] = {b->id,      b->kiosk_id,        b->site,    b->key_id,      b->tag_sha256,
                          b->prev_id, b->prev_tag_sha256, b->redo_of, b->period_from, b->period_to,
                          b->forms,   b->received_at,     b->path};
    for (int i = 0; ks == KS_OK && i < (int)(sizeof text / sizeof text[0]); i++)
        ks = archive_bind(a, st, i + 1, text[i]);
    if (ks == KS_OK && sqlite3_bind_int(st, 14, b->rows) != SQLITE_OK)
        ks = archive_fail(a, sqlite3_errcode(a->db), "bind rows");
    if (ks == KS_OK)
        ks = archive_bind(a, st, 15, archive_batch_state_name(b->state));
    if (ks == KS_OK && sqlite3_bind_int(st, 16, b->k) != SQLITE_OK)
        ks = archive_fail(a, sqlite3_errcode(a->db), "bind k");
    return ks == KS_OK ? archive_done(a, st, "add batch") : ks;
}

KsStatus archive_batch_set_state(Archive *a, const char *id, ArchiveBatchState state)
{
    sqlite3_stmt *st;
    KsStatus ks = archive_stmt(a, "UPDATE batch SET state = ?2 WHERE id = ?1", &st);
    if (ks == KS_OK)
        ks = archive_bind(a, st, 1, id);
    if (ks == KS_OK)
        ks = archive_bind(a, st, 2, archive_batch_state_name(state));
    return ks == KS_OK ? archive_done(a, st, "batch state") : ks;
}

KsStatus archive_batch_each(Archive *a, bool (*fn)(const ArchiveBatch *b, void *ctx), void *ctx)
{
    sqlite3_stmt *st;
    KsStatus ks =
        archive_stmt(a, "SELECT " BATCH_COLS " FROM batch ORDER BY kiosk_id, received_at, id", &st);
    if (ks != KS_OK)
        return ks;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        ArchiveBatch b;
        batch_from_row(st, &b);
        if (!fn(&b, ctx)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? KS_OK : archive_fail(a, rc, "list batches");
}

KsStatus archive_quarantine_add(Archive *a, const char *batch_id, const char *kiosk_id,
                                const char *outcome, const char *reason, const char *path)
{
    char now[24];
    archive_now(now);
    sqlite3_stmt *st;
    KsStatus ks =
        archive_stmt(a,
                     "INSERT INTO quarantine(batch_id, kiosk_id, outcome, reason, path, at)"
                     " VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
                     &st);
    const char *text[] = {batch_id, kiosk_id, outcome, reason, path, now};
    for (int i = 0; ks == KS_OK && i < 6; i++)
        ks = archive_bind(a, st, i + 1, text[i]);
    return ks == KS_OK ? archive_done(a, st, "quarantine") : ks;
}

int archive_quarantine_count(Archive *a, const char *kiosk_id)
{
    sqlite3_stmt *st;
    int n = 0;
    if (archive_stmt(a, "SELECT count(*) FROM quarantine WHERE kiosk_id = ?1", &st) != KS_OK ||
        archive_bind(a, st, 1, kiosk_id) != KS_OK)
        return 0;
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_reset(st);
    return n;
}

KsStatus archive_quarantine_each(Archive *a, bool (*fn)(const ArchiveQuarantined *q, void *ctx),
                                 void *ctx)
{
    sqlite3_stmt *st;
    KsStatus ks = archive_stmt(a,
                               "SELECT batch_id, kiosk_id, outcome, reason, path, at"
                               " FROM quarantine ORDER BY id",
                               &st);
    if (ks != KS_OK)
        return ks;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        char v[6][512];
        for (int i = 0; i < 6; i++)
            archive_col(st, i, v[i], sizeof v[i]);
        ArchiveQuarantined q = {v[0], v[1], v[2], v[3], v[4], v[5]};
        if (!fn(&q, ctx)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? KS_OK : archive_fail(a, rc, "list quarantine");
}

KsStatus archive_kiosks(Archive *a, char ***ids, int *n)
{
    return archive_texts(a,
                         "SELECT id FROM kiosk UNION SELECT kiosk_id FROM batch"
                         " UNION SELECT kiosk_id FROM quarantine ORDER BY 1",
                         "list kiosks", ids, n);
}
