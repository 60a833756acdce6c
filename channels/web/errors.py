"""Error pages: a case the team cannot see is a 404 with the same words whether it exists or not
(the refusal itself is audited by the case service)."""
from __future__ import annotations

from flask import Flask, Response, jsonify, render_template
from werkzeug.exceptions import HTTPException

from casestore.errors import AccessDenied, InvalidReference, StoreUnavailable, UnknownCase

from .security import wants_json


def not_your_case(reference: str) -> tuple[str, int]:
    return render_template("error.html", title="Not a case your team can see",
                           message=f"{reference} is not a case your team can see. Check the "
                                   "reference; practitioners can only see their own team's cases."), 404


def _case_refused(error: AccessDenied | UnknownCase | InvalidReference) -> tuple[str, int]:
    reference = getattr(error, "reference", None) or str(getattr(error, "text", "That"))
    return not_your_case(reference)


def _store_unavailable(error: StoreUnavailable) -> tuple[str | Response, int]:
    if wants_json():
        return jsonify(error=str(error)), 503
    return render_template("error.html", title="The case record is unavailable", message=str(error)), 503


def _http_error(error: HTTPException) -> tuple[str | Response, int]:
    status = error.code or 500
    message = {404: "There is no page at this address.",
               405: "That action is not available here."}.get(status, error.description or "")
    if wants_json():
        return jsonify(error=message), status
    return render_template("error.html", title=error.name, message=message), status


def init_app(app: Flask) -> None:
    app.register_error_handler(AccessDenied, _case_refused)
    app.register_error_handler(UnknownCase, _case_refused)
    app.register_error_handler(InvalidReference, _case_refused)
    app.register_error_handler(StoreUnavailable, _store_unavailable)
    app.register_error_handler(HTTPException, _http_error)
