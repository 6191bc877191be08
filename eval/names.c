/* names: a set of distinct strings (see names.h). */
#include "names.h"

#include <stdlib.h>
#include <string.h>

#include "../firmware/core/mem.h"

bool names_has(const Names *l, const char *s)
{
    for (int i = 0; i < l->n; i++)
        if (strcmp(l->v[i], s) == 0)
            return true;
    return false;
}

void names_add(Names *l, const char *s)
{
    if (names_has(l, s))
        return;
    l->v = xrealloc(l->v, (size_t)(l->n + 1) * sizeof *l->v);
    l->v[l->n++] = xstrdup(s);
}

void names_free(Names *l)
{
    for (int i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}
