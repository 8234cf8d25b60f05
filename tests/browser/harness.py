"""The browser harness: find Debian's Chromium, run the portal in a real server process.

Used by the browser tests and by `make screenshots`. Nothing here downloads a browser.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from tests.servers import clean_environment

ROOT = Path(__file__).resolve().parents[2]
DEMO_PASSWORD = "flipside-demo"
INSTALL_HINT = (
    "Chromium was not found. Install Debian's package with `apt-get install -y chromium` "
    "(or set CHROMIUM_PATH); Playwright's own browser download is not used."
)
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_path() -> str | None:
    """Debian's Chromium, or the one CHROMIUM_PATH names."""
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium"):
        if candidate and Path(candidate).exists():
            return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


def browser_required() -> bool:
    """CI sets FLIPSIDE_REQUIRE_BROWSER=1: a missing browser then fails instead of skipping."""
    return os.environ.get("FLIPSIDE_REQUIRE_BROWSER") == "1"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the server did not answer on {url} within {seconds} s")


SERVER_SECRET_KEY = "browser-tests-only"
# Single sign-on configured, so the audit sees its button and pages. Nothing listens at the
# issuer: the pages audited never reach the provider. The label does not start with "Sign in",
# so the password form's button stays the one named "Sign in".
SSO_SETTINGS = {
    "FLIPSIDE_OIDC_ISSUER": "http://127.0.0.1:9",
    "FLIPSIDE_OIDC_CLIENT_ID": "flipside",
    "FLIPSIDE_OIDC_CLIENT_SECRET": "browser-tests-only",
    "FLIPSIDE_OIDC_LABEL": "Continue with Contoso",
}


@contextmanager
def portal_server(workdir: Path, database_url: str | None = None):
    """Serve the portal with demo data from a throwaway database; yields (base_url, env)."""
    env = clean_environment(
        FLIPSIDE_ENV="development",
        SECRET_KEY=SERVER_SECRET_KEY,
        FLIPSIDE_INSTANCE_PATH=str(workdir),
        DATABASE_URL=database_url or f"sqlite:///{workdir / 'browser.db'}",
        FLASK_APP="wsgi",
        **SSO_SETTINGS,
    )
    flask = [sys.executable, "-m", "flask"]
    for command in ("init-db", "seed-demo"):
        subprocess.run([*flask, command], env=env, cwd=ROOT, check=True, capture_output=True)
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    with open(workdir / "server.log", "wb") as log:
        process = subprocess.Popen(
            [*flask, "run", "--host", "127.0.0.1", "--port", str(port), "--with-threads"],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_up(base_url, process)
            yield base_url, env
        finally:
            process.terminate()
            process.wait(timeout=10)


def sign_in(page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the form, as a person would."""
    page.goto("/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
