/* form_load_types: the cells of a survey row that have a grammar of their
 * own: the question type (with XLSForm's aliases, and a clear refusal for
 * what a kiosk cannot do), the appearance words, and expressions (parsed
 * once here, their ${references} checked once every question is known). */
#include <stdio.h>
#include <string.h>

#include "../core/mem.h"
#include "../core/str.h"
#include "form_load_private.h"

/* Types a kiosk cannot ask, each with the reason a form author understands. */
static const struct {
    const char *type;
    const char *why;
} form_load_refused[] = {
    {"begin_repeat", "repeats (asking the same questions several times) are not supported"},
    {"begin repeat", "repeats (asking the same questions several times) are not supported"},
    {"end_repeat", "repeats (asking the same questions several times) are not supported"},
    {"end repeat", "repeats (asking the same questions several times) are not supported"},
    {"geopoint", "the kiosk has no GPS"},
    {"geotrace", "the kiosk has no GPS"},
    {"geoshape", "the kiosk has no GPS"},
    {"start-geopoint", "the kiosk has no GPS"},
    {"barcode", "the kiosk has no camera"},
    {"audio", "the kiosk does not record sound"},
    {"background-audio", "the kiosk does not record sound"},
    {"video", "the kiosk does not record video"},
    {"file", "the kiosk cannot receive files"},
    {"date", "dates would identify people; ask for an age band with select_one instead"},
    {"datetime", "dates would identify people; ask with select_one instead"},
    {"time", "ask for a time of day with select_one instead"},
    {"hidden", "hidden questions are not supported"},
    {"xml-external", "external data files are not supported"},
    {"csv-external", "external data files are not supported"},
    {"select_one_from_file", "choices from external files are not supported; put them in the "
                             "choices sheet"},
    {"select_multiple_from_file", "choices from external files are not supported; put them in "
                                  "the choices sheet"},
    {"select_one_external", "external choices are not supported; put them in the choices sheet"},
    {"select_multiple_external", "external choices are not supported; put them in the choices "
                                 "sheet"},
    {"osm", "maps are not supported"},
    {"entity", "entities are not supported"},
};

/* Metadata ODK records by itself: the kiosk records none of it (it would
 * identify devices or people, and times are kept by the kiosk itself). */
static const char *const form_load_metadata[] = {
    "start",       "end",      "today", "deviceid", "subscriberid", "simserial",
    "phonenumber", "username", "email", "audit",    "instanceid",
};

static const struct {
    const char *type;
    FormQType q;
} form_load_plain_types[] = {
    {"integer", FORM_Q_INTEGER},     {"int", FORM_Q_INTEGER},
    {"decimal", FORM_Q_DECIMAL},     {"text", FORM_Q_TEXT},
    {"string", FORM_Q_TEXT},         {"note", FORM_Q_NOTE},
    {"range", FORM_Q_RANGE},         {"acknowledge", FORM_Q_ACKNOWLEDGE},
    {"trigger", FORM_Q_ACKNOWLEDGE}, {"calculate", FORM_Q_CALCULATE},
    {"image", FORM_Q_DRAW},
};

static const FormList *form_load_find_list(const Form *f, const char *name)
{
    for (int i = 0; i < f->n_lists; i++)
        if (strcmp(f->lists[i].name, name) == 0)
            return &f->lists[i];
    return NULL;
}

/* select_one L, select_multiple L, rank L and the long forms "select one
 * from L", "select all that apply from L". */
static int form_load_list_type(FormLoader *L, int rn, const char *header, char **w, int n,
                               FormQuestion *q)
{
    const char *kind = w[0];
    int list_word = 1;
    if (n >= 4 && str_eq_nocase(w[0], "select") && str_eq_nocase(w[1], "one") &&
        str_eq_nocase(w[2], "from")) {
        kind = "select_one";
        list_word = 3;
    } else if (n >= 6 && str_eq_nocase(w[0], "select") && str_eq_nocase(w[1], "all") &&
               str_eq_nocase(w[4], "from")) {
        kind = "select_multiple";
        list_word = 5;
    }
    if (n <= list_word) {
        form_load_report(L, KS_ERR_INVALID, FORM_SHEET_SURVEY, rn, header,
                         "%s needs the name of a choice list, e.g. \"%s colours\"", kind, kind);
        return 0;
    }
    if (n > list_word + 1) {
        bool or_other = str_eq_nocase(w[list_word + 1], "or_other");
        form_load_report(L, KS_ERR_UNSUPPORTED, FORM_SHEET_SURVEY, rn, header,
                         or_other ? "\"or_other\" is not supported: add a choice \"other\" "
                                    "and a text question shown when it is selected"
                                  : "\"%s\" after the list name is not understood",
                         w[list_word + 1]);
        return 0;
    }
    if (str_eq_nocase(kind, "select")) {
        form_load_report(L, KS_ERR_UNSUPPORTED, FORM_SHEET_SURVEY, rn, header,
                         "the question type \"select\" is not known: write select_one LIST "
                         "or select_multiple LIST");
        return 0;
    }
    if (str_eq_nocase(kind, "select_one"))
        q->type = FORM_Q_SELECT_ONE;
    else if (str_eq_nocase(kind, "select_multiple"))
        q->type = FORM_Q_SELECT_MULTIPLE;
    else
        q->type = FORM_Q_RANK;
    q->list = form_load_find_list(L->f, w[list_word]);
    if (!q->list) {
        form_load_report(L, KS_ERR_INVALID, FORM_SHEET_SURVEY, rn, header,
                         "the choice list \"%s\" is not in the choices sheet", w[list_word]);
        return 0;
    }
    if (q->list->n_choices == 0) {
        form_load_report(L, KS_ERR_INVALID, FORM_SHEET_SURVEY, rn, header,
                         "the choice list \"%s\" has no choices", w[list_word]);
        return 0;
    }
    return 1;
}

