/* test_expr: the XLSForm expression module: evaluation (a table of cases
 * over every operator, function and conversion rule), parse errors with
 * their positions and messages, the reference lists, and the safety limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../firmware/core/log.h"
#include "../../firmware/survey/expr.h"
#include "../test_stderr.h"
#include "../test_time.h"

/* ---- a test environment: answers and columns as "name=value;..." -------- */

enum { MAX_PAIRS = 16 };

typedef struct {
    char names[MAX_PAIRS][32];
    char values[MAX_PAIRS][96];
    int n;
    int lookups; /* how many times an answer was asked for */
} Pairs;

typedef struct {
    Pairs answers, columns;
} TestCtx;

static void pairs_load(Pairs *p, const char *spec)
{
    memset(p, 0, sizeof *p);
    while (spec && *spec) {
        const char *eq = strchr(spec, '=');
        const char *end = strchr(spec, ';');
        if (!end)
            end = spec + strlen(spec);
        assert_non_null(eq);
        assert_true(eq < end && p->n < MAX_PAIRS);
        snprintf(p->names[p->n], sizeof p->names[0], "%.*s", (int)(eq - spec), spec);
        snprintf(p->values[p->n], sizeof p->values[0], "%.*s", (int)(end - eq - 1), eq + 1);
        p->n++;
        spec = *end ? end + 1 : end;
    }
}

static const char *pairs_get(Pairs *p, const char *name)
{
    p->lookups++;
    for (int i = 0; i < p->n; i++)
        if (strcmp(p->names[i], name) == 0)
            return p->values[i];
    return NULL; /* the evaluator must treat this as "" */
}

static const char *answer_cb(void *ctx, const char *name)
{
    return pairs_get(&((TestCtx *)ctx)->answers, name);
}

static const char *column_cb(void *ctx, const char *name)
{
    return pairs_get(&((TestCtx *)ctx)->columns, name);
}

#define TODAY "2024-03-15"

static ExprEnv env_make(TestCtx *ctx, const char *answers, const char *columns, const char *current)
{
    pairs_load(&ctx->answers, answers);
    pairs_load(&ctx->columns, columns);
    return (ExprEnv){
        .ctx = ctx, .answer = answer_cb, .current = current, .column = column_cb, .today = TODAY};
}

static Expr *parse_ok(const char *src)
{
    Expr *e = NULL;
    ExprError err;
    KsStatus st = expr_parse(src, &e, &err);
    if (st != KS_OK)
        fail_msg("\"%s\" did not parse: %d at %d: %s", src, st, err.pos, err.message);
    assert_non_null(e);
    return e;
}

/* ---- evaluation table --------------------------------------------------- */

#define A_STD                                                                                      \
    "age=12;name=Ann;fruits=apple banana cherry;empty=;word=hello world;"                          \
    "email=a@b.org;dob=2010-05-01;n=3.5"

typedef struct {
    const char *src;
    const char *answers;
    const char *current; /* NULL: none */
    char type;           /* 's', 'n', 'b' */
    const char *expect;  /* expr_eval_string */
} EvalCase;

