/* workshop_view: what the workshop's view builders share (workshop_view.c).
 * The participant's screens are workshop_view_participant.c and
 * workshop_view_card.c (writing a card), the staff pages
 * workshop_view_staff.c, the results and plan of either side
 * workshop_view_results.c. Only they include it. */
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
KsViewTarget *workshop_view_card(Workshop *w, KsView *v, KsSlot slot, const char *prefix, int i,
                                 KsTargetRole role);
/* The page turners: back from the second page on, next when `more`. */
void workshop_view_turners(Workshop *w, KsView *v, bool more);
/* A card's text for a view: its text, else its topic's name, else its
 * helpers' names; "" when none. Lives until WS_NAMES more are asked for. */
const char *workshop_card_text(Workshop *w, const char *lang, const StoreWsCard *c);
/* "<format with the text cut to `chars` characters>" into buf (UIT_NONE:
 * the cut text alone). */
void workshop_cut_line(const char *lang, UiTextId format, const char *text, int chars, char *buf,
                       size_t size);

/* Writing a card (workshop_view_card.c). */
void workshop_view_composer(Workshop *w, KsView *v);
/* The results' tabs and bars or plan rows (workshop_view_results.c). */
void workshop_view_results(Workshop *w, KsView *v);

#endif
