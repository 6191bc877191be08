/* uitext: the kiosk's own words (buttons, prompts, screens), per language,
 * from the gettext catalogs compiled from assets/po/<lang>.po (domain
 * "km2kiosk"). Survey content comes from the forms; these are the texts
 * around it. Unknown languages fall back to German, the kiosk's home language;
 * without catalogs every text is its English original. */
#ifndef KS_UITEXT_H
#define KS_UITEXT_H

#include "../core/ks_status.h"

typedef enum {
    UIT_NONE = -1, /* no text: the one way to say so (uitext_get gives "") */
    UIT_TAP_TO_START,
    UIT_WELCOME,
    UIT_WHO_ARE_YOU,
    UIT_WHICH_LANGUAGE,
    UIT_LANGUAGE_WORD, /* "Language" in each language: the language screen's heading */
    UIT_ANSWER_IN,     /* "Answer in English": under each language's name */
    UIT_HELLO,         /* the greeting the language screen speaks */
    UIT_AUDIENCE_CHILD,
    UIT_AUDIENCE_YOUTH,
    UIT_AUDIENCE_PARENT,
    UIT_AUDIENCE_PROFESSIONAL,
    UIT_NEXT,
    UIT_DONE,
    UIT_BACK,
    UIT_PLEASE_ANSWER,
    UIT_CHECK_ANSWER,
    UIT_OK,
    UIT_UNDO,            /* drawing: take back the last stroke */
    UIT_CLEAR,           /* drawing: start again on an empty canvas */
    UIT_READ_ALOUD,      /* the speaker button's name */
    UIT_QUESTION_N_OF_M, /* printf format with two %d */
    UIT_STILL_THERE,
    UIT_YES_STILL_HERE,
    /* Zukunftswerkstatt: the participants' words (in every language). */
    UIT_WS_PROMPT_CRITIQUE,
    UIT_WS_PROMPT_FANTASY,
    UIT_WS_PROMPT_REALISATION,
    UIT_WS_PROMPT_VOTING,
    UIT_WS_PROMPT_RESULTS,
    UIT_WS_PHASE_CRITIQUE,
    UIT_WS_PHASE_FANTASY,
    UIT_WS_PHASE_REALISATION,
    UIT_WS_PHASE_VOTING,
    UIT_WS_PHASE_RESULTS,
    UIT_WS_ALL_PHASES,
    UIT_WS_ADD,
    UIT_WS_EMPTY_WALL,
    UIT_WS_PART_TEXT,
    UIT_WS_PART_TOPIC,
    UIT_WS_PART_DRAW,
    UIT_WS_PART_AGE,
    UIT_WS_HINT_TEXT,
    UIT_WS_HINT_TOPIC,
    UIT_WS_HINT_DRAW,
    UIT_WS_HINT_AGE,
    UIT_WS_CARD_EMPTY,
    UIT_WS_PART_IDEA,
    UIT_WS_HINT_IDEA,
    UIT_WS_NO_IDEAS,
    UIT_WS_CARD_NO_IDEA,
    UIT_WS_ABOUT_IDEA, /* printf: the idea's text */
    UIT_WS_PIN_UP,
    UIT_WS_PENDING,
    UIT_WS_POSTED,
    UIT_WS_ANOTHER,
    UIT_WS_TO_WALL,
    UIT_WS_DOTS_LEFT, /* plural, %d */
    UIT_WS_GIVE_DOTS,
    UIT_WS_VOTED,
    UIT_WS_NO_DOTS,
    UIT_WS_TOPIC_PLAY,
    UIT_WS_TOPIC_SCHOOL,
    UIT_WS_TOPIC_SAFETY,
    UIT_WS_TOPIC_NATURE,
    UIT_WS_TOPIC_SPORT,
    UIT_WS_TOPIC_LEARNING,
    UIT_WS_TOPIC_FRIENDS,
    UIT_WS_TOPIC_FAMILY,
    UIT_WS_TOPIC_TRANSPORT,
    UIT_WS_TOPIC_CULTURE,
    UIT_WS_VOTE_CRITIQUE,
    UIT_WS_VOTE_REALISATION,
    UIT_WS_OPPOSITE,
    UIT_WS_OPPOSITE_OF,
    UIT_WS_PART_WHAT,
    UIT_WS_HINT_WHAT,
    UIT_WS_PART_WHO,
    UIT_WS_HINT_WHO,
    UIT_WS_PART_WHEN,
    UIT_WS_HINT_WHEN,
    UIT_WS_PLAN_EMPTY,
    UIT_WS_WHO_US,
    UIT_WS_WHO_PARENTS,
    UIT_WS_WHO_SCHOOL,
    UIT_WS_WHO_KITA,
    UIT_WS_WHO_YOUTHCLUB,
    UIT_WS_WHO_CLUB,
    UIT_WS_WHO_LIBRARY,
    UIT_WS_WHO_CITY,
    UIT_WS_WHO_COMPANIES,
    UIT_WS_WHO_OPEN,
    UIT_WS_WHEN_WEEK,
    UIT_WS_WHEN_MONTH,
    UIT_WS_WHEN_SCHOOLYEAR,
    UIT_WS_WHEN_LATER,
    UIT_WS_PLAN,
    UIT_WS_PLAN_TITLE,
    UIT_WS_NO_PLAN,
    /* Zukunftswerkstatt: staff (in the staff language, kiosk.conf staff_language). */
    UIT_STAFF_WORKSHOP,
    UIT_STAFF_WS_TITLE,    /* printf: the title */
    UIT_STAFF_WS_QUESTION, /* printf: the question */
    UIT_STAFF_WS_DOTS,     /* plural, %d */
    UIT_STAFF_WS_APPROVAL,
    UIT_STAFF_WS_START,
    UIT_STAFF_WS_STATE,    /* printf: title, phase, cards on the wall, pending */
    UIT_STAFF_WS_MODERATE, /* printf: %d pending */
    UIT_STAFF_WS_MERGE,
    UIT_STAFF_WS_RESULTS,
    UIT_STAFF_WS_CLOSE,
    UIT_STAFF_WS_NONE_PENDING,
    UIT_STAFF_WS_MERGE_FROM,
    UIT_STAFF_WS_MERGE_INTO,
    UIT_STAFF_WS_MERGED,
    UIT_STAFF_WS_NO_LANG,
    UIT_STAFF_WS_FAILED,
    UIT_STAFF_WS_ROUND_ABOUT, /* printf */
    UIT_STAFF_WS_ROUND_CRITIQUE,
    UIT_STAFF_WS_ROUND_FANTASY,
    UIT_STAFF_WS_ROUND_REALISATION,
    UIT_COUNTDOWN, /* printf format with one %d (seconds) */
    UIT_QUIT_QUESTION,
    UIT_QUIT_YES,
    UIT_QUIT_NO,
    UIT_THANKS,
    UIT_THANKS_MORE,
    UIT_FAULT_TITLE,
    UIT_FAULT_DATABASE,
    UIT_FAULT_CORRUPT,
    UIT_FAULT_NO_FORMS,
    UIT_FAULT_DISK_FULL, /* too little free disk: no new session */
    UIT_FAULT_DATA_DIR,  /* %s: the data folder cannot be written */
    UIT_FAULT_FONTS,     /* %s: a font file is missing */
    UIT_FAULT_DISPLAY,   /* %s: the renderer whose probe drew nothing */
    /* Staff mode (in the staff language, kiosk.conf staff_language; German by default). */
    UIT_STAFF_ENTER_PIN,
    UIT_STAFF_NEW_PIN,
    UIT_STAFF_REPEAT_PIN,
    UIT_STAFF_PIN_MISMATCH,
    UIT_STAFF_PIN_LENGTH,
    UIT_STAFF_PIN_WRONG,
    UIT_STAFF_LOCKED,
    UIT_STAFF_CANCEL,
    UIT_STAFF_OVERVIEW,
    UIT_STAFF_CLOCK,
    UIT_STAFF_FORMS,
    UIT_STAFF_REVIEW,
    UIT_STAFF_EXPORT,
    UIT_STAFF_EXIT,
    UIT_STAFF_COUNTS,
    UIT_STAFF_PENDING,
    UIT_STAFF_DISK,
    UIT_STAFF_LAST_EXPORT,
    UIT_STAFF_NO_EXPORT,
    UIT_STAFF_CLOCK_NOW,
    UIT_STAFF_DAY,
    UIT_STAFF_MONTH,
    UIT_STAFF_YEAR,
    UIT_STAFF_HOUR,
    UIT_STAFF_MINUTE,
    UIT_STAFF_SET_CLOCK,
    UIT_STAFF_CLOCK_DONE,
    UIT_STAFF_CLOCK_FAILED,
    UIT_STAFF_FORM_ON,
    UIT_STAFF_FORM_OFF,
    UIT_STAFF_FORMS_HINT,
    UIT_STAFF_APPROVE,
    UIT_STAFF_REJECT,
    UIT_STAFF_REVIEW_NONE,
    UIT_STAFF_REVIEW_LEFT,
    UIT_STAFF_NO_STICK,
    UIT_STAFF_EXPORT_START,
    UIT_STAFF_STICK,
    UIT_STAFF_STICK_RO,
    UIT_STAFF_STICK_NONE,
    UIT_STAFF_EJECT,
    UIT_STAFF_DAY_COUNTS,   /* printf: day, form id, complete, abandoned */
    UIT_STAFF_EXPORT_AGAIN, /* re-export the newest batch (a lost stick) */
    UIT_STAFF_EJECTED,
    UIT_STAFF_EJECT_SYNCED,
    UIT_STAFF_EJECT_FAILED,
    UIT_STAFF_IMPORT,
    UIT_STAFF_IMPORT_HINT,
    UIT_STAFF_IMPORT_NONE,
    UIT_STAFF_IMPORT_BACK,
    UIT_STAFF_IMPORT_BAD,
    UIT_STAFF_IMPORT_MORE,
    UIT_STAFF_IMPORT_DONE,
    UIT_STAFF_IMPORT_EXISTS,
    UIT_STAFF_IMPORT_FAILED,
    UIT_STAFF_CLOCK_DOUBT,    /* overview; printf: the last known time */
    UIT_STAFF_CLOCK_DOUBT_DO, /* clock page; printf: the last known time */
    UIT_STAFF_CLOCK_CONFIRM,  /* button: the time shown is right */
    UIT_STAFF_CLOCK_CONFIRMED,
    UIT_STAFF_KEPT,         /* printf: sessions, exported, days, oldest day */
    UIT_STAFF_KEPT_FOREVER, /* printf: sessions, exported, oldest day */
    UIT_STAFF_KEY,          /* overview: the label of the public key's QR code */
    UIT_STAFF_KEY_NONE,     /* overview: no signing key */
    UIT_STAFF_UNACKED,      /* overview; plural: exports, the oldest one's day */
    UIT_STAFF_ALL_ACKED,    /* overview: every export confirmed */
    UIT_STAFF_KEPT_ACK,     /* printf: sessions, exported, days, oldest day */
    UIT_STAFF_ACKS_NEW,     /* export page; plural: receipts accepted */
    UIT_STAFF_ACKS_BAD,     /* export page; plural: receipts ignored */
    /* An export's result (staff_export_text.c: the export page and the
     * "message" of `km2kiosk export`). */
    UIT_EXPORT_DONE,           /* plural: responses; the folder on the stick */
    UIT_EXPORT_DONE_WORKSHOPS, /* plural: workshops; their cards */
    UIT_EXPORT_DONE_HELD,      /* plural: responses held back; k */
    UIT_EXPORT_EJECT_HINT,     /* the stick can be ejected (the caller does not eject it) */
    UIT_EXPORT_NOTHING,
    UIT_EXPORT_NOTHING_REDO,
    UIT_EXPORT_TOO_FEW, /* plural: responses waiting; k */
    UIT_EXPORT_FAILED,
    UIT_EXPORT_NO_SUCH_BATCH, /* printf: the batch id asked for */
    UIT_EXPORT_KIOSK_FULL,
    UIT_EXPORT_STICK_FULL,
    UIT_EXPORT_STICK_READONLY,
    UIT_EXPORT_STICK_GONE,
    UIT_EXPORT_STICK_DIFFERS,
    UIT_EXPORT_STICK_UNFIT,
    UIT_EXPORT_STICK_EXISTS, /* printf: the batch folder's name */
    UIT_EXPORT_UNVERIFIED,
    UIT_EXPORT_LEDGER,
    UIT_STAFF_IMPORT_NO_ROOM,    /* import failed: after UIT_STAFF_IMPORT_FAILED's "%s" */
    UIT_STAFF_IMPORT_UNREADABLE, /* import failed: after UIT_STAFF_IMPORT_FAILED's "%s" */
    /* The export page while an export runs beside the UI. */
    UIT_EXPORT_PHASE_BUILDING,
    UIT_EXPORT_PHASE_WRITING,      /* printf: file, files, bytes done, bytes in all */
    UIT_EXPORT_PHASE_READING_BACK, /* printf: file, files, bytes done, bytes in all */
    UIT_EXPORT_PHASE_VERIFYING,
    UIT_EXPORT_BUSY,      /* a tap that must wait for it */
    UIT_EXPORT_BUSY_STAY, /* "back to the kiosk" while it runs */
    UIT_COUNT
} UiTextId;

