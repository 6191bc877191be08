/* staff_view: builds the KsView of the staff screens (PIN pad, overview
 * with the signing key's QR code, clock, forms and import, review, export
 * with its QR receipt and the office's receipts read) from the Staff state,
 * in the staff language (kiosk.conf staff_language; right to left for
 * Arabic). It reads the state and changes nothing but the view. */
#include <stdio.h>
#include <string.h>

#include "../core/clock.h"
#include "../core/log.h"
#include "../core/str.h"
#include "../storage/store_export.h"
#include "clockwatch.h"
#include "staff_private.h"
#include "view_build.h"
#include "workshop.h"

/* A staff text in the staff language (kiosk.conf staff_language). */
static const char *txt(const Staff *s, UiTextId id)
{
    return uitext_get(staff_lang(s), id);
}

/* Appends a line to v->message; a further line that no longer fits is
 * left out whole rather than cut off mid-word. */
static void add_line(KsView *v, const char *line)
{
    size_t n = strlen(v->message);
    if (n > 0 && n + 1 + strlen(line) >= sizeof v->message)
        return;
    if (n > 0)
        v->message[n++] = '\n';
    str_copy(v->message + n, sizeof v->message - n, line);
}

static void build_pin(Staff *s, KsView *v)
{
    UiTextId title = s->stage == PIN_VERIFY ? UIT_STAFF_ENTER_PIN
                     : s->stage == PIN_SET  ? UIT_STAFF_NEW_PIN
                                            : UIT_STAFF_REPEAT_PIN;
    str_copy(v->title, sizeof v->title, txt(s, title));
    bool lock = staff_locked(s);
    if (lock)
        uitext_format(v->message, sizeof v->message, staff_lang(s), UIT_STAFF_LOCKED,
                      staff_lock_left_s(s));
    else if (s->pin_msg == UIT_STAFF_PIN_LENGTH)
        uitext_format(v->message, sizeof v->message, staff_lang(s), UIT_STAFF_PIN_LENGTH,
                      s->cfg->pin_min_digits);
    else if (s->pin_msg != NO_TEXT)
        str_copy(v->message, sizeof v->message, txt(s, (UiTextId)s->pin_msg));
    v->countdown_s = lock ? staff_lock_left_s(s) : 0;
    /* The digits are never shown, one dot each. */
    s->dots[0] = '\0';
    for (size_t i = 0; s->pin[i]; i++)
        strcat(s->dots, "●");
    KsViewTarget *f = view_add_target(v, "pin:entry", s->dots, KS_TARGET_FIELD);
    if (f) {
        f->selected = true;
        f->enabled = false;
    }
    static const char *const rows[4][3] = {
        {"1", "2", "3"}, {"4", "5", "6"}, {"7", "8", "9"}, {"backspace", "0", "ok"}};
    static const char *const labels[] = {"backspace", "OK"};
    for (int r = 0; r < 4; r++) {
        for (int c = 0; c < 3; c++) {
            char id[KS_TARGET_ID_MAX];
            snprintf(id, sizeof id, "pin:%s", rows[r][c]);
            const char *text = strcmp(rows[r][c], "ok") == 0 ? labels[1] : rows[r][c];
            KsViewTarget *t = view_add_target(v, id, text, KS_TARGET_KEY);
            if (!t)
                return;
            t->row = r;
            t->enabled = !lock;
        }
    }
    view_add_target(v, "staff:cancel", txt(s, UIT_STAFF_CANCEL), KS_TARGET_BACK);
}

