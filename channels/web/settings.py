"""The web app's settings from the environment (the one reader of FLASK_SECRET_KEY and the
WEB_* variables), turned into Flask config by `create_app`."""
from __future__ import annotations

import os
import secrets
from typing import Any

from casestore.config import var_dir

MAX_MESSAGE_CHARS = 4000
SESSION_IDLE_MINUTES = 30
SESSION_MAX_HOURS = 10
LOCKOUT_ATTEMPTS = 5
LOCKOUT_MINUTES = 15


def flask_secret_key() -> str:
    """FLASK_SECRET_KEY, else <var>/secrets/flask_secret (created on first use, mode 0600)."""
    key = os.environ.get("FLASK_SECRET_KEY", "").strip()
    if key:
        return key
    path = var_dir() / "secrets" / "flask_secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_urlsafe(48))
    return path.read_text(encoding="utf-8").strip()


def cookie_secure_mode() -> str:
    """WEB_SECURE_COOKIES: "auto" (Secure when the request came over https), "true" or "false"."""
    mode = os.environ.get("WEB_SECURE_COOKIES", "auto").strip().lower()
    return mode if mode in ("auto", "true", "false") else "auto"


def from_environment(given: dict[str, Any]) -> dict[str, Any]:
    """The app's config: `given` (tests, callers) over the environment over defaults."""
    config = {
        "RASA_URL": os.environ.get("RASA_URL", "http://127.0.0.1:5005").rstrip("/"),
        "RASA_TIMEOUT_SECONDS": float(os.environ.get("WEB_RASA_TIMEOUT", "60")),
        "WEB_SECURE_COOKIES": cookie_secure_mode(),
        "WEB_TRUST_PROXY": os.environ.get("WEB_TRUST_PROXY", "") in ("1", "true"),
        "DATABASE_URL": None,  # None: casestore.config.database_url()
        "MAX_MESSAGE_CHARS": MAX_MESSAGE_CHARS,
        "SESSION_IDLE_MINUTES": SESSION_IDLE_MINUTES,
        "SESSION_MAX_HOURS": SESSION_MAX_HOURS,
        "LOCKOUT_ATTEMPTS": LOCKOUT_ATTEMPTS,
        "LOCKOUT_MINUTES": LOCKOUT_MINUTES,
        "SESSION_COOKIE_NAME": "iioc_session",
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the server-side session
        "WTF_CSRF_HEADERS": ["X-CSRFToken"],
        "MAX_CONTENT_LENGTH": 64 * 1024,
    } | given
    if not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = flask_secret_key()
    return config
