/* retention: the daily deletion of old exported data, and the office's
 * receipts read from a stick into the ledger (see retention.h). */
#include "retention.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "../../export/ack.h"
#include "../../export/export.h"
#include "../../export/sign.h"
#include "../core/clock.h"
#include "../core/log.h"
#include "../storage/store_export.h"

/* A .minisig is a few hundred bytes; anything much larger is not one. */
#define ACK_SIG_FILE_MAX 4096

KsStatus retention_run(Store *s, int days, bool by_receipt, bool clock_doubt, int64_t now_ms,
                       StoreRetentionResult *out)
{
    StoreRetentionResult r;
    memset(&r, 0, sizeof r);
    if (out)
        *out = r;
    if (!s || days <= 0)
        return KS_OK;
    if (clock_doubt) {
        LOG_WARN("old exported data not deleted: the clock is in doubt");
        return KS_ERR_STATE;
    }
    int64_t cutoff = now_ms - (int64_t)days * RETENTION_DAY_MS;
    KsStatus ks = store_retention_purge(s, cutoff, by_receipt, &r);
    if (ks != KS_OK) {
        LOG_ERROR("old exported data not deleted: %s", ks_status_str(ks));
        return ks;
    }
    if (r.sessions > 0 || r.workshops > 0) {
        char iso[32];
        clock_format_iso(cutoff, iso);
        LOG_INFO("retention: deleted %d session(s) and %d workshop(s) %s before %s"
                 " (%d days); database compacted",
                 r.sessions, r.workshops,
                 by_receipt ? "the evaluation office acknowledged" : "exported", iso, days);
    }
    if (out)
        *out = r;
    return KS_OK;
}

/* ---- receipts ---------------------------------------------------------- */

/* A name from a stick as it may appear in the journal: printable ASCII,
 * everything else '?', so a hostile name cannot forge log lines. */
static void log_name(const char *name, char *out, size_t size)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p && n + 1 < size; p++)
        out[n++] = *p >= 0x20 && *p < 0x7f ? (char)*p : '?';
    out[n] = '\0';
}

/* "2026-12-07T10:11:12Z" to ms since the epoch; 0 when unreadable. */
static int64_t received_ms(const char *iso)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    char z = 0;
    if (sscanf(iso, "%4d-%2d-%2dT%2d:%2d:%2d%c", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
               &tm.tm_min, &tm.tm_sec, &z) != 7 ||
        z != 'Z')
        return 0;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    time_t t = timegm(&tm);
    return t > 0 ? (int64_t)t * 1000 : 0;
}

/* Whether path is a regular file (not followed if a link) of at most max
 * bytes; why gets the reason when not (missing: when it does not exist). */
static bool small_file(const char *path, off_t max, const char *missing, const char **why)
{
    struct stat sb;
    if (lstat(path, &sb) != 0) {
        *why = errno == ENOENT ? missing : "it cannot be read";
        return false;
    }
    if (!S_ISREG(sb.st_mode)) {
        *why = "it is not a regular file";
        return false;
    }
    if (sb.st_size > max) {
        *why = "it is too large to be a receipt";
        return false;
    }
    return true;
}

static const char *ack_problem(KsStatus ks)
{
    switch (ks) {
    case KS_ERR_CORRUPT:
        return "its signature does not verify with the evaluation office's key, or the file"
               " name does not match the batch it names";
    case KS_ERR_PARSE:
        return "it is not a well-formed receipt with a minisign signature";
    case KS_ERR_NOT_FOUND:
        return "its signature file (.ack.minisig) is missing";
    default:
        return "it cannot be read";
    }
}

/* Checks one receipt and records it. KS_OK also when it was ignored (the
 * counts say which); only a storage failure is returned. */
