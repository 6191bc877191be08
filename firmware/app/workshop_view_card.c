/* workshop_view_card: the view of writing a workshop card — the parts as
 * tabs (Schreiben, Bild, Malen, Alter; in the Verwirklichung phase Idee,
 * Was zuerst?, Malen, Wer hilft?, Bis wann?), the heading (the critique a
 * Fantasie card answers, or why the card cannot go up yet) and the part
 * shown: ideas, keyboard, pictures, canvas, helpers, times or ages. */
#include <stdio.h>
#include <string.h>

#include "../core/str.h"
#include "keys.h"
#include "view_build.h"
#include "workshop_view.h"

static const UiTextId phase_prompt[3] = {UIT_WS_PROMPT_CRITIQUE, UIT_WS_PROMPT_FANTASY,
                                         UIT_WS_PROMPT_REALISATION};

/* The heading: a complaint, what the text part asks in a plan, the
 * critique an idea answers, or the phase's question. */
static void composer_title(Workshop *w, KsView *v, bool plan)
{
    UiTextId id = phase_prompt[workshop_view_phase(w) % 3];
    if (w->draft.complain)
        id = plan && !w->draft.idea ? UIT_WS_CARD_NO_IDEA
             : plan                 ? UIT_WS_PLAN_EMPTY
                                    : UIT_WS_CARD_EMPTY;
    else if (plan && w->draft.part == PART_TEXT)
        id = UIT_WS_HINT_WHAT;
    const StoreWsCard *c = w->draft.answers && !w->draft.complain
                               ? workshop_about_of(w->critique, w->n_critique, w->draft.answers)
                               : NULL;
    if (c) {
        const char *text = workshop_card_text(w, v->lang, c);
        workshop_cut_line(v->lang, UIT_WS_OPPOSITE_OF, text[0] ? text : "…", WS_IDEA_CHARS,
                          v->title, sizeof v->title);
        return;
    }
    str_copy(v->title, sizeof v->title, uitext_get(v->lang, id));
}

/* The part tabs of this phase's card, each with a tick when it holds
 * something. */
static void part_tabs(Workshop *w, KsView *v, bool plan)
{
    static const char *const ids[PART_COUNT] = {"ws:ideas", "ws:text", "ws:topics", "ws:draw",
                                                "ws:ages",  "ws:who",  "ws:when"};
    static const WsPart plan_parts[] = {PART_IDEA, PART_TEXT, PART_DRAW, PART_WHO, PART_WHEN};
    static const WsPart idea_parts[] = {PART_TEXT, PART_TOPIC, PART_DRAW, PART_AGE};
    UiTextId names[PART_COUNT] = {UIT_WS_PART_IDEA, UIT_WS_PART_TEXT, UIT_WS_PART_TOPIC,
                                  UIT_WS_PART_DRAW, UIT_WS_PART_AGE,  UIT_WS_PART_WHO,
                                  UIT_WS_PART_WHEN};
    if (plan)
        names[PART_TEXT] = UIT_WS_PART_WHAT;
    bool who = false;
    for (int i = 0; i < WS_WHO_COUNT; i++)
        who = who || w->draft.who[i];
    bool filled[PART_COUNT] = {
        w->draft.idea != 0,  w->draft.text[0] != '\0',
        w->draft.topic >= 0, w->draft.drawing && drawing_stroke_count(w->draft.drawing) > 0,
        w->draft.age >= 0,   who,
        w->draft.when >= 0};
    const WsPart *parts = plan ? plan_parts : idea_parts;
    int n = plan ? 5 : 4;
    for (int k = 0; k < n; k++) {
        WsPart p = parts[k];
        KsViewTarget *t = view_add_slot(v, KS_SLOT_WS_CARD_PART, ids[p],
                                        uitext_get(v->lang, names[p]), KS_TARGET_SECONDARY);
        if (t) {
            t->selected = w->draft.part == p;
            t->count = filled[p]; /* a tick: this part has something */
            t->row = -1;
        }
    }
}

static void idea_tiles(Workshop *w, KsView *v)
{
    for (int k = 0; k < w->n_ideas; k++) {
        const StoreWsCard *c = &w->fantasy[w->ideas[k]];
        char id[KS_TARGET_ID_MAX];
        snprintf(id, sizeof id, "ws:idea:%lld", (long long)c->id);
        KsViewTarget *t = view_add_slot(v, KS_SLOT_WS_IDEA, id, workshop_card_text(w, v->lang, c),
                                        KS_TARGET_OPTION);
        if (t) {
            int topic = workshop_topic_index(c->topic);
            t->image = topic >= 0 ? ws_topics[topic].icon : NULL;
            t->thumb = w->idea_thumbs[k][0] ? w->idea_thumbs[k] : NULL;
            t->count = c->votes;
            t->selected = w->draft.idea == c->id;
            t->item = 0;
        }
    }
}

/* Picture tiles: "<prefix><code>" with their names. */
static void picture_tiles(KsView *v, KsSlot slot, const char *prefix, const char *const *codes,
                          const WsPicture *pics, int n, const bool *on)
{
    for (int i = 0; i < n; i++) {
        char id[KS_TARGET_ID_MAX];
        snprintf(id, sizeof id, "%s%s", prefix, codes[i]);
        KsViewTarget *t =
            view_add_slot(v, slot, id, uitext_get(v->lang, pics[i].text), KS_TARGET_OPTION);
        if (t) {
            t->image = pics[i].icon;
            t->selected = on[i];
            t->item = 0;
        }
    }
}

