/* sav: writes a dataset table as an SPSS .sav file through ReadStat's
 * writer. Variable labels are the column titles (German); categories are
 * numeric codes 1..n with the choice labels as value labels; 0/1 columns
 * carry "nicht gewählt"/"gewählt"; text columns are string variables.
 * Missing numbers are system-missing, missing text is "". Only formatting;
 * ReadStat lives here and in no other module. */
#ifndef KS_SAV_H
#define KS_SAV_H

#include "../firmware/core/ks_status.h"
#include "dataset.h"

/* Writes t to path (created or replaced); file_label is the SPSS file label
 * (cut to 64 bytes). KS_ERR_IO when ReadStat refuses the metadata or a
 * write fails. */
KsStatus sav_write(const DatasetTable *t, const char *file_label, const char *path);

#endif
