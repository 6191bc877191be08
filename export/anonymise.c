/* anonymise: random ids, shuffling, periods, k-anonymity by local
 * suppression and contact masking (see anonymise.h). It must never see a
 * stored id, and it uses only libsodium's generator for anything random. */
#include "anonymise.h"

#include <ctype.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "../firmware/core/mem.h"

/* Crockford's alphabet: no I, L, O, U, so ids survive being read aloud. */
static const char ANONYMISE_ALPHABET[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

void anonymise_random_base32(char *out, int n)
{
    for (int i = 0; i < n; i++)
        out[i] = ANONYMISE_ALPHABET[randombytes_uniform(32)];
    out[n] = '\0';
}

void anonymise_random_id(char out[ANONYMISE_ID_LEN + 1])
{
    anonymise_random_base32(out, ANONYMISE_ID_LEN);
}

void anonymise_shuffle(int *idx, int n)
{
    for (int i = n - 1; i > 0; i--) {
        int j = (int)randombytes_uniform((uint32_t)i + 1);
        int t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
    }
}

void anonymise_period(int64_t ms, ExportPeriod p, char out[16])
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    if (!gmtime_r(&t, &tm)) {
        strcpy(out, "");
        return;
    }
    if (p == EXPORT_PERIOD_DAY) {
        strftime(out, 16, "%Y-%m-%d", &tm);
    } else if (p == EXPORT_PERIOD_MONTH) {
        strftime(out, 16, "%Y-%m", &tm);
    } else {
        /* %G-W%V is ISO 8601's week-numbering year and week. */
        strftime(out, 16, "%G-W%V", &tm);
    }
}

/* ---- contact masking ---------------------------------------------------- */

static bool anonymise_is_mail_local(unsigned char c)
{
    return isalnum(c) || strchr("._%+-", c) != NULL;
}

static bool anonymise_is_host(unsigned char c)
{
    return isalnum(c) || c == '.' || c == '-';
}

/* Length of an e-mail address whose '@' is at text[at], starting at
 * *start; 0 when it is none. */
static size_t anonymise_mail_at(const char *text, size_t at, size_t *start)
{
    size_t s = at;
    while (s > 0 && anonymise_is_mail_local((unsigned char)text[s - 1]))
        s--;
    size_t e = at + 1;
    bool dot = false;
    while (text[e] && anonymise_is_host((unsigned char)text[e])) {
        dot |= text[e] == '.' && isalnum((unsigned char)text[e + 1]);
        e++;
    }
    while (e > at + 1 && (text[e - 1] == '.' || text[e - 1] == '-'))
        e--;
    if (s == at || !dot)
        return 0;
    *start = s;
    return e - s;
}

static bool anonymise_starts_nocase(const char *s, const char *prefix)
{
    for (; *prefix; s++, prefix++)
        if (tolower((unsigned char)*s) != *prefix)
            return false;
    return true;
}

/* Common top-level domains a bare "kiez-treff.de" ends with. */
static bool anonymise_is_tld(const char *s, size_t n)
{
    static const char *const tlds[] = {"de", "com", "org", "net", "eu", "info", "io",
                                       "tr", "ua",  "ru",  "at",  "ch", "app",  "me"};
    for (size_t i = 0; i < sizeof tlds / sizeof tlds[0]; i++)
        if (strlen(tlds[i]) == n && strncasecmp(s, tlds[i], n) == 0)
            return true;
    return false;
}

/* Length of a URL starting at text[i] (a word start), or 0. */
static size_t anonymise_url_at(const char *text, size_t i)
{
    const char *p = text + i;
    size_t e = 0;
    if (anonymise_starts_nocase(p, "http://") || anonymise_starts_nocase(p, "https://") ||
        anonymise_starts_nocase(p, "www.")) {
        while (p[e] && !isspace((unsigned char)p[e]))
            e++;
    } else {
        /* a bare host name: label(.label)+ ending in a known TLD */
        size_t last_dot = 0;
        while (p[e] && (isalnum((unsigned char)p[e]) || p[e] == '-' || p[e] == '.')) {
            if (p[e] == '.' && isalnum((unsigned char)p[e + 1]))
                last_dot = e;
            e++;
        }
        if (!last_dot)
            return 0;
        size_t tld_end = last_dot + 1;
        while (isalpha((unsigned char)p[tld_end]))
            tld_end++;
        if (tld_end != e && p[tld_end] != '.')
            return 0;
        if (!anonymise_is_tld(p + last_dot + 1, tld_end - last_dot - 1))
            return 0;
        e = tld_end;
        if (p[e] == '/')
            while (p[e] && !isspace((unsigned char)p[e]))
                e++;
    }
    /* a sentence's full stop or bracket is not part of it */
    while (e > 0 && strchr(".,;:!?)]\"'", p[e - 1]))
        e--;
    return e;
}

/* Length of a phone number starting at text[i] (a digit or '+'), or 0. */
static size_t anonymise_phone_at(const char *text, size_t i)
{
    size_t e = i, last_digit = i, digits = 0;
    while (text[e] && (isdigit((unsigned char)text[e]) || strchr(" +-/()", text[e]))) {
        if (isdigit((unsigned char)text[e])) {
            digits++;
            last_digit = e;
        }
        e++;
    }
    return digits >= 6 ? last_digit + 1 - i : 0;
}

