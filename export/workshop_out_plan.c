/* workshop_out_plan: a workshop's plan in a batch — workshop-<n>-plan.csv,
 * one row per approved plan card about an approved idea (the idea, what
 * comes first, who can help, by when, the idea's dots), and
 * workshop-<n>-plan.md, the same in German by idea and helper for the
 * network to print and hang up. Only cards that have a row in the cards
 * table leave (approved, not merged away), their texts masked as there;
 * ordered by the idea's dots, then by the batch's random ids (never in the
 * order written). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../firmware/core/log.h"
#include "../firmware/core/mem.h"
#include "bagit.h"
#include "csvfile.h"
#include "workshop_out_private.h"

enum {
    WO_P_ID,
    WO_P_IDEA_ID,
    WO_P_RANK,
    WO_P_IDEA,
    WO_P_WHAT,
    WO_P_MASKED,
    WO_P_DRAWING,
    WO_P_WHO,
    WO_P_WHEN,
    WO_P_DOTS,
    WO_P_COUNT
};

static const DatasetColumnSpec WO_PLAN_COLUMNS[WO_P_COUNT] = {
    [WO_P_ID] = {"card_id", "Zufallskennung der Plan-Karte (wie in der Kartendatei)", NULL,
                 DATASET_STRING},
    [WO_P_IDEA_ID] = {"idea_card_id", "Zufallskennung der Idee (wie in der Kartendatei)", NULL,
                      DATASET_STRING},
    [WO_P_RANK] = {"idea_rank",
                   "Platz der Idee nach Punkten unter den Ideen mit "
                   "Plan (1 = die meisten; gleiche Punkte, gleicher Platz)",
                   NULL, DATASET_INTEGER},
    [WO_P_IDEA] = {"idea", "Die Idee (ihr Text, sonst ihr Themenbild)",
                   "Kontaktdaten durch [entfernt] ersetzt.", DATASET_STRING},
    [WO_P_WHAT] = {"what", "Was machen wir zuerst?",
                   "Text der Plan-Karte, Kontaktdaten durch [entfernt] ersetzt; leer, "
                   "wenn die Karte nur gemalt oder nur aus Bildern gewählt ist.",
                   DATASET_STRING},
    [WO_P_MASKED] = {"masked", "Kontaktdaten entfernt (in idea oder what)", NULL, DATASET_BINARY},
    [WO_P_DRAWING] = {"drawing", "PNG-Datei der Zeichnung der Plan-Karte, relativ zu data/", NULL,
                      DATASET_STRING},
    [WO_P_WHO] = {"who", "Wer kann helfen?", WO_WHO_DESCRIPTION, DATASET_STRING},
    [WO_P_WHEN] = {"when", "Bis wann?", NULL, DATASET_CATEGORY},
    [WO_P_DOTS] = {"dots", "Punkte der Idee (alle Runden)",
                   "Wie votes in der Kartendatei: ohne Punkte verdächtiger "
                   "Abstimmungen, mit denen zusammengeführter Doppel.",
                   DATASET_INTEGER},
};

/* German names for the plan to print (export writes German; the kiosk's
 * catalogs are the app's). In the order of store_ws_who_codes and
 * store_ws_when_codes. */
static const char *const g_who_de[WS_WHO_COUNT] = {"Wir selbst", "Eltern",       "Schule",
                                                   "Kita",       "Jugendclub",   "Verein",
                                                   "Bibliothek", "Bezirk/Stadt", "Firmen"};
static const char *const g_when_de[WS_WHEN_COUNT] = {"diese Woche", "diesen Monat",
                                                     "dieses Schuljahr", "später"};
static const char *const g_topic_de[][2] = {{"play", "Spielen"},        {"school", "Schule"},
                                            {"safety", "Sicherheit"},   {"nature", "Natur"},
                                            {"sport", "Sport"},         {"learning", "Lernen"},
                                            {"friends", "Freunde"},     {"family", "Familie"},
                                            {"transport", "Unterwegs"}, {"culture", "Kultur"}};

void workshop_out_when_categories(DatasetTable *t, int col)
{
    for (int i = 0; i < WS_WHEN_COUNT; i++)
        dataset_table_add_category(t, col, i + 1, store_ws_when_codes[i], g_when_de[i]);
}

/* A plan card and the idea it is about. */
typedef struct {
    const WoCard *plan, *idea;
} WoPlan;

/* Most dots first; ties by the random ids, so the order says nothing about
 * when a card was written. */
