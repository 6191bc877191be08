"""A wrong script line stops the run with a message naming the line and a
non-zero exit; so does a target that is not on the screen."""
import _path  # noqa: F401
from kiosk import check, main, run, tmpdir


def scenario():
    d = tmpdir()
    p, _ = run("dump\n# a comment\nfly away\n", d + "/a.db", expect_rc=2)
    check("stdin:3" in p.stderr and "fly" in p.stderr, f"names the line: {p.stderr}")
    p, _ = run("touch start\ntouch nowhere\n", d + "/b.db", expect_rc=2)
    check("stdin:2" in p.stderr and "nowhere" in p.stderr and "language" in p.stderr,
          f"names the missing target and screen: {p.stderr}")
    p, _ = run("wait soon\n", d + "/c.db", expect_rc=2)
    check("stdin:1" in p.stderr, p.stderr)
    p, _ = run("tap 5000 5\n", d + "/d.db", expect_rc=2)
    check("stdin:1" in p.stderr, p.stderr)
    p, dumps = run("tap 400 240\ndump\nquit\n", d + "/e.db")
    check(dumps[0]["screen"] == "language", "a tap anywhere on the welcome screen starts")


main(scenario)
