#!/bin/sh
# Renders every screen of the sample survey, in German and English, at the
# default 7" panel resolution and at 1280x800, into build/screenshots/.
set -eu
BUILD=${BUILD:-build}
OUT="$BUILD/screenshots"
mkdir -p "$OUT"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for size in 800x480 1280x800; do
    for lang in de en; do
        p="$OUT/${size}-${lang}"
        {
            echo "screenshot $p-01-attract.png"
            echo "touch start"
            echo "screenshot $p-02-audience.png"
            echo "touch audience:kinder"
            echo "screenshot $p-03-language.png"
            echo "touch lang:$lang"
            echo "screenshot $p-04-note.png"
            echo "touch next"
            echo "touch next"
            echo "screenshot $p-05-faces5-required.png"
            echo "touch choice:4"
            echo "screenshot $p-06-faces5-selected.png"
            echo "touch next"
            echo "touch choice:3"
            echo "screenshot $p-07-faces3.png"
            echo "touch next"
            echo "touch choice:yes"
            echo "screenshot $p-08-yesno.png"
            echo "touch next"
            echo "touch choice:5"
            echo "touch next"
            echo "touch choice:art"
            echo "screenshot $p-09-tiles.png"
            echo "touch next"
            echo "touch choice:library"
            echo "touch choice:park"
            echo "screenshot $p-10-multiple.png"
            echo "touch quit"
            echo "screenshot $p-11-confirm-quit.png"
            echo "touch no"
            echo "wait 60000"
            echo "screenshot $p-12-idle-prompt.png"
            echo "touch continue"
            echo "touch next"
            echo "touch next"
            echo "screenshot $p-13-thanks.png"
            echo "quit"
        } > "$tmp/script"
        "$BUILD/km2kiosk" --headless --db "$tmp/$size-$lang.db" --windowed "$size" --script "$tmp/script"
    done
done
# The staff fault screen: a database that fails its integrity check.
printf 'this is not a database\n' > "$tmp/broken.db"
echo "screenshot $OUT/800x480-fault.png" | "$BUILD/km2kiosk" --headless --db "$tmp/broken.db" \
    --windowed 800x480 --script - 2>/dev/null
echo "screenshots in $OUT: $(ls "$OUT" | wc -l) files"
