/* fuzz_xlsx: libFuzzer target for the .xlsx reader: opens the bytes as a
 * workbook and reads every sheet; anything may fail, nothing may crash, leak
 * or hang. */
#include <string.h>

#include "../../firmware/survey/csv.h"
#include "../../firmware/survey/xlsx.h"
#include "fuzz_target.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    XlsxBook *b = NULL;
    char err[256];
    if (xlsx_open_mem(data, size, &b, err, sizeof err) != KS_OK) {
        if (b || !err[0])
            __builtin_trap(); /* a failure must leave no book and say why */
        return 0;
    }
    for (int i = 0; i < xlsx_sheet_count(b); i++) {
        CsvTable *t = NULL;
        if (xlsx_sheet_find(b, xlsx_sheet_name(b, i)) < 0)
            __builtin_trap();
        if (xlsx_sheet_read(b, i, &t, err, sizeof err) == KS_OK) {
            for (int r = 0; r < csv_rows(t); r++)
                for (int c = 0; c < csv_cols(t, r); c++)
                    if (strlen(csv_cell(t, r, c)) > CSV_MAX_FIELD)
                        __builtin_trap();
        } else if (t) {
            __builtin_trap();
        }
        csv_destroy(t);
    }
    xlsx_close(b);
    return 0;
}
