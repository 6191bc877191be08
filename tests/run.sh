#!/bin/sh
# Runs every test: the cmocka unit suites (each test counted), then the
# headless scenarios in tests/scenarios (each file one test), then the fuzz
# targets over their seed corpora (each target one test). Ends with the
# line "N passed, N failed, N skipped"; exits non-zero when anything failed.
#
# A skip is a test that could not run here, never a pass: a cmocka test that
# calls skip(), a program or scenario that exits 77 (automake's "skipped";
# a scenario prints "SKIP: why"), the fuzz targets under KS_NO_FUZZ. Each is
# listed by name; with everything installed, run as root, none is skipped.
#
# Each test runs with TMPDIR set to an empty folder of this run; what a test
# leaves in it fails that test ("left behind"), and the folder is removed at
# the end. libpulse's runtime folder (espeak-ng's audio layer opens a
# PulseAudio client even when it only synthesises) goes there too.
#
# KS_EXEC_WRAPPER (default empty): a command the test programs and the kiosk
# run under, e.g. "qemu-aarch64" for the arm64 build of `make test ARCH=arm64`;
# the tools the tests use (python3, sqlite3, minisign, ...) stay native.
# KS_NO_FUZZ (default empty): skip the fuzz targets, the text saying why.
set -u
BUILD=${BUILD:-build}
export KS_BIN="$BUILD/km2kiosk" KS_BUILD="$BUILD"
export KS_EXEC_WRAPPER="${KS_EXEC_WRAPPER:-}"
[ -n "$KS_EXEC_WRAPPER" ] && echo "running $BUILD's programs under: $KS_EXEC_WRAPPER"
export SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy
SKIP_STATUS=77
passed=0
failed=0
skipped=0
failures=""
skips=""

run_dir=$(mktemp -d "${TMPDIR:-/tmp}/ks-run-XXXXXX") || exit 1
trap 'rm -rf "$run_dir"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
log="$run_dir/log"
export TMPDIR="$run_dir/tmp" PULSE_RUNTIME_PATH="$run_dir/pulse"
mkdir "$TMPDIR"

# Prints what the last test left in TMPDIR (nothing when it left nothing)
# and removes it.
left_behind() {
    left=$(ls -A "$TMPDIR")
    [ -z "$left" ] && return 0
    echo "left behind in TMPDIR: $(echo "$left" | tr '\n' ' ' | sed 's/ *$//')"
    rm -rf "$TMPDIR" && mkdir "$TMPDIR"
}

# The count in a cmocka summary line ("[  SKIPPED ] 2 test(s), listed
# below:"), not the lines naming one test.
cmocka_count() {
    sed -n "s/^\[  $1 *\] \([0-9][0-9]*\) test(s).*/\1/p" "$log" | tail -n 1
}

for t in "$BUILD"/tests/test_*; do
    [ -x "$t" ] || continue
    name=$(basename "$t")
    # shellcheck disable=SC2086 # the wrapper is a command line
    $KS_EXEC_WRAPPER "$t" > "$log" 2>&1
    rc=$?
    p=$(cmocka_count PASSED); f=$(cmocka_count FAILED); s=$(cmocka_count SKIPPED)
    p=${p:-0}; f=${f:-0}; s=${s:-0}
    # The skipped tests by name (cmocka names each twice: when run, in the summary).
    names=$(sed -n 's/^\[  SKIPPED \] \([^ ]*\)$/\1/p' "$log" | awk '!seen[$0]++')
    if [ "$rc" = "$SKIP_STATUS" ] && [ "$p" = 0 ] && [ "$f" = 0 ]; then
        [ "$s" = 0 ] && s=1   # the whole program
    elif [ "$rc" != 0 ] && [ "$f" = 0 ]; then
        f=1
    fi
    left=$(left_behind)
    if [ -n "$left" ]; then
        echo "$left" >> "$log"
        [ "$f" = 0 ] && f=1
    fi
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
    if [ "$s" != 0 ] && [ -z "$names" ]; then
        skips="$skips $name"
    else
        for n in $names; do skips="$skips $name/$n"; done
    fi
    names=$(echo "$names" | tr '\n' ' ' | sed 's/ *$//')   # on one line
    if [ "$f" != 0 ]; then
        failures="$failures $name"
        echo "FAIL $name"; sed 's/^/    /' "$log" | tail -n 40
    elif [ "$p" = 0 ] && [ "$s" != 0 ]; then
        echo "skip $name${names:+ ($names)}"
    else
        echo "ok   $name ($p tests${names:+, $s skipped: $names})"
    fi
done

for sc in tests/scenarios/*.py; do
    name=$(basename "$sc" .py)
    case "$name" in _*) continue ;; esac
    start=$(date +%s)
    python3 "$sc" > "$log" 2>&1
    rc=$?
    left=$(left_behind)
    if [ -n "$left" ]; then
        echo "$left" >> "$log"
        [ "$rc" = 0 ] || [ "$rc" = "$SKIP_STATUS" ] && rc=1
    fi
    if [ "$rc" = 0 ]; then
        passed=$((passed + 1))
        echo "ok   scenario $name ($(( $(date +%s) - start )) s)"
    elif [ "$rc" = "$SKIP_STATUS" ]; then
        skipped=$((skipped + 1))
        skips="$skips $name"
        echo "skip scenario $name: $(sed -n 's/^SKIP: //p' "$log" | tail -n 1)"
    else
        failed=$((failed + 1))
        failures="$failures $name"
        echo "FAIL scenario $name"; sed 's/^/    /' "$log" | tail -n 40
    fi
done

# Fuzz targets: each one test, run over its seeds plus a short mutation run.
if [ -n "${KS_NO_FUZZ:-}" ]; then
    for src in tests/fuzz/fuzz_*.c; do
        [ -f "$src" ] || continue
        n=$(basename "$src" .c)
        echo "skip fuzz ${n#fuzz_} ($KS_NO_FUZZ)"
    done > "$log"
else
    BUILD="$BUILD" sh tests/fuzz_smoke.sh > "$log" 2>&1
fi
left=$(left_behind)
[ -n "$left" ] && echo "FAIL fuzz smoke ($left)" >> "$log"
cat "$log"
p=$(grep -c '^ok   fuzz ' "$log")
f=$(grep -c '^FAIL fuzz ' "$log")
s=$(grep -c '^skip fuzz ' "$log")
passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
for n in $(sed -n 's/^FAIL fuzz \([^ ]*\).*/\1/p' "$log"); do
    failures="$failures fuzz_$n"
done
for n in $(sed -n 's/^skip fuzz \([^ ]*\).*/\1/p' "$log"); do
    skips="$skips fuzz_$n"
done

[ -n "$skips" ] && echo "skipped:$skips"
[ -n "$failures" ] && echo "failed:$failures"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