static int by_idea(const void *a, const void *b)
{
    const WoPlan *x = a, *y = b;
    if (x->idea->votes != y->idea->votes)
        return y->idea->votes - x->idea->votes;
    int c = strcmp(x->idea->id, y->idea->id);
    return c ? c : strcmp(x->plan->id, y->plan->id);
}

/* The plan cards of the batch, ordered; *n of them (malloc'd). */
static WoPlan *plan_cards(WoWorkshop *ww, int *n)
{
    WoPlan *p = xcalloc((size_t)(ww->n_cards ? ww->n_cards : 1), sizeof *p);
    *n = 0;
    for (int i = 0; i < ww->n_cards; i++) {
        const WoCard *wc = &ww->cards[i];
        if (!wc->exported || wc->c.phase != WS_PHASE_REALISATION)
            continue;
        const WoCard *idea = workshop_out_about(ww, wc->c.about_card);
        if (idea && idea->c.phase == WS_PHASE_FANTASY)
            p[(*n)++] = (WoPlan){wc, idea};
    }
    qsort(p, (size_t)*n, sizeof *p, by_idea);
    return p;
}

/* The idea's words: its text (contact data masked: *masked), else its
 * topic's German name. Free the result. */
static char *idea_text(const WoCard *idea, bool *masked)
{
    char *text = NULL;
    *masked = false;
    if (idea->c.text[0]) {
        *masked = anonymise_mask_contacts(idea->c.text, &text);
        return text;
    }
    for (size_t i = 0; i < sizeof g_topic_de / sizeof g_topic_de[0]; i++)
        if (strcmp(idea->c.topic, g_topic_de[i][0]) == 0)
            return xstrdup(g_topic_de[i][1]);
    return xstrdup("");
}

static DatasetTable *plan_columns(const WoWorkshop *ww)
{
    char name[48], title[200];
    snprintf(name, sizeof name, "workshop-%d-plan", ww->number);
    snprintf(title, sizeof title, "Zukunftswerkstatt %d: Plan (Verwirklichung der Ideen)",
             ww->number);
    DatasetTable *t = dataset_table_create(name, title);
    dataset_table_add_columns(t, WO_PLAN_COLUMNS, WO_P_COUNT);
    workshop_out_when_categories(t, WO_P_WHEN);
    return t;
}

DatasetTable *workshop_out_plan_table(WoWorkshop *ww)
{
    DatasetTable *t = plan_columns(ww);
    int n = 0, rank = 0, drawing = dataset_table_find(ww->cards_t, "drawing");
    WoPlan *p = plan_cards(ww, &n);
    for (int r = 0; r < n; r++) {
        char num[16];
        if (r == 0 || p[r].idea->votes != p[r - 1].idea->votes)
            rank = 1 + (r == 0 ? 0 : rank); /* a dense rank over the ideas */
        int row = dataset_table_add_row(t);
        dataset_table_set(t, row, WO_P_ID, p[r].plan->id);
        dataset_table_set(t, row, WO_P_IDEA_ID, p[r].idea->id);
        snprintf(num, sizeof num, "%d", rank);
        dataset_table_set(t, row, WO_P_RANK, num);
        bool masked = false;
        char *idea = idea_text(p[r].idea, &masked), *what = NULL;
        if (p[r].plan->c.text[0])
            masked = anonymise_mask_contacts(p[r].plan->c.text, &what) || masked;
        dataset_table_set(t, row, WO_P_IDEA, idea);
        dataset_table_set(t, row, WO_P_WHAT, what);
        dataset_table_set(t, row, WO_P_MASKED, masked ? "1" : "0");
        free(idea);
        free(what);
        dataset_table_set(t, row, WO_P_DRAWING,
                          dataset_table_get(ww->cards_t, p[r].plan->row, drawing));
        dataset_table_set(t, row, WO_P_WHO, p[r].plan->c.who);
        dataset_table_set(t, row, WO_P_WHEN, p[r].plan->c.by_when);
        snprintf(num, sizeof num, "%d", p[r].idea->votes);
        dataset_table_set(t, row, WO_P_DOTS, num);
    }
    ww->plans = n;
    free(p);
    return t;
}

/* ---- the plan to print -------------------------------------------------- */

/* Text for Markdown: ASCII punctuation that could start markup escaped,
 * line breaks as spaces. */
static void md_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '\n' || *s == '\r') {
            fputc(' ', f);
            continue;
        }
        if (strchr("\\`*_{}[]<>#|!~", *s))
            fputc('\\', f);
        fputc(*s, f);
    }
}

