#!/bin/sh
# Enforces the layering rules of DESIGN.md §2 by reading #include lines.
# A rule is: files under DIR may include project headers only from the listed
# directories, and may or may not use certain system headers.
set -u
fail=0

# check DIR ALLOWED_PROJECT_DIRS FORBIDDEN_SYSTEM_REGEX
# One grep over the files of DIR and one awk over its include lines: a
# quoted header is resolved against the including file's folder (".." and
# "." folded away, as realpath -m would) and must lie in an allowed folder;
# an <angle> header must not match the forbidden expression.
check() {
    find "$1" -name '*.[ch]' -exec grep -Hn '^[[:space:]]*#[[:space:]]*include' {} + \
        2>/dev/null | awk -v dir="$1" -v allowed="$2" -v forbidden="$3" '
    function resolve(from, hdr,    parts, n, i, out, k, p) {
        sub(/\/[^\/]*$/, "", from)
        n = split(from "/" hdr, parts, "/")
        k = 0
        for (i = 1; i <= n; i++) {
            p = parts[i]
            if (p == "" || p == ".") continue
            if (p == ".." && k > 0 && out[k] != "..") { k--; continue }
            out[++k] = p
        }
        p = out[1]
        for (i = 2; i <= k; i++) p = p "/" out[i]
        return p
    }
    {
        file = $0; sub(/:.*/, "", file)
        line = $0; sub(/^[^:]*:[^:]*:/, "", line)
        hdr = line
        if (!sub(/.*#[[:space:]]*include[[:space:]]*[<"]/, "", hdr)) next
        sub(/[>"].*/, "", hdr)
        if (line ~ /"/) {
            target = resolve(file, hdr)
            ok = 0
            na = split(allowed, dirs, " ")
            for (i = 1; i <= na; i++)
                if (target == dirs[i] || index(target, dirs[i] "/") == 1) ok = 1
            if (!ok)
                printf "layering: %s includes %s (%s), outside: %s\n", file, hdr, target, allowed
        } else if (forbidden != "" && hdr ~ forbidden) {
            printf "layering: %s includes <%s>, not allowed in %s\n", file, hdr, dir
        }
    }' | tee -a "$tmp"
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
# km2eval: core and export's format code, never the kiosk's UI, state machine
# or storage; SQLite only in its own archive files (below).
check eval             "firmware/core export eval" "$SDL"
grep -rln '#[[:space:]]*include[[:space:]]*<sqlite3.h>' eval 2>/dev/null \
    | grep -v '^eval/archive' | sed 's/^/layering: sqlite3.h in eval outside its archive: /' \
    | tee -a "$tmp"
# Nothing of the kiosk includes the office's program.
grep -rln '#[[:space:]]*include[[:space:]]*"[^"]*eval/' firmware ui export 2>/dev/null \
    | sed 's/^/layering: includes eval\/: /' | tee -a "$tmp"
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
