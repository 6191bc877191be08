/* test_workshop_store: the Zukunftswerkstatt tables against real SQLite
 * files in a temp directory — workshops and phases, cards with and without
 * approval, merges (votes follow, chains too), the dot budget, drawings,
 * wall filters, the export marker and the migration from schema 5. The
 * voting rounds, plan cards and the migration from schema 8 are in
 * test_workshop_rounds.c. */
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
#include "../../firmware/core/log.h"
#include "../../firmware/storage/store.h"
#include "../../firmware/storage/store_export.h"
#include "../../firmware/storage/store_private.h"
#include "../../firmware/storage/store_responses.h"
#include "../../firmware/storage/store_workshop.h"

#include "../test_main.h"
#include "export_fixture.h"
#include "ws_store_fixture.h"

/* ---- tests ------------------------------------------------------------ */

static void test_create_current_close(void **state)
{
    Fixture *f = *state;
    Store *s = f->s;
    StoreWorkshop w;
    assert_int_equal(store_ws_current(s, &w), KS_ERR_NOT_FOUND);

    StoreWorkshop bad = ws_make(true);
    int64_t id = 0;
    bad.dots = 0;
    assert_int_equal(store_ws_create(s, &bad, T0, &id), KS_ERR_INVALID);
    bad = ws_make(true);
    bad.title[0] = '\0';
    assert_int_equal(store_ws_create(s, &bad, T0, &id), KS_ERR_INVALID);

    int64_t a = ws_start(s, true);
    assert_int_equal(store_ws_current(s, &w), KS_OK);
    assert_true(w.id == a);
    assert_string_equal(w.title, "Kiezwerkstatt");
    assert_string_equal(w.question, "Unser Kiez in 5 Jahren");
    assert_string_equal(w.langs, "de ar");
    assert_int_equal(w.dots, 3);
    assert_true(w.approval);
    assert_int_equal(w.phase, WS_PHASE_CRITIQUE);
    assert_int_equal(w.round, 1);
    assert_string_equal(w.day, "2026-11-18");
    assert_true(w.open);

    /* a new workshop closes the one still open */
    int64_t b = ws_start(s, false);
    assert_int_equal(store_ws_get(s, a, &w), KS_OK);
    assert_false(w.open);
    assert_int_equal(store_ws_current(s, &w), KS_OK);
    assert_true(w.id == b);
    assert_false(w.approval);

    assert_int_equal(store_ws_close(s, b), KS_OK);
    assert_int_equal(store_ws_current(s, &w), KS_ERR_NOT_FOUND);
    assert_int_equal(store_ws_close(s, 999), KS_ERR_NOT_FOUND);
    assert_int_equal(store_ws_get(s, 999, &w), KS_ERR_NOT_FOUND);
    /* a closed workshop takes no cards and no phase changes */
    StoreWsCard c = {.workshop_id = b, .phase = WS_PHASE_CRITIQUE};
    strcpy(c.lang, "de");
    strcpy(c.text, "zu spät");
    assert_int_equal(store_ws_card_add(s, &c, NULL, 0, &id), KS_ERR_STATE);
    assert_int_equal(store_ws_set_phase(s, b, WS_PHASE_FANTASY), KS_ERR_STATE);
    assert_string_equal(store_ws_phase_name(WS_PHASE_REALISATION), "realisation");
}

