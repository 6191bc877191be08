/* arena: linked blocks; big requests get a block of their own. */
#include "arena.h"

#include <stdint.h>
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"

typedef struct Block {
    struct Block *next;
    size_t size, used;
    alignas(max_align_t) unsigned char data[];
} Block;

struct Arena {
    Block *head;
    size_t block_size;
};

static Block *block_new(size_t size)
{
    Block *b = xmalloc(sizeof *b + size);
    b->next = NULL;
    b->size = size;
    b->used = 0;
    return b;
}

Arena *arena_create(size_t block_size)
{
    Arena *a = xcalloc(1, sizeof *a);
    a->block_size = block_size ? block_size : 16384;
    a->head = block_new(a->block_size);
    return a;
}

void arena_destroy(Arena *a)
{
    if (!a)
        return;
    for (Block *b = a->head; b;) {
        Block *n = b->next;
        free(b);
        b = n;
    }
    free(a);
}

void *arena_alloc(Arena *a, size_t size)
{
    const size_t align = alignof(max_align_t);
    size = (size + align - 1) & ~(align - 1);
    if (size == 0)
        size = align;
    Block *b = a->head;
    if (b->size - b->used < size) {
        size_t want = size > a->block_size ? size : a->block_size;
        Block *nb = block_new(want);
        nb->next = a->head;
        a->head = nb;
        b = nb;
    }
    void *p = b->data + b->used;
    b->used += size;
    memset(p, 0, size);
    return p;
}

char *arena_strndup(Arena *a, const char *s, size_t n)
{
    char *d = arena_alloc(a, n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *arena_strdup(Arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}
