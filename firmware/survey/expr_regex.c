/* expr_regex: translates the XML Schema style patterns forms write in regex()
 * (\d, \s, \w, escapes inside [...]) into POSIX extended regexes, refuses
 * patterns that would blow up regcomp, and compiles them. Pure, no globals. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/mem.h"
#include "../core/str.h"
#include "expr_private.h"

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Forms write XML Schema patterns (\d, \s, \w); POSIX ERE has bracket classes
 * instead. A bracket expression is rebuilt so that ']' comes first and '^',
 * '[' and '-' last, where POSIX reads them literally. */
typedef struct {
    char *out;
    size_t o;
    char msg[128];
} RegexOut;

static void emit(RegexOut *r, const char *s)
{
    size_t n = strlen(s);
    memcpy(r->out + r->o, s, n);
    r->o += n;
}

static void emit_c(RegexOut *r, char c)
{
    r->out[r->o++] = c;
}

static const char *escape_char(char d)
{
    switch (d) {
    case 'n': return "\n";
    case 't': return "\t";
    case 'r': return "\r";
    default: return NULL;
    }
}

/* Translates the bracket expression at pat[i] == '['; returns the index after
 * it, or 0 on error. */
static size_t regex_bracket(RegexOut *r, const char *pat, size_t i, char *body)
{
    size_t j = i + 1, b = 0;
    bool negate = false, rb = false, caret = false, lb = false, hyphen = false;
    bool last_single = false; /* the body ends with one character a range may follow */
    if (pat[j] == '^') {
        negate = true;
        j++;
    }
    for (;;) {
        char c = pat[j];
        if (c == '\0') {
            snprintf(r->msg, sizeof r->msg, "a '[' in the pattern is never closed with ']'");
            return 0;
        }
        if (c == ']')
            break;
        if (c == '[' && pat[j + 1] == ':') {
            const char *end = strstr(pat + j + 2, ":]");
            if (!end) {
                snprintf(r->msg, sizeof r->msg, "a '[:' in the pattern is never closed with ':]'");
                return 0;
            }
            size_t n = (size_t)(end + 2 - (pat + j));
            memcpy(body + b, pat + j, n);
            b += n;
            j += n;
            last_single = false;
            continue;
        }
        if (c == '\\') {
            char d = pat[j + 1];
            const char *esc = escape_char(d);
            last_single = false;
            if (d == 'd') {
                memcpy(body + b, "0-9", 3), b += 3;
            } else if (d == 's') {
                memcpy(body + b, "[:space:]", 9), b += 9;
            } else if (d == 'w') {
                memcpy(body + b, "[:alnum:]_", 10), b += 10;
            } else if (d == 'D' || d == 'S' || d == 'W') {
                snprintf(r->msg, sizeof r->msg, "'\\%c' cannot be used inside [...] in a pattern", d);
                return 0;
            } else if (d == ']') {
                rb = true;
            } else if (d == '^') {
                caret = true;
            } else if (d == '[') {
                lb = true;
            } else if (d == '-') {
                hyphen = true;
            } else if (esc) {
                body[b++] = esc[0];
                last_single = true;
            } else if (d != '\0' && (unsigned char)d < 0x80 && !((d >= 'a' && d <= 'z') ||
                                                             (d >= 'A' && d <= 'Z') ||
                                                             is_digit(d))) {
                body[b++] = d;
                last_single = true;
            } else if (d == '\0') {
                snprintf(r->msg, sizeof r->msg, "the pattern ends with a lone '\\'");
                return 0;
            } else {
                snprintf(r->msg, sizeof r->msg, "'\\%c' is not supported in a pattern", d);
                return 0;
            }
            j += 2;
            continue;
        }
        if (c == '-' && last_single && pat[j + 1] != ']') {
            body[b++] = '-';
            last_single = false;
        } else if (c == '-') {
            hyphen = true;
        } else if (c == '^') {
            caret = true;
        } else if (c == '[') {
            lb = true;
        } else {
            body[b++] = c;
            last_single = true;
        }
        j++;
    }
    if (b == 0 && !rb && !caret && !lb && !hyphen) {
        snprintf(r->msg, sizeof r->msg, "the pattern has an empty '[]'");
        return 0;
    }
    if (!negate && b == 0 && !rb && !lb && !hyphen) {
        emit(r, "\\^"); /* just a caret: "[^]" would mean something else */
        return j + 1;
    }
    emit_c(r, '[');
    if (negate)
        emit_c(r, '^');
    if (rb)
        emit_c(r, ']');
    /* A literal caret must not come first: then the hyphen leads. */
    bool hyphen_first = hyphen && caret && !negate && !rb && b == 0;
    if (hyphen_first)
        emit_c(r, '-');
    memcpy(r->out + r->o, body, b);
    r->o += b;
    if (caret && !negate && !rb && b == 0 && !hyphen_first) {
        emit_c(r, '['); /* "[[^]": '[' first keeps '^' literal */
        lb = false;
    }
    if (caret)
        emit_c(r, '^');
    if (lb)
        emit_c(r, '[');
    if (hyphen && !hyphen_first)
        emit_c(r, '-');
    emit_c(r, ']');
    return j + 1;
}

