/* run: the event loop (sleeping until input, the next timer or the next
 * animation step, drawing only when something changed) and the script
 * commands of README "Scripted control": touch, tap, drag, press, wait, screenshot,
 * dump, render, quit; and for lockdown tests `key escape|alt+f4|alt+tab` and
 * `close`, which quit only when not in kiosk (--fullscreen) mode. */
#include "run.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/str.h"
#include "sys/service.h"
#include "sys/stop.h"

/* A finger drawing on a canvas sends a motion event per panel report:
 * take them all in one go. */
#define EVENTS_MAX 256
#define IDLE_WAIT_MS 60000
#define DRAG_STEP_MS 16

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

/* Feeds all pending input to the kiosk, runs its timers and draws. Returns
 * false when asked to quit (window closed or Escape) outside kiosk mode;
 * in kiosk mode nothing a respondent can do quits. */
static bool pump(Ui *ui, Kiosk *k, int timeout_ms, bool kiosk_mode)
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
    report_status(v);
    (void)service_ping();
    return !quit;
}

/* After the first frame: a display that draws nothing (the renderer's
 * probe, or the first frame read back as the clear colour only) gets its
 * fault screen, in case the screen shows something after all, and a
 * journal line; READY is then never sent. */
static void check_display(Ui *ui, Kiosk *k)
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
    check_display(ui, k);
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
        if (!pump(ui, k, timeout, opt->fullscreen) || stop_requested())
            return 0;
    }
}

/* ---- scripts ----------------------------------------------------------- */

static void dump(Ui *ui, const KsView *v)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "screen", view_screen_name(v->screen));
    cJSON_AddStringToObject(o, "form", v->form_id);
    cJSON_AddStringToObject(o, "question", v->question);
    cJSON_AddStringToObject(o, "lang", v->lang);
    cJSON_AddStringToObject(o, "dir", v->rtl ? "rtl" : "ltr");
    cJSON_AddStringToObject(o, "title", v->title);
    cJSON_AddStringToObject(o, "message", v->message);
    int size[2];
    ui_size(ui, &size[0], &size[1]); /* logical: turned with the screen */
    cJSON_AddItemToObject(o, "size", cJSON_CreateIntArray(size, 2));
    if (v->progress_total > 0) {
        int pr[2] = {v->progress_pos, v->progress_total};
        cJSON_AddItemToObject(o, "progress", cJSON_CreateIntArray(pr, 2));
    }
    if (v->screen == KS_SCREEN_IDLE_PROMPT || (v->screen == KS_SCREEN_STAFF_PIN && v->countdown_s > 0))
        cJSON_AddNumberToObject(o, "countdown", v->countdown_s);
    if (v->session && v->session[0])
        cJSON_AddStringToObject(o, "session", v->session);
    /* Text boxes whose text did not fit even at the smallest size. */
    cJSON_AddNumberToObject(o, "overflow", ui_overflow_count(ui));
    if (v->screen == KS_SCREEN_QUESTION) {
        cJSON *items = cJSON_AddArrayToObject(o, "items");
        for (int i = 0; i < v->n_items; i++) {
            const KsViewItem *it = &v->items[i];
            cJSON *io = cJSON_CreateObject();
            cJSON_AddStringToObject(io, "question", it->question);
            cJSON_AddStringToObject(io, "title", it->title);
            cJSON_AddStringToObject(io, "message", it->message);
            cJSON_AddStringToObject(io, "widget", view_widget_name(it->widget));
            cJSON_AddBoolToObject(io, "problem", it->problem);
            cJSON_AddBoolToObject(io, "focused", it->focused);
            cJSON_AddStringToObject(io, "entry", it->entry);
            cJSON_AddItemToArray(items, io);
        }
        cJSON_AddStringToObject(o, "keys", v->keys_layout);
    }
    cJSON *arr = cJSON_AddArrayToObject(o, "targets");
    const UiTarget *t;
    int n = ui_targets(ui, &t);
    for (int i = 0; i < n; i++) {
        cJSON *to = cJSON_CreateObject();
        cJSON_AddStringToObject(to, "id", t[i].id);
        int r[4] = {t[i].rect.x, t[i].rect.y, t[i].rect.w, t[i].rect.h};
        cJSON_AddItemToObject(to, "rect", cJSON_CreateIntArray(r, 4));
        cJSON_AddStringToObject(to, "text", t[i].text);
        if (t[i].subtext && t[i].subtext[0])
            cJSON_AddStringToObject(to, "subtext", t[i].subtext);
        cJSON_AddBoolToObject(to, "selected", t[i].selected);
        cJSON_AddBoolToObject(to, "enabled", t[i].enabled);
        cJSON_AddItemToArray(arr, to);
    }
    char *s = cJSON_PrintUnformatted(o);
    if (s) {
        fputs(s, stdout);
        fputc('\n', stdout);
        fflush(stdout);
        cJSON_free(s);
    }
    cJSON_Delete(o);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* `render N`: draws the current screen N times (the first one cold, with the
 * text and picture caches emptied) and prints one JSON line of timings. */
