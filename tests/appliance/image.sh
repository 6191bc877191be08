#!/bin/sh
# image.sh: the bootable Debian bookworm disk for `make test-appliance`,
# with the kiosk package installed the way a technician installs it.
#
#   sh tests/appliance/image.sh ARCH DEB DIR
#
# ARCH is amd64 or arm64, DEB the package `make deb` built, DIR the folder
# that gets kiosk.img (raw ext4, the whole root file system), vmlinuz,
# initrd.img and age.key (the test's evaluation key, the kiosk encrypts to
# it). Two layers, each cached under DIR/cache by a hash of what went in:
#   base   debootstrap (minbase) + the guest's own packages + every package
#          the kiosk's Depends: names, so the kiosk layer needs no network;
#          about 2 minutes for amd64 (longer for arm64: its maintainer
#          scripts run under qemu-user through binfmt_misc).
#   kiosk  a copy of the base with the .deb installed by dpkg and the
#          test's kiosk.conf lines added, packed by mkfs.ext4 -d (no loop
#          device, no mount): seconds, and the only layer rebuilt when just
#          the kiosk changed.
# Needs root (debootstrap, chroot). Prints what it does, one line a step.
set -eu
arch=$1 deb=$2 dir=$3
here=$(cd "$(dirname "$0")" && pwd)
suite=bookworm
mirror=${APPLIANCE_MIRROR:-http://deb.debian.org/debian}
# What the guest needs besides the kiosk: a kernel and initramfs to boot,
# polkitd (the kiosk's Recommends: its rule lets the kiosk unmount sticks),
# the guest agent the test talks to, sqlite3 to read the database inside.
guest="linux-image-$arch initramfs-tools polkitd qemu-guest-agent sqlite3"

say() { printf 'image %s: %s\n' "$arch" "$*"; }
hash_of() { sha256sum | cut -c1-16; }

[ "$(id -u)" = 0 ] || { echo "image.sh: needs root (debootstrap and chroot)" >&2; exit 2; }
[ -f "$deb" ] || { echo "image.sh: no package $deb (make deb)" >&2; exit 2; }
case $arch in
    amd64|arm64) ;;
    *) echo "image.sh: ARCH must be amd64 or arm64, not $arch" >&2; exit 2 ;;
esac

# The package's own dependencies, first of each alternative, without versions.
deps=$(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/|.*//; s/(.*)//; s/[[:space:]]//g' |
    grep -v '^$' | LC_ALL=C sort -u | tr '\n' ' ')

# A foreign architecture's maintainer scripts run under qemu-user: the
# kernel starts arm64 programs through binfmt_misc (F: the emulator is
# opened now, so it need not exist inside the chroot).
if [ "$arch" != "$(dpkg --print-architecture)" ]; then
    bm=/proc/sys/fs/binfmt_misc
    [ -e $bm/register ] || mount -t binfmt_misc binfmt_misc $bm
    cpu=$(dpkg-architecture -a"$arch" -qDEB_HOST_GNU_CPU 2>/dev/null)
    if [ ! -e "$bm/qemu-$cpu" ]; then
        conf=/usr/lib/binfmt.d/qemu-$cpu.conf
        [ -f "$conf" ] || { echo "image.sh: $conf missing (package qemu-user-static)" >&2; exit 2; }
        sed -n '/^:/p' "$conf" > $bm/register
        say "registered qemu-$cpu-static with binfmt_misc"
    fi
fi

# Runs a command inside a root file system, with /proc and without
# starting any service (policy-rc.d), whatever happens.
in_root() {
    root=$1
    shift
    printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
    chmod 0755 "$root/usr/sbin/policy-rc.d"
    mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
    rc=0
    chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
        LC_ALL=C.UTF-8 "$@" || rc=$?
    umount "$root/proc" 2>/dev/null || umount -l "$root/proc" || true
    rm -f "$root/usr/sbin/policy-rc.d"
    return $rc
}

