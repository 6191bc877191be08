/* report_svg: the report's pieces of markup — HTML escaping and the bar
 * charts as inline SVG (one row per answer, one bar per group compared,
 * percent and count beside it, "weniger als k" and no bar for a number
 * that must not be shown). Writes to a stream; knows nothing of the
 * archive. */
#ifndef KM2EVAL_REPORT_SVG_H
#define KM2EVAL_REPORT_SVG_H

#include <stdbool.h>
#include <stdio.h>

/* Writes s with &, <, >, " escaped. */
void report_escape(FILE *f, const char *s);

typedef struct {
    const char *name;   /* legend text (a period, a site); NULL with one series */
    const long *counts; /* per answer */
    const bool *hidden; /* per answer: below k, shown as "weniger als k" */
    long total;         /* what the percentages are of */
    bool too_few;       /* the whole series is below k: no bars */
} ReportSeries;

/* A horizontal bar chart of n_labels answers for n_series groups (1 to 4).
 * Percentages are of each series' total. */
void report_svg_bars(FILE *f, const char *const *labels, int n_labels, const ReportSeries *series,
                     int n_series, int k);

#endif
