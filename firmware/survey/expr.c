/* expr: turns XLSForm expression text into an immutable tree (recursive
 * descent parser, function table) and answers questions about the tree. The
 * lexer lives in expr_lex.c, evaluation in expr_eval.c, regex() patterns in
 * expr_regex.c. */
#include "expr.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/arena.h"
#include "../core/log.h"
#include "../core/mem.h"
#include "../core/str.h"
#include "expr_lex.h"
#include "expr_private.h"

typedef struct {
    const char *name;
    ExprFunc fn;
    int min, max; /* max -1: any number */
} FuncInfo;

static const FuncInfo FUNCS[] = {
    {"not", EXPR_F_NOT, 1, 1},
    {"true", EXPR_F_TRUE, 0, 0},
    {"false", EXPR_F_FALSE, 0, 0},
    {"selected", EXPR_F_SELECTED, 2, 2},
    {"count-selected", EXPR_F_COUNT_SELECTED, 1, 1},
    {"selected-at", EXPR_F_SELECTED_AT, 2, 2},
    {"string-length", EXPR_F_STRING_LENGTH, 1, 1},
    {"if", EXPR_F_IF, 3, 3},
    {"coalesce", EXPR_F_COALESCE, 2, 2},
    {"regex", EXPR_F_REGEX, 2, 2},
    {"today", EXPR_F_TODAY, 0, 0},
    {"concat", EXPR_F_CONCAT, 1, -1},
    {"contains", EXPR_F_CONTAINS, 2, 2},
    {"starts-with", EXPR_F_STARTS_WITH, 2, 2},
    {"ends-with", EXPR_F_ENDS_WITH, 2, 2},
    {"number", EXPR_F_NUMBER, 1, 1},
    {"string", EXPR_F_STRING, 1, 1},
    {"int", EXPR_F_INT, 1, 1},
    {"round", EXPR_F_ROUND, 1, 2},
    {"boolean", EXPR_F_BOOLEAN, 1, 1},
    {"floor", EXPR_F_FLOOR, 1, 1},
    {"ceiling", EXPR_F_CEILING, 1, 1},
    {"abs", EXPR_F_ABS, 1, 1},
    {"pow", EXPR_F_POW, 2, 2},
    {"normalize-space", EXPR_F_NORMALIZE_SPACE, 1, 1},
    {"substr", EXPR_F_SUBSTR, 2, 3},
    {"substring-before", EXPR_F_SUBSTRING_BEFORE, 2, 2},
    {"substring-after", EXPR_F_SUBSTRING_AFTER, 2, 2},
};

/* ---- parser ------------------------------------------------------------- */

static ExprNode *parse_or(Parser *ps);

static ExprNode *node_new(Parser *ps, ExprNodeKind kind, size_t off)
{
    if (++ps->nodes > EXPR_MAX_NODES) {
        expr_lex_fail(ps, KS_ERR_LIMIT, off, "the expression is too long (more than %d parts)",
                      EXPR_MAX_NODES);
        return NULL;
    }
    ExprNode *n = arena_alloc(ps->e->arena, sizeof *n);
    n->kind = kind;
    n->off = off;
    return n;
}

/* Counts one level of nesting; false (and an error) past the limit. */
static bool enter(Parser *ps, size_t off)
{
    if (++ps->depth > EXPR_MAX_DEPTH) {
        expr_lex_fail(ps, KS_ERR_LIMIT, off,
                      "the expression is nested too deeply (more than %d levels)", EXPR_MAX_DEPTH);
        return false;
    }
    return true;
}

static bool is_word(const Parser *ps, const char *w)
{
    const Token *t = &ps->tok;
    return (t->kind == T_NAME || t->kind == T_FUNC) && t->len == strlen(w) &&
           memcmp(ps->src + t->off, w, t->len) == 0;
}

static bool starts_value(TokKind k)
{
    return k == T_NUM || k == T_STR || k == T_REF || k == T_DOT || k == T_NAME || k == T_FUNC ||
           k == T_LP;
}

