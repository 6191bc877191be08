/* staff_export_text: what staff read about an export and an eject, in their
 * language (the gettext catalogs through uitext). export/ and sys/ report
 * outcomes, causes and counts only; the staff export page and the "message"
 * of `km2kiosk export` both word them here. Draws nothing, changes nothing. */
#ifndef KS_STAFF_EXPORT_TEXT_H
#define KS_STAFF_EXPORT_TEXT_H

#include <stddef.h>
#include <stdbool.h>

#include "../../export/export.h"
#include "../sys/usb.h"

/* The text for an export's result r in lang (a staff_language code; others
 * read German): what went out (and what waits), or why nothing did and
 * what to do. eject_hint: the caller leaves the stick mounted, so a done
 * export adds that it can be ejected now. */
void staff_export_text(const ExportRunResult *r, const char *lang, bool eject_hint, char *out,
                       size_t size);

/* The text for an eject's outcome in lang. Lives as long as the process. */
const char *staff_eject_text(UsbEjectOutcome o, const char *lang);

#endif
