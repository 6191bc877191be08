/* expr_lex: the lexer of the expression parser: characters, tokens and the
 * first error of a parse. Shared by the parser (expr.c) and the lexer
 * (expr_lex.c) only. */
#ifndef KS_EXPR_LEX_H
#define KS_EXPR_LEX_H

#include <stddef.h>

#include "expr.h"

typedef enum {
    T_END,
    T_NUM,
    T_STR,
    T_REF,
    T_DOT,
    T_NAME,
    T_FUNC,
    T_LP,
    T_RP,
    T_COMMA,
    T_EQ,
    T_NE,
    T_LT,
    T_LE,
    T_GT,
    T_GE,
    T_PLUS,
    T_MINUS,
    T_STAR,
    T_ERR
} TokKind;

typedef struct {
    TokKind kind;
    size_t off, len;         /* the token's bytes in the source */
    size_t val_off, val_len; /* the inside of a string or a reference */
} Token;

typedef struct NameLink {
    const char *name;
    int pos;
    struct NameLink *next;
} NameLink;

typedef struct {
    const char *src;
    size_t p;   /* where the lexer continues */
    Token tok;  /* the current token */
    Token prev; /* the one before it (kind T_ERR when there is none) */
    Expr *e;
    int depth, nodes;
    ExprError *err;
    KsStatus ks; /* the first error; later ones are ignored */
    NameLink *refs, *cols;
    int nrefs, ncols;
} Parser;

/* Character position (1-based, in code points) of byte off of s. */
int expr_lex_char_pos(const char *s, size_t off);
/* Records the first error of a parse (later ones are ignored): ks, the
 * position of byte off and the message; the current token becomes T_ERR. */
void expr_lex_fail(Parser *ps, KsStatus ks, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The token's text for a message, shortened to whole characters into out
 * (or "the end"). */
const char *expr_lex_tok_text(const Parser *ps, const Token *t, char *out, size_t size);
/* Reads the next token into ps->tok; on a lexical error ps->ks is set. */
void expr_lex_next(Parser *ps);

#endif
