/* run: the event loop (sleeping until input, the next timer or the next
 * animation step, drawing only when something changed, ending on a stop
 * request). A script (script.c) drives the same pump instead of the loop. */
#include "run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/str.h"
#include "run_private.h"
#include "sys/service.h"
#include "sys/stop.h"

/* A finger drawing on a canvas sends a motion event per panel report:
 * take them all in one go. */
#define EVENTS_MAX 256
#define IDLE_WAIT_MS 60000

static bool is_move(const KsEvent *e)
{
    return e->type == KS_EV_DRAG && e->phase == KS_DRAG_MOVE;
}

/* One line for `systemctl status`: which kind of screen is up, and the
 * fault when the kiosk cannot take answers. Sent when it changes. */
static void report_status(const KsView *v)
{
    static char last[160];
    char now[160];
    if (v->screen == KS_SCREEN_FAULT) {
        str_copy(now, sizeof now, "fault: ");
        str_copy(now + 7, sizeof now - 7, v->title);
    } else {
        snprintf(now, sizeof now, "showing %s", view_screen_name(v->screen));
    }
    if (strcmp(now, last) != 0) {
        str_copy(last, sizeof last, now);
        service_status(now);
    }
}

/* Once the frame of a question page is shown: the page "next" would lead
 * to with the answers so far is drawn ahead into the display's caches
 * (ui_prefetch), so its first frame is composed from what is ready. Done
 * once for each view, and not again for the same next page. */
static void prefetch(Ui *ui, Kiosk *k)
{
    static unsigned seen_gen;
    static KsView last; /* the next page last drawn ahead, generation 0 */
    const KsView *v = kiosk_view(k);
    if (v->generation == seen_gen)
        return;
    KioskPeek *p = kiosk_peek_next(k);
    bool done = true;
    if (p) {
        KsView *next = xmalloc(sizeof *next);
        *next = *kiosk_peek_view(p);
        next->generation = 0;
        bool drawn = false;
        if (memcmp(next, &last, sizeof last) != 0) {
            done = drawn = ui_prefetch(ui, kiosk_peek_view(p)); /* not while a finger is down */
            if (done)
                last = *next;
        }
        free(next);
        kiosk_peek_free(p);
        /* What looking ahead freed (the peek's session, the drawing's
         * scratch) goes back to the system rather than staying in the
         * heap between the page's blocks. */
        if (drawn)
            mem_release_free();
    }
    if (done)
        seen_gen = v->generation;
}

bool run_pump(Ui *ui, Kiosk *k, int timeout_ms, bool kiosk_mode)
{
    KsEvent evs[EVENTS_MAX];
    bool quit = false;
    int n = ui_poll(ui, evs, EVENTS_MAX, timeout_ms);
    for (int i = 0; i < n; i++) {
        if (evs[i].type == KS_EV_QUIT && !kiosk_mode)
            quit = true;
        kiosk_handle(k, &evs[i]);
        /* Draw between events so a press and its release are seen against
         * the layout that was on screen when they happened; a run of drag
         * moves is drawn once, after its last. */
        if (is_move(&evs[i]) && i + 1 < n && is_move(&evs[i + 1]))
            continue;
        ui_render(ui, kiosk_view(k));
    }
    kiosk_tick(k);
    const KsView *v = kiosk_view(k);
    ui_render(ui, v);
    prefetch(ui, k);
    report_status(v);
    (void)service_ping();
    return !quit;
}

void run_check_display(Ui *ui, Kiosk *k)
{
    char renderer[96];
    if (ui_display_drawn(ui, renderer, sizeof renderer))
        return;
    LOG_ERROR("self-test: the display draws nothing with %s (what was drawn did not come back); "
              "the service is not reported ready",
              renderer);
    kiosk_self_test_failed(k, UIT_FAULT_DISPLAY, renderer);
    ui_render(ui, kiosk_view(k));
}

static int interactive(Ui *ui, Kiosk *k, const RunOptions *opt)
{
    bool ready = false;
    ui_render(ui, kiosk_view(k));
    run_check_display(ui, k);
    for (;;) {
        /* READY only once a frame was presented by a renderer that proved
         * it draws: a kiosk showing an empty screen is not started. */
        if (!ready && ui_frame_shown(ui)) {
            service_ready();
            ready = true;
        }
        int64_t deadline = kiosk_next_deadline(k);
        int timeout = IDLE_WAIT_MS;
        if (deadline >= 0) {
            int64_t left = deadline - clock_mono_ms();
            timeout = left <= 0 ? 1 : (left > IDLE_WAIT_MS ? IDLE_WAIT_MS : (int)left);
        }
        /* Wake for the watchdog even when nobody touches the screen. */
        int64_t ping = service_ping();
        if (ping >= 0 && ping < timeout)
            timeout = ping < 1 ? 1 : (int)ping;
        /* The attract screen's motion asks for a frame a few times a second. */
        int frame = ui_next_frame_ms(ui);
        if (frame >= 0 && frame < timeout)
            timeout = frame < 1 ? 1 : frame;
        if (timeout > STOP_POLL_MS)
            timeout = STOP_POLL_MS;
        if (!run_pump(ui, k, timeout, opt->fullscreen) || stop_requested())
            return 0;
    }
}

int run_kiosk(Ui *ui, Kiosk *k, const RunOptions *opt)
{
    int status = opt->script ? script_run(ui, k, opt) : interactive(ui, k, opt);
    service_stopping();
    return status;
}