static const EvalCase EVAL_CASES[] = {
    /* literals and number formatting */
    {"1", "", NULL, 'n', "1"},
    {"1.5", "", NULL, 'n', "1.5"},
    {".5", "", NULL, 'n', "0.5"},
    {"5.", "", NULL, 'n', "5"},
    {"007", "", NULL, 'n', "7"},
    {"-0", "", NULL, 'n', "0"},
    {"'abc'", "", NULL, 's', "abc"},
    {"\"it's\"", "", NULL, 's', "it's"},
    {"1 div 8", "", NULL, 'n', "0.125"},
    {"1000000 * 1000000", "", NULL, 'n', "1000000000000"},
    {"1000000 * 1000000000", "", NULL, 'n', "1000000000000000"},
    {"1 div 10000000", "", NULL, 'n', "0.0000001"},
    {"-1 div 3000000", "", NULL, 'n', "-0.0000003333333333"},
    {"0.1 * 3", "", NULL, 'n', "0.3"},
    {"123456.7890123", "", NULL, 'n', "123456.789"},
    /* arithmetic and precedence */
    {"1 + 2 * 3", "", NULL, 'n', "7"},
    {"(1 + 2) * 3", "", NULL, 'n', "9"},
    {"10 - 4 - 3", "", NULL, 'n', "3"},
    {"6 div 2 * 3", "", NULL, 'n', "9"},
    {"10 - 2 * 3 + 1", "", NULL, 'n', "5"},
    {"7 div 2", "", NULL, 'n', "3.5"},
    {"7 mod 3", "", NULL, 'n', "1"},
    {"-7 mod 3", "", NULL, 'n', "-1"},
    {"5.5 mod 2", "", NULL, 'n', "1.5"},
    {"1 div 0", "", NULL, 'n', "Infinity"},
    {"-1 div 0", "", NULL, 'n', "-Infinity"},
    {"0 div 0", "", NULL, 'n', ""},
    {"5 mod 0", "", NULL, 'n', ""},
    {"- - 3", "", NULL, 'n', "3"},
    {"2 * -3", "", NULL, 'n', "-6"},
    {"-${age}", A_STD, NULL, 'n', "-12"},
    {"${age} + 1", A_STD, NULL, 'n', "13"},
    {"${n} * 2", A_STD, NULL, 'n', "7"},
    {"${empty} + 1", A_STD, NULL, 'n', ""},
    {"${missing} + 1", A_STD, NULL, 'n', ""},
    {"'abc' + 1", "", NULL, 'n', ""},
    {"' 4 ' * 2", "", NULL, 'n', "8"},
    {"0.1 + 0.2", "", NULL, 'n', "0.3"},
    {"1 div 3", "", NULL, 'n', "0.3333333333"},
    {"2 div 3 * 3", "", NULL, 'n', "2"},
    {"true() + true()", "", NULL, 'n', "2"},
    /* equality: booleans, then numbers, then strings */
    {"${age} = 12", A_STD, NULL, 'b', "true"},
    {"${age} = 12.0", A_STD, NULL, 'b', "true"},
    {"${age} = '12'", A_STD, NULL, 'b', "true"},
    {"${age} = '12.0'", A_STD, NULL, 'b', "false"},
    {"${empty} = 0", A_STD, NULL, 'b', "false"},
    {"${empty} != 0", A_STD, NULL, 'b', "true"},
    {"${empty} = ''", A_STD, NULL, 'b', "true"},
    {"${empty} != ''", A_STD, NULL, 'b', "false"},
    {"${missing} = ''", A_STD, NULL, 'b', "true"},
    {"${name} = 'Ann'", A_STD, NULL, 'b', "true"},
    {"${name} != 'ann'", A_STD, NULL, 'b', "true"},
    {"1 = true()", "", NULL, 'b', "true"},
    {"0 = false()", "", NULL, 'b', "true"},
    {"'' = false()", "", NULL, 'b', "true"},
    {"'no' = true()", "", NULL, 'b', "true"},
    {"0 div 0 = 0 div 0", "", NULL, 'b', "false"},
    {"0 div 0 != 0 div 0", "", NULL, 'b', "true"},
    {"'a' = 'a' = true()", "", NULL, 'b', "true"},
    /* relational */
    {"${age} > 5", A_STD, NULL, 'b', "true"},
    {"${age} >= 12", A_STD, NULL, 'b', "true"},
    {"${age} <= 11", A_STD, NULL, 'b', "false"},
    {"${age} < 12.5", A_STD, NULL, 'b', "true"},
    {"${empty} < 1", A_STD, NULL, 'b', "false"},
    {"${empty} > 1", A_STD, NULL, 'b', "false"},
    {"'10' < '9'", "", NULL, 'b', "false"},
    {"3 > 2 > 1", "", NULL, 'b', "false"},
    {"1 < 2 = true()", "", NULL, 'b', "true"},
    {"1 + 1 = 2", "", NULL, 'b', "true"},
    {"today() > '2020-01-01'", "", NULL, 'b', "true"},
    {"${dob} < today()", A_STD, NULL, 'b', "true"},
    {"'2024-03-15' >= today()", "", NULL, 'b', "true"},
    {"'2024-03-16' <= today()", "", NULL, 'b', "false"},
    {"today() = '2024-03-15'", "", NULL, 'b', "true"},
    /* and / or / not */
    {"${age} > 5 and ${name} = 'Ann'", A_STD, NULL, 'b', "true"},
    {"${age} > 50 or ${name} = 'Ann'", A_STD, NULL, 'b', "true"},
    {"${age} > 5 and ${age} < 18 and ${name} != ''", A_STD, NULL, 'b', "true"},
    {"true() or false() and false()", "", NULL, 'b', "true"},
    {"(true() or false()) and false()", "", NULL, 'b', "false"},
    {"${age}=12or${age}=1", A_STD, NULL, 'b', "true"},
    {"not(${empty})", A_STD, NULL, 'b', "true"},
    {"not(${name})", A_STD, NULL, 'b', "false"},
    {"not(0)", "", NULL, 'b', "true"},
    {"not('0')", "", NULL, 'b', "false"},
    {"${empty} or 0", A_STD, NULL, 'b', "false"},
    {"${name} and 1", A_STD, NULL, 'b', "true"},
    /* select_multiple */
    {"selected(${fruits}, 'banana')", A_STD, NULL, 'b', "true"},
    {"selected(${fruits}, 'ban')", A_STD, NULL, 'b', "false"},
    {"selected(${fruits}, ' cherry ')", A_STD, NULL, 'b', "true"},
    {"selected(${empty}, 'a')", A_STD, NULL, 'b', "false"},
    {"selected(${fruits}, '')", A_STD, NULL, 'b', "false"},
    {"selected(${code}, 3)", "code=1 3 5", NULL, 'b', "true"},
    {"count-selected(${fruits})", A_STD, NULL, 'n', "3"},
    {"count-selected(${empty})", A_STD, NULL, 'n', "0"},
    {"count-selected('  a  b ')", "", NULL, 'n', "2"},
    {"count-selected(${fruits}) >= 2 and not(selected(${fruits}, 'durian'))", A_STD, NULL, 'b',
     "true"},
    {"selected-at(${fruits}, 0)", A_STD, NULL, 's', "apple"},
    {"selected-at(${fruits}, 1)", A_STD, NULL, 's', "banana"},
    {"selected-at(${fruits}, 5)", A_STD, NULL, 's', ""},
    {"selected-at(${fruits}, -1)", A_STD, NULL, 's', ""},
    /* strings */
    {"string-length(${name})", A_STD, NULL, 'n', "3"},
    {"string-length('\xc3\x84rger')", "", NULL, 'n', "5"},
    {"string-length(${empty})", A_STD, NULL, 'n', "0"},
    {"string-length(12.5)", "", NULL, 'n', "4"},
    {"string-length(concat(${name}, ${word}))", A_STD, NULL, 'n', "14"},
    {"concat('a', 1, true(), ${name})", A_STD, NULL, 's', "a1trueAnn"},
    {"concat(${empty})", A_STD, NULL, 's', ""},
    {"concat(1.50, '/', 0 div 0, '/', 2 div 4)", "", NULL, 's', "1.5//0.5"},
    {"contains(${word}, 'lo w')", A_STD, NULL, 'b', "true"},
    {"contains('abc', '')", "", NULL, 'b', "true"},
    {"starts-with(${word}, 'hell')", A_STD, NULL, 'b', "true"},
    {"starts-with(${word}, 'world')", A_STD, NULL, 'b', "false"},
    {"ends-with(${word}, 'world')", A_STD, NULL, 'b', "true"},
    {"ends-with('a', 'abc')", "", NULL, 'b', "false"},
    {"normalize-space('  a \t  b  ')", "", NULL, 's', "a b"},
    {"substr('hello', 1, 3)", "", NULL, 's', "el"},
    {"substr('hello', 2)", "", NULL, 's', "llo"},
    {"substr('\xc3\x84rger', 0, 1)", "", NULL, 's', "\xc3\x84"},
    {"substring-before('a-b-c', '-')", "", NULL, 's', "a"},
    {"substring-after('a-b-c', '-')", "", NULL, 's', "b-c"},
    {"substring-after('abc', 'x')", "", NULL, 's', ""},
    /* conversions */
    {"number('12')", "", NULL, 'n', "12"},
    {"number(' -3.25 ')", "", NULL, 'n', "-3.25"},
    {"number('1e3')", "", NULL, 'n', ""},
    {"number('+1')", "", NULL, 'n', ""},
    {"number(true())", "", NULL, 'n', "1"},
    {"string(12)", "", NULL, 's', "12"},
    {"string(1 div 0)", "", NULL, 's', "Infinity"},
    {"string(true())", "", NULL, 's', "true"},
    {"string(0 div 0)", "", NULL, 's', ""},
    {"int(3.7)", "", NULL, 'n', "3"},
    {"int(-3.7)", "", NULL, 'n', "-3"},
    {"int('')", "", NULL, 'n', ""},
    {"round(2.5)", "", NULL, 'n', "3"},
    {"round(-2.5)", "", NULL, 'n', "-3"},
    {"round(3.14159, 2)", "", NULL, 'n', "3.14"},
    {"round(1234, -2)", "", NULL, 'n', "1200"},
    {"boolean('0')", "", NULL, 'b', "true"},
    {"boolean(0)", "", NULL, 'b', "false"},
    {"boolean('')", "", NULL, 'b', "false"},
    {"floor(-1.5)", "", NULL, 'n', "-2"},
    {"ceiling(1.2)", "", NULL, 'n', "2"},
    {"abs(-4)", "", NULL, 'n', "4"},
    {"pow(2, 10)", "", NULL, 'n', "1024"},
    {"true()", "", NULL, 'b', "true"},
    {"false()", "", NULL, 'b', "false"},
    /* if / coalesce */
    {"if(${age} > 10, 'big', 'small')", A_STD, NULL, 's', "big"},
    {"if(${empty}, 1, 2)", A_STD, NULL, 'n', "2"},
    {"if(selected(${fruits}, 'apple'), concat('has ', count-selected(${fruits})), 'none')", A_STD,
     NULL, 's', "has 3"},
    {"coalesce(${empty}, 'fallback')", A_STD, NULL, 's', "fallback"},
    {"coalesce(${name}, 'x')", A_STD, NULL, 's', "Ann"},
    {"coalesce(0 div 0, 5)", "", NULL, 'n', "5"},
    /* regex(): PCRE2, a search as in ODK (forms anchor with ^ and $) */
    {"regex(${email}, '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$')", A_STD, NULL, 'b', "true"},
    {"regex(${email}, '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$')", "email=a b@c.org", NULL, 'b', "false"},
    {"regex(${email}, '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$')", "email=ab@corg", NULL, 'b', "false"},
    {"regex('abc', 'b')", "", NULL, 'b', "true"},
    {"regex('abc', '^b')", "", NULL, 'b', "false"},
    {"regex('abc', 'c$')", "", NULL, 'b', "true"},
    {"regex('12345', '^\\d{5}$')", "", NULL, 'b', "true"},
    {"regex('1234', '^\\d{5}$')", "", NULL, 'b', "false"},
    {"regex('12a45', '^\\d{5}$')", "", NULL, 'b', "false"},
    {"regex('a_1', '^\\w+$')", "", NULL, 'b', "true"},
    {"regex('a-1', '^\\w+$')", "", NULL, 'b', "false"},
    {"regex('x y', '\\s')", "", NULL, 'b', "true"},
    {"regex('a\tb', '^a\\sb$')", "", NULL, 'b', "true"},
    {"regex('ab', '^a\\sb$')", "", NULL, 'b', "false"},
    {"regex('xy', '\\s')", "", NULL, 'b', "false"},
    {"regex('ab1', '^\\D+\\d$')", "", NULL, 'b', "true"},
    {"regex('a b', '^\\S+$')", "", NULL, 'b', "false"},
    {"regex('a', '^[\\S]$')", "", NULL, 'b', "true"},
    {"regex('a+b', '^a\\+b$')", "", NULL, 'b', "true"},
    {"regex('-', '^[a-z-]$')", "", NULL, 'b', "true"},
    {"regex('^', '^[\\^a]$')", "", NULL, 'b', "true"},
    {"regex(']', '^[\\]]$')", "", NULL, 'b', "true"},
    {"regex('.', '^[\\d.]+$')", "", NULL, 'b', "true"},
    {"regex('x', '^[\\d.]+$')", "", NULL, 'b', "false"},
    {"regex('a\\b', '^a[\\\\]b$')", "", NULL, 'b', "true"},
    {"regex(., '^[0-9]{3}$')", "", "123", 'b', "true"},
    {"regex(., '^(ab){2,3}$')", "", "ababab", 'b', "true"},
    {"regex(., '^(ab){2,3}$')", "", "ab", 'b', "false"},
    {"regex(., '^\\d{2,}$')", "", "1234", 'b', "true"},
    {"regex(., '^(a|b)*c?$')", "", "abbac", 'b', "true"},
    {"regex(., '^x{1000}$')", "", "x", 'b', "false"},
    {"regex(., '^[0-9]{3}$')", "", "12a", 'b', "false"},
    /* Unicode: a character is a code point; \w, \d and \s know every script
     * (PCRE2_UCP), \p{...} names Unicode properties and scripts. */
    {"regex('\xc3\x9cnal', '^\\p{L}+$')", "", NULL, 'b', "true"},
    {"regex('\xc3\x9cnal1', '^\\p{L}+$')", "", NULL, 'b', "false"},
    {"regex('\xd8\xb9\xd9\x85\xd8\xb1', '^\\p{L}+$')", "", NULL, 'b', "true"}, /* Arabic */
    {"regex('\xd0\x90\xd1\x80\xd0\xb8\xd0\xbd\xd0\xb0', '^\\p{L}+$')", "", NULL, 'b', "true"},
    {"regex('\xd0\x90\xd1\x80\xd0\xb8\xd0\xbd\xd0\xb0', '^\\p{Cyrillic}+$')", "", NULL, 'b',
     "true"},
    {"regex('\xc3\x9cnal', '^\\p{Cyrillic}+$')", "", NULL, 'b', "false"},
    {"regex('\xc3\x9cnal', '^\\p{Lu}\\p{Ll}+$')", "", NULL, 'b', "true"},
    {"regex('\xc3\x9cnal', '^\\P{L}')", "", NULL, 'b', "false"},
    {"regex('\xc3\x9cnal', '^\\w+$')", "", NULL, 'b', "true"},
    {"regex('\xd8\xb9\xd9\x85\xd8\xb1', '^\\w+$')", "", NULL, 'b', "true"},
    {"regex('\xd8\xb9\xd9\x85\xd8\xb1', '^\\W')", "", NULL, 'b', "false"},
    {"regex('\xd9\xa1\xd9\xa2\xd9\xa3', '^\\d{3}$')", "", NULL, 'b', "true"}, /* Arabic-Indic */
    {"regex('\xc3\x9cnal', '^.{4}$')", "", NULL, 'b', "true"},
    {"regex('\xc3\xbc', '^[\xc3\xa4\xc3\xb6\xc3\xbc]$')", "", NULL, 'b', "true"},
    {"regex('x\xc2\xa0y', '^x\\sy$')", "", NULL, 'b', "true"}, /* a no-break space */
    {"regex('Anna-Lena M\xc3\xbcller', '^[\\p{L}\\s-]+$')", "", NULL, 'b', "true"},
    /* Lazy and possessive quantifiers */
    {"regex('<b>x</b>', '^<(.+?)>.*</\\1>$')", "", NULL, 'b', "true"},
    {"regex('<b>x</i>', '^<(.+?)>.*</\\1>$')", "", NULL, 'b', "false"},
    {"regex('aaa', '^a+?$')", "", NULL, 'b', "true"},
    {"regex('aaa', '^a{2,3}?$')", "", NULL, 'b', "true"},
    {"regex('a', '^a??$')", "", NULL, 'b', "true"},
    {"regex('aaa', '^a*+a')", "", NULL, 'b', "false"},
    /* Exponential backtracking gives up at the match limit: not matching. */
    {"regex('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab', '(a+)+$')", "", NULL, 'b',
     "false"},
    {"regex('aaaa', '(a+)+$')", "", NULL, 'b', "true"},
    /* Computed patterns */
    {"regex('abc', concat('^a', 'b'))", "", NULL, 'b', "true"},
    {"regex('ab', ${pat})", "pat=^a\\w$", NULL, 'b', "true"},
    {"regex('\xc3\x9cnal', ${pat})", "pat=^\\p{L}+$", NULL, 'b', "true"},
    {"regex('a', ${pat})", "pat=(", NULL, 'b', "false"},
    {"regex('a', ${pat})", "", NULL, 'b', "true"},
    /* today(), the current value, names */
    {"today()", "", NULL, 's', TODAY},
    {".", "", "abc", 's', "abc"},
    {". > 3", "", "5", 'b', "true"},
    {". = ''", "", NULL, 'b', "true"},
    {"${age}\n\t> 5\r\nand\n${name} = 'Ann'", A_STD, NULL, 'b', "true"},
    {"${citt\xc3\xa0} = 'Roma'", "citt\xc3\xa0=Roma", NULL, 'b', "true"},
    {"${first-name.x} = 'a'", "first-name.x=a", NULL, 'b', "true"},
    {"${empty}", A_STD, NULL, 's', ""},
};

