/* staff_pin: the PIN pad of staff mode — checking the PIN, choosing one on
 * first start (typed twice), the lockout after wrong PINs and its
 * countdown, and the pad's view. The PIN is kept only as an Argon2id hash
 * in the store's settings, with the count of wrong PINs; the digits typed
 * never outlive the pad and are never shown. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/clock.h"
#include "../core/log.h"
#include "../core/str.h"
#include "staff_private.h"
#include "view_build.h"

int staff_lock_seconds(const KsConfig *cfg, int failures)
{
    if (failures < cfg->pin_free_tries)
        return 0;
    int64_t s = cfg->pin_lock_s, max = cfg->pin_lock_max_s;
    for (int i = cfg->pin_free_tries; i < failures && s < max; i++)
        s *= 2;
    return s > max ? (int)max : (int)s;
}

static bool locked(const Staff *s)
{
    return s->pin.locked_until_ms > 0 && clock_mono_ms() < s->pin.locked_until_ms;
}

/* Seconds the pad stays locked now. */
static int lock_left_s(const Staff *s)
{
    int64_t left = s->pin.locked_until_ms - clock_mono_ms();
    return left <= 0 ? 0 : (int)((left + 999) / 1000);
}

static void save_failures(Staff *s)
{
    char num[16];
    snprintf(num, sizeof num, "%d", s->pin.failures);
    KsStatus ks = store_setting_set(s->store, STAFF_KEY_FAILURES, num);
    if (ks != KS_OK)
        LOG_ERROR("wrong-PIN count not stored: %s", ks_status_str(ks));
}

void staff_pin_init(Staff *s)
{
    StaffPin *p = &s->pin;
    p->msg = UIT_NONE;
    if (sodium_init() < 0)
        LOG_ERROR("libsodium could not start: staff PINs cannot be checked");
    char num[16];
    if (s->store && store_setting_get(s->store, STAFF_KEY_FAILURES, num, sizeof num) == KS_OK)
        p->failures = atoi(num);
    if (p->failures < 0)
        p->failures = 0;
    /* After a restart the monotonic clock starts again: the whole wait
     * applies anew rather than none of it. */
    int lock = staff_lock_seconds(s->cfg, p->failures);
    if (lock > 0)
        p->locked_until_ms = clock_mono_ms() + (int64_t)lock * 1000;
}

static bool pin_is_set(Staff *s)
{
    char hash[crypto_pwhash_STRBYTES];
    return s->store &&
           store_setting_get(s->store, STAFF_KEY_PIN_HASH, hash, sizeof hash) == KS_OK && hash[0];
}

void staff_pin_wipe(Staff *s)
{
    sodium_memzero(s->pin.digits, sizeof s->pin.digits);
    sodium_memzero(s->pin.first, sizeof s->pin.first);
}

void staff_pin_open(Staff *s)
{
    s->pin.stage = pin_is_set(s) ? PIN_VERIFY : PIN_SET;
    s->pin.msg = UIT_NONE;
    staff_pin_wipe(s);
    LOG_INFO("staff mode: PIN pad opened%s", s->pin.stage == PIN_SET ? " (no PIN set yet)" : "");
}

/* Argon2id with libsodium's INTERACTIVE limits (2 passes, 64 MiB): about
 * 0.1 s on a desktop and well under 1 s on a Raspberry Pi 3/4, which is
 * the budget for a PIN pad; the lockout, not the hash cost, is what stops
 * guessing a short PIN on the device. */
