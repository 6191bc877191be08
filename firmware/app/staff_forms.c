/* staff_forms: the forms page of staff mode — the installed forms, each
 * switched on or off with a tap, and the import from a stick: the forms
 * found on it, and why the one tapped cannot be used or that it is
 * installed. The import itself (finding, checking, copying) is
 * staff_import.c's; the stick is staff_stick.c's. */
#include <stdio.h>
#include <string.h>

#include "../core/log.h"
#include "../core/str.h"
#include "../storage/store_responses.h"
#include "staff_private.h"
#include "view_build.h"

void staff_forms_init(Staff *s)
{
    s->forms.import.lang = s->cfg->staff_language;
}

void staff_forms_enter(Staff *s)
{
    s->forms.importing = s->forms.result = false;
    s->forms.import.text[0] = '\0';
}

/* The writable forms folder: forms_dir, or "forms" beside the database. */
static void forms_dir(const Staff *s, char *out, size_t size)
{
    if (s->cfg->forms_dir[0]) {
        str_copy(out, size, s->cfg->forms_dir);
        return;
    }
    const char *slash = s->db_path ? strrchr(s->db_path, '/') : NULL;
    snprintf(out, size, "%.*s/forms", slash ? (int)(slash - s->db_path) : 1,
             slash ? s->db_path : ".");
}

static void import_open(Staff *s)
{
    StaffForms *f = &s->forms;
    f->importing = true;
    f->result = false;
    f->import.text[0] = '\0';
    staff_stick_poll(s);
    staff_import_scan(&f->import, s->stick.have ? s->stick.usb.mount : NULL);
}

static void import_tap(Staff *s, const char *name)
{
    StaffForms *f = &s->forms;
    int i = staff_import_find(&f->import, name);
    if (i < 0)
        return;
    char dir[CONFIG_PATH_MAX];
    forms_dir(s, dir, sizeof dir);
    /* Adding to the catalog moves no Form a view or session holds (see
     * catalog_add_path). */
    bool ok = staff_import_install(&f->import, i, s->catalog, s->store, dir);
    if (ok)
        f->importing = false; /* back to the installed forms, the new one among them */
    f->result = !ok && f->import.problems;
}

/* A form switched on or off for the audience screen. */
static void switch_form(Staff *s, const char *form)
{
    if (!catalog_find(s->catalog, form))
        return;
    bool on = store_form_is_active(s->store, form);
    KsStatus ks = store_form_set_active(s->store, form, !on);
    if (ks != KS_OK)
        LOG_ERROR("form %s not switched: %s", form, ks_status_str(ks));
    else
        LOG_INFO("staff mode: form %s switched %s", form, on ? "off" : "on");
}

void staff_forms_tap(Staff *s, const char *id)
{
    StaffForms *f = &s->forms;
    bool import_id = strcmp(id, "forms:import") == 0 || strncmp(id, "import:", 7) == 0;
    if (import_id && staff_busy(s)) {
        /* The export reads the catalog an import would add to. */
        str_copy(f->import.text, sizeof f->import.text, staff_text(s, UIT_EXPORT_BUSY));
        f->importing = f->result = false;
    } else if (strcmp(id, "forms:import") == 0) {
        import_open(s);
    } else if (strcmp(id, "import:back") == 0) {
        if (f->result)
            import_open(s); /* from the problems back to the stick's list */
        else
            staff_go(s, KS_SCREEN_STAFF_FORMS);
    } else if (f->importing && strncmp(id, "import:", 7) == 0) {
        import_tap(s, id + 7);
    } else if (strncmp(id, "form:", 5) == 0) {
        switch_form(s, id + 5);
    }
}

void staff_forms_stick_moved(Staff *s)
{
    StaffForms *f = &s->forms;
    if (s->screen == KS_SCREEN_STAFF_FORMS && f->importing && !f->result)
        staff_import_scan(&f->import, s->stick.have ? s->stick.usb.mount : NULL);
}

/* The import pages: the forms on the stick (import:<name>), or why the one
 * tapped cannot be used; import:back leads back. */
static void import_view(Staff *s, KsView *v)
{
    const StaffImport *im = &s->forms.import;
    if (s->forms.result) {
        str_copy(v->message, sizeof v->message, im->text);
    } else {
        if (im->text[0])
            str_copy(v->message, sizeof v->message, im->text);
        else if (!s->stick.have)
            str_copy(v->message, sizeof v->message, s->stick.line);
        else
            str_copy(v->message, sizeof v->message,
                     staff_text(s, im->n > 0 ? UIT_STAFF_IMPORT_HINT : UIT_STAFF_IMPORT_NONE));
        for (int i = 0; i < im->n; i++) {
            char id[KS_TARGET_ID_MAX];
            snprintf(id, sizeof id, "import:%s", im->entries[i].name);
            if (!view_add_target(v, id, im->entries[i].name, KS_TARGET_OPTION))
                break;
        }
    }
    view_add_target(v, "import:back", staff_text(s, UIT_STAFF_IMPORT_BACK), KS_TARGET_SECONDARY);
}

void staff_forms_view(Staff *s, KsView *v)
{
    if (s->forms.importing) {
        import_view(s, v);
        return;
    }
    /* After an import, its result; otherwise what a tap does. */
    const char *result = s->forms.import.text;
    str_copy(v->message, sizeof v->message,
             result[0] ? result : staff_text(s, UIT_STAFF_FORMS_HINT));
    for (int i = 0; i < catalog_count(s->catalog); i++) {
        const Form *f = catalog_form(s->catalog, i);
        char id[KS_TARGET_ID_MAX];
        snprintf(id, sizeof id, "form:%s", form_id(f));
        int lang = form_lang_index(f, staff_lang(s));
        const char *title = form_text(f, form_title(f), lang >= 0 ? lang : form_default_lang(f));
        KsViewTarget *t = view_add_slot(v, KS_SLOT_FORM_SWITCH, id,
                                        title && title[0] ? title : form_id(f), KS_TARGET_OPTION);
        if (!t)
            return;
        t->selected = store_form_is_active(s->store, form_id(f));
        t->subtext = staff_text(s, t->selected ? UIT_STAFF_FORM_ON : UIT_STAFF_FORM_OFF);
    }
    view_add_target(v, "forms:import", staff_text(s, UIT_STAFF_IMPORT), KS_TARGET_SECONDARY);
}
