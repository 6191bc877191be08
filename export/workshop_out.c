/* workshop_out: a batch's workshop files (see workshop_out.h) — the cards
 * and votes tables and the drawings; the plan is in workshop_out_plan.c.
 * Everything is read and anonymised in memory first; the database ids of
 * cards stay in these files (to fetch drawings) and never reach a cell. */
#include "workshop_out.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../firmware/core/log.h"
#include "../firmware/core/mem.h"
#include "../firmware/core/str.h"
#include "bagit.h"
#include "csvfile.h"
#include "workshop_out_private.h"

#define WO_TABLES 3 /* per workshop: cards, votes, plan */

/* Columns of the cards table. */
enum {
    WO_C_ID,
    WO_C_PHASE,
    WO_C_LANG,
    WO_C_AGE,
    WO_C_TOPIC,
    WO_C_TEXT,
    WO_C_MASKED,
    WO_C_DRAWING,
    WO_C_VOTES,
    WO_C_FLAGGED,
    WO_C_MERGED,
    WO_C_RANK,
    WO_C_ABOUT,
    WO_C_WHO,
    WO_C_WHEN,
    WO_C_COUNT
};

static const DatasetColumnSpec WO_CARD_COLUMNS[WO_C_COUNT] = {
    [WO_C_ID] = {"card_id", "Zufallskennung der Karte (nur in diesem Export)", NULL,
                 DATASET_STRING},
    [WO_C_PHASE] = {"phase", "Phase, in der die Karte geschrieben wurde",
                    "critique = Kritik, fantasy = Fantasie, realisation = Verwirklichung",
                    DATASET_STRING},
    [WO_C_LANG] = {"lang", "Sprache der Karte", NULL, DATASET_STRING},
    [WO_C_AGE] = {"age_band", "Altersgruppe (freiwillig)",
                  "Leer, wenn nicht angegeben oder wenn weniger als k Karten dieser "
                  "Werkstatt Sprache und Altersgruppe teilen.",
                  DATASET_STRING},
    [WO_C_TOPIC] = {"topic", "Themenbild (z. B. play, school, nature)", NULL, DATASET_STRING},
    [WO_C_TEXT] = {"text", "Text der Karte (Kontaktdaten durch [entfernt] ersetzt)", NULL,
                   DATASET_STRING},
    [WO_C_MASKED] = {"masked", "Kontaktdaten entfernt", NULL, DATASET_BINARY},
    [WO_C_DRAWING] = {"drawing", "PNG-Datei der Zeichnung, relativ zu data/", NULL, DATASET_STRING},
    [WO_C_VOTES] = {"votes", "Punkte insgesamt (alle Runden)",
                    "Mit den Punkten der Karten, die als Doppel in diese Karte "
                    "zusammengeführt wurden; ohne Punkte verdächtiger Abstimmungen.",
                    DATASET_INTEGER},
    [WO_C_FLAGGED] = {"votes_flagged", "Punkte aus verdächtigen Abstimmungen",
                      "Abstimmungen mit auffällig schnellen Eingaben; getrennt gezählt.",
                      DATASET_INTEGER},
    [WO_C_MERGED] = {"merged_cards", "Anzahl zusammengeführter Doppel",
                     "Deren Text steht nicht gesondert im Export.", DATASET_INTEGER},
    [WO_C_RANK] = {"rank", "Platz nach Punkten (1 = die meisten; gleiche Punkte, gleicher Platz)",
                   NULL, DATASET_INTEGER},
    [WO_C_ABOUT] = {"about_card",
                    "Karte, auf die sich die Karte bezieht: bei Verwirklichung die Idee, "
                    "bei Fantasie die Kritik, deren Gegenteil sie ist",
                    "card_id der Fantasie- bzw. Kritik-Karte in dieser Datei (ist sie "
                    "zusammengeführt, die Karte, in die sie zusammengeführt wurde); leer "
                    "bei Kritik-Karten, bei Karten ohne Bezug und wenn die Karte, auf die "
                    "sie sich bezieht, nicht exportiert ist.",
                    DATASET_STRING},
    [WO_C_WHO] = {"who", "Wer kann helfen? (Verwirklichung)", WO_WHO_DESCRIPTION, DATASET_STRING},
    [WO_C_WHEN] = {"by_when", "Bis wann? (Verwirklichung)", NULL, DATASET_CATEGORY},
};

