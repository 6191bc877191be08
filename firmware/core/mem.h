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

#endif
