/* run_private: what the event loop (run.c) and the script interpreter
 * (script.c) share. Part of the composition root. */
#ifndef KS_RUN_PRIVATE_H
#define KS_RUN_PRIVATE_H

#include <stdbool.h>

#include "run.h"

/* Feeds all pending input (waiting up to timeout_ms for some) to the
 * kiosk, runs its timers, draws, reports the status line and pings the
 * watchdog. Returns false when asked to quit (window closed or Escape)
 * outside kiosk mode; in kiosk mode nothing a respondent can do quits. */
bool run_pump(Ui *ui, Kiosk *k, int timeout_ms, bool kiosk_mode);

/* After the first frame: a display that draws nothing (the renderer's
 * probe, or the first frame read back as the clear colour only) gets its
 * fault screen, in case the screen shows something after all, and a
 * journal line; READY is then never sent. */
void run_check_display(Ui *ui, Kiosk *k);

/* Runs the script of opt->script ("-": stdin) against the kiosk: see
 * script.c. Returns 0, or 2 when a line was wrong (the message names it). */
int script_run(Ui *ui, Kiosk *k, const RunOptions *opt);

#endif
