/* store_workshop_cards: the cards of the Zukunftswerkstatt (schema steps
 * 6 and 9) — adding one (with its drawing, its idea or the critique it
 * answers, a plan's who and when), staff decisions, merges, and reading
 * them with their dot totals. Every change is one BEGIN IMMEDIATE … COMMIT
 * transaction with its checks inside. No names, no time finer than the day. */
#include <stdio.h>
#include <string.h>

#include "../core/clock.h"
#include "../core/log.h"
#include "../core/str.h"
#include "store_workshop_private.h"

#define WS_PNG_MAX (4 * 1024 * 1024)

#define SQL_CARD_INSERT                                                                            \
    "INSERT INTO ws_card(workshop_id, phase, lang, age_band, topic, text, status, day,"            \
    " about_card, who, by_when)"                                                                   \
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, nullif(?9, 0), ?10, ?11)"
#define SQL_DRAWING_INSERT "INSERT INTO ws_drawing(card_id, png) VALUES(?1, ?2)"
#define SQL_DRAWING_GET "SELECT png FROM ws_drawing WHERE card_id = ?1"
#define SQL_CARD_GET "SELECT workshop_id, status, merged_into, phase FROM ws_card WHERE id = ?1"
#define SQL_CARD_SET_STATUS "UPDATE ws_card SET status = ?2 WHERE id = ?1"
#define SQL_CARD_MERGE "UPDATE ws_card SET merged_into = ?2 WHERE id = ?1 AND merged_into IS NULL"
/* Votes climb their card's merge chain (merges never form a cycle: a
 * merged card can never become a target), so each card's total is the
 * dots given to it and to every card merged into it, however deep. */
#define SQL_CARDS                                                                                  \
    "WITH RECURSIVE up(card, n) AS ("                                                              \
    " SELECT card_id, count FROM ws_vote WHERE workshop_id = ?1"                                   \
    " UNION ALL SELECT c.merged_into, up.n FROM up JOIN ws_card c ON c.id = up.card"               \
    " WHERE c.merged_into IS NOT NULL),"                                                           \
    " tot(card, n) AS (SELECT card, sum(n) FROM up GROUP BY card)"                                 \
    " SELECT c.id, c.workshop_id, c.phase, c.lang, c.age_band, c.topic, c.text,"                   \
    " EXISTS(SELECT 1 FROM ws_drawing d WHERE d.card_id = c.id), c.status,"                        \
    " coalesce(c.merged_into, 0), coalesce(tot.n, 0), coalesce(c.about_card, 0),"                  \
    " c.who, c.by_when"                                                                            \
    " FROM ws_card c LEFT JOIN tot ON tot.card = c.id"                                             \
    " WHERE c.workshop_id = ?1 AND (?2 IS NULL OR c.phase = ?2)"                                   \
    " AND (?3 = 0 OR (c.status = 'approved' AND c.merged_into IS NULL))"                           \
    " AND (?4 = 0 OR c.status = 'pending') ORDER BY c.id"

static const char *const g_status_names[] = {"pending", "approved", "rejected"};

static WsCardStatus status_of(const char *name)
{
    for (int i = 0; name && i < 3; i++)
        if (strcmp(name, g_status_names[i]) == 0)
            return (WsCardStatus)i;
    (void)KS_NEVER(true);
    return WS_CARD_PENDING;
}

static bool text_ok(const char *v)
{
    return v && *v;
}

/* ---- reading one card ------------------------------------------------ */

typedef struct {
    int64_t workshop_id;
    WsCardStatus status;
    int64_t merged_into;
    WsPhase phase;
} CardRow;

static KsStatus card_row(void *ctx, sqlite3_stmt *row)
{
    CardRow *out = ctx;
    out->workshop_id = sqlite3_column_int64(row, 0);
    out->status = status_of(store_ws_col_text(row, 1));
    out->merged_into = sqlite3_column_int64(row, 2);
    out->phase = store_ws_phase_of(store_ws_col_text(row, 3));
    return KS_OK;
}

/* KS_ERR_NOT_FOUND when the card does not exist. */
static KsStatus card_load(Store *s, int64_t id, CardRow *out)
{
    memset(out, 0, sizeof *out);
    KsStatus ks = store_query_row(s, SQL_CARD_GET, "read card", card_row, out, "I", id);
    if (ks == KS_ERR_NOT_FOUND)
        LOG_WARN("card %lld does not exist", (long long)id);
    return ks;
}

static bool png_ok(const uint8_t *png, size_t size)
{
    static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    return png && size > sizeof sig && memcmp(png, sig, sizeof sig) == 0;
}

static KsStatus card_insert(Store *s, const StoreWsCard *c, WsCardStatus status, const char *day,
                            int64_t about, int64_t *out_id)
{
    KsStatus ks = store_run(s, SQL_CARD_INSERT, "insert card", "ItttttttItt", c->workshop_id,
                            store_ws_phase_name(c->phase), c->lang, c->age_band, c->topic, c->text,
                            g_status_names[status], day, about, c->who, c->by_when);
    if (ks == KS_OK)
        *out_id = (int64_t)sqlite3_last_insert_rowid(s->db);
    return ks;
}

