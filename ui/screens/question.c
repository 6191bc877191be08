/* question: a page of one question or of several (a field-list group) —
 * progress and the quit button on top, the question text, the answer
 * widget(s), the number pad or keyboard while an entry field has the focus,
 * and back / next at the bottom. Answer targets are never smaller than
 * 15 mm where they fit; whatever does not fit at the minimum sizes is
 * counted in l->overflow, never clipped silently. */
#include "screens.h"

typedef struct {
    SDL_Rect content; /* between the top bar and the back / next row */
    SDL_Rect nav_mid; /* between back and next */
    int keys[KS_VIEW_MAX_TARGETS], n_keys;
    bool keyboard; /* the keys are letters (else a number pad) */
    int opts[KS_VIEW_MAX_ITEMS][KS_VIEW_MAX_TARGETS];
    int n_opts[KS_VIEW_MAX_ITEMS];
} Page;

/* The height one line of text at px needs (Noto Sans: 1.36 em). */
static int line_h(int px)
{
    return px * 14 / 10;
}

static int mini(int a, int b)
{
    return a < b ? a : b;
}

static int maxi(int a, int b)
{
    return a > b ? a : b;
}

/* A generous guess of the height a bold text needs at px in a box w wide:
 * layout has no fonts, so it counts characters (about 0.6 em each) and adds
 * a line for words that do not break where the count says. Only ever used
 * to give a long text more room, never less. */
static int title_guess_h(const char *s, int px, int w)
{
    int chars = 0;
    for (const unsigned char *c = (const unsigned char *)s; *c; c++)
        if ((*c & 0xC0) != 0x80)
            chars++;
    int line_w = w > 0 ? w : 1;
    int lines = (chars * px * 6 / 10 + line_w - 1) / line_w;
    if (lines > 1)
        lines++;
    return lines * line_h(px);
}

/* The entry field among an item's targets, or -1. */
static int field_of(const KsView *v, const Page *p, int item)
{
    for (int i = 0; i < p->n_opts[item]; i++)
        if (v->targets[p->opts[item][i]].role == KS_TARGET_FIELD)
            return p->opts[item][i];
    return -1;
}

static bool is_keyboard(const KsView *v)
{
    static const char *const pads[] = {"numbers", "decimal"};
    for (size_t i = 0; i < sizeof pads / sizeof pads[0]; i++)
        if (SDL_strcmp(v->keys_layout, pads[i]) == 0)
            return false;
    return true;
}

/* One question with its field focused and a number pad: the pad on the
 * outer side, the question and the field (large digits) beside it; on a
 * narrow screen all three stacked. */
static void single_numpad(Layout *l, const KsView *v, const Theme *t, Page *p)
{
    SDL_Rect c = p->content;
    int fi = field_of(v, p, 0);
    int pw = screen_numpad_width(v, t, p->keys, p->n_keys, c.h, c.w / 2);
    int lw = c.w - pw - 2 * t->gap;
    if (lw >= theme_mm(t, 50)) {
        l->overflow +=
            screen_numpad(l, v, t, p->keys, p->n_keys, layout_rect(c.x + c.w - pw, c.y, pw, c.h));
        int fh = maxi(t->field_min, mini(t->field_max, c.h * 30 / 100));
        l->title = layout_rect(c.x, c.y, lw, c.h - fh - t->gap);
        if (fi >= 0)
            layout_add(l, fi, layout_rect(c.x, c.y + c.h - fh, lw, fh), STYLE_FIELD);
        return;
    }
    /* A tall screen (a panel upright) has room for the large field. */
    int th = line_h(l->title_min_px) * 2;
    int fh = c.h >= theme_mm(t, 100) ? t->field_max : t->field_min;
    l->title = layout_rect(c.x, c.y, c.w, th);
    if (fi >= 0)
        layout_add(l, fi, layout_rect(c.x, c.y + th + t->gap, c.w, fh), STYLE_FIELD);
    int py = c.y + th + fh + 2 * t->gap;
    SDL_Rect pad = layout_rect(c.x, py, c.w, c.y + c.h - py);
    if (pad.h < t->min_target) {
        /* A screen far too small: the pad over the page (the overlap and
         * the small keys are reported), so that it stays on the screen. */
        pad = c;
        l->overflow++;
    }
    l->overflow += screen_numpad(l, v, t, p->keys, p->n_keys, pad);
}

/* The special keys (space, backspace) go between back and next when that
 * row has room: the letters then keep their 10 mm on a 7" panel. */
static SDL_Rect special_area(const Page *p, const Theme *t, bool has_special, int *rows)
{
    SDL_Rect none = {0, 0, 0, 0};
    if (!has_special)
        return none;
    if (p->nav_mid.w >= theme_mm(t, 40))
        return p->nav_mid;
    (*rows)++;
    return none;
}

