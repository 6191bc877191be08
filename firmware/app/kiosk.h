/* kiosk: the state machine of a kiosk. It alone changes state: it feeds taps
 * to the survey session, commits answers through storage, runs the idle and
 * thank-you timers, and builds the KsView the UI draws.
 * Time comes from core/clock; the caller calls kiosk_tick regularly (at least
 * at kiosk_next_deadline, and once a minute for the clock watch and the
 * daily deletion of old exports). */
#ifndef KS_KIOSK_H
#define KS_KIOSK_H

#include <stdint.h>
#include <stdbool.h>

#include "../core/config.h"
#include "../storage/store.h"
#include "../survey/catalog.h"
#include "../sys/speech.h"
#include "event.h"
#include "uitext.h"
#include "view.h"

typedef struct Kiosk Kiosk;

/* cfg, catalog and store are borrowed and must outlive the kiosk; staff
 * mode adds forms imported from a stick to the catalog. A NULL store, a
 * failed integrity check (`store_fault` != KS_OK) or an empty catalog put
 * the kiosk on the fault screen; so does a start-up integrity check that
 * runs beside the first screens (store_integrity) when it fails, and until
 * it has passed nothing old is deleted. */
Kiosk *kiosk_create(const KsConfig *cfg, Catalog *catalog, Store *store, KsStatus store_fault);

/* A failed start-up self-test (selftest.h): the kiosk shows the fault's
 * own staff screen, naming detail (a folder or file), instead of taking
 * answers. A damaged database stays the fault shown. */
void kiosk_self_test_failed(Kiosk *k, UiTextId fault, const char *detail);
/* Gives the kiosk a voice for the speaker button (borrowed; it must outlive
 * the kiosk). Without one the button is not offered. */
void kiosk_set_speech(Kiosk *k, Speech *speech);
/* Tells staff mode where the database lives (for its free-space figure);
 * borrowed, it must outlive the kiosk. */
void kiosk_set_db_path(Kiosk *k, const char *db_path);
/* Ends any open session as abandoned, then frees. Accepts NULL. */
void kiosk_destroy(Kiosk *k);

void kiosk_handle(Kiosk *k, const KsEvent *ev);
/* Runs the timers against clock_mono_ms(). */
void kiosk_tick(Kiosk *k);
/* Monotonic time (ms) at which kiosk_tick has something to do, or -1. */
int64_t kiosk_next_deadline(const Kiosk *k);
/* Whether work runs beside the UI on a thread of its own (a staff export,
 * the start-up integrity check of a large database), in real time: a
 * script on the virtual clock lets it have real time. */
bool kiosk_busy(const Kiosk *k);

/* The current view; borrowed, valid until the next kiosk_handle/kiosk_tick. */
const KsView *kiosk_view(const Kiosk *k);

/* The welcome screen's view as a kiosk shows it once it has started (its
 * generation 0, which no kiosk's view has): the display can lay it out and
 * draw its text and pictures while the database and the forms still open. */
void kiosk_welcome_view(KsView *v);

/* The question page "next" would show from the page on screen, with the
 * answers given so far, for the display to draw ahead while the person
 * reads; nothing of the kiosk changes. NULL when that is not a page of
 * the form (see respondent_peek_next). */
typedef struct KioskPeek KioskPeek;
KioskPeek *kiosk_peek_next(const Kiosk *k);
const KsView *kiosk_peek_view(const KioskPeek *p);
void kiosk_peek_free(KioskPeek *p);

#endif
