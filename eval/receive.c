/* receive: the office's intake of batches (see receive.h). The checks are
 * export/'s own readers (bag, minisign, age, datapackage, CSV, SAV);
 * what is new here is their order, the chain of each kiosk, the archive
 * copy and the quarantine. Messages are German, for the office. */
#include "receive.h"

#include <stdarg.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../export/ack.h"
#include "../export/bagit.h"
#include "../export/csvfile.h"
#include "../export/datapackage.h"
#include "../export/dataset.h"
#include "../export/sav.h"
#include "../firmware/core/log.h"
#include "../firmware/core/mem.h"
#include "../firmware/core/str.h"
#include "archive_rows.h"
#include "copytree.h"
#include "recv_data.h"

#define RECV_PATH 1024
#define RECV_MAX_BATCHES 5000
/* Files larger than this are not copied into the quarantine (a bag may
 * carry an unlisted giant: its REASON.txt says so). */
#define QUARANTINE_FILE_MAX (64ull * 1024 * 1024)
#define WORK_DIR ".work"

static const char *const OUTCOMES[] = {"received",      "already",      "unknown_key",
                                       "bad_signature", "bad_manifest", "receipt_mismatch",
                                       "bad_data",      "fork",         "stands_in"};

const char *receive_outcome_name(ReceiveOutcome o)
{
    return str_name_of(OUTCOMES, STR_COUNT(OUTCOMES), (int)o, "?");
}

bool receive_outcome_ok(ReceiveOutcome o)
{
    return o == RECV_RECEIVED || o == RECV_ALREADY || o == RECV_STANDS_IN;
}

typedef struct {
    Archive *a;
    const OfficeKeys *keys;
    const ReceiveOptions *o;
    char top[RECV_PATH];  /* the folder holding the batch folders */
    char work[RECV_PATH]; /* <archive>/.work: decrypted data while checking */
    bool ack_refused;     /* the stick took no receipt: said once */
} Recv;

/* One batch being received. */
typedef struct {
    const char *src; /* its bag folder (on the stick, or in place in the archive) */
    bool in_place;   /* recovery: the folder is already the archive's copy */
    BagFacts f;
    ArchiveKey key;
    char tag[65];
    char redo_of[48];
    RecvData data;      /* the data files, readable (decrypted) and checked */
    ArchiveBatch rec;   /* the ledger entry */
    char supersede[48]; /* a stand-in this original replaces, "" none */
} Batch;

static void say(ReceiveResult *r, ReceiveOutcome oc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void say(ReceiveResult *r, ReceiveOutcome oc, const char *fmt, ...)
{
    r->outcome = oc;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->message, sizeof r->message, fmt, ap);
    va_end(ap);
}

/* ---- finding the batches ------------------------------------------------ */

/* The folder with the batch folders: STICK/KM2KIOSK, or STICK itself when
 * it is such a folder (a copy of a stick's KM2KIOSK). */
static bool find_top(const char *stick, char *top, size_t size)
{
    char p[RECV_PATH];
    snprintf(p, sizeof p, "%s/%s", stick, "KM2KIOSK");
    struct stat st;
    if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
        str_copy(top, size, p);
        return true;
    }
    if (stat(stick, &st) == 0 && S_ISDIR(st.st_mode)) {
        str_copy(top, size, stick);
        return true;
    }
    return false;
}

/* A name in the top folder that is (or claims to be) a batch: everything
 * but the receipts folder, unfinished copies and the kiosk's loose files. */
static bool batch_name(const char *top, const char *name)
{
    if (name[0] == '.' || strcmp(name, ACK_DIR_NAME) == 0 || strncmp(name, "_PARTIAL_", 9) == 0)
        return false;
    char p[RECV_PATH + 260]; /* the top folder and one name */
    snprintf(p, sizeof p, "%s/%s", top, name);
    struct stat st;
    if (lstat(p, &st) != 0)
        return false;
    /* A symlink named like a batch is a batch to refuse, not to skip. */
    return S_ISDIR(st.st_mode) || S_ISLNK(st.st_mode);
}

typedef struct {
    char *name;
    char kiosk[64];
    char prev[48];
} Found;

static int found_cmp(const void *x, const void *y)
{
    const Found *a = x, *b = y;
    int c = strcmp(a->kiosk, b->kiosk);
    return c ? c : strcmp(a->name, b->name);
}