mkdir -p "$dir/cache"
base_key=$(printf '%s\n' "$arch" "$suite" "$mirror" "$guest" "$deps" "$(sed -n '/# BASE:/,/# END BASE/p' "$0")" | hash_of)
base=$dir/cache/base-$base_key
if [ ! -f "$base/done" ]; then
    # BASE: how the base layer is made (part of its cache key)
    rm -rf "$dir"/cache/base-*
    mkdir -p "$base"
    t0=$(date +%s)
    say "debootstrap $suite (minbase) into $base/rootfs"
    debootstrap --arch="$arch" --variant=minbase --include=systemd-sysv,udev,dbus,kmod \
        "$suite" "$base/rootfs" "$mirror" > "$base/debootstrap.log" 2>&1 || {
        tail -20 "$base/debootstrap.log" >&2
        exit 1
    }
    # A small initramfs: only what finds the root disk of a QEMU machine
    # (a few MB instead of 36, seconds less per boot under emulation, and
    # minutes less to make under qemu-user). Set before the kernel comes,
    # in files no package owns.
    mkdir -p "$base/rootfs/etc/initramfs-tools/conf.d" "$base/rootfs/usr/share/initramfs-tools/modules.d"
    echo MODULES=list > "$base/rootfs/etc/initramfs-tools/conf.d/km2kiosk-test"
    printf '%s\n' virtio_pci virtio_mmio virtio_blk ext4 crc32c_generic \
        > "$base/rootfs/usr/share/initramfs-tools/modules.d/km2kiosk-test"
    say "apt-get install $guest and the kiosk's Depends: $deps"
    in_root "$base/rootfs" sh -c "apt-get update -qq && apt-get install -y -qq --no-install-recommends $guest $deps" \
        > "$base/apt.log" 2>&1 || {
        tail -30 "$base/apt.log" >&2
        exit 1
    }
    in_root "$base/rootfs" apt-get clean
    rm -rf "$base/rootfs/var/lib/apt/lists/"*
    echo '/dev/vda / ext4 rw,errors=remount-ro 0 1' > "$base/rootfs/etc/fstab"
    echo kiosk-vm > "$base/rootfs/etc/hostname"
    cp "$base"/rootfs/boot/vmlinuz-* "$base/vmlinuz"
    cp "$base"/rootfs/boot/initrd.img-* "$base/initrd.img"
    echo "$(($(date +%s) - t0))" > "$base/seconds"
    touch "$base/done"
    # END BASE
    say "base layer built in $(cat "$base/seconds") s"
else
    say "base layer cached ($base_key, built in $(cat "$base/seconds") s)"
fi

kiosk_key=$(printf '%s\n' "$base_key" "$(sha256sum < "$deb")" "$(cat "$here/kiosk-test.conf")" \
    "$(sed -n '/# KIOSK:/,/# END KIOSK/p' "$0")" | hash_of)
if [ ! -f "$dir/kiosk.img" ] || [ "$(cat "$dir/kiosk.key" 2>/dev/null)" != "$kiosk_key" ]; then
    # KIOSK: how the kiosk layer is made (part of its cache key)
    t0=$(date +%s)
    rm -rf "$dir/rootfs" "$dir/kiosk.img" "$dir/kiosk.key"
    say "kiosk layer: dpkg -i $(basename "$deb")"
    cp -a "$base/rootfs" "$dir/rootfs"
    cp "$deb" "$dir/rootfs/tmp/km2kiosk.deb"
    in_root "$dir/rootfs" dpkg -i /tmp/km2kiosk.deb > "$dir/dpkg.log" 2>&1 || {
        cat "$dir/dpkg.log" >&2
        exit 1
    }
    rm -f "$dir/rootfs/tmp/km2kiosk.deb"
    # The test's settings, and the evaluation team's key the batches are
    # encrypted to (the test decrypts them with it).
    rm -f "$dir/age.key"
    age-keygen -o "$dir/age.key" 2> /dev/null
    {
        echo
        cat "$here/kiosk-test.conf"
        echo "age_recipient = $(age-keygen -y "$dir/age.key")"
    } >> "$dir/rootfs/etc/km2kiosk/kiosk.conf"
    mkfs.ext4 -q -F -L kiosk-root -d "$dir/rootfs" "$dir/kiosk.img" 3G > /dev/null
    rm -rf "$dir/rootfs"
    cp "$base/vmlinuz" "$base/initrd.img" "$dir/"
    echo "$kiosk_key" > "$dir/kiosk.key"
    # END KIOSK
    say "kiosk layer built in $(($(date +%s) - t0)) s"
else
    say "kiosk layer cached ($kiosk_key)"
fi
