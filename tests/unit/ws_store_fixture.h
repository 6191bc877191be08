/* ws_store_fixture: the Zukunftswerkstatt storage suites' shared fixture
 * (see ws_store_fixture.c). */
#ifndef KS_WS_STORE_FIXTURE_H
#define KS_WS_STORE_FIXTURE_H

#include <stdint.h>
#include <sqlite3.h>
#include <stdbool.h>

#include "../../firmware/storage/store.h"
#include "../../firmware/storage/store_workshop.h"

#define T0 1795000000000LL /* 2026-11-18 */

typedef struct {
    char dir[64];
    char path[128];
    Store *s;
} Fixture;

/* What a card walk saw: ids, votes, and a text trail. */
typedef struct {
    int n;
    int64_t ids[32];
    int votes[32];
    char seen[512];
} Cards;

/* cmocka setup and teardown: f->path names a database not opened yet. */
int ws_fixture_setup(void **state);
int ws_fixture_teardown(void **state);

/* The first column of the first row of sql on db, -1 without a row. */
int db_int(sqlite3 *db, const char *sql);
/* A workshop of three dots, German and Arabic; started (created) at T0. */
StoreWorkshop ws_make(bool approval);
int64_t ws_start(Store *s, bool approval);
/* Adds a card (age band 10-13), asserting success; its id. */
int64_t card(Store *s, int64_t ws, WsPhase phase, const char *lang, const char *text);
/* The cards store_ws_cards walks (phase -1: every phase). */
KsStatus cards_fn(void *ctx, const StoreWsCard *c);
Cards cards_of(Store *s, int64_t ws, int phase, bool wall, bool pending);
int votes_of(Store *s, int64_t ws, int64_t card_id);
/* One token's dots for one card. */
int vote1(Store *s, int64_t ws, const char *token, int64_t card_id, int count);
/* A card about another (about_card), added with the status want. */
int64_t about_add(Store *s, int64_t ws, WsPhase phase, int64_t about, KsStatus want);
/* Walk callback: "id>about;" per card into a Cards' text trail. */
KsStatus about_fn(void *ctx, const StoreWsCard *c);

#endif
