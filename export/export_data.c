/* export_data: one batch's data/ folder (see export_data.h). Reads the
 * sessions through storage's read API, keeps them in memory, anonymises
 * them (anonymise.c), builds the tables (responses.c) and hands them to the
 * writers (csvfile, sav, datapackage, codebook). Nothing is written before
 * the batch is known to be large enough. Signs and encrypts nothing. */
#include "export_data.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../firmware/core/log.h"
#include "../firmware/core/mem.h"
#include "../firmware/core/str.h"
#include "../firmware/storage/store_export.h"
#include "../firmware/storage/store_responses.h"
#include "anonymise.h"
#include "bagit.h"
#include "codebook.h"
#include "csvfile.h"
#include "datapackage.h"
#include "dataset.h"
#include "responses.h"
#include "sav.h"
#include "workshop_out.h"

/* An approved free text or drawing, kept apart from its response. */
typedef struct {
    int64_t session_id;  /* to fetch a drawing's PNG; never written */
    int form;
    char *question, *lang, *text;
    char period[16];
    bool drawing;
} ExportItem;

/* A form of the batch and what k-anonymity did to it. */
typedef struct {
    const Form *form;
    int n_records;
    int *qi;             /* question indices of its quasi-identifiers, form order */
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
    char **versions;     /* "kinder 2026-11-24.2", distinct */
    int n_versions;
    int unknown;         /* sessions of forms the catalog lacks: left waiting */
    char unknown_form[64];
    ExportPeriod period;
} ExportBuild;

static int export_form_index(ExportBuild *b, const Form *f)
{
    for (int i = 0; i < b->n_forms; i++)
        if (b->forms[i].form == f)
            return i;
    if (b->n_forms == b->cap_forms) {
        b->cap_forms = b->cap_forms ? b->cap_forms * 2 : 4;
        b->forms = xrealloc(b->forms, (size_t)b->cap_forms * sizeof *b->forms);
    }
    ExportForm *ef = &b->forms[b->n_forms];
    memset(ef, 0, sizeof *ef);
    ef->form = f;
    int nq = form_question_count(f);
    ef->qi = xcalloc((size_t)(nq ? nq : 1), sizeof *ef->qi);
    ef->suppressed = xcalloc((size_t)(nq ? nq : 1), sizeof *ef->suppressed);
    for (int q = 0; q < nq; q++) {
        const FormQuestion *fq = form_question(f, q);
        if (fq->quasi_identifier && responses_has_columns(fq->type))
            ef->qi[ef->n_qi++] = q;
    }
    return b->n_forms++;
}

static void export_note_version(ExportBuild *b, const char *id, const char *version)
{
    char buf[160];
    snprintf(buf, sizeof buf, "%s %s", id, version);
    for (int i = 0; i < b->n_versions; i++)
        if (strcmp(b->versions[i], buf) == 0)
            return;
    b->versions = xrealloc(b->versions, (size_t)(b->n_versions + 1) * sizeof *b->versions);
    b->versions[b->n_versions++] = xstrdup(buf);
}

static void export_add_item(ExportBuild *b, int64_t sid, int form, const char *question,
                            const char *lang, const char *period, const char *text, bool drawing)
{
    if (b->n_items == b->cap_items) {
        b->cap_items = b->cap_items ? b->cap_items * 2 : 32;
        b->items = xrealloc(b->items, (size_t)b->cap_items * sizeof *b->items);
    }
    ExportItem *it = &b->items[b->n_items++];
    it->session_id = sid;
    it->form = form;
    it->question = xstrdup(question);
    it->lang = xstrdup(lang);
    it->text = xstrdup(text ? text : "");
    str_copy(it->period, sizeof it->period, period);
    it->drawing = drawing;
}

