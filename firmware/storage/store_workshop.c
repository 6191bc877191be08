/* store_workshop: the Zukunftswerkstatt tables (schema step 6). Every call
 * that changes something is one BEGIN IMMEDIATE … COMMIT transaction with
 * its checks inside, rolled back whole on any failure. Stores no names and
 * no time finer than the day; a vote never refers to a card's author. */
#include "store_workshop.h"

#include <stdio.h>
#include <string.h>

#include "../core/clock.h"
#include "../core/log.h"
#include "../core/str.h"
#include "store_private.h"

#define WS_DOTS_MAX 99
#define WS_TOKEN_MAX 64
#define WS_PNG_MAX (4 * 1024 * 1024)
#define WS_VOTE_CARDS_MAX 64

#define SQL_WS_COLS                                                                      \
    "SELECT id, title, question, langs, dots, approval, phase, round, day, open,"        \
    " batch_id, voting_seen FROM workshop"
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
#define SQL_WS_CLOSE "UPDATE workshop SET open = 0 WHERE id = ?1"
#define SQL_CARD_INSERT                                                                  \
    "INSERT INTO ws_card(workshop_id, phase, lang, age_band, topic, text, status, day,"  \
    " about_card) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, nullif(?9, 0))"
#define SQL_DRAWING_INSERT "INSERT INTO ws_drawing(card_id, png) VALUES(?1, ?2)"
#define SQL_DRAWING_GET "SELECT png FROM ws_drawing WHERE card_id = ?1"
#define SQL_CARD_GET                                                                     \
    "SELECT workshop_id, status, merged_into, phase FROM ws_card WHERE id = ?1"
#define SQL_CARD_SET_STATUS "UPDATE ws_card SET status = ?2 WHERE id = ?1"
#define SQL_CARD_MERGE                                                                   \
    "UPDATE ws_card SET merged_into = ?2 WHERE id = ?1 AND merged_into IS NULL"
/* Votes climb their card's merge chain (merges never form a cycle: a
 * merged card can never become a target), so each card's total is the
 * dots given to it and to every card merged into it, however deep. */
#define SQL_CARDS                                                                        \
    "WITH RECURSIVE up(card, n) AS ("                                                    \
    " SELECT card_id, count FROM ws_vote WHERE workshop_id = ?1"                         \
    " UNION ALL SELECT c.merged_into, up.n FROM up JOIN ws_card c ON c.id = up.card"     \
    " WHERE c.merged_into IS NOT NULL),"                                                 \
    " tot(card, n) AS (SELECT card, sum(n) FROM up GROUP BY card)"                       \
    " SELECT c.id, c.workshop_id, c.phase, c.lang, c.age_band, c.topic, c.text,"         \
    " EXISTS(SELECT 1 FROM ws_drawing d WHERE d.card_id = c.id), c.status,"              \
    " coalesce(c.merged_into, 0), coalesce(tot.n, 0), coalesce(c.about_card, 0)"         \
    " FROM ws_card c LEFT JOIN tot ON tot.card = c.id"                                   \
    " WHERE c.workshop_id = ?1 AND (?2 IS NULL OR c.phase = ?2)"                         \
    " AND (?3 = 0 OR (c.status = 'approved' AND c.merged_into IS NULL))"                 \
    " AND (?4 = 0 OR c.status = 'pending') ORDER BY c.id"
#define SQL_CARD_ON_WALL                                                                 \
    "SELECT 1 FROM ws_card WHERE id = ?1 AND workshop_id = ?2 AND status = 'approved'"   \
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
static const char *const g_status_names[] = {"pending", "approved", "rejected"};

const char *store_ws_phase_name(WsPhase p)
{
    if (KS_NEVER((int)p < 0 || p >= WS_PHASE_COUNT))
        return "critique";
    return g_phase_names[p];
}

static WsPhase phase_of(const char *name)
{
    for (int i = 0; name && i < WS_PHASE_COUNT; i++)
        if (strcmp(name, g_phase_names[i]) == 0)
            return (WsPhase)i;
    (void)KS_NEVER(true);
    return WS_PHASE_CRITIQUE;
}

static WsCardStatus status_of(const char *name)
{
    for (int i = 0; name && i < 3; i++)
        if (strcmp(name, g_status_names[i]) == 0)
            return (WsCardStatus)i;
    (void)KS_NEVER(true);
    return WS_CARD_PENDING;
}

static const char *col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

static bool text_ok(const char *v)
{
    return v && *v;
}

/* Runs a statement binding nargs int64 values that returns no rows;
 * *changed gets the rows changed when non-NULL. */
