"""A stand-in USB stick for the staff scenarios: a folder below a usb_root,
the mount table that names it while it is plugged in, and a kiosk.conf for
a panel size that points the kiosk at both."""
import os

from tour import panel_for


class Stick:
    """<d>/media-<name>/STICK, listed in <d>/mounts-<name> when plugged in."""

    def __init__(self, d, name):
        self.dir = d
        self.root = os.path.join(d, f"media-{name}")
        self.mount = os.path.join(self.root, "STICK")
        self.table = os.path.join(d, f"mounts-{name}")
        os.makedirs(self.mount, exist_ok=True)
        self.unplug()

    def plug(self, on=True):
        with open(self.table, "w") as f:
            f.write("proc /proc proc rw 0 0\n")
            if on:
                f.write(f"/dev/sdz1 {self.mount} vfat rw,nosuid,nodev 0 0\n")

    def unplug(self):
        self.plug(False)

    def config(self, name, size, **settings):
        """Writes <d>/<name>: the 7" panel in the orientation of size, this
        stick's usb_root and usb_mounts, export_k = 2, then settings as
        `key = value` lines; returns its path."""
        pw, ph = panel_for(size)
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write(f"panel_width_mm = {pw}\npanel_height_mm = {ph}\n"
                    f"usb_root = {self.root}\nusb_mounts = {self.table}\nexport_k = 2\n")
            for key, value in settings.items():
                f.write(f"{key} = {value}\n")
        return path
