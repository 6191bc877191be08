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
    if (argc < 3) {
        usage();
        return EXIT_USAGE;
    }
    const char *dir = argv[2], *key = NULL, *site = "";
    char kiosk[64] = "";
    bool replace = false;
    for (int i = 3; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(argv[i], "--key") == 0 && v)
            key = argv[++i];
        else if (strcmp(argv[i], "--kiosk") == 0 && v)
            str_copy(kiosk, sizeof kiosk, argv[++i]);
        else if (strcmp(argv[i], "--site") == 0 && v)
            site = argv[++i];
        else if (strcmp(argv[i], "--replace") == 0)
            replace = true;
        else {
            usage();
            return EXIT_USAGE;
        }
    }
    if (!key) {
        usage();
        return EXIT_USAGE;
    }
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
    if (argc < 4) {
        usage();
        return EXIT_USAGE;
    }
    const char *receipts[MAX_RECEIPTS];
    ReceiveOptions o = {.stick = argv[3],
                        .receipts = receipts,
                        .write_ack = true,
                        .progress = isatty(STDOUT_FILENO) && isatty(STDERR_FILENO)};
    for (int i = 4; i < argc; i++) {
        if (strcmp(argv[i], "--receipt") == 0 && i + 1 < argc && o.n_receipts < MAX_RECEIPTS)
            receipts[o.n_receipts++] = argv[++i];
        else if (strcmp(argv[i], "--no-ack") == 0)
            o.write_ack = false;
        else {
            usage();
            return EXIT_USAGE;
        }
    }
    Archive *a = open_archive(argv[2]);
    if (!a)
        return EXIT_REFUSED;
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

static int cmd_status(int argc, char **argv)
{
    if (argc < 3) {
        usage();
        return EXIT_USAGE;
    }
    bool json = false;
    int weeks = 8;
    for (int i = 3; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            json = true;
        } else if (strcmp(argv[i], "--quiet-weeks") == 0 && i + 1 < argc) {
            char *end;
            long w = strtol(argv[++i], &end, 10);
            if (*end || w < 1 || w > 520) {
                usage();
                return EXIT_USAGE;
            }
            weeks = (int)w;
        } else {
            usage();
            return EXIT_USAGE;
        }
    }
    Archive *a = open_archive(argv[2]);
    if (!a)
        return EXIT_REFUSED;
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

static int cmd_dataset(int argc, char **argv)
{
    if (argc < 3) {
        usage();
        return EXIT_USAGE;
    }
    MergeOptions o = {0};
    for (int i = 3; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v) {
            usage();
            return EXIT_USAGE;
        }
        if (strcmp(argv[i], "--form") == 0)
            o.form = argv[++i];
        else if (strcmp(argv[i], "--to") == 0)
            o.to = argv[++i];
        else if (strcmp(argv[i], "--site") == 0)
            o.site = argv[++i];
        else if (strcmp(argv[i], "--from") == 0)
            o.period_from = argv[++i];
        else if (strcmp(argv[i], "--to-period") == 0)
            o.period_to = argv[++i];
        else {
            usage();
            return EXIT_USAGE;
        }
    }
    if (!o.form || !o.to) {
        usage();
        return EXIT_USAGE;
    }
    Archive *a = open_archive(argv[2]);
    if (!a)
        return EXIT_REFUSED;
    MergeResult res;
    char why[512] = "";
    KsStatus ks = merge_write(a, &o, &res, why, sizeof why);
    archive_close(&a);
    if (ks != KS_OK) {
        fprintf(stderr, "Der Datensatz ließ sich nicht schreiben: %s\n",
                why[0] ? why : ks_status_str(ks));
        return EXIT_REFUSED;
    }
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

static int cmd_report(int argc, char **argv)
{
    if (argc < 3) {
        usage();
        return EXIT_USAGE;
    }
    ReportOptions o = {0};
    char cmp_from[32] = "", cmp_to[32] = "";
    for (int i = 3; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v) {
            usage();
            return EXIT_USAGE;
        }
        if (strcmp(argv[i], "--to") == 0) {
            o.path = argv[++i];
        } else if (strcmp(argv[i], "--site") == 0) {
            o.site = argv[++i];
        } else if (strcmp(argv[i], "--form") == 0) {
            o.form = argv[++i];
        } else if (strcmp(argv[i], "--compare") == 0) {
            const char *dots = strstr(v, "..");
            if (!dots || dots == v || !dots[2] || (size_t)(dots - v) >= sizeof cmp_from ||
                strlen(dots + 2) >= sizeof cmp_to) {
                fprintf(stderr, "--compare braucht zwei Zeiträume, z. B. 2026-W10..2026-W40.\n");
                return EXIT_USAGE;
            }
            snprintf(cmp_from, sizeof cmp_from, "%.*s", (int)(dots - v), v);
            snprintf(cmp_to, sizeof cmp_to, "%s", dots + 2);
            o.compare_a = cmp_from;
            o.compare_b = cmp_to;
            i++;
        } else {
            usage();
            return EXIT_USAGE;
        }
    }
    if (!o.path) {
        usage();
        return EXIT_USAGE;
    }
    Archive *a = open_archive(argv[2]);
    if (!a)
        return EXIT_REFUSED;
    ReportResult res;
    char why[512] = "";
    KsStatus ks = report_write(a, &o, &res, why, sizeof why);
    archive_close(&a);
    if (ks != KS_OK) {
        fprintf(stderr, "Der Bericht ließ sich nicht schreiben: %s\n",
                why[0] ? why : ks_status_str(ks));
        return EXIT_REFUSED;
    }
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
