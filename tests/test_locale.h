/* test_locale: the UI texts `make` compiles into $KS_BUILD/locale (default
 * build/locale), for the suites that show or check them; they run from the
 * repository root. Header only. */
#ifndef KS_TEST_LOCALE_H
#define KS_TEST_LOCALE_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "../firmware/app/uitext.h"

/* The folder of the UI texts into buf; returns buf. */
static inline const char *test_locale_dir(char *buf, size_t size)
{
    const char *build = getenv("KS_BUILD");
    snprintf(buf, size, "%s/locale", build && build[0] ? build : "build");
    return buf;
}

/* Binds the UI texts (uitext_init); false when they are not there. */
static inline bool test_ui_texts(void)
{
    char locale[256];
    return uitext_init(test_locale_dir(locale, sizeof locale)) == KS_OK;
}

#endif
