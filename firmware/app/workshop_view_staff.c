/* workshop_view_staff: the staff's workshop pages as a view, in the staff
 * language — the settings before a start, the controls of a running
 * workshop (phases, which cards the voting round is about, moderation,
 * merging, results, closing), typing the title or question, moderation,
 * merging and the results full-screen. Reads the Workshop state; changes
 * only the view. */
#include <stdio.h>
#include <string.h>

#include "../core/str.h"
#include "keys.h"
#include "view_build.h"
#include "workshop_view.h"

/* A staff text in the view's language: staff mode's (kiosk.conf
 * staff_language), set before these pages are built. */
static const char *txt(const KsView *v, UiTextId id)
{
    return uitext_get(v->lang, id);
}

static void build_setup(Workshop *w, KsView *v)
{
    uitext_format(w->staff.bufs[0], sizeof w->staff.bufs[0], v->lang, UIT_STAFF_WS_TITLE,
                  w->staff.title);
    uitext_format(w->staff.bufs[1], sizeof w->staff.bufs[1], v->lang, UIT_STAFF_WS_QUESTION,
                  w->staff.question);
    uitext_format(w->staff.bufs[2], sizeof w->staff.bufs[2], v->lang, UIT_STAFF_WS_DOTS,
                  w->staff.dots);
    KsViewTarget *t = view_add_target(v, "ws:set:title", w->staff.bufs[0], KS_TARGET_FIELD);
    if (t)
        t->row = 0;
    t = view_add_target(v, "ws:set:question", w->staff.bufs[1], KS_TARGET_FIELD);
    if (t)
        t->row = 1;
    for (int i = 0; i < WS_LANG_COUNT; i++) {
        char id[KS_TARGET_ID_MAX];
        snprintf(id, sizeof id, "ws:lang:%s", ws_langs[i]);
        /* Codes, not names: six names do not fit one row of 10 mm buttons. */
        t = view_add_target(v, id, NULL, KS_TARGET_OPTION);
        if (t) {
            t->text = t->id + 8;
            t->selected = w->staff.langs[i];
            t->row = 2;
        }
    }
    t = view_add_slot(v, KS_SLOT_WS_DOTS, "ws:dots:-", "−", KS_TARGET_KEY);
    if (t) {
        t->row = 3;
        t->enabled = w->staff.dots > 1;
    }
    t = view_add_slot(v, KS_SLOT_WS_DOTS, "ws:dots", w->staff.bufs[2], KS_TARGET_FIELD);
    if (t) {
        t->row = 3;
        t->enabled = false;
    }
    t = view_add_slot(v, KS_SLOT_WS_DOTS, "ws:dots:+", "+", KS_TARGET_KEY);
    if (t) {
        t->row = 3;
        t->enabled = w->staff.dots < 10;
    }
    t = view_add_target(v, "ws:approval", txt(v, UIT_STAFF_WS_APPROVAL), KS_TARGET_OPTION);
    if (t) {
        t->row = 3;
        t->selected = w->staff.approval;
    }
    t = view_add_slot(v, KS_SLOT_WS_START, "ws:start", txt(v, UIT_STAFF_WS_START),
                      KS_TARGET_PRIMARY);
    if (t)
        t->row = 4;
}

/* While voting: which cards the round is about (a round never mixes the
 * cards of two phases; choosing another phase after dots starts a new
 * round). */
