/* str: bounded, UTF-8 aware helpers. */
#include "str.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

bool str_copy(char *dst, size_t size, const char *src)
{
    if (size == 0)
        return false;
    size_t n = strlen(src);
    bool fits = n < size;
    if (!fits) {
        n = size - 1;
        /* Step back over continuation bytes so a code point is never split. */
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
    return fits;
}

bool str_eq_nocase(const char *a, const char *b)
{
    while (*a && *b) {
        if (lower((unsigned char)*a) != lower((unsigned char)*b))
            return false;
        a++;
        b++;
    }
    return *a == *b;
}

bool str_starts_with_nocase(const char *s, const char *prefix)
{
    while (*prefix) {
        if (lower((unsigned char)*s) != lower((unsigned char)*prefix))
            return false;
        s++;
        prefix++;
    }
    return true;
}

char *str_trim(char *s)
{
    char *p = s;
    while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
        p++;
    size_t n = strlen(p);
    while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r' || p[n - 1] == '\n'))
        n--;
    memmove(s, p, n);
    s[n] = '\0';
    return s;
}

size_t str_utf8_len(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

bool str_is_fat_safe(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > 200 || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return false;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (*p < 0x20 || *p == 0x7f || strchr(":*?\"<>|\\/", *p))
            return false;
    return name[n - 1] != '.' && name[n - 1] != ' ';
}

size_t str_utf8_seq_len(const char *s)
{
    unsigned char c = (unsigned char)s[0];
    size_t want = c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    size_t n = 1;
    while (n < want && ((unsigned char)s[n] & 0xC0) == 0x80)
        n++;
    return n;
}

const char *str_name_of(const char *const *names, int n, int value, const char *fallback)
{
    return value >= 0 && value < n ? names[value] : fallback;
}

int str_name_index(const char *const *names, int n, const char *name)
{
    for (int i = 0; name && i < n; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

void str_dirname(char *path, size_t size)
{
    char *slash = strrchr(path, '/');
    if (slash == path)
        slash[1] = '\0';
    else if (slash)
        *slash = '\0';
    else
        str_copy(path, size, ".");
}

bool str_to_long(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}
