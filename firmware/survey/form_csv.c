/* form_csv: maps the CSV sheets of an XLSForm folder (survey, choices,
 * settings) onto the Form model: header names to roles and languages, rows to
 * questions and choice lists, and every problem to a located diagnostic. */
#include "form_csv.h"

#include <errno.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/log.h"
#include "../core/mem.h"
#include "../core/str.h"
#include "form_csv_private.h"

#define FORM_CSV_MAX_FILE (8u << 20)

/* Fixed order: it is also the order of the form_sha256 input. */
static const char *const form_csv_file_names[FORM_CSV_SHEETS] = {"settings.csv", "survey.csv",
                                                                 "choices.csv"};
static const char *const form_csv_sheet_names[FORM_CSV_SHEETS] = {"settings", "survey", "choices"};

void form_csv_report(FormCsvLoader *L, KsStatus st, FormCsvSheetId sh, int row, const char *col,
                     const char *fmt, ...)
{
    char msg[384];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    form_diag_add(L->diag, st != KS_OK, L->sheets[sh].path, form_csv_sheet_names[sh], row, col,
                  "%s", msg);
    if (st != KS_OK && L->fail == KS_OK)
        L->fail = st;
}

static KsStatus form_csv_read_file(const char *path, char **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return errno == ENOENT ? KS_ERR_NOT_FOUND : KS_ERR_IO;
    KsStatus st = KS_OK;
    size_t cap = 4096, n = 0;
    char *buf = xmalloc(cap);
    for (;;) {
        if (n == cap) {
            if (cap >= FORM_CSV_MAX_FILE) {
                st = KS_ERR_LIMIT;
                goto cleanup;
            }
            cap *= 2;
            buf = xrealloc(buf, cap);
        }
        size_t got = fread(buf + n, 1, cap - n, fp);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(fp))
        st = KS_ERR_IO;
cleanup:
    fclose(fp);
    if (st != KS_OK) {
        free(buf);
        return st;
    }
    *data = buf;
    *len = n;
    return KS_OK;
}

/* SHA-256 over settings, survey, choices in that order, each preceded by its
 * file name, a NUL byte and its length as 8 big-endian bytes. */
static void form_csv_hash(FormCsvLoader *L)
{
    crypto_hash_sha256_state h;
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_init(&h);
    for (int i = 0; i < FORM_CSV_SHEETS; i++) {
        const FormCsvSheet *s = &L->sheets[i];
        unsigned char len8[8];
        uint64_t n = s->len;
        for (int b = 7; b >= 0; b--, n >>= 8)
            len8[b] = (unsigned char)(n & 0xFF);
        crypto_hash_sha256_update(&h, (const unsigned char *)form_csv_file_names[i],
                                  strlen(form_csv_file_names[i]) + 1);
        crypto_hash_sha256_update(&h, len8, sizeof len8);
        if (s->len)
            crypto_hash_sha256_update(&h, (const unsigned char *)s->data, s->len);
    }
    crypto_hash_sha256_final(&h, digest);
    sodium_bin2hex(L->f->sha256, sizeof L->f->sha256, digest, sizeof digest);
}

char *form_csv_value(FormCsvLoader *L, FormCsvSheetId sh, int row, int col)
{
    if (col < 0)
        return arena_strdup(L->tmp, "");
    return str_trim(arena_strdup(L->tmp, csv_cell(L->sheets[sh].table, row, col)));
}

static bool form_csv_row_blank(const CsvTable *t, int row)
{
    for (int c = 0; c < csv_cols(t, row); c++)
        for (const char *p = csv_cell(t, row, c); *p; p++)
            if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
                return false;
    return true;
}

static void form_csv_fill_all(const Form *f, FormText *t, const char *v)
{
    for (int i = 0; i < f->n_langs; i++)
        if (!t->s[i])
            t->s[i] = v;
}

