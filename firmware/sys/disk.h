/* disk: how much room the file system holding a path has left (for the
 * staff overview). Reads only; knows nothing of what is stored there. */
#ifndef KS_DISK_H
#define KS_DISK_H

#include <stdint.h>

#include "../core/ks_status.h"

/* Bytes free for an unprivileged writer, and the size, of the file system
 * holding `path` (a file or folder; a file that does not exist yet is looked
 * up through its folder). KS_ERR_IO when statvfs fails. */
KsStatus disk_space(const char *path, uint64_t *free_bytes, uint64_t *total_bytes);

#endif
