/* staff: the router of staff mode. It opens and closes staff mode, keeps
 * the idle time, shows the tabs and hands each tap, tick and view to the
 * page that owns the current screen (one file a page, see
 * staff_private.h). It holds no page's state and draws nothing. */
#include "staff.h"

#include <stdlib.h>
#include <string.h>

#include "../core/clock.h"
#include "../core/log.h"
#include "../core/mem.h"
#include "../core/str.h"
#include "staff_private.h"
#include "view_build.h"
#include "workshop.h"

/* The Werkstatt tab: its pages are the workshop module's. */
static void ws_enter(Staff *s)
{
    if (s->ws)
        workshop_staff_enter(s->ws);
}

static void ws_tap(Staff *s, const char *id)
{
    if (s->ws)
        s->screen = workshop_staff_tap(s->ws, id);
}

static void ws_view(Staff *s, KsView *v)
{
    if (s->ws)
        workshop_staff_view(s->ws, v);
}

/* A staff tab: its target id, screen and name, and the page behind it
 * (tap NULL: the page has nothing to tap but the tabs). */
typedef struct {
    const char *id;
    KsScreen screen;
    UiTextId name;
    void (*enter)(Staff *s);
    void (*tap)(Staff *s, const char *id);
    void (*view)(Staff *s, KsView *v);
} StaffPage;

/* In the order shown. */
static const StaffPage pages[] = {
    {"staff:overview", KS_SCREEN_STAFF_OVERVIEW, UIT_STAFF_OVERVIEW, staff_overview_page_enter,
     NULL, staff_overview_page_view},
    {"staff:clock", KS_SCREEN_STAFF_CLOCK, UIT_STAFF_CLOCK, staff_clock_enter, staff_clock_tap,
     staff_clock_view},
    {"staff:forms", KS_SCREEN_STAFF_FORMS, UIT_STAFF_FORMS, staff_forms_enter, staff_forms_tap,
     staff_forms_view},
    {"staff:review", KS_SCREEN_STAFF_REVIEW, UIT_STAFF_REVIEW, staff_review_enter, staff_review_tap,
     staff_review_view},
    {"staff:export", KS_SCREEN_STAFF_EXPORT, UIT_STAFF_EXPORT, staff_export_page_enter,
     staff_export_page_tap, staff_export_page_view},
    {"staff:workshop", KS_SCREEN_STAFF_WORKSHOP, UIT_STAFF_WORKSHOP, ws_enter, ws_tap, ws_view},
};
#define PAGE_COUNT ((int)(sizeof pages / sizeof pages[0]))

/* Whether a screen is one of the Werkstatt tab's pages. */
static bool is_ws_screen(KsScreen s)
{
    return view_screen_owner(s) == KS_OWNER_STAFF_WORKSHOP;
}

/* The page a screen belongs to (each Werkstatt page to the Werkstatt
 * tab), or NULL for the PIN pad. */
static const StaffPage *page_of(KsScreen screen)
{
    KsScreen tab = is_ws_screen(screen) ? KS_SCREEN_STAFF_WORKSHOP : screen;
    for (int i = 0; i < PAGE_COUNT; i++)
        if (pages[i].screen == tab)
            return &pages[i];
    return NULL;
}

const char *staff_text(const Staff *s, UiTextId id)
{
    return uitext_get(staff_lang(s), id);
}

void staff_view_line(KsView *v, const char *line)
{
    size_t n = strlen(v->message);
    if (n > 0 && n + 1 + strlen(line) >= sizeof v->message)
        return;
    if (n > 0)
        v->message[n++] = '\n';
    str_copy(v->message + n, sizeof v->message - n, line);
}

Staff *staff_create(const KsConfig *cfg, Catalog *catalog, Store *store, const char *db_path)
{
    /* Most of it waits for staff mode to open. */
    Staff *s = xcalloc_pages(sizeof *s);
    s->cfg = cfg;
    s->catalog = catalog;
    s->store = store;
    s->db_path = db_path;
    staff_pin_init(s);
    staff_forms_init(s);
    staff_export_page_init(s);
    return s;
}

void staff_destroy(Staff *s)
{
    if (!s)
        return;
    /* A running export is asked to stop first: the kiosk is shutting down. */
    staff_export_page_free(s);
    staff_review_leave(s);
    staff_pin_wipe(s);
    xfree_pages(s, sizeof *s);
}

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

