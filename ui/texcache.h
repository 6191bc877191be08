/* texcache: what the picture cache (gfx.c) and the text block cache
 * (text.c) share: slots of one texture each, kept within a budget of
 * pixels by dropping the least recently drawn. The slots are the caches'
 * own structs, each beginning with a TexSlot; what a slot holds and how it
 * is found stay theirs. */
#ifndef KS_TEXCACHE_H
#define KS_TEXCACHE_H

#include <stddef.h>
#include <SDL.h>

typedef struct {
    SDL_Texture *tex;   /* NULL: none */
    long pixels;        /* the texture's width times height */
    unsigned long used; /* the cache's clock when it was last drawn */
} TexSlot;

/* Destroys the texture of each of the n slots (of size bytes each) and
 * zeroes the slots. */
void texcache_flush(void *slots, int n, size_t size);

/* While the slots' textures hold more than max_pixels, destroys the least
 * recently drawn one (never one drawn at clock) and zeroes its slot. */
void texcache_evict(void *slots, int n, size_t size, long max_pixels, unsigned long clock);

#endif