/* The batch folders of top in chain order: per kiosk, a batch after the one
 * it names as its predecessor when both are here. */
static KsStatus list_batches(const char *top, Found **out, int *n)
{
    *out = NULL;
    *n = 0;
    DIR *d = opendir(top);
    if (!d)
        return KS_ERR_IO;
    Found *all = NULL;
    int cnt = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && cnt < RECV_MAX_BATCHES) {
        if (!batch_name(top, e->d_name))
            continue;
        if (cnt == cap) {
            cap = cap ? 2 * cap : 32;
            all = xrealloc(all, (size_t)cap * sizeof *all);
        }
        Found *f = &all[cnt++];
        memset(f, 0, sizeof *f);
        f->name = xstrdup(e->d_name);
        char p[RECV_PATH + 260];
        snprintf(p, sizeof p, "%s/%s", top, e->d_name);
        BagFacts facts;
        if (bag_read_facts(p, &facts, NULL, 0) == KS_OK) {
            str_copy(f->kiosk, sizeof f->kiosk, facts.kiosk_id);
            str_copy(f->prev, sizeof f->prev, facts.prev_batch_id);
        }
    }
    closedir(d);
    if (cnt > 1)
        qsort(all, (size_t)cnt, sizeof *all, found_cmp);
    /* Stable topological order: take the first whose predecessor is not
     * still waiting. */
    Found *ordered = xcalloc(cnt ? (size_t)cnt : 1, sizeof *ordered);
    bool *taken = xcalloc(cnt ? (size_t)cnt : 1, sizeof *taken);
    for (int k = 0; k < cnt; k++) {
        int pick = -1;
        for (int i = 0; i < cnt && pick < 0; i++) {
            if (taken[i])
                continue;
            bool waits = false;
            for (int j = 0; j < cnt && !waits; j++)
                waits = !taken[j] && j != i && all[i].prev[0] &&
                        strcmp(all[j].kiosk, all[i].kiosk) == 0 &&
                        strcmp(all[j].name, all[i].prev) == 0;
            if (!waits)
                pick = i;
        }
        if (pick < 0) /* a cycle: no order to keep */
            for (pick = 0; taken[pick]; pick++)
                ;
        taken[pick] = true;
        ordered[k] = all[pick];
    }
    free(taken);
    free(all);
    *out = ordered;
    *n = cnt;
    return KS_OK;
}

/* ---- receipts -------------------------------------------------------------- */

/* The batch id as the QR receipt writes it: upper case, QR alphanumerics. */
static void qr_form(const char *id, char *out, size_t size)
{
    size_t n = 0;
    for (const char *p = id; *p && n + 1 < size; p++) {
        char c = *p >= 'a' && *p <= 'z' ? (char)(*p - 32) : *p;
        out[n++] = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ? c : '-';
    }
    out[n] = '\0';
}

/* Checks the given receipts for batch b: one must name it and carry its
 * rows, tag hash and key id (another receipt for it that does not is
 * ignored when a right one is given too: a photo taken twice). */
static bool receipt_matches(const Recv *r, const Batch *b, char *why, size_t size)
{
    char want[64];
    qr_form(b->f.batch_id, want, sizeof want);
    char mine[256];
    bag_qr_payload(mine, sizeof mine, NULL, b->f.batch_id, b->f.rows, b->tag, b->f.key_id);
    const char *expect = strstr(mine, "KM2B1/");
    char first_wrong[256] = "";
    for (int i = 0; i < r->o->n_receipts; i++) {
        const char *t = strstr(r->o->receipts[i], "KM2B1/");
        if (!t)
            continue;
        char batch[64] = "";
        const char *slash = strchr(t + 6, '/');
        if (!slash || (size_t)(slash - (t + 6)) >= sizeof batch)
            continue;
        memcpy(batch, t + 6, (size_t)(slash - (t + 6)));
        batch[slash - (t + 6)] = '\0';
        if (strcmp(batch, want) != 0)
            continue;
        char given[256];
        str_copy(given, sizeof given, t);
        str_trim(given);
        if (expect && strcmp(given, expect) == 0)
            return true;
        if (!first_wrong[0])
            str_copy(first_wrong, sizeof first_wrong, given);
    }
    if (first_wrong[0]) {
        int n = snprintf(why, size, "Der Beleg zu %s passt nicht: auf dem Beleg steht %s, ",
                         b->f.batch_id, first_wrong);
        if (n > 0 && (size_t)n < size)
            snprintf(why + n, size - (size_t)n, "die Lieferung ergibt %s.", expect ? expect : mine);
    } else
        snprintf(why, size, "Unter den angegebenen Belegen ist keiner für %s.", b->f.batch_id);
    return false;
}

