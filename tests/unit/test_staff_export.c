/* test_staff_export: the staff export page through the kiosk state machine,
 * without a UI, on the real clock: the staff screens follow kiosk.conf's
 * staff_language (Arabic right to left), and an export's result and an
 * eject are worded from the catalogs in that language. The export runs
 * beside the UI: with a slow stick (every file opened on it waits) a loop
 * like the kiosk's main loop keeps producing frames and watchdog pings
 * (caught on a fake service manager's socket) while the progress goes
 * through its phases, the result equals a fast stick's, a second export is
 * refused and leaving staff mode waits; after a failed export the stick can
 * be ejected; a kiosk shut down mid-export stops it with nothing marked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* clang-format off: cmocka needs the four above first */
#include <cmocka.h>
/* clang-format on */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "../../export/export.h"
#include "../../firmware/app/kiosk.h"
#include "../../firmware/app/staff_export_text.h"
#include "../../firmware/app/uitext.h"
#include "../../firmware/core/clock.h"
#include "../../firmware/core/config.h"
#include "../../firmware/core/log.h"
#include "../../firmware/storage/store_export.h"
#include "../../firmware/storage/store_responses.h"
#include "../../firmware/storage/store_stats.h"
#include "../../firmware/sys/safe_copy.h"
#include "../../firmware/sys/service.h"
#include "../test_files.h"
#include "../test_locale.h"
#include "../test_main.h"
#include "../test_tmp.h"
#include "export_fixture.h"
#include "kiosk_fixture.h" /* tap(), find(), staff_in() */

#define T0 1795556918000LL /* 2026-11-24 */
#define N_SESSIONS 6
#define PIN "2468"

typedef struct {
    StoreFixture sf;
    char mounts[128];
    Kiosk *k;
} Fx;

static void plug(Fx *f, bool in)
{
    FILE *fp = fopen(f->mounts, "w");
    assert_non_null(fp);
    fputs("proc /proc proc rw 0 0\n", fp);
    if (in)
        fprintf(fp, "/dev/sdz1 %s vfat rw 0 0\n", f->sf.stick);
    fclose(fp);
}

static Fx *fx_new(void)
{
    Fx *f = store_fixture_new(sizeof(Fx), "ks_staff_export", 0, SAMPLE_FORMS);
    snprintf(f->mounts, sizeof f->mounts, "%s/mounts", f->sf.dir);
    plug(f, true);
    snprintf(f->sf.cfg.kiosk_id, sizeof f->sf.cfg.kiosk_id, "foyer");
    snprintf(f->sf.cfg.usb_root, sizeof f->sf.cfg.usb_root, "%s", f->sf.media);
    snprintf(f->sf.cfg.usb_mounts, sizeof f->sf.cfg.usb_mounts, "%s", f->mounts);
    snprintf(f->sf.cfg.usb_eject, sizeof f->sf.cfg.usb_eject, "false"); /* synced only */
    sample_sessions(f->sf.store, f->sf.cat, T0, N_SESSIONS, "schule=4 lesen=3");
    return f;
}

static void fx_free(Fx *f)
{
    safe_copy_fault_delay_ms(0);
    safe_copy_fault_fail_nth(0, 0);
    kiosk_destroy(f->k);
    store_fixture_free(f);
}

static int setup(void **state)
{
    *state = fx_new();
    return 0;
}

static int teardown(void **state)
{
    fx_free(*state);
    return 0;
}

/* The kiosk with the fixture's configuration, in staff mode (a PIN chosen
 * at the first start), on the overview. */
static void staff_in_kiosk(Fx *f)
{
    f->k = kiosk_create(&f->sf.cfg, f->sf.cat, f->sf.store, KS_OK);
    kiosk_set_db_path(f->k, f->sf.db);
    staff_in(f->k, PIN);
}

/* ---- a loop like the kiosk's main loop (firmware/run.c) ---------------- */

/* A fake service manager: the socket NOTIFY_SOCKET names, set before the
 * first watchdog ping of the process (main). */
#define WATCHDOG_USEC 1000000 /* the kiosk pings every 500 ms */
static int g_notify = -1;

