/* store_workshop: the Zukunftswerkstatt in SQLite — workshops, their
 * current phase, idea cards (text, topic picture, drawing; a plan's who and
 * when), staff decisions on cards, merges of duplicates and dot votes in
 * rounds, each about the cards of one phase. Every call that
 * changes something is one committed transaction, as for survey answers:
 * when it returns KS_OK the action survives a power cut. No names are ever
 * stored; times only as the day. */
#ifndef KS_STORE_WORKSHOP_H
#define KS_STORE_WORKSHOP_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "store.h"

typedef enum {
    WS_PHASE_CRITIQUE,    /* Kritik: "Was nervt dich?" */
    WS_PHASE_FANTASY,     /* Fantasie: "Es wäre schön, wenn …" */
    WS_PHASE_REALISATION, /* Verwirklichung: what, who could help, when */
    WS_PHASE_VOTING,      /* Abstimmung */
    WS_PHASE_RESULTS,     /* Ergebnis */
    WS_PHASE_COUNT
} WsPhase;

/* "critique", "fantasy", "realisation", "voting", "results". */
const char *store_ws_phase_name(WsPhase p);

/* A plan card's helpers ("Wer kann helfen?") and its time ("Bis wann?"),
 * by their stable codes, in the order the tiles show them. */
#define WS_WHO_COUNT 9
#define WS_WHEN_COUNT 4
extern const char *const store_ws_who_codes[WS_WHO_COUNT];   /* "us", "parents", … */
extern const char *const store_ws_when_codes[WS_WHEN_COUNT]; /* "week", … "later" */
/* The index of a code, or -1. */
int store_ws_who_index(const char *code);
int store_ws_when_index(const char *code);

typedef struct {
    int64_t id;
    char title[128];
    char question[256];
    char langs[64]; /* space-separated codes offered, e.g. "de ar tr" */
    int dots;       /* dots per participant and voting round (default 3) */
    bool approval;  /* cards appear on the wall only after approval (default yes) */
    WsPhase phase;
    int round;          /* voting round, from 1 */
    WsPhase vote_phase; /* the cards the current (or next) round is about
                         * (critique, fantasy or realisation; default fantasy) */
    char day[11];       /* "YYYY-MM-DD" the workshop started */
    bool open;          /* false once staff closed it */
} StoreWorkshop;

typedef enum { WS_CARD_PENDING, WS_CARD_APPROVED, WS_CARD_REJECTED } WsCardStatus;

typedef struct {
    int64_t id;
    int64_t workshop_id;
    WsPhase phase; /* the phase it was written in */
    char lang[8];
    char age_band[16]; /* "" when not given */
    char topic[32];    /* topic picture name ("play", "school", …) or "" */
    char text[512];    /* "" when the card is a picture or drawing only */
    bool has_drawing;  /* a PNG is stored with it (store_ws_card_drawing) */
    WsCardStatus status;
    int64_t merged_into; /* 0, or the card it was merged into (then not on the wall) */
    int64_t about_card;  /* realisation: the Fantasie idea it is about; fantasy: the
                          * critique card it answers (its opposite); else 0 */
    char who[96];        /* realisation: helper codes, space-separated, or "" */
    char by_when[16];    /* realisation: a when code, or "" */
    int votes;           /* dots given to it and to the cards merged into it */
} StoreWsCard;

/* Starts a workshop (phase critique, round 1, day from at_ms); closes any
 * workshop still open. */
KsStatus store_ws_create(Store *s, const StoreWorkshop *w, int64_t at_ms, int64_t *out_id);
/* The open workshop. KS_ERR_NOT_FOUND when none is open. */
KsStatus store_ws_current(Store *s, StoreWorkshop *out);
KsStatus store_ws_get(Store *s, int64_t id, StoreWorkshop *out);
/* Switches the phase (and, entering voting again, the round: +1). */
KsStatus store_ws_set_phase(Store *s, int64_t id, WsPhase phase);
/* Chooses which cards voting is about: critique, fantasy or realisation
 * (KS_ERR_INVALID for another phase). While the workshop is voting and the
 * current round has dots already, that round ends and a new one (+1)
 * starts about `phase`: a round never mixes the cards of two phases.
 * Otherwise the current (or next) round is about `phase`. */