static KsStatus wo_add_workshop(void *ctx, const StoreWorkshop *w)
{
    WorkshopOut *o = ctx;
    if (o->n == o->cap) {
        o->cap = o->cap ? o->cap * 2 : 4;
        o->ws = xrealloc(o->ws, (size_t)o->cap * sizeof *o->ws);
    }
    WoWorkshop *ww = &o->ws[o->n];
    memset(ww, 0, sizeof *ww);
    ww->w = *w;
    ww->number = ++o->n;
    return KS_OK;
}

static KsStatus wo_add_card(void *ctx, const StoreWsCard *c)
{
    WoWorkshop *ww = ctx;
    if (ww->n_cards == ww->cap_cards) {
        ww->cap_cards = ww->cap_cards ? ww->cap_cards * 2 : 32;
        ww->cards = xrealloc(ww->cards, (size_t)ww->cap_cards * sizeof *ww->cards);
    }
    WoCard *wc = &ww->cards[ww->n_cards++];
    memset(wc, 0, sizeof *wc);
    wc->c = *c;
    wc->exported = c->status == WS_CARD_APPROVED && c->merged_into == 0;
    int rounds = ww->w.round > 0 ? ww->w.round : 1;
    wc->round_dots = xcalloc((size_t)rounds, sizeof *wc->round_dots);
    return KS_OK;
}

static KsStatus wo_add_round(void *ctx, int round, int phase)
{
    WoWorkshop *ww = ctx;
    if (round >= 1 && round <= (ww->w.round > 0 ? ww->w.round : 1))
        ww->round_phase[round - 1] = phase;
    return KS_OK;
}

static WoCard *wo_find(WoWorkshop *ww, int64_t id)
{
    for (int i = 0; i < ww->n_cards; i++)
        if (ww->cards[i].c.id == id)
            return &ww->cards[i];
    return NULL;
}

static KsStatus wo_add_dots(void *ctx, int64_t card_id, int round, int dots, int flagged)
{
    WoWorkshop *ww = ctx;
    WoCard *wc = wo_find(ww, card_id);
    /* votes only ever go to wall cards; a root card that is not approved
     * (rejected after the vote) has no row, and so no dots leave */
    if (!wc || !wc->exported)
        return KS_OK;
    wc->votes += dots;
    wc->flagged += flagged;
    if (round >= 1 && round <= (ww->w.round > 0 ? ww->w.round : 1))
        wc->round_dots[round - 1] += dots;
    return KS_OK;
}

/* Counts, for each exported card, the cards merged into it through any
 * chain. Chains are short and acyclic (storage refuses merging into a
 * merged card); the step bound only guards against a damaged file. */
static void wo_count_merged(WoWorkshop *ww)
{
    for (int i = 0; i < ww->n_cards; i++) {
        int64_t next = ww->cards[i].c.merged_into;
        for (int steps = 0; next && steps < ww->n_cards; steps++) {
            WoCard *t = wo_find(ww, next);
            if (!t)
                break;
            if (!t->c.merged_into) {
                t->merged++;
                break;
            }
            next = t->c.merged_into;
        }
    }
}

/* Blanks the age band of cards whose (lang, age band) group is smaller
 * than k: a rare age in a rare language would point at a child. */
static void wo_suppress_age(WoWorkshop *ww, int k)
{
    for (int i = 0; i < ww->n_cards; i++) {
        WoCard *a = &ww->cards[i];
        if (!a->exported || !a->c.age_band[0])
            continue;
        int peers = 0;
        for (int j = 0; j < ww->n_cards; j++) {
            const WoCard *b = &ww->cards[j];
            peers += b->exported && strcmp(a->c.lang, b->c.lang) == 0 &&
                     strcmp(a->c.age_band, b->c.age_band) == 0;
        }
        a->row = peers; /* kept for the second pass below */
    }
    for (int i = 0; i < ww->n_cards; i++) {
        WoCard *a = &ww->cards[i];
        if (a->exported && a->c.age_band[0] && a->row < k) {
            a->c.age_band[0] = '\0';
            ww->age_suppressed++;
        }
        a->row = 0;
    }
}

