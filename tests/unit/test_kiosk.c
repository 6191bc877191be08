/* test_kiosk: the kiosk state machine without any UI — taps by target id,
 * timers on the virtual clock, the views it builds, what it commits, and how
 * it survives storage failures (fault screen, never an abort). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../firmware/app/kiosk.h"
#include "../../firmware/app/uitext.h"
#include "../../firmware/core/clock.h"
#include "../../firmware/core/config.h"
#include "../../firmware/core/log.h"
#include "../../firmware/storage/store_stats.h"
#include "../test_main.h"
#include "kiosk_fixture.h"

typedef KioskFixture Fx;

/* The kiosk on the sample form; the German and English texts checked below
 * come from the catalogs `make` compiles into $KS_BUILD/locale. */
static int setup(void **state)
{
    const KioskFixtureOptions o = {.forms = "tests/fixtures/forms/sample", .ui_texts = true};
    return kiosk_fixture_setup(state, &o);
}

static void count(void *ctx, const char *form_id, StoreOutcome o, int n)
{
    int *c = ctx;
    (void)form_id;
    c[o] += n;
}

static void to_first_question(Kiosk *k, const char *lang)
{
    tap(k, "start");
    char id[32];
    snprintf(id, sizeof id, "lang:%s", lang);
    tap(k, id);
    tap(k, "audience:kinder");
    tap(k, "next"); /* past the welcome note */
}

static void test_flow_and_views(void **state)
{
    Fx *f = *state;
    const KsView *v = kiosk_view(f->k);
    assert_int_equal(v->screen, KS_SCREEN_ATTRACT);
    tap(f->k, "next"); /* not on this screen: ignored */
    assert_int_equal(kiosk_view(f->k)->screen, KS_SCREEN_ATTRACT);
    tap(f->k, "start");
    v = kiosk_view(f->k);
    assert_int_equal(v->screen, KS_SCREEN_LANGUAGE);
    assert_string_equal(find(v, "lang:de")->text, "Deutsch");
    assert_string_equal(find(v, "lang:en")->text, "English");
    tap(f->k, "audience:kinder"); /* not on this screen: ignored */
    assert_int_equal(kiosk_view(f->k)->screen, KS_SCREEN_LANGUAGE);
    tap(f->k, "lang:en");
    v = kiosk_view(f->k);
    assert_int_equal(v->screen, KS_SCREEN_AUDIENCE);
    assert_string_equal(v->lang, "en");
    assert_non_null(find(v, "audience:kinder"));
    tap(f->k, "back"); /* back to the languages, and forward again */
    assert_int_equal(kiosk_view(f->k)->screen, KS_SCREEN_LANGUAGE);
    tap(f->k, "lang:en");
    tap(f->k, "audience:kinder");
    v = kiosk_view(f->k);
    assert_int_equal(v->screen, KS_SCREEN_QUESTION);
    assert_string_equal(v->lang, "en");
    assert_int_equal(v->widget, KS_WIDGET_NONE);
    unsigned gen = v->generation;
    tap(f->k, "next");
    v = kiosk_view(f->k);
    assert_true(v->generation != gen);
    assert_string_equal(v->question, "schule");
    assert_int_equal(v->widget, KS_WIDGET_FACES);
    assert_string_equal(v->progress_text, "Question 2 of 8");
    assert_false(find(v, "next")->enabled);
    assert_int_equal(find(v, "choice:1")->face, 1);
    assert_int_equal(find(v, "choice:5")->face, 5);
    tap(f->k, "choice:3");
    assert_true(find(kiosk_view(f->k), "choice:3")->selected);
    tap(f->k, "next");
    v = kiosk_view(f->k);
    assert_string_equal(v->question, "lesen");
    /* Three faces map onto the sad, middle and happy ends of the scale. */
    assert_int_equal(find(v, "choice:2")->face, 3);
}

static void test_idle_abandons(void **state)
{
    Fx *f = *state;
    to_first_question(f->k, "de");
    tap(f->k, "choice:2");
    tap(f->k, "next");
    int64_t deadline = kiosk_next_deadline(f->k);
    assert_int_equal(deadline - clock_mono_ms(), 60000);
    clock_advance_ms(59999);
    kiosk_tick(f->k);
    assert_int_equal(kiosk_view(f->k)->screen, KS_SCREEN_QUESTION);
    clock_advance_ms(1);
    kiosk_tick(f->k);
    assert_int_equal(kiosk_view(f->k)->screen, KS_SCREEN_IDLE_PROMPT);
    assert_int_equal(kiosk_view(f->k)->countdown_s, 20);
    clock_advance_ms(3000);
    kiosk_tick(f->k);
    assert_int_equal(kiosk_view(f->k)->countdown_s, 17);
    clock_advance_ms(17000);
    kiosk_tick(f->k);
    assert_int_equal(kiosk_view(f->k)->screen, KS_SCREEN_ATTRACT);
    int c[3] = {0};
    assert_int_equal(store_stats_sessions(f->store, count, c), KS_OK);
    assert_int_equal(c[STORE_OUTCOME_ABANDONED], 1);
    assert_int_equal(c[STORE_OUTCOME_OPEN], 0);
}