static void build_nav(Staff *s, KsView *v)
{
    static const UiTextId names[STAFF_NAV_COUNT] = {UIT_STAFF_OVERVIEW, UIT_STAFF_CLOCK,
                                                    UIT_STAFF_FORMS,    UIT_STAFF_REVIEW,
                                                    UIT_STAFF_EXPORT,   UIT_STAFF_WORKSHOP};
    KsScreen shown = staff_is_ws_screen(s->screen) ? KS_SCREEN_STAFF_WORKSHOP : s->screen;
    for (int i = 0; i < STAFF_NAV_COUNT; i++) {
        KsViewTarget *t =
            view_add_target(v, staff_nav[i].id, txt(s, names[i]), KS_TARGET_SECONDARY);
        if (t) {
            t->selected = shown == staff_nav[i].screen;
            t->row = -1; /* a menu tab (the layout puts them in a column or band) */
        }
        if (t && shown == staff_nav[i].screen)
            str_copy(v->title, sizeof v->title, txt(s, names[i]));
    }
    KsViewTarget *x = view_add_target(v, "staff:exit", txt(s, UIT_STAFF_EXIT), KS_TARGET_BACK);
    if (x)
        x->row = -1;
}

/* "2026-11-24 10:11 UTC" */
static void day_time(int64_t ms, char *out, size_t size)
{
    char iso[32];
    clock_format_iso(ms, iso);
    snprintf(out, size, "%.10s %.5s UTC", iso, iso + 11);
}

/* The clock warning, first on the overview (what is wrong, the last
 * known time, where to go) and on the clock page (what the doubt means for
 * exports). The live watch knows best; the overview's stored state stands
 * in without one. */
static void add_clock_doubt(Staff *s, KsView *v, UiTextId text)
{
    bool doubt = s->cw ? clockwatch_in_doubt(s->cw) : s->overview->clock_doubt;
    if (!doubt)
        return;
    int64_t last = s->cw ? clockwatch_last_known_ms(s->cw) : s->overview->last_known_ms;
    char when[48] = "–", line[256];
    if (last > 0)
        day_time(last, when, sizeof when);
    uitext_format(line, sizeof line, staff_lang(s), text, when);
    add_line(v, line);
}

/* What the kiosk keeps, and when the exported part goes. */
static void add_kept(Staff *s, KsView *v)
{
    const StoreKept *kp = &s->overview->kept;
    char oldest[16] = "–", line[256];
    if (kp->sessions > 0) {
        char iso[32];
        clock_format_iso(kp->oldest_ms, iso);
        snprintf(oldest, sizeof oldest, "%.10s", iso);
    }
    int days = s->cfg->retention_days;
    if (days > 0)
        uitext_format(line, sizeof line, staff_lang(s),
                      s->cfg->eval_pubkey[0] ? UIT_STAFF_KEPT_ACK : UIT_STAFF_KEPT, kp->sessions,
                      kp->exported, days, oldest);
    else
        uitext_format(line, sizeof line, staff_lang(s), UIT_STAFF_KEPT_FOREVER, kp->sessions,
                      kp->exported, oldest);
    add_line(v, line);
}

/* With receipts expected: how many exports the evaluation office has not
 * confirmed yet, and since when. */
static void add_acks(Staff *s, KsView *v)
{
    const StoreAckCounts *a = &s->overview->acks;
    char line[256];
    if (a->unacked > 0) {
        char iso[32];
        clock_format_iso(a->oldest_unacked_ms, iso);
        char day[16];
        snprintf(day, sizeof day, "%.10s", iso);
        uitext_format(line, sizeof line, staff_lang(s), UIT_STAFF_UNACKED, a->unacked, day);
        add_line(v, line);
    } else if (a->acked > 0) {
        add_line(v, txt(s, UIT_STAFF_ALL_ACKED));
    }
}

/* The signing key: its public key line as a QR code (a picture, not
 * tappable) for enrolling the kiosk at the office, its id under it. */
static void add_key(Staff *s, KsView *v)
{
    if (!s->db_path)
        return;
    if (!s->have_key) {
        add_line(v, txt(s, UIT_STAFF_KEY_NONE));
        return;
    }
    snprintf(s->key_label, sizeof s->key_label, "%s %s", txt(s, UIT_STAFF_KEY), s->key.id);
    KsViewTarget *t =
        s->key_qr[0] ? view_add_target(v, "overview:key", s->key_label, KS_TARGET_OPTION) : NULL;
    if (t) {
        t->enabled = false;
        t->image = s->key_qr;
    } else {
        add_line(v, s->key_label);
    }
}

