/* str: small string helpers the C library lacks (bounded copy, ASCII case,
 * trimming, a path's folder, names of enum values). Byte-oriented and UTF-8
 * safe: they never split a multi-byte sequence except where noted. */
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

/* A whole decimal number, all of s, within lo..hi, into *out; false (*out
 * untouched) for anything else. */
bool str_to_long(const char *s, long lo, long hi, long *out);

/* Cuts a path to the folder it names a file in, in place: "a/b" -> "a",
 * "/a" -> "/", "a" -> "." (size: the buffer's, for the last). */
void str_dirname(char *path, size_t size);

/* The number of entries of a static array, such as a table of names. */
#define STR_COUNT(table) ((int)(sizeof(table) / sizeof((table)[0])))
/* Enum names kept as a table of n names indexed by the enum, read both
 * ways: names[value], or fallback when value lies outside the table, for
 * printing; */
const char *str_name_of(const char *const *names, int n, int value, const char *fallback);
/* and the index of name, -1 when it is not there (or name is NULL), for
 * reading a stored name back. */
int str_name_index(const char *const *names, int n, const char *name);

#endif