static void vote_row(Workshop *w, KsView *v)
{
    int phase = workshop_round_phase(w);
    uitext_format(w->staff.bufs[2], sizeof w->staff.bufs[2], v->lang, UIT_STAFF_WS_ROUND_ABOUT,
                  w->cur.round, txt(v, phase < 0 ? UIT_WS_ALL_PHASES : ws_phase_text[phase]));
    workshop_view_line(v, w->staff.bufs[2]);
    static const UiTextId names[3] = {UIT_STAFF_WS_ROUND_CRITIQUE, UIT_STAFF_WS_ROUND_FANTASY,
                                      UIT_STAFF_WS_ROUND_REALISATION};
    for (int p = 0; p <= WS_PHASE_REALISATION; p++) {
        char id[KS_TARGET_ID_MAX];
        snprintf(id, sizeof id, "ws:vphase:%s", store_ws_phase_name((WsPhase)p));
        KsViewTarget *t =
            view_add_slot(v, KS_SLOT_WS_VOTE_PHASE, id, txt(v, names[p]), KS_TARGET_OPTION);
        if (t) {
            t->selected = (int)w->cur.vote_phase == p;
            t->row = 1;
        }
    }
}

static void build_control(Workshop *w, KsView *v)
{
    workshop_load_pending(w);
    workshop_load_cards(w, -1, false);
    int on_wall = w->n_cards;
    /* The page's heading is the workshop's own title. */
    str_copy(v->title, sizeof v->title, w->cur.title);
    /* While voting the line says what the round is about instead (the
     * pending cards are counted on their button). */
    uitext_format(w->staff.bufs[0], sizeof w->staff.bufs[0], v->lang, UIT_STAFF_WS_STATE,
                  txt(v, ws_phase_text[workshop_view_phase(w)]), on_wall, w->staff.n_pending);
    if (w->cur.phase != WS_PHASE_VOTING)
        workshop_view_line(v, w->staff.bufs[0]);
    for (int p = 0; p < WS_PHASE_COUNT; p++) {
        char id[KS_TARGET_ID_MAX];
        snprintf(id, sizeof id, "ws:phase:%s", store_ws_phase_name((WsPhase)p));
        KsViewTarget *t = view_add_target(v, id, txt(v, ws_phase_text[p]), KS_TARGET_OPTION);
        if (t) {
            t->selected = (int)w->cur.phase == p;
            t->row = 0;
        }
    }
    if (w->cur.phase == WS_PHASE_VOTING)
        vote_row(w, v);
    uitext_format(w->staff.bufs[1], sizeof w->staff.bufs[1], v->lang, UIT_STAFF_WS_MODERATE,
                  w->staff.n_pending);
    KsViewTarget *t = view_add_target(v, "ws:moderate", w->staff.bufs[1], KS_TARGET_SECONDARY);
    if (t)
        t->row = 2;
    t = view_add_target(v, "ws:merge", txt(v, UIT_STAFF_WS_MERGE), KS_TARGET_SECONDARY);
    if (t)
        t->row = 2;
    t = view_add_target(v, "ws:results", txt(v, UIT_STAFF_WS_RESULTS), KS_TARGET_SECONDARY);
    if (t)
        t->row = 3;
    t = view_add_target(v, "ws:close", txt(v, UIT_STAFF_WS_CLOSE), KS_TARGET_SECONDARY);
    if (t)
        t->row = 3;
}

static void build_edit(Workshop *w, KsView *v)
{
    const char *buf = w->staff.editing ? w->staff.question : w->staff.title;
    str_copy(v->title, sizeof v->title,
             txt(v, w->staff.editing ? UIT_STAFF_WS_QUESTION : UIT_STAFF_WS_TITLE));
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
    KsViewTarget *f = view_add_slot(v, KS_SLOT_WS_FIELD, "ws:field", it->entry, KS_TARGET_FIELD);
    if (f) {
        f->item = 0;
        f->selected = true;
    }
    view_add_keys(v, keys_shown(&w->keys), w->keys.code, w->keys.shift);
    view_add_slot(v, KS_SLOT_WS_EDIT_OK, "ws:edit:ok", uitext_get(v->lang, UIT_OK), KS_TARGET_NEXT);
}