static KsStatus export_collect(void *ctx, const StoreExportSession *s,
                               const StoreExportAnswer *answers, int n_answers)
{
    ExportBuild *b = ctx;
    const Form *f = catalog_find(b->cat, s->form_id);
    if (!f) {
        /* without the form there is no schema: the session waits */
        if (!b->unknown++)
            str_copy(b->unknown_form, sizeof b->unknown_form, s->form_id);
        return KS_OK;
    }
    int fi = export_form_index(b, f);
    if (b->n_recs == b->cap_recs) {
        b->cap_recs = b->cap_recs ? b->cap_recs * 2 : 256;
        b->recs = xrealloc(b->recs, (size_t)b->cap_recs * sizeof *b->recs);
    }
    ResponsesRecord *r = &b->recs[b->n_recs++];
    memset(r, 0, sizeof *r);
    r->session_id = s->id;
    r->form = fi;
    r->version = xstrdup(s->form_version ? s->form_version : "");
    r->lang = xstrdup(s->lang ? s->lang : "");
    r->audience = xstrdup(s->audience ? s->audience : "");
    /* A clock in doubt gives no period at all rather than a wrong one. */
    r->clock_doubt = s->clock_doubt;
    if (!s->clock_doubt)
        anonymise_period(s->ended_ms ? s->ended_ms : s->started_ms, b->period, r->period);
    int nq = form_question_count(f);
    r->answers = xcalloc((size_t)(nq ? nq : 1), sizeof *r->answers);
    b->forms[fi].n_records++;
    export_note_version(b, s->form_id, r->version);
    for (int i = 0; i < n_answers; i++) {
        const StoreExportAnswer *a = &answers[i];
        int q = form_question_index(f, a->question);
        if (q < 0 || !a->value || !a->value[0])
            continue;
        const FormQuestion *fq = form_question(f, q);
        if (fq->type == FORM_Q_TEXT) {
            if (a->review == STORE_REVIEW_APPROVED)
                export_add_item(b, s->id, fi, fq->name, r->lang, r->period, a->value, false);
        } else if (fq->type == FORM_Q_DRAW) {
            if (a->review == STORE_REVIEW_APPROVED && a->has_media)
                export_add_item(b, s->id, fi, fq->name, r->lang, r->period, NULL, true);
        } else if (responses_has_columns(fq->type)) {
            r->answers[q] = xstrdup(a->value);
        }
    }
    return KS_OK;
}

static void export_build_free(ExportBuild *b)
{
    for (int i = 0; i < b->n_recs; i++) {
        ResponsesRecord *r = &b->recs[i];
        int nq = form_question_count(b->forms[r->form].form);
        for (int q = 0; q < nq; q++)
            free(r->answers[q]);
        free(r->answers);
        free(r->version);
        free(r->lang);
        free(r->audience);
    }
    free(b->recs);
    for (int i = 0; i < b->n_items; i++) {
        free(b->items[i].question);
        free(b->items[i].lang);
        free(b->items[i].text);
    }
    free(b->items);
    for (int i = 0; i < b->n_forms; i++) {
        free(b->forms[i].qi);
        free(b->forms[i].suppressed);
    }
    free(b->forms);
    for (int i = 0; i < b->n_versions; i++)
        free(b->versions[i]);
    free(b->versions);
}

/* k-anonymity per form over its quasi-identifiers, with lang after them
 * (least important, so suppressed first) when qi_lang; blanks the
 * suppressed answers in the records and marks a suppressed lang. */
static void export_k_anonymise(ExportBuild *b, int k, bool qi_lang)
{
    for (int fi = 0; fi < b->n_forms; fi++) {
        ExportForm *ef = &b->forms[fi];
        int n = ef->n_records, nqi = ef->n_qi + (qi_lang ? 1 : 0);
        int *rows = xmalloc((size_t)(n ? n : 1) * sizeof *rows);
        const char **cells = xcalloc((size_t)(n ? n : 1) * (size_t)(nqi ? nqi : 1), sizeof *cells);
        bool *sup = xcalloc((size_t)(n ? n : 1) * (size_t)(nqi ? nqi : 1), sizeof *sup);
        int *per_field = xcalloc((size_t)(nqi ? nqi : 1), sizeof *per_field);
        int m = 0;
        for (int i = 0; i < b->n_recs; i++) {
            if (b->recs[i].form != fi)
                continue;
            for (int j = 0; j < ef->n_qi; j++)
                cells[(size_t)m * (size_t)nqi + (size_t)j] = b->recs[i].answers[ef->qi[j]];
            if (qi_lang)
                cells[(size_t)m * (size_t)nqi + (size_t)ef->n_qi] = b->recs[i].lang;
            rows[m++] = i;
        }
        anonymise_k_suppress(cells, m, nqi, k, sup, per_field, &ef->stats);
        for (int r = 0; r < m; r++)
            for (int j = 0; j < nqi; j++) {
                if (!sup[(size_t)r * (size_t)nqi + (size_t)j])
                    continue;
                if (j == ef->n_qi) {
                    b->recs[rows[r]].lang_suppressed = true;
                    continue;
                }
                char **a = &b->recs[rows[r]].answers[ef->qi[j]];
                free(*a);
                *a = NULL;
            }
        for (int j = 0; j < ef->n_qi; j++)
            ef->suppressed[ef->qi[j]] = per_field[j];
        ef->lang_suppressed = qi_lang ? per_field[ef->n_qi] : 0;
        free(per_field);
        free(sup);
        free(cells);
        free(rows);
    }
}

