#!/bin/sh
# Runs every test: the cmocka unit suites (each test counted), then the
# headless scenarios in tests/scenarios (each file one test), then the fuzz
# targets over their seed corpora (each target one test). Ends with the
# line "N passed, N failed"; exits non-zero when anything failed.
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
passed=0
failed=0
failures=""
log=$(mktemp)

for t in "$BUILD"/tests/test_*; do
    [ -x "$t" ] || continue
    name=$(basename "$t")
    # shellcheck disable=SC2086 # the wrapper is a command line
    if $KS_EXEC_WRAPPER "$t" > "$log" 2>&1; then ok=1; else ok=0; fi
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
    p=${p:-0}; f=${f:-0}
    if [ "$ok" = 0 ] && [ "$f" = 0 ]; then f=1; fi
    passed=$((passed + p)); failed=$((failed + f))
    if [ "$f" != 0 ]; then
        failures="$failures $name"
        echo "FAIL $name"; sed 's/^/    /' "$log" | tail -n 40
    else
        echo "ok   $name ($p tests)"
    fi
done

for s in tests/scenarios/*.py; do
    name=$(basename "$s" .py)
    case "$name" in _*) continue ;; esac
    start=$(date +%s)
    if python3 "$s" > "$log" 2>&1; then
        passed=$((passed + 1))
        echo "ok   scenario $name ($(( $(date +%s) - start )) s)"
    else
        failed=$((failed + 1))
        failures="$failures $name"
        echo "FAIL scenario $name"; sed 's/^/    /' "$log" | tail -n 40
    fi
done
# Fuzz targets: each one test, run over its seeds plus a short mutation run.
if [ -n "${KS_NO_FUZZ:-}" ]; then
    echo "fuzz: skipped ($KS_NO_FUZZ)" > "$log"
else
    BUILD="$BUILD" sh tests/fuzz_smoke.sh > "$log" 2>&1
fi
cat "$log"
p=$(grep -c '^ok   fuzz ' "$log")
f=$(grep -c '^FAIL fuzz ' "$log")
passed=$((passed + p)); failed=$((failed + f))
for n in $(sed -n 's/^FAIL fuzz \([^ ]*\).*/\1/p' "$log"); do
    failures="$failures fuzz_$n"
done

rm -f "$log"
[ -n "$failures" ] && echo "failed:$failures"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
