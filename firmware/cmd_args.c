/* cmd_args: the options and configuration of the one-shot commands. */
#include "cmd_args.h"

#include <stdio.h>
#include <string.h>

bool cmd_args_read(const char *cmd, int argc, char **argv, const CmdArg *opts)
{
    for (int i = 2; i < argc; i++) {
        const CmdArg *o = opts;
        while (o->name && strcmp(o->name, argv[i]) != 0)
            o++;
        if (!o->name || i + 1 >= argc) {
            fprintf(stderr, "km2kiosk %s: unknown or incomplete option '%s'\n", cmd, argv[i]);
            return false;
        }
        *o->value = argv[++i];
    }
    return true;
}

bool cmd_args_config(const char *cmd, const char *file, KsConfig *cfg)
{
    config_defaults(cfg);
    if (file && config_load(file, cfg) != KS_OK) {
        fprintf(stderr, "km2kiosk %s: configuration %s is not usable\n", cmd, file);
        return false;
    }
    return true;
}
