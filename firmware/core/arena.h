/* arena: a bump allocator for things that live and die together (a loaded
 * form, one respondent's session). Freed all at once by arena_reset/destroy. */
#ifndef KS_ARENA_H
#define KS_ARENA_H

#include <stddef.h>

typedef struct Arena Arena;

Arena *arena_create(size_t block_size);
/* Accepts NULL. Frees every allocation made from the arena. */
void arena_destroy(Arena *a);
/* Forgets every allocation but keeps the first block for reuse. */
void arena_reset(Arena *a);
/* Zeroed memory, aligned for any type; lives until reset/destroy. */
void *arena_alloc(Arena *a, size_t size);
char *arena_strdup(Arena *a, const char *s);
char *arena_strndup(Arena *a, const char *s, size_t n);
/* Bytes handed out since the last reset (for tests and benchmarks). */
size_t arena_used(const Arena *a);

#endif
