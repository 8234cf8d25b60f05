"""The locked dependencies: complete, honoured by the install, and judged by the audit script."""

import importlib.metadata
import importlib.util
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent


def locked() -> dict[str, Version]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[canonicalize_name(name)] = Version(version)
    return pins


def declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        requirements += extra
    return [Requirement(text) for text in requirements]


def test_the_lock_pins_every_declared_dependency_within_its_bounds():
    pins = locked()
    for requirement in declared():
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is not in requirements.lock (make lock)"
        assert requirement.specifier.contains(pins[name]), f"{name}=={pins[name]} vs {requirement}"


def test_what_is_installed_is_what_is_locked():
    for name, version in locked().items():
        try:
            installed = Version(importlib.metadata.version(name))
        except importlib.metadata.PackageNotFoundError:
            continue  # an extra this environment did not install (make install-test installs all)
        assert installed == version, f"{name} {installed} installed, {version} locked"


@pytest.fixture(scope="module")
def audit():
    spec = importlib.util.spec_from_file_location("ci_audit", ROOT / ".ci" / "audit.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["ci_audit"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def report(*dependencies):
    return {"dependencies": list(dependencies), "fixes": []}


CLEAN = {"name": "flask", "version": "3.1.3", "vulns": []}
VULNERABLE = {
    "name": "jinja2",
    "version": "2.10",
    "vulns": [{"id": "PYSEC-2019-217", "fix_versions": ["2.10.1"], "aliases": []}],
}
UNANSWERED = {"name": "bleach", "skip_reason": "Dependency not found on PyPI"}


def test_a_known_vulnerability_fails_the_audit_and_names_the_fix(audit):
    result = audit.verdict(report(CLEAN, VULNERABLE), strict=False)
    assert result.exit_code == 1
    assert "jinja2 2.10: PYSEC-2019-217 (fixed in 2.10.1)" in result.report()


def test_a_clean_audit_passes(audit):
    result = audit.verdict(report(CLEAN), strict=True)
    assert result.exit_code == 0
    assert result.audited == ["flask 3.1.3"]


def test_an_unreachable_service_warns_and_fails_only_when_strict(audit):
    lenient = audit.verdict(report(CLEAN, UNANSWERED), strict=False)
    assert lenient.exit_code == 0
    assert "WARNING" in lenient.report() and "bleach" in lenient.report()
    assert audit.verdict(report(CLEAN, UNANSWERED), strict=True).exit_code == 1
    assert audit.verdict(None, strict=False).exit_code == 0
    assert audit.verdict(None, strict=True).exit_code == 1
