"""One commit site per request path, and short views (issue 17), read with `ast`.

A module with routes (`@bp.get`, `@bp.route`, `@blp.route` …) never calls
`db.session.commit()` or `rollback()`: the request commits once, in core/unit_of_work.py, and
a refusal goes onto the form with apply_errors() or becomes the JSON error. A route's body
(its docstring aside) is at most MAX_LINES lines. KNOWN lists what still breaks a rule, with
its reason; it may only shrink (a line that no longer happens fails too, so it stays true).
"""

import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2] / "boostcamp"
VERBS = {"route", "get", "post", "put", "patch", "delete"}
MAX_LINES = 30

KNOWN: set[tuple[str, str]] = set()  # empty: a token's last use is kept by unit_of_work.keep_now()


def _is_route(node: ast.AST) -> bool:
    return isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and any(
        isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute) and d.func.attr in VERBS
        for d in node.decorator_list
    )


def body_lines(function: ast.FunctionDef) -> int:
    body = function.body
    if isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring
    return body[-1].end_lineno - body[0].lineno + 1 if body else 0


def _session_calls(tree: ast.AST) -> set[str]:
    return {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr in ("commit", "rollback")
        and isinstance(node.value, ast.Attribute) and node.value.attr == "session"
    }  # fmt: skip


def breaches(root: pathlib.Path = ROOT) -> set[tuple[str, str]]:
    found = set()
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        routes = [node for node in ast.walk(tree) if _is_route(node)]
        if not routes:
            continue
        name = path.relative_to(root).as_posix()
        found |= {(name, call) for call in _session_calls(tree)}
        found |= {(name, r.name) for r in routes if body_lines(r) > MAX_LINES}
    return found


def test_no_view_commits_and_no_view_is_long():
    new = breaches() - KNOWN
    assert not new, f"commit/rollback beside routes, or a route over {MAX_LINES} lines: {new}"


def test_the_known_breaches_still_happen():
    gone = KNOWN - breaches()
    assert not gone, f"fixed: remove from KNOWN {sorted(gone)}"


def test_the_rule_sees_a_commit_and_a_long_view(tmp_path):
    long_body = "\n".join(f"    x{i} = {i}" for i in range(MAX_LINES + 1))
    (tmp_path / "views.py").write_text(
        "from flask import Blueprint\nfrom boostcamp.core.extensions import db\n"
        "bp = Blueprint('x', __name__)\n\n@bp.post('/a')\ndef short():\n    '''Doc.'''\n"
        "    db.session.commit()\n    return ''\n\n"
        f"@bp.route('/b', methods=['GET'])\ndef long():\n{long_body}\n    return ''\n"
    )
    jobs = "from boostcamp.core.extensions import db\ndb.session.rollback()\n"
    (tmp_path / "jobs.py").write_text(jobs)  # no routes: a job keeps its own commits
    assert breaches(tmp_path) == {("views.py", "commit"), ("views.py", "long")}
