/* xlsx_zip: libzip for the .xlsx reader, loaded by the first workbook the
 * process opens rather than linked: libzip links libcrypto (for encrypted
 * archives, which a form never is), whose 20 000 relocations and 1.4 MB a
 * kiosk of CSV forms would otherwise pay at every start. */
#include <pthread.h>

#include "../core/dynlib.h"
#include "xlsx_private.h"

#define XLSX_ZIP_LIB "libzip.so.4" /* its soname: the package libzip4 */

static XlsxZip g_zip;
static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static bool g_loaded;
static char g_why[256];

static void load(void)
{
    const DynlibFn fns[] = {
        DYNLIB_FN(g_zip, zip_discard, zip_discard),
        DYNLIB_FN(g_zip, zip_error_code_zip, zip_error_code_zip),
        DYNLIB_FN(g_zip, zip_error_fini, zip_error_fini),
        DYNLIB_FN(g_zip, zip_error_init, zip_error_init),
        DYNLIB_FN(g_zip, zip_error_strerror, zip_error_strerror),
        DYNLIB_FN(g_zip, zip_fclose, zip_fclose),
        DYNLIB_FN(g_zip, zip_file_strerror, zip_file_strerror),
        DYNLIB_FN(g_zip, zip_fopen_index, zip_fopen_index),
        DYNLIB_FN(g_zip, zip_fread, zip_fread),
        DYNLIB_FN(g_zip, zip_get_name, zip_get_name),
        DYNLIB_FN(g_zip, zip_get_num_entries, zip_get_num_entries),
        DYNLIB_FN(g_zip, zip_name_locate, zip_name_locate),
        DYNLIB_FN(g_zip, zip_open_from_source, zip_open_from_source),
        DYNLIB_FN(g_zip, zip_source_buffer_create, zip_source_buffer_create),
        DYNLIB_FN(g_zip, zip_source_free, zip_source_free),
        DYNLIB_FN(g_zip, zip_stat_index, zip_stat_index),
        DYNLIB_FN(g_zip, zip_strerror, zip_strerror),
    };
    g_loaded = dynlib_load(XLSX_ZIP_LIB, fns, sizeof fns / sizeof fns[0], g_why, sizeof g_why);
}

const XlsxZip *xlsx_zip(const char **why)
{
    pthread_once(&g_once, load);
    *why = g_why;
    return g_loaded ? &g_zip : NULL;
}