int form_load_type(FormLoader *L, int row, const char *header, char *type, FormQuestion *q)
{
    int rn = form_load_row_number(L, FORM_SHEET_SURVEY, row);
    char *w[8] = {NULL};
    int n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(type, " \t", &save); tok && n < 8; tok = strtok_r(NULL, " \t", &save))
        w[n++] = tok;
    if (n == 0) {
        form_load_report(L, KS_ERR_INVALID, FORM_SHEET_SURVEY, rn, header, "the type is missing");
        return 0;
    }
    char joined[64];
    snprintf(joined, sizeof joined, "%s%s%s", w[0], n > 1 ? " " : "", n > 1 ? w[1] : "");
    if (str_eq_nocase(w[0], "begin_group") || str_eq_nocase(joined, "begin group"))
        return 2;
    if (str_eq_nocase(w[0], "end_group") || str_eq_nocase(joined, "end group"))
        return 3;
    for (size_t i = 0; i < sizeof form_load_refused / sizeof form_load_refused[0]; i++) {
        if (str_eq_nocase(w[0], form_load_refused[i].type) ||
            str_eq_nocase(joined, form_load_refused[i].type)) {
            form_load_report(L, KS_ERR_UNSUPPORTED, FORM_SHEET_SURVEY, rn, header,
                             "the question type \"%s\" cannot be used on the kiosk: %s",
                             form_load_refused[i].type, form_load_refused[i].why);
            return 0;
        }
    }
    for (size_t i = 0; i < sizeof form_load_metadata / sizeof form_load_metadata[0]; i++) {
        if (str_eq_nocase(w[0], form_load_metadata[i]) && n == 1) {
            form_load_report(L, KS_OK, FORM_SHEET_SURVEY, rn, header,
                             "\"%s\" is not recorded: the kiosk keeps no device or personal "
                             "metadata",
                             w[0]);
            return 4;
        }
    }
    if (str_eq_nocase(w[0], "select_one") || str_eq_nocase(w[0], "select_multiple") ||
        str_eq_nocase(w[0], "rank") || str_eq_nocase(w[0], "select"))
        return form_load_list_type(L, rn, header, w, n, q);
    for (size_t i = 0; i < sizeof form_load_plain_types / sizeof form_load_plain_types[0]; i++) {
        if (str_eq_nocase(w[0], form_load_plain_types[i].type)) {
            if (n > 1) {
                form_load_report(L, KS_ERR_INVALID, FORM_SHEET_SURVEY, rn, header,
                                 "\"%s\" after the type %s is not understood", w[1], w[0]);
                return 0;
            }
            q->type = form_load_plain_types[i].q;
            return 1;
        }
    }
    form_load_report(L, KS_ERR_UNSUPPORTED, FORM_SHEET_SURVEY, rn, header,
                     "the question type \"%s\" is not known to the kiosk", w[0]);
    return 0;
}

