/* staff: the staff mode state machine and its views. It owns the PIN entry
 * (never kept beyond the pad), the lockout, the clock being edited, the
 * answer under review and the signing key shown on the overview; the stick
 * is staff_stick.c's; storage keeps everything that must survive. */
#include "staff.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../core/clock.h"
#include "../core/log.h"
#include "../core/mem.h"
#include "../core/str.h"
#include "../storage/store_export.h"
#include "../storage/store_responses.h"
#include "clockwatch.h"
#include "retention.h"
#include "staff_private.h"
#include "workshop.h"

#define REVIEW_COUNT_MAX 1000

const char *const staff_clock_ids[CF_COUNT] = {"day", "month", "year", "hour", "minute"};
const UiTextId staff_clock_names[CF_COUNT] = {UIT_STAFF_DAY, UIT_STAFF_MONTH, UIT_STAFF_YEAR,
                                              UIT_STAFF_HOUR, UIT_STAFF_MINUTE};

int staff_lock_seconds(const KsConfig *cfg, int failures)
{
    if (failures < cfg->pin_free_tries)
        return 0;
    int64_t s = cfg->pin_lock_s, max = cfg->pin_lock_max_s;
    for (int i = cfg->pin_free_tries; i < failures && s < max; i++)
        s *= 2;
    return s > max ? (int)max : (int)s;
}

static void save_failures(Staff *s)
{
    char num[16];
    snprintf(num, sizeof num, "%d", s->failures);
    KsStatus ks = store_setting_set(s->store, STAFF_KEY_FAILURES, num);
    if (ks != KS_OK)
        LOG_ERROR("wrong-PIN count not stored: %s", ks_status_str(ks));
}

Staff *staff_create(const KsConfig *cfg, Catalog *catalog, Store *store, const char *db_path)
{
    Staff *s = xcalloc(1, sizeof *s);
    s->cfg = cfg;
    s->catalog = catalog;
    s->store = store;
    s->db_path = db_path;
    s->pin_msg = s->clock_msg = s->export_msg = NO_TEXT;
    s->overview = xcalloc(1, sizeof *s->overview);
    s->import = xcalloc(1, sizeof *s->import);
    s->import->lang = cfg->staff_language;
    s->exp = staff_export_create();
    s->forms_msg = NO_TEXT;
    if (sodium_init() < 0)
        LOG_ERROR("libsodium could not start: staff PINs cannot be checked");
    char num[16];
    if (store && store_setting_get(store, STAFF_KEY_FAILURES, num, sizeof num) == KS_OK)
        s->failures = atoi(num);
    if (s->failures < 0)
        s->failures = 0;
    /* After a restart the monotonic clock starts again: the whole wait
     * applies anew rather than none of it. */
    int lock = staff_lock_seconds(s->cfg, s->failures);
    if (lock > 0)
        s->locked_until_ms = clock_mono_ms() + (int64_t)lock * 1000;
    return s;
}

static void drop_review_png(Staff *s)
{
    if (s->review_png[0])
        unlink(s->review_png);
    s->review_png[0] = '\0';
}

void staff_destroy(Staff *s)
{
    if (!s)
        return;
    /* A running export is asked to stop first: the kiosk is shutting down. */
    staff_export_destroy(s->exp);
    drop_review_png(s);
    sodium_memzero(s->pin, sizeof s->pin);
    sodium_memzero(s->first_pin, sizeof s->first_pin);
    free(s->overview);
    free(s->import);
    free(s);
}

static bool pin_is_set(Staff *s)
{
    char hash[crypto_pwhash_STRBYTES];
    return s->store &&
           store_setting_get(s->store, STAFF_KEY_PIN_HASH, hash, sizeof hash) == KS_OK && hash[0];
}

static void clear_pin(Staff *s)
{
    sodium_memzero(s->pin, sizeof s->pin);
}

void staff_open(Staff *s)
{
    s->active = true;
    s->screen = KS_SCREEN_STAFF_PIN;
    s->stage = pin_is_set(s) ? PIN_VERIFY : PIN_SET;
    s->pin_msg = NO_TEXT;
    clear_pin(s);
    sodium_memzero(s->first_pin, sizeof s->first_pin);
    s->last_activity_ms = clock_mono_ms();
    LOG_INFO("staff mode: PIN pad opened%s", s->stage == PIN_SET ? " (no PIN set yet)" : "");
}

bool staff_active(const Staff *s)
{
    return s && s->active;
}

