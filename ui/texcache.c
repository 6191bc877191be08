/* texcache: the slots and the pixel budget of the texture caches. */
#include "texcache.h"

#include <string.h>

/* Slot i of an array of slots of size bytes: each begins with its TexSlot. */
static TexSlot *texcache_slot(void *slots, size_t size, int i)
{
    return (TexSlot *)((char *)slots + (size_t)i * size);
}

void texcache_flush(void *slots, int n, size_t size)
{
    for (int i = 0; i < n; i++) {
        TexSlot *s = texcache_slot(slots, size, i);
        if (s->tex)
            SDL_DestroyTexture(s->tex);
        memset(s, 0, size);
    }
}

void texcache_evict(void *slots, int n, size_t size, long max_pixels, unsigned long clock)
{
    for (;;) {
        long pixels = 0;
        TexSlot *oldest = NULL;
        for (int i = 0; i < n; i++) {
            TexSlot *s = texcache_slot(slots, size, i);
            if (!s->tex)
                continue;
            pixels += s->pixels;
            if (s->used != clock && (!oldest || s->used < oldest->used))
                oldest = s;
        }
        if (pixels <= max_pixels || !oldest)
            return;
        SDL_DestroyTexture(oldest->tex);
        memset(oldest, 0, size);
    }
}
