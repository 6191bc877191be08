/* uitext: looks the kiosk's own words up in the gettext catalogs, one text
 * domain per language ("km2kiosk-ar" holds the Arabic texts; sources in
 * assets/po). A lookup names the domain of the language it wants, so no
 * thread ever changes the process environment to switch languages: the
 * environment is set once, in uitext_init, before other threads run. It
 * owns the English originals (the msgids); it never draws anything. */
#include "uitext.h"

#include <stdarg.h>
#include <libgen.h>
#include <libintl.h>
#include <limits.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/log.h"
#include "../core/str.h"

#define UITEXT_DOMAIN "km2kiosk"
#define UITEXT_DOMAIN_MAX 16 /* "km2kiosk-" and a language code */

/* One text: its catalog key (msgctxt, EOT, msgid, as gettext stores a text
 * with a context), its English original, and the English plural for texts
 * that count something. */
typedef struct {
    const char *key;
    const char *english;
    const char *plural;
} UiMsg;

#define MSG(s)                                                                                     \
    {                                                                                              \
        s, s, NULL                                                                                 \
    }
#define CTX(c, s)                                                                                  \
    {                                                                                              \
        c "\004" s, s, NULL                                                                        \
    }
#define PLURAL(s, p)                                                                               \
    {                                                                                              \
        s, s, p                                                                                    \
    }

