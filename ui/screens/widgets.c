/* widgets: where the answer targets of one question go inside a rectangle —
 * faces, tiles, rows, numbered scales, rank rows, the OK tile, entry
 * fields, sliders and the drawing canvas with its tools — and how much
 * height each needs. Used for the single question of
 * a page and for every question of a multi-question page. Geometry only. */
#include "screens.h"

/* Columns for `n` text rows in `area`: `pref` columns if the rows then stay
 * at least 15 mm tall, else more (at most 4, never narrower than 30 mm). */
static int row_cols(int n, SDL_Rect area, const Theme *t, int pref)
{
    int most = area.w / (theme_mm(t, 30) + t->gap);
    if (most < 1)
        most = 1;
    if (most > 4)
        most = 4;
    if (pref > most)
        pref = most;
    for (int cols = pref; cols <= most && cols <= n; cols++) {
        int rows = (n + cols - 1) / cols;
        if (rows * t->min_answer + (rows - 1) * t->gap <= area.h)
            return cols;
    }
    return n < most ? n : most;
}

/* Faces stand in one row where each gets 20 mm; on a narrower screen
 * (a panel mounted upright) they wrap into two rows, the longer one first. */
static int face_cols(int n, int w, const Theme *t)
{
    if (n <= 1 || (w - (n - 1) * t->gap) / n >= theme_mm(t, 20))
        return n;
    return (n + 1) / 2;
}

static int face_rows(int n, int w, const Theme *t)
{
    int cols = face_cols(n, w, t);
    return cols > 0 ? (n + cols - 1) / cols : 1;
}

/* Columns of picture tiles: one row up to four, else two rows; never
 * narrower than 30 mm (an upright screen gets two columns), so the words
 * under or beside the pictures keep their room. */
static int tile_cols(int n, int w, const Theme *t)
{
    int cols = n <= 4 ? n : (n + 1) / 2;
    if (cols > 2 && (w - (cols - 1) * t->gap) / cols < theme_mm(t, 30))
        cols = 2;
    return cols;
}

static int rows_min_h(int n, int w, const Theme *t)
{
    SDL_Rect wide = {0, 0, w, 0};
    int cols = row_cols(n, wide, t, 4);
    int rows = (n + cols - 1) / cols;
    return rows * t->min_answer + (rows - 1) * t->gap;
}

static bool has_pictures(const KsView *v, const int *idx, int n)
{
    for (int i = 0; i < n; i++)
        if (v->targets[idx[i]].image)
            return true;
    return false;
}

/* Counts cells smaller than the minimum for their kind of target. */
static int undersized(const Layout *l, int first, int least)
{
    int over = 0;
    for (int i = first; i < l->n; i++) {
        const SDL_Rect *r = &l->targets[i].rect;
        if (r->w < least || r->h < least)
            over++;
    }
    return over;
}

static void mark_checks(Layout *l, int first, bool check)
{
    for (int i = first; i < l->n; i++)
        l->targets[i].check = check;
}

/* A row of equal numbered tiles: square where there is room, never below
 * 10 mm, 15 mm and more when they fit. */
static int scale(Layout *l, const Theme *t, SDL_Rect area, const int *idx, int n)
{
    int first = l->n;
    int cw = (area.w - (n - 1) * t->gap) / n;
    int most = theme_mm(t, 26);
    if (cw > most)
        cw = most;
    int ch = cw < t->min_answer ? t->min_answer * 13 / 10 : cw;
    if (ch > area.h)
        ch = area.h;
    int row_w = n * cw + (n - 1) * t->gap;
    int x0 = area.x + (area.w - row_w) / 2, y0 = area.y + (area.h - ch) / 2;
    for (int i = 0; i < n; i++)
        layout_add(l, idx[i], layout_rect(x0 + i * (cw + t->gap), y0, cw, ch), STYLE_NUMBER);
    return undersized(l, first, t->min_target);
}

/* An entry field (not focused or without its keys): a wide box. */
static void field(Layout *l, const Theme *t, SDL_Rect area, int vi)
{
    int fh = area.h < t->field_max ? area.h : t->field_max;
    int fw = area.w < theme_mm(t, 110) ? area.w : theme_mm(t, 110);
    layout_add(l, vi, layout_rect(area.x + (area.w - fw) / 2, area.y + (area.h - fh) / 2, fw, fh),
               STYLE_FIELD);
}

/* A drawing: the 4:3 canvas and beside it (at the reading end) a grid of
 * pens, undo and clear, each at least 10 mm. */
/* Upright (an area taller than wide): the canvas as wide as it may be, and
 * the pens and tools under it in even rows. */
