/* view_build: the pieces every view builder of the app uses — appending a
 * target, the keys of a number pad or keyboard as targets ("key:<label>"),
 * and a drawing surface with its tools. App side only: the UI reads views, it never builds them. */
#ifndef KS_VIEW_BUILD_H
#define KS_VIEW_BUILD_H

#include <stdbool.h>

#include "drawing.h"
#include "keys.h"
#include "view.h"

/* Appends a target (enabled, item -1, everything else zero). NULL when the
 * view is full (logged once as a cannot-happen). */
KsViewTarget *view_add_target(KsView *v, const char *id, const char *text, KsTargetRole role);
/* The same for a target with a place of its own in the screen's layout. */
KsViewTarget *view_add_slot(KsView *v, KsSlot slot, const char *id, const char *text,
                            KsTargetRole role);

/* Appends every key of layout as a target in its row, with captions on the
 * page-switching keys ("123", "EN", "⇧"), and names the layout in
 * v->keys_layout. letters is the language whose letters the keyboard shows
 * (or returns to); shift marks a held shift key. */
void view_add_keys(KsView *v, const KeysLayout *layout, const char *letters, bool shift);

/* A drawing surface as item `item` of the view: the strokes of d, the
 * canvas ("canvas"), one pen per colour ("pen:<name>", pen in use
 * selected), undo and clear (enabled while there are strokes), their words
 * in lang. */
void view_add_canvas(KsView *v, int item, const Drawing *d, int pen, const char *lang);

#endif
