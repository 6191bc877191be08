/* store: the kiosk's one SQLite database. The only module that includes
 * sqlite3.h. Opens with WAL, synchronous=FULL and foreign keys, checks
 * integrity at start-up and migrates the schema (store_schema.c).
 * A Store is used from one thread. */
#ifndef KS_STORE_H
#define KS_STORE_H

#include <stdint.h>
#include <stdbool.h>

#include "../core/ks_status.h"

typedef struct Store Store;

/* Opens (creating if needed) the database at path and brings the schema to
 * the current version. KS_ERR_CORRUPT when PRAGMA integrity_check fails (the
 * kiosk must not collect then); KS_ERR_IO when the file cannot be opened or
 * written. *out is NULL on failure. */
KsStatus store_open(const char *path, Store **out);
/* Closes and sets *s to NULL; accepts NULL and *s == NULL. */
void store_close(Store **s);

/* Schema version the database is at (PRAGMA user_version). */
int store_schema_version(Store *s);

/* Fault injection for tests: the n-th write or sync to any database file
 * from now on fails with an I/O error (n >= 1; 0 turns it off). Counts
 * across all stores of the process. */
void store_fault_fail_nth_write(int n);
/* Number of database writes and syncs seen since the last arming. */
int store_fault_write_count(void);

#endif
