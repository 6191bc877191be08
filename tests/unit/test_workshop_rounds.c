/* test_workshop_rounds: the Zukunftswerkstatt from ideas to a plan, in
 * SQLite (schema step 9) — voting rounds each about one phase's cards
 * (never mixed), plan cards with who and when, Fantasie cards answering
 * critique cards, and the migration from schema 8 with a workshop's data
 * kept. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* clang-format off: cmocka needs the four above first */
#include <cmocka.h>
/* clang-format on */

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
#include "ws_store_fixture.h"

/* ---- tests ----------------------------------------------------------- */

/* The phase a voting round is about: staff's choice changes the current
 * round while it has no dots, else starts a new one; each round with dots
 * records its phase; a round never takes a card of another phase. */
typedef struct {
    char seen[128];
} Rounds;

static KsStatus rounds_fn(void *ctx, int round, int phase)
{
    Rounds *r = ctx;
    size_t used = strlen(r->seen);
    snprintf(r->seen + used, sizeof r->seen - used, "%d:%s;", round,
             phase < 0 ? "all" : store_ws_phase_name((WsPhase)phase));
    return KS_OK;
}

static Rounds rounds_of(Store *s, int64_t ws)
{
    Rounds r;
    memset(&r, 0, sizeof r);
    assert_int_equal(store_ws_rounds(s, ws, rounds_fn, &r), KS_OK);
    return r;
}

static void test_vote_phase_rounds(void **state)
{
    Fixture *f = *state;
    Store *s = f->s;
    int64_t ws = ws_start(s, false);
    int64_t gripe = card(s, ws, WS_PHASE_CRITIQUE, "de", "Laut");
    int64_t idea = card(s, ws, WS_PHASE_FANTASY, "de", "Park");
    int64_t plan = card(s, ws, WS_PHASE_REALISATION, "de", "Wir fragen");
    StoreWorkshop w;
    assert_int_equal(store_ws_get(s, ws, &w), KS_OK);
    assert_int_equal(w.vote_phase, WS_PHASE_FANTASY); /* the default */
    /* only the three working phases */
    assert_int_equal(store_ws_set_vote_phase(s, ws, WS_PHASE_VOTING), KS_ERR_INVALID);
    assert_int_equal(store_ws_set_vote_phase(s, ws, WS_PHASE_RESULTS), KS_ERR_INVALID);
    assert_int_equal(store_ws_set_vote_phase(s, 999, WS_PHASE_CRITIQUE), KS_ERR_NOT_FOUND);
    /* chosen before voting: the first round is about the critique */
    assert_int_equal(store_ws_set_vote_phase(s, ws, WS_PHASE_CRITIQUE), KS_OK);
    assert_int_equal(store_ws_set_phase(s, ws, WS_PHASE_VOTING), KS_OK);
    assert_int_equal(store_ws_get(s, ws, &w), KS_OK);
    assert_int_equal(w.round, 1);
    assert_int_equal(w.vote_phase, WS_PHASE_CRITIQUE);
    assert_int_equal(vote1(s, ws, "t1", idea, 1), KS_ERR_INVALID);
    assert_int_equal(vote1(s, ws, "t1", plan, 1), KS_ERR_INVALID);
    assert_string_equal(rounds_of(s, ws).seen, "");
    assert_int_equal(vote1(s, ws, "t1", gripe, 2), KS_OK);
    assert_string_equal(rounds_of(s, ws).seen, "1:critique;");
    /* the ideas: a new round, fresh dots for the same visit */
    assert_int_equal(store_ws_set_vote_phase(s, ws, WS_PHASE_FANTASY), KS_OK);
    assert_int_equal(store_ws_get(s, ws, &w), KS_OK);
    assert_int_equal(w.round, 2);
    int used = -1;
    assert_int_equal(store_ws_votes_used(s, ws, "t1", &used), KS_OK);
    assert_int_equal(used, 0);
    assert_int_equal(vote1(s, ws, "t1", gripe, 1), KS_ERR_INVALID);
    /* changed again before any dot of round 2: still round 2 */
    assert_int_equal(store_ws_set_vote_phase(s, ws, WS_PHASE_REALISATION), KS_OK);
    assert_int_equal(store_ws_set_vote_phase(s, ws, WS_PHASE_FANTASY), KS_OK);
    assert_int_equal(store_ws_get(s, ws, &w), KS_OK);
    assert_int_equal(w.round, 2);
    assert_int_equal(vote1(s, ws, "t1", idea, 3), KS_OK);
    assert_string_equal(rounds_of(s, ws).seen, "1:critique;2:fantasy;");
    /* the same choice again is no new round */
    assert_int_equal(store_ws_set_vote_phase(s, ws, WS_PHASE_FANTASY), KS_OK);
    assert_int_equal(store_ws_get(s, ws, &w), KS_OK);
    assert_int_equal(w.round, 2);
    /* the dots of each round stay with their round */
    expect_dots(s, ws, "%lld/1/2/0;%lld/2/3/0;", (long long)gripe, (long long)idea);
    /* an exported workshop is frozen */
    assert_int_equal(store_ws_close(s, ws), KS_OK);
    assert_int_equal(store_ws_set_vote_phase(s, ws, WS_PHASE_CRITIQUE), KS_ERR_STATE);
}

