#!/bin/sh
# mkdeb-eval.sh: stages the km2eval package (the evaluation office's program:
# no touchscreen, no service, no kiosk files) and builds it with dpkg-deb.
# Called by `make deb` from the top of the source tree:
#   sh assets/packaging/mkdeb-eval.sh VERSION ARCH BINARY WORKDIR OUTPUT.deb
set -eu
version=$1 arch=$2 bin=$3 work=$4 out=$5
pk=assets/packaging
umask 022
strip=strip
if [ "$arch" != "$(dpkg --print-architecture)" ]; then
    strip=$(dpkg-architecture -a"$arch" -qDEB_HOST_GNU_TYPE 2>/dev/null)-strip
fi

root=$work/root
rm -rf "$root" "$work/src"
install -d "$root/DEBIAN" "$root/usr/bin" "$root/usr/share/man/man1" \
    "$root/usr/share/doc/km2eval"
install -m 0755 "$bin" "$root/usr/bin/km2eval"
"$strip" --strip-unneeded --remove-section=.comment --remove-section=.note "$root/usr/bin/km2eval"
sed "s/@VERSION@/$version/g" "$pk/km2eval.1" | gzip -9n > "$root/usr/share/man/man1/km2eval.1.gz"
install -m 0644 "$pk/copyright-eval" "$root/usr/share/doc/km2eval/copyright"
case $version in *-*) changelog=changelog.Debian.gz ;; *) changelog=changelog.gz ;; esac
sed "s/@VERSION@/$version/g" "$pk/changelog-eval" | gzip -9n > "$root/usr/share/doc/km2eval/$changelog"
find "$root" -type d -exec chmod 0755 {} +
find "$root/usr/share" -type f -exec chmod 0644 {} +

install -d "$work/src/debian"
printf 'Source: km2eval\n\nPackage: km2eval\nArchitecture: any\n' > "$work/src/debian/control"
abs_bin=$(cd "$root/usr/bin" && pwd)/km2eval
shlibs=$(cd "$work/src" && DEB_HOST_ARCH=$arch dpkg-shlibdeps -O -e"$abs_bin" |
    sed -n 's/^shlibs:Depends=//p')
[ -n "$shlibs" ] || { echo "mkdeb-eval: dpkg-shlibdeps found no libraries" >&2; exit 1; }

(cd "$root" && find . -type f ! -path './DEBIAN/*' | sed 's|^\./||' |
    LC_ALL=C sort | xargs md5sum) > "$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/md5sums"
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size/" \
    -e "s/@SHLIBS@/$shlibs/" "$pk/control-eval.in" > "$root/DEBIAN/control"

dpkg-deb --root-owner-group -Zxz --build "$root" "$out"
