"""The packages stack like floors (README, "Layout"), and an import only goes down.

Every `import` of `boostcamp/` is read with `ast`, the ones inside functions too. A module is a
*face* (pages, API, CLI, forms, the permission policy) or belongs to its package's floor:

    faces      views, forms, API, CLI, demo, auth/permissions.py
    5          privacy
    4          checkin · ical · outcomes
    3          registrations
    2          events
    1          auth (accounts and API tokens) · organisations · audit
    0          core, db, errors, extensions, settings, config, tasks, mail (the outbox)

A floor's module imports its own package and lower floors only; a face never imports another
package's views. KNOWN lists what still breaks the rule, so that nothing new does; it must only
shrink (a line that no longer happens fails too, so the list stays true).
"""

import ast
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent / "boostcamp"
FACE = 9
FLOORS = {
    "core": 0, "db": 0, "errors": 0, "extensions": 0, "settings": 0, "config": 0, "tasks": 0,
    "mail": 0,
    "auth": 1, "organisations": 1, "audit": 1,
    "events": 2,
    "registrations": 3,
    "checkin": 4, "ical": 4, "outcomes": 4, "admission": 4,
    "privacy": 5, "programmes": 5,
}  # fmt: skip
FACE_MODULE = re.compile(r"(^|_)(views|forms|cli|api)$|^permissions$")
VIEW_MODULE = re.compile(r"(^|_)views$")

KNOWN = {
}


def module_name(path: pathlib.Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts) or "__init__"


def floor(module: str) -> int:
    package, _, rest = module.partition(".")
    last = module.rpartition(".")[2]
    if module in FLOORS:
        return FLOORS[module]
    if package in ("api", "demo", "__init__", "models") or FACE_MODULE.search(last):
        return FACE
    return FLOORS.get(package, FACE)


def existing(name: str) -> str | None:
    """The boostcamp module an import names (`boostcamp.x.y` or `from boostcamp.x import y`)."""
    path = ROOT.joinpath(*name.split("."))
    if path.with_suffix(".py").exists() or (path / "__init__.py").exists():
        return name
    return None


def imports() -> set[tuple[str, str]]:
    found = set()
    for path in ROOT.rglob("*.py"):
        source = module_name(path)
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [f"{node.module}.{alias.name}" for alias in node.names] + [node.module]
            for name in names:
                if not name.startswith("boostcamp."):
                    continue
                target = existing(name.removeprefix("boostcamp."))
                if target and target.partition(".")[0] != source.partition(".")[0]:
                    found.add((source, target))
    # `from boostcamp.x import y` names both x and x.y: keep the most precise module.
    return {(s, t) for s, t in found if not any(s == s2 and t2.startswith(t + ".") for s2, t2 in found)}


def breaks_the_floors(source: str, target: str) -> bool:
    source_floor, target_floor = floor(source), floor(target)
    if source_floor == FACE:
        last = target.rpartition(".")[2]
        return target_floor == FACE and bool(VIEW_MODULE.search(last)) and source != "__init__"
    return target_floor > source_floor


def test_imports_only_go_down_the_floors():
    broken = {edge for edge in imports() if breaks_the_floors(*edge)}
    assert broken - KNOWN == set(), "new imports that go up a floor or into another's views"
    assert KNOWN - broken == set(), "fixed: take these out of KNOWN"


def package(module: str) -> str:
    """The core's and the accounts' floors each count as one package: their modules refer to
    one another (a user's memberships and an organisation's members, the audit's actor)."""
    return {0: "core", 1: "accounts"}.get(floor(module), module.partition(".")[0])


def test_no_cycle_between_packages_counting_imports_inside_functions():
    """Between packages' floors (faces apart): a → b and b → a never both hold."""
    edges = {
        (package(s), package(t))
        for s, t in imports()
        if floor(s) != FACE and floor(t) != FACE and (s, t) not in KNOWN
    }
    graph: dict[str, set[str]] = {}
    for a, b in edges:
        if a != b:
            graph.setdefault(a, set()).add(b)

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in graph.get(start, ()):
            if nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})):
                return True
        return False

    assert sorted(a for a in graph if reaches(a, a, set())) == []
