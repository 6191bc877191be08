/* safe_copy: writes a finished batch from the kiosk's own disk to a stick so
 * that a stick holds either a complete, read-back-verified copy or nothing
 * finished: everything goes to <dest_root>/_PARTIAL_<name> first, each file
 * and directory fsync'ed, then one rename, an fsync of the parent, and a
 * byte-for-byte read-back against the source. It knows nothing about bags or
 * the database. No SDL, no SQLite, no libsodium. */
#ifndef KS_SAFE_COPY_H
#define KS_SAFE_COPY_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "../core/ks_status.h"

#define SAFE_COPY_PARTIAL "_PARTIAL_"

/* Every call below reports a failure as a status only; the app turns it
 * into words for staff:
 *   KS_ERR_FULL     the stick is full (ENOSPC, or too little free space up front)
 *   KS_ERR_STATE    the stick is read-only (EROFS, EACCES, EPERM)
 *   KS_ERR_IO       the stick was pulled out or broke mid-way (ENOENT, EIO, …)
 *   KS_ERR_CORRUPT  the read-back differs from the source
 *   KS_ERR_INVALID  a name is not FAT-safe, or the source holds something
 *                   other than files and folders
 *   KS_ERR_LIMIT    a path is too long, or a file too large for FAT
 *   KS_ERR_EXISTS   (safe_copy_dir) <dest_root>/<name> exists already
 * On any failure nothing finished is left under <dest_root>/<name> (a
 * leftover _PARTIAL_ entry is removed by the next safe_copy_clean). */

/* How far a copy is, told from the thread that copies after each chunk
 * written or read back and after each file: reading_back 0 while writing,
 * 1 while comparing the copy with the source; the files and bytes done in
 * that pass so far. Returning false stops the copy at once: it ends as a
 * stick gone mid-way would (KS_ERR_IO, nothing finished left). */
typedef bool SafeCopyTick(void *ctx, int reading_back, int files, uint64_t bytes);

/* Copies the folder src_dir to <dest_root>/<name>/ (dest_root, e.g.
 * "<stick>/KM2KIOSK", is created when missing). KS_ERR_EXISTS when
 * <dest_root>/<name> is there already (it is left as it is). tick (may be
 * NULL) hears how far it is. */
KsStatus safe_copy_dir(const char *src_dir, const char *dest_root, const char *name,
                       SafeCopyTick *tick, void *ctx);

/* The same for one regular file, to <dest_root>/<name>; an existing file of
 * that name is replaced (atomically, by the rename). */
KsStatus safe_copy_file(const char *src_file, const char *dest_root, const char *name,
                        SafeCopyTick *tick, void *ctx);

/* Removes <dest_root>/<name> (file or folder) by renaming it to a
 * _PARTIAL_ name first, so an interruption leaves only a leftover to clean.
 * KS_OK when it is not there. */
KsStatus safe_copy_discard(const char *dest_root, const char *name);

/* Removes every _PARTIAL_* entry in dest_root (leftovers of an interrupted
 * copy). KS_OK when dest_root does not exist; KS_ERR_IO when a leftover
 * could not be removed (logged). */
KsStatus safe_copy_clean(const char *dest_root);

/* Fault injection for tests: from now on the n-th mutating step (open for
 * writing, write, fsync, mkdir, rename, unlink/rmdir) fails with errno err
 * (n >= 1; 0 turns it off; err 0 means EIO). Counts across all calls. */
void safe_copy_fault_fail_nth(int n, int err);
/* Mutating steps seen since the last arming. */
int safe_copy_fault_count(void);
/* A slow stick for tests: from now on every file opened on the stick, to
 * write it or to read it back, waits ms first (0 turns it off). Set it
 * before a copy starts. */
void safe_copy_fault_delay_ms(int ms);

#endif
