/* export_cmd: `km2kiosk export`, the export run without the UI (for tests and
 * technicians). Part of the composition root: it wires storage, the forms,
 * export/ and the stick writer of firmware/sys together. */
#ifndef KS_EXPORT_CMD_H
#define KS_EXPORT_CMD_H

/* argv[0] is the program, argv[1] "export". Prints one JSON line with the
 * result on stdout, and the office's receipts read from DIR/KM2KIOSK/
 * received (with eval_pubkey set; "receipts": recorded, known, ignored). Returns the exit status: 0
 * when a batch was written, 3 when there was nothing to write (no new answers, or fewer than k held
 * back), 1 on a failure, 2 on a usage error. */
int export_cmd_main(int argc, char **argv);

#endif