bool staff_busy(const Staff *s)
{
    return s && staff_export_running(s->exp);
}

KsScreen staff_screen(const Staff *s)
{
    return s->screen;
}

static void leave(Staff *s)
{
    s->active = false;
    s->export_unseen = false;
    s->have_key = false; /* read afresh next time: a technician may have replaced it */
    clear_pin(s);
    sodium_memzero(s->first_pin, sizeof s->first_pin);
    drop_review_png(s);
    LOG_INFO("staff mode closed");
}

bool staff_locked(const Staff *s)
{
    return s->locked_until_ms > 0 && clock_mono_ms() < s->locked_until_ms;
}

/* ---- PIN ------------------------------------------------------------- */

/* Argon2id with libsodium's INTERACTIVE limits (2 passes, 64 MiB): about
 * 0.1 s on a desktop and well under 1 s on a Raspberry Pi 3/4, which is
 * the budget for a PIN pad; the lockout, not the hash cost, is what stops
 * guessing a short PIN on the device. */
static KsStatus store_new_pin(Staff *s, const char *pin)
{
    char hash[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(hash, pin, strlen(pin), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
        LOG_ERROR("PIN hash failed (out of memory?)");
        return KS_ERR_NOMEM;
    }
    return store_setting_set(s->store, STAFF_KEY_PIN_HASH, hash);
}

static bool pin_matches(Staff *s, const char *pin)
{
    char hash[crypto_pwhash_STRBYTES];
    if (store_setting_get(s->store, STAFF_KEY_PIN_HASH, hash, sizeof hash) != KS_OK)
        return false;
    return crypto_pwhash_str_verify(hash, pin, strlen(pin)) == 0;
}

static void go_screen(Staff *s, KsScreen screen);

static void pin_ok(Staff *s)
{
    size_t len = strlen(s->pin);
    switch (s->stage) {
    case PIN_VERIFY:
        if (pin_matches(s, s->pin)) {
            if (s->failures != 0) {
                s->failures = 0;
                save_failures(s);
            }
            s->locked_until_ms = 0;
            LOG_INFO("staff mode: PIN accepted");
            go_screen(s, KS_SCREEN_STAFF_OVERVIEW);
        } else {
            s->failures++;
            save_failures(s);
            int lock = staff_lock_seconds(s->cfg, s->failures);
            s->locked_until_ms = lock > 0 ? clock_mono_ms() + (int64_t)lock * 1000 : 0;
            s->pin_msg = UIT_STAFF_PIN_WRONG;
            LOG_WARN("staff mode: wrong PIN (%d in a row; locked for %d s)", s->failures, lock);
        }
        break;
    case PIN_SET:
        if (len < (size_t)s->cfg->pin_min_digits) {
            s->pin_msg = UIT_STAFF_PIN_LENGTH;
            break;
        }
        memcpy(s->first_pin, s->pin, sizeof s->pin);
        s->stage = PIN_REPEAT;
        s->pin_msg = NO_TEXT;
        break;
    case PIN_REPEAT:
        if (strcmp(s->pin, s->first_pin) != 0) {
            s->stage = PIN_SET;
            s->pin_msg = UIT_STAFF_PIN_MISMATCH;
        } else if (store_new_pin(s, s->pin) != KS_OK) {
            s->stage = PIN_SET;
            s->pin_msg = UIT_FAULT_DATABASE;
        } else {
            LOG_INFO("staff mode: a new staff PIN was set");
            s->failures = 0;
            save_failures(s);
            go_screen(s, KS_SCREEN_STAFF_OVERVIEW);
        }
        sodium_memzero(s->first_pin, sizeof s->first_pin);
        break;
    }
    clear_pin(s);
}

static void pin_tap(Staff *s, const char *key)
{
    if (staff_locked(s))
        return;
    size_t len = strlen(s->pin);
    if (strcmp(key, "ok") == 0) {
        pin_ok(s);
    } else if (strcmp(key, "backspace") == 0) {
        if (len > 0)
            s->pin[len - 1] = '\0';
    } else if (key[0] >= '0' && key[0] <= '9' && !key[1] && len < PIN_MAX) {
        s->pin[len] = key[0];
        s->pin[len + 1] = '\0';
        s->pin_msg = NO_TEXT;
    }
}

/* ---- clock ----------------------------------------------------------- */

static int days_in_month(int year, int month)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : d[(month - 1) % 12];
}

