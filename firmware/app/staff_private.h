/* staff_private: the Staff state, shared by the staff state machine
 * (staff.c, and staff_stick.c for the stick), and the staff view builder
 * (staff_view.c). Nothing else includes it. */
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

#define PIN_MAX 8
/* While an export runs, staff_tick looks at it (and the page is drawn
 * again) this often: about ten frames a second. */
#define STAFF_EXPORT_FRAME_MS 100
#define NO_TEXT (-1)

typedef enum { PIN_VERIFY, PIN_SET, PIN_REPEAT } PinStage;

/* Fields of the clock screen, in the order shown. */
enum { CF_DAY, CF_MONTH, CF_YEAR, CF_HOUR, CF_MINUTE, CF_COUNT };

struct Staff {
    const KsConfig *cfg;
    Catalog *catalog; /* the kiosk's; imported forms are added to it */
    Store *store;
    const char *db_path;

    bool active;
    KsScreen screen;
    int64_t last_activity_ms; /* monotonic */

    PinStage stage;
    char pin[PIN_MAX + 1];       /* digits typed so far; wiped after each OK */
    char first_pin[PIN_MAX + 1]; /* a new PIN's first entry */
    int pin_msg;                 /* UiTextId to show under the heading, or NO_TEXT */
    int failures;                /* wrong PINs in a row (also in the store) */
    int64_t locked_until_ms;     /* monotonic; 0 when not locked */

    int clock_f[CF_COUNT]; /* the date and time being set (UTC) */
    char clock_txt[CF_COUNT][8];
    int clock_msg;

    /* The answer under review (the oldest pending one). */
    bool have_review;
    int64_t review_session;
    char review_form[64], review_question[64];
    char review_text[KS_VIEW_TEXT_MAX];
    char review_png[256]; /* the drawing written for the view, or "" */
    unsigned review_serial;
    int review_count;

    int export_msg;                  /* UiTextId, or NO_TEXT */
    char export_text[512];           /* the export's result in words (staff_export_text) */
    StaffExport *exp;                /* the export on its worker thread (staff_export.c) */
    char export_mount[USB_PATH_MAX]; /* the stick the running export writes to */
    bool export_unseen;              /* a result came in while another page showed */
    ExportProgress shown_progress;   /* the progress the page was last built with */
    int64_t export_next_ms;          /* monotonic: when staff_tick looks at the export again */
    char export_qr[1024];            /* its QR receipt (the PNG kept beside the database), or "" */
    char receipt[96];                /* that copy's file name, removed when the next is kept */
    StaffOverview *overview;
    /* The signing key on the overview: its id and the QR picture of its
     * public key line (written beside the database), or none. */
    bool have_key;
    StaffKey key;
    char key_qr[CONFIG_PATH_MAX + 16];
    char key_label[96]; /* the QR code's label: "Signaturschlüssel <id>" */
    /* The office's receipts: the stick they were last read from ("" none
     * since the stick left or the export page opened) and what staff hear
     * about them on the export page. */
    char acks_mount[USB_PATH_MAX];
    char acks_text[512];

    /* The stick, as the mount table showed it at the last look (export and
     * import pages only). An ejected stick whose mount is still listed
     * (umount was not permitted) is not offered again until it is gone. */
    bool have_stick;
    UsbStick stick;
    char ejected[USB_PATH_MAX];
    char stick_line[USB_PATH_MAX + 128];
    int64_t next_poll_ms; /* monotonic */

    /* The forms page: the installed forms, or (importing) the forms on the
     * stick, or (import_result) why the one tapped cannot be used. */
    bool importing, import_result;
    int forms_msg; /* UiTextId, or NO_TEXT */
    StaffImport *import;
    char dots[PIN_MAX * 3 + 1];
    struct Workshop *ws;   /* the Werkstatt tab's, or NULL */
    struct ClockWatch *cw; /* doubt about the clock, or NULL */
};

/* The staff screens' language (kiosk.conf staff_language). */
static inline const char *staff_lang(const Staff *s)
{
    return s->cfg->staff_language;
}

/* Whether a screen is one of the Werkstatt tab's pages. */
bool staff_is_ws_screen(KsScreen s);

/* The ids and names of the clock fields, in the order shown (staff.c). */
extern const char *const staff_clock_ids[CF_COUNT];
extern const UiTextId staff_clock_names[CF_COUNT];

/* The staff tabs: target id and screen, in the order shown (staff.c). */
#define STAFF_NAV_COUNT 6
typedef struct {
    const char *id;
    KsScreen screen;
} StaffNav;
extern const StaffNav staff_nav[STAFF_NAV_COUNT];

/* The stick (staff_stick.c). Reads the mount table (usb_mounts) again and,
 * for a stick just noticed, the office's receipts on it; true when what the
 * pages show about the stick changed. */
bool staff_stick_poll(Staff *s);
/* Whether the current page shows the stick (and so watches the table). */
bool staff_stick_watched(const Staff *s);
/* Starts the export to the stick on its worker thread: the responses not
 * exported yet, or with redo_batch the sessions of that earlier batch again
 * (a lost stick). While one runs, it only says so. */
void staff_stick_export(Staff *s, const char *redo_batch);
/* Once the running export has finished: its result in words, the QR
 * receipt and the office's receipts become what the export page shows.
 * True when that happened (the view must be built again). */
bool staff_stick_collect(Staff *s);
/* Syncs and unmounts the stick; after that it is not offered any more. */
void staff_stick_eject(Staff *s);

/* Whether wrong PINs lock the pad now (staff.c). */
bool staff_locked(const Staff *s);
/* Seconds the PIN pad stays locked now (staff.c). */
int staff_lock_left_s(const Staff *s);

#endif
