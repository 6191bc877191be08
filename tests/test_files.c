/* test_files: the shared file and shell helpers of the C suites (see
 * test_files.h). They assert through cmocka; what they write stays in the
 * suite's temporary folder (test_tmp.h), which test_fixture_free removes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "test_files.h"
#include "test_tmp.h"

void *test_fixture_new(size_t size, size_t dir_offset, size_t dir_size, const char *name)
{
    char *f = calloc(1, size);
    assert_non_null(f);
    if (!test_tmp_dir(f + dir_offset, dir_size, name))
        fail_msg("cannot make a temporary folder for %s", name);
    return f;
}

void test_fixture_free(void *f, const char *dir)
{
    if (!test_tmp_remove(dir))
        fail_msg("%s not removed completely", dir);
    free(f);
}

/* The exit status of a system() or pclose() result, -1 for none. */
static int exit_status(int rc)
{
    return rc == -1 || !WIFEXITED(rc) ? -1 : WEXITSTATUS(rc);
}

/* Runs the command printf makes of fmt and ap through sh; its exit status.
 * With out, the first line it prints goes there, without the newline. */
static int shell(char *out, size_t size, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
static int shell(char *out, size_t size, const char *fmt, va_list ap)
{
    char cmd[2048];
    int n = vsnprintf(cmd, sizeof cmd, fmt, ap);
    if (n < 0 || (size_t)n >= sizeof cmd)
        fail_msg("command too long: %.80s...", cmd);
    if (!out)
        return exit_status(system(cmd));
    out[0] = '\0';
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    if (!fgets(out, (int)size, p))
        out[0] = '\0';
    out[strcspn(out, "\n")] = '\0';
    return exit_status(pclose(p));
}

int test_run(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = shell(NULL, 0, fmt, ap);
    va_end(ap);
    return rc;
}

int test_capture(char *out, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = shell(out, size, fmt, ap);
    va_end(ap);
    return rc;
}

bool test_exists(const char *fmt, ...)
{
    char path[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(path, sizeof path, fmt, ap);
    va_end(ap);
    struct stat sb;
    return lstat(path, &sb) == 0;
}

void test_mkdir(mode_t mode, const char *fmt, ...)
{
    char path[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(path, sizeof path, fmt, ap);
    va_end(ap);
    if (mkdir(path, mode) != 0)
        fail_msg("cannot make the folder %s", path);
}

/* Opens path for writing anew, failing the test when it cannot. */
static FILE *create(const char *path)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        fail_msg("cannot write %s", path);
    return f;
}

/* Closes what create() opened, failing the test when the data did not go. */
static void finish(FILE *f, const char *path)
{
    int failed = ferror(f);
    if (fclose(f) != 0 || failed)
        fail_msg("writing %s failed", path);
}

void test_write_text(const char *path, const char *text)
{
    FILE *f = create(path);
    fputs(text, f);
    finish(f, path);
}

void test_write_in(const char *dir, const char *name, const char *text)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    test_write_text(path, text);
}

void test_write_data(const char *path, const void *data, size_t n)
{
    FILE *f = create(path);
    if (n > 0)
        fwrite(data, 1, n, f);
    finish(f, path);
}

void test_write_pattern(const char *path, size_t n, unsigned seed)
{
    FILE *f = create(path);
    for (size_t i = 0; i < n; i++)
        fputc((int)((i * 131 + seed * 7 + (i >> 9)) & 0xff), f);
    finish(f, path);
}

char *test_slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot read %s", path);
    long size = -1;
    if (fseek(f, 0, SEEK_END) == 0)
        size = ftell(f);
    if (size < 0 || fseek(f, 0, SEEK_SET) != 0)
        fail_msg("cannot size %s", path);
    char *buf = malloc((size_t)size + 1);
    assert_non_null(buf);
    if (fread(buf, 1, (size_t)size, f) != (size_t)size)
        fail_msg("short read of %s", path);
    fclose(f);
    buf[size] = '\0';
    if (n)
        *n = (size_t)size;
    return buf;
}
