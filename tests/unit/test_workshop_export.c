/* test_workshop_export: a Zukunftswerkstatt through the whole export run —
 * approved, rejected, pending and merged cards, a drawing, contact data in
 * a card, votes by several tokens (one over its budget, one flagged) in an
 * idea round and a critique round, plan cards (who, when; one about an idea
 * merged later, one drawn, one pending) — into a batch without survey
 * responses; the files are checked with Python's csv and json
 * (tests/scenarios/_workshop_export_check.py): approved cards only, merged
 * votes folded in, no token and no database id anywhere, the age band
 * suppressed in a small group, the plan as CSV and as German Markdown.
 * Then the ledger: the workshop is marked, frozen and never exported again.
 * Also: too few responses wait while a workshop goes alone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../export/export.h"
#include "../../export/export_data.h"
#include "../../firmware/core/clock.h"
#include "../../firmware/core/config.h"
#include "../../firmware/core/log.h"
#include "../../firmware/storage/store.h"
#include "../../firmware/storage/store_export.h"
#include "../../firmware/storage/store_responses.h"
#include "../../firmware/storage/store_workshop.h"
#include "../../firmware/survey/catalog.h"
#include "../../firmware/survey/form.h"
#include "../../firmware/sys/safe_copy.h"
#include "../test_files.h"
#include "../test_main.h"
#include "../test_tmp.h"
#include "export_fixture.h"

#define T0 1795556918000LL /* 2026-11-24 */

typedef struct {
    StoreFixture sf;
    int64_t ws;
    int64_t c[16];
} Fixture;

static const uint8_t PNG[24] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 'w', 's', '-', 'd',
                                'r',  'a', 'w', 'i', 'n',  'g',  '-',  't',  'e', 's', 't', '!'};

/* A card of the fixture's workshop; a field left NULL stays empty. */
typedef struct {
    WsPhase phase;
    const char *lang, *age, *topic, *text, *who, *when;
    int64_t about; /* the idea a plan card is about, 0: none */
    bool drawing;  /* with the test PNG */
} Card;

static void set(char *field, size_t size, const char *value)
{
    snprintf(field, size, "%s", value ? value : "");
}

static int64_t add(Fixture *f, Card k)
{
    StoreWsCard c = {.workshop_id = f->ws, .phase = k.phase, .about_card = k.about};
    set(c.lang, sizeof c.lang, k.lang);
    set(c.age_band, sizeof c.age_band, k.age);
    set(c.topic, sizeof c.topic, k.topic);
    set(c.text, sizeof c.text, k.text);
    set(c.who, sizeof c.who, k.who);
    set(c.by_when, sizeof c.by_when, k.when);
    int64_t id = 0;
    assert_int_equal(
        store_ws_card_add(f->sf.store, &c, k.drawing ? PNG : NULL, k.drawing ? sizeof PNG : 0, &id),
        KS_OK);
    return id;
}

static int64_t add_card(Fixture *f, WsPhase phase, const char *lang, const char *age,
                        const char *topic, const char *text, bool drawing)
{
    return add(f, (Card){.phase = phase,
                         .lang = lang,
                         .age = age,
                         .topic = topic,
                         .text = text,
                         .drawing = drawing});
}

/* A plan card about `idea`: who, when, its text or a drawing. */
static int64_t add_plan(Fixture *f, int64_t idea, const char *who, const char *when,
                        const char *text, bool drawing)
{
    return add(f, (Card){.phase = WS_PHASE_REALISATION,
                         .lang = "de",
                         .about = idea,
                         .who = who,
                         .when = when,
                         .text = text,
                         .drawing = drawing});
}

static int vote(Fixture *f, const char *token, int64_t card, int n)
{
    return store_ws_vote(f->sf.store, f->ws, token, &card, &n, 1);
}

