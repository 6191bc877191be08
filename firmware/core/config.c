/* config: the kiosk.conf reader. */
#include "config.h"

#include <stddef.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "str.h"

/* "HH:MM" to minutes after midnight. */
static bool parse_hhmm(const char *v, size_t len, int *out)
{
    int h, m;
    char tail;
    char buf[8];
    if (len == 0 || len >= sizeof buf)
        return false;
    memcpy(buf, v, len);
    buf[len] = '\0';
    if (sscanf(buf, "%2d:%2d%c", &h, &m, &tail) != 2 || h < 0 || h > 23 || m < 0 || m > 59)
        return false;
    *out = h * 60 + m;
    return true;
}

/* display_sleep: "" or "off" (never), or "HH:MM-HH:MM". */
static bool parse_sleep(const char *v, KsConfig *cfg)
{
    if (!v[0] || str_eq_nocase(v, "off")) {
        cfg->sleep_from_min = cfg->sleep_until_min = -1;
        return true;
    }
    const char *dash = strchr(v, '-');
    int from, until;
    if (!dash || !parse_hhmm(v, (size_t)(dash - v), &from) ||
        !parse_hhmm(dash + 1, strlen(dash + 1), &until) || from == until)
        return false;
    cfg->sleep_from_min = from;
    cfg->sleep_until_min = until;
    return true;
}

/* A list of words separated by spaces or commas, stored space separated
 * in dst (size bytes); each word at most max_len bytes of [a-z] (with ids
 * also A-Z, 0-9, '-', '_' and '.'). */
static bool parse_words(const char *v, char *dst, size_t size, size_t max_len, bool ids)
{
    char out[256] = "";
    size_t n = 0;
    for (const char *p = v; *p;) {
        while (*p == ' ' || *p == ',' || *p == '\t')
            p++;
        size_t len = strcspn(p, " ,\t");
        if (!len)
            break;
        if (len > max_len || n + len + 2 > sizeof out || n + len + 2 > size)
            return false;
        for (size_t i = 0; i < len; i++) {
            bool lower = p[i] >= 'a' && p[i] <= 'z';
            if (!lower && !(ids && (strchr("-_.", p[i]) || (p[i] >= 'A' && p[i] <= 'Z') ||
                                    (p[i] >= '0' && p[i] <= '9'))))
                return false;
        }
        if (n)
            out[n++] = ' ';
        memcpy(out + n, p, len);
        n += len;
        out[n] = '\0';
        p += len;
    }
    return str_copy(dst, size, out);
}

/* Whether word is one of the space-separated words of list. */
static bool in_list(const char *list, const char *word)
{
    size_t len = strlen(word);
    for (const char *p = list; *p;) {
        size_t w = strcspn(p, " ");
        if (w == len && strncmp(p, word, len) == 0)
            return true;
        p += w;
        while (*p == ' ')
            p++;
    }
    return false;
}

/* usb_eject: a command of at most CONFIG_EJECT_WORDS words, the first an
 * absolute path or a bare program name. */
static bool parse_eject(const char *v, KsConfig *cfg)
{
    int words = 0;
    for (const char *p = v; *p;) {
        while (*p == ' ')
            p++;
        if (*p) {
            words++;
            p += strcspn(p, " ");
        }
    }
    return words >= 1 && words <= CONFIG_EJECT_WORDS && !strpbrk(v, ";|&$`<>\"'") &&
           str_copy(cfg->usb_eject, sizeof cfg->usb_eject, v);
}

bool config_lang_offered(const KsConfig *cfg, const char *code)
{
    return !cfg->languages[0] || in_list(cfg->languages, code);
}

bool config_form_offered(const KsConfig *cfg, const char *form_id)
{
    return !cfg->forms[0] || in_list(cfg->forms, form_id);
}

bool config_sleeping_at(const KsConfig *cfg, int minute)
{
    int a = cfg->sleep_from_min, b = cfg->sleep_until_min;
    if (a < 0 || b < 0)
        return false;
    return a < b ? minute >= a && minute < b : minute >= a || minute < b;
}

