"""The package keeps the shape ARCHITECTURE.md gives it (the import-linter contract checks the floors)."""

import ast
import re
from pathlib import Path

import pytest

from .conftest import PROJECT

PACKAGE = PROJECT / "anshin_lab"
MAX_LINES = 600
MODULES = sorted(p for p in PACKAGE.rglob("*.py"))
# Where the directive's literals may appear: the directive itself, and the demo's invented data.
LITERALS_ALLOWED = {"core/directive.py", "demo/sample.py"}


def relative(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def parsed(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


@pytest.mark.parametrize("path", MODULES, ids=relative)
def test_no_module_is_over_600_lines(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES


def is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


@pytest.mark.parametrize("path", MODULES + sorted((PROJECT / "benchmarks").glob("*.py")), ids=lambda p: p.relative_to(PROJECT).as_posix())
def test_no_private_name_is_imported_from_another_module(path):
    tree = parsed(path)
    ours = set()  # names bound to modules of the package in this file
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("anshin_lab"):
            private = [a.name for a in node.names if is_private(a.name)]
            assert not private, f"{path.name}:{node.lineno} imports {private} from {node.module}"
            ours.update(a.asname or a.name for a in node.names)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in ours:
            assert not is_private(node.attr), f"{path.name}:{node.lineno} reaches into {node.value.id}.{node.attr}"


@pytest.mark.parametrize("path", MODULES, ids=relative)
def test_imports_inside_functions_say_why(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    for node in ast.walk(parsed(path)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for inner in ast.walk(node):
                if isinstance(inner, (ast.Import, ast.ImportFrom)):
                    here = lines[inner.lineno - 1]
                    above = lines[inner.lineno - 2].strip() if inner.lineno > 1 else ""
                    assert "#" in here or above.startswith("#"), \
                        f"{relative(path)}:{inner.lineno} imports inside a function without a comment saying why"


@pytest.mark.parametrize("literal", ["鹿児島県", "123123.tv"])
def test_the_directive_literals_live_in_the_directive(literal):
    found = []
    for path in MODULES:
        if relative(path) in LITERALS_ALLOWED:
            continue
        for node in ast.walk(parsed(path)):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value == literal:
                found.append(f"{relative(path)}:{node.lineno}")
    assert not found, f"「{literal}」 is written outside core/directive.py: {found}"


def test_the_prefecture_code_lives_in_the_directive():
    found = [f"{relative(p)}:{n.lineno}" for p in MODULES if relative(p) not in LITERALS_ALLOWED
             for n in ast.walk(parsed(p)) if isinstance(n, ast.Constant) and n.value == "46"]
    assert not found


CATEGORY_COMPARISON = re.compile(r"""(==|!=)\s*["'](threat|fugitive|fraud|community|missing)["']""")


def test_no_module_compares_category_strings():
    """What a category requires is read from ``core.directive``, never decided by comparing its code."""
    found = [f"{relative(p)}:{i}" for p in MODULES if relative(p) not in LITERALS_ALLOWED | {"demo/run.py"}
             for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if CATEGORY_COMPARISON.search(line)]
    assert not found


def test_benchmarks_are_not_installed_and_not_imported_by_tests():
    assert not (PACKAGE / "benchmarks").exists()
    for test in (PROJECT / "tests").glob("*.py"):
        assert not re.search(r"^\s*(from|import) benchmarks", test.read_text(encoding="utf-8"), re.M), test.name