/* ---- the chain ------------------------------------------------------------- */

/* "<id>-R7Q4M" -> "<id>": the original a re-export repeats ("" for none). */
static void redo_original(const char *id, char *out, size_t size)
{
    out[0] = '\0';
    size_t n = strlen(id);
    if (n > 6 && id[n - 6] == '-' && id[n - 5] == 'R') {
        snprintf(out, size, "%.*s", (int)(n - 6), id);
        /* a re-export of a re-export names the first original */
        redo_original(out, out, size);
        if (!out[0])
            snprintf(out, size, "%.*s", (int)(n - 6), id);
    }
}

/* Where the batch goes in its kiosk's chain. False with a fork message. */
static bool place_in_chain(Recv *r, Batch *b, ReceiveResult *res)
{
    Archive *a = r->a;
    ArchiveBatch other;
    const BagFacts *f = &b->f;
    if (archive_batch_successor(a, f->kiosk_id, f->prev_batch_id, f->batch_id, &other) == KS_OK &&
        (f->prev_batch_id[0] || strcmp(other.key_id, f->key_id) == 0)) {
        say(res, RECV_FORK,
            "%s und %s nennen beide %s als Vorgänger: zwei Lieferungen an derselben Stelle der "
            "Kette von %s (ein zurückgespielter oder doppelt betriebener Kiosk?). %s bleibt in "
            "der Quarantäne.",
            other.id, f->batch_id, f->prev_batch_id[0] ? f->prev_batch_id : "(keinen)", f->kiosk_id,
            f->batch_id);
        return false;
    }
    if (f->prev_batch_id[0] && archive_batch_get(a, f->prev_batch_id, &other) == KS_OK &&
        strcmp(other.tag_sha256, f->prev_tag_sha256) != 0) {
        say(res, RECV_FORK,
            "%s nennt %s als Vorgänger, aber mit einer anderen Prüfsumme als die Lieferung im "
            "Archiv. %s bleibt in der Quarantäne.",
            f->batch_id, f->prev_batch_id, f->batch_id);
        return false;
    }
    if (archive_batch_successor(a, f->kiosk_id, f->batch_id, "", &other) == KS_OK &&
        strcmp(other.prev_tag_sha256, b->tag) != 0) {
        say(res, RECV_FORK,
            "Die Lieferung %s im Archiv nennt %s als Vorgänger, aber mit einer anderen "
            "Prüfsumme: diese %s ist nicht die, die der Kiosk dort geschrieben hat.",
            other.id, f->batch_id, f->batch_id);
        return false;
    }
    b->rec.state = ARCHIVE_BATCH_RECEIVED;
    if (b->redo_of[0]) {
        if ((archive_batch_get(a, b->redo_of, &other) == KS_OK &&
             other.state == ARCHIVE_BATCH_RECEIVED) ||
            archive_batch_stand_in(a, b->redo_of, &other) == KS_OK)
            b->rec.state = ARCHIVE_BATCH_DUPLICATE;
        else
            b->rec.state = ARCHIVE_BATCH_STANDS_IN;
    } else if (archive_batch_stand_in(a, f->batch_id, &other) == KS_OK) {
        str_copy(b->supersede, sizeof b->supersede, other.id);
    }
    return true;
}

/* ---- quarantine ------------------------------------------------------------ */

