/* test_tmp: the mkdtemp/mkstemp template of a C test's temporary folder or
 * file, under $TMPDIR (tests/run.sh gives each test an empty one and fails
 * a test that leaves anything there), /tmp without it. */
#ifndef KS_TEST_TMP_H
#define KS_TEST_TMP_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

/* "<TMPDIR>/<name>_XXXXXX" into buf; false when it does not fit. */
static inline bool test_tmp_template(char *buf, size_t size, const char *name)
{
    const char *dir = getenv("TMPDIR");
    int n = snprintf(buf, size, "%s/%s_XXXXXX", dir && dir[0] ? dir : "/tmp", name);
    return n > 0 && (size_t)n < size;
}

#endif
