"""The chat page and its API: the browser talks only to the web app, which forwards to Rasa
with the signed identity of the logged-in practitioner.

Personal details are screened here, before forwarding: Rasa's conversation store keeps every
message it is given, so a pasted referral with names, a phone number or a date of birth is held
back, and the page is told what kinds of detail were found (never the details themselves). The
practitioner takes them out, or sends the same text again with `"confirmed": true`; that is
forwarded, with `personal_details_confirmed` in the message metadata.
"""
from __future__ import annotations

import hashlib
import hmac

from flask import (Blueprint, Flask, Response, current_app, g, jsonify, render_template, request,
                   session, url_for)

from casestore import pii

from . import rasa_client

bp = Blueprint("chat", __name__, url_prefix="/chat")

UNREACHABLE = ("The assistant cannot be reached just now, so your message was not answered and "
               "nothing was recorded. Please try again in a minute; if it keeps happening, tell "
               "your system administrator.")
TIMED_OUT = ("The assistant took too long to answer. It may still have recorded your answer: "
             "check the case page before repeating it.")
HELD = ("Not sent: your message looks like it contains personal details ({found}). Conversations "
        "with the assistant are kept, so please take them out (use the case reference instead of "
        "names) and send it again. If they need to stay in, choose “Send it as typed”.")
HELD_KEY = "chat_held"  # a keyed digest of the text last held back, never the text


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
    text = text.strip()
    confirmed = body.get("confirmed") is True and hmac.compare_digest(session.get(HELD_KEY, ""), _digest(text))
    if not confirmed:
        findings = pii.screen(text)
        if findings:
            session[HELD_KEY] = _digest(text)
            labels = list(dict.fromkeys(finding.label for finding in findings))
            current_app.logger.info("chat message held back: %s", ", ".join(sorted({f.kind for f in findings})))
            return jsonify(error=HELD.format(found=pii.describe(findings)), personal_details=labels), 422
    try:
        raw = rasa_client.send(current_app.config["RASA_URL"], session["chat_sender"],
                               g.practitioner.username, text,
                               current_app.config["RASA_TIMEOUT_SECONDS"],
                               personal_details_confirmed=confirmed)
    except rasa_client.RasaUnavailable as error:
        return jsonify(error=TIMED_OUT if error.timed_out else UNREACHABLE), 504 if error.timed_out else 502
    if confirmed:
        session.pop(HELD_KEY)
    replies = rasa_client.shape(raw, lambda unit_id: url_for("protocol.unit", unit_id=unit_id))
    return jsonify(replies=[r.as_json() for r in replies])


def _digest(text: str) -> str:
    """Which text was held back, keyed with the app's secret so the session row cannot be
    matched against guessed details."""
    key = str(current_app.secret_key).encode()
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