static int64_t real_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void notify_open(const char *dir)
{
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    snprintf(a.sun_path, sizeof a.sun_path, "%s/notify.sock", dir);
    g_notify = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (g_notify < 0 || bind(g_notify, (struct sockaddr *)&a, sizeof a) != 0)
        exit(1);
    setenv("NOTIFY_SOCKET", a.sun_path, 1);
    char usec[32];
    snprintf(usec, sizeof usec, "%d", WATCHDOG_USEC);
    setenv("WATCHDOG_USEC", usec, 1);
    if (service_ping_interval_ms() != WATCHDOG_USEC / 2000)
        exit(1);
}

typedef struct {
    int frames;           /* kiosk ticks and views while the export ran */
    int64_t frame_gap_ms; /* the longest time between two of them */
    int pings;            /* WATCHDOG=1 received meanwhile */
    int64_t ping_gap_ms;  /* the longest time between two of them */
    int64_t last_ping_ms;
    int phases[8]; /* the phases shown, in order, each once */
    int n_phases;
    int64_t took_ms;
} Loop;

static void read_pings(Loop *lp)
{
    char buf[256];
    ssize_t n;
    while ((n = recv(g_notify, buf, sizeof buf - 1, 0)) > 0) {
        buf[n] = '\0';
        if (strcmp(buf, "WATCHDOG=1") != 0)
            continue;
        int64_t now = real_ms();
        if (lp->last_ping_ms > 0 && now - lp->last_ping_ms > lp->ping_gap_ms)
            lp->ping_gap_ms = now - lp->last_ping_ms;
        lp->last_ping_ms = now;
        lp->pings++;
    }
}

/* The phase a view of the export page shows, from its bar (-1: none). */
static int shown_phase(const KsView *v)
{
    if (v->screen != KS_SCREEN_STAFF_EXPORT || v->progress_total <= 0)
        return -1;
    int pos = v->progress_pos;
    return pos < 50    ? EXPORT_PHASE_BUILDING
           : pos < 500 ? EXPORT_PHASE_WRITING
           : pos < 950 ? EXPORT_PHASE_READING_BACK
                       : EXPORT_PHASE_VERIFYING;
}

/* One turn of the loop: sleep until the kiosk's next deadline (or the next
 * ping), tick, take the view, ping; as run.c does. */
static void turn(Fx *f, Loop *lp, int64_t *last)
{
    int64_t wait = kiosk_next_deadline(f->k) - clock_mono_ms();
    int64_t ping = service_ping();
    if (ping >= 0 && ping < wait)
        wait = ping;
    wait = wait < 1 ? 1 : (wait > 1000 ? 1000 : wait);
    struct timespec ts = {0, (long)wait * 1000000};
    nanosleep(&ts, NULL);
    kiosk_tick(f->k);
    const KsView *v = kiosk_view(f->k);
    (void)service_ping();
    int64_t now = real_ms();
    if (now - *last > lp->frame_gap_ms)
        lp->frame_gap_ms = now - *last;
    *last = now;
    lp->frames++;
    read_pings(lp);
    int ph = shown_phase(v);
    if (ph >= 0 && (lp->n_phases == 0 || lp->phases[lp->n_phases - 1] != ph) && lp->n_phases < 8)
        lp->phases[lp->n_phases++] = ph;
}

/* Taps "export now" and turns the loop until the export has finished; on
 * the way, every step of the progress bar is forward. */
static void export_in_loop(Fx *f, Loop *lp)
{
    memset(lp, 0, sizeof *lp);
    read_pings(lp); /* what came before */
    lp->pings = 0;
    lp->ping_gap_ms = 0;
    tap(f->k, "export:start");
    assert_true(kiosk_busy(f->k));
    const KsView *v = kiosk_view(f->k);
    lp->phases[lp->n_phases++] = shown_phase(v);
    int64_t start = real_ms(), last = start;
    int pos = v->progress_pos;
    while (kiosk_busy(f->k)) {
        turn(f, lp, &last);
        v = kiosk_view(f->k);
        if (v->progress_total > 0) {
            assert_true(v->progress_pos >= pos);
            pos = v->progress_pos;
        }
        assert_true(real_ms() - start < 120000);
    }
    lp->took_ms = real_ms() - start;
    read_pings(lp);
}