/* Choice-filter cases: answers plus the choice row's columns. */
typedef struct {
    const char *src, *answers, *columns;
    bool expect;
} FilterCase;

static const FilterCase FILTER_CASES[] = {
    {"${state}=cf", "state=NY", "cf=NY", true},
    {"${state}=cf", "state=NY", "cf=CA", false},
    {"cf = 'NY' and cat != 'x'", "", "cf=NY;cat=y", true},
    {"selected(${want}, cat)", "want=fruit veg", "cat=veg", true},
    {"nothere = ''", "", "cf=NY", true},
    {"${state} = '' or ${state} = cf", "", "cf=NY", true},
};

static void test_eval_table(void **state)
{
    (void)state;
    int failures = 0;
    for (size_t i = 0; i < sizeof EVAL_CASES / sizeof EVAL_CASES[0]; i++) {
        const EvalCase *c = &EVAL_CASES[i];
        TestCtx ctx;
        ExprEnv env = env_make(&ctx, c->answers, "", c->current);
        Expr *e = parse_ok(c->src);
        char buf[256], str[256];
        ExprValue v = expr_eval(e, &env, buf, sizeof buf);
        expr_eval_string(e, &env, str, sizeof str);
        char type = v.type == EXPR_STRING ? 's' : v.type == EXPR_NUMBER ? 'n' : 'b';
        bool truth = expr_eval_bool(e, &env);
        bool ok =
            type == c->type && strcmp(str, c->expect) == 0 && v.s && strcmp(v.s, c->expect) == 0;
        if (c->type == 'b')
            ok = ok && truth == (strcmp(c->expect, "true") == 0);
        if (c->type == 's')
            ok = ok && truth == (c->expect[0] != '\0');
        if (!ok) {
            print_error("case %zu: %s -> %c \"%s\" (bool %d), expected %c \"%s\"\n", i, c->src,
                        type, str, truth, c->type, c->expect);
            failures++;
        }
        expr_destroy(e);
    }
    assert_int_equal(failures, 0);
    assert_true(sizeof EVAL_CASES / sizeof EVAL_CASES[0] >= 80);
}

