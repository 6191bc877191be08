"""Checks the workshop files of an export batch as a receiver reads them
(csv, json): used by tests/unit/test_workshop_export.c with the bag folder
and the kiosk database. Not a scenario of its own (the leading underscore
keeps tests/run.sh from running it). Exits non-zero with a message when a
check fails."""
import csv
import json
import os
import re
import sqlite3
import sys


def fail(msg):
    print("workshop export check:", msg)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def check_plan(data, cards, tree, nature):
    """workshop-1-plan.csv and .md: the approved plan cards about approved
    ideas, the idea with the most dots first, grouped by helper in the .md."""
    plan = read_csv(os.path.join(data, "workshop-1-plan.csv"))
    check(len(plan) == 3, "want 3 plan rows, got %s" % plan)
    ids = {c["card_id"] for c in cards if c["phase"] == "realisation"}
    check({p["card_id"] for p in plan} <= ids, "plan ids not those of the cards file")
    first, second = plan[:2], plan[2]
    for p in first:
        check((p["idea_card_id"], p["idea"], p["dots"], p["idea_rank"])
              == (tree["card_id"], "Ein Baumhaus", "5", "1"), "the tree house's plan: %s" % p)
    by_who = {p["who"]: p for p in first}
    talk = by_who.get("parents school")
    check(talk and (talk["what"], talk["when"], talk["drawing"], talk["masked"])
          == ("Wir fragen den Hausmeister", "month", "", "0"), "plan card: %s" % plan)
    drawn = by_who.get("us")
    check(drawn and drawn["what"] == "" and drawn["when"] == "week"
          and drawn["drawing"].startswith("workshop-1-drawings/")
          and os.path.exists(os.path.join(data, drawn["drawing"])), "drawn plan: %s" % drawn)
    check((second["idea_card_id"], second["idea"], second["dots"], second["idea_rank"],
           second["who"], second["when"], second["masked"])
          == (nature["card_id"], "Natur", "0", "2", "", "later", "1")
          and "[entfernt]" in second["what"] and second["what"].startswith("Bäume pflanzen"),
          "the nature idea's plan: %s" % second)
    with open(os.path.join(data, "workshop-1-plan.md"), encoding="utf-8") as f:
        md = f.read()
    if os.environ.get("KS_SHOW_PLAN"):
        print(md)
    want = ["# Unser Plan: Kiezwerkstatt Test", "Unser Kiez in 5 Jahren",
            "Zukunftswerkstatt vom 2026-11-24", "## 1. Ein Baumhaus (5 Punkte)",
            "### Wir selbst", "- (eine Zeichnung: %s) – bis: diese Woche" % drawn["drawing"],
            "### Eltern", "- Wir fragen den Hausmeister – bis: diesen Monat", "### Schule",
            "## 2. Natur (0 Punkte)", "### Wer hilft? Noch offen",
            "- Bäume pflanzen, Mail an \\[entfernt\\] – bis: später"]
    at = -1
    for line in want:
        i = md.find(line)
        check(i > at, "plan.md: %r missing or out of order:\n%s" % (line, md))
        at = i if not line.startswith("- Wir fragen") else at
    check(md.count("- Wir fragen den Hausmeister") == 2, "a card under each of its helpers")
    check("Bezirk" not in md and "geheim" not in md, "an unapproved plan card in the .md")


