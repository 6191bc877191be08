/* export_data_private: what export_data.c (building a batch's data/ folder)
 * and export_data_json.c (its JSON documents) share: the batch as read and
 * anonymised. */
#ifndef KS_EXPORT_DATA_PRIVATE_H
#define KS_EXPORT_DATA_PRIVATE_H

#include "anonymise.h"
#include "export_data.h"
#include "responses.h"
#include "workshop_out.h"

/* An approved free text or drawing, kept apart from its response. */
typedef struct {
    int64_t session_id; /* to fetch a drawing's PNG; never written */
    int form;
    char *question, *lang, *text;
    char period[16];
    bool drawing;
} ExportItem;

/* A form of the batch and what k-anonymity did to it. */
typedef struct {
    const Form *form;
    int n_records;
    int *qi; /* question indices of its quasi-identifiers, form order */
    int n_qi;
    int *suppressed;     /* per question index */
    int lang_suppressed; /* lang values blanked (when lang is a quasi-identifier) */
    AnonymiseStats stats;
} ExportForm;

typedef struct {
    const Catalog *cat;
    ExportForm *forms;
    int n_forms, cap_forms;
    ResponsesRecord *recs;
    int n_recs, cap_recs;
    ExportItem *items;
    int n_items, cap_items;
    char **versions; /* "kinder 2026-11-24.2", distinct */
    int n_versions;
    int unknown; /* sessions of forms the catalog lacks: left waiting */
    char unknown_form[64];
    ExportPeriod period;
} ExportBuild;

/* disclosure-report.json: k, the quasi-identifiers and what was suppressed. */
KsStatus export_disclosure(const ExportBuild *b, const ExportDataOptions *o, int k,
                           const WorkshopOut *ws, const char *path);
/* batch.json: the batch's rows, period, forms and workshops. */
KsStatus export_batch_json(const ExportBuild *b, const ExportDataOptions *o, int k,
                           const ExportDataResult *out, const WorkshopOut *ws, const char *path);

#endif
