/* selftest: start-up checks of the data folder, the disk and the fonts (see
 * selftest.h). Plain POSIX calls; the composition root (main.c) runs them
 * before the display opens and hands the first failure to the kiosk. */
#include "selftest.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../core/log.h"
#include "../core/str.h"
#include "../sys/disk.h"

static void fail(SelfTest *out, UiTextId fault, const char *detail)
{
    if (out->fault != UIT_NONE)
        return; /* the first failure is the one shown */
    out->fault = fault;
    str_copy(out->detail, sizeof out->detail, detail);
}

void selftest_data(const KsConfig *cfg, const char *db_path, SelfTest *out)
{
    char dir[CONFIG_PATH_MAX], probe[CONFIG_PATH_MAX + 48];
    const char *slash = strrchr(db_path, '/');
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - db_path) : 1,
             slash ? (slash == db_path ? "/" : db_path) : ".");
    snprintf(probe, sizeof probe, "%s/.km2kiosk-selftest-%ld", dir, (long)getpid());
    int fd = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    bool ok = fd >= 0 && write(fd, "k", 1) == 1;
    int err = errno;
    if (fd >= 0) {
        close(fd);
        if (unlink(probe) != 0)
            ok = false;
    }
    if (!ok) {
        LOG_ERROR("self-test: the data folder %s is not writable (%s): no answers can be stored",
                  dir, strerror(err));
        fail(out, UIT_FAULT_DATA_DIR, dir);
        return;
    }
    uint64_t free_b = 0, total = 0;
    if (disk_space(dir, &free_b, &total) == KS_OK &&
        free_b < (uint64_t)cfg->min_free_mb * 1024 * 1024) {
        LOG_ERROR("self-test: %llu MB free in %s, less than min_free_mb %d: no new session",
                  (unsigned long long)(free_b / (1024 * 1024)), dir, cfg->min_free_mb);
        fail(out, UIT_FAULT_DISK_FULL, dir);
    }
}

static bool readable(const char *path)
{
    return path[0] && access(path, R_OK) == 0;
}

bool selftest_fonts(KsConfig *cfg, SelfTest *out)
{
    char *faces[] = {cfg->font_regular, cfg->font_bold, cfg->font_arabic, cfg->font_arabic_bold,
                     cfg->font_symbols};
    const char *any = NULL;
    for (size_t i = 0; i < sizeof faces / sizeof faces[0]; i++) {
        if (readable(faces[i])) {
            if (!any)
                any = faces[i];
            continue;
        }
        LOG_ERROR("self-test: font %s cannot be read (%s)", faces[i][0] ? faces[i] : "(none)",
                  strerror(errno));
        fail(out, UIT_FAULT_FONTS, faces[i]);
    }
    if (!any) {
        LOG_ERROR("self-test: no font at all can be read: nothing can be shown");
        return false;
    }
    /* The regular and bold faces must open (the Arabic ones and the last
     * resort may be missing): give them a face that is there. */
    char keep[CONFIG_PATH_MAX];
    str_copy(keep, sizeof keep, any);
    for (int i = 0; i < 2; i++)
        if (!readable(faces[i]))
            str_copy(faces[i], CONFIG_PATH_MAX, keep);
    return true;
}