static void test_phases_and_rounds(void **state)
{
    Fixture *f = *state;
    Store *s = f->s;
    int64_t ws = ws_start(s, false);
    StoreWorkshop w;
    int64_t c1 = card(s, ws, WS_PHASE_CRITIQUE, "de", "Müll im Park");
    assert_int_equal(store_ws_set_phase(s, ws, WS_PHASE_COUNT), KS_ERR_INVALID);
    assert_int_equal(store_ws_set_phase(s, 999, WS_PHASE_FANTASY), KS_ERR_NOT_FOUND);
    assert_int_equal(store_ws_set_phase(s, ws, WS_PHASE_FANTASY), KS_OK);
    assert_int_equal(store_ws_get(s, ws, &w), KS_OK);
    assert_int_equal(w.phase, WS_PHASE_FANTASY);
    assert_int_equal(store_ws_set_phase(s, ws, WS_PHASE_VOTING), KS_OK);
    assert_int_equal(store_ws_get(s, ws, &w), KS_OK);
    assert_int_equal(w.round, 1);
    /* setting the same phase again is no new round */
    assert_int_equal(store_ws_set_phase(s, ws, WS_PHASE_VOTING), KS_OK);
    assert_int_equal(store_ws_get(s, ws, &w), KS_OK);
    assert_int_equal(w.round, 1);
    /* c1 is a critique card: this round is about the critique */
    assert_int_equal(vote1(s, ws, "tok-a", c1, 3), KS_ERR_INVALID);
    assert_int_equal(store_ws_set_vote_phase(s, ws, WS_PHASE_CRITIQUE), KS_OK);
    assert_int_equal(store_ws_get(s, ws, &w), KS_OK);
    assert_int_equal(w.round, 1); /* no dots yet: the same round */
    assert_int_equal(vote1(s, ws, "tok-a", c1, 3), KS_OK);
    int used = -1;
    assert_int_equal(store_ws_votes_used(s, ws, "tok-a", &used), KS_OK);
    assert_int_equal(used, 3);
    assert_int_equal(vote1(s, ws, "tok-a", c1, 1), KS_ERR_LIMIT);

    assert_int_equal(store_ws_set_phase(s, ws, WS_PHASE_RESULTS), KS_OK);
    assert_int_equal(store_ws_set_phase(s, ws, WS_PHASE_VOTING), KS_OK);
    assert_int_equal(store_ws_get(s, ws, &w), KS_OK);
    assert_int_equal(w.round, 2);
    /* a new round: fresh dots for the same token */
    assert_int_equal(store_ws_votes_used(s, ws, "tok-a", &used), KS_OK);
    assert_int_equal(used, 0);
    assert_int_equal(vote1(s, ws, "tok-a", c1, 2), KS_OK);
    assert_int_equal(votes_of(s, ws, c1), 5);
}

static void test_cards_approval_and_filters(void **state)
{
    Fixture *f = *state;
    Store *s = f->s;
    int64_t ws = ws_start(s, true);
    int64_t a = card(s, ws, WS_PHASE_CRITIQUE, "de", "Zu wenig Bänke");
    int64_t b = card(s, ws, WS_PHASE_CRITIQUE, "ar", "ملعب أكبر");
    int64_t c = card(s, ws, WS_PHASE_FANTASY, "de", "Ein Baumhaus");
    /* with approval nothing is on the wall yet */
    assert_int_equal(cards_of(s, ws, -1, true, false).n, 0);
    assert_int_equal(cards_of(s, ws, -1, false, true).n, 3);
    assert_int_equal(cards_of(s, ws, WS_PHASE_CRITIQUE, false, true).n, 2);

    assert_int_equal(store_ws_card_set_status(s, a, WS_CARD_APPROVED), KS_OK);
    assert_int_equal(store_ws_card_set_status(s, b, WS_CARD_REJECTED), KS_OK);
    assert_int_equal(store_ws_card_set_status(s, c, WS_CARD_APPROVED), KS_OK);
    assert_int_equal(store_ws_card_set_status(s, 999, WS_CARD_APPROVED), KS_ERR_NOT_FOUND);
    assert_int_equal(store_ws_card_set_status(s, a, (WsCardStatus)7), KS_ERR_INVALID);

    Cards wall = cards_of(s, ws, WS_PHASE_CRITIQUE, true, false);
    assert_int_equal(wall.n, 1);
    assert_true(wall.ids[0] == a);
    assert_int_equal(cards_of(s, ws, -1, true, false).n, 2);
    assert_int_equal(cards_of(s, ws, -1, false, true).n, 0);
    Cards all = cards_of(s, ws, -1, false, false);
    assert_int_equal(all.n, 3);
    assert_string_equal(all.seen, "Zu wenig Bänke:0;ملعب أكبر:0;Ein Baumhaus:0;");

    /* cards are written in the working phases only, and need content */
    StoreWsCard e = {.workshop_id = ws, .phase = WS_PHASE_VOTING};
    int64_t id = 0;
    strcpy(e.lang, "de");
    strcpy(e.text, "x");
    assert_int_equal(store_ws_card_add(s, &e, NULL, 0, &id), KS_ERR_INVALID);
    e.phase = WS_PHASE_REALISATION;
    e.text[0] = '\0';
    assert_int_equal(store_ws_card_add(s, &e, NULL, 0, &id), KS_ERR_INVALID);
    strcpy(e.topic, "nature"); /* a topic picture alone is a card */
    assert_int_equal(store_ws_card_add(s, &e, NULL, 0, &id), KS_OK);
    e.workshop_id = 999;
    assert_int_equal(store_ws_card_add(s, &e, NULL, 0, &id), KS_ERR_NOT_FOUND);

    /* without approval a card goes straight to the wall */
    int64_t ws2 = ws_start(s, false);
    int64_t d = card(s, ws2, WS_PHASE_CRITIQUE, "de", "Laut");
    wall = cards_of(s, ws2, -1, true, false);
    assert_int_equal(wall.n, 1);
    assert_true(wall.ids[0] == d);
    /* only the day is stored, no finer time */
    assert_int_equal(db_int(s->db, "SELECT count(*) FROM ws_card WHERE length(day) = 10"), 5);
}

