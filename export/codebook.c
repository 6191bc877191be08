/* codebook: German markdown from the dataset schema (see codebook.h).
 * Markdown table cells escape '|' and line breaks; nothing else. */
#include "codebook.h"

#include <stdio.h>
#include <string.h>

#include "../firmware/core/log.h"
#include "../firmware/core/str.h"

static void codebook_cell(FILE *f, const char *s)
{
    for (const char *p = s ? s : ""; *p; p++) {
        if (*p == '|')
            fputs("\\|", f);
        else if (*p == '\r' || *p == '\n')
            fputc(' ', f);
        else
            fputc(*p, f);
    }
}

/* The codebook's name of each column kind. */
static const char *const CODEBOOK_TYPES[] = {"Text", "Ganzzahl", "Dezimalzahl", "Kategorie", "0/1"};
_Static_assert(STR_COUNT(CODEBOOK_TYPES) == DATASET_BINARY + 1, "a name for every kind");

static const char *codebook_type(DatasetKind k)
{
    return str_name_of(CODEBOOK_TYPES, STR_COUNT(CODEBOOK_TYPES), (int)k, "Text");
}

static void codebook_values(FILE *f, const DatasetColumn *c)
{
    if (c->kind == DATASET_CATEGORY && c->n_cats > 0) {
        for (int i = 0; i < c->n_cats; i++) {
            const DatasetCategory *dc = &c->cats[i];
            fprintf(f, "%s`", i ? "<br>" : "");
            codebook_cell(f, dc->name);
            fprintf(f, "` (SPSS %d) = ", dc->code);
            codebook_cell(f, dc->label);
        }
    } else if (c->kind == DATASET_BINARY) {
        fputs(c->question ? "0 = nicht gewählt<br>1 = gewählt" : "0 = nein<br>1 = ja", f);
    }
}

static bool codebook_has_form(const DatasetColumn *c, const char *form_id)
{
    if (!c->forms)
        return false;
    size_t n = strlen(form_id);
    for (const char *p = c->forms; (p = strstr(p, form_id)) != NULL; p += n) {
        bool start = p == c->forms || p[-1] == ' ';
        bool end = p[n] == '\0' || p[n] == ',';
        if (start && end)
            return true;
    }
    return false;
}

static void codebook_table(FILE *f, const DatasetTable *t, const char *form_id, int k, bool sav)
{
    fputs("| Spalte | Frage / Bedeutung | Typ | Werte und Codes | Fehlend |\n"
          "|---|---|---|---|---|\n",
          f);
    for (int i = 0; i < t->n_cols; i++) {
        const DatasetColumn *c = &t->cols[i];
        if (form_id ? !codebook_has_form(c, form_id) : c->forms != NULL)
            continue;
        fputs("| `", f);
        codebook_cell(f, c->name);
        fputs("` | ", f);
        codebook_cell(f, c->title);
        if (c->description) {
            fputs("<br>", f);
            codebook_cell(f, c->description);
        }
        if (c->versions) {
            fputs("<br>gefragt in Version ", f);
            codebook_cell(f, c->versions);
        }
        if (c->quasi_identifier)
            fprintf(f,
                    "<br>**Quasi-Identifikator** (k = %d): in diesem Export %d Werte "
                    "unterdrückt",
                    k, c->suppressed);
        fprintf(f, " | %s | ", codebook_type(c->kind));
        codebook_values(f, c);
        fputs(c->kind == DATASET_STRING || !sav
                  ? " | leere Zelle |\n"
                  : " | leere Zelle (SPSS: systemdefiniert fehlend) |\n",
              f);
    }
    fputc('\n', f);
}

/* Names the columns for all forms (such as `lang`) that count as
 * quasi-identifiers: they come after every form's own ones, so they are
 * suppressed first. Writes nothing when there are none. */
static void codebook_batch_qi(FILE *f, const DatasetTable *t)
{
    int n = 0, seen = 0;
    for (int i = 0; t && i < t->n_cols; i++)
        n += !t->cols[i].forms && t->cols[i].quasi_identifier;
    if (!n)
        return;
    fputs(n == 1 ? " Außerdem zählt bei allen Formularen die Spalte "
                 : " Außerdem zählen bei allen Formularen die Spalten ",
          f);
    for (int i = 0; i < t->n_cols; i++) {
        const DatasetColumn *c = &t->cols[i];
        if (c->forms || !c->quasi_identifier)
            continue;
        fputs(seen == 0 ? "`" : seen == n - 1 ? " und `" : ", `", f);
        codebook_cell(f, c->name);
        fputc('`', f);
        seen++;
    }
    fputs(n == 1 ? " als Quasi-Identifikator, nach allen Fragen: ihre Werte werden also zuerst "
                   "gelöscht."
                 : " als Quasi-Identifikatoren, nach allen Fragen: ihre Werte werden also zuerst "
                   "gelöscht.",
          f);
}

