/* workshop_private: the Workshop state, shared by the state machine
 * (workshop.c) and the view builder (workshop_view.c). Nothing else
 * includes it. */
#ifndef KS_WORKSHOP_PRIVATE_H
#define KS_WORKSHOP_PRIVATE_H

#include "../storage/store_workshop.h"
#include "burst.h"
#include "drawing.h"
#include "keys.h"
#include "uitext.h"
#include "workshop.h"

#define WS_CARDS_MAX 64      /* cards held for one view (the wall, the vote, results) */
#define WS_PAGE_CARDS 6      /* cards on one page of the wall or the vote */
#define WS_THUMBS_MAX 512
#define WS_TOPIC_COUNT 10
#define WS_AGE_COUNT 4
#define WS_LANG_COUNT 6
#define WS_IDEAS_SHOWN 6     /* ideas offered to a realisation card (one page) */
#define WS_IDEA_CHARS 24     /* an idea's text on the small line under a card */

/* PART_IDEA only in the Verwirklichung phase. */
typedef enum { PART_IDEA, PART_TEXT, PART_TOPIC, PART_DRAW, PART_AGE, PART_COUNT } WsPart;

/* A topic: its id word, its picture and its name. */
typedef struct {
    const char *name;
    const char *icon;
    UiTextId text;
} WsTopic;
extern const WsTopic ws_topics[WS_TOPIC_COUNT];
extern const char *const ws_ages[WS_AGE_COUNT];
extern const char *const ws_langs[WS_LANG_COUNT];

struct Workshop {
    const KsConfig *cfg;
    Store *store;
    bool have;                /* a workshop is open: cur holds it */
    StoreWorkshop cur;

    /* The participant. */
    bool active;
    KsScreen screen;
    char lang[8];
    char token[33];           /* random id of this visit's voting session */
    int page;                 /* page of the wall or the vote */
    StoreWsCard cards[WS_CARDS_MAX];
    int n_cards;
    char thumbs[WS_CARDS_MAX][160]; /* per card: its drawing's PNG path or "" */
    int dots[WS_CARDS_MAX];   /* the vote: dots given to cards[i], not yet stored */
    bool sent_pending;        /* the card sent waits for approval */
    int rphase;               /* results shown: a phase, or -1 for all */
    bool complain;            /* the card is still empty: say so */
    /* The Fantasie cards (all, to name a realisation card's idea even
     * after a merge) and the approved ones offered as ideas, ranked. */
    StoreWsCard fantasy[WS_CARDS_MAX];
    int n_fantasy;
    int ideas[WS_IDEAS_SHOWN];  /* indices into fantasy */
    int n_ideas;
    char idea_thumbs[WS_IDEAS_SHOWN][160];
    char about[WS_PAGE_CARDS][160]; /* the wall's "Idea: …" lines */
    Burst taps;               /* the latest taps, for bursts */
    bool flagged;

    /* The card being written. */
    WsPart part;
    char text[KS_VIEW_TEXT_MAX];
    int64_t idea;             /* realisation: the chosen idea's card id, or 0 */
    int topic;                /* index into ws_topics, or -1 */
    int age;                  /* index into ws_ages, or -1 */
    Drawing *drawing;
    int pen;
    bool pen_out;
    KeysState keys;           /* the keyboard of the card or the staff text */

    /* Staff. */
    KsScreen staff_screen;
    char set_title[128], set_question[256];
    bool set_langs[WS_LANG_COUNT];
    int set_dots;
    bool set_approval;
    int editing;              /* 0: the title, 1: the question */
    KsScreen edit_back;       /* where typing returns to */
    bool have_pending;
    StoreWsCard pending;
    char pending_thumb[160];
    int n_pending;
    int64_t merge_from;       /* 0, or the card chosen to merge */
    int staff_msg;            /* UiTextId, or -1 */

    /* Drawing pictures written for views (removed at the end). */
    int64_t thumb_ids[WS_THUMBS_MAX];
    int n_thumb_ids;
    char bufs[4][320];        /* texts formatted for the view */
};

/* Reads the open workshop again (workshop.c). */
void workshop_refresh(Workshop *w);
/* Loads the cards a view shows into w->cards (workshop.c): the wall of
 * `phase` (or every phase for -1), ranked by dots when `ranked`. */
void workshop_load_cards(Workshop *w, int phase, bool ranked);
/* The path of a card's drawing as a PNG file for the view, "" when none. */
const char *workshop_thumb(Workshop *w, const StoreWsCard *c, char *buf, size_t size);
/* Reads the oldest pending card and how many wait (workshop.c). */
void workshop_load_pending(Workshop *w);
/* Loads the Fantasie cards and the ideas offered (workshop.c). */
void workshop_load_ideas(Workshop *w);
/* The idea a realisation card is about, followed through merges; NULL when
 * unknown (workshop.c). */
const StoreWsCard *workshop_idea_of(const Workshop *w, int64_t about_card);
/* The index of a topic name, or -1. */
int workshop_topic_index(const char *name);

#endif