static void test_drawing_round_trip(void **state)
{
    Fixture *f = *state;
    Store *s = f->s;
    int64_t ws = ws_start(s, false);
    uint8_t png[64] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    for (size_t i = 8; i < sizeof png; i++)
        png[i] = (uint8_t)i;
    StoreWsCard c = {.workshop_id = ws, .phase = WS_PHASE_FANTASY};
    strcpy(c.lang, "de");
    int64_t id = 0;
    assert_int_equal(store_ws_card_add(s, &c, png, sizeof png, &id), KS_OK);
    uint8_t *back = NULL;
    size_t n = 0;
    assert_int_equal(store_ws_card_drawing(s, id, &back, &n), KS_OK);
    assert_int_equal(n, sizeof png);
    assert_memory_equal(back, png, sizeof png);
    free(back);
    Cards w = cards_of(s, ws, -1, true, false);
    assert_int_equal(w.n, 1);

    int64_t plain = card(s, ws, WS_PHASE_FANTASY, "de", "ohne Bild");
    assert_int_equal(store_ws_card_drawing(s, plain, &back, &n), KS_ERR_NOT_FOUND);
    assert_null(back);
    /* not a PNG: refused, nothing stored */
    uint8_t junk[16] = "not a png at al";
    int before = db_int(s->db, "SELECT count(*) FROM ws_card");
    assert_int_equal(store_ws_card_add(s, &c, junk, sizeof junk, &id), KS_ERR_INVALID);
    assert_int_equal(db_int(s->db, "SELECT count(*) FROM ws_card"), before);
}

