/* paths: where the kiosk's files are when no configuration says so: the
 * assets folder (source tree, beside the binary, or installed) and the
 * default database in the user's data folder. Part of the composition
 * root. */
#include "paths.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"
#include "core/str.h"

#define PATH_LEN 1024

bool paths_is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Whether two paths name the same folder (the shipped forms and the
 * imported ones must not be read twice). */
bool paths_same_dir(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

/* The folder holding assets/: beside the working directory in a source
 * tree, beside the binary's parent (build/km2kiosk), or installed. */
bool paths_find_assets(char *out, size_t size)
{
    char exe[PATH_LEN];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            int len = snprintf(out, size, "%s/../assets", exe);
            if (len > 0 && (size_t)len < size && paths_is_dir(out))
                return true;
        }
    }
    snprintf(out, size, "assets");
    if (paths_is_dir(out))
        return true;
    snprintf(out, size, "/usr/share/km2kiosk/assets");
    return paths_is_dir(out);
}

static int mkdirs(const char *path)
{
    char tmp[PATH_LEN];
    str_copy(tmp, sizeof tmp, path);
    for (char *p = tmp + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(tmp, 0700) != 0 && errno != EEXIST)
                return -1;
            *p = '/';
        }
    }
    return mkdir(tmp, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

/* $XDG_DATA_HOME/km2kiosk/kiosk.db, else ~/.local/share/km2kiosk/kiosk.db. */
bool paths_default_db(char *out, size_t size)
{
    char dir[PATH_LEN];
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    if (xdg && xdg[0] == '/')
        snprintf(dir, sizeof dir, "%s/km2kiosk", xdg);
    else if (home && home[0])
        snprintf(dir, sizeof dir, "%s/.local/share/km2kiosk", home);
    else
        return false;
    if (mkdirs(dir) != 0) {
        LOG_ERROR("cannot create %s: %s", dir, strerror(errno));
        return false;
    }
    int len = snprintf(out, size, "%s/kiosk.db", dir);
    return len > 0 && (size_t)len < size;
}
