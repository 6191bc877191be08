/* workshop_participant: the participant's side of the Zukunftswerkstatt —
 * a visit from the language choice to "done": the wall of the current
 * phase (with the top critique cards as starting points in the Fantasie
 * phase), dot voting and its dots not yet cast, the results, and bursts of
 * taps flagged as suspected misuse. Writing a card is workshop_card.c's.
 * Everything that must survive is committed through store_workshop before
 * the screen says it happened. Draws nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/clock.h"
#include "../core/log.h"
#include "../core/rng.h"
#include "../core/str.h"
#include "workshop_private.h"

void workshop_end(Workshop *w)
{
    w->visit.active = false;
    workshop_card_reset(w, 0);
    memset(w->visit.dots, 0, sizeof w->visit.dots);
    w->visit.token[0] = '\0';
    w->visit.lang[0] = '\0';
    w->visit.flagged = false;
    burst_reset(&w->visit.taps);
}

bool workshop_active(const Workshop *w)
{
    return w && w->visit.active;
}

const char *workshop_lang(const Workshop *w)
{
    return w->visit.lang;
}

KsScreen workshop_screen(const Workshop *w)
{
    return w->visit.screen;
}

void workshop_go_phase(Workshop *w)
{
    workshop_refresh(w);
    if (!w->have) {
        workshop_end(w);
        return;
    }
    w->page = 0;
    w->draft.complain = false;
    switch (w->cur.phase) {
    case WS_PHASE_VOTING:
        /* Only the cards the round is about: critique and ideas never mix. */
        w->visit.vote_phase = workshop_round_phase(w);
        workshop_load_cards(w, w->visit.vote_phase, false);
        memset(w->visit.dots, 0, sizeof w->visit.dots);
        w->visit.screen = KS_SCREEN_WS_VOTE;
        break;
    case WS_PHASE_RESULTS:
        workshop_results_load(w);
        w->visit.screen = KS_SCREEN_WS_RESULTS;
        break;
    default:
        workshop_load_cards(w, w->cur.phase, false);
        if (w->cur.phase == WS_PHASE_REALISATION)
            workshop_load_ideas(w); /* for the cards' idea lines */
        if (w->cur.phase == WS_PHASE_FANTASY)
            workshop_load_starters(w); /* the starting points and the cards' lines */
        w->visit.screen = KS_SCREEN_WS_WALL;
        break;
    }
}

void workshop_begin(Workshop *w)
{
    workshop_refresh(w);
    if (!w->have)
        return;
    workshop_end(w);
    w->visit.active = true;
    w->visit.screen = KS_SCREEN_WS_LANGUAGE;
    w->rsel = -1;
}

static bool lang_offered(const Workshop *w, const char *code)
{
    char langs[sizeof w->cur.langs];
    str_copy(langs, sizeof langs, w->cur.langs);
    for (char *save = NULL, *p = strtok_r(langs, " ", &save); p; p = strtok_r(NULL, " ", &save))
        if (strcmp(p, code) == 0)
            return true;
    return false;
}

static void choose_lang(Workshop *w, const char *code)
{
    if (!lang_offered(w, code))
        return;
    /* A fresh random token per visit: votes of one visit belong together,
     * and nothing links them to a person or to the cards written. */
    if (rng_hex(w->visit.token, 16) != KS_OK) {
        LOG_ERROR("no random token: voting is not possible in this visit");
        w->visit.token[0] = '\0';
    }
    str_copy(w->visit.lang, sizeof w->visit.lang, code);
    workshop_card_reset(w, 0);
    workshop_go_phase(w);
}

/* Many taps within one second: the visit's token is flagged as for
 * surveys (its dots are kept and counted apart in the export). */
static void note_tap(Workshop *w)
{
    if (burst_note(&w->visit.taps, clock_mono_ms(), w->cfg->misuse_burst_taps) &&
        !w->visit.flagged && w->visit.token[0] && w->have) {
        w->visit.flagged = true;
        KsStatus ks = store_ws_flag_token(w->store, w->cur.id, w->visit.token, "burst");
        if (ks != KS_OK)
            LOG_WARN("workshop token not flagged: %s", ks_status_str(ks));
        else
            LOG_INFO("workshop visit flagged as suspected misuse: burst");
    }
}

/* ---- the vote --------------------------------------------------------- */

static int dots_given(const Workshop *w)
{
    int n = 0;
    for (int i = 0; i < w->n_cards; i++)
        n += w->visit.dots[i];
    return n;
}

static int card_index(const Workshop *w, const char *num)
{
    char *end;
    long long id = strtoll(num, &end, 10);
    if (*end)
        return -1;
    for (int i = 0; i < w->n_cards; i++)
        if (w->cards[i].id == id)
            return i;
    return -1;
}

int workshop_dots_left(const Workshop *w)
{
    int used = 0;
    if (w->have && w->visit.token[0])
        store_ws_votes_used(w->store, w->cur.id, w->visit.token, &used);
    int left = w->cur.dots - used - dots_given(w);
    return left < 0 ? 0 : left;
}

