/* main: the composition root. Parses the command line, finds the data
 * files, opens storage, loads the forms, and wires the kiosk state machine
 * to the SDL UI; the commands without UI live in their own files (check_cmd,
 * stats_cmd, export_cmd, key_cmd). Nothing else in the program knows about
 * more than its own layer. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../ui/audio.h"
#include "../ui/picload.h"
#include "../ui/ui.h"
#include "app/kiosk.h"
#include "app/selftest.h"
#include "app/uitext.h"
#include "check_cmd.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/str.h"
#include "export_cmd.h"
#include "key_cmd.h"
#include "paths.h"
#include "run.h"
#include "stats_cmd.h"
#include "storage/store.h"
#include "storage/store_responses.h"
#include "survey/catalog.h"
#include "survey/form_load.h"
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

/* Leaves out the forms whose content changed under a version the database
 * already knows: answers to two different forms must never share an id.
 * All are recorded in one transaction (one commit for a new database). */
static void register_forms(Store *store, Catalog *catalog)
{
    int n = catalog_count(catalog);
    StoreFormReg *regs = xcalloc(n > 0 ? (size_t)n : 1, sizeof *regs);
    for (int i = 0; i < n; i++) {
        const Form *f = catalog_form(catalog, i);
        regs[i] = (StoreFormReg){
            .form_id = form_id(f), .version = form_version(f), .sha256 = form_sha256(f)};
    }
    (void)store_forms_register(store, regs, n, clock_wall_ms());
    /* from the last, so that dropping a form leaves the indexes before it */
    for (int i = n - 1; i >= 0; i--) {
        const Form *f = catalog_form(catalog, i);
        if (regs[i].status == KS_ERR_STATE) {
            LOG_ERROR("form %s (%s, version %s) is not offered: its content changed but its "
                      "version did not. Give it a new version in the settings sheet.",
                      form_source(f), form_id(f), form_version(f));
            catalog_drop(catalog, i);
        } else if (regs[i].status != KS_OK) {
            LOG_ERROR("form %s: cannot record its version: %s", form_id(f),
                      ks_status_str(regs[i].status));
        }
    }
    free(regs);
}

/* Read-aloud: the SDL sound device, or the null sink when headless without
 * an explicit SDL_AUDIODRIVER (decided before ui_create, which sets "dummy"),
 * and the speech service on top. Both are cheap until the first read-aloud,
 * which opens the device and loads espeak-ng. Never fails the kiosk: without
 * a sound card the SDL sink is silent, without espeak-ng only WAV files play. */
static void speech_start(bool sdl_sound, AudioSdl **sdl, AudioNull **null, Speech **speech)
{
    KsAudioPort port;
    if (sdl_sound && audio_sdl_open(22050, sdl) == KS_OK) {
        port = (KsAudioPort){.ctx = *sdl,
                             .play_pcm = audio_sdl_play_pcm,
                             .play_file = audio_sdl_play_file,
                             .stop = audio_sdl_stop,
                             .busy = audio_sdl_busy,
                             .queued_ms = audio_sdl_queued_ms};
    } else {
        *null = audio_null_create();
        port = audio_null_port(*null);
    }
    if (speech_create(&port, speech) != KS_OK)
        LOG_ERROR("read-aloud is not available");
}

/* Opens the database and stores the sessions an interruption left open as
 * abandoned. A failure is logged and returned: the kiosk then shows its
 * fault screen. The integrity check of a large database runs beside the
 * first screens; the kiosk looks at its outcome (store_integrity). */
static KsStatus open_store(const char *db, Store **store)
{
    KsStatus ks = store_open_check_later(db, store);
    if (ks != KS_OK) {
        LOG_ERROR("database %s: %s", db, ks_status_str(ks));
        return ks;
    }
    int closed = 0;
    if (store_sessions_close_stale(*store, clock_wall_ms(), &closed) == KS_OK && closed > 0)
        LOG_INFO("%d session(s) left open by an interruption were stored as abandoned", closed);
    return KS_OK;
}

/* The forms offered: the shipped ones (from --forms, else the assets'
 * forms folder) that kiosk.conf `forms` picks, then every form staff
 * imported into forms_dir (default: "forms" beside the database; set in
 * cfg). NULL when none could be read (logged). */
