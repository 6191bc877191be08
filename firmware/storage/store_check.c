/* store_check: the database's integrity check at start-up (PRAGMA
 * integrity_check): at once on the store's own connection, or, for a
 * large database, on a thread of its own with a read-only connection of
 * its own, so that the kiosk's first screen does not wait for it (about
 * 13 ms per 1000 stored sessions). It reads only; the store's connection
 * goes on writing beside it (WAL). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "../core/log.h"
#include "../core/mem.h"
#include "store_private.h"

#define STORE_INTEGRITY_LOG_LINES 5
/* Checked at once up to this many pages (256 KiB: ~2 ms here), on a
 * thread beyond. A new database, and every test's, is far below. */
#define STORE_CHECK_NOW_PAGES 64
/* The thread's nice value: it yields to the kiosk's own thread. */
#define STORE_CHECK_NICE 10
/* The check's connection reads every page once: a small cache will do. */
#define STORE_CHECK_CACHE "PRAGMA cache_size=-256"

struct StoreCheck {
    pthread_t thread;
    pthread_mutex_t mu;
    sqlite3 *db;     /* under mu: the check's connection, NULL once closed */
    char *path;      /* for the log */
    bool done;       /* under mu */
    KsStatus result; /* under mu, once done */
};

/* PRAGMA integrity_check on db: KS_OK when it answers the one row "ok",
 * KS_ERR_CORRUPT (its first lines logged) when it lists problems, the
 * mapped error when it cannot run. */
static KsStatus integrity_run(sqlite3 *db, const char *path)
{
    sqlite3_stmt *st = NULL;
    int rows = 0;
    bool ok = false;
    int rc = sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL);
    if (rc == SQLITE_OK) {
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            const char *line = (const char *)sqlite3_column_text(st, 0);
            ok = rows == 0 && line && strcmp(line, "ok") == 0;
            if (rows < STORE_INTEGRITY_LOG_LINES && !ok)
                LOG_ERROR("integrity check of %s: %s", path, line ? line : "(null)");
            rows++;
        }
    }
    if (rc != SQLITE_DONE && rc != SQLITE_INTERRUPT) /* interrupted: store_check_end */
        LOG_ERROR("integrity check: %s [sqlite %d] (%s)", sqlite3_errstr(rc), rc,
                  sqlite3_errmsg(db));
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return store_status_from_rc(rc);
    return ok && rows == 1 ? KS_OK : KS_ERR_CORRUPT;
}

KsStatus store_check_now(Store *s)
{
    return integrity_run(s->db, s->path);
}

/* Whether s is worth a check on a thread: large, and at the schema this
 * code writes (a database to migrate is checked before it is changed). */
static bool check_later(Store *s)
{
    char pages[24], version[24];
    return store_pragma_text(s, "PRAGMA page_count", "count pages", pages, sizeof pages) == KS_OK &&
           atoi(pages) > STORE_CHECK_NOW_PAGES &&
           store_pragma_text(s, "PRAGMA user_version", "read schema version", version,
                             sizeof version) == KS_OK &&
           atoi(version) == store_schema_latest();
}

static void *check_thread(void *arg)
{
    StoreCheck *c = arg;
    /* Linux: for this thread only. The screens come first. */
    (void)setpriority(PRIO_PROCESS, (id_t)gettid(), STORE_CHECK_NICE);
    KsStatus ks = integrity_run(c->db, c->path);
    if (ks == KS_OK)
        LOG_INFO("integrity check of %s: ok", c->path);
    pthread_mutex_lock(&c->mu);
    sqlite3 *db = c->db;
    c->db = NULL;
    c->done = true;
    c->result = ks;
    pthread_mutex_unlock(&c->mu);
    sqlite3_close(db); /* ends its read transaction */
    return NULL;
}

/* The check's connection, in a read transaction begun now: the check sees
 * the database as it was opened, whatever the store writes meanwhile. */
static sqlite3 *check_open(const char *path)
{
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db, STORE_CHECK_CACHE "; BEGIN; SELECT count(*) FROM sqlite_schema", NULL,
                          NULL, NULL);
    if (rc != SQLITE_OK) {
        LOG_WARN("integrity check of %s: no connection of its own (%s); checked at once", path,
                 db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close(db);
        return NULL;
    }
    return db;
}

KsStatus store_check_begin(Store *s)
{
    if (!check_later(s))
        return store_check_now(s);
    sqlite3 *db = check_open(s->path);
    if (!db)
        return store_check_now(s);
    StoreCheck *c = xcalloc(1, sizeof *c);
    c->db = db;
    c->path = xstrdup(s->path);
    pthread_mutex_init(&c->mu, NULL);
    if (pthread_create(&c->thread, NULL, check_thread, c) != 0) {
        LOG_WARN("integrity check of %s: no thread; checked at once", s->path);
        pthread_mutex_destroy(&c->mu);
        sqlite3_close(c->db);
        free(c->path);
        free(c);
        return store_check_now(s);
    }
    LOG_INFO("integrity check of %s runs beside the start", s->path);
    s->check = c;
    return KS_OK;
}

bool store_integrity(Store *s, KsStatus *result)
{
    *result = KS_OK;
    if (!s || !s->check)
        return true;
    pthread_mutex_lock(&s->check->mu);
    bool done = s->check->done;
    if (done)
        *result = s->check->result;
    pthread_mutex_unlock(&s->check->mu);
    return done;
}

void store_check_end(Store *s)
{
    StoreCheck *c = s->check;
    if (!c)
        return;
    pthread_mutex_lock(&c->mu);
    if (c->db)
        sqlite3_interrupt(c->db); /* a check still running ends now */
    pthread_mutex_unlock(&c->mu);
    pthread_join(c->thread, NULL);
    pthread_mutex_destroy(&c->mu);
    free(c->path);
    free(c);
    s->check = NULL;
}