unsigned form_load_appearance(FormLoader *L, int row, const char *header, char *v, FormQType type,
                              bool is_group)
{
    static const struct {
        const char *word;
        unsigned flag;
    } words[] = {
        {"faces", FORM_APP_FACES},           {"columns", FORM_APP_COLUMNS},
        {"columns-pack", FORM_APP_COLUMNS},  {"compact", FORM_APP_COLUMNS},
        {"horizontal", FORM_APP_COLUMNS},    {"horizontal-compact", FORM_APP_COLUMNS},
        {"no-buttons", FORM_APP_NO_BUTTONS}, {"likert", FORM_APP_LIKERT},
        {"quick", FORM_APP_QUICK},           {"yes-no", FORM_APP_YES_NO},
        {"multiline", FORM_APP_MULTILINE},   {"draw", FORM_APP_DRAW},
        {"picker", FORM_APP_PICKER},         {"rating", FORM_APP_PICKER},
        {"field-list", FORM_APP_FIELD_LIST}, {"table-list", FORM_APP_FIELD_LIST},
    };
    unsigned flags = 0;
    char *save = NULL;
    for (char *w = strtok_r(v, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
        unsigned flag = 0;
        for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
            if (str_eq_nocase(w, words[i].word))
                flag = words[i].flag;
        if (!flag && str_starts_with_nocase(w, "columns-") && w[8] &&
            strspn(w + 8, "0123456789") == strlen(w + 8))
            flag = FORM_APP_COLUMNS;
        bool fits = flag && (is_group ? flag == FORM_APP_FIELD_LIST : flag != FORM_APP_FIELD_LIST);
        if (fits && flag == FORM_APP_DRAW)
            fits = type == FORM_Q_DRAW;
        if (!fits) {
            form_load_report(L, KS_OK, FORM_SHEET_SURVEY, row, header,
                             "the appearance \"%s\" is not used by the kiosk here and is "
                             "ignored",
                             w);
            continue;
        }
        flags |= flag;
    }
    return flags;
}

const Expr *form_load_expr(FormLoader *L, FormSheetId sh, int row, int col)
{
    if (col < 0)
        return NULL;
    const char *src = form_load_value(L, sh, row, col);
    if (!src[0])
        return NULL;
    int rn = form_load_row_number(L, sh, row);
    const char *header = L->sheets[sh].cols[col].header;
    Expr *e = NULL;
    ExprError err;
    KsStatus ks = expr_parse(src, &e, &err);
    if (ks != KS_OK) {
        form_load_report(L, ks == KS_ERR_LIMIT ? KS_ERR_LIMIT : KS_ERR_PARSE, sh, rn, header,
                         "%s at character %d of \"%s\"", err.message, err.pos, src);
        return NULL;
    }
    int warn_pos = 0;
    const char *warn = expr_warning(e, &warn_pos);
    if (warn)
        form_load_report(L, KS_OK, sh, rn, header, "at character %d of \"%s\": %s", warn_pos, src,
                         warn);
    form_adopt_expr(L->f, e);
    if (L->n_exprs == L->cap_exprs) {
        int cap = L->cap_exprs ? L->cap_exprs * 2 : 32;
        FormLoadExpr *grown = arena_alloc(L->tmp, (size_t)cap * sizeof *grown);
        if (L->n_exprs)
            memcpy(grown, L->exprs, (size_t)L->n_exprs * sizeof *grown);
        L->exprs = grown;
        L->cap_exprs = cap;
    }
    L->exprs[L->n_exprs++] = (FormLoadExpr){
        .e = e,
        .sheet = sh,
        .row = rn,
        .col = header,
        .list = L->filter_list,
    };
    return e;
}

static bool form_load_list_has_col(const FormList *l, const char *name)
{
    if (strcmp(name, "name") == 0)
        return true;
    for (int i = 0; l && i < l->n_extra_cols; i++)
        if (strcmp(l->extra_cols[i], name) == 0)
            return true;
    return false;
}

void form_load_check_refs(FormLoader *L)
{
    const Form *f = L->f;
    for (int i = 0; i < L->n_exprs; i++) {
        const FormLoadExpr *x = &L->exprs[i];
        for (int r = 0; r < expr_ref_count(x->e); r++) {
            const char *name = expr_ref(x->e, r);
            if (form_question_index(f, name) >= 0)
                continue;
            bool is_group = false;
            for (int g = 0; g < f->n_groups; g++)
                is_group = is_group || strcmp(f->groups[g].name, name) == 0;
            form_load_report(L, KS_ERR_INVALID, x->sheet, x->row, x->col,
                             is_group ? "${%s} at character %d is a group, not a question"
                                      : "${%s} at character %d: there is no question with "
                                        "this name",
                             name, expr_ref_pos(x->e, r));
        }
        for (int c = 0; c < expr_column_count(x->e); c++) {
            const char *name = expr_column(x->e, c);
            if (x->list && form_load_list_has_col(x->list, name))
                continue;
            if (x->list)
                form_load_report(L, KS_ERR_INVALID, x->sheet, x->row, x->col,
                                 "\"%s\" is not a column of the choices sheet", name);
            else
                form_load_report(L, KS_ERR_INVALID, x->sheet, x->row, x->col,
                                 "the word \"%s\" is not understood: write ${%s} for the "
                                 "answer to a question, or '%s' for a text",
                                 name, name, name);
        }
    }
}