/* Casts the visit's dots in one transaction; storage refuses a total over
 * the budget, and cards of another phase than the round's, as a whole
 * (the screen never offers either). */
static void cast_votes(Workshop *w)
{
    int64_t ids[WS_CARDS_MAX];
    int counts[WS_CARDS_MAX], n = 0;
    for (int i = 0; i < w->n_cards; i++)
        if (w->visit.dots[i] > 0) {
            ids[n] = w->cards[i].id;
            counts[n++] = w->visit.dots[i];
        }
    if (n == 0 || !w->visit.token[0])
        return;
    KsStatus ks = store_ws_vote(w->store, w->cur.id, w->visit.token, ids, counts, n);
    if (ks != KS_OK) {
        /* staff moved on meanwhile (a new round, another phase): show what
         * is asked now */
        LOG_WARN("workshop vote refused: %s", ks_status_str(ks));
        memset(w->visit.dots, 0, sizeof w->visit.dots);
        workshop_go_phase(w);
        return;
    }
    LOG_INFO("workshop: %d dots stored", dots_given(w));
    memset(w->visit.dots, 0, sizeof w->visit.dots);
    w->visit.sent_pending = false;
    w->visit.screen = KS_SCREEN_WS_SENT;
}

static void vote_tap(Workshop *w, const char *id)
{
    if (strncmp(id, "vote:", 5) == 0 && strcmp(id, "vote:confirm") != 0) {
        int i = card_index(w, id + 5);
        if (i >= 0 && workshop_dots_left(w) > 0)
            w->visit.dots[i]++;
    } else if (strncmp(id, "unvote:", 7) == 0) {
        int i = card_index(w, id + 7);
        if (i >= 0 && w->visit.dots[i] > 0)
            w->visit.dots[i]--;
    } else if (strcmp(id, "vote:confirm") == 0) {
        cast_votes(w);
    }
}

/* ---- the wall --------------------------------------------------------- */

static bool writing_phase(const Workshop *w)
{
    return w->have && w->cur.phase <= WS_PHASE_REALISATION;
}

/* Opens a fresh card (answering the critique card `answers`, or 0). */
static void open_card(Workshop *w, int64_t answers)
{
    workshop_card_reset(w, answers);
    workshop_load_ideas(w);
    w->visit.screen = KS_SCREEN_WS_CARD;
}

static void wall_tap(Workshop *w, const char *id)
{
    workshop_refresh(w);
    if (strcmp(id, "ws:add") == 0 && writing_phase(w)) {
        open_card(w, 0);
        return;
    }
    if (strncmp(id, "ws:answer:", 10) == 0 && w->have && w->cur.phase == WS_PHASE_FANTASY) {
        /* One tap on a complaint: a Fantasie card that answers it. */
        char *end;
        long long c = strtoll(id + 10, &end, 10);
        for (int k = 0; !*end && k < w->n_starters; k++)
            if (w->critique[w->starters[k]].id == c) {
                open_card(w, c);
                return;
            }
    }
    /* Any other tap shows the wall as it is now, on the same page. */
    int page = w->page;
    workshop_go_phase(w);
    w->page = page;
}

static void sent_tap(Workshop *w, const char *id)
{
    if (strcmp(id, "ws:add") == 0) {
        workshop_refresh(w);
        if (writing_phase(w))
            open_card(w, 0);
        else
            workshop_go_phase(w);
    } else if (strcmp(id, "ws:wall") == 0) {
        workshop_go_phase(w);
    }
}

void workshop_tap(Workshop *w, const char *id)
{
    if (!w->visit.active)
        return;
    if (w->visit.screen != KS_SCREEN_WS_LANGUAGE)
        note_tap(w);
    if (strcmp(id, "ws:exit") == 0 || strcmp(id, "done") == 0) {
        workshop_end(w);
        return;
    }
    if (strcmp(id, "ws:page:next") == 0) {
        w->page++;
        return;
    }
    if (strcmp(id, "ws:page:back") == 0) {
        if (w->page > 0)
            w->page--;
        return;
    }
    switch (w->visit.screen) {
    case KS_SCREEN_WS_LANGUAGE:
        if (strncmp(id, "lang:", 5) == 0)
            choose_lang(w, id + 5);
        else if (strcmp(id, "back") == 0)
            workshop_end(w);
        break;
    case KS_SCREEN_WS_WALL:
        wall_tap(w, id);
        break;
    case KS_SCREEN_WS_CARD:
        workshop_card_tap(w, id);
        break;
    case KS_SCREEN_WS_SENT:
        sent_tap(w, id);
        break;
    case KS_SCREEN_WS_VOTE:
        vote_tap(w, id);
        break;
    case KS_SCREEN_WS_RESULTS:
        if (workshop_results_tap(w, id))
            workshop_go_phase(w);
        break;
    default:
        break;
    }
}
