/* export_data: one batch's data/ folder (see export_data.h). Reads the
 * sessions through storage's read API, keeps them in memory, anonymises
 * them (anonymise.c), builds the tables (responses.c) and hands them to the
 * writers (csvfile, sav, datapackage, codebook). Nothing is written before
 * the batch is known to be large enough. Signs and encrypts nothing. */
#include "export_data.h"
#include "export_data_private.h"

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
    DatasetTable *t = drawings ? dataset_table_create("drawings", "Freigegebene Zeichnungen")
                               : dataset_table_create("freetext", "Freigegebene Freitexte");
    dataset_table_add_column(t, drawings ? "drawing_id" : "text_id",
                             "Zufallskennung (ohne Verbindung zu response_id)", NULL,
                             DATASET_STRING);
    dataset_table_add_column(t, "form", "Formular", NULL, DATASET_STRING);
    dataset_table_add_column(t, "question", "Name der Frage im Formular", NULL, DATASET_STRING);
    static const char PEERS[] = "Leer, wenn weniger als k Antworten des Formulars diese "
                                "Sprache und diesen Zeitraum teilen (sonst ließe sich der Text "
                                "einer Antwortzeile zuordnen).";
    dataset_table_add_column(t, "lang", "Sprache, in der geantwortet wurde", PEERS, DATASET_STRING);
    dataset_table_add_column(t, "period", "Zeitraum des Abschlusses (vergröbert)", PEERS,
                             DATASET_STRING);
    if (drawings) {
        dataset_table_add_column(t, "file", "PNG-Datei, relativ zu data/", NULL, DATASET_STRING);
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

/* One build's working state: what was read, the tables made from it and
 * the files written; freed by data_run_free. */
typedef struct {
    ExportBuild b;
    DatasetTable *tables[3]; /* responses, free texts, drawings */
    WorkshopOut *ws;
    int n_ws;
    const DatasetTable **all; /* tables[] and the workshops' tables */
    int n_all;
    int *order;
    char **ids;
    const char **form_ids;
    const char **files; /* the batch's picture files, for datapackage.json */
    int n_files;
    int *drawing_items;
    int k;
} DataRun;

static void data_run_free(DataRun *r)
{
    workshop_out_destroy(r->ws);
    free(r->all);
    for (int i = 0; i < 3; i++)
        dataset_table_destroy(r->tables[i]);
    if (r->ids)
        for (int i = 0; i < r->b.n_recs; i++)
            free(r->ids[i]);
    free(r->ids);
    free(r->files);
    free(r->drawing_items);
    free(r->form_ids);
    free(r->order);
    export_build_free(&r->b);
}

/* The stored responses and workshops to export. KS_ERR_NOT_FOUND when there
 * is nothing; KS_ERR_STATE when fewer than k responses wait and no workshop
 * goes (a workshop goes alone while the responses wait for company). */
static KsStatus collect(Store *store, const Catalog *cat, const ExportDataOptions *o, DataRun *r,
                        ExportDataResult *out)
{
    KsStatus ks =
        store_export_sessions(store, o->redo_batch, o->include_misuse, export_collect, &r->b);
    if (ks != KS_OK) {
        LOG_ERROR("the stored responses could not be read: %s", ks_status_str(ks));
        return ks;
    }
    ks = workshop_out_collect(store, o->redo_batch, r->k, &r->ws);
    if (ks != KS_OK) {
        LOG_ERROR("the stored workshops could not be read: %s", ks_status_str(ks));
        return ks;
    }
    r->n_ws = workshop_out_count(r->ws);
    out->unknown = r->b.unknown;
    if (r->b.unknown)
        LOG_WARN("%d responses to an unknown form (%s) stay stored", r->b.unknown,
                 r->b.unknown_form);
    if (r->b.n_recs == 0 && r->n_ws == 0)
        return KS_ERR_NOT_FOUND;
    if (r->b.n_recs > 0 && r->b.n_recs < r->k && r->n_ws > 0) {
        /* the workshop goes alone; the responses wait for enough company */
        out->held_back = r->b.n_recs;
        LOG_INFO("%d responses (fewer than k = %d) wait for the next export; the workshop goes",
                 r->b.n_recs, r->k);
        export_build_free(&r->b);
        r->b = (ExportBuild){.cat = cat, .period = o->period};
    }
    if (r->b.n_recs > 0 && r->b.n_recs < r->k) {
        out->held_back = r->b.n_recs;
        LOG_INFO("%d responses (fewer than k = %d): the export waits until there are enough",
                 r->b.n_recs, r->k);
        return KS_ERR_STATE;
    }
    return KS_OK;
}

/* k-anonymity, the random order and ids, and the three tables. */
static void build_tables(DataRun *r, const ExportDataOptions *o)
{
    ExportBuild *b = &r->b;
    export_k_anonymise(b, r->k, o->qi_lang);
    r->order = xmalloc((size_t)b->n_recs * sizeof *r->order);
    for (int i = 0; i < b->n_recs; i++)
        r->order[i] = i;
    r->ids = export_random_ids(b->n_recs);
    anonymise_shuffle(r->order, b->n_recs);
    const Form **forms = xcalloc((size_t)b->n_forms, sizeof *forms);
    const int **sup = xcalloc((size_t)b->n_forms, sizeof *sup);
    r->form_ids = xcalloc((size_t)b->n_forms, sizeof *r->form_ids);
    for (int i = 0; i < b->n_forms; i++) {
        forms[i] = b->forms[i].form;
        sup[i] = b->forms[i].suppressed;
        r->form_ids[i] = form_id(forms[i]);
    }
    ResponsesBatch rb = {.recs = b->recs,
                         .order = r->order,
                         .n = b->n_recs,
                         .ids = (const char *const *)r->ids,
                         .site_code = o->site_code,
                         .qi_lang = o->qi_lang,
                         .forms = (const Form *const *)forms,
                         .n_forms = b->n_forms,
                         .suppressed = (const int *const *)sup};
    r->tables[0] = responses_build(&rb);
    free(forms);
    free(sup);
    r->tables[1] = export_items_table(b, false, r->k, NULL);
    r->tables[2] = export_items_table(b, true, r->k, &r->drawing_items);
}

/* The result, before the files, so batch.json can use it. */
static void fill_result(const DataRun *r, ExportDataResult *out)
{
    const ExportBuild *b = &r->b;
    out->rows = b->n_recs;
    out->workshop_cards = workshop_out_cards(r->ws);
    out->n_workshops = r->n_ws;
    out->workshop_ids = xmalloc((size_t)(r->n_ws ? r->n_ws : 1) * sizeof *out->workshop_ids);
    if (r->n_ws > 0)
        memcpy(out->workshop_ids, workshop_out_ids(r->ws),
               (size_t)r->n_ws * sizeof *out->workshop_ids);
    out->free_texts = r->tables[1]->n_rows;
    out->n_sessions = b->n_recs;
    out->session_ids = xmalloc((size_t)b->n_recs * sizeof *out->session_ids);
    for (int i = 0; i < b->n_recs; i++) {
        out->session_ids[i] = b->recs[i].session_id;
        const char *p = b->recs[i].period;
        if (!p[0])
            continue; /* the clock was in doubt: no period */
        if (!out->period_from[0] || strcmp(p, out->period_from) < 0)
            str_copy(out->period_from, sizeof out->period_from, p);
        if (strcmp(p, out->period_to) > 0)
            str_copy(out->period_to, sizeof out->period_to, p);
    }
    for (int i = 0, used = 0; i < b->n_versions; i++) {
        int w = snprintf(out->forms + used, sizeof out->forms - (size_t)used, "%s%s", i ? ", " : "",
                         b->versions[i]);
        if (w < 0 || (size_t)(used + w) >= sizeof out->forms)
            break;
        used += w;
    }
    if (b->n_recs == 0) {
        /* a workshop alone: its day is the only time there is */
        str_copy(out->period_from, sizeof out->period_from, workshop_out_day_from(r->ws));
        str_copy(out->period_to, sizeof out->period_to, workshop_out_day_to(r->ws));
    }
}

/* The drawings' PNGs into data/drawings/ (a PNG that cannot be read is
 * left out of drawings.csv), then the workshops' files and drawings. */
static KsStatus write_pictures(Store *store, DataRun *r, const char *dir, ExportDataResult *out)
{
    char path[4096];
    KsStatus ks;
    DatasetTable *drawings = r->tables[2];
    if (drawings->n_rows > 0) {
        export_path(path, sizeof path, dir, "drawings");
        if ((ks = export_mkdir(path)) != KS_OK)
            return ks;
    }
    r->files = xcalloc((size_t)drawings->n_rows + 1, sizeof *r->files);
    for (int row = 0; row < drawings->n_rows; row++) {
        const char *file = dataset_table_get(drawings, row, 5);
        const ExportItem *it = &r->b.items[r->drawing_items[row]];
        uint8_t *png = NULL;
        size_t size = 0;
        if (store_answer_media_get(store, it->session_id, it->question, &png, &size) != KS_OK) {
            /* listed but unreadable: say so in the table instead of a dead link */
            LOG_WARN("drawing of session %lld, %s: no PNG stored", (long long)it->session_id,
                     it->question);
            dataset_table_set(drawings, row, 5, NULL);
            continue;
        }
        export_path(path, sizeof path, dir, file);
        ks = bagit_write_file(path, png, size);
        free(png);
        if (ks != KS_OK)
            return ks;
        r->files[r->n_files++] = file;
        out->drawings++;
    }
    if ((ks = workshop_out_write(store, r->ws, dir)) != KS_OK)
        return ks;
    const char *const *ws_files = NULL;
    int n_ws_files = workshop_out_drawings(r->ws, &ws_files);
    r->files = xrealloc(r->files, (size_t)(r->n_files + n_ws_files + 1) * sizeof *r->files);
    for (int i = 0; i < n_ws_files; i++)
        r->files[r->n_files++] = ws_files[i];
    return KS_OK;
}

/* The tables as CSV and SAV, datapackage.json, the codebook, the
 * disclosure report and batch.json. */
static KsStatus write_documents(const DataRun *r, const ExportDataOptions *o, const char *dir,
                                const ExportDataResult *out)
{
    char path[4096];
    KsStatus ks;
    export_path(path, sizeof path, dir, "responses.csv");
    if ((ks = csvfile_write_table(r->tables[0], path)) != KS_OK)
        return ks;
    export_path(path, sizeof path, dir, "responses.sav");
    if ((ks = sav_write(r->tables[0], "km2kiosk export", path)) != KS_OK)
        return ks;
    export_path(path, sizeof path, dir, "freetext.csv");
    if ((ks = csvfile_write_table(r->tables[1], path)) != KS_OK)
        return ks;
    export_path(path, sizeof path, dir, "drawings.csv");
    if ((ks = csvfile_write_table(r->tables[2], path)) != KS_OK)
        return ks;
    export_path(path, sizeof path, dir, "datapackage.json");
    if ((ks = datapackage_write((const DatasetTable *const *)r->all, r->n_all,
                                o->batch_id ? o->batch_id : "", r->files, r->n_files, path)) !=
        KS_OK)
        return ks;
    char period_name[96];
    snprintf(period_name, sizeof period_name, "%s",
             o->period == EXPORT_PERIOD_DAY     ? "Tag (z. B. 2026-11-24)"
             : o->period == EXPORT_PERIOD_MONTH ? "Monat (z. B. 2026-11)"
                                                : "ISO-Kalenderwoche (z. B. 2026-W48)");
    CodebookInfo info = {
        o->batch_id ? o->batch_id : "", r->k, period_name, r->form_ids, r->b.n_forms, r->n_ws};
    export_path(path, sizeof path, dir, "codebook.md");
    if ((ks = codebook_write((const DatasetTable *const *)r->all, r->n_all, &info, path)) != KS_OK)
        return ks;
    export_path(path, sizeof path, dir, "disclosure-report.json");
    if ((ks = export_disclosure(&r->b, o, r->k, r->ws, path)) != KS_OK)
        return ks;
    export_path(path, sizeof path, dir, "batch.json");
    return export_batch_json(&r->b, o, r->k, out, r->ws, path);
}

KsStatus export_data_build(Store *store, const Catalog *cat, const ExportDataOptions *o,
                           const char *dir, ExportDataResult *out)
{
    DataRun r = {.b = {.cat = cat, .period = o->period}, .k = o->k > 0 ? o->k : 5};
    memset(out, 0, sizeof *out);
    if (sodium_init() < 0) {
        LOG_ERROR("libsodium could not start: no random ids for the batch");
        return KS_ERR_IO;
    }
    KsStatus ks = collect(store, cat, o, &r, out);
    bool writing = false; /* a failure from here on is the file system's */
    if (ks == KS_OK) {
        build_tables(&r, o);
        fill_result(&r, out);
        writing = true;
        char path[4096];
        snprintf(path, sizeof path, "%s/data", dir);
        ks = export_mkdir(path);
    }
    if (ks == KS_OK)
        ks = write_pictures(store, &r, dir, out);
    if (ks == KS_OK) {
        const DatasetTable **ws_tables = NULL;
        int n_ws_tables = workshop_out_tables(r.ws, &ws_tables);
        r.n_all = 3 + n_ws_tables;
        r.all = xcalloc((size_t)r.n_all, sizeof *r.all);
        for (int i = 0; i < 3; i++)
            r.all[i] = r.tables[i];
        for (int i = 0; i < n_ws_tables; i++)
            r.all[3 + i] = ws_tables[i];
        ks = write_documents(&r, o, dir, out);
    }
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
    data_run_free(&r);
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
