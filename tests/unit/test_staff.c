/* test_staff: staff mode through the kiosk state machine, without a UI —
 * the corner long press, first-start PIN setting, PIN checks, the growing
 * and persisted lockout, the idle end, the forms switch, the review of free
 * text and the clock, the signing key on the overview (created when there is
 * none, its QR picture beside the database) and the exports the evaluation
 * office has not confirmed; all on the virtual clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../firmware/app/kiosk.h"
#include "../../firmware/app/staff.h"
#include "../../firmware/app/staff_key.h"
#include "../../firmware/app/uitext.h"
#include "../../firmware/core/clock.h"
#include "../../firmware/core/config.h"
#include "../../firmware/storage/store_export.h"
#include "../../firmware/storage/store_responses.h"
#include "../../firmware/storage/store_stats.h"
#include "../test_main.h"
#include "kiosk_fixture.h"

typedef KioskFixture Fx;

/* The kiosk on the sample form, its staff texts from $KS_BUILD/locale. */
static int setup(void **state)
{
    const KioskFixtureOptions o = {.forms = "tests/fixtures/forms/sample", .ui_texts = true};
    return kiosk_fixture_setup(state, &o);
}

static void wait_ms(Kiosk *k, int64_t ms)
{
    /* In steps, as the event loop would wake at each deadline. */
    for (int64_t done = 0; done < ms; done += 500) {
        clock_advance_ms(ms - done < 500 ? ms - done : 500);
        kiosk_tick(k);
    }
}

static KsScreen screen(Fx *f)
{
    return kiosk_view(f->k)->screen;
}

/* Sets the first PIN and leaves staff mode again. */
static void set_pin(Fx *f, const char *pin)
{
    staff_in(f->k, pin);
    tap(f->k, "staff:exit");
    assert_int_equal(screen(f), KS_SCREEN_ATTRACT);
}

/* The corner long press and the PIN. */
static void log_in(Fx *f, const char *pin)
{
    long_press(f->k, KS_CORNER_TOP_LEFT);
    enter_pin(f->k, pin);
}

/* Staff mode with the PIN set at the first start (set_pin). */
static void staff_again(Fx *f, const char *pin)
{
    set_pin(f, pin);
    log_in(f, pin);
}

static void test_lock_seconds(void **state)
{
    (void)state;
    KsConfig c;
    config_defaults(&c);
    assert_int_equal(staff_lock_seconds(&c, 0), 0);
    assert_int_equal(staff_lock_seconds(&c, 2), 0);
    assert_int_equal(staff_lock_seconds(&c, 3), 30);
    assert_int_equal(staff_lock_seconds(&c, 4), 60);
    assert_int_equal(staff_lock_seconds(&c, 5), 120);
    assert_int_equal(staff_lock_seconds(&c, 8), 900);
    assert_int_equal(staff_lock_seconds(&c, 100), 900);
    /* A stricter policy from kiosk.conf. */
    c.pin_free_tries = 1;
    c.pin_lock_s = 60;
    c.pin_lock_max_s = 200;
    assert_int_equal(staff_lock_seconds(&c, 0), 0);
    assert_int_equal(staff_lock_seconds(&c, 1), 60);
    assert_int_equal(staff_lock_seconds(&c, 2), 120);
    assert_int_equal(staff_lock_seconds(&c, 3), 200);
}

/* kiosk.conf's pin_min_digits: a shorter new PIN is refused and the pad
 * says how many digits are needed. */
static void test_pin_min_digits(void **state)
{
    Fx *f = *state;
    f->cfg.pin_min_digits = 6;
    long_press(f->k, KS_CORNER_TOP_LEFT);
    assert_int_equal(screen(f), KS_SCREEN_STAFF_PIN);
    enter_pin(f->k, "2468");
    assert_int_equal(screen(f), KS_SCREEN_STAFF_PIN);
    assert_non_null(strstr(kiosk_view(f->k)->message, "6 bis 8"));
    enter_pin(f->k, "246813");
    enter_pin(f->k, "246813");
    assert_int_equal(screen(f), KS_SCREEN_STAFF_OVERVIEW);
}