static int setup(void **state)
{
    Fixture *f = store_fixture_new(sizeof(Fixture), "ks_wsexport", T0, SAMPLE_FORMS);
    f->sf.cfg.export_k = 2;

    StoreWorkshop w = {.dots = 3, .approval = true};
    strcpy(w.title, "Kiezwerkstatt Test");
    strcpy(w.question, "Unser Kiez in 5 Jahren");
    strcpy(w.langs, "de ar");
    assert_int_equal(store_ws_create(f->sf.store, &w, T0, &f->ws), KS_OK);
    f->c[1] = add_card(f, WS_PHASE_CRITIQUE, "de", "10-13", "",
                       "Zu viel Müll im Park, schreib mir: kiez@example.org", false);
    f->c[2] = add_card(f, WS_PHASE_CRITIQUE, "ar", "10-13", "safety", "ملعب أكبر", false);
    assert_int_equal(store_ws_set_phase(f->sf.store, f->ws, WS_PHASE_FANTASY), KS_OK);
    f->c[3] = add_card(f, WS_PHASE_FANTASY, "de", "10-13", "play", "Ein Baumhaus", true);
    f->c[4] = add_card(f, WS_PHASE_FANTASY, "de", "14-17", "", "Baumhaus bitte!", false);
    f->c[6] = add_card(f, WS_PHASE_FANTASY, "de", "10-13", "nature", "", false);
    assert_int_equal(store_ws_set_phase(f->sf.store, f->ws, WS_PHASE_REALISATION), KS_OK);
    f->c[5] = add_card(f, WS_PHASE_REALISATION, "de", "", "", "Doof", false);
    f->c[7] = add_card(f, WS_PHASE_REALISATION, "de", "", "", "nie geprüft", false);
    for (int i = 1; i <= 6; i++)
        assert_int_equal(store_ws_card_set_status(f->sf.store, f->c[i],
                                                  i == 5 ? WS_CARD_REJECTED : WS_CARD_APPROVED),
                         KS_OK);
    /* the plan: two cards about the tree house (one about its duplicate,
     * drawn), one about the nature idea with contact data, one never
     * approved */
    f->c[8] = add_plan(f, f->c[3], "parents school", "month", "Wir fragen den Hausmeister", false);
    f->c[9] = add_plan(f, f->c[4], "us", "week", "", true);
    f->c[10] = add_plan(f, f->c[6], "", "later", "Bäume pflanzen, Mail an baum@example.org", false);
    f->c[11] = add_plan(f, f->c[3], "city", "", "geheim geplant", false);
    for (int i = 8; i <= 10; i++)
        assert_int_equal(store_ws_card_set_status(f->sf.store, f->c[i], WS_CARD_APPROVED), KS_OK);

    /* round 1 about the ideas, round 2 about the critique */
    assert_int_equal(store_ws_set_phase(f->sf.store, f->ws, WS_PHASE_VOTING), KS_OK);
    assert_int_equal(vote(f, "TOKEN-ALPHA-0001", f->c[3], 3), KS_OK);
    assert_int_equal(vote(f, "TOKEN-BETA-0002", f->c[4], 2), KS_OK);
    assert_int_equal(vote(f, "TOKEN-BETA-0002", f->c[1], 1), KS_ERR_INVALID);
    assert_int_equal(store_ws_set_vote_phase(f->sf.store, f->ws, WS_PHASE_CRITIQUE), KS_OK);
    assert_int_equal(vote(f, "TOKEN-BETA-0002", f->c[1], 1), KS_OK);
    assert_int_equal(vote(f, "TOKEN-GAMMA-0003", f->c[2], 4), KS_ERR_LIMIT);
    assert_int_equal(vote(f, "TOKEN-GAMMA-0003", f->c[5], 1), KS_ERR_INVALID); /* rejected */
    assert_int_equal(vote(f, "TOKEN-GAMMA-0003", f->c[2], 1), KS_OK);
    assert_int_equal(store_ws_flag_token(f->sf.store, f->ws, "TOKEN-GAMMA-0003", "burst"), KS_OK);
    /* the duplicate goes into the first Baumhaus card after the vote: its
     * two dots follow */
    assert_int_equal(store_ws_card_merge(f->sf.store, f->c[4], f->c[3]), KS_OK);
    assert_int_equal(store_ws_set_phase(f->sf.store, f->ws, WS_PHASE_RESULTS), KS_OK);
    *state = f;
    return 0;
}

