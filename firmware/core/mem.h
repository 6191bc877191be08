/* mem: allocation that never returns NULL. Running out of memory on a kiosk
 * is not a field failure we can recover from, so these log and abort. */
#ifndef KS_MEM_H
#define KS_MEM_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* For a long-running process with a few threads and big short-lived
 * buffers (pictures, text blocks, sound): every thread allocates from the
 * one main heap, and blocks of 64 kB or more get mappings of their own, so
 * what is freed goes back to the system instead of staying resident in a
 * heap or in a second thread's arena. Call once, before any thread starts.
 * A no-op where the C library has no such settings. */
void mem_tune_long_running(void);

/* Hands the free pages of the heap back to the system: for after a burst
 * of allocation and freeing (a new screen drawn). */
void mem_release_free(void);

#endif
