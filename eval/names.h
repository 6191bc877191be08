/* names: a set of distinct strings in the order they came, each a copy the
 * set owns; km2eval's status and schema merge keep their batch ids and
 * versions in it. A zeroed Names is an empty set. */
#ifndef KM2EVAL_NAMES_H
#define KM2EVAL_NAMES_H

#include <stdbool.h>

typedef struct {
    char **v;
    int n;
} Names;

bool names_has(const Names *l, const char *s);
/* Adds a copy of s unless the set holds it already. */
void names_add(Names *l, const char *s);
/* Frees the strings and the array; the set is empty again. */
void names_free(Names *l);

#endif
