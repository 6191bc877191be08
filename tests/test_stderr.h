/* test_stderr: what a piece of code writes to stderr (the log's lines),
 * caught in a file under $TMPDIR (test_tmp.h) and handed back as text, for
 * a test that checks what was logged. What was caught is written to the
 * real stderr again, so the test's output still shows it. */
#ifndef KS_TEST_STDERR_H
#define KS_TEST_STDERR_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "test_tmp.h"

typedef struct {
    int saved;      /* the real stderr */
    char path[256]; /* the file that catches it */
} TestStderr;

/* From now on stderr goes to a file; false when it could not be made. */
static inline bool test_stderr_begin(TestStderr *c)
{
    if (!test_tmp_template(c->path, sizeof c->path, "ks_stderr"))
        return false;
    int fd = mkstemp(c->path);
    if (fd < 0)
        return false;
    fflush(stderr);
    c->saved = dup(STDERR_FILENO);
    bool ok = c->saved >= 0 && dup2(fd, STDERR_FILENO) >= 0;
    close(fd);
    if (!ok) {
        if (c->saved >= 0)
            close(c->saved);
        unlink(c->path);
    }
    return ok;
}

/* stderr back where it was. Returns what was written meanwhile, a string
 * the caller frees (NULL when it cannot be read); the file is removed. */
static inline char *test_stderr_end(TestStderr *c)
{
    fflush(stderr);
    dup2(c->saved, STDERR_FILENO);
    close(c->saved);
    char *text = NULL;
    FILE *f = fopen(c->path, "rb");
    if (f && fseek(f, 0, SEEK_END) == 0) {
        long n = ftell(f);
        rewind(f);
        text = n >= 0 ? malloc((size_t)n + 1) : NULL;
        if (text)
            text[fread(text, 1, (size_t)n, f)] = '\0';
    }
    if (f)
        fclose(f);
    unlink(c->path);
    if (text)
        fputs(text, stderr);
    return text;
}

#endif
