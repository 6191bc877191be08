/* main: the composition root. Parses the command line, finds the data
 * files, opens storage, loads the forms, and wires the kiosk state machine
 * to the SDL UI — or runs a command without UI (`stats`). Nothing else in
 * the program knows about more than its own layer. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../ui/audio.h"
#include "../ui/ui.h"
#include "app/kiosk.h"
#include "app/selftest.h"
#include "app/staff_overview.h"
#include "app/uitext.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/log.h"
#include "core/str.h"
#include "export_cmd.h"
#include "key_cmd.h"
#include "run.h"
#include "storage/store.h"
#include "storage/store_responses.h"
#include "storage/store_stats.h"
#include "survey/form_load.h"
#include "survey/catalog.h"
#include "sys/audio.h"
#include "sys/speech.h"
#include "sys/stop.h"

#define PATH_LEN 1024

typedef struct {
    const char *db, *forms, *config, *script;
    int width, height;
    bool fullscreen, headless;
} Args;

static void usage(FILE *out)
{
    fputs("usage: km2kiosk [--db FILE] [--forms DIR] [--config FILE] [--windowed WxH]\n"
          "                [--fullscreen] [--headless] [--script FILE|-]\n"
          "       km2kiosk stats --db FILE\n"
          "       km2kiosk export --db FILE --to DIR [--config FILE] [--forms DIR] [--batch ID]\n"
          "       km2kiosk key --db FILE [--config FILE]\n"
          "       km2kiosk check [--db FILE] FORM...   (a CSV folder or an .xlsx file)\n",
          out);
}

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Whether two paths name the same folder (the shipped forms and the
 * imported ones must not be read twice). */
static bool same_dir(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

/* The folder holding assets/: beside the working directory in a source
 * tree, beside the binary's parent (build/km2kiosk), or installed. */
static bool find_assets(char *out, size_t size)
{
    char exe[PATH_LEN];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            int len = snprintf(out, size, "%s/../assets", exe);
            if (len > 0 && (size_t)len < size && is_dir(out))
                return true;
        }
    }
    snprintf(out, size, "assets");
    if (is_dir(out))
        return true;
    snprintf(out, size, "/usr/share/km2kiosk/assets");
    return is_dir(out);
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
static bool default_db(char *out, size_t size)
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

static bool parse_size(const char *s, int *w, int *h)
{
    return sscanf(s, "%dx%d", w, h) == 2 && *w >= 160 && *h >= 160 && *w <= 8192 && *h <= 8192;
}

static int parse_args(int argc, char **argv, int start, Args *a)
{
    for (int i = start; i < argc; i++) {
        const char *o = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(o, "--db") == 0 && val)
            a->db = argv[++i];
        else if (strcmp(o, "--forms") == 0 && val)
            a->forms = argv[++i];
        else if (strcmp(o, "--config") == 0 && val)
            a->config = argv[++i];
        else if (strcmp(o, "--script") == 0 && val)
            a->script = argv[++i];
        else if (strcmp(o, "--windowed") == 0 && val) {
            if (!parse_size(argv[++i], &a->width, &a->height)) {
                fprintf(stderr, "km2kiosk: --windowed needs WxH, e.g. 1280x800\n");
                return -1;
            }
            a->fullscreen = false;
        } else if (strcmp(o, "--fullscreen") == 0)
            a->fullscreen = true;
        else if (strcmp(o, "--headless") == 0)
            a->headless = true;
        else if (strcmp(o, "--help") == 0 || strcmp(o, "-h") == 0) {
            usage(stdout);
            return 1;
        } else {
            fprintf(stderr, "km2kiosk: unknown or incomplete option '%s'\n", o);
            usage(stderr);
            return -1;
        }
    }
    return 0;
}

