/* fuzz_csv: libFuzzer target for the CSV reader: any bytes must give a table
 * or a clean error, and every cell of the table must be readable. */
#include <string.h>

#include "../../firmware/survey/csv.h"
#include "fuzz_target.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    CsvTable *t = NULL;
    char err[160];
    if (csv_parse((const char *)data, size, &t, err, sizeof err) != KS_OK) {
        if (t || !err[0])
            __builtin_trap(); /* a failure must leave no table and say why */
        return 0;
    }
    size_t total = 0;
    for (int r = 0; r < csv_rows(t); r++)
        for (int c = 0; c <= csv_cols(t, r); c++) /* one past the end reads "" */
            total += strlen(csv_cell(t, r, c));
    if (total > size)
        __builtin_trap(); /* cells never hold more bytes than the input */
    csv_destroy(t);
    return 0;
}