/* The batch folder's files on the stick, relative and sorted, one a line. */
static void bag_files(const char *dir, const char *rel, char *out, size_t size)
{
    char path[512];
    snprintf(path, sizeof path, "%s%s%s", dir, rel[0] ? "/" : "", rel);
    struct dirent **names = NULL;
    int n = scandir(path, &names, NULL, alphasort);
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        if (name[0] != '.') {
            char sub[512], full[1024];
            snprintf(sub, sizeof sub, "%s%s%s", rel, rel[0] ? "/" : "", name);
            snprintf(full, sizeof full, "%s/%s", dir, sub);
            struct stat sb;
            if (stat(full, &sb) == 0 && S_ISDIR(sb.st_mode)) {
                bag_files(dir, sub, out, size);
            } else {
                size_t len = strlen(out);
                snprintf(out + len, size - len, "%s\n", sub);
            }
        }
        free(names[i]);
    }
    free(names);
}

/* What an export left: the batch in the ledger, its files on the stick,
 * the sessions still waiting. */
typedef struct {
    char batch[48];
    int rows;
    int pending;
    char files[4096];
} Left;

static void what_is_left(Fx *f, Left *l)
{
    memset(l, 0, sizeof *l);
    StoreBatch b;
    if (store_batch_last(f->sf.store, &b) == KS_OK) {
        snprintf(l->batch, sizeof l->batch, "%s", b.id);
        l->rows = b.rows;
        char top[256];
        snprintf(top, sizeof top, "%s/KM2KIOSK/%s", f->sf.stick, b.id);
        bag_files(top, "", l->files, sizeof l->files);
    }
    int flagged = 0;
    assert_int_equal(store_stats_pending(f->sf.store, &l->pending, &flagged), KS_OK);
}

/* Folders in KM2KIOSK/ on the stick (finished batches and leftovers). */
static int stick_folders(Fx *f)
{
    char top[256];
    snprintf(top, sizeof top, "%s/KM2KIOSK", f->sf.stick);
    DIR *d = opendir(top);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        n += e->d_name[0] != '.' && e->d_type == DT_DIR;
    closedir(d);
    return n;
}

/* ---- the tests ---------------------------------------------------------- */

/* staff_language = ar: every staff page in Arabic, right to left; the
 * export's result and the eject in Arabic words from the catalog. */
static void test_staff_language(void **state)
{
    Fx *f = *state;
    snprintf(f->sf.cfg.staff_language, sizeof f->sf.cfg.staff_language, "ar");
    staff_in_kiosk(f);
    const KsView *v = kiosk_view(f->k);
    assert_string_equal(v->lang, "ar");
    assert_true(v->rtl);
    assert_string_equal(v->title, uitext_get("ar", UIT_STAFF_OVERVIEW));
    assert_string_equal(find(v, "staff:export")->text, uitext_get("ar", UIT_STAFF_EXPORT));
    assert_string_equal(find(v, "staff:exit")->text, uitext_get("ar", UIT_STAFF_EXIT));
    tap(f->k, "staff:workshop");
    v = kiosk_view(f->k);
    assert_true(v->rtl);
    assert_string_equal(find(v, "ws:start")->text, uitext_get("ar", UIT_STAFF_WS_START));
    tap(f->k, "staff:export");
    v = kiosk_view(f->k);
    assert_true(v->rtl);
    assert_string_equal(find(v, "export:start")->text, uitext_get("ar", UIT_STAFF_EXPORT_START));
    Loop lp;
    export_in_loop(f, &lp);
    v = kiosk_view(f->k);
    assert_non_null(find(v, "export:qr"));
    StoreBatch b;
    assert_int_equal(store_batch_last(f->sf.store, &b), KS_OK);
    char where[96], want[512];
    snprintf(where, sizeof where, "%s/%s", EXPORT_DIR_NAME, b.id);
    uitext_format(want, sizeof want, "ar", UIT_EXPORT_DONE, N_SESSIONS, where);
    assert_non_null(strstr(v->message, want));
    assert_non_null(strstr(v->message, staff_eject_text(USB_EJECT_SYNCED, "ar")));
    assert_null(strstr(v->message, "Export"));
}