/* A (form, lang, period) combination and how many responses have it. */
typedef struct {
    int form;
    const char *lang, *period;
    int n;
} ExportCombo;

/* The combinations of the batch (few: forms x languages x periods). */
static ExportCombo *export_combos(const ExportBuild *b, int *n_out)
{
    int n = 0, cap = 16;
    ExportCombo *c = xmalloc((size_t)cap * sizeof *c);
    for (int i = 0; i < b->n_recs; i++) {
        const ResponsesRecord *r = &b->recs[i];
        int j = 0;
        while (j < n && !(c[j].form == r->form && strcmp(c[j].lang, r->lang) == 0 &&
                          strcmp(c[j].period, r->period) == 0))
            j++;
        if (j == n) {
            if (n == cap) {
                cap *= 2;
                c = xrealloc(c, (size_t)cap * sizeof *c);
            }
            c[n++] = (ExportCombo){r->form, r->lang, r->period, 0};
        }
        c[j].n++;
    }
    *n_out = n;
    return c;
}

/* How many responses share an item's (form, lang, period): fewer than k
 * would let lang and period point a free text back at its response row. */
static int export_item_peers(const ExportCombo *c, int n, const ExportItem *it)
{
    for (int j = 0; j < n; j++)
        if (c[j].form == it->form && strcmp(c[j].lang, it->lang) == 0 &&
            strcmp(c[j].period, it->period) == 0)
            return c[j].n;
    return 0;
}

static DatasetTable *export_items_table(ExportBuild *b, bool drawings, int k, int **items_out)
{
    DatasetTable *t = drawings
                          ? dataset_table_create("drawings", "Freigegebene Zeichnungen")
                          : dataset_table_create("freetext", "Freigegebene Freitexte");
    dataset_table_add_column(t, drawings ? "drawing_id" : "text_id",
                             "Zufallskennung (ohne Verbindung zu response_id)", NULL,
                             DATASET_STRING);
    dataset_table_add_column(t, "form", "Formular", NULL, DATASET_STRING);
    dataset_table_add_column(t, "question", "Name der Frage im Formular", NULL, DATASET_STRING);
    static const char PEERS[] = "Leer, wenn weniger als k Antworten des Formulars diese "
                                "Sprache und diesen Zeitraum teilen (sonst ließe sich der Text "
                                "einer Antwortzeile zuordnen).";
    dataset_table_add_column(t, "lang", "Sprache, in der geantwortet wurde", PEERS,
                             DATASET_STRING);
    dataset_table_add_column(t, "period", "Zeitraum des Abschlusses (vergröbert)", PEERS,
                             DATASET_STRING);
    if (drawings) {
        dataset_table_add_column(t, "file", "PNG-Datei, relativ zu data/", NULL,
                                 DATASET_STRING);
    } else {
        dataset_table_add_column(t, "text", "Antworttext (Kontaktdaten durch [entfernt] ersetzt)",
                                 NULL, DATASET_STRING);
        dataset_table_add_column(t, "masked", "Kontaktdaten entfernt", NULL, DATASET_BINARY);
    }
    int n = 0;
    int *order = xmalloc((size_t)(b->n_items ? b->n_items : 1) * sizeof *order);
    for (int i = 0; i < b->n_items; i++)
        if (b->items[i].drawing == drawings)
            order[n++] = i;
    anonymise_shuffle(order, n);
    int n_combos = 0;
    ExportCombo *combos = export_combos(b, &n_combos);
    for (int r = 0; r < n; r++) {
        ExportItem *it = &b->items[order[r]];
        char id[ANONYMISE_ID_LEN + 1];
        anonymise_random_id(id);
        int row = dataset_table_add_row(t);
        dataset_table_set(t, row, 0, id);
        dataset_table_set(t, row, 1, form_id(b->forms[it->form].form));
        dataset_table_set(t, row, 2, it->question);
        if (export_item_peers(combos, n_combos, it) >= k) {
            dataset_table_set(t, row, 3, it->lang);
            dataset_table_set(t, row, 4, it->period);
        }
        if (drawings) {
            char file[64];
            snprintf(file, sizeof file, "drawings/%s.png", id);
            dataset_table_set(t, row, 5, file);
        } else {
            char *masked = NULL;
            bool m = anonymise_mask_contacts(it->text, &masked);
            dataset_table_set(t, row, 5, masked);
            dataset_table_set(t, row, 6, m ? "1" : "0");
            free(masked);
        }
    }
    free(combos);
    if (items_out)
        *items_out = order; /* row r came from item order[r] */
    else
        free(order);
    return t;
}

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

