/* store_workshop: the Zukunftswerkstatt tables (schema steps 6 and 9) —
 * workshops, their phases, voting rounds (each about one phase's cards) and
 * the dots; the cards are in store_workshop_cards.c. Every call that changes
 * something is one BEGIN IMMEDIATE … COMMIT transaction with its checks
 * inside, rolled back whole on any failure. Stores no names and no time
 * finer than the day; a vote never refers to a card's author. */
#include "store_workshop.h"

#include <stdio.h>
#include <string.h>

#include "../core/clock.h"
#include "../core/log.h"
#include "../core/str.h"
#include "store_workshop_private.h"

#define WS_DOTS_MAX 99
#define WS_TOKEN_MAX 64
#define WS_VOTE_CARDS_MAX 64

#define SQL_WS_COLS                                                                                \
    "SELECT id, title, question, langs, dots, approval, phase, round, day, open,"                  \
    " batch_id, voting_seen, vote_phase FROM workshop"
#define SQL_WS_GET SQL_WS_COLS " WHERE id = ?1"
#define SQL_WS_CURRENT SQL_WS_COLS " WHERE open = 1"
#define SQL_WS_EXPORT_NEW                                                                          \
    SQL_WS_COLS " WHERE batch_id IS NULL AND (open = 0 OR phase = 'results')"                      \
                " AND EXISTS(SELECT 1 FROM ws_card c WHERE c.workshop_id = workshop.id"            \
                " AND c.status = 'approved') ORDER BY id"
#define SQL_WS_EXPORT_REDO SQL_WS_COLS " WHERE batch_id = ?1 ORDER BY id"
#define SQL_WS_CLOSE_OPEN "UPDATE workshop SET open = 0 WHERE open = 1"
#define SQL_WS_INSERT                                                                              \
    "INSERT INTO workshop(title, question, langs, dots, approval, phase, round, day, open)"        \
    " VALUES(?1, ?2, ?3, ?4, ?5, 'critique', 1, ?6, 1)"
#define SQL_WS_SET_PHASE                                                                           \
    "UPDATE workshop SET phase = ?2, round = ?3, voting_seen = ?4 WHERE id = ?1"
#define SQL_WS_SET_VOTE_PHASE "UPDATE workshop SET vote_phase = ?2, round = ?3 WHERE id = ?1"
#define SQL_WS_CLOSE "UPDATE workshop SET open = 0 WHERE id = ?1"
#define SQL_ROUND_GET "SELECT phase FROM ws_round WHERE workshop_id = ?1 AND round = ?2"
#define SQL_ROUND_INSERT                                                                           \
    "INSERT OR IGNORE INTO ws_round(workshop_id, round, phase) VALUES(?1, ?2, ?3)"
#define SQL_ROUNDS "SELECT round, phase FROM ws_round WHERE workshop_id = ?1 ORDER BY round"
#define SQL_CARD_ON_WALL                                                                           \
    "SELECT phase FROM ws_card WHERE id = ?1 AND workshop_id = ?2 AND status = 'approved'"         \
    " AND merged_into IS NULL"
#define SQL_VOTES_USED                                                                             \
    "SELECT coalesce(sum(count), 0) FROM ws_vote WHERE workshop_id = ?1 AND token = ?2"            \
    " AND round = ?3"
#define SQL_VOTE_INSERT                                                                            \
    "INSERT INTO ws_vote(workshop_id, token, card_id, round, count) VALUES(?1, ?2, ?3, ?4, ?5)"
#define SQL_FLAG                                                                                   \
    "INSERT INTO ws_flag(workshop_id, token, reason) VALUES(?1, ?2, ?3)"                           \
    " ON CONFLICT(workshop_id, token) DO UPDATE SET reason = CASE"                                 \
    " WHEN instr(',' || reason || ',', ',' || excluded.reason || ',') > 0 THEN reason"             \
    " ELSE reason || ',' || excluded.reason END"
