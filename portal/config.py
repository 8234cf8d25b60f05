"""Configuration from environment variables, with safe defaults for local use."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_SECRET_KEY = "flipside-development-key-not-for-production"
# A Redis that stops answering costs a request one second, not a worker's whole timeout.
REDIS_TIMEOUTS = {"socket_connect_timeout": 1, "socket_timeout": 1}


class ConfigError(RuntimeError):
    """The configuration cannot be used; the message says how to fix it."""


def database_url(raw: str | None, instance_path: str) -> str:
    """Return a SQLAlchemy URL, defaulting to SQLite under the instance folder."""
    if not raw:
        return f"sqlite:///{Path(instance_path) / 'flipside.db'}"
    # Only psycopg 3 is installed: accept the plain forms people paste from hosting panels.
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix) :]
    return raw


def from_environment(instance_path: str, env: Mapping[str, str] = os.environ) -> dict:
    """Build the config dictionary from the process environment."""
    mode = env.get("FLIPSIDE_ENV", "development").strip().lower()
    redis_prefix = env.get("FLIPSIDE_REDIS_PREFIX") or "flipside"
    return {
        "FLIPSIDE_ENV": mode,
        "SECRET_KEY": env.get("SECRET_KEY", DEFAULT_SECRET_KEY),
        "SQLALCHEMY_DATABASE_URI": database_url(env.get("DATABASE_URL"), instance_path),
        "FLIPSIDE_TIMEZONE": env.get("FLIPSIDE_TIMEZONE", "UTC"),
        "LESSONS_PER_PAGE": int(env.get("FLIPSIDE_LESSONS_PER_PAGE", "10")),
        "PASSWORD_HASH_METHOD": "scrypt",
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": mode == "production",
        # __Host- cookies are only accepted over HTTPS, for this exact host and path "/".
        "SESSION_COOKIE_NAME": "__Host-flipside" if mode == "production" else "flipside",
        "REMEMBER_COOKIE_NAME": "__Host-remember" if mode == "production" else "remember_token",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SECURE": mode == "production",
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,
        # One count for every worker and server when Redis is there; per process otherwise.
        "RATELIMIT_STORAGE_URI": env.get("REDIS_URL") or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        # Redis gone: count per process (warned once) rather than refuse every sign-in.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_STORAGE_OPTIONS": REDIS_TIMEOUTS if env.get("REDIS_URL") else {},
        # Computed figures (the program report): shared in Redis, else per process; either way
        # safe to lose, since everything cached can be computed again from the database.
        "CACHE_TYPE": "RedisCache" if env.get("REDIS_URL") else "SimpleCache",
        "CACHE_REDIS_URL": env.get("REDIS_URL"),
        # Every key this app writes to Redis starts with the prefix (several sites, or a test
        # run, can share one Redis and tell their keys apart).
        "CACHE_KEY_PREFIX": f"{redis_prefix}:",
        "RATELIMIT_KEY_PREFIX": redis_prefix,
        "CACHE_OPTIONS": REDIS_TIMEOUTS if env.get("REDIS_URL") else {},
        # How many reverse proxies in front of the app may set X-Forwarded-For (0: none).
        "FLIPSIDE_PROXY_HOPS": int(env.get("FLIPSIDE_PROXY_HOPS", "0")),
        "FLIPSIDE_REPORT_SECONDS": int(env.get("FLIPSIDE_REPORT_SECONDS", "60")),
        # The site as people reach it: the start of every link in an email.
        "FLIPSIDE_BASE_URL": env.get("FLIPSIDE_BASE_URL", "http://127.0.0.1:5000"),
        # Email (Flask's usual names). No MAIL_SERVER: messages become .eml files in
        # FLIPSIDE_OUTBOX_DIR (instance/outbox/).
        "FLIPSIDE_OUTBOX_DIR": env.get("FLIPSIDE_OUTBOX_DIR")
        or os.path.join(instance_path, "outbox"),
        # From this hour (the person's own time zone) the day's digest email goes out.
        "FLIPSIDE_DIGEST_HOUR": int(env.get("FLIPSIDE_DIGEST_HOUR", "8")),
        # An answer waiting longer than this for feedback reminds its mentors.
        "FLIPSIDE_FEEDBACK_REMINDER_DAYS": int(env.get("FLIPSIDE_FEEDBACK_REMINDER_DAYS", "3")),
        "MAIL_SERVER": env.get("MAIL_SERVER") or None,
        "MAIL_PORT": int(env.get("MAIL_PORT", "25")),
        "MAIL_USE_TLS": _flag(env.get("MAIL_USE_TLS")),
        "MAIL_USE_SSL": _flag(env.get("MAIL_USE_SSL")),
        "MAIL_USERNAME": env.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD") or None,
        "MAIL_DEFAULT_SENDER": env.get("MAIL_DEFAULT_SENDER", "Flipside <flipside@localhost>"),
        # Single sign-on with an OpenID provider (discovery from the issuer); all three or none.
        "FLIPSIDE_OIDC_ISSUER": (env.get("FLIPSIDE_OIDC_ISSUER") or "").strip().rstrip("/") or None,
        "FLIPSIDE_OIDC_CLIENT_ID": env.get("FLIPSIDE_OIDC_CLIENT_ID") or None,
        "FLIPSIDE_OIDC_CLIENT_SECRET": env.get("FLIPSIDE_OIDC_CLIENT_SECRET") or None,
        "FLIPSIDE_OIDC_LABEL": env.get("FLIPSIDE_OIDC_LABEL") or DEFAULT_SSO_LABEL,
        # Password sign-in, sign-up and reset only for accounts made with `flask create-user`.
        "FLIPSIDE_SSO_ONLY": _flag(env.get("FLIPSIDE_SSO_ONLY")),
    }


DEFAULT_SSO_LABEL = "Sign in with your organisation's account"
OIDC_SETTINGS = ("FLIPSIDE_OIDC_ISSUER", "FLIPSIDE_OIDC_CLIENT_ID", "FLIPSIDE_OIDC_CLIENT_SECRET")


def sso_configured(config: Mapping) -> bool:
    """True when single sign-on is set up (issuer, client id and secret)."""
    return all(config.get(name) for name in OIDC_SETTINGS)


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def check(config: Mapping) -> None:
    """Refuse settings that are unsafe or unusable."""
    if config.get("FLIPSIDE_ENV") == "production" and config["SECRET_KEY"] == DEFAULT_SECRET_KEY:
        raise ConfigError(
            "FLIPSIDE_ENV=production needs a SECRET_KEY of its own: "
            "set SECRET_KEY to a long random value, e.g. the output of "
            '`python -c "import secrets; print(secrets.token_hex())"`.'
        )
    if config.get("FLIPSIDE_PROXY_HOPS", 0) < 0:
        raise ConfigError(
            "FLIPSIDE_PROXY_HOPS is the number of reverse proxies in front of Flipside "
            "(0 when browsers reach it directly); it cannot be negative."
        )
    _check_sso(config)
    try:
        ZoneInfo(config["FLIPSIDE_TIMEZONE"])
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(
            f"FLIPSIDE_TIMEZONE={config['FLIPSIDE_TIMEZONE']!r} is not a known time zone "
            "(use a name such as Europe/Berlin or UTC)."
        ) from exc


def _check_sso(config: Mapping) -> None:
    given = [name for name in OIDC_SETTINGS if config.get(name)]
    if given and len(given) < len(OIDC_SETTINGS):
        missing = ", ".join(name for name in OIDC_SETTINGS if name not in given)
        raise ConfigError(f"Single sign-on needs all of {', '.join(OIDC_SETTINGS)}: set {missing}.")
    if config.get("FLIPSIDE_SSO_ONLY") and not given:
        raise ConfigError(
            "FLIPSIDE_SSO_ONLY=1 turns password sign-in off, so it needs single sign-on: "
            "set FLIPSIDE_OIDC_ISSUER, FLIPSIDE_OIDC_CLIENT_ID and FLIPSIDE_OIDC_CLIENT_SECRET."
        )
    issuer = urlsplit(config.get("FLIPSIDE_OIDC_ISSUER") or "")
    if given and (
        issuer.scheme not in ("https", "http")
        or (issuer.scheme == "http" and issuer.hostname not in ("127.0.0.1", "localhost", "::1"))
    ):
        raise ConfigError(
            "FLIPSIDE_OIDC_ISSUER is the provider's https:// address, exactly as its discovery "
            "document names it (http:// only for a provider on this machine)."
        )