/* glibc's regcomp copies a repeated part once per repetition, so stacked
 * repeats such as ((a+)+)+ or (a{900}){900} grow exponentially and can eat
 * all memory. The translator estimates that size and refuses big patterns. */
enum { REGEX_MAX_COST = 10000, REGEX_MAX_GROUPS = 64, REGEX_MAX_REPEAT = 1000 };

typedef struct {
    double sum[REGEX_MAX_GROUPS + 1]; /* size of each open group so far */
    int depth;
    double last;  /* size of the last atom, which a repeat would copy */
    bool repeated; /* the last thing was a repeat sign */
} RegexCost;

static bool cost_atom(RegexCost *c, double size, RegexOut *r)
{
    c->sum[c->depth] += size;
    c->last = size;
    c->repeated = false;
    if (c->sum[c->depth] > REGEX_MAX_COST) {
        snprintf(r->msg, sizeof r->msg, "the pattern repeats too much to be checked");
        return false;
    }
    return true;
}

static bool cost_repeat(RegexCost *c, double times, RegexOut *r)
{
    if (c->repeated) {
        snprintf(r->msg, sizeof r->msg, "the pattern has two repeat signs in a row");
        return false;
    }
    double last = c->last * times;
    if (!cost_atom(c, c->last * (times - 1), r))
        return false;
    c->last = last;
    c->repeated = true;
    return true;
}

/* Reads a repeat count such as {3}, {2,} or {1,5} at p; returns its length
 * (0 when p is not a well-formed count) and the largest repetition. */
static size_t read_interval(const char *p, double *times, RegexOut *r, bool *bad)
{
    size_t i = 1;
    double m = 0, n = -1;
    if (!is_digit(p[i]))
        return 0;
    for (; is_digit(p[i]); i++)
        m = m * 10 + (p[i] - '0') > 1e6 ? 1e6 : m * 10 + (p[i] - '0');
    bool comma = p[i] == ',';
    if (comma) {
        i++;
        if (is_digit(p[i]))
            for (n = 0; is_digit(p[i]); i++)
                n = n * 10 + (p[i] - '0') > 1e6 ? 1e6 : n * 10 + (p[i] - '0');
    }
    if (p[i] != '}')
        return 0;
    if (m > REGEX_MAX_REPEAT || n > REGEX_MAX_REPEAT) {
        snprintf(r->msg, sizeof r->msg, "a repeat count in the pattern is larger than %d",
                 REGEX_MAX_REPEAT);
        *bad = true;
    }
    *times = n >= 0 ? n : comma ? m + 1 : m;
    if (*times < 1)
        *times = 1;
    return i + 1;
}