static void count_row(void *ctx, const char *form_id, StoreOutcome outcome, int count)
{
    cJSON *sessions = ctx;
    cJSON *f = cJSON_GetObjectItemCaseSensitive(sessions, form_id);
    if (!f)
        f = cJSON_AddObjectToObject(sessions, form_id);
    cJSON_AddNumberToObject(f, store_outcome_name(outcome), count);
}

static void add_counts(cJSON *o, int complete, int abandoned, int open, int misuse)
{
    cJSON_AddNumberToObject(o, "complete", complete);
    cJSON_AddNumberToObject(o, "abandoned", abandoned);
    cJSON_AddNumberToObject(o, "open", open);
    cJSON_AddNumberToObject(o, "misuse", misuse);
}

/* `stats`: the whole staff overview, under "overview". */
static void add_overview(cJSON *o, const StaffOverview *ov)
{
    cJSON *root = cJSON_AddObjectToObject(o, "overview");
    cJSON *forms = cJSON_AddObjectToObject(root, "forms");
    for (int i = 0; i < ov->n_forms; i++) {
        const StaffFormCounts *c = &ov->forms[i];
        add_counts(cJSON_AddObjectToObject(forms, c->form_id), c->complete, c->abandoned, c->open,
                   c->misuse);
    }
    cJSON *days = cJSON_AddArrayToObject(root, "days");
    for (int i = 0; i < ov->n_days; i++) {
        const StaffDayCounts *d = &ov->days[i];
        cJSON *row = cJSON_CreateObject();
        cJSON_AddStringToObject(row, "form", d->form_id);
        cJSON_AddStringToObject(row, "day", d->day);
        add_counts(row, d->complete, d->abandoned, d->open, d->misuse);
        cJSON_AddItemToArray(days, row);
    }
    cJSON *pending = cJSON_AddObjectToObject(root, "pending");
    cJSON_AddNumberToObject(pending, "complete", ov->pending_complete);
    cJSON_AddNumberToObject(pending, "misuse", ov->pending_flagged);
    if (ov->have_disk) {
        cJSON *disk = cJSON_AddObjectToObject(root, "disk");
        cJSON_AddNumberToObject(disk, "free_bytes", (double)ov->disk_free);
        cJSON_AddNumberToObject(disk, "total_bytes", (double)ov->disk_total);
    } else {
        cJSON_AddNullToObject(root, "disk");
    }
    if (ov->have_batch) {
        cJSON *b = cJSON_AddObjectToObject(root, "last_export");
        char iso[32];
        clock_format_iso(ov->last_batch.created_ms, iso);
        cJSON_AddStringToObject(b, "batch", ov->last_batch.id);
        cJSON_AddNumberToObject(b, "rows", ov->last_batch.rows);
        cJSON_AddStringToObject(b, "created", iso);
    } else {
        cJSON_AddNullToObject(root, "last_export");
    }
    char now[32];
    clock_format_iso(ov->now_ms, now);
    cJSON_AddStringToObject(root, "clock", now);
    cJSON_AddBoolToObject(root, "clock_doubt", ov->clock_doubt);
    if (ov->last_known_ms > 0) {
        char last[32];
        clock_format_iso(ov->last_known_ms, last);
        cJSON_AddStringToObject(root, "last_known_time", last);
    } else {
        cJSON_AddNullToObject(root, "last_known_time");
    }
    cJSON *kept = cJSON_AddObjectToObject(root, "kept");
    cJSON_AddNumberToObject(kept, "sessions", ov->kept.sessions);
    cJSON_AddNumberToObject(kept, "exported", ov->kept.exported);
    /* The evaluation office's receipts: batches confirmed and not yet. */
    cJSON *acks = cJSON_AddObjectToObject(root, "receipts");
    cJSON_AddNumberToObject(acks, "acknowledged", ov->acks.acked);
    cJSON_AddNumberToObject(acks, "unacknowledged", ov->acks.unacked);
    if (ov->acks.unacked > 0) {
        char oldest[32];
        clock_format_iso(ov->acks.oldest_unacked_ms, oldest);
        cJSON_AddStringToObject(acks, "oldest_unacknowledged", oldest);
    } else {
        cJSON_AddNullToObject(acks, "oldest_unacknowledged");
    }
}