static void test_eval_choice_filter(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof FILTER_CASES / sizeof FILTER_CASES[0]; i++) {
        const FilterCase *c = &FILTER_CASES[i];
        TestCtx ctx;
        ExprEnv env = env_make(&ctx, c->answers, c->columns, NULL);
        Expr *e = parse_ok(c->src);
        if (expr_eval_bool(e, &env) != c->expect)
            fail_msg("filter case %zu: %s", i, c->src);
        expr_destroy(e);
    }
    /* Without callbacks every name is "". */
    Expr *e = parse_ok("cf = '' and ${x} = '' and . = '' and today() = ''");
    ExprEnv none = {0};
    assert_true(expr_eval_bool(e, &none));
    assert_true(expr_eval_bool(e, NULL));
    expr_destroy(e);
}

static void test_eval_short_circuit(void **state)
{
    (void)state;
    const char *lazy[] = {"not(false() and ${x} = 1)", "true() or ${x}", "if(true(), 1, ${x})",
                          "if(false(), ${x}, 2)", "coalesce('a', ${x})"};
    for (size_t i = 0; i < sizeof lazy / sizeof lazy[0]; i++) {
        TestCtx ctx;
        ExprEnv env = env_make(&ctx, "x=1", "", NULL);
        Expr *e = parse_ok(lazy[i]);
        assert_true(expr_eval_bool(e, &env));
        assert_int_equal(ctx.answers.lookups, 0);
        expr_destroy(e);
    }
}

