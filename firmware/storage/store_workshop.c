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

#define SQL_WS_COLS                                                                      \
    "SELECT id, title, question, langs, dots, approval, phase, round, day, open,"        \
    " batch_id, voting_seen, vote_phase FROM workshop"
#define SQL_WS_GET SQL_WS_COLS " WHERE id = ?1"
#define SQL_WS_CURRENT SQL_WS_COLS " WHERE open = 1"
#define SQL_WS_EXPORT_NEW                                                                \
    SQL_WS_COLS " WHERE batch_id IS NULL AND (open = 0 OR phase = 'results')"            \
                " AND EXISTS(SELECT 1 FROM ws_card c WHERE c.workshop_id = workshop.id"  \
                " AND c.status = 'approved') ORDER BY id"
#define SQL_WS_EXPORT_REDO SQL_WS_COLS " WHERE batch_id = ?1 ORDER BY id"
#define SQL_WS_CLOSE_OPEN "UPDATE workshop SET open = 0 WHERE open = 1"
#define SQL_WS_INSERT                                                                    \
    "INSERT INTO workshop(title, question, langs, dots, approval, phase, round, day, open)" \
    " VALUES(?1, ?2, ?3, ?4, ?5, 'critique', 1, ?6, 1)"
#define SQL_WS_SET_PHASE                                                                 \
    "UPDATE workshop SET phase = ?2, round = ?3, voting_seen = ?4 WHERE id = ?1"
#define SQL_WS_SET_VOTE_PHASE                                                            \
    "UPDATE workshop SET vote_phase = ?2, round = ?3 WHERE id = ?1"
#define SQL_WS_CLOSE "UPDATE workshop SET open = 0 WHERE id = ?1"
#define SQL_ROUND_GET "SELECT phase FROM ws_round WHERE workshop_id = ?1 AND round = ?2"
#define SQL_ROUND_INSERT                                                                 \
    "INSERT OR IGNORE INTO ws_round(workshop_id, round, phase) VALUES(?1, ?2, ?3)"
#define SQL_ROUNDS "SELECT round, phase FROM ws_round WHERE workshop_id = ?1 ORDER BY round"
#define SQL_CARD_ON_WALL                                                                 \
    "SELECT phase FROM ws_card WHERE id = ?1 AND workshop_id = ?2 AND status = 'approved'" \
    " AND merged_into IS NULL"
#define SQL_VOTES_USED                                                                   \
    "SELECT coalesce(sum(count), 0) FROM ws_vote WHERE workshop_id = ?1 AND token = ?2"  \
    " AND round = ?3"
#define SQL_VOTE_INSERT                                                                  \
    "INSERT INTO ws_vote(workshop_id, token, card_id, round, count) VALUES(?1, ?2, ?3, ?4, ?5)"
#define SQL_FLAG                                                                         \
    "INSERT INTO ws_flag(workshop_id, token, reason) VALUES(?1, ?2, ?3)"                 \
    " ON CONFLICT(workshop_id, token) DO UPDATE SET reason = CASE"                       \
    " WHEN instr(',' || reason || ',', ',' || excluded.reason || ',') > 0 THEN reason"   \
    " ELSE reason || ',' || excluded.reason END"
#define SQL_VOTE_ROUNDS                                                                  \
    "WITH RECURSIVE up(card, round, n, flagged) AS ("                                    \
    " SELECT v.card_id, v.round, v.count, EXISTS(SELECT 1 FROM ws_flag f"                \
    " WHERE f.workshop_id = v.workshop_id AND f.token = v.token)"                        \
    " FROM ws_vote v WHERE v.workshop_id = ?1"                                           \
    " UNION ALL SELECT c.merged_into, up.round, up.n, up.flagged FROM up"                \
    " JOIN ws_card c ON c.id = up.card WHERE c.merged_into IS NOT NULL)"                 \
    " SELECT up.card, up.round, sum(CASE WHEN up.flagged THEN 0 ELSE up.n END),"         \
    " sum(CASE WHEN up.flagged THEN up.n ELSE 0 END)"                                    \
    " FROM up JOIN ws_card c ON c.id = up.card WHERE c.merged_into IS NULL"              \
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

