/* ws_store_fixture: what the Zukunftswerkstatt storage suites share
 * (test_workshop_store, test_workshop_rounds): a fresh database in a
 * temporary folder of $TMPDIR on a virtual clock, and small helpers to
 * start a workshop, add cards, vote and read them back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../firmware/core/clock.h"
#include "../test_files.h"
#include "../test_tmp.h"
#include "ws_store_fixture.h"

int ws_fixture_setup(void **state)
{
    Fixture *f = TEST_FIXTURE_NEW(Fixture, "ks_wsstore");
    snprintf(f->path, sizeof f->path, "%s/kiosk.db", f->dir);
    clock_use_virtual(T0);
    assert_int_equal(store_open(f->path, &f->s), KS_OK);
    *state = f;
    return 0;
}

int ws_fixture_teardown(void **state)
{
    Fixture *f = *state;
    store_close(&f->s);
    test_fixture_free(f, f->dir);
    return 0;
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

/* Fails the test unless got equals the text printf makes of fmt and ap. */
static void expect_text(const char *what, const char *got, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
static void expect_text(const char *what, const char *got, const char *fmt, va_list ap)
{
    char want[512];
    vsnprintf(want, sizeof want, fmt, ap);
    if (strcmp(got, want) != 0)
        fail_msg("%s: \"%s\", expected \"%s\"", what, got, want);
}

void expect_walk(Store *s, int64_t ws, int phase, StoreWsCardFn fn, const char *fmt, ...)
{
    Cards w;
    memset(&w, 0, sizeof w);
    assert_int_equal(store_ws_cards(s, ws, phase, false, false, fn, &w), KS_OK);
    va_list ap;
    va_start(ap, fmt);
    expect_text("cards", w.seen, fmt, ap);
    va_end(ap);
}

void approve(Store *s, const int64_t *ids, int n)
{
    for (int i = 0; i < n; i++)
        assert_int_equal(store_ws_card_set_status(s, ids[i], WS_CARD_APPROVED), KS_OK);
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

typedef struct {
    char seen[256];
} Dots;

static KsStatus dots_fn(void *ctx, int64_t card_id, int round, int dots, int flagged)
{
    Dots *d = ctx;
    char line[64];
    snprintf(line, sizeof line, "%lld/%d/%d/%d;", (long long)card_id, round, dots, flagged);
    strncat(d->seen, line, sizeof d->seen - strlen(d->seen) - 1);
    return KS_OK;
}

void expect_dots(Store *s, int64_t ws, const char *fmt, ...)
{
    Dots d;
    memset(&d, 0, sizeof d);
    assert_int_equal(store_ws_vote_rounds(s, ws, dots_fn, &d), KS_OK);
    va_list ap;
    va_start(ap, fmt);
    expect_text("dots", d.seen, fmt, ap);
    va_end(ap);
}
