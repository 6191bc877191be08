/* fuzz_baginfo: libFuzzer target for the tag files of a bag as the office
 * reads them from a stick: bag-info.txt through bag_parse_facts (facts or a
 * German reason, never both; facts within their documented rules) and, on
 * the same bytes, a manifest through bagit_parse_manifest (entries sorted,
 * unique, every path inside the bag). */
#include <string.h>

#include "../../export/bag.h"
#include "../../export/bagit.h"
#include "fuzz_target.h"

#define TERMINATED(a) (memchr((a), '\0', sizeof(a)) != NULL)

static void check_facts(const uint8_t *data, size_t size)
{
    BagFacts f;
    char why[256];
    if (bag_parse_facts((const char *)data, size, &f, why, sizeof why) != KS_OK) {
        if (!why[0] || f.batch_id[0] || f.kiosk_id[0] || f.rows != 0)
            __builtin_trap(); /* a refusal says why and leaves nothing half-filled */
        return;
    }
    if (why[0] || !TERMINATED(f.batch_id) || !TERMINATED(f.kiosk_id) || !TERMINATED(f.site_code) ||
        !TERMINATED(f.key_id) || !TERMINATED(f.prev_batch_id) || !TERMINATED(f.prev_tag_sha256) ||
        !TERMINATED(f.forms) || !TERMINATED(f.period_from) || !TERMINATED(f.period_to))
        __builtin_trap();
    if (!f.batch_id[0] || !f.kiosk_id[0] || strlen(f.key_id) != 16 || f.rows < 0 ||
        strchr(f.batch_id, '/') || strchr(f.prev_batch_id, '/') ||
        (f.prev_tag_sha256[0] && strlen(f.prev_tag_sha256) != 64))
        __builtin_trap(); /* required fields present, ids usable as file names */
}

static void check_manifest(const uint8_t *data, size_t size)
{
    BagitManifest m = {0};
    int line = -1;
    KsStatus st = bagit_parse_manifest((const char *)data, size, &m, &line);
    if (st != KS_OK) {
        if (m.n != 0 || m.entries || line <= 0)
            __builtin_trap(); /* a refusal names its line and keeps nothing */
        return;
    }
    if (line != 0)
        __builtin_trap();
    for (int i = 0; i < m.n; i++) {
        const char *p = m.entries[i].path;
        if (p[0] == '\0' || p[0] == '/' || strstr(p, "//") || strcmp(p, "..") == 0 ||
            strncmp(p, "../", 3) == 0 || strstr(p, "/../") ||
            (strlen(p) >= 3 && strcmp(p + strlen(p) - 3, "/..") == 0) ||
            strlen(m.entries[i].hex) != 64)
            __builtin_trap(); /* nothing leaves the bag */
        if (i > 0 && strcmp(m.entries[i - 1].path, p) >= 0)
            __builtin_trap(); /* sorted and unique */
        if (bagit_manifest_find(&m, p) != &m.entries[i])
            __builtin_trap();
    }
    bagit_manifest_free(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_facts(data, size);
    check_manifest(data, size);
    return 0;
}
