/* test_files: the file and shell helpers the C suites share — a fixture
 * with its temporary folder, commands run through the shell, folders made
 * and whole files written and read back. Each helper fails the running
 * cmocka test (with the path) where a write or read fails, so a suite
 * checks results, not plumbing. Linked into the suites that include it
 * (Makefile, TEST_FILES_OBJ). */
#ifndef KS_TEST_FILES_H
#define KS_TEST_FILES_H

#include <stddef.h>
#include <stdbool.h>
#include <sys/types.h>

/* A suite's fixture of type T, zeroed, whose member `dir` (a char array)
 * names a temporary folder made for it under $TMPDIR (test_tmp.h) after
 * name; fails the test when either cannot be made. */
#define TEST_FIXTURE_NEW(T, name)                                                                  \
    ((T *)test_fixture_new(sizeof(T), offsetof(T, dir), sizeof(((T *)0)->dir), name))
void *test_fixture_new(size_t size, size_t dir_offset, size_t dir_size, const char *name);

/* Removes the fixture's folder dir with all in it (failing the test when
 * something stays) and frees the fixture f. */
void test_fixture_free(void *f, const char *dir);

/* Runs the command printf makes of fmt through sh; its exit status, -1 when
 * it could not be run or did not exit. */
int test_run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Runs the command like test_run; the first line it prints, without the
 * newline, goes into out ("" when it prints none). */
int test_capture(char *out, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* True when the path printf makes of fmt exists (a dangling link too). */
bool test_exists(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Makes the folder printf makes of fmt with mode. */
void test_mkdir(mode_t mode, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Writes text into the file <dir>/<name> anew. */
void test_write_in(const char *dir, const char *name, const char *text);

/* Writes the file anew: text, n bytes of data, or n bytes of a pattern that
 * depends on seed (not text, no runs: one that compresses badly). */
void test_write_text(const char *path, const char *text);
void test_write_data(const char *path, const void *data, size_t n);
void test_write_pattern(const char *path, size_t n, unsigned seed);

/* The whole file, with a NUL after it, malloc'd (the caller frees it); *n
 * its size when n is not NULL. */
char *test_slurp(const char *path, size_t *n);

#endif
