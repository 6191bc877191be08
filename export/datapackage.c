/* datapackage: Frictionless Data Package JSON (see datapackage.h). The
 * SAV codes of categories are recorded beside the labels ("spssCodes"), so
 * CSV and SAV can be matched without the form. */
#include "datapackage.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../firmware/core/log.h"

static const char *datapackage_type(DatasetKind k)
{
    switch (k) {
    case DATASET_INTEGER:
    case DATASET_BINARY:
        return "integer";
    case DATASET_NUMBER:
        return "number";
    case DATASET_STRING:
    case DATASET_CATEGORY:
        break;
    }
    return "string";
}

static cJSON *datapackage_field(const DatasetColumn *c)
{
    cJSON *f = cJSON_CreateObject();
    cJSON_AddStringToObject(f, "name", c->name);
    cJSON_AddStringToObject(f, "type", datapackage_type(c->kind));
    cJSON_AddStringToObject(f, "title", c->title);
    if (c->description)
        cJSON_AddStringToObject(f, "description", c->description);
    if (c->question)
        cJSON_AddStringToObject(f, "question", c->question);
    if (c->forms)
        cJSON_AddStringToObject(f, "forms", c->forms);
    if (c->quasi_identifier) {
        cJSON_AddBoolToObject(f, "quasiIdentifier", true);
        cJSON_AddNumberToObject(f, "suppressed", c->suppressed);
    }
    if (c->kind == DATASET_CATEGORY && c->list && c->form) {
        int lang = form_default_lang(c->form);
        cJSON *cons = cJSON_AddObjectToObject(f, "constraints");
        cJSON *en = cJSON_AddArrayToObject(cons, "enum");
        cJSON *cats = cJSON_AddArrayToObject(f, "categories");
        cJSON *codes = cJSON_AddObjectToObject(f, "spssCodes");
        for (int i = 0; i < c->list->n_choices; i++) {
            const FormChoice *ch = &c->list->choices[i];
            cJSON_AddItemToArray(en, cJSON_CreateString(ch->name));
            cJSON *cat = cJSON_CreateObject();
            cJSON_AddStringToObject(cat, "value", ch->name);
            cJSON_AddStringToObject(cat, "label", form_text(c->form, &ch->label, lang));
            cJSON_AddItemToArray(cats, cat);
            cJSON_AddNumberToObject(codes, ch->name, i + 1);
        }
    } else if (c->kind == DATASET_BINARY) {
        cJSON *cons = cJSON_AddObjectToObject(f, "constraints");
        cJSON *en = cJSON_AddArrayToObject(cons, "enum");
        cJSON_AddItemToArray(en, cJSON_CreateNumber(0));
        cJSON_AddItemToArray(en, cJSON_CreateNumber(1));
        cJSON *cats = cJSON_AddArrayToObject(f, "categories");
        static const char *const chosen[] = {"nicht gewählt", "gewählt"};
        static const char *const yes_no[] = {"nein", "ja"};
        const char *const *labels = c->question ? chosen : yes_no;
        for (int i = 0; i < 2; i++) {
            cJSON *cat = cJSON_CreateObject();
            cJSON_AddNumberToObject(cat, "value", i);
            cJSON_AddStringToObject(cat, "label", labels[i]);
            cJSON_AddItemToArray(cats, cat);
        }
    }
    return f;
}

