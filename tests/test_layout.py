"""The layout's one rule: imports flow `portal` <- `lessons` <- `feedback`, and inside `portal`,
`programs` may use `accounts`, never the reverse. Read from the source with `ast`: nothing is
imported, so no import side effect can hide a backwards edge."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pytest

AREAS = ("portal", "lessons", "feedback")
RANK = {area: rank for rank, area in enumerate(AREAS)}
# The app factory registers every area; that is the one place that may reach upwards.
FACTORY = "portal"
# Shared infrastructure in `portal` that both portal domains build on.
PORTAL_CORE = {
    "portal.clock",
    "portal.topics",
    "portal.extensions",
    "portal.database",
    "portal.errors",
    "portal.viewkit",
    "portal.widgets",
    "portal.panels",
    "portal.text",
    "portal.config",
    "portal.caching",
}


def module_name(root: Path, path: Path, area: str) -> str:
    parts = [area, *path.relative_to(root).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(source: str, package: str) -> set[str]:
    """Every module a source names in an import statement (`from a import b` names a.b too)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against the importing package
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def violations(module: str, imports: set[str]) -> list[str]:
    """The imports of `module` that go against the layering."""
    area = module.split(".")[0]
    found = []
    for name in sorted(imports):
        target = name.split(".")[0]
        if target not in RANK:
            continue
        if RANK[target] > RANK[area] and module != FACTORY:
            found.append(f"{module} imports {name} ({area} is below {target})")
        if _within(module, "portal.accounts") and _within(name, "portal.programs"):
            found.append(f"{module} imports {name} (programs build on accounts)")
        if module in PORTAL_CORE and (
            _within(name, "portal.accounts") or _within(name, "portal.programs")
        ):
            found.append(f"{module} imports {name} (shared infrastructure imports no domain)")
    return found


def installed_modules() -> list[tuple[str, Path]]:
    """(module name, file) for every module of the installed areas."""
    found = []
    for area in AREAS:
        spec = importlib.util.find_spec(area)
        root = Path(spec.origin).parent
        for path in sorted(root.rglob("*.py")):
            found.append((module_name(root, path, area), path))
    return found


def test_every_area_and_room_is_found():
    names = {name for name, _path in installed_modules()}
    for room in ("portal.accounts.models", "portal.programs.services", "lessons.sessions.views"):
        assert room in names


def test_imports_flow_one_way():
    problems = []
    for name, path in installed_modules():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        problems += violations(name, imported_modules(path.read_text(), package))
    assert problems == []


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("lessons.views", "from feedback import services"),
        ("portal.home", "import lessons.models"),
        ("portal.accounts.views", "from portal.programs import care"),
        ("portal.accounts.views", "from portal import programs"),
        ("portal.topics", "from portal.accounts.models import User"),
        (
            "lessons.sessions.views",
            "from .. import feedback_helpers\nfrom feedback.models import X",
        ),
    ],
)
def test_a_backwards_import_is_caught(module, source):
    package = module.rsplit(".", 1)[0]
    assert violations(module, imported_modules(source, package))


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("feedback.views", "from lessons.models import Lesson\nfrom portal.clock import utcnow"),
        ("portal.programs.views", "from portal.accounts.models import User"),
        ("portal", "from feedback import init_app"),
    ],
)
def test_a_forward_import_is_allowed(module, source):
    assert violations(module, imported_modules(source, module.rsplit(".", 1)[0])) == []
