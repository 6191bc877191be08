/* form_csv_header: the XLSForm column mapper: header cells (trimmed,
 * case-insensitive) to roles and languages ("label::Deutsch (de)"). It reads
 * only row 1 of each sheet; form_csv.c reads the data rows. */
#include <string.h>

#include "../core/str.h"
#include "form_csv_private.h"

void form_csv_header_split_lang(char *spec, FormLang *out)
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
    str_copy(out->code, sizeof out->code, spec);
    str_copy(out->name, sizeof out->name, spec);
}

int form_csv_header_find_lang(const Form *f, const FormLang *want)
{
    for (int i = 0; i < f->n_langs; i++)
        if (str_eq_nocase(f->langs[i].code, want->code))
            return i;
    return -1;
}

static int form_csv_header_add_lang(FormCsvLoader *L, FormCsvSheetId sh, const char *header,
                                    char *spec)
{
    FormLang lang;
    form_csv_header_split_lang(spec, &lang);
    int i = form_csv_header_find_lang(L->f, &lang);
    if (i >= 0)
        return i;
    if (L->f->n_langs == FORM_MAX_LANGS) {
        if (!L->too_many_langs)
            form_csv_report(L, KS_ERR_LIMIT, sh, 1, header, "more than %d languages",
                            FORM_MAX_LANGS);
        L->too_many_langs = true;
        return -1;
    }
    L->f->langs[L->f->n_langs] = lang;
    return L->f->n_langs++;
}

static FormCsvRole form_csv_header_plain_role(const char *base)
{
    static const struct {
        const char *name;
        FormCsvRole role;
    } table[] = {
        {"type", FORM_CSV_ROLE_TYPE},
        {"name", FORM_CSV_ROLE_NAME},
        {"required", FORM_CSV_ROLE_REQUIRED},
        {"appearance", FORM_CSV_ROLE_APPEARANCE},
        {"list_name", FORM_CSV_ROLE_LIST_NAME},
        {"list name", FORM_CSV_ROLE_LIST_NAME},
        {"form_id", FORM_CSV_ROLE_FORM_ID},
        {"version", FORM_CSV_ROLE_VERSION},
        {"default_language", FORM_CSV_ROLE_DEFAULT_LANGUAGE},
        {"audience", FORM_CSV_ROLE_AUDIENCE},
        {"relevant", FORM_CSV_ROLE_UNSUPPORTED},
        {"constraint", FORM_CSV_ROLE_UNSUPPORTED},
        {"calculation", FORM_CSV_ROLE_UNSUPPORTED},
        {"choice_filter", FORM_CSV_ROLE_UNSUPPORTED},
        {"repeat_count", FORM_CSV_ROLE_UNSUPPORTED},
        {"default", FORM_CSV_ROLE_UNSUPPORTED},
        {"read_only", FORM_CSV_ROLE_UNSUPPORTED},
        {"trigger", FORM_CSV_ROLE_UNSUPPORTED},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (str_eq_nocase(base, table[i].name))
            return table[i].role;
    return FORM_CSV_ROLE_OTHER;
}

/* Works out what one header cell means; *lang_spec points into `h` after
 * "::" for language columns (NULL for the plain form). */
static FormCsvRole form_csv_header_role(char *h, char **lang_spec)
{
    static const struct {
        const char *prefix;
        FormCsvRole role;
    } lang_roles[] = {
        {"label", FORM_CSV_ROLE_LABEL},         {"hint", FORM_CSV_ROLE_HINT},
        {"media::image", FORM_CSV_ROLE_IMAGE},  {"image", FORM_CSV_ROLE_IMAGE},
        {"form_title", FORM_CSV_ROLE_FORM_TITLE},
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
    }
    if (str_starts_with_nocase(h, "media::") || str_starts_with_nocase(h, "audio") ||
        str_starts_with_nocase(h, "video"))
        return FORM_CSV_ROLE_UNSUPPORTED;
    return form_csv_header_plain_role(h);
}

void form_csv_header_map(FormCsvLoader *L, FormCsvSheetId sh)
{
    FormCsvSheet *s = &L->sheets[sh];
    for (int r = 0; r < FORM_CSV_ROLE_COUNT; r++)
        s->scalar[r] = -1;
    s->n_cols = csv_cols(s->table, 0);
    for (int c = 0; c < s->n_cols; c++) {
        FormCsvCol *col = &s->cols[c];
        char *h = form_csv_value(L, sh, 0, c);
        col->header = arena_strdup(L->tmp, h);
        char *spec = NULL;
        col->role = h[0] ? form_csv_header_role(h, &spec) : FORM_CSV_ROLE_OTHER;
        col->lang = -1;
        if (col->role >= FORM_CSV_ROLE_LABEL && !spec) {
            col->lang = FORM_CSV_LANG_PLAIN;
        } else if (col->role >= FORM_CSV_ROLE_LABEL) {
            col->lang = form_csv_header_add_lang(L, sh, col->header, spec);
            if (col->lang < 0)
                col->role = FORM_CSV_ROLE_OTHER;
        }
        bool mapped = col->role != FORM_CSV_ROLE_OTHER && col->role != FORM_CSV_ROLE_UNSUPPORTED;
        for (int p = 0; p < c && mapped; p++) {
            if (s->cols[p].role == col->role && s->cols[p].lang == col->lang) {
                form_csv_report(L, KS_OK, sh, 1, col->header,
                                "duplicate column \"%s\"; the first one is used", col->header);
                col->role = FORM_CSV_ROLE_OTHER;
                mapped = false;
            }
        }
        mapped = col->role != FORM_CSV_ROLE_OTHER && col->role != FORM_CSV_ROLE_UNSUPPORTED;
        if (mapped && col->role < FORM_CSV_ROLE_LABEL)
            s->scalar[col->role] = c;
    }
}

/* Plain label columns make an unnamed language (as do forms without any
 * language column); otherwise a plain hint, image or title serves every
 * language that has none of its own. */
void form_csv_header_resolve_plain(FormCsvLoader *L)
{
    bool plain_label = false;
    for (int sh = 0; sh < FORM_CSV_SHEETS; sh++)
        for (int c = 0; c < L->sheets[sh].n_cols; c++)
            plain_label = plain_label || (L->sheets[sh].cols[c].role == FORM_CSV_ROLE_LABEL &&
                                          L->sheets[sh].cols[c].lang == FORM_CSV_LANG_PLAIN);
    int target = FORM_CSV_LANG_ALL;
    if (plain_label || L->f->n_langs == 0) {
        char none[] = "";
        target = form_csv_header_add_lang(L, FORM_CSV_SURVEY, "label", none);
    }
    for (int sh = 0; sh < FORM_CSV_SHEETS; sh++) {
        for (int c = 0; c < L->sheets[sh].n_cols; c++) {
            FormCsvCol *col = &L->sheets[sh].cols[c];
            if (col->lang == FORM_CSV_LANG_PLAIN)
                col->lang = target;
            if (col->lang == -1 && col->role >= FORM_CSV_ROLE_LABEL)
                col->role = FORM_CSV_ROLE_OTHER;
        }
    }
}