#define SQL_VOTE_ROUNDS                                                                            \
    "WITH RECURSIVE up(card, round, n, flagged) AS ("                                              \
    " SELECT v.card_id, v.round, v.count, EXISTS(SELECT 1 FROM ws_flag f"                          \
    " WHERE f.workshop_id = v.workshop_id AND f.token = v.token)"                                  \
    " FROM ws_vote v WHERE v.workshop_id = ?1"                                                     \
    " UNION ALL SELECT c.merged_into, up.round, up.n, up.flagged FROM up"                          \
    " JOIN ws_card c ON c.id = up.card WHERE c.merged_into IS NOT NULL)"                           \
    " SELECT up.card, up.round, sum(CASE WHEN up.flagged THEN 0 ELSE up.n END),"                   \
    " sum(CASE WHEN up.flagged THEN up.n ELSE 0 END)"                                              \
    " FROM up JOIN ws_card c ON c.id = up.card WHERE c.merged_into IS NULL"                        \
    " GROUP BY up.card, up.round ORDER BY up.card, up.round"

static const char *const g_phase_names[WS_PHASE_COUNT] = {"critique", "fantasy", "realisation",
                                                          "voting", "results"};
const char *const store_ws_who_codes[WS_WHO_COUNT] = {
    "us", "parents", "school", "kita", "youthclub", "club", "library", "city", "companies"};
const char *const store_ws_when_codes[WS_WHEN_COUNT] = {"week", "month", "schoolyear", "later"};

static int code_index(const char *const *codes, int n, const char *code)
{
    for (int i = 0; code && i < n; i++)
        if (strcmp(code, codes[i]) == 0)
            return i;
    return -1;
}

int store_ws_who_index(const char *code)
{
    return code_index(store_ws_who_codes, WS_WHO_COUNT, code);
}

int store_ws_when_index(const char *code)
{
    return code_index(store_ws_when_codes, WS_WHEN_COUNT, code);
}

const char *store_ws_phase_name(WsPhase p)
{
    if (KS_NEVER((int)p < 0 || p >= WS_PHASE_COUNT))
        return "critique";
    return g_phase_names[p];
}

WsPhase store_ws_phase_of(const char *name)
{
    for (int i = 0; name && i < WS_PHASE_COUNT; i++)
        if (strcmp(name, g_phase_names[i]) == 0)
            return (WsPhase)i;
    (void)KS_NEVER(true);
    return WS_PHASE_CRITIQUE;
}

const char *store_ws_col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

static bool text_ok(const char *v)
{
    return v && *v;
}

/* ---- workshops ------------------------------------------------------- */

static KsStatus ws_from_row(void *ctx, sqlite3_stmt *st)
{
    WsRow *r = ctx;
    memset(r, 0, sizeof *r);
    r->w.id = sqlite3_column_int64(st, 0);
    str_copy(r->w.title, sizeof r->w.title, store_ws_col_text(st, 1));
    str_copy(r->w.question, sizeof r->w.question, store_ws_col_text(st, 2));
    str_copy(r->w.langs, sizeof r->w.langs, store_ws_col_text(st, 3));
    r->w.dots = sqlite3_column_int(st, 4);
    r->w.approval = sqlite3_column_int(st, 5) != 0;
    r->w.phase = store_ws_phase_of(store_ws_col_text(st, 6));
    r->w.round = sqlite3_column_int(st, 7);
    str_copy(r->w.day, sizeof r->w.day, store_ws_col_text(st, 8));
    r->w.open = sqlite3_column_int(st, 9) != 0;
    r->exported = sqlite3_column_type(st, 10) != SQLITE_NULL;
    r->voting_seen = sqlite3_column_int(st, 11) != 0;
    r->w.vote_phase = store_ws_phase_of(store_ws_col_text(st, 12));
    return KS_OK;
}

KsStatus store_ws_load(Store *s, int64_t id, WsRow *out)
{
    memset(out, 0, sizeof *out);
    /* the query for the open workshop has no ?1 */
    return store_query_row(s, id ? SQL_WS_GET : SQL_WS_CURRENT, "read workshop", ws_from_row, out,
                           id ? "I" : "", id);
}

KsStatus store_ws_require_live(Store *s, int64_t id, bool need_open, WsRow *out)
{
    KsStatus ks = store_ws_load(s, id, out);
    if (ks == KS_ERR_NOT_FOUND)
        LOG_WARN("workshop %lld does not exist", (long long)id);
    if (ks != KS_OK)
        return ks;
    if (out->exported) {
        LOG_WARN("workshop %lld is exported and cannot change", (long long)id);
        return KS_ERR_STATE;
    }
    if (need_open && !out->w.open) {
        LOG_WARN("workshop %lld is closed", (long long)id);
        return KS_ERR_STATE;
    }
    return KS_OK;
}

