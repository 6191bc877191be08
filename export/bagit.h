/* bagit: the file layer of a BagIt bag (RFC 8493): walking the payload,
 * SHA-256 of files, writing and checking "<hex>  <path>" manifests, and
 * durable writes (every file and directory fsync'ed). Knows nothing about
 * signatures, encryption or what the bag-info fields mean. */
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

/* Hex SHA-256 of a file and its size (size may be NULL). KS_ERR_IO. */
KsStatus bagit_sha256_file(const char *path, char hex[65], uint64_t *size);

/* Writes len bytes to path (created or truncated) and fsyncs it. */
KsStatus bagit_write_file(const char *path, const void *data, size_t len);

/* Reads a whole file into a malloc'd, NUL-terminated buffer (caller frees);
 * files over max bytes give KS_ERR_LIMIT. */
KsStatus bagit_read_file(const char *path, size_t max, char **out, size_t *len);

/* fsyncs a directory so the names in it survive a power cut. */
KsStatus bagit_fsync_dir(const char *path);

/* Writes dir/name with one line per path ("<hex>  <path>\n", the layout
 * sha256sum -c reads; CR, LF and % in names are percent-encoded as the RFC
 * asks). *bytes and *count (may be NULL) get the payload total. */
KsStatus bagit_write_manifest(const char *dir, const char *name, const BagitList *paths,
                              uint64_t *bytes, int *count);

/* Checks dir/name: every line well formed, every listed file's hash equal,
 * no path twice, none escaping the bag. listed (may be NULL) gets the
 * decoded paths, sorted. KS_ERR_CORRUPT on any difference or a missing
 * file, KS_ERR_PARSE for a malformed manifest. */
KsStatus bagit_check_manifest(const char *dir, const char *name, BagitList *listed);

#endif
