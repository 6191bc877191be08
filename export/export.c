/* export: the order of an export run and what staff are told. It owns the
 * work folder beside the database and the batch id; the data files, the
 * bag, the stick and the ledger each belong to their own module. */
#define _XOPEN_SOURCE 700
#include "export.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "../firmware/core/clock.h"
#include "../firmware/core/log.h"
#include "../firmware/core/str.h"
#include "../firmware/storage/store_export.h"
#include "anonymise.h"
#include "bag.h"
#include "export_data.h"

#define EX_PATH 1024

typedef struct {
    char work[EX_PATH];     /* <dbdir>/export-work */
    char bag[EX_PATH];      /* <work>/<batch-id> */
    char qr[EX_PATH];       /* <work>/qr (bag_qr_write puts batch-qr.* there) */
    char pub[EX_PATH];      /* <work>/<kiosk>.pub */
    char dest[EX_PATH];     /* <stick>/KM2KIOSK */
    char pub_name[80];      /* <kiosk>.pub */
    char qr_png[96], qr_txt[96]; /* <batch-id>-batch-qr.png/.txt */
} ExPaths;

const char *export_outcome_name(ExportOutcome o)
{
    switch (o) {
    case EXPORT_DONE: return "done";
    case EXPORT_NOTHING: return "nothing";
    case EXPORT_TOO_FEW: return "too_few";
    case EXPORT_STICK_FULL: return "stick_full";
    case EXPORT_STICK_READONLY: return "stick_readonly";
    case EXPORT_STICK_GONE: return "stick_gone";
    case EXPORT_FAILED: return "failed";
    }
    return "failed";
}

void export_key_path(const char *db_path, char *out, size_t size)
{
    snprintf(out, size, "%s.signkey", db_path);
}

static int ex_rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    if (remove(path) != 0)
        LOG_WARN("cannot remove %s: %s", path, strerror(errno));
    return 0;
}

