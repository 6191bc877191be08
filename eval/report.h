/* report: `km2eval report` — a German report for the people of a local
 * network: one self-contained HTML file (inline CSS and SVG, no script, no
 * network, prints cleanly to PDF) with, per target group, who took part
 * per site and period, every question's answers as a labelled bar chart
 * (percent and count), two periods side by side (--compare) and the sites
 * beside each other, the approved free texts, and each workshop's ideas
 * ranked by their dots with their drawings. Any number below k (the
 * batches' k-anonymity, 5 by default) shows as "weniger als k", never as a
 * number; a chart with too few answers says so instead of drawing bars. */
#ifndef KM2EVAL_REPORT_H
#define KM2EVAL_REPORT_H

#include <stddef.h>
#include <stdbool.h>

#include "archive.h"

typedef struct {
    const char *path;      /* the HTML file to write */
    const char *site;      /* NULL or "": every site */
    const char *form;      /* NULL or "": every form (target group) */
    const char *compare_a; /* --compare A..B: the baseline period, or NULL */
    const char *compare_b; /* the later period */
} ReportOptions;

typedef struct {
    int forms;
    long rows;
    int charts;
    int suppressed; /* cells shown as "weniger als k" */
} ReportResult;

/* A period p belongs to the period asked for when it is the same or
 * lies within it ("2026" holds "2026-W10", "2026-11" holds "2026-11-24"). */
bool report_period_in(const char *p, const char *asked);

/* Writes the report. KS_ERR_NOT_FOUND with a German why when the archive
 * holds no answers in the selection; KS_ERR_IO when the file cannot be
 * written. */
KsStatus report_write(Archive *a, const ReportOptions *o, ReportResult *out, char *why,
                      size_t size);

#endif