const WoCard *workshop_out_about(WoWorkshop *ww, int64_t about)
{
    for (int steps = 0; about && steps < ww->n_cards; steps++) {
        const WoCard *t = wo_find(ww, about);
        if (!t)
            return NULL;
        if (!t->c.merged_into)
            return t->exported ? t : NULL;
        about = t->c.merged_into;
    }
    return NULL;
}

static DatasetTable *wo_cards_columns(const WoWorkshop *ww)
{
    char name[48], title[200];
    snprintf(name, sizeof name, "workshop-%d-cards", ww->number);
    snprintf(title, sizeof title, "Zukunftswerkstatt %d: Ideenkarten (freigegeben)", ww->number);
    DatasetTable *t = dataset_table_create(name, title);
    dataset_table_add_columns(t, WO_CARD_COLUMNS, WO_C_COUNT);
    workshop_out_when_categories(t, WO_C_WHEN);
    return t;
}

static DatasetTable *wo_cards_table(WoWorkshop *ww)
{
    DatasetTable *t = wo_cards_columns(ww);
    int n = 0;
    int *order = xmalloc((size_t)(ww->n_cards ? ww->n_cards : 1) * sizeof *order);
    for (int i = 0; i < ww->n_cards; i++)
        if (ww->cards[i].exported)
            order[n++] = i;
    anonymise_shuffle(order, n);
    for (int r = 0; r < n; r++) {
        WoCard *wc = &ww->cards[order[r]];
        char num[16], file[96];
        int row = dataset_table_add_row(t);
        wc->row = row;
        dataset_table_set(t, row, WO_C_ID, wc->id);
        dataset_table_set(t, row, WO_C_PHASE, store_ws_phase_name(wc->c.phase));
        dataset_table_set(t, row, WO_C_LANG, wc->c.lang);
        dataset_table_set(t, row, WO_C_AGE, wc->c.age_band);
        dataset_table_set(t, row, WO_C_TOPIC, wc->c.topic);
        if (wc->c.text[0]) {
            char *masked = NULL;
            bool m = anonymise_mask_contacts(wc->c.text, &masked);
            dataset_table_set(t, row, WO_C_TEXT, masked);
            dataset_table_set(t, row, WO_C_MASKED, m ? "1" : "0");
            free(masked);
        }
        if (wc->c.has_drawing) {
            snprintf(file, sizeof file, "workshop-%d-drawings/%s.png", ww->number, wc->id);
            dataset_table_set(t, row, WO_C_DRAWING, file);
        }
        snprintf(num, sizeof num, "%d", wc->votes);
        dataset_table_set(t, row, WO_C_VOTES, num);
        snprintf(num, sizeof num, "%d", wc->flagged);
        dataset_table_set(t, row, WO_C_FLAGGED, num);
        snprintf(num, sizeof num, "%d", wc->merged);
        dataset_table_set(t, row, WO_C_MERGED, num);
        int rank = 1;
        for (int j = 0; j < ww->n_cards; j++)
            rank += ww->cards[j].exported && ww->cards[j].votes > wc->votes;
        snprintf(num, sizeof num, "%d", rank);
        dataset_table_set(t, row, WO_C_RANK, num);
        const WoCard *about = workshop_out_about(ww, wc->c.about_card);
        dataset_table_set(t, row, WO_C_ABOUT, about ? about->id : "");
        dataset_table_set(t, row, WO_C_WHO, wc->c.who);
        dataset_table_set(t, row, WO_C_WHEN, wc->c.by_when);
    }
    ww->rows = n;
    free(order);
    return t;
}