/* XPath's word operators are case-sensitive; spreadsheet authors often write
 * AND. Returns the lower-case spelling of such a word, or NULL. */
static const char *lower_case_keyword(const char *word)
{
    static const char *const words[] = {"and", "or", "div", "mod"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (str_eq_nocase(word, words[i]))
            return words[i];
    return NULL;
}

/* After a complete value the parser wanted `what` and found something else. */
static void fail_after_value(Parser *ps, const char *what, size_t open)
{
    char buf[40];
    const Token *t = &ps->tok;
    if (t->kind == T_ERR)
        return;
    if (t->kind == T_END && open != (size_t)-1)
        expr_lex_fail(ps, KS_ERR_PARSE, t->off,
                      "a closing bracket ')' is missing for the one at position %d",
                      expr_lex_char_pos(ps->src, open));
    else if (starts_value(t->kind) && lower_case_keyword(expr_lex_tok_text(ps, t, buf, sizeof buf)))
        expr_lex_fail(ps, KS_ERR_PARSE, t->off, "'%s' must be written in lower case: '%s'", buf,
                      lower_case_keyword(buf));
    else if (starts_value(t->kind))
        expr_lex_fail(ps, KS_ERR_PARSE, t->off, "%s is missing before '%s'", what,
                      expr_lex_tok_text(ps, t, buf, sizeof buf));
    else if (t->kind == T_RP)
        expr_lex_fail(ps, KS_ERR_PARSE, t->off, "unexpected ')': there is no '(' for it to close");
    else
        expr_lex_fail(ps, KS_ERR_PARSE, t->off, "unexpected '%s'",
                      expr_lex_tok_text(ps, t, buf, sizeof buf));
}

static const char *intern(Parser *ps, NameLink **list, int *count, size_t off, size_t len, int pos)
{
    NameLink **tail = list;
    for (NameLink *l = *list; l; l = l->next) {
        if (strlen(l->name) == len && memcmp(l->name, ps->src + off, len) == 0)
            return l->name;
        tail = &l->next;
    }
    NameLink *l = arena_alloc(ps->e->arena, sizeof *l);
    l->name = arena_strndup(ps->e->arena, ps->src + off, len);
    l->pos = pos;
    *tail = l;
    (*count)++;
    return l->name;
}

static const FuncInfo *func_find(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof FUNCS / sizeof FUNCS[0]; i++)
        if (strlen(FUNCS[i].name) == len && memcmp(FUNCS[i].name, name, len) == 0)
            return &FUNCS[i];
    return NULL;
}

static void check_arg_count(Parser *ps, const FuncInfo *f, int n, size_t off)
{
    if (n >= f->min && (f->max < 0 || n <= f->max))
        return;
    if (f->max == 0)
        expr_lex_fail(ps, KS_ERR_PARSE, off, "%s() takes no values, it has %d", f->name, n);
    else if (f->min == f->max)
        expr_lex_fail(ps, KS_ERR_PARSE, off, "%s() needs %d value%s, it has %d", f->name, f->min,
                      f->min == 1 ? "" : "s", n);
    else if (f->max < 0)
        expr_lex_fail(ps, KS_ERR_PARSE, off, "%s() needs at least %d value%s, it has %d", f->name,
                      f->min, f->min == 1 ? "" : "s", n);
    else
        expr_lex_fail(ps, KS_ERR_PARSE, off, "%s() needs %d or %d values, it has %d", f->name,
                      f->min, f->max, n);
}

/* Gives a regex() call its slot and compiles a literal pattern now, so a
 * constraint checked on every keystroke never compiles: a bad pattern fails
 * the parse, one that gives up on a probe text leaves a warning. */
