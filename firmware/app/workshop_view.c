/* workshop_view: builds the KsView of the workshop screens — the
 * participants' (language, wall, card, sent, vote, results) and the staff
 * pages (settings, phases, moderation, merging, results full-screen). It
 * reads the Workshop state and changes nothing but the view (and the cards
 * it loads for it). */
#include <stdio.h>
#include <string.h>

#include "../core/log.h"
#include "../core/str.h"
#include "keys.h"
#include "view_build.h"
#include "workshop_private.h"

/* workshop.c */
int workshop_dots_left(const Workshop *w);

static void add_line(KsView *v, const char *line)
{
    size_t n = strlen(v->message);
    if (n > 0 && n + 1 < sizeof v->message)
        v->message[n++] = '\n';
    str_copy(v->message + n, sizeof v->message - n, line);
}

static const UiTextId phase_prompt[WS_PHASE_COUNT] = {
    UIT_WS_PROMPT_CRITIQUE, UIT_WS_PROMPT_FANTASY, UIT_WS_PROMPT_REALISATION,
    UIT_WS_PROMPT_VOTING, UIT_WS_PROMPT_RESULTS};
static const UiTextId phase_text[WS_PHASE_COUNT] = {
    UIT_WS_PHASE_CRITIQUE, UIT_WS_PHASE_FANTASY, UIT_WS_PHASE_REALISATION,
    UIT_WS_PHASE_VOTING, UIT_WS_PHASE_RESULTS};
/* Each phase's colour and pictogram, on the wall and the staff page. */
static const unsigned phase_colour[WS_PHASE_COUNT] = {0xD9483B, 0x8A56CC, 0x2E9E4F, 0xE07B1F,
                                                      0x2F7FD1};
static const char *const phase_icon[WS_PHASE_COUNT] = {
    "phase-critique.svg", "phase-fantasy.svg", "phase-realisation.svg", "phase-voting.svg",
    "phase-results.svg"};

static WsPhase phase_of(const Workshop *w)
{
    int p = w->cur.phase;
    return p >= 0 && p < WS_PHASE_COUNT ? (WsPhase)p : WS_PHASE_CRITIQUE;
}

/* A card as a target: its text (or its topic's name), its topic picture
 * and its drawing. */
static KsViewTarget *add_card(Workshop *w, KsView *v, const char *prefix, int i, KsTargetRole role)
{
    const StoreWsCard *c = &w->cards[i];
    char id[KS_TARGET_ID_MAX];
    snprintf(id, sizeof id, "%s:%lld", prefix, (long long)c->id);
    int topic = workshop_topic_index(c->topic);
    const char *text = c->text[0] ? c->text
                       : topic >= 0 ? uitext_get(v->lang, ws_topics[topic].text)
                                    : "";
    KsViewTarget *t = view_add_target(v, id, text, role);
    if (!t)
        return NULL;
    t->image = topic >= 0 ? ws_topics[topic].icon : NULL;
    t->thumb = w->thumbs[i][0] ? w->thumbs[i] : NULL;
    t->count = c->votes;
    return t;
}

/* The cards of the current page, and the page turners when there are more. */
static void page_bounds(Workshop *w, int *first, int *last)
{
    int pages = (w->n_cards + WS_PAGE_CARDS - 1) / WS_PAGE_CARDS;
    if (w->page >= pages)
        w->page = pages > 0 ? pages - 1 : 0;
    *first = w->page * WS_PAGE_CARDS;
    *last = *first + WS_PAGE_CARDS < w->n_cards ? *first + WS_PAGE_CARDS : w->n_cards;
}

