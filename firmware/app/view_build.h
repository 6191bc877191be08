/* view_build: the pieces every view builder of the app uses — appending a
 * target, and the keys of a number pad or keyboard as targets
 * ("key:<label>"). App side only: the UI reads views, it never builds them. */
#ifndef KS_VIEW_BUILD_H
#define KS_VIEW_BUILD_H

#include <stdbool.h>

#include "keys.h"
#include "view.h"

/* Appends a target (enabled, item -1, everything else zero). NULL when the
 * view is full (logged once as a cannot-happen). */
KsViewTarget *view_add_target(KsView *v, const char *id, const char *text, KsTargetRole role);

/* Appends every key of layout as a target in its row, with captions on the
 * page-switching keys ("123", "EN", "⇧"), and names the layout in
 * v->keys_layout. letters is the language whose letters the keyboard shows
 * (or returns to); shift marks a held shift key. */
void view_add_keys(KsView *v, const KeysLayout *layout, const char *letters, bool shift);

#endif
