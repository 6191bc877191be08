/* store: opens the one kiosk database (WAL, synchronous=FULL, foreign keys,
 * integrity check, migrations) and owns the checked-call helpers, the
 * statement cache and the "ks-fault" VFS shim used for fault injection.
 * It knows nothing about sessions or answers (store_responses.c does). */
#include "store.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../core/clock.h"
#include "../core/log.h"
#include "../core/mem.h"
#include "../core/str.h"
#include "store_private.h"

#define STORE_BUSY_TIMEOUT_MS 5000

/* ---- fault-injection VFS ------------------------------------------------
 * A pass-through shim over the default VFS. Every database access goes
 * through it so a test can make the n-th xWrite/xSync fail on any store. */

typedef struct {
    sqlite3_file base;  /* must be first: SQLite sees this */
    sqlite3_file *real; /* the default VFS's file, stored right after us */
} StoreFaultFile;

static sqlite3_vfs g_fault_vfs;
static sqlite3_vfs *g_real_vfs;
static int g_fault_arm_n;
static int g_fault_count;
static int g_sync_count;

void store_fault_fail_nth_write(int n)
{
    g_fault_arm_n = n > 0 ? n : 0;
    g_fault_count = 0;
    g_sync_count = 0;
}

int store_fault_write_count(void)
{
    return g_fault_count;
}

int store_fault_sync_count(void)
{
    return g_sync_count;
}

/* Counts one write or sync; true when this is the one to fail. */
static bool store_fault_hit(void)
{
    g_fault_count++;
    return g_fault_arm_n > 0 && g_fault_count == g_fault_arm_n;
}

static sqlite3_file *store_fault_real(sqlite3_file *f)
{
    return ((StoreFaultFile *)f)->real;
}

static int store_fault_close(sqlite3_file *f)
{
    sqlite3_file *r = store_fault_real(f);
    return r->pMethods ? r->pMethods->xClose(r) : SQLITE_OK;
}

static int store_fault_read(sqlite3_file *f, void *buf, int amt, sqlite3_int64 off)
{
    sqlite3_file *r = store_fault_real(f);
    return r->pMethods->xRead(r, buf, amt, off);
}

static int store_fault_write(sqlite3_file *f, const void *buf, int amt, sqlite3_int64 off)
{
    if (store_fault_hit()) {
        LOG_WARN("injected write failure (#%d)", g_fault_count);
        return SQLITE_IOERR_WRITE;
    }
    sqlite3_file *r = store_fault_real(f);
    return r->pMethods->xWrite(r, buf, amt, off);
}

static int store_fault_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    sqlite3_file *r = store_fault_real(f);
    return r->pMethods->xTruncate(r, size);
}

static int store_fault_sync(sqlite3_file *f, int flags)
{
    g_sync_count++;
    if (store_fault_hit()) {
        LOG_WARN("injected sync failure (#%d)", g_fault_count);
        return SQLITE_IOERR_FSYNC;
    }
    sqlite3_file *r = store_fault_real(f);
    return r->pMethods->xSync(r, flags);
}

static int store_fault_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
    sqlite3_file *r = store_fault_real(f);
    return r->pMethods->xFileSize(r, size);
}

static int store_fault_lock(sqlite3_file *f, int level)
{
    sqlite3_file *r = store_fault_real(f);
    return r->pMethods->xLock(r, level);
}

static int store_fault_unlock(sqlite3_file *f, int level)
{
    sqlite3_file *r = store_fault_real(f);
    return r->pMethods->xUnlock(r, level);
}

static int store_fault_check_reserved(sqlite3_file *f, int *out)
{
    sqlite3_file *r = store_fault_real(f);
    return r->pMethods->xCheckReservedLock(r, out);
}

static int store_fault_file_control(sqlite3_file *f, int op, void *arg)
{
    sqlite3_file *r = store_fault_real(f);
    return r->pMethods->xFileControl(r, op, arg);
}

static int store_fault_sector_size(sqlite3_file *f)
{
    sqlite3_file *r = store_fault_real(f);
    return r->pMethods->xSectorSize(r);
}

static int store_fault_device_chars(sqlite3_file *f)
{
    sqlite3_file *r = store_fault_real(f);
    return r->pMethods->xDeviceCharacteristics(r);
}

