/* workshop: the Zukunftswerkstatt as both sides read it — creating and
 * freeing the Workshop, the open workshop (read again from the store), the
 * topic, helper, time, age and language tables, the cards a view shows
 * (the wall, the ideas and critique cards offered, ranked by dots), their
 * drawings as picture files, the phase a voting round is about and typing
 * on the keyboard. The participant's side is workshop_participant.c and
 * workshop_card.c, the staff side workshop_staff.c, the results
 * workshop_results.c. Changes nothing in the store. */
#include "workshop_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/log.h"
#include "../core/mem.h"
#include "keys.h"

const WsTopic ws_topics[WS_TOPIC_COUNT] = {
    {"play", "playground.svg", UIT_WS_TOPIC_PLAY},
    {"school", "school.svg", UIT_WS_TOPIC_SCHOOL},
    {"safety", "safety.svg", UIT_WS_TOPIC_SAFETY},
    {"nature", "nature.svg", UIT_WS_TOPIC_NATURE},
    {"sport", "sport.svg", UIT_WS_TOPIC_SPORT},
    {"learning", "reading.svg", UIT_WS_TOPIC_LEARNING},
    {"friends", "friends.svg", UIT_WS_TOPIC_FRIENDS},
    {"family", "family.svg", UIT_WS_TOPIC_FAMILY},
    {"transport", "transport.svg", UIT_WS_TOPIC_TRANSPORT},
    {"culture", "art.svg", UIT_WS_TOPIC_CULTURE},
};
/* In the order of store_ws_who_codes: us, parents, school, kita, youthclub,
 * club, library, city, companies. */
const WsPicture ws_who[WS_WHO_COUNT] = {
    {"friends.svg", UIT_WS_WHO_US},
    {"family.svg", UIT_WS_WHO_PARENTS},
    {"school.svg", UIT_WS_WHO_SCHOOL},
    {"helper-kita.svg", UIT_WS_WHO_KITA},
    {"helper-youthclub.svg", UIT_WS_WHO_YOUTHCLUB},
    {"sport.svg", UIT_WS_WHO_CLUB},
    {"library.svg", UIT_WS_WHO_LIBRARY},
    {"helper-city.svg", UIT_WS_WHO_CITY},
    {"helper-companies.svg", UIT_WS_WHO_COMPANIES},
};
/* In the order of store_ws_when_codes: week, month, schoolyear, later. */
const WsPicture ws_when[WS_WHEN_COUNT] = {
    {"when-week.svg", UIT_WS_WHEN_WEEK},
    {"when-month.svg", UIT_WS_WHEN_MONTH},
    {"when-schoolyear.svg", UIT_WS_WHEN_SCHOOLYEAR},
    {"when-later.svg", UIT_WS_WHEN_LATER},
};
const char *const ws_ages[WS_AGE_COUNT] = {"6-9", "10-13", "14-17", "18+"};
const char *const ws_langs[WS_LANG_COUNT] = {"de", "en", "tr", "ar", "uk", "ru"};

int workshop_topic_index(const char *name)
{
    for (int i = 0; i < WS_TOPIC_COUNT; i++)
        if (strcmp(name, ws_topics[i].name) == 0)
            return i;
    return -1;
}

int workshop_phase_from_name(const char *name)
{
    for (int p = 0; p < WS_PHASE_COUNT; p++)
        if (strcmp(name, store_ws_phase_name((WsPhase)p)) == 0)
            return p;
    return -1;
}

Workshop *workshop_create(const KsConfig *cfg, Store *store)
{
    /* Most of it (cards, thumbnails, the plan) waits for a workshop. */
    Workshop *w = xcalloc_pages(sizeof *w);
    w->cfg = cfg;
    w->store = store;
    w->draft.topic = w->draft.age = w->draft.when = -1;
    workshop_staff_init(w);
    workshop_refresh(w);
    return w;
}

static void thumb_path(const Workshop *w, int64_t card, char *buf, size_t size)
{
    (void)w;
    const char *dir = getenv("TMPDIR");
    snprintf(buf, size, "%s/km2kiosk-ws-%ld-%lld.png", dir && dir[0] ? dir : "/tmp", (long)getpid(),
             (long long)card);
}

void workshop_destroy(Workshop *w)
{
    if (!w)
        return;
    for (int i = 0; i < w->n_thumb_ids; i++) {
        char p[160];
        thumb_path(w, w->thumb_ids[i], p, sizeof p);
        unlink(p);
    }
    drawing_destroy(w->draft.drawing);
    xfree_pages(w, sizeof *w);
}

void workshop_refresh(Workshop *w)
{
    w->have = w->store && store_ws_current(w->store, &w->cur) == KS_OK && w->cur.open;
}

bool workshop_is_open(Workshop *w)
{
    workshop_refresh(w);
    return w->have;
}

/* ---- cards for views ------------------------------------------------ */

static KsStatus on_card(void *ctx, const StoreWsCard *c)
{
    Workshop *w = ctx;
    if (w->n_cards < WS_CARDS_MAX)
        w->cards[w->n_cards++] = *c;
    return KS_OK;
}

