/* staff: staff mode — the PIN pad (first start: choosing a PIN), wrong-PIN
 * lockout, and the staff screens (overview, clock, forms, review, export).
 * The kiosk hands it the taps while a staff screen shows and asks it for
 * the view. The PIN is kept only as an Argon2id hash (libsodium
 * crypto_pwhash_str) in the store's settings, with the count of wrong PINs,
 * so a reboot neither forgets nor shortens a lockout. Draws nothing. */
#ifndef KS_STAFF_H
#define KS_STAFF_H

#include <stdint.h>
#include <stdbool.h>

#include "../core/config.h"
#include "../storage/store.h"
#include "../survey/catalog.h"
#include "view.h"

typedef struct Staff Staff;

/* Settings keys in the store. */
#define STAFF_KEY_PIN_HASH "staff_pin_hash"
#define STAFF_KEY_FAILURES "staff_pin_failures"

/* All borrowed; they must outlive the Staff. db_path (may be NULL) is where
 * the overview looks for free disk space. Reads the stored failure count: a
 * kiosk restarted during a lockout starts the wait anew. */
Staff *staff_create(const KsConfig *cfg, Catalog *catalog, Store *store, const char *db_path);
/* Stops a running export (nothing is marked, nothing finished stays on the
 * stick) and waits for it, removes the review picture it wrote, then
 * frees. Accepts NULL. */
void staff_destroy(Staff *s);

/* Gives staff mode the workshop for its Werkstatt tab (borrowed; it must
 * outlive the Staff). */
struct Workshop;
void staff_set_workshop(Staff *s, struct Workshop *w);

/* Gives staff mode the clock watch (borrowed; it must outlive the Staff):
 * the overview and the clock screen warn while the clock is in doubt, and
 * setting or confirming the clock there ends the doubt. */
struct ClockWatch;
void staff_set_clockwatch(Staff *s, struct ClockWatch *cw);

/* Opens the PIN pad (asking for a new PIN when none is set). */
void staff_open(Staff *s);
/* Whether staff mode is open (the PIN pad or a staff screen). */
bool staff_active(const Staff *s);
/* Whether work runs beside the UI: an export on its worker thread (started
 * and its result not yet shown). Staff mode cannot be left meanwhile. */
bool staff_busy(const Staff *s);
/* The screen shown while active. */
KsScreen staff_screen(const Staff *s);

/* A tap on a staff screen (ids as in README "Target ids"). Leaves staff
 * mode on staff:exit and staff:cancel. */
void staff_tap(Staff *s, const char *id);
/* A touch anywhere: restarts the idle time. */
void staff_touch(Staff *s);
/* Runs the idle timeout and the lockout countdown, and follows a running
 * export (its progress, then its result); true when the view must be
 * rebuilt (staff mode may have ended). */
bool staff_tick(Staff *s);
/* Monotonic ms at which staff_tick has something to do, or -1. */
int64_t staff_next_deadline(const Staff *s);

/* Fills the view of the current staff screen (texts from the catalogs in
 * the staff language, kiosk.conf staff_language). Strings are copied or
 * live as long as the Staff. */
void staff_build_view(Staff *s, KsView *v);

/* The lockout after `failures` wrong PINs in a row, in seconds (0: none),
 * by the PIN policy of cfg: pin_free_tries wrong PINs are free, then
 * pin_lock_s, doubling with each further one up to pin_lock_max_s. */
int staff_lock_seconds(const KsConfig *cfg, int failures);

#endif