static void test_gesture_and_first_pin(void **state)
{
    Fx *f = *state;
    long_press(f->k, KS_CORNER_BOTTOM_RIGHT); /* not the configured corner */
    assert_int_equal(screen(f), KS_SCREEN_ATTRACT);
    long_press(f->k, KS_CORNER_TOP_LEFT);
    const KsView *v = kiosk_view(f->k);
    assert_int_equal(v->screen, KS_SCREEN_STAFF_PIN);
    assert_string_equal(v->title, "Neue Personal-PIN wählen (4 bis 8 Ziffern)");
    assert_non_null(find(v, "pin:0"));
    assert_non_null(find(v, "pin:backspace"));
    assert_non_null(find(v, "staff:cancel"));
    /* Too short, then digits shown only as dots. */
    enter_pin(f->k, "123");
    assert_string_equal(kiosk_view(f->k)->message, "Eine PIN hat 4 bis 8 Ziffern.");
    tap(f->k, "pin:4");
    tap(f->k, "pin:2");
    assert_string_equal(find(kiosk_view(f->k), "pin:entry")->text, "●●");
    tap(f->k, "pin:backspace");
    assert_string_equal(find(kiosk_view(f->k), "pin:entry")->text, "●");
    tap(f->k, "pin:backspace");
    /* A second entry that differs starts again. */
    enter_pin(f->k, "4711");
    assert_string_equal(kiosk_view(f->k)->title, "Neue PIN noch einmal eingeben");
    enter_pin(f->k, "4712");
    assert_string_equal(kiosk_view(f->k)->title, "Neue Personal-PIN wählen (4 bis 8 Ziffern)");
    enter_pin(f->k, "4711");
    enter_pin(f->k, "4711");
    assert_int_equal(screen(f), KS_SCREEN_STAFF_OVERVIEW);
    /* Only an Argon2id hash is kept. */
    char hash[256];
    assert_int_equal(store_setting_get(f->store, STAFF_KEY_PIN_HASH, hash, sizeof hash), KS_OK);
    assert_true(strncmp(hash, "$argon2id$", 10) == 0);
    assert_null(strstr(hash, "4711"));
    tap(f->k, "staff:exit");
    assert_int_equal(screen(f), KS_SCREEN_ATTRACT);
    /* Next time the PIN is asked for; cancel goes back to the kiosk. */
    long_press(f->k, KS_CORNER_TOP_LEFT);
    assert_string_equal(kiosk_view(f->k)->title, "Personalbereich: PIN eingeben");
    tap(f->k, "staff:cancel");
    assert_int_equal(screen(f), KS_SCREEN_ATTRACT);
    log_in(f, "4711");
    assert_int_equal(screen(f), KS_SCREEN_STAFF_OVERVIEW);
}

static void test_lockout_grows_and_persists(void **state)
{
    Fx *f = *state;
    set_pin(f, "2468");
    log_in(f, "1111");
    assert_string_equal(kiosk_view(f->k)->message, "Falsche PIN.");
    enter_pin(f->k, "1111");
    enter_pin(f->k, "1111");
    const KsView *v = kiosk_view(f->k);
    assert_int_equal(v->countdown_s, 30);
    assert_string_equal(v->message, "Zu viele falsche PINs. Bitte 30 s warten.");
    assert_false(find(v, "pin:1")->enabled);
    char num[16];
    assert_int_equal(store_setting_get(f->store, STAFF_KEY_FAILURES, num, sizeof num), KS_OK);
    assert_string_equal(num, "3");
    /* Even the right PIN is ignored while locked. */
    enter_pin(f->k, "2468");
    assert_int_equal(screen(f), KS_SCREEN_STAFF_PIN);
    wait_ms(f->k, 10000);
    assert_int_equal(kiosk_view(f->k)->countdown_s, 20);
    /* A restart does not shorten the wait: the whole of it applies anew. */
    kiosk_destroy(f->k);
    f->k = kiosk_create(&f->cfg, f->catalog, f->store, KS_OK);
    long_press(f->k, KS_CORNER_TOP_LEFT);
    assert_int_equal(kiosk_view(f->k)->countdown_s, 30);
    wait_ms(f->k, 30000);
    assert_int_equal(kiosk_view(f->k)->countdown_s, 0);
    assert_true(find(kiosk_view(f->k), "pin:1")->enabled);
    /* The fourth wrong PIN doubles the wait. */
    enter_pin(f->k, "1111");
    assert_int_equal(kiosk_view(f->k)->countdown_s, 60);
    wait_ms(f->k, 60000);
    enter_pin(f->k, "2468");
    assert_int_equal(screen(f), KS_SCREEN_STAFF_OVERVIEW);
    assert_int_equal(store_setting_get(f->store, STAFF_KEY_FAILURES, num, sizeof num), KS_OK);
    assert_string_equal(num, "0");
}