static KsStatus store_new_pin(Staff *s, const char *pin)
{
    char hash[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(hash, pin, strlen(pin), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
        LOG_ERROR("PIN hash failed (out of memory?)");
        return KS_ERR_NOMEM;
    }
    return store_setting_set(s->store, STAFF_KEY_PIN_HASH, hash);
}

static bool pin_matches(Staff *s, const char *pin)
{
    char hash[crypto_pwhash_STRBYTES];
    if (store_setting_get(s->store, STAFF_KEY_PIN_HASH, hash, sizeof hash) != KS_OK)
        return false;
    return crypto_pwhash_str_verify(hash, pin, strlen(pin)) == 0;
}

static void verify(Staff *s)
{
    StaffPin *p = &s->pin;
    if (pin_matches(s, p->digits)) {
        if (p->failures != 0) {
            p->failures = 0;
            save_failures(s);
        }
        p->locked_until_ms = 0;
        LOG_INFO("staff mode: PIN accepted");
        staff_go(s, KS_SCREEN_STAFF_OVERVIEW);
        return;
    }
    p->failures++;
    save_failures(s);
    int lock = staff_lock_seconds(s->cfg, p->failures);
    p->locked_until_ms = lock > 0 ? clock_mono_ms() + (int64_t)lock * 1000 : 0;
    p->msg = UIT_STAFF_PIN_WRONG;
    LOG_WARN("staff mode: wrong PIN (%d in a row; locked for %d s)", p->failures, lock);
}

/* The second entry of a new PIN: the same digits store it. */
static void repeat(Staff *s)
{
    StaffPin *p = &s->pin;
    if (strcmp(p->digits, p->first) != 0) {
        p->stage = PIN_SET;
        p->msg = UIT_STAFF_PIN_MISMATCH;
    } else if (store_new_pin(s, p->digits) != KS_OK) {
        p->stage = PIN_SET;
        p->msg = UIT_FAULT_DATABASE;
    } else {
        LOG_INFO("staff mode: a new staff PIN was set");
        p->failures = 0;
        save_failures(s);
        staff_go(s, KS_SCREEN_STAFF_OVERVIEW);
    }
    sodium_memzero(p->first, sizeof p->first);
}

static void ok(Staff *s)
{
    StaffPin *p = &s->pin;
    switch (p->stage) {
    case PIN_VERIFY:
        verify(s);
        break;
    case PIN_SET:
        if (strlen(p->digits) < (size_t)s->cfg->pin_min_digits) {
            p->msg = UIT_STAFF_PIN_LENGTH;
            break;
        }
        memcpy(p->first, p->digits, sizeof p->digits);
        p->stage = PIN_REPEAT;
        p->msg = UIT_NONE;
        break;
    case PIN_REPEAT:
        repeat(s);
        break;
    }
    sodium_memzero(p->digits, sizeof p->digits);
}

void staff_pin_tap(Staff *s, const char *key)
{
    StaffPin *p = &s->pin;
    if (locked(s))
        return;
    size_t len = strlen(p->digits);
    if (strcmp(key, "ok") == 0) {
        ok(s);
    } else if (strcmp(key, "backspace") == 0) {
        if (len > 0)
            p->digits[len - 1] = '\0';
    } else if (key[0] >= '0' && key[0] <= '9' && !key[1] && len < PIN_MAX) {
        p->digits[len] = key[0];
        p->digits[len + 1] = '\0';
        p->msg = UIT_NONE;
    }
}

bool staff_pin_tick(Staff *s)
{
    if (s->pin.locked_until_ms > 0 && !locked(s)) {
        s->pin.locked_until_ms = 0; /* the wait is over: the keys come back */
        return s->screen == KS_SCREEN_STAFF_PIN;
    }
    /* The pad counts the lockout down once a second. */
    return s->screen == KS_SCREEN_STAFF_PIN && s->pin.locked_until_ms > 0;
}

int64_t staff_pin_deadline(const Staff *s)
{
    if (s->screen != KS_SCREEN_STAFF_PIN || !locked(s))
        return -1;
    int64_t now = clock_mono_ms();
    int64_t left = s->pin.locked_until_ms - now;
    return now + ((left - 1) % 1000) + 1; /* the next whole second left */
}

void staff_pin_view(Staff *s, KsView *v)
{
    const StaffPin *p = &s->pin;
    UiTextId title = p->stage == PIN_VERIFY ? UIT_STAFF_ENTER_PIN
                     : p->stage == PIN_SET  ? UIT_STAFF_NEW_PIN
                                            : UIT_STAFF_REPEAT_PIN;
    str_copy(v->title, sizeof v->title, staff_text(s, title));
    bool lock = locked(s);
    if (lock)
        uitext_format(v->message, sizeof v->message, staff_lang(s), UIT_STAFF_LOCKED,
                      lock_left_s(s));
    else if (p->msg == UIT_STAFF_PIN_LENGTH)
        uitext_format(v->message, sizeof v->message, staff_lang(s), UIT_STAFF_PIN_LENGTH,
                      s->cfg->pin_min_digits);
    else if (p->msg != UIT_NONE)
        str_copy(v->message, sizeof v->message, staff_text(s, p->msg));
    v->countdown_s = lock ? lock_left_s(s) : 0;
    /* The digits are never shown, one dot each. */
    s->pin.dots[0] = '\0';
    for (size_t i = 0; p->digits[i]; i++)
        strcat(s->pin.dots, "●");
    KsViewTarget *f = view_add_target(v, "pin:entry", s->pin.dots, KS_TARGET_FIELD);
    if (f) {
        f->selected = true;
        f->enabled = false;
    }
    static const char *const rows[4][3] = {
        {"1", "2", "3"}, {"4", "5", "6"}, {"7", "8", "9"}, {"backspace", "0", "ok"}};
    for (int r = 0; r < 4; r++) {
        for (int c = 0; c < 3; c++) {
            char id[KS_TARGET_ID_MAX];
            snprintf(id, sizeof id, "pin:%s", rows[r][c]);
            const char *text = strcmp(rows[r][c], "ok") == 0 ? "OK" : rows[r][c];
            bool bs = strcmp(rows[r][c], "backspace") == 0;
            KsViewTarget *t = view_add_slot(v, bs ? KS_SLOT_KEY_BACKSPACE : KS_SLOT_NONE, id, text,
                                            KS_TARGET_KEY);
            if (!t)
                return;
            t->row = r;
            t->enabled = !lock;
        }
    }
    view_add_target(v, "staff:cancel", staff_text(s, UIT_STAFF_CANCEL), KS_TARGET_BACK);
}
