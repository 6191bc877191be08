#!/bin/sh
# make screenshots: see tests/tools/screenshots.py.
set -eu
exec python3 tests/tools/screenshots.py