/* The msgids of assets/po/km2kiosk.pot; change both together. */
static const UiMsg g_msgs[UIT_COUNT] = {
    [UIT_TAP_TO_START] = MSG("Tap here to start"),
    [UIT_WELCOME] = MSG("Hello! Tell us what you think."),
    [UIT_WHO_ARE_YOU] = MSG("Who are you?"),
    [UIT_WHICH_LANGUAGE] = MSG("Which language?"),
    [UIT_LANGUAGE_WORD] = CTX("language screen", "Language"),
    [UIT_ANSWER_IN] = CTX("language screen", "Answer in English"),
    [UIT_HELLO] = CTX("language screen", "Hello!"),
    [UIT_AUDIENCE_CHILD] = CTX("audience", "Child"),
    [UIT_AUDIENCE_YOUTH] = CTX("audience", "Young person"),
    [UIT_AUDIENCE_PARENT] = CTX("audience", "Parent"),
    [UIT_AUDIENCE_PROFESSIONAL] = CTX("audience", "Educator"),
    [UIT_NEXT] = CTX("button", "Next"),
    [UIT_DONE] = CTX("button", "Done"),
    [UIT_BACK] = CTX("button", "Back"),
    [UIT_PLEASE_ANSWER] = MSG("Please choose an answer."),
    [UIT_CHECK_ANSWER] = MSG("Please check this answer."),
    [UIT_OK] = CTX("button", "OK"),
    [UIT_UNDO] = CTX("drawing", "Undo"),
    [UIT_CLEAR] = CTX("drawing", "Clear"),
    [UIT_READ_ALOUD] = CTX("button", "Read aloud"),
    [UIT_QUESTION_N_OF_M] = MSG("Question %d of %d"),
    [UIT_STILL_THERE] = MSG("Are you still there?"),
    [UIT_YES_STILL_HERE] = MSG("Yes, I am still here!"),
    [UIT_COUNTDOWN] =
        PLURAL("Otherwise we start again in %d second.", "Otherwise we start again in %d seconds."),
    [UIT_QUIT_QUESTION] = MSG("Do you want to stop?"),
    [UIT_QUIT_YES] = MSG("Yes, stop"),
    [UIT_QUIT_NO] = MSG("No, go on"),
    [UIT_THANKS] = MSG("Thank you!"),
    [UIT_THANKS_MORE] = MSG("You helped us a lot."),
    [UIT_FAULT_TITLE] = MSG("Please ask a member of staff."),
    [UIT_FAULT_DATABASE] = MSG("Answers cannot be saved at the moment."),
    [UIT_FAULT_CORRUPT] = MSG("The database is damaged. The kiosk is not collecting answers."),
    [UIT_FAULT_NO_FORMS] = MSG("No survey is set up."),
    [UIT_FAULT_DATA_DIR] = MSG("The data folder %s cannot be written. The kiosk is not collecting "
                               "answers; a technician must check the memory card."),
    [UIT_FAULT_FONTS] = MSG("The font file %s is missing. The kiosk is not collecting answers; a "
                            "technician must reinstall the package fonts-noto-core."),
    [UIT_FAULT_DISPLAY] = MSG("The screen's graphics (%s) draw nothing. The kiosk is not "
                              "collecting answers; a technician must check the display setup."),
    [UIT_FAULT_DISK_FULL] = MSG(
        "The kiosk's memory is almost full. New answers cannot be saved until staff make room."),
    [UIT_STAFF_ENTER_PIN] = MSG("Staff area: enter the PIN"),
    [UIT_STAFF_NEW_PIN] = MSG("Choose a new staff PIN (4 to 8 digits)"),
    [UIT_STAFF_REPEAT_PIN] = MSG("Enter the new PIN once more"),
    [UIT_STAFF_PIN_MISMATCH] = MSG("The two entries differ. Please choose the PIN again."),
    [UIT_STAFF_PIN_LENGTH] = MSG("A PIN has %d to 8 digits."),
    [UIT_STAFF_PIN_WRONG] = MSG("Wrong PIN."),
    [UIT_STAFF_LOCKED] = MSG("Too many wrong PINs. Please wait %d s."),
    [UIT_STAFF_CANCEL] = CTX("staff", "Cancel"),
    [UIT_STAFF_OVERVIEW] = MSG("Overview"),
    [UIT_STAFF_CLOCK] = MSG("Date and time"),
    [UIT_STAFF_FORMS] = MSG("Forms"),
    [UIT_STAFF_REVIEW] = MSG("Review"),
    [UIT_STAFF_EXPORT] = MSG("Export"),
    [UIT_STAFF_EXIT] = MSG("Back to the kiosk"),
    [UIT_STAFF_COUNTS] = MSG("%s: %d complete, %d abandoned, %d suspected misuse"),
    [UIT_STAFF_DAY_COUNTS] = MSG("On %s, %s: %d complete, %d abandoned"),
    [UIT_STAFF_PENDING] = MSG("Not yet exported: %d (%d of them suspected misuse)"),
    [UIT_STAFF_DISK] = MSG("Free space: %s"),
    [UIT_STAFF_LAST_EXPORT] = MSG("Last export: %s"),
    [UIT_STAFF_NO_EXPORT] = MSG("none yet"),
    [UIT_STAFF_CLOCK_NOW] = MSG("Clock: %s"),
    [UIT_STAFF_DAY] = MSG("Day"),
    [UIT_STAFF_MONTH] = MSG("Month"),
    [UIT_STAFF_YEAR] = MSG("Year"),
    [UIT_STAFF_HOUR] = MSG("Hour"),
    [UIT_STAFF_MINUTE] = MSG("Minute"),
    [UIT_STAFF_SET_CLOCK] = MSG("Set the clock"),
    [UIT_STAFF_CLOCK_DONE] = MSG("The clock is set."),
    [UIT_STAFF_CLOCK_FAILED] =
        MSG("The clock could not be set: the kiosk lacks the permission (CAP_SYS_TIME)."),
    [UIT_STAFF_FORM_ON] = CTX("form", "on"),
    [UIT_STAFF_FORM_OFF] = CTX("form", "off"),
    [UIT_STAFF_FORMS_HINT] = MSG("Tap a form to switch it on or off."),
    [UIT_STAFF_APPROVE] = MSG("Approve"),
    [UIT_STAFF_REJECT] = MSG("Reject"),
    [UIT_STAFF_REVIEW_NONE] = MSG("Nothing is waiting for review."),
    [UIT_STAFF_REVIEW_LEFT] = MSG("Waiting for review: %d"),
    [UIT_STAFF_NO_STICK] = MSG("No USB stick found. Plug one in and try again."),
    [UIT_STAFF_EXPORT_START] = MSG("Export now"),
    [UIT_STAFF_STICK] = MSG("USB stick: %s, %s free"),
    [UIT_STAFF_STICK_RO] = MSG("USB stick: %s (read-only: nothing can be written)"),
    [UIT_STAFF_STICK_NONE] = MSG("No USB stick is plugged in."),
    [UIT_STAFF_EJECT] = MSG("Eject the stick"),
    [UIT_STAFF_EXPORT_AGAIN] = MSG("Repeat the last export"),
    [UIT_STAFF_EJECTED] = MSG("The stick was ejected. It can be pulled out now."),
    [UIT_STAFF_EJECT_SYNCED] = MSG("Everything is written to the stick. It can be pulled out now."),
    [UIT_STAFF_EJECT_FAILED] =
        MSG("The stick cannot be reached any more. Was it pulled out already?"),
    [UIT_STAFF_IMPORT] = MSG("Import from the stick"),
    [UIT_STAFF_IMPORT_HINT] = MSG("Tap a form on the stick to check it and install it."),
    [UIT_STAFF_IMPORT_NONE] = MSG("No forms on the stick (in KM2KIOSK/forms or the top folder)."),
    [UIT_STAFF_IMPORT_BACK] = MSG("Back to the forms"),
    [UIT_STAFF_IMPORT_BAD] = MSG("%s cannot be used (%d problems):"),
    [UIT_STAFF_IMPORT_MORE] = MSG("… and %d more (see `km2kiosk check`)"),
    [UIT_STAFF_IMPORT_DONE] = MSG("The form %s is installed and offered now."),
    [UIT_STAFF_IMPORT_EXISTS] = MSG("Not imported: a form %s is installed already. A changed form "
                                    "needs a new form_id, or a technician replaces it."),
    [UIT_STAFF_IMPORT_FAILED] = MSG("The form could not be installed: %s"),
    [UIT_WS_PROMPT_CRITIQUE] = MSG("What bothers you?"),
    [UIT_WS_PROMPT_FANTASY] = MSG("It would be nice if …"),
    [UIT_WS_PROMPT_REALISATION] = MSG("What, who could help, when?"),
    [UIT_WS_PROMPT_VOTING] = MSG("Give your dots to the ideas you like best."),
    [UIT_WS_PROMPT_RESULTS] = MSG("This is what we chose together."),
    [UIT_WS_PHASE_CRITIQUE] = CTX("workshop", "Critique"),
    [UIT_WS_PHASE_FANTASY] = CTX("workshop", "Fantasy"),
    [UIT_WS_PHASE_REALISATION] = CTX("workshop", "Realisation"),
    [UIT_WS_PHASE_VOTING] = CTX("workshop", "Voting"),
    [UIT_WS_PHASE_RESULTS] = CTX("workshop", "Results"),
    [UIT_WS_ALL_PHASES] = CTX("workshop", "All"),
    [UIT_WS_ADD] = MSG("Add a card"),
    [UIT_WS_EMPTY_WALL] = MSG("No cards yet. Be the first!"),
    [UIT_WS_PART_TEXT] = CTX("card", "Write"),
    [UIT_WS_PART_TOPIC] = CTX("card", "Picture"),
    [UIT_WS_PART_DRAW] = CTX("card", "Draw"),
    [UIT_WS_PART_AGE] = CTX("card", "Age"),
    [UIT_WS_HINT_TEXT] = MSG("Write your idea."),
    [UIT_WS_HINT_TOPIC] = MSG("Choose a picture for your card."),
    [UIT_WS_HINT_DRAW] = MSG("Draw your idea."),
    [UIT_WS_HINT_AGE] = MSG("How old are you? (You may skip this.)"),
    [UIT_WS_CARD_EMPTY] = MSG("Write, choose a picture or draw something first."),
    [UIT_WS_PART_IDEA] = CTX("card", "Idea"),
    [UIT_WS_HINT_IDEA] = MSG("Which idea is your card about?"),
    [UIT_WS_NO_IDEAS] = MSG("There are no ideas on the wall yet."),
    [UIT_WS_CARD_NO_IDEA] = MSG("First choose the idea your card is about."),
    [UIT_WS_ABOUT_IDEA] = MSG("Idea: %s"),
    [UIT_WS_PIN_UP] = CTX("card", "Pin it up"),
    [UIT_WS_PENDING] = MSG("Your card is waiting for approval."),
    [UIT_WS_POSTED] = MSG("Your card is on the wall now."),
    [UIT_WS_ANOTHER] = MSG("Another card"),
    [UIT_WS_TO_WALL] = MSG("To the wall"),
    [UIT_WS_DOTS_LEFT] = PLURAL("You have %d dot left.", "You have %d dots left."),
    [UIT_WS_GIVE_DOTS] = CTX("button", "Give my dots"),
    [UIT_WS_VOTED] = MSG("Your dots are counted."),
    [UIT_WS_NO_DOTS] = MSG("All your dots are given."),
    [UIT_WS_TOPIC_PLAY] = CTX("topic", "Play"),
    [UIT_WS_TOPIC_SCHOOL] = CTX("topic", "School"),
    [UIT_WS_TOPIC_SAFETY] = CTX("topic", "Safety"),
    [UIT_WS_TOPIC_NATURE] = CTX("topic", "Nature"),
    [UIT_WS_TOPIC_SPORT] = CTX("topic", "Sport"),
    [UIT_WS_TOPIC_LEARNING] = CTX("topic", "Learning"),
    [UIT_WS_TOPIC_FRIENDS] = CTX("topic", "Friends"),
    [UIT_WS_TOPIC_FAMILY] = CTX("topic", "Family"),
    [UIT_WS_TOPIC_TRANSPORT] = CTX("topic", "Getting around"),
    [UIT_WS_TOPIC_CULTURE] = CTX("topic", "Culture"),
    [UIT_WS_VOTE_CRITIQUE] = MSG("What bothers you the most?"),
    [UIT_WS_VOTE_REALISATION] = MSG("Which plan should start first?"),
    [UIT_WS_OPPOSITE] = MSG("What's the opposite?"),
    [UIT_WS_OPPOSITE_OF] = MSG("The opposite of: %s"),
    [UIT_WS_PART_WHAT] = CTX("card", "What?"),
    [UIT_WS_HINT_WHAT] = MSG("What do we do first?"),
    [UIT_WS_PART_WHO] = CTX("card", "Who?"),
    [UIT_WS_HINT_WHO] = MSG("Who can help? Tap everyone who fits."),
    [UIT_WS_PART_WHEN] = CTX("card", "When?"),
    [UIT_WS_HINT_WHEN] = MSG("By when should it happen?"),
    [UIT_WS_PLAN_EMPTY] = MSG("Write, draw or choose who helps."),
    [UIT_WS_WHO_US] = CTX("helper", "We ourselves"),
    [UIT_WS_WHO_PARENTS] = CTX("helper", "Parents"),
    [UIT_WS_WHO_SCHOOL] = CTX("helper", "School"),
    [UIT_WS_WHO_KITA] = CTX("helper", "Daycare"),
    [UIT_WS_WHO_YOUTHCLUB] = CTX("helper", "Youth club"),
    [UIT_WS_WHO_CLUB] = CTX("helper", "Club"),
    [UIT_WS_WHO_LIBRARY] = CTX("helper", "Library"),
    [UIT_WS_WHO_CITY] = CTX("helper", "District or city"),
    [UIT_WS_WHO_COMPANIES] = CTX("helper", "Companies"),
    [UIT_WS_WHO_OPEN] = CTX("helper", "Who? Still open"),
    [UIT_WS_WHEN_WEEK] = CTX("when", "This week"),
    [UIT_WS_WHEN_MONTH] = CTX("when", "This month"),
    [UIT_WS_WHEN_SCHOOLYEAR] = CTX("when", "This school year"),
    [UIT_WS_WHEN_LATER] = CTX("when", "Later"),
    [UIT_WS_PLAN] = CTX("workshop", "Plan"),
    [UIT_WS_PLAN_TITLE] = MSG("Our plan"),
    [UIT_WS_NO_PLAN] = MSG("There is no plan yet."),
    [UIT_STAFF_WORKSHOP] = CTX("staff", "Workshop"),
    [UIT_STAFF_WS_TITLE] = MSG("Title: %s"),
    [UIT_STAFF_WS_QUESTION] = MSG("Question: %s"),
    [UIT_STAFF_WS_DOTS] = PLURAL("%d dot each", "%d dots each"),
    [UIT_STAFF_WS_APPROVAL] = MSG("Cards need approval"),
    [UIT_STAFF_WS_START] = MSG("Start the workshop"),
    [UIT_STAFF_WS_STATE] = MSG("Phase %s: %d cards on the wall, %d waiting for approval"),
    [UIT_STAFF_WS_MODERATE] = MSG("Approve cards (%d)"),
    [UIT_STAFF_WS_MERGE] = MSG("Merge cards"),
    [UIT_STAFF_WS_RESULTS] = MSG("Show the results"),
    [UIT_STAFF_WS_CLOSE] = MSG("Close the workshop"),
    [UIT_STAFF_WS_NONE_PENDING] = MSG("No card is waiting for approval."),
    [UIT_STAFF_WS_MERGE_FROM] = MSG("Tap the duplicate card first."),
    [UIT_STAFF_WS_MERGE_INTO] = MSG("Now tap the card it belongs to."),
    [UIT_STAFF_WS_MERGED] = MSG("The cards were merged."),
    [UIT_STAFF_WS_NO_LANG] = MSG("Choose at least one language."),
    [UIT_STAFF_WS_FAILED] = MSG("That could not be stored."),
    [UIT_STAFF_WS_ROUND_ABOUT] = MSG("Voting round %d is about: %s"),
    [UIT_STAFF_WS_ROUND_CRITIQUE] = MSG("Critique round"),
    [UIT_STAFF_WS_ROUND_FANTASY] = MSG("Idea round"),
    [UIT_STAFF_WS_ROUND_REALISATION] = MSG("Plan round"),
    [UIT_STAFF_CLOCK_DOUBT] = MSG(
        "Warning, the clock may be wrong (last known: %s)! Set or confirm it under Date and time."),
    [UIT_STAFF_CLOCK_DOUBT_DO] = MSG("The clock may be wrong (last known: %s). Until it is set or "
                                     "confirmed, answers are exported without a date."),
    [UIT_STAFF_CLOCK_CONFIRM] = MSG("The time shown is right"),
    [UIT_STAFF_CLOCK_CONFIRMED] = MSG("The time is confirmed."),
    [UIT_STAFF_KEPT] =
        MSG("On the kiosk: %d responses (%d exported, deleted after %d days), oldest: %s"),
    [UIT_STAFF_KEPT_FOREVER] =
        MSG("On the kiosk: %d responses (%d exported, never deleted), oldest: %s"),
    [UIT_STAFF_KEY] = MSG("Signing key"),
    [UIT_STAFF_KEY_NONE] = MSG("The kiosk's signing key cannot be read or created."),
    [UIT_STAFF_UNACKED] =
        PLURAL("Not yet confirmed by the evaluation office: %d export (since %s)",
               "Not yet confirmed by the evaluation office: %d exports (since %s)"),
    [UIT_STAFF_ALL_ACKED] = MSG("The evaluation office has confirmed every export."),
    [UIT_STAFF_KEPT_ACK] = MSG("On the kiosk: %d responses (%d exported, deleted %d days after the "
                               "office's confirmation), oldest: %s"),
    [UIT_STAFF_ACKS_NEW] = PLURAL("The evaluation office confirmed %d export.",
                                  "The evaluation office confirmed %d exports."),
    [UIT_STAFF_ACKS_BAD] = PLURAL("%d receipt on the stick was not accepted (not from the "
                                  "evaluation office, or it fits no export).",
                                  "%d receipts on the stick were not accepted (not from the "
                                  "evaluation office, or they fit no export)."),
    [UIT_EXPORT_DONE] =
        PLURAL("Export done: %d response in %s.", "Export done: %d responses in %s."),
    [UIT_EXPORT_DONE_WORKSHOPS] =
        PLURAL("It also holds %d workshop (cards: %d).", "It also holds %d workshops (cards: %d)."),
    [UIT_EXPORT_DONE_HELD] = PLURAL("%d response is still waiting until there are at least %d.",
                                    "%d responses are still waiting until there are at least %d."),
    [UIT_EXPORT_EJECT_HINT] = MSG("The stick can be ejected now."),
    [UIT_EXPORT_NOTHING] = MSG("There are no new responses to export."),
    [UIT_EXPORT_NOTHING_REDO] = MSG("No responses of this export are stored any more."),
    [UIT_EXPORT_TOO_FEW] = PLURAL(
        "Too few responses for an export yet: %d is waiting, at least %d are needed (to protect "
        "anonymity). It stays stored and goes out with the next export.",
        "Too few responses for an export yet: %d are waiting, at least %d are needed (to protect "
        "anonymity). They stay stored and go out with the next export."),
    [UIT_EXPORT_FAILED] =
        MSG("The export failed. Nothing was marked as exported. Please call technical support."),
    [UIT_EXPORT_NO_SUCH_BATCH] = MSG("There is no export with the number %s."),
    [UIT_EXPORT_KIOSK_FULL] =
        MSG("There is no room on the kiosk for the export. Please call technical support."),
    [UIT_EXPORT_STICK_FULL] = MSG("The stick is full. Please make room or use another stick. "
                                  "Nothing was marked as exported."),
    [UIT_EXPORT_STICK_READONLY] = MSG("The stick is write-protected. Please remove the write "
                                      "protection or use another stick. Nothing was marked as "
                                      "exported."),
    [UIT_EXPORT_STICK_GONE] = MSG("The stick was removed while writing, or it is broken. Please "
                                  "plug it in again and repeat the export. Nothing was marked as "
                                  "exported."),
    [UIT_EXPORT_STICK_DIFFERS] = MSG("The copy on the stick does not match the original. Please "
                                     "use another stick. Nothing was marked as exported."),
    [UIT_EXPORT_STICK_UNFIT] = MSG("The export holds a file name or a file that a USB stick "
                                   "cannot store. Please call technical support."),
    [UIT_EXPORT_STICK_EXISTS] = MSG("%s is on the stick already."),
    [UIT_EXPORT_UNVERIFIED] = MSG("The copy on the stick could not be confirmed. Please use "
                                  "another stick. Nothing was marked as exported."),
    [UIT_EXPORT_LEDGER] = MSG("The export could not be recorded on the kiosk and was removed from "
                              "the stick again. Please call technical support."),
    [UIT_STAFF_IMPORT_NO_ROOM] = MSG("there is no room on the kiosk"),
    [UIT_STAFF_IMPORT_UNREADABLE] = MSG("the stick could not be read (was it pulled out?)"),
    [UIT_EXPORT_PHASE_BUILDING] = MSG("Export running: preparing the batch on the kiosk …"),
    [UIT_EXPORT_PHASE_WRITING] =
        MSG("Export running: writing to the stick, file %d of %d (%s of %s)"),
    [UIT_EXPORT_PHASE_READING_BACK] =
        MSG("Export running: reading back from the stick, file %d of %d (%s of %s)"),
    [UIT_EXPORT_PHASE_VERIFYING] = MSG("Export running: checking the copy on the stick …"),
    [UIT_EXPORT_BUSY] = MSG("An export is running. Please wait until it has finished."),
    [UIT_EXPORT_BUSY_STAY] = MSG("An export is running: staff mode stays open until it has "
                                 "finished. Please do not pull the stick out."),
};