KsStatus store_ws_begin(Store *s, int64_t id, bool need_open, WsRow *out)
{
    KsStatus ks = store_tx_begin(s);
    if (ks != KS_OK)
        return ks;
    ks = store_ws_require_live(s, id, need_open, out);
    if (ks != KS_OK)
        store_tx_rollback(s);
    return ks;
}

KsStatus store_ws_create(Store *s, const StoreWorkshop *w, int64_t at_ms, int64_t *out_id)
{
    *out_id = 0;
    if (!w || !text_ok(w->title) || !text_ok(w->langs) || w->dots < 1 || w->dots > WS_DOTS_MAX) {
        LOG_ERROR("workshop settings incomplete or out of range");
        return KS_ERR_INVALID;
    }
    char iso[32];
    clock_format_iso(at_ms, iso);
    iso[10] = '\0'; /* the day only */
    KsStatus ks = store_tx_begin(s);
    if (ks != KS_OK)
        return ks;
    ks = store_run(s, SQL_WS_CLOSE_OPEN, "close open workshop", "");
    if (ks == KS_OK)
        ks = store_run(s, SQL_WS_INSERT, "insert workshop", "tttiit", w->title, w->question,
                       w->langs, w->dots, w->approval ? 1 : 0, iso);
    int64_t id = ks == KS_OK ? (int64_t)sqlite3_last_insert_rowid(s->db) : 0;
    ks = store_tx_end(s, ks);
    if (ks != KS_OK)
        return ks;
    *out_id = id;
    LOG_INFO("workshop %lld started", (long long)id);
    return KS_OK;
}

KsStatus store_ws_current(Store *s, StoreWorkshop *out)
{
    WsRow r;
    KsStatus ks = store_ws_load(s, 0, &r);
    *out = r.w;
    return ks;
}

KsStatus store_ws_get(Store *s, int64_t id, StoreWorkshop *out)
{
    WsRow r;
    if (id <= 0) {
        memset(out, 0, sizeof *out);
        return KS_ERR_NOT_FOUND;
    }
    KsStatus ks = store_ws_load(s, id, &r);
    *out = r.w;
    return ks;
}

KsStatus store_ws_set_phase(Store *s, int64_t id, WsPhase phase)
{
    if ((int)phase < 0 || phase >= WS_PHASE_COUNT || id <= 0)
        return KS_ERR_INVALID;
    WsRow r;
    KsStatus ks = store_ws_begin(s, id, true, &r);
    if (ks != KS_OK)
        return ks;
    if (r.w.phase != phase) {
        int round = r.w.round;
        bool seen = r.voting_seen;
        if (phase == WS_PHASE_VOTING) {
            /* the first voting keeps round 1; each return to voting gives
             * everybody fresh dots */
            if (seen)
                round++;
            seen = true;
        }
        ks = store_run(s, SQL_WS_SET_PHASE, "set workshop phase", "Itii", id,
                       store_ws_phase_name(phase), round, seen ? 1 : 0);
    }
    return store_tx_end(s, ks);
}

/* ---- voting rounds --------------------------------------------------- */

/* A phase column; -1 for NULL (a round about every phase). */
static int phase_col(sqlite3_stmt *row, int col)
{
    if (sqlite3_column_type(row, col) == SQLITE_NULL)
        return -1;
    return (int)store_ws_phase_of(store_ws_col_text(row, col));
}

/* Reads the phase in column 0 (-1 for NULL) into the int ctx. */
static KsStatus phase_row(void *ctx, sqlite3_stmt *row)
{
    *(int *)ctx = phase_col(row, 0);
    return KS_OK;
}

/* Inside the caller's transaction, if any: whether a round has dots (its
 * row), and the phase it is about (-1: every phase, from before schema 9). */
static KsStatus round_get(Store *s, int64_t workshop_id, int round, bool *has, int *phase)
{
    *phase = -1;
    KsStatus ks = store_query_row(s, SQL_ROUND_GET, "read voting round", phase_row, phase, "Ii",
                                  workshop_id, round);
    *has = ks == KS_OK;
    return ks == KS_ERR_NOT_FOUND ? KS_OK : ks;
}

