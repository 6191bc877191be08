/* test_workshop: the Zukunftswerkstatt state machine without any UI —
 * staff start a workshop and switch phases, a participant writes cards,
 * moderation, merging, dot voting within the budget, burst flagging,
 * results ranking; everything checked in the views and in the store. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../firmware/app/uitext.h"
#include "../../firmware/app/workshop.h"
#include "../../firmware/core/clock.h"
#include "../../firmware/core/config.h"
#include "../../firmware/storage/store_workshop.h"

typedef struct {
    char dir[64], db[128];
    KsConfig cfg;
    Store *store;
    Workshop *w;
    KsView v;
} Fx;

static int setup(void **state)
{
    Fx *f = calloc(1, sizeof *f);
    strcpy(f->dir, "/tmp/ks_ws_XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->db, sizeof f->db, "%s/k.db", f->dir);
    config_defaults(&f->cfg);
    const char *build = getenv("KS_BUILD");
    char locale[128];
    snprintf(locale, sizeof locale, "%s/locale", build && build[0] ? build : "build");
    assert_int_equal(uitext_init(locale), KS_OK);
    clock_use_virtual(1795000000000LL);
    assert_int_equal(store_open(f->db, &f->store), KS_OK);
    f->w = workshop_create(&f->cfg, f->store);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    Fx *f = *state;
    workshop_destroy(f->w);
    store_close(&f->store);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

static const KsViewTarget *find(const KsView *v, const char *id)
{
    for (int i = 0; i < v->n_targets; i++)
        if (strcmp(v->targets[i].id, id) == 0)
            return &v->targets[i];
    return NULL;
}

static const KsView *participant_view(Fx *f)
{
    memset(&f->v, 0, sizeof f->v);
    f->v.screen = workshop_screen(f->w); /* as kiosk_rebuild_view does */
    workshop_build_view(f->w, &f->v);
    return &f->v;
}

static const KsView *staff_view(Fx *f)
{
    memset(&f->v, 0, sizeof f->v);
    f->v.screen = workshop_staff_screen(f->w);
    workshop_staff_view(f->w, &f->v);
    return &f->v;
}

/* Taps a row of ids, 300 ms apart (a human pace: no burst). */
static void tap(Fx *f, const char *const *ids)
{
    for (; *ids; ids++) {
        workshop_tap(f->w, *ids);
        clock_advance_ms(300);
    }
}

static void staff(Fx *f, const char *id)
{
    workshop_staff_tap(f->w, id);
}

static void start(Fx *f)
{
    workshop_staff_enter(f->w);
    staff(f, "ws:start");
    assert_true(workshop_is_open(f->w));
}

static void write_card(Fx *f, const char *lang, const char *key, const char *topic)
{
    workshop_begin(f->w);
    char lang_id[32], topic_id[64], key_id[32];
    snprintf(lang_id, sizeof lang_id, "lang:%s", lang);
    snprintf(topic_id, sizeof topic_id, "ws:topic:%s", topic);
    snprintf(key_id, sizeof key_id, "key:%s", key);
    const char *ids[] = {lang_id, "ws:add", key_id, "ws:topics", topic_id, "ws:confirm", NULL};
    tap(f, ids);
    assert_int_equal(workshop_screen(f->w), KS_SCREEN_WS_SENT);
    workshop_end(f->w);
}

typedef struct {
    int64_t ids[16];
    char texts[16][16];
    int n;
} Cards;

static KsStatus collect(void *ctx, const StoreWsCard *c)
{
    Cards *cs = ctx;
    if (cs->n < 16) {
        cs->ids[cs->n] = c->id;
        snprintf(cs->texts[cs->n], sizeof cs->texts[0], "%.15s", c->text);
        cs->n++;
    }
    return KS_OK;
}

static int64_t id_of(Fx *f, const char *text)
{
    StoreWorkshop cur;
    assert_int_equal(store_ws_current(f->store, &cur), KS_OK);
    Cards cs = {0};
    assert_int_equal(store_ws_cards(f->store, cur.id, -1, false, false, collect, &cs), KS_OK);
    for (int i = 0; i < cs.n; i++)
        if (strcmp(cs.texts[i], text) == 0)
            return cs.ids[i];
    fail_msg("no card %s", text);
    return 0;
}

