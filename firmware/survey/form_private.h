/* form_private: the layout of a Form, shared only by form.c and the loaders
 * (form_load*.c, form_csv.c, form_xlsx.c). Nothing else may include it: everyone
 * else reads a Form through the accessors in form.h. */
#ifndef KS_FORM_PRIVATE_H
#define KS_FORM_PRIVATE_H

#include "../core/arena.h"
#include "form.h"

struct Form {
    Arena *arena; /* owns every string and array below */
    const char *id;
    const char *version;
    const char *source;
    char sha256[65];
    FormAudience audience;
    FormText title;
    FormLang langs[FORM_MAX_LANGS];
    int n_langs;
    int default_lang;
    FormQuestion *questions;
    int n_questions;
    FormList *lists;
    int n_lists;
    FormGroup *groups;
    int n_groups;
    Expr **exprs; /* every parsed expression, destroyed with the form */
    int n_exprs, cap_exprs;
};

/* An empty form with its arena; the loader fills the fields. */
Form *form_create(void);
/* Hands a parsed expression to the form, which destroys it with itself. */
void form_adopt_expr(Form *f, Expr *e);

#endif
