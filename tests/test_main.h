/* test_main: what a cmocka suite's main shares — a quiet log, and the run
 * of a suite whose tests all share one fixture, where the list names each
 * test once (cmocka_unit_test) and the fixture is given once for all of
 * them. Header only; include it after cmocka.h. */
#ifndef KS_TEST_MAIN_H
#define KS_TEST_MAIN_H

#include <stdio.h>
#include <stdlib.h>

#include "../firmware/core/log.h"

/* Silences the log (a suite provokes logged errors on purpose) unless
 * KS_LOG asks for it. */
static inline void test_quiet_log(void)
{
    if (!getenv("KS_LOG"))
        log_set_level((LogLevel)(LOG_LEVEL_ERROR + 1));
}

/* Runs the n tests as cmocka's group "tests", each inside setup and
 * teardown (cmocka_run_group_tests otherwise); main's status: the number
 * of tests that failed. */
static inline int test_run_each_with(const struct CMUnitTest *tests, size_t n,
                                     CMFixtureFunction setup, CMFixtureFunction teardown)
{
    struct CMUnitTest *all = malloc(n * sizeof *all);
    if (!all) {
        fprintf(stderr, "test_run_each: out of memory\n");
        return 1;
    }
    for (size_t i = 0; i < n; i++) {
        all[i] = tests[i];
        all[i].setup_func = setup;
        all[i].teardown_func = teardown;
    }
    int failed = _cmocka_run_group_tests("tests", all, n, NULL, NULL);
    free(all);
    return failed;
}

/* test_run_each_with over a whole array of tests. */
#define test_run_each(tests, setup, teardown)                                                      \
    test_run_each_with(tests, sizeof(tests) / sizeof((tests)[0]), setup, teardown)

#endif