static void test_eval_small_buffers(void **state)
{
    (void)state;
    Expr *e = parse_ok("concat('abc', 'def')");
    char buf[4];
    expr_eval_string(e, NULL, buf, sizeof buf);
    assert_string_equal(buf, "abc");
    expr_destroy(e);

    /* Never cuts a character in half. */
    e = parse_ok("concat('\xc3\xa4\xc3\xa4', '\xc3\xa4')");
    char b5[5];
    expr_eval_string(e, NULL, b5, sizeof b5);
    assert_string_equal(b5, "\xc3\xa4\xc3\xa4");
    expr_destroy(e);

    /* Intermediate strings do not need the caller's buffer. */
    e = parse_ok("string-length(concat('a', 'b')) * 10");
    ExprValue v = expr_eval(e, NULL, NULL, 0);
    assert_int_equal(v.type, EXPR_NUMBER);
    assert_true(v.n == 20);
    assert_string_equal(v.s, "");
    char big[16];
    v = expr_eval(e, NULL, big, sizeof big);
    assert_string_equal(v.s, "20");
    expr_destroy(e);

    /* A long answer passes through unchanged when it is borrowed. */
    char longval[90];
    memset(longval, 'x', sizeof longval - 1);
    longval[sizeof longval - 1] = '\0';
    char spec[100];
    snprintf(spec, sizeof spec, "a=%s", longval);
    TestCtx ctx;
    ExprEnv env = env_make(&ctx, spec, "", NULL);
    e = parse_ok("${a}");
    v = expr_eval(e, &env, buf, sizeof buf);
    assert_string_equal(v.s, longval);
    assert_true(expr_eval_bool(e, &env));
    expr_destroy(e);

    expr_eval_string(NULL, NULL, buf, sizeof buf);
    assert_string_equal(buf, "");
    assert_false(expr_eval_bool(NULL, NULL));
}

/* ---- parse errors ------------------------------------------------------- */

typedef struct {
    const char *src;
    KsStatus st;
    int pos;
    const char *message; /* a substring of the message */
} ErrorCase;