KsStatus store_ws_set_vote_phase(Store *s, int64_t id, WsPhase phase)
{
    if (id <= 0 || (int)phase < 0 || phase > WS_PHASE_REALISATION)
        return KS_ERR_INVALID;
    WsRow r;
    KsStatus ks = store_ws_begin(s, id, true, &r);
    if (ks != KS_OK)
        return ks;
    if (r.w.vote_phase != phase) {
        bool has = false;
        int was = -1;
        if (r.w.phase == WS_PHASE_VOTING)
            ks = round_get(s, id, r.w.round, &has, &was);
        /* a round with dots stays about its phase: the new phase gets a
         * new round, and everybody fresh dots for it */
        int round = r.w.round + (has ? 1 : 0);
        if (ks == KS_OK)
            ks = store_run(s, SQL_WS_SET_VOTE_PHASE, "set the phase voting is about", "Iti", id,
                           store_ws_phase_name(phase), round);
    }
    return store_tx_end(s, ks);
}

/* Whom the rows of a workshop query go to: the caller's callback of the
 * query's kind, and the caller's context. */
typedef struct {
    StoreWsRoundFn round_fn;
    StoreWsFn ws_fn;
    StoreWsDotsFn dots_fn;
    void *ctx;
    WsRow r; /* the workshop export_row reads */
} WsRun;

static KsStatus rounds_row(void *ctx, sqlite3_stmt *row)
{
    WsRun *run = ctx;
    return run->round_fn(run->ctx, sqlite3_column_int(row, 0), phase_col(row, 1));
}

KsStatus store_ws_rounds(Store *s, int64_t workshop_id, StoreWsRoundFn fn, void *ctx)
{
    if (!fn)
        return KS_ERR_INVALID;
    WsRun run = {.round_fn = fn, .ctx = ctx};
    return store_query(s, SQL_ROUNDS, "read voting rounds", rounds_row, &run, "I", workshop_id);
}

KsStatus store_ws_close(Store *s, int64_t id)
{
    return store_change_one(s, SQL_WS_CLOSE, "close workshop", "I", id);
}

/* ---- votes ----------------------------------------------------------- */

static bool token_ok(const char *token)
{
    return text_ok(token) && strlen(token) <= WS_TOKEN_MAX;
}

/* Dots a token gave in a round, inside the caller's transaction if any. */
static KsStatus votes_used(Store *s, int64_t workshop_id, const char *token, int round, int *used)
{
    int64_t v[1] = {0};
    KsStatus ks = store_query_row(s, SQL_VOTES_USED, "count dots used", store_row_ints, v, "Iti",
                                  workshop_id, token, round);
    *used = (int)v[0];
    return ks;
}

/* The card is on the wall and of `phase` (-1: of any phase). */
static KsStatus card_on_wall(Store *s, int64_t workshop_id, int64_t card_id, int phase)
{
    int card_phase = -1;
    KsStatus ks = store_query_row(s, SQL_CARD_ON_WALL, "check card on the wall", phase_row,
                                  &card_phase, "II", card_id, workshop_id);
    if (ks == KS_ERR_NOT_FOUND) {
        LOG_WARN("card %lld is not on the wall of workshop %lld", (long long)card_id,
                 (long long)workshop_id);
        ks = KS_ERR_INVALID;
    } else if (ks == KS_OK && phase >= 0 && card_phase != phase) {
        LOG_WARN("card %lld is not a %s card: this round is not about it", (long long)card_id,
                 store_ws_phase_name((WsPhase)phase));
        ks = KS_ERR_INVALID;
    }
    return ks;
}

/* Inside the vote's transaction, with the workshop r as read in it: it is
 * in a voting round and the cards are on the wall and of the round's
 * phase. *has tells whether the round has dots already. */
static KsStatus vote_check(Store *s, int64_t workshop_id, const WsRow *r, const int64_t *cards,
                           int n, bool *has)
{
    if (r->w.phase != WS_PHASE_VOTING) {
        LOG_WARN("workshop %lld is in phase %s, not voting", (long long)workshop_id,
                 store_ws_phase_name(r->w.phase));
        return KS_ERR_STATE;
    }
    /* the round's phase: as recorded with its first dots, else as chosen */
    int phase = -1;
    KsStatus ks = round_get(s, workshop_id, r->w.round, has, &phase);
    if (ks == KS_OK && !*has)
        phase = (int)r->w.vote_phase;
    for (int i = 0; ks == KS_OK && i < n; i++)
        ks = card_on_wall(s, workshop_id, cards[i], phase);
    return ks;
}