/* A plan card: who can help (known codes, each once) and by when, only on
 * realisation cards; a plan of tiles alone is not empty. */
static KsStatus plan_add(Store *s, int64_t ws, WsPhase phase, const char *who, const char *when,
                         const char *text, int64_t *id)
{
    StoreWsCard c = {.workshop_id = ws, .phase = phase};
    strcpy(c.lang, "ar");
    snprintf(c.who, sizeof c.who, "%s", who);
    snprintf(c.by_when, sizeof c.by_when, "%s", when);
    snprintf(c.text, sizeof c.text, "%s", text);
    return store_ws_card_add(s, &c, NULL, 0, id);
}

static KsStatus plan_fn(void *ctx, const StoreWsCard *c)
{
    Cards *w = ctx;
    size_t used = strlen(w->seen);
    snprintf(w->seen + used, sizeof w->seen - used, "%s|%s|%s;", c->text, c->who, c->by_when);
    return KS_OK;
}

static void test_plan_fields(void **state)
{
    Fixture *f = *state;
    Store *s = f->s;
    int64_t ws = ws_start(s, false);
    int64_t id = 0;
    assert_int_equal(plan_add(s, ws, WS_PHASE_REALISATION, "parents school", "month", "", &id),
                     KS_OK);
    assert_int_equal(plan_add(s, ws, WS_PHASE_REALISATION, "", "later", "", &id), KS_OK);
    assert_int_equal(plan_add(s, ws, WS_PHASE_REALISATION, "us", "", "selbst", &id), KS_OK);
    /* every helper and every time there is */
    char all[128] = "";
    for (int i = 0; i < WS_WHO_COUNT; i++)
        snprintf(all + strlen(all), sizeof all - strlen(all), "%s%s", i ? " " : "",
                 store_ws_who_codes[i]);
    assert_true(strlen(all) < sizeof((StoreWsCard *)0)->who);
    assert_int_equal(plan_add(s, ws, WS_PHASE_REALISATION, all, "week", "", &id), KS_OK);
    for (int i = 0; i < WS_WHEN_COUNT; i++)
        assert_int_equal(store_ws_when_index(store_ws_when_codes[i]), i);
    /* refused: unknown, twice, badly spaced, a time unknown, on another phase, empty */
    assert_int_equal(plan_add(s, ws, WS_PHASE_REALISATION, "mayor", "", "", &id), KS_ERR_INVALID);
    assert_int_equal(plan_add(s, ws, WS_PHASE_REALISATION, "kita kita", "", "", &id),
                     KS_ERR_INVALID);
    assert_int_equal(plan_add(s, ws, WS_PHASE_REALISATION, "kita ", "", "", &id), KS_ERR_INVALID);
    assert_int_equal(plan_add(s, ws, WS_PHASE_REALISATION, " kita", "", "", &id), KS_ERR_INVALID);
    assert_int_equal(plan_add(s, ws, WS_PHASE_REALISATION, "us  city", "", "", &id),
                     KS_ERR_INVALID);
    assert_int_equal(plan_add(s, ws, WS_PHASE_REALISATION, "", "tomorrow", "", &id),
                     KS_ERR_INVALID);
    assert_int_equal(plan_add(s, ws, WS_PHASE_FANTASY, "us", "", "x", &id), KS_ERR_INVALID);
    assert_int_equal(plan_add(s, ws, WS_PHASE_CRITIQUE, "", "week", "x", &id), KS_ERR_INVALID);
    assert_int_equal(plan_add(s, ws, WS_PHASE_REALISATION, "", "", "", &id), KS_ERR_INVALID);
    expect_walk(s, ws, WS_PHASE_REALISATION, plan_fn,
                "|parents school|month;||later;selbst|us|;|%s|week;", all);
    assert_int_equal(db_int(s->db, "SELECT count(*) FROM ws_card"), 4);
}

