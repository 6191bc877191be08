/* workshop_view: builds the KsView of the participants' workshop screens —
 * language, the wall (with the critique cards to answer in the Fantasie
 * phase), writing a card (in the Verwirklichung phase a plan: idea, what
 * first, who helps, by when), sent and the vote. The results are in
 * workshop_view_results.c, the staff pages in workshop_view_staff.c. It
 * reads the Workshop state and changes nothing but the view (and the cards
 * it loads for it). */
#include <stdio.h>
#include <string.h>

#include "../core/log.h"
#include "../core/str.h"
#include "keys.h"
#include "view_build.h"
#include "workshop_private.h"
#include "workshop_view.h"

static const UiTextId phase_prompt[WS_PHASE_COUNT] = {UIT_WS_PROMPT_CRITIQUE, UIT_WS_PROMPT_FANTASY,
                                                      UIT_WS_PROMPT_REALISATION,
                                                      UIT_WS_PROMPT_VOTING, UIT_WS_PROMPT_RESULTS};
const UiTextId ws_phase_text[WS_PHASE_COUNT] = {UIT_WS_PHASE_CRITIQUE, UIT_WS_PHASE_FANTASY,
                                                UIT_WS_PHASE_REALISATION, UIT_WS_PHASE_VOTING,
                                                UIT_WS_PHASE_RESULTS};
/* Each phase's colour and pictogram, on the wall and the staff page. */
const unsigned ws_phase_colour[WS_PHASE_COUNT] = {0xD9483B, 0x8A56CC, 0x2E9E4F, 0xE07B1F, 0x2F7FD1};
const char *const ws_phase_icon[WS_PHASE_COUNT] = {"phase-critique.svg", "phase-fantasy.svg",
                                                   "phase-realisation.svg", "phase-voting.svg",
                                                   "phase-results.svg"};

void workshop_view_line(KsView *v, const char *line)
{
    size_t n = strlen(v->message);
    if (n > 0 && n + 1 < sizeof v->message)
        v->message[n++] = '\n';
    str_copy(v->message + n, sizeof v->message - n, line);
}

WsPhase workshop_view_phase(const Workshop *w)
{
    int p = w->cur.phase;
    return p >= 0 && p < WS_PHASE_COUNT ? (WsPhase)p : WS_PHASE_CRITIQUE;
}

const char *workshop_card_text(Workshop *w, const char *lang, const StoreWsCard *c)
{
    if (c->text[0])
        return c->text;
    int topic = workshop_topic_index(c->topic);
    if (topic >= 0)
        return uitext_get(lang, ws_topics[topic].text);
    /* a plan of tiles only: who helps */
    char *buf = w->names[w->n_names++ % WS_NAMES];
    buf[0] = '\0';
    char list[sizeof c->who];
    str_copy(list, sizeof list, c->who);
    for (char *save = NULL, *p = strtok_r(list, " ", &save); p; p = strtok_r(NULL, " ", &save)) {
        int i = store_ws_who_index(p);
        size_t n = strlen(buf);
        if (i >= 0)
            snprintf(buf + n, sizeof w->names[0] - n, "%s%s", n ? ", " : "",
                     uitext_get(lang, ws_who[i].text));
    }
    return buf;
}

KsViewTarget *workshop_view_card(Workshop *w, KsView *v, const char *prefix, int i,
                                 KsTargetRole role)
{
    const StoreWsCard *c = &w->cards[i];
    char id[KS_TARGET_ID_MAX];
    snprintf(id, sizeof id, "%s:%lld", prefix, (long long)c->id);
    KsViewTarget *t = view_add_target(v, id, workshop_card_text(w, v->lang, c), role);
    if (!t)
        return NULL;
    int topic = workshop_topic_index(c->topic);
    int when = store_ws_when_index(c->by_when);
    t->image = topic >= 0 ? ws_topics[topic].icon : when >= 0 ? ws_when[when].icon : NULL;
    t->thumb = w->thumbs[i][0] ? w->thumbs[i] : NULL;
    t->count = c->votes;
    return t;
}

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

