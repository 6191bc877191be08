/* workshop: the Zukunftswerkstatt on the kiosk — the participants' side
 * (language, the wall of cards, writing a card, dot voting, results) and
 * the staff side (start, phases, moderation, merging, results full-screen,
 * close). Every change goes through store_workshop and is committed before
 * the screen confirms it. Draws nothing; builds views. */
#ifndef KS_WORKSHOP_H
#define KS_WORKSHOP_H

#include <stdint.h>
#include <stdbool.h>

#include "../core/config.h"
#include "../storage/store.h"
#include "event.h"
#include "view.h"

typedef struct Workshop Workshop;

/* cfg and store are borrowed and must outlive it. */
Workshop *workshop_create(const KsConfig *cfg, Store *store);
/* Removes the drawing pictures it wrote for views, then frees. Accepts NULL. */
void workshop_destroy(Workshop *w);

/* Whether staff have a workshop open (read from the store). */
bool workshop_is_open(Workshop *w);

/* ---- participants ---- */

/* A participant taps the welcome screen: the workshop's language choice. */
void workshop_begin(Workshop *w);
/* Whether a participant is on a workshop screen. */
bool workshop_active(const Workshop *w);
/* The participant's screen while active. */
KsScreen workshop_screen(const Workshop *w);
/* The participant's language code, "" before it is chosen; lives as long
 * as the Workshop. */
const char *workshop_lang(const Workshop *w);
/* A tap on a participant screen (ids as in README "Zukunftswerkstatt");
 * ends the participant's visit (workshop_active false) on "done" and
 * "ws:exit". */
void workshop_tap(Workshop *w, const char *id);
/* A drag on the card's drawing canvas. */
void workshop_drag(Workshop *w, const KsEvent *ev);
/* Forgets the participant (idle timeout, staff gesture): an unsent card
 * and uncast dots are dropped. */
void workshop_end(Workshop *w);
/* Fills the view of the participant screen. Strings live as long as the
 * Workshop (until its next change). */
void workshop_build_view(Workshop *w, KsView *v);

/* ---- staff ---- */

/* Staff open the Werkstatt tab. */
void workshop_staff_enter(Workshop *w);
/* A tap on a staff workshop screen; returns the staff screen to show. */
KsScreen workshop_staff_tap(Workshop *w, const char *id);
/* The staff workshop screen shown now. */
KsScreen workshop_staff_screen(const Workshop *w);
/* Whether the staff tabs are shown with it (not while typing or showing
 * the results full-screen). */
bool workshop_staff_tabs(const Workshop *w);
/* Fills the staff page (after the tabs) in v->lang, which the caller sets
 * to the staff language; the title is set here. */
void workshop_staff_view(Workshop *w, KsView *v);

/* A phase's stable name for target ids ("critique", …), and back: -1 for
 * an unknown name. */
int workshop_phase_from_name(const char *name);

#endif