static void clock_load(Staff *s)
{
    time_t now = (time_t)(clock_wall_ms() / 1000);
    struct tm tm;
    gmtime_r(&now, &tm);
    s->clock_f[CF_DAY] = tm.tm_mday;
    s->clock_f[CF_MONTH] = tm.tm_mon + 1;
    s->clock_f[CF_YEAR] = tm.tm_year + 1900;
    s->clock_f[CF_HOUR] = tm.tm_hour;
    s->clock_f[CF_MINUTE] = tm.tm_min;
}

/* Each field wraps within its own range, as on a watch; the day follows
 * the month's length. */
static void clock_step(Staff *s, int f, int d)
{
    static const int lo[CF_COUNT] = {1, 1, 2024, 0, 0};
    static const int hi[CF_COUNT] = {31, 12, 2099, 23, 59};
    int *v = s->clock_f;
    int top = f == CF_DAY ? days_in_month(v[CF_YEAR], v[CF_MONTH]) : hi[f];
    v[f] += d;
    if (v[f] > top)
        v[f] = lo[f];
    if (v[f] < lo[f])
        v[f] = top;
    int dim = days_in_month(v[CF_YEAR], v[CF_MONTH]);
    if (v[CF_DAY] > dim)
        v[CF_DAY] = dim;
    s->clock_msg = NO_TEXT;
}

static void clock_apply(Staff *s)
{
    struct tm tm = {0};
    tm.tm_mday = s->clock_f[CF_DAY];
    tm.tm_mon = s->clock_f[CF_MONTH] - 1;
    tm.tm_year = s->clock_f[CF_YEAR] - 1900;
    tm.tm_hour = s->clock_f[CF_HOUR];
    tm.tm_min = s->clock_f[CF_MINUTE];
    int64_t ms = (int64_t)timegm(&tm) * 1000;
    KsStatus ks = clock_set_wall(ms);
    s->clock_msg = ks == KS_OK ? UIT_STAFF_CLOCK_DONE : UIT_STAFF_CLOCK_FAILED;
    char iso[32];
    clock_format_iso(ms, iso);
    if (ks == KS_OK) {
        LOG_INFO("staff mode: clock set to %s", iso);
        clockwatch_resolve(s->cw, true);
    }
}

/* Staff say the time shown is right: the clock is trusted again. */
static void clock_confirm(Staff *s)
{
    if (!clockwatch_in_doubt(s->cw))
        return;
    clockwatch_resolve(s->cw, false);
    clock_load(s);
    s->clock_msg = UIT_STAFF_CLOCK_CONFIRMED;
}

static void clock_tap(Staff *s, const char *id)
{
    if (strcmp(id, "clock:ok") == 0) {
        clock_apply(s);
        return;
    }
    if (strcmp(id, "clock:confirm") == 0) {
        clock_confirm(s);
        return;
    }
    for (int f = 0; f < CF_COUNT; f++) {
        size_t n = strlen(staff_clock_ids[f]);
        if (strncmp(id + 6, staff_clock_ids[f], n) == 0 && id[6 + n] == ':' && !id[8 + n]) {
            if (id[7 + n] == '+' || id[7 + n] == '-')
                clock_step(s, f, id[7 + n] == '+' ? 1 : -1);
            return;
        }
    }
}

/* ---- review ---------------------------------------------------------- */

static KsStatus on_pending(void *ctx, const StoreExportSession *es, const StoreExportAnswer *a)
{
    Staff *s = ctx;
    if (s->review_count++ > 0)
        return KS_OK;
    s->have_review = true;
    s->review_session = es->id;
    str_copy(s->review_form, sizeof s->review_form, es->form_id ? es->form_id : "");
    str_copy(s->review_question, sizeof s->review_question, a->question ? a->question : "");
    str_copy(s->review_text, sizeof s->review_text, a->has_media ? "" : (a->value ? a->value : ""));
    return KS_OK;
}

/* Writes the drawing under review to a file of its own for the view (the UI
 * caches pictures by path, so each gets a new name). */
static void review_picture(Staff *s)
{
    uint8_t *png = NULL;
    size_t n = 0;
    if (store_answer_media_get(s->store, s->review_session, s->review_question, &png, &n) != KS_OK)
        return;
    const char *dir = getenv("TMPDIR");
    snprintf(s->review_png, sizeof s->review_png, "%s/km2kiosk-review-%ld-%u.png",
             dir && dir[0] ? dir : "/tmp", (long)getpid(), ++s->review_serial);
    FILE *f = fopen(s->review_png, "wb");
    bool ok = f && fwrite(png, 1, n, f) == n;
    if (f && fclose(f) != 0)
        ok = false;
    if (!ok) {
        LOG_WARN("cannot write %s for review", s->review_png);
        unlink(s->review_png);
        s->review_png[0] = '\0';
    }
    free(png);
}