static void page_turners(Workshop *w, KsView *v, int last)
{
    if (w->page > 0)
        view_add_target(v, "ws:page:back", uitext_get(v->lang, UIT_BACK), KS_TARGET_BACK);
    if (last < w->n_cards)
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

/* "Idea: <its text>", the text cut to WS_IDEA_CHARS characters (or its
 * topic's name when it has no text). */
static void about_line(const char *lang, const StoreWsCard *idea, char *buf, size_t size)
{
    int topic = workshop_topic_index(idea->topic);
    const char *text = idea->text[0] ? idea->text
                       : topic >= 0 ? uitext_get(lang, ws_topics[topic].text)
                                    : "…";
    char cut[WS_IDEA_CHARS * 4 + 8]; /* 4 bytes a character at most, and "…" */
    size_t n = 0;
    for (int chars = 0; text[n] && chars < WS_IDEA_CHARS; chars++)
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
    uitext_format(buf, size, lang, UIT_WS_ABOUT_IDEA, cut);
}

static void build_wall(Workshop *w, KsView *v)
{
    WsPhase p = phase_of(w);
    str_copy(v->title, sizeof v->title, uitext_get(v->lang, phase_prompt[p]));
    str_copy(v->message, sizeof v->message, w->cur.question);
    if (w->n_cards == 0)
        add_line(v, uitext_get(v->lang, UIT_WS_EMPTY_WALL));
    int first, last;
    page_bounds(w, &first, &last);
    for (int i = first; i < last; i++) {
        KsViewTarget *t = add_card(w, v, "card", i, KS_TARGET_OPTION);
        const StoreWsCard *idea =
            t && p == WS_PHASE_REALISATION ? workshop_idea_of(w, w->cards[i].about_card) : NULL;
        if (idea) {
            /* The idea it belongs to, as a small line under it. */
            char *buf = w->about[i - first];
            about_line(v->lang, idea, buf, sizeof w->about[0]);
            t->subtext = buf;
        }
    }
    KsViewTarget *a = view_add_target(v, "ws:add", uitext_get(v->lang, UIT_WS_ADD), KS_TARGET_PRIMARY);
    if (a)
        a->image = "plus.svg";
    page_turners(w, v, last);
    view_add_target(v, "ws:exit", "×", KS_TARGET_QUIT);
}

static void build_card(Workshop *w, KsView *v)
{
    WsPhase p = phase_of(w);
    bool realisation = p == WS_PHASE_REALISATION;
    if (!realisation && w->part == PART_IDEA)
        w->part = PART_TEXT; /* staff moved on while the card was open */
    /* A refused "pin it up" says why in the heading: the keyboard leaves
     * no room for a message line. */
    UiTextId complaint = realisation && !w->idea ? UIT_WS_CARD_NO_IDEA : UIT_WS_CARD_EMPTY;
    str_copy(v->title, sizeof v->title,
             uitext_get(v->lang, w->complain ? complaint : phase_prompt[p]));
    static const UiTextId hints[PART_COUNT] = {UIT_WS_HINT_IDEA, UIT_WS_HINT_TEXT,
                                               UIT_WS_HINT_TOPIC, UIT_WS_HINT_DRAW,
                                               UIT_WS_HINT_AGE};
    static const UiTextId names[PART_COUNT] = {UIT_WS_PART_IDEA, UIT_WS_PART_TEXT,
                                               UIT_WS_PART_TOPIC, UIT_WS_PART_DRAW,
                                               UIT_WS_PART_AGE};
    static const char *const ids[PART_COUNT] = {"ws:ideas", "ws:text", "ws:topics", "ws:draw",
                                                "ws:ages"};
    UiTextId hint = w->part == PART_IDEA && w->n_ideas == 0 ? UIT_WS_NO_IDEAS : hints[w->part];
    str_copy(v->message, sizeof v->message, uitext_get(v->lang, hint));
    bool filled[PART_COUNT] = {w->idea != 0, w->text[0] != '\0', w->topic >= 0,
                               w->drawing && drawing_stroke_count(w->drawing) > 0, w->age >= 0};
    for (int i = realisation ? 0 : 1; i < PART_COUNT; i++) {
        KsViewTarget *t = view_add_target(v, ids[i], uitext_get(v->lang, names[i]), KS_TARGET_SECONDARY);
        if (t) {
            t->selected = (int)w->part == i;
            t->count = filled[i]; /* a tick: this part has something */
            t->row = -1;
        }
    }
    KsViewItem *it = &v->items[0];
    v->n_items = 1;
    it->question = "card";
    it->problem = w->complain;
    switch (w->part) {
    case PART_IDEA:
        it->widget = KS_WIDGET_TILES;
        for (int k = 0; k < w->n_ideas; k++) {
            const StoreWsCard *c = &w->fantasy[w->ideas[k]];
            char id[KS_TARGET_ID_MAX];
            snprintf(id, sizeof id, "ws:idea:%lld", (long long)c->id);
            int topic = workshop_topic_index(c->topic);
            const char *text = c->text[0] ? c->text
                               : topic >= 0 ? uitext_get(v->lang, ws_topics[topic].text)
                                            : "";
            KsViewTarget *t = view_add_target(v, id, text, KS_TARGET_OPTION);
            if (t) {
                t->image = topic >= 0 ? ws_topics[topic].icon : NULL;
                t->thumb = w->idea_thumbs[k][0] ? w->idea_thumbs[k] : NULL;
                t->count = c->votes;
                t->selected = w->idea == c->id;
                t->item = 0;
            }
        }
        break;
    case PART_TEXT: {
        it->widget = KS_WIDGET_KEYBOARD;
        it->focused = true;
        str_copy(it->entry, sizeof it->entry, w->text);
        KsViewTarget *f = view_add_target(v, "ws:field", it->entry, KS_TARGET_FIELD);
        if (f) {
            f->item = 0;
            f->selected = true;
        }
        view_add_keys(v, keys_shown(&w->keys), w->keys.code, w->keys.shift);
        break;
    }
    case PART_TOPIC:
        it->widget = KS_WIDGET_TILES;
        for (int i = 0; i < WS_TOPIC_COUNT; i++) {
            char id[KS_TARGET_ID_MAX];
            snprintf(id, sizeof id, "ws:topic:%s", ws_topics[i].name);
            KsViewTarget *t = view_add_target(v, id, uitext_get(v->lang, ws_topics[i].text), KS_TARGET_OPTION);
            if (t) {
                t->image = ws_topics[i].icon;
                t->selected = w->topic == i;
                t->item = 0;
            }
        }
        break;
    case PART_DRAW: {
        it->widget = KS_WIDGET_CANVAS;
        if (!w->drawing)
            w->drawing = drawing_create();
        it->drawing = drawing_view(w->drawing);
        it->pen = w->pen;
        KsViewTarget *c = view_add_target(v, "canvas", NULL, KS_TARGET_CANVAS);
        if (c)
            c->item = 0;
        for (int i = 0; i < KS_PEN_COUNT; i++) {
            char id[KS_TARGET_ID_MAX];
            snprintf(id, sizeof id, "pen:%s", ks_pen_names[i]);
            KsViewTarget *t = view_add_target(v, id, NULL, KS_TARGET_OPTION);
            if (t) {
                t->item = 0;
                t->selected = i == w->pen;
            }
        }
        bool any = drawing_stroke_count(w->drawing) > 0;
        KsViewTarget *u = view_add_target(v, "undo", uitext_get(v->lang, UIT_UNDO), KS_TARGET_SECONDARY);
        if (u) {
            u->item = 0;
            u->enabled = any;
        }
        KsViewTarget *cl = view_add_target(v, "clear", uitext_get(v->lang, UIT_CLEAR), KS_TARGET_SECONDARY);
        if (cl) {
            cl->item = 0;
            cl->enabled = any;
        }
        break;
    }
    case PART_AGE:
        it->widget = KS_WIDGET_TILES;
        for (int i = 0; i < WS_AGE_COUNT; i++) {
            char id[KS_TARGET_ID_MAX];
            snprintf(id, sizeof id, "ws:age:%s", ws_ages[i]);
            KsViewTarget *t = view_add_target(v, id, NULL, KS_TARGET_OPTION);
            if (t) {
                t->text = t->id + 7; /* the band, kept with the id */
                t->selected = w->age == i;
                t->item = 0;
            }
        }
        break;
    default:
        break;
    }
    view_add_target(v, "ws:confirm", uitext_get(v->lang, UIT_WS_PIN_UP), KS_TARGET_NEXT);
    view_add_target(v, "ws:cancel", "×", KS_TARGET_QUIT);
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
    str_copy(v->title, sizeof v->title, uitext_get(v->lang, UIT_WS_PROMPT_VOTING));
    int left = workshop_dots_left(w);
    if (left > 0)
        uitext_format(v->message, sizeof v->message, v->lang, UIT_WS_DOTS_LEFT, left);
    else
        str_copy(v->message, sizeof v->message, uitext_get(v->lang, UIT_WS_NO_DOTS));
    v->countdown_s = left;
    int first, last, given = 0;
    page_bounds(w, &first, &last);
    for (int i = 0; i < w->n_cards; i++)
        given += w->dots[i];
    for (int i = first; i < last; i++) {
        KsViewTarget *t = add_card(w, v, "vote", i, KS_TARGET_OPTION);
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
        add_line(v, uitext_get(v->lang, UIT_WS_EMPTY_WALL));
    KsViewTarget *c = view_add_target(v, "vote:confirm", uitext_get(v->lang, UIT_WS_GIVE_DOTS), KS_TARGET_NEXT);
    if (c)
        c->enabled = given > 0;
    page_turners(w, v, last);
    view_add_target(v, "ws:exit", "×", KS_TARGET_QUIT);
}

/* The ranked cards as bars; `lang` for the names. */
static void add_results(Workshop *w, KsView *v)
{
    static const char *const tabs[] = {"all", "critique", "fantasy", "realisation"};
    for (int i = 0; i < 4; i++) {
        char id[KS_TARGET_ID_MAX];
        snprintf(id, sizeof id, "ws:rphase:%s", tabs[i]);
        KsViewTarget *t = view_add_target(v, id,
                              uitext_get(v->lang, i == 0 ? UIT_WS_ALL_PHASES : phase_text[i - 1]),
                              KS_TARGET_SECONDARY);
        if (t) {
            t->selected = w->rphase == i - 1;
            t->row = -1;
        }
    }
    int max = 0;
    for (int i = 0; i < w->n_cards; i++)
        max = w->cards[i].votes > max ? w->cards[i].votes : max;
    for (int i = 0; i < w->n_cards && i < WS_PAGE_CARDS; i++) {
        KsViewTarget *t = add_card(w, v, "bar", i, KS_TARGET_OPTION);
        if (t) {
            t->count_max = max;
            t->rank = i + 1;
            t->enabled = false; /* a bar of the chart, not a button */
        }
    }
    if (w->n_cards == 0)
        add_line(v, uitext_get(v->lang, UIT_WS_EMPTY_WALL));
}

static void build_results(Workshop *w, KsView *v)
{
    str_copy(v->title, sizeof v->title, uitext_get(v->lang, UIT_WS_PROMPT_RESULTS));
    str_copy(v->message, sizeof v->message, w->cur.question);
    add_results(w, v);
    view_add_target(v, "done", uitext_get(v->lang, UIT_DONE), KS_TARGET_NEXT);
}

void workshop_build_view(Workshop *w, KsView *v)
{
    v->lang = w->lang[0] ? w->lang : "de";
    v->rtl = uitext_is_rtl(v->lang) != 0;
    WsPhase p = phase_of(w);
    v->accent = phase_colour[p];
    v->picture = phase_icon[p];
    switch (w->screen) {
    case KS_SCREEN_WS_LANGUAGE: build_language(w, v); break;
    case KS_SCREEN_WS_WALL: build_wall(w, v); break;
    case KS_SCREEN_WS_CARD: build_card(w, v); break;
    case KS_SCREEN_WS_SENT: build_sent(w, v); break;
    case KS_SCREEN_WS_VOTE: build_vote(w, v); break;
    case KS_SCREEN_WS_RESULTS: build_results(w, v); break;
    default: break;
    }
}

/* ---- staff ------------------------------------------------------------ */

static const char *de(UiTextId id)
{
    return uitext_get("de", id);
}

static void build_setup(Workshop *w, KsView *v)
{
    uitext_format(w->bufs[0], sizeof w->bufs[0], "de", UIT_STAFF_WS_TITLE, w->set_title);
    uitext_format(w->bufs[1], sizeof w->bufs[1], "de", UIT_STAFF_WS_QUESTION, w->set_question);
    uitext_format(w->bufs[2], sizeof w->bufs[2], "de", UIT_STAFF_WS_DOTS, w->set_dots);
    KsViewTarget *t = view_add_target(v, "ws:set:title", w->bufs[0], KS_TARGET_FIELD);
    if (t)
        t->row = 0;
    t = view_add_target(v, "ws:set:question", w->bufs[1], KS_TARGET_FIELD);
    if (t)
        t->row = 1;
    for (int i = 0; i < WS_LANG_COUNT; i++) {
        char id[KS_TARGET_ID_MAX];
        snprintf(id, sizeof id, "ws:lang:%s", ws_langs[i]);
        /* Codes, not names: six names do not fit one row of 10 mm buttons. */
        t = view_add_target(v, id, NULL, KS_TARGET_OPTION);
        if (t) {
            t->text = t->id + 8;
            t->selected = w->set_langs[i];
            t->row = 2;
        }
    }
    t = view_add_target(v, "ws:dots:-", "−", KS_TARGET_KEY);
    if (t) {
        t->row = 3;
        t->enabled = w->set_dots > 1;
    }
    t = view_add_target(v, "ws:dots", w->bufs[2], KS_TARGET_FIELD);
    if (t) {
        t->row = 3;
        t->enabled = false;
    }
    t = view_add_target(v, "ws:dots:+", "+", KS_TARGET_KEY);
    if (t) {
        t->row = 3;
        t->enabled = w->set_dots < 10;
    }
    t = view_add_target(v, "ws:approval", de(UIT_STAFF_WS_APPROVAL), KS_TARGET_OPTION);
    if (t) {
        t->row = 3;
        t->selected = w->set_approval;
    }
    t = view_add_target(v, "ws:start", de(UIT_STAFF_WS_START), KS_TARGET_PRIMARY);
    if (t)
        t->row = 4;
}

static void build_control(Workshop *w, KsView *v)
{
    workshop_load_pending(w);
    workshop_load_cards(w, -1, false);
    int on_wall = w->n_cards;
    /* The page's heading is the workshop's own title. */
    str_copy(v->title, sizeof v->title, w->cur.title);
    uitext_format(w->bufs[0], sizeof w->bufs[0], "de", UIT_STAFF_WS_STATE,
                  de(phase_text[phase_of(w)]), on_wall, w->n_pending);
    add_line(v, w->bufs[0]);
    for (int p = 0; p < WS_PHASE_COUNT; p++) {
        char id[KS_TARGET_ID_MAX];
        snprintf(id, sizeof id, "ws:phase:%s", store_ws_phase_name((WsPhase)p));
        KsViewTarget *t = view_add_target(v, id, de(phase_text[p]), KS_TARGET_OPTION);
        if (t) {
            t->selected = (int)w->cur.phase == p;
            t->row = 0;
        }
    }
    uitext_format(w->bufs[1], sizeof w->bufs[1], "de", UIT_STAFF_WS_MODERATE, w->n_pending);
    KsViewTarget *t = view_add_target(v, "ws:moderate", w->bufs[1], KS_TARGET_SECONDARY);
    if (t)
        t->row = 1;
    t = view_add_target(v, "ws:merge", de(UIT_STAFF_WS_MERGE), KS_TARGET_SECONDARY);
    if (t)
        t->row = 1;
    t = view_add_target(v, "ws:results", de(UIT_STAFF_WS_RESULTS), KS_TARGET_SECONDARY);
    if (t)
        t->row = 2;
    t = view_add_target(v, "ws:close", de(UIT_STAFF_WS_CLOSE), KS_TARGET_SECONDARY);
    if (t)
        t->row = 2;
}

static void build_edit(Workshop *w, KsView *v)
{
    const char *buf = w->editing ? w->set_question : w->set_title;
    str_copy(v->title, sizeof v->title,
             de(w->editing ? UIT_STAFF_WS_QUESTION : UIT_STAFF_WS_TITLE));
    /* The label without its "%s". */
    char *pct = strstr(v->title, "%s");
    if (pct)
        *pct = '\0';
    KsViewItem *it = &v->items[0];
    v->n_items = 1;
    it->question = "ws";
    it->widget = KS_WIDGET_KEYBOARD;
    it->focused = true;
    str_copy(it->entry, sizeof it->entry, buf);
    KsViewTarget *f = view_add_target(v, "ws:field", it->entry, KS_TARGET_FIELD);
    if (f) {
        f->item = 0;
        f->selected = true;
    }
    view_add_keys(v, keys_shown(&w->keys), w->keys.code, w->keys.shift);
    view_add_target(v, "ws:edit:ok", uitext_get("de", UIT_OK), KS_TARGET_NEXT);
}

static void build_moderate(Workshop *w, KsView *v)
{
    if (!w->have_pending) {
        str_copy(v->message, sizeof v->message, de(UIT_STAFF_WS_NONE_PENDING));
        view_add_target(v, "ws:back", de(UIT_BACK), KS_TARGET_SECONDARY);
        return;
    }
    const StoreWsCard *c = &w->pending;
    int topic = workshop_topic_index(c->topic);
    snprintf(w->bufs[0], sizeof w->bufs[0], "%s · %s · %s%s%s", de(phase_text[c->phase % WS_PHASE_COUNT]),
             c->lang, topic >= 0 ? de(ws_topics[topic].text) : "-", c->age_band[0] ? " · " : "",
             c->age_band);
    add_line(v, w->bufs[0]);
    if (c->text[0])
        add_line(v, c->text);
    KsViewTarget *pic = w->pending_thumb[0] ? view_add_target(v, "ws:drawing", NULL, KS_TARGET_OPTION) : NULL;
    if (pic) {
        pic->image = w->pending_thumb;
        pic->enabled = false;
    }
    view_add_target(v, "ws:back", de(UIT_BACK), KS_TARGET_SECONDARY);
    view_add_target(v, "ws:reject", de(UIT_STAFF_REJECT), KS_TARGET_SECONDARY);
    view_add_target(v, "ws:approve", de(UIT_STAFF_APPROVE), KS_TARGET_PRIMARY);
}

static void build_merge(Workshop *w, KsView *v)
{
    str_copy(v->message, sizeof v->message,
             w->staff_msg >= 0 && !w->merge_from
                 ? de((UiTextId)w->staff_msg)
                 : de(w->merge_from ? UIT_STAFF_WS_MERGE_INTO : UIT_STAFF_WS_MERGE_FROM));
    for (int i = 0; i < w->n_cards && i < 9; i++) {
        bool from = w->cards[i].id == w->merge_from;
        KsViewTarget *t = add_card(w, v, w->merge_from && !from ? "merge-into" : "merge", i,
                                   KS_TARGET_OPTION);
        if (t)
            t->selected = from;
    }
    view_add_target(v, "ws:back", de(UIT_BACK), KS_TARGET_SECONDARY);
}

void workshop_staff_view(Workshop *w, KsView *v)
{
    WsPhase p = phase_of(w);
    if (w->have) {
        v->accent = phase_colour[p];
        v->picture = phase_icon[p];
    }
    switch (w->staff_screen) {
    case KS_SCREEN_STAFF_WS_EDIT: build_edit(w, v); return;
    case KS_SCREEN_STAFF_WS_MODERATE: build_moderate(w, v); break;
    case KS_SCREEN_STAFF_WS_MERGE: build_merge(w, v); break;
    case KS_SCREEN_STAFF_WS_RESULTS:
        str_copy(v->title, sizeof v->title, w->cur.title);
        str_copy(v->message, sizeof v->message, w->cur.question);
        add_results(w, v);
        view_add_target(v, "ws:back", de(UIT_BACK), KS_TARGET_BACK);
        return;
    default:
        if (w->have)
            build_control(w, v);
        else
            build_setup(w, v);
        break;
    }
    if (w->staff_msg >= 0 && w->staff_screen == KS_SCREEN_STAFF_WORKSHOP)
        add_line(v, de((UiTextId)w->staff_msg));
}