static KsStatus read_one(Store *s, const SignPublic *office, const char *dir, const char *name,
                         int64_t now_ms, RetentionAcks *out)
{
    char shown[160], path[CONFIG_PATH_MAX + 256], sig[CONFIG_PATH_MAX + 272];
    log_name(name, shown, sizeof shown);
    size_t stem = strlen(name) - 4; /* without ".ack" */
    const char *why = NULL;
    AckInfo info;
    memset(&info, 0, sizeof info);
    int n1 = snprintf(path, sizeof path, "%s/%s", dir, name);
    int n2 = snprintf(sig, sizeof sig, "%s.minisig", path);
    if (stem == 0 || stem >= sizeof info.batch_id)
        why = "its name is no batch id";
    else if (n1 < 0 || (size_t)n1 >= sizeof path || n2 < 0 || (size_t)n2 >= sizeof sig)
        why = "its path is too long";
    else if (small_file(path, ACK_TEXT_MAX, "it is gone", &why) &&
             small_file(sig, ACK_SIG_FILE_MAX, "its signature file (.ack.minisig) is missing",
                        &why)) {
        KsStatus ks = ack_read(path, office, &info);
        if (ks != KS_OK)
            why = ack_problem(ks);
        else if (strlen(info.batch_id) != stem || strncmp(info.batch_id, name, stem) != 0)
            why = "the file name does not match the batch it names";
    }
    StoreBatch b;
    memset(&b, 0, sizeof b);
    if (!why) {
        KsStatus ks = store_batch_get(s, info.batch_id, &b);
        if (ks == KS_ERR_NOT_FOUND)
            why = "it names no batch of this kiosk";
        else if (ks != KS_OK)
            return ks;
    }
    if (!why && strcmp(b.tag_sha256, info.tag_sha256) != 0)
        why = "its tag-manifest SHA-256 differs from the batch's";
    else if (!why && b.rows != info.rows)
        why = "its row count differs from the batch's";
    if (why) {
        LOG_WARN("receipt %s/%s/%s ignored: %s", EXPORT_DIR_NAME, ACK_DIR_NAME, shown, why);
        out->ignored++;
        return KS_OK;
    }
    StoreAck a = {.batch_id = info.batch_id,
                  .tag_sha256 = info.tag_sha256,
                  .rows = info.rows,
                  .received_ms = received_ms(info.received)};
    StoreAckResult r;
    KsStatus ks = store_batch_acknowledge(s, &a, now_ms, &r);
    if (ks == KS_ERR_NOT_FOUND || ks == KS_ERR_CORRUPT) {
        /* The ledger changed since the look above (cannot happen within
         * one kiosk; another process may share the database). */
        LOG_WARN("receipt %s/%s/%s ignored: it no longer matches the ledger", EXPORT_DIR_NAME,
                 ACK_DIR_NAME, shown);
        out->ignored++;
        return KS_OK;
    }
    if (ks != KS_OK) {
        LOG_ERROR("receipt for batch %s not recorded: %s", info.batch_id, ks_status_str(ks));
        return ks;
    }
    if (!r.recorded) {
        out->known++;
        return KS_OK;
    }
    out->recorded++;
    LOG_INFO("receipt for batch %s recorded (received %s, %d rows): %d session(s) and %d"
             " workshop(s) acknowledged",
             info.batch_id, info.received, info.rows, r.sessions, r.workshops);
    return KS_OK;
}

static bool is_receipt_name(const char *name)
{
    size_t n = strlen(name);
    /* Dot files are the AppleDouble and other leftovers a desktop puts on
     * a FAT stick, never receipts. */
    return name[0] != '.' && n > 4 && strcmp(name + n - 4, ".ack") == 0;
}

KsStatus retention_read_acks(Store *s, const char *eval_pubkey, const char *stick_dir,
                             int64_t now_ms, RetentionAcks *out)
{
    memset(out, 0, sizeof *out);
    if (!s || !eval_pubkey || !eval_pubkey[0] || !stick_dir || !stick_dir[0])
        return KS_OK;
    SignPublic office;
    if (sign_public_parse(eval_pubkey, &office) != KS_OK) {
        LOG_ERROR("eval_pubkey is not a minisign public key: no receipt can be checked");
        return KS_ERR_INVALID;
    }
    char dir[CONFIG_PATH_MAX];
    int n = snprintf(dir, sizeof dir, "%s/%s/%s", stick_dir, EXPORT_DIR_NAME, ACK_DIR_NAME);
    if (n < 0 || (size_t)n >= sizeof dir)
        return KS_ERR_LIMIT;
    struct stat sb;
    if (lstat(dir, &sb) != 0)
        return errno == ENOENT || errno == ENOTDIR ? KS_OK : KS_ERR_IO;
    if (!S_ISDIR(sb.st_mode)) {
        LOG_WARN("%s/%s on the stick is not a folder: no receipts read", EXPORT_DIR_NAME,
                 ACK_DIR_NAME);
        return KS_OK;
    }
    DIR *dp = opendir(dir);
    if (!dp) {
        LOG_WARN("receipts in %s cannot be read: %s", dir, strerror(errno));
        return KS_ERR_IO;
    }
    KsStatus ks = KS_OK;
    int seen = 0;
    for (struct dirent *e = readdir(dp); e && ks == KS_OK; e = readdir(dp)) {
        if (!is_receipt_name(e->d_name))
            continue;
        if (++seen > RETENTION_ACKS_MAX) {
            LOG_WARN("more than %d receipts on the stick: the rest are not read now",
                     RETENTION_ACKS_MAX);
            break;
        }
        ks = read_one(s, &office, dir, e->d_name, now_ms, out);
    }
    closedir(dp);
    if (out->recorded > 0 || out->ignored > 0)
        LOG_INFO("receipts on the stick: %d new, %d known, %d ignored", out->recorded, out->known,
                 out->ignored);
    return ks;
}