static void test_idle_ends_staff_mode(void **state)
{
    Fx *f = *state;
    staff_again(f, "1357");
    tap(f->k, "staff:forms");
    wait_ms(f->k, 179000);
    assert_int_equal(screen(f), KS_SCREEN_STAFF_FORMS);
    KsEvent touch = {.type = KS_EV_ACTIVITY};
    kiosk_handle(f->k, &touch); /* a touch restarts the time */
    wait_ms(f->k, 179000);
    assert_int_equal(screen(f), KS_SCREEN_STAFF_FORMS);
    assert_true(kiosk_next_deadline(f->k) >= 0);
    wait_ms(f->k, 2000);
    assert_int_equal(screen(f), KS_SCREEN_ATTRACT);
    /* The PIN is asked for again. */
    long_press(f->k, KS_CORNER_TOP_LEFT);
    assert_int_equal(screen(f), KS_SCREEN_STAFF_PIN);
}

static void count(void *ctx, const char *form_id, StoreOutcome o, int n)
{
    int *c = ctx;
    (void)form_id;
    c[o] += n;
}

static void test_open_session_is_abandoned(void **state)
{
    Fx *f = *state;
    tap(f->k, "start");
    tap(f->k, "lang:de");
    tap(f->k, "audience:kinder");
    assert_int_equal(screen(f), KS_SCREEN_QUESTION);
    long_press(f->k, KS_CORNER_TOP_LEFT);
    assert_int_equal(screen(f), KS_SCREEN_STAFF_PIN);
    int c[3] = {0};
    assert_int_equal(store_stats_sessions(f->store, count, c), KS_OK);
    assert_int_equal(c[STORE_OUTCOME_ABANDONED], 1);
    assert_int_equal(c[STORE_OUTCOME_OPEN], 0);
    tap(f->k, "staff:cancel");
    assert_int_equal(screen(f), KS_SCREEN_ATTRACT);
}

static void test_forms_toggle(void **state)
{
    Fx *f = *state;
    staff_again(f, "9999");
    tap(f->k, "staff:forms");
    const KsViewTarget *t = find(kiosk_view(f->k), "form:kinder");
    assert_non_null(t);
    assert_true(t->selected);
    tap(f->k, "form:kinder");
    assert_false(find(kiosk_view(f->k), "form:kinder")->selected);
    assert_false(store_form_is_active(f->store, "kinder"));
    tap(f->k, "staff:exit");
    tap(f->k, "start");
    /* The only form is off: no language to choose, and an old id is refused. */
    assert_null(find(kiosk_view(f->k), "lang:de"));
    tap(f->k, "lang:de");
    assert_int_equal(screen(f), KS_SCREEN_LANGUAGE);
    tap(f->k, "back");
    log_in(f, "9999");
    tap(f->k, "staff:forms");
    tap(f->k, "form:kinder");
    tap(f->k, "staff:exit");
    tap(f->k, "start");
    tap(f->k, "lang:de");
    assert_non_null(find(kiosk_view(f->k), "audience:kinder"));
}

static void add_text_session(Fx *f, const char *uuid, const char *text)
{
    StoreSessionMeta meta = {uuid, "kinder", "1", "0000", "de", "child", clock_wall_ms(), false};
    int64_t row = 0;
    assert_int_equal(store_session_begin(f->store, &meta, &row), KS_OK);
    assert_int_equal(store_answer_put_review(f->store, row, "wunsch", text, clock_wall_ms()),
                     KS_OK);
    assert_int_equal(store_session_finish(f->store, row, STORE_OUTCOME_COMPLETE, clock_wall_ms()),
                     KS_OK);
}

