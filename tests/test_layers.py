"""The layering contract of CONTRIBUTING.md: imports point one way, at module level only.

`errors` ← `_base` ← `_time` ← `_money` ← `decisions` ← `events` ← `_serialization` ←
`_recovery` ← `_scoring` ← `testing` ← the package ← `cli`. Inside `_recovery` the modules
have an order of their own: a policy reads the record, never the commands.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SOURCE = Path(__file__).parent.parent / "src" / "service_recovery"
PACKAGE = "service_recovery"
LAYERS = (
    "errors",
    "_base",
    "_time",
    "_money",
    "decisions",
    "events",
    "_serialization",
    "_recovery",
    "_scoring",
    "testing",
    "_hypothesis_plugin",
    "__init__",
    "cli",  # a program on top of the API: it reads the package's __version__
    "__main__",
)
RECOVERY = (
    "lifecycle",
    "record",
    "timers",
    "policy",
    "approvals",
    "commands",
    "incident",
    "__init__",
)
DEFERRED = {f"{PACKAGE}._hypothesis_plugin"}  # imports the test kit when a test asks (documented)


def module_name(path: Path) -> str:
    parts = path.relative_to(SOURCE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in SOURCE.rglob("*.py")}


def rank(module: str) -> tuple[int, int]:
    """Where `module` sits: its layer, then its place inside `_recovery`."""
    parts = module.split(".")
    layer = parts[1] if len(parts) > 1 else "__init__"
    inner = parts[2] if len(parts) > 2 else "__init__"
    return LAYERS.index(layer), RECOVERY.index(inner) if layer == "_recovery" else 0


def imports(module: str) -> list[tuple[str, int, bool]]:
    """Each module of the package `module` imports: (name, line, at module level)."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    found: list[tuple[str, int, bool]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
            targets = [name for name in names if name in MODULES] or [node.module]
        elif isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            continue
        found.extend(
            (target, node.lineno, id(node) in top) for target in targets if target in MODULES
        )
    return found


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down_the_layers(module: str) -> None:
    upward = [
        f"line {line}: {target}"
        for target, line, _ in imports(module)
        if rank(target) > rank(module) and not target.startswith(f"{module}.")
    ]

    assert upward == []


@pytest.mark.parametrize("module", sorted(set(MODULES) - DEFERRED))
def test_every_import_is_at_module_level(module: str) -> None:
    source = MODULES[module].read_text(encoding="utf-8")

    assert [f"line {line}" for _, line, top in imports(module) if not top] == []
    assert "TYPE_CHECKING" not in source


def test_there_is_no_import_cycle() -> None:
    graph = {module: {target for target, _, _ in imports(module)} for module in MODULES}
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        assert module not in path, " -> ".join((*path, module))
        if module in done:
            return
        for target in graph[module]:
            if not target.startswith(f"{module}."):  # a package may import its own modules
                visit(target, (*path, module))
        done.add(module)

    for module in graph:
        visit(module, ())


def test_every_module_has_a_layer() -> None:
    layers = {module.split(".")[1] for module in MODULES if "." in module}
    inner = {
        module.split(".")[2] for module in MODULES if module.startswith(f"{PACKAGE}._recovery.")
    }

    assert layers <= set(LAYERS)
    assert inner <= set(RECOVERY)
