/* expr_eval: evaluates a parsed tree against an ExprEnv (XPath 1.0 rules, ODK
 * conventions). Built strings live on the stack, only the result moves to the
 * caller's buffer; the heap is used only when a computed regex() pattern
 * changes. */
#include "expr.h"

#include <stdint.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/log.h"
#include "../core/mem.h"
#include "../core/str.h"
#include "expr_private.h"

/* Scratch space for strings built during one evaluation: a bump region of a
 * buffer on the stack of the public call. A node that consumes its operands
 * gives their space back (`used` returns to its mark on entry); a node that
 * returns a new string moves it down to its mark. */
typedef struct {
    const ExprEnv *env;
    char *buf;
    size_t size, used;
} Eval;

enum { NUM_TEXT = 40 }; /* room for any number written by fmt_number */

static const ExprEnv EMPTY_ENV;

static ExprValue eval(Eval *ev, const ExprNode *n);

/* ---- values and conversions -------------------------------------------- */

static ExprValue v_str(const char *s)
{
    return (ExprValue){.type = EXPR_STRING, .s = s ? s : ""};
}

static ExprValue v_num(double n)
{
    return (ExprValue){.type = EXPR_NUMBER, .n = n};
}

static ExprValue v_bool(bool b)
{
    return (ExprValue){.type = EXPR_BOOL, .b = b};
}

static bool is_xspace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* strtod on validated decimal text, independent of LC_NUMERIC. */
static double parse_decimal(const char *s, size_t n)
{
    char tmp[400];
    size_t o = 0, i = 0;
    if (s[0] == '-')
        tmp[o++] = s[i++];
    while (i + 1 < n && s[i] == '0' && is_digit(s[i + 1]))
        i++;
    size_t int_len = 0;
    while (i + int_len < n && is_digit(s[i + int_len]))
        int_len++;
    if (int_len > 330) /* beyond DBL_MAX */
        return s[0] == '-' ? -INFINITY : INFINITY;
    const char *dp = localeconv()->decimal_point;
    for (; i < n && o < sizeof tmp - 1; i++)
        tmp[o++] = s[i] == '.' ? dp[0] : s[i];
    tmp[o] = '\0';
    return strtod(tmp, NULL);
}

double expr_eval_str_number(const char *s, size_t n)
{
    size_t i = 0, digits = 0;
    while (i < n && is_xspace(s[i]))
        i++;
    size_t start = i;
    if (i < n && s[i] == '-')
        i++;
    for (; i < n && is_digit(s[i]); i++)
        digits++;
    if (i < n && s[i] == '.')
        for (i++; i < n && is_digit(s[i]); i++)
            digits++;
    size_t end = i;
    while (i < n && is_xspace(s[i]))
        i++;
    if (!digits || i != n)
        return NAN;
    return parse_decimal(s + start, end - start);
}

/* XPath string() of a number, as the header describes. */
static const char *fmt_number(double n, char out[NUM_TEXT])
{
    if (isnan(n))
        return "";
    if (isinf(n))
        return n > 0 ? "Infinity" : "-Infinity";
    if (n == 0)
        return "0"; /* also -0 */
    double mag = fabs(n);
    if (n == floor(n) && mag < 1e21) {
        snprintf(out, NUM_TEXT, "%.0f", n);
    } else if (mag < 1e-4 && mag >= 1e-20) {
        /* %g would switch to 1e-05; forms expect plain decimals. */
        int decimals = 9 - (int)floor(log10(mag));
        snprintf(out, NUM_TEXT, "%.*f", decimals, n);
        char *end = out + strlen(out);
        while (end > out && end[-1] == '0')
            *--end = '\0';
    } else {
        snprintf(out, NUM_TEXT, "%.10g", n);
    }
    const char *dp = localeconv()->decimal_point;
    if (dp[0] != '.')
        for (char *p = out; *p; p++)
            if (*p == dp[0])
                *p = '.';
    return out;
}

static double to_number(ExprValue v)
{
    switch (v.type) {
    case EXPR_NUMBER:
        return v.n;
    case EXPR_BOOL:
        return v.b ? 1 : 0;
    default:
        return expr_eval_str_number(v.s, strlen(v.s));
    }
}

