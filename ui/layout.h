/* layout: where everything of a view goes on screen, in pixels. Pure
 * geometry from the view and the theme — no drawing — so that scripts can
 * find targets and tests can check sizes and overlaps without pixels.
 * Each screen kind has its layout function in ui/screens/. */
#ifndef KS_LAYOUT_H
#define KS_LAYOUT_H

#include <SDL.h>
#include <stdbool.h>

#include "../firmware/app/view.h"
#include "theme.h"

/* How a target is drawn. */
typedef enum {
    STYLE_HIDDEN,         /* tappable area without own drawing (attract: whole screen) */
    STYLE_BUTTON_PRIMARY, /* filled button with text */
    STYLE_BUTTON_SECONDARY,
    STYLE_BUTTON_NAV,  /* back / next */
    STYLE_BUTTON_ICON, /* a round icon button (quit) */
    STYLE_TILE_V,      /* picture above label */
    STYLE_TILE_H,      /* picture left of label */
    STYLE_FACE,        /* face picture above label, frame in the face colour */
    STYLE_ROW,         /* text row with a round or square mark */
    STYLE_NUMBER,      /* a numbered tile of a scale */
    STYLE_RANK,        /* text row with a round badge showing its place */
    STYLE_ACK,         /* one big tile with a check box and "OK" */
    STYLE_KEY,         /* a key of a number pad or keyboard */
    STYLE_FIELD,       /* an entry field with the typed text and a caret */
    STYLE_CANVAS,      /* a drawing surface with the strokes so far */
    STYLE_PEN,         /* a round pen colour swatch */
    STYLE_TOOL,        /* a small picture button with a caption (undo, clear) */
    STYLE_SLIDER,      /* a slider: value above a track with a thumb */
    STYLE_SPEAK,       /* the round read-aloud button */
    STYLE_CARD,        /* a workshop card: topic picture, text, drawing, dots given */
    STYLE_BAR,         /* a bar of the results chart: card, bar, dot count */
} TargetStyle;

typedef struct {
    int view_index; /* index into view->targets */
    SDL_Rect rect;
    TargetStyle style;
    bool check; /* multiple choice: square mark with a tick */
} LayoutTarget;

/* The texts of one question on a page of several (field-list groups). */
typedef struct {
    SDL_Rect title;   /* the question text */
    SDL_Rect message; /* its hint or complaint; w = 0 when none is shown */
} LayoutItem;

typedef struct {
    int w, h;
    bool rtl;
    SDL_Rect title;    /* heading or question */
    SDL_Rect subtitle; /* second language line under the heading */
    SDL_Rect message;  /* hint / error / countdown */
    SDL_Rect progress_text, progress_bar;
    SDL_Rect picture;         /* a decorative picture (attract, thanks) */
    const char *picture_path; /* file name in the icons folder */
    bool picture_disc;        /* draw a coloured disc behind a white glyph picture */
    SDL_Rect card;            /* dialog card behind a prompt */
    SDL_Rect start_button;    /* the visible "tap to start" pill */
    bool title_center;
    int title_px, title_min_px;
    int n_items; /* item boxes used (multi-question pages only, else 0) */
    LayoutItem items[KS_VIEW_MAX_ITEMS];
    int overflow; /* parts that did not get their minimum size (added to the
                   * text overflow that `dump` reports) */
    int n;
    LayoutTarget targets[KS_VIEW_MAX_TARGETS];
} Layout;

void layout_compute(Layout *l, const KsView *v, const Theme *t, int w, int h);

/* Index into l->targets of the target containing x,y, or -1. */
int layout_hit(const Layout *l, int x, int y);

/* Helpers shared by the screen layouts. */
LayoutTarget *layout_add(Layout *l, int view_index, SDL_Rect r, TargetStyle style);
SDL_Rect layout_rect(int x, int y, int w, int h);

#endif
