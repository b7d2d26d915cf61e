"""The tests' own layout (tests/README.md): a test module never imports another test module; what several
share lives in a support module (tests/community.py, tests/browser.py, ...).

A test module is a file named ``test_*.py`` (what pytest collects). Every import in every module under
tests/ counts, inside functions too, in each of its forms: ``import tests.site.test_site``,
``from tests.site.test_site import x``, ``from tests.site import test_site``, the relative ones, and
``importlib.import_module("tests.site.test_site")``.
"""
from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def module_name(path: Path) -> str:
    """tests/site/test_site.py -> tests.site.test_site; tests/site/__init__.py -> tests.site."""
    parts = list(path.relative_to(TESTS.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_test_module(name: str) -> bool:
    parts = name.split(".")
    return parts[0] == "tests" and parts[-1].startswith("test_")


def imported_modules(source: str, module: str, is_package: bool = False) -> list[tuple[int, str]]:
    """(line, dotted name) of every module the source may import: for ``from a import b``, both ``a`` and
    ``a.b`` (b may be a module); relative imports resolved against ``module``; string arguments of
    ``importlib.import_module`` and ``__import__``."""
    package = module if is_package else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found += [(node.lineno, target)] + [(node.lineno, f"{target}.{alias.name}") for alias in node.names]
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if called in ("import_module", "__import__"):
                found.append((node.lineno, node.args[0].value))
    return found


def test_imports_of_a_test_module_are_seen_in_every_form():
    source = """
import tests.site.test_site
import tests.test_architecture as arch
from tests.reading.test_editor_schemas import instance
from tests.site import test_site_browser as chromium
from tests import test_layout
from .test_letters import html_text
from . import test_letter_layout
from ..content.test_legal import REFERENCE
import importlib
importlib.import_module("tests.views.test_complaints")

def lazy():
    from tests.content.test_court_guide import blocks
    __import__("tests.rules.test_complaints")

import tests.support
from tests.browser import browser
from tests.site import sitebuild_helpers
from . import conftest
from .text import col
"""
    seen = sorted({name for _line, name in imported_modules(source, "tests.printing.test_forms") if is_test_module(name)})
    assert seen == [
        "tests.content.test_court_guide", "tests.content.test_legal", "tests.printing.test_letter_layout",
        "tests.printing.test_letters", "tests.reading.test_editor_schemas", "tests.rules.test_complaints",
        "tests.site.test_site", "tests.site.test_site_browser", "tests.test_architecture", "tests.test_layout",
        "tests.views.test_complaints",
    ]


def test_no_module_under_tests_imports_a_test_module():
    offending = []
    for path in sorted(TESTS.rglob("*.py")):
        name = module_name(path)
        for line, target in imported_modules(path.read_text(encoding="utf-8"), name, path.name == "__init__.py"):
            if is_test_module(target) and target != name:
                offending.append(f"{path.relative_to(TESTS.parent)}:{line}: {target}")
    assert sorted(set(offending)) == [], "move what they share into a support module (tests/README.md)"