/* A Fantasie card may answer a critique card: an approved one of the same
 * workshop (a merged one counts as its target). */
static void test_fantasy_answers_critique(void **state)
{
    Fixture *f = *state;
    Store *s = f->s;
    int64_t ws = ws_start(s, true);
    int64_t gripe = card(s, ws, WS_PHASE_CRITIQUE, "de", "Zu laut");
    int64_t twin = card(s, ws, WS_PHASE_CRITIQUE, "de", "Laerm");
    int64_t idea = card(s, ws, WS_PHASE_FANTASY, "de", "Ruhig");
    about_add(s, ws, WS_PHASE_FANTASY, gripe, KS_ERR_INVALID); /* pending yet */
    approve(s, (int64_t[]){gripe, twin, idea}, 3);
    int64_t a1 = about_add(s, ws, WS_PHASE_FANTASY, gripe, KS_OK);
    about_add(s, ws, WS_PHASE_FANTASY, idea, KS_ERR_INVALID); /* not a critique */
    about_add(s, ws, WS_PHASE_CRITIQUE, gripe, KS_ERR_INVALID);
    about_add(s, ws, WS_PHASE_REALISATION, gripe, KS_ERR_INVALID); /* a plan is about an idea */
    assert_int_equal(store_ws_card_merge(s, twin, gripe), KS_OK);
    int64_t a2 = about_add(s, ws, WS_PHASE_FANTASY, twin, KS_OK);
    expect_walk(s, ws, WS_PHASE_FANTASY, about_fn, "%lld>0;%lld>%lld;%lld>%lld;", (long long)idea,
                (long long)a1, (long long)gripe, (long long)a2, (long long)gripe);
}

/* A database at schema 8 with a workshop (cards, a drawing, a merge, a
 * realisation card about its idea, votes of one round on cards of every
 * phase, a flag) gains the plan columns and the rounds; everything it had
 * is kept, its old round counts as one about every phase. */