static int cmd_stats(const Args *a)
{
    char db[PATH_LEN];
    if (a->db)
        str_copy(db, sizeof db, a->db);
    else if (!default_db(db, sizeof db))
        return 1;
    Store *s = NULL;
    KsStatus st = store_open(db, &s);
    if (st != KS_OK) {
        fprintf(stderr, "km2kiosk: cannot open %s: %s\n", db, ks_status_str(st));
        return 1;
    }
    cJSON *o = cJSON_CreateObject();
    cJSON *sessions = cJSON_AddObjectToObject(o, "sessions");
    st = store_stats_sessions(s, count_row, sessions);
    /* The staff overview screen's figures, from the same gatherer. */
    StaffOverview *ov = calloc(1, sizeof *ov);
    if (st == KS_OK && ov)
        st = staff_overview_gather(s, db, ov);
    if (st == KS_OK && ov)
        add_overview(o, ov);
    free(ov);
    store_close(&s);
    if (st != KS_OK) {
        cJSON_Delete(o);
        fprintf(stderr, "km2kiosk: cannot read %s: %s\n", db, ks_status_str(st));
        return 1;
    }
    char *txt = cJSON_PrintUnformatted(o);
    puts(txt);
    cJSON_free(txt);
    cJSON_Delete(o);
    return 0;
}

/* Leaves out the forms whose content changed under a version the database
 * already knows: answers to two different forms must never share an id. */
static void register_forms(Store *store, Catalog *catalog)
{
    for (int i = 0; i < catalog_count(catalog);) {
        const Form *f = catalog_form(catalog, i);
        char known[65] = "";
        KsStatus st = store_form_register(store, form_id(f), form_version(f), form_sha256(f),
                                          clock_wall_ms(), known);
        if (st == KS_ERR_STATE) {
            LOG_ERROR("form %s (%s, version %s) is not offered: its content changed but its "
                      "version did not. Give it a new version in the settings sheet.",
                      form_source(f), form_id(f), form_version(f));
            catalog_drop(catalog, i);
            continue;
        }
        if (st != KS_OK)
            LOG_ERROR("form %s: cannot record its version: %s", form_id(f), ks_status_str(st));
        i++;
    }
}

/* `check`: every problem of every form, FILE:SHEET:ROW:COLUMN: message;
 * exit 0 only when all forms are usable (warnings allowed). With --db, a
 * form whose content changed under a version the database knows is
 * refused too. */
static int cmd_check(int argc, char **argv)
{
    const char *db = NULL;
    int n_forms = 0, bad = 0;
    Store *store = NULL;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            db = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "km2kiosk check: unknown option %s\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }
    if (db && store_open(db, &store) != KS_OK) {
        fprintf(stderr, "km2kiosk check: cannot open the database %s\n", db);
        return 2;
    }
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--db") == 0) {
            i++;
            continue;
        }
        n_forms++;
        FormDiag *d = form_diag_create();
        Form *f = NULL;
        KsStatus st = form_load_path(argv[i], &f, d);
        if (st == KS_OK && store) {
            char known[65] = "";
            if (store_form_lookup(store, form_id(f), form_version(f), known) == KS_OK &&
                strcmp(known, form_sha256(f)) != 0) {
                form_diag_add(d, true, argv[i], "settings", 0, "version",
                              "the content of %s version %s changed, but its version did not: "
                              "give the changed form a new version",
                              form_id(f), form_version(f));
                st = KS_ERR_STATE;
            }
        }
        form_diag_print(d, stdout);
        if (st == KS_OK) {
            printf("%s: usable: %s version %s, %d questions, %d languages\n", argv[i],
                   form_id(f), form_version(f), form_question_count(f), form_lang_count(f));
        } else {
            printf("%s: NOT usable: %d problem(s) must be fixed\n", argv[i],
                   form_diag_errors(d) ? form_diag_errors(d) : 1);
            bad++;
        }
        form_destroy(f);
        form_diag_destroy(d);
    }
    store_close(&store);
    if (n_forms == 0) {
        usage(stderr);
        return 2;
    }
    return bad ? 1 : 0;
}

