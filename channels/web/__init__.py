"""The web app: Flask application factory, one blueprint per concern.

`flask --app channels.web case-admin ...` runs the case store's administration commands.
"""
from __future__ import annotations

from typing import Any

from flask import Flask

from casestore.cli import case_admin
from channels.web import (auth, cases, chat, database, errors, exports, health, pages,
                          process_map, protocol, security, sessions, settings)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(settings.from_environment(config or {}))
    database.init_app(app)
    sessions.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    health.init_app(app)
    auth.init_app(app)
    pages.init_app(app)
    chat.init_app(app)
    protocol.init_app(app)
    cases.init_app(app)
    exports.init_app(app)
    process_map.init_app(app)
    app.cli.add_command(case_admin)
    return app
