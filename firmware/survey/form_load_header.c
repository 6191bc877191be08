/* form_load_header: the XLSForm column mapper: header cells (trimmed,
 * case-insensitive, with the usual aliases) to roles and languages
 * ("label::Deutsch (de)", "label:english"). It reads only row 1 of each
 * sheet; form_load.c reads the data rows. */
#include <string.h>

#include "../core/str.h"
#include "form_load_private.h"

/* Codes for language names that forms write without "(code)". */
static const char *form_load_header_known_code(const char *name)
{
    static const struct {
        const char *name, *code;
    } known[] = {
        {"deutsch", "de"},    {"german", "de"},   {"english", "en"},    {"englisch", "en"},
        {"türkçe", "tr"},     {"turkish", "tr"},  {"türkisch", "tr"},   {"arabic", "ar"},
        {"arabisch", "ar"},   {"العربية", "ar"},  {"ukrainian", "uk"},  {"ukrainisch", "uk"},
        {"українська", "uk"}, {"russian", "ru"},  {"russisch", "ru"},   {"русский", "ru"},
        {"french", "fr"},     {"français", "fr"}, {"spanish", "es"},    {"español", "es"},
        {"polish", "pl"},     {"polski", "pl"},   {"persian", "fa"},    {"farsi", "fa"},
        {"chinese", "zh"},    {"italian", "it"},  {"portuguese", "pt"}, {"kurdish", "ku"},
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (str_eq_nocase(name, known[i].name))
            return known[i].code;
    return NULL;
}

void form_load_header_split_lang(char *spec, FormLang *out)
{
    memset(out, 0, sizeof *out);
    str_trim(spec);
    if (!spec[0]) {
        str_copy(out->name, sizeof out->name, "default");
        return;
    }
    size_t n = strlen(spec);
    char *open = strrchr(spec, '(');
    if (open && spec[n - 1] == ')' && open > spec) {
        spec[n - 1] = '\0';
        str_copy(out->code, sizeof out->code, str_trim(open + 1));
        *open = '\0';
        str_copy(out->name, sizeof out->name, str_trim(spec));
        return;
    }
    const char *code = form_load_header_known_code(spec);
    str_copy(out->code, sizeof out->code, code ? code : spec);
    str_copy(out->name, sizeof out->name, spec);
}

int form_load_header_find_lang(const Form *f, const FormLang *want)
{
    for (int i = 0; i < f->n_langs; i++)
        if (str_eq_nocase(f->langs[i].code, want->code))
            return i;
    return -1;
}

static int form_load_header_add_lang(FormLoader *L, FormSheetId sh, const char *header, char *spec)
{
    FormLang lang;
    form_load_header_split_lang(spec, &lang);
    int i = form_load_header_find_lang(L->f, &lang);
    if (i >= 0)
        return i;
    if (L->f->n_langs == FORM_MAX_LANGS) {
        if (!L->too_many_langs)
            form_load_report(L, KS_ERR_LIMIT, sh, 1, header, "more than %d languages",
                             FORM_MAX_LANGS);
        L->too_many_langs = true;
        return -1;
    }
    L->f->langs[L->f->n_langs] = lang;
    return L->f->n_langs++;
}

static FormColRole form_load_header_plain_role(const char *base)
{
    static const struct {
        const char *name;
        FormColRole role;
    } table[] = {
        {"type", FORM_COL_TYPE},
        {"name", FORM_COL_NAME},
        {"required", FORM_COL_REQUIRED},
        {"appearance", FORM_COL_APPEARANCE},
        {"relevant", FORM_COL_RELEVANT},
        {"constraint", FORM_COL_CONSTRAINT},
        {"calculation", FORM_COL_CALCULATION},
        {"calculate", FORM_COL_CALCULATION},
        {"choice_filter", FORM_COL_CHOICE_FILTER},
        {"default", FORM_COL_DEFAULT},
        {"parameters", FORM_COL_PARAMETERS},
        {"quasi_identifier", FORM_COL_QUASI_ID},
        {"list_name", FORM_COL_LIST_NAME},
        {"list name", FORM_COL_LIST_NAME},
        {"form_id", FORM_COL_FORM_ID},
        {"id_string", FORM_COL_FORM_ID},
        {"version", FORM_COL_VERSION},
        {"default_language", FORM_COL_DEFAULT_LANGUAGE},
        {"audience", FORM_COL_AUDIENCE},
        {"allow_choice_duplicates", FORM_COL_ALLOW_DUPLICATES},
        {"repeat_count", FORM_COL_UNSUPPORTED},
        {"read_only", FORM_COL_UNSUPPORTED},
        {"trigger", FORM_COL_UNSUPPORTED},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (str_eq_nocase(base, table[i].name))
            return table[i].role;
    return FORM_COL_OTHER;
}

/* Works out what one header cell means; *lang_spec points into `h` after
 * "::" (or a single ":") for language columns, NULL for the plain form. */
static FormColRole form_load_header_role(char *h, char **lang_spec)
{
    static const struct {
        const char *prefix;
        FormColRole role;
    } lang_roles[] = {
        {"label", FORM_COL_LABEL},
        {"hint", FORM_COL_HINT},
        {"media::image", FORM_COL_IMAGE},
        {"image", FORM_COL_IMAGE},
        {"media::audio", FORM_COL_AUDIO},
        {"audio", FORM_COL_AUDIO},
        {"required_message", FORM_COL_REQUIRED_MSG},
        {"jr:requiredMsg", FORM_COL_REQUIRED_MSG},
        {"constraint_message", FORM_COL_CONSTRAINT_MSG},
        {"jr:constraintMsg", FORM_COL_CONSTRAINT_MSG},
        {"form_title", FORM_COL_FORM_TITLE},
        {"title", FORM_COL_FORM_TITLE},
    };
    *lang_spec = NULL;
    for (size_t i = 0; i < sizeof lang_roles / sizeof lang_roles[0]; i++) {
        size_t n = strlen(lang_roles[i].prefix);
        if (!str_starts_with_nocase(h, lang_roles[i].prefix))
            continue;
        if (h[n] == '\0')
            return lang_roles[i].role;
        if (h[n] == ':' && h[n + 1] == ':') {
            *lang_spec = h + n + 2;
            return lang_roles[i].role;
        }
        if (h[n] == ':' && h[n + 1] != ':') {
            *lang_spec = h + n + 1;
            return lang_roles[i].role;
        }
    }
    if (str_starts_with_nocase(h, "media::") || str_starts_with_nocase(h, "video"))
        return FORM_COL_UNSUPPORTED;
    return form_load_header_plain_role(h);
}

void form_load_header_map(FormLoader *L, FormSheetId sh)
{
    FormSheet *s = &L->sheets[sh];
    for (int r = 0; r < FORM_COL_COUNT; r++)
        s->scalar[r] = -1;
    s->n_cols = csv_cols(s->table, 0);
    for (int c = 0; c < s->n_cols; c++) {
        FormCol *col = &s->cols[c];
        char *h = form_load_value(L, sh, 0, c);
        col->header = arena_strdup(L->tmp, h);
        char *spec = NULL;
        col->role = h[0] ? form_load_header_role(h, &spec) : FORM_COL_OTHER;
        col->lang = -1;
        if (col->role >= FORM_COL_LABEL && !spec) {
            col->lang = FORM_LANG_PLAIN;
        } else if (col->role >= FORM_COL_LABEL) {
            col->lang = form_load_header_add_lang(L, sh, col->header, spec);
            if (col->lang < 0)
                col->role = FORM_COL_OTHER;
        }
        bool mapped = col->role != FORM_COL_OTHER && col->role != FORM_COL_UNSUPPORTED;
        for (int p = 0; p < c && mapped; p++) {
            if (s->cols[p].role == col->role && s->cols[p].lang == col->lang) {
                form_load_report(L, KS_OK, sh, 1, col->header,
                                 "duplicate column \"%s\"; the first one is used", col->header);
                col->role = FORM_COL_OTHER;
                mapped = false;
            }
        }
        mapped = col->role != FORM_COL_OTHER && col->role != FORM_COL_UNSUPPORTED;
        if (mapped && col->role < FORM_COL_LABEL)
            s->scalar[col->role] = c;
    }
}

/* Plain label columns make an unnamed language (as do forms without any
 * language column); otherwise a plain hint, image or title serves every
 * language that has none of its own. */
void form_load_header_resolve_plain(FormLoader *L)
{
    bool plain_label = false;
    for (int sh = 0; sh < FORM_SHEETS; sh++)
        for (int c = 0; c < L->sheets[sh].n_cols; c++)
            plain_label = plain_label || (L->sheets[sh].cols[c].role == FORM_COL_LABEL &&
                                          L->sheets[sh].cols[c].lang == FORM_LANG_PLAIN);
    int target = FORM_LANG_ALL;
    if (plain_label || L->f->n_langs == 0) {
        char none[] = "";
        target = form_load_header_add_lang(L, FORM_SHEET_SURVEY, "label", none);
    }
    for (int sh = 0; sh < FORM_SHEETS; sh++) {
        for (int c = 0; c < L->sheets[sh].n_cols; c++) {
            FormCol *col = &L->sheets[sh].cols[c];
            if (col->lang == FORM_LANG_PLAIN)
                col->lang = target;
            if (col->lang == -1 && col->role >= FORM_COL_LABEL)
                col->role = FORM_COL_OTHER;
        }
    }
}