static Catalog *load_forms(const char *forms_opt, KsConfig *cfg, const char *db, Store *store)
{
    Catalog *catalog = NULL;
    char forms[PATH_LEN];
    if (forms_opt)
        str_copy(forms, sizeof forms, forms_opt);
    else
        snprintf(forms, sizeof forms, "%s/forms", cfg->assets_dir);
    if (catalog_load(forms, &catalog) != KS_OK)
        LOG_ERROR("cannot read forms from %s", forms);
    /* kiosk.conf `forms` picks among the shipped forms; the ones staff
     * import on the touchscreen (added below) are always offered. */
    for (int i = 0; catalog && i < catalog_count(catalog);) {
        const char *id = form_id(catalog_form(catalog, i));
        if (config_form_offered(cfg, id)) {
            i++;
            continue;
        }
        LOG_INFO("form %s is not offered on this kiosk (kiosk.conf forms)", id);
        catalog_drop(catalog, i);
    }
    /* The forms staff imported from a stick, after the shipped ones. */
    if (!cfg->forms_dir[0]) {
        const char *slash = strrchr(db, '/');
        snprintf(cfg->forms_dir, sizeof cfg->forms_dir, "%.*s/forms", slash ? (int)(slash - db) : 1,
                 slash ? db : ".");
    }
    if (catalog && paths_is_dir(cfg->forms_dir) && !paths_same_dir(forms, cfg->forms_dir))
        (void)catalog_add_dir(catalog, cfg->forms_dir);
    if (store && catalog)
        register_forms(store, catalog);
    if (!catalog || catalog_count(catalog) == 0)
        LOG_ERROR("self-test: no form to offer (none in %s or %s, or kiosk.conf forms names none "
                  "of them): no survey can start",
                  forms, cfg->forms_dir);
    return catalog;
}

/* The database and the forms, opened beside the display: neither needs the
 * other, and on a new database the schema and its syncs take about as long
 * as the display's start. The thread has its own copy of the configuration
 * and hands back only what load_forms decided (the imported forms' folder). */
typedef struct {
    const char *db, *forms_opt;
    KsConfig cfg;
    Store *store;
    KsStatus store_st;
    Catalog *catalog;
    pthread_t thread;
    bool threaded;
} DataStart;

static void *data_open(void *arg)
{
    DataStart *d = arg;
    d->store_st = open_store(d->db, &d->store);
    d->catalog = load_forms(d->forms_opt, &d->cfg, d->db, d->store);
    /* What reading the forms left free goes back before the first frame. */
    mem_release_free();
    return NULL;
}

/* Starts data_open on its own thread (or, failing that, runs it now). */
static void data_start(DataStart *d, const char *db, const char *forms_opt, const KsConfig *cfg)
{
    *d = (DataStart){.db = db, .forms_opt = forms_opt, .cfg = *cfg};
    d->threaded = pthread_create(&d->thread, NULL, data_open, d) == 0;
    if (!d->threaded)
        (void)data_open(d);
}

/* Waits for data_start's work; the imported forms' folder goes to cfg. */
static void data_wait(DataStart *d, KsConfig *cfg)
{
    if (d->threaded)
        pthread_join(d->thread, NULL);
    d->threaded = false;
    str_copy(cfg->forms_dir, sizeof cfg->forms_dir, d->cfg.forms_dir);
}

/* The SDL UI for the kiosk's configuration and the command line. Pictures
 * are kept between starts in "picture-cache" beside the database. */