static const ErrorCase ERROR_CASES[] = {
    {"${age > 5", KS_ERR_PARSE, 1, "'${' is never closed with '}'"},
    {"${a} = 1 and ${b = 2", KS_ERR_PARSE, 14, "'${' is never closed with '}'"},
    {"(${a} = 1", KS_ERR_PARSE, 10, "a closing bracket ')' is missing for the one at position 1"},
    {"selected(${a}, 'x'", KS_ERR_PARSE, 19, "missing for the one at position 9"},
    {"${a} = = 1", KS_ERR_PARSE, 8, "a value is missing before '='"},
    {"1 + * 2", KS_ERR_PARSE, 5, "a value is missing before '*'"},
    {"not(1,)", KS_ERR_PARSE, 7, "a value is missing before ')'"},
    {"selectd(${a}, 'x')", KS_ERR_PARSE, 1, "unknown function \"selectd()\""},
    {"jr:choice-name(${a}, '${a}')", KS_ERR_PARSE, 1, "unknown function \"jr:choice-name()\""},
    {"${a} = 'x", KS_ERR_PARSE, 8, "a quote (') is never closed"},
    {"${a} = \"x", KS_ERR_PARSE, 8, "a quote (\") is never closed"},
    {"${}", KS_ERR_PARSE, 1, "an empty reference ${}"},
    {"${na me} = 1", KS_ERR_PARSE, 5, "a space cannot be part of a name"},
    {"${a} = 1 )", KS_ERR_PARSE, 10, "unexpected ')'"},
    {"'\xc3\xa9' = 1 )", KS_ERR_PARSE, 9, "unexpected ')'"},
    {"(1, 2)", KS_ERR_PARSE, 3, "unexpected ','"},
    {"selected(${a})", KS_ERR_PARSE, 1, "selected() needs 2 values, it has 1"},
    {"today(1)", KS_ERR_PARSE, 1, "today() takes no values, it has 1"},
    {"round()", KS_ERR_PARSE, 1, "round() needs 1 or 2 values, it has 0"},
    {"concat()", KS_ERR_PARSE, 1, "concat() needs at least 1 value, it has 0"},
    {"if(1, 2)", KS_ERR_PARSE, 1, "if() needs 3 values, it has 2"},
    {"", KS_ERR_PARSE, 1, "the expression is empty"},
    {"  \n ", KS_ERR_PARSE, 5, "the expression is empty"},
    {"${a} =", KS_ERR_PARSE, 7, "a value is missing after '=' at the end"},
    {"${a} = 1 and", KS_ERR_PARSE, 13, "a value is missing after 'and'"},
    {"${a} ${b}", KS_ERR_PARSE, 6, "is missing before '${b}'"},
    {"${a} = 1 'x'", KS_ERR_PARSE, 10, "is missing before ''x''"},
    {"selected(${a} 'x')", KS_ERR_PARSE, 15, "a comma or an operator is missing"},
    {"${a} = 1 AND ${b} = 2", KS_ERR_PARSE, 10, "'AND' must be written in lower case: 'and'"},
    {"${a} == 1", KS_ERR_PARSE, 6, "'=='"},
    {"$a = 1", KS_ERR_PARSE, 1, "a '$' must start a reference"},
    {"/data/a = 1", KS_ERR_PARSE, 1, "paths such as /data/name are not supported"},
    {"${a} && ${b}", KS_ERR_PARSE, 6, "'&' is not an operator here; use 'and'"},
    {"${a} || ${b}", KS_ERR_PARSE, 6, "use 'or'"},
    {"1 ! 2", KS_ERR_PARSE, 3, "'!'"},
    {"../a", KS_ERR_PARSE, 1, "'..' is not supported"},
    {"${\xc3\xa4} = \xe2\x80\x99x\xe2\x80\x99", KS_ERR_PARSE, 8, "typographic quote"},
    {"${a} \xe2\x80\x93 1", KS_ERR_PARSE, 6, "unexpected '\xe2\x80\x93'"},
    {"${a} = 1 # 2", KS_ERR_PARSE, 10, "unexpected '#'"},
    /* Found by fuzz_expr: a stray character right before the end. */
    {"-(${a} - ${Y}) + .5]", KS_ERR_PARSE, 20, "unexpected ']'"},
    /* regex(): PCRE2's message, at the character of the pattern where it
     * noticed the problem (the pattern starts at character 11). */
    {"regex(., '[a-')", KS_ERR_PARSE, 14,
     "the pattern is not a valid regular expression: missing terminating ] for character class"},
    {"regex(., 'a(b')", KS_ERR_PARSE, 14, "missing closing parenthesis"},
    {"regex(., 'a)b')", KS_ERR_PARSE, 12, "unmatched closing parenthesis"},
    {"regex(., '\xc3\xa4(b')", KS_ERR_PARSE, 14, "missing closing parenthesis"},
    {"regex(., '\\p{Letter}')", KS_ERR_PARSE, 21, "unknown property"},
    {"regex(., 'a\\')", KS_ERR_PARSE, 13, "\\ at end of pattern"},
    {"regex(., 'a{3,2}')", KS_ERR_PARSE, 16, "numbers out of order"},
    {"regex(., '*a')", KS_ERR_PARSE, 11, "quantifier does not follow a repeatable item"},
    {"regex(., 'a\\Cb')", KS_ERR_PARSE, 14, "using \\C is disabled"},
    {"${a} = 1 and regex(${a}, '[')", KS_ERR_PARSE, 28, "missing terminating ]"},
};

static void test_parse_errors(void **state)
{
    (void)state;
    int failures = 0;
    for (size_t i = 0; i < sizeof ERROR_CASES / sizeof ERROR_CASES[0]; i++) {
        const ErrorCase *c = &ERROR_CASES[i];
        Expr *e = (Expr *)&failures; /* must be reset to NULL */
        ExprError err;
        KsStatus st = expr_parse(c->src, &e, &err);
        if (st != c->st || err.pos != c->pos || !strstr(err.message, c->message) || e) {
            print_error("error case %zu: %s -> %d at %d: %s; expected %d at %d: %s\n", i, c->src,
                        st, err.pos, err.message, c->st, c->pos, c->message);
            failures++;
        }
        if (st == KS_OK)
            expr_destroy(e);
    }
    assert_int_equal(failures, 0);
    /* err may be NULL. */
    Expr *e = NULL;
    assert_int_equal(expr_parse("(", &e, NULL), KS_ERR_PARSE);
    assert_null(e);
}

/* ---- references --------------------------------------------------------- */

