/* recv_data: decrypting, checking and loading a received batch's data
 * files (see recv_data.h). Reads every CSV twice — once to check, once to
 * load inside the transaction — and never holds a table in memory. */
#include "recv_data.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../export/bagit.h"
#include "../export/csvfile.h"
#include "../export/datapackage.h"
#include "../export/sav.h"
#include "../firmware/core/log.h"
#include "../firmware/core/mem.h"
#include "../firmware/core/str.h"
#include "archive_rows.h"

#define DATA_PATH 1200
#define DATA_DEPTH_MAX 8
#define PICTURE_MAX (16 * 1024 * 1024)
#define REPORT_MAX (1024 * 1024)

/* Columns of a response row that the archive keeps as its own fields; the
 * rest go into the row's JSON object. */
static const char *const FIXED[] = {"response_id", "form",     "form_version", "site_code",
                                    "lang",        "audience", "period"};
enum { FX_ID, FX_FORM, FX_VERSION, FX_SITE, FX_LANG, FX_AUDIENCE, FX_PERIOD, FX_COUNT };

void recv_data_clear(RecvData *d)
{
    for (int i = 0; i < d->n_tables; i++)
        dataset_table_destroy(d->tables[i]);
    free(d->tables);
    for (int i = 0; i < d->n_pictures; i++)
        free(d->pictures[i]);
    free(d->pictures);
    memset(d, 0, sizeof *d);
}

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), t = strlen(tail);
    return n >= t && strcmp(s + n - t, tail) == 0;
}

/* ---- decrypting ---------------------------------------------------------- */

static KsStatus mkdirs(const char *path)
{
    char p[DATA_PATH];
    str_copy(p, sizeof p, path);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0700) != 0 && errno != EEXIST)
            return KS_ERR_IO;
        *s = '/';
    }
    return mkdir(p, 0700) == 0 || errno == EEXIST ? KS_OK : KS_ERR_IO;
}

