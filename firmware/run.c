/* run: the event loop (sleeping until input or the next timer, drawing only
 * when something changed) and the script commands of README "Scripted
 * control": touch, tap, wait, screenshot, dump, quit. */
#include "run.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/str.h"

#define EVENTS_MAX 32
#define IDLE_WAIT_MS 60000

/* Feeds all pending input to the kiosk, runs its timers and draws. */
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
         * the layout that was on screen when they happened. */
        ui_render(ui, kiosk_view(k));
    }
    kiosk_tick(k);
    ui_render(ui, kiosk_view(k));
    return !quit;
}

static int interactive(Ui *ui, Kiosk *k, const RunOptions *opt)
{
    ui_render(ui, kiosk_view(k));
    for (;;) {
        int64_t deadline = kiosk_next_deadline(k);
        int timeout = IDLE_WAIT_MS;
        if (deadline >= 0) {
            int64_t left = deadline - clock_mono_ms();
            timeout = left <= 0 ? 1 : (left > IDLE_WAIT_MS ? IDLE_WAIT_MS : (int)left);
        }
        if (!pump(ui, k, timeout, opt->fullscreen))
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
    if (v->progress_total > 0) {
        int pr[2] = {v->progress_pos, v->progress_total};
        cJSON_AddItemToObject(o, "progress", cJSON_CreateIntArray(pr, 2));
    }
    if (v->screen == KS_SCREEN_IDLE_PROMPT)
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

/* Lets virtual (or real) time pass, waking the kiosk at each of its
 * deadlines on the way so timers fire in order. */
static void wait_ms(Ui *ui, Kiosk *k, int64_t ms)
{
    int64_t end = clock_mono_ms() + ms;
    while (clock_mono_ms() < end) {
        int64_t now = clock_mono_ms();
        int64_t next = kiosk_next_deadline(k);
        int64_t step = end - now;
        if (next >= 0 && next > now && next - now < step)
            step = next - now;
        if (next >= 0 && next <= now)
            step = 1;
        if (clock_is_virtual()) {
            clock_advance_ms(step);
            pump(ui, k, 0, true);
        } else {
            /* Real time: sleep in the UI's event wait. */
            pump(ui, k, (int)(step > 1000 ? 1000 : (step < 1 ? 1 : step)), true);
        }
    }
    pump(ui, k, 0, true);
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

/* Runs one script line. Returns 1 to go on, 0 on quit, -1 on error. */
static int script_line(Ui *ui, Kiosk *k, char *line, const char *name, int lineno)
{
    char *hash = strchr(line, '#');
    if (hash)
        *hash = '\0';
    str_trim(line);
    if (!line[0])
        return 1;
    char *save = NULL;
    char *cmd = strtok_r(line, " \t", &save);
    char *a1 = strtok_r(NULL, " \t", &save);
    char *a2 = strtok_r(NULL, " \t", &save);
    char *extra = strtok_r(NULL, " \t", &save);
    const KsView *v = kiosk_view(k);
    long x, y;

    if (strcmp(cmd, "touch") == 0 && a1 && !a2) {
        UiRect r;
        if (!ui_find_target(ui, a1, &r)) {
            fprintf(stderr, "%s:%d: no target '%s' on the %s screen\n", name, lineno, a1,
                    view_screen_name(v->screen));
            return -1;
        }
        ui_inject_tap(ui, r.x + r.w / 2, r.y + r.h / 2);
        pump(ui, k, 0, true);
        return 1;
    }
    if (strcmp(cmd, "tap") == 0 && a1 && a2 && !extra) {
        int w, h;
        ui_size(ui, &w, &h);
        if (!parse_int(a1, 0, w - 1, &x) || !parse_int(a2, 0, h - 1, &y)) {
            fprintf(stderr, "%s:%d: tap needs X Y inside the %dx%d screen\n", name, lineno, w, h);
            return -1;
        }
        ui_inject_tap(ui, (int)x, (int)y);
        pump(ui, k, 0, true);
        return 1;
    }
    if (strcmp(cmd, "wait") == 0 && a1 && !a2) {
        if (!parse_int(a1, 0, 24L * 3600 * 1000, &x)) {
            fprintf(stderr, "%s:%d: wait needs milliseconds (0 to 86400000)\n", name, lineno);
            return -1;
        }
        wait_ms(ui, k, x);
        return 1;
    }
    if (strcmp(cmd, "screenshot") == 0 && a1 && !a2) {
        if (ui_screenshot(ui, v, a1) != KS_OK) {
            fprintf(stderr, "%s:%d: cannot write screenshot %s\n", name, lineno, a1);
            return -1;
        }
        return 1;
    }
    if (strcmp(cmd, "dump") == 0 && !a1) {
        ui_render(ui, v);
        dump(ui, v);
        return 1;
    }
    if (strcmp(cmd, "render") == 0 && a1 && !a2) {
        if (!parse_int(a1, 1, 10000, &x)) {
            fprintf(stderr, "%s:%d: render needs a frame count (1 to 10000)\n", name, lineno);
            return -1;
        }
        bench_frames(ui, v, (int)x);
        return 1;
    }
    if (strcmp(cmd, "quit") == 0 && !a1)
        return 0;
    fprintf(stderr, "%s:%d: unknown command or wrong arguments: '%s'\n", name, lineno, cmd);
    return -1;
}

static int scripted(Ui *ui, Kiosk *k, const char *path)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!f) {
        fprintf(stderr, "cannot open script %s: %s\n", path, strerror(errno));
        return 2;
    }
    const char *name = f == stdin ? "stdin" : path;
    char line[1024];
    int lineno = 0, status = 0;
    pump(ui, k, 0, true);
    while (fgets(line, sizeof line, f)) {
        lineno++;
        int r = script_line(ui, k, line, name, lineno);
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
    if (opt->script)
        return scripted(ui, k, opt->script);
    return interactive(ui, k, opt);
}
