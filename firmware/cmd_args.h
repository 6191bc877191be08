/* cmd_args: what the kiosk's one-shot commands (export, key, stats) do
 * before their work: reading their options, each of which takes a value,
 * and loading their configuration. Part of the composition root. */
#ifndef KS_CMD_ARGS_H
#define KS_CMD_ARGS_H

#include <stdbool.h>

#include "core/config.h"

typedef struct {
    const char *name;   /* "--db" */
    const char **value; /* gets the word after it (given twice, the last) */
} CmdArg;

/* Reads argv[2...] (argv[1] is the command) by opts, which end with one
 * without a name. False for a word no option knows or an option without
 * its value, after "km2kiosk CMD: unknown or incomplete option 'WORD'" on
 * stderr. */
bool cmd_args_read(const char *cmd, int argc, char **argv, const CmdArg *opts);

/* The configuration defaults, then the file (NULL: none) over them. False
 * after "km2kiosk CMD: configuration FILE is not usable" on stderr. */
bool cmd_args_config(const char *cmd, const char *file, KsConfig *cfg);

#endif
