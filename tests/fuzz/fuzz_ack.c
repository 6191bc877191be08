/* fuzz_ack: libFuzzer target for what the kiosk reads back from a stick:
 * the office's receipt text (ack_parse: a receipt or a refusal; a parsed
 * receipt formats back to the very same bytes), and the same bytes as a
 * minisign signature and as a public key line (a clean status, never a
 * crash, and nothing verifies against a fixed key by chance). */
#include <stdlib.h>
#include <string.h>

#include "../../export/ack.h"
#include "../../export/sign.h"
#include "fuzz_target.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    AckInfo a;
    char buf[ACK_TEXT_MAX];
    if (ack_parse((const char *)data, size, &a) == KS_OK) {
        /* Only the canonical text parses (fields in any order), so a
         * receipt formats back to the same length and the same fields. */
        AckInfo back;
        if (ack_format(&a, buf, sizeof buf) != KS_OK || strlen(buf) != size ||
            ack_parse(buf, strlen(buf), &back) != KS_OK || memcmp(&a, &back, sizeof a) != 0)
            __builtin_trap();
    } else if (a.batch_id[0] || a.rows != 0) {
        __builtin_trap(); /* a refusal leaves nothing half-filled */
    }

    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    SignPublic pk;
    KsStatus st = sign_public_parse(text, &pk);
    if (st != KS_OK && st != KS_ERR_PARSE)
        __builtin_trap();
    /* A fixed key no input can have signed for: verifying must refuse. */
    static const SignPublic fixed = {.keynum = {1, 2, 3, 4, 5, 6, 7, 8}, .id = "0807060504030201"};
    SignPublic k = fixed;
    for (int i = 0; i < 32; i++)
        k.pk[i] = (unsigned char)(i * 37 + 11);
    st = sign_minisig_verify_public(&k, data, size, text);
    if (st == KS_OK || (st != KS_ERR_PARSE && st != KS_ERR_CORRUPT))
        __builtin_trap();
    free(text);
    return 0;
}
