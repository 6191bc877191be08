/* texcache: what the picture cache (gfx.c) and the text block cache
 * (text.c) share: slots of one texture each, kept within a budget of bytes
 * by dropping the least recently drawn, and emptied of what a new screen
 * no longer draws. The slots are the caches' own structs, each beginning
 * with a TexSlot; what a slot holds and how it is found stay theirs. */
#ifndef KS_TEXCACHE_H
#define KS_TEXCACHE_H

#include <stddef.h>
#include <SDL.h>

typedef struct {
    SDL_Texture *tex;   /* NULL: none (a slot with a key and no texture holds
                           what the cache knows of something it does not keep) */
    size_t bytes;       /* what the texture holds: width x height x 4 */
    unsigned long used; /* the cache's clock when it was last drawn */
    char *key;          /* NULL, or the cache's key for it (owned: freed with the slot) */
} TexSlot;

/* The bytes of a w x h texture of 32-bit pixels. */
static inline size_t texcache_bytes(int w, int h)
{
    return (size_t)(w > 0 ? w : 0) * (size_t)(h > 0 ? h : 0) * 4u;
}

/* Destroys the texture of each of the n slots (of size bytes each), frees
 * their keys and zeroes the slots. The other functions empty a slot the
 * same way. */
void texcache_flush(void *slots, int n, size_t size);

/* While the slots' textures hold more than max_bytes, destroys the least
 * recently drawn one (never one drawn at clock) and zeroes its slot. */
void texcache_evict(void *slots, int n, size_t size, size_t max_bytes, unsigned long clock);

/* Destroys the texture of every slot last drawn before clock `since` and
 * zeroes the slot: what a screen drawn since then does not show. */
void texcache_drop_older(void *slots, int n, size_t size, unsigned long since);

#endif