static void review_load(Staff *s)
{
    drop_review_png(s);
    s->have_review = false;
    s->review_count = 0;
    KsStatus ks = store_review_pending(s->store, REVIEW_COUNT_MAX, on_pending, s);
    if (ks != KS_OK)
        LOG_ERROR("answers for review not read: %s", ks_status_str(ks));
    if (s->have_review && !s->review_text[0])
        review_picture(s);
}

static void review_tap(Staff *s, const char *id)
{
    if (!s->have_review)
        return;
    StoreReview r = strcmp(id, "review:approve") == 0  ? STORE_REVIEW_APPROVED
                    : strcmp(id, "review:reject") == 0 ? STORE_REVIEW_REJECTED
                                                       : STORE_REVIEW_NONE;
    if (r == STORE_REVIEW_NONE)
        return;
    KsStatus ks =
        store_review_set(s->store, s->review_session, s->review_question, r, clock_wall_ms());
    if (ks != KS_OK)
        LOG_ERROR("review not stored: %s", ks_status_str(ks));
    review_load(s);
}

/* ---- import ----------------------------------------------------------- */

/* The writable forms folder: forms_dir, or "forms" beside the database. */
static void forms_dir(const Staff *s, char *out, size_t size)
{
    if (s->cfg->forms_dir[0]) {
        str_copy(out, size, s->cfg->forms_dir);
        return;
    }
    const char *slash = s->db_path ? strrchr(s->db_path, '/') : NULL;
    snprintf(out, size, "%.*s/forms", slash ? (int)(slash - s->db_path) : 1,
             slash ? s->db_path : ".");
}

static void import_open(Staff *s)
{
    s->importing = true;
    s->import_result = false;
    s->import->text[0] = '\0';
    s->forms_msg = NO_TEXT;
    staff_stick_poll(s);
    staff_import_scan(s->import, s->have_stick ? s->stick.mount : NULL);
}

static void import_tap(Staff *s, const char *name)
{
    int i = staff_import_find(s->import, name);
    if (i < 0)
        return;
    char dir[CONFIG_PATH_MAX];
    forms_dir(s, dir, sizeof dir);
    /* Adding to the catalog moves no Form a view or session holds (see
     * catalog_add_path). */
    bool ok = staff_import_install(s->import, i, s->catalog, s->store, dir);
    if (ok)
        s->importing = false; /* back to the installed forms, the new one among them */
    s->import_result = !ok && s->import->problems;
}

/* ---- screens --------------------------------------------------------- */

/* The signing key for the overview, created when there is none (staff may
 * open the overview before the first export), and its QR picture beside
 * the database. Loaded once per staff mode; tried again while it fails. */
static void key_load(Staff *s)
{
    if (s->have_key || !s->db_path)
        return;
    if (staff_key_load(s->db_path, &s->key, NULL) != KS_OK)
        return;
    s->have_key = true;
    if (staff_key_qr(s->db_path, &s->key, s->key_qr, sizeof s->key_qr) != KS_OK)
        s->key_qr[0] = '\0';
}

static void go_screen(Staff *s, KsScreen screen)
{
    s->screen = screen;
    switch (screen) {
    case KS_SCREEN_STAFF_OVERVIEW:
        if (staff_overview_gather(s->store, s->db_path, s->overview) != KS_OK)
            LOG_WARN("staff overview incomplete");
        key_load(s);
        break;
    case KS_SCREEN_STAFF_CLOCK:
        clock_load(s);
        s->clock_msg = NO_TEXT;
        break;
    case KS_SCREEN_STAFF_REVIEW:
        review_load(s);
        break;
    case KS_SCREEN_STAFF_EXPORT:
        /* A running export, or a result that came in while another page
         * showed, stays on the page. */
        if (staff_busy(s) || s->export_unseen) {
            s->export_unseen = false;
            staff_stick_poll(s);
            break;
        }
        s->export_msg = NO_TEXT;
        s->export_text[0] = '\0';
        s->export_qr[0] = '\0';
        /* The stick may have been swapped while the page was not shown:
         * its receipts are read again. */
        s->acks_mount[0] = '\0';
        s->acks_text[0] = '\0';
        staff_stick_poll(s);
        break;
    case KS_SCREEN_STAFF_WORKSHOP:
        if (s->ws)
            workshop_staff_enter(s->ws);
        break;
    case KS_SCREEN_STAFF_FORMS:
        s->importing = s->import_result = false;
        s->forms_msg = NO_TEXT;
        s->import->text[0] = '\0';
        break;
    default:
        break;
    }
}

