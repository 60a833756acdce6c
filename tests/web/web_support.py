"""Helpers shared by the web app tests: a fake Rasa REST endpoint, CSRF tokens, logging in."""
from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.serving import make_server
from werkzeug.test import TestResponse

TEST_PASSWORD = "correct-horse-battery"
IDENTITY_SECRET = "web-test-identity-secret-0123456789abcdef"
CSRF_INPUT = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


@contextmanager
def served_in_a_thread(app: Flask) -> Iterator[str]:
    """The web app on a free local port, for a real browser; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)


class FakeRasa:
    """A stand-in for Rasa's REST channel: records requests, answers with `replies`."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.replies: list[dict[str, Any]] = [{"recipient_id": "x", "text": "Hello <b>there</b>\nsecond line"}]
        self.delay = 0.0  # seconds before answering, for a slow assistant
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length", "0"))
                fake.requests.append(json.loads(self.rfile.read(length)))
                time.sleep(fake.delay)
                body = json.dumps(fake.replies).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def csrf_from(html: str) -> str:
    match = CSRF_INPUT.search(html) or CSRF_META.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def login(client: FlaskClient, username: str = "demo", password: str = TEST_PASSWORD) -> TestResponse:
    token = csrf_from(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token})
