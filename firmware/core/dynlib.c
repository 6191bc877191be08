/* dynlib: dlopen and dlsym behind one call (see dynlib.h). */
#include "dynlib.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

/* dlsym hands out a function's address as an object pointer (POSIX). */
_Static_assert(sizeof(void (*)(void)) == sizeof(void *), "function and object pointers differ");

bool dynlib_load(const char *soname, const DynlibFn *fns, size_t n, char *why, size_t size)
{
    /* Lazy: the functions looked up below are checked here, the rest of
     * the library's (and its dependencies') calls bind on first use; binding
     * them all at once made loading SDL2_image (libtiff, libstdc++) ~1 ms
     * longer. */
    void *lib = dlopen(soname, RTLD_LAZY | RTLD_LOCAL);
    if (!lib) {
        const char *e = dlerror();
        snprintf(why, size, "%s", e ? e : soname);
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        void *fn = dlsym(lib, fns[i].name);
        if (!fn) {
            snprintf(why, size, "%s has no %s", soname, fns[i].name);
            dlclose(lib);
            return false;
        }
        memcpy(fns[i].slot, &fn, sizeof fn);
    }
    return true; /* never closed: the functions stay in use */
}
