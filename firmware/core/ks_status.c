/* ks_status: names for the status codes. */
#include "ks_status.h"

#include "str.h"

static const char *const KS_STATUS_NAMES[] = {"ok",
                                              "out of memory",
                                              "input/output error",
                                              "parse error",
                                              "not found",
                                              "invalid value",
                                              "data corrupt",
                                              "no space left",
                                              "limit exceeded",
                                              "not allowed now",
                                              "not supported",
                                              "exists already"};
_Static_assert(STR_COUNT(KS_STATUS_NAMES) == KS_ERR_EXISTS + 1, "a name for every status");

const char *ks_status_str(KsStatus ks)
{
    return str_name_of(KS_STATUS_NAMES, STR_COUNT(KS_STATUS_NAMES), (int)ks, "unknown status");
}
