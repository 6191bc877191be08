/* export_cmd: the `export` command line: arguments, configuration, opening
 * the database and forms, the stick port filled with safe_copy, the
 * evaluation office's receipts read from the same folder, and the result as
 * one JSON line whose "message" is what the staff screen would say, in the
 * staff language. */
#include "export_cmd.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../export/export.h"
#include "app/retention.h"
#include "app/staff_export_text.h"
#include "app/uitext.h"
#include "cmd_args.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/log.h"
#include "core/str.h"
#include "storage/store.h"
#include "survey/catalog.h"
#include "sys/safe_copy.h"

static void export_cmd_usage(void)
{
    fputs("usage: km2kiosk export --db FILE --to DIR [--config FILE] [--forms DIR] "
          "[--batch ID]\n"
          "  DIR is the stick's mount point; the batch goes to DIR/KM2KIOSK/<batch-id>/.\n"
          "  --batch ID re-exports the sessions of an earlier batch under a new id.\n",
          stderr);
}

static void export_cmd_print(KsStatus ks, const ExportRunResult *r, const RetentionAcks *rr,
                             const char *lang)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "outcome", export_outcome_name(r->outcome));
    cJSON_AddStringToObject(o, "cause", export_cause_name(r->cause));
    cJSON_AddStringToObject(o, "status", ks_status_str(ks));
    cJSON_AddStringToObject(o, "batch", r->outcome == EXPORT_DONE ? r->batch_id : "");
    if (r->redo_of[0])
        cJSON_AddStringToObject(o, "redo_of", r->redo_of);
    cJSON_AddNumberToObject(o, "rows", r->rows);
    cJSON_AddNumberToObject(o, "held_back", r->held_back);
    cJSON_AddNumberToObject(o, "free_texts", r->free_texts);
    cJSON_AddNumberToObject(o, "drawings", r->drawings);
    if (r->outcome == EXPORT_DONE) {
        cJSON_AddStringToObject(o, "period_from", r->period_from);
        cJSON_AddStringToObject(o, "period_to", r->period_to);
        cJSON_AddStringToObject(o, "tag_sha256", r->tag_sha256);
        cJSON_AddStringToObject(o, "key_id", r->key_id);
        cJSON_AddStringToObject(o, "qr", r->qr_payload);
        cJSON_AddStringToObject(o, "path", r->bag_path);
    }
    char message[1024];
    /* This command leaves the stick mounted: staff are told they may eject it. */
    staff_export_text(r, lang, true, message, sizeof message);
    cJSON_AddStringToObject(o, "message", message);
    cJSON *acks = cJSON_AddObjectToObject(o, "receipts");
    cJSON_AddNumberToObject(acks, "recorded", rr->recorded);
    cJSON_AddNumberToObject(acks, "known", rr->known);
    cJSON_AddNumberToObject(acks, "ignored", rr->ignored);
    char *txt = cJSON_PrintUnformatted(o);
    puts(txt);
    fflush(stdout);
    cJSON_free(txt);
    cJSON_Delete(o);
}

int export_cmd_main(int argc, char **argv)
{
    const char *db = NULL, *to = NULL, *config = NULL, *forms_dir = NULL, *batch = NULL;
    const CmdArg opts[] = {
        {"--db", &db},           {"--to", &to},       {"--config", &config},
        {"--forms", &forms_dir}, {"--batch", &batch}, {NULL, NULL},
    };
    if (!cmd_args_read("export", argc, argv, opts) || !db || !to) {
        export_cmd_usage();
        return 2;
    }
    KsConfig cfg;
    if (!cmd_args_config("export", config, &cfg))
        return 2;
    (void)uitext_init(cfg.locale_dir); /* the message's words; English without catalogs */
    char forms[CONFIG_PATH_MAX + 8];
    if (forms_dir)
        str_copy(forms, sizeof forms, forms_dir);
    else
        snprintf(forms, sizeof forms, "%s/forms", cfg.assets_dir);

    int rc = 1;
    Store *store = NULL;
    Catalog *catalog = NULL;
    KsStatus ks = store_open(db, &store);
    if (ks != KS_OK) {
        fprintf(stderr, "km2kiosk export: cannot open %s: %s\n", db, ks_status_str(ks));
        return 1;
    }
    if (catalog_load(forms, &catalog) != KS_OK) {
        /* The forms give the columns, labels and quasi-identifiers: no
         * export without them. */
        fprintf(stderr, "km2kiosk export: cannot read the forms in %s (--forms DIR)\n", forms);
        store_close(&store);
        return 1;
    }
    {
        /* The forms imported on the staff screen (forms_dir, by default
         * "forms" beside the database), as the kiosk loads them. */
        char imported[CONFIG_PATH_MAX + 8];
        const char *slash = strrchr(db, '/');
        if (cfg.forms_dir[0])
            str_copy(imported, sizeof imported, cfg.forms_dir);
        else
            snprintf(imported, sizeof imported, "%.*s/forms", slash ? (int)(slash - db) : 1,
                     slash ? db : ".");
        if (access(imported, R_OK) == 0)
            (void)catalog_add_dir(catalog, imported);
    }

    static const ExportStickPort port = {
        .copy_dir = safe_copy_dir,
        .copy_file = safe_copy_file,
        .discard = safe_copy_discard,
        .clean = safe_copy_clean,
    };
    ExportRunOptions eo = {.db_path = db, .stick_dir = to, .redo_batch = batch, .port = &port};
    ExportRunResult r;
    ks = export_run(store, catalog, &cfg, &eo, &r);
    /* The evaluation office's receipts on the stick (eval_pubkey set),
     * whatever became of the export: a failed one does not make them
     * less true. */
    RetentionAcks rr;
    if (retention_read_acks(store, cfg.eval_pubkey, to, clock_wall_ms(), &rr) != KS_OK)
        fprintf(stderr, "km2kiosk export: the receipts in %s/%s/received were not all read\n", to,
                EXPORT_DIR_NAME);
    export_cmd_print(ks, &r, &rr, cfg.staff_language);
    if (r.outcome == EXPORT_DONE)
        rc = 0;
    else if (r.outcome == EXPORT_NOTHING || r.outcome == EXPORT_TOO_FEW)
        rc = 3;
    catalog_destroy(catalog);
    store_close(&store);
    return rc;
}