/* The default is German, as staff saw it before. */
static void test_staff_language_default(void **state)
{
    Fx *f = *state;
    staff_in_kiosk(f);
    const KsView *v = kiosk_view(f->k);
    assert_string_equal(v->lang, "de");
    assert_false(v->rtl);
    assert_string_equal(v->title, "Übersicht");
    tap(f->k, "staff:export");
    Loop lp;
    export_in_loop(f, &lp);
    v = kiosk_view(f->k);
    assert_non_null(strstr(v->message, "Export fertig: 6 Antworten in KM2KIOSK/"));
    assert_non_null(strstr(v->message, "Alles ist auf den Stick geschrieben."));
}

/* A slow stick (every file opened on it waits SLOW_MS) against a fast one:
 * while the slow export runs, frames and watchdog pings keep coming, the
 * bar goes forward through every phase, a second export and leaving staff
 * mode are refused with a word, other pages work; the result is the fast
 * stick's. */
#define SLOW_MS 50
static void test_slow_stick(void **state)
{
    Fx *slow = *state;

    /* The fast stick first: what an export leaves. */
    Fx *fast = fx_new();
    staff_in_kiosk(fast);
    tap(fast->k, "staff:export");
    Loop lp;
    export_in_loop(fast, &lp);
    Left want;
    what_is_left(fast, &want);
    int64_t fast_ms = lp.took_ms;
    fx_free(fast);
    assert_int_equal(want.rows, N_SESSIONS);
    assert_int_equal(want.pending, 0);
    assert_non_null(strstr(want.files, "data/responses.csv\n"));

    staff_in_kiosk(slow);
    tap(slow->k, "staff:export");
    safe_copy_fault_delay_ms(SLOW_MS);
    memset(&lp, 0, sizeof lp);
    tap(slow->k, "export:start");
    assert_true(kiosk_busy(slow->k));
    const KsView *v = kiosk_view(slow->k);
    lp.phases[lp.n_phases++] = shown_phase(v);
    assert_int_equal(lp.phases[0], EXPORT_PHASE_BUILDING);
    assert_non_null(strstr(v->message, "Export läuft: Der Export wird auf dem Kiosk vorbereitet"));
    /* A second tap on "export" does nothing but say so. */
    tap(slow->k, "export:start");
    assert_non_null(strstr(kiosk_view(slow->k)->message, "Ein Export läuft. Bitte warten"));
    /* Leaving staff mode waits for the export, and says why. */
    tap(slow->k, "staff:exit");
    v = kiosk_view(slow->k);
    assert_int_equal(v->screen, KS_SCREEN_STAFF_EXPORT);
    assert_non_null(strstr(v->message, "bleibt offen, bis er fertig ist"));
    /* Other pages work meanwhile, and the export page shows it again. */
    tap(slow->k, "staff:overview");
    assert_int_equal(kiosk_view(slow->k)->screen, KS_SCREEN_STAFF_OVERVIEW);
    tap(slow->k, "staff:export");
    assert_true(kiosk_view(slow->k)->progress_total > 0);
    read_pings(&lp);
    lp.pings = 0;
    int64_t start = real_ms(), last = start;
    int pos = 0;
    bool writing_line = false;
    while (kiosk_busy(slow->k)) {
        turn(slow, &lp, &last);
        v = kiosk_view(slow->k);
        if (v->progress_total > 0) {
            assert_true(v->progress_pos >= pos);
            pos = v->progress_pos;
            writing_line = writing_line || strstr(v->message, "Schreiben auf den Stick, Datei ");
        }
        assert_true(real_ms() - start < 120000);
    }
    lp.took_ms = real_ms() - start;
    read_pings(&lp);
    print_message("fast stick %lld ms; slow stick (%d ms a file) %lld ms: %d frames, longest gap "
                  "%lld ms; %d watchdog pings, longest gap %lld ms; phases",
                  (long long)fast_ms, SLOW_MS, (long long)lp.took_ms, lp.frames,
                  (long long)lp.frame_gap_ms, lp.pings, (long long)lp.ping_gap_ms);
    for (int i = 0; i < lp.n_phases; i++)
        print_message(" %d", lp.phases[i]);
    print_message("\n");

    /* It took long enough to matter, and the loop never stalled. */
    assert_true(lp.took_ms > 1000);
    assert_true(lp.frames >= lp.took_ms / 200);
    assert_true(lp.frame_gap_ms < 500);
    assert_true(lp.pings >= lp.took_ms / (WATCHDOG_USEC / 1000));
    assert_true(lp.ping_gap_ms < WATCHDOG_USEC / 1000); /* systemd would have waited this long */
    /* Every phase, in order. */
    assert_int_equal(lp.n_phases, 4);
    for (int i = 0; i < 4; i++)
        assert_int_equal(lp.phases[i], i);
    assert_true(writing_line);
    /* The result is the fast stick's: one batch, the same files, every
     * session marked. */
    v = kiosk_view(slow->k);
    assert_non_null(find(v, "export:qr"));
    assert_non_null(strstr(v->message, "Export fertig: 6 Antworten in KM2KIOSK/"));
    Left got;
    what_is_left(slow, &got);
    assert_int_equal(got.rows, want.rows);
    assert_int_equal(got.pending, 0);
    assert_string_equal(got.files, want.files);
    assert_int_equal(stick_folders(slow), 1);
    /* Leaving works again. */
    tap(slow->k, "staff:exit");
    assert_int_equal(kiosk_view(slow->k)->screen, KS_SCREEN_ATTRACT);
}