static void build_overview(Staff *s, KsView *v)
{
    const StaffOverview *o = s->overview;
    char line[256];
    add_clock_doubt(s, v, UIT_STAFF_CLOCK_DOUBT);
    /* What waits for the office comes first: staff act on it. */
    if (s->cfg->eval_pubkey[0])
        add_acks(s, v);
    for (int i = 0; i < o->n_forms; i++) {
        const StaffFormCounts *c = &o->forms[i];
        uitext_format(line, sizeof line, staff_lang(s), UIT_STAFF_COUNTS, c->form_id, c->complete,
                      c->abandoned, c->misuse);
        add_line(v, line);
        /* The form's latest day with answers (days come oldest first). */
        for (int d = o->n_days - 1; d >= 0; d--) {
            const StaffDayCounts *dc = &o->days[d];
            if (strcmp(dc->form_id, c->form_id) != 0)
                continue;
            uitext_format(line, sizeof line, staff_lang(s), UIT_STAFF_DAY_COUNTS, dc->day,
                          dc->form_id, dc->complete, dc->abandoned);
            add_line(v, line);
            break;
        }
    }
    uitext_format(line, sizeof line, staff_lang(s), UIT_STAFF_PENDING, o->pending_complete,
                  o->pending_flagged);
    add_line(v, line);
    add_kept(s, v);
    char val[96];
    if (o->have_disk) {
        staff_overview_bytes(o->disk_free, val, sizeof val);
        uitext_format(line, sizeof line, staff_lang(s), UIT_STAFF_DISK, val);
        add_line(v, line);
    }
    if (o->have_batch) {
        char iso[32];
        clock_format_iso(o->last_batch.created_ms, iso);
        snprintf(val, sizeof val, "%s (%.10s, %d)", o->last_batch.id, iso, o->last_batch.rows);
    } else {
        str_copy(val, sizeof val, txt(s, UIT_STAFF_NO_EXPORT));
    }
    uitext_format(line, sizeof line, staff_lang(s), UIT_STAFF_LAST_EXPORT, val);
    add_line(v, line);
    add_key(s, v);
    char iso[32];
    clock_format_iso(clock_wall_ms(), iso);
    snprintf(val, sizeof val, "%.10s %.5s UTC", iso, iso + 11);
    uitext_format(line, sizeof line, staff_lang(s), UIT_STAFF_CLOCK_NOW, val);
    add_line(v, line);
}

static void build_clock(Staff *s, KsView *v)
{
    for (int f = 0; f < CF_COUNT; f++) {
        char id[KS_TARGET_ID_MAX];
        snprintf(id, sizeof id, "clock:%s:+", staff_clock_ids[f]);
        KsViewTarget *t = view_add_target(v, id, "+", KS_TARGET_KEY);
        if (t)
            t->row = f;
        snprintf(s->clock_txt[f], sizeof s->clock_txt[f], f == CF_YEAR ? "%04d" : "%02d",
                 s->clock_f[f]);
        snprintf(id, sizeof id, "clock:%s", staff_clock_ids[f]);
        t = view_add_target(v, id, s->clock_txt[f], KS_TARGET_FIELD);
        if (t) {
            t->subtext = txt(s, staff_clock_names[f]);
            t->enabled = false;
            t->row = f;
        }
        snprintf(id, sizeof id, "clock:%s:-", staff_clock_ids[f]);
        t = view_add_target(v, id, "−", KS_TARGET_KEY);
        if (t)
            t->row = f;
    }
    view_add_target(v, "clock:ok", txt(s, UIT_STAFF_SET_CLOCK), KS_TARGET_PRIMARY);
    /* In doubt: the warning, and a way to say the time shown is right. */
    if (clockwatch_in_doubt(s->cw))
        view_add_target(v, "clock:confirm", txt(s, UIT_STAFF_CLOCK_CONFIRM), KS_TARGET_SECONDARY);
    add_clock_doubt(s, v, UIT_STAFF_CLOCK_DOUBT_DO);
    if (s->clock_msg != NO_TEXT)
        add_line(v, txt(s, (UiTextId)s->clock_msg));
}

