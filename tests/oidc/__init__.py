"""The test OpenID provider (provider.mjs, npm oidc-provider) in its own Node process, and a
person's browser at it: follows its redirects, picks a test person on its sign-in page."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("provider.mjs")
HINT = (
    "The single sign-on tests run a real OpenID provider on Node: install Node 20 and npm "
    "(apt-get install nodejs npm), then `make install-test` (npm ci installs oidc-provider)."
)


def required() -> bool:
    """CI (.ci/run sets FLIPSIDE_REQUIRE_BROWSER=1) and FLIPSIDE_REQUIRE_NODE=1: no skipping."""
    return "1" in (
        os.environ.get("FLIPSIDE_REQUIRE_BROWSER"),
        os.environ.get("FLIPSIDE_REQUIRE_NODE"),
    )


def missing() -> str | None:
    if shutil.which("node") is None:
        return "node was not found. " + HINT
    if not (ROOT / "node_modules" / "oidc-provider").is_dir():
        return "node_modules/oidc-provider is missing. " + HINT
    return None


@dataclass(frozen=True)
class Provider:
    issuer: str

    def secret(self, client_id: str) -> str:
        return f"{client_id}-secret"  # as provider.mjs makes them


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running(redirect_uri: str, log: Path):
    """Start provider.mjs on a free loopback port; yield a Provider once it listens."""
    problem = missing()
    if problem:
        (pytest.fail if required() else pytest.skip)(problem)
    port = _free_port()
    command = ["node", str(SCRIPT), "--port", str(port), "--redirect-uri", redirect_uri]
    with open(log, "w") as errors:
        process = subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.PIPE, stderr=errors, text=True
        )
        try:
            line = process.stdout.readline()  # one line of JSON once it listens
            if not line:
                process.wait(timeout=10)
                raise RuntimeError(f"the test provider did not start:\n{log.read_text()}")
            yield Provider(json.loads(line)["issuer"])
        finally:
            process.terminate()
            process.wait(timeout=10)
            process.stdout.close()


def sign_in_at_provider(authorize_url: str, person: str, app_base: str) -> str:
    """Follow the provider's pages as a browser would, picking `person` on its sign-in page;
    return the path (with query) the provider sends the browser back to on the app."""
    import requests

    browser = requests.Session()
    url = authorize_url
    try:
        for _ in range(12):
            if url.startswith(app_base):
                parts = urlsplit(url)
                return f"{parts.path}?{parts.query}"
            answer = browser.get(url, allow_redirects=False, timeout=10)
            if answer.status_code == 200 and "/interaction/" in url:
                answer = browser.post(
                    url.rstrip("/") + "/login",
                    data={"account": person},
                    allow_redirects=False,
                    timeout=10,
                )
            assert answer.is_redirect, f"{url}: {answer.status_code} {answer.text[:300]}"
            url = urljoin(url, answer.headers["Location"])
        raise AssertionError("the provider never sent the browser back")
    finally:
        browser.close()
