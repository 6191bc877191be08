/* screens: one layout function per kind of screen. Each places the view's
 * texts and targets into the Layout in left-to-right terms; layout.c mirrors
 * the result for right-to-left languages. */
#ifndef KS_SCREENS_H
#define KS_SCREENS_H

#include "../layout.h"

void screen_attract(Layout *l, const KsView *v, const Theme *t);
void screen_choose(Layout *l, const KsView *v, const Theme *t); /* audience, language */
void screen_question(Layout *l, const KsView *v, const Theme *t);
void screen_dialog(Layout *l, const KsView *v, const Theme *t); /* prompts, thanks, fault */
void screen_staff(Layout *l, const KsView *v, const Theme *t);  /* PIN pad and staff pages */
/* workshop.c: the participants' wall, card, vote and results screens, and
 * the staff's workshop pages inside `page` (after the tabs and title). */
void screen_workshop(Layout *l, const KsView *v, const Theme *t);
void screen_ws_staff(Layout *l, const KsView *v, const Theme *t, SDL_Rect page);

/* The first target in slot, or -1. */
static inline int screen_find(const KsView *v, KsSlot slot)
{
    for (int i = 0; i < v->n_targets; i++)
        if (v->targets[i].slot == slot)
            return i;
    return -1;
}

/* The indices of the targets in slot, in view order (at most max). */
static inline int screen_collect(const KsView *v, KsSlot slot, int *idx, int max)
{
    int n = 0;
    for (int i = 0; i < v->n_targets && n < max; i++)
        if (v->targets[i].slot == slot)
            idx[n++] = i;
    return n;
}

/* Lays out `n` targets (view indices idx[]) in a grid filling `area`;
 * returns the number of columns used. Shared by choose and question. */
int screen_grid(Layout *l, const int *idx, int n, SDL_Rect area, const Theme *t, int cols,
                int max_cell_w, TargetStyle style);

/* widgets.c: lays out the answer targets (view indices idx[]) of one
 * question drawn as `widget` inside `area`; returns how many parts did not
 * get their minimum size (they are laid out smaller, never dropped). */
int screen_widget(Layout *l, const KsView *v, const Theme *t, KsWidget widget, SDL_Rect area,
                  const int *idx, int n);
/* The least and the most height worth giving such a widget at width w. */
int screen_widget_min_h(const KsView *v, const Theme *t, KsWidget widget, int w, const int *idx,
                        int n);
int screen_widget_max_h(const KsView *v, const Theme *t, KsWidget widget, int w, const int *idx,
                        int n);

/* keys.c: the number pad in `area` (centred; returns 0 or 1 when its keys
 * are under 10 mm), and its width at height h when at most max_w is free. */
int screen_numpad(Layout *l, const KsView *v, const Theme *t, const int *keys, int n,
                  SDL_Rect area);
int screen_numpad_width(const KsView *v, const Theme *t, const int *keys, int n, int h, int max_w);
/* The keyboard's letter rows at width w (rows too long for 10 mm keys are
 * split; not counting a row of only special keys, reported in *special_row). */
int screen_keyboard_rows(const KsView *v, const Theme *t, const int *keys, int n, int w,
                         bool *special_row);
/* The keyboard (split as screen_keyboard_rows says for letters.w): letter rows in `letters`, the
 * special row in `specials` (or, when specials.w == 0, as the last row in `letters`). Returns how
 * many parts are under 10 mm. */
int screen_keyboard(Layout *l, const KsView *v, const Theme *t, const int *keys, int n,
                    SDL_Rect letters, SDL_Rect specials);

#endif