static void quarantine(Recv *r, const Batch *b, const char *name, const ReceiveResult *res)
{
    Archive *a = r->a;
    const char *batch = b->f.batch_id[0] ? b->f.batch_id : name;
    const char *kiosk = b->f.kiosk_id[0] ? b->f.kiosk_id : "_unbekannt";
    char kiosk_dir[80];
    archive_kiosk_folder(kiosk, kiosk_dir);
    char stamp[24], rel[RECV_PATH], dst[RECV_PATH * 2];
    archive_now(stamp);
    for (char *p = stamp; *p; p++)
        if (*p == ':')
            *p = '-';
    snprintf(rel, sizeof rel, "%s/%s/%s-%s", ARCHIVE_QUARANTINE, kiosk_dir,
             str_is_fat_safe(batch) ? batch : "lieferung", stamp);
    snprintf(dst, sizeof dst, "%s/%s/%s", archive_dir(a), ARCHIVE_QUARANTINE, kiosk_dir);
    (void)mkdir(dst, 0750);
    snprintf(dst, sizeof dst, "%s/%s", archive_dir(a), rel);
    int skipped = 0;
    KsStatus cs = copytree_copy(b->src, dst, QUARANTINE_FILE_MAX, &skipped);
    if (cs != KS_OK && mkdir(dst, 0750) != 0) {
        LOG_ERROR("quarantine %s: cannot create %s", batch, dst);
        return;
    }
    (void)chmod(dst, 0755);
    char reason_path[RECV_PATH * 2 + 16];
    snprintf(reason_path, sizeof reason_path, "%s/REASON.txt", dst);
    FILE *fp = fopen(reason_path, "w");
    if (fp) {
        fprintf(fp, "Lieferung: %s\nKiosk: %s\nErgebnis: %s\nGrund: %s\nQuelle: %s\nZeit: %s\n",
                batch, kiosk, receive_outcome_name(res->outcome), res->message, b->src, stamp);
        if (cs != KS_OK)
            fprintf(fp, "Hinweis: der Ordner ließ sich nicht vollständig kopieren (%s).\n",
                    ks_status_str(cs));
        if (skipped)
            fprintf(fp, "Hinweis: %d Datei(en) über %llu MB nicht mitkopiert.\n", skipped,
                    QUARANTINE_FILE_MAX / (1024 * 1024));
        fflush(fp);
        (void)fsync(fileno(fp));
        fclose(fp);
    }
    (void)chmod(dst, 0555);
    (void)archive_quarantine_add(a, batch, kiosk, receive_outcome_name(res->outcome), res->message,
                                 rel);
}

/* ---- taking a batch in ----------------------------------------------------- */

/* Loads the checked rows and the ledger entry in one transaction and,
 * before it commits, puts the checked copy in its place (tmp renamed to
 * final, the folder synced). A crash in between leaves a complete copy
 * that receive_recover takes in; a failure removes it again. */
static KsStatus load(Recv *r, Batch *b, const char *tmp, const char *final, const char *kdir)
{
    Archive *a = r->a;
    KsStatus ks = archive_tx_begin(a);
    if (ks != KS_OK)
        return ks;
    ks = archive_batch_add(a, &b->rec);
    if (ks == KS_OK && b->supersede[0]) {
        ks = archive_rows_drop(a, b->supersede);
        if (ks == KS_OK)
            ks = archive_batch_set_state(a, b->supersede, ARCHIVE_BATCH_SUPERSEDED);
    }
    if (ks == KS_OK)
        ks = recv_data_load(&b->data, a, &b->rec, b->rec.state != ARCHIVE_BATCH_DUPLICATE);
    if (ks == KS_OK && tmp && rename(tmp, final) != 0) {
        LOG_ERROR("cannot move %s into place: %s", tmp, strerror(errno));
        ks = KS_ERR_IO;
    }
    if (ks == KS_OK && tmp)
        ks = bagit_fsync_dir(kdir);
    if (ks == KS_OK)
        ks = archive_tx_commit(a);
    if (ks != KS_OK) {
        archive_tx_rollback(a);
        if (tmp)
            (void)copytree_remove(final);
    }
    return ks;
}

static void write_ack(Recv *r, const Batch *b, ReceiveResult *res)
{
    if (!r->o || !r->o->write_ack || b->in_place)
        return;
    char dir[RECV_PATH + 16];
    snprintf(dir, sizeof dir, "%s/%s", r->top, ACK_DIR_NAME);
    AckInfo ai;
    memset(&ai, 0, sizeof ai);
    str_copy(ai.batch_id, sizeof ai.batch_id, b->f.batch_id);
    str_copy(ai.tag_sha256, sizeof ai.tag_sha256, b->tag);
    ai.rows = b->f.rows;
    str_copy(ai.received, sizeof ai.received, b->rec.received_at);
    KsStatus ks = KS_OK;
    if (mkdir(dir, 0755) != 0 && errno != EEXIST)
        ks = errno == EROFS ? KS_ERR_STATE : (errno == ENOSPC ? KS_ERR_FULL : KS_ERR_IO);
    if (ks == KS_OK)
        ks = ack_write(dir, &ai, r->keys->receipt);
    if (ks == KS_OK) {
        res->acked = true;
        return;
    }
    if (!r->ack_refused)
        fprintf(stderr,
                "Hinweis: auf den Stick ließ sich keine Empfangsbestätigung schreiben (%s). "
                "Die Lieferungen sind trotzdem im Archiv; der Kiosk löscht sie erst, wenn "
                "er eine Bestätigung liest.\n",
                ks == KS_ERR_STATE  ? "er ist schreibgeschützt"
                : ks == KS_ERR_FULL ? "er ist voll"
                                    : "Schreibfehler");
    r->ack_refused = true;
}