static KsStatus export_disclosure(const ExportBuild *b, const ExportDataOptions *o, int k,
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

static KsStatus export_batch_json(const ExportBuild *b, const ExportDataOptions *o, int k,
                                  const ExportDataResult *out, const WorkshopOut *ws,
                                  const char *path)
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

static int export_str_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* n fresh random ids, all different: 50 bits make a clash rare, not
 * impossible, and response_id is the table's primary key. */
static char **export_random_ids(int n)
{
    char **ids = xcalloc((size_t)(n ? n : 1), sizeof *ids);
    char **sorted = xcalloc((size_t)(n ? n : 1), sizeof *sorted);
    for (int i = 0; i < n; i++) {
        ids[i] = xmalloc(ANONYMISE_ID_LEN + 1);
        anonymise_random_id(ids[i]);
    }
    for (bool clash = true; clash;) {
        clash = false;
        memcpy(sorted, ids, (size_t)n * sizeof *ids);
        qsort(sorted, (size_t)n, sizeof *sorted, export_str_cmp);
        for (int i = 1; i < n; i++)
            if (strcmp(sorted[i - 1], sorted[i]) == 0) {
                anonymise_random_id(sorted[i]);
                clash = true;
            }
    }
    free(sorted);
    return ids;
}

static KsStatus export_mkdir(const char *path)
{
    if (mkdir(path, 0755) == 0 || errno == EEXIST)
        return KS_OK;
    LOG_ERROR("cannot create %s: %s", path, strerror(errno));
    return KS_ERR_IO;
}

static void export_path(char *buf, size_t size, const char *dir, const char *name)
{
    snprintf(buf, size, "%s/data/%s", dir, name);
}

KsStatus export_data_build(Store *st, const Catalog *cat, const ExportDataOptions *o,
                           const char *dir, ExportDataResult *out)
{
    KsStatus ks = KS_OK;
    ExportBuild b = {.cat = cat, .period = o->period};
    DatasetTable *tables[3] = {NULL, NULL, NULL};
    WorkshopOut *ws = NULL;
    const DatasetTable **all = NULL;
    int *order = NULL;
    char **ids = NULL;
    const char **form_ids = NULL, **files = NULL;
    int *drawing_items = NULL, n_files = 0;
    char path[4096];
    int k = o->k > 0 ? o->k : 5;
    bool writing = false; /* a failure from here on is the file system's */

    memset(out, 0, sizeof *out);
    if (sodium_init() < 0) {
        LOG_ERROR("libsodium could not start: no random ids for the batch");
        return KS_ERR_IO;
    }
    ks = store_export_sessions(st, o->redo_batch, o->include_misuse, export_collect, &b);
    if (ks != KS_OK) {
        LOG_ERROR("the stored responses could not be read: %s", ks_status_str(ks));
        goto cleanup;
    }
    ks = workshop_out_collect(st, o->redo_batch, k, &ws);
    if (ks != KS_OK) {
        LOG_ERROR("the stored workshops could not be read: %s", ks_status_str(ks));
        goto cleanup;
    }
    int n_ws = workshop_out_count(ws);
    out->unknown = b.unknown;
    if (b.unknown)
        LOG_WARN("%d responses to an unknown form (%s) stay stored", b.unknown, b.unknown_form);
    if (b.n_recs == 0 && n_ws == 0) {
        ks = KS_ERR_NOT_FOUND;
        goto cleanup;
    }
    if (b.n_recs > 0 && b.n_recs < k && n_ws > 0) {
        /* the workshop goes alone; the responses wait for enough company */
        out->held_back = b.n_recs;
        LOG_INFO("%d responses (fewer than k = %d) wait for the next export; the workshop goes",
                 b.n_recs, k);
        export_build_free(&b);
        b = (ExportBuild){.cat = cat, .period = o->period};
    }
    if (b.n_recs > 0 && b.n_recs < k) {
        out->held_back = b.n_recs;
        LOG_INFO("%d responses (fewer than k = %d): the export waits until there are enough",
                 b.n_recs, k);
        ks = KS_ERR_STATE;
        goto cleanup;
    }

    export_k_anonymise(&b, k, o->qi_lang);
    order = xmalloc((size_t)b.n_recs * sizeof *order);
    for (int i = 0; i < b.n_recs; i++)
        order[i] = i;
    ids = export_random_ids(b.n_recs);
    anonymise_shuffle(order, b.n_recs);
    const Form **forms = xcalloc((size_t)b.n_forms, sizeof *forms);
    const int **sup = xcalloc((size_t)b.n_forms, sizeof *sup);
    form_ids = xcalloc((size_t)b.n_forms, sizeof *form_ids);
    for (int i = 0; i < b.n_forms; i++) {
        forms[i] = b.forms[i].form;
        sup[i] = b.forms[i].suppressed;
        form_ids[i] = form_id(forms[i]);
    }
    ResponsesBatch rb = {.recs = b.recs,
                         .order = order,
                         .n = b.n_recs,
                         .ids = (const char *const *)ids,
                         .site_code = o->site_code,
                         .qi_lang = o->qi_lang,
                         .forms = (const Form *const *)forms,
                         .n_forms = b.n_forms,
                         .suppressed = (const int *const *)sup};
    tables[0] = responses_build(&rb);
    free(forms);
    free(sup);
    tables[1] = export_items_table(&b, false, k, NULL);
    tables[2] = export_items_table(&b, true, k, &drawing_items);

    /* the result, before the files, so batch.json can use it */
    out->rows = b.n_recs;
    out->workshop_cards = workshop_out_cards(ws);
    out->n_workshops = n_ws;
    out->workshop_ids = xmalloc((size_t)(n_ws ? n_ws : 1) * sizeof *out->workshop_ids);
    if (n_ws > 0)
        memcpy(out->workshop_ids, workshop_out_ids(ws), (size_t)n_ws * sizeof *out->workshop_ids);
    out->free_texts = tables[1]->n_rows;
    out->n_sessions = b.n_recs;
    out->session_ids = xmalloc((size_t)b.n_recs * sizeof *out->session_ids);
    for (int i = 0; i < b.n_recs; i++) {
        out->session_ids[i] = b.recs[i].session_id;
        const char *p = b.recs[i].period;
        if (!p[0])
            continue; /* the clock was in doubt: no period */
        if (!out->period_from[0] || strcmp(p, out->period_from) < 0)
            str_copy(out->period_from, sizeof out->period_from, p);
        if (strcmp(p, out->period_to) > 0)
            str_copy(out->period_to, sizeof out->period_to, p);
    }
    for (int i = 0, used = 0; i < b.n_versions; i++) {
        int w = snprintf(out->forms + used, sizeof out->forms - (size_t)used, "%s%s",
                         i ? ", " : "", b.versions[i]);
        if (w < 0 || (size_t)(used + w) >= sizeof out->forms)
            break;
        used += w;
    }
    if (b.n_recs == 0) {
        /* a workshop alone: its day is the only time there is */
        str_copy(out->period_from, sizeof out->period_from, workshop_out_day_from(ws));
        str_copy(out->period_to, sizeof out->period_to, workshop_out_day_to(ws));
    }
    writing = true;
    snprintf(path, sizeof path, "%s/data", dir);
    if ((ks = export_mkdir(path)) != KS_OK)
        goto cleanup;
    /* drawings first: a PNG that cannot be read is left out of drawings.csv */
    if (tables[2]->n_rows > 0) {
        export_path(path, sizeof path, dir, "drawings");
        if ((ks = export_mkdir(path)) != KS_OK)
            goto cleanup;
    }
    files = xcalloc((size_t)tables[2]->n_rows + 1, sizeof *files);
    for (int r = 0; r < tables[2]->n_rows; r++) {
        const char *file = dataset_table_get(tables[2], r, 5);
        const ExportItem *it = &b.items[drawing_items[r]];
        uint8_t *png = NULL;
        size_t size = 0;
        if (store_answer_media_get(st, it->session_id, it->question, &png, &size) != KS_OK) {
            /* listed but unreadable: say so in the table instead of a dead link */
            LOG_WARN("drawing of session %lld, %s: no PNG stored", (long long)it->session_id,
                     it->question);
            dataset_table_set(tables[2], r, 5, NULL);
            continue;
        }
        export_path(path, sizeof path, dir, file);
        ks = bagit_write_file(path, png, size);
        free(png);
        if (ks != KS_OK)
            goto cleanup;
        files[n_files++] = file;
        out->drawings++;
    }
    if ((ks = workshop_out_write(st, ws, dir)) != KS_OK)
        goto cleanup;
    const char *const *ws_files = NULL;
    int n_ws_files = workshop_out_drawings(ws, &ws_files);
    files = xrealloc(files, (size_t)(n_files + n_ws_files + 1) * sizeof *files);
    for (int i = 0; i < n_ws_files; i++)
        files[n_files++] = ws_files[i];
    const DatasetTable **ws_tables = NULL;
    int n_ws_tables = workshop_out_tables(ws, &ws_tables);
    int n_all = 3 + n_ws_tables;
    all = xcalloc((size_t)n_all, sizeof *all);
    for (int i = 0; i < 3; i++)
        all[i] = tables[i];
    for (int i = 0; i < n_ws_tables; i++)
        all[3 + i] = ws_tables[i];
    export_path(path, sizeof path, dir, "responses.csv");
    if ((ks = csvfile_write_table(tables[0], path)) != KS_OK)
        goto cleanup;
    export_path(path, sizeof path, dir, "responses.sav");
    if ((ks = sav_write(tables[0], "km2kiosk export", path)) != KS_OK)
        goto cleanup;
    export_path(path, sizeof path, dir, "freetext.csv");
    if ((ks = csvfile_write_table(tables[1], path)) != KS_OK)
        goto cleanup;
    export_path(path, sizeof path, dir, "drawings.csv");
    if ((ks = csvfile_write_table(tables[2], path)) != KS_OK)
        goto cleanup;
    export_path(path, sizeof path, dir, "datapackage.json");
    if ((ks = datapackage_write((const DatasetTable *const *)all, n_all,
                                o->batch_id ? o->batch_id : "", files,
                                n_files, path)) != KS_OK)
        goto cleanup;
    char period_name[96];
    snprintf(period_name, sizeof period_name, "%s",
             o->period == EXPORT_PERIOD_DAY     ? "Tag (z. B. 2026-11-24)"
             : o->period == EXPORT_PERIOD_MONTH ? "Monat (z. B. 2026-11)"
                                                : "ISO-Kalenderwoche (z. B. 2026-W48)");
    CodebookInfo info = {o->batch_id ? o->batch_id : "", k, period_name, form_ids, b.n_forms,
                         n_ws};
    export_path(path, sizeof path, dir, "codebook.md");
    if ((ks = codebook_write((const DatasetTable *const *)all, n_all, &info, path)) != KS_OK)
        goto cleanup;
    export_path(path, sizeof path, dir, "disclosure-report.json");
    if ((ks = export_disclosure(&b, o, k, ws, path)) != KS_OK)
        goto cleanup;
    export_path(path, sizeof path, dir, "batch.json");
    if ((ks = export_batch_json(&b, o, k, out, ws, path)) != KS_OK)
        goto cleanup;

cleanup:
    if (ks != KS_OK && writing) {
        LOG_ERROR("the export files could not be written in %s: %s", dir, ks_status_str(ks));
        ks = KS_ERR_IO;
    }
    if (ks != KS_OK) {
        free(out->session_ids);
        out->session_ids = NULL;
        out->n_sessions = 0;
        free(out->workshop_ids);
        out->workshop_ids = NULL;
        out->n_workshops = 0;
    }
    workshop_out_destroy(ws);
    free(all);
    for (int i = 0; i < 3; i++)
        dataset_table_destroy(tables[i]);
    if (ids)
        for (int i = 0; i < b.n_recs; i++)
            free(ids[i]);
    free(ids);
    free(files);
    free(drawing_items);
    free(form_ids);
    free(order);
    export_build_free(&b);
    return ks;
}

void export_data_result_free(ExportDataResult *r)
{
    if (!r)
        return;
    free(r->session_ids);
    r->session_ids = NULL;
    r->n_sessions = 0;
    free(r->workshop_ids);
    r->workshop_ids = NULL;
    r->n_workshops = 0;
}
