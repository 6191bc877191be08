/* csv_expect: a row of a CsvTable checked in one call, for the suites that
 * read tables (test_survey's CSV parser, test_xlsx's sheets). Header only;
 * include it after cmocka.h. */
#ifndef KS_CSV_EXPECT_H
#define KS_CSV_EXPECT_H

#include <stdarg.h>
#include <string.h>

#include "../../firmware/survey/csv.h"

/* Checks the cells of row from column col on against the strings given,
 * up to a NULL; a differing cell fails the test with its row and column. */
static inline void expect_cells(const CsvTable *t, int row, int col, ...)
{
    va_list ap;
    va_start(ap, col);
    for (const char *want; (want = va_arg(ap, const char *)) != NULL; col++)
        if (strcmp(csv_cell(t, row, col), want) != 0)
            fail_msg("cell %d,%d: \"%s\", expected \"%s\"", row, col, csv_cell(t, row, col), want);
    va_end(ap);
}

#endif
