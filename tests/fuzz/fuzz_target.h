/* fuzz_target: what every libFuzzer target in tests/fuzz shares: the entry
 * points' prototypes and an initialiser that keeps the log quiet, so a run
 * prints only libFuzzer's own lines and real errors. Each fuzz_<name>.c
 * includes it once and defines LLVMFuzzerTestOneInput. */
#ifndef KS_FUZZ_TARGET_H
#define KS_FUZZ_TARGET_H

#include <stddef.h>
#include <stdint.h>

#include "../../firmware/core/log.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Defined here, not in a .c file: each target is one translation unit, and
 * the Makefile builds tests/fuzz/fuzz_*.c alone against the libraries. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    log_set_level(LOG_LEVEL_ERROR);
    return 0;
}

#endif
