/* staff_clock: the clock page of staff mode — the date and time as steps
 * up and down (UTC), setting the system clock from them, confirming that
 * the time shown is right while the clock is in doubt, and the warning
 * that says so (on this page and the overview). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../core/clock.h"
#include "../core/log.h"
#include "clockwatch.h"
#include "staff_private.h"
#include "view_build.h"

/* The fields' target ids and names, in the order shown. */
static const char *const field_ids[CF_COUNT] = {"day", "month", "year", "hour", "minute"};
static const UiTextId field_names[CF_COUNT] = {UIT_STAFF_DAY, UIT_STAFF_MONTH, UIT_STAFF_YEAR,
                                               UIT_STAFF_HOUR, UIT_STAFF_MINUTE};

static int days_in_month(int year, int month)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : d[(month - 1) % 12];
}

static void load(StaffClock *c)
{
    time_t now = (time_t)(clock_wall_ms() / 1000);
    struct tm tm;
    gmtime_r(&now, &tm);
    c->f[CF_DAY] = tm.tm_mday;
    c->f[CF_MONTH] = tm.tm_mon + 1;
    c->f[CF_YEAR] = tm.tm_year + 1900;
    c->f[CF_HOUR] = tm.tm_hour;
    c->f[CF_MINUTE] = tm.tm_min;
}

void staff_clock_enter(Staff *s)
{
    load(&s->clock);
    s->clock.msg = UIT_NONE;
}

/* Each field wraps within its own range, as on a watch; the day follows
 * the month's length. */
static void step(StaffClock *c, int f, int d)
{
    static const int lo[CF_COUNT] = {1, 1, 2024, 0, 0};
    static const int hi[CF_COUNT] = {31, 12, 2099, 23, 59};
    int *v = c->f;
    int top = f == CF_DAY ? days_in_month(v[CF_YEAR], v[CF_MONTH]) : hi[f];
    v[f] += d;
    if (v[f] > top)
        v[f] = lo[f];
    if (v[f] < lo[f])
        v[f] = top;
    int dim = days_in_month(v[CF_YEAR], v[CF_MONTH]);
    if (v[CF_DAY] > dim)
        v[CF_DAY] = dim;
    c->msg = UIT_NONE;
}

static void apply(Staff *s)
{
    StaffClock *c = &s->clock;
    struct tm tm = {0};
    tm.tm_mday = c->f[CF_DAY];
    tm.tm_mon = c->f[CF_MONTH] - 1;
    tm.tm_year = c->f[CF_YEAR] - 1900;
    tm.tm_hour = c->f[CF_HOUR];
    tm.tm_min = c->f[CF_MINUTE];
    int64_t ms = (int64_t)timegm(&tm) * 1000;
    KsStatus ks = clock_set_wall(ms);
    c->msg = ks == KS_OK ? UIT_STAFF_CLOCK_DONE : UIT_STAFF_CLOCK_FAILED;
    char iso[32];
    clock_format_iso(ms, iso);
    if (ks == KS_OK) {
        LOG_INFO("staff mode: clock set to %s", iso);
        clockwatch_resolve(s->cw, true);
    }
}

/* Staff say the time shown is right: the clock is trusted again. */
static void confirm(Staff *s)
{
    if (!clockwatch_in_doubt(s->cw))
        return;
    clockwatch_resolve(s->cw, false);
    load(&s->clock);
    s->clock.msg = UIT_STAFF_CLOCK_CONFIRMED;
}

void staff_clock_tap(Staff *s, const char *id)
{
    if (strncmp(id, "clock:", 6) != 0)
        return;
    if (strcmp(id, "clock:ok") == 0) {
        apply(s);
        return;
    }
    if (strcmp(id, "clock:confirm") == 0) {
        confirm(s);
        return;
    }
    /* clock:<field>:+ and clock:<field>:- */
    for (int f = 0; f < CF_COUNT; f++) {
        size_t n = strlen(field_ids[f]);
        if (strncmp(id + 6, field_ids[f], n) == 0 && id[6 + n] == ':' && !id[8 + n]) {
            if (id[7 + n] == '+' || id[7 + n] == '-')
                step(&s->clock, f, id[7 + n] == '+' ? 1 : -1);
            return;
        }
    }
}

/* "2026-11-24 10:11 UTC" */
static void day_time(int64_t ms, char *out, size_t size)
{
    char iso[32];
    clock_format_iso(ms, iso);
    snprintf(out, size, "%.10s %.5s UTC", iso, iso + 11);
}

/* The live watch knows best; the overview's stored state stands in
 * without one. */
void staff_clock_doubt_line(const Staff *s, KsView *v, UiTextId text)
{
    bool doubt = s->cw ? clockwatch_in_doubt(s->cw) : s->overview.figures.clock_doubt;
    if (!doubt)
        return;
    int64_t last = s->cw ? clockwatch_last_known_ms(s->cw) : s->overview.figures.last_known_ms;
    char when[48] = "–", line[256];
    if (last > 0)
        day_time(last, when, sizeof when);
    uitext_format(line, sizeof line, staff_lang(s), text, when);
    staff_view_line(v, line);
}

void staff_clock_view(Staff *s, KsView *v)
{
    StaffClock *c = &s->clock;
    for (int f = 0; f < CF_COUNT; f++) {
        char id[KS_TARGET_ID_MAX];
        snprintf(id, sizeof id, "clock:%s:+", field_ids[f]);
        KsViewTarget *t = view_add_slot(v, KS_SLOT_CLOCK_UP, id, "+", KS_TARGET_KEY);
        if (t)
            t->row = f;
        snprintf(c->txt[f], sizeof c->txt[f], f == CF_YEAR ? "%04d" : "%02d", c->f[f]);
        snprintf(id, sizeof id, "clock:%s", field_ids[f]);
        t = view_add_target(v, id, c->txt[f], KS_TARGET_FIELD);
        if (t) {
            t->subtext = staff_text(s, field_names[f]);
            t->enabled = false;
            t->row = f;
        }
        snprintf(id, sizeof id, "clock:%s:-", field_ids[f]);
        t = view_add_slot(v, KS_SLOT_CLOCK_DOWN, id, "−", KS_TARGET_KEY);
        if (t)
            t->row = f;
    }
    view_add_slot(v, KS_SLOT_CLOCK_SET, "clock:ok", staff_text(s, UIT_STAFF_SET_CLOCK),
                  KS_TARGET_PRIMARY);
    /* In doubt: the warning, and a way to say the time shown is right. */
    if (clockwatch_in_doubt(s->cw))
        view_add_slot(v, KS_SLOT_CLOCK_CONFIRM, "clock:confirm",
                      staff_text(s, UIT_STAFF_CLOCK_CONFIRM), KS_TARGET_SECONDARY);
    staff_clock_doubt_line(s, v, UIT_STAFF_CLOCK_DOUBT_DO);
    if (c->msg != UIT_NONE)
        staff_view_line(v, staff_text(s, c->msg));
}
