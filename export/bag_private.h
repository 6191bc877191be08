/* bag_private: what bag.c (writing), bag_check.c (the receiver's check)
 * and bag_facts.c (bag-info.txt as facts) share: the bag's file names and
 * size limits, and three small helpers. Not for use outside export/bag*. */
#ifndef KS_BAG_PRIVATE_H
#define KS_BAG_PRIVATE_H

#include <stddef.h>
#include <stdbool.h>

#define BAG_TAGMANIFEST "tagmanifest-sha256.txt"
#define BAG_SIGNATURE BAG_TAGMANIFEST ".minisig"
#define BAG_MANIFEST "manifest-sha256.txt"
#define BAG_TAG_MAX (1u << 20)
#define BAG_MANIFEST_MAX (64u << 20)
#define BAG_SIG_MAX 4096
#define BAG_BAGIT_MAX 4096
#define BAG_INFO_MAX (64u << 10)
#define BAG_INFO_LABEL_MAX 128
#define BAG_SHOW_MAX 160 /* a path as a message shows it */
#define BAG_WHY_MAX 256

/* "dir/name", allocated (xmalloc); the caller frees it. */
char *bag_path(const char *dir, const char *name);

/* Writes the first problem (a German sentence for office staff) into why;
 * does nothing when why is NULL or size 0. */
void bag_why(char *why, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Strict UTF-8: no overlong forms, no surrogates, nothing past U+10FFFF. */
bool bag_utf8_valid(const unsigned char *s, size_t n);

#endif
