"""A tour of every Zukunftswerkstatt screen: staff start a workshop, a
participant writes a card in `lang` (text, topic picture, drawing, age),
staff moderate it, merge two cards, a fantasy idea and a realisation card
about it (the Idee part) go up, staff switch to voting, the participant
gives dots, staff show the results full-screen and close the workshop.

    ws_tour(db, size, lang, on_screen, config=None, forms=SAMPLE_FORMS)

calls on_screen(kiosk, dump, name) for every screen shown; `name` is a short
stable label ("ws03-card-text") for file names."""
from kiosk import SAMPLE_FORMS, check
from tour import Kiosk

PIN = "2468"


def staff_in(k, first):
    """The staff gesture and the PIN (chosen twice on a fresh database)."""
    k.do("press 5 5 3100")
    for _ in range(2 if first else 1):
        for digit in PIN:
            k.do(f"touch pin:{digit}")
        k.do("touch pin:ok")


def taps(k, ids, wait=150):
    """Taps one after another, a little apart (no burst)."""
    for i in ids:
        k.do(f"touch {i}")
        k.do(f"wait {wait}")


def letters(dump, n):
    """The first n letter keys of the keyboard shown."""
    special = {"key:backspace", "key:space", "key:symbols", "key:layout", "key:shift"}
    keys = [t["id"] for t in dump["targets"] if t["id"].startswith("key:") and t["id"] not in special]
    return keys[:n]


def write_text_card(k, lang):
    """A participant pins up a card of three letters."""
    k.do("touch start")
    k.do(f"touch lang:{lang}")
    k.do("touch ws:add")
    taps(k, letters(k.dump(), 3))
    k.do("touch ws:confirm")
    k.do("touch ws:wall")
    k.do("touch ws:exit")


def approve_one(k):
    """Staff approve the oldest pending card; the workshop page stays."""
    staff_in(k, False)
    k.do("touch staff:workshop")
    k.do("touch ws:moderate")
    k.do("touch ws:approve")
    k.do("touch ws:back")