/* Binds the catalogs under locale_dir (<lang>/LC_MESSAGES/km2kiosk-<lang>.mo,
 * one text domain per language), switches the process to the C.UTF-8 locale
 * (gettext ignores LANGUAGE in plain "C") and sets LANGUAGE once to every
 * catalog language. Call once at start-up, before any other thread runs. When
 * locale_dir holds no German catalog, the "locale" folder next to the
 * executable is tried. KS_ERR_NOT_FOUND (logged) when neither has one: every
 * text is then its English original. */
KsStatus uitext_init(const char *locale_dir);

/* The text for id in language `lang` ("de", "en", ...); NULL or unknown codes
 * give German. Lives as long as the process. Safe from any thread: it
 * never touches the environment. For UIT_COUNTDOWN it is the
 * form for several seconds; uitext_format picks the right plural. */
const char *uitext_get(const char *lang, UiTextId id);

/* Formats a text whose entry is a printf format (UIT_QUESTION_N_OF_M,
 * UIT_COUNTDOWN) with integer arguments into buf; the plural form of
 * UIT_COUNTDOWN follows its argument. */
void uitext_format(char *buf, int size, const char *lang, UiTextId id, ...);

/* Whether the catalog of `lang` has a translation of id (false without
 * catalogs, for an unknown language, or when the text is missing there). */
int uitext_translated(const char *lang, UiTextId id);

/* The name of a language in that language ("Deutsch", "English", "Türkçe",
 * "العربية", ...), or NULL when the kiosk does not know the code. */
const char *uitext_endonym(const char *code);

/* True when the language is written right to left. */
int uitext_is_rtl(const char *code);

#endif
