/* sdl_inject: the events a script or a test puts in SDL's queue as a
 * panel, a keyboard or the window manager would: finger touches through the
 * panel's rotation and wiring, the keys staff might press, the window being
 * closed. They go through the same input path as real ones. */
#include <string.h>

#include "ui_private.h"

void ui_inject_touch(Ui *ui, UiTouchPhase phase, int x, int y)
{
    static const Uint32 types[] = {SDL_FINGERDOWN, SDL_FINGERMOTION, SDL_FINGERUP};
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = types[phase];
    e.tfinger.timestamp = SDL_GetTicks();
    e.tfinger.touchId = ui->inject_touch;
    e.tfinger.fingerId = 1;
    /* What the panel would report there: through rotation and wiring. */
    input_unmap_touch(x, y, &ui->input.map, ui->w, ui->h, &e.tfinger.x, &e.tfinger.y);
    e.tfinger.pressure = 1.0f;
    if (phase == UI_TOUCH_UP) {
        /* Touch to photon starts as the lift enters the queue. */
        ui->lift_gen = ui->view.generation;
        ui->lift_waiting = true;
        ui->lift_to_photon_ms = -1;
        ui->lift_at = SDL_GetPerformanceCounter();
    }
    SDL_PushEvent(&e);
}

void ui_inject_tap(Ui *ui, int x, int y)
{
    ui_inject_touch(ui, UI_TOUCH_DOWN, x, y);
    ui_inject_touch(ui, UI_TOUCH_UP, x, y);
}

bool ui_inject_key(Ui *ui, const char *name)
{
    static const struct {
        const char *name;
        SDL_Keycode key;
        SDL_Scancode scan;
        Uint16 mod;
    } keys[] = {
        {"escape", SDLK_ESCAPE, SDL_SCANCODE_ESCAPE, KMOD_NONE},
        {"alt+f4", SDLK_F4, SDL_SCANCODE_F4, KMOD_LALT},
        {"alt+tab", SDLK_TAB, SDL_SCANCODE_TAB, KMOD_LALT},
    };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        if (strcmp(keys[i].name, name) != 0)
            continue;
        SDL_Event e;
        memset(&e, 0, sizeof e);
        e.key.windowID = SDL_GetWindowID(ui->win);
        e.key.keysym.sym = keys[i].key;
        e.key.keysym.scancode = keys[i].scan;
        e.key.keysym.mod = keys[i].mod;
        e.key.timestamp = SDL_GetTicks();
        e.type = SDL_KEYDOWN;
        e.key.state = SDL_PRESSED;
        SDL_PushEvent(&e);
        e.type = SDL_KEYUP;
        e.key.state = SDL_RELEASED;
        SDL_PushEvent(&e);
        return true;
    }
    return false;
}

void ui_inject_close(Ui *ui)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_WINDOWEVENT;
    e.window.event = SDL_WINDOWEVENT_CLOSE;
    e.window.windowID = SDL_GetWindowID(ui->win);
    e.window.timestamp = SDL_GetTicks();
    SDL_PushEvent(&e);
    memset(&e, 0, sizeof e);
    e.type = SDL_QUIT;
    e.quit.timestamp = SDL_GetTicks();
    SDL_PushEvent(&e);
}
