/* expr_private: the parsed tree shared by the parser (expr.c), the evaluator
 * (expr_eval.c) and the pattern translator (expr_regex.c). Nothing else
 * includes this; the tree is immutable once expr_parse returns. */
#ifndef KS_EXPR_PRIVATE_H
#define KS_EXPR_PRIVATE_H

#include <regex.h>
#include <stddef.h>

#include "../core/arena.h"
#include "expr.h"

typedef enum {
    EXPR_N_STR,  /* literal string: str */
    EXPR_N_NUM,  /* literal number: num */
    EXPR_N_REF,  /* ${str} */
    EXPR_N_CUR,  /* . */
    EXPR_N_COL,  /* bare name str (choice column) */
    EXPR_N_OR,   /* n-ary: a, a->next, ... */
    EXPR_N_AND,  /* n-ary */
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
    EXPR_N_NEG,  /* unary minus of a */
    EXPR_N_CALL  /* fn(a, a->next, ...) */
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
    ExprFunc fn;        /* EXPR_N_CALL */
    int nargs;          /* EXPR_N_CALL, EXPR_N_OR, EXPR_N_AND */
    size_t off;         /* byte offset in the source, for messages */
    double num;         /* EXPR_N_NUM */
    const char *str;    /* EXPR_N_STR, EXPR_N_REF, EXPR_N_COL */
    ExprNode *a, *b;    /* operands; `a` heads the list of n-ary operands */
    ExprNode *next;     /* the next argument or n-ary operand */
    regex_t *re;        /* regex() with a literal pattern: compiled once */
};

typedef struct ExprRegex {
    regex_t re;
    struct ExprRegex *next;
} ExprRegex;

struct Expr {
    Arena *arena;       /* every node, string and array below */
    ExprNode *root;
    const char **refs;
    int *ref_pos;
    int nrefs;
    const char **cols;
    int ncols;
    ExprRegex *regexes; /* regfree'd by expr_destroy */
};

/* Compiles an XLSForm (XML Schema style) pattern as a POSIX extended regex
 * with REG_NOSUB. On failure returns KS_ERR_PARSE and a message for a form
 * author in msg; *re is then not initialised. */
KsStatus expr_regex_compile(const char *pattern, regex_t *re, char *msg, size_t size);

/* XPath number() of a string: optional white space, an optional '-', digits
 * with an optional '.', white space; anything else is NaN. Reads n bytes. */
double expr_eval_str_number(const char *s, size_t n);

#endif