KsStatus store_ws_run_ints(Store *s, const char *sql, const int64_t *args, int nargs,
                           const char *what, int *changed)
{
    sqlite3_stmt *st = NULL;
    KsStatus ks = store_stmt_get(s, sql, what, &st);
    for (int i = 0; ks == KS_OK && i < nargs; i++)
        ks = store_bind_int64(s, st, i + 1, args[i], what);
    if (ks == KS_OK)
        ks = store_step_done(s, st, what, changed);
    store_stmt_put(s, st);
    return ks;
}

/* ---- workshops ------------------------------------------------------- */

static void ws_from_row(sqlite3_stmt *st, WsRow *r)
{
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
}

KsStatus store_ws_load(Store *s, int64_t id, WsRow *out)
{
    const char *what = "read workshop";
    sqlite3_stmt *st = NULL;
    memset(out, 0, sizeof *out);
    KsStatus ks = store_stmt_get(s, id ? SQL_WS_GET : SQL_WS_CURRENT, what, &st);
    if (ks == KS_OK && id)
        ks = store_bind_int64(s, st, 1, id, what);
    if (ks == KS_OK) {
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            ws_from_row(st, out);
        else
            ks = rc == SQLITE_DONE ? KS_ERR_NOT_FOUND : store_log_fail(s, rc, what);
    }
    store_stmt_put(s, st);
    return ks;
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

KsStatus store_ws_create(Store *s, const StoreWorkshop *w, int64_t at_ms, int64_t *out_id)
{
    const char *what = "insert workshop";
    sqlite3_stmt *st = NULL;
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
    ks = store_ws_run_ints(s, SQL_WS_CLOSE_OPEN, NULL, 0, "close open workshop", NULL);
    if (ks == KS_OK)
        ks = store_stmt_get(s, SQL_WS_INSERT, what, &st);
    if (ks == KS_OK)
        ks = store_bind_text(s, st, 1, w->title, what);
    if (ks == KS_OK)
        ks = store_bind_text(s, st, 2, w->question, what);
    if (ks == KS_OK)
        ks = store_bind_text(s, st, 3, w->langs, what);
    if (ks == KS_OK)
        ks = store_bind_int64(s, st, 4, w->dots, what);
    if (ks == KS_OK)
        ks = store_bind_int64(s, st, 5, w->approval ? 1 : 0, what);
    if (ks == KS_OK)
        ks = store_bind_text(s, st, 6, iso, what);
    if (ks == KS_OK)
        ks = store_step_done(s, st, what, NULL);
    int64_t id = ks == KS_OK ? (int64_t)sqlite3_last_insert_rowid(s->db) : 0;
    store_stmt_put(s, st);
    if (ks == KS_OK)
        ks = store_tx_commit(s);
    if (ks != KS_OK) {
        store_tx_rollback(s);
        return ks;
    }
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
    const char *what = "set workshop phase";
    if ((int)phase < 0 || phase >= WS_PHASE_COUNT || id <= 0)
        return KS_ERR_INVALID;
    KsStatus ks = store_tx_begin(s);
    if (ks != KS_OK)
        return ks;
    WsRow r;
    ks = store_ws_require_live(s, id, true, &r);
    if (ks == KS_OK && r.w.phase != phase) {
        int round = r.w.round;
        bool seen = r.voting_seen;
        if (phase == WS_PHASE_VOTING) {
            /* the first voting keeps round 1; each return to voting gives
             * everybody fresh dots */
            if (seen)
                round++;
            seen = true;
        }
        sqlite3_stmt *st = NULL;
        ks = store_stmt_get(s, SQL_WS_SET_PHASE, what, &st);
        if (ks == KS_OK)
            ks = store_bind_int64(s, st, 1, id, what);
        if (ks == KS_OK)
            ks = store_bind_text(s, st, 2, store_ws_phase_name(phase), what);
        if (ks == KS_OK)
            ks = store_bind_int64(s, st, 3, round, what);
        if (ks == KS_OK)
            ks = store_bind_int64(s, st, 4, seen ? 1 : 0, what);
        if (ks == KS_OK)
            ks = store_step_done(s, st, what, NULL);
        store_stmt_put(s, st);
    }
    if (ks == KS_OK)
        ks = store_tx_commit(s);
    if (ks != KS_OK)
        store_tx_rollback(s);
    return ks;
}

/* ---- voting rounds --------------------------------------------------- */

/* Inside the caller's transaction, if any: whether a round has dots (its
 * row), and the phase it is about (-1: every phase, from before schema 9). */
static KsStatus round_get(Store *s, int64_t workshop_id, int round, bool *has, int *phase)
{
    const char *what = "read voting round";
    sqlite3_stmt *st = NULL;
    *has = false;
    *phase = -1;
    KsStatus ks = store_stmt_get(s, SQL_ROUND_GET, what, &st);
    if (ks == KS_OK)
        ks = store_bind_int64(s, st, 1, workshop_id, what);
    if (ks == KS_OK)
        ks = store_bind_int64(s, st, 2, round, what);
    if (ks == KS_OK) {
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            *has = true;
            if (sqlite3_column_type(st, 0) != SQLITE_NULL)
                *phase = (int)store_ws_phase_of(store_ws_col_text(st, 0));
        } else if (rc != SQLITE_DONE) {
            ks = store_log_fail(s, rc, what);
        }
    }
    store_stmt_put(s, st);
    return ks;
}