static void test_activity_defers_idle(void **state)
{
    Fx *f = *state;
    to_first_question(f->k, "de");
    clock_advance_ms(50000);
    KsEvent e = {.type = KS_EV_ACTIVITY};
    kiosk_handle(f->k, &e);
    clock_advance_ms(50000);
    kiosk_tick(f->k);
    assert_int_equal(kiosk_view(f->k)->screen, KS_SCREEN_QUESTION);
}

static void test_complete_commits_before_thanks(void **state)
{
    Fx *f = *state;
    to_first_question(f->k, "de");
    const char *taps[] = {"choice:1", "next", "choice:1",     "next", "choice:no", "next",
                          "choice:2", "next", "choice:games", "next", "next",      "next"};
    for (size_t i = 0; i < sizeof taps / sizeof taps[0]; i++)
        tap(f->k, taps[i]);
    const KsView *v = kiosk_view(f->k);
    assert_int_equal(v->screen, KS_SCREEN_THANKS);
    assert_int_equal((int)strlen(v->session), 32);
    int c[3] = {0};
    assert_int_equal(store_stats_sessions(f->store, count, c), KS_OK);
    assert_int_equal(c[STORE_OUTCOME_COMPLETE], 1);
    clock_advance_ms(f->cfg.thanks_s * 1000);
    kiosk_tick(f->k);
    assert_int_equal(kiosk_view(f->k)->screen, KS_SCREEN_ATTRACT);
}

static void test_write_failure_shows_fault(void **state)
{
    Fx *f = *state;
    to_first_question(f->k, "de");
    tap(f->k, "choice:4");
    store_fault_fail_nth_write(1);
    tap(f->k, "next");
    store_fault_fail_nth_write(0);
    const KsView *v = kiosk_view(f->k);
    assert_int_equal(v->screen, KS_SCREEN_FAULT);
    assert_int_equal(v->n_targets, 0);
    /* Further taps and ticks change nothing and crash nothing. */
    tap(f->k, "next");
    kiosk_tick(f->k);
    assert_int_equal(kiosk_view(f->k)->screen, KS_SCREEN_FAULT);
}

static void test_fault_without_store(void **state)
{
    Fx *f = *state;
    Kiosk *k = kiosk_create(&f->cfg, f->catalog, NULL, KS_ERR_IO);
    assert_int_equal(kiosk_view(k)->screen, KS_SCREEN_FAULT);
    kiosk_destroy(k);
    k = kiosk_create(&f->cfg, f->catalog, f->store, KS_ERR_CORRUPT);
    assert_int_equal(kiosk_view(k)->screen, KS_SCREEN_FAULT);
    assert_non_null(strstr(kiosk_view(k)->message, "beschädigt"));
    kiosk_destroy(k);
}

/* The local minute of the day at the virtual clock's time. */
static int local_minute(void)
{
    time_t t = (time_t)(clock_wall_ms() / 1000);
    struct tm tm;
    assert_non_null(localtime_r(&t, &tm));
    return tm.tm_hour * 60 + tm.tm_min;
}

static void activity(Kiosk *k)
{
    KsEvent e = {.type = KS_EV_ACTIVITY};
    kiosk_handle(k, &e);
}

static void pass_ms(Kiosk *k, int64_t ms)
{
    for (int64_t done = 0; done < ms; done += 1000) {
        clock_advance_ms(1000);
        kiosk_tick(k);
    }
}

/* display_sleep: the welcome screen goes dark in the night hours, a touch
 * wakes it for idle_timeout, a session is never darkened, and the morning
 * brings the welcome screen back by itself. */