/* WAL needs the shared-memory methods (io_methods version 2). The default
 * VFS has them; if a real file lacks them we report an error rather than
 * crash, and SQLite then refuses WAL (store_open notices). */
static int store_fault_shm_map(sqlite3_file *f, int pg, int pgsz, int extend, void volatile **pp)
{
    sqlite3_file *r = store_fault_real(f);
    if (r->pMethods->iVersion < 2 || !r->pMethods->xShmMap)
        return SQLITE_IOERR_SHMMAP;
    return r->pMethods->xShmMap(r, pg, pgsz, extend, pp);
}

static int store_fault_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
    sqlite3_file *r = store_fault_real(f);
    if (r->pMethods->iVersion < 2 || !r->pMethods->xShmLock)
        return SQLITE_IOERR_SHMLOCK;
    return r->pMethods->xShmLock(r, offset, n, flags);
}

static void store_fault_shm_barrier(sqlite3_file *f)
{
    sqlite3_file *r = store_fault_real(f);
    if (r->pMethods->iVersion >= 2 && r->pMethods->xShmBarrier)
        r->pMethods->xShmBarrier(r);
}

static int store_fault_shm_unmap(sqlite3_file *f, int delete_flag)
{
    sqlite3_file *r = store_fault_real(f);
    if (r->pMethods->iVersion < 2 || !r->pMethods->xShmUnmap)
        return SQLITE_OK;
    return r->pMethods->xShmUnmap(r, delete_flag);
}

/* Memory-mapped reads: without them SQLite falls back to xRead, which is
 * what a NULL *pp tells it. */
static int store_fault_fetch(sqlite3_file *f, sqlite3_int64 off, int amt, void **pp)
{
    sqlite3_file *r = store_fault_real(f);
    if (r->pMethods->iVersion < 3 || !r->pMethods->xFetch) {
        *pp = NULL;
        return SQLITE_OK;
    }
    return r->pMethods->xFetch(r, off, amt, pp);
}

static int store_fault_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
    sqlite3_file *r = store_fault_real(f);
    if (r->pMethods->iVersion < 3 || !r->pMethods->xUnfetch)
        return SQLITE_OK;
    return r->pMethods->xUnfetch(r, off, p);
}

static const sqlite3_io_methods g_fault_io = {
    .iVersion = 3,
    .xClose = store_fault_close,
    .xRead = store_fault_read,
    .xWrite = store_fault_write,
    .xTruncate = store_fault_truncate,
    .xSync = store_fault_sync,
    .xFileSize = store_fault_file_size,
    .xLock = store_fault_lock,
    .xUnlock = store_fault_unlock,
    .xCheckReservedLock = store_fault_check_reserved,
    .xFileControl = store_fault_file_control,
    .xSectorSize = store_fault_sector_size,
    .xDeviceCharacteristics = store_fault_device_chars,
    .xShmMap = store_fault_shm_map,
    .xShmLock = store_fault_shm_lock,
    .xShmBarrier = store_fault_shm_barrier,
    .xShmUnmap = store_fault_shm_unmap,
    .xFetch = store_fault_fetch,
    .xUnfetch = store_fault_unfetch,
};

static int store_fault_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *file, int flags,
                            int *out_flags)
{
    (void)vfs;
    StoreFaultFile *ff = (StoreFaultFile *)file;
    ff->real = (sqlite3_file *)(ff + 1);
    int rc = g_real_vfs->xOpen(g_real_vfs, name, ff->real, flags, out_flags);
    /* SQLite calls xClose only when pMethods is set, so leave it NULL on
     * failure; the real xOpen has already cleaned up its own file. */
    ff->base.pMethods = rc == SQLITE_OK ? &g_fault_io : NULL;
    return rc;
}

static int store_fault_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
    (void)vfs;
    return g_real_vfs->xDelete(g_real_vfs, name, sync_dir);
}

static int store_fault_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
    (void)vfs;
    return g_real_vfs->xAccess(g_real_vfs, name, flags, out);
}

static int store_fault_full_pathname(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
    (void)vfs;
    return g_real_vfs->xFullPathname(g_real_vfs, name, n, out);
}

