/* datapackage: Frictionless Data Package JSON (see datapackage.h). The
 * SAV codes of categories are recorded beside the labels ("spssCodes"), so
 * CSV and SAV can be matched without the form. The reader trusts nothing:
 * it counts the JSON values before cJSON builds them, and checks every
 * name, type and count against the limits of the header. */
#include "datapackage.h"

#include <stdarg.h>
#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../firmware/core/log.h"
#include "../firmware/core/mem.h"

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

cJSON *datapackage_field_json(const DatasetColumn *c)
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
    if (c->versions)
        cJSON_AddStringToObject(f, "versions", c->versions);
    if (c->quasi_identifier) {
        cJSON_AddBoolToObject(f, "quasiIdentifier", true);
        cJSON_AddNumberToObject(f, "suppressed", c->suppressed);
    }
    if (c->kind == DATASET_CATEGORY && c->n_cats > 0) {
        cJSON *cons = cJSON_AddObjectToObject(f, "constraints");
        cJSON *en = cJSON_AddArrayToObject(cons, "enum");
        cJSON *cats = cJSON_AddArrayToObject(f, "categories");
        cJSON *codes = cJSON_AddObjectToObject(f, "spssCodes");
        for (int i = 0; i < c->n_cats; i++) {
            const DatasetCategory *dc = &c->cats[i];
            cJSON_AddItemToArray(en, cJSON_CreateString(dc->name));
            cJSON *cat = cJSON_CreateObject();
            cJSON_AddStringToObject(cat, "value", dc->name);
            cJSON_AddStringToObject(cat, "label", dc->label);
            cJSON_AddItemToArray(cats, cat);
            cJSON_AddNumberToObject(codes, dc->name, dc->code);
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
        cJSON_AddItemToArray(fields, datapackage_field_json(&t->cols[c]));
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

/* ---- reading ------------------------------------------------------------ */

typedef struct {
    char *why;
    size_t size;
    const char *where; /* "Tabelle x, Spalte y" prefix, or "" */
} DpRead;

static KsStatus dp_fail(DpRead *r, KsStatus ks, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static KsStatus dp_fail(DpRead *r, KsStatus ks, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(r->why, r->size, "datapackage.json: %s%s%s", r->where, r->where[0] ? ": " : "", msg);
    return ks;
}

/* An optional string member: absent or null gives NULL; anything but a
 * string, or one longer than DATAPACKAGE_TEXT_MAX, is an error. */
static KsStatus dp_string(DpRead *r, const cJSON *o, const char *key, const char **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    *out = NULL;
    if (!v || cJSON_IsNull(v))
        return KS_OK;
    if (!cJSON_IsString(v) || !v->valuestring)
        return dp_fail(r, KS_ERR_PARSE, "„%s“ ist kein Text.", key);
    if (strlen(v->valuestring) > DATAPACKAGE_TEXT_MAX)
        return dp_fail(r, KS_ERR_LIMIT, "„%s“ ist länger als 64 KiB.", key);
    *out = v->valuestring;
    return KS_OK;
}

/* A name of 1 to 64 ASCII letters, digits and characters of extra that
 * starts with a letter (or, when digit_first, a digit too). */
static bool dp_is_name(const char *s, bool digit_first, const char *extra)
{
    size_t n = strlen(s);
    unsigned char c0 = (unsigned char)s[0];
    if (n == 0 || n > 64 || !(digit_first ? isalnum(c0) : isalpha(c0)))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!(isalnum((unsigned char)s[i]) || strchr(extra, s[i])) || ((unsigned char)s[i] & 0x80))
            return false;
    return true;
}

/* The "name" member of o, which must be a name as dp_is_name says (rule:
 * what the message says it must be). A column's ("_" only, a letter first)
 * is one the CSV, SAV and codebook can all carry; a table's ("-" and "_", a
 * digit first too) is safe as a file stem. */
static KsStatus dp_name(DpRead *r, const cJSON *o, bool digit_first, const char *extra,
                        const char *rule, const char **name)
{
    KsStatus ks = dp_string(r, o, "name", name);
    if (ks != KS_OK)
        return ks;
    if (!*name || !dp_is_name(*name, digit_first, extra))
        return dp_fail(r, KS_ERR_PARSE, "„%s“ ist kein %s", *name ? *name : "", rule);
    return KS_OK;
}

/* Whether a number is a whole number in lo..hi. */
static bool dp_is_int(const cJSON *v, double lo, double hi)
{
    return cJSON_IsNumber(v) && v->valuedouble >= lo && v->valuedouble <= hi &&
           v->valuedouble == (double)(long long)v->valuedouble;
}

/* The categories of a category column: from "categories" (value, label)
 * or, without them, from the enum constraint; codes from "spssCodes", else
 * 1..n in order. */
static KsStatus dp_categories(DpRead *r, const cJSON *field, const cJSON *en, DatasetTable *t,
                              int col)
{
    const cJSON *cats = cJSON_GetObjectItemCaseSensitive(field, "categories");
    const cJSON *codes = cJSON_GetObjectItemCaseSensitive(field, "spssCodes");
    const cJSON *list = cats ? cats : en;
    if (!cJSON_IsArray(list))
        return dp_fail(r, KS_ERR_PARSE, "„categories“ ist keine Liste.");
    if (codes && !cJSON_IsObject(codes))
        return dp_fail(r, KS_ERR_PARSE, "„spssCodes“ ist kein Objekt.");
    if (cJSON_GetArraySize(list) > DATAPACKAGE_CATEGORIES_MAX)
        return dp_fail(r, KS_ERR_LIMIT, "mehr als 4096 Kategorien.");
    int i = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, list)
    {
        const char *name = NULL, *label = NULL;
        KsStatus ks = KS_OK;
        if (cats) {
            if (!cJSON_IsObject(item))
                return dp_fail(r, KS_ERR_PARSE, "eine Kategorie ist kein Objekt.");
            if ((ks = dp_string(r, item, "value", &name)) != KS_OK ||
                (ks = dp_string(r, item, "label", &label)) != KS_OK)
                return ks;
        } else if (cJSON_IsString(item)) {
            name = item->valuestring;
        }
        if (!name || !name[0] || strlen(name) > DATAPACKAGE_TEXT_MAX)
            return dp_fail(r, KS_ERR_PARSE, "eine Kategorie hat keinen Wert (Text).");
        int code = i + 1;
        if (codes) {
            const cJSON *c = cJSON_GetObjectItemCaseSensitive(codes, name);
            if (!c || !dp_is_int(c, 1, INT_MAX))
                return dp_fail(r, KS_ERR_PARSE,
                               "die Kategorie „%s“ hat keinen SPSS-Code "
                               "(ganze Zahl ab 1).",
                               name);
            code = (int)c->valuedouble;
        }
        const DatasetColumn *dc = &t->cols[col];
        for (int j = 0; j < dc->n_cats; j++)
            if (strcmp(dc->cats[j].name, name) == 0 || dc->cats[j].code == code)
                return dp_fail(r, KS_ERR_PARSE,
                               "die Kategorie „%s“ oder ihr Code steht "
                               "doppelt.",
                               name);
        dataset_table_add_category(t, col, code, name, label);
        i++;
    }
    return KS_OK;
}

/* The kind from the Table Schema type and constraints. */
static KsStatus dp_kind(DpRead *r, const cJSON *field, const cJSON **en, DatasetKind *kind)
{
    const char *type = NULL;
    KsStatus ks = dp_string(r, field, "type", &type);
    if (ks != KS_OK)
        return ks;
    const cJSON *cons = cJSON_GetObjectItemCaseSensitive(field, "constraints");
    if (cons && !cJSON_IsObject(cons))
        return dp_fail(r, KS_ERR_PARSE, "„constraints“ ist kein Objekt.");
    *en = cons ? cJSON_GetObjectItemCaseSensitive(cons, "enum") : NULL;
    if (*en && !cJSON_IsArray(*en))
        return dp_fail(r, KS_ERR_PARSE, "„enum“ ist keine Liste.");
    if (!type || strcmp(type, "string") == 0) {
        bool cats = cJSON_GetObjectItemCaseSensitive(field, "categories") || *en;
        *kind = cats ? DATASET_CATEGORY : DATASET_STRING;
    } else if (strcmp(type, "integer") == 0) {
        bool binary = *en && cJSON_GetArraySize(*en) == 2 &&
                      dp_is_int(cJSON_GetArrayItem(*en, 0), 0, 0) &&
                      dp_is_int(cJSON_GetArrayItem(*en, 1), 1, 1);
        *kind = binary ? DATASET_BINARY : DATASET_INTEGER;
    } else if (strcmp(type, "number") == 0) {
        *kind = DATASET_NUMBER;
    } else {
        return dp_fail(r, KS_ERR_PARSE, "der Typ „%s“ wird nicht unterstützt.", type);
    }
    return KS_OK;
}

static KsStatus dp_field(DpRead *r, const cJSON *field, DatasetTable *t)
{
    if (!cJSON_IsObject(field))
        return dp_fail(r, KS_ERR_PARSE, "ein Feld ist kein Objekt.");
    const char *name = NULL, *title = NULL, *desc = NULL, *question = NULL, *forms = NULL,
               *versions = NULL;
    KsStatus ks = dp_name(r, field, false, "_",
                          "Spaltenname (Buchstabe, dann Buchstaben, Ziffern oder _, höchstens 64 "
                          "Bytes).",
                          &name);
    if (ks != KS_OK)
        return ks;
    if (dataset_table_find(t, name) >= 0)
        return dp_fail(r, KS_ERR_PARSE, "die Spalte „%s“ steht doppelt.", name);
    char where[160];
    snprintf(where, sizeof where, "%s, Spalte %s", r->where, name);
    const char *outer = r->where;
    r->where = where;
    DatasetKind kind = DATASET_STRING;
    const cJSON *en = NULL;
    if ((ks = dp_string(r, field, "title", &title)) != KS_OK ||
        (ks = dp_string(r, field, "description", &desc)) != KS_OK ||
        (ks = dp_string(r, field, "question", &question)) != KS_OK ||
        (ks = dp_string(r, field, "forms", &forms)) != KS_OK ||
        (ks = dp_string(r, field, "versions", &versions)) != KS_OK ||
        (ks = dp_kind(r, field, &en, &kind)) != KS_OK)
        goto cleanup;
    int col = dataset_table_add_column(t, name, title, desc, kind);
    DatasetColumn *c = &t->cols[col];
    c->question = question ? xstrdup(question) : NULL;
    c->forms = forms ? xstrdup(forms) : NULL;
    c->versions = versions ? xstrdup(versions) : NULL;
    if (forms) {
        /* the writer lists the defining form first */
        size_t n = strcspn(forms, ",");
        c->form_id = xstrndup(forms, n);
    }
    const cJSON *qi = cJSON_GetObjectItemCaseSensitive(field, "quasiIdentifier");
    if (qi && !cJSON_IsBool(qi)) {
        ks = dp_fail(r, KS_ERR_PARSE, "„quasiIdentifier“ ist nicht true oder false.");
        goto cleanup;
    }
    c->quasi_identifier = cJSON_IsTrue(qi);
    const cJSON *sup = cJSON_GetObjectItemCaseSensitive(field, "suppressed");
    if (sup && !dp_is_int(sup, 0, INT_MAX)) {
        ks = dp_fail(r, KS_ERR_PARSE, "„suppressed“ ist keine Anzahl.");
        goto cleanup;
    }
    c->suppressed = sup ? (int)sup->valuedouble : 0;
    if (kind == DATASET_CATEGORY)
        ks = dp_categories(r, field, en, t, col);
cleanup:
    r->where = outer;
    return ks;
}

/* Whether the resource's CSV dialect is the one csvfile reads. */
static KsStatus dp_dialect(DpRead *r, const cJSON *res)
{
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(res, "dialect");
    if (!d)
        return KS_OK;
    const char *delim = NULL, *quote = NULL;
    KsStatus ks;
    if (!cJSON_IsObject(d))
        return dp_fail(r, KS_ERR_PARSE, "„dialect“ ist kein Objekt.");
    if ((ks = dp_string(r, d, "delimiter", &delim)) != KS_OK ||
        (ks = dp_string(r, d, "quoteChar", &quote)) != KS_OK)
        return ks;
    const cJSON *header = cJSON_GetObjectItemCaseSensitive(d, "header");
    if ((delim && strcmp(delim, ",") != 0) || (quote && strcmp(quote, "\"") != 0) ||
        (header && !cJSON_IsTrue(header)))
        return dp_fail(r, KS_ERR_PARSE,
                       "das CSV-Format (Trennzeichen, Anführungszeichen, "
                       "Kopfzeile) wird nicht unterstützt.");
    return KS_OK;
}

static KsStatus dp_resource(DpRead *r, const cJSON *res, DatasetTable **out)
{
    const char *name = NULL, *title = NULL, *path = NULL;
    *out = NULL;
    KsStatus ks =
        dp_name(r, res, true, "-_",
                "Tabellenname (Buchstaben, Ziffern, - und _, höchstens 64 Bytes).", &name);
    if (ks != KS_OK)
        return ks;
    char where[96];
    snprintf(where, sizeof where, "Tabelle %s", name);
    r->where = where;
    if ((ks = dp_string(r, res, "title", &title)) != KS_OK ||
        (ks = dp_string(r, res, "path", &path)) != KS_OK || (ks = dp_dialect(r, res)) != KS_OK)
        goto cleanup;
    char want[80];
    snprintf(want, sizeof want, "%s.csv", name);
    if (path && strcmp(path, want) != 0) {
        ks = dp_fail(r, KS_ERR_PARSE, "der Pfad ist nicht „%s“.", want);
        goto cleanup;
    }
    const cJSON *schema = cJSON_GetObjectItemCaseSensitive(res, "schema");
    const cJSON *fields = cJSON_GetObjectItemCaseSensitive(schema, "fields");
    if (!cJSON_IsArray(fields)) {
        ks = dp_fail(r, KS_ERR_PARSE, "„schema“ hat keine Liste „fields“.");
        goto cleanup;
    }
    if (cJSON_GetArraySize(fields) > DATAPACKAGE_FIELDS_MAX) {
        ks = dp_fail(r, KS_ERR_LIMIT, "mehr als 4096 Spalten.");
        goto cleanup;
    }
    *out = dataset_table_create(name, title ? title : "");
    const cJSON *field;
    cJSON_ArrayForEach(field, fields)
    {
        if ((ks = dp_field(r, field, *out)) != KS_OK)
            break;
    }
cleanup:
    if (ks != KS_OK) {
        dataset_table_destroy(*out);
        *out = NULL;
    }
    r->where = "";
    return ks;
}

/* Counts the JSON values of text roughly from above (every '[', '{' and
 * ',' outside strings opens one), so a file of tiny values cannot make
 * cJSON allocate far more than its size. */
static size_t dp_count_items(const char *text, size_t len)
{
    size_t n = 1;
    bool in_string = false;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (in_string) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{' || c == ',') {
            n++;
        }
    }
    return n;
}

