/* stats_cmd: `km2kiosk stats` (see stats_cmd.c). */
#ifndef KS_STATS_CMD_H
#define KS_STATS_CMD_H

/* argv[1] is "stats"; `--db FILE` (default: the user's kiosk.db). Prints
 * one JSON line: sessions per form and outcome, and the overview. Returns
 * the exit status: 0 done, 1 the database cannot be read, 2 usage. */
int stats_cmd_main(int argc, char **argv);

#endif