/* The languages with a catalog in assets/po; any other code reads German. */
static const char *const g_catalog_langs[] = {"de", "en", "tr", "ar", "uk", "ru"};

static const struct {
    const char *code, *name;
    int rtl;
} g_endonyms[] = {
    {"de", "Deutsch", 0}, {"en", "English", 0},    {"tr", "Türkçe", 0},
    {"ar", "العربية", 1}, {"uk", "Українська", 0}, {"ru", "Русский", 0},
    {"fa", "فارسی", 1},   {"pl", "Polski", 0},     {"fr", "Français", 0},
};

#define N_CATALOG_LANGS (sizeof g_catalog_langs / sizeof g_catalog_langs[0])

static bool g_ready; /* uitext_init bound the catalogs */
/* The text domain of each catalog language: "km2kiosk-de", … */
static char g_domain[N_CATALOG_LANGS][UITEXT_DOMAIN_MAX];

static bool has_catalog(const char *dir)
{
    char path[PATH_MAX];
    int n = snprintf(path, sizeof path, "%s/de/LC_MESSAGES/" UITEXT_DOMAIN "-de.mo", dir);
    return n > 0 && (size_t)n < sizeof path && access(path, R_OK) == 0;
}

/* The catalogs found from where the executable is: the "locale" folder
 * next to it (build/locale for build/km2kiosk, so a build directory other
 * than the configured one works), else ../share/km2kiosk/locale (the
 * package's /usr/share/km2kiosk/locale for /usr/bin/km2kiosk run without
 * its kiosk.conf). */
