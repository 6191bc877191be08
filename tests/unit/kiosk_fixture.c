/* kiosk_fixture: the temporary folder, store, catalog and kiosk (or
 * workshop) the state-machine suites share; see kiosk_fixture.h. Making it
 * fails by returning NULL, never by a cmocka assertion, so that a half-made
 * fixture still removes its folder; only staff_in asserts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "kiosk_fixture.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../firmware/app/uitext.h"
#include "../../firmware/core/clock.h"
#include "../test_locale.h"
#include "../test_tmp.h"

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path) == 0 ? 0 : -1;
}

/* Removes the folder and everything below it; a symbolic link is removed,
 * never followed. */
static void remove_tree(const char *dir)
{
    if (nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0)
        fprintf(stderr, "kiosk_fixture: %s not removed completely\n", dir);
}

/* The catalog reads a folder of forms: one_form gets a folder of its own in
 * the fixture's, holding a link to it. */
static bool link_form(KioskFixture *f, const char *one_form, char *forms, size_t size)
{
    char target[512], link[256];
    if (!getcwd(target, sizeof target))
        return false;
    size_t n = strlen(target);
    if ((size_t)snprintf(target + n, sizeof target - n, "/%s", one_form) >= sizeof target - n)
        return false;
    const char *base = strrchr(one_form, '/');
    snprintf(forms, size, "%s/forms", f->dir);
    snprintf(link, sizeof link, "%s/%s", forms, base ? base + 1 : one_form);
    return mkdir(forms, 0700) == 0 && symlink(target, link) == 0;
}

KioskFixture *kiosk_fixture_create(const KioskFixtureOptions *o)
{
    KioskFixture *f = calloc(1, sizeof *f);
    const char *failed = NULL, *catalog_dir = o->forms;
    char forms[128];
    if (!f)
        return NULL;
    if (!test_tmp_template(f->dir, sizeof f->dir, "ks_fixture") || !mkdtemp(f->dir)) {
        perror("kiosk_fixture: mkdtemp");
        free(f);
        return NULL;
    }
    snprintf(f->db, sizeof f->db, "%s/k.db", f->dir);
    config_defaults(&f->cfg);
    if (o->ui_texts && !test_ui_texts()) {
        failed = "no UI texts (run from the repository root after make)";
        goto fail;
    }
    clock_use_virtual(1795000000000LL);
    if (o->one_form) {
        if (!link_form(f, o->one_form, forms, sizeof forms)) {
            failed = "cannot link the form into a forms folder";
            goto fail;
        }
        catalog_dir = forms;
    }
    if (catalog_dir &&
        (catalog_load(catalog_dir, &f->catalog) != KS_OK || catalog_count(f->catalog) < 1)) {
        failed = "no form in the catalog";
        goto fail;
    }
    if (store_open(f->db, &f->store) != KS_OK) {
        failed = "store_open failed";
        goto fail;
    }
    if (f->catalog)
        f->k = kiosk_create(&f->cfg, f->catalog, f->store, KS_OK);
    if (o->workshop)
        f->w = workshop_create(&f->cfg, f->store);
    return f;

fail:
    fprintf(stderr, "kiosk_fixture: %s\n", failed);
    kiosk_fixture_destroy(f);
    return NULL;
}

void kiosk_fixture_destroy(KioskFixture *f)
{
    if (!f)
        return;
    store_fault_fail_nth_write(0);
    workshop_destroy(f->w);
    kiosk_destroy(f->k);
    store_close(&f->store);
    catalog_destroy(f->catalog);
    remove_tree(f->dir);
    free(f);
}

int kiosk_fixture_setup(void **state, const KioskFixtureOptions *o)
{
    *state = kiosk_fixture_create(o);
    return *state ? 0 : -1;
}

int kiosk_fixture_teardown(void **state)
{
    kiosk_fixture_destroy(*state);
    *state = NULL;
    return 0;
}

void tap(Kiosk *k, const char *id)
{
    KsEvent e = {.type = KS_EV_TAP};
    snprintf(e.target, sizeof e.target, "%s", id);
    kiosk_handle(k, &e);
}

const KsViewTarget *find(const KsView *v, const char *id)
{
    for (int i = 0; i < v->n_targets; i++)
        if (strcmp(v->targets[i].id, id) == 0)
            return &v->targets[i];
    return NULL;
}

void long_press(Kiosk *k, KsCorner corner)
{
    KsEvent e = {.type = KS_EV_LONG_PRESS, .corner = corner};
    kiosk_handle(k, &e);
}

void enter_pin(Kiosk *k, const char *pin)
{
    for (const char *p = pin; *p; p++) {
        char id[8];
        snprintf(id, sizeof id, "pin:%c", *p);
        tap(k, id);
    }
    tap(k, "pin:ok");
}

void staff_in(Kiosk *k, const char *pin)
{
    long_press(k, KS_CORNER_TOP_LEFT);
    assert_int_equal(kiosk_view(k)->screen, KS_SCREEN_STAFF_PIN);
    enter_pin(k, pin);
    enter_pin(k, pin);
    assert_int_equal(kiosk_view(k)->screen, KS_SCREEN_STAFF_OVERVIEW);
}