static void test_refs(void **state)
{
    (void)state;
    Expr *e = parse_ok("${b} = 1 and ${a} = ${b} or ${\xc3\xa4} = ${a}");
    assert_int_equal(expr_ref_count(e), 3);
    assert_string_equal(expr_ref(e, 0), "b");
    assert_string_equal(expr_ref(e, 1), "a");
    assert_string_equal(expr_ref(e, 2), "\xc3\xa4");
    assert_int_equal(expr_ref_pos(e, 0), 1);
    assert_int_equal(expr_ref_pos(e, 1), 14);
    assert_int_equal(expr_ref_pos(e, 2), 29);
    assert_null(expr_ref(e, 3));
    assert_null(expr_ref(e, -1));
    assert_int_equal(expr_ref_pos(e, 3), 0);
    assert_int_equal(expr_column_count(e), 0);
    expr_destroy(e);

    e = parse_ok("'\xc3\xbc' = ${x}");
    assert_int_equal(expr_ref_pos(e, 0), 7);
    expr_destroy(e);

    e = parse_ok("${s} = cf and cat = cf and selected(${s}, cat)");
    assert_int_equal(expr_ref_count(e), 1);
    assert_int_equal(expr_column_count(e), 2);
    assert_string_equal(expr_column(e, 0), "cf");
    assert_string_equal(expr_column(e, 1), "cat");
    assert_null(expr_column(e, 2));
    expr_destroy(e);

    e = parse_ok("1 + 2");
    assert_int_equal(expr_ref_count(e), 0);
    assert_null(expr_ref(e, 0));
    expr_destroy(e);

    assert_int_equal(expr_ref_count(NULL), 0);
    assert_int_equal(expr_column_count(NULL), 0);
    expr_destroy(NULL);
}

/* ---- limits ------------------------------------------------------------- */

static char *repeat(const char *head, int n, const char *mid, const char *tail, int m)
{
    size_t len = strlen(head) * (size_t)n + strlen(mid) + strlen(tail) * (size_t)m + 1;
    char *s = malloc(len);
    assert_non_null(s);
    s[0] = '\0';
    char *p = s;
    for (int i = 0; i < n; i++)
        p = stpcpy(p, head);
    p = stpcpy(p, mid);
    for (int i = 0; i < m; i++)
        p = stpcpy(p, tail);
    return s;
}

static void expect_limit(const char *src, const char *message)
{
    Expr *e = NULL;
    ExprError err;
    assert_int_equal(expr_parse(src, &e, &err), KS_ERR_LIMIT);
    assert_null(e);
    if (!strstr(err.message, message))
        fail_msg("message \"%s\" lacks \"%s\"", err.message, message);
    assert_true(err.pos >= 1);
}

static void test_limit_depth(void **state)
{
    (void)state;
    /* Far beyond every limit: must fail cleanly, not overflow the stack. */
    char *s = repeat("(", 10000, "1", ")", 10000);
    expect_limit(s, "");
    free(s);
    s = repeat("- ", 10000, "1", "", 0);
    expect_limit(s, "");
    free(s);

    /* Within the length limit, the depth rule itself. */
    s = repeat("(", 2000, "1", ")", 2000);
    expect_limit(s, "the expression is nested too deeply (more than 64 levels)");
    free(s);
    s = repeat("-", 2000, "1", "", 0);
    expect_limit(s, "nested too deeply");
    free(s);
    s = repeat("not(", 100, "1", ")", 100);
    expect_limit(s, "nested too deeply");
    free(s);

    s = repeat("(", 64, "1", ")", 64);
    Expr *e = parse_ok(s);
    assert_true(expr_eval_bool(e, NULL));
    expr_destroy(e);
    free(s);
    s = repeat("(", 65, "1", ")", 65);
    Expr *bad = NULL;
    ExprError err;
    assert_int_equal(expr_parse(s, &bad, &err), KS_ERR_LIMIT);
    assert_int_equal(err.pos, 65);
    free(s);
    s = repeat("-", 64, "1", "", 0);
    e = parse_ok(s);
    char buf[32];
    expr_eval_string(e, NULL, buf, sizeof buf);
    assert_string_equal(buf, "1");
    expr_destroy(e);
    free(s);
}

static void test_limit_nodes_and_chains(void **state)
{
    (void)state;
    /* A long left-leaning chain within the node limit evaluates. */
    char *s = repeat("1+", 500, "1", "", 0);
    Expr *e = parse_ok(s);
    char buf[32];
    expr_eval_string(e, NULL, buf, sizeof buf);
    assert_string_equal(buf, "501");
    expr_destroy(e);
    free(s);

    s = repeat("1+", 600, "1", "", 0);
    expect_limit(s, "more than 1024 parts");
    free(s);

    /* A relevance listing many options (one n-ary 'or'). */
    s = repeat("selected(${f}, 'x') or ", 150, "selected(${f}, 'b')", "", 0);
    e = parse_ok(s);
    TestCtx ctx;
    ExprEnv env = env_make(&ctx, "f=a b", "", NULL);
    assert_true(expr_eval_bool(e, &env));
    assert_int_equal(expr_ref_count(e), 1);
    expr_destroy(e);
    free(s);
}

static void test_limit_length(void **state)
{
    (void)state;
    char *s = repeat("x", EXPR_MAX_LEN - 2, "", "", 0);
    s[0] = '\'';
    char *full = malloc(EXPR_MAX_LEN + 2);
    assert_non_null(full);
    snprintf(full, EXPR_MAX_LEN + 2, "%s'", s);
    assert_int_equal(strlen(full), EXPR_MAX_LEN - 1);
    Expr *e = parse_ok(full);
    char buf[EXPR_MAX_LEN];
    expr_eval_string(e, NULL, buf, sizeof buf);
    assert_int_equal(strlen(buf), EXPR_MAX_LEN - 3);
    expr_destroy(e);

    snprintf(full, EXPR_MAX_LEN + 2, "%s' ", s);
    assert_int_equal(strlen(full), EXPR_MAX_LEN);
    e = parse_ok(full);
    expr_destroy(e);

    snprintf(full, EXPR_MAX_LEN + 2, "%s'  ", s);
    assert_int_equal(strlen(full), EXPR_MAX_LEN + 1);
    expect_limit(full, "too long");
    free(full);
    free(s);
}

