/* km2eval: the evaluation office's program — the composition root that
 * parses a command line, opens the archive and runs one command. Every
 * command prints one JSON line per result on stdout and its messages in
 * German on stderr; the exit status is 0 when all went well, 1 when
 * something was refused or failed, 2 for a wrong command line. */
#include <cjson/cJSON.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../export/bagit.h"
#include "../firmware/core/log.h"
#include "../firmware/core/str.h"
#include "archive.h"
#include "merge.h"
#include "office.h"
#include "receive.h"
#include "report.h"
#include "status.h"

#define EXIT_REFUSED 1
#define EXIT_USAGE 2
#define MAX_RECEIPTS 256

static void usage(void)
{
    fputs("Aufruf:\n"
          "  km2eval init DIR\n"
          "  km2eval enrol DIR --key FILE.pub [--kiosk ID] [--site CODE] [--replace]\n"
          "  km2eval receive DIR STICK [--receipt TEXT]... [--no-ack]\n"
          "  km2eval status DIR [--json] [--quiet-weeks N]\n"
          "  km2eval dataset DIR --form ID --to OUTDIR [--site CODE] [--from PERIOD]"
          " [--to-period PERIOD]\n"
          "  km2eval report DIR --to FILE.html [--site CODE] [--form ID]"
          " [--compare PERIOD..PERIOD]\n"
          "Siehe km2eval(1).\n",
          stderr);
}

static void print_json(cJSON *o)
{
    char *s = cJSON_PrintUnformatted(o);
    if (s) {
        puts(s);
        fflush(stdout);
    }
    cJSON_free(s);
    cJSON_Delete(o);
}

/* Opens the archive of a command, saying in German why it cannot. */
static Archive *open_archive(const char *dir)
{
    Archive *a = NULL;
    KsStatus ks = archive_open(dir, &a);
    if (ks == KS_ERR_NOT_FOUND)
        fprintf(stderr, "%s ist kein Archiv (dort liegt keine %s). Zuerst: km2eval init %s\n", dir,
                ARCHIVE_DB, dir);
    else if (ks == KS_ERR_CORRUPT)
        fprintf(stderr,
                "Das Archiv %s ist beschädigt (Integritätsprüfung). Bitte aus der "
                "Sicherung wiederherstellen.\n",
                dir);
    else if (ks != KS_OK)
        fprintf(stderr, "Das Archiv %s lässt sich nicht öffnen (%s).\n", dir, ks_status_str(ks));
    return a;
}

/* One option of a command: a flag (--json), an option taking the next word
 * as its value (--to DIR; given twice, the last counts), or one that may come
 * again (--receipt TEXT...), its values gathered in order. */
typedef struct {
    const char *name;
    bool *flag;         /* a flag: set when given */
    const char **value; /* an option with a value: where the value goes */
    bool required;      /* the command needs it (its value) */
    const char **list;  /* one that may come again: up to max_list values */
    int *n_list, max_list;
    /* A value with a rule of its own, checked where it stands: false when it
     * breaks the rule, after saying why. */
    bool (*check)(const char *value, void *ctx);
    void *ctx;
} EvalOption;

/* Reads argv[first...] by a command's options (ended by one without a name);
 * the words before first (the command, its folders) must be there. False
 * for a word missing before first, a word no option knows, a value missing, one too many, a value
 * its check refused, or a required option not given; all but the check are
 * answered with the usage. */
static bool parse_options(int argc, char **argv, int first, const EvalOption *opts)
{
    if (argc < first) {
        usage();
        return false;
    }
    for (int i = first; i < argc; i++) {
        const EvalOption *o = opts;
        while (o->name && strcmp(o->name, argv[i]) != 0)
            o++;
        if (o->name && o->flag) {
            *o->flag = true;
            continue;
        }
        if (!o->name || i + 1 >= argc || (o->list && *o->n_list >= o->max_list)) {
            usage();
            return false;
        }
        const char *v = argv[++i];
        if (o->check && !o->check(v, o->ctx))
            return false;
        if (o->list)
            o->list[(*o->n_list)++] = v;
        else if (o->value)
            *o->value = v;
    }
    for (const EvalOption *o = opts; o->name; o++) {
        if (o->required && !*o->value) {
            usage();
            return false;
        }
    }
    return true;
}