KsStatus expr_regex_compile(const char *pattern, regex_t *re, char *msg, size_t size)
{
    size_t n = strlen(pattern);
    RegexOut r = {.out = xmalloc(n * 16 + 16)};
    char *body = xmalloc(n * 16 + 16);
    RegexCost cost = {.depth = 0};
    bool ok = true;
    for (size_t i = 0; i < n && ok;) {
        char c = pattern[i];
        if (c == '[') {
            i = regex_bracket(&r, pattern, i, body);
            ok = i && cost_atom(&cost, 1, &r);
            continue;
        }
        if (c == '(') {
            if (cost.depth == REGEX_MAX_GROUPS) {
                snprintf(r.msg, sizeof r.msg, "the pattern is nested too deeply");
                ok = false;
                break;
            }
            cost.sum[++cost.depth] = 0;
            cost.last = 0;
            cost.repeated = false;
        } else if (c == ')' && cost.depth > 0) {
            double group = cost.sum[cost.depth--];
            ok = cost_atom(&cost, group, &r);
        } else if (c == '|') {
            cost.last = 0;
            cost.repeated = false;
        } else if (c == '*' || c == '+' || c == '?') {
            ok = cost_repeat(&cost, 2, &r);
        } else if (c == '{') {
            double times = 1;
            bool bad = false;
            size_t len = read_interval(pattern + i, &times, &r, &bad);
            if (bad) {
                ok = false;
                break;
            }
            if (len) {
                ok = cost_repeat(&cost, times, &r);
                memcpy(r.out + r.o, pattern + i, len);
                r.o += len;
                i += len;
                continue;
            }
            ok = cost_atom(&cost, 1, &r);
        } else if (c != '\\') {
            ok = cost_atom(&cost, 1, &r);
        }
        if (c != '\\') {
            emit_c(&r, c);
            i++;
            continue;
        }
        char d = pattern[i + 1];
        const char *esc = escape_char(d);
        i += 2;
        ok = cost_atom(&cost, 1, &r);
        switch (d) {
        case 'd': emit(&r, "[0-9]"); break;
        case 'D': emit(&r, "[^0-9]"); break;
        case 's': emit(&r, "[[:space:]]"); break;
        case 'S': emit(&r, "[^[:space:]]"); break;
        case 'w': emit(&r, "[[:alnum:]_]"); break;
        case 'W': emit(&r, "[^[:alnum:]_]"); break;
        case '\0':
            snprintf(r.msg, sizeof r.msg, "the pattern ends with a lone '\\'");
            ok = false;
            break;
        default:
            if (esc) {
                emit(&r, esc);
            } else if (strchr(".[]()*+?{}|^$\\", d)) {
                emit_c(&r, '\\');
                emit_c(&r, d);
            } else if ((unsigned char)d < 0x80 && !((d >= 'a' && d <= 'z') ||
                                                    (d >= 'A' && d <= 'Z') || is_digit(d))) {
                emit_c(&r, d);
            } else {
                snprintf(r.msg, sizeof r.msg, "'\\%.*s' is not supported in a pattern",
                         (int)str_utf8_seq_len(pattern + i - 1), pattern + i - 1);
                ok = false;
            }
        }
    }
    r.out[r.o] = '\0';
    KsStatus st = ok ? KS_OK : KS_ERR_PARSE;
    if (st == KS_OK) {
        int rc = regcomp(re, r.out, REG_EXTENDED | REG_NOSUB);
        if (rc != 0) {
            char why[80];
            regerror(rc, re, why, sizeof why);
            snprintf(r.msg, sizeof r.msg, "the pattern is not a valid regular expression (%s)",
                     why);
            st = KS_ERR_PARSE;
        }
    }
    if (st != KS_OK)
        snprintf(msg, size, "%s", r.msg);
    free(body);
    free(r.out);
    return st;
}
