/* test_tmp: a C test's temporary folder or file under $TMPDIR (tests/run.sh
 * gives each test an empty one and fails a test that leaves anything there),
 * /tmp without it: the mkdtemp/mkstemp template, a folder or an empty file
 * made from it, and a folder removed with all in it. No cmocka here: a
 * fixture that must clean up after a failure can use it too. */
#ifndef KS_TEST_TMP_H
#define KS_TEST_TMP_H

#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* "<TMPDIR>/<name>_XXXXXX" into buf; false when it does not fit. */
static inline bool test_tmp_template(char *buf, size_t size, const char *name)
{
    const char *dir = getenv("TMPDIR");
    int n = snprintf(buf, size, "%s/%s_XXXXXX", dir && dir[0] ? dir : "/tmp", name);
    return n > 0 && (size_t)n < size;
}

/* Makes the folder "<TMPDIR>/<name>_XXXXXX" and leaves its name in buf;
 * false when it does not fit or cannot be made. */
static inline bool test_tmp_dir(char *buf, size_t size, const char *name)
{
    return test_tmp_template(buf, size, name) && mkdtemp(buf) != NULL;
}

/* Makes an empty file "<TMPDIR>/<name>_XXXXXX<suffix>" and leaves its name
 * in buf; false when it does not fit or cannot be made. */
static inline bool test_tmp_file(char *buf, size_t size, const char *name, const char *suffix)
{
    const char *dir = getenv("TMPDIR");
    int n = snprintf(buf, size, "%s/%s_XXXXXX%s", dir && dir[0] ? dir : "/tmp", name, suffix);
    if (n <= 0 || (size_t)n >= size)
        return false;
    int fd = mkstemps(buf, (int)strlen(suffix));
    return fd >= 0 && close(fd) == 0;
}

/* nftw steps of test_tmp_remove: folders opened up first (a test may have
 * made one read-only), then everything removed from the bottom up. */
static inline int test_tmp_open_entry(const char *path, const struct stat *sb, int flag,
                                      struct FTW *ftw)
{
    (void)ftw;
    if ((flag == FTW_D || flag == FTW_DNR) && (sb->st_mode & 0700) != 0700)
        chmod(path, sb->st_mode | 0700);
    return 0;
}

static inline int test_tmp_remove_entry(const char *path, const struct stat *sb, int flag,
                                        struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path) == 0 ? 0 : -1;
}

/* Removes dir and everything below it (a symbolic link is removed, never
 * followed); false when something stayed. */
static inline bool test_tmp_remove(const char *dir)
{
    nftw(dir, test_tmp_open_entry, 16, FTW_PHYS);
    return nftw(dir, test_tmp_remove_entry, 16, FTW_DEPTH | FTW_PHYS) == 0;
}

#endif
