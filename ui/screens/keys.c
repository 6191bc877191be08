/* keys: where the keys of the number pad and of the on-screen keyboard go.
 * Rows come from each key's `row`; a number pad is a grid (a lone key in the
 * last row, the decimal pad's backspace, becomes a tall key beside it), a
 * keyboard is rows of letter keys with the special keys (capitals,
 * symbols page, next layout, space, backspace) in a row of their own. Geometry only; drawing is
 * render.c's. */
#include <string.h>

#include "../../firmware/core/log.h"
#include "screens.h"

#define ROWS_MAX 16
#define ROW_KEYS_MAX 24

typedef struct {
    int n_rows;
    int count[ROWS_MAX];
    int idx[ROWS_MAX][ROW_KEYS_MAX];
    bool special[ROWS_MAX]; /* the row holds only special keys */
} KeyRows;

static bool key_special(const KsViewTarget *k)
{
    return k->slot == KS_SLOT_KEY_SPACE || k->slot == KS_SLOT_KEY_BACKSPACE ||
           k->slot == KS_SLOT_KEY_SWITCH;
}

static void key_rows(const KsView *v, const int *keys, int n, KeyRows *kr)
{
    memset(kr, 0, sizeof *kr);
    for (int i = 0; i < n; i++) {
        int r = v->targets[keys[i]].row;
        if (KS_NEVER(r < 0 || r >= ROWS_MAX))
            continue;
        if (kr->count[r] >= ROW_KEYS_MAX)
            continue;
        kr->idx[r][kr->count[r]++] = keys[i];
        if (r + 1 > kr->n_rows)
            kr->n_rows = r + 1;
    }
    for (int r = 0; r < kr->n_rows; r++) {
        kr->special[r] = kr->count[r] > 0;
        for (int k = 0; k < kr->count[r]; k++)
            kr->special[r] = kr->special[r] && key_special(&v->targets[kr->idx[r][k]]);
    }
}

/* Splits every letter row with more keys than fit at 10 mm across `w` into
 * as few even parts as needed (a portrait panel is too narrow for 11 keys
 * in a row; there is height to spare instead). The special row stays whole. */
static void split_rows(KeyRows *kr, const Theme *t, int w)
{
    int kg = t->key_gap;
    int fit = (w + kg) / (t->min_target + kg);
    if (fit < 1)
        fit = 1;
    KeyRows out;
    memset(&out, 0, sizeof out);
    for (int r = 0; r < kr->n_rows; r++) {
        int c = kr->count[r];
        int parts = kr->special[r] || c <= fit ? 1 : (c + fit - 1) / fit;
        int start = 0;
        for (int p = 0; p < parts; p++) {
            /* Earlier parts take the odd key: 11 becomes 6 + 5. */
            int take = (c - start + (parts - p) - 1) / (parts - p);
            if (KS_NEVER(out.n_rows >= ROWS_MAX))
                return;
            int o = out.n_rows++;
            out.count[o] = take;
            out.special[o] = kr->special[r];
            memcpy(out.idx[o], &kr->idx[r][start], (size_t)take * sizeof out.idx[o][0]);
            start += take;
        }
    }
    *kr = out;
}

/* ---- number pad -------------------------------------------------------- */

typedef struct {
    bool side; /* the last row's lone key stands beside the grid */
    int grid_rows, cols;
    int kw, kh, w, h;
} PadGeom;

static PadGeom pad_geom(const KeyRows *kr, const Theme *t, int h, int max_w)
{
    PadGeom g = {0};
    int last = kr->n_rows - 1;
    g.side = kr->n_rows >= 3 && kr->count[last] == 1;
    g.grid_rows = g.side ? kr->n_rows - 1 : kr->n_rows;
    for (int r = 0; r < g.grid_rows; r++)
        if (kr->count[r] > g.cols)
            g.cols = kr->count[r];
    if (g.side)
        g.cols++;
    if (g.grid_rows < 1 || g.cols < 1)
        return g;
    int kg = t->key_gap;
    g.kh = (h - (g.grid_rows - 1) * kg) / g.grid_rows;
    if (g.kh > t->key_max)
        g.kh = t->key_max;
    g.kw = g.kh * 3 / 2;
    if (g.kw > theme_mm(t, 22))
        g.kw = theme_mm(t, 22);
    int fit_w = (max_w - (g.cols - 1) * kg) / g.cols;
    if (g.kw > fit_w)
        g.kw = fit_w;
    /* A screen far too small still gets keys that can be tapped (and are
     * reported as too small), never keys of no or negative size. */
    if (g.kh < 1)
        g.kh = 1;
    if (g.kw < 1)
        g.kw = 1;
    g.w = g.cols * g.kw + (g.cols - 1) * kg;
    g.h = g.grid_rows * g.kh + (g.grid_rows - 1) * kg;
    return g;
}

