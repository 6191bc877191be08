/* form_load_file: reads a container file of a form (a CSV sheet or a
 * workbook) whole into memory, refusing one that reaches a size limit. Shared
 * by the container readers form_csv.c and form_xlsx.c; it knows nothing of
 * what the bytes hold. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "../core/mem.h"
#include "form_load_private.h"

#define FORM_LOAD_FILE_FIRST_CHUNK (64u * 1024)

KsStatus form_load_file_read(const char *path, size_t max, unsigned char **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return errno == ENOENT ? KS_ERR_NOT_FOUND : KS_ERR_IO;
    KsStatus ks = KS_OK;
    size_t cap = max < FORM_LOAD_FILE_FIRST_CHUNK ? max : FORM_LOAD_FILE_FIRST_CHUNK;
    size_t n = 0;
    unsigned char *buf = xmalloc(cap ? cap : 1);
    for (;;) {
        if (n == cap) {
            /* A full buffer of max bytes: the file holds at least that many. */
            if (cap >= max) {
                ks = KS_ERR_LIMIT;
                break;
            }
            cap = cap > max / 2 ? max : cap * 2;
            buf = xrealloc(buf, cap);
        }
        size_t got = fread(buf + n, 1, cap - n, fp);
        n += got;
        if (got == 0)
            break;
    }
    if (ks == KS_OK && ferror(fp))
        ks = KS_ERR_IO;
    fclose(fp);
    if (ks != KS_OK) {
        free(buf);
        return ks;
    }
    *data = buf;
    *len = n;
    return KS_OK;
}
