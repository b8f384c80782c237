"""`python -m bench` runs every benchmark in this folder (each module with a `main(argv)`);
`python -m bench catalogue --seconds 5` runs one, with its options."""

import importlib
import pkgutil
import sys
from pathlib import Path

NOT_BENCHMARKS = {"app", "__main__"}


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
    status = 0
    for name in names:
        print(f"== {name}", flush=True)
        status |= available[name](options)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
