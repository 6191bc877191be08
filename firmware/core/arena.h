/* arena: a bump allocator for things that live and die together (a loaded
 * form, one respondent's session). Freed all at once by arena_destroy. */
#ifndef KS_ARENA_H
#define KS_ARENA_H

#include <stddef.h>

typedef struct Arena Arena;

Arena *arena_create(size_t block_size);
/* Accepts NULL. Frees every allocation made from the arena. */
void arena_destroy(Arena *a);
/* Zeroed memory, aligned for any type; lives until arena_destroy. */
void *arena_alloc(Arena *a, size_t size);
char *arena_strdup(Arena *a, const char *s);
char *arena_strndup(Arena *a, const char *s, size_t n);
#endif
