/* kiosk_private: the Kiosk's state — the screen shown, the timers, the
 * language chosen, the fault, and the parts it routes to (the Respondent,
 * staff mode, the workshop) — shared by the router (kiosk.c), its screens
 * (kiosk_view.c), the speaker (kiosk_speak.c) and its housekeeping
 * (kiosk_house.c). Nothing else includes it. */
#ifndef KS_KIOSK_PRIVATE_H
#define KS_KIOSK_PRIVATE_H

#include <stdint.h>
#include <stdbool.h>

#include "clockwatch.h"
#include "kiosk.h"
#include "respondent.h"
#include "staff.h"
#include "uitext.h"
#include "workshop.h"

struct Kiosk {
    const KsConfig *cfg;
    Catalog *catalog; /* staff may add imported forms to it */
    Store *store;
    Speech *speech;            /* read-aloud, or NULL */
    char db_path[512];         /* the database file, for the free-disk check; "" unknown */
    int64_t awake_until_ms;    /* monotonic: a touch at night keeps the screen lit till then */
    int64_t fault_since_ms;    /* monotonic: when the fault screen came (or was checked) */
    Staff *staff;              /* staff mode; NULL without a store */
    Workshop *ws;              /* the Zukunftswerkstatt; NULL without a store */
    ClockWatch *cw;            /* doubt about the wall clock; NULL without a store */
    int64_t retention_next_ms; /* monotonic: the next daily deletion of old exports */
    bool integrity_pending;    /* the store's start-up integrity check still runs */
    UiTextId store_fault;      /* UIT_NONE, or the fault a failed check found */

    Respondent *resp; /* the person answering a survey */

    KsScreen screen;
    KsScreen behind;    /* the screen an idle prompt or quit question covers */
    char lang_code[16]; /* chosen on the language screen, "" before */

    int64_t last_activity_ms; /* monotonic */
    int64_t prompt_start_ms;
    int64_t thanks_start_ms;
    UiTextId fault_reason;
    char fault_detail[CONFIG_PATH_MAX]; /* the folder or file a self-test fault names */

    KsView view;
};

/* Whether a screen is a participant's workshop screen (kiosk.c). */
bool kiosk_is_ws_screen(KsScreen s);

/* Builds k->view from the current state (kiosk_view.c). */
void kiosk_rebuild_view(Kiosk *k);

/* Whether form f is offered in language code (kiosk.conf `languages`; a
 * form with none of those languages offers all of its own; kiosk_view.c). */
bool kiosk_form_lang_shown(const Kiosk *k, const Form *f, const char *code);

/* The languages the language screen offers: every language an active form
 * is offered in, de en tr ar uk ru first, then others in the order the
 * forms name them. codes[i] are static or the forms' own strings; returns
 * the count. */
int kiosk_offered_langs(const Kiosk *k, const char **codes, int max);

/* Whether the "who are you?" screen shows form f: switched on by staff and
 * offered in the language chosen before it. */
bool kiosk_form_offered(const Kiosk *k, const Form *f);

/* Display sleep (kiosk_house.c): the welcome screen goes dark in the
 * night hours unless a touch woke it before awake_until_ms; the morning
 * brings it back. */
void kiosk_sleep_tick(Kiosk *k, int64_t now);

/* The clock watch, the outcome of a start-up integrity check still running
 * and the daily retention run (kiosk_house.c). True when a staff screen
 * must show a clock doubt that began just now. */
bool kiosk_housekeeping(Kiosk *k);

/* The start-up integrity check failed with ks after the first screens
 * (kiosk.c): the fault screen, as if it had failed before them, at once
 * or when staff mode ends; no more answers are taken. */
void kiosk_store_failed(Kiosk *k, KsStatus ks);

/* The speaker button (kiosk_speak.c): reads the screen shown now aloud; a
 * second tap while it speaks stops it. */
void kiosk_speak(Kiosk *k);

#endif