KsStatus store_ws_set_vote_phase(Store *s, int64_t id, WsPhase phase)
{
    const char *what = "set the phase voting is about";
    if (id <= 0 || (int)phase < 0 || phase > WS_PHASE_REALISATION)
        return KS_ERR_INVALID;
    KsStatus ks = store_tx_begin(s);
    if (ks != KS_OK)
        return ks;
    WsRow r;
    ks = store_ws_require_live(s, id, true, &r);
    if (ks == KS_OK && r.w.vote_phase != phase) {
        bool has = false;
        int was = -1;
        if (r.w.phase == WS_PHASE_VOTING)
            ks = round_get(s, id, r.w.round, &has, &was);
        /* a round with dots stays about its phase: the new phase gets a
         * new round, and everybody fresh dots for it */
        int round = r.w.round + (has ? 1 : 0);
        sqlite3_stmt *st = NULL;
        if (ks == KS_OK)
            ks = store_stmt_get(s, SQL_WS_SET_VOTE_PHASE, what, &st);
        if (ks == KS_OK)
            ks = store_bind_int64(s, st, 1, id, what);
        if (ks == KS_OK)
            ks = store_bind_text(s, st, 2, store_ws_phase_name(phase), what);
        if (ks == KS_OK)
            ks = store_bind_int64(s, st, 3, round, what);
        if (ks == KS_OK)
            ks = store_step_done(s, st, what, NULL);
        store_stmt_put(s, st);
    }
    if (ks == KS_OK)
        ks = store_tx_commit(s);
    if (ks != KS_OK)
        store_tx_rollback(s);
    return ks;
}

KsStatus store_ws_rounds(Store *s, int64_t workshop_id, StoreWsRoundFn fn, void *ctx)
{
    const char *what = "read voting rounds";
    if (!fn)
        return KS_ERR_INVALID;
    sqlite3_stmt *st = NULL;
    KsStatus ks = store_stmt_get(s, SQL_ROUNDS, what, &st);
    if (ks == KS_OK)
        ks = store_bind_int64(s, st, 1, workshop_id, what);
    while (ks == KS_OK) {
        int rc = sqlite3_step(st);
        if (rc == SQLITE_DONE)
            break;
        if (rc != SQLITE_ROW) {
            ks = store_log_fail(s, rc, what);
            break;
        }
        int phase = sqlite3_column_type(st, 1) == SQLITE_NULL
                        ? -1
                        : (int)store_ws_phase_of(store_ws_col_text(st, 1));
        ks = fn(ctx, sqlite3_column_int(st, 0), phase);
    }
    store_stmt_put(s, st);
    return ks;
}

KsStatus store_ws_close(Store *s, int64_t id)
{
    KsStatus ks = store_tx_begin(s);
    if (ks != KS_OK)
        return ks;
    int changed = 0;
    ks = store_ws_run_ints(s, SQL_WS_CLOSE, &id, 1, "close workshop", &changed);
    if (ks == KS_OK && changed != 1)
        ks = KS_ERR_NOT_FOUND;
    if (ks == KS_OK)
        ks = store_tx_commit(s);
    if (ks != KS_OK)
        store_tx_rollback(s);
    return ks;
}

/* ---- votes ----------------------------------------------------------- */

static bool token_ok(const char *token)
{
    return text_ok(token) && strlen(token) <= WS_TOKEN_MAX;
}