/* The general part: files, formats, missing values, what is left out, and
 * k-anonymity with the quasi-identifiers of the batch. */
static void codebook_general(FILE *f, const DatasetTable *const *tables, int n_tables,
                             const CodebookInfo *info)
{
    fprintf(f,
            "# Codebuch zum Export %s\n\n"
            "Dieses Codebuch wird zusammen mit `datapackage.json` aus demselben Schema "
            "erzeugt.\n\n"
            "## Allgemeines\n\n"
            "- **Dateien:** `responses.csv` und `responses.sav` enthalten dieselben Zeilen in "
            "derselben Reihenfolge: eine Zeile je vollständig ausgefüllter Befragung. Alle "
            "Formulare des Exports stehen in *einer* Datei; die Spalte `form` nennt das "
            "Formular. Fragen, die in einem Formular nicht vorkommen, bleiben leer.\n"
            "- **CSV:** UTF-8 ohne BOM, RFC 4180, Zeilenende CRLF, Kopfzeile mit den "
            "Spaltennamen, Felder mit Komma, Anführungszeichen oder Zeilenumbruch in "
            "Anführungszeichen.\n"
            "- **Kategorien:** In der CSV steht der Name der Auswahl (z. B. `yes`), in der "
            "SPSS-Datei ihr Code 1..n (die Reihenfolge im Formular) mit dem deutschen Text "
            "als Wertelabel. Die Zuordnung steht unten und in `datapackage.json` "
            "(`categories`, `spssCodes`).\n"
            "- **Mehrfachauswahl:** je Auswahl eine Spalte `<frage>_<auswahl>` mit 0 (nicht "
            "gewählt) oder 1 (gewählt); leer, wenn die Frage nicht beantwortet wurde.\n"
            "- **Rangfolge:** je Auswahl eine Spalte `<frage>_<auswahl>` mit ihrem Platz "
            "(1 = zuerst gewählt); leer, wenn sie keinen Platz bekam.\n"
            "- **Fehlende Werte:** leere Zelle in der CSV; in der SPSS-Datei "
            "systemdefiniert fehlend (Zahlen) bzw. leere Zeichenkette (Text). Es gibt keine "
            "benutzerdefinierten Fehlend-Codes. Eine Frage, die wegen der Filterführung "
            "nicht gestellt wurde, ist ebenso leer wie eine übersprungene.\n"
            "- **Nicht enthalten:** Namen, Geräte-, Zeilen- oder Sitzungskennungen und genaue "
            "Zeiten. `response_id` ist eine Zufallskennung, die nur in diesem Export gilt; "
            "die Zeilen sind zufällig gemischt. Die Zeit ist vergröbert auf: %s (UTC).\n"
            "- **Freitexte und Zeichnungen** stehen nur nach Freigabe durch das Team in "
            "`freetext.csv` und `drawings.csv` (Bilder in `drawings/`), mit eigenen "
            "Zufallskennungen und ohne Verbindung zu den Antwortzeilen. E-Mail-Adressen, "
            "Telefonnummern und Web-Adressen sind durch `[entfernt]` ersetzt (Spalte "
            "`masked` = 1).\n"
            "- **k-Anonymität (k = %d):** Fragen, die das Formular als Quasi-Identifikator "
            "kennzeichnet, werden geprüft.",
            info->batch_id, info->period_name, info->k);
    codebook_batch_qi(f, n_tables > 0 ? tables[0] : NULL);
    fputs(" Jede Kombination ihrer Werte kommt mindestens "
          "k-mal vor; sonst werden in den betroffenen Zeilen die Werte dieser Fragen "
          "gelöscht, beginnend mit der unwichtigsten (der im Formular zuletzt gestellten), "
          "bis die Bedingung erfüllt ist. Gelöschte Werte sind leer. Einzelheiten in "
          "`disclosure-report.json`.\n"
          "- **Spaltennamen:** der Name der Frage im Formular. Haben zwei Formulare eine "
          "gleichnamige Frage mit anderer Art oder anderen Auswahlen, heißt die Spalte "
          "`<formular>_<frage>`.\n\n",
          f);
}

