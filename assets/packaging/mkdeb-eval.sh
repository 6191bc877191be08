#!/bin/sh
# mkdeb-eval.sh: stages the km2eval package (the evaluation office's program:
# no touchscreen, no service, no kiosk files) and builds it with dpkg-deb.
# Called by `make deb` from the top of the source tree:
#   sh assets/packaging/mkdeb-eval.sh VERSION ARCH BINARY WORKDIR OUTPUT.deb
set -eu
. assets/packaging/deb-lib.sh
deb_args "$@"
install -d "$root/DEBIAN" "$root/usr/bin" "$root/usr/share/man/man1" \
    "$root/usr/share/doc/km2eval"
install -m 0755 "$bin" "$root/usr/bin/km2eval"
deb_strip "$arch" "$root/usr/bin/km2eval"
sed "s/@VERSION@/$version/g" "$pk/km2eval.1" | gzip -9n > "$root/usr/share/man/man1/km2eval.1.gz"
install -m 0644 "$pk/copyright-eval" "$root/usr/share/doc/km2eval/copyright"
deb_changelog "$pk/changelog-eval" "$version" "$root/usr/share/doc/km2eval"
find "$root" -type d -exec chmod 0755 {} +
find "$root/usr/share" -type f -exec chmod 0644 {} +

shlibs=$(deb_shlibs km2eval "$arch" "$work" "$root/usr/bin/km2eval")
deb_build "$root" "$pk/control-eval.in" "$version" "$arch" "$shlibs" "$out"