def main():
    bag, db = sys.argv[1], sys.argv[2]
    data = os.path.join(bag, "data")
    cards = read_csv(os.path.join(data, "workshop-1-cards.csv"))
    votes = read_csv(os.path.join(data, "workshop-1-votes.csv"))

    check(len(cards) == 7, "want 7 approved wall cards, got %d" % len(cards))
    texts = {c["text"] for c in cards}
    for gone in ("Doof", "nie geprüft", "Baumhaus bitte!", "geheim geplant"):
        check(gone not in texts, "%r (rejected, pending or merged) was exported" % gone)
    for c in cards:
        check(re.fullmatch(r"[0-9A-Z]{10}", c["card_id"]), "card_id %r" % c["card_id"])
    check(len({c["card_id"] for c in cards}) == 7, "card ids not unique")
    check(not any(k in cards[0] for k in ("id", "workshop_id", "token", "author")),
          "an id or token column: %s" % list(cards[0]))

    by_text = {c["text"]: c for c in cards}
    tree = by_text["Ein Baumhaus"]
    check(tree["votes"] == "5" and tree["merged_cards"] == "1" and tree["rank"] == "1",
          "merged votes not folded in: %s" % tree)
    check(tree["phase"] == "fantasy" and tree["topic"] == "play" and tree["age_band"] == "10-13",
          "card fields: %s" % tree)
    masked = [c for c in cards if c["text"].startswith("Zu viel Müll")][0]
    check("[entfernt]" in masked["text"] and "example.org" not in masked["text"],
          "contact data not masked: %r" % masked["text"])
    check(masked["masked"] == "1" and masked["votes"] == "1" and masked["rank"] == "2",
          "masked card: %s" % masked)
    ar = by_text["ملعب أكبر"]
    check(ar["lang"] == "ar" and ar["age_band"] == "", "age band of a lone group kept: %s" % ar)
    check(ar["votes"] == "0" and ar["votes_flagged"] == "1" and ar["rank"] == "3",
          "flagged votes not apart: %s" % ar)
    nature = [c for c in cards if c["topic"] == "nature"][0]
    check(nature["text"] == "" and nature["votes"] == "0", "topic card: %s" % nature)

    # the drawing
    check(tree["drawing"] == "workshop-1-drawings/%s.png" % tree["card_id"],
          "drawing name %r" % tree["drawing"])
    with open(os.path.join(data, tree["drawing"]), "rb") as f:
        png = f.read()
    check(png.startswith(b"\x89PNG") and b"ws-drawing-test!" in png, "drawing bytes differ")
    drawn_plan = [c for c in cards if c["phase"] == "realisation" and c["drawing"]]
    check(len(drawn_plan) == 1 and drawn_plan[0]["who"] == "us"
          and drawn_plan[0]["by_when"] == "week", "the drawn plan card: %s" % drawn_plan)
    check(all(c["drawing"] == "" for c in cards if c is not tree and c is not drawn_plan[0]),
          "a drawing too many")

    # votes per card and round, same ids
    check({v["card_id"] for v in votes} == {c["card_id"] for c in cards}, "vote card ids")
    check(list(votes[0]) == ["card_id", "dots_round_1", "dots_round_2", "dots_flagged"],
          "vote columns %s" % list(votes[0]))
    vt = {v["card_id"]: v for v in votes}
    check(vt[tree["card_id"]]["dots_round_1"] == "5", "round dots of the merged card")
    check(vt[tree["card_id"]]["dots_round_2"] == "0", "an idea in the critique round")
    check(vt[masked["card_id"]]["dots_round_2"] == "1", "the critique round")
    check(vt[ar["card_id"]]["dots_flagged"] == "1", "flagged dots per card")

    check_plan(data, cards, tree, nature)

    # a batch without responses still has the responses file: its header only,
    # the batch columns first (site_code after form_version)
    with open(os.path.join(data, "responses.csv"), "rb") as f:
        head = f.read()
    check(head.startswith(b"response_id,form,form_version,site_code,lang,audience,period,"
                          b"clock_doubt") and head.endswith(b"\r\n") and head.count(b"\n") == 1,
          "responses.csv of a workshop batch: %r" % head[:120])
    for name in ("workshop-1-cards.csv", "workshop-1-votes.csv", "workshop-1-plan.csv"):
        with open(os.path.join(data, name), "rb") as f:
            blob = f.read()
        check(not blob.startswith(b"\xef\xbb\xbf") and blob.endswith(b"\r\n"),
              "%s: UTF-8 without BOM, CRLF" % name)

    # package, codebook, batch
    with open(os.path.join(data, "datapackage.json"), encoding="utf-8") as f:
        pkg = json.load(f)
    res = {r["name"]: r for r in pkg["resources"]}
    check("workshop-1-cards" in res and res["workshop-1-cards"]["path"] == "workshop-1-cards.csv",
          "datapackage: cards resource")
    check("workshop-1-votes" in res, "datapackage: votes resource")
    check("workshop-1-plan" in res, "datapackage: plan resource")
    plan_fields = [fd["name"] for fd in res["workshop-1-plan"]["schema"]["fields"]]
    check(plan_fields == ["card_id", "idea_card_id", "idea_rank", "idea", "what", "masked",
                          "drawing", "who", "when", "dots"], "plan fields %s" % plan_fields)
    check(any(r.get("path") == tree["drawing"] for r in pkg["resources"]),
          "datapackage: drawing resource")
    fields = [fd["name"] for fd in res["workshop-1-cards"]["schema"]["fields"]]
    check(fields == list(cards[0]), "datapackage fields %s" % fields)
    with open(os.path.join(data, "codebook.md"), encoding="utf-8") as f:
        book = f.read()
    check("## Zukunftswerkstatt" in book and "workshop-1-cards.csv" in book, "codebook")
    with open(os.path.join(data, "batch.json"), encoding="utf-8") as f:
        batch = json.load(f)
    ws = batch["workshops"]
    check(len(ws) == 1 and ws[0]["number"] == 1 and ws[0]["day"] == "2026-11-24"
          and ws[0]["cards"] == 7 and ws[0]["rounds"] == 2, "batch.json workshops: %s" % ws)
    check(ws[0]["round_phases"] == ["fantasy", "critique"] and ws[0]["plan_cards"] == 3
          and ws[0]["plan_file"] == "workshop-1-plan.csv"
          and ws[0]["plan_text"] == "workshop-1-plan.md", "batch.json plan: %s" % ws)
    check(batch["rows"]["workshop_cards"] == 7, "batch.json rows")
    with open(os.path.join(bag, "manifest-sha256.txt"), encoding="utf-8") as f:
        manifest = f.read()
    for name in ("workshop-1-plan.csv", "workshop-1-plan.md"):
        check("data/" + name in manifest, "%s not in the bag's manifest" % name)
    with open(os.path.join(data, "disclosure-report.json"), encoding="utf-8") as f:
        rep = json.load(f)
    check(rep["workshops"][0]["age_band_suppressed"] == 1, "disclosure report")

    # nothing that links: no token, no time finer than the day, no db id column
    con = sqlite3.connect(db)
    tokens = [r[0] for r in con.execute("SELECT DISTINCT token FROM ws_vote")]
    con.close()
    check(len(tokens) == 3, "tokens in the database: %s" % tokens)
    for root, _, files in os.walk(bag):
        for name in files:
            with open(os.path.join(root, name), "rb") as f:
                blob = f.read()
            for t in tokens:
                check(t.encode() not in blob, "token %s in %s" % (t, name))
            check(b"kiez@example.org" not in blob and b"baum@example.org" not in blob,
                  "contact data in %s" % name)
            check(b"geheim geplant" not in blob, "a plan card never approved in %s" % name)
            if name.startswith("workshop-") and name.endswith(".csv"):
                check(not re.search(rb"\d\d:\d\d", blob), "a time of day in %s" % name)
    print("workshop export check: ok")


if __name__ == "__main__":
    main()
