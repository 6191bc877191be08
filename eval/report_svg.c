/* report_svg: escaping and bar charts for the report (see report_svg.h).
 * Sizes are in SVG user units on a 720-wide canvas that scales with the
 * page; text is drawn in the page's font, so the chart prints as sharply as
 * the text around it. */
#include "report_svg.h"

#include <string.h>

#define CHART_W 720
#define LABEL_W 260 /* the answer texts, left */
#define BAR_X (LABEL_W + 10)
#define BAR_W 300 /* 100 % */
#define ROW_PAD 10
#define BAR_H 16
#define LINE_H 15
#define LABEL_CHARS 34 /* per line of an answer's text, about */

static const char *const COLOURS[] = {"#2f6fbf", "#e08a2c", "#3a9a5b", "#8a5bb5"};

void report_escape(FILE *f, const char *s)
{
    static const char SPECIAL[] = "&<>\"";
    static const char *const ENTITY[] = {"&amp;", "&lt;", "&gt;", "&quot;"};
    for (; s && *s; s++) {
        const char *special = strchr(SPECIAL, *s);
        if (special)
            fputs(ENTITY[special - SPECIAL], f);
        else
            fputc(*s, f);
    }
}

/* Splits a label into at most two lines at a blank (UTF-8 kept whole:
 * only ASCII blanks split). Returns the line count; line 2 may be cut with
 * an ellipsis. */
static int split_label(const char *s, char *l1, char *l2, size_t size)
{
    size_t n = strlen(s);
    l2[0] = '\0';
    if (n <= LABEL_CHARS || n >= size) {
        snprintf(l1, size, "%s", s);
        return 1;
    }
    size_t cut = LABEL_CHARS;
    while (cut > 0 && s[cut] != ' ')
        cut--;
    if (cut == 0) {
        snprintf(l1, size, "%s", s);
        return 1;
    }
    snprintf(l1, size, "%.*s", (int)cut, s);
    const char *rest = s + cut + 1;
    if (strlen(rest) > LABEL_CHARS + 4) {
        size_t keep = LABEL_CHARS;
        while (keep > 0 && ((unsigned char)rest[keep] & 0xC0) == 0x80)
            keep--; /* not inside a UTF-8 sequence */
        snprintf(l2, size, "%.*s…", (int)keep, rest);
    } else {
        snprintf(l2, size, "%s", rest);
    }
    return 2;
}

void report_svg_bars(FILE *f, const char *const *labels, int n_labels, const ReportSeries *series,
                     int n_series, int k)
{
    if (n_series < 1)
        return;
    if (n_series > 4)
        n_series = 4;
    int legend = n_series > 1 ? 24 : 0;
    int group_h = n_series * (BAR_H + 2);
    /* Row heights first: a two-line label needs more room than one bar. */
    int height = legend + 6;
    for (int i = 0; i < n_labels; i++) {
        char l1[256], l2[256];
        int lines = split_label(labels[i], l1, l2, sizeof l1);
        int h = lines * LINE_H > group_h ? lines * LINE_H : group_h;
        height += h + ROW_PAD;
    }
    fprintf(f,
            "<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" "
            "xmlns=\"http://www.w3.org/2000/svg\">\n",
            CHART_W, height);
    if (legend) {
        int x = 0;
        for (int s = 0; s < n_series; s++) {
            fprintf(f, "<rect x=\"%d\" y=\"4\" width=\"14\" height=\"14\" fill=\"%s\"/>", x,
                    COLOURS[s]);
            fprintf(f, "<text x=\"%d\" y=\"16\" class=\"legend\">", x + 20);
            report_escape(f, series[s].name ? series[s].name : "");
            if (series[s].too_few)
                fprintf(f, " (zu wenige Antworten: weniger als %d)", k);
            fputs("</text>\n", f);
            x += 200;
        }
    }
    int y = legend + 6;
    for (int i = 0; i < n_labels; i++) {
        char l1[256], l2[256];
        int lines = split_label(labels[i], l1, l2, sizeof l1);
        int h = lines * LINE_H > group_h ? lines * LINE_H : group_h;
        fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"answer\" text-anchor=\"end\">", LABEL_W,
                y + 12);
        report_escape(f, l1);
        if (lines > 1) {
            fprintf(f, "<tspan x=\"%d\" dy=\"%d\">", LABEL_W, LINE_H);
            report_escape(f, l2);
            fputs("</tspan>", f);
        }
        fputs("</text>\n", f);
        for (int s = 0; s < n_series; s++) {
            const ReportSeries *se = &series[s];
            int by = y + s * (BAR_H + 2);
            if (se->too_few)
                continue; /* said once, in the legend or the caption */
            if (se->hidden[i]) {
                fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"hidden\">weniger als %d</text>\n",
                        BAR_X, by + 12, k);
                continue;
            }
            double pct = se->total > 0 ? 100.0 * (double)se->counts[i] / (double)se->total : 0;
            int w = (int)(pct * BAR_W / 100.0 + 0.5);
            fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>", BAR_X,
                    by, w, BAR_H, COLOURS[s]);
            fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"value\">%.0f %% (%ld)</text>\n",
                    BAR_X + w + 6, by + 12, pct, se->counts[i]);
        }
        y += h + ROW_PAD;
    }
    fputs("</svg>\n", f);
}
