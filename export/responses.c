/* responses: the responses table from stored answers (see responses.h).
 * Column names are the question names; a name two forms use for different
 * things (another type or other choices) becomes <form>_<name> in every
 * form, so no column ever mixes two meanings. */
#include "responses.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../firmware/core/mem.h"

/* One column a form contributes, before names are settled. */
typedef struct {
    int form, question, choice; /* choice -1: the question itself */
    DatasetKind kind;
    char name[72];
    int col; /* index in the table once added */
} ResponsesSpec;

static const char *const RESPONSES_FIXED[RESPONSES_FIXED_COLS][3] = {
    {"response_id", "Zufallskennung der Antwort (nur in diesem Export gültig)", NULL},
    {"form", "Formular", "form_id aus den Einstellungen des Formulars"},
    {"form_version", "Version des Formulars", NULL},
    {"site_code", "Standort (km2-Netzwerk) des Kiosks",
     "site_code aus den Einstellungen des Kiosks; im ganzen Export gleich, leer, wenn nicht "
     "eingestellt"},
    {"lang", "Sprache, in der geantwortet wurde (Sprachcode)", NULL},
    {"audience", "Zielgruppe des Formulars (child, youth, parent, professional)", NULL},
    {"period", "Zeitraum des Abschlusses (vergröbert)",
     "Leer, wenn die Uhr des Kiosks zweifelhaft war (clock_doubt = 1)"},
    {"clock_doubt", "Uhr des Kiosks zweifelhaft",
     "1 = aufgenommen, während die Uhr des Kiosks vor der zuletzt bekannten Zeit stand (ohne "
     "Batterie-Uhr nach einem Stromausfall); der Zeitraum ist dann leer"},
};
/* The one fixed column that is not text. */
#define RESPONSES_COL_CLOCK_DOUBT 7

bool responses_has_columns(FormQType t)
{
    switch (t) {
    case FORM_Q_SELECT_ONE:
    case FORM_Q_SELECT_MULTIPLE:
    case FORM_Q_INTEGER:
    case FORM_Q_DECIMAL:
    case FORM_Q_RANGE:
    case FORM_Q_RANK:
    case FORM_Q_ACKNOWLEDGE:
        return true;
    case FORM_Q_NOTE:
    case FORM_Q_TEXT:
    case FORM_Q_CALCULATE:
    case FORM_Q_DRAW:
        break;
    }
    return false;
}

static DatasetKind responses_kind(const FormQuestion *q)
{
    switch (q->type) {
    case FORM_Q_SELECT_ONE:
        return DATASET_CATEGORY;
    case FORM_Q_SELECT_MULTIPLE:
    case FORM_Q_ACKNOWLEDGE:
        return DATASET_BINARY;
    case FORM_Q_INTEGER:
    case FORM_Q_RANK:
        return DATASET_INTEGER;
    case FORM_Q_RANGE:
        return q->range_start == floor(q->range_start) && q->range_step == floor(q->range_step)
                   ? DATASET_INTEGER
                   : DATASET_NUMBER;
    default:
        return DATASET_NUMBER;
    }
}

/* Whether two specs may share one column. */
static bool responses_compatible(const Form *const *forms, const ResponsesSpec *a,
                                 const ResponsesSpec *b)
{
    const FormQuestion *qa = form_question(forms[a->form], a->question);
    const FormQuestion *qb = form_question(forms[b->form], b->question);
    if (a->kind != b->kind || qa->type != qb->type || (a->choice < 0) != (b->choice < 0))
        return false;
    if (!qa->list || !qb->list)
        return !qa->list && !qb->list;
    if (qa->list->n_choices != qb->list->n_choices)
        return false;
    for (int i = 0; i < qa->list->n_choices; i++)
        if (strcmp(qa->list->choices[i].name, qb->list->choices[i].name) != 0)
            return false;
    return true;
}

static void responses_column_text(const Form *f, const FormQuestion *q, int choice, char **title,
                                  char **desc)
{
    int lang = form_default_lang(f);
    const char *label = form_text(f, &q->label, lang);
    if (!label[0])
        label = q->name;
    char buf[1024];
    *desc = NULL;
    if (choice < 0) {
        *title = xstrdup(label);
        if (q->type == FORM_Q_ACKNOWLEDGE)
            *desc = xstrdup("Bestätigung: 1 = bestätigt");
        else if (q->type == FORM_Q_RANGE) {
            snprintf(buf, sizeof buf, "Skala von %g bis %g in Schritten von %g", q->range_start,
                     q->range_end, q->range_step);
            *desc = xstrdup(buf);
        }
        return;
    }
    const char *cl = form_text(f, &q->list->choices[choice].label, lang);
    snprintf(buf, sizeof buf, "%s: %s", label, cl[0] ? cl : q->list->choices[choice].name);
    *title = xstrdup(buf);
    if (q->type == FORM_Q_RANK)
        snprintf(buf, sizeof buf, "Rangfolge `%s`: Platz von „%s“ (1 = zuerst)", q->name,
                 q->list->choices[choice].name);
    else
        snprintf(buf, sizeof buf, "Mehrfachauswahl `%s`: 1 = „%s“ gewählt", q->name,
                 q->list->choices[choice].name);
    *desc = xstrdup(buf);
}

