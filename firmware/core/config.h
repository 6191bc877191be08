/* config: kiosk.conf parsed into an immutable struct. The file is plain
 * `key = value` lines with `#` comments; unknown keys are warned about and
 * ignored, bad values are errors naming the line. Defaults need no file. */
#ifndef KS_CONFIG_H
#define KS_CONFIG_H

#include <stdbool.h>

#include "ks_status.h"

#define CONFIG_PATH_MAX 512

typedef struct {
    char kiosk_id[64];  /* kiosk_id: names this device in exports */
    char site_code[32]; /* site_code: the km2 network (site) the kiosk serves, in
                         * every export; "" = not set */
    char forms[256];    /* forms: ids of the shipped forms this kiosk offers, space
                         * separated; "" = all (imported forms are always offered) */
    char languages[64]; /* languages: the survey languages offered, space separated
                         * (shown in the form's order); "" = all of a form's */
    int idle_timeout_s; /* idle_timeout: seconds without a touch before "still there?" */
    int idle_prompt_s;  /* idle_prompt: seconds the prompt counts down */
    int thanks_s;       /* thanks_time: seconds the thank-you screen stays */
    double panel_w_mm;  /* panel_width_mm: visible width of the panel */
    double panel_h_mm;  /* panel_height_mm */
    char font_regular[CONFIG_PATH_MAX];     /* font_regular: path of the text font */
    char font_bold[CONFIG_PATH_MAX];        /* font_bold */
    char font_arabic[CONFIG_PATH_MAX];      /* font_arabic: Arabic script runs */
    char font_arabic_bold[CONFIG_PATH_MAX]; /* font_arabic_bold */
    char font_symbols[CONFIG_PATH_MAX];     /* font_symbols: last resort for any glyph */
    char assets_dir[CONFIG_PATH_MAX];       /* assets_dir: icons and pictures */
    char locale_dir[CONFIG_PATH_MAX];       /* locale_dir: compiled UI texts (<lang>/LC_MESSAGES) */
    int rotation;                           /* rotation: 0, 90, 180 or 270 degrees clockwise */
    bool touch_swap_xy;                     /* touch_swap_xy: the panel reports x and y swapped */
    bool touch_flip_x;                      /* touch_flip_x: the panel reports x mirrored */
    bool touch_flip_y;                      /* touch_flip_y */
    int misuse_min_ms;      /* misuse_min_ms: a page answered faster than this is "too fast" */
    int misuse_fast_pages;  /* misuse_fast_pages: this many too-fast pages flag a session */
    int misuse_burst_taps;  /* misuse_burst_taps: this many taps within one second flag it */
    int cooldown_s;         /* cooldown: seconds the thank-you screen ignores taps */
    int staff_gesture_ms;   /* staff_gesture_ms: how long a corner press opens staff mode */
    int staff_corner;       /* staff_corner: CONFIG_CORNER_* (top-left by default) */
    int staff_idle_s;       /* staff_idle_s: a staff session ends after this idle time */
    char staff_language[4]; /* staff_language: the staff screens' language, one of
                             * CONFIG_STAFF_LANGUAGES (default "de") */
    int min_free_mb;        /* min_free_mb: below this much free disk no session starts */
    char usb_root[CONFIG_PATH_MAX];   /* usb_root: sticks are noticed when mounted below this */
    char usb_mounts[CONFIG_PATH_MAX]; /* usb_mounts: the mount table read to notice a stick */
    char forms_dir[CONFIG_PATH_MAX];  /* forms_dir: writable folder of imported forms; "" =
                                       * "forms" beside the database (set at start) */
    int export_k;               /* export_k: k-anonymity of exports (and the smallest batch) */
    int export_period;          /* export_period: CONFIG_PERIOD_* (how times are coarsened) */
    bool export_include_misuse; /* export_include_misuse: export misuse-flagged sessions too */
    int retention_days;         /* retention_days: exported responses are deleted this many
                                 * days after their export; 0 = kept for ever */
    bool export_qi_lang;        /* export_qi_lang: the survey language counts as a
                                 * quasi-identifier in k-anonymity (default yes) */
    char age_recipient[128];    /* age_recipient: "age1…" to encrypt data files to; "" none */
    char eval_pubkey[64];       /* eval_pubkey: the evaluation office's receipt key (minisign
                                 * public key line, "RW…"); "" = no receipts expected:
                                 * retention does not wait for them */
    char qr_prefix[64];         /* qr_prefix: upper-case URL prefix of the QR receipt; "" none */
    int pin_min_digits;         /* pin_min_digits: shortest staff PIN accepted (4..8) */
    int pin_free_tries;         /* pin_free_tries: wrong PINs before the pad locks */
    int pin_lock_s;             /* pin_lock_s: the first lock; each further wrong PIN doubles it */
    int pin_lock_max_s;         /* pin_lock_max_s: the longest lock */
    int sleep_from_min;         /* display_sleep = HH:MM-HH:MM: the screen is dark from */
    int sleep_until_min;        /* ... until (minutes after local midnight); -1 = never */
    char usb_eject[CONFIG_PATH_MAX]; /* usb_eject: command that unmounts a stick (its mount
                                      * point is appended), e.g. "systemd-mount --umount" */
} KsConfig;

/* The languages staff_language may name (each has a catalog of the kiosk's
 * own texts). */
#define CONFIG_STAFF_LANGUAGES "de en tr ar uk ru"

/* How many words a usb_eject command may have. */
#define CONFIG_EJECT_WORDS 8

/* The values of export_period (the same order as ExportPeriod in export/export_data.h). */
enum { CONFIG_PERIOD_WEEK, CONFIG_PERIOD_DAY, CONFIG_PERIOD_MONTH };

/* The corners of staff_corner (the same order as KsCorner in app/event.h). */
enum {
    CONFIG_CORNER_TOP_LEFT = 1,
    CONFIG_CORNER_TOP_RIGHT,
    CONFIG_CORNER_BOTTOM_LEFT,
    CONFIG_CORNER_BOTTOM_RIGHT,
};

/* Fills cfg with the built-in defaults (7" 800x480 panel, 60 s idle). */
void config_defaults(KsConfig *cfg);

/* Whether code is among `languages` (always true when that is empty). */
bool config_lang_offered(const KsConfig *cfg, const char *code);
/* Whether a shipped form is among `forms` (always true when that is empty). */
bool config_form_offered(const KsConfig *cfg, const char *form_id);

/* Whether the display sleeps at minute_of_day (0..1439, local time). A
 * period may run over midnight (22:00-06:00). */
bool config_sleeping_at(const KsConfig *cfg, int minute_of_day);

/* Reads path over the current contents of cfg (call config_defaults first).
 * KS_ERR_NOT_FOUND when the file cannot be opened; KS_ERR_PARSE with a log
 * line naming file and line when a value is malformed or out of range. */
KsStatus config_load(const char *path, KsConfig *cfg);

#endif
