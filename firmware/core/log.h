/* log: levelled log lines to stderr, each tagged with function and line
 * (the journal keeps them on the appliance). Never allocates; never fails;
 * safe to call before anything else is set up, and from any thread. */
#ifndef KS_LOG_H
#define KS_LOG_H

typedef enum { LOG_LEVEL_DEBUG = 0, LOG_LEVEL_INFO, LOG_LEVEL_WARN, LOG_LEVEL_ERROR } LogLevel;

/* Lines below this level are dropped (default: INFO; KS_LOG=debug in the
 * environment lowers it). */
void log_set_level(LogLevel level);

/* Writes one line. Use the macros below rather than calling this directly. */
void log_write(LogLevel level, const char *func, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#define LOG_DEBUG(...) log_write(LOG_LEVEL_DEBUG, __func__, __LINE__, __VA_ARGS__)
#define LOG_INFO(...) log_write(LOG_LEVEL_INFO, __func__, __LINE__, __VA_ARGS__)
#define LOG_WARN(...) log_write(LOG_LEVEL_WARN, __func__, __LINE__, __VA_ARGS__)
#define LOG_ERROR(...) log_write(LOG_LEVEL_ERROR, __func__, __LINE__, __VA_ARGS__)

/* A "cannot happen" branch a kiosk must survive: logs loudly and evaluates to
 * the condition, so it reads as `if (KS_NEVER(x)) return KS_ERR_STATE;`. */
#define KS_NEVER(cond)                                                                             \
    ((cond) ? (log_write(LOG_LEVEL_ERROR, __func__, __LINE__, "never: %s", #cond), 1) : 0)

#endif
