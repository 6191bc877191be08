/* workshop: the Zukunftswerkstatt state machine — who is on which workshop
 * screen, the wall of the current phase (with the top critique cards as
 * starting points in the Fantasie phase) and the dots not yet cast. The
 * card being written is in workshop_card.c, the staff side in
 * workshop_staff.c, the results in workshop_results.c. Everything that must
 * survive is committed through store_workshop before the screen says it
 * happened. */
#include "workshop_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/clock.h"
#include "../core/log.h"
#include "../core/mem.h"
#include "../core/rng.h"
#include "../core/str.h"
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
    Workshop *w = xcalloc(1, sizeof *w);
    w->cfg = cfg;
    w->store = store;
    w->topic = w->age = w->when = -1;
    w->staff_msg = -1;
    w->staff_screen = KS_SCREEN_STAFF_WORKSHOP;
    workshop_setup_defaults(w);
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
    drawing_destroy(w->drawing);
    free(w);
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

static int by_votes(const void *a, const void *b)
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
    qsort(w->cards, (size_t)w->n_cards, sizeof w->cards[0], ranked ? by_votes : by_topic);
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

/* ---- participants ---------------------------------------------------- */

void workshop_end(Workshop *w)
{
    w->active = false;
    workshop_card_reset(w, 0);
    memset(w->dots, 0, sizeof w->dots);
    w->token[0] = '\0';
    w->lang[0] = '\0';
    w->flagged = false;
    burst_reset(&w->taps);
}

bool workshop_active(const Workshop *w)
{
    return w && w->active;
}

const char *workshop_lang(const Workshop *w)
{
    return w->lang;
}

KsScreen workshop_screen(const Workshop *w)
{
    return w->screen;
}

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

void workshop_go_phase(Workshop *w)
{
    workshop_refresh(w);
    if (!w->have) {
        workshop_end(w);
        return;
    }
    w->page = 0;
    w->complain = false;
    switch (w->cur.phase) {
    case WS_PHASE_VOTING:
        /* Only the cards the round is about: critique and ideas never mix. */
        w->vote_phase = workshop_round_phase(w);
        workshop_load_cards(w, w->vote_phase, false);
        memset(w->dots, 0, sizeof w->dots);
        w->screen = KS_SCREEN_WS_VOTE;
        break;
    case WS_PHASE_RESULTS:
        workshop_results_load(w);
        w->screen = KS_SCREEN_WS_RESULTS;
        break;
    default:
        workshop_load_cards(w, w->cur.phase, false);
        if (w->cur.phase == WS_PHASE_REALISATION)
            workshop_load_ideas(w); /* for the cards' idea lines */
        if (w->cur.phase == WS_PHASE_FANTASY)
            workshop_load_starters(w); /* the starting points and the cards' lines */
        w->screen = KS_SCREEN_WS_WALL;
        break;
    }
}

void workshop_begin(Workshop *w)
{
    workshop_refresh(w);
    if (!w->have)
        return;
    workshop_end(w);
    w->active = true;
    w->screen = KS_SCREEN_WS_LANGUAGE;
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
    if (rng_hex(w->token, 16) != KS_OK) {
        LOG_ERROR("no random token: voting is not possible in this visit");
        w->token[0] = '\0';
    }
    str_copy(w->lang, sizeof w->lang, code);
    workshop_card_reset(w, 0);
    workshop_go_phase(w);
}

/* Many taps within one second: the visit's token is flagged as for
 * surveys (its dots are kept and counted apart in the export). */
static void note_tap(Workshop *w)
{
    if (burst_note(&w->taps, clock_mono_ms(), w->cfg->misuse_burst_taps) && !w->flagged &&
        w->token[0] && w->have) {
        w->flagged = true;
        KsStatus ks = store_ws_flag_token(w->store, w->cur.id, w->token, "burst");
        if (ks != KS_OK)
            LOG_WARN("workshop token not flagged: %s", ks_status_str(ks));
        else
            LOG_INFO("workshop visit flagged as suspected misuse: burst");
    }
}

void workshop_key(Workshop *w, const char *key, char *buf, size_t size, int max_chars)
{
    if (!keys_switch(&w->keys, key) && keys_type(&w->keys, key, buf, size, max_chars) &&
        strcmp(key, KEYS_BACKSPACE) != 0)
        w->complain = false;
}

/* ---- the vote --------------------------------------------------------- */

static int dots_given(const Workshop *w)
{
    int n = 0;
    for (int i = 0; i < w->n_cards; i++)
        n += w->dots[i];
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
    if (w->have && w->token[0])
        store_ws_votes_used(w->store, w->cur.id, w->token, &used);
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
        if (w->dots[i] > 0) {
            ids[n] = w->cards[i].id;
            counts[n++] = w->dots[i];
        }
    if (n == 0 || !w->token[0])
        return;
    KsStatus ks = store_ws_vote(w->store, w->cur.id, w->token, ids, counts, n);
    if (ks != KS_OK) {
        /* staff moved on meanwhile (a new round, another phase): show what
         * is asked now */
        LOG_WARN("workshop vote refused: %s", ks_status_str(ks));
        memset(w->dots, 0, sizeof w->dots);
        workshop_go_phase(w);
        return;
    }
    LOG_INFO("workshop: %d dots stored", dots_given(w));
    memset(w->dots, 0, sizeof w->dots);
    w->sent_pending = false;
    w->screen = KS_SCREEN_WS_SENT;
}

static void vote_tap(Workshop *w, const char *id)
{
    if (strncmp(id, "vote:", 5) == 0 && strcmp(id, "vote:confirm") != 0) {
        int i = card_index(w, id + 5);
        if (i >= 0 && workshop_dots_left(w) > 0)
            w->dots[i]++;
    } else if (strncmp(id, "unvote:", 7) == 0) {
        int i = card_index(w, id + 7);
        if (i >= 0 && w->dots[i] > 0)
            w->dots[i]--;
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
    w->screen = KS_SCREEN_WS_CARD;
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
    if (!w->active)
        return;
    if (w->screen != KS_SCREEN_WS_LANGUAGE)
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
    switch (w->screen) {
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