static void text_part(Workshop *w, KsView *v, KsViewItem *it)
{
    it->widget = KS_WIDGET_KEYBOARD;
    it->focused = true;
    str_copy(it->entry, sizeof it->entry, w->draft.text);
    KsViewTarget *f = view_add_slot(v, KS_SLOT_WS_FIELD, "ws:field", it->entry, KS_TARGET_FIELD);
    if (f) {
        f->item = 0;
        f->selected = true;
    }
    view_add_keys(v, keys_shown(&w->keys), w->keys.code, w->keys.shift);
}

static void draw_part(Workshop *w, KsView *v, KsViewItem *it)
{
    it->widget = KS_WIDGET_CANVAS;
    if (!w->draft.drawing)
        w->draft.drawing = drawing_create();
    view_add_canvas(v, 0, w->draft.drawing, w->draft.pen, v->lang);
}

static void age_part(Workshop *w, KsView *v, KsViewItem *it)
{
    it->widget = KS_WIDGET_TILES;
    for (int i = 0; i < WS_AGE_COUNT; i++) {
        char id[KS_TARGET_ID_MAX];
        snprintf(id, sizeof id, "ws:age:%s", ws_ages[i]);
        KsViewTarget *t = view_add_slot(v, KS_SLOT_WS_AGE, id, NULL, KS_TARGET_OPTION);
        if (t) {
            t->text = t->id + 7; /* the band, kept with the id */
            t->selected = w->draft.age == i;
            t->item = 0;
        }
    }
}

/* The part shown: ideas, keyboard, pictures, canvas, helpers, times, ages. */
static void part_body(Workshop *w, KsView *v, KsViewItem *it)
{
    bool topic[WS_TOPIC_COUNT] = {false}, when[WS_WHEN_COUNT] = {false};
    switch (w->draft.part) {
    case PART_IDEA:
        it->widget = KS_WIDGET_TILES;
        idea_tiles(w, v);
        break;
    case PART_TEXT:
        text_part(w, v, it);
        break;
    case PART_TOPIC: {
        const char *names[WS_TOPIC_COUNT];
        WsPicture pics[WS_TOPIC_COUNT];
        for (int i = 0; i < WS_TOPIC_COUNT; i++) {
            names[i] = ws_topics[i].name;
            pics[i] = (WsPicture){ws_topics[i].icon, ws_topics[i].text};
            topic[i] = w->draft.topic == i;
        }
        it->widget = KS_WIDGET_TILES;
        picture_tiles(v, KS_SLOT_WS_TOPIC, "ws:topic:", names, pics, WS_TOPIC_COUNT, topic);
        break;
    }
    case PART_DRAW:
        draw_part(w, v, it);
        break;
    case PART_AGE:
        age_part(w, v, it);
        break;
    case PART_WHO:
        it->widget = KS_WIDGET_CHECKS; /* several may help */
        picture_tiles(v, KS_SLOT_WS_WHO, "ws:who:", store_ws_who_codes, ws_who, WS_WHO_COUNT,
                      w->draft.who);
        break;
    case PART_WHEN:
        for (int i = 0; i < WS_WHEN_COUNT; i++)
            when[i] = w->draft.when == i;
        it->widget = KS_WIDGET_TILES;
        picture_tiles(v, KS_SLOT_WS_WHEN, "ws:when:", store_ws_when_codes, ws_when, WS_WHEN_COUNT,
                      when);
        break;
    default:
        break;
    }
}

void workshop_view_composer(Workshop *w, KsView *v)
{
    bool plan = workshop_view_phase(w) == WS_PHASE_REALISATION;
    /* staff moved on while the card was open: the parts of this phase */
    bool plan_part =
        w->draft.part == PART_IDEA || w->draft.part == PART_WHO || w->draft.part == PART_WHEN;
    bool idea_part = w->draft.part == PART_TOPIC || w->draft.part == PART_AGE;
    if ((!plan && plan_part) || (plan && idea_part))
        w->draft.part = PART_TEXT;
    /* A refused "pin it up" says why in the heading: the keyboard leaves
     * no room for a message line. */
    composer_title(w, v, plan);
    static const UiTextId hints[PART_COUNT] = {
        UIT_WS_HINT_IDEA, UIT_WS_HINT_TEXT, UIT_WS_HINT_TOPIC, UIT_WS_HINT_DRAW,
        UIT_WS_HINT_AGE,  UIT_WS_HINT_WHO,  UIT_WS_HINT_WHEN};
    UiTextId hint =
        w->draft.part == PART_IDEA && w->n_ideas == 0 ? UIT_WS_NO_IDEAS : hints[w->draft.part];
    str_copy(v->message, sizeof v->message, uitext_get(v->lang, hint));
    part_tabs(w, v, plan);
    KsViewItem *it = &v->items[0];
    v->n_items = 1;
    it->question = "card";
    it->problem = w->draft.complain;
    part_body(w, v, it);
    view_add_slot(v, KS_SLOT_WS_CARD_CONFIRM, "ws:confirm", uitext_get(v->lang, UIT_WS_PIN_UP),
                  KS_TARGET_NEXT);
    view_add_slot(v, KS_SLOT_WS_CARD_CANCEL, "ws:cancel", "×", KS_TARGET_QUIT);
}