/* The Zukunftswerkstatt's files, when the batch holds a workshop. */
static void codebook_workshops(FILE *f, const CodebookInfo *info)
{
    if (info->n_workshops <= 0)
        return;
    fprintf(f,
            "## Zukunftswerkstatt\n\n"
            "Der Export enthält %d Werkstatt/Werkstätten, nummeriert 1..n nur in diesem "
            "Export (`batch.json`, Abschnitt `workshops`: Titel, Frage, Tag, Sprachen, Punkte "
            "je Runde und die Phase, um deren Karten jede Runde ging).\n\n"
            "- **`workshop-<n>-cards.csv`:** eine Zeile je freigegebener Karte an der "
            "Wand, zufällig gemischt, mit einer Zufallskennung `card_id`, die nur in diesem "
            "Export gilt. Abgelehnte und nicht geprüfte Karten fehlen. Vom Team "
            "zusammengeführte Doppel haben keine eigene Zeile: ihre Punkte zählen für die "
            "Karte, in die sie zusammengeführt wurden (`merged_cards` zählt sie). `about_card` "
            "nennt bei einer Karte der Verwirklichung die `card_id` ihrer Idee (Fantasie-Karte), "
            "bei einer Fantasie-Karte die Kritik-Karte, deren Gegenteil sie beschreibt. Karten "
            "der Verwirklichung sind ein Plan: `who` (wer kann helfen, mehrere möglich) und "
            "`by_when` (bis wann).\n"
            "- **`workshop-<n>-votes.csv`:** je Karte die Punkte jeder Abstimmungsrunde; jede "
            "Runde ging um die Karten einer Phase, Kritik und Ideen nie gemischt. "
            "Es gibt keine Kennung der Abstimmenden und keine Verbindung zwischen einer "
            "Stimme und den Schreibenden einer Karte.\n"
            "- **`workshop-<n>-plan.csv` und `workshop-<n>-plan.md`:** der Plan: je "
            "freigegebener Plan-Karte zu einer freigegebenen Idee eine Zeile (Idee, was zuerst, "
            "wer hilft, bis wann, Punkte der Idee), die Ideen mit den meisten Punkten zuerst; "
            "die Markdown-Datei zum Ausdrucken, nach Idee und Helfenden geordnet.\n"
            "- **Zeichnungen** liegen in `workshop-<n>-drawings/<card_id>.png`.\n"
            "- **Keine Namen, keine Uhrzeiten:** die einzige Zeitangabe ist der Tag der "
            "Werkstatt. Kontaktdaten im Text sind durch `[entfernt]` ersetzt (`masked` = "
            "1). Die Altersgruppe bleibt leer, wenn weniger als k = %d Karten der Werkstatt "
            "dieselbe Sprache und Altersgruppe haben.\n"
            "- **Verdächtige Abstimmungen** (auffällig schnelle Eingaben) sind nicht "
            "gelöscht, aber getrennt gezählt (`votes_flagged`, `dots_flagged`).\n\n",
            info->n_workshops, info->k);
}

KsStatus codebook_write(const DatasetTable *const *tables, int n_tables, const CodebookInfo *info,
                        const char *path)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        LOG_ERROR("cannot create %s", path);
        return KS_ERR_IO;
    }
    codebook_general(f, tables, n_tables, info);
    codebook_workshops(f, info);
    for (int i = 0; i < n_tables; i++) {
        const DatasetTable *t = tables[i];
        fprintf(f, "## `%s.csv`: ", t->name);
        codebook_cell(f, t->title);
        fputs("\n\n", f);
        if (i == 0) {
            fputs("### Spalten für alle Formulare\n\n", f);
            codebook_table(f, t, NULL, info->k, true);
            for (int j = 0; j < info->n_forms; j++) {
                fprintf(f, "### Formular `%s`\n\n", info->form_ids[j]);
                codebook_table(f, t, info->form_ids[j], info->k, true);
            }
        } else {
            codebook_table(f, t, NULL, info->k, false);
        }
    }
    bool bad = ferror(f) != 0;
    bad |= fclose(f) != 0;
    if (bad) {
        LOG_ERROR("cannot write %s", path);
        return KS_ERR_IO;
    }
    return KS_OK;
}
