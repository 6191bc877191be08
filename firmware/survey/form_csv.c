/* form_csv: the CSV-folder container of an XLSForm: reads survey.csv,
 * choices.csv and settings.csv from one folder, hashes them for the form's
 * identity and hands the tables to form_load for mapping onto the model. */
#include "form_csv.h"

#include <stdint.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/log.h"
#include "form_load_private.h"

#define FORM_CSV_MAX_FILE (8u << 20)

/* Fixed order: it is also the order of the form_sha256 input. */
static const char *const form_csv_file_names[FORM_SHEETS] = {"settings.csv", "survey.csv",
                                                             "choices.csv"};

typedef struct {
    unsigned char *data[FORM_SHEETS];
    size_t len[FORM_SHEETS];
} FormCsvFiles;

/* SHA-256 over settings, survey, choices in that order, each preceded by its
 * file name, a NUL byte and its length as 8 big-endian bytes. */
static void form_csv_hash(const FormCsvFiles *files, char *hex, size_t hexsz)
{
    crypto_hash_sha256_state h;
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_init(&h);
    for (int i = 0; i < FORM_SHEETS; i++) {
        unsigned char len8[8];
        uint64_t n = files->len[i];
        for (int b = 7; b >= 0; b--, n >>= 8)
            len8[b] = (unsigned char)(n & 0xFF);
        crypto_hash_sha256_update(&h, (const unsigned char *)form_csv_file_names[i],
                                  strlen(form_csv_file_names[i]) + 1);
        crypto_hash_sha256_update(&h, len8, sizeof len8);
        if (files->len[i])
            crypto_hash_sha256_update(&h, files->data[i], files->len[i]);
    }
    crypto_hash_sha256_final(&h, digest);
    sodium_bin2hex(hex, hexsz, digest, sizeof digest);
}

/* The last component of a path, without trailing slashes. */
static char *form_csv_base_name(Arena *a, const char *dir)
{
    const char *end = dir + strlen(dir);
    while (end > dir + 1 && end[-1] == '/')
        end--;
    const char *start = end;
    while (start > dir && start[-1] != '/')
        start--;
    return arena_strndup(a, start, (size_t)(end - start));
}

KsStatus form_csv_load(const char *dir, Form **out, FormDiag *diag)
{
    FormLoader L;
    FormCsvFiles files;
    memset(&files, 0, sizeof files);
    form_load_begin(&L, diag);
    size_t dir_len = strlen(dir);
    while (dir_len > 1 && dir[dir_len - 1] == '/')
        dir_len--;
    L.dir = arena_strndup(L.tmp, dir, dir_len);
    L.default_id = form_csv_base_name(L.tmp, L.dir);
    L.f->source = arena_strdup(L.f->arena, L.dir);
    if (sodium_init() < 0) {
        LOG_ERROR("libsodium failed to initialise");
        L.fail = KS_ERR_STATE;
        goto cleanup;
    }
    for (int i = 0; i < FORM_SHEETS; i++) {
        FormSheet *s = &L.sheets[i];
        size_t n = strlen(L.dir) + 1 + strlen(form_csv_file_names[i]) + 1;
        char *path = arena_alloc(L.tmp, n);
        snprintf(path, n, "%s/%s", L.dir, form_csv_file_names[i]);
        s->file = path;
        KsStatus ks = form_load_file_read(path, FORM_CSV_MAX_FILE, &files.data[i], &files.len[i]);
        if (ks == KS_ERR_NOT_FOUND && i != FORM_SHEET_SURVEY)
            continue;
        if (ks != KS_OK) {
            form_load_report(&L, ks, (FormSheetId)i, 0, NULL, "the file cannot be read: %s",
                             ks == KS_ERR_NOT_FOUND ? "it does not exist" : ks_status_str(ks));
            continue;
        }
        char err[200];
        ks = csv_parse((const char *)files.data[i], files.len[i], &s->table, err, sizeof err);
        if (ks != KS_OK) {
            form_load_report(&L, ks == KS_ERR_LIMIT ? KS_ERR_LIMIT : KS_ERR_PARSE, (FormSheetId)i,
                             0, NULL, "%s", err);
            continue;
        }
        s->present = true;
    }
    if (L.fail != KS_OK)
        goto cleanup;
    form_csv_hash(&files, L.f->sha256, sizeof L.f->sha256);
    form_load_sheets(&L);
cleanup:
    for (int i = 0; i < FORM_SHEETS; i++)
        free(files.data[i]);
    return form_load_end(&L, out);
}