/* The already-received case: the same bytes change nothing. */
static bool already(Recv *r, Batch *b, ReceiveResult *res)
{
    ArchiveBatch have;
    if (archive_batch_get(r->a, b->f.batch_id, &have) != KS_OK)
        return false;
    if (strcmp(have.tag_sha256, b->tag) == 0) {
        b->rec = have;
        say(res, RECV_ALREADY, "%s ist schon im Archiv (empfangen %s); nichts geändert.",
            b->f.batch_id, have.received_at);
        res->rows = 0;
        return true;
    }
    say(res, RECV_FORK,
        "Im Archiv liegt schon eine andere Lieferung namens %s (andere Prüfsumme): diese bleibt "
        "in der Quarantäne.",
        b->f.batch_id);
    return true;
}

/* What a step of receive_one says: go on, stop, or stop and keep the
 * batch in the quarantine (with the reason in res). */
typedef enum { STEP_GO, STEP_STOP, STEP_QUARANTINE } Step;

/* bag-info.txt read, and the folder named as the batch it holds. */
static Step read_facts(Batch *b, const char *name, ReceiveResult *res)
{
    char why[512] = "";
    struct stat st;
    if (lstat(b->src, &st) != 0 || !S_ISDIR(st.st_mode)) {
        say(res, RECV_BAD_MANIFEST,
            "%s ist kein gewöhnlicher Ordner (eine Verknüpfung?) und wird "
            "nicht gelesen.",
            name);
        return STEP_STOP;
    }
    if (bag_read_facts(b->src, &b->f, why, sizeof why) != KS_OK) {
        say(res, RECV_BAD_MANIFEST, "%s: bag-info.txt ist unbrauchbar: %s", name, why);
        return STEP_QUARANTINE;
    }
    str_copy(res->batch, sizeof res->batch, b->f.batch_id);
    str_copy(res->kiosk, sizeof res->kiosk, b->f.kiosk_id);
    str_copy(res->site, sizeof res->site, b->f.site_code);
    if (strcmp(b->f.batch_id, name) != 0 || !str_is_fat_safe(b->f.batch_id)) {
        say(res, RECV_BAD_MANIFEST,
            "Der Ordner %s enthält die Lieferung %s: Name und Inhalt "
            "passen nicht zusammen.",
            name, b->f.batch_id);
        return STEP_QUARANTINE;
    }
    return STEP_GO;
}

/* 1. The key: enrolled beforehand, for this kiosk. Never the .pub on the
 * stick. */
static Step check_key(Recv *r, Batch *b, ReceiveResult *res)
{
    if (archive_key_find(r->a, b->f.key_id, &b->key) != KS_OK ||
        strcmp(b->key.kiosk_id, b->f.kiosk_id) != 0) {
        bool other = b->key.kiosk_id[0] && strcmp(b->key.kiosk_id, b->f.kiosk_id) != 0;
        say(res, RECV_UNKNOWN_KEY,
            other ? "%s ist mit dem Schlüssel %s signiert, der zum Kiosk %s gehört, nicht zu %s."
                  : "%s ist mit dem Schlüssel %s signiert, der zu keinem angemeldeten Kiosk "
                    "gehört (der Schlüssel auf dem Stick zählt nicht). Melden Sie den Kiosk %s "
                    "mit seinem Schlüssel an, den `km2kiosk key` am Kiosk zeigt.",
            b->f.batch_id, b->f.key_id, other ? b->key.kiosk_id : b->f.kiosk_id, b->f.kiosk_id);
        snprintf(res->enrol, sizeof res->enrol, "km2eval enrol %s --key %s.pub --kiosk %s%s%s",
                 archive_dir(r->a), b->f.kiosk_id, b->f.kiosk_id,
                 b->f.site_code[0] ? " --site " : "", b->f.site_code);
        return STEP_QUARANTINE;
    }
    if (!res->site[0])
        str_copy(res->site, sizeof res->site, b->key.site);
    return STEP_GO;
}

