"""A sign-in form sent with an empty field says what is missing (it used to come back blank)."""
from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from web_support import csrf_from


@pytest.mark.parametrize(("username", "password", "message"), [
    ("", "", "Enter your username and password."),
    ("  ", "", "Enter your username and password."),
    ("demo", "", "Enter your password."),
    ("", "some-password", "Enter your username."),
    ("x" * 65, "some-password", "The username or password is not right."),
])
def test_an_incomplete_form_says_what_is_missing(
    client: FlaskClient, username: str, password: str, message: str
) -> None:
    token = csrf_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"username": username, "password": password,
                                           "csrf_token": token})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'role="alert"' in html and message in html
    assert 'aria-describedby="login-error"' in html
