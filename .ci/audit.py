"""Audit the locked dependencies with pip-audit and decide what CI makes of the answer.

Run by `make audit` (and so by `.ci/run`) as `python .ci/audit.py requirements.lock`.

- A known vulnerability in a pinned version fails the run, naming the package, the advisory and
  the versions that fix it.
- A package the vulnerability service could not answer for (an offline machine, a mirror that
  does not serve PyPI's per-version JSON) is listed as *not audited*. That is a loud warning,
  not a failure, so that a closed network does not turn CI red for nothing; set
  FLIPSIDE_AUDIT_STRICT=1 where the service is reachable to make it a failure too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Verdict:
    exit_code: int
    audited: list[str] = field(default_factory=list)
    vulnerable: list[str] = field(default_factory=list)
    not_audited: list[str] = field(default_factory=list)

    def report(self) -> str:
        lines = [
            f"pip-audit: {len(self.audited)} packages audited, "
            f"{len(self.vulnerable)} with known vulnerabilities, "
            f"{len(self.not_audited)} not audited."
        ]
        lines += [f"  VULNERABLE {line}" for line in self.vulnerable]
        if self.not_audited:
            lines.append(
                "  WARNING: the vulnerability service gave no answer for: "
                + ", ".join(self.not_audited)
            )
        return "\n".join(lines)


def verdict(report: dict | None, *, strict: bool) -> Verdict:
    """Judge pip-audit's JSON report; None means pip-audit could not run its queries at all."""
    if report is None:
        return Verdict(exit_code=1 if strict else 0, not_audited=["(every package)"])
    result = Verdict(exit_code=0)
    for dependency in report.get("dependencies", []):
        name = f"{dependency['name']} {dependency.get('version', '')}".strip()
        if "skip_reason" in dependency:
            result.not_audited.append(name)
            continue
        result.audited.append(name)
        for vuln in dependency.get("vulns", []):
            fixes = ", ".join(vuln.get("fix_versions", [])) or "no fixed release"
            result.vulnerable.append(f"{name}: {vuln['id']} (fixed in {fixes})")
    if result.vulnerable or (strict and result.not_audited):
        result.exit_code = 1
    return result


def run_pip_audit(lock: Path) -> dict | None:
    command = [
        sys.executable,
        "-m",
        "pip_audit",
        "--requirement",
        str(lock),
        "--no-deps",  # the lock already lists every package, dependencies included
        "--disable-pip",
        "--format",
        "json",
        "--progress-spinner",
        "off",
        "--timeout",
        "20",
    ]
    completed = subprocess.run(command, capture_output=True, text=True)
    try:
        return json.loads(completed.stdout)
    except json.JSONDecodeError:
        tail = completed.stderr.strip().splitlines()[-1:] or ["no output"]
        print(f"pip-audit could not run its queries: {tail[0]}", file=sys.stderr)
        return None


def main(argv: list[str]) -> int:
    lock = Path(argv[1] if len(argv) > 1 else "requirements.lock")
    strict = os.environ.get("FLIPSIDE_AUDIT_STRICT") == "1"
    result = verdict(run_pip_audit(lock), strict=strict)
    print(result.report())
    return result.exit_code


if __name__ == "__main__":
    sys.exit(main(sys.argv))
