/* paths: the kiosk's default places (see paths.c). */
#ifndef KS_PATHS_H
#define KS_PATHS_H

#include <stddef.h>
#include <stdbool.h>

/* Whether p is a folder. */
bool paths_is_dir(const char *p);

/* Whether two paths name the same folder (the shipped forms and the
 * imported ones must not be read twice). */
bool paths_same_dir(const char *a, const char *b);

/* The folder holding the assets: ../assets beside the binary (build/km2kiosk
 * in a source tree), ./assets, or /usr/share/km2kiosk/assets. False when
 * none exists (out then names the last one tried). */
bool paths_find_assets(char *out, size_t size);

/* $XDG_DATA_HOME/km2kiosk/kiosk.db, else ~/.local/share/km2kiosk/kiosk.db;
 * creates the folder (mode 0700). False (logged) when neither variable
 * helps or the folder cannot be made. */
bool paths_default_db(char *out, size_t size);

#endif
