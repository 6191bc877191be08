#!/bin/sh
# make bench: start-up, frame, memory, idle CPU and answer-commit figures of
# km2kiosk at 1280x800 and 800x480, next to their targets. Missed targets are
# reported, not fatal; a crash or a figure that cannot be taken exits non-zero.
# The work is done by tests/bench/bench.py (and build/bench/bench_commit).
set -eu
BUILD=${BUILD:-build}
export BUILD
exec python3 tests/bench/bench.py