/* One plan card as a list item: what comes first (or its drawing), by when. */
static void md_item(FILE *f, const DatasetTable *t, int row)
{
    const char *what = dataset_table_get(t, row, WO_P_WHAT);
    const char *drawing = dataset_table_get(t, row, WO_P_DRAWING);
    const char *when = dataset_table_get(t, row, WO_P_WHEN);
    fputs("- ", f);
    if (what)
        md_text(f, what);
    else if (drawing)
        fprintf(f, "(eine Zeichnung: %s)", drawing);
    else
        fputs("(ohne Text)", f);
    int w = store_ws_when_index(when);
    if (w >= 0)
        fprintf(f, " – bis: %s", g_when_de[w]);
    fputc('\n', f);
}

static bool row_has_helper(const DatasetTable *t, int row, int who)
{
    const char *list = dataset_table_get(t, row, WO_P_WHO);
    if (who < 0)
        return !list;
    size_t n = strlen(store_ws_who_codes[who]);
    for (const char *p = list; p && (p = strstr(p, store_ws_who_codes[who])) != NULL; p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return true;
    return false;
}

/* An idea's section: its heading, then its plan cards by helper (a card
 * with several helpers under each), those with none last. */
static void md_idea(FILE *f, const DatasetTable *t, int first, int end, int rank)
{
    const char *idea = dataset_table_get(t, first, WO_P_IDEA);
    const char *dots = dataset_table_get(t, first, WO_P_DOTS);
    fprintf(f, "## %d. ", rank);
    md_text(f, idea ? idea : "(ein Bild)");
    fprintf(f, " (%s %s)\n\n", dots, strcmp(dots, "1") == 0 ? "Punkt" : "Punkte");
    for (int who = 0; who <= WS_WHO_COUNT; who++) {
        int h = who < WS_WHO_COUNT ? who : -1;
        bool any = false;
        for (int r = first; r < end; r++) {
            if (!row_has_helper(t, r, h))
                continue;
            if (!any)
                fprintf(f, "### %s\n\n", h >= 0 ? g_who_de[h] : "Wer hilft? Noch offen");
            any = true;
            md_item(f, t, r);
        }
        if (any)
            fputc('\n', f);
    }
}

static void md_plan(FILE *f, const WoWorkshop *ww)
{
    const DatasetTable *t = ww->plan_t;
    fputs("# Unser Plan: ", f);
    md_text(f, ww->w.title);
    fputs("\n\n", f);
    md_text(f, ww->w.question);
    fprintf(f,
            "  \nZukunftswerkstatt vom %s. Die Ideen mit den meisten Punkten zuerst; unter "
            "jeder Idee, wer helfen kann, was wir zuerst machen und bis wann.\n\n",
            ww->w.day);
    if (t->n_rows == 0) {
        fputs("Noch gibt es keinen Plan: keine freigegebene Karte der Verwirklichung zu einer "
              "Idee.\n",
              f);
        return;
    }
    for (int first = 0, rank = 0; first < t->n_rows;) {
        const char *idea = dataset_table_get(t, first, WO_P_IDEA_ID);
        int end = first;
        while (end < t->n_rows && strcmp(dataset_table_get(t, end, WO_P_IDEA_ID), idea) == 0)
            end++;
        md_idea(f, t, first, end, ++rank);
        first = end;
    }
}

/* A drawing the export could not read was emptied in the cards table:
 * the plan follows it. */
static void plan_sync(WoWorkshop *ww)
{
    int drawing = dataset_table_find(ww->cards_t, "drawing");
    for (int r = 0; r < ww->plan_t->n_rows; r++) {
        const char *id = dataset_table_get(ww->plan_t, r, WO_P_ID);
        for (int c = 0; c < ww->cards_t->n_rows; c++)
            if (strcmp(dataset_table_get(ww->cards_t, c, 0), id) == 0 &&
                !dataset_table_get(ww->cards_t, c, drawing))
                dataset_table_set(ww->plan_t, r, WO_P_DRAWING, NULL);
    }
}

KsStatus workshop_out_plan_write(WoWorkshop *ww, const char *dir)
{
    char path[4096];
    plan_sync(ww);
    snprintf(path, sizeof path, "%s/data/%s.csv", dir, ww->plan_t->name);
    KsStatus ks = csvfile_write_table(ww->plan_t, path);
    if (ks != KS_OK)
        return ks;
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    if (!f)
        return KS_ERR_NOMEM;
    md_plan(f, ww);
    if (fclose(f) != 0) {
        free(text);
        return KS_ERR_NOMEM;
    }
    snprintf(path, sizeof path, "%s/data/workshop-%d-plan.md", dir, ww->number);
    ks = bagit_write_file(path, text, size);
    free(text);
    if (ks != KS_OK)
        LOG_ERROR("cannot write %s", path);
    return ks;
}
