/* key_cmd: `km2kiosk key`, how a technician enrols a kiosk at the
 * evaluation office: the kiosk id and its signing key's id and public key,
 * read on the device itself (a data stick is never trusted for a key). Part
 * of the composition root. */
#ifndef KS_KEY_CMD_H
#define KS_KEY_CMD_H

/* argv[0] is the program, argv[1] "key". Loads the signing key beside the
 * database (creating it when there is none) and prints one JSON line:
 * kiosk_id (from the configuration), key_id, public_key (the "RW…" line),
 * public_key_file (the whole .pub text) and created (whether the key was
 * made now). Returns the exit status: 0 done, 1 when the key can be
 * neither read nor created, 2 on a usage error. */
int key_cmd_main(int argc, char **argv);

#endif
