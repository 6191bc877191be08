/* recv_data: the data files of one batch being received — decrypted with
 * the team's identity into a work folder when the bag is encrypted,
 * checked against their own description (datapackage.json: the columns of
 * every table, each cell against its type and categories; the responses'
 * row count against bag-info.txt; responses.sav's rows and variables), and
 * loaded into the archive: each table's columns, the response rows, the
 * other tables' rows and the pictures. */
#ifndef KM2EVAL_RECV_DATA_H
#define KM2EVAL_RECV_DATA_H

#include <stddef.h>
#include <stdbool.h>

#include "../export/age.h"
#include "../export/bag.h"
#include "../export/dataset.h"
#include "archive.h"

typedef struct {
    char dir[1024];        /* the readable data files: <bag>/data or <work>/data */
    DatasetTable **tables; /* the tables datapackage.json describes (no rows) */
    int n_tables;
    int k;           /* disclosure-report.json's k, 0 when not given */
    char **pictures; /* PNG files, relative to data/ */
    int n_pictures;
} RecvData;

/* Decrypts (when f->encrypted) into work/data and checks everything (see
 * above). KS_OK, or KS_ERR_CORRUPT with a German sentence in why. *d is
 * filled either way; recv_data_clear releases it. */
KsStatus recv_data_check(RecvData *d, const char *bag, const char *work, const BagFacts *f,
                         const unsigned char secret[AGE_KEY_BYTES], char *why, size_t size);

/* Loads the checked data of batch b into the archive, inside the caller's
 * transaction; with rows false nothing (a chain link without data). */
KsStatus recv_data_load(const RecvData *d, Archive *a, const ArchiveBatch *b, bool rows);

void recv_data_clear(RecvData *d);

#endif