/* A stick pulled mid-export: the failure is shown, nothing is marked, and
 * a finger can eject at once. */
static void test_eject_after_failure(void **state)
{
    Fx *f = *state;
    staff_in_kiosk(f);
    tap(f->k, "staff:export");
    safe_copy_fault_fail_nth(6, EIO);
    Loop lp;
    export_in_loop(f, &lp);
    safe_copy_fault_fail_nth(0, 0);
    const KsView *v = kiosk_view(f->k);
    assert_non_null(strstr(v->message, "Der Stick wurde während des Schreibens entfernt"));
    assert_null(find(v, "export:qr"));
    Left got;
    what_is_left(f, &got);
    assert_int_equal(got.pending, N_SESSIONS);
    assert_string_equal(got.batch, "");
    assert_non_null(find(v, "export:eject"));
    tap(f->k, "export:eject");
    v = kiosk_view(f->k);
    assert_non_null(strstr(v->message, "Alles ist auf den Stick geschrieben."));
    assert_null(find(v, "export:eject"));
}

/* A kiosk shut down mid-export stops the export: it ends soon, with
 * nothing marked and no finished batch on the stick. */
static void test_stop_on_shutdown(void **state)
{
    Fx *f = *state;
    staff_in_kiosk(f);
    tap(f->k, "staff:export");
    safe_copy_fault_delay_ms(200);
    tap(f->k, "export:start");
    int64_t start = real_ms();
    Loop lp;
    memset(&lp, 0, sizeof lp);
    int64_t last = start;
    /* Into the writing. */
    while (shown_phase(kiosk_view(f->k)) < EXPORT_PHASE_WRITING) {
        turn(f, &lp, &last);
        assert_true(real_ms() - start < 60000);
    }
    int64_t stop = real_ms();
    kiosk_destroy(f->k);
    f->k = NULL;
    int64_t took = real_ms() - stop;
    print_message("the export stopped %lld ms after the kiosk was destroyed\n", (long long)took);
    assert_true(took < 2000);
    Left got;
    what_is_left(f, &got);
    assert_int_equal(got.pending, N_SESSIONS);
    assert_string_equal(got.batch, "");
    assert_int_equal(safe_copy_clean(f->sf.stick), KS_OK);
    assert_int_equal(stick_folders(f), 0);
}

int main(void)
{
    test_quiet_log();
    if (!test_ui_texts())
        return 1;
    char dir[96];
    if (!test_tmp_dir(dir, sizeof dir, "ks_notify"))
        return 1;
    notify_open(dir);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_staff_language),   cmocka_unit_test(test_staff_language_default),
        cmocka_unit_test(test_slow_stick),       cmocka_unit_test(test_eject_after_failure),
        cmocka_unit_test(test_stop_on_shutdown),
    };
    int failed = test_run_each(tests, setup, teardown);
    close(g_notify);
    unlink(getenv("NOTIFY_SOCKET"));
    rmdir(dir);
    return failed;
}
