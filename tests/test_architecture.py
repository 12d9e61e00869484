"""The layout is the architecture: imports point one way, down the flow
raw -> clean -> processed -> indicators -> publish -> run, with no import hidden inside a
function to dodge a cycle, and no module too long to read."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "analysis"
STAGES = {  # first part of the module path below analysis -> its place in the flow
    "storage": 0,
    "version": 0,
    "cache": 0,
    "paths": 0,
    "vocab": 1,
    "schema": 2,
    "ingest": 3,
    "privacy": 4,
    "clean": 5,
    "indicators": 6,
    "publish": 7,
    "run": 8,
    "api": 9,
    "__init__": 10,
    "__main__": 10,
}
# Function-level imports allowed: the command line (and its up-to-date record) keeps "nothing to
# do" free of pandas and
# matplotlib, and the package's top level stays free of import-time work (PEP 562 __getattr__).
LAZY_ALLOWED = {"run/cli.py", "run/data_commands.py", "run/uptodate.py", "__init__.py"}
MAX_LINES = 500


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _name(path: Path) -> str:
    rel = path.relative_to(PACKAGE).with_suffix("")
    parts = [p for p in rel.parts if p != "__init__"]
    return ".".join(["analysis", *parts])


def _stage(module: str) -> int:
    parts = module.split(".")
    return STAGES[parts[1] if len(parts) > 1 else "__init__"]


def _imports(path: Path) -> list[tuple[str, bool, int]]:
    """(imported analysis module, inside a function?, line) for every import of the package."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    nested = {id(n) for f in functions for n in ast.walk(f) if n is not f}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("analysis"):
            targets = [node.module]
            if node.module.count(".") <= 1:  # "from analysis.indicators import inputs"
                targets = [
                    f"{node.module}.{a.name}"
                    if (PACKAGE / Path(*f"{node.module}.{a.name}".split(".")[1:]))
                    .with_suffix(".py")
                    .exists()
                    or (PACKAGE / Path(*f"{node.module}.{a.name}".split(".")[1:])).is_dir()
                    else node.module
                    for a in node.names
                ]
            found += [(t, id(node) in nested, node.lineno) for t in targets]
        elif isinstance(node, ast.Import):
            found += [
                (a.name, id(node) in nested, node.lineno)
                for a in node.names
                if a.name.startswith("analysis")
            ]
    return found


def test_every_module_has_a_stage():
    for path in _modules():
        _stage(_name(path))  # a KeyError names a module outside the declared stages


def test_imports_point_down_the_flow():
    wrong = []
    for path in _modules():
        here = _name(path)
        for target, _lazy, line in _imports(path):
            if target == "analysis" or target.startswith("analysis.__"):
                wrong.append(f"{path.relative_to(PACKAGE)}:{line} imports the package top")
            elif _stage(target) > _stage(here):
                wrong.append(f"{path.relative_to(PACKAGE)}:{line} imports {target} (later stage)")
    assert not wrong, "\n".join(wrong)


def test_no_import_hidden_in_a_function():
    hidden = [
        f"{path.relative_to(PACKAGE)}:{line} imports {target} inside a function"
        for path in _modules()
        if path.relative_to(PACKAGE).as_posix() not in LAZY_ALLOWED
        for target, lazy, line in _imports(path)
        if lazy
    ]
    assert not hidden, "\n".join(hidden)


def test_no_cycle_between_modules():
    graph = {_name(p): {t for t, _lazy, _line in _imports(p) if t != _name(p)} for p in _modules()}
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> list[str] | None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if nxt not in graph:
                continue
            if state.get(nxt) == 1:
                return [*trail, node, nxt]
            if nxt not in state:
                cycle = visit(nxt, [*trail, node])
                if cycle:
                    return cycle
        state[node] = 2
        return None

    for module in sorted(graph):
        if module not in state:
            cycle = visit(module, [])
            assert cycle is None, " -> ".join(cycle)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_module_is_short_enough_to_read(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(PACKAGE)}: {lines} lines (split by concern)"
