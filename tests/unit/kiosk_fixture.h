/* kiosk_fixture: the fixture the state-machine suites share (test_kiosk,
 * test_staff, test_kiosk_widgets, test_workshop): a temporary folder with the
 * database in it, the default configuration, the virtual clock, the UI texts,
 * and on them a catalog with a kiosk, or a workshop; plus the helpers their
 * scripts are written in (tap(), find(), the way into staff mode), which the
 * suites that drive a kiosk of their own use too. Run from the repository
 * root. It owns no test: each suite keeps its own checks. */
#ifndef KIOSK_FIXTURE_H
#define KIOSK_FIXTURE_H

#include <stdbool.h>

#include "../../firmware/app/kiosk.h"
#include "../../firmware/app/view.h"
#include "../../firmware/app/workshop.h"
#include "../../firmware/core/config.h"
#include "../../firmware/storage/store.h"
#include "../../firmware/survey/catalog.h"

/* What a suite asks for; unset fields are not made. */
typedef struct {
    const char *forms;    /* a folder of form folders: a catalog and a kiosk on it */
    const char *one_form; /* or one form folder, linked into a forms folder of its own */
    bool ui_texts;        /* bind the UI texts of $KS_BUILD/locale (default build/locale) */
    bool workshop;        /* a workshop on the store */
} KioskFixtureOptions;

typedef struct {
    char dir[64], db[128]; /* the temporary folder (removed at the end), the database in it */
    KsConfig cfg;          /* config_defaults(); a test may change it, the kiosk reads it live */
    Catalog *catalog;      /* with forms or one_form, else NULL */
    Store *store;
    Kiosk *k;    /* with forms or one_form, else NULL */
    Workshop *w; /* with workshop, else NULL */
} KioskFixture;

/* Makes the fixture: the folder under /tmp, the configuration, the virtual
 * clock at 1795000000000 ms, the UI texts, the catalog, the store, the kiosk
 * or workshop, in this order. Returns NULL after printing why and removing
 * what it made. The caller owns the result (kiosk_fixture_destroy). */
KioskFixture *kiosk_fixture_create(const KioskFixtureOptions *o);

/* Closes everything, resets the store's write-fault hook and removes the
 * folder with all a test wrote in it. Accepts NULL. */
void kiosk_fixture_destroy(KioskFixture *f);

/* For a suite's cmocka setup: the fixture made with o goes to *state;
 * returns -1 (cmocka then fails the test) when it cannot be made. */
int kiosk_fixture_setup(void **state, const KioskFixtureOptions *o);

/* The cmocka teardown of kiosk_fixture_setup. */
int kiosk_fixture_teardown(void **state);

/* A tap on the view target `id` (a tap on a target the screen does not
 * show is the kiosk's to ignore). */
void tap(Kiosk *k, const char *id);

/* The target `id` of view v, or NULL; borrowed from v. */
const KsViewTarget *find(const KsView *v, const char *id);

/* A long press on a corner of the screen. */
void long_press(Kiosk *k, KsCorner corner);

/* Types the PIN on the staff PIN pad and confirms it. */
void enter_pin(Kiosk *k, const char *pin);

/* Into staff mode at a first start: the long press on the top left corner,
 * then the new PIN twice; fails the test (cmocka) unless the PIN pad and
 * then the staff overview show. */
void staff_in(Kiosk *k, const char *pin);

#endif