/* Inside a transaction: the card another card refers to (a realisation
 * card's idea, a fantasy card's critique), followed up its merge chain
 * (bounded: chains are acyclic and short) to the card it counts as, which
 * must be an approved card of `phase` in the workshop. KS_ERR_INVALID
 * otherwise. */
static KsStatus about_resolve(Store *s, int64_t workshop_id, WsPhase phase, int64_t about,
                              int64_t *out)
{
    CardRow c;
    *out = 0;
    KsStatus ks = card_load(s, about, &c);
    for (int steps = 0; ks == KS_OK && c.merged_into && steps < 64; steps++) {
        about = c.merged_into;
        ks = card_load(s, about, &c);
    }
    if (ks == KS_ERR_NOT_FOUND ||
        (ks == KS_OK && (c.merged_into || c.workshop_id != workshop_id || c.phase != phase ||
                         c.status != WS_CARD_APPROVED))) {
        LOG_WARN("card %lld is not an approved %s card of workshop %lld", (long long)about,
                 store_ws_phase_name(phase), (long long)workshop_id);
        return KS_ERR_INVALID;
    }
    if (ks == KS_OK)
        *out = about;
    return ks;
}

/* A plan's helpers: known codes, each once, single spaces between. */
static bool who_ok(const char *who)
{
    bool seen[WS_WHO_COUNT] = {false};
    char code[32];
    for (const char *p = who; *p;) {
        size_t n = strcspn(p, " ");
        if (n == 0 || n >= sizeof code)
            return false;
        memcpy(code, p, n);
        code[n] = '\0';
        int i = store_ws_who_index(code);
        if (i < 0 || seen[i])
            return false;
        seen[i] = true;
        p += n;
        if (*p == ' ' && !*++p)
            return false; /* a trailing space */
    }
    return true;
}

/* The checks that need no database: complete, terminated, within limits,
 * about and plan fields only where the phase has them, not empty. */
static KsStatus card_check(const StoreWsCard *c, const uint8_t *png, size_t png_size)
{
    /* cards are written in the three working phases only */
    if (!c || (int)c->phase < 0 || c->phase > WS_PHASE_REALISATION || !text_ok(c->lang) ||
        memchr(c->lang, '\0', sizeof c->lang) == NULL ||
        memchr(c->age_band, '\0', sizeof c->age_band) == NULL ||
        memchr(c->topic, '\0', sizeof c->topic) == NULL ||
        memchr(c->text, '\0', sizeof c->text) == NULL ||
        memchr(c->who, '\0', sizeof c->who) == NULL ||
        memchr(c->by_when, '\0', sizeof c->by_when) == NULL) {
        LOG_ERROR("card incomplete or not terminated");
        return KS_ERR_INVALID;
    }
    if (png && png_size > WS_PNG_MAX) {
        LOG_WARN("card drawing of %zu bytes is over the limit", png_size);
        return KS_ERR_LIMIT;
    }
    if (png && !png_ok(png, png_size)) {
        LOG_ERROR("card drawing is not a PNG");
        return KS_ERR_INVALID;
    }
    if (c->about_card < 0 || (c->about_card && c->phase == WS_PHASE_CRITIQUE)) {
        LOG_ERROR("a critique card is about no other card");
        return KS_ERR_INVALID;
    }
    bool plan = c->who[0] || c->by_when[0];
    if (plan && (c->phase != WS_PHASE_REALISATION || !who_ok(c->who) ||
                 (c->by_when[0] && store_ws_when_index(c->by_when) < 0))) {
        LOG_ERROR("who (%s) or when (%s) not known, or not on a plan card", c->who, c->by_when);
        return KS_ERR_INVALID;
    }
    if (!c->text[0] && !c->topic[0] && !png && !plan) {
        LOG_ERROR("card without text, topic, drawing, who or when");
        return KS_ERR_INVALID;
    }
    return KS_OK;
}

KsStatus store_ws_card_add(Store *s, const StoreWsCard *c, const uint8_t *png, size_t png_size,
                           int64_t *out_id)
{
    *out_id = 0;
    KsStatus ks = card_check(c, png, png_size);
    if (ks != KS_OK)
        return ks;
    char day[32];
    clock_format_iso(clock_wall_ms(), day);
    day[10] = '\0';
    WsRow r;
    ks = store_ws_begin(s, c->workshop_id, true, &r);
    if (ks != KS_OK)
        return ks;
    int64_t id = 0;
    int64_t about = 0;
    /* a plan is about an idea, an idea may answer a critique */
    if (ks == KS_OK && c->about_card)
        ks = about_resolve(s, c->workshop_id, (WsPhase)(c->phase - 1), c->about_card, &about);
    if (ks == KS_OK)
        ks = card_insert(s, c, r.w.approval ? WS_CARD_PENDING : WS_CARD_APPROVED, day, about, &id);
    if (ks == KS_OK && png)
        ks = store_run(s, SQL_DRAWING_INSERT, "store card drawing", "Ib", id, png, png_size);
    ks = store_tx_end(s, ks);
    if (ks == KS_OK)
        *out_id = id;
    return ks;
}

