/* dynlib: a shared library loaded when it is first needed (dlopen) instead
 * of linked, its functions looked up into a table of function pointers:
 * for the libraries most starts never use (espeak-ng, libzip), which then
 * cost the start neither their mapping nor their relocations. A library
 * loaded stays for the process. The Debian package names such a library
 * in Depends: by hand (dpkg-shlibdeps sees only linked ones). */
#ifndef KS_DYNLIB_H
#define KS_DYNLIB_H

#include <stddef.h>
#include <stdbool.h>

/* One function to look up: its symbol and where its address goes (the
 * address of a function pointer of the function's own type). */
typedef struct {
    const char *name;
    void *slot;
} DynlibFn;

/* A DynlibFn for field `field` of table `t`, a function pointer declared
 * as __typeof__(sym) *, so its type is the one of the library's header. */
#define DYNLIB_FN(t, field, sym)                                                                   \
    {                                                                                              \
#sym, &(t).field                                                                           \
    }

/* Loads the library by its soname and fills every slot of fns. False, with
 * why (dlerror's text) in why, when the library or one of the functions
 * is missing: the slots are then not to be called. Not thread-safe: call
 * it once, under the caller's pthread_once or lock. */
bool dynlib_load(const char *soname, const DynlibFn *fns, size_t n, char *why, size_t size);

#endif
