"""The package map holds: dependencies point down, no import cycles, no private names across packages.

The layers (docs/developers.md draws them): a package may import its own
modules and the packages of lower layers, never a sibling or a higher one.
Imports inside functions count too: a lazy import is still a dependency.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

GENERATOR = Path(__file__).resolve().parent.parent / "generator"

# lowest first; packages on one line are siblings and may not import each other
LAYERS = (
    ("speed",),
    ("core",),
    ("reading", "rules"),
    ("content",),
    ("pipeline",),
    ("views", "render"),
    ("site", "printing"),
    ("workflow",),
    ("cli",),
    ("__main__",),
)
LAYER = {package: index for index, packages in enumerate(LAYERS) for package in packages}


@dataclass(frozen=True)
class Import:
    source: str  # dotted module that imports
    target: str  # dotted module (or package) imported
    names: tuple[str, ...]  # names taken from it (from-imports)
    line: int


def module_name(path: Path) -> str:
    parts = list(path.relative_to(GENERATOR.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in GENERATOR.rglob("*.py")}


def package(module: str) -> str:
    """generator.rules.engine -> rules; generator.pipeline -> pipeline."""
    return module.split(".")[1] if "." in module else module


def imports() -> list[Import]:
    found = []
    for name, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                pytest.fail(f"{path}:{node.lineno}: relative import; generator uses absolute imports")
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "generator":
                for alias in node.names:
                    sub = f"{node.module}.{alias.name}"
                    if sub in MODULES:  # from generator.rules import engine
                        found.append(Import(name, sub, (), node.lineno))
                    else:
                        found.append(Import(name, node.module, (alias.name,), node.lineno))
            elif isinstance(node, ast.Import):
                found += [Import(name, a.name, (), node.lineno) for a in node.names if a.name.split(".")[0] == "generator"]
    return found


IMPORTS = imports()


def test_every_package_is_on_the_map():
    packages = {package(m) for m in MODULES if m != "generator"}
    assert packages == set(LAYER)


def test_dependencies_point_down_the_layers():
    wrong = [
        f"{MODULES[i.source]}:{i.line}: {package(i.source)} imports {i.target} ({package(i.target)})"
        for i in IMPORTS
        if i.target != "generator" and package(i.source) != package(i.target)
        and LAYER[package(i.target)] >= LAYER[package(i.source)]
    ]
    assert wrong == []


def test_no_private_name_is_imported_from_another_package():
    private = [
        f"{MODULES[i.source]}:{i.line}: {i.target}.{n}"
        for i in IMPORTS for n in i.names
        if n.startswith("_") and package(i.source) != package(i.target)
    ]
    assert private == []


def test_no_private_attribute_of_a_module_from_another_package():
    """``schema._CREDITOR_SPEC`` through a module object is as private as importing it."""
    found = []
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules = {}  # local name -> dotted module, for "from generator.x import module [as y]"
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("generator"):
                for alias in node.names:
                    if f"{node.module}.{alias.name}" in MODULES:
                        modules[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules
                    and node.attr.startswith("_") and not node.attr.startswith("__")
                    and package(modules[node.value.id]) != package(name)):
                found.append(f"{path}:{node.lineno}: {node.value.id}.{node.attr}")
    assert found == []


def test_no_import_cycles_between_modules():
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for i in IMPORTS:
        target = i.target if i.target in MODULES else None
        if target and target != i.source and not target.endswith("__init__"):
            graph[i.source].add(target)
    cycles, state = [], {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                cycles.append(" -> ".join(stack[stack.index(nxt):] + [nxt]))
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_click_is_imported_only_by_the_cli():
    users = sorted(
        module for module, path in MODULES.items()
        if package(module) != "cli" and any(
            isinstance(n, (ast.Import, ast.ImportFrom)) and any(
                (getattr(n, "module", None) or a.name).split(".")[0] == "click" for a in n.names)
            for n in ast.walk(ast.parse(path.read_text(encoding="utf-8"))))
    )
    assert users == []


def test_the_developer_guide_names_every_module_and_the_same_layers():
    guide = (GENERATOR.parent / "docs" / "developers.md").read_text(encoding="utf-8")
    unnamed = sorted(
        str(path.relative_to(GENERATOR)) for path in GENERATOR.rglob("*.py")
        if path.name not in ("__init__.py", "__main__.py") and path.name not in guide
    )
    assert unnamed == []
    for index, packages in enumerate(LAYERS[:-1]):
        names = ", ".join(f"`{'pipeline.py' if p == 'pipeline' else p}`" for p in packages)
        assert f"| {index} | {names} |" in guide


def test_the_package_build_takes_every_subpackage():
    """pyproject's package list once named only ``generator``: an installed copy lacked core/, rules/, …"""
    import tomllib

    from setuptools import find_packages

    config = tomllib.loads((GENERATOR.parent / "pyproject.toml").read_text(encoding="utf-8"))
    found = set(find_packages(str(GENERATOR.parent), **config["tool"]["setuptools"]["packages"]["find"]))
    expected = {module_name(p.parent) for p in GENERATOR.rglob("__init__.py")}
    assert found == expected