static DatasetTable *wo_votes_table(const WoWorkshop *ww)
{
    char name[48], title[200], col[32], coltitle[96];
    int rounds = ww->w.round > 0 ? ww->w.round : 1;
    snprintf(name, sizeof name, "workshop-%d-votes", ww->number);
    snprintf(title, sizeof title, "Zukunftswerkstatt %d: Punkte je Karte und Abstimmungsrunde",
             ww->number);
    DatasetTable *t = dataset_table_create(name, title);
    dataset_table_add_column(t, "card_id", "Zufallskennung der Karte (wie in der Kartendatei)",
                             NULL, DATASET_STRING);
    static const char *const phase_de[] = {"Kritik", "Fantasie", "Verwirklichung"};
    for (int r = 0; r < rounds; r++) {
        int ph = ww->round_phase[r];
        snprintf(col, sizeof col, "dots_round_%d", r + 1);
        if (ph >= 0 && ph <= WS_PHASE_REALISATION)
            snprintf(coltitle, sizeof coltitle, "Punkte in Runde %d (%s)", r + 1, phase_de[ph]);
        else
            snprintf(coltitle, sizeof coltitle, "Punkte in Runde %d", r + 1);
        dataset_table_add_column(t, col, coltitle,
                                 ph == -1 ? "Eine Runde über die Karten aller Phasen (vor der "
                                            "Abstimmung nach Phasen). Ohne Punkte verdächtiger "
                                            "Abstimmungen; mit denen zusammengeführter Doppel."
                                          : "Eine Runde gilt den Karten einer Phase. Ohne Punkte "
                                            "verdächtiger Abstimmungen; mit denen "
                                            "zusammengeführter Doppel.",
                                 DATASET_INTEGER);
    }
    dataset_table_add_column(t, "dots_flagged",
                             "Punkte aus verdächtigen Abstimmungen (alle "
                             "Runden)",
                             NULL, DATASET_INTEGER);
    /* the same shuffled order as the cards table */
    int n = ww->rows;
    const WoCard **by_row = xcalloc((size_t)(n ? n : 1), sizeof *by_row);
    for (int i = 0; i < ww->n_cards; i++)
        if (ww->cards[i].exported && ww->cards[i].row < n)
            by_row[ww->cards[i].row] = &ww->cards[i];
    for (int r = 0; r < n; r++) {
        const WoCard *wc = by_row[r];
        if (KS_NEVER(!wc))
            continue;
        char num[16];
        int row = dataset_table_add_row(t);
        dataset_table_set(t, row, 0, wc->id);
        for (int k = 0; k < rounds; k++) {
            snprintf(num, sizeof num, "%d", wc->round_dots[k]);
            dataset_table_set(t, row, 1 + k, num);
        }
        snprintf(num, sizeof num, "%d", wc->flagged);
        dataset_table_set(t, row, 1 + rounds, num);
    }
    free(by_row);
    return t;
}

/* Random ids unique within the workshop (50 bits: a clash is rare, but
 * card_id is the tables' key). */
static void wo_assign_ids(WoWorkshop *ww)
{
    for (int i = 0; i < ww->n_cards; i++) {
        bool clash = true;
        while (clash) {
            anonymise_random_id(ww->cards[i].id);
            clash = false;
            for (int j = 0; j < i; j++)
                clash |= strcmp(ww->cards[j].id, ww->cards[i].id) == 0;
        }
    }
}

KsStatus workshop_out_collect(Store *store, const char *redo_batch, int k, WorkshopOut **out)
{
    WorkshopOut *o = xcalloc(1, sizeof *o);
    *out = NULL;
    KsStatus ks = store_ws_export_list(store, redo_batch, wo_add_workshop, o);
    for (int i = 0; ks == KS_OK && i < o->n; i++) {
        WoWorkshop *ww = &o->ws[i];
        int rounds = ww->w.round > 0 ? ww->w.round : 1;
        ww->round_phase = xmalloc((size_t)rounds * sizeof *ww->round_phase);
        for (int r = 0; r < rounds; r++)
            ww->round_phase[r] = -2; /* no dots */
        ks = store_ws_cards(store, ww->w.id, -1, false, false, wo_add_card, ww);
        if (ks == KS_OK)
            ks = store_ws_vote_rounds(store, ww->w.id, wo_add_dots, ww);
        if (ks == KS_OK)
            ks = store_ws_rounds(store, ww->w.id, wo_add_round, ww);
        if (ks != KS_OK)
            break;
        wo_count_merged(ww);
        wo_suppress_age(ww, k);
        wo_assign_ids(ww);
        ww->cards_t = wo_cards_table(ww);
        ww->votes_t = wo_votes_table(ww);
        ww->plan_t = workshop_out_plan_table(ww);
    }
    if (ks != KS_OK) {
        LOG_ERROR("cannot read workshops for export: %s", ks_status_str(ks));
        workshop_out_destroy(o);
        return ks;
    }
    o->ids = xcalloc((size_t)(o->n ? o->n : 1), sizeof *o->ids);
    o->tables = xcalloc((size_t)(WO_TABLES * o->n + 1), sizeof *o->tables);
    for (int i = 0; i < o->n; i++) {
        const WoWorkshop *ww = &o->ws[i];
        o->ids[i] = ww->w.id;
        o->tables[WO_TABLES * i] = ww->cards_t;
        o->tables[WO_TABLES * i + 1] = ww->votes_t;
        o->tables[WO_TABLES * i + 2] = ww->plan_t;
        if (!o->day_from[0] || strcmp(ww->w.day, o->day_from) < 0)
            str_copy(o->day_from, sizeof o->day_from, ww->w.day);
        if (strcmp(ww->w.day, o->day_to) > 0)
            str_copy(o->day_to, sizeof o->day_to, ww->w.day);
    }
    *out = o;
    return KS_OK;
}

