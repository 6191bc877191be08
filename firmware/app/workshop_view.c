/* workshop_view: what the workshop's view builders share — each phase's
 * name, colour and pictogram, a card as a target (text or topic, picture,
 * drawing, dots), a card's text, a shortened line, the message's lines and
 * the page turners. The participant's screens are
 * workshop_view_participant.c and workshop_view_card.c, the staff pages
 * workshop_view_staff.c, the results (both sides') workshop_view_results.c.
 * Changes nothing but the view. */
#include <stdio.h>
#include <string.h>

#include "../core/str.h"
#include "view_build.h"
#include "workshop_view.h"

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

KsViewTarget *workshop_view_card(Workshop *w, KsView *v, KsSlot slot, const char *prefix, int i,
                                 KsTargetRole role)
{
    const StoreWsCard *c = &w->cards[i];
    char id[KS_TARGET_ID_MAX];
    snprintf(id, sizeof id, "%s:%lld", prefix, (long long)c->id);
    KsViewTarget *t = view_add_slot(v, slot, id, workshop_card_text(w, v->lang, c), role);
    if (!t)
        return NULL;
    int topic = workshop_topic_index(c->topic);
    int when = store_ws_when_index(c->by_when);
    t->image = topic >= 0 ? ws_topics[topic].icon : when >= 0 ? ws_when[when].icon : NULL;
    t->thumb = w->thumbs[i][0] ? w->thumbs[i] : NULL;
    t->count = c->votes;
    return t;
}

void workshop_view_turners(Workshop *w, KsView *v, bool more)
{
    if (w->page > 0)
        view_add_slot(v, KS_SLOT_WS_PAGE_BACK, "ws:page:back", uitext_get(v->lang, UIT_BACK),
                      KS_TARGET_BACK);
    if (more)
        view_add_slot(v, KS_SLOT_WS_PAGE_NEXT, "ws:page:next", uitext_get(v->lang, UIT_NEXT),
                      KS_TARGET_SECONDARY);
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
    if (format == UIT_NONE)
        str_copy(buf, size, cut);
    else
        uitext_format(buf, size, lang, format, cut);
}
