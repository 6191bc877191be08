/* export_data_json: the two JSON documents of a batch's data/ folder that
 * describe it rather than hold answers: disclosure-report.json (what
 * k-anonymity suppressed, per form and question) and batch.json (rows,
 * period, forms, workshops). */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../firmware/core/log.h"
#include "../firmware/core/str.h"
#include "export_data_private.h"

static KsStatus export_write_json(cJSON *root, const char *path)
{
    KsStatus ks = KS_OK;
    char *text = cJSON_Print(root);
    FILE *f = text ? fopen(path, "wb") : NULL;
    if (!f || fputs(text, f) < 0 || fputc('\n', f) == EOF)
        ks = KS_ERR_IO;
    if (f && fclose(f) != 0)
        ks = KS_ERR_IO;
    if (ks != KS_OK)
        LOG_ERROR("cannot write %s", path);
    cJSON_free(text);
    cJSON_Delete(root);
    return ks;
}

static const char *export_period_key(ExportPeriod p)
{
    return p == EXPORT_PERIOD_DAY ? "day" : p == EXPORT_PERIOD_MONTH ? "month" : "week";
}

KsStatus export_disclosure(const ExportBuild *b, const ExportDataOptions *o, int k,
                           const WorkshopOut *ws, const char *path)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "batch_id", o->batch_id ? o->batch_id : "");
    cJSON_AddNumberToObject(root, "k", k);
    cJSON_AddStringToObject(
        root, "rule",
        "k-anonymity by local suppression per form over its declared quasi-identifiers: records "
        "are grouped by their combination of quasi-identifier values (an empty value counts as "
        "a value); in every group smaller than k the least important field that still has a "
        "value is set to empty, and grouping is repeated until every group has at least k "
        "records or has no value left. Importance is the order of the questions in the form "
        "(first = most important, last = suppressed first). Recoding is fixed per form (none "
        "beyond the form's own categories).");
    cJSON_AddStringToObject(
        root, "lang_rule",
        o->qi_lang ? "the survey language (lang) is a quasi-identifier of every form, after its "
                     "questions: the least important, suppressed first (export_qi_lang = yes)"
                   : "the survey language (lang) is not a quasi-identifier (export_qi_lang = no)");
    cJSON_AddStringToObject(root, "period_granularity", export_period_key(o->period));
    cJSON_AddBoolToObject(root, "misuse_included", o->include_misuse);
    cJSON *removed = cJSON_AddArrayToObject(root, "direct_identifiers_removed");
    static const char *const gone[] = {"session uuid", "row id", "device and kiosk id in rows",
                                       "exact start and end times", "answer times"};
    for (size_t i = 0; i < sizeof gone / sizeof gone[0]; i++)
        cJSON_AddItemToArray(removed, cJSON_CreateString(gone[i]));
    cJSON *forms = cJSON_AddArrayToObject(root, "forms");
    for (int fi = 0; fi < b->n_forms; fi++) {
        const ExportForm *ef = &b->forms[fi];
        cJSON *f = cJSON_CreateObject();
        cJSON_AddStringToObject(f, "form", form_id(ef->form));
        cJSON_AddNumberToObject(f, "records", ef->n_records);
        cJSON *qis = cJSON_AddArrayToObject(f, "quasi_identifiers");
        cJSON *sup = cJSON_AddObjectToObject(f, "suppressed");
        for (int j = 0; j < ef->n_qi; j++) {
            const char *name = form_question(ef->form, ef->qi[j])->name;
            cJSON_AddItemToArray(qis, cJSON_CreateString(name));
            cJSON_AddNumberToObject(sup, name, ef->suppressed[ef->qi[j]]);
        }
        if (o->qi_lang) {
            cJSON_AddItemToArray(qis, cJSON_CreateString("lang"));
            cJSON_AddNumberToObject(sup, "lang", ef->lang_suppressed);
        }
        cJSON_AddNumberToObject(f, "groups_before", ef->stats.groups_before);
        cJSON_AddNumberToObject(f, "groups_smaller_than_k_before", ef->stats.small_groups_before);
        cJSON_AddNumberToObject(f, "groups_after", ef->stats.groups_after);
        cJSON_AddNumberToObject(f, "groups_smaller_than_k_after", ef->stats.small_groups_after);
        cJSON_AddNumberToObject(f, "records_without_quasi_identifier_values",
                                ef->stats.records_all_suppressed);
        cJSON_AddItemToArray(forms, f);
    }
    workshop_out_disclosure_json(ws, k, root);
    return export_write_json(root, path);
}

KsStatus export_batch_json(const ExportBuild *b, const ExportDataOptions *o, int k,
                           const ExportDataResult *out, const WorkshopOut *ws, const char *path)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "batch_id", o->batch_id ? o->batch_id : "");
    cJSON_AddStringToObject(root, "kiosk_id", o->kiosk_id ? o->kiosk_id : "");
    cJSON_AddStringToObject(root, "site_code", o->site_code ? o->site_code : "");
    cJSON_AddStringToObject(root, "software_version",
                            o->software_version ? o->software_version : "");
    if (o->redo_batch)
        cJSON_AddStringToObject(root, "re_export_of", o->redo_batch);
    cJSON *forms = cJSON_AddArrayToObject(root, "forms");
    for (int i = 0; i < b->n_versions; i++) {
        char id[160];
        str_copy(id, sizeof id, b->versions[i]);
        char *sp = strchr(id, ' ');
        if (sp)
            *sp++ = '\0';
        int n = 0;
        for (int r = 0; r < b->n_recs; r++)
            n += strcmp(form_id(b->forms[b->recs[r].form].form), id) == 0 &&
                 strcmp(b->recs[r].version, sp ? sp : "") == 0;
        cJSON *f = cJSON_CreateObject();
        cJSON_AddStringToObject(f, "id", id);
        cJSON_AddStringToObject(f, "version", sp ? sp : "");
        const Form *form = catalog_find(b->cat, id);
        if (form)
            cJSON_AddStringToObject(f, "title",
                                    form_text(form, form_title(form), form_default_lang(form)));
        cJSON_AddNumberToObject(f, "responses", n);
        cJSON_AddItemToArray(forms, f);
    }
    cJSON *rows = cJSON_AddObjectToObject(root, "rows");
    cJSON_AddNumberToObject(rows, "responses", out->rows);
    cJSON_AddNumberToObject(rows, "free_texts", out->free_texts);
    cJSON_AddNumberToObject(rows, "drawings", out->drawings);
    cJSON_AddNumberToObject(rows, "workshop_cards", out->workshop_cards);
    int doubt = 0;
    for (int r = 0; r < b->n_recs; r++)
        doubt += b->recs[r].clock_doubt;
    cJSON_AddNumberToObject(rows, "clock_doubt", doubt);
    cJSON *period = cJSON_AddObjectToObject(root, "period");
    cJSON_AddStringToObject(period, "from", out->period_from);
    cJSON_AddStringToObject(period, "to", out->period_to);
    cJSON_AddStringToObject(period, "granularity", export_period_key(o->period));
    cJSON_AddNumberToObject(root, "k", k);
    cJSON_AddBoolToObject(root, "misuse_included", o->include_misuse);
    workshop_out_batch_json(ws, root);
    return export_write_json(root, path);
}