/* 2. Signature and manifests with the enrolled key (pk); a batch received
 * before ends here (its receipt written again); 3. the QR receipts, when
 * given. */
static Step check_signed(Recv *r, Batch *b, SignPublic *pk, ReceiveResult *res)
{
    char why[512] = "";
    if (sign_public_parse(b->key.public_key, pk) != KS_OK) {
        say(res, RECV_UNKNOWN_KEY, "Der angemeldete Schlüssel %s ist im Archiv beschädigt.",
            b->f.key_id);
        return STEP_STOP;
    }
    BagCheck chk = bag_check_public(b->src, pk, b->tag, why, sizeof why);
    if (chk != BAG_CHECK_OK) {
        say(res, chk == BAG_CHECK_SIGNATURE ? RECV_BAD_SIGNATURE : RECV_BAD_MANIFEST, "%s: %s",
            b->f.batch_id, why);
        return STEP_QUARANTINE;
    }
    if (already(r, b, res)) {
        if (res->outcome != RECV_ALREADY)
            return STEP_QUARANTINE;
        write_ack(r, b, res);
        return STEP_STOP;
    }
    if (r->o && r->o->n_receipts > 0 && !receipt_matches(r, b, why, sizeof why)) {
        say(res, RECV_RECEIPT_MISMATCH, "%s", why);
        return STEP_QUARANTINE;
    }
    return STEP_GO;
}

/* The checks so far read the stick. What is taken in is a copy in the
 * archive (tmp), checked again: a device that changed a file between two
 * reads would otherwise get unchecked bytes in. */
static Step copy_in(Batch *b, const SignPublic *pk, const char *tmp, const char *kdir,
                    ReceiveResult *res)
{
    char why[512] = "";
    (void)mkdir(kdir, 0750);
    (void)copytree_remove(tmp);
    KsStatus cs = copytree_copy(b->src, tmp, 0, NULL);
    if (cs != KS_OK) {
        say(res, RECV_BAD_MANIFEST,
            cs == KS_ERR_FULL ? "%s: das Archiv ist voll; nichts wurde übernommen."
                              : "%s: beim Kopieren ins Archiv ging das Lesen schief (wurde der "
                                "Stick abgezogen?); nichts wurde übernommen.",
            b->f.batch_id);
        return STEP_STOP;
    }
    char again[65] = "";
    if (bag_check_public(tmp, pk, again, why, sizeof why) != BAG_CHECK_OK ||
        strcmp(again, b->tag) != 0) {
        say(res, RECV_BAD_MANIFEST,
            "%s: die Kopie im Archiv stimmt nicht mit dem geprüften "
            "Stick überein (%s); nichts wurde übernommen.",
            b->f.batch_id, why[0] ? why : "andere Prüfsumme");
        return STEP_QUARANTINE;
    }
    return STEP_GO;
}

/* Into the archive: the rows and the ledger entry in one transaction, the
 * checked copy (tmp, NULL in place) renamed to final before it commits;
 * then what happened, and the receipt. */