static KsStatus run_ints(Store *s, const char *sql, const int64_t *args, int nargs,
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

typedef struct {
    StoreWorkshop w;
    bool exported;
    bool voting_seen;
} WsRow;

static void ws_from_row(sqlite3_stmt *st, WsRow *r)
{
    memset(r, 0, sizeof *r);
    r->w.id = sqlite3_column_int64(st, 0);
    str_copy(r->w.title, sizeof r->w.title, col_text(st, 1));
    str_copy(r->w.question, sizeof r->w.question, col_text(st, 2));
    str_copy(r->w.langs, sizeof r->w.langs, col_text(st, 3));
    r->w.dots = sqlite3_column_int(st, 4);
    r->w.approval = sqlite3_column_int(st, 5) != 0;
    r->w.phase = phase_of(col_text(st, 6));
    r->w.round = sqlite3_column_int(st, 7);
    str_copy(r->w.day, sizeof r->w.day, col_text(st, 8));
    r->w.open = sqlite3_column_int(st, 9) != 0;
    r->exported = sqlite3_column_type(st, 10) != SQLITE_NULL;
    r->voting_seen = sqlite3_column_int(st, 11) != 0;
}

/* Reads one workshop by id (or the open one when id is 0).
 * KS_ERR_NOT_FOUND without a row. */
static KsStatus ws_load(Store *s, int64_t id, WsRow *out)
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

/* Inside a transaction: the workshop exists and may still change (not
 * exported; open too when need_open). */
static KsStatus ws_require_live(Store *s, int64_t id, bool need_open, WsRow *out)
{
    KsStatus ks = ws_load(s, id, out);
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
    ks = run_ints(s, SQL_WS_CLOSE_OPEN, NULL, 0, "close open workshop", NULL);
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
    KsStatus ks = ws_load(s, 0, &r);
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
    KsStatus ks = ws_load(s, id, &r);
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
    ks = ws_require_live(s, id, true, &r);
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

KsStatus store_ws_close(Store *s, int64_t id)
{
    KsStatus ks = store_tx_begin(s);
    if (ks != KS_OK)
        return ks;
    int changed = 0;
    ks = run_ints(s, SQL_WS_CLOSE, &id, 1, "close workshop", &changed);
    if (ks == KS_OK && changed != 1)
        ks = KS_ERR_NOT_FOUND;
    if (ks == KS_OK)
        ks = store_tx_commit(s);
    if (ks != KS_OK)
        store_tx_rollback(s);
    return ks;
}

/* ---- cards ----------------------------------------------------------- */

typedef struct {
    int64_t workshop_id;
    WsCardStatus status;
    int64_t merged_into;
    WsPhase phase;
} CardRow;

/* KS_ERR_NOT_FOUND when the card does not exist. */
static KsStatus card_load(Store *s, int64_t id, CardRow *out)
{
    const char *what = "read card";
    sqlite3_stmt *st = NULL;
    memset(out, 0, sizeof *out);
    KsStatus ks = store_stmt_get(s, SQL_CARD_GET, what, &st);
    if (ks == KS_OK)
        ks = store_bind_int64(s, st, 1, id, what);
    if (ks == KS_OK) {
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            out->workshop_id = sqlite3_column_int64(st, 0);
            out->status = status_of(col_text(st, 1));
            out->merged_into = sqlite3_column_int64(st, 2);
            out->phase = phase_of(col_text(st, 3));
        } else {
            ks = rc == SQLITE_DONE ? KS_ERR_NOT_FOUND : store_log_fail(s, rc, what);
        }
    }
    store_stmt_put(s, st);
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
    const char *what = "insert card";
    sqlite3_stmt *st = NULL;
    KsStatus ks = store_stmt_get(s, SQL_CARD_INSERT, what, &st);
    if (ks == KS_OK)
        ks = store_bind_int64(s, st, 1, c->workshop_id, what);
    if (ks == KS_OK)
        ks = store_bind_text(s, st, 2, store_ws_phase_name(c->phase), what);
    if (ks == KS_OK)
        ks = store_bind_text(s, st, 3, c->lang, what);
    if (ks == KS_OK)
        ks = store_bind_text(s, st, 4, c->age_band, what);
    if (ks == KS_OK)
        ks = store_bind_text(s, st, 5, c->topic, what);
    if (ks == KS_OK)
        ks = store_bind_text(s, st, 6, c->text, what);
    if (ks == KS_OK)
        ks = store_bind_text(s, st, 7, g_status_names[status], what);
    if (ks == KS_OK)
        ks = store_bind_text(s, st, 8, day, what);
    if (ks == KS_OK)
        ks = store_bind_int64(s, st, 9, about, what);
    if (ks == KS_OK)
        ks = store_step_done(s, st, what, NULL);
    if (ks == KS_OK)
        *out_id = (int64_t)sqlite3_last_insert_rowid(s->db);
    store_stmt_put(s, st);
    return ks;
}

static KsStatus drawing_insert(Store *s, int64_t card_id, const uint8_t *png, size_t size)
{
    const char *what = "store card drawing";
    sqlite3_stmt *st = NULL;
    KsStatus ks = store_stmt_get(s, SQL_DRAWING_INSERT, what, &st);
    if (ks == KS_OK)
        ks = store_bind_int64(s, st, 1, card_id, what);
    if (ks == KS_OK) {
        int rc = sqlite3_bind_blob64(st, 2, png, size, SQLITE_TRANSIENT);
        if (rc != SQLITE_OK)
            ks = store_log_fail(s, rc, what);
    }
    if (ks == KS_OK)
        ks = store_step_done(s, st, what, NULL);
    store_stmt_put(s, st);
    return ks;
}

/* Inside a transaction: the idea a realisation card is about, followed
 * up its merge chain (bounded: chains are acyclic and short) to the card it
 * counts as, which must be an approved Fantasie card of the workshop.
 * KS_ERR_INVALID otherwise. */
static KsStatus idea_resolve(Store *s, int64_t workshop_id, int64_t idea, int64_t *out)
{
    CardRow c;
    *out = 0;
    KsStatus ks = card_load(s, idea, &c);
    for (int steps = 0; ks == KS_OK && c.merged_into && steps < 64; steps++) {
        idea = c.merged_into;
        ks = card_load(s, idea, &c);
    }
    if (ks == KS_ERR_NOT_FOUND || (ks == KS_OK && (c.merged_into || c.workshop_id != workshop_id ||
                                                   c.phase != WS_PHASE_FANTASY ||
                                                   c.status != WS_CARD_APPROVED))) {
        LOG_WARN("card %lld is not an approved idea of workshop %lld", (long long)idea,
                 (long long)workshop_id);
        return KS_ERR_INVALID;
    }
    if (ks == KS_OK)
        *out = idea;
    return ks;
}

KsStatus store_ws_card_add(Store *s, const StoreWsCard *c, const uint8_t *png, size_t png_size,
                           int64_t *out_id)
{
    *out_id = 0;
    /* cards are written in the three working phases only */
    if (!c || (int)c->phase < 0 || c->phase > WS_PHASE_REALISATION || !text_ok(c->lang) ||
        memchr(c->lang, '\0', sizeof c->lang) == NULL ||
        memchr(c->age_band, '\0', sizeof c->age_band) == NULL ||
        memchr(c->topic, '\0', sizeof c->topic) == NULL ||
        memchr(c->text, '\0', sizeof c->text) == NULL) {
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
    if (c->about_card < 0 || (c->about_card && c->phase != WS_PHASE_REALISATION)) {
        LOG_ERROR("only a realisation card is about an idea");
        return KS_ERR_INVALID;
    }
    if (!c->text[0] && !c->topic[0] && !png) {
        LOG_ERROR("card without text, topic or drawing");
        return KS_ERR_INVALID;
    }
    char day[32];
    clock_format_iso(clock_wall_ms(), day);
    day[10] = '\0';
    KsStatus ks = store_tx_begin(s);
    if (ks != KS_OK)
        return ks;
    WsRow r;
    int64_t id = 0;
    ks = ws_require_live(s, c->workshop_id, true, &r);
    int64_t about = 0;
    if (ks == KS_OK && c->about_card)
        ks = idea_resolve(s, c->workshop_id, c->about_card, &about);
    if (ks == KS_OK)
        ks = card_insert(s, c, r.w.approval ? WS_CARD_PENDING : WS_CARD_APPROVED, day, about,
                         &id);
    if (ks == KS_OK && png)
        ks = drawing_insert(s, id, png, png_size);
    if (ks == KS_OK)
        ks = store_tx_commit(s);
    if (ks != KS_OK) {
        store_tx_rollback(s);
        return ks;
    }
    *out_id = id;
    return KS_OK;
}

KsStatus store_ws_card_set_status(Store *s, int64_t card_id, WsCardStatus stt)
{
    const char *what = "set card status";
    if ((int)stt < WS_CARD_PENDING || stt > WS_CARD_REJECTED)
        return KS_ERR_INVALID;
    KsStatus ks = store_tx_begin(s);
    if (ks != KS_OK)
        return ks;
    CardRow c;
    WsRow r;
    ks = card_load(s, card_id, &c);
    if (ks == KS_OK)
        ks = ws_require_live(s, c.workshop_id, false, &r);
    if (ks == KS_OK) {
        sqlite3_stmt *st = NULL;
        ks = store_stmt_get(s, SQL_CARD_SET_STATUS, what, &st);
        if (ks == KS_OK)
            ks = store_bind_int64(s, st, 1, card_id, what);
        if (ks == KS_OK)
            ks = store_bind_text(s, st, 2, g_status_names[stt], what);
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
        ks = ws_require_live(s, a.workshop_id, false, &r);
    int changed = 0;
    int64_t args[2] = {from, into};
    if (ks == KS_OK)
        ks = run_ints(s, SQL_CARD_MERGE, args, 2, "merge card", &changed);
    if (ks == KS_OK && KS_NEVER(changed != 1))
        ks = KS_ERR_STATE;
    if (ks == KS_OK)
        ks = store_tx_commit(s);
    if (ks != KS_OK)
        store_tx_rollback(s);
    return ks;
}

KsStatus store_ws_card_drawing(Store *s, int64_t card_id, uint8_t **png, size_t *size)
{
    const char *what = "read card drawing";
    sqlite3_stmt *st = NULL;
    *png = NULL;
    *size = 0;
    KsStatus ks = store_stmt_get(s, SQL_DRAWING_GET, what, &st);
    if (ks == KS_OK)
        ks = store_bind_int64(s, st, 1, card_id, what);
    if (ks == KS_OK)
        ks = store_step_blob(s, st, what, png, size);
    store_stmt_put(s, st);
    return ks;
}

KsStatus store_ws_cards(Store *s, int64_t workshop_id, int phase, bool wall_only,
                        bool pending_only, StoreWsCardFn fn, void *ctx)
{
    const char *what = "read cards";
    if (phase >= WS_PHASE_COUNT || !fn)
        return KS_ERR_INVALID;
    sqlite3_stmt *st = NULL;
    StoreWsCard c;
    KsStatus ks = store_stmt_get(s, SQL_CARDS, what, &st);
    if (ks == KS_OK)
        ks = store_bind_int64(s, st, 1, workshop_id, what);
    if (ks == KS_OK)
        ks = store_bind_text(s, st, 2, phase < 0 ? NULL : store_ws_phase_name((WsPhase)phase),
                             what);
    if (ks == KS_OK)
        ks = store_bind_int64(s, st, 3, wall_only ? 1 : 0, what);
    if (ks == KS_OK)
        ks = store_bind_int64(s, st, 4, pending_only ? 1 : 0, what);
    while (ks == KS_OK) {
        int rc = sqlite3_step(st);
        if (rc == SQLITE_DONE)
            break;
        if (rc != SQLITE_ROW) {
            ks = store_log_fail(s, rc, what);
            break;
        }
        memset(&c, 0, sizeof c);
        c.id = sqlite3_column_int64(st, 0);
        c.workshop_id = sqlite3_column_int64(st, 1);
        c.phase = phase_of(col_text(st, 2));
        str_copy(c.lang, sizeof c.lang, col_text(st, 3));
        str_copy(c.age_band, sizeof c.age_band, col_text(st, 4));
        str_copy(c.topic, sizeof c.topic, col_text(st, 5));
        str_copy(c.text, sizeof c.text, col_text(st, 6));
        c.has_drawing = sqlite3_column_int(st, 7) != 0;
        c.status = status_of(col_text(st, 8));
        c.merged_into = sqlite3_column_int64(st, 9);
        c.votes = sqlite3_column_int(st, 10);
        c.about_card = sqlite3_column_int64(st, 11);
        ks = fn(ctx, &c);
    }
    store_stmt_put(s, st);
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

static KsStatus card_on_wall(Store *s, int64_t workshop_id, int64_t card_id)
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
    ks = ws_require_live(s, workshop_id, true, &r);
    if (ks == KS_OK && r.w.phase != WS_PHASE_VOTING) {
        LOG_WARN("workshop %lld is in phase %s, not voting", (long long)workshop_id,
                 store_ws_phase_name(r.w.phase));
        ks = KS_ERR_STATE;
    }
    for (int i = 0; ks == KS_OK && i < n; i++)
        ks = card_on_wall(s, workshop_id, cards[i]);
    if (ks == KS_OK)
        ks = votes_used(s, workshop_id, token, r.w.round, &used);
    if (ks == KS_OK && used + total > r.w.dots) {
        LOG_WARN("vote of %d dots refused: %d of %d used in round %d", total, used, r.w.dots,
                 r.w.round);
        ks = KS_ERR_LIMIT;
    }
    for (int i = 0; ks == KS_OK && i < n; i++)
        ks = vote_insert(s, workshop_id, token, cards[i], r.w.round, counts[i]);
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
    KsStatus ks = ws_load(s, workshop_id, &r);
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
    ks = ws_load(s, workshop_id, &r);
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
