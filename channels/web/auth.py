"""Sign in and out with the case store's practitioner accounts; every other page needs a login."""
from __future__ import annotations

import logging
import secrets
from datetime import datetime

from flask import (Blueprint, Flask, Response, current_app, g, jsonify, redirect,
                   render_template, request, session, url_for)
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from casestore import accounts
from casestore.models import Practitioner
from casestore.timeutil import now_utc

from . import lockout
from .database import db
from .security import wants_json
from .sessions import ServerSession

log = logging.getLogger(__name__)
bp = Blueprint("auth", __name__)

PUBLIC_ENDPOINTS = frozenset({"auth.login", "auth.logout", "auth.signed_out", "health.health",
                              "static", "pages.accessibility"})
WRONG_CREDENTIALS = "The username or password is not right."


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired(), Length(max=64)],
                           render_kw={"autocomplete": "username", "autocapitalize": "none",
                                      "spellcheck": "false"})
    password = PasswordField("Password", validators=[DataRequired(), Length(max=256)],
                             render_kw={"autocomplete": "current-password"})


class LogoutForm(FlaskForm):
    """Only the CSRF token: signing out is a POST so other sites cannot sign people out."""


def server_session() -> ServerSession:
    assert isinstance(session, ServerSession), "the server-side session interface is not installed"
    return session


def _safe_next(target: str | None) -> str:
    """A local path to return to after login, never another site."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("chat.page")


def _lockout_message(until: datetime) -> str:
    minutes = max(1, round((until - now_utc()).total_seconds() / 60))
    return (f"Too many failed sign-in attempts for this username: it is locked for about "
            f"{minutes} more minute{'s' if minutes != 1 else ''}. Try again then, or ask your "
            "system administrator to unlock it (resetting your password also unlocks it).")


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | tuple[str, int] | str:
    if g.get("practitioner") is not None:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    error, status = None, 200
    if form.validate_on_submit():
        username = (form.username.data or "").strip().lower()
        config = current_app.config
        until = lockout.locked_until(db(), username)
        practitioner = None
        if until is None:
            practitioner = accounts.check_password(db(), username, form.password.data or "")
            if practitioner is None:
                until = lockout.record_failure(db(), username, config["LOCKOUT_ATTEMPTS"],
                                               config["LOCKOUT_MINUTES"])
                if until is not None:
                    log.warning("web login locked for username %r after repeated failures", username)
        if practitioner is not None:
            lockout.record_success(db(), username)
            _start_session(practitioner)
            return redirect(_safe_next(request.args.get("next")))
        error = _lockout_message(until) if until else WRONG_CREDENTIALS
        status = 429 if until else 401
    elif request.method == "POST":
        error, status = _incomplete_form_message(form), 400
    return render_template("login.html", form=form, error=error,
                           attempts=current_app.config["LOCKOUT_ATTEMPTS"],
                           minutes=current_app.config["LOCKOUT_MINUTES"]), status


def _incomplete_form_message(form: LoginForm) -> str:
    """What to say when the form fails validation (an empty field, or one far too long)."""
    missing = [name for name, field in (("username", form.username), ("password", form.password))
               if not (field.data or "").strip()]
    if missing:
        return f"Enter your {' and '.join(missing)}."
    return WRONG_CREDENTIALS


def _start_session(practitioner: Practitioner) -> None:
    current = server_session()
    current.clear()
    current.rotate()
    current.update(uid=practitioner.id, username=practitioner.username,
                   chat_sender=f"web-{secrets.token_urlsafe(18)}")


@bp.route("/logout", methods=["GET", "POST"])
def logout() -> Response | str:
    if request.method == "GET":
        if g.get("practitioner") is None:
            return redirect(url_for("auth.login"))
        return render_template("logout.html", form=LogoutForm())
    server_session().end()
    response = redirect(url_for("auth.signed_out"))
    # Chromium honours Clear-Site-Data on the redirect, so the page after it starts clean.
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@bp.get("/signed-out")
def signed_out() -> Response:
    response = current_app.make_response(render_template("signed_out.html"))
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


def _require_login() -> Response | tuple[Response, int] | None:
    g.practitioner = None
    if request.endpoint == "static":
        return None
    uid = session.get("uid")
    if uid is not None:
        practitioner = db().get(Practitioner, uid)
        if practitioner is not None and practitioner.active:
            g.practitioner = practitioner
        else:  # deactivated since signing in: the session ends now
            server_session().end()
    if g.practitioner is not None or request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if wants_json():
        return jsonify(error="You are not signed in (or your session has ended). Sign in again.",
                       login=url_for("auth.login")), 401
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("auth.login", next=target))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.before_request(_require_login)

    @app.context_processor
    def _who() -> dict[str, object]:
        return {"practitioner": g.get("practitioner"), "logout_form": LogoutForm}