static bool parse_corner(const char *v, int *out)
{
    static const char *const names[] = {"top-left", "top-right", "bottom-left", "bottom-right"};
    for (int i = 0; i < 4; i++) {
        if (str_eq_nocase(v, names[i])) {
            *out = CONFIG_CORNER_TOP_LEFT + i;
            return true;
        }
    }
    return false;
}

static bool parse_bool(const char *v, bool *out)
{
    if (strcmp(v, "1") == 0 || str_eq_nocase(v, "yes") || str_eq_nocase(v, "true")) {
        *out = true;
        return true;
    }
    if (strcmp(v, "0") == 0 || str_eq_nocase(v, "no") || str_eq_nocase(v, "false")) {
        *out = false;
        return true;
    }
    return false;
}

static bool parse_int(const char *v, int lo, int hi, int *out)
{
    long n;
    if (!str_to_long(v, lo, hi, &n))
        return false;
    *out = (int)n;
    return true;
}

static bool parse_double(const char *v, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double d = strtod(v, &end);
    if (errno || end == v || *end || d < lo || d > hi)
        return false;
    *out = d;
    return true;
}

static bool parse_period(const char *v, int *out)
{
    static const char *const names[] = {"week", "day", "month"};
    for (int i = 0; i < 3; i++) {
        if (str_eq_nocase(v, names[i])) {
            *out = i; /* the order of CONFIG_PERIOD_* */
            return true;
        }
    }
    return false;
}

/* One of the words of CONFIG_STAFF_LANGUAGES. */
static bool parse_staff_language(const char *v, char *out, size_t size)
{
    static const char langs[] = CONFIG_STAFF_LANGUAGES;
    size_t n = strchr(v, ' ') ? 0 : strlen(v);
    for (const char *p = langs; n > 0 && (p = strstr(p, v)) != NULL; p += n) {
        bool starts = p == langs || p[-1] == ' ';
        if (starts && (p[n] == ' ' || p[n] == '\0'))
            return str_copy(out, size, v);
    }
    return false;
}

/* The keys that are a number in a range, a yes/no or a free text, by
 * where their value goes, with their defaults; the others have rules of
 * their own (set_special, special_defaults). */
typedef enum { KEY_INT, KEY_DOUBLE, KEY_BOOL, KEY_TEXT } KeyKind;

/* clang-format off */
#define INT_KEY(n, f, lo, hi, d) {n, KEY_INT, offsetof(KsConfig, f), 0, lo, hi, d, NULL}
#define DOUBLE_KEY(n, f, lo, hi, d) {n, KEY_DOUBLE, offsetof(KsConfig, f), 0, lo, hi, d, NULL}
#define BOOL_KEY(n, f, d) {n, KEY_BOOL, offsetof(KsConfig, f), 0, 0, 0, d, NULL}
#define TEXT_KEY(n, f, d) {n, KEY_TEXT, offsetof(KsConfig, f), sizeof(((KsConfig *)0)->f), 0, 0, 0, d}
/* clang-format on */

#define NOTO "/usr/share/fonts/truetype/noto/"