/* Collects the specs of every form, with their final names. */
static ResponsesSpec *responses_specs(const Form *const *forms, int n_forms, int *n_out)
{
    int n = 0, cap = 64;
    ResponsesSpec *s = xmalloc((size_t)cap * sizeof *s);
    for (int f = 0; f < n_forms; f++) {
        for (int q = 0; q < form_question_count(forms[f]); q++) {
            const FormQuestion *fq = form_question(forms[f], q);
            if (!responses_has_columns(fq->type))
                continue;
            bool per_choice =
                (fq->type == FORM_Q_SELECT_MULTIPLE || fq->type == FORM_Q_RANK) && fq->list;
            int n_choices = per_choice ? fq->list->n_choices : 1;
            for (int c = 0; c < n_choices; c++) {
                if (n == cap) {
                    cap *= 2;
                    s = xrealloc(s, (size_t)cap * sizeof *s);
                }
                ResponsesSpec *sp = &s[n++];
                sp->form = f;
                sp->question = q;
                sp->choice = per_choice ? c : -1;
                sp->kind = responses_kind(fq);
                sp->col = -1;
                char raw[160];
                if (per_choice)
                    snprintf(raw, sizeof raw, "%s_%s", fq->name, fq->list->choices[c].name);
                else
                    snprintf(raw, sizeof raw, "%s", fq->name);
                dataset_safe_name(raw, sp->name, sizeof sp->name);
            }
        }
    }
    /* A clash with a batch column or an incompatible namesake in another
     * form puts the form id in front, for every spec of that name. */
    bool *prefix = xcalloc((size_t)(n ? n : 1), sizeof *prefix);
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < RESPONSES_FIXED_COLS; j++)
            prefix[i] |= strcasecmp(s[i].name, RESPONSES_FIXED[j][0]) == 0;
        for (int j = 0; j < n; j++) {
            if (j == i || strcasecmp(s[i].name, s[j].name) != 0)
                continue;
            if (s[i].form == s[j].form || !responses_compatible(forms, &s[i], &s[j]))
                prefix[i] = true;
        }
    }
    for (int i = 0; i < n; i++) {
        if (!prefix[i])
            continue;
        char raw[160];
        snprintf(raw, sizeof raw, "%s_%s", form_id(forms[s[i].form]), s[i].name);
        dataset_safe_name(raw, s[i].name, sizeof s[i].name);
    }
    free(prefix);
    /* Still the same name within one form ("orte_park" beside choice park
     * of "orte", or a name cut at 64 bytes): number the later ones. SPSS
     * names ignore case, so these comparisons do too. */
    for (int i = 0; i < n; i++) {
        char base[sizeof s[i].name];
        memcpy(base, s[i].name, sizeof base);
        for (int j = 0, seq = 2; j < i; j++) {
            if (s[j].form != s[i].form || strcasecmp(s[i].name, s[j].name) != 0)
                continue;
            char raw[160];
            snprintf(raw, sizeof raw, "%.56s_%d", base, seq++);
            dataset_safe_name(raw, s[i].name, sizeof s[i].name);
            j = -1; /* check the new name against all earlier ones */
        }
    }
    *n_out = n;
    return s;
}

/* Position (1-based) of word in a space-separated list, 0 when absent. */
static int responses_word_pos(const char *list, const char *word)
{
    size_t n = strlen(word);
    int pos = 0;
    for (const char *p = list; *p;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        const char *e = strchr(p, ' ');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        pos++;
        if (len == n && strncmp(p, word, n) == 0)
            return pos;
        p += len;
    }
    return 0;
}