static void *store_fault_dl_open(sqlite3_vfs *vfs, const char *name)
{
    (void)vfs;
    return g_real_vfs->xDlOpen(g_real_vfs, name);
}

static void store_fault_dl_error(sqlite3_vfs *vfs, int n, char *msg)
{
    (void)vfs;
    g_real_vfs->xDlError(g_real_vfs, n, msg);
}

static void (*store_fault_dl_sym(sqlite3_vfs *vfs, void *h, const char *sym))(void)
{
    (void)vfs;
    return g_real_vfs->xDlSym(g_real_vfs, h, sym);
}

static void store_fault_dl_close(sqlite3_vfs *vfs, void *h)
{
    (void)vfs;
    g_real_vfs->xDlClose(g_real_vfs, h);
}

static int store_fault_randomness(sqlite3_vfs *vfs, int n, char *out)
{
    (void)vfs;
    return g_real_vfs->xRandomness(g_real_vfs, n, out);
}

static int store_fault_sleep(sqlite3_vfs *vfs, int us)
{
    (void)vfs;
    return g_real_vfs->xSleep(g_real_vfs, us);
}

static int store_fault_current_time(sqlite3_vfs *vfs, double *out)
{
    (void)vfs;
    return g_real_vfs->xCurrentTime(g_real_vfs, out);
}

static int store_fault_last_error(sqlite3_vfs *vfs, int n, char *out)
{
    (void)vfs;
    return g_real_vfs->xGetLastError ? g_real_vfs->xGetLastError(g_real_vfs, n, out) : 0;
}

static int store_fault_current_time64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
    (void)vfs;
    if (g_real_vfs->iVersion >= 2 && g_real_vfs->xCurrentTimeInt64)
        return g_real_vfs->xCurrentTimeInt64(g_real_vfs, out);
    double days = 0;
    int rc = g_real_vfs->xCurrentTime(g_real_vfs, &days);
    *out = (sqlite3_int64)(days * 86400000.0);
    return rc;
}

/* Registers the shim once per process (a Store is single-threaded and the
 * kiosk opens stores from its main thread only). */
static KsStatus store_fault_register(void)
{
    if (g_real_vfs)
        return KS_OK;
    sqlite3_vfs *real = sqlite3_vfs_find(NULL);
    if (!real) {
        LOG_ERROR("no default SQLite VFS");
        return KS_ERR_IO;
    }
    g_fault_vfs = (sqlite3_vfs){
        .iVersion = 2,
        .szOsFile = (int)sizeof(StoreFaultFile) + real->szOsFile,
        .mxPathname = real->mxPathname,
        .zName = STORE_FAULT_VFS,
        .xOpen = store_fault_open,
        .xDelete = store_fault_delete,
        .xAccess = store_fault_access,
        .xFullPathname = store_fault_full_pathname,
        .xDlOpen = store_fault_dl_open,
        .xDlError = store_fault_dl_error,
        .xDlSym = store_fault_dl_sym,
        .xDlClose = store_fault_dl_close,
        .xRandomness = store_fault_randomness,
        .xSleep = store_fault_sleep,
        .xCurrentTime = store_fault_current_time,
        .xGetLastError = store_fault_last_error,
        .xCurrentTimeInt64 = store_fault_current_time64,
    };
    g_real_vfs = real;
    int rc = sqlite3_vfs_register(&g_fault_vfs, 0);
    if (rc != SQLITE_OK) {
        g_real_vfs = NULL;
        LOG_ERROR("registering the %s VFS: %s", STORE_FAULT_VFS, sqlite3_errstr(rc));
        return KS_ERR_IO;
    }
    return KS_OK;
}

/* ---- checked calls --------------------------------------------------- */

KsStatus store_status_from_rc(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_ROW:
    case SQLITE_DONE:
        return KS_OK;
    case SQLITE_FULL:
        return KS_ERR_FULL;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return KS_ERR_CORRUPT;
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_RANGE:
    case SQLITE_TOOBIG:
        return KS_ERR_INVALID;
    case SQLITE_NOMEM:
        return KS_ERR_NOMEM;
    case SQLITE_MISUSE:
        return KS_ERR_STATE;
    default:
        /* IOERR, CANTOPEN, READONLY, PERM, BUSY, LOCKED…: the disk would
         * not take the data. */
        return KS_ERR_IO;
    }
}

