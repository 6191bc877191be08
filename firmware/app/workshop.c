/* workshop: the Zukunftswerkstatt state machine — who is on which workshop
 * screen, the card being written, the dots not yet cast, and the staff's
 * workshop settings. Everything that must survive is committed through
 * store_workshop before the screen says it happened. */
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

#define TEXT_MAX_CHARS 200

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
const char *const ws_ages[WS_AGE_COUNT] = {"6-9", "10-13", "14-17", "18+"};
const char *const ws_langs[WS_LANG_COUNT] = {"de", "en", "tr", "ar", "uk", "ru"};

static const char DEFAULT_TITLE[] = "Zukunftswerkstatt";
static const char DEFAULT_QUESTION[] = "Unser Kiez in 5 Jahren";

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

static void setup_defaults(Workshop *w)
{
    str_copy(w->set_title, sizeof w->set_title, DEFAULT_TITLE);
    str_copy(w->set_question, sizeof w->set_question, DEFAULT_QUESTION);
    for (int i = 0; i < WS_LANG_COUNT; i++)
        w->set_langs[i] = true;
    w->set_dots = 3;
    w->set_approval = true;
}

Workshop *workshop_create(const KsConfig *cfg, Store *store)
{
    Workshop *w = xcalloc(1, sizeof *w);
    w->cfg = cfg;
    w->store = store;
    w->topic = w->age = -1;
    w->rphase = -1;
    w->staff_msg = -1;
    w->staff_screen = KS_SCREEN_STAFF_WORKSHOP;
    setup_defaults(w);
    workshop_refresh(w);
    return w;
}

static void thumb_path(const Workshop *w, int64_t card, char *buf, size_t size)
{
    (void)w;
    const char *dir = getenv("TMPDIR");
    snprintf(buf, size, "%s/km2kiosk-ws-%ld-%lld.png", dir && dir[0] ? dir : "/tmp",
             (long)getpid(), (long long)card);
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
    KsStatus st = store_ws_cards(w->store, w->cur.id, phase, true, false, on_card, w);
    if (st != KS_OK)
        LOG_ERROR("workshop cards not read: %s", ks_status_str(st));
    qsort(w->cards, (size_t)w->n_cards, sizeof w->cards[0], ranked ? by_votes : by_topic);
    for (int i = 0; i < w->n_cards; i++)
        workshop_thumb(w, &w->cards[i], w->thumbs[i], sizeof w->thumbs[i]);
}

static KsStatus on_fantasy(void *ctx, const StoreWsCard *c)
{
    Workshop *w = ctx;
    if (w->n_fantasy < WS_CARDS_MAX)
        w->fantasy[w->n_fantasy++] = *c;
    return KS_OK;
}

void workshop_load_ideas(Workshop *w)
{
    w->n_fantasy = w->n_ideas = 0;
    memset(w->idea_thumbs, 0, sizeof w->idea_thumbs);
    if (!w->have)
        return;
    KsStatus st =
        store_ws_cards(w->store, w->cur.id, WS_PHASE_FANTASY, false, false, on_fantasy, w);
    if (st != KS_OK)
        LOG_ERROR("workshop ideas not read: %s", ks_status_str(st));
    /* The approved ideas on the wall, most dots first (in the order
     * written while nobody has voted): a selection sort over indices, so
     * that the store order stays for the look-ups. */
    bool taken[WS_CARDS_MAX] = {false};
    while (w->n_ideas < WS_IDEAS_SHOWN) {
        int best = -1;
        for (int i = 0; i < w->n_fantasy; i++) {
            const StoreWsCard *c = &w->fantasy[i];
            if (taken[i] || c->status != WS_CARD_APPROVED || c->merged_into)
                continue;
            if (best < 0 || c->votes > w->fantasy[best].votes)
                best = i;
        }
        if (best < 0)
            break;
        taken[best] = true;
        workshop_thumb(w, &w->fantasy[best], w->idea_thumbs[w->n_ideas],
                       sizeof w->idea_thumbs[0]);
        w->ideas[w->n_ideas++] = best;
    }
}

