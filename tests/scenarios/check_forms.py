"""`km2kiosk check`: every shipped form is usable (exit 0, no errors and no
warnings), a broken form is refused with FILE:SHEET:ROW:COLUMN messages and
exit 1."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from kiosk import BIN, REPO, check, main, tmpdir  # noqa: E402


def test():
    shipped = ("kinder", "jugendliche", "eltern", "fachkraefte")
    forms = [os.path.join("assets", "forms", f) for f in shipped]
    r = subprocess.run([BIN, "check", *forms], cwd=REPO, capture_output=True, text=True)
    check(r.returncode == 0, f"shipped forms usable: {r.stdout}")
    check(r.stdout.count(": usable: ") == len(shipped), r.stdout)
    check("warning" not in r.stdout + r.stderr, f"shipped forms without warnings: {r.stdout}{r.stderr}")
    d = tmpdir()
    bad = os.path.join(d, "bad")
    os.makedirs(bad)
    open(os.path.join(bad, "survey.csv"), "w").write(
        "type,name,label,relevant\nselect_one yn,q1,A,\nnote,n,B,${q2} = 'yes'\n"
        "select_one yn,q3,C,(${q1} = 'yes'\ngeopoint,where,Wo?,\n")
    open(os.path.join(bad, "choices.csv"), "w").write("list_name,name,label\nyn,yes,Ja\nyn,yes,Jo\n")
    r = subprocess.run([BIN, "check", bad], cwd=REPO, capture_output=True, text=True)
    check(r.returncode == 1, f"exit 1: {r.returncode}")
    for want in ("choices.csv:choices:3:name: the list \"yn\" has the choice \"yes\" twice",
                 "survey.csv:survey:3:relevant: ${q2} at character 1: there is no question",
                 "survey.csv:survey:4:relevant: ",
                 "survey.csv:survey:5:type: the question type \"geopoint\" cannot be used"):
        check(want in r.stdout, f"{want!r} in {r.stdout}")


if __name__ == "__main__":
    main(test)