int workshop_by_votes(const void *a, const void *b)
{
    const StoreWsCard *x = a, *y = b;
    if (x->votes != y->votes)
        return y->votes - x->votes;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* Grouped by topic in the order of the topic pictures (cards without a
 * topic last), then in the order written. */
static int by_topic(const void *a, const void *b)
{
    const StoreWsCard *x = a, *y = b;
    int tx = workshop_topic_index(x->topic), ty = workshop_topic_index(y->topic);
    tx = tx < 0 ? WS_TOPIC_COUNT : tx;
    ty = ty < 0 ? WS_TOPIC_COUNT : ty;
    if (tx != ty)
        return tx - ty;
    return x->id < y->id ? -1 : x->id > y->id;
}

void workshop_load_cards(Workshop *w, int phase, bool ranked)
{
    w->n_cards = 0;
    memset(w->thumbs, 0, sizeof w->thumbs);
    if (!w->have)
        return;
    KsStatus ks = store_ws_cards(w->store, w->cur.id, phase, true, false, on_card, w);
    if (ks != KS_OK)
        LOG_ERROR("workshop cards not read: %s", ks_status_str(ks));
    qsort(w->cards, (size_t)w->n_cards, sizeof w->cards[0], ranked ? workshop_by_votes : by_topic);
    for (int i = 0; i < w->n_cards; i++)
        workshop_thumb(w, &w->cards[i], w->thumbs[i], sizeof w->thumbs[i]);
}

typedef struct {
    StoreWsCard *list;
    int n;
} CardList;

static KsStatus on_list(void *ctx, const StoreWsCard *c)
{
    CardList *l = ctx;
    if (l->n < WS_CARDS_MAX)
        l->list[l->n++] = *c;
    return KS_OK;
}

/* Reads every card of `phase` into list (for look-ups, merged and pending
 * ones too) and picks the top `max` approved ones still on the wall into
 * top, most dots first (in the order written while nobody has voted): a
 * selection sort over indices, so that the store order stays for the
 * look-ups. Writes their drawings' files into thumbs. Returns how many. */
static int load_ranked(Workshop *w, WsPhase phase, StoreWsCard *list, int *n, int *top, int max,
                       char (*thumbs)[160])
{
    CardList l = {list, 0};
    *n = 0;
    if (!w->have)
        return 0;
    KsStatus ks = store_ws_cards(w->store, w->cur.id, (int)phase, false, false, on_list, &l);
    if (ks != KS_OK)
        LOG_ERROR("workshop %s cards not read: %s", store_ws_phase_name(phase), ks_status_str(ks));
    *n = l.n;
    bool taken[WS_CARDS_MAX] = {false};
    int k = 0;
    while (k < max) {
        int best = -1;
        for (int i = 0; i < l.n; i++) {
            const StoreWsCard *c = &list[i];
            if (taken[i] || c->status != WS_CARD_APPROVED || c->merged_into)
                continue;
            if (best < 0 || c->votes > list[best].votes)
                best = i;
        }
        if (best < 0)
            break;
        taken[best] = true;
        thumbs[k][0] = '\0';
        workshop_thumb(w, &list[best], thumbs[k], sizeof thumbs[0]);
        top[k++] = best;
    }
    return k;
}

void workshop_load_ideas(Workshop *w)
{
    w->n_ideas = load_ranked(w, WS_PHASE_FANTASY, w->fantasy, &w->n_fantasy, w->ideas,
                             WS_IDEAS_SHOWN, w->idea_thumbs);
}

void workshop_load_starters(Workshop *w)
{
    w->n_starters = load_ranked(w, WS_PHASE_CRITIQUE, w->critique, &w->n_critique, w->starters,
                                WS_STARTERS, w->starter_thumbs);
}

const StoreWsCard *workshop_about_of(const StoreWsCard *list, int n, int64_t about)
{
    /* Follows later merges too (chains are short and acyclic). */
    for (int steps = 0; about && steps < WS_CARDS_MAX; steps++) {
        const StoreWsCard *c = NULL;
        for (int i = 0; i < n && !c; i++)
            if (list[i].id == about)
                c = &list[i];
        if (!c)
            return NULL;
        if (!c->merged_into)
            return c;
        about = c->merged_into;
    }
    return NULL;
}

/* A card's drawing never changes, so its file is written once per run. */
const char *workshop_thumb(Workshop *w, const StoreWsCard *c, char *buf, size_t size)
{
    buf[0] = '\0';
    if (!c->has_drawing)
        return buf;
    thumb_path(w, c->id, buf, size);
    if (access(buf, R_OK) == 0)
        return buf;
    uint8_t *png = NULL;
    size_t n = 0;
    if (store_ws_card_drawing(w->store, c->id, &png, &n) != KS_OK) {
        buf[0] = '\0';
        return buf;
    }
    FILE *f = fopen(buf, "wb");
    bool ok = f && fwrite(png, 1, n, f) == n;
    if (f && fclose(f) != 0)
        ok = false;
    free(png);
    if (!ok) {
        LOG_WARN("cannot write %s", buf);
        unlink(buf);
        buf[0] = '\0';
    } else if (w->n_thumb_ids < WS_THUMBS_MAX) {
        w->thumb_ids[w->n_thumb_ids++] = c->id;
    }
    return buf;
}

/* ---- voting rounds ---------------------------------------------------- */

typedef struct {
    int round, phase;
    bool found;
} RoundFind;

static KsStatus find_round(void *ctx, int round, int phase)
{
    RoundFind *f = ctx;
    if (round == f->round) {
        f->phase = phase;
        f->found = true;
    }
    return KS_OK;
}

int workshop_round_phase(Workshop *w)
{
    RoundFind f = {w->cur.round, -1, false};
    if (w->have) {
        KsStatus ks = store_ws_rounds(w->store, w->cur.id, find_round, &f);
        if (ks != KS_OK)
            LOG_WARN("voting rounds not read: %s", ks_status_str(ks));
    }
    /* A round keeps the phase of its first dots; before them, staff's choice. */
    return f.found ? f.phase : (int)w->cur.vote_phase;
}

bool workshop_key(Workshop *w, const char *key, char *buf, size_t size, int max_chars)
{
    return !keys_switch(&w->keys, key) && keys_type(&w->keys, key, buf, size, max_chars) &&
           strcmp(key, KEYS_BACKSPACE) != 0;
}