/* Reads the language columns of one row into label/hint/image texts, and
 * refuses cells in columns whose meaning the kiosk cannot honour. */
static void form_csv_read_texts(FormCsvLoader *L, FormCsvSheetId sh, int row, FormText *label,
                                FormText *hint, FormText *image)
{
    FormCsvSheet *s = &L->sheets[sh];
    FormText all_label = {{NULL}}, all_hint = {{NULL}}, all_image = {{NULL}};
    for (int c = 0; c < s->n_cols; c++) {
        const FormCsvCol *col = &s->cols[c];
        if (col->role != FORM_CSV_ROLE_UNSUPPORTED && col->role < FORM_CSV_ROLE_LABEL)
            continue;
        /* Plain columns are read into slot 0 of a scratch text, then spread. */
        int lang = col->lang == FORM_CSV_LANG_ALL ? 0 : col->lang;
        FormText *lt = col->lang == FORM_CSV_LANG_ALL ? &all_label : label;
        FormText *ht = col->lang == FORM_CSV_LANG_ALL ? &all_hint : hint;
        FormText *it = col->lang == FORM_CSV_LANG_ALL ? &all_image : image;
        char *v = form_csv_value(L, sh, row, c);
        if (!v[0])
            continue;
        if (col->role == FORM_CSV_ROLE_UNSUPPORTED) {
            form_csv_report(L, KS_ERR_UNSUPPORTED, sh, row + 1, col->header,
                            "column \"%s\" is not supported by the kiosk yet", col->header);
        } else if (col->role == FORM_CSV_ROLE_LABEL && label) {
            lt->s[lang] = arena_strdup(L->f->arena, v);
        } else if (col->role == FORM_CSV_ROLE_HINT && hint) {
            ht->s[lang] = arena_strdup(L->f->arena, v);
        } else if (col->role == FORM_CSV_ROLE_IMAGE && image) {
            bool escapes = v[0] == '/' || strcmp(v, "..") == 0 || strncmp(v, "../", 3) == 0 ||
                           strstr(v, "/../") ||
                           (strlen(v) >= 3 && !strcmp(v + strlen(v) - 3, "/.."));
            if (escapes) {
                form_csv_report(L, KS_ERR_INVALID, sh, row + 1, col->header,
                                "image path \"%s\" must stay inside the form folder", v);
                continue;
            }
            size_t n = strlen(L->dir) + 1 + strlen(v) + 1;
            char *p = arena_alloc(L->f->arena, n);
            snprintf(p, n, "%s/%s", L->dir, v);
            /* A bare file name that the form folder does not hold names a
             * picture of the kiosk's own library (assets/icons), so forms can
             * use the shipped pictograms without copying them. */
            if (!strchr(v, '/') && access(p, R_OK) != 0)
                p = arena_strdup(L->f->arena, v);
            it->s[lang] = p;
        }
    }
    if (label && all_label.s[0])
        form_csv_fill_all(L->f, label, all_label.s[0]);
    if (hint && all_hint.s[0])
        form_csv_fill_all(L->f, hint, all_hint.s[0]);
    if (image && all_image.s[0])
        form_csv_fill_all(L->f, image, all_image.s[0]);
}

/* Warns about languages that have a label column but no text in this row. */
static void form_csv_check_labels(FormCsvLoader *L, FormCsvSheetId sh, int row, const char *what,
                                  const char *name, const FormText *label, const FormText *image)
{
    const FormCsvSheet *s = &L->sheets[sh];
    bool any = false;
    for (int i = 0; i < FORM_MAX_LANGS; i++)
        any = any || (label->s[i] != NULL) || (image->s[i] != NULL);
    if (!any) {
        form_csv_report(L, KS_OK, sh, row + 1, NULL, "%s \"%s\" has no label and no image", what,
                        name);
        return;
    }
    for (int c = 0; c < s->n_cols; c++) {
        const FormCsvCol *col = &s->cols[c];
        if (col->role == FORM_CSV_ROLE_LABEL && col->lang >= 0 && !label->s[col->lang] &&
            !image->s[col->lang])
            form_csv_report(L, KS_OK, sh, row + 1, col->header,
                            "%s \"%s\" has no label in %s; another language is shown", what,
                            name, L->f->langs[col->lang].name);
    }
}