/* ---- regex(): limits, load-time warnings, computed patterns ------------ */

static void test_regex_runaway(void **state)
{
    (void)state;
    /* At load: the pattern parses, with a warning for the form author. */
    Expr *e = parse_ok("regex(., '(a+)+$')");
    int pos = -1;
    const char *warning = expr_warning(e, &pos);
    assert_non_null(warning);
    assert_non_null(strstr(warning, "the pattern gives up on some answers"));
    assert_non_null(strstr(warning, "avoid nested repeats"));
    assert_int_equal(pos, 10);

    /* Each keystroke: the limit ends it quickly, as not matching, and says
     * so in the log once. */
    log_set_level(LOG_LEVEL_WARN);
    /* The answer that makes it try every way to split a run of a's. */
    char *value = repeat("a", 4000, "b", "", 0);
    ExprEnv env = {.current = value};
    TestStderr cap;
    assert_true(test_stderr_begin(&cap));
    bool matched = false;
    double slowest = 0;
    for (int i = 0; i < 3; i++) {
        double t0 = test_seconds();
        if (expr_eval_bool(e, &env))
            matched = true;
        double took = test_seconds() - t0;
        if (took > slowest)
            slowest = took;
    }
    char *logged = test_stderr_end(&cap);
    assert_false(matched);
    if (slowest > 1.0)
        fail_msg("(a+)+$ on 4000 a's and a b took %.3f s", slowest);
    assert_non_null(logged);
    const char *said = strstr(logged, "gave up on an answer of 4001 bytes");
    assert_non_null(said);
    assert_null(strstr(said + 1, "gave up on an answer"));
    free(logged);
    log_set_level(LOG_LEVEL_ERROR);
    /* Where it does match, it matches. */
    env.current = "aaaa";
    assert_true(expr_eval_bool(e, &env));
    expr_destroy(e);

    free(value);

    /* A computed runaway pattern ends just as quickly. */
    e = parse_ok("regex(., ${pat})");
    TestCtx ctx;
    value = repeat("a", 4000, "!", "", 0);
    env = env_make(&ctx, "pat=^(\\w+\\s?)+$", "", value);
    double t0 = test_seconds();
    assert_false(expr_eval_bool(e, &env));
    assert_true(test_seconds() - t0 < 1.0);
    assert_null(expr_warning(e, &pos)); /* a computed pattern is not known at load */
    assert_int_equal(pos, 0);
    expr_destroy(e);
    free(value);

    /* Usual patterns carry no warning. */
    static const char *const fine[] = {
        "regex(., '^\\d{5}$')",
        "regex(., '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$')",
        "regex(., '^[\\p{L} .\\x27-]{2,60}$')",
        "regex(., '^\\+?[0-9 ()/-]{6,20}$')",
        "regex(., '^(0[1-9]|[12][0-9]|3[01])\\.(0[1-9]|1[0-2])\\.(19|20)\\d\\d$')",
        "regex(., '^<(.+?)>.*</\\1>$')",
        "regex(., '\\w+\\s\\w+')",
        "regex(., '^(a|b)*c?$')",
    };
    for (size_t i = 0; i < sizeof fine / sizeof fine[0]; i++) {
        e = parse_ok(fine[i]);
        if (expr_warning(e, NULL))
            fail_msg("%s: %s", fine[i], expr_warning(e, NULL));
        expr_destroy(e);
    }
    assert_null(expr_warning(NULL, &pos));
    assert_int_equal(pos, 0);
}

static void test_regex_computed_pattern_changes(void **state)
{
    (void)state;
    /* The tree keeps the last computed pattern; it must follow the answer. */
    Expr *e = parse_ok("regex(${v}, ${pat})");
    static const struct {
        const char *answers;
        bool match;
    } steps[] = {
        {"v=abc;pat=^a", true},
        {"v=abc;pat=^a", true},
        {"v=abc;pat=^b", false},
        {"v=bcd;pat=^b", true},
        {"v=abc;pat=(", false},
        {"v=abc;pat=(", false},
        {"v=abc;pat=^a", true},
        {"v=abc", true},
        {"v=\xc3\x9cnal;pat=^\\p{Lu}", true},
        {"v=\xc3\xbcnal;pat=^\\p{Lu}", false},
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        TestCtx ctx;
        ExprEnv env = env_make(&ctx, steps[i].answers, "", NULL);
        if (expr_eval_bool(e, &env) != steps[i].match)
            fail_msg("step %zu (%s): expected %d", i, steps[i].answers, steps[i].match);
    }
    expr_destroy(e);

    /* An answer that is not UTF-8 matches nothing, and nothing breaks. */
    e = parse_ok("regex(., '^.+$')");
    ExprEnv env = {.current = "a\xff"};
    assert_false(expr_eval_bool(e, &env));
    env.current = "a";
    assert_true(expr_eval_bool(e, &env));
    expr_destroy(e);
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eval_table),
        cmocka_unit_test(test_eval_choice_filter),
        cmocka_unit_test(test_eval_short_circuit),
        cmocka_unit_test(test_eval_small_buffers),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_refs),
        cmocka_unit_test(test_limit_depth),
        cmocka_unit_test(test_limit_nodes_and_chains),
        cmocka_unit_test(test_limit_length),
        cmocka_unit_test(test_regex_runaway),
        cmocka_unit_test(test_regex_computed_pattern_changes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