static void build_moderate(Workshop *w, KsView *v)
{
    if (!w->staff.have_pending) {
        str_copy(v->message, sizeof v->message, txt(v, UIT_STAFF_WS_NONE_PENDING));
        view_add_slot(v, KS_SLOT_WS_BACK, "ws:back", txt(v, UIT_BACK), KS_TARGET_SECONDARY);
        return;
    }
    const StoreWsCard *c = &w->staff.pending;
    int topic = workshop_topic_index(c->topic);
    snprintf(w->staff.bufs[0], sizeof w->staff.bufs[0], "%s · %s · %s%s%s",
             txt(v, ws_phase_text[c->phase % WS_PHASE_COUNT]), c->lang,
             topic >= 0 ? txt(v, ws_topics[topic].text) : "-", c->age_band[0] ? " · " : "",
             c->age_band);
    workshop_view_line(v, w->staff.bufs[0]);
    if (c->text[0])
        workshop_view_line(v, c->text);
    KsViewTarget *pic =
        w->staff.pending_thumb[0]
            ? view_add_slot(v, KS_SLOT_WS_DRAWING, "ws:drawing", NULL, KS_TARGET_OPTION)
            : NULL;
    if (pic) {
        pic->image = w->staff.pending_thumb;
        pic->enabled = false;
    }
    view_add_slot(v, KS_SLOT_WS_BACK, "ws:back", txt(v, UIT_BACK), KS_TARGET_SECONDARY);
    view_add_slot(v, KS_SLOT_REJECT, "ws:reject", txt(v, UIT_STAFF_REJECT), KS_TARGET_SECONDARY);
    view_add_slot(v, KS_SLOT_APPROVE, "ws:approve", txt(v, UIT_STAFF_APPROVE), KS_TARGET_PRIMARY);
}

static void build_merge(Workshop *w, KsView *v)
{
    str_copy(v->message, sizeof v->message,
             w->staff.msg != UIT_NONE && !w->staff.merge_from
                 ? txt(v, w->staff.msg)
                 : txt(v, w->staff.merge_from ? UIT_STAFF_WS_MERGE_INTO : UIT_STAFF_WS_MERGE_FROM));
    for (int i = 0; i < w->n_cards && i < 9; i++) {
        bool from = w->cards[i].id == w->staff.merge_from;
        KsViewTarget *t = workshop_view_card(w, v, KS_SLOT_WS_MERGE,
                                             w->staff.merge_from && !from ? "merge-into" : "merge",
                                             i, KS_TARGET_OPTION);
        if (t)
            t->selected = from;
    }
    view_add_slot(v, KS_SLOT_WS_BACK, "ws:back", txt(v, UIT_BACK), KS_TARGET_SECONDARY);
}

void workshop_staff_view(Workshop *w, KsView *v)
{
    w->n_names = 0;
    WsPhase p = workshop_view_phase(w);
    if (w->have) {
        v->accent = ws_phase_colour[p];
        v->picture = ws_phase_icon[p];
    }
    switch (w->staff.screen) {
    case KS_SCREEN_STAFF_WS_EDIT:
        build_edit(w, v);
        return;
    case KS_SCREEN_STAFF_WS_MODERATE:
        build_moderate(w, v);
        break;
    case KS_SCREEN_STAFF_WS_MERGE:
        build_merge(w, v);
        break;
    case KS_SCREEN_STAFF_WS_RESULTS:
        str_copy(v->title, sizeof v->title, w->cur.title);
        str_copy(v->message, sizeof v->message, w->cur.question);
        workshop_view_results(w, v);
        /* named after the tab it returns to: the plan's pages turn back too */
        view_add_slot(v, KS_SLOT_WS_BACK, "ws:back", txt(v, UIT_STAFF_WORKSHOP), KS_TARGET_BACK);
        return;
    default:
        if (w->have)
            build_control(w, v);
        else
            build_setup(w, v);
        break;
    }
    if (w->staff.msg != UIT_NONE && w->staff.screen == KS_SCREEN_STAFF_WORKSHOP)
        workshop_view_line(v, txt(v, w->staff.msg));
}
