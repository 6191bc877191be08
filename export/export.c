/* export: the order of an export run and how it ended (outcome and cause;
 * the app words them for staff). It owns the work folder beside the
 * database and the batch id; the data files, the bag, the stick and the
 * ledger each belong to their own module. */
#define _XOPEN_SOURCE 700
#include "export.h"

#include <dirent.h>
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
    char work[EX_PATH];          /* <dbdir>/export-work */
    char bag[EX_PATH];           /* <work>/<batch-id> */
    char qr[EX_PATH];            /* <work>/qr (bag_qr_write puts batch-qr.* there) */
    char pub[EX_PATH];           /* <work>/<kiosk>.pub */
    char dest[EX_PATH];          /* <stick>/KM2KIOSK */
    char pub_name[80];           /* <kiosk>.pub */
    char qr_png[96], qr_txt[96]; /* <batch-id>-batch-qr.png/.txt */
} ExPaths;

static const char *const EXPORT_CAUSE_NAMES[] = {
    "none",           "failed",     "no_such_batch", "kiosk_full",  "stick_full",
    "stick_readonly", "stick_gone", "stick_differs", "stick_unfit", "stick_exists",
    "unverified",     "ledger",     "stopped"};
_Static_assert(STR_COUNT(EXPORT_CAUSE_NAMES) == EXPORT_CAUSE_STOPPED + 1, "a name for every cause");

static const char *const EXPORT_OUTCOME_NAMES[] = {
    "done", "nothing", "too_few", "stick_full", "stick_readonly", "stick_gone", "failed"};
_Static_assert(STR_COUNT(EXPORT_OUTCOME_NAMES) == EXPORT_FAILED + 1, "a name for every outcome");

const char *export_cause_name(ExportCause c)
{
    return str_name_of(EXPORT_CAUSE_NAMES, STR_COUNT(EXPORT_CAUSE_NAMES), (int)c, "failed");
}

