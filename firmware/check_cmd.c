/* check_cmd: `km2kiosk check`, a form author's and a technician's test of
 * forms before they reach a kiosk. Part of the composition root. */
#include "check_cmd.h"

#include <stdio.h>
#include <string.h>

#include "storage/store.h"
#include "storage/store_responses.h"
#include "survey/form_load.h"

static void check_usage(void)
{
    fputs("usage: km2kiosk check [--db FILE] FORM...   (a CSV folder or an .xlsx file)\n", stderr);
}

/* `check`: every problem of every form, FILE:SHEET:ROW:COLUMN: message;
 * exit 0 only when all forms are usable (warnings allowed). With --db, a
 * form whose content changed under a version the database knows is
 * refused too. */
int check_cmd_main(int argc, char **argv)
{
    const char *db = NULL;
    int n_forms = 0, bad = 0;
    Store *store = NULL;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            db = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "km2kiosk check: unknown option %s\n", argv[i]);
            check_usage();
            return 2;
        }
    }
    if (db && store_open(db, &store) != KS_OK) {
        fprintf(stderr, "km2kiosk check: cannot open the database %s\n", db);
        return 2;
    }
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--db") == 0) {
            i++;
            continue;
        }
        n_forms++;
        FormDiag *d = form_diag_create();
        Form *f = NULL;
        KsStatus ks = form_load_path(argv[i], &f, d);
        if (ks == KS_OK && store) {
            char known[65] = "";
            if (store_form_lookup(store, form_id(f), form_version(f), known) == KS_OK &&
                strcmp(known, form_sha256(f)) != 0) {
                form_diag_add(d, true, argv[i], "settings", 0, "version",
                              "the content of %s version %s changed, but its version did not: "
                              "give the changed form a new version",
                              form_id(f), form_version(f));
                ks = KS_ERR_STATE;
            }
        }
        form_diag_print(d, stdout);
        if (ks == KS_OK) {
            printf("%s: usable: %s version %s, %d questions, %d languages\n", argv[i], form_id(f),
                   form_version(f), form_question_count(f), form_lang_count(f));
        } else {
            printf("%s: NOT usable: %d problem(s) must be fixed\n", argv[i],
                   form_diag_errors(d) ? form_diag_errors(d) : 1);
            bad++;
        }
        form_destroy(f);
        form_diag_destroy(d);
    }
    store_close(&store);
    if (n_forms == 0) {
        check_usage();
        return 2;
    }
    return bad ? 1 : 0;
}