/* Dots a token gave in a round, inside the caller's transaction if any. */
static KsStatus votes_used(Store *s, int64_t workshop_id, const char *token, int round, int *used)
{
    const char *what = "count dots used";
    sqlite3_stmt *st = NULL;
    *used = 0;
    KsStatus ks = store_stmt_get(s, SQL_VOTES_USED, what, &st);
    if (ks == KS_OK)
        ks = store_bind_int64(s, st, 1, workshop_id, what);
    if (ks == KS_OK)
        ks = store_bind_text(s, st, 2, token, what);
    if (ks == KS_OK)
        ks = store_bind_int64(s, st, 3, round, what);
    if (ks == KS_OK) {
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            *used = sqlite3_column_int(st, 0);
        else
            ks = store_log_fail(s, rc == SQLITE_DONE ? SQLITE_ERROR : rc, what);
    }
    store_stmt_put(s, st);
    return ks;
}

/* The card is on the wall and of `phase` (-1: of any phase). */
static KsStatus card_on_wall(Store *s, int64_t workshop_id, int64_t card_id, int phase)
{
    const char *what = "check card on the wall";
    sqlite3_stmt *st = NULL;
    KsStatus ks = store_stmt_get(s, SQL_CARD_ON_WALL, what, &st);
    if (ks == KS_OK)
        ks = store_bind_int64(s, st, 1, card_id, what);
    if (ks == KS_OK)
        ks = store_bind_int64(s, st, 2, workshop_id, what);
    if (ks == KS_OK) {
        int rc = sqlite3_step(st);
        if (rc == SQLITE_DONE) {
            LOG_WARN("card %lld is not on the wall of workshop %lld", (long long)card_id,
                     (long long)workshop_id);
            ks = KS_ERR_INVALID;
        } else if (rc != SQLITE_ROW) {
            ks = store_log_fail(s, rc, what);
        } else if (phase >= 0 && (int)store_ws_phase_of(store_ws_col_text(st, 0)) != phase) {
            LOG_WARN("card %lld is not a %s card: this round is not about it", (long long)card_id,
                     store_ws_phase_name((WsPhase)phase));
            ks = KS_ERR_INVALID;
        }
    }
    store_stmt_put(s, st);
    return ks;
}

static KsStatus vote_insert(Store *s, int64_t workshop_id, const char *token, int64_t card_id,
                            int round, int count)
{
    const char *what = "store vote";
    sqlite3_stmt *st = NULL;
    KsStatus ks = store_stmt_get(s, SQL_VOTE_INSERT, what, &st);
    if (ks == KS_OK)
        ks = store_bind_int64(s, st, 1, workshop_id, what);
    if (ks == KS_OK)
        ks = store_bind_text(s, st, 2, token, what);
    if (ks == KS_OK)
        ks = store_bind_int64(s, st, 3, card_id, what);
    if (ks == KS_OK)
        ks = store_bind_int64(s, st, 4, round, what);
    if (ks == KS_OK)
        ks = store_bind_int64(s, st, 5, count, what);
    if (ks == KS_OK)
        ks = store_step_done(s, st, what, NULL);
    store_stmt_put(s, st);
    return ks;
}

