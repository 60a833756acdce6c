"""/process: the child protection process of sections 2–8, drawn from kb.process. Section 14's
two process maps did not survive the conversion of the protocol; this is rebuilt from the text."""
from __future__ import annotations

from flask import Blueprint, Flask, render_template

import knowledge

from .process_layout import layout

bp = Blueprint("process", __name__)


def _points(points: list[tuple[float, float]]) -> str:
    return " ".join(f"{x},{y}" for x, y in points)


@bp.get("/process")
def page() -> str:
    kb = knowledge.load()
    drawn = layout(kb.process)
    loss = next((loss for loss in kb.losses if loss.id == "process-maps-lost"), None)
    return render_template("process.html", layout=drawn, process=kb.process, units=kb.units,
                           loss=loss, points=_points)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
