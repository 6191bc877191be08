/* selftest: the start-up checks of the appliance that need no display and
 * no database: the data folder is writable, the disk has room, the fonts
 * are there. (The database's integrity check is store_open's; an empty
 * form catalog is the kiosk's.) Each failure has its own staff message
 * (UIT_FAULT_*) and a journal line naming the path. */
#ifndef KS_SELFTEST_H
#define KS_SELFTEST_H

#include <stddef.h>

#include "../core/config.h"
#include "uitext.h"

typedef struct {
    UiTextId fault;               /* UIT_FAULT_* of the first failure, or UIT_NONE */
    char detail[CONFIG_PATH_MAX]; /* the folder or file it concerns */
} SelfTest;

/* The folder holding db_path: a file can be created, written and removed
 * there (the one test that also holds for root, who ignores permission
 * bits on a read-only mount). Then free space >= min_free_mb. It does not
 * sync the file: that costs a journal commit before the first screen, and
 * whether the disk syncs is what the database's own commits find out. */
void selftest_data(const KsConfig *cfg, const char *db_path, SelfTest *out);

/* Every configured font file can be read. A missing one is replaced in
 * cfg by one that is there (the regular and bold faces by each other or
 * by font_symbols), so the fault screen itself can be drawn; out names
 * the first missing file. Returns false when no font at all is readable. */
bool selftest_fonts(KsConfig *cfg, SelfTest *out);

#endif
