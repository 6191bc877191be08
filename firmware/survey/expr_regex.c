/* expr_regex: the patterns of regex(), compiled and matched by PCRE2 (the one
 * file that includes pcre2.h). Patterns are read as form authors write them
 * (\d, \s, \w, \p{L}, lazy quantifiers) over UTF-8 with Unicode classes, and
 * every match runs under limits so that a runaway pattern ends quickly. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "../core/log.h"
#include "../core/mem.h"
#include "../core/str.h"
#include "expr_private.h"

/* The limits of one match. A linear pattern on the longest answer (4096
 * bytes) stays far below them; a pattern that backtracks exponentially, such
 * as (a+)+$ on "aaa...b", reaches the match limit in about 3 ms on a PC
 * (more on a Raspberry Pi, still well within a keystroke). */
enum {
    REGEX_MATCH_LIMIT = 200000, /* backtracking points (pcre2_set_match_limit) */
    REGEX_DEPTH_LIMIT = 10000,  /* nested backtracking (pcre2_set_depth_limit) */
    REGEX_HEAP_LIMIT_KIB = 4096 /* the backtracking frames (pcre2_set_heap_limit) */
};

/* The probe texts of expr_regex_probe: PROBE_REPEAT times one character and
 * one control character that no pattern expects, for up to PROBE_CHARS
 * different characters. */
enum { PROBE_REPEAT = 512, PROBE_CHARS = 24 };

struct ExprRegex {
    pcre2_code *code;
    pcre2_match_data *md;    /* reused by every match, so one thread at a time */
    pcre2_match_context *mc; /* the limits */
    char *pattern;           /* for log lines */
    bool warned;             /* a failed match has been logged once */
};

/* UTF: patterns and answers are UTF-8, a character is a code point. UCP: \d,
 * \w, \s and [[:alpha:]] know every script's digits and letters (Ünal, Арина,
 * عمر), as authors writing for these respondents expect (ODK Collect's Java
 * and Enketo's JavaScript read \w and \d as ASCII only). \C could end a
 * match in the middle of a character: refused. */
enum { REGEX_OPTIONS = PCRE2_UTF | PCRE2_UCP | PCRE2_NEVER_BACKSLASH_C };

KsStatus expr_regex_compile(const char *pattern, ExprRegex **out, size_t *at, char *msg,
                            size_t size)
{
    *out = NULL;
    int code;
    PCRE2_SIZE off = 0;
    pcre2_code *re =
        pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, REGEX_OPTIONS, &code, &off, NULL);
    if (!re) {
        PCRE2_UCHAR why[120];
        if (pcre2_get_error_message(code, why, sizeof why) < 0)
            snprintf((char *)why, sizeof why, "error %d", code);
        snprintf(msg, size, "the pattern is not a valid regular expression: %s", (char *)why);
        size_t len = strlen(pattern);
        *at = off < len ? off : len;
        return KS_ERR_PARSE;
    }
    ExprRegex *r = xcalloc(1, sizeof *r);
    r->code = re;
    r->md = pcre2_match_data_create(1, NULL);
    r->mc = pcre2_match_context_create(NULL);
    if (!r->md || !r->mc) {
        LOG_ERROR("out of memory for a regex() pattern");
        abort(); /* as xmalloc does: not a field failure a kiosk recovers from */
    }
    pcre2_set_match_limit(r->mc, REGEX_MATCH_LIMIT);
    pcre2_set_depth_limit(r->mc, REGEX_DEPTH_LIMIT);
    pcre2_set_heap_limit(r->mc, REGEX_HEAP_LIMIT_KIB);
    r->pattern = xstrdup(pattern);
    *out = r;
    return KS_OK;
}

static int regex_run(ExprRegex *re, const char *s)
{
    return pcre2_match(re->code, (PCRE2_SPTR)s, PCRE2_ZERO_TERMINATED, 0, 0, re->md, re->mc);
}

static bool regex_gave_up(int rc)
{
    return rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
           rc == PCRE2_ERROR_HEAPLIMIT;
}

bool expr_regex_match(ExprRegex *re, const char *s)
{
    int rc = regex_run(re, s);
    if (rc >= 0)
        return true; /* 0: matched, with more groups than the match data keeps */
    if (rc != PCRE2_ERROR_NOMATCH && !re->warned) {
        /* A limit (or an answer that is not UTF-8): the answer counts as
         * not matching, and whoever reads the log learns why, once. */
        PCRE2_UCHAR why[120];
        if (pcre2_get_error_message(rc, why, sizeof why) < 0)
            snprintf((char *)why, sizeof why, "error %d", rc);
        LOG_WARN("regex() pattern \"%.80s\" gave up on an answer of %zu bytes (%s%s); it counts "
                 "as not matching",
                 re->pattern, strlen(s), (char *)why,
                 regex_gave_up(rc) ? ": simplify nested repeats such as (a+)+" : "");
        re->warned = true;
    }
    return false;
}

/* Adds the UTF-8 character at c to the candidates unless it is there. */
static int probe_add(char cand[][5], int n, const char *c)
{
    size_t len = str_utf8_seq_len(c);
    if (n == PROBE_CHARS || len == 0 || (unsigned char)c[0] < 0x20)
        return n;
    for (int i = 0; i < n; i++)
        if (strlen(cand[i]) == len && memcmp(cand[i], c, len) == 0)
            return n;
    memcpy(cand[n], c, len);
    cand[n][len] = '\0';
    return n + 1;
}

bool expr_regex_probe(ExprRegex *re, char *msg, size_t size)
{
    /* A letter, a capital, a digit, a space and a letter outside ASCII cover
     * the usual classes; the pattern's own characters cover its literals. */
    char cand[PROBE_CHARS][5];
    int n = 0;
    for (const char *d = "aA0 \xc3\xa4"; *d; d += str_utf8_seq_len(d))
        n = probe_add(cand, n, d);
    for (const char *p = re->pattern; *p; p += str_utf8_seq_len(p))
        n = probe_add(cand, n, p);
    char text[PROBE_REPEAT * 4 + 2];
    for (int i = 0; i < n; i++) {
        size_t len = strlen(cand[i]), o = 0;
        for (int k = 0; k < PROBE_REPEAT; k++, o += len)
            memcpy(text + o, cand[i], len);
        memcpy(text + o, "\x01", 2);
        if (regex_gave_up(regex_run(re, text))) {
            snprintf(msg, size,
                     "the pattern gives up on some answers (such as %d times \"%s\" and one "
                     "other character), which then count as not matching; avoid nested repeats "
                     "such as (a+)+",
                     PROBE_REPEAT, cand[i]);
            return false;
        }
    }
    return true;
}

void expr_regex_destroy(ExprRegex *re)
{
    if (!re)
        return;
    pcre2_match_context_free(re->mc);
    pcre2_match_data_free(re->md);
    pcre2_code_free(re->code);
    free(re->pattern);
    free(re);
}
