/* ws_store_fixture: the Zukunftswerkstatt storage suites' shared fixture
 * (see ws_store_fixture.c). */
#ifndef KS_WS_STORE_FIXTURE_H
#define KS_WS_STORE_FIXTURE_H

#include <stdint.h>
#include <stdbool.h>

#include "../../firmware/storage/store.h"
#include "../../firmware/storage/store_workshop.h"
#include "db_fixture.h"

#define T0 1795000000000LL /* 2026-11-18 */

typedef struct {
    char dir[64];
    char path[128]; /* the database in dir */
    Store *s;       /* open on path; a test may close and reopen it */
} Fixture;

/* What a card walk saw: ids, votes, and a text trail. */
typedef struct {
    int n;
    int64_t ids[32];
    int votes[32];
    char seen[512];
} Cards;

/* cmocka setup and teardown: a Fixture with its store open. */
int ws_fixture_setup(void **state);
int ws_fixture_teardown(void **state);

/* A workshop of three dots, German and Arabic; started (created) at T0. */
StoreWorkshop ws_make(bool approval);
int64_t ws_start(Store *s, bool approval);
/* Adds a card (age band 10-13), asserting success; its id. */
int64_t card(Store *s, int64_t ws, WsPhase phase, const char *lang, const char *text);
/* The cards store_ws_cards walks (phase -1: every phase). */
KsStatus cards_fn(void *ctx, const StoreWsCard *c);
Cards cards_of(Store *s, int64_t ws, int phase, bool wall, bool pending);
/* Walks every card of a phase (-1: all) through fn, which fills a Cards'
 * text trail, and checks the trail against the text printf makes of fmt. */
void expect_walk(Store *s, int64_t ws, int phase, StoreWsCardFn fn, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Approves the n cards ids, asserting success. */
void approve(Store *s, const int64_t *ids, int n);
int votes_of(Store *s, int64_t ws, int64_t card_id);
/* One token's dots for one card. */
int vote1(Store *s, int64_t ws, const char *token, int64_t card_id, int count);
/* A card about another (about_card), added with the status want. */
int64_t about_add(Store *s, int64_t ws, WsPhase phase, int64_t about, KsStatus want);
/* Walk callback: "id>about;" per card into a Cards' text trail. */
KsStatus about_fn(void *ctx, const StoreWsCard *c);

/* Checks the dots of every round of the workshop (store_ws_vote_rounds),
 * "card/round/dots/flagged;" per row, against the text printf makes of
 * fmt. */
void expect_dots(Store *s, int64_t ws, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
