/* fuzz_expr: libFuzzer target for the expression parser and evaluator.
 * Parses the input as one expression; when it parses, evaluates it in every
 * way against a small fixed environment and checks the reference lists and
 * the warning. regex() runs through PCRE2 (expr_regex.c). */
#include <stdlib.h>
#include <string.h>

#include "../../firmware/survey/expr.h"
#include "fuzz_target.h"

static const char *answer(void *ctx, const char *name)
{
    (void)ctx;
    static const char *const pairs[][2] = {
        {"age", "12"},
        {"name", "Ann"},
        {"fruits", "apple banana cherry"},
        {"empty", ""},
        {"dob", "2010-05-01"},
        {"email", "a@b.org"},
        {"pat", "^[a-z]+\\d$"},
        {"n", "-3.5"},
        {"long", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"},
        {"uni", "\xc3\x9cnal \xd0\x90\xd1\x80\xd0\xb8\xd0\xbd\xd0\xb0 \xd8\xb9\xd9\x85\xd8\xb1"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
        if (strcmp(pairs[i][0], name) == 0)
            return pairs[i][1];
    return NULL;
}

static const char *column(void *ctx, const char *name)
{
    (void)ctx;
    return strcmp(name, "cf") == 0 ? "NY" : "";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > EXPR_MAX_LEN + 64)
        return 0;
    char *src = malloc(size + 1);
    if (!src)
        return 0;
    memcpy(src, data, size);
    src[size] = '\0';

    Expr *e = NULL;
    ExprError err;
    KsStatus st = expr_parse(src, &e, &err);
    if (st == KS_OK) {
        ExprEnv env = {.answer = answer, .column = column, .current = "42", .today = "2024-03-15"};
        char buf[64], small[3];
        ExprValue v = expr_eval(e, &env, buf, sizeof buf);
        if (!v.s)
            abort();
        (void)strlen(v.s);
        expr_eval_string(e, &env, small, sizeof small);
        if (strlen(small) >= sizeof small)
            abort();
        (void)expr_eval_bool(e, &env);
        (void)expr_eval_bool(e, NULL);
        /* Again: regex() reuses the patterns compiled by the first runs. */
        (void)expr_eval_bool(e, &env);
        int wpos = 0;
        const char *warning = expr_warning(e, &wpos);
        if (warning && (warning[0] == '\0' || wpos < 1 || wpos > (int)size))
            abort();
        for (int i = 0; i < expr_ref_count(e); i++)
            if (!expr_ref(e, i) || expr_ref_pos(e, i) < 1 || expr_ref_pos(e, i) > (int)size)
                abort();
        for (int i = 0; i < expr_column_count(e); i++)
            if (!expr_column(e, i))
                abort();
        expr_destroy(e);
    } else {
        if (e || err.message[0] == '\0' || err.pos < 1 || err.pos > (int)size + 1)
            abort();
        if (st != KS_ERR_PARSE && st != KS_ERR_LIMIT)
            abort();
    }
    free(src);
    return 0;
}
