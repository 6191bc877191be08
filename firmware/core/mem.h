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

/* Zeroed memory for a large, long-lived object most of which stays unused
 * until a mode needs it (the workshop's cards, staff mode's pages): taken
 * from the kernel, so a page costs nothing until it is written. calloc
 * may serve such a block from the heap, which it then clears, touching
 * every page. Free with xfree_pages and the same size. */
void *xcalloc_pages(size_t size);
void xfree_pages(void *p, size_t size); /* accepts NULL */

/* Hands the free pages of every malloc arena back to the system (glibc's
 * malloc_trim; a no-op elsewhere): for after a burst of allocation and
 * freeing, such as a new screen drawn. glibc's own settings stay as they
 * are: one arena for all threads or own mappings for every large block
 * made each new page and the start slower for half a megabyte less. */
void mem_release_free(void);

#endif
