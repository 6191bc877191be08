#!/bin/sh
# Enforces the layering rules of DESIGN.md §2 by reading #include lines.
# A rule is: files under DIR may include project headers only from the listed
# directories, and may or may not use certain system headers.
set -u
fail=0

# check DIR ALLOWED_PROJECT_DIRS FORBIDDEN_SYSTEM_REGEX
check() {
    dir=$1 allowed=$2 forbidden=$3
    for f in $(find "$dir" -maxdepth 1 -name '*.[ch]' 2>/dev/null; \
               find "$dir" -mindepth 2 -name '*.[ch]' 2>/dev/null); do
        grep -n '^[[:space:]]*#[[:space:]]*include' "$f" | while IFS= read -r line; do
            hdr=$(printf '%s' "$line" | sed -n 's/.*#[[:space:]]*include[[:space:]]*[<"]\([^>"]*\)[>"].*/\1/p')
            case "$line" in
            *'"'*)
                # Project header: resolve relative to the including file.
                target=$(cd "$(dirname "$f")" && realpath -m "$hdr" --relative-to="$OLDPWD" 2>/dev/null)
                ok=0
                for a in $allowed; do
                    case "$target" in "$a" | "$a"/*) ok=1 ;; esac
                done
                if [ $ok = 0 ]; then
                    echo "layering: $f includes $hdr ($target), outside: $allowed"
                    echo x >> "$tmp"
                fi ;;
            *)
                if [ -n "$forbidden" ] && printf '%s' "$hdr" | grep -Eq "$forbidden"; then
                    echo "layering: $f includes <$hdr>, not allowed in $dir"
                    echo x >> "$tmp"
                fi ;;
            esac
        done
    done
}

tmp=$(mktemp)
SDL='^SDL'
SQL='^sqlite3'
check firmware/core    "firmware/core" "$SDL|$SQL|^sodium|^qrencode|^cjson"
check firmware/survey  "firmware/core firmware/survey" "$SDL|$SQL|^qrencode"
check firmware/storage "firmware/core firmware/survey firmware/storage" "$SDL|^qrencode"
check export           "firmware/core firmware/survey firmware/storage export" "$SDL|$SQL"
check firmware/sys     "firmware/core firmware/sys" "$SDL|$SQL"
check firmware/app     "firmware/core firmware/survey firmware/storage export firmware/sys firmware/app" "$SDL|$SQL"
check ui               "firmware/core ui firmware/app/event.h firmware/app/view.h" "$SQL"
# ui may include only event.h and view.h from the app: the allowed list names
# them as directories, so check them precisely here.
grep -rn '#[[:space:]]*include[[:space:]]*"[^"]*firmware/app/' ui 2>/dev/null \
    | grep -v -e 'firmware/app/event.h"' -e 'firmware/app/view.h"' \
    | sed 's/^/layering: ui may include only event.h and view.h from the app: /' | tee -a "$tmp"
# Outside ui/, only the composition root (firmware/*.c) may use SDL.
grep -rln '#[[:space:]]*include[[:space:]]*<SDL' firmware export 2>/dev/null \
    | sed 's/^/layering: SDL used outside ui\/: /' | tee -a "$tmp"
# Outside firmware/storage, nothing includes sqlite3.h (tests are exempt).
grep -rln '#[[:space:]]*include[[:space:]]*<sqlite3.h>' firmware ui export 2>/dev/null \
    | grep -v '^firmware/storage/' | sed 's/^/layering: sqlite3.h outside storage: /' | tee -a "$tmp"

n=$(wc -l < "$tmp")
rm -f "$tmp"
if [ "$n" -gt 0 ]; then
    echo "check-layers: $n violation(s)"
    exit 1
fi
echo "check-layers: ok"
