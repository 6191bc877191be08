/* script: the commands of README "Scripted control", read line by line
 * from a file or stdin: touch, tap, drag, press, wait, screenshot, dump,
 * render, latency, quit; and for lockdown tests `key escape|alt+f4|alt+tab` and
 * `close`, which quit only when not in kiosk (--fullscreen) mode. Time
 * passes on the kiosk's clock (virtual when headless), so a scripted
 * minute takes no minute. Part of the composition root. */
#include <stdarg.h>
#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/str.h"
#include "run_private.h"
#include "sys/service.h"
#include "sys/stop.h"

#define DRAG_STEP_MS 16
#define SCRIPT_ARGS_MAX 8

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
    if (v->screen == KS_SCREEN_IDLE_PROMPT ||
        (v->screen == KS_SCREEN_STAFF_PIN && v->countdown_s > 0))
        cJSON_AddNumberToObject(o, "countdown", v->countdown_s);
    if (v->session && v->session[0])
        cJSON_AddStringToObject(o, "session", v->session);
    /* Text boxes whose text did not fit even at the smallest size. */
    cJSON_AddNumberToObject(o, "overflow", ui_overflow_count(ui));
    double first = ui_first_frame_mono_ms(ui);
    if (first >= 0)
        cJSON_AddNumberToObject(o, "first_frame_mono_ms", first);
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

/* One per-frame figure of `render` as a JSON array: ,"NAME":[...]. */
static void print_frames(const char *name, const UiFrameTime *f, int n, int what)
{
    printf(",\"%s\":[", name);
    for (int i = 0; i < n; i++) {
        const char *sep = i ? "," : "";
        if (what == 0)
            printf("%s%.3f", sep, f[i].ms);
        else if (what == 1)
            printf("%s%.3f", sep, f[i].cpu_ms);
        else
            printf("%s%ld", sep, what == 2 ? f[i].faults : f[i].switches);
    }
    putchar(']');
}

/* `render N`: draws the current screen N times (the first one cold, with the
 * text and picture caches emptied; then a press and a lift in turn, see
 * ui_bench_frames) and prints one JSON line of timings: the target pressed,
 * the cold frame, median and p99 of the repaints after it, and every
 * frame's wall and CPU time, page faults and preemptions in drawing order. */
static void bench_frames(Ui *ui, const KsView *v, int n)
{
    UiFrameTime *f = calloc((size_t)n, sizeof *f);
    double *t = calloc((size_t)n, sizeof *t);
    if (!f || !t)
        goto done;
    cJSON *id = cJSON_CreateString(ui_bench_frames(ui, v, f, n));
    char *pressed = id ? cJSON_PrintUnformatted(id) : NULL;
    for (int i = 0; i < n; i++)
        t[i] = f[i].ms;
    double *rest = n > 1 ? t + 1 : t;
    int m = n > 1 ? n - 1 : 1;
    qsort(rest, (size_t)m, sizeof *rest, cmp_double);
    printf("{\"render\":\"%s\",\"pressed\":%s,\"frames\":%d,\"cold_ms\":%.3f,"
           "\"median_ms\":%.3f,\"p99_ms\":%.3f",
           view_screen_name(v->screen), pressed ? pressed : "null", n, f[0].ms, rest[m / 2],
           rest[(m * 99) / 100]);
    cJSON_free(pressed);
    cJSON_Delete(id);
    static const char *const names[] = {"ms", "cpu_ms", "faults", "switches"};
    for (int w = 0; w < 4; w++)
        print_frames(names[w], f, n, w);
    puts("}");
    fflush(stdout);
done:
    free(f);
    free(t);
}

typedef struct {
    Ui *ui;
    Kiosk *k;
    bool kiosk_mode;  /* --fullscreen: quit requests are ignored */
    bool quit;        /* a quit request was honoured: the script ends */
    const char *name; /* the script's name and the line run now, for messages */
    int lineno;
    int w, h; /* the screen's logical size */
} Script;

static void spump(Script *s, int timeout_ms)
{
    if (!run_pump(s->ui, s->k, timeout_ms, s->kiosk_mode) || stop_requested())
        s->quit = true;
}

