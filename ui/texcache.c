/* texcache: the slots and the byte budget of the texture caches. */
#include "texcache.h"

#include <stdlib.h>
#include <string.h>

/* Slot i of an array of slots of size bytes: each begins with its TexSlot. */
static TexSlot *texcache_slot(void *slots, size_t size, int i)
{
    return (TexSlot *)((char *)slots + (size_t)i * size);
}

/* Empties slot s of size bytes: its texture destroyed, its key freed. */
static void empty(TexSlot *s, size_t size)
{
    if (s->tex)
        SDL_DestroyTexture(s->tex);
    free(s->key);
    memset(s, 0, size);
}

void texcache_flush(void *slots, int n, size_t size)
{
    for (int i = 0; i < n; i++)
        empty(texcache_slot(slots, size, i), size);
}

void texcache_evict(void *slots, int n, size_t size, size_t max_bytes, unsigned long clock)
{
    for (;;) {
        size_t bytes = 0;
        TexSlot *oldest = NULL;
        for (int i = 0; i < n; i++) {
            TexSlot *s = texcache_slot(slots, size, i);
            if (!s->tex && !s->key)
                continue;
            bytes += s->bytes;
            if (s->used != clock && (!oldest || s->used < oldest->used))
                oldest = s;
        }
        if (bytes <= max_bytes || !oldest)
            return;
        empty(oldest, size);
    }
}

void texcache_drop_older(void *slots, int n, size_t size, unsigned long since)
{
    for (int i = 0; i < n; i++) {
        TexSlot *s = texcache_slot(slots, size, i);
        if ((s->tex || s->key) && s->used < since)
            empty(s, size);
    }
}