static KsStatus count_pending(void *ctx, const StoreExportSession *s, const StoreExportAnswer *a)
{
    (void)s;
    (void)a;
    (*(int *)ctx)++;
    return KS_OK;
}

static void test_review(void **state)
{
    Fx *f = *state;
    add_text_session(f, "0123456789abcdef0123456789abcdef", "Mehr Bäume im Park");
    add_text_session(f, "fedcba9876543210fedcba9876543210", "Ein Bolzplatz");
    staff_again(f, "2580");
    tap(f->k, "staff:review");
    const KsView *v = kiosk_view(f->k);
    assert_int_equal(v->screen, KS_SCREEN_STAFF_REVIEW);
    assert_string_equal(v->title, "Warten auf Freigabe: 2");
    assert_non_null(strstr(v->message, "Mehr Bäume im Park"));
    tap(f->k, "review:approve");
    v = kiosk_view(f->k);
    assert_string_equal(v->title, "Warten auf Freigabe: 1");
    assert_non_null(strstr(v->message, "Ein Bolzplatz"));
    tap(f->k, "review:reject");
    v = kiosk_view(f->k);
    assert_string_equal(v->message, "Nichts wartet auf Freigabe.");
    assert_null(find(v, "review:approve"));
    int n = 0;
    assert_int_equal(store_review_pending(f->store, 10, count_pending, &n), KS_OK);
    assert_int_equal(n, 0);
}

static void test_clock_and_overview(void **state)
{
    Fx *f = *state;
    staff_again(f, "1234");
    const KsView *v = kiosk_view(f->k);
    assert_non_null(strstr(v->message, "Noch nicht exportiert: 0"));
    assert_non_null(strstr(v->message, "Letzter Export: noch keiner"));
    tap(f->k, "staff:clock");
    int64_t before = clock_wall_ms();
    char year[8];
    snprintf(year, sizeof year, "%s", find(kiosk_view(f->k), "clock:year")->text);
    tap(f->k, "clock:year:+");
    assert_int_equal(atoi(find(kiosk_view(f->k), "clock:year")->text), atoi(year) + 1);
    tap(f->k, "clock:ok");
    assert_string_equal(kiosk_view(f->k)->message, "Die Uhr ist gestellt.");
    int64_t moved = clock_wall_ms() - before;
    assert_true(moved > 364LL * 86400000 && moved < 367LL * 86400000);
    /* No stick below usb_root: the export says so and writes nothing. */
    snprintf(f->cfg.usb_root, sizeof f->cfg.usb_root, "%s", f->dir);
    tap(f->k, "staff:export");
    tap(f->k, "export:start");
    assert_string_equal(
        kiosk_view(f->k)->message,
        "Kein USB-Stick gefunden. Bitte einen einstecken und noch einmal versuchen.");
}

static void ledger_batch(Fx *f, const char *id, int64_t at)
{
    StoreBatch b = {.rows = 0, .created_ms = at};
    snprintf(b.id, sizeof b.id, "%s", id);
    memset(b.tag_sha256, 'a', 64);
    assert_int_equal(store_batch_commit(f->store, &b, NULL, 0), KS_OK);
}

/* The overview shows the signing key (made now: staff may look before the
 * first export) as a QR picture beside the database, its id as text. */
