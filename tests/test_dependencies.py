"""pyproject's dependencies are the import graph: app/ imports every runtime dependency and
nothing undeclared; tests/ and bench/ import only what the `dist` and `test` extras (or the
runtime) declare. A dependency nothing imports must say why it is there, in a comment on its
line: `# not imported: <why>` (a pytest plugin, a tool a test runs, a library another one
loads). Imports inside functions count as much as those at the top of a file.
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYPROJECT = REPO / "pyproject.toml"
FIRST_PARTY = frozenset({"codex_link", "tests", "bench"})
SELF = "codex-link"
_NOT_IMPORTED = re.compile(r'^\s*"(?P<requirement>[^"]+)",\s*#\s*not imported:\s*(?P<why>\S.*)$')
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(requirement: str) -> str:
    found = _NAME.match(requirement)
    assert found is not None, requirement
    return _normal(found.group())


def _imported_modules(folder: Path) -> dict[str, set[str]]:
    """Top-level module -> the files importing it, for every absolute import under `folder`."""
    found: dict[str, set[str]] = {}
    for path in sorted(folder.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.partition(".")[0], set()).add(str(path.relative_to(REPO)))
    return found


def _imported_distributions(*folders: Path) -> dict[str, set[str]]:
    """Distribution (normalised name) -> the files importing it; stdlib and ours left out."""
    providers = importlib.metadata.packages_distributions()
    found: dict[str, set[str]] = {}
    unknown: dict[str, set[str]] = {}
    for folder in folders:
        for module, files in _imported_modules(folder).items():
            if module in sys.stdlib_module_names or module in FIRST_PARTY:
                continue
            if module not in providers:
                unknown.setdefault(module, set()).update(files)
                continue
            for distribution in providers[module]:
                found.setdefault(_normal(distribution), set()).update(files)
    assert not unknown, f"no installed distribution provides these imports: {unknown}"
    return found


def _declared() -> tuple[set[str], set[str]]:
    """(runtime dependencies, what the extras add), as normalised names."""
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    runtime = {_requirement_name(r) for r in project["dependencies"]}
    extras = {
        _requirement_name(r) for group in project["optional-dependencies"].values() for r in group
    }
    return runtime, extras - {SELF}


def _not_imported() -> dict[str, str]:
    """Dependency -> why it is declared though nothing imports it (its line's comment)."""
    found = {}
    for line in PYPROJECT.read_text(encoding="utf-8").splitlines():
        match = _NOT_IMPORTED.match(line)
        if match:
            found[_requirement_name(match["requirement"])] = match["why"]
    return found


def test_app_imports_exactly_the_runtime_dependencies() -> None:
    runtime, _ = _declared()
    imported = _imported_distributions(REPO / "app")
    undeclared = {name: sorted(files) for name, files in imported.items() if name not in runtime}
    assert not undeclared, f"imported by app/ but not in [project] dependencies: {undeclared}"
    unexplained = runtime - set(imported) - set(_not_imported())
    assert not unexplained, f"declared, never imported by app/, no reason given: {unexplained}"


def test_tests_and_bench_import_only_what_is_declared() -> None:
    runtime, extras = _declared()
    imported = _imported_distributions(REPO / "tests", REPO / "bench")
    undeclared = {
        name: sorted(files) for name, files in imported.items() if name not in runtime | extras
    }
    assert not undeclared, f"imported by tests/ or bench/ but declared nowhere: {undeclared}"
    unexplained = extras - set(imported) - set(_not_imported())
    assert not unexplained, f"in an extra, never imported, no reason given: {unexplained}"


def test_what_is_called_not_imported_really_is_not_imported() -> None:
    runtime, extras = _declared()
    imported = _imported_distributions(REPO / "app", REPO / "tests", REPO / "bench")
    reasons = _not_imported()
    assert set(reasons) <= runtime | extras, "a reason for a dependency no longer declared"
    wrong = {name: sorted(imported[name]) for name in reasons if name in imported}
    assert not wrong, f"marked `not imported` yet imported: {wrong}"
