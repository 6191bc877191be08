/* usb: the mount table reader, free space and safe eject. It never writes to
 * the stick itself and never decides what to export. */
#include "usb.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../core/log.h"
#include "../core/str.h"

extern char **environ;

/* Decodes the octal escapes the kernel writes for blanks and backslashes
 * (\040, \011, \012, \134) in place. */
static void usb_unescape(char *s)
{
    char *w = s;
    for (const char *r = s; *r; r++) {
        if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' &&
            r[3] >= '0' && r[3] <= '7') {
            *w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0'));
            r += 3;
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
}

static bool usb_has_option(const char *opts, const char *opt)
{
    size_t n = strlen(opt);
    for (const char *p = opts; p && *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len == n && strncmp(p, opt, n) == 0)
            return true;
        p = comma ? comma + 1 : NULL;
    }
    return false;
}

/* True when mnt lies strictly below root ("/media/x" below "/media"). */
static bool usb_below(const char *mnt, const char *root)
{
    size_t n = strlen(root);
    while (n > 1 && root[n - 1] == '/')
        n--;
    if (n == 1 && root[0] == '/')
        return mnt[0] == '/' && mnt[1] != '\0';
    return strncmp(mnt, root, n) == 0 && mnt[n] == '/' && mnt[n + 1] != '\0';
}

KsStatus usb_refresh(UsbStick *stick)
{
    struct statvfs vfs;
    if (statvfs(stick->mount, &vfs) != 0) {
        LOG_WARN("statvfs %s: %s", stick->mount, strerror(errno));
        stick->free_bytes = stick->total_bytes = 0;
        return KS_ERR_NOT_FOUND;
    }
    stick->free_bytes = (uint64_t)vfs.f_bavail * vfs.f_frsize;
    stick->total_bytes = (uint64_t)vfs.f_blocks * vfs.f_frsize;
    if (vfs.f_flag & ST_RDONLY)
        stick->read_only = true;
    return KS_OK;
}

/* Walks the table; with out, stops at the first match. Returns the number
 * of matches seen, -1 when the table cannot be read. */
static int usb_scan(const char *mounts_path, const char *root, UsbStick *out)
{
    FILE *f = fopen(mounts_path ? mounts_path : "/proc/self/mounts", "r");
    if (!f) {
        LOG_ERROR("cannot read the mount table %s: %s",
                  mounts_path ? mounts_path : "/proc/self/mounts", strerror(errno));
        return -1;
    }
    char line[2048];
    int found = 0;
    while (fgets(line, sizeof line, f)) {
        char dev[256], mnt[USB_PATH_MAX], type[32], opts[512];
        /* Field widths keep sscanf inside the buffers; a longer field
         * makes the line unusable, which is fine for a stick. */
        if (sscanf(line, "%255s %511s %31s %511s", dev, mnt, type, opts) != 4)
            continue;
        usb_unescape(dev);
        usb_unescape(mnt);
        if (!usb_below(mnt, root))
            continue;
        found++;
        if (out) {
            memset(out, 0, sizeof *out);
            str_copy(out->mount, sizeof out->mount, mnt);
            str_copy(out->device, sizeof out->device, dev);
            str_copy(out->fstype, sizeof out->fstype, type);
            out->read_only = usb_has_option(opts, "ro");
            break;
        }
    }
    fclose(f);
    return found;
}

KsStatus usb_find(const char *mounts_path, const char *root, UsbStick *out)
{
    memset(out, 0, sizeof *out);
    int n = usb_scan(mounts_path, root, out);
    if (n < 0)
        return KS_ERR_IO;
    if (n == 0)
        return KS_ERR_NOT_FOUND;
    (void)usb_refresh(out);
    return KS_OK;
}

int usb_count(const char *mounts_path, const char *root)
{
    int n = usb_scan(mounts_path, root, NULL);
    return n < 0 ? 0 : n;
}

static const char *const USB_EJECT_NAMES[] = {"ejected", "synced", "gone"};
_Static_assert(STR_COUNT(USB_EJECT_NAMES) == USB_EJECT_GONE + 1, "a name for every outcome");

const char *usb_eject_outcome_name(UsbEjectOutcome o)
{
    return str_name_of(USB_EJECT_NAMES, STR_COUNT(USB_EJECT_NAMES), (int)o, "gone");
}

UsbEjectOutcome usb_eject(const UsbStick *stick, const char *helper)
{
    int fd = open(stick->mount, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || syncfs(fd) != 0) {
        LOG_ERROR("sync of %s: %s", stick->mount, strerror(errno));
        if (fd >= 0)
            close(fd);
        return USB_EJECT_GONE;
    }
    close(fd);
    /* The helper's words, then the mount point. */
    char words[512];
    str_copy(words, sizeof words, helper && helper[0] ? helper : "umount");
    char *argv[USB_EJECT_WORDS + 2];
    int argc = 0;
    char *save = NULL;
    for (char *w = strtok_r(words, " ", &save); w && argc < USB_EJECT_WORDS;
         w = strtok_r(NULL, " ", &save))
        argv[argc++] = w;
    if (argc == 0)
        argv[argc++] = "umount";
    argv[argc++] = (char *)stick->mount;
    argv[argc] = NULL;
    const char *cmd = argv[0];
    pid_t pid;
    int rc = posix_spawnp(&pid, cmd, NULL, NULL, argv, environ);
    int wst = 0;
    if (rc == 0 && waitpid(pid, &wst, 0) == pid && WIFEXITED(wst) && WEXITSTATUS(wst) == 0)
        return USB_EJECTED;
    /* Unmounting needs rights a kiosk user often lacks; after syncfs every
     * byte is on the stick, so pulling it is safe all the same. */
    LOG_WARN("%s %s did not succeed; the stick was synced only", cmd, stick->mount);
    return USB_EJECT_SYNCED;
}

bool usb_name_is_fat_safe(const char *name)
{
    return str_is_fat_safe(name);
}
