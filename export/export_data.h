/* export_data: the data files of one batch, anonymised — everything that
 * goes into a bag's data/ folder. It reads the stored sessions through
 * storage's read API, anonymises them (fresh random ids, shuffled rows,
 * coarse periods, k-anonymity over the forms' quasi-identifiers and the
 * survey language, contact data masked in approved free text) and writes
 * responses.csv,
 * responses.sav, datapackage.json, codebook.md, freetext.csv, the approved
 * drawings, disclosure-report.json and batch.json, and the finished
 * Zukunftswerkstatt workshops (workshop_out.c). It draws nothing and signs
 * nothing. */
#ifndef KS_EXPORT_DATA_H
#define KS_EXPORT_DATA_H

#include <stdint.h>
#include <stdbool.h>

#include "../firmware/core/ks_status.h"
#include "../firmware/storage/store.h"
#include "../firmware/survey/catalog.h"

typedef enum { EXPORT_PERIOD_WEEK, EXPORT_PERIOD_DAY, EXPORT_PERIOD_MONTH } ExportPeriod;

typedef struct {
    const char *batch_id; /* e.g. "KIOSK1-20261124-7Q4M" */
    const char *kiosk_id;
    const char *site_code; /* kiosk.conf site_code; "" or NULL when not set */
    const char *software_version;
    int k;                  /* k-anonymity (default 5) */
    bool qi_lang;           /* the survey language is a quasi-identifier, the least
                               important (kiosk.conf export_qi_lang, default yes) */
    ExportPeriod period;    /* how times are coarsened (default week) */
    bool include_misuse;    /* default false: flagged sessions stay out */
    const char *redo_batch; /* re-export the sessions of this batch; NULL: new ones */
} ExportDataOptions;

typedef struct {
    int rows;                            /* responses written */
    int held_back;                       /* eligible responses not written (batch smaller than k) */
    int free_texts, drawings;            /* approved ones written */
    char period_from[16], period_to[16]; /* coarsened, e.g. "2026-W47" */
    char forms[256];                     /* "kinder 2026-11-24.2, eltern 2026-11-24.2" */
    int64_t *session_ids;                /* the sessions in the batch, for the ledger (malloc'd; */
    int n_sessions;                      /*  free with export_data_result_free) */
    int workshop_cards;                  /* card rows over all workshops of the batch */
    int64_t *workshop_ids;               /* the workshops in the batch, for the ledger (malloc'd, */
    int n_workshops;                     /*  freed with export_data_result_free) */
    int unknown;                         /* sessions of forms the catalog lacks: left waiting */
} ExportDataResult;

/* Writes the data files of a batch into dir/data/ (dir must exist).
 * KS_ERR_NOT_FOUND when there is nothing to export; KS_ERR_STATE when
 * fewer than k responses are waiting and no workshop is (they are held
 * back, held_back counts them, nothing is written); with a workshop
 * waiting, too few responses are held back (held_back) and the batch
 * carries the workshop alone (k-anonymity applies to responses; the
 * workshop's cards have their own rule). KS_ERR_IO when a file cannot be
 * written or the store read. The reasons are logged; the result words
 * nothing. */
KsStatus export_data_build(Store *store, const Catalog *cat, const ExportDataOptions *o,
                           const char *dir, ExportDataResult *out);
void export_data_result_free(ExportDataResult *r);

#endif
