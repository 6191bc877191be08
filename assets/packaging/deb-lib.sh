# deb-lib.sh: the steps both packages take, sourced by mkdeb.sh (km2kiosk)
# and mkdeb-eval.sh (km2eval) from the top of the source tree.

# deb_args VERSION ARCH BINARY WORKDIR OUTPUT: the arguments both scripts
# take, as $version $arch $bin $work $out; $pk is this folder and $root the
# package tree under WORKDIR, emptied (with WORKDIR/src) for a new staging.
deb_args() {
    version=$1 arch=$2 bin=$3 work=$4 out=$5
    pk=assets/packaging
    root=$work/root
    umask 022
    rm -rf "$root" "$work/src"
}

# deb_strip ARCH FILE: strips FILE of its debugging sections with the
# binutils of ARCH (another Debian architecture than this machine's too).
deb_strip() {
    strip=strip
    if [ "$1" != "$(dpkg --print-architecture)" ]; then
        strip=$(dpkg-architecture -a"$1" -qDEB_HOST_GNU_TYPE 2>/dev/null)-strip
    fi
    "$strip" --strip-unneeded --remove-section=.comment --remove-section=.note "$2"
}

# deb_changelog SOURCE VERSION DOCDIR: the changelog, compressed. A native
# version (no "-revision") has changelog.gz, a Debian revision
# changelog.Debian.gz (Debian policy 12.7).
deb_changelog() {
    case $2 in *-*) name=changelog.Debian.gz ;; *) name=changelog.gz ;; esac
    sed "s/@VERSION@/$2/g" "$1" | gzip -9n > "$3/$name"
}

# deb_shlibs PACKAGE ARCH WORKDIR BINARY: prints Depends: for the shared
# libraries BINARY links, as dpkg-shlibdeps sees them. DEB_HOST_ARCH: they
# are looked up for ARCH (/usr/lib/<triplet>, the :ARCH packages), with
# ARCH's objdump when it is not this machine's. WORKDIR gets src/debian/
# (only what dpkg-shlibdeps needs).
deb_shlibs() {
    install -d "$3/src/debian"
    printf 'Source: %s\n\nPackage: %s\nArchitecture: any\n' "$1" "$1" > "$3/src/debian/control"
    abs=$(cd "$(dirname "$4")" && pwd)/$(basename "$4")
    found=$(cd "$3/src" && DEB_HOST_ARCH=$2 dpkg-shlibdeps -O -e"$abs" |
        sed -n 's/^shlibs:Depends=//p')
    [ -n "$found" ] || { echo "$1: dpkg-shlibdeps found no libraries" >&2; return 1; }
    echo "$found"
}

# deb_build ROOT CONTROL_IN VERSION ARCH SHLIBS OUT [SKIP]: md5sums of every
# file outside DEBIAN/ (and outside SKIP, e.g. ./etc, whose conffiles dpkg
# checks itself), the control file from CONTROL_IN, then the package OUT.
deb_build() {
    skip=${7:-./DEBIAN}
    (cd "$1" && find . -type f ! -path './DEBIAN/*' ! -path "$skip/*" | sed 's|^\./||' |
        LC_ALL=C sort | xargs md5sum) > "$1/DEBIAN/md5sums"
    chmod 0644 "$1/DEBIAN/md5sums"
    size=$(du -sk --exclude=DEBIAN "$1" | cut -f1)
    sed -e "s/@VERSION@/$3/" -e "s/@ARCH@/$4/" -e "s/@SIZE@/$size/" \
        -e "s/@SHLIBS@/$5/" "$2" > "$1/DEBIAN/control"
    dpkg-deb --root-owner-group -Zxz --build "$1" "$6"
}
