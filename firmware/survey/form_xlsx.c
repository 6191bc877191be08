/* form_xlsx: the workbook container of an XLSForm: reads the file, hashes it
 * for the form's identity, turns its survey, choices and settings sheets
 * into tables with xlsx.h and hands them to form_load. */
#include "form_xlsx.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/log.h"
#include "form_load_private.h"
#include "xlsx.h"

#define FORM_XLSX_MAX_FILE (32u << 20)

/* The folder of path ("." for a bare file name) and the file name without
 * ".xlsx", the form_id when settings has none. */
static void form_xlsx_split_path(FormLoader *L, const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        L->dir = arena_strdup(L->tmp, ".");
    else if (slash == path)
        L->dir = arena_strdup(L->tmp, "/");
    else
        L->dir = arena_strndup(L->tmp, path, (size_t)(slash - path));
    const char *base = slash ? slash + 1 : path;
    size_t n = strlen(base);
    if (n > 5 && strcasecmp(base + n - 5, ".xlsx") == 0)
        n -= 5;
    L->default_id = arena_strndup(L->tmp, base, n);
}

KsStatus form_xlsx_load(const char *path, Form **out, FormDiag *diag)
{
    FormLoader L;
    unsigned char *data = NULL;
    size_t len = 0;
    XlsxBook *book = NULL;
    char err[256];
    form_load_begin(&L, diag);
    form_xlsx_split_path(&L, path);
    L.f->source = arena_strdup(L.f->arena, path);
    for (int i = 0; i < FORM_SHEETS; i++)
        L.sheets[i].file = path;
    if (sodium_init() < 0) {
        LOG_ERROR("libsodium failed to initialise");
        L.fail = KS_ERR_STATE;
        goto cleanup;
    }
    KsStatus ks = form_load_file_read(path, FORM_XLSX_MAX_FILE, &data, &len);
    if (ks != KS_OK) {
        form_load_report(&L, ks, FORM_SHEET_SURVEY, 0, NULL, "the file cannot be read: %s",
                         ks == KS_ERR_LIMIT ? "it is larger than 32 MB" : ks_status_str(ks));
        goto cleanup;
    }
    ks = xlsx_open_mem(data, len, &book, err, sizeof err);
    if (ks != KS_OK) {
        L.sheets[FORM_SHEET_SURVEY].name = "";
        form_load_report(&L, ks, FORM_SHEET_SURVEY, 0, NULL, "%s", err);
        goto cleanup;
    }
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, data, len);
    sodium_bin2hex(L.f->sha256, sizeof L.f->sha256, digest, sizeof digest);
    for (int i = 0; i < FORM_SHEETS; i++) {
        FormSheet *s = &L.sheets[i];
        int idx = xlsx_sheet_find(book, s->name);
        if (idx < 0)
            continue;
        s->name = arena_strdup(L.tmp, xlsx_sheet_name(book, idx));
        ks = xlsx_sheet_read(book, idx, &s->table, err, sizeof err);
        if (ks != KS_OK) {
            form_load_report(&L, ks, (FormSheetId)i, 0, NULL, "%s", err);
            continue;
        }
        s->present = true;
    }
    if (L.fail == KS_OK)
        form_load_sheets(&L);
cleanup:
    xlsx_close(book);
    free(data);
    return form_load_end(&L, out);
}
