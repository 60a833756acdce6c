"""The web app: Flask application factory, one blueprint per concern."""
from __future__ import annotations

from typing import Any

from flask import Flask

from channels.web import health


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(config or {})
    health.init_app(app)
    return app
