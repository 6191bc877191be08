/* ks_status: the one status enum of the project and its names.
 * Every fallible function returns a KsStatus (KS_OK = 0) and puts results in
 * out-parameters. Field failures become screens, never aborts. */
#ifndef KS_STATUS_H
#define KS_STATUS_H

typedef enum {
    KS_OK = 0,
    KS_ERR_NOMEM,       /* allocation failed (xmalloc aborts instead; for bounded pools) */
    KS_ERR_IO,          /* a read, write or sync failed */
    KS_ERR_PARSE,       /* input is not in the expected format */
    KS_ERR_NOT_FOUND,   /* a named thing does not exist */
    KS_ERR_INVALID,     /* an argument or input value is not acceptable */
    KS_ERR_CORRUPT,     /* stored data failed an integrity check */
    KS_ERR_FULL,        /* no space left (disk, table, buffer) */
    KS_ERR_LIMIT,       /* input exceeds a safety limit */
    KS_ERR_STATE,       /* the call is not allowed in the current state */
    KS_ERR_UNSUPPORTED, /* the request names a feature the kiosk does not provide */
    KS_ERR_EXISTS       /* the thing to be made is there already (and is left as it is) */
} KsStatus;

/* A short English name for the status, for logs. Never NULL; static storage. */
const char *ks_status_str(KsStatus ks);

#endif
