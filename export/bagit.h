/* bagit: the file layer of a BagIt bag (RFC 8493): walking the payload and
 * the whole bag, SHA-256 of files, writing, parsing and checking
 * "<hex>  <path>" manifests, and durable writes (every file and directory
 * fsync'ed). Knows nothing about signatures, encryption or what the bag-info
 * fields mean. Reads never follow a symlink in the last path component. */
#ifndef KS_BAGIT_H
#define KS_BAGIT_H

#include <stddef.h>
#include <stdint.h>

#include "../firmware/core/ks_status.h"

/* A sorted list of paths relative to the bag ("data/sub/x.csv"); owns its
 * strings. Zero-initialise, free with bagit_list_free. */
typedef struct {
    char **paths;
    int n, cap;
} BagitList;

void bagit_list_free(BagitList *l);

/* Every regular file under dir/data (recursively), sorted bytewise.
 * KS_ERR_INVALID for anything that is not a regular file or directory
 * (symlinks, devices), KS_ERR_IO when a directory cannot be read. */
KsStatus bagit_list_payload(const char *dir, BagitList *out);

/* Every file (anything but a directory) under dir, recursively, as paths
 * relative to dir ("bagit.txt", "data/x.csv"), sorted bytewise. Nothing is
 * followed: KS_ERR_INVALID for a symlink, device, FIFO or socket (bad, may
 * be NULL, gets its relative path), KS_ERR_LIMIT past BAGIT_TREE_MAX_FILES
 * files or BAGIT_TREE_MAX_DEPTH levels of folders, KS_ERR_IO when a folder
 * cannot be read. */
#define BAGIT_TREE_MAX_FILES 100000
#define BAGIT_TREE_MAX_DEPTH 32
KsStatus bagit_list_tree(const char *dir, BagitList *out, char *bad, size_t size);

/* Hex SHA-256 of a file and its size (size may be NULL). KS_ERR_NOT_FOUND,
 * KS_ERR_IO (also for a symlink). */
KsStatus bagit_sha256_file(const char *path, char hex[65], uint64_t *size);

/* Writes len bytes to path (created or truncated) and fsyncs it. */
KsStatus bagit_write_file(const char *path, const void *data, size_t len);

/* Creates path with len bytes and the given mode, never replacing anything:
 * written under "<path>.tmp", fsync'ed, linked to path, the folder fsync'ed.
 * KS_ERR_STATE when path exists, KS_ERR_IO when it cannot be written. */
KsStatus bagit_create_file(const char *path, const void *data, size_t len, unsigned mode);

/* Replaces dir/name atomically and durably: written under "<name>.tmp",
 * fsync'ed, renamed over name, dir fsync'ed. Nothing half-written stays.
 * KS_ERR_FULL (no space), KS_ERR_STATE (read-only file system), KS_ERR_IO
 * (anything else). */
KsStatus bagit_replace_file(const char *dir, const char *name, const void *data, size_t len);

/* Fault injection for tests: from now on the n-th step of
 * bagit_replace_file that writes (open, write, fsync, rename; counted
 * across calls) fails with errno err (n >= 1; 0 turns it off). */
void bagit_fault_fail_nth(int n, int err);

/* Reads a whole file into a malloc'd, NUL-terminated buffer (caller frees);
 * files over max bytes give KS_ERR_LIMIT, a missing one KS_ERR_NOT_FOUND,
 * anything else (a symlink, not a regular file, a failed read) KS_ERR_IO. */
KsStatus bagit_read_file(const char *path, size_t max, char **out, size_t *len);

/* fsyncs a directory so the names in it survive a power cut. */
KsStatus bagit_fsync_dir(const char *path);

/* Writes dir/name with one line per path ("<hex>  <path>\n", the layout
 * sha256sum -c reads; CR, LF and % in names are percent-encoded as the RFC
 * asks). *bytes and *count (may be NULL) get the payload total. */
KsStatus bagit_write_manifest(const char *dir, const char *name, const BagitList *paths,
                              uint64_t *bytes, int *count);

/* One manifest line, decoded. */
typedef struct {
    char *path;   /* relative to the bag, percent-decoding undone */
    char hex[65]; /* the listed SHA-256, lower case */
    int line;     /* 1-based line number in the manifest */
} BagitEntry;

/* A parsed manifest, sorted by path; owns its strings. Zero-initialise,
 * free with bagit_manifest_free. */
typedef struct {
    BagitEntry *entries;
    int n, cap;
} BagitManifest;

void bagit_manifest_free(BagitManifest *m);

/* Parses a manifest's text (len bytes, hostile input): one
 * "<64 hex digits><space><space or *><path>" line each, LF or CRLF ends, no
 * empty line. Pure. KS_ERR_PARSE for a malformed line, KS_ERR_INVALID for a
 * path that leaves the bag (absolute, empty, "." or ".." parts),
 * KS_ERR_CORRUPT for a path listed twice; *line (may be NULL) gets the
 * offending line number, 0 on success. */
KsStatus bagit_parse_manifest(const char *text, size_t len, BagitManifest *out, int *line);

/* The entry for path (binary search), or NULL. Borrowed from m. */
const BagitEntry *bagit_manifest_find(const BagitManifest *m, const char *path);

/* Checks dir/name: every line well formed, every listed file's hash equal,
 * no path twice, none escaping the bag. listed (may be NULL) gets the
 * decoded paths, sorted. KS_ERR_CORRUPT on any difference or a missing
 * file, KS_ERR_PARSE for a malformed manifest. */
KsStatus bagit_check_manifest(const char *dir, const char *name, BagitList *listed);

#endif