KsStatus store_log_fail(Store *s, int rc, const char *what)
{
    LOG_ERROR("%s: %s [sqlite %d] (%s)", what, sqlite3_errstr(rc), rc,
              s && s->db ? sqlite3_errmsg(s->db) : "no connection");
    return store_status_from_rc(rc);
}

/* Steps st through its rows, handing each to fn (when not NULL); with
 * first_only it stops after the first row and answers KS_ERR_NOT_FOUND
 * when there is none. */
static KsStatus store_steps(Store *s, sqlite3_stmt *st, const char *what, StoreRowFn fn, void *ctx,
                            bool first_only)
{
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        KsStatus ks = fn ? fn(ctx, st) : KS_OK;
        if (ks != KS_OK || first_only)
            return ks;
    }
    if (rc != SQLITE_DONE)
        return store_log_fail(s, rc, what);
    return first_only ? KS_ERR_NOT_FOUND : KS_OK;
}

/* store_exec, handing each row to fn (when not NULL). */
static KsStatus store_exec_rows(Store *s, const char *sql, const char *what, StoreRowFn fn,
                                void *ctx)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        return store_log_fail(s, rc, what);
    KsStatus ks = store_steps(s, st, what, fn, ctx, false);
    sqlite3_finalize(st);
    return ks;
}

KsStatus store_exec(Store *s, const char *sql, const char *what)
{
    return store_exec_rows(s, sql, what, NULL, NULL);
}

KsStatus store_pragma_text(Store *s, const char *sql, const char *what, char *out, size_t size)
{
    StoreText text = {out, size, false};
    out[0] = '\0';
    KsStatus ks = store_exec_rows(s, sql, what, store_row_text, &text);
    if (ks == KS_OK && !text.found) {
        LOG_ERROR("%s: no answer", what);
        ks = KS_ERR_IO;
    }
    return ks;
}

/* Hands out the cached prepared statement for sql (preparing it on first
 * use), reset and with no bindings. Return it with store_stmt_put. */
static KsStatus store_stmt_get(Store *s, const char *sql, const char *what, sqlite3_stmt **out)
{
    *out = NULL;
    StoreStmtSlot *free_slot = NULL;
    for (int i = 0; i < STORE_STMT_CACHE; i++) {
        StoreStmtSlot *slot = &s->cache[i];
        if (!slot->sql) {
            if (!free_slot)
                free_slot = slot;
        } else if (slot->sql == sql || strcmp(slot->sql, sql) == 0) {
            *out = slot->stmt;
            return KS_OK;
        }
    }
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(st);
        return store_log_fail(s, rc, what);
    }
    /* A full cache is a sizing mistake, not a field failure: the statement
     * still works, store_stmt_put finalizes it. */
    if (!KS_NEVER(free_slot == NULL)) {
        free_slot->sql = sql;
        free_slot->stmt = st;
    }
    *out = st;
    return KS_OK;
}

/* Resets a statement from store_stmt_get for its next use; accepts NULL. */
static void store_stmt_put(Store *s, sqlite3_stmt *stmt)
{
    if (!stmt)
        return;
    for (int i = 0; i < STORE_STMT_CACHE; i++) {
        if (s->cache[i].stmt == stmt) {
            /* reset's return repeats the last step's error, already logged */
            sqlite3_reset(stmt);
            sqlite3_clear_bindings(stmt);
            return;
        }
    }
    sqlite3_finalize(stmt);
}