void workshop_out_destroy(WorkshopOut *o)
{
    if (!o)
        return;
    for (int i = 0; i < o->n; i++) {
        WoWorkshop *ww = &o->ws[i];
        for (int j = 0; j < ww->n_cards; j++)
            free(ww->cards[j].round_dots);
        free(ww->cards);
        free(ww->round_phase);
        dataset_table_destroy(ww->cards_t);
        dataset_table_destroy(ww->votes_t);
        dataset_table_destroy(ww->plan_t);
    }
    for (int i = 0; i < o->n_files; i++)
        free(o->files[i]);
    free(o->files);
    free(o->ws);
    free(o->ids);
    free(o->tables);
    free(o);
}

int workshop_out_count(const WorkshopOut *o)
{
    return o ? o->n : 0;
}

int workshop_out_cards(const WorkshopOut *o)
{
    int n = 0;
    for (int i = 0; o && i < o->n; i++)
        n += o->ws[i].rows;
    return n;
}

const int64_t *workshop_out_ids(const WorkshopOut *o)
{
    return o ? o->ids : NULL;
}

const char *workshop_out_day_from(const WorkshopOut *o)
{
    return o ? o->day_from : "";
}

const char *workshop_out_day_to(const WorkshopOut *o)
{
    return o ? o->day_to : "";
}

int workshop_out_tables(const WorkshopOut *o, const DatasetTable ***tables)
{
    *tables = o ? o->tables : NULL;
    return o ? WO_TABLES * o->n : 0;
}

int workshop_out_drawings(const WorkshopOut *o, const char *const **files)
{
    *files = o ? (const char *const *)o->files : NULL;
    return o ? o->n_files : 0;
}

static KsStatus wo_write_drawings(Store *store, WorkshopOut *o, WoWorkshop *ww, const char *dir)
{
    char path[4096];
    bool made = false;
    for (int i = 0; i < ww->n_cards; i++) {
        WoCard *wc = &ww->cards[i];
        const char *file =
            wc->exported ? dataset_table_get(ww->cards_t, wc->row, WO_C_DRAWING) : NULL;
        if (!file)
            continue;
        if (!made) {
            snprintf(path, sizeof path, "%s/data/workshop-%d-drawings", dir, ww->number);
            if (mkdir(path, 0755) != 0 && errno != EEXIST) {
                LOG_ERROR("cannot create %s: %s", path, strerror(errno));
                return KS_ERR_IO;
            }
            made = true;
        }
        uint8_t *png = NULL;
        size_t size = 0;
        if (store_ws_card_drawing(store, wc->c.id, &png, &size) != KS_OK) {
            LOG_WARN("a workshop card's drawing is missing; left out");
            dataset_table_set(ww->cards_t, wc->row, WO_C_DRAWING, NULL);
            continue;
        }
        snprintf(path, sizeof path, "%s/data/%s", dir, file);
        KsStatus ks = bagit_write_file(path, png, size);
        free(png);
        if (ks != KS_OK)
            return ks;
        o->files = xrealloc(o->files, (size_t)(o->n_files + 1) * sizeof *o->files);
        o->files[o->n_files++] = xstrdup(file);
        ww->drawings++;
    }
    return KS_OK;
}