static void compile_regex(Parser *ps, ExprNode *call)
{
    ExprRegexSlot *slot = arena_alloc(ps->e->arena, sizeof *slot);
    slot->next = ps->e->regexes;
    ps->e->regexes = slot;
    call->slot = slot;
    ExprNode *pat = call->a->next;
    if (pat->kind != EXPR_N_STR)
        return;
    char msg[sizeof ps->err->message];
    size_t at = 0;
    /* A literal has no escapes: pattern byte k is source byte off + 1 + k. */
    if (expr_regex_compile(pat->str, &slot->re, &at, msg, sizeof msg) != KS_OK) {
        expr_lex_fail(ps, KS_ERR_PARSE, pat->off + 1 + at, "%s", msg);
        return;
    }
    char note[256];
    if (!ps->e->warning && !expr_regex_probe(slot->re, note, sizeof note)) {
        ps->e->warning = arena_strdup(ps->e->arena, note);
        ps->e->warning_pos = expr_lex_char_pos(ps->src, pat->off);
    }
}

static ExprNode *parse_call(Parser *ps)
{
    size_t name_off = ps->tok.off, name_len = ps->tok.len;
    const FuncInfo *f = func_find(ps->src + name_off, name_len);
    if (!f) {
        expr_lex_fail(ps, KS_ERR_PARSE, name_off, "unknown function \"%.*s()\"", (int)name_len,
                      ps->src + name_off);
        return NULL;
    }
    expr_lex_next(ps); /* the '(' the lexer saw */
    size_t open = ps->tok.off;
    ExprNode *n = node_new(ps, EXPR_N_CALL, name_off);
    if (!n || !enter(ps, open))
        return NULL;
    n->fn = f->fn;
    expr_lex_next(ps);
    ExprNode **tail = &n->a;
    if (ps->tok.kind != T_RP) {
        for (;;) {
            ExprNode *arg = parse_or(ps);
            if (!arg)
                return NULL;
            *tail = arg;
            tail = &arg->next;
            n->nargs++;
            if (ps->tok.kind == T_COMMA) {
                expr_lex_next(ps);
                continue;
            }
            if (ps->tok.kind == T_RP)
                break;
            fail_after_value(ps, "a comma or an operator", open);
            return NULL;
        }
    }
    ps->depth--;
    check_arg_count(ps, f, n->nargs, name_off);
    if (ps->ks != KS_OK)
        return NULL;
    expr_lex_next(ps);
    if (f->fn == EXPR_F_REGEX)
        compile_regex(ps, n);
    return ps->ks == KS_OK ? n : NULL;
}

static ExprNode *parse_primary(Parser *ps)
{
    Token t = ps->tok;
    char buf[40];
    ExprNode *n = NULL;
    switch (t.kind) {
    case T_NUM:
        if ((n = node_new(ps, EXPR_N_NUM, t.off)))
            n->num = expr_eval_str_number(ps->src + t.off, t.len);
        break;
    case T_STR:
        if ((n = node_new(ps, EXPR_N_STR, t.off)))
            n->str = arena_strndup(ps->e->arena, ps->src + t.val_off, t.val_len);
        break;
    case T_REF:
        if ((n = node_new(ps, EXPR_N_REF, t.off)))
            n->str = intern(ps, &ps->refs, &ps->nrefs, t.val_off, t.val_len,
                            expr_lex_char_pos(ps->src, t.off));
        break;
    case T_DOT:
        n = node_new(ps, EXPR_N_CUR, t.off);
        break;
    case T_NAME:
        if ((n = node_new(ps, EXPR_N_COL, t.off)))
            n->str =
                intern(ps, &ps->cols, &ps->ncols, t.off, t.len, expr_lex_char_pos(ps->src, t.off));
        break;
    case T_FUNC:
        return parse_call(ps);
    case T_LP: {
        if (!enter(ps, t.off))
            return NULL;
        expr_lex_next(ps);
        n = parse_or(ps);
        if (!n)
            return NULL;
        ps->depth--;
        if (ps->tok.kind != T_RP) {
            fail_after_value(ps, "an operator", t.off);
            return NULL;
        }
        break;
    }
    case T_ERR:
        return NULL;
    case T_END:
        if (ps->prev.kind == T_ERR)
            expr_lex_fail(ps, KS_ERR_PARSE, t.off, "the expression is empty");
        else
            expr_lex_fail(ps, KS_ERR_PARSE, t.off, "a value is missing after '%s' at the end",
                          expr_lex_tok_text(ps, &ps->prev, buf, sizeof buf));
        return NULL;
    default:
        expr_lex_fail(ps, KS_ERR_PARSE, t.off, "a value is missing before '%s'",
                      expr_lex_tok_text(ps, &t, buf, sizeof buf));
        return NULL;
    }
    if (n)
        expr_lex_next(ps);
    return ps->ks == KS_OK ? n : NULL;
}

