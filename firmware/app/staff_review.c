/* staff_review: the review page of staff mode (Freigabe) — the oldest free
 * text or drawing that waits for a decision, with how many wait, approved
 * or rejected one at a time. Each decision is stored before the next
 * answer shows; a drawing is written to a file of its own for the view and
 * removed again. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/clock.h"
#include "../core/log.h"
#include "../core/str.h"
#include "../storage/store_export.h"
#include "../storage/store_responses.h"
#include "staff_private.h"
#include "view_build.h"

#define REVIEW_COUNT_MAX 1000

static void drop_picture(StaffReview *r)
{
    if (r->png[0])
        unlink(r->png);
    r->png[0] = '\0';
}

void staff_review_leave(Staff *s)
{
    drop_picture(&s->review);
}

static KsStatus on_pending(void *ctx, const StoreExportSession *es, const StoreExportAnswer *a)
{
    StaffReview *r = ctx;
    if (r->count++ > 0)
        return KS_OK;
    r->have = true;
    r->session = es->id;
    str_copy(r->form, sizeof r->form, es->form_id ? es->form_id : "");
    str_copy(r->question, sizeof r->question, a->question ? a->question : "");
    str_copy(r->text, sizeof r->text, a->has_media ? "" : (a->value ? a->value : ""));
    return KS_OK;
}

/* Writes the drawing under review to a file of its own for the view (the UI
 * caches pictures by path, so each gets a new name). */
static void write_picture(Staff *s)
{
    StaffReview *r = &s->review;
    uint8_t *png = NULL;
    size_t n = 0;
    if (store_answer_media_get(s->store, r->session, r->question, &png, &n) != KS_OK)
        return;
    const char *dir = getenv("TMPDIR");
    snprintf(r->png, sizeof r->png, "%s/km2kiosk-review-%ld-%u.png", dir && dir[0] ? dir : "/tmp",
             (long)getpid(), ++r->serial);
    FILE *f = fopen(r->png, "wb");
    bool ok = f && fwrite(png, 1, n, f) == n;
    if (f && fclose(f) != 0)
        ok = false;
    if (!ok) {
        LOG_WARN("cannot write %s for review", r->png);
        unlink(r->png);
        r->png[0] = '\0';
    }
    free(png);
}

void staff_review_enter(Staff *s)
{
    StaffReview *r = &s->review;
    drop_picture(r);
    r->have = false;
    r->count = 0;
    KsStatus ks = store_review_pending(s->store, REVIEW_COUNT_MAX, on_pending, r);
    if (ks != KS_OK)
        LOG_ERROR("answers for review not read: %s", ks_status_str(ks));
    if (r->have && !r->text[0])
        write_picture(s);
}

void staff_review_tap(Staff *s, const char *id)
{
    StaffReview *r = &s->review;
    if (!r->have)
        return;
    StoreReview d = strcmp(id, "review:approve") == 0  ? STORE_REVIEW_APPROVED
                    : strcmp(id, "review:reject") == 0 ? STORE_REVIEW_REJECTED
                                                       : STORE_REVIEW_NONE;
    if (d == STORE_REVIEW_NONE)
        return;
    KsStatus ks = store_review_set(s->store, r->session, r->question, d, clock_wall_ms());
    if (ks != KS_OK)
        LOG_ERROR("review not stored: %s", ks_status_str(ks));
    staff_review_enter(s);
}

void staff_review_view(Staff *s, KsView *v)
{
    const StaffReview *r = &s->review;
    if (!r->have) {
        str_copy(v->message, sizeof v->message, staff_text(s, UIT_STAFF_REVIEW_NONE));
        return;
    }
    /* The heading says how many wait; the text (or the drawing) and where
     * it comes from fill the page. */
    uitext_format(v->title, sizeof v->title, staff_lang(s), UIT_STAFF_REVIEW_LEFT, r->count);
    snprintf(v->message, sizeof v->message, "%.63s · %.63s\n%.360s", r->form, r->question, r->text);
    if (r->png[0]) {
        KsViewTarget *t =
            view_add_slot(v, KS_SLOT_REVIEW_DRAWING, "review:drawing", NULL, KS_TARGET_OPTION);
        if (t) {
            t->enabled = false;
            t->image = r->png;
        }
    }
    view_add_slot(v, KS_SLOT_APPROVE, "review:approve", staff_text(s, UIT_STAFF_APPROVE),
                  KS_TARGET_PRIMARY);
    view_add_slot(v, KS_SLOT_REJECT, "review:reject", staff_text(s, UIT_STAFF_REJECT),
                  KS_TARGET_SECONDARY);
}
