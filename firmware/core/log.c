/* log: one stderr line per call; owns only the level. Any thread may log
 * (speech, the staff export's worker): each line is one fprintf, which
 * stdio writes whole. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG_MSG_MAX 248 /* a longer message is cut */

static LogLevel g_level = LOG_LEVEL_INFO;
static int g_level_from_env_done;

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
    char msg[LOG_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(stderr, "km2kiosk %s %s:%d: %s\n", names[level], func, line, msg);
}
