/* fdio: whole reads and writes on a file descriptor, retried after a signal
 * and after a short transfer. Plain read() and write() calls, one per
 * chunk the kernel takes, so a shim that watches them (the power-cut
 * scenario) sees each. */
#ifndef KS_FDIO_H
#define KS_FDIO_H

#include <stddef.h>
#include <stdbool.h>

/* Reads exactly n bytes into buf. False on an error or when the file ends
 * first. */
bool fdio_read_all(int fd, void *buf, size_t n);

/* Writes all n bytes of buf. False on an error (errno says which). */
bool fdio_write_all(int fd, const void *buf, size_t n);

#endif
