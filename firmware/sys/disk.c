/* disk: statvfs of the folder that holds a path. */
#include "disk.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <string.h>
#include <sys/statvfs.h>

#include "../core/log.h"
#include "../core/str.h"

KsStatus disk_space(const char *path, uint64_t *free_bytes, uint64_t *total_bytes)
{
    struct statvfs vfs;
    *free_bytes = *total_bytes = 0;
    if (statvfs(path, &vfs) != 0) {
        /* The database file may not exist yet: its folder tells the same. */
        char dir[PATH_MAX];
        str_copy(dir, sizeof dir, path);
        if (statvfs(dirname(dir), &vfs) != 0) {
            LOG_WARN("statvfs %s: %s", path, strerror(errno));
            return KS_ERR_IO;
        }
    }
    *free_bytes = (uint64_t)vfs.f_bavail * vfs.f_frsize;
    *total_bytes = (uint64_t)vfs.f_blocks * vfs.f_frsize;
    return KS_OK;
}
