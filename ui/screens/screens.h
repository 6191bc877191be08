/* screens: one layout function per kind of screen. Each places the view's
 * texts and targets into the Layout in left-to-right terms; layout.c mirrors
 * the result for right-to-left languages. */
#ifndef KS_SCREENS_H
#define KS_SCREENS_H

#include "../layout.h"

void screen_attract(Layout *l, const KsView *v, const Theme *t);
void screen_choose(Layout *l, const KsView *v, const Theme *t);   /* audience, language */
void screen_question(Layout *l, const KsView *v, const Theme *t);
void screen_dialog(Layout *l, const KsView *v, const Theme *t);   /* prompts, thanks, fault */

/* Lays out `n` targets (view indices idx[]) in a grid filling `area`;
 * returns the number of columns used. Shared by choose and question. */
int screen_grid(Layout *l, const int *idx, int n, SDL_Rect area, const Theme *t, int cols,
                int max_cell_w, TargetStyle style);

#endif