static bool exe_locale_dir(char *out, size_t size)
{
    static const char *const rel[] = {"locale", "../share/km2kiosk/locale"};
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return false;
    exe[n] = '\0';
    const char *dir = dirname(exe);
    for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
        int m = snprintf(out, size, "%s/%s", dir, rel[i]);
        if (m > 0 && (size_t)m < size && has_catalog(out))
            return true;
    }
    return false;
}

KsStatus uitext_init(const char *locale_dir)
{
    /* gettext ignores LANGUAGE while the messages locale is plain "C";
     * C.UTF-8 is built into glibc since 2.35. Only the messages category
     * is set: the texts come out in UTF-8 whatever the others say
     * (bind_textdomain_codeset below), and loading every category of a
     * locale costs the start its files. */
    if (!setlocale(LC_MESSAGES, "C.UTF-8")) {
        if (setlocale(LC_MESSAGES, "C.utf8"))
            LOG_WARN("locale C.UTF-8 not available, using C.utf8");
        else
            LOG_WARN("neither C.UTF-8 nor C.utf8 is available: UI texts may stay English");
    }

    char dir[PATH_MAX], alt[PATH_MAX];
    const char *use = locale_dir && locale_dir[0] ? locale_dir : "build/locale";
    if (!has_catalog(use)) {
        if (exe_locale_dir(alt, sizeof alt)) {
            LOG_WARN("no UI texts in %s; using %s", use, alt);
            use = alt;
        } else {
            LOG_WARN("no UI texts in %s (%s/de/LC_MESSAGES/%s-de.mo): texts stay English", use, use,
                     UITEXT_DOMAIN);
            g_ready = false;
            return KS_ERR_NOT_FOUND;
        }
    }
    /* An absolute path keeps the catalogs found if the working directory
     * changes later. */
    if (!realpath(use, dir))
        str_copy(dir, sizeof dir, use);
    /* gettext searches each language folder LANGUAGE lists for a domain's
     * catalog; the domain km2kiosk-<lang> exists only in the folder <lang>,
     * so a lookup finds the language its domain names, whatever the
     * respondent chose. LANGUAGE is set here once, never again. */
    char list[N_CATALOG_LANGS * 4] = "";
    size_t used = 0;
    for (size_t i = 0; i < N_CATALOG_LANGS; i++) {
        snprintf(g_domain[i], sizeof g_domain[i], UITEXT_DOMAIN "-%s", g_catalog_langs[i]);
        if (!bindtextdomain(g_domain[i], dir) || !bind_textdomain_codeset(g_domain[i], "UTF-8")) {
            LOG_WARN("cannot bind the UI texts in %s: texts stay English", dir);
            g_ready = false;
            return KS_ERR_NOT_FOUND;
        }
        int n = snprintf(list + used, sizeof list - used, "%s%s", i ? ":" : "", g_catalog_langs[i]);
        if (n > 0 && (size_t)n < sizeof list - used)
            used += (size_t)n;
    }
    if (setenv("LANGUAGE", list, 1) != 0) {
        LOG_WARN("cannot set LANGUAGE=%s: texts stay English", list);
        g_ready = false;
        return KS_ERR_NOT_FOUND;
    }
    /* The C library's own messages (strerror in the log) stay English: its
     * catalogs are never found. */
    bindtextdomain("libc", "/nonexistent");
    g_ready = true;
    LOG_INFO("UI texts from %s", dir);
    return KS_OK;
}