/* Lets virtual (or real) time pass, waking the kiosk at each of its
 * deadlines on the way so timers fire in order. Work beside the UI (a staff
 * export on its thread) runs in real time: while it runs, virtual time
 * passes no faster than real time, so a long enough `wait` sees it end. */
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
            int real = kiosk_busy(k) ? (int)(step > 1000 ? 1000 : step) : 0;
            clock_advance_ms(step);
            spump(s, real);
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

/* Prints "NAME:LINE: message" and returns -1 (the script stops, exit 2). */
static int fail(const Script *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(const Script *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s:%d: ", s->name, s->lineno);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return -1;
}

/* 1 to go on, 0 when a quit was honoured. */
static int go_on(const Script *s)
{
    return s->quit ? 0 : 1;
}

static const char *screen_name(const Script *s)
{
    return view_screen_name(kiosk_view(s->k)->screen);
}

/* Each command gets its arguments and returns 1 to go on, 0 to end the
 * script, -1 on a wrong line. */
typedef int (*ScriptCmd)(Script *s, int argc, char **arg);

static int cmd_touch(Script *s, int argc, char **arg)
{
    UiRect r;
    (void)argc;
    if (!ui_find_target(s->ui, arg[0], &r))
        return fail(s, "no target '%s' on the %s screen", arg[0], screen_name(s));
    ui_inject_tap(s->ui, r.x + r.w / 2, r.y + r.h / 2);
    spump(s, 0);
    return go_on(s);
}

static int cmd_tap(Script *s, int argc, char **arg)
{
    long x, y;
    (void)argc;
    if (!str_to_long(arg[0], 0, s->w - 1, &x) || !str_to_long(arg[1], 0, s->h - 1, &y))
        return fail(s, "tap needs X Y inside the %dx%d screen", s->w, s->h);
    ui_inject_tap(s->ui, (int)x, (int)y);
    spump(s, 0);
    return go_on(s);
}

/* `drag ID FX1 FY1 FX2 FY2 MS`: within a target's box, in fractions of it
 * (0 0 is its top left), for scripts that do not know the layout in
 * advance. */
static int drag_in_target(Script *s, char **arg)
{
    UiRect r;
    double f[4];
    long ms;
    bool ok = ui_find_target(s->ui, arg[0], &r) && str_to_long(arg[5], 0, 60L * 1000, &ms);
    for (int i = 0; ok && i < 4; i++) {
        char *end;
        f[i] = strtod(arg[i + 1], &end);
        ok = end != arg[i + 1] && !*end && f[i] >= 0 && f[i] <= 1;
    }
    if (!ok)
        return fail(s,
                    "drag needs a target on the %s screen, four fractions 0..1 of its box and MS",
                    screen_name(s));
    drag(s, r.x + (int)lround(f[0] * (r.w - 1)), r.y + (int)lround(f[1] * (r.h - 1)),
         r.x + (int)lround(f[2] * (r.w - 1)), r.y + (int)lround(f[3] * (r.h - 1)), (int)ms);
    return go_on(s);
}

/* `drag X1 Y1 X2 Y2 MS` in screen pixels, or the target form above. */
static int cmd_drag(Script *s, int argc, char **arg)
{
    if (argc == 6)
        return drag_in_target(s, arg);
    long x, y, x2, y2, ms;
    if (argc != 5 || !str_to_long(arg[0], 0, s->w - 1, &x) ||
        !str_to_long(arg[1], 0, s->h - 1, &y) || !str_to_long(arg[2], 0, s->w - 1, &x2) ||
        !str_to_long(arg[3], 0, s->h - 1, &y2) || !str_to_long(arg[4], 0, 60L * 1000, &ms))
        return fail(s, "drag needs X1 Y1 X2 Y2 MS inside the %dx%d screen", s->w, s->h);
    drag(s, (int)x, (int)y, (int)x2, (int)y2, (int)ms);
    return go_on(s);
}

static int cmd_press(Script *s, int argc, char **arg)
{
    long x, y, ms;
    (void)argc;
    if (!str_to_long(arg[0], 0, s->w - 1, &x) || !str_to_long(arg[1], 0, s->h - 1, &y) ||
        !str_to_long(arg[2], 0, 10L * 60 * 1000, &ms))
        return fail(s, "press needs X Y MS inside the %dx%d screen", s->w, s->h);
    press(s, (int)x, (int)y, (int)ms);
    return go_on(s);
}

static int cmd_wait(Script *s, int argc, char **arg)
{
    long ms;
    (void)argc;
    if (!str_to_long(arg[0], 0, 24L * 3600 * 1000, &ms))
        return fail(s, "wait needs milliseconds (0 to 86400000)");
    wait_ms(s, ms);
    return go_on(s);
}

static int cmd_key(Script *s, int argc, char **arg)
{
    (void)argc;
    if (!ui_inject_key(s->ui, arg[0]))
        return fail(s, "key needs escape, alt+f4 or alt+tab");
    spump(s, 0);
    return go_on(s);
}

static int cmd_close(Script *s, int argc, char **arg)
{
    (void)argc;
    (void)arg;
    ui_inject_close(s->ui);
    spump(s, 0);
    return go_on(s);
}

static int cmd_screenshot(Script *s, int argc, char **arg)
{
    (void)argc;
    if (ui_screenshot(s->ui, kiosk_view(s->k), arg[0]) != KS_OK)
        return fail(s, "cannot write screenshot %s", arg[0]);
    return 1;
}

static int cmd_dump(Script *s, int argc, char **arg)
{
    (void)argc;
    (void)arg;
    const KsView *v = kiosk_view(s->k);
    ui_render(s->ui, v);
    dump(s->ui, v);
    return 1;
}

static int cmd_render(Script *s, int argc, char **arg)
{
    long n;
    (void)argc;
    if (!str_to_long(arg[0], 1, 10000, &n))
        return fail(s, "render needs a frame count (1 to 10000)");
    bench_frames(s->ui, kiosk_view(s->k), (int)n);
    return 1;
}

/* `latency`: touch to photon of the last tap (ui_touch_to_photon_ms), null
 * when no tap has shown another view yet. */
static int cmd_latency(Script *s, int argc, char **arg)
{
    (void)argc;
    (void)arg;
    double ms = ui_touch_to_photon_ms(s->ui);
    if (ms < 0)
        puts("{\"touch_to_photon_ms\":null}");
    else
        printf("{\"touch_to_photon_ms\":%.3f}\n", ms);
    fflush(stdout);
    return 1;
}

static int cmd_quit(Script *s, int argc, char **arg)
{
    (void)s;
    (void)argc;
    (void)arg;
    return 0;
}

static const struct {
    const char *name;
    int min_args, max_args;
    ScriptCmd fn;
} g_cmds[] = {
    {"touch", 1, 1, cmd_touch}, {"tap", 2, 2, cmd_tap},
    {"drag", 0, 6, cmd_drag},   {"press", 3, 3, cmd_press},
    {"wait", 1, 1, cmd_wait},   {"key", 1, 1, cmd_key},
    {"close", 0, 0, cmd_close}, {"screenshot", 1, 1, cmd_screenshot},
    {"dump", 0, 0, cmd_dump},   {"render", 1, 1, cmd_render},
    {"quit", 0, 0, cmd_quit},   {"latency", 0, 0, cmd_latency},
};

/* Runs one script line (a comment after #). Returns 1 to go on, 0 on
 * quit, -1 on error. */
static int script_line(Script *s, char *line)
{
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
    ui_size(s->ui, &s->w, &s->h);
    for (size_t i = 0; i < sizeof g_cmds / sizeof g_cmds[0]; i++)
        if (strcmp(cmd, g_cmds[i].name) == 0 && argc >= g_cmds[i].min_args &&
            argc <= g_cmds[i].max_args)
            return g_cmds[i].fn(s, argc, arg);
    return fail(s, "unknown command or wrong arguments: '%s'", cmd);
}

int script_run(Ui *ui, Kiosk *k, const RunOptions *opt)
{
    const char *path = opt->script;
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!f) {
        fprintf(stderr, "cannot open script %s: %s\n", path, strerror(errno));
        return 2;
    }
    char line[1024];
    int status = 0;
    Script s = {
        .ui = ui, .k = k, .kiosk_mode = opt->fullscreen, .name = f == stdin ? "stdin" : path};
    /* The first frame before the first tick, as in the interactive loop. */
    ui_render(ui, kiosk_view(k));
    spump(&s, 0);
    run_check_display(ui, k);
    if (ui_display_drawn(ui, NULL, 0))
        service_ready();
    while (!s.quit && !stop_requested() && fgets(line, sizeof line, f)) {
        s.lineno++;
        int r = script_line(&s, line);
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