/* One question with its field focused and a keyboard: the question on top
 * (shrinking to one line at its smallest size first), the field (with the
 * hint or complaint beside it when the special keys took the bottom row),
 * then the letter rows. */
static void single_keyboard(Layout *l, const KsView *v, const Theme *t, Page *p)
{
    SDL_Rect c = p->content;
    int kg = t->key_gap;
    bool sp = false;
    int rows = screen_keyboard_rows(v, t, p->keys, p->n_keys, c.w, &sp);
    SDL_Rect specials = special_area(p, t, sp, &rows);
    /* Upright, a question wraps sooner: keep two lines for it. */
    int th_min = line_h(l->title_min_px) * (l->w < l->h ? 2 : 1), fmin = t->field_min;
    int room = c.h - 2 * t->gap - (rows - 1) * kg;
    int kh = rows > 0 ? mini(t->key_pref, (room - th_min - fmin) / rows) : 0;
    if (rows > 0 && kh < t->min_target)
        kh = t->min_target; /* the keys keep their size; the text then reports overflow */
    int extra = room - rows * kh - th_min - fmin;
    int th = th_min, fh = fmin;
    int more = maxi(0, mini(extra, th_min)); /* a second line of question first */
    th += more;
    extra -= more;
    more = maxi(0, mini(extra, t->field_max - fmin));
    fh += more;
    extra -= more;
    th += maxi(0, extra);
    if (th_min + fmin > room - rows * kh)
        l->overflow++;
    l->title = layout_rect(c.x, c.y, c.w, th);
    int fy = c.y + th + t->gap, fw = c.w;
    if (specials.w > 0) {
        /* The message's usual place holds the special keys. */
        l->message = layout_rect(0, 0, 0, 0);
        if (v->message[0]) {
            fw = c.w * 60 / 100;
            l->message = layout_rect(c.x + fw + t->gap, fy, c.w - fw - t->gap, fh);
        }
    }
    int fi = field_of(v, p, 0);
    if (fi >= 0)
        layout_add(l, fi, layout_rect(c.x, fy, fw, fh), STYLE_FIELD);
    int ky = fy + fh + t->gap;
    l->overflow +=
        screen_keyboard(l, v, t, p->keys, p->n_keys,
                        layout_rect(c.x, ky, c.w, rows * kh + (rows - 1) * kg), specials);
}

/* Several questions: the group's label, then each question's text (with
 * its hint or complaint beside it) over its widget, stacked; a number pad
 * stands beside them, a keyboard below. Heights start at each widget's
 * minimum; what is left goes to the texts, then to the widgets. */
