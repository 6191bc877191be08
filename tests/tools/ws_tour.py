"""A tour of every Zukunftswerkstatt screen: staff start a workshop, a
participant writes a card in `lang` (text, topic picture, drawing, age),
staff moderate it, merge two cards, a critique voting round, a fantasy idea
written as the opposite of a critique card (the wall's starting points),
plan cards about it (idea, what first, who helps, by when), an idea voting
round, the results of each round and the plan, for the participant and
full-screen for staff; then staff close the workshop.

    ws_tour(db, size, lang, on_screen, config=None, forms=SAMPLE_FORMS)

calls on_screen(kiosk, dump, name) for every screen shown; `name` is a short
stable label ("ws03-card-text") for file names."""
import os
import threading

from kiosk import REPO, SAMPLE_FORMS, check
from tour import Kiosk, ids

PIN = "2468"


def with_locale(config):
    """The configuration with the UI texts of the build under test
    ($KS_BUILD or $BUILD, e.g. build-ws/locale): the kiosk's default is
    build/locale, which another build directory may hold stale."""
    build = os.environ.get("KS_BUILD") or os.environ.get("BUILD")
    loc = os.path.join(REPO, build, "locale") if build else ""
    if not config or not build or not os.path.isdir(loc):
        return config
    with open(config) as f:
        text = f.read()
    path = f"{config}.{build.replace('/', '_')}.conf"
    tmp = f"{path}.{os.getpid()}.{threading.get_ident()}"
    with open(tmp, "w") as f:
        f.write(f"{text}locale_dir = {loc}\n")
    os.replace(tmp, path)
    return path


def staff_in(k, first):
    """The staff gesture and the PIN (chosen twice on a fresh database)."""
    k.do("press 5 5 3100")
    for _ in range(2 if first else 1):
        for digit in PIN:
            k.do(f"touch pin:{digit}")
        k.do("touch pin:ok")


def workshop_page(k):
    """Staff, back again, on the workshop page."""
    staff_in(k, False)
    k.do("touch staff:workshop")


def to_wall(k, lang):
    """Staff leave; a participant starts in lang (the wall, or a vote)."""
    k.do("touch staff:exit")
    k.do("touch start")
    k.do(f"touch lang:{lang}")


def phase(k, name, vote_on=None):
    """Staff move the workshop to a phase (voting: a round about vote_on's
    cards); the workshop page stays."""
    workshop_page(k)
    k.do(f"touch ws:phase:{name}")
    if vote_on:
        k.do(f"touch ws:vphase:{vote_on}")


def votes_of(dump):
    """The cards a voting page offers."""
    return [i for i in ids(dump, "vote:") if i != "vote:confirm"]


def taps(k, targets, wait=150):
    """Taps one after another, a little apart (no burst)."""
    for i in targets:
        k.do(f"touch {i}")
        k.do(f"wait {wait}")


def letters(dump, n):
    """The first n letter keys of the keyboard shown."""
    special = {"key:backspace", "key:space", "key:symbols", "key:layout", "key:shift"}
    keys = [t["id"] for t in dump["targets"] if t["id"].startswith("key:") and t["id"] not in special]
    return keys[:n]


def write_text_card(k, lang, start=True):
    """A participant pins up a card of three letters (after `touch start`
    and the language, unless start is false)."""
    if start:
        k.do("touch start")
        k.do(f"touch lang:{lang}")
    k.do("touch ws:add")
    taps(k, letters(k.dump(), 3))
    k.do("touch ws:confirm")
    k.do("touch ws:wall")
    k.do("touch ws:exit")


def approve_one(k):
    """Staff approve the oldest pending card; the workshop page stays."""
    workshop_page(k)
    k.do("touch ws:moderate")
    k.do("touch ws:approve")
    k.do("touch ws:back")


