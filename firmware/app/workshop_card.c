/* workshop_card: writing a Zukunftswerkstatt card — its parts (text,
 * topic picture, drawing, age; in the Verwirklichung phase the idea, what
 * comes first, who can help and by when), the critique a Fantasie card
 * answers, and storing it in one committed transaction before the screen
 * thanks. Draws nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/log.h"
#include "../core/str.h"
#include "workshop_private.h"

#define TEXT_MAX_CHARS 200

static bool realisation(const Workshop *w)
{
    return w->have && w->cur.phase == WS_PHASE_REALISATION;
}

void workshop_card_reset(Workshop *w, int64_t answers)
{
    /* A realisation card starts with its idea: it must name one. */
    w->draft.part = realisation(w) ? PART_IDEA : PART_TEXT;
    w->draft.idea = 0;
    w->draft.answers = w->have && w->cur.phase == WS_PHASE_FANTASY ? answers : 0;
    w->draft.text[0] = '\0';
    w->draft.topic = w->draft.age = w->draft.when = -1;
    memset(w->draft.who, 0, sizeof w->draft.who);
    drawing_destroy(w->draft.drawing);
    w->draft.drawing = NULL;
    w->draft.pen = 0;
    w->draft.pen_out = false;
    w->draft.complain = false;
    keys_start(&w->keys, w->visit.lang[0] ? w->visit.lang : "de");
}

static bool has_drawing(const Workshop *w)
{
    return w->draft.drawing && drawing_stroke_count(w->draft.drawing) > 0;
}

/* A plan is not empty with a helper or a time alone: a child can fill it
 * without typing. */
static bool card_empty(const Workshop *w)
{
    bool who = false;
    for (int i = 0; i < WS_WHO_COUNT; i++)
        who = who || w->draft.who[i];
    return !w->draft.text[0] && w->draft.topic < 0 && !has_drawing(w) && !who && w->draft.when < 0;
}

/* The card as storage takes it (its drawing apart). */
static void card_fill(const Workshop *w, StoreWsCard *c)
{
    memset(c, 0, sizeof *c);
    c->workshop_id = w->cur.id;
    c->phase = w->cur.phase;
    str_copy(c->lang, sizeof c->lang, w->visit.lang);
    str_copy(c->age_band, sizeof c->age_band, w->draft.age >= 0 ? ws_ages[w->draft.age] : "");
    str_copy(c->topic, sizeof c->topic, w->draft.topic >= 0 ? ws_topics[w->draft.topic].name : "");
    str_copy(c->text, sizeof c->text, w->draft.text);
    if (c->phase == WS_PHASE_REALISATION) {
        c->about_card = w->draft.idea;
        for (int i = 0; i < WS_WHO_COUNT; i++) {
            if (!w->draft.who[i])
                continue;
            size_t n = strlen(c->who);
            snprintf(c->who + n, sizeof c->who - n, "%s%s", n ? " " : "", store_ws_who_codes[i]);
        }
        str_copy(c->by_when, sizeof c->by_when,
                 w->draft.when >= 0 ? store_ws_when_codes[w->draft.when] : "");
    } else if (c->phase == WS_PHASE_FANTASY) {
        c->about_card = w->draft.answers;
    }
}

/* Stores the card (one transaction, with its drawing); only then the
 * screen says it is sent. */
static void send_card(Workshop *w)
{
    workshop_refresh(w);
    if (card_empty(w) || (realisation(w) && !w->draft.idea)) {
        w->draft.complain = true;
        return;
    }
    if (!w->have || w->cur.phase > WS_PHASE_REALISATION) {
        workshop_go_phase(w); /* staff moved on meanwhile */
        return;
    }
    StoreWsCard c;
    card_fill(w, &c);
    uint8_t *png = NULL;
    size_t n = 0;
    if (has_drawing(w) && drawing_to_png(w->draft.drawing, &png, &n) == KS_OK)
        c.has_drawing = true;
    int64_t id = 0;
    KsStatus ks = store_ws_card_add(w->store, &c, png, n, &id);
    if (ks == KS_ERR_INVALID && c.phase == WS_PHASE_FANTASY && c.about_card) {
        /* the complaint left the wall meanwhile: the idea still counts */
        LOG_WARN("the critique card %lld is gone; the idea is stored on its own",
                 (long long)c.about_card);
        c.about_card = 0;
        ks = store_ws_card_add(w->store, &c, png, n, &id);
    }
    free(png);
    if (ks != KS_OK) {
        LOG_ERROR("workshop card not stored: %s", ks_status_str(ks));
        w->draft.complain = true;
        if (ks == KS_ERR_INVALID && c.phase == WS_PHASE_REALISATION) {
            /* the idea left the wall meanwhile (rejected): choose again */
            w->draft.idea = 0;
            w->draft.part = PART_IDEA;
            workshop_load_ideas(w);
        }
        return;
    }
    LOG_INFO("workshop card %lld stored (%s)", (long long)id, store_ws_phase_name(c.phase));
    w->visit.sent_pending = w->cur.approval;
    workshop_card_reset(w, 0);
    w->visit.screen = KS_SCREEN_WS_SENT;
}

