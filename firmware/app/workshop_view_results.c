/* workshop_view_results: the results of a workshop as a view — one tab per
 * voting round (the latest few; each ranks only the cards its round was
 * about) and the plan tab: a top idea a page, its plan cards in rows by
 * who can help, with their time and drawing. Shared by the participants'
 * results and the staff's full-screen results. */
#include <stdio.h>
#include <string.h>

#include "../core/str.h"
#include "view_build.h"
#include "workshop_view.h"

static void round_tabs(Workshop *w, KsView *v)
{
    int first = w->n_rounds > WS_ROUNDS_SHOWN ? w->n_rounds - WS_ROUNDS_SHOWN : 0;
    for (int i = first; i < w->n_rounds; i++) {
        int phase = w->round_phase[i];
        const char *name =
            uitext_get(v->lang, phase < 0 ? UIT_WS_ALL_PHASES : ws_phase_text[phase]);
        /* a phase voted on in two rounds shown: number them */
        int same = 0, nth = 0;
        for (int j = first; j < w->n_rounds; j++)
            if (w->round_phase[j] == phase) {
                same++;
                nth += j <= i;
            }
        char *buf = w->round_names[i - first];
        if (same > 1)
            snprintf(buf, sizeof w->round_names[0], "%s %d", name, nth);
        else
            str_copy(buf, sizeof w->round_names[0], name);
        char id[KS_TARGET_ID_MAX];
        snprintf(id, sizeof id, "ws:round:%d", w->rounds[i]);
        KsViewTarget *t = view_add_slot(v, KS_SLOT_WS_ROUND, id, buf, KS_TARGET_SECONDARY);
        if (t) {
            t->selected = w->rsel == w->rounds[i];
            t->row = -1;
        }
    }
    KsViewTarget *t = view_add_slot(v, KS_SLOT_WS_PLAN_TAB, "ws:plan",
                                    uitext_get(v->lang, UIT_WS_PLAN), KS_TARGET_SECONDARY);
    if (t) {
        t->selected = w->rsel == 0;
        t->row = -1;
    }
}

/* The round's cards ranked by its dots, as bars. */
static void round_bars(Workshop *w, KsView *v)
{
    int max = 0;
    for (int i = 0; i < w->n_cards; i++)
        max = w->cards[i].votes > max ? w->cards[i].votes : max;
    for (int i = 0; i < w->n_cards && i < WS_PAGE_CARDS; i++) {
        KsViewTarget *t = workshop_view_card(w, v, KS_SLOT_WS_BAR, "bar", i, KS_TARGET_OPTION);
        if (t) {
            t->count_max = max;
            t->rank = i + 1;
            t->enabled = false; /* a bar of the chart, not a button */
        }
    }
    if (w->n_cards == 0)
        workshop_view_line(v, uitext_get(v->lang, UIT_WS_EMPTY_WALL));
}

/* A helper row: the helper's picture and name, then its plan cards. */
static void plan_row(Workshop *w, KsView *v, const WsPlanRow *row, int *slot)
{
    const char *code = row->who >= 0 ? store_ws_who_codes[row->who] : "open";
    char id[KS_TARGET_ID_MAX];
    if (row->part > 1)
        snprintf(id, sizeof id, "plan:who:%s:%d", code, row->part);
    else
        snprintf(id, sizeof id, "plan:who:%s", code);
    KsViewTarget *t =
        view_add_slot(v, KS_SLOT_WS_PLAN_WHO, id,
                      uitext_get(v->lang, row->who >= 0 ? ws_who[row->who].text : UIT_WS_WHO_OPEN),
                      KS_TARGET_OPTION);
    if (t) {
        t->image = row->who >= 0 ? ws_who[row->who].icon : "question.svg";
        t->enabled = false; /* a label of the plan, not a button */
    }
    for (int k = 0; k < row->n; k++) {
        const StoreWsCard *c = &w->plans[row->cards[k]];
        snprintf(id, sizeof id, "plan:%s:%lld", code, (long long)c->id);
        char *text = w->plan_text[(*slot)++ % (WS_PLAN_ROWS * WS_PLAN_ROW_CARDS)];
        workshop_cut_line(v->lang, UIT_NONE, workshop_card_text(w, v->lang, c), WS_PLAN_CHARS, text,
                          sizeof w->plan_text[0]);
        KsViewTarget *p = view_add_slot(v, KS_SLOT_WS_PLAN_CARD, id, text, KS_TARGET_OPTION);
        if (!p)
            return;
        int when = store_ws_when_index(c->by_when);
        p->image = when >= 0 ? ws_when[when].icon : NULL;
        p->subtext = when >= 0 ? uitext_get(v->lang, ws_when[when].text) : NULL;
        p->thumb = w->plan_thumbs[row->cards[k]][0] ? w->plan_thumbs[row->cards[k]] : NULL;
        p->enabled = false;
    }
}

/* One page of the plan: a top idea (in the message line) and up to
 * WS_PLAN_ROWS of its helper rows. */
static void plan_page(Workshop *w, KsView *v)
{
    if (w->plan_pages == 0) {
        str_copy(v->message, sizeof v->message, uitext_get(v->lang, UIT_WS_NO_PLAN));
        return;
    }
    if (w->page >= w->plan_pages)
        w->page = w->plan_pages - 1;
    /* The ideas come in the order of their dots, one a page. */
    int first = w->plan_first[w->page], idea = w->plan[first].idea;
    const char *text = workshop_card_text(w, v->lang, &w->fantasy[idea]);
    workshop_cut_line(v->lang, UIT_WS_ABOUT_IDEA, text[0] ? text : "…", WS_PLAN_CHARS, v->message,
                      sizeof v->message);
    int slot = 0;
    for (int r = first; r < w->n_plan && r < first + WS_PLAN_ROWS && w->plan[r].idea == idea; r++)
        plan_row(w, v, &w->plan[r], &slot);
    workshop_view_turners(w, v, w->page + 1 < w->plan_pages);
}

void workshop_view_results(Workshop *w, KsView *v)
{
    round_tabs(w, v);
    if (w->rsel == 0)
        plan_page(w, v);
    else
        round_bars(w, v);
}