static void bench_frames(Ui *ui, const KsView *v, int n)
{
    double *t = calloc((size_t)n, sizeof *t);
    if (!t)
        return;
    ui_bench_frames(ui, v, t, n);
    /* The cold first frame is reported on its own; the statistics are over
     * the repaints after it. */
    double cold = t[0];
    double *rest = n > 1 ? t + 1 : t;
    int m = n > 1 ? n - 1 : 1;
    qsort(rest, (size_t)m, sizeof *rest, cmp_double);
    printf("{\"render\":\"%s\",\"frames\":%d,\"cold_ms\":%.3f,\"median_ms\":%.3f,\"p99_ms\":%.3f}\n",
           view_screen_name(v->screen), n, cold, rest[m / 2], rest[(m * 99) / 100]);
    fflush(stdout);
    free(t);
}

typedef struct {
    Ui *ui;
    Kiosk *k;
    bool kiosk_mode;    /* --fullscreen: quit requests are ignored */
    bool quit;          /* a quit request was honoured: the script ends */
} Script;

static void spump(Script *s, int timeout_ms)
{
    if (!pump(s->ui, s->k, timeout_ms, s->kiosk_mode) || stop_requested())
        s->quit = true;
}

/* Lets virtual (or real) time pass, waking the kiosk at each of its
 * deadlines on the way so timers fire in order. */
static void wait_ms(Script *s, int64_t ms)
{
    Kiosk *k = s->k;
    int64_t end = clock_mono_ms() + ms;
    while (clock_mono_ms() < end && !s->quit) {
        int64_t now = clock_mono_ms();
        int64_t next = kiosk_next_deadline(k);
        int64_t step = end - now;
        if (next >= 0 && next > now && next - now < step)
            step = next - now;
        if (next >= 0 && next <= now)
            step = 1;
        if (clock_is_virtual()) {
            clock_advance_ms(step);
            spump(s, 0);
        } else {
            /* Real time: sleep in the UI's event wait. */
            spump(s, (int)(step > 1000 ? 1000 : (step < 1 ? 1 : step)));
        }
    }
    spump(s, 0);
}

/* `drag X1 Y1 X2 Y2 MS`: a finger down at the start, a motion report every
 * DRAG_STEP_MS along the straight line (the last at the end point), and up
 * at the end; time passes as with `wait`. */
static void drag(Script *s, int x1, int y1, int x2, int y2, int ms)
{
    int steps = ms / DRAG_STEP_MS;
    if (steps < 1)
        steps = 1;
    ui_inject_touch(s->ui, UI_TOUCH_DOWN, x1, y1);
    spump(s, 0);
    int64_t done = 0;
    for (int i = 1; i <= steps; i++) {
        int64_t at = (int64_t)ms * i / steps;
        wait_ms(s, at - done);
        done = at;
        int x = x1 + (int)lround((double)(x2 - x1) * i / steps);
        int y = y1 + (int)lround((double)(y2 - y1) * i / steps);
        ui_inject_touch(s->ui, UI_TOUCH_MOVE, x, y);
        spump(s, 0);
    }
    ui_inject_touch(s->ui, UI_TOUCH_UP, x2, y2);
    spump(s, 0);
}