static void test_no_workshop(void **state)
{
    Fx *f = *state;
    assert_false(workshop_is_open(f->w));
    workshop_begin(f->w);
    assert_false(workshop_active(f->w));
    workshop_staff_enter(f->w);
    const KsView *v = staff_view(f);
    assert_non_null(find(v, "ws:start"));
    assert_string_equal(find(v, "ws:set:title")->text, "Titel: Zukunftswerkstatt");
    assert_string_equal(find(v, "ws:set:question")->text, "Frage: Unser Kiez in 5 Jahren");
    assert_true(find(v, "ws:approval")->selected);
    assert_string_equal(find(v, "ws:dots")->text, "je 3 Punkte");
}

static void test_settings_and_start(void **state)
{
    Fx *f = *state;
    workshop_staff_enter(f->w);
    staff(f, "ws:dots:+");
    staff(f, "ws:lang:ru");
    staff(f, "ws:approval");
    /* Typing the title on the staff keyboard. */
    assert_int_equal(workshop_staff_tap(f->w, "ws:set:title"), KS_SCREEN_STAFF_WS_EDIT);
    assert_false(workshop_staff_tabs(f->w));
    for (int i = 0; i < 17; i++)
        staff(f, "key:backspace");
    staff(f, "key:x");
    assert_int_equal(workshop_staff_tap(f->w, "ws:edit:ok"), KS_SCREEN_STAFF_WORKSHOP);
    staff(f, "ws:start");
    StoreWorkshop cur;
    assert_int_equal(store_ws_current(f->store, &cur), KS_OK);
    assert_string_equal(cur.title, "x");
    assert_string_equal(cur.langs, "de en tr ar uk");
    assert_int_equal(cur.dots, 4);
    assert_false(cur.approval);
    assert_int_equal(cur.phase, WS_PHASE_CRITIQUE);
    /* Russian is not offered to participants. */
    workshop_begin(f->w);
    const KsView *v = participant_view(f);
    assert_int_equal(v->screen, KS_SCREEN_WS_LANGUAGE);
    assert_non_null(find(v, "lang:ar"));
    assert_null(find(v, "lang:ru"));
    workshop_tap(f->w, "lang:ru");
    assert_int_equal(workshop_screen(f->w), KS_SCREEN_WS_LANGUAGE);
}

static void test_card_flow(void **state)
{
    Fx *f = *state;
    start(f);
    workshop_begin(f->w);
    const char *ids[] = {"lang:ar", "ws:add", "ws:confirm", NULL};
    tap(f, ids);
    /* An empty card is refused and says why. */
    const KsView *v = participant_view(f);
    assert_int_equal(v->screen, KS_SCREEN_WS_CARD);
    assert_true(v->rtl);
    assert_true(v->items[0].problem);
    const char *more[] = {"key:ب", "ws:draw", NULL};
    tap(f, more);
    KsEvent ev = {.type = KS_EV_DRAG, .target = "canvas", .phase = KS_DRAG_BEGIN, .x = 0.1f, .y = 0.1f};
    workshop_drag(f->w, &ev);
    ev.phase = KS_DRAG_MOVE;
    ev.x = ev.y = 0.8f;
    workshop_drag(f->w, &ev);
    ev.phase = KS_DRAG_END;
    workshop_drag(f->w, &ev);
    const char *fin[] = {"ws:ages", "ws:age:6-9", "ws:confirm", NULL};
    tap(f, fin);
    v = participant_view(f);
    assert_int_equal(v->screen, KS_SCREEN_WS_SENT);
    assert_string_equal(v->message, "بطاقتك بانتظار الموافقة.");
    int64_t id = id_of(f, "ب");
    uint8_t *png = NULL;
    size_t n = 0;
    assert_int_equal(store_ws_card_drawing(f->store, id, &png, &n), KS_OK);
    assert_true(n > 8 && png[1] == 'P');
    free(png);
    /* Pending cards are not on the wall; approved ones are. */
    workshop_tap(f->w, "ws:wall");
    v = participant_view(f);
    assert_int_equal(v->screen, KS_SCREEN_WS_WALL);
    char card_id[32];
    snprintf(card_id, sizeof card_id, "card:%lld", (long long)id);
    assert_null(find(v, card_id));
    workshop_staff_enter(f->w);
    staff(f, "ws:moderate");
    v = staff_view(f);
    assert_non_null(find(v, "ws:drawing"));
    staff(f, "ws:approve");
    v = staff_view(f);
    assert_null(find(v, "ws:approve"));
    workshop_tap(f->w, "ws:wall");
    v = participant_view(f);
    assert_non_null(find(v, card_id));
    assert_non_null(find(v, card_id)->thumb);
}

