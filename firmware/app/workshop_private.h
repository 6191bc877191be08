/* workshop_private: the Workshop state, shared by the files of the
 * workshop module. What both sides read is workshop.c's (the open
 * workshop, the cards a view shows, their drawings) and
 * workshop_results.c's (the voting rounds and the plan). The participant's
 * side is WsVisit (workshop_participant.c) and WsDraft, the card being
 * written (workshop_card.c); the staff side is WsStaff (workshop_staff.c).
 * The views are workshop_view*.c's, apart in the same way. Nothing else
 * includes it. */
#ifndef KS_WORKSHOP_PRIVATE_H
#define KS_WORKSHOP_PRIVATE_H

#include "../storage/store_workshop.h"
#include "burst.h"
#include "drawing.h"
#include "keys.h"
#include "uitext.h"
#include "workshop.h"

#define WS_CARDS_MAX 64 /* cards held for one view (the wall, the vote, results) */
#define WS_PAGE_CARDS 6 /* cards on one page of the wall or the vote */
#define WS_THUMBS_MAX 512
#define WS_TOPIC_COUNT 10
#define WS_AGE_COUNT 4
#define WS_LANG_COUNT 6
#define WS_IDEAS_SHOWN 6    /* ideas offered to a realisation card (one page) */
#define WS_IDEA_CHARS 24    /* an idea's text on the small line under a card */
#define WS_STARTERS 2       /* critique cards offered on the Fantasie wall */
#define WS_STARTER_PAGE 4   /* Fantasie cards on a page beside the starters */
#define WS_ROUNDS_MAX 32    /* voting rounds read for the results */
#define WS_ROUNDS_SHOWN 3   /* results: the latest rounds, each a tab of its own */
#define WS_PLAN_IDEAS 3     /* results: the top ideas shown with their plans */
#define WS_PLAN_ROWS 2      /* results: helper rows on one plan page */
#define WS_PLAN_ROW_CARDS 2 /* results: plan cards in one helper row */
#define WS_PLAN_ROWS_MAX 64 /* helper rows over all top ideas */
#define WS_PLAN_CHARS 40    /* a plan card's text on the results */
#define WS_NAMES 16         /* card texts made for one view */

/* PART_IDEA, PART_WHO and PART_WHEN only in the Verwirklichung phase,
 * PART_TOPIC and PART_AGE only in the others. */
typedef enum {
    PART_IDEA,
    PART_TEXT,
    PART_TOPIC,
    PART_DRAW,
    PART_AGE,
    PART_WHO,
    PART_WHEN,
    PART_COUNT
} WsPart;

/* A topic: its id word, its picture and its name. */
typedef struct {
    const char *name;
    const char *icon;
    UiTextId text;
} WsTopic;
extern const WsTopic ws_topics[WS_TOPIC_COUNT];
/* A helper of a plan and a plan's time, in the order of
 * store_ws_who_codes and store_ws_when_codes: picture and name. */
typedef struct {
    const char *icon;
    UiTextId text;
} WsPicture;
extern const WsPicture ws_who[WS_WHO_COUNT];
extern const WsPicture ws_when[WS_WHEN_COUNT];
extern const char *const ws_ages[WS_AGE_COUNT];
extern const char *const ws_langs[WS_LANG_COUNT];

/* One row of the plan on the results: a top idea's plan cards that one
 * helper can help with (who -1: nobody chosen yet). */
typedef struct {
    int idea; /* index into fantasy */
    int who;
    int part;                     /* 1 for the helper's first row, 2 for its second, … */
    int cards[WS_PLAN_ROW_CARDS]; /* indices into plans */
    int n;
} WsPlanRow;

/* The participant's visit (workshop_participant.c): from the language
 * choice to "done", the screen shown, the dots not yet cast. */
typedef struct {
    bool active;
    KsScreen screen;
    char lang[8];
    char token[33];                 /* random id of this visit's voting session */
    int dots[WS_CARDS_MAX];         /* the vote: dots given to cards[i], not yet stored */
    int vote_phase;                 /* the phase the vote shows (-1: every phase) */
    bool sent_pending;              /* the card sent waits for approval */
    Burst taps;                     /* the latest taps, for bursts */
    bool flagged;                   /* the visit's token is flagged as suspected misuse */
    char about[WS_PAGE_CARDS][160]; /* the wall's "Idea: …" lines */
} WsVisit;

/* The card the participant is writing (workshop_card.c). */
typedef struct {
    WsPart part;
    char text[KS_VIEW_TEXT_MAX];
    int64_t idea;           /* realisation: the chosen idea's card id, or 0 */
    int64_t answers;        /* fantasy: the critique card it answers, or 0 */
    int topic;              /* index into ws_topics, or -1 */
    int age;                /* index into ws_ages, or -1 */
    bool who[WS_WHO_COUNT]; /* realisation: the helpers chosen */
    int when;               /* realisation: index into ws_when, or -1 */
    Drawing *drawing;
    int pen;
    bool pen_out;
    bool complain; /* the card is still empty: say so */
} WsDraft;

/* The staff side (workshop_staff.c): the Werkstatt tab's page shown, the
 * settings of the next start, moderation and merging. */
