"""DESIGN's arrows are the import graph: each layer imports only the layers below it.

ui -> commands -> monitor -> check -> verdict -> {net, codex} -> support -> model, with the
entry point (cli) on top. net and codex are independent of each other, and no two modules
import each other in a circle. Every import counts, at module level or inside a function (a
function-level import is how a cycle hides). A new module must be placed in a layer below.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "app" / "codex_link"

# Top to bottom. A module belongs to the first layer with a matching name or prefix (a name
# followed by "." covers that package).
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("entry", ("codex_link.cli", "codex_link.__main__")),
    ("ui", ("codex_link.ui", "codex_link.ui.")),
    ("commands", ("codex_link.commands", "codex_link.commands.")),
    (
        "monitor",
        (
            "codex_link.core.monitor",
            "codex_link.core.monitor.",
            "codex_link.core.monitor_loop",
            "codex_link.core.monitor_state",
            "codex_link.core.auto_mode",
            "codex_link.core.hysteresis",
            "codex_link.core.history",
            "codex_link.core.prefs",
            "codex_link.core.notice_policy",
            "codex_link.core.switch_guard",
            "codex_link.core.freshness",
            "codex_link.core.diagnostics",
        ),
    ),
    ("check", ("codex_link.core.check", "codex_link.core.deep_credentials")),
    ("verdict", ("codex_link.core.verdict", "codex_link.core.wait_estimate")),
    (
        "net|codex",
        (
            "codex_link.core.net",
            "codex_link.core.net.",
            "codex_link.core.codex",
            "codex_link.core.codex.",
        ),
    ),
    (
        "support",
        (
            "codex_link.core.files",
            "codex_link.core.files.",
            "codex_link.core.redact",
            "codex_link.core.log_files",
        ),
    ),
    ("model", ("codex_link.core.model", "codex_link.core.model.", "codex_link.core", "codex_link")),
)
SIBLINGS = ("codex_link.core.net", "codex_link.core.codex")  # the two halves of one layer


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def layer_of(module: str) -> int:
    for index, (_, names) in enumerate(LAYERS):
        for name in names:
            if module == name or (name.endswith(".") and module.startswith(name)):
                return index
    raise LookupError(module)


def sibling_of(module: str) -> str | None:
    return next((s for s in SIBLINGS if module == s or module.startswith(s + ".")), None)


def imports_of(module: str) -> Iterator[tuple[str, int]]:
    """(imported codex_link module, line) for every import in the module, at any depth."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "codex_link":
                    yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against this module's package
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            if base.split(".")[0] != "codex_link":
                continue
            for alias in node.names:
                full = f"{base}.{alias.name}"
                yield (full if full in MODULES else base), node.lineno


GRAPH = {module: sorted(set(imports_of(module))) for module in MODULES}


def test_every_module_has_a_layer() -> None:
    unplaced = []
    for module in MODULES:
        try:
            layer_of(module)
        except LookupError:
            unplaced.append(module)
    assert not unplaced, f"place these modules in a layer in tests/test_layers.py: {unplaced}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_go_down_only(module: str) -> None:
    mine = layer_of(module)
    wrong = []
    for target, line in GRAPH[module]:
        if target not in MODULES:
            wrong.append(f"line {line}: {target} is not a module of codex_link")
            continue
        theirs = layer_of(target)
        if theirs < mine:
            wrong.append(f"line {line}: {target} ({LAYERS[theirs][0]}) is above {LAYERS[mine][0]}")
        side, other = sibling_of(module), sibling_of(target)
        if side and other and side != other:
            wrong.append(f"line {line}: {target}: net and codex must not import each other")
    assert not wrong, "\n".join(wrong)


def test_the_model_is_a_leaf() -> None:
    for module in MODULES:
        if module.startswith("codex_link.core.model"):
            outside = [t for t, _ in GRAPH[module] if not t.startswith("codex_link.core.model")]
            assert not outside, f"{module} imports {outside}"


def test_no_import_cycles() -> None:
    edges = {m: {t for t, _ in GRAPH[m] if t in MODULES and t != m} for m in MODULES}
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    stack: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        stack.append(module)
        for target in sorted(edges[module]):
            if state.get(target) == 1:
                return [*stack[stack.index(target) :], target]
            if target not in state and (cycle := visit(target)) is not None:
                return cycle
        stack.pop()
        state[module] = 2
        return None

    for module in sorted(MODULES):
        if module not in state and (cycle := visit(module)) is not None:
            pytest.fail("import cycle: " + " -> ".join(cycle))