static void canvas_upright(Layout *l, const KsView *v, const Theme *t, SDL_Rect area,
                           const int *idx, int tools)
{
    int cell = theme_mm(t, 13);
    int per = (area.w + t->gap) / (cell + t->gap);
    if (per < 1)
        per = 1;
    int trows = (tools + per - 1) / per;
    per = (tools + trows - 1) / trows;
    int tools_h = trows * cell + (trows - 1) * t->gap;
    int room_h = area.h - tools_h - 2 * t->gap;
    int cw = area.w, ch = (int)(cw / KS_CANVAS_ASPECT);
    if (ch > room_h) {
        ch = room_h;
        cw = (int)(ch * KS_CANVAS_ASPECT);
    }
    int y0 = area.y + (area.h - (ch + 2 * t->gap + tools_h)) / 2;
    layout_add(l, idx[0], layout_rect(area.x + (area.w - cw) / 2, y0, cw, ch), STYLE_CANVAS);
    int ty = y0 + ch + 2 * t->gap;
    for (int i = 0; i < tools; i++) {
        int r = i / per, c = i % per;
        int in_row = tools - r * per < per ? tools - r * per : per;
        int row_w = in_row * cell + (in_row - 1) * t->gap;
        const KsViewTarget *vt = &v->targets[idx[i + 1]];
        layout_add(l, idx[i + 1],
                   layout_rect(area.x + (area.w - row_w) / 2 + c * (cell + t->gap),
                               ty + r * (cell + t->gap), cell, cell),
                   vt->role == KS_TARGET_OPTION ? STYLE_PEN : STYLE_TOOL);
    }
}

static int canvas(Layout *l, const KsView *v, const Theme *t, SDL_Rect area, const int *idx, int n)
{
    int first = l->n;
    int tools = n - 1;
    if (area.h > area.w && tools > 0) {
        canvas_upright(l, v, t, area, idx, tools);
        int over = undersized(l, first + 1, t->min_target);
        const SDL_Rect *c = &l->targets[first].rect;
        return over + (c->w < theme_mm(t, 40) || c->h < theme_mm(t, 30) ? 1 : 0);
    }
    int cell = theme_mm(t, 13);
    int rows = (area.h + t->gap) / (cell + t->gap);
    if (rows < 1)
        rows = 1;
    if (rows > tools)
        rows = tools;
    if ((area.h - (rows - 1) * t->gap) / rows < cell)
        cell = (area.h - (rows - 1) * t->gap) / rows;
    int cols = (tools + rows - 1) / rows;
    int tools_w = cols * cell + (cols - 1) * t->gap;
    int room_w = area.w - tools_w - 2 * t->gap;
    int ch = area.h, cw = (int)(ch * KS_CANVAS_ASPECT);
    if (cw > room_w) {
        cw = room_w;
        ch = (int)(cw / KS_CANVAS_ASPECT);
    }
    int block_w = cw + 2 * t->gap + tools_w;
    int x0 = area.x + (area.w - block_w) / 2;
    /* Laid out left to right; the whole layout is mirrored for RTL. */
    int cx = x0, tx = x0 + cw + 2 * t->gap;
    int tools_h = rows * cell + (rows - 1) * t->gap;
    int ty = area.y + (area.h - tools_h) / 2;
    layout_add(l, idx[0], layout_rect(cx, area.y + (area.h - ch) / 2, cw, ch), STYLE_CANVAS);
    for (int i = 0; i < tools; i++) {
        int col = i / rows, row = i % rows;
        const KsViewTarget *vt = &v->targets[idx[i + 1]];
        layout_add(l, idx[i + 1],
                   layout_rect(tx + col * (cell + t->gap), ty + row * (cell + t->gap), cell, cell),
                   vt->role == KS_TARGET_OPTION ? STYLE_PEN : STYLE_TOOL);
    }
    int over = undersized(l, first + 1, t->min_target);
    if (cw < theme_mm(t, 40))
        over++; /* too small to draw on */
    return over;
}

/* A slider as wide as there is room for (at most 150 mm), with the value
 * above the track; the whole box answers to the finger. */
static int slider(Layout *l, const Theme *t, SDL_Rect area, int vi)
{
    int w = area.w < theme_mm(t, 150) ? area.w : theme_mm(t, 150);
    int h = area.h < theme_mm(t, 34) ? area.h : theme_mm(t, 34);
    layout_add(l, vi, layout_rect(area.x + (area.w - w) / 2, area.y + (area.h - h) / 2, w, h),
               STYLE_SLIDER);
    return h < t->min_answer ? 1 : 0;
}

