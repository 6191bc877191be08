/* staff_stick: the USB stick as the staff export and import pages see it —
 * noticing it in the mount table (a line saying where it is and how much
 * room it has), reading the evaluation office's receipts on a stick just
 * noticed, and ejecting it. The export to it is staff_export_page.c's.
 * Draws nothing. */
#include <stdio.h>
#include <string.h>

#include "../core/clock.h"
#include "../core/log.h"
#include "../core/str.h"
#include "../sys/usb.h"
#include "retention.h"
#include "staff_private.h"

/* How often the export and import pages read the mount table again. */
#define STICK_POLL_MS 1000

/* What staff hear about the receipts read from a stick; false (and nothing
 * changed) when there were none. */
static bool acks_said(Staff *s, const RetentionAcks *r)
{
    StaffStick *k = &s->stick;
    if (r->recorded == 0 && r->ignored == 0)
        return false;
    char line[256];
    k->acks_text[0] = '\0';
    if (r->recorded > 0) {
        uitext_format(line, sizeof line, staff_lang(s), UIT_STAFF_ACKS_NEW, r->recorded);
        str_copy(k->acks_text, sizeof k->acks_text, line);
    }
    if (r->ignored > 0) {
        uitext_format(line, sizeof line, staff_lang(s), UIT_STAFF_ACKS_BAD, r->ignored);
        size_t n = strlen(k->acks_text);
        snprintf(k->acks_text + n, sizeof k->acks_text - n, "%s%s", n ? " " : "", line);
    }
    return true;
}

/* Reads the evaluation office's receipts on the stick at mount into the
 * ledger (only with eval_pubkey set) and keeps what staff hear about them;
 * fresh: a stick just noticed, whose earlier message no longer applies.
 * True when that message changed. */
static bool read_acks(Staff *s, const char *mount, bool fresh)
{
    StaffStick *k = &s->stick;
    str_copy(k->acks_mount, sizeof k->acks_mount, mount);
    bool had = k->acks_text[0] != '\0';
    if (fresh)
        k->acks_text[0] = '\0';
    if (!s->cfg->eval_pubkey[0] || !s->store)
        return had && fresh;
    RetentionAcks r;
    KsStatus ks = retention_read_acks(s->store, s->cfg->eval_pubkey, mount, clock_wall_ms(), &r);
    if (ks != KS_OK)
        LOG_WARN("staff mode: receipts on %s not (all) read: %s", mount, ks_status_str(ks));
    return acks_said(s, &r) || (had && fresh);
}

void staff_stick_acks_read(Staff *s, const char *mount, const RetentionAcks *r)
{
    str_copy(s->stick.acks_mount, sizeof s->stick.acks_mount, mount);
    (void)acks_said(s, r);
}

void staff_stick_reread_acks(Staff *s)
{
    s->stick.acks_mount[0] = '\0';
    s->stick.acks_text[0] = '\0';
}

/* Where the stick is and how much room it has, or that there is none. */
static void stick_line(const Staff *s, bool have, const UsbStick *now, char *line, size_t size)
{
    if (!have) {
        str_copy(line, size, staff_text(s, UIT_STAFF_STICK_NONE));
    } else if (now->read_only) {
        uitext_format(line, size, staff_lang(s), UIT_STAFF_STICK_RO, now->mount);
    } else {
        char free_txt[64];
        staff_overview_bytes(now->free_bytes, free_txt, sizeof free_txt);
        uitext_format(line, size, staff_lang(s), UIT_STAFF_STICK, now->mount, free_txt);
    }
}

bool staff_stick_poll(Staff *s)
{
    StaffStick *k = &s->stick;
    k->next_poll_ms = clock_mono_ms() + STICK_POLL_MS;
    UsbStick now;
    bool have = usb_find(s->cfg->usb_mounts, s->cfg->usb_root, &now) == KS_OK;
    if (have && k->ejected[0] && strcmp(now.mount, k->ejected) == 0)
        have = false;
    else
        k->ejected[0] = '\0'; /* the ejected stick has left the table */
    char line[sizeof k->line];
    stick_line(s, have, &now, line, sizeof line);
    bool changed = have != k->have || strcmp(line, k->line) != 0;
    k->have = have;
    if (have)
        k->usb = now;
    str_copy(k->line, sizeof k->line, line);
    if (changed)
        LOG_INFO("staff mode: %s", line);
    if (!have)
        k->acks_mount[0] = '\0';
    else if (strcmp(now.mount, k->acks_mount) != 0)
        changed = read_acks(s, now.mount, true) || changed;
    return changed;
}

bool staff_stick_watched(const Staff *s)
{
    return s->screen == KS_SCREEN_STAFF_EXPORT ||
           (s->screen == KS_SCREEN_STAFF_FORMS && s->forms.importing);
}

bool staff_stick_tick(Staff *s)
{
    if (!staff_stick_watched(s) || clock_mono_ms() < s->stick.next_poll_ms)
        return false;
    return staff_stick_poll(s);
}

int64_t staff_stick_deadline(const Staff *s)
{
    return staff_stick_watched(s) ? s->stick.next_poll_ms : -1;
}

UiTextId staff_stick_eject(Staff *s)
{
    StaffStick *k = &s->stick;
    k->acks_text[0] = '\0';
    staff_stick_poll(s);
    if (!k->have)
        return UIT_STAFF_STICK_NONE;
    UsbEjectOutcome ej = usb_eject(&k->usb, s->cfg->usb_eject);
    LOG_INFO("staff mode: eject %s: %s", k->usb.mount, usb_eject_outcome_name(ej));
    /* An unmounted stick has left the mount table by itself; one that is
     * still listed (only synced) is not offered again until it is gone. */
    if (ej != USB_EJECTED)
        str_copy(k->ejected, sizeof k->ejected, k->usb.mount);
    k->have = false;
    (void)staff_stick_poll(s);
    return ej == USB_EJECTED        ? UIT_STAFF_EJECTED
           : ej == USB_EJECT_SYNCED ? UIT_STAFF_EJECT_SYNCED
                                    : UIT_STAFF_EJECT_FAILED;
}
