/* workshop_out_private: what the halves of workshop_out share (the cards
 * and votes tables in workshop_out.c, the plan in workshop_out_plan.c): a
 * batch's workshops as read and anonymised in memory. Only they include it. */
#ifndef KS_WORKSHOP_OUT_PRIVATE_H
#define KS_WORKSHOP_OUT_PRIVATE_H

#include <stdbool.h>

#include "../firmware/storage/store_workshop.h"
#include "anonymise.h"
#include "workshop_out.h"

typedef struct {
    StoreWsCard c; /* as stored; c.id is for this file only */
    char id[ANONYMISE_ID_LEN + 1];
    bool exported;      /* an approved wall card: gets a row */
    int merged;         /* cards folded into it, however deep */
    int votes, flagged; /* dots of unflagged tokens and of flagged ones */
    int *round_dots;    /* unflagged dots per round (w.round entries) */
    int row;            /* its row in the cards table */
} WoCard;

typedef struct {
    StoreWorkshop w;
    int number; /* 1.. within the batch */
    WoCard *cards;
    int n_cards, cap_cards;
    int rows; /* exported cards */
    int age_suppressed;
    int drawings;     /* written */
    int *round_phase; /* per round (w.round entries): its phase, -1 every phase */
    DatasetTable *cards_t, *votes_t, *plan_t;
    int plans; /* plan rows */
} WoWorkshop;

struct WorkshopOut {
    WoWorkshop *ws;
    int n, cap;
    int64_t *ids;
    const DatasetTable **tables;
    char **files;
    int n_files;
    char day_from[11], day_to[11];
};

/* The exported card a card's about_card counts as (through later merges),
 * or NULL when it has no row. */
const WoCard *workshop_out_about(WoWorkshop *ww, int64_t about);

/* The description of a plan's helpers (who), in the cards and the plan
 * table alike. */
#define WO_WHO_DESCRIPTION                                                                         \
    "Leerzeichen-getrennte Liste: us = wir selbst, parents = Eltern, "                             \
    "school = Schule, kita = Kita, youthclub = Jugendclub, club = Verein, "                        \
    "library = Bibliothek, city = Bezirk/Stadt, companies = Firmen; leer, "                        \
    "wenn niemand gewählt ist."

/* Adds the four times of a plan ("Bis wann?") as categories of column col. */
void workshop_out_when_categories(DatasetTable *t, int col);

/* workshop_out_plan.c: the plan table (after the cards table: it uses the
 * cards' random ids and rows) and the German plan to print. */
DatasetTable *workshop_out_plan_table(WoWorkshop *ww);
/* Writes data/workshop-<n>-plan.csv and data/workshop-<n>-plan.md into
 * dir, after the drawings (a drawing left out is left out of the plan
 * too). KS_ERR_IO on a failed write. */
KsStatus workshop_out_plan_write(WoWorkshop *ww, const char *dir);

#endif