/* The start of a command on the archive DIR (argv[2]): its options read, then
 * the archive opened. NULL, with *rc the exit status, when either fails. */
static Archive *start_command(int argc, char **argv, int first, const EvalOption *opts, int *rc)
{
    if (!parse_options(argc, argv, first, opts)) {
        *rc = EXIT_USAGE;
        return NULL;
    }
    *rc = EXIT_REFUSED;
    return open_archive(argv[2]);
}

/* ---- init ------------------------------------------------------------------ */

static int cmd_init(int argc, char **argv)
{
    if (argc != 3) {
        usage();
        return EXIT_USAGE;
    }
    OfficeInit oi;
    KsStatus ks = office_init(argv[2], &oi);
    if (ks == KS_ERR_STATE) {
        fprintf(stderr,
                "In %s liegt schon ein Archiv oder ein Schlüssel; nichts wurde "
                "überschrieben.\n",
                argv[2]);
        return EXIT_REFUSED;
    }
    if (ks != KS_OK) {
        fprintf(stderr, "Das Archiv %s ließ sich nicht anlegen (%s).\n", argv[2],
                ks_status_str(ks));
        return EXIT_REFUSED;
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "recipient", oi.recipient);
    cJSON_AddStringToObject(o, "office_key", oi.office_key);
    cJSON_AddStringToObject(o, "office_key_id", oi.office_key_id);
    print_json(o);
    fprintf(stderr,
            "Archiv %s angelegt. In das kiosk.conf jedes Kiosks gehören diese zwei Zeilen:\n"
            "  age_recipient = %s\n  eval_pubkey = %s\n"
            "Die geheimen Schlüssel liegen in %s/%s (nur für das Auswertungsteam; sichern!).\n",
            argv[2], oi.recipient, oi.office_key, argv[2], ARCHIVE_KEYS);
    return 0;
}

/* ---- enrol ----------------------------------------------------------------- */

/* The kiosk's public key from FILE: a minisign .pub file, or the JSON line
 * `km2kiosk key` prints (which also names the kiosk). */
static bool read_key_file(const char *path, SignPublic *pk, char *kiosk, size_t ksize)
{
    char *text = NULL;
    size_t len = 0;
    if (bagit_read_file(path, 16384, &text, &len) != KS_OK)
        return false;
    bool ok = false;
    if (text[0] == '{') {
        cJSON *o = cJSON_ParseWithLength(text, len);
        const cJSON *k = cJSON_GetObjectItemCaseSensitive(o, "public_key");
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(o, "kiosk_id");
        ok = cJSON_IsString(k) && sign_public_parse(k->valuestring, pk) == KS_OK;
        if (ok && cJSON_IsString(id) && !kiosk[0])
            str_copy(kiosk, ksize, id->valuestring);
        cJSON_Delete(o);
    } else {
        ok = sign_public_parse(text, pk) == KS_OK;
    }
    free(text);
    return ok;
}

