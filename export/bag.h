/* bag: turns a folder with data/ into a signed BagIt bag (RFC 8493):
 * bagit.txt, bag-info.txt, manifest-sha256.txt, tagmanifest-sha256.txt and
 * tagmanifest-sha256.txt.minisig (Ed25519, minisign's format, so
 * `minisign -V` verifies it). Optionally encrypts each data file to the
 * evaluation team's age recipient first (`age -d` decrypts it). Also the
 * QR receipt of a batch. Everything through libsodium and libqrencode. */
#ifndef KS_BAG_H
#define KS_BAG_H

#include <stddef.h>
#include <stdbool.h>

#include "../firmware/core/ks_status.h"

/* The kiosk's signing key: created on first use beside the database
 * (mode 0600), loaded afterwards. */
typedef struct SignKey SignKey;
/* A minisign public key, plain data (defined in sign.h). */
typedef struct SignPublic SignPublic;
KsStatus sign_key_load_or_create(const char *path, SignKey **out);
void sign_key_destroy(SignKey *k); /* accepts NULL; wipes the secret */
/* The key id as 16 upper-case hex digits (minisign's key number). */
const char *sign_key_id(const SignKey *k);
/* The public key file in minisign's format ("untrusted comment: …\n<base64>\n"). */
void sign_key_public_file(const SignKey *k, char *buf, size_t size);

typedef struct {
    const char *batch_id;
    const char *kiosk_id;
    const char *site_code; /* "" or NULL: no KM2-Site-Code field */
    const char *forms;     /* as in ExportDataResult */
    int rows;
    const char *period_from, *period_to;
    const char *prev_batch_id; /* "" for the first batch of this kiosk */
    const char *prev_tag_sha256;
    const char *age_recipient; /* "age1…" to encrypt data files to, or NULL */
} BagInfo;

/* Finishes the bag in dir (which holds data/): encrypts when asked, writes
 * the manifests and bag-info, signs the tag manifest. tag_sha256 gets the
 * hex SHA-256 of tagmanifest-sha256.txt. KS_ERR_IO on a failed write,
 * KS_ERR_INVALID for a malformed recipient. */
KsStatus bag_finish(const char *dir, const BagInfo *info, const SignKey *key, char tag_sha256[65]);

/* Checks a bag as a receiver would: bag_check_public with the public half
 * of key (the one verifier). KS_ERR_CORRUPT when anything differs or is
 * missing, KS_ERR_IO when a read failed (a stick pulled). Used on the kiosk
 * before and after copying to the stick. */
KsStatus bag_verify(const char *dir, const SignKey *key);

/* What a received bag says about itself (bag-info.txt), as plain data.
 * Strings are "" when the field is absent. */
typedef struct {
    char batch_id[48];                   /* KM2-Batch-Id */
    char kiosk_id[64];                   /* KM2-Kiosk-Id */
    char site_code[32];                  /* KM2-Site-Code */
    char key_id[17];                     /* KM2-Signing-Key-Id */
    char prev_batch_id[48];              /* KM2-Previous-Batch-Id */
    char prev_tag_sha256[65];            /* KM2-Previous-Tagmanifest-SHA256 */
    char forms[256];                     /* KM2-Forms */
    char period_from[16], period_to[16]; /* KM2-Period "FROM/TO" */
    int rows;                            /* KM2-Rows */
    bool encrypted;                      /* KM2-Encrypted: yes */
} BagFacts;

/* Parses the text of a bag-info.txt (len bytes, hostile input: at most
 * 64 KiB, strict UTF-8, no control characters but tabs, no empty line, LF or
 * CRLF ends; "Label: value" lines, indented continuation lines joined with
 * one space). The KM2 fields (labels matched case-insensitively) may not
 * repeat and are checked for length and characters: batch ids FAT-safe
 * printable ASCII; the key id 16 upper-case hex digits; the previous hash 64
 * lower-case hex digits; KM2-Rows a plain decimal 0..INT_MAX; KM2-Period
 * "FROM/TO" of letters, digits and '-' (either side may be empty);
 * KM2-Encrypted "yes" or "no"; KM2-Site-Code letters, digits, '-', '_'.
 * "none", as the kiosk writes an empty value, gives "" for
 * KM2-Previous-Batch-Id, KM2-Previous-Tagmanifest-SHA256 and KM2-Forms.
 * Other fields are only checked for syntax. KS_ERR_PARSE with a German
 * reason in why (may be NULL) when it is malformed or lacks KM2-Batch-Id,
 * KM2-Kiosk-Id, KM2-Signing-Key-Id or KM2-Rows; *out is then all zero.
 * Pure, for fuzzing. */
KsStatus bag_parse_facts(const char *text, size_t len, BagFacts *out, char *why, size_t size);
/* The same for dir/bag-info.txt (KS_ERR_NOT_FOUND when it is missing,
 * KS_ERR_IO when it cannot be read or is a symlink). */
KsStatus bag_read_facts(const char *dir, BagFacts *out, char *why, size_t size);

typedef enum {
    BAG_CHECK_OK,
    BAG_CHECK_SIGNATURE, /* the tag manifest's signature does not verify with the key,
                            is missing or damaged */
    BAG_CHECK_MANIFEST,  /* a hash differs, a file is missing or not listed, a path
                            escapes the bag, a symlink or special file is in it; also a
                            failed read (why says "ließ sich nicht lesen") */
} BagCheck;

/* Checks a received bag as the evaluation office does, trusting nothing on
 * the stick but what pk signed: no symlink or special file anywhere in dir
 * (lstat, not followed; dir itself a real folder with a data folder); the
 * minisign signature over tagmanifest-sha256.txt verifies with pk (checked
 * before anything else is read); every line of both manifests is well
 * formed, stays inside the bag (no "..", ".", empty part or leading '/'),
 * names no file twice, and its hash matches; the tag manifest covers
 * bagit.txt, bag-info.txt and the manifest and lists nothing under data/,
 * the manifest lists only data/; bagit.txt is a BagIt declaration
 * ("BagIt-Version: M.N", "Tag-File-Character-Encoding: UTF-8"); every file
 * of the bag is listed (payload in the manifest, the rest in the tag
 * manifest, tagmanifest-sha256.txt and its .minisig excepted). Unlisted
 * files are refused before any payload is hashed. Limits: 100000 files, 32
 * folder levels, tag manifest 1 MiB, manifest 64 MiB. tag_sha256 gets the
 * hex SHA-256 of the tag manifest (when it could be read, also on failure;
 * "" otherwise). why (may be NULL) gets a German sentence naming the first
 * problem ("" on success). */
BagCheck bag_check_public(const char *dir, const SignPublic *pk, char tag_sha256[65], char *why,
                          size_t size);

/* The QR receipt: "KM2B1/<BATCH>/R<ROWS>/T<BASE32 SHA-256>/K<KEYID>" behind
 * an optional upper-case URL prefix, ASCII upper case. */
void bag_qr_payload(char *buf, size_t size, const char *prefix, const char *batch_id, int rows,
                    const char tag_sha256_hex[65], const char *key_id);
/* The QR matrix of a payload (for the screen): side modules, 1 = dark,
 * row-major into modules (side*side bytes, at most max). 0 when it does not
 * fit a version 7 code. */
int bag_qr_matrix(const char *payload, unsigned char *modules, int max);
/* Writes batch-qr.png (>= 6 px per module, 4-module quiet zone) and
 * batch-qr.txt (the payload) into dir. */
KsStatus bag_qr_write(const char *dir, const char *payload);

#endif