def ws_tour(db, size, lang, on_screen, config=None, forms=SAMPLE_FORMS):
    k = Kiosk(db, size, forms, config)

    def show(name):
        d = k.dump()
        on_screen(k, d, name)
        return d

    staff_in(k, True)
    k.do("touch staff:workshop")
    show("ws01-staff-setup")
    k.do("touch ws:set:question")
    show("ws02-staff-edit")
    k.do("touch ws:edit:ok")
    k.do("touch ws:start")
    d = show("ws03-staff-control")
    check(any(t["id"] == "ws:phase:critique" and t["selected"] for t in d["targets"]),
          f"{size} {lang}: no workshop started: {[t['id'] for t in d['targets']]}")
    k.do("touch staff:exit")

    # A participant writes a card with every part.
    k.do("touch start")
    show("ws04-language")
    k.do(f"touch lang:{lang}")
    show("ws05-wall-empty")
    k.do("touch ws:add")
    d = show("ws06-card-text")
    taps(k, letters(d, 4))
    show("ws07-card-typed")
    k.do("touch ws:topics")
    k.do("touch ws:topic:play")
    show("ws08-card-topic")
    k.do("touch ws:draw")
    k.do("drag canvas 0.1 0.1 0.9 0.9 400")
    show("ws09-card-draw")
    k.do("touch ws:ages")
    k.do("touch ws:age:10-13")
    show("ws10-card-age")
    k.do("touch ws:confirm")
    d = show("ws11-sent")
    check(d["screen"] == "ws_sent", f"{size} {lang}: card not sent: {d['screen']} {d['message']}")
    k.do("touch ws:add")
    k.do("touch ws:confirm")
    show("ws12-card-empty")
    k.do("touch ws:cancel")
    k.do("touch ws:exit")

    # Staff approve it; a second card (text only) goes up too.
    staff_in(k, False)
    k.do("touch staff:workshop")
    k.do("touch ws:moderate")
    show("ws13-staff-moderate")
    k.do("touch ws:approve")
    show("ws14-staff-moderate-none")
    k.do("touch ws:back")
    k.do("touch staff:exit")
    k.do("touch start")
    k.do(f"touch lang:{lang}")
    k.do("touch ws:add")
    d = k.dump()
    taps(k, letters(d, 3))
    k.do("touch ws:confirm")
    k.do("touch ws:wall")
    k.do("touch ws:exit")
    staff_in(k, False)
    k.do("touch staff:workshop")
    k.do("touch ws:moderate")
    k.do("touch ws:approve")
    k.do("touch ws:back")
    k.do("touch staff:exit")
    k.do("touch start")
    k.do(f"touch lang:{lang}")
    show("ws15-wall")
    k.do("touch ws:exit")

    # Merging, then voting.
    staff_in(k, False)
    k.do("touch staff:workshop")
    k.do("touch ws:merge")
    d = show("ws16-staff-merge")
    cards = [t["id"] for t in d["targets"] if t["id"].startswith("merge:")]
    check(len(cards) == 2, f"{size} {lang}: merge page shows {cards}")
    k.do(f"touch {cards[1]}")
    show("ws17-staff-merge-into")
    k.do("touch ws:back")

    # An idea in the fantasy phase, then a realisation card about it.
    k.do("touch ws:phase:fantasy")
    k.do("touch staff:exit")
    write_text_card(k, lang)
    approve_one(k)
    k.do("touch ws:phase:realisation")
    k.do("touch staff:exit")
    k.do("touch start")
    k.do(f"touch lang:{lang}")
    k.do("touch ws:add")
    d = show("ws26-card-ideas")
    ideas = [t["id"] for t in d["targets"] if t["id"].startswith("ws:idea:")]
    check(len(ideas) == 1, f"{size} {lang}: ideas offered {ideas}")
    k.do("touch ws:text")
    taps(k, letters(k.dump(), 3))
    k.do("touch ws:confirm")
    show("ws27-card-no-idea")
    k.do("touch ws:ideas")
    k.do(f"touch {ideas[0]}")
    show("ws28-card-idea-chosen")
    k.do("touch ws:confirm")
    d = k.dump()
    check(d["screen"] == "ws_sent", f"{size} {lang}: realisation card not sent: {d['title']}")
    k.do("touch ws:wall")
    k.do("touch ws:exit")
    approve_one(k)
    k.do("touch staff:exit")
    k.do("touch start")
    k.do(f"touch lang:{lang}")
    d = show("ws29-wall-realisation")
    check(len([t for t in d["targets"] if t["id"].startswith("card:")]) == 1,
          f"{size} {lang}: the realisation wall: {[t['id'] for t in d['targets']]}")
    k.do("touch ws:exit")
    staff_in(k, False)
    k.do("touch staff:workshop")
    k.do("touch ws:phase:voting")
    show("ws18-staff-voting")
    k.do("touch staff:exit")
    k.do("touch start")
    k.do(f"touch lang:{lang}")
    d = show("ws19-vote")
    votes = [t["id"] for t in d["targets"] if t["id"].startswith("vote:") and t["id"] != "vote:confirm"]
    taps(k, [votes[0], votes[0], votes[-1]], wait=300)
    show("ws20-vote-spent")
    k.do("touch vote:confirm")
    show("ws21-voted")
    k.do("touch done")

    # Results, for everyone and full-screen for staff; then close.
    staff_in(k, False)
    k.do("touch staff:workshop")
    k.do("touch ws:phase:results")
    k.do("touch ws:results")
    show("ws22-staff-results")
    k.do("touch ws:back")
    k.do("touch staff:exit")
    k.do("touch start")
    k.do(f"touch lang:{lang}")
    show("ws23-results")
    k.do("touch ws:rphase:critique")
    show("ws24-results-critique")
    k.do("touch done")
    staff_in(k, False)
    k.do("touch staff:workshop")
    k.do("touch ws:close")
    show("ws25-staff-closed")
    k.do("touch staff:exit")
    k.close()