def ws_tour(db, size, lang, on_screen, config=None, forms=SAMPLE_FORMS):
    k = Kiosk(db, size, forms, with_locale(config))

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
    workshop_page(k)
    k.do("touch ws:moderate")
    show("ws13-staff-moderate")
    k.do("touch ws:approve")
    show("ws14-staff-moderate-none")
    k.do("touch ws:back")
    to_wall(k, lang)
    write_text_card(k, lang, start=False)
    approve_one(k)
    to_wall(k, lang)
    show("ws15-wall")
    k.do("touch ws:exit")

    # Merging, then voting.
    workshop_page(k)
    k.do("touch ws:merge")
    d = show("ws16-staff-merge")
    cards = ids(d, "merge:")
    check(len(cards) == 2, f"{size} {lang}: merge page shows {cards}")
    k.do(f"touch {cards[1]}")
    show("ws17-staff-merge-into")
    k.do("touch ws:back")

    # A voting round about the critique.
    k.do("touch ws:phase:voting")
    k.do("touch ws:vphase:critique")
    show("ws18-staff-voting")
    to_wall(k, lang)
    d = show("ws35-vote-critique")
    votes = votes_of(d)
    check(len(votes) == 2, f"{size} {lang}: critique round offers {votes}")
    taps(k, [votes[-1], "vote:confirm"], wait=300)
    k.do("touch done")

    # Fantasy: the top critique cards as starting points; one answered.
    phase(k, "fantasy")
    to_wall(k, lang)
    d = show("ws30-wall-starters")
    starters = ids(d, "ws:answer:")
    check(len(starters) == 2, f"{size} {lang}: starting points {starters}")
    k.do(f"touch {starters[0]}")
    d = show("ws31-card-opposite")
    taps(k, letters(d, 3))
    k.do("touch ws:confirm")
    k.do("touch ws:wall")
    k.do("touch ws:exit")
    approve_one(k)

    # Verwirklichung: plan cards about the idea.
    k.do("touch ws:phase:realisation")
    to_wall(k, lang)
    k.do("touch ws:add")
    d = show("ws26-card-ideas")
    ideas = ids(d, "ws:idea:")
    check(len(ideas) == 1, f"{size} {lang}: ideas offered {ideas}")
    k.do("touch ws:text")
    d = show("ws34-card-what")
    taps(k, letters(d, 3))
    k.do("touch ws:confirm")
    show("ws27-card-no-idea")
    k.do("touch ws:ideas")
    k.do(f"touch {ideas[0]}")
    show("ws28-card-idea-chosen")
    k.do("touch ws:who")
    taps(k, ["ws:who:us", "ws:who:parents"])
    show("ws32-card-who")
    k.do("touch ws:when")
    k.do("touch ws:when:week")
    show("ws33-card-when")
    k.do("touch ws:confirm")
    d = k.dump()
    check(d["screen"] == "ws_sent", f"{size} {lang}: plan card not sent: {d['title']}")
    # A second plan card from pictures only; first the empty one.
    k.do("touch ws:add")
    k.do(f"touch {ideas[0]}")
    k.do("touch ws:confirm")
    show("ws39-card-plan-empty")
    taps(k, ["ws:who", "ws:who:city", "ws:when", "ws:when:later", "ws:confirm"])
    d = k.dump()
    check(d["screen"] == "ws_sent", f"{size} {lang}: tile plan card not sent: {d['title']}")
    k.do("touch ws:wall")
    k.do("touch ws:exit")
    approve_one(k)
    k.do("touch ws:moderate")
    k.do("touch ws:approve")
    k.do("touch ws:back")
    to_wall(k, lang)
    d = show("ws29-wall-realisation")
    check(len(ids(d, "card:")) == 2, f"{size} {lang}: the realisation wall: {ids(d, '')}")
    k.do("touch ws:exit")

    # A voting round about the ideas.
    phase(k, "voting", vote_on="fantasy")
    show("ws40-staff-voting-ideas")
    to_wall(k, lang)
    d = show("ws19-vote")
    votes = votes_of(d)
    check(len(votes) == 1, f"{size} {lang}: idea round offers {votes}")
    taps(k, [votes[0], votes[0], votes[-1]], wait=300)
    show("ws20-vote-spent")
    k.do("touch vote:confirm")
    show("ws21-voted")
    k.do("touch done")

    # Results, for everyone and full-screen for staff; then close.
    phase(k, "results")
    k.do("touch ws:results")
    show("ws22-staff-results")
    k.do("touch ws:plan")
    show("ws38-staff-results-plan")
    k.do("touch ws:back")
    to_wall(k, lang)
    show("ws23-results")
    k.do("touch ws:round:1")
    show("ws24-results-round1")
    k.do("touch ws:plan")
    d = show("ws36-results-plan")
    check(len(ids(d, "plan:who:")) == 2, f"{size} {lang}: plan page 1: {ids(d, '')}")
    k.do("touch ws:page:next")
    show("ws37-results-plan-2")
    k.do("touch done")
    workshop_page(k)
    k.do("touch ws:close")
    show("ws25-staff-closed")
    k.do("touch staff:exit")
    k.close()