static const struct {
    const char *name;
    KeyKind kind;
    size_t offset;    /* of the field in KsConfig */
    size_t size;      /* KEY_TEXT: the field's size */
    double lo, hi;    /* KEY_INT, KEY_DOUBLE: the allowed range */
    double number;    /* the default of KEY_INT, KEY_DOUBLE, KEY_BOOL (0 or 1) */
    const char *text; /* the default of KEY_TEXT */
} g_keys[] = {
    INT_KEY("idle_timeout", idle_timeout_s, 5, 3600, 60),
    INT_KEY("idle_prompt", idle_prompt_s, 3, 600, 20),
    INT_KEY("thanks_time", thanks_s, 1, 120, 6),
    /* The official 7" Raspberry Pi panel: 154.08 mm x 85.92 mm visible. */
    DOUBLE_KEY("panel_width_mm", panel_w_mm, 30, 2000, 154.08),
    DOUBLE_KEY("panel_height_mm", panel_h_mm, 30, 2000, 85.92),
    TEXT_KEY("font_regular", font_regular, NOTO "NotoSans-Regular.ttf"),
    TEXT_KEY("font_bold", font_bold, NOTO "NotoSans-Bold.ttf"),
    TEXT_KEY("font_arabic", font_arabic, NOTO "NotoSansArabic-Regular.ttf"),
    TEXT_KEY("font_arabic_bold", font_arabic_bold, NOTO "NotoSansArabic-Bold.ttf"),
    TEXT_KEY("font_symbols", font_symbols, "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    TEXT_KEY("assets_dir", assets_dir, "assets"),
    TEXT_KEY("locale_dir", locale_dir, "build/locale"),
    BOOL_KEY("touch_swap_xy", touch_swap_xy, 0),
    BOOL_KEY("touch_flip_x", touch_flip_x, 0),
    BOOL_KEY("touch_flip_y", touch_flip_y, 0),
    INT_KEY("misuse_min_ms", misuse_min_ms, 0, 60000, 800),
    INT_KEY("misuse_fast_pages", misuse_fast_pages, 1, 1000, 4),
    INT_KEY("misuse_burst_taps", misuse_burst_taps, 2, 1000, 8),
    INT_KEY("cooldown", cooldown_s, 0, 60, 2),
    INT_KEY("staff_gesture_ms", staff_gesture_ms, 500, 30000, 3000),
    INT_KEY("min_free_mb", min_free_mb, 1, 1000000, 50),
    INT_KEY("staff_idle_s", staff_idle_s, 10, 3600, 180),
    INT_KEY("export_k", export_k, 1, 1000, 5),
    BOOL_KEY("export_include_misuse", export_include_misuse, 0),
    BOOL_KEY("export_qi_lang", export_qi_lang, 1),
    INT_KEY("retention_days", retention_days, 0, 36500, 30),
    /* "": the composition root puts it beside the database */
    TEXT_KEY("forms_dir", forms_dir, ""),
    TEXT_KEY("qr_prefix", qr_prefix, ""),
    INT_KEY("pin_min_digits", pin_min_digits, 4, 8, 4),
    INT_KEY("pin_free_tries", pin_free_tries, 1, 20, 3),
    INT_KEY("pin_lock_s", pin_lock_s, 1, 86400, 30),
    INT_KEY("pin_lock_max_s", pin_lock_max_s, 1, 86400, 900),
#undef INT_KEY
#undef DOUBLE_KEY
#undef BOOL_KEY
#undef TEXT_KEY
};

#undef NOTO

/* The defaults of the keys with rules of their own. */
static void special_defaults(KsConfig *cfg)
{
    str_copy(cfg->kiosk_id, sizeof cfg->kiosk_id, "kiosk");
    cfg->staff_corner = CONFIG_CORNER_TOP_LEFT;
    str_copy(cfg->staff_language, sizeof cfg->staff_language, "de");
    str_copy(cfg->usb_root, sizeof cfg->usb_root, "/media");
    str_copy(cfg->usb_mounts, sizeof cfg->usb_mounts, "/proc/self/mounts");
    cfg->export_period = CONFIG_PERIOD_WEEK;
    cfg->sleep_from_min = cfg->sleep_until_min = -1;
    str_copy(cfg->usb_eject, sizeof cfg->usb_eject, "umount");
}

void config_defaults(KsConfig *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    for (size_t i = 0; i < sizeof g_keys / sizeof g_keys[0]; i++) {
        char *field = (char *)cfg + g_keys[i].offset;
        switch (g_keys[i].kind) {
        case KEY_INT:
            *(int *)field = (int)g_keys[i].number;
            break;
        case KEY_DOUBLE:
            *(double *)field = g_keys[i].number;
            break;
        case KEY_BOOL:
            *(bool *)field = g_keys[i].number != 0;
            break;
        case KEY_TEXT:
            str_copy(field, g_keys[i].size, g_keys[i].text);
            break;
        }
    }
    special_defaults(cfg);
}

static bool set_plain(KsConfig *cfg, const char *key, const char *val, bool *known)
{
    for (size_t i = 0; i < sizeof g_keys / sizeof g_keys[0]; i++) {
        if (strcmp(key, g_keys[i].name) != 0)
            continue;
        *known = true;
        char *field = (char *)cfg + g_keys[i].offset;
        switch (g_keys[i].kind) {
        case KEY_INT:
            return parse_int(val, (int)g_keys[i].lo, (int)g_keys[i].hi, (int *)field);
        case KEY_DOUBLE:
            return parse_double(val, g_keys[i].lo, g_keys[i].hi, (double *)field);
        case KEY_BOOL:
            return parse_bool(val, (bool *)field);
        case KEY_TEXT:
            return str_copy(field, g_keys[i].size, val);
        }
    }
    *known = false;
    return true;
}

/* The keys with rules of their own. */
static bool set_special(KsConfig *cfg, const char *key, const char *val, bool *known)
{
    *known = true;
    if (strcmp(key, "kiosk_id") == 0)
        return val[0] && str_copy(cfg->kiosk_id, sizeof cfg->kiosk_id, val);
    if (strcmp(key, "rotation") == 0)
        return parse_int(val, 0, 270, &cfg->rotation) && cfg->rotation % 90 == 0;
    if (strcmp(key, "staff_corner") == 0)
        return parse_corner(val, &cfg->staff_corner);
    if (strcmp(key, "staff_language") == 0)
        return parse_staff_language(val, cfg->staff_language, sizeof cfg->staff_language);
    if (strcmp(key, "usb_root") == 0)
        return val[0] == '/' && str_copy(cfg->usb_root, sizeof cfg->usb_root, val);
    if (strcmp(key, "export_period") == 0)
        return parse_period(val, &cfg->export_period);
    /* A minisign public key line: 56 base64 characters of "Ed", key id and
     * key; export/sign.c checks the rest where it is used. */
    if (strcmp(key, "eval_pubkey") == 0)
        return (!val[0] || (strlen(val) == 56 && strncmp(val, "RW", 2) == 0 &&
                            strspn(val, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                        "0123456789+/=") == 56)) &&
               str_copy(cfg->eval_pubkey, sizeof cfg->eval_pubkey, val);
    if (strcmp(key, "age_recipient") == 0)
        return (!val[0] || strncmp(val, "age1", 4) == 0) &&
               str_copy(cfg->age_recipient, sizeof cfg->age_recipient, val);
    if (strcmp(key, "usb_mounts") == 0)
        return val[0] && str_copy(cfg->usb_mounts, sizeof cfg->usb_mounts, val);
    if (strcmp(key, "site_code") == 0)
        return strspn(val, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
                   strlen(val) &&
               str_copy(cfg->site_code, sizeof cfg->site_code, val);
    if (strcmp(key, "languages") == 0)
        return parse_words(val, cfg->languages, sizeof cfg->languages, 3, false);
    if (strcmp(key, "forms") == 0)
        return parse_words(val, cfg->forms, sizeof cfg->forms, 63, true);
    if (strcmp(key, "display_sleep") == 0)
        return parse_sleep(val, cfg);
    if (strcmp(key, "usb_eject") == 0)
        return parse_eject(val, cfg);
    *known = false;
    return true;
}

static bool set_key(KsConfig *cfg, const char *key, const char *val, bool *known)
{
    bool ok = set_plain(cfg, key, val, known);
    return *known ? ok : set_special(cfg, key, val, known);
}

KsStatus config_load(const char *path, KsConfig *cfg)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        LOG_ERROR("cannot open config %s: %s", path, strerror(errno));
        return KS_ERR_NOT_FOUND;
    }
    char line[1024];
    int lineno = 0;
    KsStatus ks = KS_OK;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        str_trim(line);
        if (!line[0])
            continue;
        char *eq = strchr(line, '=');
        if (!eq) {
            LOG_ERROR("%s:%d: expected 'key = value'", path, lineno);
            ks = KS_ERR_PARSE;
            continue;
        }
        *eq = '\0';
        char *key = str_trim(line), *val = str_trim(eq + 1);
        bool known;
        if (!set_key(cfg, key, val, &known)) {
            LOG_ERROR("%s:%d: bad value for %s: '%s'", path, lineno, key, val);
            ks = KS_ERR_PARSE;
        } else if (!known) {
            LOG_WARN("%s:%d: unknown setting '%s' ignored", path, lineno, key);
        }
    }
    fclose(f);
    return ks;
}