static void test_merge_votes_follow(void **state)
{
    Fixture *f = *state;
    Store *s = f->s;
    int64_t ws = ws_start(s, false);
    int64_t a = card(s, ws, WS_PHASE_FANTASY, "de", "Skatepark");
    int64_t b = card(s, ws, WS_PHASE_FANTASY, "de", "Skaterbahn");
    int64_t c = card(s, ws, WS_PHASE_FANTASY, "ar", "حديقة");
    int64_t d = card(s, ws, WS_PHASE_FANTASY, "de", "Skate-Anlage");
    int64_t other_ws_card = 0;

    assert_int_equal(store_ws_set_phase(s, ws, WS_PHASE_VOTING), KS_OK);
    assert_int_equal(vote1(s, ws, "t1", b, 2), KS_OK);
    assert_int_equal(vote1(s, ws, "t2", a, 1), KS_OK);
    assert_int_equal(vote1(s, ws, "t3", d, 3), KS_OK);

    assert_int_equal(store_ws_card_merge(s, a, a), KS_ERR_INVALID);
    assert_int_equal(store_ws_card_merge(s, a, 999), KS_ERR_NOT_FOUND);
    /* b into a: b leaves the wall, its dots count for a */
    assert_int_equal(store_ws_card_merge(s, b, a), KS_OK);
    assert_int_equal(votes_of(s, ws, a), 3);
    Cards wall = cards_of(s, ws, -1, true, false);
    assert_int_equal(wall.n, 3);
    /* merging into a merged card, or a merged card again, is refused */
    assert_int_equal(store_ws_card_merge(s, c, b), KS_ERR_STATE);
    assert_int_equal(store_ws_card_merge(s, b, c), KS_ERR_STATE);
    /* a merged card takes no more votes */
    assert_int_equal(vote1(s, ws, "t4", b, 1), KS_ERR_INVALID);
    /* a chain: a (with b) into d; all dots end on d */
    assert_int_equal(store_ws_card_merge(s, a, d), KS_OK);
    assert_int_equal(votes_of(s, ws, d), 6);
    assert_int_equal(votes_of(s, ws, a), 3); /* its own share, shown nowhere on the wall */
    wall = cards_of(s, ws, -1, true, false);
    assert_int_equal(wall.n, 2);
    assert_string_equal(wall.seen, "حديقة:0;Skate-Anlage:6;");

    /* per round and card, flagged tokens apart */
    assert_int_equal(store_ws_flag_token(s, ws, "t3", "burst"), KS_OK);
    assert_int_equal(store_ws_flag_token(s, ws, "t3", "burst"), KS_OK);
    assert_int_equal(store_ws_flag_token(s, ws, "t3", "a,b"), KS_ERR_INVALID);
    assert_int_equal(store_ws_flag_token(s, 999, "t3", "burst"), KS_ERR_NOT_FOUND);
    assert_int_equal(db_int(s->db, "SELECT count(*) FROM ws_flag"), 1);

    /* across workshops: refused */
    StoreWorkshop w2 = ws_make(false);
    int64_t ws2 = 0;
    assert_int_equal(store_ws_create(s, &w2, T0, &ws2), KS_OK);
    other_ws_card = card(s, ws2, WS_PHASE_CRITIQUE, "de", "anderswo");
    assert_int_equal(store_ws_card_merge(s, other_ws_card, c), KS_ERR_INVALID);
    /* votes to another workshop's card: not on this wall */
    assert_int_equal(vote1(s, ws, "t5", other_ws_card, 1), KS_ERR_STATE); /* ws closed now */
}

static void test_about_card(void **state)
{
    Fixture *f = *state;
    Store *s = f->s;
    int64_t old_ws = ws_start(s, false);
    int64_t elsewhere = card(s, old_ws, WS_PHASE_FANTASY, "de", "anderswo");
    int64_t ws = ws_start(s, true);
    int64_t idea = card(s, ws, WS_PHASE_FANTASY, "de", "Skatepark");
    int64_t twin = card(s, ws, WS_PHASE_FANTASY, "de", "Skaterbahn");
    int64_t gripe = card(s, ws, WS_PHASE_CRITIQUE, "de", "Laut");
    int64_t no = card(s, ws, WS_PHASE_FANTASY, "de", "Doof");

    /* a pending idea is not chosen yet */
    about_add(s, ws, WS_PHASE_REALISATION, idea, KS_ERR_INVALID);
    approve(s, (int64_t[]){idea, twin, gripe}, 3);
    assert_int_equal(store_ws_card_set_status(s, no, WS_CARD_REJECTED), KS_OK);
    int64_t r1 = about_add(s, ws, WS_PHASE_REALISATION, idea, KS_OK);
    /* not an idea: a critique card, a rejected one, another workshop's,
     * one that does not exist, a realisation card */
    about_add(s, ws, WS_PHASE_REALISATION, gripe, KS_ERR_INVALID);
    about_add(s, ws, WS_PHASE_REALISATION, no, KS_ERR_INVALID);
    about_add(s, ws, WS_PHASE_REALISATION, elsewhere, KS_ERR_INVALID);
    about_add(s, ws, WS_PHASE_REALISATION, 999, KS_ERR_INVALID);
    about_add(s, ws, WS_PHASE_REALISATION, r1, KS_ERR_INVALID);
    about_add(s, ws, WS_PHASE_REALISATION, -1, KS_ERR_INVALID);
    /* only a realisation card is about an idea */
    about_add(s, ws, WS_PHASE_FANTASY, idea, KS_ERR_INVALID);
    about_add(s, ws, WS_PHASE_CRITIQUE, idea, KS_ERR_INVALID);
    /* a merged idea counts as the card it was merged into */
    assert_int_equal(store_ws_card_merge(s, twin, idea), KS_OK);
    int64_t r2 = about_add(s, ws, WS_PHASE_REALISATION, twin, KS_OK);
    /* without an idea: stored as NULL */
    int64_t r3 = about_add(s, ws, WS_PHASE_REALISATION, 0, KS_OK);
    assert_int_equal(db_int(s->db, "SELECT count(*) FROM ws_card WHERE about_card IS NULL"), 6);

    expect_walk(s, ws, WS_PHASE_REALISATION, about_fn, "%lld>%lld;%lld>%lld;%lld>0;", (long long)r1,
                (long long)idea, (long long)r2, (long long)idea, (long long)r3);
    /* nothing refused was stored */
    assert_int_equal(db_int(s->db, "SELECT count(*) FROM ws_card WHERE phase = 'realisation'"), 3);
}