static cJSON *datapackage_resource(const DatasetTable *t)
{
    char path[96];
    snprintf(path, sizeof path, "%s.csv", t->name);
    cJSON *r = cJSON_CreateObject();
    cJSON_AddStringToObject(r, "name", t->name);
    cJSON_AddStringToObject(r, "path", path);
    cJSON_AddStringToObject(r, "title", t->title);
    cJSON_AddStringToObject(r, "profile", "tabular-data-resource");
    cJSON_AddStringToObject(r, "format", "csv");
    cJSON_AddStringToObject(r, "mediatype", "text/csv");
    cJSON_AddStringToObject(r, "encoding", "utf-8");
    cJSON *d = cJSON_AddObjectToObject(r, "dialect");
    cJSON_AddStringToObject(d, "delimiter", ",");
    cJSON_AddStringToObject(d, "lineTerminator", "\r\n");
    cJSON_AddStringToObject(d, "quoteChar", "\"");
    cJSON_AddBoolToObject(d, "doubleQuote", true);
    cJSON_AddBoolToObject(d, "header", true);
    cJSON *s = cJSON_AddObjectToObject(r, "schema");
    cJSON *fields = cJSON_AddArrayToObject(s, "fields");
    for (int c = 0; c < t->n_cols; c++)
        cJSON_AddItemToArray(fields, datapackage_field(&t->cols[c]));
    cJSON *mv = cJSON_AddArrayToObject(s, "missingValues");
    cJSON_AddItemToArray(mv, cJSON_CreateString(""));
    if (t->n_cols > 0)
        cJSON_AddStringToObject(s, "primaryKey", t->cols[0].name);
    return r;
}

KsStatus datapackage_write(const DatasetTable *const *tables, int n_tables, const char *batch_id,
                           const char *const *drawing_files, int n_drawings, const char *path)
{
    KsStatus ks = KS_OK;
    char *text = NULL;
    FILE *f = NULL;
    cJSON *root = cJSON_CreateObject();
    /* a package name is lower case letters, digits, '-', '_' and '.' */
    char name[96];
    size_t o = (size_t)snprintf(name, sizeof name, "km2kiosk-");
    for (const char *p = batch_id; *p && o + 1 < sizeof name; p++)
        name[o++] = isalnum((unsigned char)*p) ? (char)tolower((unsigned char)*p) : '-';
    name[o] = '\0';
    cJSON_AddStringToObject(root, "profile", "tabular-data-package");
    cJSON_AddStringToObject(root, "name", name);
    cJSON_AddStringToObject(root, "id", batch_id);
    cJSON_AddStringToObject(root, "title", "Befragung am Kiosk: anonymisierter Export");
    cJSON *res = cJSON_AddArrayToObject(root, "resources");
    for (int i = 0; i < n_tables; i++)
        cJSON_AddItemToArray(res, datapackage_resource(tables[i]));
    cJSON *sav = cJSON_CreateObject();
    cJSON_AddStringToObject(sav, "name", "responses-sav");
    cJSON_AddStringToObject(sav, "path", "responses.sav");
    cJSON_AddStringToObject(sav, "title", "Antworten als SPSS-Datei (Codes mit Wertelabels)");
    cJSON_AddStringToObject(sav, "format", "sav");
    cJSON_AddStringToObject(sav, "mediatype", "application/x-spss-sav");
    cJSON_AddItemToArray(res, sav);
    for (int i = 0; i < n_drawings; i++) {
        cJSON *d = cJSON_CreateObject();
        char dn[96];
        snprintf(dn, sizeof dn, "drawing-%d", i + 1);
        cJSON_AddStringToObject(d, "name", dn);
        cJSON_AddStringToObject(d, "path", drawing_files[i]);
        cJSON_AddStringToObject(d, "format", "png");
        cJSON_AddStringToObject(d, "mediatype", "image/png");
        cJSON_AddItemToArray(res, d);
    }
    text = cJSON_Print(root);
    if (!text) {
        ks = KS_ERR_NOMEM;
        goto cleanup;
    }
    f = fopen(path, "wb");
    if (!f || fputs(text, f) < 0 || fputc('\n', f) == EOF) {
        ks = KS_ERR_IO;
        goto cleanup;
    }
cleanup:
    if (f && fclose(f) != 0)
        ks = KS_ERR_IO;
    if (ks == KS_ERR_IO)
        LOG_ERROR("cannot write %s", path);
    cJSON_free(text);
    cJSON_Delete(root);
    return ks;
}