/* The work folder holds only copies: removing it is always safe. */
static void ex_rm_tree(const char *path)
{
    struct stat sb;
    if (lstat(path, &sb) == 0)
        nftw(path, ex_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* The kiosk id as a file-name and batch-id part: upper-case A-Z, 0-9,
 * others as '-', at most 20 characters. */
static void ex_kiosk_part(const char *kiosk_id, char out[24])
{
    size_t n = 0;
    for (const char *p = kiosk_id; *p && n < 20; p++) {
        char c = *p;
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        out[n++] = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ? c : '-';
    }
    out[n] = '\0';
    if (n == 0)
        str_copy(out, 24, "KIOSK");
}

/* "<KIOSK>-<YYYYMMDD>-<4 base32>", or "<redo>-R<4 base32>" for a
 * re-export: upper case and FAT-safe either way. */
static KsStatus ex_batch_id(const KsConfig *cfg, const char *redo, int64_t now_ms, char *out,
                            size_t size)
{
    char rnd[8];
    anonymise_random_base32(rnd, 4);
    int n;
    if (redo) {
        n = snprintf(out, size, "%s-R%s", redo, rnd);
    } else {
        char kiosk[24], day[16];
        ex_kiosk_part(cfg->kiosk_id, kiosk);
        time_t t = (time_t)(now_ms / 1000);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(day, sizeof day, "%Y%m%d", &tm);
        n = snprintf(out, size, "%s-%s-%s", kiosk, day, rnd);
    }
    return n > 0 && (size_t)n < size && str_is_fat_safe(out) ? KS_OK : KS_ERR_LIMIT;
}

/* "<id>-R7Q4M-RX2B9" -> "<id>": drops the suffixes re-exports add. */
static void ex_strip_redo(char *id)
{
    size_t n = strlen(id);
    while (n > 6 && id[n - 6] == '-' && id[n - 5] == 'R') {
        n -= 6;
        id[n] = '\0';
    }
}

static KsStatus ex_paths(const KsConfig *cfg, const ExportRunOptions *o, const char *id,
                         ExPaths *p)
{
    char dbdir[EX_PATH];
    str_copy(dbdir, sizeof dbdir, o->db_path);
    char *slash = strrchr(dbdir, '/');
    if (slash == dbdir)
        slash[1] = '\0';
    else if (slash)
        *slash = '\0';
    else
        str_copy(dbdir, sizeof dbdir, ".");
    char kiosk[24];
    if (str_is_fat_safe(cfg->kiosk_id) && strlen(cfg->kiosk_id) < 64)
        snprintf(p->pub_name, sizeof p->pub_name, "%s.pub", cfg->kiosk_id);
    else {
        ex_kiosk_part(cfg->kiosk_id, kiosk);
        snprintf(p->pub_name, sizeof p->pub_name, "%s.pub", kiosk);
    }
    snprintf(p->qr_png, sizeof p->qr_png, "%s-batch-qr.png", id);
    snprintf(p->qr_txt, sizeof p->qr_txt, "%s-batch-qr.txt", id);
    int n1 = snprintf(p->work, sizeof p->work, "%s/export-work", dbdir);
    int n2 = snprintf(p->bag, sizeof p->bag, "%s/%s", p->work, id);
    int n3 = snprintf(p->qr, sizeof p->qr, "%s/qr", p->work);
    int n4 = snprintf(p->pub, sizeof p->pub, "%s/%s", p->work, p->pub_name);
    int n5 = snprintf(p->dest, sizeof p->dest, "%s/%s", o->stick_dir, EXPORT_DIR_NAME);
    bool ok = n1 > 0 && n2 > 0 && n3 > 0 && n4 > 0 && n5 > 0 && (size_t)n1 < sizeof p->work &&
              (size_t)n2 < sizeof p->bag && (size_t)n3 < sizeof p->qr &&
              (size_t)n4 < sizeof p->pub && (size_t)n5 < sizeof p->dest;
    return ok ? KS_OK : KS_ERR_LIMIT;
}

static ExportOutcome ex_stick_outcome(KsStatus st)
{
    switch (st) {
    case KS_ERR_FULL: return EXPORT_STICK_FULL;
    case KS_ERR_STATE: return EXPORT_STICK_READONLY;
    case KS_ERR_IO: return EXPORT_STICK_GONE;
    default: return EXPORT_FAILED;
    }
}

static KsStatus ex_fail(ExportRunResult *out, ExportOutcome oc, KsStatus st, const char *msg)
{
    out->outcome = oc;
    if (msg && msg[0])
        str_copy(out->message, sizeof out->message, msg);
    else if (!out->message[0])
        str_copy(out->message, sizeof out->message,
                 "Der Export ist fehlgeschlagen. Es wurde nichts als exportiert markiert. "
                 "Bitte den Technik-Support rufen.");
    LOG_ERROR("export %s: %s (%s)", out->batch_id, export_outcome_name(oc), ks_status_str(st));
    return st;
}

/* Writes data to a new file in the work folder. */
static KsStatus ex_write_local(const char *path, const char *data)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return KS_ERR_IO;
    bool ok = fputs(data, f) >= 0;
    ok = fclose(f) == 0 && ok;
    return ok ? KS_OK : KS_ERR_IO;
}

/* Everything this run put on the stick goes again (a later step failed). */
static void ex_discard(const ExportStickPort *port, const ExPaths *p, const char *id)
{
    port->discard(p->dest, id);
    port->discard(p->dest, p->qr_png);
    port->discard(p->dest, p->qr_txt);
}

KsStatus export_run(Store *st, const Catalog *cat, const KsConfig *cfg,
                    const ExportRunOptions *o, ExportRunResult *out)
{
    memset(out, 0, sizeof *out);
    out->outcome = EXPORT_FAILED;
    SignKey *key = NULL;
    ExportDataResult data;
    memset(&data, 0, sizeof data);
    ExPaths p;
    char keyfile[EX_PATH], msg[512] = "";
    bool on_stick = false;
    KsStatus ks;
    int64_t now = o->now_ms ? o->now_ms : clock_wall_ms();
    const ExportStickPort *port = o->port;
    if (KS_NEVER(!port || !port->copy_dir || !port->copy_file || !port->discard ||
                 !port->clean || !o->db_path || !o->stick_dir))
        return ex_fail(out, EXPORT_FAILED, KS_ERR_INVALID, NULL);

    /* The chain: every batch names the one before it. */
    StoreBatch prev, redo;
    memset(&prev, 0, sizeof prev);
    ks = store_batch_last(st, &prev);
    if (ks != KS_OK && ks != KS_ERR_NOT_FOUND)
        return ex_fail(out, EXPORT_FAILED, ks, NULL);
    if (o->redo_batch) {
        /* A re-export of a re-export repeats the original batch: only that
         * one has sessions, and ids must not grow without end. */
        char base[48];
        str_copy(base, sizeof base, o->redo_batch);
        ex_strip_redo(base);
        ks = store_batch_get(st, base, &redo);
        if (ks != KS_OK) {
            snprintf(msg, sizeof msg, "Einen Export mit der Nummer %.60s gibt es nicht.",
                     o->redo_batch);
            return ex_fail(out, EXPORT_FAILED, ks, msg);
        }
        str_copy(out->redo_of, sizeof out->redo_of, o->redo_batch);
    }
    ks = ex_batch_id(cfg, o->redo_batch ? redo.id : NULL, now, out->batch_id,
                     sizeof out->batch_id);
    if (ks == KS_OK)
        ks = ex_paths(cfg, o, out->batch_id, &p);
    if (ks != KS_OK)
        return ex_fail(out, EXPORT_FAILED, ks, NULL);

    /* (1) Build the batch on the kiosk's own disk, in a fresh folder. */
    ex_rm_tree(p.work);
    if (mkdir(p.work, 0700) != 0 || mkdir(p.bag, 0700) != 0 || mkdir(p.qr, 0700) != 0) {
        LOG_ERROR("cannot create %s: %s", p.bag, strerror(errno));
        ks = ex_fail(out, EXPORT_FAILED, KS_ERR_IO,
                     "Auf dem Kiosk ist kein Platz für den Export. Bitte den Technik-Support "
                     "rufen.");
        goto done;
    }
    export_key_path(o->db_path, keyfile, sizeof keyfile);
    ks = sign_key_load_or_create(keyfile, &key);
    if (ks != KS_OK) {
        ks = ex_fail(out, EXPORT_FAILED, ks, NULL);
        goto done;
    }
    str_copy(out->key_id, sizeof out->key_id, sign_key_id(key));

    ExportDataOptions eo = {
        .batch_id = out->batch_id,
        .kiosk_id = cfg->kiosk_id,
        .site_code = cfg->site_code,
        .software_version = EXPORT_SOFTWARE,
        .k = cfg->export_k,
        .qi_lang = cfg->export_qi_lang,
        .period = cfg->export_period == CONFIG_PERIOD_DAY     ? EXPORT_PERIOD_DAY
                  : cfg->export_period == CONFIG_PERIOD_MONTH ? EXPORT_PERIOD_MONTH
                                                              : EXPORT_PERIOD_WEEK,
        .include_misuse = cfg->export_include_misuse,
        .redo_batch = o->redo_batch ? redo.id : NULL,
    };
    ks = export_data_build(st, cat, &eo, p.bag, &data);
    out->rows = data.rows;
    out->held_back = data.held_back;
    out->free_texts = data.free_texts;
    out->drawings = data.drawings;
    str_copy(out->period_from, sizeof out->period_from, data.period_from);
    str_copy(out->period_to, sizeof out->period_to, data.period_to);
    if (ks == KS_ERR_NOT_FOUND) {
        out->outcome = EXPORT_NOTHING;
        str_copy(out->message, sizeof out->message,
                 o->redo_batch ? "Zu diesem Export sind keine Antworten mehr gespeichert."
                               : "Es gibt keine neuen Antworten zum Exportieren.");
        goto done;
    }
    if (ks == KS_ERR_STATE) {
        out->outcome = EXPORT_TOO_FEW;
        snprintf(out->message, sizeof out->message,
                 "Noch zu wenige Antworten für einen Export: %d warten, nötig sind mindestens "
                 "%d (zum Schutz der Anonymität). Sie bleiben gespeichert und kommen mit dem "
                 "nächsten Export mit.",
                 data.held_back, cfg->export_k);
        goto done;
    }
    if (ks != KS_OK) {
        ks = ex_fail(out, EXPORT_FAILED, ks, NULL);
        goto done;
    }
    BagInfo info = {
        .batch_id = out->batch_id,
        .kiosk_id = cfg->kiosk_id,
        .site_code = cfg->site_code,
        .forms = data.forms,
        .rows = data.rows,
        .period_from = data.period_from,
        .period_to = data.period_to,
        .prev_batch_id = prev.id,
        .prev_tag_sha256 = prev.tag_sha256,
        .age_recipient = cfg->age_recipient[0] ? cfg->age_recipient : NULL,
    };
    ks = bag_finish(p.bag, &info, key, out->tag_sha256);
    /* (2) Check it as the receiver will, before anything touches the stick. */
    if (ks == KS_OK)
        ks = bag_verify(p.bag, key);
    if (ks == KS_OK) {
        bag_qr_payload(out->qr_payload, sizeof out->qr_payload, cfg->qr_prefix, out->batch_id,
                       data.rows, out->tag_sha256, out->key_id);
        ks = bag_qr_write(p.qr, out->qr_payload);
    }
    if (ks == KS_OK) {
        char pubtext[512];
        sign_key_public_file(key, pubtext, sizeof pubtext);
        ks = ex_write_local(p.pub, pubtext);
    }
    if (ks != KS_OK) {
        ks = ex_fail(out, EXPORT_FAILED, ks, NULL);
        goto done;
    }

    /* (3) To the stick: leftovers first, then the bag (read back), then
     * (4) the bag check again on the stick's copy. The receipt and the
     * public key go before the ledger commit too, so that every write to
     * the stick that can fail fails while nothing is marked yet. */
    char qr_png_src[EX_PATH + 16], qr_txt_src[EX_PATH + 16];
    snprintf(qr_png_src, sizeof qr_png_src, "%s/batch-qr.png", p.qr);
    snprintf(qr_txt_src, sizeof qr_txt_src, "%s/batch-qr.txt", p.qr);
    int n = snprintf(out->bag_path, sizeof out->bag_path, "%s/%s", p.dest, out->batch_id);
    if (n < 0 || (size_t)n >= sizeof out->bag_path) {
        ks = ex_fail(out, EXPORT_FAILED, KS_ERR_LIMIT, NULL);
        goto done;
    }
    (void)port->clean(p.dest);
    on_stick = true;
    ks = port->copy_dir(p.bag, p.dest, out->batch_id, msg, sizeof msg);
    if (ks == KS_OK) {
        ks = bag_verify(out->bag_path, key);
        if (ks != KS_OK)
            str_copy(msg, sizeof msg,
                     "Die Kopie auf dem Stick ließ sich nicht bestätigen. Bitte einen anderen "
                     "Stick nehmen. Es wurde nichts als exportiert markiert.");
    }
    if (ks == KS_OK)
        ks = port->copy_file(qr_png_src, p.dest, p.qr_png, msg, sizeof msg);
    if (ks == KS_OK)
        ks = port->copy_file(qr_txt_src, p.dest, p.qr_txt, msg, sizeof msg);
    if (ks == KS_OK)
        ks = port->copy_file(p.pub, p.dest, p.pub_name, msg, sizeof msg);
    if (ks != KS_OK) {
        ks = ex_fail(out, ex_stick_outcome(ks), ks, msg);
        goto done;
    }

    /* (5) Only now: the batch into the ledger and its sessions marked, in
     * one transaction. A re-export marks nothing again. */
    StoreBatch b;
    memset(&b, 0, sizeof b);
    str_copy(b.id, sizeof b.id, out->batch_id);
    str_copy(b.tag_sha256, sizeof b.tag_sha256, out->tag_sha256);
    str_copy(b.prev_id, sizeof b.prev_id, prev.id);
    b.rows = data.rows;
    b.created_ms = now;
    ks = store_batch_commit_ws(st, &b, o->redo_batch ? NULL : data.session_ids,
                               o->redo_batch ? 0 : data.n_sessions,
                               o->redo_batch ? NULL : data.workshop_ids,
                               o->redo_batch ? 0 : data.n_workshops);
    if (ks != KS_OK) {
        ks = ex_fail(out, EXPORT_FAILED, ks,
                     "Der Export konnte auf dem Kiosk nicht vermerkt werden und wurde vom Stick "
                     "wieder entfernt. Bitte den Technik-Support rufen.");
        goto done;
    }
    on_stick = false;
    out->outcome = EXPORT_DONE;
    /* Staff hear what went out, and what waits for more answers. */
    char extra[160] = "";
    if (data.n_workshops > 0)
        snprintf(extra, sizeof extra, " und %d Karten aus %d Werkstatt%s", data.workshop_cards,
                 data.n_workshops, data.n_workshops == 1 ? "" : "en");
    char held[160] = "";
    if (data.held_back > 0)
        snprintf(held, sizeof held, " %d Antworten warten noch, bis es mindestens %d sind.",
                 data.held_back, cfg->export_k);
    snprintf(out->message, sizeof out->message, "Export fertig: %d Antworten%s in %s/%s.%s%s",
             data.rows, extra, EXPORT_DIR_NAME, out->batch_id, held,
             o->ejects_after ? "" : " Der Stick kann jetzt ausgeworfen werden.");
    LOG_INFO("export %s: %d rows, tag manifest %s%s%s", out->batch_id, data.rows,
             out->tag_sha256, out->redo_of[0] ? ", re-export of " : "", out->redo_of);
done:
    if (on_stick)
        ex_discard(port, &p, out->batch_id);
    ex_rm_tree(p.work);
    export_data_result_free(&data);
    sign_key_destroy(key);
    return ks;
}
