/* expr_lex: the characters and tokens of an XLSForm expression (see
 * expr_lex.h); the tree is the parser's, in expr.c. */
#include "expr_lex.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "../core/str.h"

/* ---- characters --------------------------------------------------------- */

int expr_lex_char_pos(const char *s, size_t off)
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

void expr_lex_fail(Parser *ps, KsStatus ks, size_t off, const char *fmt, ...)
{
    if (ps->ks != KS_OK)
        return;
    ps->ks = ks;
    ps->tok.kind = T_ERR;
    ps->err->pos = expr_lex_char_pos(ps->src, off);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ps->err->message, sizeof ps->err->message, fmt, ap);
    va_end(ap);
}

const char *expr_lex_tok_text(const Parser *ps, const Token *t, char *out, size_t size)
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
        expr_lex_fail(ps, KS_ERR_PARSE, p, "a '$' must start a reference such as ${name}");
        return;
    }
    size_t r = p + 2, n = r, w;
    while ((w = name_char_len(s + n, false)))
        n += w;
    if (s[n] == '}') {
        if (n == r) {
            expr_lex_fail(ps, KS_ERR_PARSE, p, "an empty reference ${}");
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
        expr_lex_fail(ps, KS_ERR_PARSE, p, "'${' is never closed with '}'");
    } else if (space_len(s + n)) {
        expr_lex_fail(ps, KS_ERR_PARSE, n, "a space cannot be part of a name in ${...}");
    } else {
        expr_lex_fail(ps, KS_ERR_PARSE, n, "'%.*s' cannot be part of a name in ${...}",
                      (int)str_utf8_seq_len(s + n), s + n);
    }
}

static void lex_unexpected(Parser *ps, size_t p)
{
    const char *s = ps->src + p;
    if (is_curly_quote(s))
        expr_lex_fail(ps, KS_ERR_PARSE, p,
                      "'%.3s' is a typographic quote; write strings with ' or \"", s);
    else if ((unsigned char)s[0] < 0x20 || s[0] == 0x7F)
        expr_lex_fail(ps, KS_ERR_PARSE, p, "unexpected control character (code %d)", s[0]);
    else
        expr_lex_fail(ps, KS_ERR_PARSE, p, "unexpected '%.*s'", (int)str_utf8_seq_len(s), s);
}

/* A number, the current node (.), a name or a function's name at t->off;
 * anything else is unexpected. */
static void lex_word(Parser *ps, Token *t, char c)
{
    const char *s = ps->src;
    size_t p = t->off, w;
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
        expr_lex_fail(ps, KS_ERR_PARSE, p, "'..' is not supported; refer to questions as ${name}");
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

/* A token that is more than one character, or needs a look at what follows
 * it, at t->off. */
static void lex_token(Parser *ps, Token *t, char c)
{
    const char *s = ps->src;
    size_t p = t->off;
    switch (c) {
    case '\0':
        t->kind = T_END;
        t->len = 0;
        break;
    case '=':
        if (s[p + 1] == '=')
            expr_lex_fail(ps, KS_ERR_PARSE, p, "'==' is not an operator here; use a single '='");
        t->kind = T_EQ;
        break;
    case '!':
        if (s[p + 1] != '=')
            expr_lex_fail(ps, KS_ERR_PARSE, p, "'!' is not an operator here; use '!=' or not(...)");
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
            expr_lex_fail(ps, KS_ERR_PARSE, p, "a quote (%c) is never closed", c);
            break;
        }
        t->kind = T_STR;
        t->val_off = p + 1;
        t->val_len = (size_t)(end - (s + p + 1));
        t->len = t->val_len + 2;
        break;
    }
    case '/':
        expr_lex_fail(ps, KS_ERR_PARSE, p,
                      "paths such as /data/name are not supported; "
                      "refer to questions as ${name}");
        break;
    case '&':
        expr_lex_fail(ps, KS_ERR_PARSE, p, "'&' is not an operator here; use 'and'");
        break;
    case '|':
        expr_lex_fail(ps, KS_ERR_PARSE, p, "'|' is not an operator here; use 'or'");
        break;
    default:
        lex_word(ps, t, c);
        break;
    }
}

/* The tokens of one character that need no look further, and their kinds. */
static const char LEX_SINGLE[] = "(),+-*";
static const TokKind LEX_SINGLE_KIND[] = {T_LP, T_RP, T_COMMA, T_PLUS, T_MINUS, T_STAR};

void expr_lex_next(Parser *ps)
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
    const char *single = c ? strchr(LEX_SINGLE, c) : NULL;
    if (single)
        t->kind = LEX_SINGLE_KIND[single - LEX_SINGLE];
    else
        lex_token(ps, t, c);
    if (ps->ks != KS_OK) {
        t->kind = T_ERR;
        t->len = 0;
    }
    ps->p = t->off + t->len;
}