KsStatus store_ws_vote(Store *s, int64_t workshop_id, const char *token, const int64_t *cards,
                       const int *counts, int n)
{
    if (!token_ok(token) || !cards || !counts || n < 1 || n > WS_VOTE_CARDS_MAX) {
        LOG_ERROR("vote without token or cards");
        return KS_ERR_INVALID;
    }
    int total = 0;
    for (int i = 0; i < n; i++) {
        if (counts[i] < 1 || counts[i] > WS_DOTS_MAX) {
            LOG_ERROR("vote with %d dots on one card", counts[i]);
            return KS_ERR_INVALID;
        }
        total += counts[i];
    }
    WsRow r;
    KsStatus ks = store_ws_begin(s, workshop_id, true, &r);
    if (ks != KS_OK)
        return ks;
    bool has = false;
    int used = 0;
    ks = vote_check(s, workshop_id, &r, cards, n, &has);
    if (ks == KS_OK)
        ks = votes_used(s, workshop_id, token, r.w.round, &used);
    if (ks == KS_OK && used + total > r.w.dots) {
        LOG_WARN("vote of %d dots refused: %d of %d used in round %d", total, used, r.w.dots,
                 r.w.round);
        ks = KS_ERR_LIMIT;
    }
    for (int i = 0; ks == KS_OK && i < n; i++)
        ks = store_run(s, SQL_VOTE_INSERT, "store vote", "ItIii", workshop_id, token, cards[i],
                       r.w.round, counts[i]);
    if (ks == KS_OK && !has)
        ks = store_run(s, SQL_ROUND_INSERT, "record voting round", "Iit", workshop_id, r.w.round,
                       store_ws_phase_name(r.w.vote_phase));
    return store_tx_end(s, ks);
}

KsStatus store_ws_votes_used(Store *s, int64_t workshop_id, const char *token, int *used)
{
    *used = 0;
    if (!token_ok(token))
        return KS_ERR_INVALID;
    WsRow r;
    KsStatus ks = store_ws_load(s, workshop_id, &r);
    if (ks == KS_OK)
        ks = votes_used(s, workshop_id, token, r.w.round, used);
    return ks;
}

KsStatus store_ws_flag_token(Store *s, int64_t workshop_id, const char *token, const char *reason)
{
    if (!token_ok(token) || !text_ok(reason) || strchr(reason, ','))
        return KS_ERR_INVALID;
    KsStatus ks = store_tx_begin(s);
    if (ks != KS_OK)
        return ks;
    WsRow r;
    ks = store_ws_load(s, workshop_id, &r);
    if (ks == KS_OK)
        ks = store_run(s, SQL_FLAG, "flag voting token", "Itt", workshop_id, token, reason);
    return store_tx_end(s, ks);
}

/* ---- export side ----------------------------------------------------- */

static KsStatus export_row(void *ctx, sqlite3_stmt *row)
{
    WsRun *run = ctx;
    ws_from_row(&run->r, row);
    return run->ws_fn(run->ctx, &run->r.w);
}

KsStatus store_ws_export_list(Store *s, const char *redo_batch, StoreWsFn fn, void *ctx)
{
    if (!fn)
        return KS_ERR_INVALID;
    WsRun run = {.ws_fn = fn, .ctx = ctx};
    /* the query for workshops not exported yet has no ?1 */
    return store_query(s, redo_batch ? SQL_WS_EXPORT_REDO : SQL_WS_EXPORT_NEW,
                       "read workshops for export", export_row, &run, redo_batch ? "t" : "",
                       redo_batch);
}

static KsStatus dots_row(void *ctx, sqlite3_stmt *row)
{
    WsRun *run = ctx;
    return run->dots_fn(run->ctx, sqlite3_column_int64(row, 0), sqlite3_column_int(row, 1),
                        sqlite3_column_int(row, 2), sqlite3_column_int(row, 3));
}

KsStatus store_ws_vote_rounds(Store *s, int64_t workshop_id, StoreWsDotsFn fn, void *ctx)
{
    if (!fn)
        return KS_ERR_INVALID;
    WsRun run = {.dots_fn = fn, .ctx = ctx};
    return store_query(s, SQL_VOTE_ROUNDS, "count dots per card and round", dots_row, &run, "I",
                       workshop_id);
}
