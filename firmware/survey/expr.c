/* expr: turns XLSForm expression text into an immutable tree (lexer,
 * recursive descent parser, function table) and answers questions about the
 * tree. Evaluation lives in expr_eval.c, regex() patterns in expr_regex.c. */
#include "expr.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/arena.h"
#include "../core/log.h"
#include "../core/mem.h"
#include "../core/str.h"
#include "expr_private.h"

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

/* ---- characters --------------------------------------------------------- */

static int char_pos(const char *s, size_t off)
{
    int n = 1;
    for (size_t i = 0; i < off && s[i]; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            n++;
    return n;
}

/* Bytes of white space at s: ASCII blanks and the no-break space that
 * spreadsheets like to paste. */
static size_t space_len(const char *s)
{
    unsigned char c = (unsigned char)s[0];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
        return 1;
    if (c == 0xC2 && (unsigned char)s[1] == 0xA0)
        return 2;
    return 0;
}

/* Non-ASCII punctuation that must not be swallowed into a name: Latin-1
 * signs (U+00A0-U+00BF, x and division sign), general punctuation (dashes,
 * curly quotes: U+2000-U+206F) and mathematical operators (U+2200-U+22FF). */
static bool is_foreign_punct(const char *s)
{
    unsigned char a = (unsigned char)s[0];
    if (a < 0x80)
        return false;
    unsigned char b = (unsigned char)s[1];
    if (a == 0xC2 && b >= 0xA0 && b <= 0xBF)
        return true;
    if (a == 0xC3 && (b == 0x97 || b == 0xB7))
        return true;
    if (a == 0xE2 && (b == 0x80 || b == 0x81))
        return true;
    return a == 0xE2 && (b == 0x88 || b == 0x89 || b == 0x8A || b == 0x8B);
}

/* Reads no further than the terminator (each test stops at a NUL). */
static bool is_curly_quote(const char *s)
{
    if ((unsigned char)s[0] != 0xE2 || (unsigned char)s[1] != 0x80)
        return false;
    unsigned char c = (unsigned char)s[2];
    return c == 0x98 || c == 0x99 || c == 0x9C || c == 0x9D;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Bytes of one name character at s, or 0. Names: letters, '_', any
 * non-ASCII letter; after the first also digits, '-' and '.'. */
static size_t name_char_len(const char *s, bool first)
{
    unsigned char c = (unsigned char)s[0];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_')
        return 1;
    if (!first && (is_digit((char)c) || c == '-' || c == '.'))
        return 1;
    if (c >= 0x80 && !space_len(s) && !is_foreign_punct(s))
        return str_utf8_seq_len(s);
    return 0;
}

/* ---- errors ------------------------------------------------------------- */

static void fail(Parser *ps, KsStatus ks, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void fail(Parser *ps, KsStatus ks, size_t off, const char *fmt, ...)
{
    if (ps->ks != KS_OK)
        return;
    ps->ks = ks;
    ps->tok.kind = T_ERR;
    ps->err->pos = char_pos(ps->src, off);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ps->err->message, sizeof ps->err->message, fmt, ap);
    va_end(ap);
}

/* The token's text for a message, shortened to whole characters. */
static const char *tok_text(const Parser *ps, const Token *t, char *out, size_t size)
{
    if (t->kind == T_END)
        return "the end";
    size_t n = 0;
    while (n < t->len && n + str_utf8_seq_len(ps->src + t->off + n) < size - 4)
        n += str_utf8_seq_len(ps->src + t->off + n);
    snprintf(out, size, "%.*s%s", (int)n, ps->src + t->off, n < t->len ? "..." : "");
    return out;
}

/* ---- lexer -------------------------------------------------------------- */

static void lex_ref(Parser *ps, Token *t)
{
    const char *s = ps->src;
    size_t p = t->off;
    if (s[p + 1] != '{') {
        fail(ps, KS_ERR_PARSE, p, "a '$' must start a reference such as ${name}");
        return;
    }
    size_t r = p + 2, n = r, w;
    while ((w = name_char_len(s + n, false)))
        n += w;
    if (s[n] == '}') {
        if (n == r) {
            fail(ps, KS_ERR_PARSE, p, "an empty reference ${}");
            return;
        }
        t->kind = T_REF;
        t->val_off = r;
        t->val_len = n - r;
        t->len = n + 1 - p;
        return;
    }
    /* Is there a '}' for this '${' at all, before the next reference? */
    const char *close = strchr(s + n, '}');
    const char *again = strstr(s + n, "${");
    if (!close || (again && again < close)) {
        fail(ps, KS_ERR_PARSE, p, "'${' is never closed with '}'");
    } else if (space_len(s + n)) {
        fail(ps, KS_ERR_PARSE, n, "a space cannot be part of a name in ${...}");
    } else {
        fail(ps, KS_ERR_PARSE, n, "'%.*s' cannot be part of a name in ${...}",
             (int)str_utf8_seq_len(s + n), s + n);
    }
}

static void lex_unexpected(Parser *ps, size_t p)
{
    const char *s = ps->src + p;
    if (is_curly_quote(s))
        fail(ps, KS_ERR_PARSE, p, "'%.3s' is a typographic quote; write strings with ' or \"", s);
    else if ((unsigned char)s[0] < 0x20 || s[0] == 0x7F)
        fail(ps, KS_ERR_PARSE, p, "unexpected control character (code %d)", s[0]);
    else
        fail(ps, KS_ERR_PARSE, p, "unexpected '%.*s'", (int)str_utf8_seq_len(s), s);
}

/* Reads the next token into ps->tok; on a lexical error ps->ks is set. */
static void next(Parser *ps)
{
    if (ps->ks != KS_OK)
        return;
    ps->prev = ps->tok;
    const char *s = ps->src;
    size_t p = ps->p, w;
    while ((w = space_len(s + p)))
        p += w;
    Token *t = &ps->tok;
    memset(t, 0, sizeof *t);
    t->off = p;
    t->len = 1;
    char c = s[p];
    switch (c) {
    case '\0':
        t->kind = T_END;
        t->len = 0;
        break;
    case '(':
        t->kind = T_LP;
        break;
    case ')':
        t->kind = T_RP;
        break;
    case ',':
        t->kind = T_COMMA;
        break;
    case '+':
        t->kind = T_PLUS;
        break;
    case '-':
        t->kind = T_MINUS;
        break;
    case '*':
        t->kind = T_STAR;
        break;
    case '=':
        if (s[p + 1] == '=')
            fail(ps, KS_ERR_PARSE, p, "'==' is not an operator here; use a single '='");
        t->kind = T_EQ;
        break;
    case '!':
        if (s[p + 1] != '=')
            fail(ps, KS_ERR_PARSE, p, "'!' is not an operator here; use '!=' or not(...)");
        t->kind = T_NE;
        t->len = 2;
        break;
    case '<':
    case '>':
        t->kind = c == '<' ? T_LT : T_GT;
        if (s[p + 1] == '=') {
            t->kind = c == '<' ? T_LE : T_GE;
            t->len = 2;
        }
        break;
    case '$':
        lex_ref(ps, t);
        break;
    case '\'':
    case '"': {
        const char *end = strchr(s + p + 1, c);
        if (!end) {
            fail(ps, KS_ERR_PARSE, p, "a quote (%c) is never closed", c);
            break;
        }
        t->kind = T_STR;
        t->val_off = p + 1;
        t->val_len = (size_t)(end - (s + p + 1));
        t->len = t->val_len + 2;
        break;
    }
    case '/':
        fail(ps, KS_ERR_PARSE, p,
             "paths such as /data/name are not supported; "
             "refer to questions as ${name}");
        break;
    case '&':
        fail(ps, KS_ERR_PARSE, p, "'&' is not an operator here; use 'and'");
        break;
    case '|':
        fail(ps, KS_ERR_PARSE, p, "'|' is not an operator here; use 'or'");
        break;
    default:
        if (is_digit(c) || (c == '.' && is_digit(s[p + 1]))) {
            size_t n = p;
            while (is_digit(s[n]))
                n++;
            if (s[n] == '.')
                for (n++; is_digit(s[n]); n++)
                    ;
            t->kind = T_NUM;
            t->len = n - p;
        } else if (c == '.' && s[p + 1] == '.') {
            fail(ps, KS_ERR_PARSE, p, "'..' is not supported; refer to questions as ${name}");
        } else if (c == '.') {
            t->kind = T_DOT;
        } else if (name_char_len(s + p, true)) {
            size_t n = p;
            while ((w = name_char_len(s + n, n == p)))
                n += w;
            /* One prefix such as jr: so "jr:choice-name()" reads as a name. */
            if (s[n] == ':' && name_char_len(s + n + 1, true))
                for (n++; (w = name_char_len(s + n, false)); n += w)
                    ;
            t->len = n - p;
            while ((w = space_len(s + n)))
                n += w;
            t->kind = s[n] == '(' ? T_FUNC : T_NAME;
        } else {
            lex_unexpected(ps, p);
        }
    }
    if (ps->ks != KS_OK) {
        t->kind = T_ERR;
        t->len = 0;
    }
    ps->p = t->off + t->len;
}

/* ---- parser ------------------------------------------------------------- */

static ExprNode *parse_or(Parser *ps);

static ExprNode *node_new(Parser *ps, ExprNodeKind kind, size_t off)
{
    if (++ps->nodes > EXPR_MAX_NODES) {
        fail(ps, KS_ERR_LIMIT, off, "the expression is too long (more than %d parts)",
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
        fail(ps, KS_ERR_LIMIT, off, "the expression is nested too deeply (more than %d levels)",
             EXPR_MAX_DEPTH);
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
        fail(ps, KS_ERR_PARSE, t->off,
             "a closing bracket ')' is missing for the one at position %d",
             char_pos(ps->src, open));
    else if (starts_value(t->kind) && lower_case_keyword(tok_text(ps, t, buf, sizeof buf)))
        fail(ps, KS_ERR_PARSE, t->off, "'%s' must be written in lower case: '%s'", buf,
             lower_case_keyword(buf));
    else if (starts_value(t->kind))
        fail(ps, KS_ERR_PARSE, t->off, "%s is missing before '%s'", what,
             tok_text(ps, t, buf, sizeof buf));
    else if (t->kind == T_RP)
        fail(ps, KS_ERR_PARSE, t->off, "unexpected ')': there is no '(' for it to close");
    else
        fail(ps, KS_ERR_PARSE, t->off, "unexpected '%s'", tok_text(ps, t, buf, sizeof buf));
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
        fail(ps, KS_ERR_PARSE, off, "%s() takes no values, it has %d", f->name, n);
    else if (f->min == f->max)
        fail(ps, KS_ERR_PARSE, off, "%s() needs %d value%s, it has %d", f->name, f->min,
             f->min == 1 ? "" : "s", n);
    else if (f->max < 0)
        fail(ps, KS_ERR_PARSE, off, "%s() needs at least %d value%s, it has %d", f->name, f->min,
             f->min == 1 ? "" : "s", n);
    else
        fail(ps, KS_ERR_PARSE, off, "%s() needs %d or %d values, it has %d", f->name, f->min,
             f->max, n);
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
        fail(ps, KS_ERR_PARSE, pat->off + 1 + at, "%s", msg);
        return;
    }
    char note[256];
    if (!ps->e->warning && !expr_regex_probe(slot->re, note, sizeof note)) {
        ps->e->warning = arena_strdup(ps->e->arena, note);
        ps->e->warning_pos = char_pos(ps->src, pat->off);
    }
}

static ExprNode *parse_call(Parser *ps)
{
    size_t name_off = ps->tok.off, name_len = ps->tok.len;
    const FuncInfo *f = func_find(ps->src + name_off, name_len);
    if (!f) {
        fail(ps, KS_ERR_PARSE, name_off, "unknown function \"%.*s()\"", (int)name_len,
             ps->src + name_off);
        return NULL;
    }
    next(ps); /* the '(' the lexer saw */
    size_t open = ps->tok.off;
    ExprNode *n = node_new(ps, EXPR_N_CALL, name_off);
    if (!n || !enter(ps, open))
        return NULL;
    n->fn = f->fn;
    next(ps);
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
                next(ps);
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
    next(ps);
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
            n->str =
                intern(ps, &ps->refs, &ps->nrefs, t.val_off, t.val_len, char_pos(ps->src, t.off));
        break;
    case T_DOT:
        n = node_new(ps, EXPR_N_CUR, t.off);
        break;
    case T_NAME:
        if ((n = node_new(ps, EXPR_N_COL, t.off)))
            n->str = intern(ps, &ps->cols, &ps->ncols, t.off, t.len, char_pos(ps->src, t.off));
        break;
    case T_FUNC:
        return parse_call(ps);
    case T_LP: {
        if (!enter(ps, t.off))
            return NULL;
        next(ps);
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
            fail(ps, KS_ERR_PARSE, t.off, "the expression is empty");
        else
            fail(ps, KS_ERR_PARSE, t.off, "a value is missing after '%s' at the end",
                 tok_text(ps, &ps->prev, buf, sizeof buf));
        return NULL;
    default:
        fail(ps, KS_ERR_PARSE, t.off, "a value is missing before '%s'",
             tok_text(ps, &t, buf, sizeof buf));
        return NULL;
    }
    if (n)
        next(ps);
    return ps->ks == KS_OK ? n : NULL;
}

static ExprNode *parse_unary(Parser *ps)
{
    if (ps->tok.kind != T_MINUS)
        return parse_primary(ps);
    size_t off = ps->tok.off;
    if (!enter(ps, off))
        return NULL;
    next(ps);
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
    next(ps);
    n->a = left;
    n->b = operand(ps);
    return n->b ? n : NULL;
}

static ExprNode *parse_mul(Parser *ps)
{
    ExprNode *n = parse_unary(ps);
    while (n) {
        if (ps->tok.kind == T_STAR)
            n = binary(ps, EXPR_N_MUL, n, parse_unary);
        else if (is_word(ps, "div"))
            n = binary(ps, EXPR_N_DIV, n, parse_unary);
        else if (is_word(ps, "mod"))
            n = binary(ps, EXPR_N_MOD, n, parse_unary);
        else
            break;
    }
    return n;
}

static ExprNode *parse_add(Parser *ps)
{
    ExprNode *n = parse_mul(ps);
    while (n && (ps->tok.kind == T_PLUS || ps->tok.kind == T_MINUS))
        n = binary(ps, ps->tok.kind == T_PLUS ? EXPR_N_ADD : EXPR_N_SUB, n, parse_mul);
    return n;
}

static ExprNode *parse_rel(Parser *ps)
{
    ExprNode *n = parse_add(ps);
    while (n) {
        TokKind k = ps->tok.kind;
        if (k == T_LT)
            n = binary(ps, EXPR_N_LT, n, parse_add);
        else if (k == T_LE)
            n = binary(ps, EXPR_N_LE, n, parse_add);
        else if (k == T_GT)
            n = binary(ps, EXPR_N_GT, n, parse_add);
        else if (k == T_GE)
            n = binary(ps, EXPR_N_GE, n, parse_add);
        else
            break;
    }
    return n;
}

static ExprNode *parse_eq(Parser *ps)
{
    ExprNode *n = parse_rel(ps);
    while (n && (ps->tok.kind == T_EQ || ps->tok.kind == T_NE))
        n = binary(ps, ps->tok.kind == T_EQ ? EXPR_N_EQ : EXPR_N_NE, n, parse_rel);
    return n;
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
        next(ps);
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
        err->pos = char_pos(src, EXPR_MAX_LEN);
        snprintf(err->message, sizeof err->message,
                 "the expression is too long (more than %d bytes of text)", EXPR_MAX_LEN);
        return KS_ERR_LIMIT;
    }
    Parser ps = {.src = src, .err = err, .ks = KS_OK};
    ps.e = xcalloc(1, sizeof *ps.e);
    ps.e->arena = arena_create(512 + len * 8);
    ps.tok.kind = T_ERR;
    next(&ps);
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
