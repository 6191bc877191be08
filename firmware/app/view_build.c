/* view_build: appending targets and keys to a view under construction. */
#include "view_build.h"

#include <stdio.h>
#include <string.h>

#include "../core/log.h"
#include "../core/str.h"

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
                KsViewTarget *t = view_add_target(v, id, NULL, KS_TARGET_KEY);
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