static int cmd_enrol(int argc, char **argv)
{
    const char *dir = argv[2], *key = NULL, *site = "", *kiosk_arg = "";
    bool replace = false;
    const EvalOption opts[] = {
        {.name = "--key", .value = &key, .required = true},
        {.name = "--kiosk", .value = &kiosk_arg},
        {.name = "--site", .value = &site},
        {.name = "--replace", .flag = &replace},
        {0},
    };
    if (!parse_options(argc, argv, 3, opts))
        return EXIT_USAGE;
    char kiosk[64];
    str_copy(kiosk, sizeof kiosk, kiosk_arg);
    SignPublic pk;
    if (!read_key_file(key, &pk, kiosk, sizeof kiosk)) {
        fprintf(stderr,
                "%s enthält keinen öffentlichen Schlüssel im minisign-Format (und keine "
                "Ausgabe von `km2kiosk key`).\n",
                key);
        return EXIT_REFUSED;
    }
    for (const char *c = kiosk; *c; c++) {
        if ((unsigned char)*c < 0x20 || *c == 0x7f) {
            fprintf(stderr, "Die Kiosk-Kennung enthält Steuerzeichen.\n");
            return EXIT_USAGE;
        }
    }
    if (!kiosk[0]) {
        fprintf(stderr, "Zu welchem Kiosk gehört der Schlüssel? Bitte --kiosk ID angeben (die "
                        "Kiosk-Kennung aus `km2kiosk key`).\n");
        return EXIT_USAGE;
    }
    Archive *a = open_archive(dir);
    if (!a)
        return EXIT_REFUSED;
    char line[SIGN_PUBLIC_LINE];
    sign_public_line(&pk, line, sizeof line);
    ArchiveEnrol result = ARCHIVE_ENROL_NEW;
    KsStatus ks = archive_enrol(a, kiosk, site, pk.id, line, replace, &result);
    char site_now[32];
    archive_kiosk_site(a, kiosk, site_now, sizeof site_now);
    archive_close(&a);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "kiosk", kiosk);
    cJSON_AddStringToObject(o, "key_id", pk.id);
    cJSON_AddStringToObject(o, "site", site_now);
    const char *outcome;
    char msg[512];
    int rc = 0;
    if (ks == KS_OK && result == ARCHIVE_ENROL_NEW) {
        outcome = "enrolled";
        snprintf(msg, sizeof msg, "Kiosk %s mit Schlüssel %s angemeldet.", kiosk, pk.id);
    } else if (ks == KS_OK && result == ARCHIVE_ENROL_SAME) {
        outcome = "already";
        snprintf(msg, sizeof msg, "Kiosk %s war mit Schlüssel %s schon angemeldet.", kiosk, pk.id);
    } else if (ks == KS_OK) {
        outcome = "replaced";
        snprintf(msg, sizeof msg,
                 "Kiosk %s hat jetzt den Schlüssel %s; der alte bleibt in der "
                 "Geschichte und prüft alte Lieferungen weiter.",
                 kiosk, pk.id);
    } else if (ks == KS_ERR_STATE) {
        outcome = "refused";
        rc = EXIT_REFUSED;
        snprintf(msg, sizeof msg,
                 "Kiosk %s hat schon einen anderen Schlüssel. Wurde er neu "
                 "eingerichtet? Dann mit --replace anmelden.",
                 kiosk);
    } else if (ks == KS_ERR_INVALID) {
        outcome = "refused";
        rc = EXIT_REFUSED;
        snprintf(msg, sizeof msg, "Der Schlüssel %s gehört schon zu einem anderen Kiosk.", pk.id);
    } else {
        outcome = "failed";
        rc = EXIT_REFUSED;
        snprintf(msg, sizeof msg, "Die Anmeldung ließ sich nicht speichern (%s).",
                 ks_status_str(ks));
    }
    cJSON_AddStringToObject(o, "outcome", outcome);
    cJSON_AddStringToObject(o, "message", msg);
    print_json(o);
    fprintf(stderr, "%s\n", msg);
    return rc;
}

/* ---- receive ----------------------------------------------------------------- */

static void report_receive(const ReceiveResult *r, void *ctx)
{
    (void)ctx;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "batch", r->batch);
    cJSON_AddStringToObject(o, "kiosk", r->kiosk);
    cJSON_AddStringToObject(o, "site", r->site);
    cJSON_AddStringToObject(o, "outcome", receive_outcome_name(r->outcome));
    cJSON_AddNumberToObject(o, "rows", r->rows);
    cJSON_AddBoolToObject(o, "acked", r->acked);
    cJSON_AddStringToObject(o, "message", r->message);
    if (r->enrol[0])
        cJSON_AddStringToObject(o, "enrol", r->enrol);
    print_json(o);
    fprintf(stderr, "%s\n", r->message);
}