/* `press X Y MS`: a finger down at X,Y held still for MS milliseconds
 * (time passes as with `wait`), then up. */
static void press(Script *s, int x, int y, int ms)
{
    ui_inject_touch(s->ui, UI_TOUCH_DOWN, x, y);
    spump(s, 0);
    wait_ms(s, ms);
    ui_inject_touch(s->ui, UI_TOUCH_UP, x, y);
    spump(s, 0);
}

static bool parse_int(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

#define SCRIPT_ARGS_MAX 8

/* Runs one script line. Returns 1 to go on, 0 on quit, -1 on error. */
static int script_line(Script *s, char *line, const char *name, int lineno)
{
    Ui *ui = s->ui;
    Kiosk *k = s->k;
    char *hash = strchr(line, '#');
    if (hash)
        *hash = '\0';
    str_trim(line);
    if (!line[0])
        return 1;
    char *save = NULL;
    char *cmd = strtok_r(line, " \t", &save);
    char *arg[SCRIPT_ARGS_MAX + 1];
    int argc = 0;
    char *tok;
    while (argc <= SCRIPT_ARGS_MAX && (tok = strtok_r(NULL, " \t", &save)) != NULL)
        arg[argc++] = tok;
    const char *a1 = argc > 0 ? arg[0] : NULL;
    const KsView *v = kiosk_view(k);
    long x, y;
    int w, h;
    ui_size(ui, &w, &h);

    if (strcmp(cmd, "touch") == 0 && argc == 1) {
        UiRect r;
        if (!ui_find_target(ui, a1, &r)) {
            fprintf(stderr, "%s:%d: no target '%s' on the %s screen\n", name, lineno, a1,
                    view_screen_name(v->screen));
            return -1;
        }
        ui_inject_tap(ui, r.x + r.w / 2, r.y + r.h / 2);
        spump(s, 0);
        return s->quit ? 0 : 1;
    }
    if (strcmp(cmd, "tap") == 0 && argc == 2) {
        if (!parse_int(arg[0], 0, w - 1, &x) || !parse_int(arg[1], 0, h - 1, &y)) {
            fprintf(stderr, "%s:%d: tap needs X Y inside the %dx%d screen\n", name, lineno, w, h);
            return -1;
        }
        ui_inject_tap(ui, (int)x, (int)y);
        spump(s, 0);
        return s->quit ? 0 : 1;
    }
    /* `drag ID FX1 FY1 FX2 FY2 MS`: the same within a target's box, in
     * fractions of it (0 0 is its top left), for scripts that do not know
     * the layout in advance. */
    if (strcmp(cmd, "drag") == 0 && argc == 6) {
        UiRect r;
        double f[4];
        long ms;
        bool ok = ui_find_target(ui, a1, &r) && parse_int(arg[5], 0, 60L * 1000, &ms);
        for (int i = 0; ok && i < 4; i++) {
            char *end;
            f[i] = strtod(arg[i + 1], &end);
            ok = end != arg[i + 1] && !*end && f[i] >= 0 && f[i] <= 1;
        }
        if (!ok) {
            fprintf(stderr, "%s:%d: drag needs a target on the %s screen, four fractions 0..1 of"
                            " its box and MS\n", name, lineno, view_screen_name(v->screen));
            return -1;
        }
        drag(s, r.x + (int)lround(f[0] * (r.w - 1)), r.y + (int)lround(f[1] * (r.h - 1)),
             r.x + (int)lround(f[2] * (r.w - 1)), r.y + (int)lround(f[3] * (r.h - 1)), (int)ms);
        return s->quit ? 0 : 1;
    }
    if (strcmp(cmd, "drag") == 0) {
        long x2, y2, ms;
        if (argc != 5 || !parse_int(arg[0], 0, w - 1, &x) || !parse_int(arg[1], 0, h - 1, &y) ||
            !parse_int(arg[2], 0, w - 1, &x2) || !parse_int(arg[3], 0, h - 1, &y2) ||
            !parse_int(arg[4], 0, 60L * 1000, &ms)) {
            fprintf(stderr, "%s:%d: drag needs X1 Y1 X2 Y2 MS inside the %dx%d screen\n", name,
                    lineno, w, h);
            return -1;
        }
        drag(s, (int)x, (int)y, (int)x2, (int)y2, (int)ms);
        return s->quit ? 0 : 1;
    }
    if (strcmp(cmd, "press") == 0) {
        long ms;
        if (argc != 3 || !parse_int(arg[0], 0, w - 1, &x) || !parse_int(arg[1], 0, h - 1, &y) ||
            !parse_int(arg[2], 0, 10L * 60 * 1000, &ms)) {
            fprintf(stderr, "%s:%d: press needs X Y MS inside the %dx%d screen\n", name, lineno, w,
                    h);
            return -1;
        }
        press(s, (int)x, (int)y, (int)ms);
        return s->quit ? 0 : 1;
    }
    if (strcmp(cmd, "wait") == 0 && argc == 1) {
        if (!parse_int(a1, 0, 24L * 3600 * 1000, &x)) {
            fprintf(stderr, "%s:%d: wait needs milliseconds (0 to 86400000)\n", name, lineno);
            return -1;
        }
        wait_ms(s, x);
        return s->quit ? 0 : 1;
    }
    if (strcmp(cmd, "key") == 0 && argc == 1) {
        if (!ui_inject_key(ui, a1)) {
            fprintf(stderr, "%s:%d: key needs escape, alt+f4 or alt+tab\n", name, lineno);
            return -1;
        }
        spump(s, 0);
        return s->quit ? 0 : 1;
    }
    if (strcmp(cmd, "close") == 0 && argc == 0) {
        ui_inject_close(ui);
        spump(s, 0);
        return s->quit ? 0 : 1;
    }
    if (strcmp(cmd, "screenshot") == 0 && argc == 1) {
        if (ui_screenshot(ui, v, a1) != KS_OK) {
            fprintf(stderr, "%s:%d: cannot write screenshot %s\n", name, lineno, a1);
            return -1;
        }
        return 1;
    }
    if (strcmp(cmd, "dump") == 0 && argc == 0) {
        ui_render(ui, v);
        dump(ui, v);
        return 1;
    }
    if (strcmp(cmd, "render") == 0 && argc == 1) {
        if (!parse_int(a1, 1, 10000, &x)) {
            fprintf(stderr, "%s:%d: render needs a frame count (1 to 10000)\n", name, lineno);
            return -1;
        }
        bench_frames(ui, v, (int)x);
        return 1;
    }
    if (strcmp(cmd, "quit") == 0 && argc == 0)
        return 0;
    fprintf(stderr, "%s:%d: unknown command or wrong arguments: '%s'\n", name, lineno, cmd);
    return -1;
}

static int scripted(Ui *ui, Kiosk *k, const RunOptions *opt)
{
    const char *path = opt->script;
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!f) {
        fprintf(stderr, "cannot open script %s: %s\n", path, strerror(errno));
        return 2;
    }
    const char *name = f == stdin ? "stdin" : path;
    char line[1024];
    int lineno = 0, status = 0;
    Script s = {.ui = ui, .k = k, .kiosk_mode = opt->fullscreen};
    spump(&s, 0);
    check_display(ui, k);
    if (ui_display_drawn(ui, NULL, 0))
        service_ready();
    while (!s.quit && !stop_requested() && fgets(line, sizeof line, f)) {
        lineno++;
        int r = script_line(&s, line, name, lineno);
        if (r < 0) {
            status = 2;
            break;
        }
        if (r == 0)
            break;
    }
    if (f != stdin)
        fclose(f);
    return status;
}

int run_kiosk(Ui *ui, Kiosk *k, const RunOptions *opt)
{
    int status = opt->script ? scripted(ui, k, opt) : interactive(ui, k, opt);
    service_stopping();
    return status;
}