/* Decrypts every file below src/rel into dst/rel (".age" dropped). */
static KsStatus decrypt_tree(const char *src, const char *dst, const char *rel,
                             const unsigned char *secret, int depth, char *why, size_t size)
{
    char sdir[DATA_PATH], ddir[DATA_PATH];
    snprintf(sdir, sizeof sdir, "%s%s%s", src, rel[0] ? "/" : "", rel);
    snprintf(ddir, sizeof ddir, "%s%s%s", dst, rel[0] ? "/" : "", rel);
    if (depth > DATA_DEPTH_MAX || mkdirs(ddir) != KS_OK) {
        snprintf(why, size, "der Arbeitsordner %s lässt sich nicht anlegen.", ddir);
        return KS_ERR_IO;
    }
    DIR *dir = opendir(sdir);
    if (!dir) {
        snprintf(why, size, "der Ordner data/%s lässt sich nicht lesen.", rel);
        return KS_ERR_CORRUPT;
    }
    KsStatus ks = KS_OK;
    struct dirent *e;
    while (ks == KS_OK && (e = readdir(dir)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char sub[DATA_PATH], sp[DATA_PATH * 2], dp[DATA_PATH * 2];
        snprintf(sub, sizeof sub, "%s%s%s", rel, rel[0] ? "/" : "", e->d_name);
        snprintf(sp, sizeof sp, "%s/%s", src, sub);
        struct stat st;
        if (lstat(sp, &st) != 0) {
            ks = KS_ERR_CORRUPT;
        } else if (S_ISDIR(st.st_mode)) {
            ks = decrypt_tree(src, dst, sub, secret, depth + 1, why, size);
        } else if (!ends_with(e->d_name, ".age")) {
            snprintf(why, size,
                     "data/%s ist nicht verschlüsselt, obwohl die Lieferung "
                     "verschlüsselt sein soll.",
                     sub);
            ks = KS_ERR_CORRUPT;
        } else {
            snprintf(dp, sizeof dp, "%s/%.*s", dst, (int)(strlen(sub) - 4), sub);
            KsStatus ds = age_decrypt_file(secret, sp, dp);
            if (ds != KS_OK) {
                snprintf(why, size,
                         ds == KS_ERR_NOT_FOUND
                             ? "data/%s ist nicht für den Schlüssel dieses Auswertungsbüros "
                               "verschlüsselt (age_recipient im kiosk.conf prüfen)."
                         : ds == KS_ERR_IO ? "data/%s lässt sich nicht lesen oder entschlüsseln."
                                           : "data/%s ist beschädigt oder abgeschnitten und "
                                             "lässt sich nicht entschlüsseln.",
                         sub);
                ks = KS_ERR_CORRUPT;
            }
        }
    }
    closedir(dir);
    return ks;
}

/* An unencrypted bag must not hold .age files (they could not be read). */
static bool has_age_file(const char *dir, int depth)
{
    DIR *d = opendir(dir);
    if (!d || depth > DATA_DEPTH_MAX) {
        if (d)
            closedir(d);
        return false;
    }
    bool found = false;
    struct dirent *e;
    while (!found && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char p[DATA_PATH];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
            found = has_age_file(p, depth + 1);
        else
            found = ends_with(e->d_name, ".age");
    }
    closedir(d);
    return found;
}

/* ---- checking ------------------------------------------------------------- */

static bool is_integer(const char *s)
{
    if (*s == '-')
        s++;
    if (!*s)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

static bool is_number(const char *s)
{
    char *end;
    errno = 0;
    (void)strtod(s, &end);
    return end != s && *end == '\0' && errno == 0;
}

static bool cell_fits(const DatasetColumn *c, const char *v)
{
    if (!v || !v[0])
        return true; /* missing */
    switch (c->kind) {
    case DATASET_INTEGER:
        return is_integer(v);
    case DATASET_NUMBER:
        return is_number(v);
    case DATASET_BINARY:
        return strcmp(v, "0") == 0 || strcmp(v, "1") == 0;
    case DATASET_CATEGORY:
        for (int i = 0; i < c->n_cats; i++)
            if (strcmp(c->cats[i].name, v) == 0)
                return true;
        return false;
    case DATASET_STRING:
        return true;
    }
    return false;
}

/* What a column of each kind must hold, in the words of a refusal. */
static const char *const KIND_WORDS[] = {"Text", "eine ganze Zahl", "eine Zahl",
                                         "eine der beschriebenen Antworten", "0 oder 1"};
_Static_assert(STR_COUNT(KIND_WORDS) == DATASET_BINARY + 1, "words for every kind");

static const char *kind_name(DatasetKind k)
{
    return str_name_of(KIND_WORDS, STR_COUNT(KIND_WORDS), (int)k, "?");
}

/* Checks one table's CSV against its columns; *rows gets the row count. */
static KsStatus check_table(const RecvData *d, const DatasetTable *t, long *rows, char *why,
                            size_t size)
{
    char path[DATA_PATH];
    snprintf(path, sizeof path, "%s/%s.csv", d->dir, t->name);
    char rwhy[256] = "";
    CsvFileReader *r = csvfile_reader_open(path, rwhy, sizeof rwhy);
    if (!r) {
        snprintf(why, size, "%s.csv fehlt oder lässt sich nicht lesen (%s).", t->name, rwhy);
        return KS_ERR_CORRUPT;
    }
    const char *const *cells;
    int n;
    KsStatus ks = csvfile_reader_row(r, &cells, &n);
    if (ks != KS_OK || n != t->n_cols) {
        snprintf(why, size, "%s.csv hat %d Spalten, datapackage.json beschreibt %d.", t->name,
                 ks == KS_OK ? n : 0, t->n_cols);
        csvfile_reader_close(&r);
        return KS_ERR_CORRUPT;
    }
    for (int i = 0; i < n; i++) {
        if (strcmp(cells[i], t->cols[i].name) != 0) {
            snprintf(why, size, "Spalte %d von %s.csv heißt %s, datapackage.json sagt %s.", i + 1,
                     t->name, cells[i], t->cols[i].name);
            csvfile_reader_close(&r);
            return KS_ERR_CORRUPT;
        }
    }
    long count = 0;
    while ((ks = csvfile_reader_row(r, &cells, &n)) == KS_OK) {
        count++;
        if (n != t->n_cols) {
            snprintf(why, size, "Zeile %ld von %s.csv hat %d statt %d Zellen.", count + 1, t->name,
                     n, t->n_cols);
            csvfile_reader_close(&r);
            return KS_ERR_CORRUPT;
        }
        for (int i = 0; i < n; i++) {
            if (!cell_fits(&t->cols[i], cells[i])) {
                snprintf(why, size, "Zeile %ld von %s.csv: in %s steht \"%.40s\", erwartet ist %s.",
                         count + 1, t->name, t->cols[i].name, cells[i], kind_name(t->cols[i].kind));
                csvfile_reader_close(&r);
                return KS_ERR_CORRUPT;
            }
        }
    }
    csvfile_reader_close(&r);
    if (ks != KS_ERR_NOT_FOUND) {
        snprintf(why, size, "%s.csv ist nach Zeile %ld kein gültiges CSV mehr (%s).", t->name,
                 count + 1, rwhy[0] ? rwhy : ks_status_str(ks));
        return KS_ERR_CORRUPT;
    }
    *rows = count;
    return KS_OK;
}

static int read_k(const char *dir)
{
    char path[DATA_PATH];
    snprintf(path, sizeof path, "%s/disclosure-report.json", dir);
    char *text = NULL;
    size_t len = 0;
    if (bagit_read_file(path, REPORT_MAX, &text, &len) != KS_OK)
        return 0;
    cJSON *root = cJSON_ParseWithLength(text, len);
    free(text);
    const cJSON *k = cJSON_GetObjectItemCaseSensitive(root, "k");
    int v = cJSON_IsNumber(k) && k->valuedouble >= 1 && k->valuedouble <= 1000 ? (int)k->valuedouble
                                                                               : 0;
    cJSON_Delete(root);
    return v;
}

static void find_pictures(RecvData *d, const char *rel, int depth)
{
    char path[DATA_PATH];
    snprintf(path, sizeof path, "%s%s%s", d->dir, rel[0] ? "/" : "", rel);
    DIR *dir = opendir(path);
    if (!dir)
        return;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char sub[DATA_PATH], p[DATA_PATH * 2];
        snprintf(sub, sizeof sub, "%s%s%s", rel, rel[0] ? "/" : "", e->d_name);
        snprintf(p, sizeof p, "%s/%s", d->dir, sub);
        struct stat st;
        if (lstat(p, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode) && depth < DATA_DEPTH_MAX) {
            find_pictures(d, sub, depth + 1);
        } else if (S_ISREG(st.st_mode) && ends_with(e->d_name, ".png")) {
            d->pictures = xrealloc(d->pictures, (size_t)(d->n_pictures + 1) * sizeof *d->pictures);
            d->pictures[d->n_pictures++] = xstrdup(sub);
        }
    }
    closedir(dir);
}

KsStatus recv_data_check(RecvData *d, const char *bag, const char *work, const BagFacts *f,
                         const unsigned char secret[AGE_KEY_BYTES], char *why, size_t size)
{
    memset(d, 0, sizeof *d);
    char src[DATA_PATH];
    snprintf(src, sizeof src, "%s/data", bag);
    if (f->encrypted) {
        snprintf(d->dir, sizeof d->dir, "%s/data", work);
        KsStatus ks = decrypt_tree(src, d->dir, "", secret, 0, why, size);
        if (ks != KS_OK)
            return KS_ERR_CORRUPT;
    } else {
        str_copy(d->dir, sizeof d->dir, src);
        if (has_age_file(src, 0)) {
            snprintf(why, size,
                     "die Lieferung gilt als unverschlüsselt, enthält aber "
                     "verschlüsselte Dateien.");
            return KS_ERR_CORRUPT;
        }
    }
    char path[DATA_PATH], dwhy[256] = "";
    snprintf(path, sizeof path, "%s/datapackage.json", d->dir);
    if (datapackage_read(path, &d->tables, &d->n_tables, dwhy, sizeof dwhy) != KS_OK) {
        snprintf(why, size, "datapackage.json ist unbrauchbar: %s", dwhy);
        return KS_ERR_CORRUPT;
    }
    const DatasetTable *responses = NULL;
    for (int i = 0; i < d->n_tables; i++) {
        long rows = 0;
        if (check_table(d, d->tables[i], &rows, why, size) != KS_OK)
            return KS_ERR_CORRUPT;
        if (strcmp(d->tables[i]->name, "responses") == 0) {
            responses = d->tables[i];
            if (rows != f->rows) {
                snprintf(why, size, "responses.csv hat %ld Antworten, bag-info.txt nennt %d.", rows,
                         f->rows);
                return KS_ERR_CORRUPT;
            }
        }
    }
    if (!responses && f->rows > 0) {
        snprintf(why, size, "bag-info.txt nennt %d Antworten, aber es gibt keine responses.csv.",
                 f->rows);
        return KS_ERR_CORRUPT;
    }
    if (responses) {
        snprintf(path, sizeof path, "%s/responses.sav", d->dir);
        long rows = -1;
        int vars = -1;
        if (sav_read_shape(path, &rows, &vars) != KS_OK || rows != f->rows ||
            vars != responses->n_cols) {
            snprintf(why, size,
                     "responses.sav passt nicht zu responses.csv (%ld statt %d Zeilen, %d statt "
                     "%d Variablen).",
                     rows, f->rows, vars, responses->n_cols);
            return KS_ERR_CORRUPT;
        }
    }
    d->k = read_k(d->dir);
    find_pictures(d, "", 0);
    return KS_OK;
}

/* ---- loading ---------------------------------------------------------------- */

static KsStatus load_columns(const RecvData *d, Archive *a, const char *batch)
{
    KsStatus ks = KS_OK;
    for (int t = 0; ks == KS_OK && t < d->n_tables; t++) {
        const DatasetTable *tab = d->tables[t];
        for (int c = 0; ks == KS_OK && c < tab->n_cols; c++) {
            cJSON *spec = datapackage_field_json(&tab->cols[c]);
            char *text = spec ? cJSON_PrintUnformatted(spec) : NULL;
            ks = text ? archive_column_add(a, batch, tab->name, c, tab->cols[c].name, text)
                      : KS_ERR_NOMEM;
            cJSON_free(text);
            cJSON_Delete(spec);
        }
    }
    return ks;
}

/* The row's cells outside `skip` as one JSON object (missing ones left out). */
static char *row_json(const DatasetTable *t, const char *const *cells, const bool *skip)
{
    cJSON *o = cJSON_CreateObject();
    for (int i = 0; i < t->n_cols; i++)
        if (!(skip && skip[i]) && cells[i][0])
            cJSON_AddStringToObject(o, t->cols[i].name, cells[i]);
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return s;
}

static KsStatus load_table(const RecvData *d, Archive *a, const ArchiveBatch *b,
                           const DatasetTable *t)
{
    bool responses = strcmp(t->name, "responses") == 0;
    int fixed[FX_COUNT];
    bool *skip = xcalloc((size_t)t->n_cols + 1, sizeof *skip);
    for (int f = 0; f < FX_COUNT; f++) {
        fixed[f] = responses ? dataset_table_find(t, FIXED[f]) : -1;
        if (fixed[f] >= 0)
            skip[fixed[f]] = true;
    }
    char path[DATA_PATH], file[300], why[128];
    snprintf(path, sizeof path, "%s/%s.csv", d->dir, t->name);
    snprintf(file, sizeof file, "%s.csv", t->name);
    CsvFileReader *r = csvfile_reader_open(path, why, sizeof why);
    KsStatus ks = r ? KS_OK : KS_ERR_IO;
    const char *const *cells;
    int n;
    if (ks == KS_OK)
        ks = csvfile_reader_row(r, &cells, &n); /* the header, checked before */
    while (ks == KS_OK && (ks = csvfile_reader_row(r, &cells, &n)) == KS_OK) {
        if (n != t->n_cols) {
            ks = KS_ERR_CORRUPT;
            break;
        }
        char *json = row_json(t, cells, responses ? skip : NULL);
        if (!json) {
            ks = KS_ERR_NOMEM;
            break;
        }
        if (responses) {
#define CELL(f) (fixed[f] >= 0 ? cells[fixed[f]] : "")
            const char *site = CELL(FX_SITE);
            ArchiveResponse row = {b->id,         b->kiosk_id,       site[0] ? site : b->site,
                                   CELL(FX_FORM), CELL(FX_VERSION),  CELL(FX_PERIOD),
                                   CELL(FX_LANG), CELL(FX_AUDIENCE), CELL(FX_ID),
                                   json};
#undef CELL
            ks = archive_response_add(a, &row);
        } else {
            ks = archive_extra_add(a, b->id, file, json);
        }
        cJSON_free(json);
    }
    if (ks == KS_ERR_NOT_FOUND)
        ks = KS_OK;
    csvfile_reader_close(&r);
    free(skip);
    return ks;
}

static KsStatus load_pictures(const RecvData *d, Archive *a, const char *batch)
{
    KsStatus ks = KS_OK;
    for (int i = 0; ks == KS_OK && i < d->n_pictures; i++) {
        char path[DATA_PATH * 2];
        snprintf(path, sizeof path, "%s/%s", d->dir, d->pictures[i]);
        char *data = NULL;
        size_t len = 0;
        ks = bagit_read_file(path, PICTURE_MAX, &data, &len);
        if (ks == KS_OK)
            ks = archive_media_add(a, batch, d->pictures[i], data, len);
        free(data);
    }
    return ks;
}

KsStatus recv_data_load(const RecvData *d, Archive *a, const ArchiveBatch *b, bool rows)
{
    if (!rows)
        return KS_OK;
    KsStatus ks = load_columns(d, a, b->id);
    for (int t = 0; ks == KS_OK && t < d->n_tables; t++)
        ks = load_table(d, a, b, d->tables[t]);
    if (ks == KS_OK)
        ks = load_pictures(d, a, b->id);
    return ks;
}
