/* view_build: appending targets and keys to a view under construction. */
#include "view_build.h"

#include <stdio.h>
#include <string.h>

#include "../core/log.h"
#include "../core/str.h"
#include "uitext.h"

KsViewTarget *view_add_slot(KsView *v, KsSlot slot, const char *id, const char *text,
                            KsTargetRole role)
{
    KsViewTarget *t = view_add_target(v, id, text, role);
    if (t)
        t->slot = slot;
    return t;
}

KsViewTarget *view_add_target(KsView *v, const char *id, const char *text, KsTargetRole role)
{
    if (KS_NEVER(v->n_targets >= KS_VIEW_MAX_TARGETS))
        return NULL;
    KsViewTarget *t = &v->targets[v->n_targets++];
    memset(t, 0, sizeof *t);
    str_copy(t->id, sizeof t->id, id);
    t->text = text;
    t->role = role;
    t->enabled = true;
    t->item = -1;
    return t;
}

/* Where a key goes: the space bar, backspace and the switching keys have
 * slots of their own; letters, digits and signs none. */
static KsSlot key_slot(const char *key)
{
    if (strcmp(key, KEYS_SPACE) == 0)
        return KS_SLOT_KEY_SPACE;
    if (strcmp(key, KEYS_BACKSPACE) == 0)
        return KS_SLOT_KEY_BACKSPACE;
    if (strcmp(key, KEYS_SYMBOLS) == 0 || strcmp(key, KEYS_LAYOUT) == 0 ||
        strcmp(key, KEYS_SHIFT) == 0)
        return KS_SLOT_KEY_SWITCH;
    return KS_SLOT_NONE;
}

/* What the switching keys show: the page they lead to. */
static const char *key_caption(const KeysLayout *layout, const char *letters, const char *key)
{
    if (strcmp(key, KEYS_SYMBOLS) == 0)
        return strcmp(layout->code, "symbols") == 0 ? keys_letters_caption(letters) : "123";
    if (strcmp(key, KEYS_LAYOUT) == 0)
        return keys_caption(keys_next(letters)->code);
    if (strcmp(key, KEYS_SHIFT) == 0)
        return "⇧";
    return NULL;
}

void view_add_keys(KsView *v, const KeysLayout *layout, const char *letters, bool shift)
{
    str_copy(v->keys_layout, sizeof v->keys_layout, layout->code);
    for (int r = 0; r < layout->n_rows; r++) {
        const char *p = layout->rows[r];
        while (*p) {
            const char *end = strchr(p, ' ');
            size_t len = end ? (size_t)(end - p) : strlen(p);
            char key[32], id[KS_TARGET_ID_MAX];
            if (len < sizeof key) {
                memcpy(key, p, len);
                key[len] = '\0';
                snprintf(id, sizeof id, "key:%s", key);
                KsViewTarget *t = view_add_slot(v, key_slot(key), id, NULL, KS_TARGET_KEY);
                if (t) {
                    t->text = t->id + 4; /* the key's label, kept with its id */
                    t->row = r;
                    t->subtext = key_caption(layout, letters, key);
                    t->selected = shift && strcmp(key, KEYS_SHIFT) == 0;
                }
            }
            p = end ? end + 1 : p + len;
        }
    }
}

void view_add_canvas(KsView *v, int item, const Drawing *d, int pen, const char *lang)
{
    KsViewItem *it = &v->items[item];
    it->drawing = drawing_view(d);
    it->pen = pen;
    KsViewTarget *c = view_add_target(v, "canvas", NULL, KS_TARGET_CANVAS);
    if (c)
        c->item = item;
    for (int i = 0; i < KS_PEN_COUNT; i++) {
        char id[KS_TARGET_ID_MAX];
        snprintf(id, sizeof id, "pen:%s", ks_pen_names[i]);
        KsViewTarget *t = view_add_slot(v, KS_SLOT_PEN, id, NULL, KS_TARGET_OPTION);
        if (!t)
            return;
        t->item = item;
        t->pen = i;
        t->selected = i == pen;
    }
    bool any = drawing_stroke_count(d) > 0;
    KsViewTarget *u =
        view_add_slot(v, KS_SLOT_UNDO, "undo", uitext_get(lang, UIT_UNDO), KS_TARGET_SECONDARY);
    KsViewTarget *cl =
        view_add_slot(v, KS_SLOT_CLEAR, "clear", uitext_get(lang, UIT_CLEAR), KS_TARGET_SECONDARY);
    for (int k = 0; k < 2; k++) {
        KsViewTarget *t = k ? cl : u;
        if (t) {
            t->item = item;
            t->enabled = any;
        }
    }
}