/* Binds one value of ap to ?idx by its type letter. */
static int store_bind_one(sqlite3_stmt *st, int idx, char type, va_list *ap)
{
    switch (type) {
    case 'i':
        return sqlite3_bind_int64(st, idx, va_arg(*ap, int));
    case 'I':
        return sqlite3_bind_int64(st, idx, (sqlite3_int64)va_arg(*ap, int64_t));
    case 't': {
        const char *v = va_arg(*ap, const char *);
        return v ? sqlite3_bind_text(st, idx, v, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, idx);
    }
    case 'T': {
        char iso[32];
        clock_format_iso(va_arg(*ap, int64_t), iso);
        return sqlite3_bind_text(st, idx, iso, -1, SQLITE_TRANSIENT);
    }
    case 'b': {
        /* two statements: the order of the two va_args matters */
        const void *data = va_arg(*ap, const void *);
        size_t size = va_arg(*ap, size_t);
        return sqlite3_bind_blob64(st, idx, data, size, SQLITE_TRANSIENT);
    }
    }
    LOG_ERROR("never: value type '%c' at ?%d", type, idx);
    return SQLITE_MISUSE;
}

/* The body of store_run, store_query and store_query_row. */
static KsStatus store_stmt_run(Store *s, const char *sql, const char *what, StoreRowFn fn,
                               void *ctx, bool first_only, const char *types, va_list *ap)
{
    sqlite3_stmt *st = NULL;
    KsStatus ks = store_stmt_get(s, sql, what, &st);
    /* every statement binds all of its parameters: a count that differs is
     * a mistake in the types string */
    if (ks == KS_OK && (int)strlen(types) != sqlite3_bind_parameter_count(st)) {
        LOG_ERROR("never: %s: %zu values for %d parameters", what, strlen(types),
                  sqlite3_bind_parameter_count(st));
        ks = KS_ERR_STATE;
    }
    for (int i = 0; ks == KS_OK && types[i]; i++) {
        int rc = store_bind_one(st, i + 1, types[i], ap);
        if (rc != SQLITE_OK)
            ks = store_log_fail(s, rc, what);
    }
    if (ks == KS_OK)
        ks = store_steps(s, st, what, fn, ctx, first_only);
    store_stmt_put(s, st);
    return ks;
}

KsStatus store_run(Store *s, const char *sql, const char *what, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    KsStatus ks = store_stmt_run(s, sql, what, NULL, NULL, false, types, &ap);
    va_end(ap);
    return ks;
}

KsStatus store_query(Store *s, const char *sql, const char *what, StoreRowFn fn, void *ctx,
                     const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    KsStatus ks = store_stmt_run(s, sql, what, fn, ctx, false, types, &ap);
    va_end(ap);
    return ks;
}

KsStatus store_query_row(Store *s, const char *sql, const char *what, StoreRowFn fn, void *ctx,
                         const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    KsStatus ks = store_stmt_run(s, sql, what, fn, ctx, true, types, &ap);
    va_end(ap);
    return ks;
}

KsStatus store_change_one(Store *s, const char *sql, const char *what, const char *types, ...)
{
    KsStatus ks = store_tx_begin(s);
    if (ks != KS_OK)
        return ks;
    va_list ap;
    va_start(ap, types);
    ks = store_stmt_run(s, sql, what, NULL, NULL, false, types, &ap);
    va_end(ap);
    if (ks == KS_OK && store_changes(s) != 1)
        ks = KS_ERR_NOT_FOUND;
    return store_tx_end(s, ks);
}

int store_changes(Store *s)
{
    return sqlite3_changes(s->db);
}

KsStatus store_row_blob(void *ctx, sqlite3_stmt *row)
{
    StoreBlob *b = ctx;
    int n = sqlite3_column_bytes(row, 0);
    const void *blob = sqlite3_column_blob(row, 0);
    b->data = xmalloc(n > 0 ? (size_t)n : 1);
    if (n > 0)
        memcpy(b->data, blob, (size_t)n);
    b->size = (size_t)n;
    return KS_OK;
}

KsStatus store_row_text(void *ctx, sqlite3_stmt *row)
{
    StoreText *text = ctx;
    const unsigned char *t = sqlite3_column_text(row, 0);
    str_copy(text->buf, text->size, t ? (const char *)t : "");
    text->found = true;
    return KS_OK;
}

KsStatus store_row_ints(void *ctx, sqlite3_stmt *row)
{
    int64_t *v = ctx;
    for (int i = 0; i < sqlite3_column_count(row); i++)
        v[i] = (int64_t)sqlite3_column_int64(row, i);
    return KS_OK;
}

