/* config: kiosk.conf parsed into an immutable struct. The file is plain
 * `key = value` lines with `#` comments; unknown keys are warned about and
 * ignored, bad values are errors naming the line. Defaults need no file. */
#ifndef KS_CONFIG_H
#define KS_CONFIG_H

#include <stdbool.h>

#include "ks_status.h"

#define CONFIG_PATH_MAX 512

typedef struct {
    char kiosk_id[64];           /* kiosk_id: names this device in exports */
    int idle_timeout_s;          /* idle_timeout: seconds without a touch before "still there?" */
    int idle_prompt_s;           /* idle_prompt: seconds the prompt counts down */
    int thanks_s;                /* thanks_time: seconds the thank-you screen stays */
    double panel_w_mm;           /* panel_width_mm: visible width of the panel */
    double panel_h_mm;           /* panel_height_mm */
    char font_regular[CONFIG_PATH_MAX]; /* font_regular: path of the text font */
    char font_bold[CONFIG_PATH_MAX];    /* font_bold */
    char assets_dir[CONFIG_PATH_MAX];   /* assets_dir: icons and pictures */
} KsConfig;

/* Fills cfg with the built-in defaults (7" 800x480 panel, 60 s idle). */
void config_defaults(KsConfig *cfg);

/* Reads path over the current contents of cfg (call config_defaults first).
 * KS_ERR_NOT_FOUND when the file cannot be opened; KS_ERR_PARSE with a log
 * line naming file and line when a value is malformed or out of range. */
KsStatus config_load(const char *path, KsConfig *cfg);

#endif