static ExprNode *parse_unary(Parser *ps)
{
    if (ps->tok.kind != T_MINUS)
        return parse_primary(ps);
    size_t off = ps->tok.off;
    if (!enter(ps, off))
        return NULL;
    expr_lex_next(ps);
    ExprNode *x = parse_unary(ps);
    if (!x)
        return NULL;
    ps->depth--;
    ExprNode *n = node_new(ps, EXPR_N_NEG, off);
    if (n)
        n->a = x;
    return n;
}

static ExprNode *binary(Parser *ps, ExprNodeKind kind, ExprNode *left,
                        ExprNode *(*operand)(Parser *))
{
    ExprNode *n = node_new(ps, kind, ps->tok.off);
    if (!n)
        return NULL;
    expr_lex_next(ps);
    n->a = left;
    n->b = operand(ps);
    return n->b ? n : NULL;
}

/* A binary operator of one level of precedence: a token, or a word such as
 * div, and the node it makes. */
typedef struct {
    TokKind tok;
    const char *word; /* NULL: the token */
    ExprNodeKind node;
} BinaryOp;

/* One level of left-associative binary operators (the n ops) between
 * operands of the next higher level. */
static ExprNode *parse_level(Parser *ps, const BinaryOp *ops, int n_ops,
                             ExprNode *(*operand)(Parser *))
{
    ExprNode *n = operand(ps);
    while (n) {
        const BinaryOp *op = NULL;
        for (int i = 0; i < n_ops && !op; i++)
            if (ops[i].word ? is_word(ps, ops[i].word) : ps->tok.kind == ops[i].tok)
                op = &ops[i];
        if (!op)
            break;
        n = binary(ps, op->node, n, operand);
    }
    return n;
}

static ExprNode *parse_mul(Parser *ps)
{
    static const BinaryOp ops[] = {
        {T_STAR, NULL, EXPR_N_MUL}, {T_NAME, "div", EXPR_N_DIV}, {T_NAME, "mod", EXPR_N_MOD}};
    return parse_level(ps, ops, 3, parse_unary);
}

static ExprNode *parse_add(Parser *ps)
{
    static const BinaryOp ops[] = {{T_PLUS, NULL, EXPR_N_ADD}, {T_MINUS, NULL, EXPR_N_SUB}};
    return parse_level(ps, ops, 2, parse_mul);
}

static ExprNode *parse_rel(Parser *ps)
{
    static const BinaryOp ops[] = {{T_LT, NULL, EXPR_N_LT},
                                   {T_LE, NULL, EXPR_N_LE},
                                   {T_GT, NULL, EXPR_N_GT},
                                   {T_GE, NULL, EXPR_N_GE}};
    return parse_level(ps, ops, 4, parse_add);
}

static ExprNode *parse_eq(Parser *ps)
{
    static const BinaryOp ops[] = {{T_EQ, NULL, EXPR_N_EQ}, {T_NE, NULL, EXPR_N_NE}};
    return parse_level(ps, ops, 2, parse_rel);
}

/* `and` and `or` chains become one n-ary node, so a relevance listing fifty
 * selected() calls stays shallow for the evaluator. */
