/* archive_rows: the rows of received batches in the archive database (see
 * archive_rows.h). Inserts go through cached statements inside the
 * caller's transaction; reads stream row by row, so no caller holds a whole
 * dataset. */
#include "archive_rows.h"

#include <stdlib.h>
#include <string.h>

#include "../firmware/core/mem.h"
#include "archive_private.h"

/* Batches whose rows count. */
#define COUNTED "b.state IN ('received', 'stands_in')"

KsStatus archive_column_add(Archive *a, const char *batch_id, const char *table, int position,
                            const char *name, const char *spec)
{
    sqlite3_stmt *st;
    KsStatus ks = archive_stmt(a,
                               "INSERT INTO batch_column(batch_id, tab, position, name, spec)"
                               " VALUES(?1, ?2, ?3, ?4, ?5)",
                               &st);
    if (ks == KS_OK)
        ks = archive_bind(a, st, 1, batch_id);
    if (ks == KS_OK)
        ks = archive_bind(a, st, 2, table);
    if (ks == KS_OK && sqlite3_bind_int(st, 3, position) != SQLITE_OK)
        ks = archive_fail(a, sqlite3_errcode(a->db), "bind position");
    if (ks == KS_OK)
        ks = archive_bind(a, st, 4, name);
    if (ks == KS_OK)
        ks = archive_bind(a, st, 5, spec);
    return ks == KS_OK ? archive_done(a, st, "add column") : ks;
}

static const char *text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

