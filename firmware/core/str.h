/* str: small string helpers the C library lacks (bounded copy, ASCII case,
 * trimming). Byte-oriented and UTF-8 safe: they never split a multi-byte
 * sequence except where noted. */
#ifndef KS_STR_H
#define KS_STR_H

#include <stddef.h>
#include <stdbool.h>

/* Copies at most size-1 bytes and always terminates; never cuts a UTF-8
 * sequence in half. Returns true when all of src fitted. */
bool str_copy(char *dst, size_t size, const char *src);
/* ASCII case-insensitive equality. */
bool str_eq_nocase(const char *a, const char *b);
bool str_starts_with_nocase(const char *s, const char *prefix);
/* Trims ASCII white space at both ends in place; returns s. */
char *str_trim(char *s);
/* Number of code points in a UTF-8 string. */
size_t str_utf8_len(const char *s);
/* Bytes of the UTF-8 sequence at s (1 to 4), never past the terminator. */
size_t str_utf8_seq_len(const char *s);

/* True when name is usable as a file name on a FAT stick: not empty, at most
 * 200 bytes, not "." or "..", no control characters, none of
 * : * ? " < > | \ /, and not ending in a dot or a space. */
bool str_is_fat_safe(const char *name);

#endif
