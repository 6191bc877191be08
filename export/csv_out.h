/* csv_out: writes a dataset table as CSV — UTF-8 without BOM, RFC 4180:
 * CRLF line ends, a header row, fields quoted when they hold a comma, a
 * double quote, CR or LF (quotes doubled), missing cells empty. Only
 * formatting; the table decides what is in it. */
#ifndef KS_CSV_OUT_H
#define KS_CSV_OUT_H

#include "../firmware/core/ks_status.h"
#include "dataset.h"

/* Writes t to path (created or replaced). KS_ERR_IO when a write or the
 * close fails. */
KsStatus csv_out_write(const DatasetTable *t, const char *path);

#endif