/* The text domain of `lang` (German's when it has no catalog). */
static const char *domain_of(const char *lang)
{
    for (size_t i = 0; lang && i < N_CATALOG_LANGS; i++)
        if (strcmp(g_catalog_langs[i], lang) == 0)
            return g_domain[i];
    return g_domain[0];
}

/* The translation of m for count n (n matters only for plural texts). The
 * strings live in the mapped catalogs, which glibc never unloads. */
static const char *lookup(const char *lang, const UiMsg *m, unsigned long n)
{
    if (!m->key) /* an id added to uitext.h but not to g_msgs */
        return "";
    if (!g_ready)
        return m->plural && n != 1 ? m->plural : m->english;
    const char *domain = domain_of(lang);
    const char *t = m->plural ? dngettext(domain, m->key, m->plural, n) : dgettext(domain, m->key);
    /* Untranslated: gettext hands back the key, which for a text with a
     * context still carries "context\004". */
    if (t == m->key)
        return m->english;
    return t;
}

const char *uitext_get(const char *lang, UiTextId id)
{
    if (id < 0 || id >= UIT_COUNT)
        return "";
    return lookup(lang, &g_msgs[id], 5);
}

int uitext_translated(const char *lang, UiTextId id)
{
    if (!g_ready || id < 0 || id >= UIT_COUNT || !g_msgs[id].key)
        return 0;
    size_t i = 0;
    while (lang && i < N_CATALOG_LANGS && strcmp(g_catalog_langs[i], lang) != 0)
        i++;
    if (!lang || i == N_CATALOG_LANGS)
        return 0;
    const UiMsg *m = &g_msgs[id];
    const char *t =
        m->plural ? dngettext(g_domain[i], m->key, m->plural, 5) : dgettext(g_domain[i], m->key);
    return t != m->key && t != m->plural;
}