typedef struct {
    KsScreen screen;
    char title[128], question[256];
    bool langs[WS_LANG_COUNT];
    int dots;
    bool approval;
    int editing; /* 0: the title, 1: the question */
    bool have_pending;
    StoreWsCard pending; /* the oldest card waiting for approval */
    char pending_thumb[160];
    int n_pending;
    int64_t merge_from; /* 0, or the card chosen to merge */
    UiTextId msg;       /* or UIT_NONE */
    char bufs[4][320];  /* texts formatted for the view */
} WsStaff;

struct Workshop {
    const KsConfig *cfg;
    Store *store;
    bool have; /* a workshop is open: cur holds it */
    StoreWorkshop cur;

    /* The cards a view shows, read for either side (workshop.c): the wall,
     * the vote, the merge page, a results chart. */
    int page; /* page of the wall, the vote or the plan */
    StoreWsCard cards[WS_CARDS_MAX];
    int n_cards;
    char thumbs[WS_CARDS_MAX][160]; /* per card: its drawing's PNG path or "" */
    /* The Fantasie cards (all, to name a realisation card's idea even
     * after a merge) and the approved ones offered as ideas, ranked. */
    StoreWsCard fantasy[WS_CARDS_MAX];
    int n_fantasy;
    int ideas[WS_IDEAS_SHOWN]; /* indices into fantasy */
    int n_ideas;
    char idea_thumbs[WS_IDEAS_SHOWN][160];
    /* The Kritik cards (all, to name the critique a Fantasie card answers)
     * and the top ones offered on the Fantasie wall as starting points. */
    StoreWsCard critique[WS_CARDS_MAX];
    int n_critique;
    int starters[WS_STARTERS]; /* indices into critique */
    int n_starters;
    char starter_thumbs[WS_STARTERS][160];

    /* The results, for either side (workshop_results.c): the voting rounds
     * with dots, the one shown (0: the plan), and the plan's rows and
     * cards. */
    int rounds[WS_ROUNDS_MAX], round_phase[WS_ROUNDS_MAX];
    int n_rounds;
    int rsel;
    StoreWsCard plans[WS_CARDS_MAX];
    int n_plans;
    char plan_thumbs[WS_CARDS_MAX][160];
    WsPlanRow plan[WS_PLAN_ROWS_MAX];
    int n_plan;
    int plan_pages, plan_first[WS_PLAN_ROWS_MAX]; /* each page's first row */
    char plan_text[WS_PLAN_ROWS * WS_PLAN_ROW_CARDS][WS_PLAN_CHARS * 4 + 8];
    char round_names[WS_ROUNDS_SHOWN][64];

    KeysState keys; /* the keyboard: the participant's card or the staff's text */

    /* Drawing pictures written for views (removed at the end). */
    int64_t thumb_ids[WS_THUMBS_MAX];
    int n_thumb_ids;
    char names[WS_NAMES][128]; /* cards' texts made for the view (workshop_card_text) */
    int n_names;

    WsVisit visit; /* the participant's */
    WsDraft draft; /* the participant's */
    WsStaff staff;
};

/* ---- workshop.c: what both sides read ---- */

/* Reads the open workshop again. */
void workshop_refresh(Workshop *w);
/* Loads the cards a view shows into w->cards: the wall of `phase` (or
 * every phase for -1), ranked by dots when `ranked`. */
void workshop_load_cards(Workshop *w, int phase, bool ranked);
/* The path of a card's drawing as a PNG file for the view, "" when none. */
const char *workshop_thumb(Workshop *w, const StoreWsCard *c, char *buf, size_t size);
/* Loads the Fantasie cards and the ideas offered. */
void workshop_load_ideas(Workshop *w);
/* Loads the Kritik cards and the starting points offered. */
void workshop_load_starters(Workshop *w);
/* The card `about` refers to among list[0..n), followed through merges;
 * NULL when unknown. */
const StoreWsCard *workshop_about_of(const StoreWsCard *list, int n, int64_t about);
/* The index of a topic name, or -1. */
int workshop_topic_index(const char *name);
/* The phase the current voting round is about (-1: every phase, a round
 * from before rounds had a phase). */
int workshop_round_phase(Workshop *w);
/* A key of the keyboard: switches it, or types into buf (the card's text
 * or a staff text). True when a character went in (not a backspace). */
bool workshop_key(Workshop *w, const char *key, char *buf, size_t size, int max_chars);

/* ---- workshop_participant.c ---- */

/* The screen of the current phase: the wall, the vote or the results. */
void workshop_go_phase(Workshop *w);
/* Dots the participant may still give. */
int workshop_dots_left(const Workshop *w);

/* ---- workshop_card.c ---- */

/* Starts a fresh card for the current phase (answering `answers`, a
 * critique card's id, or 0). */
void workshop_card_reset(Workshop *w, int64_t answers);
/* A tap on the card screen. */
void workshop_card_tap(Workshop *w, const char *id);

/* ---- workshop_staff.c ---- */

/* The staff side's first state: the Werkstatt page, default settings. */
void workshop_staff_init(Workshop *w);
/* Reads the oldest pending card and how many wait. */
void workshop_load_pending(Workshop *w);

/* ---- workshop_results.c ---- */

/* Reads the voting rounds with dots and the plan; keeps the tab shown
 * when it still exists, else shows the latest round (the plan without
 * rounds). */
void workshop_results_load(Workshop *w);
/* A tap on a results tab or a page turner; true when it was one. */
bool workshop_results_tap(Workshop *w, const char *id);

/* qsort order of cards: most votes first, then the older card (workshop.c). */
int workshop_by_votes(const void *a, const void *b);

#endif