/* The import pages: the forms on the stick (import:<name>), or why the one
 * tapped cannot be used; import:back leads back. */
static void build_import(Staff *s, KsView *v)
{
    const StaffImport *im = s->import;
    if (s->import_result) {
        str_copy(v->message, sizeof v->message, im->text);
    } else {
        if (im->text[0])
            str_copy(v->message, sizeof v->message, im->text);
        else if (!s->have_stick)
            str_copy(v->message, sizeof v->message, s->stick_line);
        else
            str_copy(v->message, sizeof v->message,
                     txt(s, im->n > 0 ? UIT_STAFF_IMPORT_HINT : UIT_STAFF_IMPORT_NONE));
        for (int i = 0; i < im->n; i++) {
            char id[KS_TARGET_ID_MAX];
            snprintf(id, sizeof id, "import:%s", im->entries[i].name);
            if (!view_add_target(v, id, im->entries[i].name, KS_TARGET_OPTION))
                break;
        }
    }
    view_add_target(v, "import:back", txt(s, UIT_STAFF_IMPORT_BACK), KS_TARGET_SECONDARY);
}

static void build_forms(Staff *s, KsView *v)
{
    if (s->importing) {
        build_import(s, v);
        return;
    }
    /* After an import, its result; otherwise what a tap does. */
    str_copy(v->message, sizeof v->message,
             s->import->text[0] ? s->import->text : txt(s, UIT_STAFF_FORMS_HINT));
    for (int i = 0; i < catalog_count(s->catalog); i++) {
        const Form *f = catalog_form(s->catalog, i);
        char id[KS_TARGET_ID_MAX];
        snprintf(id, sizeof id, "form:%s", form_id(f));
        int lang = form_lang_index(f, staff_lang(s));
        const char *title = form_text(f, form_title(f), lang >= 0 ? lang : form_default_lang(f));
        KsViewTarget *t =
            view_add_target(v, id, title && title[0] ? title : form_id(f), KS_TARGET_OPTION);
        if (!t)
            return;
        t->selected = store_form_is_active(s->store, form_id(f));
        t->subtext = txt(s, t->selected ? UIT_STAFF_FORM_ON : UIT_STAFF_FORM_OFF);
    }
    view_add_target(v, "forms:import", txt(s, UIT_STAFF_IMPORT), KS_TARGET_SECONDARY);
}

static void build_review(Staff *s, KsView *v)
{
    if (!s->have_review) {
        str_copy(v->message, sizeof v->message, txt(s, UIT_STAFF_REVIEW_NONE));
        return;
    }
    /* The heading says how many wait; the text (or the drawing) and where
     * it comes from fill the page. */
    uitext_format(v->title, sizeof v->title, staff_lang(s), UIT_STAFF_REVIEW_LEFT, s->review_count);
    snprintf(v->message, sizeof v->message, "%.63s · %.63s\n%.360s", s->review_form,
             s->review_question, s->review_text);
    if (s->review_png[0]) {
        KsViewTarget *t = view_add_target(v, "review:drawing", NULL, KS_TARGET_OPTION);
        if (t) {
            t->enabled = false;
            t->image = s->review_png;
        }
    }
    view_add_target(v, "review:approve", txt(s, UIT_STAFF_APPROVE), KS_TARGET_PRIMARY);
    view_add_target(v, "review:reject", txt(s, UIT_STAFF_REJECT), KS_TARGET_SECONDARY);
}

/* The running export's phase and how far it is, as a line and a bar in
 * thousandths: building, then writing and reading back by bytes, then
 * checking the stick's copy. */
