/* key_cmd: the `key` command line: arguments, configuration, the signing
 * key beside the database (app/staff_key) and its JSON line. */
#include "key_cmd.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "app/staff_key.h"
#include "cmd_args.h"
#include "core/config.h"

static void key_cmd_usage(void)
{
    fputs("usage: km2kiosk key --db FILE [--config FILE]\n"
          "  Prints the kiosk id and its signing key (id and minisign public key) as JSON,\n"
          "  creating the key beside the database when there is none.\n",
          stderr);
}

int key_cmd_main(int argc, char **argv)
{
    const char *db = NULL, *config = NULL;
    const CmdArg opts[] = {{"--db", &db}, {"--config", &config}, {NULL, NULL}};
    if (!cmd_args_read("key", argc, argv, opts) || !db || !db[0]) {
        key_cmd_usage();
        return 2;
    }
    KsConfig cfg;
    if (!cmd_args_config("key", config, &cfg))
        return 2;
    /* The key belongs beside the kiosk's database; a mistyped path would
     * enrol a key the kiosk never uses, so say so. */
    if (access(db, F_OK) != 0)
        fprintf(stderr, "km2kiosk key: note: there is no database at %s yet\n", db);
    StaffKey key;
    bool created = false;
    KsStatus ks = staff_key_load(db, &key, &created);
    if (ks != KS_OK) {
        fprintf(stderr,
                "km2kiosk key: the signing key beside %s can be neither read nor"
                " created: %s\n",
                db, ks_status_str(ks));
        return 1;
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "kiosk_id", cfg.kiosk_id);
    cJSON_AddStringToObject(o, "key_id", key.id);
    cJSON_AddStringToObject(o, "public_key", key.line);
    cJSON_AddStringToObject(o, "public_key_file", key.pub_file);
    cJSON_AddBoolToObject(o, "created", created);
    char *txt = cJSON_PrintUnformatted(o);
    int rc = txt && puts(txt) >= 0 && fflush(stdout) == 0 ? 0 : 1;
    cJSON_free(txt);
    cJSON_Delete(o);
    return rc;
}