int screen_widget(Layout *l, const KsView *v, const Theme *t, KsWidget widget, SDL_Rect area,
                  const int *idx, int n)
{
    int first = l->n;
    int mm26 = theme_mm(t, 26);
    if (n <= 0)
        return 0;
    switch (widget) {
    case KS_WIDGET_FACES:
        screen_grid(l, idx, n, area, t, face_cols(n, area.w, t), theme_mm(t, 32), STYLE_FACE);
        return undersized(l, first, t->min_answer);
    case KS_WIDGET_YES_NO:
        screen_grid(l, idx, n, area, t, n, theme_mm(t, 56),
                    area.h >= mm26 ? STYLE_TILE_V : STYLE_TILE_H);
        return undersized(l, first, t->min_answer);
    case KS_WIDGET_TILES:
    case KS_WIDGET_CHECKS: {
        bool check = widget == KS_WIDGET_CHECKS;
        if (!has_pictures(v, idx, n)) {
            screen_grid(l, idx, n, area, t, row_cols(n, area, t, n <= 3 ? 1 : 2), 0, STYLE_ROW);
            mark_checks(l, first, check);
            return undersized(l, first, t->min_answer);
        }
        int cols = tile_cols(n, area.w, t);
        int rows = (n + cols - 1) / cols;
        int cell_h = (area.h - (rows - 1) * t->gap) / rows;
        TargetStyle style = cell_h >= mm26 ? STYLE_TILE_V : STYLE_TILE_H;
        screen_grid(l, idx, n, area, t, cols, style == STYLE_TILE_V ? theme_mm(t, 40) : 0, style);
        mark_checks(l, first, check);
        return undersized(l, first, t->min_answer);
    }
    case KS_WIDGET_LIST:
        screen_grid(l, idx, n, area, t, row_cols(n, area, t, n <= 3 ? 1 : 2), 0, STYLE_ROW);
        return undersized(l, first, t->min_answer);
    case KS_WIDGET_RANK:
        screen_grid(l, idx, n, area, t, row_cols(n, area, t, 1), 0, STYLE_RANK);
        return undersized(l, first, t->min_target);
    case KS_WIDGET_SCALE:
        return scale(l, t, area, idx, n);
    case KS_WIDGET_ACK: {
        int tw = area.w < theme_mm(t, 80) ? area.w : theme_mm(t, 80);
        int th = area.h < theme_mm(t, 30) ? area.h : theme_mm(t, 30);
        layout_add(l, idx[0],
                   layout_rect(area.x + (area.w - tw) / 2, area.y + (area.h - th) / 2, tw, th),
                   STYLE_ACK);
        return undersized(l, first, t->min_answer);
    }
    case KS_WIDGET_NUMPAD:
    case KS_WIDGET_KEYBOARD:
        field(l, t, area, idx[0]);
        return undersized(l, first, t->min_target);
    case KS_WIDGET_SLIDER:
        return slider(l, t, area, idx[0]);
    case KS_WIDGET_CANVAS:
        return canvas(l, v, t, area, idx, n);
    case KS_WIDGET_NONE:
        break;
    }
    return 0;
}

int screen_widget_min_h(const KsView *v, const Theme *t, KsWidget widget, int w, const int *idx,
                        int n)
{
    switch (widget) {
    case KS_WIDGET_FACES: {
        int rows = face_rows(n, w, t);
        return rows * theme_mm(t, 22) + (rows - 1) * t->gap;
    }
    case KS_WIDGET_YES_NO:
    case KS_WIDGET_SCALE:
    case KS_WIDGET_ACK:
        return t->min_answer;
    case KS_WIDGET_TILES:
    case KS_WIDGET_CHECKS:
        if (has_pictures(v, idx, n)) {
            int cols = tile_cols(n, w, t);
            int rows = (n + cols - 1) / cols;
            return rows * t->min_answer + (rows - 1) * t->gap;
        }
        return rows_min_h(n, w, t);
    case KS_WIDGET_LIST:
    case KS_WIDGET_RANK:
        return rows_min_h(n, w, t);
    case KS_WIDGET_NUMPAD:
    case KS_WIDGET_KEYBOARD:
        return t->field_min;
    case KS_WIDGET_SLIDER:
        return theme_mm(t, 22);
    case KS_WIDGET_CANVAS:
        return theme_mm(t, 40);
    case KS_WIDGET_NONE:
        break;
    }
    return 0;
}

int screen_widget_max_h(const KsView *v, const Theme *t, KsWidget widget, int w, const int *idx,
                        int n)
{
    switch (widget) {
    case KS_WIDGET_FACES: {
        int rows = face_rows(n, w, t);
        return rows * theme_mm(t, 36) + (rows - 1) * t->gap;
    }
    case KS_WIDGET_YES_NO:
    case KS_WIDGET_ACK:
        return theme_mm(t, 26);
    case KS_WIDGET_SCALE:
        return theme_mm(t, 22);
    case KS_WIDGET_NUMPAD:
    case KS_WIDGET_KEYBOARD:
        return t->field_max;
    case KS_WIDGET_SLIDER:
        return theme_mm(t, 34);
    case KS_WIDGET_CANVAS:
        return theme_mm(t, 160);
    case KS_WIDGET_NONE:
        return 0;
    default:
        return screen_widget_min_h(v, t, widget, w, idx, n) * 14 / 10;
    }
}
