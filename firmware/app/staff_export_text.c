/* staff_export_text: an export's outcome, cause and counts, and an eject's
 * outcome, as sentences from the catalogs. Each count gets its own plural
 * (dngettext through uitext_format); sentences are joined with a space. */
#include "staff_export_text.h"

#include <stdio.h>
#include <string.h>

#include "../core/str.h"
#include "uitext.h"

/* Appends one more sentence to out. */
static void add(char *out, size_t size, const char *text)
{
    size_t n = strlen(out);
    if (text[0] && n + 1 < size)
        snprintf(out + n, size - n, "%s%s", n ? " " : "", text);
}

static UiTextId cause_text(ExportCause c)
{
    switch (c) {
    case EXPORT_CAUSE_NO_SUCH_BATCH:
        return UIT_EXPORT_NO_SUCH_BATCH;
    case EXPORT_CAUSE_KIOSK_FULL:
        return UIT_EXPORT_KIOSK_FULL;
    case EXPORT_CAUSE_STICK_FULL:
        return UIT_EXPORT_STICK_FULL;
    case EXPORT_CAUSE_STICK_READONLY:
        return UIT_EXPORT_STICK_READONLY;
    case EXPORT_CAUSE_STICK_GONE:
        return UIT_EXPORT_STICK_GONE;
    case EXPORT_CAUSE_STICK_DIFFERS:
        return UIT_EXPORT_STICK_DIFFERS;
    case EXPORT_CAUSE_STICK_UNFIT:
        return UIT_EXPORT_STICK_UNFIT;
    case EXPORT_CAUSE_STICK_EXISTS:
        return UIT_EXPORT_STICK_EXISTS;
    case EXPORT_CAUSE_UNVERIFIED:
        return UIT_EXPORT_UNVERIFIED;
    case EXPORT_CAUSE_LEDGER:
        return UIT_EXPORT_LEDGER;
    case EXPORT_CAUSE_NONE:
    case EXPORT_CAUSE_FAILED:
    case EXPORT_CAUSE_STOPPED: /* the kiosk was shutting down: nobody reads it */
        break;
    }
    return UIT_EXPORT_FAILED;
}

static void done_text(const ExportRunResult *r, const char *lang, bool eject_hint, char *out,
                      size_t size)
{
    char line[512], where[96];
    snprintf(where, sizeof where, "%s/%s", EXPORT_DIR_NAME, r->batch_id);
    uitext_format(line, sizeof line, lang, UIT_EXPORT_DONE, r->rows, where);
    add(out, size, line);
    if (r->workshops > 0) {
        uitext_format(line, sizeof line, lang, UIT_EXPORT_DONE_WORKSHOPS, r->workshops,
                      r->workshop_cards);
        add(out, size, line);
    }
    if (r->held_back > 0) {
        uitext_format(line, sizeof line, lang, UIT_EXPORT_DONE_HELD, r->held_back, r->k);
        add(out, size, line);
    }
    if (eject_hint)
        add(out, size, uitext_get(lang, UIT_EXPORT_EJECT_HINT));
}

void staff_export_text(const ExportRunResult *r, const char *lang, bool eject_hint, char *out,
                       size_t size)
{
    if (size == 0)
        return;
    out[0] = '\0';
    char line[512];
    switch (r->outcome) {
    case EXPORT_DONE:
        done_text(r, lang, eject_hint, out, size);
        return;
    case EXPORT_NOTHING:
        add(out, size,
            uitext_get(lang, r->redo_of[0] ? UIT_EXPORT_NOTHING_REDO : UIT_EXPORT_NOTHING));
        return;
    case EXPORT_TOO_FEW:
        uitext_format(line, sizeof line, lang, UIT_EXPORT_TOO_FEW, r->held_back, r->k);
        add(out, size, line);
        return;
    case EXPORT_STICK_FULL:
    case EXPORT_STICK_READONLY:
    case EXPORT_STICK_GONE:
    case EXPORT_FAILED:
        break;
    }
    UiTextId id = cause_text(r->cause);
    if (id == UIT_EXPORT_NO_SUCH_BATCH)
        uitext_format(line, sizeof line, lang, id, r->redo_of);
    else if (id == UIT_EXPORT_STICK_EXISTS)
        uitext_format(line, sizeof line, lang, id, r->batch_id);
    else
        str_copy(line, sizeof line, uitext_get(lang, id));
    add(out, size, line);
}

const char *staff_eject_text(UsbEjectOutcome o, const char *lang)
{
    switch (o) {
    case USB_EJECTED:
        return uitext_get(lang, UIT_STAFF_EJECTED);
    case USB_EJECT_SYNCED:
        return uitext_get(lang, UIT_STAFF_EJECT_SYNCED);
    case USB_EJECT_GONE:
        break;
    }
    return uitext_get(lang, UIT_STAFF_EJECT_FAILED);
}