/* Verwirklichung: a card names one of the approved ideas (the Idee part
 * comes first); without one it is refused; the wall shows its idea. */
static KsStatus about_of(void *ctx, const StoreWsCard *c)
{
    int64_t *about = ctx;
    if (c->phase == WS_PHASE_REALISATION)
        *about = c->about_card;
    return KS_OK;
}

static void test_realisation_idea(void **state)
{
    Fx *f = *state;
    start(f);
    workshop_staff_enter(f->w);
    staff(f, "ws:phase:fantasy");
    write_card(f, "de", "a", "play");
    write_card(f, "de", "b", "nature");
    write_card(f, "de", "c", "sport");
    workshop_staff_enter(f->w);
    staff(f, "ws:moderate");
    staff(f, "ws:approve");
    staff(f, "ws:approve");
    staff(f, "ws:reject");
    staff(f, "ws:back");
    staff(f, "ws:phase:realisation");
    int64_t a = id_of(f, "a"), b = id_of(f, "b"), c = id_of(f, "c");
    char ida[32], idb[32], idc[32];
    snprintf(ida, sizeof ida, "ws:idea:%lld", (long long)a);
    snprintf(idb, sizeof idb, "ws:idea:%lld", (long long)b);
    snprintf(idc, sizeof idc, "ws:idea:%lld", (long long)c);

    workshop_begin(f->w);
    const char *ids[] = {"lang:de", "ws:add", NULL};
    tap(f, ids);
    const KsView *v = participant_view(f);
    assert_int_equal(v->screen, KS_SCREEN_WS_CARD);
    assert_true(find(v, "ws:ideas")->selected);
    assert_string_equal(find(v, "ws:ideas")->text, "Idee");
    assert_string_equal(find(v, ida)->text, "a");
    assert_non_null(find(v, idb));
    assert_null(find(v, idc)); /* a rejected idea is not offered */
    /* Text without an idea: refused, the heading says what is missing. */
    const char *typed[] = {"ws:text", "key:w", "ws:confirm", NULL};
    tap(f, typed);
    v = participant_view(f);
    assert_int_equal(v->screen, KS_SCREEN_WS_CARD);
    assert_string_equal(v->title, uitext_get("de", UIT_WS_CARD_NO_IDEA));
    /* A second tap takes the idea back. */
    const char *pick[] = {"ws:ideas", ida, ida, NULL};
    tap(f, pick);
    v = participant_view(f);
    assert_false(find(v, ida)->selected);
    assert_int_equal(find(v, "ws:ideas")->count, 0);
    const char *fin[] = {idb, "ws:confirm", NULL};
    tap(f, fin);
    assert_int_equal(workshop_screen(f->w), KS_SCREEN_WS_SENT);
    StoreWorkshop cur;
    assert_int_equal(store_ws_current(f->store, &cur), KS_OK);
    int64_t about = 0;
    assert_int_equal(store_ws_cards(f->store, cur.id, -1, false, false, about_of, &about), KS_OK);
    assert_true(about == b);

    /* Approved, it hangs on the wall with its idea. */
    workshop_staff_enter(f->w);
    staff(f, "ws:moderate");
    staff(f, "ws:approve");
    workshop_tap(f->w, "ws:wall");
    v = participant_view(f);
    char card_id[32];
    snprintf(card_id, sizeof card_id, "card:%lld", (long long)id_of(f, "w"));
    assert_non_null(find(v, card_id));
    assert_string_equal(find(v, card_id)->subtext, "Idee: b");
    /* Other phases have no Idee part. */
    workshop_staff_enter(f->w);
    staff(f, "ws:phase:fantasy");
    workshop_tap(f->w, "ws:add");
    v = participant_view(f);
    assert_null(find(v, "ws:ideas"));
    assert_true(find(v, "ws:text")->selected);
}

