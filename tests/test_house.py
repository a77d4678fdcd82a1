"""The house stays livable: rooms by audience, imports running one way only, no import loops,
no long functions, and a hook file that only calls."""

from __future__ import annotations

import ast
from pathlib import Path

from helpers import REPO

PACKAGE = REPO / "hooks" / "wegweiser"
# From the top floor down; a module may import its own floor's room or any floor below.
FLOORS = [
    ("faces", {"wegweiser.cli", "wegweiser.mkdocs_adapter", "wegweiser.livepreview"}),
    ("editorial", {"wegweiser.editorial"}),
    ("pipeline", {"wegweiser.pipeline", "wegweiser.settings"}),
    ("site and exports", {"wegweiser.site", "wegweiser.exports"}),
    ("geo", {"wegweiser.geo"}),
    ("core", {"wegweiser.core"}),
    ("urls", {"wegweiser.urls"}),
]
MAX_LINES = 60


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def floor(module: str) -> int:
    for number, (_name, rooms) in enumerate(FLOORS):
        if any(module == room or module.startswith(room + ".") for room in rooms):
            return number
    raise AssertionError(f"{module} is in no room of the house (tests/test_house.py FLOORS)")


def imports(path: Path, name: str) -> set[str]:
    """The package's modules that ``path`` imports, anywhere in it (inside functions too)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            if base == "wegweiser" or base.startswith("wegweiser."):
                found |= {f"{base}.{alias.name}" for alias in node.names} | {base}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("wegweiser")}
    known = modules()
    return {m for m in found if m in known and m != "wegweiser"} - {name}


def test_every_module_lives_in_a_room_and_imports_only_downwards():
    upward = []
    for name, path in modules().items():
        if name == "wegweiser":
            continue
        for target in imports(path, name):
            if floor(target) < floor(name):
                upward.append(f"{name} -> {target}")
    assert upward == []


def test_no_import_loops():
    graph = {name: imports(path, name) for name, path in modules().items()}
    loops = []

    def visit(node: str, trail: list[str]) -> None:
        for target in sorted(graph.get(node, ())):
            if target in trail:
                loops.append(" -> ".join(trail[trail.index(target) :] + [target]))
            elif target not in seen:
                seen.add(target)
                visit(target, trail + [target])

    seen: set[str] = set()
    for start in sorted(graph):
        if start not in seen:
            seen.add(start)
            visit(start, [start])
    assert loops == []


def test_no_function_is_longer_than_sixty_lines():
    long = []
    for name, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_LINES:
                    long.append(f"{name}.{node.name}: {lines} lines")
    assert long == []


def test_each_room_says_whom_it_serves():
    for room in ("core", "geo", "site", "exports", "editorial"):
        text = (PACKAGE / room / "__init__.py").read_text("utf-8")
        assert ast.get_docstring(ast.parse(text)), room


def test_the_hook_file_only_calls():
    tree = ast.parse((REPO / "hooks" / "wegweiser_hooks.py").read_text("utf-8"))
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            for statement in node.body:
                assert isinstance(statement, ast.Expr | ast.Return | ast.Assign | ast.Global), (
                    node.name,
                    ast.dump(statement)[:80],
                )
                if isinstance(statement, ast.Expr | ast.Return) and statement.value is not None:
                    assert isinstance(statement.value, ast.Call | ast.Name), node.name


def test_the_address_book_imports_nothing_of_ours():
    assert imports(PACKAGE / "urls.py", "wegweiser.urls") == set()