KsStatus store_tx_begin(Store *s)
{
    if (s->unsynced) {
        LOG_ERROR("%s: commits would not be synced; nothing more is written", s->path);
        return KS_ERR_IO;
    }
    /* IMMEDIATE takes the write lock now, so a busy database fails here
     * rather than half-way through the call's statements. */
    return store_run(s, "BEGIN IMMEDIATE", "begin transaction", "");
}

KsStatus store_tx_commit(Store *s)
{
    return store_run(s, "COMMIT", "commit transaction", "");
}

void store_tx_rollback(Store *s)
{
    /* After some errors (I/O, full disk) SQLite has already rolled back;
     * a second ROLLBACK would only add a misleading error line. */
    if (sqlite3_get_autocommit(s->db))
        return;
    int rc = sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        store_log_fail(s, rc, "roll back transaction");
}

KsStatus store_tx_end(Store *s, KsStatus ks)
{
    if (ks == KS_OK)
        ks = store_tx_commit(s);
    if (ks != KS_OK)
        store_tx_rollback(s);
    return ks;
}

/* ---- open / close ---------------------------------------------------- */

static KsStatus store_configure(Store *s)
{
    char mode[16];
    KsStatus ks;
    sqlite3_extended_result_codes(s->db, 1);
    int rc = sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT_MS);
    if (rc != SQLITE_OK)
        return store_log_fail(s, rc, "set busy timeout");
    ks = store_pragma_text(s, "PRAGMA journal_mode=WAL", "switch to WAL", mode, sizeof mode);
    if (ks != KS_OK)
        return ks;
    /* SQLite answers with the mode it actually uses; anything but wal means
     * commits would not be crash-safe the way we count on. */
    if (!str_eq_nocase(mode, "wal")) {
        LOG_ERROR("journal_mode=WAL refused for %s: got \"%s\"", s->path, mode);
        return KS_ERR_IO;
    }
    ks = store_exec(s, "PRAGMA synchronous=FULL", "set synchronous=FULL");
    if (ks != KS_OK)
        return ks;
    return store_exec(s, "PRAGMA foreign_keys=ON", "enable foreign keys");
}

/* store_open and store_open_check_later: the check at once, or (later)
 * beside the caller for a large database. */
static KsStatus store_open_checked(const char *path, bool later, Store **out)
{
    *out = NULL;
    if (!path || !*path)
        return KS_ERR_INVALID;
    KsStatus ks = store_fault_register();
    if (ks != KS_OK)
        return ks;
    /* A new database is made whole and renamed into place; should that
     * fail, it is made in place below, with the usual messages. */
    if (store_create_if_new(path) != KS_OK)
        LOG_WARN("database %s is made in place", path);
    Store *s = xcalloc(1, sizeof *s);
    s->path = xstrdup(path);
    int rc =
        sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, STORE_FAULT_VFS);
    if (rc != SQLITE_OK) {
        ks = store_log_fail(s, rc, "open database");
        goto cleanup;
    }
    ks = store_configure(s);
    if (ks != KS_OK)
        goto cleanup;
    ks = later ? store_check_begin(s) : store_check_now(s);
    if (ks != KS_OK)
        goto cleanup;
    ks = store_schema_migrate(s);
    if (ks != KS_OK)
        goto cleanup;
    LOG_INFO("opened %s at schema version %d", path, store_schema_version(s));
    *out = s;
    return KS_OK;

cleanup:
    LOG_ERROR("cannot use database %s: %s", path, ks_status_str(ks));
    store_close(&s);
    return ks;
}

KsStatus store_open(const char *path, Store **out)
{
    return store_open_checked(path, false, out);
}

KsStatus store_open_check_later(const char *path, Store **out)
{
    return store_open_checked(path, true, out);
}

void store_close(Store **sp)
{
    if (!sp || !*sp)
        return;
    Store *s = *sp;
    store_check_end(s);
    for (int i = 0; i < STORE_STMT_CACHE; i++) {
        sqlite3_finalize(s->cache[i].stmt);
        s->cache[i] = (StoreStmtSlot){0};
    }
    if (s->db) {
        int rc = sqlite3_close(s->db);
        if (rc != SQLITE_OK)
            store_log_fail(s, rc, "close database");
    }
    free(s->path);
    free(s);
    *sp = NULL;
}
