/* log: stderr lines plus a ring buffer of recent lines. Owns no other state.
 * Any thread may log (speech, the staff export's worker): the ring is kept
 * under a mutex. */
#include "log.h"

#include <stdarg.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG_RING_LINES 64
#define LOG_LINE_MAX 256

static LogLevel g_level = LOG_LEVEL_INFO;
static int g_level_from_env_done;
static char g_ring[LOG_RING_LINES][LOG_LINE_MAX];
static unsigned g_ring_next;
static pthread_mutex_t g_ring_lock = PTHREAD_MUTEX_INITIALIZER;

void log_set_level(LogLevel level)
{
    g_level = level;
    g_level_from_env_done = 1;
}

static void level_from_env(void)
{
    if (g_level_from_env_done)
        return;
    g_level_from_env_done = 1;
    const char *env = getenv("KS_LOG");
    if (!env)
        return;
    if (strcmp(env, "debug") == 0)
        g_level = LOG_LEVEL_DEBUG;
    else if (strcmp(env, "warn") == 0)
        g_level = LOG_LEVEL_WARN;
    else if (strcmp(env, "error") == 0)
        g_level = LOG_LEVEL_ERROR;
}

void log_write(LogLevel level, const char *func, int line, const char *fmt, ...)
{
    static const char *names[] = {"debug", "info", "warn", "error"};
    level_from_env();
    if (level < g_level)
        return;
    char msg[LOG_LINE_MAX - 8]; /* leaves room for the level name in the ring */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    pthread_mutex_lock(&g_ring_lock);
    char *slot = g_ring[g_ring_next % LOG_RING_LINES];
    snprintf(slot, LOG_LINE_MAX, "%s: %s", names[level], msg);
    g_ring_next++;
    pthread_mutex_unlock(&g_ring_lock);
    fprintf(stderr, "km2kiosk %s %s:%d: %s\n", names[level], func, line, msg);
}

int log_recent(int n, char *buf, size_t size)
{
    pthread_mutex_lock(&g_ring_lock);
    int found = n >= 0 && (unsigned)n < g_ring_next && n < LOG_RING_LINES && size > 0;
    if (found) {
        unsigned idx = (g_ring_next - 1u - (unsigned)n) % LOG_RING_LINES;
        snprintf(buf, size, "%s", g_ring[idx]);
    }
    pthread_mutex_unlock(&g_ring_lock);
    return found;
}