static void multi(Layout *l, const KsView *v, const Theme *t, Page *p)
{
    SDL_Rect c = p->content;
    int n = v->n_items;
    if (p->n_keys > 0 && !p->keyboard) {
        int pw = screen_numpad_width(v, t, p->keys, p->n_keys, c.h, c.w * 45 / 100);
        l->overflow +=
            screen_numpad(l, v, t, p->keys, p->n_keys, layout_rect(c.x + c.w - pw, c.y, pw, c.h));
        c.w -= pw + 2 * t->gap;
    } else if (p->n_keys > 0) {
        bool sp = false;
        int rows = screen_keyboard_rows(v, t, p->keys, p->n_keys, c.w, &sp);
        SDL_Rect specials = special_area(p, t, sp, &rows);
        if (specials.w > 0)
            l->message = layout_rect(0, 0, 0, 0);
        int kh = t->min_target + theme_mm(t, 0.5);
        int bh = rows * kh + (rows - 1) * t->key_gap;
        l->overflow += screen_keyboard(l, v, t, p->keys, p->n_keys,
                                       layout_rect(c.x, c.y + c.h - bh, c.w, bh), specials);
        c.h -= bh + t->gap;
    }
    if (n > 0 && SDL_strcmp(v->title, v->items[0].title) != 0) {
        int th = line_h(l->title_min_px);
        l->title = layout_rect(c.x, c.y, c.w, th);
        c.y += th + t->gap;
        c.h -= th + t->gap;
    }
    int ith_min = line_h(t->body_min_px), ith_pref = line_h(t->item_title_px);
    int sg = theme_mm(t, 1); /* a question text belongs to the widget under it */
    int wmin[KS_VIEW_MAX_ITEMS], wmax[KS_VIEW_MAX_ITEMS], wh[KS_VIEW_MAX_ITEMS],
        ith[KS_VIEW_MAX_ITEMS];
    int need = (n - 1) * t->gap, sum_min = 0, room_all = 0;
    for (int i = 0; i < n; i++) {
        KsWidget wd = v->items[i].widget;
        if (wd == KS_WIDGET_NONE) {
            wmin[i] = ith_min; /* a note: room for a second line */
            wmax[i] = 2 * ith_pref;
        } else {
            wmin[i] = screen_widget_min_h(v, t, wd, c.w, p->opts[i], p->n_opts[i]) + sg;
            wmax[i] =
                maxi(wmin[i], screen_widget_max_h(v, t, wd, c.w, p->opts[i], p->n_opts[i]) + sg);
        }
        wh[i] = wmin[i];
        ith[i] = ith_min;
        need += ith_min + wmin[i];
        sum_min += wmin[i];
        room_all += wmax[i] - wmin[i];
    }
    int extra = c.h - need;
    if (extra < 0) {
        /* Too many questions for this screen: squeeze the widgets (they
         * then count themselves as too small) and say so. */
        l->overflow++;
        for (int i = 0; i < n && sum_min > 0; i++)
            wh[i] = maxi(0, wmin[i] + extra * wmin[i] / sum_min);
        extra = 0;
    }
    /* Upright, a question's text may take a second line. */
    int ith_most = l->w < l->h ? 2 * ith_pref : ith_pref;
    int add = mini(extra / (n > 0 ? n : 1), ith_most - ith_min);
    for (int i = 0; i < n; i++)
        ith[i] += add;
    extra -= add * n;
    if (room_all > 0 && extra > 0) {
        int give = mini(extra, room_all), given = 0;
        for (int i = 0; i < n; i++) {
            int g = (int)((long)give * (wmax[i] - wmin[i]) / room_all);
            wh[i] += g;
            given += g;
        }
        extra -= given;
    }
    int pad = extra / (n + 1);
    int y = c.y + pad;
    l->n_items = n;
    for (int i = 0; i < n; i++) {
        const KsViewItem *it = &v->items[i];
        LayoutItem *li = &l->items[i];
        int tw = c.w;
        bool note = it->widget == KS_WIDGET_NONE;
        int h_text = note ? ith[i] + wh[i] : ith[i];
        if (it->message[0]) {
            tw = c.w * 58 / 100;
            li->message = layout_rect(c.x + tw + t->gap, y, c.w - tw - t->gap, h_text);
        }
        li->title = layout_rect(c.x, y, tw, h_text);
        if (!note)
            l->overflow += screen_widget(
                l, v, t, it->widget, layout_rect(c.x, y + ith[i] + sg, c.w, maxi(0, wh[i] - sg)),
                p->opts[i], p->n_opts[i]);
        y += ith[i] + wh[i] + t->gap + pad;
    }
}

/* The page's frame: the top bar (read aloud, progress, quit), back and
 * next, the message line, and the content area between them in p; sorts
 * the targets into keys and each question's options. */
static void frame(Layout *l, const KsView *v, const Theme *t, Page *p)
{
    int w = l->w, h = l->h, m = t->margin;
    bool portrait = w < h;
    int quit_side = theme_mm(t, 11);
    int bar_y = m / 2;
    int nav_y = h - m - t->nav_h;
    /* Upright, back and next share the bottom row half and half; the line
     * of text that sits between them on a wide screen goes above them. */
    int nav_w = portrait ? (w - 2 * m - t->gap) / 2 : theme_mm(t, 36);
    int speak_w = 0; /* room the read-aloud button takes in the top bar */
    p->n_keys = 0;
    for (int i = 0; i < KS_VIEW_MAX_ITEMS; i++)
        p->n_opts[i] = 0;
    for (int i = 0; i < v->n_targets; i++) {
        const KsViewTarget *vt = &v->targets[i];
        switch (vt->role) {
        case KS_TARGET_QUIT:
            layout_add(l, i, layout_rect(w - m - quit_side, bar_y, quit_side, quit_side),
                       STYLE_BUTTON_ICON);
            break;
        case KS_TARGET_SPEAK:
            /* At the start of the top bar, where reading starts: far from
             * the quit button. */
            layout_add(l, i, layout_rect(m, bar_y, quit_side, quit_side), STYLE_SPEAK);
            speak_w = quit_side + t->gap;
            break;
        case KS_TARGET_BACK:
            layout_add(l, i, layout_rect(m, nav_y, nav_w, t->nav_h), STYLE_BUTTON_NAV);
            break;
        case KS_TARGET_NEXT:
            layout_add(l, i, layout_rect(w - m - nav_w, nav_y, nav_w, t->nav_h), STYLE_BUTTON_NAV);
            break;
        case KS_TARGET_KEY:
            p->keys[p->n_keys++] = i;
            break;
        default: {
            int item = vt->item >= 0 && vt->item < KS_VIEW_MAX_ITEMS ? vt->item : 0;
            p->opts[item][p->n_opts[item]++] = i;
        }
        }
    }
    p->keyboard = is_keyboard(v);
    int text_w = theme_mm(t, 34);
    l->progress_text = layout_rect(m + speak_w, bar_y, text_w, quit_side);
    int bar_x = m + speak_w + text_w + t->gap;
    int bar_h = theme_mm(t, 3);
    l->progress_bar = layout_rect(bar_x, bar_y + (quit_side - bar_h) / 2,
                                  w - m - quit_side - 2 * t->gap - bar_x, bar_h);
    int top = bar_y + quit_side + t->gap;
    int bottom = nav_y - t->gap;
    if (portrait) {
        p->nav_mid = layout_rect(0, 0, 0, 0);
        /* Two lines at the smallest body size; a keyboard page, short of
         * height, keeps the room only while there is something to say. */
        bool keys = p->n_keys > 0 && p->keyboard;
        int msg_h = keys && !v->message[0] ? 0 : 2 * line_h(t->body_min_px);
        l->message = layout_rect(m, bottom - msg_h, w - 2 * m, msg_h);
        if (msg_h > 0)
            bottom -= msg_h + t->gap;
    } else {
        p->nav_mid = layout_rect(m + nav_w + t->gap, nav_y, w - 2 * (m + nav_w + t->gap), t->nav_h);
        l->message = p->nav_mid;
    }
    p->content = layout_rect(m, top, w - 2 * m, bottom - top);
    l->title_center = true;
    l->title_px = t->title_px;
    l->title_min_px = t->title_min_px;
}

