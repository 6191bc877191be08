/* run: the kiosk's main loop and the script driver. Part of the composition
 * root with main.c: the only place where the UI, the state machine and the
 * clock meet. */
#ifndef KS_RUN_H
#define KS_RUN_H

#include <stdbool.h>

#include "../ui/ui.h"
#include "app/kiosk.h"

typedef struct {
    bool fullscreen;    /* kiosk mode: closing the window is ignored */
    const char *script; /* script file, "-" for stdin, or NULL for interactive */
} RunOptions;

/* Runs until quit (interactive: window closed when not fullscreen; script:
 * `quit` or end of script). Returns the process exit status: 0, or 2 when a
 * script line was wrong (the message names the line). */
int run_kiosk(Ui *ui, Kiosk *k, const RunOptions *opt);

#endif