static void test_vote_budget_and_phase(void **state)
{
    Fixture *f = *state;
    Store *s = f->s;
    int64_t ws = ws_start(s, true);
    int64_t a = card(s, ws, WS_PHASE_FANTASY, "de", "A");
    int64_t b = card(s, ws, WS_PHASE_FANTASY, "de", "B");
    int64_t pending = card(s, ws, WS_PHASE_FANTASY, "de", "P");
    int64_t gripe = card(s, ws, WS_PHASE_CRITIQUE, "de", "G");
    approve(s, (int64_t[]){gripe, a, b}, 3);

    /* not the voting phase */
    assert_int_equal(vote1(s, ws, "tok", a, 1), KS_ERR_STATE);
    assert_int_equal(store_ws_set_phase(s, ws, WS_PHASE_VOTING), KS_OK);

    /* a card not on the wall spoils the whole vote; so does a critique
     * card in this round about the ideas */
    int64_t cards[3] = {a, pending, b};
    int counts[3] = {1, 1, 1};
    assert_int_equal(store_ws_vote(s, ws, "tok", cards, counts, 3), KS_ERR_INVALID);
    int64_t mixed[2] = {a, gripe};
    assert_int_equal(store_ws_vote(s, ws, "tok", mixed, counts, 2), KS_ERR_INVALID);
    assert_int_equal(db_int(s->db, "SELECT count(*) FROM ws_vote"), 0);
    assert_int_equal(db_int(s->db, "SELECT count(*) FROM ws_round"), 0);

    /* more than the budget in one go: refused whole */
    int64_t two[2] = {a, b};
    int over[2] = {2, 2};
    assert_int_equal(store_ws_vote(s, ws, "tok", two, over, 2), KS_ERR_LIMIT);
    assert_int_equal(db_int(s->db, "SELECT count(*) FROM ws_vote"), 0);
    int ok[2] = {2, 1};
    assert_int_equal(store_ws_vote(s, ws, "tok", two, ok, 2), KS_OK);
    /* the budget is used up: a later dot is refused, nothing stored */
    assert_int_equal(vote1(s, ws, "tok", b, 1), KS_ERR_LIMIT);
    assert_int_equal(db_int(s->db, "SELECT count(*) FROM ws_vote"), 2);
    int used = 0;
    assert_int_equal(store_ws_votes_used(s, ws, "tok", &used), KS_OK);
    assert_int_equal(used, 3);
    /* several dots on one card in steps */
    assert_int_equal(vote1(s, ws, "tok2", b, 1), KS_OK);
    assert_int_equal(vote1(s, ws, "tok2", b, 2), KS_OK);
    assert_int_equal(vote1(s, ws, "tok2", b, 1), KS_ERR_LIMIT);

    /* bad arguments */
    int zero = 0;
    assert_int_equal(store_ws_vote(s, ws, "tok3", &a, &zero, 1), KS_ERR_INVALID);
    assert_int_equal(store_ws_vote(s, ws, "", &a, counts, 1), KS_ERR_INVALID);
    assert_int_equal(store_ws_vote(s, ws, "tok3", &a, counts, 0), KS_ERR_INVALID);
    assert_int_equal(vote1(s, 999, "tok3", a, 1), KS_ERR_NOT_FOUND);

    assert_int_equal(votes_of(s, ws, a), 2);
    assert_int_equal(votes_of(s, ws, b), 4);

    assert_int_equal(store_ws_flag_token(s, ws, "tok2", "burst"), KS_OK);
    expect_dots(s, ws, "%lld/1/2/0;%lld/1/1/3;", (long long)a, (long long)b);

    /* votes never name who wrote a card: the vote table has no such column */
    assert_int_equal(db_int(s->db, "SELECT count(*) FROM pragma_table_info('ws_vote')"), 6);
}