static ExprNode *nary(Parser *ps, ExprNodeKind kind, const char *word,
                      ExprNode *(*operand)(Parser *))
{
    ExprNode *first = operand(ps);
    if (!first || !is_word(ps, word))
        return first;
    ExprNode *n = node_new(ps, kind, ps->tok.off);
    if (!n)
        return NULL;
    n->a = first;
    n->nargs = 1;
    ExprNode *tail = first;
    while (is_word(ps, word)) {
        expr_lex_next(ps);
        ExprNode *x = operand(ps);
        if (!x)
            return NULL;
        tail->next = x;
        tail = x;
        n->nargs++;
    }
    return n;
}

static ExprNode *parse_and(Parser *ps)
{
    return nary(ps, EXPR_N_AND, "and", parse_eq);
}

static ExprNode *parse_or(Parser *ps)
{
    return nary(ps, EXPR_N_OR, "or", parse_and);
}

static void collect_names(Expr *e, const NameLink *l, int n, const char ***names, int **pos)
{
    *names = arena_alloc(e->arena, sizeof **names * (size_t)(n ? n : 1));
    if (pos)
        *pos = arena_alloc(e->arena, sizeof **pos * (size_t)(n ? n : 1));
    for (int i = 0; l; l = l->next, i++) {
        (*names)[i] = l->name;
        if (pos)
            (*pos)[i] = l->pos;
    }
}

KsStatus expr_parse(const char *src, Expr **out, ExprError *err)
{
    ExprError spare;
    if (!err)
        err = &spare;
    err->pos = 0;
    err->message[0] = '\0';
    *out = NULL;
    if (!src)
        src = "";
    size_t len = strnlen(src, EXPR_MAX_LEN + 1);
    if (len > EXPR_MAX_LEN) {
        err->pos = expr_lex_char_pos(src, EXPR_MAX_LEN);
        snprintf(err->message, sizeof err->message,
                 "the expression is too long (more than %d bytes of text)", EXPR_MAX_LEN);
        return KS_ERR_LIMIT;
    }
    Parser ps = {.src = src, .err = err, .ks = KS_OK};
    ps.e = xcalloc(1, sizeof *ps.e);
    ps.e->arena = arena_create(512 + len * 8);
    ps.tok.kind = T_ERR;
    expr_lex_next(&ps);
    ps.prev.kind = T_ERR;
    ExprNode *root = parse_or(&ps);
    if (root && ps.tok.kind != T_END)
        fail_after_value(&ps, "an operator (such as '=', '+' or 'and')", (size_t)-1);
    if (ps.ks != KS_OK || !root) {
        if (KS_NEVER(ps.ks == KS_OK))
            ps.ks = KS_ERR_PARSE;
        expr_destroy(ps.e);
        return ps.ks;
    }
    Expr *e = ps.e;
    e->root = root;
    e->nrefs = ps.nrefs;
    e->ncols = ps.ncols;
    collect_names(e, ps.refs, ps.nrefs, &e->refs, &e->ref_pos);
    collect_names(e, ps.cols, ps.ncols, &e->cols, NULL);
    *out = e;
    return KS_OK;
}

void expr_destroy(Expr *e)
{
    if (!e)
        return;
    for (ExprRegexSlot *r = e->regexes; r; r = r->next) {
        expr_regex_destroy(r->re);
        free(r->text);
    }
    arena_destroy(e->arena);
    free(e);
}

int expr_ref_count(const Expr *e)
{
    return e ? e->nrefs : 0;
}

const char *expr_ref(const Expr *e, int i)
{
    return e && i >= 0 && i < e->nrefs ? e->refs[i] : NULL;
}

int expr_ref_pos(const Expr *e, int i)
{
    return e && i >= 0 && i < e->nrefs ? e->ref_pos[i] : 0;
}

const char *expr_warning(const Expr *e, int *pos)
{
    if (pos)
        *pos = e && e->warning ? e->warning_pos : 0;
    return e ? e->warning : NULL;
}

int expr_column_count(const Expr *e)
{
    return e ? e->ncols : 0;
}

const char *expr_column(const Expr *e, int i)
{
    return e && i >= 0 && i < e->ncols ? e->cols[i] : NULL;
}
