/* workshop_view: what the workshop's view builders share (workshop_view.c:
 * the participants' screens; workshop_view_card.c: writing a card;
 * workshop_view_results.c: results and plan; workshop_view_staff.c: the
 * staff pages). Only they include it. */
#ifndef KS_WORKSHOP_VIEW_H
#define KS_WORKSHOP_VIEW_H

#include "workshop_private.h"

/* Each phase's name (workshop context), colour and pictogram. */
extern const UiTextId ws_phase_text[WS_PHASE_COUNT];
extern const unsigned ws_phase_colour[WS_PHASE_COUNT];
extern const char *const ws_phase_icon[WS_PHASE_COUNT];

/* The workshop's phase, a valid one. */
WsPhase workshop_view_phase(const Workshop *w);
/* Adds a line to the view's message. */
void workshop_view_line(KsView *v, const char *line);
/* cards[i] as a target "<prefix>:<id>": its text (or topic's name), its
 * topic picture (a plan: its time's), its drawing and dots. */
KsViewTarget *workshop_view_card(Workshop *w, KsView *v, const char *prefix, int i,
                                 KsTargetRole role);
/* The page turners: back from the second page on, next when `more`. */
void workshop_view_turners(Workshop *w, KsView *v, bool more);
/* Writing a card (workshop_view_card.c). */
void workshop_view_composer(Workshop *w, KsView *v);

#endif
