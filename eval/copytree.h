/* copytree: copies a received bag folder into the archive durably — every
 * file and folder fsync'ed, regular files and folders only (a symlink or
 * device is refused, never followed), the copy left read-only — and removes
 * a half-made copy. Knows nothing about what a bag means. */
#ifndef KM2EVAL_COPYTREE_H
#define KM2EVAL_COPYTREE_H

#include <stddef.h>
#include <stdint.h>

#include "../firmware/core/ks_status.h"

/* Copies the folder src to dst (which must not exist), recursively. Files
 * larger than max_file bytes (0: no limit) are left out and counted in
 * *skipped (may be NULL). Folders end up mode 0555, files 0444. On failure
 * dst is removed again. KS_ERR_INVALID for a symlink or special file,
 * KS_ERR_FULL when the disk is full, KS_ERR_IO for a read or write error
 * (a stick pulled out mid-copy). */
KsStatus copytree_copy(const char *src, const char *dst, uint64_t max_file, int *skipped);

/* Removes a folder tree (making read-only folders writable first). Missing
 * is fine. */
KsStatus copytree_remove(const char *path);

/* Test hook: the n-th read of file data after this call fails with EIO, as
 * if the stick had been pulled (0: off). */
void copytree_fail_nth_read(int n);

#endif