const char *uitext_endonym(const char *code)
{
    for (size_t i = 0; code && i < sizeof g_endonyms / sizeof g_endonyms[0]; i++)
        if (strcmp(g_endonyms[i].code, code) == 0)
            return g_endonyms[i].name;
    return NULL;
}

int uitext_is_rtl(const char *code)
{
    for (size_t i = 0; code && i < sizeof g_endonyms / sizeof g_endonyms[0]; i++)
        if (strcmp(g_endonyms[i].code, code) == 0)
            return g_endonyms[i].rtl;
    return 0;
}

void uitext_format(char *buf, int size, const char *lang, UiTextId id, ...)
{
    if (size <= 0)
        return;
    if (id < 0 || id >= UIT_COUNT) {
        buf[0] = '\0';
        return;
    }
    va_list ap;
    va_start(ap, id);
    unsigned long n = 5;
    if (g_msgs[id].plural) {
        /* The count is the first argument of every plural text. */
        va_list peek;
        va_copy(peek, ap);
        int count = va_arg(peek, int);
        va_end(peek);
        n = count < 0 ? (unsigned long)-(long)count : (unsigned long)count;
    }
    /* The formats are the msgids above and their translations, which
     * `msgfmt --check` holds to the same %d conversions, so a non-literal
     * format is safe here. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    vsnprintf(buf, (size_t)size, lookup(lang, &g_msgs[id], n), ap);
#pragma GCC diagnostic pop
    va_end(ap);
}