static void test_display_sleep(void **state)
{
    Fx *f = *state;
    int now = local_minute();
    f->cfg.sleep_from_min = (now + 1440 - 30) % 1440;
    f->cfg.sleep_until_min = (now + 90) % 1440;
    f->cfg.idle_timeout_s = 3600;
    kiosk_tick(f->k);
    assert_int_equal(kiosk_view(f->k)->screen, KS_SCREEN_SLEEP);
    assert_int_equal(kiosk_view(f->k)->n_targets, 0);
    assert_true(kiosk_next_deadline(f->k) > 0); /* it looks at the clock again */

    activity(f->k); /* a finger anywhere */
    assert_int_equal(kiosk_view(f->k)->screen, KS_SCREEN_ATTRACT);
    kiosk_tick(f->k);
    assert_int_equal(kiosk_view(f->k)->screen, KS_SCREEN_ATTRACT);

    /* A session that runs into the dark hours keeps its screen. */
    to_first_question(f->k, "de");
    assert_int_equal(kiosk_view(f->k)->screen, KS_SCREEN_QUESTION);
    for (int i = 0; i < 5; i++) {
        pass_ms(f->k, 10 * 60 * 1000);
        activity(f->k);
        assert_int_equal(kiosk_view(f->k)->screen, KS_SCREEN_QUESTION);
    }
    tap(f->k, "quit");
    tap(f->k, "yes");
    assert_int_equal(kiosk_view(f->k)->screen, KS_SCREEN_ATTRACT);
    /* Woken less than idle_timeout ago: still lit; then dark. */
    pass_ms(f->k, 60 * 1000);
    assert_int_equal(kiosk_view(f->k)->screen, KS_SCREEN_ATTRACT);
    pass_ms(f->k, 11 * 60 * 1000);
    assert_int_equal(kiosk_view(f->k)->screen, KS_SCREEN_SLEEP);
    /* Morning (90 min after the start): back by itself. */
    pass_ms(f->k, 40 * 60 * 1000);
    assert_int_equal(kiosk_view(f->k)->screen, KS_SCREEN_ATTRACT);
}

/* languages: only the configured ones are offered (and accepted); a form
 * that has none of them offers all of its own. */
static void test_languages_offered(void **state)
{
    Fx *f = *state;
    strcpy(f->cfg.languages, "en");
    tap(f->k, "start");
    assert_int_equal(kiosk_view(f->k)->screen, KS_SCREEN_LANGUAGE);
    assert_non_null(find(kiosk_view(f->k), "lang:en"));
    assert_null(find(kiosk_view(f->k), "lang:de"));
    tap(f->k, "lang:de");
    assert_int_equal(kiosk_view(f->k)->screen, KS_SCREEN_LANGUAGE);
    tap(f->k, "back");
    strcpy(f->cfg.languages, "uk ru");
    tap(f->k, "start");
    assert_non_null(find(kiosk_view(f->k), "lang:de"));
    assert_non_null(find(kiosk_view(f->k), "lang:en"));
    tap(f->k, "lang:de");
    tap(f->k, "audience:kinder");
    assert_int_equal(kiosk_view(f->k)->screen, KS_SCREEN_QUESTION);
}

/* The page "next" would show is built ahead without moving the kiosk:
 * only once the answers let next go on, as the page next then shows, and
 * with the kiosk's view, answers and stored rows as they were. */
static void test_peek_next(void **state)
{
    Fx *f = *state;
    assert_null(kiosk_peek_next(f->k)); /* the welcome screen */
    to_first_question(f->k, "en");
    assert_string_equal(kiosk_view(f->k)->question, "schule");
    assert_null(kiosk_peek_next(f->k)); /* its answer is missing */
    tap(f->k, "choice:3");
    unsigned gen = kiosk_view(f->k)->generation;
    KioskPeek *p = kiosk_peek_next(f->k);
    assert_non_null(p);
    const KsView *ahead = kiosk_peek_view(p);
    assert_int_equal(ahead->screen, KS_SCREEN_QUESTION);
    assert_string_equal(ahead->question, "lesen");
    assert_string_equal(ahead->progress_text, "Question 3 of 8");
    assert_non_null(find(ahead, "choice:2"));
    /* The kiosk is where it was. */
    const KsView *v = kiosk_view(f->k);
    assert_int_equal(v->generation, gen);
    assert_string_equal(v->question, "schule");
    assert_true(find(v, "choice:3")->selected);
    kiosk_peek_free(p);
    kiosk_peek_free(NULL);
    /* Next shows the page that was built ahead. */
    tap(f->k, "next");
    v = kiosk_view(f->k);
    assert_string_equal(v->question, "lesen");
    assert_string_equal(v->progress_text, "Question 3 of 8");
    /* Going back and answering again still finds the way forward. */
    tap(f->k, "back");
    assert_string_equal(kiosk_view(f->k)->question, "schule");
    p = kiosk_peek_next(f->k);
    assert_non_null(p);
    assert_string_equal(kiosk_peek_view(p)->question, "lesen");
    kiosk_peek_free(p);
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flow_and_views),
        cmocka_unit_test(test_idle_abandons),
        cmocka_unit_test(test_activity_defers_idle),
        cmocka_unit_test(test_complete_commits_before_thanks),
        cmocka_unit_test(test_write_failure_shows_fault),
        cmocka_unit_test(test_fault_without_store),
        cmocka_unit_test(test_display_sleep),
        cmocka_unit_test(test_languages_offered),
        cmocka_unit_test(test_peek_next),
    };
    return test_run_each(tests, setup, kiosk_fixture_teardown);
}