static bool form_csv_name_ok(const char *n)
{
    const unsigned char *p = (const unsigned char *)n;
    if (!(*p == '_' || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p >= 0x80))
        return false;
    for (p++; *p; p++) {
        bool ok = *p == '_' || *p == '-' || *p == '.' || (*p >= '0' && *p <= '9') ||
                  (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p >= 0x80;
        if (!ok)
            return false;
    }
    return true;
}

typedef struct {
    int list;
    int row;
    FormChoice choice;
} FormCsvChoiceRow;

static void form_csv_build_lists(FormCsvLoader *L)
{
    FormCsvSheet *s = &L->sheets[FORM_CSV_CHOICES];
    int rows = csv_rows(s->table);
    if (!s->present || rows < 2)
        return;
    int c_list = s->scalar[FORM_CSV_ROLE_LIST_NAME], c_name = s->scalar[FORM_CSV_ROLE_NAME];
    if (c_list < 0 || c_name < 0) {
        form_csv_report(L, KS_ERR_INVALID, FORM_CSV_CHOICES, 1, NULL,
                        "the choices sheet needs the columns list_name and name");
        return;
    }
    FormCsvChoiceRow *items = arena_alloc(L->tmp, (size_t)rows * sizeof *items);
    const char **names = arena_alloc(L->tmp, (size_t)rows * sizeof *names);
    int n_items = 0, n_lists = 0;
    for (int r = 1; r < rows; r++) {
        if (form_csv_row_blank(s->table, r))
            continue;
        char *list = form_csv_value(L, FORM_CSV_CHOICES, r, c_list);
        char *name = form_csv_value(L, FORM_CSV_CHOICES, r, c_name);
        if (!list[0] || !name[0]) {
            form_csv_report(L, KS_ERR_INVALID, FORM_CSV_CHOICES, r + 1,
                            s->cols[list[0] ? c_name : c_list].header, "missing %s",
                            list[0] ? "choice name" : "list name");
            continue;
        }
        int l = 0;
        while (l < n_lists && strcmp(names[l], list) != 0)
            l++;
        if (l == n_lists)
            names[n_lists++] = list;
        FormCsvChoiceRow *it = &items[n_items];
        memset(it, 0, sizeof *it);
        it->list = l;
        it->row = r + 1;
        bool dup = false;
        for (int j = 0; j < n_items && !dup; j++) {
            if (items[j].list == l && strcmp(items[j].choice.name, name) == 0) {
                form_csv_report(L, KS_ERR_INVALID, FORM_CSV_CHOICES, r + 1,
                                s->cols[c_name].header,
                                "duplicate choice \"%s\" in list \"%s\" (first on row %d)", name,
                                list, items[j].row);
                dup = true;
            }
        }
        if (dup)
            continue;
        it->choice.name = arena_strdup(L->f->arena, name);
        form_csv_read_texts(L, FORM_CSV_CHOICES, r, &it->choice.label, NULL, &it->choice.image);
        form_csv_check_labels(L, FORM_CSV_CHOICES, r, "choice", name, &it->choice.label,
                              &it->choice.image);
        n_items++;
    }
    Form *f = L->f;
    f->lists = arena_alloc(f->arena, (size_t)(n_lists ? n_lists : 1) * sizeof *f->lists);
    f->n_lists = n_lists;
    for (int l = 0; l < n_lists; l++) {
        FormList *fl = &f->lists[l];
        fl->name = arena_strdup(f->arena, names[l]);
        for (int j = 0; j < n_items; j++)
            fl->n_choices += items[j].list == l;
        FormChoice *ch = arena_alloc(f->arena, (size_t)(fl->n_choices + 1) * sizeof *ch);
        int k = 0;
        for (int j = 0; j < n_items; j++)
            if (items[j].list == l)
                ch[k++] = items[j].choice;
        fl->choices = ch;
    }
}

static const FormList *form_csv_find_list(const Form *f, const char *name)
{
    for (int i = 0; i < f->n_lists; i++)
        if (strcmp(f->lists[i].name, name) == 0)
            return &f->lists[i];
    return NULL;
}

/* Parses the type cell; false (with a diagnostic) when the kiosk cannot ask it. */
static bool form_csv_parse_type(FormCsvLoader *L, int row, const char *header, char *type,
                                FormQuestion *q)
{
    char *words[3] = {NULL, NULL, NULL};
    int n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(type, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save))
        if (n < 3)
            words[n++] = tok;
        else
            n = 4;
    if (n == 0) {
        form_csv_report(L, KS_ERR_INVALID, FORM_CSV_SURVEY, row, header, "missing question type");
        return false;
    }
    bool one = str_eq_nocase(words[0], "select_one");
    if (one || str_eq_nocase(words[0], "select_multiple")) {
        if (n == 1) {
            form_csv_report(L, KS_ERR_INVALID, FORM_CSV_SURVEY, row, header,
                            "%s needs a list name", words[0]);
            return false;
        }
        if (n > 2) {
            form_csv_report(L, KS_ERR_UNSUPPORTED, FORM_CSV_SURVEY, row, header,
                            "\"%s %s %s\": only \"%s LIST\" is supported", words[0], words[1],
                            words[2], words[0]);
            return false;
        }
        q->type = one ? FORM_Q_SELECT_ONE : FORM_Q_SELECT_MULTIPLE;
        q->list = form_csv_find_list(L->f, words[1]);
        if (!q->list) {
            form_csv_report(L, KS_ERR_INVALID, FORM_CSV_SURVEY, row, header,
                            "list \"%s\" not found in choices.csv", words[1]);
            return false;
        }
        if (q->list->n_choices == 0) {
            form_csv_report(L, KS_ERR_INVALID, FORM_CSV_SURVEY, row, header,
                            "list \"%s\" has no choices", words[1]);
            return false;
        }
        return true;
    }
    if (str_eq_nocase(words[0], "note") && n == 1) {
        q->type = FORM_Q_NOTE;
        return true;
    }
    form_csv_report(L, KS_ERR_UNSUPPORTED, FORM_CSV_SURVEY, row, header,
                    "unknown question type \"%s\" (the kiosk supports select_one LIST, "
                    "select_multiple LIST and note)",
                    words[0]);
    return false;
}

