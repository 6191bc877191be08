#!/bin/sh
# Runs every fuzz target built from tests/fuzz/fuzz_<name>.c over its seed
# corpus (tests/fuzz/corpus/<name>, read only) and then a short mutation run.
# Prints one line per target, "ok   fuzz <name>" or "FAIL fuzz <name>", and
# exits non-zero when any failed. New inputs go to a temporary folder; a
# crashing input is kept in $BUILD/fuzz/smoke-artifacts-<name>/. The seed is
# fixed (FUZZ_SMOKE_SEED) so a run repeats.
set -u
BUILD=${BUILD:-build}
RUNS=${FUZZ_SMOKE_RUNS:-2000}
SEED=${FUZZ_SMOKE_SEED:-1}
status=0
log=$(mktemp)
for src in tests/fuzz/fuzz_*.c; do
    [ -f "$src" ] || continue
    name=$(basename "$src" .c)
    name=${name#fuzz_}
    bin="$BUILD/fuzz/fuzz_$name"
    if [ ! -x "$bin" ]; then
        if command -v clang >/dev/null 2>&1; then why="not built (see the make output)"
        else why="not built: clang is not installed (make deps installs clang, libclang-rt-14-dev)"; fi
        echo "FAIL fuzz $name ($why)"
        status=1
        continue
    fi
    seeds="tests/fuzz/corpus/$name"
    work=$(mktemp -d)
    art="$BUILD/fuzz/smoke-artifacts-$name"
    rm -rf "$art" && mkdir -p "$art"
    [ -d "$seeds" ] || seeds=""
    start=$(date +%s)
    # The first folder receives new inputs; the seeds are only read.
    if "$bin" -runs="$RUNS" -seed="$SEED" -max_len=65536 -max_total_time=20 -timeout=10 \
            -artifact_prefix="$art/" "$work" $seeds > "$log" 2>&1; then
        execs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -n 1)
        echo "ok   fuzz $name (${execs:-?} runs, $(( $(date +%s) - start )) s)"
    else
        echo "FAIL fuzz $name"
        if grep -q 'ERROR: ' "$log"; then
            sed -n '/ERROR: /,$p' "$log" | grep -v -e '^0x' -e '^  *0x' | head -n 25 | sed 's/^/    /'
        else
            sed 's/^/    /' "$log" | grep -v '^    #' | tail -n 25
        fi
        ls "$art" | sed "s|^|    crash input: $art/|"
        status=1
    fi
    rm -rf "$work"
    rmdir "$art" 2>/dev/null
done
rm -f "$log"
exit $status
