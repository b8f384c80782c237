"""The packages stack like floors (README, "Layout"), and an import only goes down.

Every `import` of `boostcamp/` is read with `ast`, those inside functions too. Between packages
(the folders of boostcamp/, faces included) no import forms a circle, as the before-stop hook
checks. Module by module, a face (views, forms, API, CLI, demo, policy/: the permission rules)
may import any floor but no other package's views; a floor's module only its own and lower ones:

    faces  ·  5 privacy, programmes  ·  4 checkin, ical, outcomes, admission  ·  3 registrations
    2 events  ·  1 audit, auth (accounts, API tokens), organisations  ·  0 core (db types,
    domain errors, extensions, periodic jobs, settings; core/policy.py: the actions and can(),
    answered by policy/rules.py), config, mail

KNOWN lists modules that still break the floors (none today); it may only shrink.
"""

import ast
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent / "boostcamp"
FACE = 9
FLOORS = {
    "core": 0, "config": 0, "mail": 0,
    "auth": 1, "organisations": 1, "audit": 1,
    "events": 2,
    "registrations": 3,
    "checkin": 4, "ical": 4, "outcomes": 4, "admission": 4,
    "privacy": 5, "programmes": 5,
}  # fmt: skip
FACE_MODULE = re.compile(r"(^|_)(views|forms|cli|api)$")
VIEW_MODULE = re.compile(r"(^|_)views$")

KNOWN: set[tuple[str, str]] = set()


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
    if package in ("api", "demo", "policy", "__init__", "models") or FACE_MODULE.search(last):
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


def package_imports() -> dict[tuple[str, str], list[str]]:
    """Package → package (the folders of boostcamp/), each with the lines that import: the
    before-stop hook's graph (root modules such as create_app belong to no package)."""
    edges: dict[tuple[str, str], list[str]] = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if len(parts) < 2:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                top, _, rest = name.partition(".")
                target = rest.partition(".")[0]
                if top == "boostcamp" and (ROOT / target).is_dir() and target != parts[0]:
                    where = f"{path.relative_to(ROOT)}:{node.lineno}"
                    edges.setdefault((parts[0], target), []).append(where)
    return edges


def circle(graph: dict[str, set[str]]) -> list[str] | None:
    """The first circle found from the packages in name order, as the hook finds it."""

    def walk(node: str, stack: list[str]) -> list[str] | None:
        if node in stack:
            return stack[stack.index(node):] + [node]
        for nxt in sorted(graph.get(node, ())):
            if found := walk(nxt, stack + [node]):
                return found
        return None

    return next((found for node in sorted(graph) if (found := walk(node, []))), None)


def test_no_import_circle_between_packages_counting_faces_and_imports_inside_functions():
    edges = package_imports()
    graph: dict[str, set[str]] = {}
    for a, b in edges:
        graph.setdefault(a, set()).add(b)
    found = circle(graph)
    assert found is None, "packages import each other in a circle: " + " -> ".join(found) + "".join(
        f"\n  {a} -> {b}: {', '.join(edges[a, b])}" for a, b in zip(found, found[1:])
    )


def test_the_circle_finder_finds_a_circle():
    assert circle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]
    assert circle({"a": {"b"}, "b": {"c"}, "d": {"a", "c"}}) is None
