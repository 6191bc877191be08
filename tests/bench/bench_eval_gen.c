/* bench_eval_gen: makes the evaluation office's benchmark input with the
 * kiosk's own format code — K kiosks, each with its signing key and a chain
 * of B batches of R responses of a form "kinder" (categories, a multiple
 * choice, numbers, a ranking), encrypted to the office's recipient and
 * signed, on one stick folder; and per kiosk the JSON line `km2kiosk key`
 * would print, to enrol it.
 *
 *   bench_eval_gen OUT RECIPIENT KIOSKS BATCHES ROWS
 *
 * writes OUT/stick/KM2KIOSK/<batch>/ and OUT/keys/<kiosk>.json. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../export/bag.h"
#include "../../export/csvfile.h"
#include "../../export/datapackage.h"
#include "../../export/dataset.h"
#include "../../export/sav.h"
#include "../../export/sign.h"

static const char *const FIXED[] = {"response_id", "form",     "form_version", "site_code",
                                    "lang",        "audience", "period",       "clock_doubt"};
static const char *const LANGS[] = {"de", "tr", "ar", "uk", "ru", "en"};
static const char *const FACES[] = {"1", "2", "3", "4", "5"};
static const char *const PLACES[] = {"schoolyard", "library", "sports", "club", "park", "home"};

static DatasetTable *schema(void)
{
    DatasetTable *t = dataset_table_create("responses", "Antworten");
    for (int i = 0; i < 8; i++)
        dataset_table_add_column(t, FIXED[i], FIXED[i], NULL,
                                 i == 7 ? DATASET_BINARY : DATASET_STRING);
    for (int q = 0; q < 6; q++) {
        char name[16], title[64];
        snprintf(name, sizeof name, "frage%d", q + 1);
        snprintf(title, sizeof title, "Wie findest du Ort %d?", q + 1);
        int c = dataset_table_add_column(t, name, title, NULL, DATASET_CATEGORY);
        for (int i = 0; i < 5; i++)
            dataset_table_add_category(t, c, i + 1, FACES[i], FACES[i]);
        t->cols[c].question = strdup(name);
        t->cols[c].forms = strdup("kinder");
    }
    for (int i = 0; i < 6; i++) {
        char name[32], title[64];
        snprintf(name, sizeof name, "orte_%s", PLACES[i]);
        snprintf(title, sizeof title, "Wo bist du gern?: %s", PLACES[i]);
        int c = dataset_table_add_column(t, name, title, NULL, DATASET_BINARY);
        t->cols[c].question = strdup("orte");
        t->cols[c].forms = strdup("kinder");
    }
    int c = dataset_table_add_column(t, "alter", "Wie alt bist du?", NULL, DATASET_INTEGER);
    t->cols[c].question = strdup("alter");
    t->cols[c].forms = strdup("kinder");
    for (int i = 0; i < 3; i++) {
        char name[32], title[64];
        snprintf(name, sizeof name, "rang_%s", PLACES[i]);
        snprintf(title, sizeof title, "Ordne die Orte: %s", PLACES[i]);
        c = dataset_table_add_column(t, name, title, NULL, DATASET_INTEGER);
        t->cols[c].question = strdup("rang");
        t->cols[c].forms = strdup("kinder");
    }
    return t;
}

static void fill(DatasetTable *t, int rows, unsigned *seed, int batch, const char *site)
{
    char v[32][24];
    const char *cells[32];
    for (int r = 0; r < rows; r++) {
        int row = dataset_table_add_row(t);
        int n = 0;
        snprintf(v[n], sizeof v[n], "%010u", (unsigned)rand_r(seed));
        cells[n] = v[n];
        n++;
        cells[n++] = "kinder";
        cells[n++] = batch < 2 ? "2026-03-01" : "2026-09-01";
        cells[n++] = site;
        cells[n++] = LANGS[rand_r(seed) % 6];
        cells[n++] = "child";
        snprintf(v[n], sizeof v[n], "2026-W%02d", (10 + batch * 8 + rand_r(seed) % 4) % 53);
        cells[n] = v[n];
        n++;
        cells[n++] = "0";
        for (int q = 0; q < 6; q++)
            cells[n++] = FACES[rand_r(seed) % 5];
        for (int i = 0; i < 6; i++)
            cells[n++] = rand_r(seed) % 3 ? "0" : "1";
        snprintf(v[n], sizeof v[n], "%d", 6 + rand_r(seed) % 8);
        cells[n] = v[n];
        n++;
        int first = rand_r(seed) % 3;
        for (int i = 0; i < 3; i++)
            cells[n++] = i == first ? "1" : (i == (first + 1) % 3 ? "2" : "3");
        for (int i = 0; i < n; i++)
            dataset_table_set(t, row, i, cells[i]);
    }
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: bench_eval_gen OUT RECIPIENT KIOSKS BATCHES ROWS\n");
        return 2;
    }
    const char *out = argv[1], *recipient = argv[2];
    int kiosks = atoi(argv[3]), batches = atoi(argv[4]), rows = atoi(argv[5]);
    char path[1024];
    snprintf(path, sizeof path, "%s/stick", out);
    mkdir(out, 0755);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/stick/KM2KIOSK", out);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/keys", out);
    mkdir(path, 0755);
    unsigned seed = 7;
    for (int k = 0; k < kiosks; k++) {
        char kiosk[32], site[16];
        snprintf(kiosk, sizeof kiosk, "KIOSK-%02d", k + 1);
        snprintf(site, sizeof site, "SITE-%d", k % 8 + 1);
        snprintf(path, sizeof path, "%s/keys/%s.signkey", out, kiosk);
        SignKey *key = NULL;
        if (sign_key_load_or_create(path, &key) != KS_OK)
            return 1;
        SignPublic pub;
        sign_key_public(key, &pub);
        char line[SIGN_PUBLIC_LINE];
        sign_public_line(&pub, line, sizeof line);
        snprintf(path, sizeof path, "%s/keys/%s.json", out, kiosk);
        FILE *f = fopen(path, "w");
        fprintf(f,
                "{\"kiosk_id\":\"%s\",\"site\":\"%s\",\"key_id\":\"%s\",\"public_key\":\"%s\"}\n",
                kiosk, site, pub.id, line);
        fclose(f);
        char prev[64] = "", prev_tag[65] = "";
        for (int b = 0; b < batches; b++) {
            char id[64], dir[1024], data[1100], file[1200];
            snprintf(id, sizeof id, "%s-2026%02d01-%04d", kiosk, (3 + b) % 100,
                     (k * 100 + b) % 10000);
            snprintf(dir, sizeof dir, "%s/stick/KM2KIOSK/%s", out, id);
            snprintf(data, sizeof data, "%s/data", dir);
            mkdir(dir, 0755);
            mkdir(data, 0755);
            DatasetTable *t = schema();
            for (int c = 0; c < t->n_cols; c++)
                if (t->cols[c].kind == DATASET_STRING)
                    t->cols[c].max_bytes = 16;
            fill(t, rows, &seed, b, site);
            const DatasetTable *tabs[] = {t};
            snprintf(file, sizeof file, "%s/responses.csv", data);
            KsStatus ks = csvfile_write_table(t, file);
            snprintf(file, sizeof file, "%s/responses.sav", data);
            if (ks == KS_OK)
                ks = sav_write(t, "bench", file);
            snprintf(file, sizeof file, "%s/datapackage.json", data);
            if (ks == KS_OK)
                ks = datapackage_write(tabs, 1, id, NULL, 0, file);
            snprintf(file, sizeof file, "%s/disclosure-report.json", data);
            f = fopen(file, "w");
            fputs("{\"k\":5}\n", f);
            fclose(f);
            dataset_table_destroy(t);
            char period_from[24], period_to[24], tag[65];
            snprintf(period_from, sizeof period_from, "2026-W%02d", (10 + b * 8) % 53);
            snprintf(period_to, sizeof period_to, "2026-W%02d", (13 + b * 8) % 53);
            BagInfo info = {.batch_id = id,
                            .kiosk_id = kiosk,
                            .site_code = site,
                            .forms = b < 2 ? "kinder 2026-03-01" : "kinder 2026-09-01",
                            .rows = rows,
                            .period_from = period_from,
                            .period_to = period_to,
                            .prev_batch_id = prev,
                            .prev_tag_sha256 = prev_tag,
                            .age_recipient = recipient};
            if (ks == KS_OK)
                ks = bag_finish(dir, &info, key, tag);
            if (ks != KS_OK) {
                fprintf(stderr, "bench_eval_gen: batch %s: %s\n", id, ks_status_str(ks));
                return 1;
            }
            snprintf(prev, sizeof prev, "%s", id);
            memcpy(prev_tag, tag, sizeof prev_tag);
        }
        sign_key_destroy(key);
    }
    return 0;
}
