/* usb: notices a USB stick by reading the mount table (mounts below a
 * configurable root such as /media), reports where it is mounted, its free
 * space and whether it is read-only, and ejects it safely (sync, then
 * umount through a helper command). It writes no files; copying a batch is
 * safe_copy's job. No SDL, no SQLite. */
#ifndef KS_USB_H
#define KS_USB_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "../core/ks_status.h"

#define USB_PATH_MAX 512

typedef struct {
    char mount[USB_PATH_MAX]; /* mount point, e.g. "/media/kiosk/STICK" */
    char device[256];         /* e.g. "/dev/sda1" */
    char fstype[32];          /* e.g. "vfat" */
    bool read_only;           /* mounted "ro" or statvfs says ST_RDONLY */
    uint64_t free_bytes;      /* available to us (statvfs f_bavail * f_frsize); 0 if unknown */
    uint64_t total_bytes;
} UsbStick;

/* Looks for the first mount strictly below root (e.g. "/media") in the
 * mount table at mounts_path (NULL: "/proc/self/mounts"; tests pass a
 * fixture file). Escapes in the table (\040 for a space) are decoded.
 * Fills *out and returns KS_OK; KS_ERR_NOT_FOUND when no stick is mounted;
 * KS_ERR_IO when the table cannot be read. Free space is taken with
 * statvfs; a mount point that cannot be queried keeps free_bytes 0. */
KsStatus usb_find(const char *mounts_path, const char *root, UsbStick *out);

/* How many mounts lie below root (0 when the table cannot be read). */
int usb_count(const char *mounts_path, const char *root);

/* Fills free/total/read_only of *stick again from statvfs. KS_ERR_NOT_FOUND
 * when the mount point is gone. */
KsStatus usb_refresh(UsbStick *stick);

/* Words a helper command may have. */
#define USB_EJECT_WORDS 8

/* What became of a safe eject. */
typedef enum {
    USB_EJECTED,      /* synced and unmounted: it can be pulled out */
    USB_EJECT_SYNCED, /* synced only (unmounting was not permitted): it can be pulled out */
    USB_EJECT_GONE,   /* not even the sync worked: pulled out already, or broken */
} UsbEjectOutcome;

/* Safe eject: syncs the stick's file system, then runs `helper MOUNT`
 * (helper NULL: "umount"; a helper of several words, split at spaces, such
 * as "systemd-mount --umount", gets the mount point as its last argument).
 * When unmounting is not permitted the sync alone is enough to pull the
 * stick (USB_EJECT_SYNCED). The app words the outcome for staff. */
UsbEjectOutcome usb_eject(const UsbStick *stick, const char *helper);

/* "ejected", "synced", "gone": the outcome for logs. */
const char *usb_eject_outcome_name(UsbEjectOutcome o);

/* True when name is a usable file name on a FAT stick: not empty, at most
 * 200 bytes, no control characters, none of  : * ? " < > | \ /, and not
 * ending in a dot or a space. */
bool usb_name_is_fat_safe(const char *name);

#endif
