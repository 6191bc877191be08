/* export_fixture: sessions, ledger batches and the export run the export
 * suites share (see export_fixture.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "../../firmware/core/clock.h"
#include "../../firmware/storage/store_export.h"
#include "../../firmware/storage/store_responses.h"
#include "../../firmware/survey/form.h"
#include "../../firmware/sys/safe_copy.h"
#include "../test_files.h"
#include "export_fixture.h"

void *store_fixture_new(size_t size, const char *name, int64_t t0, const char *forms)
{
    StoreFixture *f = test_fixture_new(size, offsetof(StoreFixture, dir), sizeof f->dir, name);
    snprintf(f->db, sizeof f->db, "%s/k.db", f->dir);
    snprintf(f->media, sizeof f->media, "%s/media", f->dir);
    snprintf(f->stick, sizeof f->stick, "%s/STICK", f->media);
    assert_int_equal(mkdir(f->media, 0700), 0);
    assert_int_equal(mkdir(f->stick, 0700), 0);
    if (t0)
        clock_use_virtual(t0);
    config_defaults(&f->cfg);
    assert_int_equal(store_open(f->db, &f->store), KS_OK);
    if (forms)
        assert_int_equal(catalog_load(forms, &f->cat), KS_OK);
    return f;
}

void store_fixture_free(void *fixture)
{
    StoreFixture *f = fixture;
    store_close(&f->store);
    catalog_destroy(f->cat);
    test_fixture_free(f, f->dir);
}

int store_fixture_teardown(void **state)
{
    store_fixture_free(*state);
    return 0;
}

const ExportStickPort SAFE_COPY_PORT = {
    .copy_dir = safe_copy_dir,
    .copy_file = safe_copy_file,
    .discard = safe_copy_discard,
    .clean = safe_copy_clean,
};

/* Puts each "question=value" of the space-separated answers at `at`. */
static void put_answers(Store *s, int64_t id, const char *answers, int64_t at)
{
    for (const char *a = answers; *a;) {
        size_t len = strcspn(a, " ");
        const char *eq = memchr(a, '=', len);
        assert_non_null(eq);
        char q[64], v[64];
        snprintf(q, sizeof q, "%.*s", (int)(eq - a), a);
        snprintf(v, sizeof v, "%.*s", (int)(a + len - eq - 1), eq + 1);
        assert_int_equal(store_answer_put(s, id, q, v, at), KS_OK);
        a += len + strspn(a + len, " ");
    }
}

int64_t sample_session(Store *s, const Catalog *cat, int64_t t0, int i, const char *answers)
{
    const Form *form = catalog_find(cat, "kinder");
    assert_non_null(form);
    char uuid[33];
    snprintf(uuid, sizeof uuid, "%032x", i + 1);
    StoreSessionMeta m = {.uuid = uuid,
                          .form_id = form_id(form),
                          .form_version = form_version(form),
                          .form_sha256 = form_sha256(form),
                          .lang = "de",
                          .audience = "child",
                          .started_ms = t0 + i * 60000};
    int64_t id = 0;
    assert_int_equal(store_session_begin(s, &m, &id), KS_OK);
    put_answers(s, id, answers, t0);
    assert_int_equal(store_session_finish(s, id, STORE_OUTCOME_COMPLETE, m.started_ms + 30000),
                     KS_OK);
    return id;
}

void sample_sessions(Store *s, const Catalog *cat, int64_t t0, int n, const char *answers)
{
    const Form *form = catalog_find(cat, "kinder");
    assert_non_null(form);
    char known[65];
    assert_int_equal(
        store_form_register(s, form_id(form), form_version(form), form_sha256(form), t0, known),
        KS_OK);
    for (int i = 0; i < n; i++)
        sample_session(s, cat, t0, i, answers);
}

StoreSessionMeta plain_meta(const char *uuid, const char *form, int64_t at)
{
    return (StoreSessionMeta){.uuid = uuid,
                              .form_id = form,
                              .form_version = "1",
                              .form_sha256 = "0000",
                              .lang = "de",
                              .audience = "youth",
                              .started_ms = at};
}

int64_t plain_session(Store *s, int nr, const char *form, int64_t at, bool doubt, bool complete)
{
    char uuid[33];
    snprintf(uuid, sizeof uuid, "%032d", nr);
    StoreSessionMeta m = plain_meta(uuid, form, at);
    m.clock_doubt = doubt;
    int64_t id = 0;
    assert_int_equal(store_session_begin(s, &m, &id), KS_OK);
    assert_int_equal(store_answer_put(s, id, "nr", "1", at), KS_OK);
    if (complete)
        assert_int_equal(store_session_finish(s, id, STORE_OUTCOME_COMPLETE, at + 1000), KS_OK);
    return id;
}

void ledger_batch(Store *s, const char *id, int64_t at, int rows, char tag, const int64_t *ids,
                  int n, const int64_t *ws, int n_ws)
{
    StoreBatch b = {.rows = rows, .created_ms = at};
    snprintf(b.id, sizeof b.id, "%s", id);
    memset(b.tag_sha256, tag, 64);
    assert_int_equal(store_batch_commit_ws(s, &b, ids, n, ws, n_ws), KS_OK);
}

ExportDataOptions export_options(const char *batch_id, int k)
{
    return (ExportDataOptions){.batch_id = batch_id,
                               .kiosk_id = "TEST1",
                               .software_version = "0.test",
                               .k = k,
                               .period = EXPORT_PERIOD_WEEK};
}

KsStatus export_to_stick(const StoreFixture *f, int64_t now_ms, ExportRunResult *r)
{
    ExportRunOptions o = {
        .db_path = f->db, .stick_dir = f->stick, .port = &SAFE_COPY_PORT, .now_ms = now_ms};
    return export_run(f->store, f->cat, &f->cfg, &o, r);
}