static void test_migrate_from_v8(void **state)
{
    Fixture *f = *state;
    Store *s = f->s;
    int64_t ws = ws_start(s, false);
    int64_t gripe = card(s, ws, WS_PHASE_CRITIQUE, "de", "Laut");
    int64_t twin = card(s, ws, WS_PHASE_CRITIQUE, "de", "Laerm");
    int64_t idea = card(s, ws, WS_PHASE_FANTASY, "de", "Park");
    int64_t plan = about_add(s, ws, WS_PHASE_REALISATION, idea, KS_OK);
    static const uint8_t png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 'v', '8'};
    StoreWsCard c = {.workshop_id = ws, .phase = WS_PHASE_CRITIQUE};
    strcpy(c.lang, "ar");
    int64_t drawn = 0;
    assert_int_equal(store_ws_card_add(s, &c, png, sizeof png, &drawn), KS_OK);
    assert_int_equal(store_ws_card_merge(s, twin, gripe), KS_OK);
    assert_int_equal(store_ws_set_phase(s, ws, WS_PHASE_VOTING), KS_OK);
    assert_int_equal(store_ws_flag_token(s, ws, "t2", "burst"), KS_OK);
    store_close(&f->s);

    /* back to exactly what schema 8 had, with votes on every phase's cards */
    sqlite3 *db = db_open(f->path, SQLITE_OPEN_READWRITE);
    char sql[512];
    snprintf(sql, sizeof sql,
             "DROP TABLE ws_round; DROP INDEX ws_card_about;"
             " ALTER TABLE workshop DROP COLUMN vote_phase;"
             " ALTER TABLE ws_card DROP COLUMN who; ALTER TABLE ws_card DROP COLUMN by_when;"
             " INSERT INTO ws_vote(workshop_id, token, card_id, round, count) VALUES"
             " (%lld, 't1', %lld, 1, 2), (%lld, 't1', %lld, 1, 1), (%lld, 't2', %lld, 1, 3);"
             " PRAGMA user_version=8;",
             (long long)ws, (long long)gripe, (long long)ws, (long long)idea, (long long)ws,
             (long long)plan);
    db_exec(db, sql);
    assert_int_equal(db_int(db, "SELECT count(*) FROM pragma_table_info('ws_card')"
                                " WHERE name IN ('who','by_when')"),
                     0);
    sqlite3_close(db);

    assert_int_equal(store_open(f->path, &f->s), KS_OK);
    s = f->s;
    assert_int_equal(store_schema_version(s), store_schema_latest());
    StoreWorkshop w;
    assert_int_equal(store_ws_current(s, &w), KS_OK);
    assert_int_equal(w.id, ws);
    assert_int_equal(w.phase, WS_PHASE_VOTING);
    assert_int_equal(w.vote_phase, WS_PHASE_FANTASY);
    assert_int_equal(db_int(s->db, "SELECT count(*) FROM ws_card"), 5);
    assert_int_equal(db_int(s->db, "SELECT count(*) FROM ws_card WHERE who = '' AND by_when = ''"),
                     5);
    assert_int_equal(db_int(s->db, "SELECT count(*) FROM ws_vote"), 3);
    assert_int_equal(db_int(s->db, "SELECT count(*) FROM ws_flag"), 1);
    uint8_t *got = NULL;
    size_t n = 0;
    assert_int_equal(store_ws_card_drawing(s, drawn, &got, &n), KS_OK);
    assert_true(n == sizeof png && memcmp(got, png, n) == 0);
    free(got);
    Cards wall = cards_of(s, ws, -1, false, false);
    assert_int_equal(wall.n, 5);
    assert_int_equal(votes_of(s, ws, gripe), 2);
    assert_int_equal(votes_of(s, ws, plan), 3);
    expect_walk(s, ws, WS_PHASE_REALISATION, about_fn, "%lld>%lld;", (long long)plan,
                (long long)idea);
    /* the old round: about every phase; it goes on as it was */
    assert_string_equal(rounds_of(s, ws).seen, "1:all;");
    assert_int_equal(vote1(s, ws, "t3", gripe, 1), KS_OK);
    assert_int_equal(vote1(s, ws, "t3", idea, 1), KS_OK);
    /* choosing a phase now starts a round of its own */
    assert_int_equal(store_ws_set_vote_phase(s, ws, WS_PHASE_CRITIQUE), KS_OK);
    assert_int_equal(store_ws_current(s, &w), KS_OK);
    assert_int_equal(w.round, 2);
    assert_int_equal(vote1(s, ws, "t3", idea, 1), KS_ERR_INVALID);
    assert_int_equal(vote1(s, ws, "t3", gripe, 1), KS_OK);
    assert_string_equal(rounds_of(s, ws).seen, "1:all;2:critique;");
    /* and plan cards can be written into it */
    int64_t id = 0;
    assert_int_equal(plan_add(s, ws, WS_PHASE_REALISATION, "city", "later", "", &id), KS_OK);
}

int main(void)
{
    test_quiet_log();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vote_phase_rounds),
        cmocka_unit_test(test_plan_fields),
        cmocka_unit_test(test_fantasy_answers_critique),
        cmocka_unit_test(test_migrate_from_v8),
    };
    return test_run_each(tests, ws_fixture_setup, ws_fixture_teardown);
}