const StaffNav staff_nav[STAFF_NAV_COUNT] = {
    {"staff:overview", KS_SCREEN_STAFF_OVERVIEW}, {"staff:clock", KS_SCREEN_STAFF_CLOCK},
    {"staff:forms", KS_SCREEN_STAFF_FORMS},       {"staff:review", KS_SCREEN_STAFF_REVIEW},
    {"staff:export", KS_SCREEN_STAFF_EXPORT},     {"staff:workshop", KS_SCREEN_STAFF_WORKSHOP},
};

void staff_set_clockwatch(Staff *s, struct ClockWatch *cw)
{
    if (s)
        s->cw = cw;
}

void staff_set_workshop(Staff *s, struct Workshop *w)
{
    if (s)
        s->ws = w;
}

bool staff_is_ws_screen(KsScreen s)
{
    return view_screen_owner(s) == KS_OWNER_STAFF_WORKSHOP;
}

void staff_tap(Staff *s, const char *id)
{
    if (!s->active)
        return;
    s->last_activity_ms = clock_mono_ms();
    if (s->screen == KS_SCREEN_STAFF_PIN) {
        if (strcmp(id, "staff:cancel") == 0)
            leave(s);
        else if (strncmp(id, "pin:", 4) == 0)
            pin_tap(s, id + 4);
        return;
    }
    if (strcmp(id, "staff:exit") == 0) {
        if (staff_busy(s)) {
            /* Staff mode stays open until the export has finished: its
             * result (and the QR receipt to scan) must be seen, and the
             * stick must not be pulled while it is written. */
            go_screen(s, KS_SCREEN_STAFF_EXPORT);
            s->export_msg = UIT_EXPORT_BUSY_STAY;
            return;
        }
        leave(s);
        return;
    }
    for (int i = 0; i < STAFF_NAV_COUNT; i++) {
        if (strcmp(id, staff_nav[i].id) == 0) {
            go_screen(s, staff_nav[i].screen);
            return;
        }
    }
    if (staff_is_ws_screen(s->screen)) {
        if (s->ws)
            s->screen = workshop_staff_tap(s->ws, id);
        return;
    }
    if (s->screen == KS_SCREEN_STAFF_CLOCK && strncmp(id, "clock:", 6) == 0) {
        clock_tap(s, id);
    } else if (s->screen == KS_SCREEN_STAFF_FORMS && staff_busy(s) &&
               (strcmp(id, "forms:import") == 0 || strncmp(id, "import:", 7) == 0)) {
        /* The export reads the catalog an import would add to. */
        str_copy(s->import->text, sizeof s->import->text,
                 uitext_get(staff_lang(s), UIT_EXPORT_BUSY));
        s->importing = s->import_result = false;
    } else if (s->screen == KS_SCREEN_STAFF_FORMS && strcmp(id, "forms:import") == 0) {
        import_open(s);
    } else if (s->screen == KS_SCREEN_STAFF_FORMS && strcmp(id, "import:back") == 0) {
        if (s->import_result)
            import_open(s); /* from the problems back to the stick's list */
        else
            go_screen(s, KS_SCREEN_STAFF_FORMS);
    } else if (s->screen == KS_SCREEN_STAFF_FORMS && s->importing &&
               strncmp(id, "import:", 7) == 0) {
        import_tap(s, id + 7);
    } else if (s->screen == KS_SCREEN_STAFF_FORMS && strncmp(id, "form:", 5) == 0) {
        if (catalog_find(s->catalog, id + 5)) {
            bool on = store_form_is_active(s->store, id + 5);
            KsStatus ks = store_form_set_active(s->store, id + 5, !on);
            if (ks != KS_OK)
                LOG_ERROR("form %s not switched: %s", id + 5, ks_status_str(ks));
            else
                LOG_INFO("staff mode: form %s switched %s", id + 5, on ? "off" : "on");
        }
    } else if (s->screen == KS_SCREEN_STAFF_REVIEW) {
        review_tap(s, id);
    } else if (s->screen == KS_SCREEN_STAFF_EXPORT && strcmp(id, "export:start") == 0) {
        staff_stick_export(s, NULL);
    } else if (s->screen == KS_SCREEN_STAFF_EXPORT && strcmp(id, "export:again") == 0) {
        StoreBatch last;
        if (staff_busy(s))
            staff_stick_export(s, NULL); /* says that one runs */
        else if (store_batch_last(s->store, &last) == KS_OK)
            staff_stick_export(s, last.id);
    } else if (s->screen == KS_SCREEN_STAFF_EXPORT && strcmp(id, "export:eject") == 0) {
        if (staff_busy(s))
            s->export_msg = UIT_EXPORT_BUSY;
        else
            staff_stick_eject(s);
    }
}

