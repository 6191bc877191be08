/* staff_private: the Staff state and how the files of staff mode share it.
 * staff.c is the router: entering and leaving staff mode, the tabs, which
 * page gets a tap, a tick or the view, the idle timeout. Each page owns one
 * struct below and one file that handles its taps and ticks and builds its
 * view: the PIN pad (staff_pin.c), the overview (staff_overview_page.c),
 * the clock (staff_clock.c), the forms and their import (staff_forms.c),
 * the review (staff_review.c) and the export (staff_export_page.c). The
 * stick that the export and import pages watch is staff_stick.c's; the
 * Werkstatt tab's pages are the workshop module's (workshop_staff.c). A
 * page reads other parts of the state but changes only its own and goes
 * through their functions. Nothing else includes this header. */
#ifndef KS_STAFF_PRIVATE_H
#define KS_STAFF_PRIVATE_H

#include <stdint.h>
#include <stdbool.h>

#include "../sys/usb.h"
#include "staff.h"
#include "staff_export.h"
#include "staff_import.h"
#include "staff_key.h"
#include "staff_overview.h"
#include "uitext.h"

/* ---- the router (staff.c) ------------------------------------------- */

/* Shows a staff page and lets it load what it shows. */
void staff_go(Staff *s, KsScreen screen);
/* A staff text in the staff language (kiosk.conf staff_language). */
const char *staff_text(const Staff *s, UiTextId id);
/* Appends a line to v->message; a further line that no longer fits is
 * left out whole rather than cut off mid-word. */
void staff_view_line(KsView *v, const char *line);

/* ---- the PIN pad (staff_pin.c) ---------------------------------------- */

#define PIN_MAX 8

typedef enum { PIN_VERIFY, PIN_SET, PIN_REPEAT } PinStage;

typedef struct {
    PinStage stage;
    char digits[PIN_MAX + 1];   /* typed so far; wiped after each OK */
    char first[PIN_MAX + 1];    /* a new PIN's first entry */
    UiTextId msg;               /* to show under the heading, or UIT_NONE */
    int failures;               /* wrong PINs in a row (also in the store) */
    int64_t locked_until_ms;    /* monotonic; 0 when not locked */
    char dots[PIN_MAX * 3 + 1]; /* the view's field: one dot a digit */
} StaffPin;

/* Reads the stored count of wrong PINs; a lockout it calls for starts
 * anew. */
void staff_pin_init(Staff *s);
/* The pad afresh: asks for the PIN, or for a new one when none is set. */
void staff_pin_open(Staff *s);
/* Forgets the digits typed. */
void staff_pin_wipe(Staff *s);
/* A key of the pad ("0".."9", "backspace", "ok"). */
void staff_pin_tap(Staff *s, const char *key);
/* Ends a lockout that is over and counts it down on the pad; true when
 * the view must be built again. */
bool staff_pin_tick(Staff *s);
/* While the pad shows a lockout: when its next second is up; else -1. */
int64_t staff_pin_deadline(const Staff *s);
void staff_pin_view(Staff *s, KsView *v);

/* ---- the overview (staff_overview_page.c) ---------------------------- */

typedef struct {
    StaffOverview figures;
    /* The signing key: its id and the QR picture of its public key line
     * (written beside the database), or none. */
    bool have_key;
    StaffKey key;
    char key_qr[CONFIG_PATH_MAX + 16];
    char key_label[96]; /* the QR code's label: "Signaturschlüssel <id>" */
} StaffOverviewPage;

void staff_overview_page_enter(Staff *s);
/* Staff mode closes: the key is read afresh next time (a technician may
 * have replaced it). */
void staff_overview_page_leave(Staff *s);
void staff_overview_page_view(Staff *s, KsView *v);

/* ---- the clock (staff_clock.c) ---------------------------------------- */

/* Fields of the clock page, in the order shown. */
enum { CF_DAY, CF_MONTH, CF_YEAR, CF_HOUR, CF_MINUTE, CF_COUNT };

typedef struct {
    int f[CF_COUNT]; /* the date and time being set (UTC) */
    char txt[CF_COUNT][8];
    UiTextId msg; /* or UIT_NONE */
} StaffClock;

void staff_clock_enter(Staff *s);
void staff_clock_tap(Staff *s, const char *id);
void staff_clock_view(Staff *s, KsView *v);
/* While the clock is in doubt: the line `text` (with the last known time)
 * on a page. The overview says what is wrong, the clock page what the
 * doubt means for exports. */
void staff_clock_doubt_line(const Staff *s, KsView *v, UiTextId text);

/* ---- the forms and their import (staff_forms.c) ---------------------- */

typedef struct {
    /* The installed forms, or (importing) the forms on the stick, or
     * (result) why the one tapped cannot be used. */
    bool importing, result;
    StaffImport import;
} StaffForms;