KsStatus store_ws_card_set_status(Store *s, int64_t card_id, WsCardStatus status)
{
    if ((int)status < WS_CARD_PENDING || status > WS_CARD_REJECTED)
        return KS_ERR_INVALID;
    KsStatus ks = store_tx_begin(s);
    if (ks != KS_OK)
        return ks;
    CardRow c;
    WsRow r;
    ks = card_load(s, card_id, &c);
    if (ks == KS_OK)
        ks = store_ws_require_live(s, c.workshop_id, false, &r);
    if (ks == KS_OK)
        ks = store_run(s, SQL_CARD_SET_STATUS, "set card status", "It", card_id,
                       g_status_names[status]);
    return store_tx_end(s, ks);
}

KsStatus store_ws_card_merge(Store *s, int64_t from, int64_t into)
{
    if (from == into) {
        LOG_WARN("card %lld cannot be merged into itself", (long long)from);
        return KS_ERR_INVALID;
    }
    KsStatus ks = store_tx_begin(s);
    if (ks != KS_OK)
        return ks;
    CardRow a, b;
    WsRow r;
    ks = card_load(s, from, &a);
    if (ks == KS_OK)
        ks = card_load(s, into, &b);
    if (ks == KS_OK && a.workshop_id != b.workshop_id) {
        LOG_WARN("cards %lld and %lld belong to different workshops", (long long)from,
                 (long long)into);
        ks = KS_ERR_INVALID;
    }
    /* only a wall card can take duplicates, and a merged card is gone from
     * the wall: this also keeps merge chains free of cycles */
    if (ks == KS_OK && (a.merged_into || b.merged_into)) {
        LOG_WARN("card %lld or %lld is merged already", (long long)from, (long long)into);
        ks = KS_ERR_STATE;
    }
    if (ks == KS_OK && (b.status != WS_CARD_APPROVED || a.status == WS_CARD_REJECTED)) {
        LOG_WARN("merge needs an approved target and a card not rejected");
        ks = KS_ERR_STATE;
    }
    if (ks == KS_OK)
        ks = store_ws_require_live(s, a.workshop_id, false, &r);
    if (ks == KS_OK)
        ks = store_run(s, SQL_CARD_MERGE, "merge card", "II", from, into);
    if (ks == KS_OK && KS_NEVER(store_changes(s) != 1))
        ks = KS_ERR_STATE;
    return store_tx_end(s, ks);
}

KsStatus store_ws_card_drawing(Store *s, int64_t card_id, uint8_t **png, size_t *size)
{
    StoreBlob blob = {NULL, 0};
    KsStatus ks = store_query_row(s, SQL_DRAWING_GET, "read card drawing", store_row_blob, &blob,
                                  "I", card_id);
    *png = blob.data;
    *size = blob.size;
    return ks;
}

typedef struct {
    StoreWsCardFn fn;
    void *ctx;
    StoreWsCard c;
} CardsRun;

static KsStatus cards_row(void *ctx, sqlite3_stmt *row)
{
    CardsRun *run = ctx;
    StoreWsCard *c = &run->c;
    memset(c, 0, sizeof *c);
    c->id = sqlite3_column_int64(row, 0);
    c->workshop_id = sqlite3_column_int64(row, 1);
    c->phase = store_ws_phase_of(store_ws_col_text(row, 2));
    str_copy(c->lang, sizeof c->lang, store_ws_col_text(row, 3));
    str_copy(c->age_band, sizeof c->age_band, store_ws_col_text(row, 4));
    str_copy(c->topic, sizeof c->topic, store_ws_col_text(row, 5));
    str_copy(c->text, sizeof c->text, store_ws_col_text(row, 6));
    c->has_drawing = sqlite3_column_int(row, 7) != 0;
    c->status = status_of(store_ws_col_text(row, 8));
    c->merged_into = sqlite3_column_int64(row, 9);
    c->votes = sqlite3_column_int(row, 10);
    c->about_card = sqlite3_column_int64(row, 11);
    str_copy(c->who, sizeof c->who, store_ws_col_text(row, 12));
    str_copy(c->by_when, sizeof c->by_when, store_ws_col_text(row, 13));
    return run->fn(run->ctx, c);
}

KsStatus store_ws_cards(Store *s, int64_t workshop_id, int phase, bool wall_only, bool pending_only,
                        StoreWsCardFn fn, void *ctx)
{
    if (phase >= WS_PHASE_COUNT || !fn)
        return KS_ERR_INVALID;
    CardsRun run = {.fn = fn, .ctx = ctx};
    return store_query(s, SQL_CARDS, "read cards", cards_row, &run, "Itii", workshop_id,
                       phase < 0 ? NULL : store_ws_phase_name((WsPhase)phase), wall_only ? 1 : 0,
                       pending_only ? 1 : 0);
}