static bool to_bool(ExprValue v)
{
    switch (v.type) {
    case EXPR_NUMBER:
        return v.n != 0 && !isnan(v.n);
    case EXPR_BOOL:
        return v.b;
    default:
        return v.s[0] != '\0';
    }
}

/* The string of v; numbers are written into tmp. */
static const char *to_string(ExprValue v, char tmp[NUM_TEXT])
{
    switch (v.type) {
    case EXPR_NUMBER:
        return fmt_number(v.n, tmp);
    case EXPR_BOOL:
        return v.b ? "true" : "false";
    default:
        return v.s;
    }
}

static bool is_date(const char *s)
{
    for (int i = 0; i < 10; i++) {
        bool dash = i == 4 || i == 7;
        if (dash ? s[i] != '-' : !is_digit(s[i]))
            return false;
    }
    return s[10] == '\0' || s[10] == 'T' || s[10] == ' ';
}

/* ---- scratch ------------------------------------------------------------ */

/* Moves n bytes of s (anywhere, also above the mark in the scratch) to the
 * mark, cut at a character boundary when the buffer is full. */
static const char *keep(Eval *ev, size_t mark, const char *s, size_t n)
{
    if (mark >= ev->size) {
        ev->used = ev->size;
        return "";
    }
    size_t room = ev->size - mark - 1;
    if (n > room) {
        n = room;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    char *d = ev->buf + mark;
    memmove(d, s, n);
    d[n] = '\0';
    ev->used = mark + n + 1;
    return d;
}

/* The string of the value of n, evaluated in the scratch. */
static const char *eval_string(Eval *ev, const ExprNode *n, char tmp[NUM_TEXT])
{
    return to_string(eval(ev, n), tmp);
}

static double eval_number(Eval *ev, const ExprNode *n)
{
    size_t mark = ev->used;
    double d = to_number(eval(ev, n));
    ev->used = mark;
    return d;
}

static bool eval_bool(Eval *ev, const ExprNode *n)
{
    size_t mark = ev->used;
    bool b = to_bool(eval(ev, n));
    ev->used = mark;
    return b;
}

/* ---- operators ---------------------------------------------------------- */

static bool values_equal(ExprValue a, ExprValue b)
{
    if (a.type == EXPR_BOOL || b.type == EXPR_BOOL)
        return to_bool(a) == to_bool(b);
    if (a.type == EXPR_NUMBER || b.type == EXPR_NUMBER)
        return to_number(a) == to_number(b);
    return strcmp(a.s, b.s) == 0;
}

static bool compare(ExprNodeKind op, ExprValue a, ExprValue b)
{
    double x, y;
    if (a.type == EXPR_STRING && b.type == EXPR_STRING && is_date(a.s) && is_date(b.s)) {
        x = strcmp(a.s, b.s);
        y = 0;
    } else {
        x = to_number(a);
        y = to_number(b);
    }
    switch (op) {
    case EXPR_N_LT:
        return x < y;
    case EXPR_N_LE:
        return x <= y;
    case EXPR_N_GT:
        return x > y;
    default:
        return x >= y;
    }
}

/* ---- select_multiple answers: choice names separated by white space ---- */

/* Finds the i-th name of list; false when there are fewer. */
static bool list_item(const char *list, long i, const char **item, size_t *len)
{
    const char *p = list;
    for (long k = 0;; k++) {
        while (is_xspace(*p))
            p++;
        if (!*p)
            return false;
        const char *start = p;
        while (*p && !is_xspace(*p))
            p++;
        if (k == i) {
            *item = start;
            *len = (size_t)(p - start);
            return true;
        }
    }
}

static long list_count(const char *list)
{
    const char *item;
    size_t len;
    long n = 0;
    while (list_item(list, n, &item, &len))
        n++;
    return n;
}

static bool list_has(const char *list, const char *value)
{
    while (is_xspace(*value))
        value++;
    size_t vlen = strlen(value);
    while (vlen > 0 && is_xspace(value[vlen - 1]))
        vlen--;
    const char *p = list;
    while (*p) {
        while (is_xspace(*p))
            p++;
        const char *start = p;
        while (*p && !is_xspace(*p))
            p++;
        if (p > start && (size_t)(p - start) == vlen && memcmp(start, value, vlen) == 0)
            return true;
    }
    return false;
}

/* ---- functions ---------------------------------------------------------- */

static double round_half_away(double x, double digits)
{
    if (isnan(digits) || isinf(x) || isnan(x))
        return isnan(digits) ? NAN : x;
    if (digits > 15)
        return x;
    if (digits < -15)
        return 0;
    double p = pow(10, trunc(digits));
    return round(x * p) / p;
}

/* Byte offset of character i in s (clamped to the end). */
static size_t char_offset(const char *s, double i)
{
    size_t off = 0;
    for (double k = 0; k < i && s[off]; k++) {
        off++;
        while (((unsigned char)s[off] & 0xC0) == 0x80)
            off++;
    }
    return off;
}

/* A computed pattern is compiled again only when its text changed since the
 * last evaluation (a constraint is checked on every keystroke); one that does
 * not compile matches nothing. */
static void regex_slot_update(ExprRegexSlot *slot, const char *pat)
{
    if (slot->text && strcmp(slot->text, pat) == 0)
        return;
    expr_regex_destroy(slot->re);
    slot->re = NULL;
    free(slot->text);
    slot->text = xstrdup(pat);
    char msg[160];
    size_t at = 0;
    if (expr_regex_compile(pat, &slot->re, &at, msg, sizeof msg) != KS_OK)
        LOG_WARN("computed regex() pattern \"%.80s\": %s (at byte %zu); it matches nothing", pat,
                 msg, at);
}

static ExprValue call_regex(Eval *ev, const ExprNode *n)
{
    ExprRegexSlot *slot = n->slot;
    if (KS_NEVER(!slot))
        return v_bool(false);
    char t0[NUM_TEXT], t1[NUM_TEXT];
    size_t mark = ev->used;
    const char *s = eval_string(ev, n->a, t0);
    if (n->a->next->kind != EXPR_N_STR)
        regex_slot_update(slot, eval_string(ev, n->a->next, t1));
    bool match = slot->re && expr_regex_match(slot->re, s);
    ev->used = mark;
    return v_bool(match);
}

static ExprValue call_concat(Eval *ev, const ExprNode *n)
{
    size_t mark = ev->used, len = 0;
    const char *out = keep(ev, mark, "", 0);
    for (const ExprNode *arg = n->a; arg; arg = arg->next) {
        char tmp[NUM_TEXT];
        const char *s = eval_string(ev, arg, tmp);
        /* The text so far sits at the mark; append s right behind it. */
        size_t slen = strlen(s);
        if (mark < ev->size) {
            size_t room = ev->size - mark - 1 - len;
            if (slen > room) {
                slen = room;
                while (slen > 0 && ((unsigned char)s[slen] & 0xC0) == 0x80)
                    slen--;
            }
            memmove(ev->buf + mark + len, s, slen);
            len += slen;
            ev->buf[mark + len] = '\0';
            ev->used = mark + len + 1;
        }
    }
    return v_str(out);
}

static ExprValue call_text(Eval *ev, const ExprNode *n, size_t mark)
{
    char t0[NUM_TEXT], t1[NUM_TEXT];
    const char *s = eval_string(ev, n->a, t0);
    switch (n->fn) {
    case EXPR_F_STRING:
        return v_str(keep(ev, mark, s, strlen(s)));
    case EXPR_F_NORMALIZE_SPACE: {
        /* Collapsing only shrinks, so it can be done in place at the mark. */
        const char *kept = keep(ev, mark, s, strlen(s));
        char *d = (char *)kept;
        size_t o = 0;
        for (const char *p = kept; *p;) {
            while (is_xspace(*p))
                p++;
            while (*p && !is_xspace(*p))
                d[o++] = *p++;
            while (is_xspace(*p))
                p++;
            if (*p)
                d[o++] = ' ';
        }
        if (*kept)
            d[o] = '\0';
        ev->used = mark + o + 1 <= ev->size ? mark + o + 1 : ev->size;
        return v_str(kept);
    }
    case EXPR_F_SELECTED_AT: {
        double i = eval_number(ev, n->a->next);
        const char *item;
        size_t len;
        if (isnan(i) || i < 0 || i > 1e9 || !list_item(s, (long)i, &item, &len))
            return v_str(keep(ev, mark, "", 0));
        return v_str(keep(ev, mark, item, len));
    }
    case EXPR_F_SUBSTR: {
        double from = eval_number(ev, n->a->next);
        double to = n->nargs > 2 ? eval_number(ev, n->a->next->next) : INFINITY;
        if (isnan(from) || isnan(to))
            return v_str(keep(ev, mark, "", 0));
        size_t b0 = char_offset(s, from), b1 = char_offset(s, to);
        return v_str(keep(ev, mark, s + b0, b1 > b0 ? b1 - b0 : 0));
    }
    case EXPR_F_SUBSTRING_BEFORE:
    case EXPR_F_SUBSTRING_AFTER: {
        const char *sep = eval_string(ev, n->a->next, t1);
        const char *hit = strstr(s, sep);
        if (!hit)
            return v_str(keep(ev, mark, "", 0));
        if (n->fn == EXPR_F_SUBSTRING_BEFORE)
            return v_str(keep(ev, mark, s, (size_t)(hit - s)));
        hit += strlen(sep);
        return v_str(keep(ev, mark, hit, strlen(hit)));
    }
    default: { /* contains, starts-with, ends-with */
        const char *b = eval_string(ev, n->a->next, t1);
        size_t sl = strlen(s), bl = strlen(b);
        bool r = n->fn == EXPR_F_CONTAINS      ? strstr(s, b) != NULL
                 : n->fn == EXPR_F_STARTS_WITH ? strncmp(s, b, bl) == 0
                                               : sl >= bl && memcmp(s + sl - bl, b, bl) == 0;
        ev->used = mark;
        return v_bool(r);
    }
    }
}

/* Kept out of line so the recursion in eval() keeps small frames. */
__attribute__((noinline)) static ExprValue eval_call(Eval *ev, const ExprNode *n)
{
    size_t mark = ev->used;
    const ExprNode *a = n->a;
    char t0[NUM_TEXT], t1[NUM_TEXT];
    switch (n->fn) {
    case EXPR_F_NOT:
        return v_bool(!eval_bool(ev, a));
    case EXPR_F_TRUE:
        return v_bool(true);
    case EXPR_F_FALSE:
        return v_bool(false);
    case EXPR_F_BOOLEAN:
        return v_bool(eval_bool(ev, a));
    case EXPR_F_NUMBER:
        return v_num(eval_number(ev, a));
    case EXPR_F_INT:
        return v_num(trunc(eval_number(ev, a)));
    case EXPR_F_FLOOR:
        return v_num(floor(eval_number(ev, a)));
    case EXPR_F_CEILING:
        return v_num(ceil(eval_number(ev, a)));
    case EXPR_F_ABS:
        return v_num(fabs(eval_number(ev, a)));
    case EXPR_F_POW: {
        double x = eval_number(ev, a);
        return v_num(pow(x, eval_number(ev, a->next)));
    }
    case EXPR_F_ROUND: {
        double x = eval_number(ev, a);
        return v_num(round_half_away(x, n->nargs > 1 ? eval_number(ev, a->next) : 0));
    }
    case EXPR_F_TODAY:
        return v_str(ev->env->today);
    case EXPR_F_IF:
        return eval_bool(ev, a) ? eval(ev, a->next) : eval(ev, a->next->next);
    case EXPR_F_COALESCE: {
        ExprValue v = eval(ev, a);
        bool empty = v.type == EXPR_STRING ? v.s[0] == '\0' : v.type == EXPR_NUMBER && isnan(v.n);
        if (!empty)
            return v;
        ev->used = mark;
        return eval(ev, a->next);
    }
    case EXPR_F_SELECTED: {
        const char *list = eval_string(ev, a, t0);
        bool r = list_has(list, eval_string(ev, a->next, t1));
        ev->used = mark;
        return v_bool(r);
    }
    case EXPR_F_COUNT_SELECTED: {
        long c = list_count(eval_string(ev, a, t0));
        ev->used = mark;
        return v_num((double)c);
    }
    case EXPR_F_STRING_LENGTH: {
        size_t c = str_utf8_len(eval_string(ev, a, t0));
        ev->used = mark;
        return v_num((double)c);
    }
    case EXPR_F_REGEX:
        return call_regex(ev, n);
    case EXPR_F_CONCAT:
        return call_concat(ev, n);
    default:
        return call_text(ev, n, mark);
    }
}

static ExprValue eval(Eval *ev, const ExprNode *n)
{
    const ExprEnv *env = ev->env;
    size_t mark = ev->used;
    switch (n->kind) {
    case EXPR_N_STR:
        return v_str(n->str);
    case EXPR_N_NUM:
        return v_num(n->num);
    case EXPR_N_REF:
        return v_str(env->answer ? env->answer(env->ctx, n->str) : "");
    case EXPR_N_CUR:
        return v_str(env->current);
    case EXPR_N_COL:
        return v_str(env->column ? env->column(env->ctx, n->str) : "");
    case EXPR_N_OR:
        for (const ExprNode *x = n->a; x; x = x->next)
            if (eval_bool(ev, x))
                return v_bool(true);
        return v_bool(false);
    case EXPR_N_AND:
        for (const ExprNode *x = n->a; x; x = x->next)
            if (!eval_bool(ev, x))
                return v_bool(false);
        return v_bool(true);
    case EXPR_N_EQ:
    case EXPR_N_NE:
    case EXPR_N_LT:
    case EXPR_N_LE:
    case EXPR_N_GT:
    case EXPR_N_GE: {
        ExprValue a = eval(ev, n->a);
        ExprValue b = eval(ev, n->b);
        bool r = n->kind == EXPR_N_EQ   ? values_equal(a, b)
                 : n->kind == EXPR_N_NE ? !values_equal(a, b)
                                        : compare(n->kind, a, b);
        ev->used = mark;
        return v_bool(r);
    }
    case EXPR_N_NEG:
        return v_num(-eval_number(ev, n->a));
    case EXPR_N_CALL:
        return eval_call(ev, n);
    default: {
        double x = eval_number(ev, n->a), y = eval_number(ev, n->b);
        switch (n->kind) {
        case EXPR_N_ADD:
            return v_num(x + y);
        case EXPR_N_SUB:
            return v_num(x - y);
        case EXPR_N_MUL:
            return v_num(x * y);
        case EXPR_N_DIV:
            return v_num(x / y);
        default:
            return v_num(fmod(x, y));
        }
    }
    }
}

/* ---- public ------------------------------------------------------------- */

/* Room for the strings built while evaluating; intermediate results beyond
 * it are cut short (at a character boundary). */
enum { SCRATCH_SIZE = 2 * EXPR_MAX_LEN };

static bool in_scratch(const char *s, const char *scratch)
{
    uintptr_t p = (uintptr_t)s, b = (uintptr_t)scratch;
    return p >= b && p < b + SCRATCH_SIZE;
}

ExprValue expr_eval(const Expr *e, const ExprEnv *env, char *buf, size_t size)
{
    char scratch[SCRATCH_SIZE];
    Eval ev = {.env = env ? env : &EMPTY_ENV, .buf = scratch, .size = sizeof scratch};
    if (!buf)
        size = 0;
    if (!e || !e->root)
        return v_str("");
    ExprValue v = eval(&ev, e->root);
    /* Strings from the environment or the tree stay borrowed; built ones and
     * the text of numbers and booleans move to the caller's buffer. */
    if (v.type == EXPR_STRING && !in_scratch(v.s, scratch))
        return v;
    char tmp[NUM_TEXT];
    const char *s = to_string(v, tmp);
    if (size > 0) {
        str_copy(buf, size, s);
        v.s = buf;
    } else {
        v.s = "";
    }
    return v;
}

bool expr_eval_bool(const Expr *e, const ExprEnv *env)
{
    char scratch[SCRATCH_SIZE];
    Eval ev = {.env = env ? env : &EMPTY_ENV, .buf = scratch, .size = sizeof scratch};
    return e && e->root ? to_bool(eval(&ev, e->root)) : false;
}

void expr_eval_string(const Expr *e, const ExprEnv *env, char *buf, size_t size)
{
    if (!buf || size == 0)
        return;
    ExprValue v = expr_eval(e, env, buf, size);
    if (v.s != buf)
        str_copy(buf, size, v.s);
}
