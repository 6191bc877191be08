/* workshop_view_participant: builds the KsView of the participant's
 * workshop screens — language, the wall (with the critique cards to answer
 * in the Fantasie phase), sent, the vote and the results — in the
 * participant's language and the phase's colour. Writing a card is
 * workshop_view_card.c's. It reads the Workshop state and changes nothing
 * but the view (and the page shown, kept within the cards there are). */
#include <stdio.h>
#include <string.h>

#include "../core/str.h"
#include "view_build.h"
#include "workshop_view.h"

static const UiTextId phase_prompt[WS_PHASE_COUNT] = {UIT_WS_PROMPT_CRITIQUE, UIT_WS_PROMPT_FANTASY,
                                                      UIT_WS_PROMPT_REALISATION,
                                                      UIT_WS_PROMPT_VOTING, UIT_WS_PROMPT_RESULTS};

/* The cards of the current page (`size` a page), and the page turners
 * when there are more. */
static void page_bounds(Workshop *w, int size, int *first, int *last)
{
    int pages = (w->n_cards + size - 1) / size;
    if (w->page >= pages)
        w->page = pages > 0 ? pages - 1 : 0;
    *first = w->page * size;
    *last = *first + size < w->n_cards ? *first + size : w->n_cards;
}

static void build_language(Workshop *w, KsView *v)
{
    v->lang = "de";
    v->rtl = false;
    str_copy(v->title, sizeof v->title, w->cur.title);
    str_copy(v->message, sizeof v->message, uitext_get("de", UIT_WHICH_LANGUAGE));
    for (int i = 0; i < WS_LANG_COUNT; i++) {
        char probe[sizeof w->cur.langs + 2], code[8];
        snprintf(probe, sizeof probe, " %s ", w->cur.langs);
        snprintf(code, sizeof code, " %s ", ws_langs[i]);
        if (!strstr(probe, code))
            continue;
        char id[KS_TARGET_ID_MAX];
        snprintf(id, sizeof id, "lang:%s", ws_langs[i]);
        view_add_target(v, id, uitext_endonym(ws_langs[i]), KS_TARGET_OPTION);
    }
    view_add_target(v, "back", uitext_get("de", UIT_BACK), KS_TARGET_BACK);
}

/* The small line under a wall card: the idea a plan belongs to, the
 * critique an idea answers. */
static void wall_line(Workshop *w, KsView *v, KsViewTarget *t, int i, char *buf, size_t size)
{
    const StoreWsCard *c = &w->cards[i];
    const StoreWsCard *about = NULL;
    UiTextId format = UIT_WS_ABOUT_IDEA;
    if (c->phase == WS_PHASE_REALISATION) {
        about = workshop_about_of(w->fantasy, w->n_fantasy, c->about_card);
    } else if (c->phase == WS_PHASE_FANTASY) {
        about = workshop_about_of(w->critique, w->n_critique, c->about_card);
        format = UIT_WS_OPPOSITE_OF;
    }
    if (!about)
        return;
    const char *text = workshop_card_text(w, v->lang, about);
    workshop_cut_line(v->lang, format, text[0] ? text : "…", WS_IDEA_CHARS, buf, size);
    t->subtext = buf;
}

/* The Fantasie wall's starting points: the top critique cards, a tap
 * writes their opposite. */
static void add_starters(Workshop *w, KsView *v)
{
    KsViewItem *it = &v->items[0];
    v->n_items = 1;
    it->question = "starters";
    str_copy(it->title, sizeof it->title, uitext_get(v->lang, UIT_WS_OPPOSITE));
    for (int k = 0; k < w->n_starters; k++) {
        const StoreWsCard *c = &w->critique[w->starters[k]];
        char id[KS_TARGET_ID_MAX];
        snprintf(id, sizeof id, "ws:answer:%lld", (long long)c->id);
        KsViewTarget *t = view_add_slot(v, KS_SLOT_WS_STARTER, id,
                                        workshop_card_text(w, v->lang, c), KS_TARGET_OPTION);
        if (!t)
            return;
        int topic = workshop_topic_index(c->topic);
        t->image = topic >= 0                ? ws_topics[topic].icon
                   : w->starter_thumbs[k][0] ? w->starter_thumbs[k]
                                             : "speech.svg";
        t->item = 0;
    }
}

static void build_wall(Workshop *w, KsView *v)
{
    WsPhase p = workshop_view_phase(w);
    str_copy(v->title, sizeof v->title, uitext_get(v->lang, phase_prompt[p]));
    str_copy(v->message, sizeof v->message, w->cur.question);
    bool starters = p == WS_PHASE_FANTASY && w->n_starters > 0;
    if (w->n_cards == 0)
        workshop_view_line(v, uitext_get(v->lang, UIT_WS_EMPTY_WALL));
    int first, last;
    page_bounds(w, starters ? WS_STARTER_PAGE : WS_PAGE_CARDS, &first, &last);
    for (int i = first; i < last; i++) {
        KsViewTarget *t = workshop_view_card(w, v, KS_SLOT_WS_CARD, "card", i, KS_TARGET_OPTION);
        if (t)
            wall_line(w, v, t, i, w->visit.about[i - first], sizeof w->visit.about[0]);
    }
    if (starters)
        add_starters(w, v);
    KsViewTarget *a = view_add_slot(v, KS_SLOT_WS_ADD, "ws:add", uitext_get(v->lang, UIT_WS_ADD),
                                    KS_TARGET_PRIMARY);
    if (a)
        a->image = "plus.svg";
    workshop_view_turners(w, v, last < w->n_cards);
    view_add_slot(v, KS_SLOT_WS_EXIT, "ws:exit", "×", KS_TARGET_QUIT);
}

