"""CSRF protection on every form and on the chat API, security headers, and error pages for
refused requests."""
from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

csrf = CSRFProtect()

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
])


def wants_json() -> bool:
    return request.path.startswith("/chat/api/") or request.is_json


def _security_headers(response: Response) -> Response:
    headers = response.headers
    headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    headers["X-Frame-Options"] = "DENY"
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "no-referrer"  # case references appear in URLs
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), interest-cohort=()"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Cross-Origin-Resource-Policy"] = "same-origin"
    if request.is_secure:
        headers["Strict-Transport-Security"] = "max-age=31536000"
    if request.endpoint != "static":
        # Every page but the static files may show case content or a session's state.
        headers["Cache-Control"] = "no-store, max-age=0"
        headers["Pragma"] = "no-cache"
    return response


def _csrf_failed(error: CSRFError) -> tuple[Response | str, int]:
    message = ("This form or page has expired or did not come from this site (its security "
               "token was missing or wrong). Reload the page and try again.")
    if wants_json():
        return jsonify(error=message), 400
    return render_template("error.html", title="Please try again", message=message), 400


def init_app(app: Flask) -> None:
    if app.config.get("WEB_TRUST_PROXY"):  # behind a TLS-terminating reverse proxy
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]
    csrf.init_app(app)
    app.register_error_handler(CSRFError, _csrf_failed)
    app.after_request(_security_headers)