bool anonymise_mask_contacts(const char *text, char **out)
{
    static const char MASK[] = "[entfernt]";
    size_t n = strlen(text);
    /* Every masked span is at least 4 bytes long except a 6-digit number,
     * so the result is at most n + n/6*10 bytes. */
    char *buf = xmalloc(n * 3 + sizeof MASK);
    size_t o = 0;
    bool masked = false;
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)text[i];
        bool word_start = i == 0 || !(isalnum((unsigned char)text[i - 1]) || text[i - 1] == '.' ||
                                      text[i - 1] == '-');
        size_t span = 0, start = i;
        if (c == '@') {
            span = anonymise_mail_at(text, i, &start);
        } else if (word_start && isalnum(c) && !(i > 0 && text[i - 1] == '@')) {
            span = anonymise_url_at(text, i);
            /* an address's local part ("a.b@x.de") is masked at its '@' */
            const char *at = strchr(text + i, '@');
            if (span && at && (size_t)(at - text) <= i + span)
                span = 0;
        }
        if (!span && (isdigit(c) || c == '+') && (i == 0 || !isalnum((unsigned char)text[i - 1])))
            span = anonymise_phone_at(text, i);
        if (span) {
            /* the local part of an e-mail address was already copied */
            o -= i - start;
            memcpy(buf + o, MASK, sizeof MASK - 1);
            o += sizeof MASK - 1;
            i = start + span;
            masked = true;
        } else {
            buf[o++] = text[i++];
        }
    }
    buf[o] = '\0';
    *out = buf;
    return masked;
}

/* ---- k-anonymity ---------------------------------------------------------- */

typedef struct {
    const char *const *cells;
    const bool *suppressed;
    int n_qi;
} AnonymiseKeyCtx;

static const char *anonymise_cell(const AnonymiseKeyCtx *c, int row, int f)
{
    size_t i = (size_t)row * (size_t)c->n_qi + (size_t)f;
    const char *v = c->cells[i];
    return c->suppressed[i] || !v ? "" : v;
}

static int anonymise_key_cmp(const void *a, const void *b, void *ctx)
{
    const AnonymiseKeyCtx *c = ctx;
    int ra = *(const int *)a, rb = *(const int *)b;
    for (int f = 0; f < c->n_qi; f++) {
        int d = strcmp(anonymise_cell(c, ra, f), anonymise_cell(c, rb, f));
        if (d)
            return d;
    }
    return ra < rb ? -1 : ra > rb;
}

static bool anonymise_same_key(const AnonymiseKeyCtx *c, int ra, int rb)
{
    for (int f = 0; f < c->n_qi; f++)
        if (strcmp(anonymise_cell(c, ra, f), anonymise_cell(c, rb, f)) != 0)
            return false;
    return true;
}

void anonymise_k_suppress(const char *const *cells, int n_rows, int n_qi, int k, bool *suppressed,
                          int *suppressed_per_field, AnonymiseStats *stats)
{
    memset(stats, 0, sizeof *stats);
    memset(suppressed, 0, (size_t)n_rows * (size_t)(n_qi > 0 ? n_qi : 1) * sizeof *suppressed);
    if (suppressed_per_field)
        memset(suppressed_per_field, 0, (size_t)(n_qi > 0 ? n_qi : 1) * sizeof(int));
    if (n_rows <= 0 || n_qi <= 0) {
        stats->groups_before = stats->groups_after = n_rows > 0;
        return;
    }
    AnonymiseKeyCtx ctx = {cells, suppressed, n_qi};
    int *order = xmalloc((size_t)n_rows * sizeof *order);
    for (int round = 0;; round++) {
        for (int r = 0; r < n_rows; r++)
            order[r] = r;
        qsort_r(order, (size_t)n_rows, sizeof *order, anonymise_key_cmp, &ctx);
        int groups = 0, small = 0, changed = 0;
        for (int g = 0; g < n_rows;) {
            int e = g + 1;
            while (e < n_rows && anonymise_same_key(&ctx, order[g], order[e]))
                e++;
            groups++;
            /* the least important field with a value left */
            int field = -1;
            for (int f = n_qi - 1; f >= 0 && field < 0; f--)
                if (anonymise_cell(&ctx, order[g], f)[0])
                    field = f;
            if (e - g < k && field >= 0) {
                small++;
                for (int r = g; r < e; r++)
                    suppressed[(size_t)order[r] * (size_t)n_qi + (size_t)field] = true;
                if (suppressed_per_field)
                    suppressed_per_field[field] += e - g;
                changed++;
            }
            g = e;
        }
        if (round == 0) {
            stats->groups_before = groups;
            stats->small_groups_before = small;
        }
        if (!changed) {
            stats->groups_after = groups;
            stats->small_groups_after = 0;
            for (int g = 0; g < n_rows;) {
                int e = g + 1;
                while (e < n_rows && anonymise_same_key(&ctx, order[g], order[e]))
                    e++;
                if (e - g < k)
                    stats->small_groups_after++;
                g = e;
            }
            break;
        }
    }
    for (int r = 0; r < n_rows; r++) {
        bool any = false;
        for (int f = 0; f < n_qi; f++)
            any |= anonymise_cell(&ctx, r, f)[0] != '\0';
        stats->records_all_suppressed += !any;
    }
    free(order);
}
