"""A module a newcomer can hold in their head: none of `boostcamp/` is over 450 lines.

The demo's data (boostcamp/demo/data.py) is exempt: it is a list of made-up events and people,
read like a table, not code. A module that grows past the limit is split by meaning (what it
holds, in the users' words), not cut in two halves named 1 and 2.
"""

import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent / "boostcamp"
LIMIT = 450
EXEMPT = {"demo/data.py"}


def test_no_module_of_boostcamp_is_over_450_lines():
    sizes = {
        path.relative_to(ROOT).as_posix(): len(path.read_text().splitlines())
        for path in ROOT.rglob("*.py")
    }
    assert sizes, "no module found: the test reads the wrong folder"
    too_long = {name: n for name, n in sizes.items() if n > LIMIT and name not in EXEMPT}
    assert too_long == {}, f"split these by meaning (at most {LIMIT} lines each)"


def test_the_exemption_still_names_a_module():
    assert all((ROOT / name).exists() for name in EXEMPT)
