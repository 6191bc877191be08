/* layout: dispatch to the screen layouts, mirroring for right-to-left, and
 * hit testing. */
#include "layout.h"

#include <string.h>

#include "../firmware/core/log.h"
#include "screens/screens.h"

SDL_Rect layout_rect(int x, int y, int w, int h)
{
    SDL_Rect r = {x, y, w, h};
    return r;
}

LayoutTarget *layout_add(Layout *l, int view_index, SDL_Rect r, TargetStyle style)
{
    if (KS_NEVER(l->n >= KS_VIEW_MAX_TARGETS))
        return NULL;
    LayoutTarget *t = &l->targets[l->n++];
    memset(t, 0, sizeof *t);
    t->view_index = view_index;
    t->rect = r;
    t->style = style;
    return t;
}

static void mirror(SDL_Rect *r, int w)
{
    if (r->w > 0)
        r->x = w - r->x - r->w;
}

/* Keyboards and number pads keep their own order in right-to-left
 * languages (an Arabic keyboard is not a mirrored one): the block of keys
 * moves to the mirrored side, the keys inside it stay in place. */
static void unmirror_keys(Layout *l, const KsView *v)
{
    int x0 = l->w, x1 = 0;
    for (int i = 0; i < l->n; i++) {
        const SDL_Rect *r = &l->targets[i].rect;
        if (v->targets[l->targets[i].view_index].role != KS_TARGET_KEY)
            continue;
        if (r->x < x0)
            x0 = r->x;
        if (r->x + r->w > x1)
            x1 = r->x + r->w;
    }
    for (int i = 0; i < l->n; i++) {
        SDL_Rect *r = &l->targets[i].rect;
        if (v->targets[l->targets[i].view_index].role == KS_TARGET_KEY)
            r->x = x0 + x1 - r->x - r->w;
    }
}

void layout_compute(Layout *l, const KsView *v, const Theme *t, int w, int h)
{
    memset(l, 0, sizeof *l);
    l->w = w;
    l->h = h;
    l->rtl = v->rtl;
    switch (v->screen) {
    case KS_SCREEN_ATTRACT:
        screen_attract(l, v, t);
        break;
    case KS_SCREEN_SLEEP:
        break; /* dark: nothing to lay out, any touch wakes */
    case KS_SCREEN_AUDIENCE:
    case KS_SCREEN_LANGUAGE:
    case KS_SCREEN_WS_LANGUAGE:
        screen_choose(l, v, t);
        break;
    case KS_SCREEN_QUESTION:
        screen_question(l, v, t);
        break;
    case KS_SCREEN_IDLE_PROMPT:
    case KS_SCREEN_CONFIRM_QUIT:
    case KS_SCREEN_THANKS:
    case KS_SCREEN_FAULT:
    case KS_SCREEN_WS_SENT:
        screen_dialog(l, v, t);
        break;
    case KS_SCREEN_WS_WALL:
    case KS_SCREEN_WS_CARD:
    case KS_SCREEN_WS_VOTE:
    case KS_SCREEN_WS_RESULTS:
        screen_workshop(l, v, t);
        break;
    default:
        screen_staff(l, v, t);
        break;
    }
    if (!l->rtl)
        return;
    SDL_Rect *boxes[] = {&l->title,        &l->subtitle, &l->message, &l->progress_text,
                         &l->progress_bar, &l->picture,  &l->card,    &l->start_button};
    for (size_t i = 0; i < sizeof boxes / sizeof boxes[0]; i++)
        mirror(boxes[i], w);
    for (int i = 0; i < l->n_items; i++) {
        mirror(&l->items[i].title, w);
        mirror(&l->items[i].message, w);
    }
    for (int i = 0; i < l->n; i++)
        mirror(&l->targets[i].rect, w);
    unmirror_keys(l, v);
}

int layout_hit(const Layout *l, int x, int y)
{
    /* Later targets are drawn on top, so search from the end. */
    for (int i = l->n - 1; i >= 0; i--) {
        const SDL_Rect *r = &l->targets[i].rect;
        if (x >= r->x && x < r->x + r->w && y >= r->y && y < r->y + r->h)
            return i;
    }
    return -1;
}
