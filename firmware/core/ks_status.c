/* ks_status: names for the status codes. */
#include "ks_status.h"

const char *ks_status_str(KsStatus ks)
{
    switch (ks) {
    case KS_OK:
        return "ok";
    case KS_ERR_NOMEM:
        return "out of memory";
    case KS_ERR_IO:
        return "input/output error";
    case KS_ERR_PARSE:
        return "parse error";
    case KS_ERR_NOT_FOUND:
        return "not found";
    case KS_ERR_INVALID:
        return "invalid value";
    case KS_ERR_CORRUPT:
        return "data corrupt";
    case KS_ERR_FULL:
        return "no space left";
    case KS_ERR_LIMIT:
        return "limit exceeded";
    case KS_ERR_STATE:
        return "not allowed now";
    case KS_ERR_UNSUPPORTED:
        return "not supported";
    case KS_ERR_EXISTS:
        return "exists already";
    }
    return "unknown status";
}