typedef struct {
    int n;
    int64_t ids[8];
} WsList;

static KsStatus ws_list_fn(void *ctx, const StoreWorkshop *w)
{
    WsList *l = ctx;
    if (l->n < 8)
        l->ids[l->n] = w->id;
    l->n++;
    return KS_OK;
}

static void test_export_marker(void **state)
{
    Fixture *f = *state;
    Store *s = f->s;
    int64_t ws = ws_start(s, false);
    int64_t a = card(s, ws, WS_PHASE_CRITIQUE, "de", "A");
    WsList l = {0};
    /* still running: not exported */
    assert_int_equal(store_ws_export_list(s, NULL, ws_list_fn, &l), KS_OK);
    assert_int_equal(l.n, 0);
    assert_int_equal(store_ws_set_phase(s, ws, WS_PHASE_RESULTS), KS_OK);
    assert_int_equal(store_ws_export_list(s, NULL, ws_list_fn, &l), KS_OK);
    assert_int_equal(l.n, 1);
    assert_true(l.ids[0] == ws);

    StoreBatch bt = {.rows = 0, .created_ms = T0};
    strcpy(bt.id, "K1-20261118-WS01");
    memset(bt.tag_sha256, 'b', 64);
    int64_t missing = 999;
    assert_int_equal(store_batch_commit_ws(s, &bt, NULL, 0, &missing, 1), KS_ERR_STATE);
    StoreBatch got;
    assert_int_equal(store_batch_get(s, bt.id, &got), KS_ERR_NOT_FOUND);
    assert_int_equal(store_batch_commit_ws(s, &bt, NULL, 0, &ws, 1), KS_OK);
    memset(&l, 0, sizeof l);
    assert_int_equal(store_ws_export_list(s, NULL, ws_list_fn, &l), KS_OK);
    assert_int_equal(l.n, 0);
    assert_int_equal(store_ws_export_list(s, bt.id, ws_list_fn, &l), KS_OK);
    assert_int_equal(l.n, 1);
    /* exported: frozen, and never exported twice */
    assert_int_equal(store_ws_set_phase(s, ws, WS_PHASE_VOTING), KS_ERR_STATE);
    assert_int_equal(store_ws_card_set_status(s, a, WS_CARD_REJECTED), KS_ERR_STATE);
    strcpy(bt.id, "K1-20261118-WS02");
    assert_int_equal(store_batch_commit_ws(s, &bt, NULL, 0, &ws, 1), KS_ERR_STATE);
    /* a closed workshop without approved cards has nothing to export */
    int64_t ws2 = ws_start(s, true);
    card(s, ws2, WS_PHASE_CRITIQUE, "de", "pending only");
    assert_int_equal(store_ws_close(s, ws2), KS_OK);
    memset(&l, 0, sizeof l);
    assert_int_equal(store_ws_export_list(s, NULL, ws_list_fn, &l), KS_OK);
    assert_int_equal(l.n, 0);
}