static void test_votes_merge_results(void **state)
{
    Fx *f = *state;
    start(f);
    write_card(f, "de", "a", "play");
    write_card(f, "de", "b", "school");
    write_card(f, "de", "c", "play");
    workshop_staff_enter(f->w);
    staff(f, "ws:moderate");
    staff(f, "ws:approve");
    staff(f, "ws:approve");
    staff(f, "ws:approve");
    int64_t a = id_of(f, "a"), b = id_of(f, "b"), c = id_of(f, "c");
    /* Merge c into a: c leaves the wall. */
    workshop_staff_enter(f->w);
    staff(f, "ws:merge");
    char from[32], into[32];
    snprintf(from, sizeof from, "merge:%lld", (long long)c);
    snprintf(into, sizeof into, "merge-into:%lld", (long long)a);
    staff(f, from);
    assert_non_null(find(staff_view(f), into));
    staff(f, into);
    assert_null(find(staff_view(f), from));
    workshop_staff_enter(f->w);
    staff(f, "ws:phase:voting");

    /* A visit gives 3 dots; a fourth tap is refused. */
    char va[32], vb[32], ua[32];
    snprintf(va, sizeof va, "vote:%lld", (long long)a);
    snprintf(vb, sizeof vb, "vote:%lld", (long long)b);
    snprintf(ua, sizeof ua, "unvote:%lld", (long long)a);
    workshop_begin(f->w);
    const char *v1[] = {"lang:de", va, va, vb, va, NULL};
    tap(f, v1);
    const KsView *v = participant_view(f);
    assert_int_equal(v->screen, KS_SCREEN_WS_VOTE);
    assert_int_equal(find(v, va)->count, 2);
    assert_false(find(v, va)->enabled);
    assert_int_equal(v->countdown_s, 0);
    const char *v1b[] = {ua, va, "vote:confirm", NULL};
    tap(f, v1b);
    assert_int_equal(workshop_screen(f->w), KS_SCREEN_WS_SENT);
    workshop_tap(f->w, "done");
    assert_false(workshop_active(f->w));
    /* A second visit: a fresh token and a fresh budget. */
    workshop_begin(f->w);
    const char *v2[] = {"lang:tr", vb, NULL};
    tap(f, v2);
    assert_int_equal(participant_view(f)->countdown_s, 2);
    workshop_tap(f->w, "vote:confirm");
    workshop_end(f->w);
    /* Storage refuses more than the budget for one token as a whole. */
    StoreWorkshop cur;
    assert_int_equal(store_ws_current(f->store, &cur), KS_OK);
    int64_t cards[1] = {a};
    int counts[1] = {4};
    assert_int_equal(store_ws_vote(f->store, cur.id, "tok", cards, counts, 1), KS_ERR_LIMIT);

    /* Results: a (2, with c merged in) before b (2: 1 + 1)… ranked by dots. */
    workshop_staff_enter(f->w);
    staff(f, "ws:phase:results");
    assert_int_equal(workshop_staff_tap(f->w, "ws:results"), KS_SCREEN_STAFF_WS_RESULTS);
    v = staff_view(f);
    int first = -1;
    for (int i = 0; i < v->n_targets; i++)
        if (strncmp(v->targets[i].id, "bar:", 4) == 0 && first < 0)
            first = i;
    assert_true(first >= 0);
    assert_int_equal(v->targets[first].count, 2);
    assert_int_equal(v->targets[first].count_max, 2);
    assert_int_equal(v->targets[first].rank, 1);
    char bc[32];
    snprintf(bc, sizeof bc, "bar:%lld", (long long)c);
    assert_null(find(v, bc));
    workshop_begin(f->w);
    workshop_tap(f->w, "lang:de");
    assert_int_equal(workshop_screen(f->w), KS_SCREEN_WS_RESULTS);
}

/* (The burst flag itself is checked on the stored data by the workshop
 * scenario: the store has no read call for flags.) */
static void test_close(void **state)
{
    Fx *f = *state;
    start(f);
    workshop_begin(f->w);
    workshop_tap(f->w, "lang:de");
    assert_true(workshop_active(f->w));
    workshop_staff_enter(f->w);
    staff(f, "ws:close");
    assert_false(workshop_is_open(f->w));
    assert_non_null(find(staff_view(f), "ws:start"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_no_workshop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_settings_and_start, setup, teardown),
        cmocka_unit_test_setup_teardown(test_card_flow, setup, teardown),
        cmocka_unit_test_setup_teardown(test_realisation_idea, setup, teardown),
        cmocka_unit_test_setup_teardown(test_votes_merge_results, setup, teardown),
        cmocka_unit_test_setup_teardown(test_close, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