void workshop_view_turners(Workshop *w, KsView *v, bool more)
{
    if (w->page > 0)
        view_add_target(v, "ws:page:back", uitext_get(v->lang, UIT_BACK), KS_TARGET_BACK);
    if (more)
        view_add_target(v, "ws:page:next", uitext_get(v->lang, UIT_NEXT), KS_TARGET_SECONDARY);
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

void workshop_cut_line(const char *lang, UiTextId format, const char *text, int chars, char *buf,
                       size_t size)
{
    char cut[WS_PLAN_CHARS * 4 + 8]; /* 4 bytes a character at most, and "…" */
    if (chars > WS_PLAN_CHARS)
        chars = WS_PLAN_CHARS;
    size_t n = 0;
    for (int k = 0; text[n] && k < chars; k++)
        do
            n++; /* the whole UTF-8 character */
        while (((unsigned char)text[n] & 0xC0) == 0x80);
    memcpy(cut, text, n);
    bool more = text[n] != '\0';
    while (more && n > 0 && cut[n - 1] == ' ')
        n--;
    cut[n] = '\0';
    if (more)
        str_copy(cut + n, sizeof cut - n, "…");
    if ((int)format < 0)
        str_copy(buf, size, cut);
    else
        uitext_format(buf, size, lang, format, cut);
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
        KsViewTarget *t =
            view_add_target(v, id, workshop_card_text(w, v->lang, c), KS_TARGET_OPTION);
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
        KsViewTarget *t = workshop_view_card(w, v, "card", i, KS_TARGET_OPTION);
        if (t)
            wall_line(w, v, t, i, w->about[i - first], sizeof w->about[0]);
    }
    if (starters)
        add_starters(w, v);
    KsViewTarget *a =
        view_add_target(v, "ws:add", uitext_get(v->lang, UIT_WS_ADD), KS_TARGET_PRIMARY);
    if (a)
        a->image = "plus.svg";
    workshop_view_turners(w, v, last < w->n_cards);
    view_add_target(v, "ws:exit", "×", KS_TARGET_QUIT);
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
             uitext_get(v->lang, w->sent_pending ? UIT_WS_PENDING : UIT_WS_POSTED));
    view_add_target(v, "ws:add", uitext_get(v->lang, UIT_WS_ANOTHER), KS_TARGET_PRIMARY);
    view_add_target(v, "ws:wall", uitext_get(v->lang, UIT_WS_TO_WALL), KS_TARGET_SECONDARY);
}

static void build_vote(Workshop *w, KsView *v)
{
    /* The question fits the cards the round is about. */
    UiTextId title = w->vote_phase == WS_PHASE_CRITIQUE      ? UIT_WS_VOTE_CRITIQUE
                     : w->vote_phase == WS_PHASE_REALISATION ? UIT_WS_VOTE_REALISATION
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
        given += w->dots[i];
    for (int i = first; i < last; i++) {
        KsViewTarget *t = workshop_view_card(w, v, "vote", i, KS_TARGET_OPTION);
        if (!t)
            break;
        t->count = w->dots[i];
        t->count_max = w->cur.dots;
        t->selected = w->dots[i] > 0;
        t->enabled = left > 0;
        char id[KS_TARGET_ID_MAX];
        snprintf(id, sizeof id, "unvote:%lld", (long long)w->cards[i].id);
        KsViewTarget *u = view_add_target(v, id, "−", KS_TARGET_SECONDARY);
        if (u)
            u->enabled = w->dots[i] > 0;
    }
    if (w->n_cards == 0)
        workshop_view_line(v, uitext_get(v->lang, UIT_WS_EMPTY_WALL));
    KsViewTarget *c =
        view_add_target(v, "vote:confirm", uitext_get(v->lang, UIT_WS_GIVE_DOTS), KS_TARGET_NEXT);
    if (c)
        c->enabled = given > 0;
    workshop_view_turners(w, v, last < w->n_cards);
    view_add_target(v, "ws:exit", "×", KS_TARGET_QUIT);
}

static void build_results(Workshop *w, KsView *v)
{
    str_copy(v->title, sizeof v->title,
             uitext_get(v->lang, w->rsel == 0 ? UIT_WS_PLAN_TITLE : UIT_WS_PROMPT_RESULTS));
    str_copy(v->message, sizeof v->message, w->cur.question);
    workshop_view_results(w, v);
    view_add_target(v, "done", uitext_get(v->lang, UIT_DONE), KS_TARGET_NEXT);
}

void workshop_build_view(Workshop *w, KsView *v)
{
    v->lang = w->lang[0] ? w->lang : "de";
    v->rtl = uitext_is_rtl(v->lang) != 0;
    WsPhase p = workshop_view_phase(w);
    v->accent = ws_phase_colour[p];
    v->picture = ws_phase_icon[p];
    w->n_names = 0;
    switch (w->screen) {
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