static int cmd_receive(int argc, char **argv)
{
    const char *receipts[MAX_RECEIPTS];
    bool no_ack = false;
    ReceiveOptions o = {.stick = argv[3],
                        .receipts = receipts,
                        .progress = isatty(STDOUT_FILENO) && isatty(STDERR_FILENO)};
    const EvalOption opts[] = {
        {.name = "--receipt", .list = receipts, .n_list = &o.n_receipts, .max_list = MAX_RECEIPTS},
        {.name = "--no-ack", .flag = &no_ack},
        {0},
    };
    int rc;
    Archive *a = start_command(argc, argv, 4, opts, &rc);
    if (!a)
        return rc;
    o.write_ack = !no_ack;
    OfficeKeys keys;
    KsStatus ks = office_keys_load(argv[2], &keys);
    if (ks != KS_OK) {
        fprintf(stderr, "Die Schlüssel des Archivs (%s/%s) fehlen oder sind unbrauchbar (%s).\n",
                argv[2], ARCHIVE_KEYS, ks_status_str(ks));
        archive_close(&a);
        return EXIT_REFUSED;
    }
    /* First what an interrupted run left behind. */
    (void)receive_recover(a, &keys, report_receive, NULL);
    int failed = 0;
    ks = receive_run(a, &keys, &o, report_receive, NULL, &failed);
    office_keys_clear(&keys);
    archive_close(&a);
    if (ks == KS_ERR_NOT_FOUND) {
        cJSON *r = cJSON_CreateObject();
        cJSON_AddStringToObject(r, "outcome", "empty");
        cJSON_AddStringToObject(r, "message",
                                "Auf dem Stick liegt keine Lieferung (kein "
                                "Ordner KM2KIOSK mit Lieferungen).");
        print_json(r);
        fprintf(stderr, "Auf %s liegt keine Lieferung (kein Ordner KM2KIOSK mit Lieferungen).\n",
                argv[3]);
        return EXIT_REFUSED;
    }
    if (ks != KS_OK) {
        fprintf(stderr,
                "Das Archiv ließ sich nicht beschreiben (%s); nichts Halbes bleibt "
                "zurück, der nächste Aufruf macht weiter.\n",
                ks_status_str(ks));
        return EXIT_REFUSED;
    }
    return failed ? EXIT_REFUSED : 0;
}

/* ---- status -------------------------------------------------------------------- */

/* --quiet-weeks N: 1 to 520 weeks. */
static bool take_weeks(const char *v, void *ctx)
{
    long w;
    if (!str_to_long(v, 1, 520, &w)) {
        usage();
        return false;
    }
    *(int *)ctx = (int)w;
    return true;
}

static int cmd_status(int argc, char **argv)
{
    bool json = false;
    int weeks = 8;
    const EvalOption opts[] = {
        {.name = "--json", .flag = &json},
        {.name = "--quiet-weeks", .check = take_weeks, .ctx = &weeks},
        {0},
    };
    int rc;
    Archive *a = start_command(argc, argv, 3, opts, &rc);
    if (!a)
        return rc;
    int problems = 0;
    KsStatus ks = status_write(a, json, weeks, stdout, &problems);
    archive_close(&a);
    if (ks != KS_OK) {
        fprintf(stderr, "Der Stand ließ sich nicht lesen (%s).\n", ks_status_str(ks));
        return EXIT_REFUSED;
    }
    return 0;
}

/* ---- dataset and report -------------------------------------------------------- */

/* Says why the dataset or the report (what) could not be written. */
static int write_refused(const char *what, KsStatus ks, const char *why)
{
    fprintf(stderr, "%s ließ sich nicht schreiben: %s\n", what, why[0] ? why : ks_status_str(ks));
    return EXIT_REFUSED;
}

