/* expr_private: the parsed tree shared by the parser (expr.c), the evaluator
 * (expr_eval.c) and the regex() patterns (expr_regex.c, over PCRE2). Nothing
 * else includes this; the tree is immutable once expr_parse returns, apart
 * from the match state of its regex() patterns. */
#ifndef KS_EXPR_PRIVATE_H
#define KS_EXPR_PRIVATE_H

#include <stddef.h>
#include <stdbool.h>

#include "../core/arena.h"
#include "expr.h"

typedef enum {
    EXPR_N_STR, /* literal string: str */
    EXPR_N_NUM, /* literal number: num */
    EXPR_N_REF, /* ${str} */
    EXPR_N_CUR, /* . */
    EXPR_N_COL, /* bare name str (choice column) */
    EXPR_N_OR,  /* n-ary: a, a->next, ... */
    EXPR_N_AND, /* n-ary */
    EXPR_N_EQ,
    EXPR_N_NE,
    EXPR_N_LT,
    EXPR_N_LE,
    EXPR_N_GT,
    EXPR_N_GE,
    EXPR_N_ADD,
    EXPR_N_SUB,
    EXPR_N_MUL,
    EXPR_N_DIV,
    EXPR_N_MOD,
    EXPR_N_NEG, /* unary minus of a */
    EXPR_N_CALL /* fn(a, a->next, ...) */
} ExprNodeKind;

typedef enum {
    EXPR_F_NOT,
    EXPR_F_TRUE,
    EXPR_F_FALSE,
    EXPR_F_SELECTED,
    EXPR_F_COUNT_SELECTED,
    EXPR_F_SELECTED_AT,
    EXPR_F_STRING_LENGTH,
    EXPR_F_IF,
    EXPR_F_COALESCE,
    EXPR_F_REGEX,
    EXPR_F_TODAY,
    EXPR_F_CONCAT,
    EXPR_F_CONTAINS,
    EXPR_F_STARTS_WITH,
    EXPR_F_ENDS_WITH,
    EXPR_F_NUMBER,
    EXPR_F_STRING,
    EXPR_F_INT,
    EXPR_F_ROUND,
    EXPR_F_BOOLEAN,
    EXPR_F_FLOOR,
    EXPR_F_CEILING,
    EXPR_F_ABS,
    EXPR_F_POW,
    EXPR_F_NORMALIZE_SPACE,
    EXPR_F_SUBSTR,
    EXPR_F_SUBSTRING_BEFORE,
    EXPR_F_SUBSTRING_AFTER
} ExprFunc;

typedef struct ExprNode ExprNode;
struct ExprNode {
    ExprNodeKind kind;
    ExprFunc fn;                /* EXPR_N_CALL */
    int nargs;                  /* EXPR_N_CALL, EXPR_N_OR, EXPR_N_AND */
    size_t off;                 /* byte offset in the source, for messages */
    double num;                 /* EXPR_N_NUM */
    const char *str;            /* EXPR_N_STR, EXPR_N_REF, EXPR_N_COL */
    ExprNode *a, *b;            /* operands; `a` heads the list of n-ary operands */
    ExprNode *next;             /* the next argument or n-ary operand */
    struct ExprRegexSlot *slot; /* EXPR_F_REGEX: its compiled pattern */
};

/* A compiled regex() pattern with its match state (expr_regex.c). */
typedef struct ExprRegex ExprRegex;

/* The pattern of one regex() call. A literal pattern is compiled when the
 * expression is parsed; a computed one (regex(., ${pat})) when it is first
 * evaluated, and again only when its text changes. */
typedef struct ExprRegexSlot {
    ExprRegex *re;              /* NULL: a computed pattern that did not compile */
    char *text;                 /* computed: the heap copy re was compiled from */
    struct ExprRegexSlot *next; /* every slot of the tree, freed by expr_destroy */
} ExprRegexSlot;

struct Expr {
    Arena *arena; /* every node, string and array below */
    ExprNode *root;
    const char **refs;
    int *ref_pos;
    int nrefs;
    const char **cols;
    int ncols;
    ExprRegexSlot *regexes; /* in the arena; what they own is freed by expr_destroy */
    const char *warning;    /* in the arena; NULL when there is none */
    int warning_pos;
};

/* Compiles a regex() pattern (UTF-8, as form authors write it: \d, \s, \w,
 * \p{L}, lazy quantifiers) with PCRE2, Unicode-aware. On success *out owns a
 * new pattern (expr_regex_destroy). On failure returns KS_ERR_PARSE, *out is
 * NULL, msg holds a message for a form author and *at the byte offset in
 * pattern where the problem was noticed. */
KsStatus expr_regex_compile(const char *pattern, ExprRegex **out, size_t *at, char *msg,
                            size_t size);
/* Whether re matches somewhere in s (a search, as in ODK: forms anchor with ^
 * and $). A match that runs into the limits against runaway backtracking
 * counts as not matching and is logged once per pattern. Uses re's match
 * state: one thread at a time. */
bool expr_regex_match(ExprRegex *re, const char *s);
/* Tries re on probe texts (long runs of one character, then one that ends
 * them) and returns false with a message for the form author in msg when one
 * ran into the limits: answers like it will count as not matching. A
 * heuristic for load time, not a proof. */
bool expr_regex_probe(ExprRegex *re, char *msg, size_t size);
void expr_regex_destroy(ExprRegex *re); /* accepts NULL */

/* XPath number() of a string: optional white space, an optional '-', digits
 * with an optional '.', white space; anything else is NaN. Reads n bytes. */
double expr_eval_str_number(const char *s, size_t n);

#endif