void staff_open(Staff *s)
{
    s->active = true;
    s->screen = KS_SCREEN_STAFF_PIN;
    staff_pin_open(s);
    s->last_activity_ms = clock_mono_ms();
}

bool staff_active(const Staff *s)
{
    return s && s->active;
}

bool staff_busy(const Staff *s)
{
    return s && staff_export_running(s->export.run);
}

KsScreen staff_screen(const Staff *s)
{
    return s->screen;
}

static void leave(Staff *s)
{
    s->active = false;
    staff_export_page_leave(s);
    staff_overview_page_leave(s);
    staff_pin_wipe(s);
    staff_review_leave(s);
    LOG_INFO("staff mode closed");
}

void staff_go(Staff *s, KsScreen screen)
{
    s->screen = screen;
    const StaffPage *p = page_of(screen);
    if (p)
        p->enter(s);
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
            staff_pin_tap(s, id + 4);
        return;
    }
    if (strcmp(id, "staff:exit") == 0) {
        if (staff_busy(s)) {
            /* Staff mode stays open until the export has finished: its
             * result (and the QR receipt to scan) must be seen, and the
             * stick must not be pulled while it is written. */
            staff_go(s, KS_SCREEN_STAFF_EXPORT);
            staff_export_page_hold(s);
            return;
        }
        leave(s);
        return;
    }
    for (int i = 0; i < PAGE_COUNT; i++) {
        if (strcmp(id, pages[i].id) == 0) {
            staff_go(s, pages[i].screen);
            return;
        }
    }
    const StaffPage *p = page_of(s->screen);
    if (p && p->tap)
        p->tap(s, id);
}

void staff_touch(Staff *s)
{
    if (s && s->active)
        s->last_activity_ms = clock_mono_ms();
}

bool staff_tick(Staff *s)
{
    if (!s->active)
        return false;
    if (staff_export_page_tick(s))
        return true;
    if (!staff_busy(s) &&
        clock_mono_ms() - s->last_activity_ms >= (int64_t)s->cfg->staff_idle_s * 1000) {
        LOG_INFO("staff mode: %d s without a touch", s->cfg->staff_idle_s);
        leave(s);
        return true;
    }
    if (staff_stick_tick(s)) {
        staff_forms_stick_moved(s);
        return true;
    }
    return staff_pin_tick(s);
}

int64_t staff_next_deadline(const Staff *s)
{
    if (!s->active)
        return -1;
    /* While an export runs, its progress is drawn about ten times a second
     * (and the main loop, which pings the watchdog, keeps turning). */
    if (staff_busy(s))
        return staff_export_page_deadline(s);
    int64_t idle = s->last_activity_ms + (int64_t)s->cfg->staff_idle_s * 1000;
    int64_t next = staff_pin_deadline(s);
    if (next < 0)
        next = staff_stick_deadline(s);
    return next >= 0 && next < idle ? next : idle;
}

/* The tabs, the current one selected and its name the heading, and the
 * way out. */
static void build_tabs(Staff *s, KsView *v)
{
    const StaffPage *shown = page_of(s->screen);
    for (int i = 0; i < PAGE_COUNT; i++) {
        KsViewTarget *t = view_add_slot(v, KS_SLOT_STAFF_TAB, pages[i].id,
                                        staff_text(s, pages[i].name), KS_TARGET_SECONDARY);
        if (t) {
            t->selected = shown == &pages[i];
            t->row = -1; /* a menu tab (the layout puts them in a column or band) */
        }
        if (t && shown == &pages[i])
            str_copy(v->title, sizeof v->title, staff_text(s, pages[i].name));
    }
    KsViewTarget *x = view_add_slot(v, KS_SLOT_STAFF_TAB, "staff:exit",
                                    staff_text(s, UIT_STAFF_EXIT), KS_TARGET_BACK);
    if (x)
        x->row = -1;
}

void staff_build_view(Staff *s, KsView *v)
{
    v->lang = staff_lang(s);
    v->rtl = uitext_is_rtl(v->lang);
    if (s->screen == KS_SCREEN_STAFF_PIN) {
        staff_pin_view(s, v);
        return;
    }
    /* Not while the Werkstatt tab types or shows its results full-screen. */
    if (!is_ws_screen(s->screen) || !s->ws || workshop_staff_tabs(s->ws))
        build_tabs(s, v);
    const StaffPage *p = page_of(s->screen);
    if (p)
        p->view(s, v);
}