KsStatus archive_columns_each(Archive *a, const char *table,
                              bool (*fn)(const ArchiveColumn *c, void *ctx), void *ctx)
{
    sqlite3_stmt *st;
    KsStatus ks =
        archive_stmt(a,
                     "SELECT c.batch_id, b.received_at, c.position, c.name, c.spec"
                     " FROM batch_column c JOIN batch b ON b.id = c.batch_id"
                     " WHERE c.tab = ?1 AND " COUNTED " ORDER BY b.received_at, b.id, c.position",
                     &st);
    if (ks == KS_OK)
        ks = archive_bind(a, st, 1, table);
    if (ks != KS_OK)
        return ks;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        ArchiveColumn c = {text(st, 0), text(st, 1), sqlite3_column_int(st, 2), text(st, 3),
                           text(st, 4)};
        if (!fn(&c, ctx)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? KS_OK : archive_fail(a, rc, "list columns");
}

KsStatus archive_response_add(Archive *a, const ArchiveResponse *r)
{
    sqlite3_stmt *st;
    KsStatus ks = archive_stmt(a,
                               "INSERT INTO response(batch_id, kiosk_id, site, form, version,"
                               " period, lang, audience, response_id, cells)"
                               " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                               &st);
    const char *v[] = {r->batch_id, r->kiosk_id, r->site,     r->form,        r->version,
                       r->period,   r->lang,     r->audience, r->response_id, r->cells};
    for (int i = 0; ks == KS_OK && i < 10; i++)
        ks = archive_bind(a, st, i + 1, v[i] ? v[i] : "");
    return ks == KS_OK ? archive_done(a, st, "add response") : ks;
}

/* Binds a filter to ?1..?4 of the statements below. */
static KsStatus bind_filter(Archive *a, sqlite3_stmt *st, const ArchiveFilter *f)
{
    const char *v[] = {f->form, f->site, f->period_from, f->period_to};
    KsStatus ks = KS_OK;
    for (int i = 0; ks == KS_OK && i < 4; i++)
        ks = archive_bind(a, st, i + 1, v[i] ? v[i] : "");
    return ks;
}

#define FILTER                                                                                     \
    " r.form = ?1 AND (?2 = '' OR r.site = ?2) AND (?3 = '' OR r.period >= ?3)"                    \
    " AND (?4 = '' OR r.period <= ?4) AND " COUNTED

KsStatus archive_responses_count(Archive *a, const ArchiveFilter *f, long *n)
{
    *n = 0;
    sqlite3_stmt *st;
    KsStatus ks = archive_stmt(a,
                               "SELECT count(*) FROM response r JOIN batch b ON b.id = r.batch_id"
                               " WHERE" FILTER,
                               &st);
    if (ks == KS_OK)
        ks = bind_filter(a, st, f);
    if (ks != KS_OK)
        return ks;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *n = (long)sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? KS_OK : archive_fail(a, rc, "count responses");
}

KsStatus archive_responses_each(Archive *a, const ArchiveFilter *f,
                                bool (*fn)(const ArchiveResponse *r, void *ctx), void *ctx)
{
    sqlite3_stmt *st;
    KsStatus ks = archive_stmt(a,
                               "SELECT r.batch_id, r.kiosk_id, r.site, r.form, r.version, r.period,"
                               " r.lang, r.audience, r.response_id, r.cells"
                               " FROM response r JOIN batch b ON b.id = r.batch_id WHERE" FILTER
                               " ORDER BY r.site, r.kiosk_id, b.received_at, b.id, r.id",
                               &st);
    if (ks == KS_OK)
        ks = bind_filter(a, st, f);
    if (ks != KS_OK)
        return ks;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        ArchiveResponse r = {text(st, 0), text(st, 1), text(st, 2), text(st, 3), text(st, 4),
                             text(st, 5), text(st, 6), text(st, 7), text(st, 8), text(st, 9)};
        if (!fn(&r, ctx)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? KS_OK : archive_fail(a, rc, "list responses");
}

KsStatus archive_forms(Archive *a, char ***forms, int *n)
{
    return archive_texts(a,
                         "SELECT DISTINCT r.form FROM response r JOIN batch b"
                         " ON b.id = r.batch_id WHERE " COUNTED " ORDER BY 1",
                         "list forms", forms, n);
}

KsStatus archive_extra_add(Archive *a, const char *batch_id, const char *file, const char *cells)
{
    sqlite3_stmt *st;
    KsStatus ks =
        archive_stmt(a, "INSERT INTO extra(batch_id, file, cells) VALUES(?1, ?2, ?3)", &st);
    if (ks == KS_OK)
        ks = archive_bind(a, st, 1, batch_id);
    if (ks == KS_OK)
        ks = archive_bind(a, st, 2, file);
    if (ks == KS_OK)
        ks = archive_bind(a, st, 3, cells);
    return ks == KS_OK ? archive_done(a, st, "add extra row") : ks;
}

KsStatus archive_extras_each(Archive *a, const char *like,
                             bool (*fn)(const ArchiveExtra *e, void *ctx), void *ctx)
{
    sqlite3_stmt *st;
    KsStatus ks = archive_stmt(a,
                               "SELECT e.batch_id, b.kiosk_id, b.site, b.received_at, e.file,"
                               " e.cells FROM extra e JOIN batch b ON b.id = e.batch_id"
                               " WHERE e.file LIKE ?1 AND " COUNTED
                               " ORDER BY b.site, b.kiosk_id, b.received_at, b.id, e.id",
                               &st);
    if (ks == KS_OK)
        ks = archive_bind(a, st, 1, like);
    if (ks != KS_OK)
        return ks;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        ArchiveExtra e = {text(st, 0), text(st, 1), text(st, 2),
                          text(st, 3), text(st, 4), text(st, 5)};
        if (!fn(&e, ctx)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? KS_OK : archive_fail(a, rc, "list extra rows");
}

KsStatus archive_media_add(Archive *a, const char *batch_id, const char *path, const void *data,
                           size_t len)
{
    sqlite3_stmt *st;
    KsStatus ks =
        archive_stmt(a, "INSERT INTO media(batch_id, path, data) VALUES(?1, ?2, ?3)", &st);
    if (ks == KS_OK)
        ks = archive_bind(a, st, 1, batch_id);
    if (ks == KS_OK)
        ks = archive_bind(a, st, 2, path);
    if (ks == KS_OK && sqlite3_bind_blob64(st, 3, data, len, SQLITE_TRANSIENT) != SQLITE_OK)
        ks = archive_fail(a, sqlite3_errcode(a->db), "bind picture");
    return ks == KS_OK ? archive_done(a, st, "add picture") : ks;
}

/* A picture's bytes from column 0 into a new buffer. */
typedef struct {
    void **data;
    size_t *len;
} Blob;

static void blob_from_row(sqlite3_stmt *st, void *out)
{
    const Blob *b = out;
    int n = sqlite3_column_bytes(st, 0);
    *b->data = xmalloc(n > 0 ? (size_t)n : 1);
    if (n > 0)
        memcpy(*b->data, sqlite3_column_blob(st, 0), (size_t)n);
    *b->len = (size_t)n;
}

KsStatus archive_media_get(Archive *a, const char *batch_id, const char *path, void **data,
                           size_t *len)
{
    *data = NULL;
    *len = 0;
    Blob out = {data, len};
    sqlite3_stmt *st;
    KsStatus ks = archive_stmt(a, "SELECT data FROM media WHERE batch_id = ?1 AND path = ?2", &st);
    if (ks == KS_OK)
        ks = archive_bind(a, st, 1, batch_id);
    if (ks == KS_OK)
        ks = archive_bind(a, st, 2, path);
    return ks == KS_OK ? archive_row(a, st, "read picture", blob_from_row, &out) : ks;
}

KsStatus archive_rows_drop(Archive *a, const char *batch_id)
{
    static const char *const sql[] = {
        "DELETE FROM response WHERE batch_id = ?1",
        "DELETE FROM extra WHERE batch_id = ?1",
        "DELETE FROM media WHERE batch_id = ?1",
    };
    for (int i = 0; i < 3; i++) {
        sqlite3_stmt *st;
        KsStatus ks = archive_stmt(a, sql[i], &st);
        if (ks == KS_OK)
            ks = archive_bind(a, st, 1, batch_id);
        if (ks == KS_OK)
            ks = archive_done(a, st, "drop rows");
        if (ks != KS_OK)
            return ks;
    }
    return KS_OK;
}
