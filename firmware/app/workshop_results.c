/* workshop_results: what the Zukunftswerkstatt's results show — every
 * voting round with dots ranked on its own (a round is about the cards of
 * one phase, so critique and ideas never share a chart), and the plan: the
 * top ideas with their plan cards, grouped by who can help. Reads through
 * store_workshop; draws nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/log.h"
#include "workshop_private.h"

static KsStatus on_round(void *ctx, int round, int phase)
{
    Workshop *w = ctx;
    if (w->n_rounds == WS_ROUNDS_MAX) {
        /* keep the latest: the results show those */
        memmove(w->rounds, w->rounds + 1, sizeof w->rounds - sizeof w->rounds[0]);
        memmove(w->round_phase, w->round_phase + 1,
                sizeof w->round_phase - sizeof w->round_phase[0]);
        w->n_rounds--;
    }
    w->rounds[w->n_rounds] = round;
    w->round_phase[w->n_rounds++] = phase;
    return KS_OK;
}

typedef struct {
    Workshop *w;
    int round;
} RoundDots;

/* A card's dots in the round shown: those of suspected misuse too, as
 * the wall counts them (the export counts them apart). */
static KsStatus on_dots(void *ctx, int64_t card, int round, int dots, int flagged)
{
    RoundDots *r = ctx;
    for (int i = 0; round == r->round && i < r->w->n_cards; i++)
        if (r->w->cards[i].id == card)
            r->w->cards[i].votes = dots + flagged;
    return KS_OK;
}

/* The wall cards the round was about, ranked by that round's dots. */
static void load_round(Workshop *w, int round, int phase)
{
    workshop_load_cards(w, phase, false);
    for (int i = 0; i < w->n_cards; i++)
        w->cards[i].votes = 0;
    RoundDots r = {w, round};
    KsStatus ks = store_ws_vote_rounds(w->store, w->cur.id, on_dots, &r);
    if (ks != KS_OK)
        LOG_ERROR("dots of round %d not read: %s", round, ks_status_str(ks));
    qsort(w->cards, (size_t)w->n_cards, sizeof w->cards[0], workshop_by_votes);
    for (int i = 0; i < w->n_cards; i++)
        workshop_thumb(w, &w->cards[i], w->thumbs[i], sizeof w->thumbs[i]);
}

/* ---- the plan ---------------------------------------------------------- */

static KsStatus on_plan(void *ctx, const StoreWsCard *c)
{
    Workshop *w = ctx;
    if (w->n_plans < WS_CARDS_MAX)
        w->plans[w->n_plans++] = *c;
    return KS_OK;
}

static bool has_helper(const char *list, const char *code)
{
    size_t n = strlen(code);
    for (const char *p = list; (p = strstr(p, code)) != NULL; p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return true;
    return false;
}

/* Whether plan card p is about the idea fantasy[fi] (through merges). */
static bool plan_of(const Workshop *w, int p, int fi)
{
    return workshop_about_of(w->fantasy, w->n_fantasy, w->plans[p].about_card) == &w->fantasy[fi];
}

/* The rows of one idea: for each helper (in the order of the tiles, then
 * "nobody chosen yet") its plan cards, WS_PLAN_ROW_CARDS a row. */
static void idea_rows(Workshop *w, int fi)
{
    for (int who = 0; who <= WS_WHO_COUNT; who++) {
        int h = who < WS_WHO_COUNT ? who : -1;
        WsPlanRow *row = NULL;
        int part = 0;
        for (int p = 0; p < w->n_plans; p++) {
            const char *list = w->plans[p].who;
            if (!plan_of(w, p, fi) || (h >= 0 ? !has_helper(list, store_ws_who_codes[h]) : list[0]))
                continue;
            if (!row || row->n == WS_PLAN_ROW_CARDS) {
                if (w->n_plan == WS_PLAN_ROWS_MAX)
                    return;
                row = &w->plan[w->n_plan++];
                *row = (WsPlanRow){.idea = fi, .who = h, .part = ++part};
            }
            row->cards[row->n++] = p;
        }
    }
}

/* The top ideas (most dots first, else in the order written) that have a
 * plan, their rows, and the pages: WS_PLAN_ROWS rows a page, one idea a
 * page. */
static void plan_load(Workshop *w)
{
    workshop_load_ideas(w); /* every Fantasie card, for the look-ups */
    w->n_plans = w->n_plan = w->plan_pages = 0;
    KsStatus ks =
        store_ws_cards(w->store, w->cur.id, WS_PHASE_REALISATION, true, false, on_plan, w);
    if (ks != KS_OK)
        LOG_ERROR("plan cards not read: %s", ks_status_str(ks));
    for (int p = 0; p < w->n_plans; p++)
        workshop_thumb(w, &w->plans[p], w->plan_thumbs[p], sizeof w->plan_thumbs[p]);
    bool taken[WS_CARDS_MAX] = {false};
    for (int k = 0; k < WS_PLAN_IDEAS; k++) {
        int best = -1;
        for (int i = 0; i < w->n_fantasy; i++) {
            const StoreWsCard *c = &w->fantasy[i];
            if (taken[i] || c->status != WS_CARD_APPROVED || c->merged_into)
                continue;
            bool planned = false;
            for (int p = 0; p < w->n_plans && !planned; p++)
                planned = plan_of(w, p, i);
            if (planned && (best < 0 || c->votes > w->fantasy[best].votes))
                best = i;
        }
        if (best < 0)
            break;
        taken[best] = true;
        int first = w->n_plan;
        idea_rows(w, best);
        for (int r = first; r < w->n_plan; r += WS_PLAN_ROWS)
            w->plan_first[w->plan_pages++] = r;
    }
}

void workshop_results_load(Workshop *w)
{
    w->n_rounds = 0;
    w->n_cards = 0;
    if (!w->have)
        return;
    KsStatus ks = store_ws_rounds(w->store, w->cur.id, on_round, w);
    if (ks != KS_OK)
        LOG_ERROR("voting rounds not read: %s", ks_status_str(ks));
    plan_load(w);
    int phase = -2;
    for (int i = 0; i < w->n_rounds; i++)
        if (w->rounds[i] == w->rsel)
            phase = w->round_phase[i];
    if (w->rsel != 0 && phase == -2) {
        /* the latest round first; without any, the plan */
        w->rsel = w->n_rounds > 0 ? w->rounds[w->n_rounds - 1] : 0;
        phase = w->n_rounds > 0 ? w->round_phase[w->n_rounds - 1] : -1;
    }
    if (w->rsel > 0)
        load_round(w, w->rsel, phase);
}

bool workshop_results_tap(Workshop *w, const char *id)
{
    if (strcmp(id, "ws:plan") == 0) {
        w->rsel = 0;
        return true;
    }
    if (strncmp(id, "ws:round:", 9) != 0)
        return false;
    char *end;
    long r = strtol(id + 9, &end, 10);
    for (int i = 0; !*end && i < w->n_rounds; i++)
        if (w->rounds[i] == r)
            w->rsel = (int)r;
    return true;
}