static void take_in(Recv *r, Batch *b, const char *folder, const char *tmp, const char *final,
                    const char *kdir, ReceiveResult *res)
{
    ArchiveBatch *rec = &b->rec;
    str_copy(rec->id, sizeof rec->id, b->f.batch_id);
    str_copy(rec->kiosk_id, sizeof rec->kiosk_id, b->f.kiosk_id);
    str_copy(rec->site, sizeof rec->site, res->site);
    str_copy(rec->key_id, sizeof rec->key_id, b->f.key_id);
    str_copy(rec->tag_sha256, sizeof rec->tag_sha256, b->tag);
    str_copy(rec->prev_id, sizeof rec->prev_id, b->f.prev_batch_id);
    str_copy(rec->prev_tag_sha256, sizeof rec->prev_tag_sha256, b->f.prev_tag_sha256);
    str_copy(rec->redo_of, sizeof rec->redo_of, b->redo_of);
    str_copy(rec->period_from, sizeof rec->period_from, b->f.period_from);
    str_copy(rec->period_to, sizeof rec->period_to, b->f.period_to);
    str_copy(rec->forms, sizeof rec->forms, b->f.forms);
    rec->rows = b->f.rows;
    rec->k = b->data.k;
    archive_now(rec->received_at);
    snprintf(rec->path, sizeof rec->path, "%s/%s/%s", ARCHIVE_BATCHES, folder, b->f.batch_id);
    KsStatus ls = load(r, b, tmp, final, kdir);
    if (ls != KS_OK) {
        say(res, RECV_BAD_DATA,
            "%s: die Zeilen ließen sich nicht ins Archiv laden (%s); nichts "
            "wurde übernommen.",
            b->f.batch_id, ks_status_str(ls));
        return;
    }
    if (rec->state == ARCHIVE_BATCH_DUPLICATE) {
        say(res, RECV_ALREADY,
            "%s wiederholt %s, das schon im Archiv ist: als Glied der Kette vermerkt, nicht "
            "doppelt gezählt.",
            b->f.batch_id, b->redo_of);
    } else if (rec->state == ARCHIVE_BATCH_STANDS_IN) {
        res->rows = b->f.rows;
        say(res, RECV_STANDS_IN,
            "%s (%d Antworten) steht für die fehlende Lieferung %s; kommt diese noch, zählt "
            "sie statt dieser.",
            b->f.batch_id, b->f.rows, b->redo_of);
    } else {
        res->rows = b->f.rows;
        say(res, RECV_RECEIVED, "%s von %s übernommen: %d Antworten%s%s.", b->f.batch_id,
            b->f.kiosk_id, b->f.rows, b->supersede[0] ? "; ersetzt die Vertretung " : "",
            b->supersede);
    }
    write_ack(r, b, res);
}

/* One batch folder of the stick (src; in_place: it already is the
 * archive's copy), through the steps of README "At the evaluation office"
 * in order, stopping at the first that refuses. */
static void receive_one(Recv *r, const char *name, const char *src, bool in_place,
                        ReceiveResult *res)
{
    Archive *a = r->a;
    Batch b;
    memset(&b, 0, sizeof b);
    b.src = src;
    b.in_place = in_place;
    memset(res, 0, sizeof *res);
    str_copy(res->batch, sizeof res->batch, name);
    char why[512] = "";
    /* Decrypted data while checking; removed whatever happens. */
    char work[RECV_PATH * 2];
    snprintf(work, sizeof work, "%s/%s", r->work, name);
    SignPublic pk;
    char kdir[RECV_PATH * 2], final[RECV_PATH * 3], tmp[RECV_PATH * 3], folder[80];

    Step step = read_facts(&b, name, res);
    if (step == STEP_GO)
        step = check_key(r, &b, res);
    if (step == STEP_GO)
        step = check_signed(r, &b, &pk, res);
    if (step == STEP_GO) {
        archive_kiosk_folder(b.f.kiosk_id, folder);
        snprintf(kdir, sizeof kdir, "%s/%s/%s", archive_dir(a), ARCHIVE_BATCHES, folder);
        snprintf(final, sizeof final, "%s/%s", kdir, b.f.batch_id);
        snprintf(tmp, sizeof tmp, "%s/.tmp-%s", kdir, b.f.batch_id);
        if (!in_place)
            step = copy_in(&b, &pk, tmp, kdir, res);
    }
    /* 4. The data: decrypted with the team's identity, as described. */
    if (step == STEP_GO && recv_data_check(&b.data, in_place ? src : tmp, work, &b.f,
                                           r->keys->age_secret, why, sizeof why) != KS_OK) {
        say(res, RECV_BAD_DATA, "%s: %s", b.f.batch_id, why);
        step = STEP_QUARANTINE;
    }
    /* 5. The chain. */
    if (step == STEP_GO) {
        redo_original(b.f.batch_id, b.redo_of, sizeof b.redo_of);
        if (!place_in_chain(r, &b, res))
            step = STEP_QUARANTINE;
    }
    if (step == STEP_GO)
        take_in(r, &b, folder, in_place ? NULL : tmp, final, kdir, res);

    if (step == STEP_QUARANTINE && !in_place)
        quarantine(r, &b, name, res);
    recv_data_clear(&b.data);
    (void)copytree_remove(work);
    if (!in_place && b.f.kiosk_id[0] && str_is_fat_safe(b.f.batch_id)) {
        char left[RECV_PATH * 3], kf[80];
        archive_kiosk_folder(b.f.kiosk_id, kf);
        snprintf(left, sizeof left, "%s/%s/%s/.tmp-%s", archive_dir(a), ARCHIVE_BATCHES, kf,
                 b.f.batch_id);
        (void)copytree_remove(left); /* a copy that was refused */
    }
}