static void responses_fill(DatasetTable *t, int row, const ResponsesSpec *sp, const Form *f,
                           const char *answer)
{
    const FormQuestion *q = form_question(f, sp->question);
    char buf[16];
    if (!answer || !answer[0])
        return;
    switch (q->type) {
    case FORM_Q_SELECT_ONE:
        /* a choice the current form no longer has stays out (CSV and SAV
         * must agree) */
        if (q->list) {
            for (int i = 0; i < q->list->n_choices; i++)
                if (strcmp(q->list->choices[i].name, answer) == 0)
                    dataset_table_set(t, row, sp->col, answer);
        }
        break;
    case FORM_Q_SELECT_MULTIPLE:
        dataset_table_set(t, row, sp->col,
                          responses_word_pos(answer, q->list->choices[sp->choice].name) ? "1"
                                                                                        : "0");
        break;
    case FORM_Q_RANK: {
        int pos = responses_word_pos(answer, q->list->choices[sp->choice].name);
        if (pos) {
            snprintf(buf, sizeof buf, "%d", pos);
            dataset_table_set(t, row, sp->col, buf);
        }
        break;
    }
    case FORM_Q_ACKNOWLEDGE:
        dataset_table_set(t, row, sp->col, "1");
        break;
    default:
        dataset_table_set(t, row, sp->col, answer);
        break;
    }
}

/* Appends ", id" to a column's list of forms unless it is there. */
static void responses_add_form(DatasetColumn *c, const char *id)
{
    if (!c->forms) {
        c->forms = xstrdup(id);
        return;
    }
    size_t n = strlen(c->forms);
    const char *last = strrchr(c->forms, ' ');
    if (strcmp(last ? last + 1 : c->forms, id) == 0)
        return;
    c->forms = xrealloc(c->forms, n + strlen(id) + 3);
    snprintf(c->forms + n, strlen(id) + 3, ", %s", id);
}

/* Gives a new column the form's categories: code i + 1 for choice i,
 * labelled in the form's default language. */
static void responses_add_categories(DatasetTable *t, int c, const Form *f, const FormList *list)
{
    int lang = form_default_lang(f);
    for (int i = 0; list && i < list->n_choices; i++)
        dataset_table_add_category(t, c, i + 1, list->choices[i].name,
                                   form_text(f, &list->choices[i].label, lang));
}

DatasetTable *responses_build(const ResponsesBatch *b)
{
    const Form *const *forms = b->forms;
    DatasetTable *t = dataset_table_create("responses", "Antworten, eine Zeile je Befragung");
    for (int j = 0; j < RESPONSES_FIXED_COLS; j++)
        dataset_table_add_column(t, RESPONSES_FIXED[j][0], RESPONSES_FIXED[j][1],
                                 RESPONSES_FIXED[j][2],
                                 j == RESPONSES_COL_CLOCK_DOUBT ? DATASET_BINARY : DATASET_STRING);
    int n_specs = 0;
    ResponsesSpec *specs = responses_specs(forms, b->n_forms, &n_specs);
    for (int i = 0; i < n_specs; i++) {
        ResponsesSpec *sp = &specs[i];
        const Form *f = forms[sp->form];
        const FormQuestion *q = form_question(f, sp->question);
        int c = dataset_table_find(t, sp->name);
        if (c < 0) {
            char *title = NULL, *desc = NULL;
            responses_column_text(f, q, sp->choice, &title, &desc);
            c = dataset_table_add_column(t, sp->name, title, desc, sp->kind);
            free(title);
            free(desc);
            if (sp->kind == DATASET_CATEGORY)
                responses_add_categories(t, c, f, q->list);
            DatasetColumn *col = &t->cols[c];
            col->form_id = xstrdup(form_id(f));
            col->question = xstrdup(q->name);
        }
        DatasetColumn *col = &t->cols[c];
        responses_add_form(col, form_id(f));
        col->quasi_identifier |= q->quasi_identifier;
        if (b->suppressed && b->suppressed[sp->form])
            col->suppressed += b->suppressed[sp->form][sp->question];
        sp->col = c;
    }
    const char *site = b->site_code && b->site_code[0] ? b->site_code : NULL;
    DatasetColumn *lang_col = &t->cols[RESPONSES_COL_LANG];
    lang_col->quasi_identifier = b->qi_lang;
    for (int r = 0; r < b->n; r++) {
        const ResponsesRecord *rec = &b->recs[b->order[r]];
        int row = dataset_table_add_row(t);
        const char *fixed[RESPONSES_FIXED_COLS] = {b->ids[r],
                                                   form_id(forms[rec->form]),
                                                   rec->version,
                                                   site,
                                                   rec->lang_suppressed ? NULL : rec->lang,
                                                   rec->audience,
                                                   rec->period[0] ? rec->period : NULL,
                                                   rec->clock_doubt ? "1" : "0"};
        for (int j = 0; j < RESPONSES_FIXED_COLS; j++)
            dataset_table_set(t, row, j, fixed[j]);
        lang_col->suppressed += rec->lang_suppressed;
        for (int i = 0; i < n_specs; i++)
            if (specs[i].form == rec->form)
                responses_fill(t, row, &specs[i], forms[rec->form],
                               rec->answers[specs[i].question]);
    }
    free(specs);
    return t;
}