const char *export_outcome_name(ExportOutcome o)
{
    return str_name_of(EXPORT_OUTCOME_NAMES, STR_COUNT(EXPORT_OUTCOME_NAMES), (int)o, "failed");
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

static KsStatus ex_paths(const KsConfig *cfg, const ExportRunOptions *o, const char *id, ExPaths *p)
{
    char dbdir[EX_PATH];
    str_copy(dbdir, sizeof dbdir, o->db_path);
    str_dirname(dbdir, sizeof dbdir);
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

/* One run's state, handed from step to step. */
typedef struct {
    Store *store;
    const Catalog *cat;
    const KsConfig *cfg;
    const ExportRunOptions *o;
    ExportRunResult *out;
    ExPaths p;
    SignKey *key;
    ExportDataResult data;
    StoreBatch prev; /* the chain: every batch names the one before it */
    StoreBatch redo; /* the batch repeated (o->redo_batch) */
    int64_t now;
    bool on_stick;   /* this run has put something on the stick */
    int files_total; /* the finished bag's files and bytes, for the progress */
    uint64_t bytes_total;
    bool stopped; /* the progress callback asked to stop */
} ExRun;

/* Tells o->progress how far the run is; false once it asked to stop. */
static bool ex_report(ExRun *r, ExportPhase phase, int files, uint64_t bytes)
{
    if (!r->stopped && r->o->progress) {
        ExportProgress p = {.phase = phase,
                            .files_done = files,
                            .files_total = r->files_total,
                            .bytes_done = bytes,
                            .bytes_total = r->bytes_total};
        r->stopped = !r->o->progress(r->o->progress_ctx, &p);
    }
    return !r->stopped;
}

/* The port's copy of the bag, as it goes. */
static bool ex_copy_tick(void *ctx, int reading_back, int files, uint64_t bytes)
{
    return ex_report(ctx, reading_back ? EXPORT_PHASE_READING_BACK : EXPORT_PHASE_WRITING, files,
                     bytes);
}

/* The regular files below dir and their bytes. */
static void ex_measure(const char *dir, int *files, uint64_t *bytes)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    char path[EX_PATH];
    while ((e = readdir(d)) != NULL) {
        struct stat sb;
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        int n = snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (n < 0 || (size_t)n >= sizeof path || lstat(path, &sb) != 0)
            continue;
        if (S_ISDIR(sb.st_mode)) {
            ex_measure(path, files, bytes);
        } else if (S_ISREG(sb.st_mode)) {
            (*files)++;
            *bytes += (uint64_t)sb.st_size;
        }
    }
    closedir(d);
}

static KsStatus ex_fail(ExportRunResult *out, ExportOutcome oc, ExportCause cause, KsStatus ks)
{
    out->outcome = oc;
    out->cause = cause;
    LOG_ERROR("export %s: %s, %s (%s)", out->batch_id, export_outcome_name(oc),
              export_cause_name(cause), ks_status_str(ks));
    return ks;
}

/* What a failed write to the stick, or a failed check of what is on it,
 * means for the run; any other failure is EXPORT_CAUSE_FAILED. */
static const struct {
    KsStatus ks;
    ExportOutcome outcome;
    ExportCause cause;
} EX_STICK_FAILURES[] = {
    {KS_ERR_FULL, EXPORT_STICK_FULL, EXPORT_CAUSE_STICK_FULL},
    {KS_ERR_STATE, EXPORT_STICK_READONLY, EXPORT_CAUSE_STICK_READONLY},
    {KS_ERR_IO, EXPORT_STICK_GONE, EXPORT_CAUSE_STICK_GONE},
    {KS_ERR_CORRUPT, EXPORT_FAILED, EXPORT_CAUSE_STICK_DIFFERS},
    {KS_ERR_INVALID, EXPORT_FAILED, EXPORT_CAUSE_STICK_UNFIT},
    {KS_ERR_LIMIT, EXPORT_FAILED, EXPORT_CAUSE_STICK_UNFIT},
    {KS_ERR_EXISTS, EXPORT_FAILED, EXPORT_CAUSE_STICK_EXISTS},
};

static KsStatus ex_stick_fail(ExportRunResult *out, KsStatus ks)
{
    for (int i = 0; i < STR_COUNT(EX_STICK_FAILURES); i++)
        if (EX_STICK_FAILURES[i].ks == ks)
            return ex_fail(out, EX_STICK_FAILURES[i].outcome, EX_STICK_FAILURES[i].cause, ks);
    return ex_fail(out, EXPORT_FAILED, EXPORT_CAUSE_FAILED, ks);
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

/* The previous batch, the batch to repeat, the new batch's id and paths. */
static KsStatus ex_start(ExRun *r)
{
    ExportRunResult *out = r->out;
    KsStatus ks = store_batch_last(r->store, &r->prev);
    if (ks != KS_OK && ks != KS_ERR_NOT_FOUND)
        return ex_fail(out, EXPORT_FAILED, EXPORT_CAUSE_FAILED, ks);
    const char *redo = r->o->redo_batch;
    if (redo) {
        /* A re-export of a re-export repeats the original batch: only that
         * one has sessions, and ids must not grow without end. */
        char base[48];
        str_copy(base, sizeof base, redo);
        ex_strip_redo(base);
        str_copy(out->redo_of, sizeof out->redo_of, redo);
        ks = store_batch_get(r->store, base, &r->redo);
        if (ks != KS_OK)
            return ex_fail(out, EXPORT_FAILED, EXPORT_CAUSE_NO_SUCH_BATCH, ks);
    }
    ks = ex_batch_id(r->cfg, redo ? r->redo.id : NULL, r->now, out->batch_id, sizeof out->batch_id);
    if (ks == KS_OK)
        ks = ex_paths(r->cfg, r->o, out->batch_id, &r->p);
    if (ks == KS_OK) {
        int n = snprintf(out->bag_path, sizeof out->bag_path, "%s/%s", r->p.dest, out->batch_id);
        ks = n > 0 && (size_t)n < sizeof out->bag_path ? KS_OK : KS_ERR_LIMIT;
    }
    return ks == KS_OK ? KS_OK : ex_fail(out, EXPORT_FAILED, EXPORT_CAUSE_FAILED, ks);
}

/* (1) The batch's data files on the kiosk's own disk, in a fresh folder.
 * Nothing to export or too few responses end the run here. */
static KsStatus ex_build(ExRun *r)
{
    ExportRunResult *out = r->out;
    const KsConfig *cfg = r->cfg;
    ex_rm_tree(r->p.work);
    if (mkdir(r->p.work, 0700) != 0 || mkdir(r->p.bag, 0700) != 0 || mkdir(r->p.qr, 0700) != 0) {
        LOG_ERROR("cannot create %s: %s", r->p.bag, strerror(errno));
        return ex_fail(out, EXPORT_FAILED, EXPORT_CAUSE_KIOSK_FULL, KS_ERR_IO);
    }
    char keyfile[EX_PATH];
    export_key_path(r->o->db_path, keyfile, sizeof keyfile);
    KsStatus ks = sign_key_load_or_create(keyfile, &r->key);
    if (ks != KS_OK)
        return ex_fail(out, EXPORT_FAILED, EXPORT_CAUSE_FAILED, ks);
    str_copy(out->key_id, sizeof out->key_id, sign_key_id(r->key));

    ExportDataOptions eo = {
        .batch_id = out->batch_id,
        .kiosk_id = cfg->kiosk_id,
        .site_code = cfg->site_code,
        .software_version = EXPORT_SOFTWARE,
        .k = out->k,
        .qi_lang = cfg->export_qi_lang,
        .period = cfg->export_period == CONFIG_PERIOD_DAY     ? EXPORT_PERIOD_DAY
                  : cfg->export_period == CONFIG_PERIOD_MONTH ? EXPORT_PERIOD_MONTH
                                                              : EXPORT_PERIOD_WEEK,
        .include_misuse = cfg->export_include_misuse,
        .redo_batch = r->o->redo_batch ? r->redo.id : NULL,
    };
    ExportDataResult *d = &r->data;
    ks = export_data_build(r->store, r->cat, &eo, r->p.bag, d);
    out->rows = d->rows;
    out->held_back = d->held_back;
    out->free_texts = d->free_texts;
    out->drawings = d->drawings;
    out->workshops = d->n_workshops;
    out->workshop_cards = d->workshop_cards;
    str_copy(out->period_from, sizeof out->period_from, d->period_from);
    str_copy(out->period_to, sizeof out->period_to, d->period_to);
    if (ks == KS_ERR_NOT_FOUND)
        out->outcome = EXPORT_NOTHING;
    else if (ks == KS_ERR_STATE)
        out->outcome = EXPORT_TOO_FEW;
    else if (ks != KS_OK)
        return ex_fail(out, EXPORT_FAILED, EXPORT_CAUSE_FAILED, ks);
    return ks;
}

/* (2) The bag finished, signed and checked as the receiver will check it,
 * with its QR receipt and the public key beside it, before anything
 * touches the stick. */
static KsStatus ex_seal(ExRun *r)
{
    ExportRunResult *out = r->out;
    const KsConfig *cfg = r->cfg;
    BagInfo info = {
        .batch_id = out->batch_id,
        .kiosk_id = cfg->kiosk_id,
        .site_code = cfg->site_code,
        .forms = r->data.forms,
        .rows = r->data.rows,
        .period_from = r->data.period_from,
        .period_to = r->data.period_to,
        .prev_batch_id = r->prev.id,
        .prev_tag_sha256 = r->prev.tag_sha256,
        .age_recipient = cfg->age_recipient[0] ? cfg->age_recipient : NULL,
    };
    KsStatus ks = bag_finish(r->p.bag, &info, r->key, out->tag_sha256);
    if (ks == KS_OK)
        ks = bag_verify(r->p.bag, r->key);
    if (ks == KS_OK) {
        bag_qr_payload(out->qr_payload, sizeof out->qr_payload, cfg->qr_prefix, out->batch_id,
                       r->data.rows, out->tag_sha256, out->key_id);
        ks = bag_qr_write(r->p.qr, out->qr_payload);
    }
    if (ks == KS_OK) {
        char pubtext[512];
        sign_key_public_file(r->key, pubtext, sizeof pubtext);
        ks = ex_write_local(r->p.pub, pubtext);
    }
    return ks == KS_OK ? KS_OK : ex_fail(out, EXPORT_FAILED, EXPORT_CAUSE_FAILED, ks);
}

/* (3) To the stick: leftovers first, then the bag (read back), then (4) the
 * bag check again on the stick's copy. The receipt and the public key go
 * before the ledger commit too, so that every write to the stick that can
 * fail fails while nothing is marked yet. */
static KsStatus ex_to_stick(ExRun *r)
{
    const ExportStickPort *port = r->o->port;
    const ExPaths *p = &r->p;
    ExportRunResult *out = r->out;
    char qr_png_src[EX_PATH + 16], qr_txt_src[EX_PATH + 16];
    snprintf(qr_png_src, sizeof qr_png_src, "%s/batch-qr.png", p->qr);
    snprintf(qr_txt_src, sizeof qr_txt_src, "%s/batch-qr.txt", p->qr);
    ex_measure(p->bag, &r->files_total, &r->bytes_total);
    if (!ex_report(r, EXPORT_PHASE_WRITING, 0, 0))
        return KS_ERR_STATE;
    (void)port->clean(p->dest);
    r->on_stick = true;
    KsStatus ks = port->copy_dir(p->bag, p->dest, out->batch_id, ex_copy_tick, r);
    if (ks != KS_OK)
        return r->stopped ? KS_ERR_STATE : ex_stick_fail(out, ks);
    if (!ex_report(r, EXPORT_PHASE_VERIFYING, r->files_total, r->bytes_total))
        return KS_ERR_STATE;
    ks = bag_verify(out->bag_path, r->key);
    if (ks != KS_OK)
        return ex_fail(out, ks == KS_ERR_IO ? EXPORT_STICK_GONE : EXPORT_FAILED,
                       EXPORT_CAUSE_UNVERIFIED, ks);
    ks = port->copy_file(qr_png_src, p->dest, p->qr_png, NULL, NULL);
    if (ks == KS_OK)
        ks = port->copy_file(qr_txt_src, p->dest, p->qr_txt, NULL, NULL);
    if (ks == KS_OK)
        ks = port->copy_file(p->pub, p->dest, p->pub_name, NULL, NULL);
    return ks == KS_OK ? KS_OK : ex_stick_fail(out, ks);
}

/* (5) Only now: the batch into the ledger and its sessions marked, in one
 * transaction. A re-export marks nothing again. */
static KsStatus ex_record(ExRun *r)
{
    ExportRunResult *out = r->out;
    const ExportDataResult *d = &r->data;
    bool redo = r->o->redo_batch != NULL;
    StoreBatch b;
    memset(&b, 0, sizeof b);
    str_copy(b.id, sizeof b.id, out->batch_id);
    str_copy(b.tag_sha256, sizeof b.tag_sha256, out->tag_sha256);
    str_copy(b.prev_id, sizeof b.prev_id, r->prev.id);
    b.rows = d->rows;
    b.created_ms = r->now;
    KsStatus ks =
        store_batch_commit_ws(r->store, &b, redo ? NULL : d->session_ids, redo ? 0 : d->n_sessions,
                              redo ? NULL : d->workshop_ids, redo ? 0 : d->n_workshops);
    if (ks != KS_OK)
        return ex_fail(out, EXPORT_FAILED, EXPORT_CAUSE_LEDGER, ks);
    r->on_stick = false;
    out->outcome = EXPORT_DONE;
    LOG_INFO("export %s: %d rows, tag manifest %s%s%s", out->batch_id, d->rows, out->tag_sha256,
             out->redo_of[0] ? ", re-export of " : "", out->redo_of);
    return KS_OK;
}

KsStatus export_run(Store *store, const Catalog *cat, const KsConfig *cfg,
                    const ExportRunOptions *o, ExportRunResult *out)
{
    memset(out, 0, sizeof *out);
    out->outcome = EXPORT_FAILED;
    out->k = cfg->export_k > 0 ? cfg->export_k : 5;
    const ExportStickPort *port = o->port;
    if (KS_NEVER(!port || !port->copy_dir || !port->copy_file || !port->discard || !port->clean ||
                 !o->db_path || !o->stick_dir))
        return ex_fail(out, EXPORT_FAILED, EXPORT_CAUSE_FAILED, KS_ERR_INVALID);
    ExRun r = {.store = store,
               .cat = cat,
               .cfg = cfg,
               .o = o,
               .out = out,
               .now = o->now_ms ? o->now_ms : clock_wall_ms()};
    KsStatus ks = ex_start(&r);
    if (ks != KS_OK)
        return ks;
    ks = ex_report(&r, EXPORT_PHASE_BUILDING, 0, 0) ? ex_build(&r) : KS_ERR_STATE;
    if (ks == KS_OK)
        ks = ex_seal(&r);
    if (ks == KS_OK)
        ks = ex_to_stick(&r);
    /* The last moment to stop: the ledger commit is the point of no return. */
    if (ks == KS_OK && ex_report(&r, EXPORT_PHASE_VERIFYING, r.files_total, r.bytes_total))
        ks = ex_record(&r);
    if (r.stopped)
        ks = ex_fail(out, EXPORT_FAILED, EXPORT_CAUSE_STOPPED, KS_ERR_STATE);
    if (r.on_stick)
        ex_discard(port, &r.p, out->batch_id);
    ex_rm_tree(r.p.work);
    export_data_result_free(&r.data);
    sign_key_destroy(r.key);
    return ks;
}
