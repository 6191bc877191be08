/* piccache: pictures kept as they were rasterised, one file each in a
 * folder beside the database, so that a start after a power cut or a
 * watchdog restart shows its pictures without reading them again (a
 * process with SDL2_image and the JPEG, TIFF and WebP libraries and
 * libstdc++ it brings, picdecode) or rasterising an SVG again. A file holds the pixels of one
 * picture at one size and names the source it was made from: the source's path, size, change time
 * and inode, and the kiosk's version. Anything that differs, or a file cut short by a power cut, is
 * a miss, and the picture is read from its source again. A drawing made of several files (the
 * welcome page's text, from the fonts) is kept under a key that names them as they are. Safe on any
 * thread once piccache_set_dir has run. */
#ifndef KS_PICCACHE_H
#define KS_PICCACHE_H

#include <stddef.h>
#include <stdint.h>
#include <SDL.h>

/* What the kiosk lets the folder hold. */
#define PICCACHE_META 6 /* numbers a keyed drawing keeps with its pixels */
#define PICCACHE_BYTES_MAX ((size_t)48 * 1024 * 1024)

/* Where the files are kept (made on the first write), the most they may
 * take together (the oldest files go first beyond it), and the room that
 * must stay free on the disk after a write (the answers' room is never
 * taken for pictures); NULL or "" keeps nothing. Call before any picture
 * is read. */
void piccache_set_dir(const char *dir, size_t max_bytes, uint64_t keep_free);

/* The picture made from path for a w x h box, as piccache_put stored it;
 * NULL when there is none that matches the source as it is now. */
SDL_Surface *piccache_get(const char *path, int w, int h);

/* Keeps s, made from path for a w x h box (s fits in it). Written to a new file that then
 * replaces the old one, so a reader never sees half a file. Pictures with
 * a palette are not kept. Failures only cost the next start the time. */
void piccache_put(const char *path, int w, int h, const SDL_Surface *s);

/* A drawing kept under key for a w x h box, with the PICCACHE_META
 * numbers its drawer kept with it (into meta); NULL when there is none.
 * The key alone names what it was made from: whoever keeps a drawing puts
 * the identity of its files (paths, sizes, times, inodes) in the key. */
SDL_Surface *piccache_get_keyed(const char *key, int w, int h, int32_t meta[PICCACHE_META]);

/* Keeps s under key, as piccache_put keeps a picture, with meta. */
void piccache_put_keyed(const char *key, int w, int h, const SDL_Surface *s,
                        const int32_t meta[PICCACHE_META]);

#endif