static KsStatus open_ui(const Args *a, const KsConfig *cfg, const char *db, Ui **ui)
{
    char icons[PATH_LEN + 16], cache[PATH_LEN + 16];
    snprintf(icons, sizeof icons, "%s/icons", cfg->assets_dir);
    const char *slash = strrchr(db, '/');
    int dir_len = !slash ? 1 : slash == db ? 1 : (int)(slash - db);
    snprintf(cache, sizeof cache, "%.*s/picture-cache", dir_len, slash ? db : ".");
    UiOptions uo = {
        .width = a->width,
        .height = a->height,
        .fullscreen = a->fullscreen,
        .headless = a->headless,
        .panel_w_mm = cfg->panel_w_mm,
        .panel_h_mm = cfg->panel_h_mm,
        .font_regular = cfg->font_regular,
        .font_bold = cfg->font_bold,
        .font_arabic = cfg->font_arabic,
        .font_arabic_bold = cfg->font_arabic_bold,
        .font_symbols = cfg->font_symbols,
        .icons_dir = icons,
        .picture_cache = cache,
        /* Pictures never take the room the answers need. */
        .picture_cache_free_mb = 2 * cfg->min_free_mb,
        .rotation = cfg->rotation,
        .touch_swap_xy = cfg->touch_swap_xy,
        .touch_flip_x = cfg->touch_flip_x,
        .touch_flip_y = cfg->touch_flip_y,
        .long_press_ms = cfg->staff_gesture_ms,
    };
    return ui_create(&uo, ui);
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
    char assets[PATH_LEN], db[PATH_LEN];

    stop_install(); /* SIGTERM/SIGINT end the kiosk within a second, from now on */
    config_defaults(&cfg);
    if (!paths_find_assets(assets, sizeof assets))
        LOG_WARN("assets folder not found; pictures will be missing");
    str_copy(cfg.assets_dir, sizeof cfg.assets_dir, assets);
    if (a->config && config_load(a->config, &cfg) != KS_OK) {
        fprintf(stderr, "km2kiosk: configuration %s is not usable (see the lines above)\n",
                a->config);
        return 1;
    }
    uitext_init(cfg.locale_dir);
    if (a->headless)
        clock_use_virtual(clock_wall_ms());

    if (a->db)
        str_copy(db, sizeof db, a->db);
    else if (!paths_default_db(db, sizeof db))
        return 1;
    /* Start-up self-test: the data folder and the disk before the database
     * is opened, the fonts before the display; the first failure gets its
     * own staff screen once the display is up. */
    SelfTest self = {.fault = UIT_NONE};
    selftest_data(&cfg, db, &self);
    if (!selftest_fonts(&cfg, &self)) {
        fprintf(stderr, "km2kiosk: no font can be read (see the lines above)\n");
        return 1;
    }
    /* Decided before ui_choose_drivers sets the dummy sound driver. */
    bool sdl_sound = !a->headless || getenv("SDL_AUDIODRIVER") != NULL;
    ui_choose_drivers(a->headless);
    /* A picture not kept yet is read by this program's `picture` command
     * in a process of its own: SDL2_image and its libraries never load
     * here, and a picture that crashes its reader costs only that. */
    char exe[PATH_LEN];
    ssize_t exe_len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[exe_len > 0 ? exe_len : 0] = '\0';
    picload_use_decoder(exe);
    /* Its worker thread starts before the picture thread, which loads
     * SDL2_image should no reader process start: a thread created during
     * a dlopen waits for the loader's lock. */
    speech_start(sdl_sound, &sdl_audio, &null_audio, &speech);
    DataStart data;
    data_start(&data, db, a->forms, &cfg);
    KsStatus ui_st = open_ui(a, &cfg, db, &ui);
    /* While the database and the forms open, the welcome page is drawn
     * ahead, unless the self-test found a fault to show instead. */
    if (ui_st == KS_OK && self.fault == UIT_NONE) {
        KsView *welcome = xcalloc(1, sizeof *welcome);
        kiosk_welcome_view(welcome);
        ui_prefetch(ui, welcome);
        free(welcome);
    }
    data_wait(&data, &cfg);
    store = data.store;
    catalog = data.catalog;
    if (ui_st != KS_OK) {
        fprintf(stderr, "km2kiosk: cannot open the display (see the lines above)\n");
        goto cleanup;
    }
    kiosk = kiosk_create(&cfg, catalog, store, data.store_st);
    if (self.fault != UIT_NONE)
        kiosk_self_test_failed(kiosk, self.fault, self.detail);
    kiosk_set_speech(kiosk, speech);
    kiosk_set_db_path(kiosk, db);
    RunOptions ro = {.fullscreen = a->fullscreen, .script = a->script};
    status = run_kiosk(ui, kiosk, &ro);
cleanup:
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
        return check_cmd_main(argc, argv);
    if (argc > 1 && strcmp(argv[1], "export") == 0)
        return export_cmd_main(argc, argv);
    if (argc > 1 && strcmp(argv[1], "key") == 0)
        return key_cmd_main(argc, argv);
    if (argc > 1 && strcmp(argv[1], "stats") == 0)
        return stats_cmd_main(argc, argv);
    if (argc > 1 && strcmp(argv[1], "picture") == 0)
        return picload_command(argc, argv);
    int r = parse_args(argc, argv, 1, &a);
    if (r != 0)
        return r < 0 ? 2 : 0;
    return cmd_kiosk(&a);
}
