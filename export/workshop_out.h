/* workshop_out: the Zukunftswerkstatt part of an export batch. Reads the
 * workshops a batch carries through storage's read API and turns each into
 * three anonymised tables — workshop-<n>-cards (approved wall cards, merged
 * duplicates folded in, fresh random ids, shuffled, contact data masked,
 * age band suppressed in small groups), workshop-<n>-votes (dots per card
 * and round, each round about one phase) and workshop-<n>-plan (the
 * approved plan cards of the approved ideas: idea, what, who, when, dots)
 * — plus the drawings as workshop-<n>-drawings/<id>.png and the plan in
 * German to print, workshop-<n>-plan.md. <n> numbers the workshops within
 * the batch; no database id, voting token or time finer than the
 * workshop's day leaves. */
#ifndef KS_WORKSHOP_OUT_H
#define KS_WORKSHOP_OUT_H

#include <stdint.h>
#include <cjson/cJSON.h>

#include "../firmware/core/ks_status.h"
#include "../firmware/storage/store.h"
#include "dataset.h"

typedef struct WorkshopOut WorkshopOut;

/* Reads the workshops of a new batch (or, with redo_batch, of that batch)
 * and builds their tables in memory; writes nothing. k is the smallest
 * group of cards sharing (lang, age band) that keeps its age band. *out is
 * NULL on failure; free with workshop_out_destroy. */
KsStatus workshop_out_collect(Store *store, const char *redo_batch, int k, WorkshopOut **out);
void workshop_out_destroy(WorkshopOut *w); /* accepts NULL */

/* Number of workshops and of card rows over all of them. */
int workshop_out_count(const WorkshopOut *w);
int workshop_out_cards(const WorkshopOut *w);
/* The database ids of the workshops, for the ledger only (never written):
 * borrowed, workshop_out_count of them, valid until destroy. */
const int64_t *workshop_out_ids(const WorkshopOut *w);
/* Earliest and latest workshop day ("YYYY-MM-DD"; "" without workshops). */
const char *workshop_out_day_from(const WorkshopOut *w);
const char *workshop_out_day_to(const WorkshopOut *w);

/* The tables (cards, votes and plan per workshop, in batch order),
 * borrowed until destroy; returns how many (3 per workshop). */
int workshop_out_tables(const WorkshopOut *w, const DatasetTable ***tables);

/* Writes the drawings, the CSV files and the plan to print into dir/data/
 * (which exists). A drawing that cannot be read is left out and its cell
 * emptied. KS_ERR_IO when a file cannot be written. */
KsStatus workshop_out_write(Store *store, WorkshopOut *w, const char *dir);
/* The drawing files written, relative to data/, borrowed until destroy. */
int workshop_out_drawings(const WorkshopOut *w, const char *const **files);

/* Adds "workshops" (an array) to batch.json's root and to the disclosure
 * report's root. */
void workshop_out_batch_json(const WorkshopOut *w, cJSON *root);
void workshop_out_disclosure_json(const WorkshopOut *w, int k, cJSON *root);

#endif