static bool form_csv_parse_required(FormCsvLoader *L, int row, const char *header, const char *v)
{
    static const char *const yes[] = {"yes", "true", "1", "true()"};
    static const char *const no[] = {"", "no", "false", "0", "false()"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        if (str_eq_nocase(v, yes[i]))
            return true;
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        if (str_eq_nocase(v, no[i]))
            return false;
    form_csv_report(L, KS_ERR_UNSUPPORTED, FORM_CSV_SURVEY, row, header,
                    "required \"%s\" is not supported (write yes or no)", v);
    return false;
}

static unsigned form_csv_parse_appearance(FormCsvLoader *L, int row, const char *header, char *v)
{
    static const struct {
        const char *word;
        unsigned flag;
    } words[] = {
        {"faces", FORM_APP_FACES},   {"columns", FORM_APP_COLUMNS},
        {"no-buttons", FORM_APP_NO_BUTTONS}, {"likert", FORM_APP_LIKERT},
        {"quick", FORM_APP_QUICK},   {"yes-no", FORM_APP_YES_NO},
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
        if (!flag)
            form_csv_report(L, KS_OK, FORM_CSV_SURVEY, row, header,
                            "appearance \"%s\" is not known to the kiosk and is ignored", w);
        flags |= flag;
    }
    return flags;
}

static void form_csv_build_questions(FormCsvLoader *L)
{
    FormCsvSheet *s = &L->sheets[FORM_CSV_SURVEY];
    int rows = csv_rows(s->table);
    int c_type = s->scalar[FORM_CSV_ROLE_TYPE], c_name = s->scalar[FORM_CSV_ROLE_NAME];
    if (c_type < 0 || c_name < 0) {
        form_csv_report(L, KS_ERR_INVALID, FORM_CSV_SURVEY, 1, NULL,
                        "the survey sheet needs the columns type and name");
        return;
    }
    Form *f = L->f;
    f->questions = arena_alloc(f->arena, (size_t)(rows > 0 ? rows : 1) * sizeof *f->questions);
    for (int r = 1; r < rows; r++) {
        if (form_csv_row_blank(s->table, r))
            continue;
        FormQuestion q;
        memset(&q, 0, sizeof q);
        q.row = r + 1;
        bool ok = form_csv_parse_type(L, r + 1, s->cols[c_type].header,
                                      form_csv_value(L, FORM_CSV_SURVEY, r, c_type), &q);
        char *name = form_csv_value(L, FORM_CSV_SURVEY, r, c_name);
        if (!form_csv_name_ok(name)) {
            form_csv_report(L, KS_ERR_INVALID, FORM_CSV_SURVEY, r + 1, s->cols[c_name].header,
                            name[0] ? "invalid question name \"%s\" (letters, digits, _ - .; "
                                      "starting with a letter or _)"
                                    : "missing question name%s",
                            name);
            ok = false;
        }
        for (int j = 0; j < f->n_questions && ok; j++) {
            if (strcmp(f->questions[j].name, name) == 0) {
                form_csv_report(L, KS_ERR_INVALID, FORM_CSV_SURVEY, r + 1,
                                s->cols[c_name].header,
                                "duplicate question name \"%s\" (first on row %d)", name,
                                f->questions[j].row);
                ok = false;
            }
        }
        int c_req = s->scalar[FORM_CSV_ROLE_REQUIRED], c_app = s->scalar[FORM_CSV_ROLE_APPEARANCE];
        if (c_req >= 0)
            q.required = form_csv_parse_required(L, r + 1, s->cols[c_req].header,
                                                 form_csv_value(L, FORM_CSV_SURVEY, r, c_req));
        if (c_app >= 0)
            q.appearance = form_csv_parse_appearance(
                L, r + 1, s->cols[c_app].header, form_csv_value(L, FORM_CSV_SURVEY, r, c_app));
        form_csv_read_texts(L, FORM_CSV_SURVEY, r, &q.label, &q.hint, &q.image);
        if (!ok)
            continue;
        form_csv_check_labels(L, FORM_CSV_SURVEY, r, "question", name, &q.label, &q.image);
        q.name = arena_strdup(f->arena, name);
        f->questions[f->n_questions++] = q;
    }
    if (f->n_questions == 0 && L->fail == KS_OK)
        form_csv_report(L, KS_ERR_INVALID, FORM_CSV_SURVEY, 0, NULL, "the form has no questions");
}

/* The settings row is the first non-blank row under the header. */
static int form_csv_settings_row(const FormCsvLoader *L)
{
    const FormCsvSheet *s = &L->sheets[FORM_CSV_SETTINGS];
    for (int r = 1; r < csv_rows(s->table); r++)
        if (!form_csv_row_blank(s->table, r))
            return r;
    return -1;
}

static const char *form_csv_setting(FormCsvLoader *L, int row, FormCsvRole role)
{
    const FormCsvSheet *s = &L->sheets[FORM_CSV_SETTINGS];
    if (row < 0 || s->scalar[role] < 0)
        return "";
    return form_csv_value(L, FORM_CSV_SETTINGS, row, s->scalar[role]);
}

static void form_csv_apply_default_lang(FormCsvLoader *L, int row, const char *v)
{
    Form *f = L->f;
    FormLang want;
    char *spec = arena_strdup(L->tmp, v);
    form_csv_header_split_lang(spec, &want);
    for (int i = 0; i < f->n_langs; i++) {
        if (str_eq_nocase(f->langs[i].code, want.code) || str_eq_nocase(f->langs[i].name, v) ||
            str_eq_nocase(f->langs[i].code, v) || str_eq_nocase(f->langs[i].name, want.name)) {
            f->default_lang = i;
            return;
        }
    }
    /* Plain `label` columns are written in the default language: name it. */
    int plain = form_csv_header_find_lang(f, &(FormLang){.code = ""});
    if (plain >= 0) {
        f->langs[plain] = want;
        f->default_lang = plain;
        return;
    }
    const FormCsvSheet *s = &L->sheets[FORM_CSV_SETTINGS];
    const char *col = s->cols[s->scalar[FORM_CSV_ROLE_DEFAULT_LANGUAGE]].header;
    form_csv_report(L, KS_OK, FORM_CSV_SETTINGS, row + 1, col,
                    "default_language \"%s\" is not a language of the form; using %s", v,
                    f->langs[0].name);
}

static void form_csv_apply_settings(FormCsvLoader *L)
{
    Form *f = L->f;
    const FormCsvSheet *s = &L->sheets[FORM_CSV_SETTINGS];
    int row = form_csv_settings_row(L);
    const char *id = form_csv_setting(L, row, FORM_CSV_ROLE_FORM_ID);
    if (!id[0]) {
        const char *end = L->dir + strlen(L->dir);
        while (end > L->dir && end[-1] == '/')
            end--;
        const char *start = end;
        while (start > L->dir && start[-1] != '/')
            start--;
        id = arena_strndup(L->tmp, start, (size_t)(end - start));
        form_csv_report(L, KS_OK, FORM_CSV_SETTINGS, row >= 0 ? row + 1 : 0, "form_id",
                        "no form_id; using the folder name \"%s\"", id);
    }
    f->id = arena_strdup(f->arena, id);
    const char *version = form_csv_setting(L, row, FORM_CSV_ROLE_VERSION);
    f->version = arena_strdup(f->arena, version[0] ? version : "1");
    const char *lang = form_csv_setting(L, row, FORM_CSV_ROLE_DEFAULT_LANGUAGE);
    if (lang[0])
        form_csv_apply_default_lang(L, row, lang);
    const char *aud = form_csv_setting(L, row, FORM_CSV_ROLE_AUDIENCE);
    if (!aud[0] || str_eq_nocase(aud, "child"))
        f->audience = FORM_AUDIENCE_CHILD;
    else if (str_eq_nocase(aud, "youth"))
        f->audience = FORM_AUDIENCE_YOUTH;
    else if (str_eq_nocase(aud, "parent"))
        f->audience = FORM_AUDIENCE_PARENT;
    else
        form_csv_report(L, KS_ERR_INVALID, FORM_CSV_SETTINGS, row + 1,
                        s->cols[s->scalar[FORM_CSV_ROLE_AUDIENCE]].header,
                        "unknown audience \"%s\" (child, youth or parent)", aud);
    const char *plain_title = NULL;
    for (int c = 0; c < s->n_cols && row >= 0; c++) {
        if (s->cols[c].role != FORM_CSV_ROLE_FORM_TITLE)
            continue;
        char *v = form_csv_value(L, FORM_CSV_SETTINGS, row, c);
        if (!v[0])
            continue;
        if (s->cols[c].lang == FORM_CSV_LANG_ALL)
            plain_title = arena_strdup(f->arena, v);
        else
            f->title.s[s->cols[c].lang] = arena_strdup(f->arena, v);
    }
    /* A plain form_title speaks for every language without its own. */
    for (int i = 0; i < f->n_langs; i++)
        if (!f->title.s[i] && plain_title)
            f->title.s[i] = plain_title;
    if (!f->title.s[f->default_lang] && !form_text(f, &f->title, f->default_lang)[0])
        f->title.s[f->default_lang] = f->id;
}

static void form_csv_open_sheet(FormCsvLoader *L, FormCsvSheetId sh)
{
    FormCsvSheet *s = &L->sheets[sh];
    size_t n = strlen(L->dir) + 1 + strlen(form_csv_file_names[sh]) + 1;
    s->path = arena_alloc(L->tmp, n);
    snprintf(s->path, n, "%s/%s", L->dir, form_csv_file_names[sh]);
    KsStatus st = form_csv_read_file(s->path, &s->data, &s->len);
    if (st == KS_ERR_NOT_FOUND && sh != FORM_CSV_SURVEY)
        return;
    if (st != KS_OK) {
        form_csv_report(L, st, sh, 0, NULL, "cannot read the file: %s", ks_status_str(st));
        return;
    }
    s->present = true;
}

static void form_csv_parse_sheet(FormCsvLoader *L, FormCsvSheetId sh)
{
    FormCsvSheet *s = &L->sheets[sh];
    char err[200];
    for (int r = 0; r < FORM_CSV_ROLE_COUNT; r++)
        s->scalar[r] = -1;
    if (!s->present)
        return;
    KsStatus st = csv_parse(s->data, s->len, &s->table, err, sizeof err);
    if (st != KS_OK) {
        form_csv_report(L, st == KS_ERR_LIMIT ? KS_ERR_LIMIT : KS_ERR_PARSE, sh, 0, NULL, "%s",
                        err);
        return;
    }
    form_csv_header_map(L, sh);
}

KsStatus form_csv_load(const char *dir, Form **out, FormDiag *diag)
{
    *out = NULL;
    FormCsvLoader L;
    memset(&L, 0, sizeof L);
    FormDiag *own_diag = diag ? NULL : form_diag_create();
    L.diag = diag ? diag : own_diag;
    L.f = form_create();
    L.tmp = arena_create(0);
    size_t dir_len = strlen(dir);
    while (dir_len > 1 && dir[dir_len - 1] == '/')
        dir_len--;
    L.dir = arena_strndup(L.tmp, dir, dir_len);
    if (sodium_init() < 0) {
        LOG_ERROR("libsodium failed to initialise");
        L.fail = KS_ERR_STATE;
        goto cleanup;
    }
    for (int i = 0; i < FORM_CSV_SHEETS; i++)
        form_csv_open_sheet(&L, (FormCsvSheetId)i);
    if (L.fail != KS_OK)
        goto cleanup;
    form_csv_hash(&L);
    L.f->source = arena_strdup(L.f->arena, L.dir);
    /* Survey first so its languages come first, as the author ordered them. */
    form_csv_parse_sheet(&L, FORM_CSV_SURVEY);
    form_csv_parse_sheet(&L, FORM_CSV_CHOICES);
    form_csv_parse_sheet(&L, FORM_CSV_SETTINGS);
    if (L.fail != KS_OK)
        goto cleanup;
    form_csv_header_resolve_plain(&L);
    form_csv_build_lists(&L);
    form_csv_build_questions(&L);
    form_csv_apply_settings(&L);
cleanup:
    for (int i = 0; i < FORM_CSV_SHEETS; i++) {
        csv_destroy(L.sheets[i].table);
        free(L.sheets[i].data);
    }
    arena_destroy(L.tmp);
    form_diag_destroy(own_diag);
    if (L.fail != KS_OK) {
        form_destroy(L.f);
        return L.fail;
    }
    *out = L.f;
    return KS_OK;
}
