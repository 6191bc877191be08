/* form_load_settings: the settings sheet — form id, version, default
 * language, audience and titles — read into the form after the survey and
 * choices, and the one setting the choices need first. */
#include "../core/arena.h"
#include "../core/str.h"
#include "form_load_private.h"

/* The settings row is the first non-blank row under the header. */
static int form_load_settings_row(const FormLoader *L)
{
    const FormSheet *s = &L->sheets[FORM_SHEET_SETTINGS];
    for (int r = 1; s->present && r < csv_rows(s->table); r++)
        if (!form_load_row_blank(L, FORM_SHEET_SETTINGS, r))
            return r;
    return -1;
}

static const char *form_load_setting(FormLoader *L, int row, FormColRole role)
{
    const FormSheet *s = &L->sheets[FORM_SHEET_SETTINGS];
    if (row < 0 || s->scalar[role] < 0)
        return "";
    return form_load_value(L, FORM_SHEET_SETTINGS, row, s->scalar[role]);
}

static void form_load_default_lang(FormLoader *L, int row, const char *v)
{
    Form *f = L->f;
    FormLang want;
    char *spec = arena_strdup(L->tmp, v);
    form_load_header_split_lang(spec, &want);
    for (int i = 0; i < f->n_langs; i++) {
        if (str_eq_nocase(f->langs[i].code, want.code) || str_eq_nocase(f->langs[i].name, v) ||
            str_eq_nocase(f->langs[i].code, v) || str_eq_nocase(f->langs[i].name, want.name)) {
            f->default_lang = i;
            return;
        }
    }
    /* Plain `label` columns are written in the default language: name it. */
    int plain = form_load_header_find_lang(f, &(FormLang){.code = ""});
    if (plain >= 0) {
        f->langs[plain] = want;
        f->default_lang = plain;
        return;
    }
    const FormSheet *s = &L->sheets[FORM_SHEET_SETTINGS];
    const char *col = s->cols[s->scalar[FORM_COL_DEFAULT_LANGUAGE]].header;
    form_load_report(
        L, KS_OK, FORM_SHEET_SETTINGS, form_load_row_number(L, FORM_SHEET_SETTINGS, row), col,
        "default_language \"%s\" is not a language of the form; using %s", v, f->langs[0].name);
}

void form_load_early_settings(FormLoader *L)
{
    const char *v = form_load_setting(L, form_load_settings_row(L), FORM_COL_ALLOW_DUPLICATES);
    L->allow_duplicates = str_eq_nocase(v, "yes") || str_eq_nocase(v, "true");
}

void form_load_apply_settings(FormLoader *L)
{
    Form *f = L->f;
    const FormSheet *s = &L->sheets[FORM_SHEET_SETTINGS];
    int row = form_load_settings_row(L);
    int rn = row >= 0 ? form_load_row_number(L, FORM_SHEET_SETTINGS, row) : 0;
    const char *id = form_load_setting(L, row, FORM_COL_FORM_ID);
    if (!id[0]) {
        id = L->default_id;
        form_load_report(L, KS_OK, FORM_SHEET_SETTINGS, rn, "form_id",
                         "there is no form_id; the form is called \"%s\" after its file", id);
    }
    f->id = arena_strdup(f->arena, id);
    const char *version = form_load_setting(L, row, FORM_COL_VERSION);
    if (!version[0])
        form_load_report(L, KS_OK, FORM_SHEET_SETTINGS, rn, "version",
                         "there is no version; \"1\" is used. Give each changed form a new "
                         "version: the kiosk refuses changed content under an old version");
    f->version = arena_strdup(f->arena, version[0] ? version : "1");
    const char *lang = form_load_setting(L, row, FORM_COL_DEFAULT_LANGUAGE);
    if (lang[0] && f->n_langs > 0)
        form_load_default_lang(L, row, lang);
    const char *aud = form_load_setting(L, row, FORM_COL_AUDIENCE);
    /* Without an audience the form gets the children's large targets:
     * they serve every reader. */
    int audience = aud[0] ? form_audience_of(aud) : FORM_AUDIENCE_CHILD;
    if (audience >= 0)
        f->audience = (FormAudience)audience;
    else
        form_load_report(L, KS_ERR_INVALID, FORM_SHEET_SETTINGS, rn,
                         s->cols[s->scalar[FORM_COL_AUDIENCE]].header,
                         "the audience \"%s\" is not known: write child (children, the "
                         "largest targets), youth, parent or professional (educators and "
                         "leaders)",
                         aud);
    const char *plain_title = NULL;
    for (int c = 0; c < s->n_cols && row >= 0; c++) {
        if (s->cols[c].role != FORM_COL_FORM_TITLE)
            continue;
        char *v = form_load_value(L, FORM_SHEET_SETTINGS, row, c);
        if (!v[0])
            continue;
        if (s->cols[c].lang == FORM_LANG_ALL)
            plain_title = arena_strdup(f->arena, v);
        else if (s->cols[c].lang >= 0)
            f->title.s[s->cols[c].lang] = arena_strdup(f->arena, v);
    }
    /* A plain form_title speaks for every language without its own. */
    for (int i = 0; i < f->n_langs; i++)
        if (!f->title.s[i] && plain_title)
            f->title.s[i] = plain_title;
    if (!form_text(f, &f->title, f->default_lang)[0])
        f->title.s[f->default_lang] = f->id;
}