/* A database at schema 5 with a session gains the workshop tables and
 * keeps its rows. */
static void test_migrate_from_v5(void **state)
{
    Fixture *f = *state;
    StoreSessionMeta m = plain_meta("u-5", "kinder", T0);
    int64_t sid = 0;
    assert_int_equal(store_session_begin(f->s, &m, &sid), KS_OK);
    assert_int_equal(store_answer_put(f->s, sid, "q1", "ja", T0), KS_OK);
    store_close(&f->s);

    /* take the file back to exactly what schema 5 had */
    sqlite3 *db = db_open(f->path, SQLITE_OPEN_READWRITE);
    db_exec(db, "DROP TABLE ws_round;"
                " DROP TABLE ws_flag; DROP TABLE ws_vote; DROP TABLE ws_drawing;"
                " DROP TABLE ws_card; DROP TABLE workshop;"
                " ALTER TABLE session DROP COLUMN clock_doubt;"
                " ALTER TABLE session DROP COLUMN acked_at;"
                " ALTER TABLE batch DROP COLUMN redo_of;"
                " ALTER TABLE batch DROP COLUMN acked_at;"
                " ALTER TABLE batch DROP COLUMN ack_received;"
                " PRAGMA user_version=5;");
    assert_int_equal(db_int(db, "SELECT count(*) FROM sqlite_schema WHERE name LIKE 'ws%'"
                                " OR name LIKE 'workshop%'"),
                     0);
    sqlite3_close(db);

    assert_int_equal(store_open(f->path, &f->s), KS_OK);
    assert_int_equal(store_schema_version(f->s), store_schema_latest());
    assert_int_equal(db_int(f->s->db, "SELECT count(*) FROM answer WHERE value = 'ja'"), 1);
    assert_int_equal(db_int(f->s->db, "SELECT count(*) FROM sqlite_schema WHERE name IN"
                                      " ('workshop','ws_card','ws_drawing','ws_vote','ws_flag',"
                                      "'ws_card_wall','ws_vote_token')"),
                     7);
    int64_t ws = ws_start(f->s, false);
    card(f->s, ws, WS_PHASE_CRITIQUE, "de", "nach der Migration");
    assert_int_equal(store_session_finish(f->s, sid, STORE_OUTCOME_COMPLETE, T0), KS_OK);
}

/* Each write is one transaction: a failing write leaves nothing half. */
static void test_fail_nth_write(void **state)
{
    Fixture *f = *state;
    Store *s = f->s;
    int64_t ws = ws_start(s, false);
    int64_t a = card(s, ws, WS_PHASE_CRITIQUE, "de", "A");
    int64_t b = card(s, ws, WS_PHASE_CRITIQUE, "de", "B");
    assert_int_equal(store_ws_set_phase(s, ws, WS_PHASE_VOTING), KS_OK);
    int64_t two[2] = {a, b};
    int counts[2] = {1, 1};
    for (int n = 1; n < 20; n++) {
        store_fault_fail_nth_write(n);
        KsStatus ks = store_ws_vote(s, ws, "tok", two, counts, 2);
        int writes = store_fault_write_count();
        store_fault_fail_nth_write(0);
        int stored = db_int(s->db, "SELECT count(*) FROM ws_vote");
        if (ks == KS_OK) {
            assert_int_equal(stored, 2);
            assert_true(writes < n);
            break;
        }
        assert_int_equal(stored, 0);
    }
}

int main(void)
{
    test_quiet_log();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_current_close),
        cmocka_unit_test(test_phases_and_rounds),
        cmocka_unit_test(test_cards_approval_and_filters),
        cmocka_unit_test(test_drawing_round_trip),
        cmocka_unit_test(test_merge_votes_follow),
        cmocka_unit_test(test_about_card),
        cmocka_unit_test(test_vote_budget_and_phase),
        cmocka_unit_test(test_export_marker),
        cmocka_unit_test(test_migrate_from_v5),
        cmocka_unit_test(test_fail_nth_write),
    };
    return test_run_each(tests, ws_fixture_setup, ws_fixture_teardown);
}
