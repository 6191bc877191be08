/* form: the accessors of the immutable form model and the text fallback.
 * Loading lives in the loaders (form_load*.c); this file never reads files. */
#include "form.h"

#include <stdlib.h>
#include <string.h>

#include "../core/mem.h"
#include "../core/str.h"
#include "form_private.h"

Form *form_create(void)
{
    Form *f = xcalloc(1, sizeof *f);
    f->arena = arena_create(0);
    f->id = "";
    f->version = "";
    f->source = "";
    return f;
}

void form_destroy(Form *f)
{
    if (!f)
        return;
    for (int i = 0; i < f->n_exprs; i++)
        expr_destroy(f->exprs[i]);
    free(f->exprs);
    arena_destroy(f->arena);
    free(f);
}

void form_adopt_expr(Form *f, Expr *e)
{
    if (f->n_exprs == f->cap_exprs) {
        f->cap_exprs = f->cap_exprs ? f->cap_exprs * 2 : 16;
        f->exprs = xrealloc(f->exprs, (size_t)f->cap_exprs * sizeof *f->exprs);
    }
    f->exprs[f->n_exprs++] = e;
}

const char *form_id(const Form *f)
{
    return f->id;
}

const char *form_version(const Form *f)
{
    return f->version;
}

const char *form_sha256(const Form *f)
{
    return f->sha256;
}

const char *form_source(const Form *f)
{
    return f->source;
}

FormAudience form_audience(const Form *f)
{
    return f->audience;
}

static const char *const AUDIENCE_NAMES[] = {"child", "youth", "parent", "professional"};
_Static_assert(sizeof AUDIENCE_NAMES / sizeof AUDIENCE_NAMES[0] == FORM_AUDIENCE_PROFESSIONAL + 1,
               "one name per audience");

const char *form_audience_name(FormAudience a)
{
    return str_name_of(AUDIENCE_NAMES, STR_COUNT(AUDIENCE_NAMES), (int)a, "child");
}

int form_audience_of(const char *name)
{
    for (int i = 0; i < STR_COUNT(AUDIENCE_NAMES); i++)
        if (str_eq_nocase(name, AUDIENCE_NAMES[i]))
            return i;
    return -1;
}

const FormText *form_title(const Form *f)
{
    return &f->title;
}

int form_lang_count(const Form *f)
{
    return f->n_langs;
}

const FormLang *form_lang(const Form *f, int i)
{
    if (i < 0 || i >= f->n_langs)
        return NULL;
    return &f->langs[i];
}

int form_lang_index(const Form *f, const char *code)
{
    for (int i = 0; i < f->n_langs; i++)
        if (strcmp(f->langs[i].code, code) == 0)
            return i;
    return -1;
}

int form_default_lang(const Form *f)
{
    return f->default_lang;
}

int form_question_count(const Form *f)
{
    return f->n_questions;
}

const FormQuestion *form_question(const Form *f, int i)
{
    if (i < 0 || i >= f->n_questions)
        return NULL;
    return &f->questions[i];
}

int form_question_index(const Form *f, const char *name)
{
    for (int i = 0; i < f->n_questions; i++)
        if (strcmp(f->questions[i].name, name) == 0)
            return i;
    return -1;
}

int form_group_count(const Form *f)
{
    return f->n_groups;
}

const FormGroup *form_group(const Form *f, int i)
{
    if (i < 0 || i >= f->n_groups)
        return NULL;
    return &f->groups[i];
}

static bool form_has_text(const FormText *t, int lang)
{
    return lang >= 0 && lang < FORM_MAX_LANGS && t->s[lang] && t->s[lang][0];
}

const char *form_text(const Form *f, const FormText *t, int lang)
{
    if (!t)
        return "";
    if (form_has_text(t, lang))
        return t->s[lang];
    if (f && form_has_text(t, f->default_lang))
        return t->s[f->default_lang];
    for (int i = 0; i < FORM_MAX_LANGS; i++)
        if (form_has_text(t, i))
            return t->s[i];
    return "";
}