const StoreWsCard *workshop_idea_of(const Workshop *w, int64_t about_card)
{
    /* Follows later merges too (chains are short and acyclic). */
    for (int steps = 0; about_card && steps < WS_CARDS_MAX; steps++) {
        const StoreWsCard *c = NULL;
        for (int i = 0; i < w->n_fantasy && !c; i++)
            if (w->fantasy[i].id == about_card)
                c = &w->fantasy[i];
        if (!c)
            return NULL;
        if (!c->merged_into)
            return c;
        about_card = c->merged_into;
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

static void reset_card(Workshop *w)
{
    /* A realisation card starts with its idea: it must name one. */
    w->part = w->have && w->cur.phase == WS_PHASE_REALISATION ? PART_IDEA : PART_TEXT;
    w->idea = 0;
    w->text[0] = '\0';
    w->topic = w->age = -1;
    drawing_destroy(w->drawing);
    w->drawing = NULL;
    w->pen = 0;
    w->pen_out = false;
    w->complain = false;
    keys_start(&w->keys, w->lang[0] ? w->lang : "de");
}

void workshop_end(Workshop *w)
{
    w->active = false;
    reset_card(w);
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

/* The screen of the current phase: the wall, the vote or the results. */
static void go_phase(Workshop *w)
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
        workshop_load_cards(w, -1, false);
        memset(w->dots, 0, sizeof w->dots);
        w->screen = KS_SCREEN_WS_VOTE;
        break;
    case WS_PHASE_RESULTS:
        workshop_load_cards(w, w->rphase, true);
        w->screen = KS_SCREEN_WS_RESULTS;
        break;
    default:
        workshop_load_cards(w, w->cur.phase, false);
        if (w->cur.phase == WS_PHASE_REALISATION)
            workshop_load_ideas(w); /* for the cards' idea lines */
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
    w->rphase = -1;
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
    reset_card(w);
    go_phase(w);
}

/* Many taps within one second: the visit's token is flagged as for
 * surveys (its dots are kept and counted apart in the export). */
static void note_tap(Workshop *w)
{
    if (burst_note(&w->taps, clock_mono_ms(), w->cfg->misuse_burst_taps) && !w->flagged &&
        w->token[0] && w->have) {
        w->flagged = true;
        KsStatus st = store_ws_flag_token(w->store, w->cur.id, w->token, "burst");
        if (st != KS_OK)
            LOG_WARN("workshop token not flagged: %s", ks_status_str(st));
        else
            LOG_INFO("workshop visit flagged as suspected misuse: burst");
    }
}

static bool card_empty(const Workshop *w)
{
    return !w->text[0] && w->topic < 0 && (!w->drawing || drawing_stroke_count(w->drawing) == 0);
}

/* Stores the card (one transaction, with its drawing); only then the
 * screen says it is sent. */
static void send_card(Workshop *w)
{
    workshop_refresh(w);
    bool realisation = w->have && w->cur.phase == WS_PHASE_REALISATION;
    if (card_empty(w) || (realisation && !w->idea)) {
        w->complain = true;
        return;
    }
    if (!w->have || w->cur.phase > WS_PHASE_REALISATION) {
        go_phase(w); /* staff moved on meanwhile */
        return;
    }
    StoreWsCard c;
    memset(&c, 0, sizeof c);
    c.workshop_id = w->cur.id;
    c.phase = w->cur.phase;
    str_copy(c.lang, sizeof c.lang, w->lang);
    str_copy(c.age_band, sizeof c.age_band, w->age >= 0 ? ws_ages[w->age] : "");
    str_copy(c.topic, sizeof c.topic, w->topic >= 0 ? ws_topics[w->topic].name : "");
    str_copy(c.text, sizeof c.text, w->text);
    c.about_card = realisation ? w->idea : 0;
    uint8_t *png = NULL;
    size_t n = 0;
    if (w->drawing && drawing_stroke_count(w->drawing) > 0 &&
        drawing_to_png(w->drawing, &png, &n) == KS_OK)
        c.has_drawing = true;
    int64_t id = 0;
    KsStatus st = store_ws_card_add(w->store, &c, png, n, &id);
    free(png);
    if (st != KS_OK) {
        LOG_ERROR("workshop card not stored: %s", ks_status_str(st));
        w->complain = true;
        if (st == KS_ERR_INVALID && c.about_card) {
            /* the idea left the wall meanwhile (rejected): choose again */
            w->idea = 0;
            w->part = PART_IDEA;
            workshop_load_ideas(w);
        }
        return;
    }
    LOG_INFO("workshop card %lld stored (%s)", (long long)id, store_ws_phase_name(c.phase));
    w->sent_pending = w->cur.approval;
    reset_card(w);
    w->screen = KS_SCREEN_WS_SENT;
}

static void card_key(Workshop *w, const char *key, char *buf, size_t size, int max_chars)
{
    if (!keys_switch(&w->keys, key) && keys_type(&w->keys, key, buf, size, max_chars) &&
        strcmp(key, KEYS_BACKSPACE) != 0)
        w->complain = false;
}

/* A tap on an offered idea chooses it; a second tap takes it back. */
static void idea_tap(Workshop *w, const char *num)
{
    char *end;
    long long id = strtoll(num, &end, 10);
    for (int k = 0; !*end && k < w->n_ideas; k++)
        if (w->fantasy[w->ideas[k]].id == id) {
            w->idea = w->idea == id ? 0 : id;
            w->complain = false;
        }
}

static void card_tap(Workshop *w, const char *id)
{
    if (strcmp(id, "ws:ideas") == 0) {
        if (w->have && w->cur.phase == WS_PHASE_REALISATION)
            w->part = PART_IDEA;
    } else if (strncmp(id, "ws:idea:", 8) == 0) {
        idea_tap(w, id + 8);
    } else if (strcmp(id, "ws:text") == 0) {
        w->part = PART_TEXT;
    } else if (strcmp(id, "ws:topics") == 0) {
        w->part = PART_TOPIC;
    } else if (strcmp(id, "ws:draw") == 0) {
        w->part = PART_DRAW;
    } else if (strcmp(id, "ws:ages") == 0) {
        w->part = PART_AGE;
    } else if (strncmp(id, "ws:topic:", 9) == 0) {
        int t = workshop_topic_index(id + 9);
        if (t >= 0)
            w->topic = w->topic == t ? -1 : t; /* a second tap takes it back */
        w->complain = false;
    } else if (strncmp(id, "ws:age:", 7) == 0) {
        for (int a = 0; a < WS_AGE_COUNT; a++)
            if (strcmp(id + 7, ws_ages[a]) == 0)
                w->age = w->age == a ? -1 : a;
    } else if (strncmp(id, "key:", 4) == 0 && w->part == PART_TEXT) {
        card_key(w, id + 4, w->text, sizeof w->text, TEXT_MAX_CHARS);
    } else if (strncmp(id, "pen:", 4) == 0) {
        for (int i = 0; i < KS_PEN_COUNT; i++)
            if (strcmp(id + 4, ks_pen_names[i]) == 0)
                w->pen = i;
    } else if (strcmp(id, "undo") == 0 && w->drawing) {
        drawing_undo(w->drawing);
    } else if (strcmp(id, "clear") == 0 && w->drawing) {
        drawing_clear(w->drawing);
    } else if (strcmp(id, "ws:confirm") == 0) {
        send_card(w);
    } else if (strcmp(id, "ws:cancel") == 0) {
        reset_card(w);
        go_phase(w);
    }
}

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

int workshop_dots_left(const Workshop *w);
int workshop_dots_left(const Workshop *w)
{
    int used = 0;
    if (w->have && w->token[0])
        store_ws_votes_used(w->store, w->cur.id, w->token, &used);
    int left = w->cur.dots - used - dots_given(w);
    return left < 0 ? 0 : left;
}

/* Casts the visit's dots in one transaction; storage refuses a total over
 * the budget as a whole (the screen never offers one). */
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
    KsStatus st = store_ws_vote(w->store, w->cur.id, w->token, ids, counts, n);
    if (st != KS_OK) {
        LOG_WARN("workshop vote refused: %s", ks_status_str(st));
        memset(w->dots, 0, sizeof w->dots);
        workshop_refresh(w);
        if (!w->have || w->cur.phase != WS_PHASE_VOTING)
            go_phase(w);
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
        workshop_refresh(w);
        if (strcmp(id, "ws:add") == 0 && w->have && w->cur.phase <= WS_PHASE_REALISATION) {
            reset_card(w);
            workshop_load_ideas(w);
            w->screen = KS_SCREEN_WS_CARD;
        } else {
            /* Any other tap shows the wall as it is now, on the same page. */
            int page = w->page;
            go_phase(w);
            w->page = page;
        }
        break;
    case KS_SCREEN_WS_CARD:
        card_tap(w, id);
        break;
    case KS_SCREEN_WS_SENT:
        if (strcmp(id, "ws:add") == 0) {
            workshop_refresh(w);
            reset_card(w);
            if (w->have && w->cur.phase <= WS_PHASE_REALISATION) {
                workshop_load_ideas(w);
                w->screen = KS_SCREEN_WS_CARD;
            } else
                go_phase(w);
        } else if (strcmp(id, "ws:wall") == 0) {
            go_phase(w);
        }
        break;
    case KS_SCREEN_WS_VOTE:
        vote_tap(w, id);
        break;
    case KS_SCREEN_WS_RESULTS:
        if (strncmp(id, "ws:rphase:", 10) == 0) {
            w->rphase = strcmp(id + 10, "all") == 0 ? -1 : workshop_phase_from_name(id + 10);
            go_phase(w);
        }
        break;
    default:
        break;
    }
}

void workshop_drag(Workshop *w, const KsEvent *ev)
{
    if (!w->active || w->screen != KS_SCREEN_WS_CARD || w->part != PART_DRAW ||
        strcmp(ev->target, "canvas") != 0)
        return;
    if (!w->drawing)
        w->drawing = drawing_create();
    float x = ev->x < 0 ? 0 : (ev->x > 1 ? 1 : ev->x);
    /* A finger that leaves the canvas lifts the pen (as on survey pages). */
    bool inside = ev->x >= 0 && ev->x <= 1 && ev->y >= 0 && ev->y <= 1;
    if (ev->phase == KS_DRAG_BEGIN || (inside && w->pen_out))
        drawing_begin(w->drawing, w->pen, x, ev->y);
    else if (inside)
        drawing_move(w->drawing, x, ev->y);
    w->pen_out = !inside;
    w->complain = false;
}

/* ---- staff ------------------------------------------------------------ */

void workshop_staff_enter(Workshop *w)
{
    workshop_refresh(w);
    w->staff_screen = KS_SCREEN_STAFF_WORKSHOP;
    w->merge_from = 0;
    w->staff_msg = -1;
    workshop_load_pending(w);
}

KsScreen workshop_staff_screen(const Workshop *w)
{
    return w->staff_screen;
}

bool workshop_staff_tabs(const Workshop *w)
{
    return w->staff_screen != KS_SCREEN_STAFF_WS_EDIT &&
           w->staff_screen != KS_SCREEN_STAFF_WS_RESULTS;
}

static KsStatus on_pending(void *ctx, const StoreWsCard *c)
{
    Workshop *w = ctx;
    if (w->n_pending++ == 0) {
        w->have_pending = true;
        w->pending = *c;
    }
    return KS_OK;
}

void workshop_load_pending(Workshop *w)
{
    w->have_pending = false;
    w->n_pending = 0;
    w->pending_thumb[0] = '\0';
    if (!w->have)
        return;
    KsStatus st = store_ws_cards(w->store, w->cur.id, -1, false, true, on_pending, w);
    if (st != KS_OK)
        LOG_ERROR("pending cards not read: %s", ks_status_str(st));
    if (w->have_pending)
        workshop_thumb(w, &w->pending, w->pending_thumb, sizeof w->pending_thumb);
}

static void start_workshop(Workshop *w)
{
    StoreWorkshop s;
    memset(&s, 0, sizeof s);
    str_copy(s.title, sizeof s.title, w->set_title[0] ? w->set_title : DEFAULT_TITLE);
    str_copy(s.question, sizeof s.question, w->set_question);
    for (int i = 0; i < WS_LANG_COUNT; i++) {
        if (!w->set_langs[i])
            continue;
        size_t n = strlen(s.langs);
        snprintf(s.langs + n, sizeof s.langs - n, "%s%s", n ? " " : "", ws_langs[i]);
    }
    if (!s.langs[0]) {
        w->staff_msg = UIT_STAFF_WS_NO_LANG;
        return;
    }
    s.dots = w->set_dots;
    s.approval = w->set_approval;
    s.phase = WS_PHASE_CRITIQUE;
    s.round = 1;
    s.open = true;
    int64_t id = 0;
    KsStatus st = store_ws_create(w->store, &s, clock_wall_ms(), &id);
    if (st != KS_OK) {
        LOG_ERROR("workshop not started: %s", ks_status_str(st));
        w->staff_msg = UIT_STAFF_WS_FAILED;
        return;
    }
    LOG_INFO("workshop %lld started: %s (%s)", (long long)id, s.title, s.langs);
    workshop_refresh(w);
}

static void merge_tap(Workshop *w, const char *id)
{
    if (strncmp(id, "merge:", 6) == 0) {
        int64_t c = strtoll(id + 6, NULL, 10);
        w->merge_from = w->merge_from == c ? 0 : c; /* a second tap takes it back */
        w->staff_msg = -1;
    } else if (strncmp(id, "merge-into:", 11) == 0 && w->merge_from) {
        int64_t into = strtoll(id + 11, NULL, 10);
        KsStatus st = store_ws_card_merge(w->store, w->merge_from, into);
        if (st != KS_OK) {
            LOG_ERROR("cards not merged: %s", ks_status_str(st));
            w->staff_msg = UIT_STAFF_WS_FAILED;
        } else {
            LOG_INFO("workshop card %lld merged into %lld", (long long)w->merge_from,
                     (long long)into);
            w->staff_msg = UIT_STAFF_WS_MERGED;
        }
        w->merge_from = 0;
    }
    workshop_load_cards(w, -1, false);
}

KsScreen workshop_staff_tap(Workshop *w, const char *id)
{
    workshop_refresh(w);
    KsScreen scr = w->staff_screen;
    if (scr == KS_SCREEN_STAFF_WS_EDIT) {
        char *buf = w->editing ? w->set_question : w->set_title;
        size_t size = w->editing ? sizeof w->set_question : sizeof w->set_title;
        if (strncmp(id, "key:", 4) == 0)
            card_key(w, id + 4, buf, size, (int)size / 2 - 1);
        else if (strcmp(id, "ws:edit:ok") == 0)
            w->staff_screen = KS_SCREEN_STAFF_WORKSHOP;
        return w->staff_screen;
    }
    if (strcmp(id, "ws:back") == 0) {
        workshop_staff_enter(w);
        return w->staff_screen;
    }
    if (scr == KS_SCREEN_STAFF_WS_RESULTS) {
        if (strncmp(id, "ws:rphase:", 10) == 0) {
            w->rphase = strcmp(id + 10, "all") == 0 ? -1 : workshop_phase_from_name(id + 10);
            workshop_load_cards(w, w->rphase, true);
        }
        return w->staff_screen;
    }
    if (scr == KS_SCREEN_STAFF_WS_MODERATE) {
        if (w->have_pending && (strcmp(id, "ws:approve") == 0 || strcmp(id, "ws:reject") == 0)) {
            bool ok = strcmp(id, "ws:approve") == 0;
            KsStatus st = store_ws_card_set_status(w->store, w->pending.id,
                                                   ok ? WS_CARD_APPROVED : WS_CARD_REJECTED);
            if (st != KS_OK)
                LOG_ERROR("card decision not stored: %s", ks_status_str(st));
            else
                LOG_INFO("workshop card %lld %s", (long long)w->pending.id,
                         ok ? "approved" : "rejected");
            workshop_load_pending(w);
        }
        return w->staff_screen;
    }
    if (scr == KS_SCREEN_STAFF_WS_MERGE) {
        merge_tap(w, id);
        return w->staff_screen;
    }
    /* The workshop page: the settings before a start, the controls after. */
    w->staff_msg = -1;
    if (!w->have) {
        if (strcmp(id, "ws:set:title") == 0 || strcmp(id, "ws:set:question") == 0) {
            w->editing = strcmp(id, "ws:set:question") == 0;
            keys_start(&w->keys, "de");
            w->staff_screen = KS_SCREEN_STAFF_WS_EDIT;
        } else if (strncmp(id, "ws:lang:", 8) == 0) {
            for (int i = 0; i < WS_LANG_COUNT; i++)
                if (strcmp(id + 8, ws_langs[i]) == 0)
                    w->set_langs[i] = !w->set_langs[i];
        } else if (strcmp(id, "ws:dots:+") == 0 && w->set_dots < 10) {
            w->set_dots++;
        } else if (strcmp(id, "ws:dots:-") == 0 && w->set_dots > 1) {
            w->set_dots--;
        } else if (strcmp(id, "ws:approval") == 0) {
            w->set_approval = !w->set_approval;
        } else if (strcmp(id, "ws:start") == 0) {
            start_workshop(w);
        }
        return w->staff_screen;
    }
    if (strncmp(id, "ws:phase:", 9) == 0) {
        int p = workshop_phase_from_name(id + 9);
        if (p >= 0) {
            KsStatus st = store_ws_set_phase(w->store, w->cur.id, (WsPhase)p);
            if (st != KS_OK) {
                LOG_ERROR("phase not switched: %s", ks_status_str(st));
                w->staff_msg = UIT_STAFF_WS_FAILED;
            } else {
                LOG_INFO("workshop phase: %s", id + 9);
            }
            workshop_refresh(w);
        }
    } else if (strcmp(id, "ws:moderate") == 0) {
        workshop_load_pending(w);
        w->staff_screen = KS_SCREEN_STAFF_WS_MODERATE;
    } else if (strcmp(id, "ws:merge") == 0) {
        w->merge_from = 0;
        workshop_load_cards(w, -1, false);
        w->staff_screen = KS_SCREEN_STAFF_WS_MERGE;
    } else if (strcmp(id, "ws:results") == 0) {
        w->rphase = -1;
        workshop_load_cards(w, -1, true);
        w->staff_screen = KS_SCREEN_STAFF_WS_RESULTS;
    } else if (strcmp(id, "ws:close") == 0) {
        KsStatus st = store_ws_close(w->store, w->cur.id);
        if (st != KS_OK) {
            LOG_ERROR("workshop not closed: %s", ks_status_str(st));
            w->staff_msg = UIT_STAFF_WS_FAILED;
        } else {
            LOG_INFO("workshop %lld closed", (long long)w->cur.id);
            setup_defaults(w);
        }
        workshop_refresh(w);
    }
    return w->staff_screen;
}