KsStatus workshop_out_write(Store *store, WorkshopOut *o, const char *dir)
{
    char path[4096];
    for (int i = 0; o && i < o->n; i++) {
        WoWorkshop *ww = &o->ws[i];
        KsStatus ks = wo_write_drawings(store, o, ww, dir);
        if (ks != KS_OK)
            return ks;
        snprintf(path, sizeof path, "%s/data/%s.csv", dir, ww->cards_t->name);
        if ((ks = csvfile_write_table(ww->cards_t, path)) != KS_OK)
            return ks;
        snprintf(path, sizeof path, "%s/data/%s.csv", dir, ww->votes_t->name);
        if ((ks = csvfile_write_table(ww->votes_t, path)) != KS_OK)
            return ks;
        if ((ks = workshop_out_plan_write(ww, dir)) != KS_OK)
            return ks;
    }
    return KS_OK;
}

void workshop_out_batch_json(const WorkshopOut *o, cJSON *root)
{
    cJSON *arr = cJSON_AddArrayToObject(root, "workshops");
    for (int i = 0; o && i < o->n; i++) {
        const WoWorkshop *ww = &o->ws[i];
        char file[64];
        cJSON *w = cJSON_CreateObject();
        cJSON_AddNumberToObject(w, "number", ww->number);
        cJSON_AddStringToObject(w, "title", ww->w.title);
        cJSON_AddStringToObject(w, "question", ww->w.question);
        cJSON_AddStringToObject(w, "day", ww->w.day);
        cJSON_AddStringToObject(w, "langs", ww->w.langs);
        cJSON_AddNumberToObject(w, "dots_per_round", ww->w.dots);
        cJSON_AddNumberToObject(w, "rounds", ww->w.round);
        cJSON_AddBoolToObject(w, "approval", ww->w.approval);
        cJSON_AddNumberToObject(w, "cards", ww->rows);
        cJSON_AddNumberToObject(w, "drawings", ww->drawings);
        snprintf(file, sizeof file, "%s.csv", ww->cards_t->name);
        cJSON_AddStringToObject(w, "cards_file", file);
        snprintf(file, sizeof file, "%s.csv", ww->votes_t->name);
        cJSON_AddStringToObject(w, "votes_file", file);
        cJSON *phases = cJSON_AddArrayToObject(w, "round_phases");
        for (int r = 0; r < (ww->w.round > 0 ? ww->w.round : 1); r++) {
            int ph = ww->round_phase[r];
            cJSON_AddItemToArray(phases,
                                 ph == -2   ? cJSON_CreateNull()
                                 : ph == -1 ? cJSON_CreateString("all")
                                            : cJSON_CreateString(store_ws_phase_name((WsPhase)ph)));
        }
        cJSON_AddNumberToObject(w, "plan_cards", ww->plans);
        snprintf(file, sizeof file, "%s.csv", ww->plan_t->name);
        cJSON_AddStringToObject(w, "plan_file", file);
        snprintf(file, sizeof file, "workshop-%d-plan.md", ww->number);
        cJSON_AddStringToObject(w, "plan_text", file);
        cJSON_AddItemToArray(arr, w);
    }
}

void workshop_out_disclosure_json(const WorkshopOut *o, int k, cJSON *root)
{
    cJSON *arr = cJSON_AddArrayToObject(root, "workshops");
    for (int i = 0; o && i < o->n; i++) {
        const WoWorkshop *ww = &o->ws[i];
        cJSON *w = cJSON_CreateObject();
        cJSON_AddNumberToObject(w, "number", ww->number);
        cJSON_AddNumberToObject(w, "cards", ww->rows);
        cJSON_AddNumberToObject(w, "k", k);
        cJSON_AddStringToObject(
            w, "rule",
            "only approved cards; duplicates merged by staff are folded into the card they were "
            "merged into (their votes counted there, their text not exported); card ids are "
            "random per batch, rows shuffled; contact data in text masked; age_band emptied on "
            "cards whose (lang, age_band) group in the workshop is smaller than k; votes only as "
            "totals per card and round, never with a token or a link to a card's author; the "
            "only time is the workshop's day; the plan (CSV and Markdown) holds only approved "
            "plan cards about approved ideas, their texts masked as the cards' are, helpers and "
            "times as chosen from tiles, never an age band or a language");
        cJSON_AddNumberToObject(w, "age_band_suppressed", ww->age_suppressed);
        cJSON_AddItemToArray(arr, w);
    }
}
