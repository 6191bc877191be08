/* ws_store_fixture: what the Zukunftswerkstatt storage suites share
 * (test_workshop_store, test_workshop_rounds): a fresh database in a
 * temporary folder of $TMPDIR on a virtual clock, and small helpers to
 * start a workshop, add cards and read them back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../firmware/core/clock.h"
#include "../test_tmp.h"
#include "ws_store_fixture.h"

int ws_fixture_setup(void **state)
{
    Fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    assert_true(test_tmp_template(f->dir, sizeof f->dir, "ks_wsstore"));
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof f->path, "%s/kiosk.db", f->dir);
    clock_use_virtual(T0);
    *state = f;
    return 0;
}

int ws_fixture_teardown(void **state)
{
    Fixture *f = *state;
    store_close(&f->s);
    DIR *d = opendir(f->dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char p[400];
            snprintf(p, sizeof p, "%s/%s", f->dir, e->d_name);
            unlink(p);
        }
        closedir(d);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

int db_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    int v = -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

StoreWorkshop ws_make(bool approval)
{
    StoreWorkshop w = {.dots = 3, .approval = approval};
    strcpy(w.title, "Kiezwerkstatt");
    strcpy(w.question, "Unser Kiez in 5 Jahren");
    strcpy(w.langs, "de ar");
    return w;
}

int64_t ws_start(Store *s, bool approval)
{
    StoreWorkshop w = ws_make(approval);
    int64_t id = 0;
    assert_int_equal(store_ws_create(s, &w, T0, &id), KS_OK);
    assert_true(id > 0);
    return id;
}

int64_t card(Store *s, int64_t ws, WsPhase phase, const char *lang, const char *text)
{
    StoreWsCard c = {.workshop_id = ws, .phase = phase};
    snprintf(c.lang, sizeof c.lang, "%s", lang);
    snprintf(c.text, sizeof c.text, "%s", text);
    strcpy(c.age_band, "10-13");
    int64_t id = 0;
    assert_int_equal(store_ws_card_add(s, &c, NULL, 0, &id), KS_OK);
    assert_true(id > 0);
    return id;
}

KsStatus cards_fn(void *ctx, const StoreWsCard *c)
{
    Cards *w = ctx;
    if (w->n < 32) {
        w->ids[w->n] = c->id;
        w->votes[w->n] = c->votes;
    }
    w->n++;
    size_t used = strlen(w->seen);
    snprintf(w->seen + used, sizeof w->seen - used, "%s:%d;", c->text[0] ? c->text : c->topic,
             c->votes);
    return KS_OK;
}

Cards cards_of(Store *s, int64_t ws, int phase, bool wall, bool pending)
{
    Cards w;
    memset(&w, 0, sizeof w);
    assert_int_equal(store_ws_cards(s, ws, phase, wall, pending, cards_fn, &w), KS_OK);
    return w;
}

int votes_of(Store *s, int64_t ws, int64_t card_id)
{
    Cards w = cards_of(s, ws, -1, false, false);
    for (int i = 0; i < w.n && i < 32; i++)
        if (w.ids[i] == card_id)
            return w.votes[i];
    fail_msg("card %lld not found", (long long)card_id);
    return -1;
}

int vote1(Store *s, int64_t ws, const char *token, int64_t card_id, int count)
{
    return store_ws_vote(s, ws, token, &card_id, &count, 1);
}

/* A realisation card may name the idea it is about: an approved Fantasie
 * card of the same workshop; a merged idea counts as its target. */
int64_t about_add(Store *s, int64_t ws, WsPhase phase, int64_t about, KsStatus want)
{
    StoreWsCard c = {.workshop_id = ws, .phase = phase, .about_card = about};
    strcpy(c.lang, "de");
    strcpy(c.text, "Wir fragen den Bezirk");
    int64_t id = 0;
    assert_int_equal(store_ws_card_add(s, &c, NULL, 0, &id), want);
    return id;
}

KsStatus about_fn(void *ctx, const StoreWsCard *c)
{
    Cards *w = ctx;
    size_t used = strlen(w->seen);
    snprintf(w->seen + used, sizeof w->seen - used, "%lld>%lld;", (long long)c->id,
             (long long)c->about_card);
    w->n++;
    return KS_OK;
}