static void build_sent(Workshop *w, KsView *v)
{
    str_copy(v->title, sizeof v->title, uitext_get(v->lang, UIT_THANKS));
    if (w->cur.phase == WS_PHASE_VOTING) {
        str_copy(v->message, sizeof v->message, uitext_get(v->lang, UIT_WS_VOTED));
        view_add_target(v, "done", uitext_get(v->lang, UIT_DONE), KS_TARGET_PRIMARY);
        return;
    }
    str_copy(v->message, sizeof v->message,
             uitext_get(v->lang, w->visit.sent_pending ? UIT_WS_PENDING : UIT_WS_POSTED));
    view_add_target(v, "ws:add", uitext_get(v->lang, UIT_WS_ANOTHER), KS_TARGET_PRIMARY);
    view_add_target(v, "ws:wall", uitext_get(v->lang, UIT_WS_TO_WALL), KS_TARGET_SECONDARY);
}

static void build_vote(Workshop *w, KsView *v)
{
    /* The question fits the cards the round is about. */
    UiTextId title = w->visit.vote_phase == WS_PHASE_CRITIQUE      ? UIT_WS_VOTE_CRITIQUE
                     : w->visit.vote_phase == WS_PHASE_REALISATION ? UIT_WS_VOTE_REALISATION
                                                                   : UIT_WS_PROMPT_VOTING;
    str_copy(v->title, sizeof v->title, uitext_get(v->lang, title));
    int left = workshop_dots_left(w);
    if (left > 0)
        uitext_format(v->message, sizeof v->message, v->lang, UIT_WS_DOTS_LEFT, left);
    else
        str_copy(v->message, sizeof v->message, uitext_get(v->lang, UIT_WS_NO_DOTS));
    v->countdown_s = left;
    int first, last, given = 0;
    page_bounds(w, WS_PAGE_CARDS, &first, &last);
    for (int i = 0; i < w->n_cards; i++)
        given += w->visit.dots[i];
    for (int i = first; i < last; i++) {
        KsViewTarget *t = workshop_view_card(w, v, KS_SLOT_WS_VOTE, "vote", i, KS_TARGET_OPTION);
        if (!t)
            break;
        t->count = w->visit.dots[i];
        t->count_max = w->cur.dots;
        t->selected = w->visit.dots[i] > 0;
        t->enabled = left > 0;
        char id[KS_TARGET_ID_MAX];
        snprintf(id, sizeof id, "unvote:%lld", (long long)w->cards[i].id);
        KsViewTarget *u = view_add_slot(v, KS_SLOT_WS_UNVOTE, id, "−", KS_TARGET_SECONDARY);
        if (u)
            u->enabled = w->visit.dots[i] > 0;
    }
    if (w->n_cards == 0)
        workshop_view_line(v, uitext_get(v->lang, UIT_WS_EMPTY_WALL));
    KsViewTarget *c = view_add_slot(v, KS_SLOT_WS_VOTE_CONFIRM, "vote:confirm",
                                    uitext_get(v->lang, UIT_WS_GIVE_DOTS), KS_TARGET_NEXT);
    if (c)
        c->enabled = given > 0;
    workshop_view_turners(w, v, last < w->n_cards);
    view_add_slot(v, KS_SLOT_WS_EXIT, "ws:exit", "×", KS_TARGET_QUIT);
}

static void build_results(Workshop *w, KsView *v)
{
    str_copy(v->title, sizeof v->title,
             uitext_get(v->lang, w->rsel == 0 ? UIT_WS_PLAN_TITLE : UIT_WS_PROMPT_RESULTS));
    str_copy(v->message, sizeof v->message, w->cur.question);
    workshop_view_results(w, v);
    view_add_slot(v, KS_SLOT_WS_DONE, "done", uitext_get(v->lang, UIT_DONE), KS_TARGET_NEXT);
}

void workshop_build_view(Workshop *w, KsView *v)
{
    v->lang = w->visit.lang[0] ? w->visit.lang : "de";
    v->rtl = uitext_is_rtl(v->lang) != 0;
    WsPhase p = workshop_view_phase(w);
    v->accent = ws_phase_colour[p];
    v->picture = ws_phase_icon[p];
    w->n_names = 0;
    switch (w->visit.screen) {
    case KS_SCREEN_WS_LANGUAGE:
        build_language(w, v);
        break;
    case KS_SCREEN_WS_WALL:
        build_wall(w, v);
        break;
    case KS_SCREEN_WS_CARD:
        workshop_view_composer(w, v);
        break;
    case KS_SCREEN_WS_SENT:
        build_sent(w, v);
        break;
    case KS_SCREEN_WS_VOTE:
        build_vote(w, v);
        break;
    case KS_SCREEN_WS_RESULTS:
        build_results(w, v);
        break;
    default:
        break;
    }
}