static void test_workshop_only_batch(void **state)
{
    Fixture *f = *state;
    ExportRunResult r;
    assert_int_equal(export_to_stick(&f->sf, T0 + 86400000, &r), KS_OK);
    assert_int_equal(r.outcome, EXPORT_DONE);
    assert_int_equal(r.rows, 0);
    assert_int_equal(r.workshops, 1); /* for the staff text: "Dazu 1 Werkstatt (Karten: n)." */
    assert_true(r.workshop_cards > 0);

    /* the files, read as a receiver would */
    char cmd[1400];
    snprintf(cmd, sizeof cmd, "python3 tests/scenarios/_workshop_export_check.py '%s' '%s'",
             r.bag_path, f->sf.db);
    assert_int_equal(system(cmd), 0);

    /* recorded: frozen and never exported again */
    StoreBatch b;
    assert_int_equal(store_batch_last(f->sf.store, &b), KS_OK);
    assert_string_equal(b.id, r.batch_id);
    assert_int_equal(store_ws_set_phase(f->sf.store, f->ws, WS_PHASE_VOTING), KS_ERR_STATE);
    ExportRunResult r2;
    assert_int_equal(export_to_stick(&f->sf, T0 + 86400000, &r2), KS_ERR_NOT_FOUND);
    assert_int_equal(r2.outcome, EXPORT_NOTHING);

    /* a re-export of the batch carries the workshop again, marks nothing */
    ExportRunOptions o = {.db_path = f->sf.db,
                          .stick_dir = f->sf.stick,
                          .port = &SAFE_COPY_PORT,
                          .redo_batch = r.batch_id,
                          .now_ms = T0 + 2 * 86400000};
    assert_int_equal(export_run(f->sf.store, f->sf.cat, &f->sf.cfg, &o, &r2), KS_OK);
    snprintf(cmd, sizeof cmd, "python3 tests/scenarios/_workshop_export_check.py '%s' '%s'",
             r2.bag_path, f->sf.db);
    assert_int_equal(system(cmd), 0);
}

static void test_too_few_responses_wait(void **state)
{
    Fixture *f = *state;
    sample_session(f->sf.store, f->sf.cat, T0, 0, "schule=4"); /* one response, k = 2 */
    char dir[160];
    snprintf(dir, sizeof dir, "%s/out", f->sf.dir);
    assert_int_equal(mkdir(dir, 0700), 0);
    ExportDataOptions o = export_options("TEST1-20261125-WSWS", 2);
    ExportDataResult res;
    assert_int_equal(export_data_build(f->sf.store, f->sf.cat, &o, dir, &res), KS_OK);
    assert_int_equal(res.rows, 0);
    assert_int_equal(res.held_back, 1);
    assert_int_equal(res.n_sessions, 0);
    assert_int_equal(res.n_workshops, 1);
    assert_true(res.workshop_ids[0] == f->ws);
    assert_int_equal(res.workshop_cards, 7);
    assert_string_equal(res.period_from, "2026-11-24");
    export_data_result_free(&res);

    /* with enough responses both go */
    sample_session(f->sf.store, f->sf.cat, T0, 1, "schule=4");
    snprintf(dir, sizeof dir, "%s/out2", f->sf.dir);
    assert_int_equal(mkdir(dir, 0700), 0);
    assert_int_equal(export_data_build(f->sf.store, f->sf.cat, &o, dir, &res), KS_OK);
    assert_int_equal(res.rows, 2);
    assert_int_equal(res.n_workshops, 1);
    export_data_result_free(&res);

    /* a workshop still running is not exported */
    assert_int_equal(store_ws_set_phase(f->sf.store, f->ws, WS_PHASE_VOTING), KS_OK);
    snprintf(dir, sizeof dir, "%s/out3", f->sf.dir);
    assert_int_equal(mkdir(dir, 0700), 0);
    assert_int_equal(export_data_build(f->sf.store, f->sf.cat, &o, dir, &res), KS_OK);
    assert_int_equal(res.n_workshops, 0);
    export_data_result_free(&res);
}

int main(void)
{
    test_quiet_log();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_workshop_only_batch),
        cmocka_unit_test(test_too_few_responses_wait),
    };
    return test_run_each(tests, setup, store_fixture_teardown);
}