static void add_progress(Staff *s, KsView *v, const ExportProgress *p)
{
    char line[256], done[32], total[32];
    staff_overview_bytes(p->bytes_done, done, sizeof done);
    staff_overview_bytes(p->bytes_total, total, sizeof total);
    double part = p->bytes_total > 0   ? (double)p->bytes_done / (double)p->bytes_total
                  : p->files_total > 0 ? (double)p->files_done / p->files_total
                                       : 0;
    if (part > 1)
        part = 1;
    switch (p->phase) {
    case EXPORT_PHASE_BUILDING:
        str_copy(line, sizeof line, txt(s, UIT_EXPORT_PHASE_BUILDING));
        v->progress_pos = 20;
        break;
    case EXPORT_PHASE_WRITING:
        uitext_format(line, sizeof line, staff_lang(s), UIT_EXPORT_PHASE_WRITING, p->files_done,
                      p->files_total, done, total);
        v->progress_pos = 50 + (int)(450 * part);
        break;
    case EXPORT_PHASE_READING_BACK:
        uitext_format(line, sizeof line, staff_lang(s), UIT_EXPORT_PHASE_READING_BACK,
                      p->files_done, p->files_total, done, total);
        v->progress_pos = 500 + (int)(400 * part);
        break;
    case EXPORT_PHASE_VERIFYING:
        str_copy(line, sizeof line, txt(s, UIT_EXPORT_PHASE_VERIFYING));
        v->progress_pos = 950;
        break;
    }
    v->progress_total = 1000;
    add_line(v, line);
}

/* The export page: start and eject, repeating the last export, where the
 * stick is, then the running export's progress or the last result (beside
 * a QR receipt the result alone: it names the place). */
static void build_export(Staff *s, KsView *v)
{
    ExportProgress p;
    bool running = staff_export_progress(s->exp, &p);
    view_add_target(v, "export:start", txt(s, UIT_STAFF_EXPORT_START), KS_TARGET_PRIMARY);
    if (s->have_stick)
        view_add_target(v, "export:eject", txt(s, UIT_STAFF_EJECT), KS_TARGET_SECONDARY);
    StoreBatch last;
    if (!running && s->have_stick && !s->export_qr[0] && store_batch_last(s->store, &last) == KS_OK)
        view_add_target(v, "export:again", txt(s, UIT_STAFF_EXPORT_AGAIN), KS_TARGET_SECONDARY);
    if (!s->export_qr[0] && s->export_msg != UIT_STAFF_NO_STICK)
        str_copy(v->message, sizeof v->message, s->stick_line);
    if (running)
        add_progress(s, v, &p);
    if (s->export_msg != NO_TEXT)
        add_line(v, txt(s, (UiTextId)s->export_msg));
    else if (!running && s->export_text[0])
        add_line(v, s->export_text);
    if (s->acks_text[0])
        add_line(v, s->acks_text);
    KsViewTarget *qr =
        s->export_qr[0] ? view_add_target(v, "export:qr", NULL, KS_TARGET_OPTION) : NULL;
    if (qr) {
        qr->enabled = false;
        qr->image = s->export_qr;
    }
}

void staff_build_view(Staff *s, KsView *v)
{
    v->lang = staff_lang(s);
    v->rtl = uitext_is_rtl(v->lang);
    if (s->screen == KS_SCREEN_STAFF_PIN) {
        build_pin(s, v);
        return;
    }
    if (staff_is_ws_screen(s->screen) && s->ws) {
        if (workshop_staff_tabs(s->ws))
            build_nav(s, v);
        workshop_staff_view(s->ws, v);
        return;
    }
    build_nav(s, v);
    switch (s->screen) {
    case KS_SCREEN_STAFF_OVERVIEW:
        build_overview(s, v);
        break;
    case KS_SCREEN_STAFF_CLOCK:
        build_clock(s, v);
        break;
    case KS_SCREEN_STAFF_FORMS:
        build_forms(s, v);
        break;
    case KS_SCREEN_STAFF_REVIEW:
        build_review(s, v);
        break;
    case KS_SCREEN_STAFF_EXPORT:
        build_export(s, v);
        break;
    default:
        break;
    }
}