static int cmd_dataset(int argc, char **argv)
{
    MergeOptions o = {0};
    const EvalOption opts[] = {
        {.name = "--form", .value = &o.form, .required = true},
        {.name = "--to", .value = &o.to, .required = true},
        {.name = "--site", .value = &o.site},
        {.name = "--from", .value = &o.period_from},
        {.name = "--to-period", .value = &o.period_to},
        {0},
    };
    int rc;
    Archive *a = start_command(argc, argv, 3, opts, &rc);
    if (!a)
        return rc;
    MergeResult res;
    char why[512] = "";
    KsStatus ks = merge_write(a, &o, &res, why, sizeof why);
    archive_close(&a);
    if (ks != KS_OK)
        return write_refused("Der Datensatz", ks, why);
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "form", o.form);
    cJSON_AddNumberToObject(j, "rows", (double)res.rows);
    cJSON_AddNumberToObject(j, "columns", res.columns);
    cJSON_AddNumberToObject(j, "versions", res.versions);
    cJSON_AddNumberToObject(j, "batches", res.batches);
    cJSON_AddNumberToObject(j, "free_texts", res.free_texts);
    cJSON_AddNumberToObject(j, "drawings", res.drawings);
    cJSON_AddNumberToObject(j, "workshop_cards", res.workshop_cards);
    cJSON_AddStringToObject(j, "to", o.to);
    print_json(j);
    fprintf(stderr, "Datensatz %s: %ld Antworten aus %d Lieferung(en) in %s.\n", o.form, res.rows,
            res.batches, o.to);
    return 0;
}

/* --compare A..B: the two periods of a report's comparison. */
typedef struct {
    ReportOptions *o;
    char from[32], to[32];
} Compare;

static bool take_compare(const char *v, void *ctx)
{
    Compare *c = ctx;
    const char *dots = strstr(v, "..");
    if (!dots || dots == v || !dots[2] || (size_t)(dots - v) >= sizeof c->from ||
        strlen(dots + 2) >= sizeof c->to) {
        fprintf(stderr, "--compare braucht zwei Zeiträume, z. B. 2026-W10..2026-W40.\n");
        return false;
    }
    snprintf(c->from, sizeof c->from, "%.*s", (int)(dots - v), v);
    snprintf(c->to, sizeof c->to, "%s", dots + 2);
    c->o->compare_a = c->from;
    c->o->compare_b = c->to;
    return true;
}

static int cmd_report(int argc, char **argv)
{
    ReportOptions o = {0};
    Compare cmp = {.o = &o};
    const EvalOption opts[] = {
        {.name = "--to", .value = &o.path, .required = true},
        {.name = "--site", .value = &o.site},
        {.name = "--form", .value = &o.form},
        {.name = "--compare", .check = take_compare, .ctx = &cmp},
        {0},
    };
    int rc;
    Archive *a = start_command(argc, argv, 3, opts, &rc);
    if (!a)
        return rc;
    ReportResult res;
    char why[512] = "";
    KsStatus ks = report_write(a, &o, &res, why, sizeof why);
    archive_close(&a);
    if (ks != KS_OK)
        return write_refused("Der Bericht", ks, why);
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "report", o.path);
    cJSON_AddNumberToObject(j, "forms", res.forms);
    cJSON_AddNumberToObject(j, "rows", (double)res.rows);
    cJSON_AddNumberToObject(j, "charts", res.charts);
    cJSON_AddNumberToObject(j, "suppressed", res.suppressed);
    print_json(j);
    fprintf(stderr, "Bericht %s geschrieben: %d Zielgruppe(n), %ld Antworten, %d Diagramme.\n",
            o.path, res.forms, res.rows, res.charts);
    return 0;
}

int main(int argc, char **argv)
{
    if (sodium_init() < 0) {
        fprintf(stderr, "libsodium lässt sich nicht starten.\n");
        return EXIT_REFUSED;
    }
    /* The office reads the German messages; the technical log lines (in
     * English) only for errors, unless KS_LOG asks for more. */
    if (!getenv("KS_LOG"))
        log_set_level(LOG_LEVEL_ERROR);
    if (argc < 2) {
        usage();
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "init") == 0)
        return cmd_init(argc, argv);
    if (strcmp(cmd, "enrol") == 0)
        return cmd_enrol(argc, argv);
    if (strcmp(cmd, "receive") == 0)
        return cmd_receive(argc, argv);
    if (strcmp(cmd, "status") == 0)
        return cmd_status(argc, argv);
    if (strcmp(cmd, "dataset") == 0)
        return cmd_dataset(argc, argv);
    if (strcmp(cmd, "report") == 0)
        return cmd_report(argc, argv);
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        usage();
        return 0;
    }
    usage();
    return EXIT_USAGE;
}