void staff_touch(Staff *s)
{
    if (s && s->active)
        s->last_activity_ms = clock_mono_ms();
}

int staff_lock_left_s(const Staff *s)
{
    int64_t left = s->locked_until_ms - clock_mono_ms();
    return left <= 0 ? 0 : (int)((left + 999) / 1000);
}

/* The export on its worker thread, looked at once a frame (every
 * STAFF_EXPORT_FRAME_MS on the kiosk's clock; never at the instant it
 * started, so a script's `dump` right after the tap shows it running): its
 * result once it has finished, else whether its progress moved since the
 * page was last built. */
static bool export_tick(Staff *s)
{
    if (!staff_busy(s) || clock_mono_ms() < s->export_next_ms)
        return false;
    s->export_next_ms = clock_mono_ms() + STAFF_EXPORT_FRAME_MS;
    if (staff_stick_collect(s)) {
        s->export_msg = NO_TEXT;
        s->export_unseen = s->screen != KS_SCREEN_STAFF_EXPORT;
        /* Staff get their full idle time to read the result. */
        s->last_activity_ms = clock_mono_ms();
        return true;
    }
    ExportProgress p;
    if (!staff_export_progress(s->exp, &p))
        return false;
    /* No idle end while it runs: leaving is refused until it has finished. */
    s->last_activity_ms = clock_mono_ms();
    const ExportProgress *was = &s->shown_progress;
    bool moved = p.phase != was->phase || p.files_done != was->files_done ||
                 p.bytes_done != was->bytes_done || p.bytes_total != was->bytes_total;
    s->shown_progress = p;
    return moved && s->screen == KS_SCREEN_STAFF_EXPORT;
}

bool staff_tick(Staff *s)
{
    if (!s->active)
        return false;
    if (export_tick(s))
        return true;
    int64_t now = clock_mono_ms();
    if (!staff_busy(s) && now - s->last_activity_ms >= (int64_t)s->cfg->staff_idle_s * 1000) {
        LOG_INFO("staff mode: %d s without a touch", s->cfg->staff_idle_s);
        leave(s);
        return true;
    }
    if (staff_stick_watched(s) && now >= s->next_poll_ms && staff_stick_poll(s)) {
        /* A stick came or went: the import list follows it. */
        if (s->screen == KS_SCREEN_STAFF_FORMS && s->importing && !s->import_result)
            staff_import_scan(s->import, s->have_stick ? s->stick.mount : NULL);
        return true;
    }
    if (s->locked_until_ms > 0 && !staff_locked(s)) {
        s->locked_until_ms = 0; /* the wait is over: the keys come back */
        return s->screen == KS_SCREEN_STAFF_PIN;
    }
    /* The pad counts the lockout down once a second. */
    return s->screen == KS_SCREEN_STAFF_PIN && s->locked_until_ms > 0;
}

int64_t staff_next_deadline(const Staff *s)
{
    if (!s->active)
        return -1;
    /* While an export runs, its progress is drawn about ten times a second
     * (and the main loop, which pings the watchdog, keeps turning). */
    if (staff_busy(s))
        return s->export_next_ms;
    int64_t idle = s->last_activity_ms + (int64_t)s->cfg->staff_idle_s * 1000;
    if (s->screen == KS_SCREEN_STAFF_PIN && staff_locked(s)) {
        int64_t now = clock_mono_ms();
        int64_t left = s->locked_until_ms - now;
        int64_t next = now + ((left - 1) % 1000) + 1; /* the next whole second left */
        return next < idle ? next : idle;
    }
    if (staff_stick_watched(s) && s->next_poll_ms < idle)
        return s->next_poll_ms;
    return idle;
}
