"""Real gunicorn servers for tests, and a tiny browser to talk to them."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from http.cookiejar import CookieJar
from pathlib import Path

from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[1]
# What the app and gunicorn.conf.py read from the environment: a developer's own settings
# (an exported REDIS_URL, DATABASE_URL…) must not reach the servers tests start.
APP_VARIABLES = {
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "WEB_CONCURRENCY",
    "FORWARDED_ALLOW_IPS",
}


def clean_environment(**env: str) -> dict[str, str]:
    """This process's environment without the app's settings, plus `env`."""
    kept = {
        name: value
        for name, value in os.environ.items()
        if name not in APP_VARIABLES and not name.startswith("FLIPSIDE_")
    }
    return {**kept, **env}


class Browser:
    """A tiny HTTP client with cookies and CSRF tokens, like one person's browser."""

    def __init__(self, base: str):
        self.base, self.token = base, None
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), NoRedirect()
        )

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=30) as response:
            page = response.read().decode()
        found = re.search(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"', page)
        self.token = found.group(1) if found else self.token
        return page

    def post(self, path: str, data: dict) -> int:
        body = urllib.parse.urlencode({**data, "csrf_token": self.token}, doseq=True).encode()
        try:
            with self.opener.open(self.base + path, data=body, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def sign_in(self, email: str) -> None:
        self.get("/auth/login")
        assert self.post("/auth/login", {"email": email, "password": PASSWORD}) == 302


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

    def http_error_302(self, req, fp, code, msg, headers):
        return fp


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _url(settings: dict) -> str:
    url = settings["SQLALCHEMY_DATABASE_URI"]
    options = settings.get("SQLALCHEMY_ENGINE_OPTIONS", {}).get("connect_args", {}).get("options")
    return f"{url}?options={options.replace('=', '%3D')}" if options else url


def _wait_until_up(base: str, server: subprocess.Popen, log: Path, seconds: float = 30) -> None:
    """Return once /healthz answers; fail with the server's log if it exits or never does."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(
                f"gunicorn exited with code {server.returncode}; its log:\n{log.read_text()}"
            )
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(
        f"gunicorn did not answer on {base} within {seconds} s; its log:\n{log.read_text()}"
    )


@contextmanager
def gunicorn(tmp_path: Path, settings: dict, workers: int, **env):
    """A gunicorn server (gunicorn.conf.py) on a free port for `settings`' database; yields
    its base URL. Extra environment variables (REDIS_URL…) go to the server."""
    port = _port()
    log = tmp_path / f"gunicorn-{port}.log"
    environment = clean_environment(
        DATABASE_URL=_url(settings),
        SECRET_KEY="gunicorn-test",
        FLIPSIDE_ENV="development",
        FLIPSIDE_INSTANCE_PATH=str(tmp_path),
        WEB_CONCURRENCY=str(workers),
        FLIPSIDE_BIND=f"127.0.0.1:{port}",
        FLIPSIDE_ACCESS_LOG=str(tmp_path / "access.log"),
        **env,
    )
    with open(log, "wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
            cwd=ROOT,
            env=environment,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_until_up(base, server, log)
            yield base, log
        finally:
            server.terminate()
            server.wait(timeout=20)
