/* expr: the XLSForm expression language (the XPath subset forms use in
 * `relevant`, `constraint`, `calculation`, `choice_filter` and `default`).
 * An expression is parsed once into a tree and evaluated many times against
 * an environment of answers. Pure: no I/O, no globals; the caller supplies the
 * answers, the current value and today's date through ExprEnv. regex() is
 * PCRE2 (expr_regex.c) and, as in ODK, true when the pattern matches anywhere
 * in the text (forms anchor with ^ and $). One thread at a time evaluates a
 * given tree: its regex() patterns keep their match state in it. */
#ifndef KS_EXPR_H
#define KS_EXPR_H

#include <stddef.h>
#include <stdbool.h>

#include "../core/ks_status.h"

#define EXPR_MAX_LEN 4096 /* bytes of source text */
#define EXPR_MAX_DEPTH 64 /* nesting of brackets, operators and calls */
#define EXPR_MAX_NODES 1024

typedef struct Expr Expr;

/* Where and why parsing failed. `pos` is the 1-based character (not byte)
 * position in the source where the problem was noticed; `message` is written
 * for a spreadsheet author ("a closing bracket ')' is missing for the one at
 * position 4", "unknown function \"selectd()\"", "'${' is never closed with
 * '}'"), without the position. */
typedef struct {
    int pos;
    char message[160];
} ExprError;

/* A value: XPath 1.0's three types. Strings are borrowed (from the
 * environment, from the tree, or from the evaluator's scratch buffer) and
 * live until the next evaluation with the same ExprScratch. */
typedef enum { EXPR_STRING, EXPR_NUMBER, EXPR_BOOL } ExprType;
typedef struct {
    ExprType type;
    const char *s;
    double n;
    bool b;
} ExprValue;

/* What an expression may look up while it is evaluated. Every callback may be
 * NULL (then the value is the empty string). */
typedef struct {
    void *ctx;
    /* ${name}: the stored answer of question `name` ("" when unanswered or
     * not relevant; a select_multiple answer is its choice names separated by
     * single spaces). */
    const char *(*answer)(void *ctx, const char *name);
    /* `.`: the value being checked (constraint) or "" elsewhere. */
    const char *current;
    /* A bare name such as `cf` in a choice_filter: the cell of that column
     * in the choice row being filtered. */
    const char *(*column)(void *ctx, const char *name);
    /* today(): "YYYY-MM-DD". */
    const char *today;
} ExprEnv;

/* Parses `src` (UTF-8, at most EXPR_MAX_LEN bytes). On success *out owns a
 * new tree. On failure *out is NULL and err says where and why:
 * KS_ERR_PARSE for a syntax error or an unknown function, KS_ERR_LIMIT when
 * the text is too long or nested deeper than EXPR_MAX_DEPTH. */
KsStatus expr_parse(const char *src, Expr **out, ExprError *err);
void expr_destroy(Expr *e); /* accepts NULL */

/* The names referenced as ${name}, each once, in order of first use.
 * Borrowed; live until expr_destroy. */
int expr_ref_count(const Expr *e);
const char *expr_ref(const Expr *e, int i);
/* The 1-based character position of the i-th reference in the source, for
 * messages about names that do not exist. */
int expr_ref_pos(const Expr *e, int i);
/* A note for the form author about an expression that parsed and works but
 * may not do what was meant: today a regex() pattern that gave up on a probe
 * text (such as "(a+)+$" on a long run of "a"), so answers like it will count
 * as not matching. NULL when there is none; *pos (pos may be NULL) is its
 * 1-based character position, 0 when there is none. Borrowed; lives until
 * expr_destroy. */
const char *expr_warning(const Expr *e, int *pos);
/* The bare names (choice columns) used, each once. */
int expr_column_count(const Expr *e);
const char *expr_column(const Expr *e, int i);

/* Evaluates e. Never fails: type errors follow XPath conversion rules
 * (a string that is not a number is NaN, NaN compares false, division by
 * zero gives +-Infinity or NaN). The result's string, if any, lives in
 * `buf` (size bytes) or in the environment. */
ExprValue expr_eval(const Expr *e, const ExprEnv *env, char *buf, size_t size);
/* XPath boolean() of the result: a non-empty string, a non-zero non-NaN
 * number, or true. */
bool expr_eval_bool(const Expr *e, const ExprEnv *env);
/* XPath string() of the result into buf ("" for NaN; integers without a
 * decimal point, others with up to 10 significant digits). */
void expr_eval_string(const Expr *e, const ExprEnv *env, char *buf, size_t size);

#endif