/* Read-aloud: the SDL sound device, or the null sink when headless without
 * an explicit SDL_AUDIODRIVER (decided before ui_create, which sets "dummy"),
 * and the speech service on top. Never fails the kiosk: without a sound card
 * the SDL sink is silent, without espeak-ng only WAV files play. */
static void speech_start(bool sdl_sound, AudioSdl **sdl, AudioNull **null, Speech **speech)
{
    KsAudioPort port;
    if (sdl_sound && audio_sdl_open(22050, sdl) == KS_OK) {
        port = (KsAudioPort){.ctx = *sdl,
                             .play_pcm = audio_sdl_play_pcm,
                             .play_file = audio_sdl_play_file,
                             .stop = audio_sdl_stop,
                             .busy = audio_sdl_busy};
    } else {
        *null = audio_null_create();
        port = audio_null_port(*null);
    }
    if (speech_create(&port, speech) != KS_OK)
        LOG_ERROR("read-aloud is not available");
}

static int cmd_kiosk(const Args *a)
{
    int status = 1;
    KsConfig cfg;
    Catalog *catalog = NULL;
    Store *store = NULL;
    Kiosk *kiosk = NULL;
    Ui *ui = NULL;
    AudioSdl *sdl_audio = NULL;
    AudioNull *null_audio = NULL;
    Speech *speech = NULL; /* read-aloud; lives until done: */
    char assets[PATH_LEN], forms[PATH_LEN], icons[PATH_LEN + 16], db[PATH_LEN];

    stop_install(); /* SIGTERM/SIGINT end the kiosk within a second, from now on */
    config_defaults(&cfg);
    if (!find_assets(assets, sizeof assets))
        LOG_WARN("assets folder not found; pictures will be missing");
    str_copy(cfg.assets_dir, sizeof cfg.assets_dir, assets);
    if (a->config && config_load(a->config, &cfg) != KS_OK) {
        fprintf(stderr, "km2kiosk: configuration %s is not usable (see the lines above)\n", a->config);
        return 1;
    }
    uitext_init(cfg.locale_dir);
    if (a->headless)
        clock_use_virtual(clock_wall_ms());

    if (a->db)
        str_copy(db, sizeof db, a->db);
    else if (!default_db(db, sizeof db))
        return 1;
    /* Start-up self-test: the data folder and the disk before the database
     * is opened, the fonts before the display; the first failure gets its
     * own staff screen once the display is up. */
    SelfTest self = {.fault = UIT_COUNT};
    selftest_data(&cfg, db, &self);
    if (!selftest_fonts(&cfg, &self)) {
        fprintf(stderr, "km2kiosk: no font can be read (see the lines above)\n");
        return 1;
    }
    KsStatus store_st = store_open(db, &store);
    if (store_st == KS_OK) {
        int closed = 0;
        if (store_sessions_close_stale(store, clock_wall_ms(), &closed) == KS_OK && closed > 0)
            LOG_INFO("%d session(s) left open by an interruption were stored as abandoned", closed);
    } else {
        LOG_ERROR("database %s: %s", db, ks_status_str(store_st));
    }

    if (a->forms)
        str_copy(forms, sizeof forms, a->forms);
    else
        snprintf(forms, sizeof forms, "%s/forms", cfg.assets_dir);
    if (catalog_load(forms, &catalog) != KS_OK)
        LOG_ERROR("cannot read forms from %s", forms);
    /* kiosk.conf `forms` picks among the shipped forms; the ones staff
     * import on the touchscreen (added below) are always offered. */
    for (int i = 0; catalog && i < catalog_count(catalog);) {
        const char *id = form_id(catalog_form(catalog, i));
        if (config_form_offered(&cfg, id)) {
            i++;
            continue;
        }
        LOG_INFO("form %s is not offered on this kiosk (kiosk.conf forms)", id);
        catalog_drop(catalog, i);
    }
    /* The forms staff imported from a stick, after the shipped ones. */
    if (!cfg.forms_dir[0]) {
        const char *slash = strrchr(db, '/');
        snprintf(cfg.forms_dir, sizeof cfg.forms_dir, "%.*s/forms",
                 slash ? (int)(slash - db) : 1, slash ? db : ".");
    }
    if (catalog && is_dir(cfg.forms_dir) && !same_dir(forms, cfg.forms_dir))
        (void)catalog_add_dir(catalog, cfg.forms_dir);
    if (store && catalog)
        register_forms(store, catalog);
    if (!catalog || catalog_count(catalog) == 0)
        LOG_ERROR("self-test: no form to offer (none in %s or %s, or kiosk.conf forms names none "
                  "of them): no survey can start",
                  forms, cfg.forms_dir);

    snprintf(icons, sizeof icons, "%s/icons", cfg.assets_dir);
    UiOptions uo = {
        .width = a->width,
        .height = a->height,
        .fullscreen = a->fullscreen,
        .headless = a->headless,
        .panel_w_mm = cfg.panel_w_mm,
        .panel_h_mm = cfg.panel_h_mm,
        .font_regular = cfg.font_regular,
        .font_bold = cfg.font_bold,
        .font_arabic = cfg.font_arabic,
        .font_arabic_bold = cfg.font_arabic_bold,
        .font_symbols = cfg.font_symbols,
        .icons_dir = icons,
        .rotation = cfg.rotation,
        .touch_swap_xy = cfg.touch_swap_xy,
        .touch_flip_x = cfg.touch_flip_x,
        .touch_flip_y = cfg.touch_flip_y,
        .long_press_ms = cfg.staff_gesture_ms,
    };
    bool sdl_sound = !a->headless || getenv("SDL_AUDIODRIVER") != NULL;
    if (ui_create(&uo, &ui) != KS_OK) {
        fprintf(stderr, "km2kiosk: cannot open the display (see the lines above)\n");
        goto done;
    }
    speech_start(sdl_sound, &sdl_audio, &null_audio, &speech);
    kiosk = kiosk_create(&cfg, catalog, store, store_st);
    if (self.fault != UIT_COUNT)
        kiosk_self_test_failed(kiosk, self.fault, self.detail);
    kiosk_set_speech(kiosk, speech);
    kiosk_set_db_path(kiosk, db);
    RunOptions ro = {.fullscreen = a->fullscreen, .script = a->script};
    status = run_kiosk(ui, kiosk, &ro);
done:
    kiosk_destroy(kiosk);
    speech_destroy(speech); /* joins the worker before its sink closes */
    audio_sdl_close(&sdl_audio);
    audio_null_destroy(null_audio);
    ui_destroy(ui);
    catalog_destroy(catalog);
    store_close(&store);
    return status;
}

int main(int argc, char **argv)
{
    Args a = {.width = 1280, .height = 800};
    if (argc > 1 && strcmp(argv[1], "check") == 0)
        return cmd_check(argc, argv);
    if (argc > 1 && strcmp(argv[1], "export") == 0)
        return export_cmd_main(argc, argv);
    if (argc > 1 && strcmp(argv[1], "key") == 0)
        return key_cmd_main(argc, argv);
    if (argc > 1 && strcmp(argv[1], "stats") == 0) {
        int r = parse_args(argc, argv, 2, &a);
        return r < 0 ? 2 : (r > 0 ? 0 : cmd_stats(&a));
    }
    int r = parse_args(argc, argv, 1, &a);
    if (r != 0)
        return r < 0 ? 2 : 0;
    return cmd_kiosk(&a);
}
