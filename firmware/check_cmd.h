/* check_cmd: `km2kiosk check` (see check_cmd.c). */
#ifndef KS_CHECK_CMD_H
#define KS_CHECK_CMD_H

/* argv[1] is "check". Prints every problem of every form as
 * FILE:SHEET:ROW:COLUMN: message and a verdict per form; with --db, a form
 * whose content changed under a version the database knows is refused too.
 * Returns 0 when all are usable (warnings allowed), 1 when one is not, 2 on
 * a usage error. */
int check_cmd_main(int argc, char **argv);

#endif
