"""`python -m bench` runs every benchmark in this folder (each module with a `main(argv)`),
then prints every target of issue 16 with this run's figure and pass or FAIL (bench.report);
`python -m bench catalogue --seconds 5` runs one, with its options."""

import importlib
import pkgutil
import sys
import traceback
from datetime import datetime, timezone
from pathlib import Path

from bench.report import print_report

NOT_BENCHMARKS = {"app", "report", "__main__"}


def benchmarks() -> dict:
    found = {}
    for module in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if module.name not in NOT_BENCHMARKS:
            main = getattr(importlib.import_module(f"bench.{module.name}"), "main", None)
            if callable(main):
                found[module.name] = main
    return found


def main(argv: list[str]) -> int:
    available = benchmarks()
    names = [a for a in argv if a in available] or sorted(available)
    options = [a for a in argv if a not in available]
    began = datetime.now(timezone.utc)
    status = 0
    for name in names:
        print(f"== {name}", flush=True)
        try:
            status |= available[name](options)
        except Exception:  # noqa: BLE001 - one benchmark's crash must not hide the others
            traceback.print_exc()
            print(f"== {name}: did not finish (its rows below say 'not run')", flush=True)
            status = 1
    print_report(since=began)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
