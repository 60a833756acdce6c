"""GET /health: is the assistant whole? Reports the Rasa server, the action server and the case store."""
from __future__ import annotations

import os
import urllib.request

from flask import Blueprint, Flask, jsonify
from sqlalchemy import text

from channels.web.database import engine

bp = Blueprint("health", __name__)


def _http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status < 500
    except Exception:
        return False


def _database_ok() -> bool:
    try:
        with engine().connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:
        return False


@bp.get("/health")
def health():
    checks = {
        "rasa": _http_ok(os.environ.get("RASA_URL", "http://127.0.0.1:5005") + "/"),
        "action_server": _http_ok(os.environ.get("ACTION_SERVER_URL", "http://127.0.0.1:5055") + "/health"),
        "database": _database_ok(),
    }
    status = "ok" if all(checks.values()) else "degraded"
    return jsonify(status=status, checks=checks), 200 if status == "ok" else 503


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