int screen_numpad_width(const KsView *v, const Theme *t, const int *keys, int n, int h, int max_w)
{
    KeyRows kr;
    key_rows(v, keys, n, &kr);
    return pad_geom(&kr, t, h, max_w).w;
}

int screen_numpad(Layout *l, const KsView *v, const Theme *t, const int *keys, int n, SDL_Rect area)
{
    KeyRows kr;
    key_rows(v, keys, n, &kr);
    PadGeom g = pad_geom(&kr, t, area.h, area.w);
    if (g.grid_rows < 1)
        return 0;
    int kg = t->key_gap;
    int x0 = area.x + (area.w - g.w) / 2, y0 = area.y + (area.h - g.h) / 2;
    int over = 0;
    for (int r = 0; r < g.grid_rows; r++)
        for (int k = 0; k < kr.count[r]; k++)
            layout_add(l, kr.idx[r][k],
                       layout_rect(x0 + k * (g.kw + kg), y0 + r * (g.kh + kg), g.kw, g.kh),
                       STYLE_KEY);
    if (g.side)
        layout_add(l, kr.idx[kr.n_rows - 1][0],
                   layout_rect(x0 + (g.cols - 1) * (g.kw + kg), y0, g.kw, g.h), STYLE_KEY);
    if (g.kw < t->min_target || g.kh < t->min_target)
        over++;
    return over;
}

/* ---- keyboard ---------------------------------------------------------- */

int screen_keyboard_rows(const KsView *v, const Theme *t, const int *keys, int n, int w,
                         bool *special_row)
{
    KeyRows kr;
    key_rows(v, keys, n, &kr);
    split_rows(&kr, t, w);
    int rows = 0;
    *special_row = false;
    for (int r = 0; r < kr.n_rows; r++) {
        if (kr.special[r])
            *special_row = true;
        else if (kr.count[r] > 0)
            rows++;
    }
    return rows;
}

/* Special keys share their row by weight: the space bar is the widest. */
static void special_row(Layout *l, const KsView *v, const Theme *t, const int *idx, int n,
                        SDL_Rect area)
{
    int kg = t->key_gap, total = 0;
    int weight[ROW_KEYS_MAX];
    for (int k = 0; k < n; k++) {
        weight[k] = v->targets[idx[k]].slot == KS_SLOT_KEY_SPACE ? 4 : 2;
        total += weight[k];
    }
    int room = area.w - (n - 1) * kg, x = area.x;
    for (int k = 0; k < n; k++) {
        int kw = k == n - 1 ? area.x + area.w - x : room * weight[k] / total;
        layout_add(l, idx[k], layout_rect(x, area.y, kw, area.h), STYLE_KEY);
        x += kw + kg;
    }
}

int screen_keyboard(Layout *l, const KsView *v, const Theme *t, const int *keys, int n,
                    SDL_Rect letters, SDL_Rect specials)
{
    KeyRows kr;
    key_rows(v, keys, n, &kr);
    split_rows(&kr, t, letters.w);
    int kg = t->key_gap, over = 0;
    bool apart = specials.w > 0;
    int rows = 0, cols = 1;
    for (int r = 0; r < kr.n_rows; r++) {
        if (kr.count[r] == 0 || (apart && kr.special[r]))
            continue;
        rows++;
        if (!kr.special[r] && kr.count[r] > cols)
            cols = kr.count[r];
    }
    if (rows > 0) {
        int kh = (letters.h - (rows - 1) * kg) / rows;
        if (kh > t->key_pref)
            kh = t->key_pref;
        int kw = (letters.w - (cols - 1) * kg) / cols;
        if (kw > t->key_max)
            kw = t->key_max;
        int block_h = rows * kh + (rows - 1) * kg;
        int y = letters.y + (letters.h - block_h) / 2;
        for (int r = 0; r < kr.n_rows; r++) {
            int c = kr.count[r];
            if (c == 0 || (apart && kr.special[r]))
                continue;
            if (kr.special[r]) {
                int sw = 7 * kw + 6 * kg;
                if (sw > letters.w)
                    sw = letters.w;
                special_row(l, v, t, kr.idx[r], c,
                            layout_rect(letters.x + (letters.w - sw) / 2, y, sw, kh));
            } else {
                int row_w = c * kw + (c - 1) * kg;
                int x0 = letters.x + (letters.w - row_w) / 2;
                for (int k = 0; k < c; k++)
                    layout_add(l, kr.idx[r][k], layout_rect(x0 + k * (kw + kg), y, kw, kh),
                               STYLE_KEY);
            }
            y += kh + kg;
        }
        if (kh < t->min_target || kw < t->min_target)
            over++;
    }
    if (apart) {
        for (int r = 0; r < kr.n_rows; r++)
            if (kr.special[r])
                special_row(l, v, t, kr.idx[r], kr.count[r], specials);
        if (specials.h < t->min_target)
            over++;
    }
    return over;
}
