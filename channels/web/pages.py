"""The start page and the accessibility statement; the protocol's version on every page."""
from __future__ import annotations

from flask import Blueprint, Flask, Response, redirect, render_template, url_for

import knowledge

bp = Blueprint("pages", __name__)


@bp.get("/")
def home() -> Response:
    return redirect(url_for("chat.page"))


@bp.get("/accessibility")
def accessibility() -> str:
    return render_template("accessibility.html")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)

    @app.context_processor
    def _protocol() -> dict[str, object]:
        return {"protocol_meta": knowledge.load().meta}