/* ---- the whole stick ------------------------------------------------------ */

static void progress(const Recv *r, int done, int total)
{
    if (!r->o || !r->o->progress || total < 2)
        return;
    enum { WIDTH = 30 };
    int fill = total ? done * WIDTH / total : WIDTH;
    char bar[WIDTH + 1];
    for (int i = 0; i < WIDTH; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[WIDTH] = '\0';
    fprintf(stderr, "\r[%s] %d/%d Lieferungen%s", bar, done, total, done == total ? "\n" : "");
    fflush(stderr);
}

static void work_dir(Archive *a, char *out, size_t size)
{
    snprintf(out, size, "%s/%s", archive_dir(a), WORK_DIR);
}

KsStatus receive_run(Archive *a, const OfficeKeys *keys, const ReceiveOptions *o,
                     void (*report)(const ReceiveResult *r, void *ctx), void *ctx, int *failed)
{
    *failed = 0;
    Recv r;
    memset(&r, 0, sizeof r);
    r.a = a;
    r.keys = keys;
    r.o = o;
    if (!find_top(o->stick, r.top, sizeof r.top))
        return KS_ERR_NOT_FOUND;
    work_dir(a, r.work, sizeof r.work);
    (void)copytree_remove(r.work);
    if (mkdir(r.work, 0700) != 0)
        return KS_ERR_IO;
    Found *list = NULL;
    int n = 0;
    KsStatus ks = list_batches(r.top, &list, &n);
    if (ks == KS_OK && n == 0)
        ks = KS_ERR_NOT_FOUND;
    for (int i = 0; ks == KS_OK && i < n; i++) {
        char src[RECV_PATH * 2];
        snprintf(src, sizeof src, "%s/%s", r.top, list[i].name);
        ReceiveResult res;
        receive_one(&r, list[i].name, src, false, &res);
        if (!receive_outcome_ok(res.outcome))
            (*failed)++;
        progress(&r, i + 1, n);
        report(&res, ctx);
    }
    for (int i = 0; i < n; i++)
        free(list[i].name);
    free(list);
    (void)copytree_remove(r.work);
    return ks;
}

KsStatus receive_recover(Archive *a, const OfficeKeys *keys,
                         void (*report)(const ReceiveResult *r, void *ctx), void *ctx)
{
    Recv r;
    memset(&r, 0, sizeof r);
    r.a = a;
    r.keys = keys;
    work_dir(a, r.work, sizeof r.work);
    (void)copytree_remove(r.work);
    if (mkdir(r.work, 0700) != 0)
        return KS_ERR_IO;
    char root[RECV_PATH];
    snprintf(root, sizeof root, "%s/%s", archive_dir(a), ARCHIVE_BATCHES);
    DIR *d = opendir(root);
    if (!d)
        return KS_ERR_IO;
    struct dirent *k;
    while ((k = readdir(d)) != NULL) {
        if (k->d_name[0] == '.')
            continue;
        char kdir[RECV_PATH * 2];
        snprintf(kdir, sizeof kdir, "%s/%s", root, k->d_name);
        DIR *kd = opendir(kdir);
        if (!kd)
            continue;
        struct dirent *e;
        while ((e = readdir(kd)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char path[RECV_PATH * 3];
            snprintf(path, sizeof path, "%s/%s", kdir, e->d_name);
            if (strncmp(e->d_name, ".tmp-", 5) == 0) {
                LOG_INFO("removing the unfinished copy %s", path);
                (void)copytree_remove(path);
                continue;
            }
            ArchiveBatch have;
            if (archive_batch_get(a, e->d_name, &have) == KS_OK)
                continue;
            /* Copied whole but not recorded: the run ended in between. */
            ReceiveResult res;
            receive_one(&r, e->d_name, path, true, &res);
            if (!receive_outcome_ok(res.outcome)) {
                LOG_WARN("the unrecorded copy %s does not verify (%s): removed", path, res.message);
                (void)copytree_remove(path);
            }
            report(&res, ctx);
        }
        closedir(kd);
    }
    closedir(d);
    (void)copytree_remove(r.work);
    return KS_OK;
}