void staff_forms_init(Staff *s);
void staff_forms_enter(Staff *s);
void staff_forms_tap(Staff *s, const char *id);
/* A stick came or went: the import list follows it. */
void staff_forms_stick_moved(Staff *s);
void staff_forms_view(Staff *s, KsView *v);

/* ---- the review (staff_review.c) -------------------------------------- */

/* The answer under review: the oldest pending one. */
typedef struct {
    bool have;
    int64_t session;
    char form[64], question[64];
    char text[KS_VIEW_TEXT_MAX];
    char png[256]; /* the drawing written for the view, or "" */
    unsigned serial;
    int count;
} StaffReview;

void staff_review_enter(Staff *s);
void staff_review_tap(Staff *s, const char *id);
/* Removes the drawing written for the view. */
void staff_review_leave(Staff *s);
void staff_review_view(Staff *s, KsView *v);

/* ---- the export (staff_export_page.c) --------------------------------- */

/* While an export runs, the page looks at it (and is drawn again) this
 * often: about ten frames a second. */
#define STAFF_EXPORT_FRAME_MS 100

typedef struct {
    UiTextId msg;             /* or UIT_NONE */
    char text[512];           /* the export's result in words (staff_export_text) */
    StaffExport *run;         /* the export on its worker thread (staff_export.c) */
    char mount[USB_PATH_MAX]; /* the stick the running export writes to */
    bool unseen;              /* a result came in while another page showed */
    ExportProgress shown;     /* the progress the page was last built with */
    int64_t next_ms;          /* monotonic: when the tick looks at the export again */
    char qr[1024];            /* its QR receipt (the PNG kept beside the database), or "" */
    char receipt[96];         /* that copy's file name, removed when the next is kept */
} StaffExportPage;

void staff_export_page_init(Staff *s);
/* Stops a running export and waits for it. */
void staff_export_page_free(Staff *s);
void staff_export_page_enter(Staff *s);
/* Staff mode closes (never while an export runs). */
void staff_export_page_leave(Staff *s);
/* Staff asked to leave while the export runs: the page says they stay. */
void staff_export_page_hold(Staff *s);
void staff_export_page_tap(Staff *s, const char *id);
/* Follows a running export: its progress, then its result; true when the
 * view must be built again. */
bool staff_export_page_tick(Staff *s);
/* When the tick looks at the running export next (monotonic). */
int64_t staff_export_page_deadline(const Staff *s);
void staff_export_page_view(Staff *s, KsView *v);

/* ---- the stick (staff_stick.c) ---------------------------------------- */

/* The stick, as the mount table showed it at the last look (export and
 * import pages only). An ejected stick whose mount is still listed
 * (umount was not permitted) is not offered again until it is gone. */
typedef struct {
    bool have;
    UsbStick usb;
    char ejected[USB_PATH_MAX];
    char line[USB_PATH_MAX + 128]; /* where the stick is, for the pages */
    int64_t next_poll_ms;          /* monotonic */
    /* The office's receipts: the stick they were last read from ("" none
     * since the stick left or the export page opened) and what staff hear
     * about them on the export page. */
    char acks_mount[USB_PATH_MAX];
    char acks_text[512];
} StaffStick;

/* Reads the mount table (usb_mounts) again and, for a stick just noticed,
 * the office's receipts on it; true when what the pages show about the
 * stick changed. */
bool staff_stick_poll(Staff *s);
/* Whether the current page shows the stick (and so watches the table). */
bool staff_stick_watched(const Staff *s);
/* Looks at the table again when it is time to; true when that changed
 * what the pages show. */
bool staff_stick_tick(Staff *s);
/* While watched: when the table is read next (monotonic); else -1. */
int64_t staff_stick_deadline(const Staff *s);
/* The receipts are read again at the next look (the stick may have been
 * swapped while the export page was not shown). */
void staff_stick_reread_acks(Staff *s);
/* What the export found of the office's receipts on the stick at mount:
 * they become what staff hear about them (when there were any). */
void staff_stick_acks_read(Staff *s, const char *mount, const RetentionAcks *r);
/* Syncs and unmounts the stick; after that it is not offered any more.
 * Returns what the export page says about it. */
UiTextId staff_stick_eject(Staff *s);

/* ---- the whole state -------------------------------------------------- */

struct Staff {
    const KsConfig *cfg;
    Catalog *catalog; /* the kiosk's; imported forms are added to it */
    Store *store;
    const char *db_path;
    struct Workshop *ws;   /* the Werkstatt tab's, or NULL */
    struct ClockWatch *cw; /* doubt about the clock, or NULL */

    /* The router's. */
    bool active;
    KsScreen screen;
    int64_t last_activity_ms; /* monotonic */

    /* The pages', each its own file's. */
    StaffPin pin;
    StaffOverviewPage overview;
    StaffClock clock;
    StaffForms forms;
    StaffReview review;
    StaffExportPage export;
    StaffStick stick;
};

/* The staff screens' language (kiosk.conf staff_language). */
static inline const char *staff_lang(const Staff *s)
{
    return s->cfg->staff_language;
}

#endif
