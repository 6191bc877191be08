/* test_config: kiosk.conf parsing — defaults, the appliance keys (site code,
 * languages, PIN policy, display sleep, eject command), values refused with
 * their line, and the shipped /etc/km2kiosk/kiosk.conf read without a
 * single error or unknown key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../firmware/core/config.h"
#include "../test_stderr.h"
#include "../test_tmp.h"

static char path[64];

static int setup(void **state)
{
    (void)state;
    assert_true(test_tmp_file(path, sizeof path, "ks_config", ""));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(path);
    return 0;
}

/* Writes text to the temp file and loads it over the defaults. */
static KsStatus load(const char *text, KsConfig *c)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    config_defaults(c);
    return config_load(path, c);
}

static void test_defaults(void **state)
{
    (void)state;
    KsConfig c;
    config_defaults(&c);
    assert_string_equal(c.site_code, "");
    assert_string_equal(c.languages, "");
    assert_int_equal(c.pin_min_digits, 4);
    assert_int_equal(c.pin_free_tries, 3);
    assert_int_equal(c.pin_lock_s, 30);
    assert_int_equal(c.pin_lock_max_s, 900);
    assert_int_equal(c.sleep_from_min, -1);
    assert_string_equal(c.usb_eject, "umount");
    assert_string_equal(c.staff_language, "de");
    assert_true(config_lang_offered(&c, "ar"));
    assert_false(config_sleeping_at(&c, 0));
}

static void test_appliance_keys(void **state)
{
    (void)state;
    KsConfig c;
    assert_int_equal(load("site_code = HH-Wilhelmsburg_2\n"
                          "languages = de, ar,tr\n"
                          "pin_min_digits = 6\npin_free_tries = 5\n"
                          "pin_lock_s = 60\npin_lock_max_s = 3600\n"
                          "display_sleep = 22:00-06:30\n"
                          "usb_eject = systemd-mount --umount\n"
                          "staff_language = ar\n",
                          &c),
                     KS_OK);
    assert_string_equal(c.staff_language, "ar");
    assert_string_equal(c.site_code, "HH-Wilhelmsburg_2");
    assert_string_equal(c.languages, "de ar tr");
    assert_true(config_lang_offered(&c, "ar"));
    assert_true(config_lang_offered(&c, "tr"));
    assert_false(config_lang_offered(&c, "t"));
    assert_false(config_lang_offered(&c, "uk"));
    assert_int_equal(c.pin_min_digits, 6);
    assert_int_equal(c.pin_free_tries, 5);
    assert_int_equal(c.pin_lock_s, 60);
    assert_int_equal(c.pin_lock_max_s, 3600);
    assert_int_equal(c.sleep_from_min, 22 * 60);
    assert_int_equal(c.sleep_until_min, 6 * 60 + 30);
    assert_string_equal(c.usb_eject, "systemd-mount --umount");
    /* A night over midnight, and a daytime period. */
    assert_true(config_sleeping_at(&c, 23 * 60));
    assert_true(config_sleeping_at(&c, 0));
    assert_true(config_sleeping_at(&c, 6 * 60 + 29));
    assert_false(config_sleeping_at(&c, 6 * 60 + 30));
    assert_false(config_sleeping_at(&c, 12 * 60));
    assert_true(config_sleeping_at(&c, 22 * 60));
    assert_int_equal(load("display_sleep = 12:00-13:00\n", &c), KS_OK);
    assert_true(config_sleeping_at(&c, 12 * 60 + 59));
    assert_false(config_sleeping_at(&c, 13 * 60));
    assert_false(config_sleeping_at(&c, 11 * 60 + 59));
    assert_int_equal(load("display_sleep = off\n", &c), KS_OK);
    assert_false(config_sleeping_at(&c, 0));
    assert_true(config_form_offered(&c, "anything")); /* forms not set: all */
    assert_int_equal(load("forms = kinder,eltern-2026 Jugend_1.b\n", &c), KS_OK);
    assert_string_equal(c.forms, "kinder eltern-2026 Jugend_1.b");
    assert_true(config_form_offered(&c, "eltern-2026"));
    assert_true(config_form_offered(&c, "Jugend_1.b"));
    assert_false(config_form_offered(&c, "eltern"));
    assert_false(config_form_offered(&c, "kinder2"));
    for (const char *l = "de\0en\0tr\0uk\0ru\0"; *l; l += 3) {
        char line[32];
        snprintf(line, sizeof line, "staff_language = %s\n", l);
        assert_int_equal(load(line, &c), KS_OK);
        assert_string_equal(c.staff_language, l);
    }
}

static void test_bad_values(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "site_code = Hamburg Mitte\n", /* a space */
        "site_code = Köln\n",          /* not ASCII */
        "languages = de, Arabic\n",    /* not a code */
        "languages = DE\n",            /* upper case */
        "forms = kinder/../x\n",       /* not an id */
        "pin_min_digits = 3\n",
        "pin_min_digits = 9\n",
        "pin_free_tries = 0\n",
        "pin_lock_s = -1\n",
        "display_sleep = 22:00\n",
        "display_sleep = 25:00-06:00\n",
        "display_sleep = 22:00-22:00\n",
        "display_sleep = 22:00-6\n",
        "usb_eject = umount; reboot\n",
        "usb_eject = a b c d e f g h i\n", /* nine words */
        "usb_eject = \n",
        "staff_language = fr\n", /* no catalog of the kiosk's texts */
        "staff_language = DE\n",
        "staff_language = d\n",
        "staff_language = de en\n",
        "staff_language = \n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        KsConfig c;
        if (load(bad[i], &c) != KS_ERR_PARSE)
            fail_msg("accepted: %s", bad[i]);
    }
}

/* The documented file the package installs as a conffile: every line
 * is a known key with a good value (the log would name any other). */
static void test_shipped_file(void **state)
{
    (void)state;
    KsConfig c;
    config_defaults(&c);
    TestStderr cap;
    assert_true(test_stderr_begin(&cap));
    KsStatus ks = config_load("assets/packaging/kiosk.conf", &c);
    char *logged = test_stderr_end(&cap);
    assert_int_equal(ks, KS_OK);
    assert_non_null(logged);
    if (logged[0])
        fail_msg("kiosk.conf gave a log line: %s", logged);
    free(logged);
    assert_string_equal(c.usb_root, "/media/km2kiosk");
    assert_string_equal(c.usb_eject, "systemd-mount --umount");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test_setup_teardown(test_appliance_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_values, setup, teardown),
        cmocka_unit_test(test_shipped_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