/* A tap on an offered idea chooses it; a second tap takes it back. */
static void idea_tap(Workshop *w, const char *num)
{
    char *end;
    long long id = strtoll(num, &end, 10);
    for (int k = 0; !*end && k < w->n_ideas; k++)
        if (w->fantasy[w->ideas[k]].id == id) {
            w->draft.idea = w->draft.idea == id ? 0 : id;
            w->draft.complain = false;
        }
}

/* The parts a card of the current phase has, by their target ids. */
static bool part_tap(Workshop *w, const char *id)
{
    static const char *const ids[PART_COUNT] = {"ws:ideas", "ws:text", "ws:topics", "ws:draw",
                                                "ws:ages",  "ws:who",  "ws:when"};
    bool plan = realisation(w);
    for (int p = 0; p < PART_COUNT; p++) {
        if (strcmp(id, ids[p]) != 0)
            continue;
        bool plan_only = p == PART_IDEA || p == PART_WHO || p == PART_WHEN;
        bool idea_only = p == PART_TOPIC || p == PART_AGE;
        if ((plan_only && plan) || (idea_only && !plan) || (!plan_only && !idea_only))
            w->draft.part = (WsPart)p;
        return true;
    }
    return false;
}

/* Taps on the tiles of the parts: a second tap takes a choice back. */
static bool tile_tap(Workshop *w, const char *id)
{
    if (strncmp(id, "ws:idea:", 8) == 0) {
        idea_tap(w, id + 8);
    } else if (strncmp(id, "ws:topic:", 9) == 0) {
        int t = workshop_topic_index(id + 9);
        if (t >= 0)
            w->draft.topic = w->draft.topic == t ? -1 : t;
        w->draft.complain = false;
    } else if (strncmp(id, "ws:age:", 7) == 0) {
        for (int a = 0; a < WS_AGE_COUNT; a++)
            if (strcmp(id + 7, ws_ages[a]) == 0)
                w->draft.age = w->draft.age == a ? -1 : a;
    } else if (strncmp(id, "ws:who:", 7) == 0) {
        /* several may help */
        int i = store_ws_who_index(id + 7);
        if (i >= 0 && realisation(w)) {
            w->draft.who[i] = !w->draft.who[i];
            w->draft.complain = false;
        }
    } else if (strncmp(id, "ws:when:", 8) == 0) {
        int i = store_ws_when_index(id + 8);
        if (i >= 0 && realisation(w)) {
            w->draft.when = w->draft.when == i ? -1 : i;
            w->draft.complain = false;
        }
    } else {
        return false;
    }
    return true;
}

void workshop_card_tap(Workshop *w, const char *id)
{
    if (part_tap(w, id) || tile_tap(w, id))
        return;
    if (strncmp(id, "key:", 4) == 0 && w->draft.part == PART_TEXT) {
        if (workshop_key(w, id + 4, w->draft.text, sizeof w->draft.text, TEXT_MAX_CHARS))
            w->draft.complain = false;
    } else if (strncmp(id, "pen:", 4) == 0) {
        for (int i = 0; i < KS_PEN_COUNT; i++)
            if (strcmp(id + 4, ks_pen_names[i]) == 0)
                w->draft.pen = i;
    } else if (strcmp(id, "undo") == 0 && w->draft.drawing) {
        drawing_undo(w->draft.drawing);
    } else if (strcmp(id, "clear") == 0 && w->draft.drawing) {
        drawing_clear(w->draft.drawing);
    } else if (strcmp(id, "ws:confirm") == 0) {
        send_card(w);
    } else if (strcmp(id, "ws:cancel") == 0) {
        workshop_card_reset(w, 0);
        workshop_go_phase(w);
    }
}

void workshop_drag(Workshop *w, const KsEvent *ev)
{
    if (!w->visit.active || w->visit.screen != KS_SCREEN_WS_CARD || w->draft.part != PART_DRAW ||
        strcmp(ev->target, "canvas") != 0)
        return;
    if (!w->draft.drawing)
        w->draft.drawing = drawing_create();
    float x = ev->x < 0 ? 0 : (ev->x > 1 ? 1 : ev->x);
    /* A finger that leaves the canvas lifts the pen (as on survey pages). */
    bool inside = ev->x >= 0 && ev->x <= 1 && ev->y >= 0 && ev->y <= 1;
    if (ev->phase == KS_DRAG_BEGIN || (inside && w->draft.pen_out))
        drawing_begin(w->draft.drawing, w->draft.pen, x, ev->y);
    else if (inside)
        drawing_move(w->draft.drawing, x, ev->y);
    w->draft.pen_out = !inside;
    w->draft.complain = false;
}