static void test_overview_key(void **state)
{
    Fx *f = *state;
    char keyfile[160], qr[160];
    snprintf(keyfile, sizeof keyfile, "%s.signkey", f->db);
    snprintf(qr, sizeof qr, "%s%s", f->db, STAFF_KEY_QR_SUFFIX);
    assert_int_not_equal(access(keyfile, F_OK), 0);
    kiosk_set_db_path(f->k, f->db);
    staff_again(f, "1234");
    const KsView *v = kiosk_view(f->k);
    assert_int_equal(v->screen, KS_SCREEN_STAFF_OVERVIEW);
    assert_int_equal(access(keyfile, R_OK), 0);
    StaffKey key;
    bool created = true;
    assert_int_equal(staff_key_load(f->db, &key, &created), KS_OK);
    assert_false(created);
    assert_int_equal(strlen(key.line), SIGN_PUBLIC_LINE - 1);
    const KsViewTarget *t = find(v, "overview:key");
    assert_non_null(t);
    assert_false(t->enabled);
    assert_string_equal(t->image, qr);
    char label[64];
    snprintf(label, sizeof label, "Signaturschlüssel %s", key.id);
    assert_string_equal(t->text, label);
    FILE *fp = fopen(qr, "rb");
    assert_non_null(fp);
    unsigned char sig[8];
    assert_int_equal(fread(sig, 1, 8, fp), 8);
    fclose(fp);
    assert_memory_equal(sig, "\x89PNG\r\n\x1a\n", 8);
    /* without receipts expected the overview says nothing about them */
    ledger_batch(f, "K1-20261110-AAAA", 1795000000000LL - 8 * 86400000LL);
    tap(f->k, "staff:clock");
    tap(f->k, "staff:overview");
    assert_null(strstr(kiosk_view(f->k)->message, "Auswertungsbüro"));
    /* a damaged key file is never replaced; the overview says so */
    tap(f->k, "staff:exit");
    fp = fopen(keyfile, "w");
    fputs("not a key\n", fp);
    fclose(fp);
    log_in(f, "1234");
    v = kiosk_view(f->k);
    assert_null(find(v, "overview:key"));
    assert_non_null(strstr(v->message, "Der Signaturschlüssel des Kiosks lässt sich nicht lesen"));
    fp = fopen(keyfile, "r");
    char line[32] = "";
    assert_non_null(fgets(line, sizeof line, fp));
    fclose(fp);
    assert_string_equal(line, "not a key\n");
}

/* With the office's key configured: how many exports wait for its receipt,
 * since when, and when all are confirmed. */
static void test_overview_unconfirmed(void **state)
{
    Fx *f = *state;
    strcpy(f->cfg.eval_pubkey, "RWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3");
    ledger_batch(f, "K1-20261130-AAAA", 1796036400000LL); /* 2026-11-30 */
    ledger_batch(f, "K1-20261207-BBBB", 1796641200000LL); /* 2026-12-07 */
    staff_again(f, "1234");
    const KsView *v = kiosk_view(f->k);
    assert_non_null(strstr(
        v->message, "Vom Auswertungsbüro noch nicht bestätigt: 2 Exporte (seit 2026-11-30)"));
    assert_non_null(strstr(v->message, "werden 30 Tage nach der Bestätigung des"
                                       " Auswertungsbüros gelöscht"));
    char tag[65];
    memset(tag, 'a', 64);
    tag[64] = '\0';
    StoreAck a = {.batch_id = "K1-20261130-AAAA", .tag_sha256 = tag, .rows = 0};
    StoreAckResult r;
    assert_int_equal(store_batch_acknowledge(f->store, &a, clock_wall_ms(), &r), KS_OK);
    tap(f->k, "staff:clock");
    tap(f->k, "staff:overview");
    assert_non_null(strstr(kiosk_view(f->k)->message,
                           "Vom Auswertungsbüro noch nicht bestätigt: 1 Export (seit 2026-12-07)"));
    a.batch_id = "K1-20261207-BBBB";
    assert_int_equal(store_batch_acknowledge(f->store, &a, clock_wall_ms(), &r), KS_OK);
    tap(f->k, "staff:clock");
    tap(f->k, "staff:overview");
    assert_non_null(
        strstr(kiosk_view(f->k)->message, "Das Auswertungsbüro hat alle Exporte bestätigt."));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lock_seconds),
        cmocka_unit_test(test_gesture_and_first_pin),
        cmocka_unit_test(test_pin_min_digits),
        cmocka_unit_test(test_lockout_grows_and_persists),
        cmocka_unit_test(test_idle_ends_staff_mode),
        cmocka_unit_test(test_open_session_is_abandoned),
        cmocka_unit_test(test_forms_toggle),
        cmocka_unit_test(test_review),
        cmocka_unit_test(test_clock_and_overview),
        cmocka_unit_test(test_overview_key),
        cmocka_unit_test(test_overview_unconfirmed),
    };
    return test_run_each(tests, setup, kiosk_fixture_teardown);
}