KsStatus store_ws_set_vote_phase(Store *s, int64_t id, WsPhase phase);
KsStatus store_ws_close(Store *s, int64_t id);

/* Adds a card; status pending when the workshop asks for approval, else
 * approved. drawing (PNG) may be NULL. A realisation card may name the idea
 * it is about (about_card, 0 for none): an approved Fantasie card of the
 * same workshop; a fantasy card may name the critique it answers: an
 * approved Kritik card. A merged card counts as the card it was merged
 * into, which is stored. Only a realisation card has helpers (who: known
 * codes, each once) and a time (by_when). KS_ERR_INVALID for any other
 * about_card, who or by_when, and for a card with nothing on it (no text,
 * topic, drawing, and for a plan no who or when). */
KsStatus store_ws_card_add(Store *s, const StoreWsCard *c, const uint8_t *png, size_t png_size,
                           int64_t *out_id);
KsStatus store_ws_card_set_status(Store *s, int64_t card_id, WsCardStatus status);
/* Merges card `from` into `into` (same workshop, neither merged already):
 * from leaves the wall; its votes, now and later, count for into. */
KsStatus store_ws_card_merge(Store *s, int64_t from, int64_t into);
/* The PNG of a card's drawing (malloc'd; the caller frees it).
 * KS_ERR_NOT_FOUND when it has none. */
KsStatus store_ws_card_drawing(Store *s, int64_t card_id, uint8_t **png, size_t *size);

/* Cards of a workshop, in the order written, filtered: phase (or -1 for
 * all), only approved and not merged when wall_only, only pending when
 * pending_only. Calls fn for each; votes are totals including merged
 * cards. */
typedef KsStatus (*StoreWsCardFn)(void *ctx, const StoreWsCard *c);
KsStatus store_ws_cards(Store *s, int64_t workshop_id, int phase, bool wall_only, bool pending_only,
                        StoreWsCardFn fn, void *ctx);

/* Records one participant's dots in one transaction: token is the random
 * id of their short voting session; cards[i] gets counts[i] dots. Refused
 * whole (KS_ERR_LIMIT) when the total exceeds the workshop's dots for this
 * token in the current round, KS_ERR_STATE when the workshop is not in the
 * voting phase, KS_ERR_INVALID for a card not on the wall or not of the
 * phase the round is about. The round's first dots record its phase. */
KsStatus store_ws_vote(Store *s, int64_t workshop_id, const char *token, const int64_t *cards,
                       const int *counts, int n);
/* Dots a token has given in the current round. */
KsStatus store_ws_votes_used(Store *s, int64_t workshop_id, const char *token, int *used);
/* The voting rounds that have dots, in order: the round and the phase whose
 * cards it was about (-1: a round from before rounds had a phase, about
 * the cards of every phase). A non-OK status from fn stops the walk. */
typedef KsStatus (*StoreWsRoundFn)(void *ctx, int round, int phase);
KsStatus store_ws_rounds(Store *s, int64_t workshop_id, StoreWsRoundFn fn, void *ctx);
/* Marks a token's voting session as suspected misuse (a burst of taps); its
 * votes are kept and counted apart in the export. */
KsStatus store_ws_flag_token(Store *s, int64_t workshop_id, const char *token, const char *reason);

/* ---- export side (added for the export batch) ------------------------ */

/* Workshops a new export batch carries: not exported yet, closed or in the
 * results phase, with at least one approved card; or, with redo_batch,
 * those exported in that batch. Ordered by id. A non-OK status from fn
 * stops the walk and is returned. An exported workshop is frozen: phase
 * changes, cards, decisions, merges and votes on it are KS_ERR_STATE. */
typedef KsStatus (*StoreWsFn)(void *ctx, const StoreWorkshop *w);
KsStatus store_ws_export_list(Store *s, const char *redo_batch, StoreWsFn fn, void *ctx);

/* Dots per wall card and voting round: votes given to a card merged later
 * are counted for the card at the end of its merge chain. Dots of flagged
 * tokens are counted apart. Ordered by card id, then round. */
typedef KsStatus (*StoreWsDotsFn)(void *ctx, int64_t card_id, int round, int dots,
                                  int dots_flagged);
KsStatus store_ws_vote_rounds(Store *s, int64_t workshop_id, StoreWsDotsFn fn, void *ctx);

#endif
