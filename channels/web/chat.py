"""The chat page and its API: the browser talks only to the web app, which forwards to Rasa
with the signed identity of the logged-in practitioner."""
from __future__ import annotations

from flask import (Blueprint, Flask, Response, current_app, g, jsonify, render_template, request,
                   session, url_for)

from . import rasa_client

bp = Blueprint("chat", __name__, url_prefix="/chat")

UNREACHABLE = ("The assistant cannot be reached just now, so your message was not answered and "
               "nothing was recorded. Please try again in a minute; if it keeps happening, tell "
               "your system administrator.")
TIMED_OUT = ("The assistant took too long to answer. It may still have recorded your answer: "
             "check the case page before repeating it.")


@bp.get("")
def page() -> str:
    return render_template("chat.html", max_chars=current_app.config["MAX_MESSAGE_CHARS"])


@bp.post("/api/message")
def message() -> tuple[Response, int] | Response:
    body = request.get_json(silent=True)
    text = body.get("message") if isinstance(body, dict) else None
    if not isinstance(text, str) or not text.strip():
        return jsonify(error="Type a message first."), 400
    limit = current_app.config["MAX_MESSAGE_CHARS"]
    if len(text) > limit:
        return jsonify(error=f"Messages can be at most {limit:,} characters; this one has "
                             f"{len(text):,}. Please shorten it or send it in parts."), 413
    try:
        raw = rasa_client.send(current_app.config["RASA_URL"], session["chat_sender"],
                               g.practitioner.username, text.strip(),
                               current_app.config["RASA_TIMEOUT_SECONDS"])
    except rasa_client.RasaUnavailable as error:
        return jsonify(error=TIMED_OUT if error.timed_out else UNREACHABLE), 504 if error.timed_out else 502
    replies = rasa_client.shape(raw, lambda unit_id: url_for("protocol.unit", unit_id=unit_id))
    return jsonify(replies=[r.as_json() for r in replies])


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