/* One question: its title above, its widget below in the content area. */
static void single(Layout *l, const KsView *v, const Theme *t, Page *p)
{
    int w = l->w, h = l->h, m = t->margin;
    bool portrait = w < h;
    int top = p->content.y;
    int avail = p->content.h;
    int content_bottom = p->content.y + p->content.h;
    /* A drawing wants every millimetre it can get; its title is short. */
    /* Arabic lines are taller (marks above and below), so its two-line
     * questions get a little more of the page. */
    int title_pct = v->widget == KS_WIDGET_CANVAS ? 22 : (v->rtl ? 37 : 34);
    int title_h = v->widget == KS_WIDGET_NONE ? avail : avail * title_pct / 100;
    if (portrait && v->widget != KS_WIDGET_NONE) {
        /* Upright, a long question wraps into many lines: it gets the
         * height it will likely need at its smallest size, as long as the
         * answers keep their least height. */
        int cw = p->content.w;
        int wmin = screen_widget_min_h(v, t, v->widget, cw, p->opts[0], p->n_opts[0]);
        int wmax = screen_widget_max_h(v, t, v->widget, cw, p->opts[0], p->n_opts[0]);
        title_h = maxi(title_h, title_guess_h(v->title, l->title_min_px, cw));
        title_h = mini(title_h, avail - t->gap - wmin);
        /* A widget of a fixed shape uses no more than its largest height:
         * the question and its answers then stand together in the middle
         * of the page instead of far apart. (Rows choose their columns from
         * the height they get, so they keep all of it.) */
        KsWidget wd = v->widget;
        if (wd == KS_WIDGET_FACES || wd == KS_WIDGET_YES_NO || wd == KS_WIDGET_SCALE ||
            wd == KS_WIDGET_ACK || wd == KS_WIDGET_SLIDER) {
            int spare = avail - t->gap - title_h - wmax;
            if (spare > 0) {
                top += spare / 2;
                content_bottom -= spare - spare / 2;
            }
        }
    }
    if (title_h < theme_mm(t, 14))
        title_h = theme_mm(t, 14);
    l->title = layout_rect(m, top, w - 2 * m, title_h);
    int ay = top + title_h + t->gap;
    if (v->widget == KS_WIDGET_NONE)
        return; /* a note: its text is the page */
    if (content_bottom - ay < 1) {
        /* A screen far too small: the answers over the question (reported)
         * rather than below the screen or over back / next. */
        ay = top;
        l->overflow++;
    }
    l->overflow += screen_widget(l, v, t, v->widget,
                                 layout_rect(m, ay, w - 2 * m, maxi(1, content_bottom - ay)),
                                 p->opts[0], p->n_opts[0]);
}

void screen_question(Layout *l, const KsView *v, const Theme *t)
{
    static Page page;
    Page *p = &page;
    frame(l, v, t, p);
    if (v->n_items > 1)
        multi(l, v, t, p);
    else if (p->n_keys > 0 && v->widget == KS_WIDGET_NUMPAD)
        single_numpad(l, v, t, p);
    else if (p->n_keys > 0 && v->widget == KS_WIDGET_KEYBOARD)
        single_keyboard(l, v, t, p);
    else
        single(l, v, t, p);
}