static KsStatus dp_load(DpRead *r, const char *path, char **text, size_t *len)
{
    FILE *f = fopen(path, "rb");
    *text = NULL;
    *len = 0;
    if (!f) {
        snprintf(r->why, r->size, "datapackage.json kann nicht geöffnet werden (%s).",
                 strerror(errno));
        return KS_ERR_IO;
    }
    char *buf = xmalloc(DATAPACKAGE_FILE_MAX + 1);
    size_t n = fread(buf, 1, DATAPACKAGE_FILE_MAX + 1, f);
    bool bad = ferror(f) != 0;
    fclose(f);
    if (bad) {
        free(buf);
        snprintf(r->why, r->size, "datapackage.json kann nicht gelesen werden.");
        return KS_ERR_IO;
    }
    if (n > DATAPACKAGE_FILE_MAX) {
        free(buf);
        return dp_fail(r, KS_ERR_LIMIT, "die Datei ist größer als 8 MiB.");
    }
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return KS_OK;
}

KsStatus datapackage_read(const char *path, DatasetTable ***tables, int *n_tables, char *why,
                          size_t size)
{
    DpRead r = {why, size, ""};
    char *text = NULL;
    size_t len = 0;
    cJSON *root = NULL;
    DatasetTable **out = NULL;
    int n = 0;
    *tables = NULL;
    *n_tables = 0;
    if (size)
        why[0] = '\0';
    KsStatus ks = dp_load(&r, path, &text, &len);
    if (ks != KS_OK)
        return ks;
    if (dp_count_items(text, len) > DATAPACKAGE_ITEMS_MAX) {
        ks = dp_fail(&r, KS_ERR_LIMIT, "mehr als 500000 JSON-Werte.");
        goto cleanup;
    }
    root = cJSON_ParseWithLength(text, len);
    if (!cJSON_IsObject(root)) {
        ks = dp_fail(&r, KS_ERR_PARSE, "kein gültiges JSON-Objekt.");
        goto cleanup;
    }
    const cJSON *res = cJSON_GetObjectItemCaseSensitive(root, "resources");
    if (!cJSON_IsArray(res)) {
        ks = dp_fail(&r, KS_ERR_PARSE, "die Liste „resources“ fehlt.");
        goto cleanup;
    }
    if (cJSON_GetArraySize(res) > DATAPACKAGE_RESOURCES_MAX) {
        ks = dp_fail(&r, KS_ERR_LIMIT, "mehr als 1024 Ressourcen.");
        goto cleanup;
    }
    out = xcalloc((size_t)cJSON_GetArraySize(res) + 1, sizeof *out);
    const cJSON *item;
    cJSON_ArrayForEach(item, res)
    {
        if (!cJSON_IsObject(item)) {
            ks = dp_fail(&r, KS_ERR_PARSE, "eine Ressource ist kein Objekt.");
            goto cleanup;
        }
        if (!cJSON_GetObjectItemCaseSensitive(item, "schema"))
            continue; /* responses.sav, a drawing: not a table */
        if ((ks = dp_resource(&r, item, &out[n])) != KS_OK)
            goto cleanup;
        for (int i = 0; i < n; i++)
            if (strcasecmp(out[i]->name, out[n]->name) == 0) {
                ks = dp_fail(&r, KS_ERR_PARSE, "die Tabelle „%s“ steht doppelt.", out[n]->name);
                n++;
                goto cleanup;
            }
        n++;
    }
cleanup:
    cJSON_Delete(root);
    free(text);
    if (ks != KS_OK) {
        datapackage_free_tables(out, n);
        return ks;
    }
    *tables = out;
    *n_tables = n;
    return KS_OK;
}

void datapackage_free_tables(DatasetTable **tables, int n_tables)
{
    if (!tables)
        return;
    for (int i = 0; i < n_tables; i++)
        dataset_table_destroy(tables[i]);
    free(tables);
}

KsStatus datapackage_field_read(const cJSON *field, DatasetTable *t, char *why, size_t size)
{
    DpRead r = {why, size, ""};
    return dp_field(&r, field, t);
}
