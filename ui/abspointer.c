/* abspointer: the absolute position of an evdev pointer, read from the
 * descriptor SDL names as the mouse id (see abspointer.h for why). */
#include "abspointer.h"

#ifdef __linux__
#include <linux/input.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#endif

/* Character devices of the input subsystem (linux/major.h). */
#define INPUT_DEVICE_MAJOR 13

int abspointer_scale(int v, int lo, int hi, int size)
{
    if (size <= 1 || hi <= lo)
        return 0;
    if (v < lo)
        v = lo;
    if (v > hi)
        v = hi;
    return (int)(((long long)(v - lo) * (size - 1) + (hi - lo) / 2) / (hi - lo));
}

bool abspointer_position(int fd, int win_w, int win_h, int *x, int *y)
{
#ifdef __linux__
    struct stat st;
    if (fd < 0 || win_w <= 0 || win_h <= 0 || fstat(fd, &st) != 0 || !S_ISCHR(st.st_mode) ||
        major(st.st_rdev) != INPUT_DEVICE_MAJOR)
        return false;
    struct input_absinfo ax, ay;
    if (ioctl(fd, EVIOCGABS(ABS_X), &ax) != 0 || ioctl(fd, EVIOCGABS(ABS_Y), &ay) != 0 ||
        ax.maximum <= ax.minimum || ay.maximum <= ay.minimum)
        return false;
    *x = abspointer_scale(ax.value, ax.minimum, ax.maximum, win_w);
    *y = abspointer_scale(ay.value, ay.minimum, ay.maximum, win_h);
    return true;
#else
    (void)fd;
    (void)win_w;
    (void)win_h;
    (void)x;
    (void)y;
    return false;
#endif
}
