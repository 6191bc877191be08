/* bench_commit: how long one answer takes to become durable. Opens a store in
 * a fresh temp dir (under argv[1], else $TMPDIR or /tmp), times store_answer_put
 * (one committed WAL transaction with synchronous=FULL each) and a session's
 * begin + finish, and prints one JSON line for tests/bench/bench.py.
 * Exits non-zero when any store call fails; removes its temp dir. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../firmware/core/log.h"
#include "../../firmware/core/rng.h"
#include "../../firmware/storage/store.h"
#include "../../firmware/storage/store_responses.h"
#include "../test_tmp.h"

#define ANSWERS 300
#define SESSIONS 60
#define T0 1795000000000LL /* a fixed wall time; the store only records it */

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Sorts t in place; the median and the 99th percentile (nearest rank). */
static void stats(double *t, int n, double *median, double *p99)
{
    qsort(t, (size_t)n, sizeof *t, cmp_double);
    *median = n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
    int r = (n * 99 + 99) / 100; /* ceil(0.99 n), 1-based */
    *p99 = t[r - 1];
}

static KsStatus session_begin(Store *s, int64_t at, int64_t *id)
{
    char uuid[33];
    KsStatus st = rng_hex(uuid, 16);
    if (st != KS_OK)
        return st;
    StoreSessionMeta m = {
        .uuid = uuid,
        .form_id = "kinder",
        .form_version = "2026-11-1",
        .form_sha256 = "0000000000000000000000000000000000000000000000000000000000000000",
        .lang = "de",
        .audience = "child",
        .started_ms = at,
    };
    return store_session_begin(s, &m, id);
}

int main(int argc, char **argv)
{
    int status = 1;
    Store *s = NULL;
    static double answer_ms[ANSWERS], session_ms[SESSIONS];
    char dir[1024], path[1100];
    const char *base = argc > 1 ? argv[1] : getenv("TMPDIR");
    if (!base || !base[0])
        base = "/tmp";

    log_set_level(LOG_LEVEL_WARN);
    snprintf(dir, sizeof dir, "%s/ks_bench_XXXXXX", base);
    if (!mkdtemp(dir)) {
        perror("bench_commit: mkdtemp");
        return 1;
    }
    snprintf(path, sizeof path, "%s/kiosk.db", dir);
    KsStatus st = store_open(path, &s);
    if (st != KS_OK) {
        fprintf(stderr, "bench_commit: store_open %s: %s\n", path, ks_status_str(st));
        goto done;
    }

    int64_t sid = 0;
    st = session_begin(s, T0, &sid);
    if (st != KS_OK) {
        fprintf(stderr, "bench_commit: store_session_begin: %s\n", ks_status_str(st));
        goto done;
    }
    for (int i = 0; i < ANSWERS; i++) {
        char q[32], v[16];
        snprintf(q, sizeof q, "q%03d", i);
        snprintf(v, sizeof v, "%d", i % 5 + 1);
        double t = now_ms();
        st = store_answer_put(s, sid, q, v, T0 + i);
        answer_ms[i] = now_ms() - t;
        if (st != KS_OK) {
            fprintf(stderr, "bench_commit: store_answer_put #%d: %s\n", i, ks_status_str(st));
            goto done;
        }
    }
    st = store_session_finish(s, sid, STORE_OUTCOME_COMPLETE, T0 + ANSWERS);
    if (st != KS_OK) {
        fprintf(stderr, "bench_commit: store_session_finish: %s\n", ks_status_str(st));
        goto done;
    }

    for (int i = 0; i < SESSIONS; i++) {
        double t = now_ms();
        st = session_begin(s, T0 + 1000 * i, &sid);
        if (st == KS_OK)
            st = store_session_finish(s, sid, STORE_OUTCOME_COMPLETE, T0 + 1000 * i + 1);
        session_ms[i] = now_ms() - t;
        if (st != KS_OK) {
            fprintf(stderr, "bench_commit: session #%d: %s\n", i, ks_status_str(st));
            goto done;
        }
    }

    double a_med, a_p99, s_med, s_p99;
    stats(answer_ms, ANSWERS, &a_med, &a_p99);
    stats(session_ms, SESSIONS, &s_med, &s_p99);
    printf("{\"answers\":%d,\"answer_median_ms\":%.3f,\"answer_p99_ms\":%.3f,"
           "\"sessions\":%d,\"session_median_ms\":%.3f,\"session_p99_ms\":%.3f}\n",
           ANSWERS, a_med, a_p99, SESSIONS, s_med, s_p99);
    status = 0;
done:
    store_close(&s);
    test_tmp_remove(dir);
    return status;
}
