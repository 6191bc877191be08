#!/bin/sh
# mkdeb.sh: stages the km2kiosk package and builds it with plain dpkg-deb.
# Called by `make deb` from the top of the source tree:
#   sh assets/packaging/mkdeb.sh VERSION ARCH BINARY WORKDIR OUTPUT.deb
# WORKDIR gets root/ (the package tree) and src/debian/ (only what
# dpkg-shlibdeps needs to compute Depends:).
# ARCH may be another Debian architecture than this machine's (make deb
# ARCH=arm64): the binary is then stripped with that architecture's binutils
# and dpkg-shlibdeps resolves its libraries among the multiarch packages of
# that architecture (/usr/lib/<triplet>, the :ARCH packages' shlibs/symbols).
set -eu
. assets/packaging/deb-lib.sh
deb_args "$@"
install -d "$root/DEBIAN" "$root/usr/bin" "$root/usr/libexec/km2kiosk" \
    "$root/usr/share/km2kiosk/assets" "$root/usr/share/km2kiosk/locale" \
    "$root/etc/km2kiosk" "$root/lib/systemd/system" "$root/lib/udev/rules.d" \
    "$root/usr/share/man/man8" "$root/usr/share/doc/km2kiosk"

# The program, stripped of its debugging sections.
install -m 0755 "$bin" "$root/usr/bin/km2kiosk"
deb_strip "$arch" "$root/usr/bin/km2kiosk"
install -m 0755 "$pk/km2kiosk-launch" "$root/usr/libexec/km2kiosk/km2kiosk-launch"

# Pictures and forms: every folder of assets/ except the sources of the UI
# texts (po/) and this packaging.
for d in assets/*/; do
    name=$(basename "$d")
    case $name in po|packaging) continue ;; esac
    cp -R "$d" "$root/usr/share/km2kiosk/assets/$name"
done
# UI texts compiled from assets/po/<lang>.po.
for po in assets/po/*.po; do
    lang=$(basename "$po" .po)
    install -d "$root/usr/share/km2kiosk/locale/$lang/LC_MESSAGES"
    msgfmt --check -o "$root/usr/share/km2kiosk/locale/$lang/LC_MESSAGES/km2kiosk-$lang.mo" "$po"
done

install -m 0644 "$pk/kiosk.conf" "$root/etc/km2kiosk/kiosk.conf"
install -m 0644 "$pk/km2kiosk.service" "$root/lib/systemd/system/km2kiosk.service"
install -m 0644 "$pk/90-km2kiosk-usb.rules" "$root/lib/udev/rules.d/90-km2kiosk-usb.rules"
install -d "$root/usr/share/polkit-1/rules.d"
install -m 0644 "$pk/km2kiosk-polkit.rules" "$root/usr/share/polkit-1/rules.d/50-km2kiosk.rules"
sed "s/@VERSION@/$version/g" "$pk/km2kiosk.8" | gzip -9n > "$root/usr/share/man/man8/km2kiosk.8.gz"
install -m 0644 "$pk/copyright" "$root/usr/share/doc/km2kiosk/copyright"
deb_changelog "$pk/changelog" "$version" "$root/usr/share/doc/km2kiosk"
find "$root" -type d -exec chmod 0755 {} +
find "$root/usr/share" "$root/etc" "$root/lib" -type f -exec chmod 0644 {} +

# Depends: the shared libraries the binary links, as dpkg-shlibdeps sees them;
# the ones it loads when first needed (libespeak-ng, libzip: see
# firmware/core/dynlib.h) are named in control.in by hand.
shlibs=$(deb_shlibs km2kiosk "$arch" "$work" "$root/usr/bin/km2kiosk")

install -m 0644 "$pk/conffiles" "$root/DEBIAN/conffiles"
for s in postinst prerm postrm; do
    install -m 0755 "$pk/$s" "$root/DEBIAN/$s"
done
deb_build "$root" "$pk/control.in" "$version" "$arch" "$shlibs" "$out" ./etc
