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
/* As store_open, except for a large database (more than 64 pages, about
 * 250 sessions) at the current schema: its integrity check runs on a
 * thread of its own, with a read-only connection on the database as it was
 * opened, while the caller goes on (with 100 000 sessions it takes
 * seconds); store_integrity tells the outcome. A database that needs a
 * migration is checked before it is migrated, as by store_open. For the
 * kiosk's start: its first screen does not wait for the check. */
KsStatus store_open_check_later(const char *path, Store **out);

/* The outcome of the start-up integrity check: false while it still runs
 * (only after store_open_check_later), true once known, with *result
 * KS_OK, KS_ERR_CORRUPT (the problems logged) or the error that kept it
 * from finishing. Always true and KS_OK for a store from store_open (the
 * check had passed) and for NULL. */
bool store_integrity(Store *s, KsStatus *result);

/* Closes and sets *s to NULL; accepts NULL and *s == NULL. A check still
 * running is stopped first. */
void store_close(Store **s);

/* Schema version the database is at (PRAGMA user_version). */
int store_schema_version(Store *s);

/* Fault injection for tests: the n-th write or sync to any database file
 * from now on fails with an I/O error (n >= 1; 0 turns it off). Counts
 * across all stores of the process. */
void store_fault_fail_nth_write(int n);
/* Number of database writes and syncs seen since the last arming. */
int store_fault_write_count(void);
/* Number of syncs alone seen since the last arming. */
int store_fault_sync_count(void);

#endif