static KsStatus round_insert(Store *s, int64_t workshop_id, int round, WsPhase phase)
{
    const char *what = "record voting round";
    sqlite3_stmt *st = NULL;
    KsStatus ks = store_stmt_get(s, SQL_ROUND_INSERT, what, &st);
    if (ks == KS_OK)
        ks = store_bind_int64(s, st, 1, workshop_id, what);
    if (ks == KS_OK)
        ks = store_bind_int64(s, st, 2, round, what);
    if (ks == KS_OK)
        ks = store_bind_text(s, st, 3, store_ws_phase_name(phase), what);
    if (ks == KS_OK)
        ks = store_step_done(s, st, what, NULL);
    store_stmt_put(s, st);
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
    KsStatus ks = store_tx_begin(s);
    if (ks != KS_OK)
        return ks;
    WsRow r;
    int used = 0;
    ks = store_ws_require_live(s, workshop_id, true, &r);
    if (ks == KS_OK && r.w.phase != WS_PHASE_VOTING) {
        LOG_WARN("workshop %lld is in phase %s, not voting", (long long)workshop_id,
                 store_ws_phase_name(r.w.phase));
        ks = KS_ERR_STATE;
    }
    /* the round's phase: as recorded with its first dots, else as chosen */
    bool has = false;
    int phase = -1;
    if (ks == KS_OK)
        ks = round_get(s, workshop_id, r.w.round, &has, &phase);
    if (ks == KS_OK && !has)
        phase = (int)r.w.vote_phase;
    for (int i = 0; ks == KS_OK && i < n; i++)
        ks = card_on_wall(s, workshop_id, cards[i], phase);
    if (ks == KS_OK)
        ks = votes_used(s, workshop_id, token, r.w.round, &used);
    if (ks == KS_OK && used + total > r.w.dots) {
        LOG_WARN("vote of %d dots refused: %d of %d used in round %d", total, used, r.w.dots,
                 r.w.round);
        ks = KS_ERR_LIMIT;
    }
    for (int i = 0; ks == KS_OK && i < n; i++)
        ks = vote_insert(s, workshop_id, token, cards[i], r.w.round, counts[i]);
    if (ks == KS_OK && !has)
        ks = round_insert(s, workshop_id, r.w.round, r.w.vote_phase);
    if (ks == KS_OK)
        ks = store_tx_commit(s);
    if (ks != KS_OK)
        store_tx_rollback(s);
    return ks;
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
    const char *what = "flag voting token";
    if (!token_ok(token) || !text_ok(reason) || strchr(reason, ','))
        return KS_ERR_INVALID;
    KsStatus ks = store_tx_begin(s);
    if (ks != KS_OK)
        return ks;
    WsRow r;
    ks = store_ws_load(s, workshop_id, &r);
    if (ks == KS_OK) {
        sqlite3_stmt *st = NULL;
        ks = store_stmt_get(s, SQL_FLAG, what, &st);
        if (ks == KS_OK)
            ks = store_bind_int64(s, st, 1, workshop_id, what);
        if (ks == KS_OK)
            ks = store_bind_text(s, st, 2, token, what);
        if (ks == KS_OK)
            ks = store_bind_text(s, st, 3, reason, what);
        if (ks == KS_OK)
            ks = store_step_done(s, st, what, NULL);
        store_stmt_put(s, st);
    }
    if (ks == KS_OK)
        ks = store_tx_commit(s);
    if (ks != KS_OK)
        store_tx_rollback(s);
    return ks;
}

/* ---- export side ----------------------------------------------------- */

KsStatus store_ws_export_list(Store *s, const char *redo_batch, StoreWsFn fn, void *ctx)
{
    const char *what = "read workshops for export";
    if (!fn)
        return KS_ERR_INVALID;
    sqlite3_stmt *st = NULL;
    WsRow r;
    KsStatus ks =
        store_stmt_get(s, redo_batch ? SQL_WS_EXPORT_REDO : SQL_WS_EXPORT_NEW, what, &st);
    if (ks == KS_OK && redo_batch)
        ks = store_bind_text(s, st, 1, redo_batch, what);
    while (ks == KS_OK) {
        int rc = sqlite3_step(st);
        if (rc == SQLITE_DONE)
            break;
        if (rc != SQLITE_ROW) {
            ks = store_log_fail(s, rc, what);
            break;
        }
        ws_from_row(st, &r);
        ks = fn(ctx, &r.w);
    }
    store_stmt_put(s, st);
    return ks;
}

KsStatus store_ws_vote_rounds(Store *s, int64_t workshop_id, StoreWsDotsFn fn, void *ctx)
{
    const char *what = "count dots per card and round";
    if (!fn)
        return KS_ERR_INVALID;
    sqlite3_stmt *st = NULL;
    KsStatus ks = store_stmt_get(s, SQL_VOTE_ROUNDS, what, &st);
    if (ks == KS_OK)
        ks = store_bind_int64(s, st, 1, workshop_id, what);
    while (ks == KS_OK) {
        int rc = sqlite3_step(st);
        if (rc == SQLITE_DONE)
            break;
        if (rc != SQLITE_ROW) {
            ks = store_log_fail(s, rc, what);
            break;
        }
        ks = fn(ctx, sqlite3_column_int64(st, 0), sqlite3_column_int(st, 1),
                sqlite3_column_int(st, 2), sqlite3_column_int(st, 3));
    }
    store_stmt_put(s, st);
    return ks;
}
