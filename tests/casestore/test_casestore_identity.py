"""Signed identity claims (channels.identity) and their resolution (casestore.identity)."""
from __future__ import annotations

import json
import os
import stat
import time
from pathlib import Path

import jwt
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from casestore.errors import IdentityRefused, UnknownPractitioner
from casestore.identity import authenticate, resolve
from casestore.models import AuditEvent
from channels import identity
from channels.identity import InvalidClaim, confirms, issue_claim, verify_claim

pytestmark = pytest.mark.usefixtures("identity_secret")


def _token(payload: dict, secret: str | None = None, algorithm: str = "HS256") -> str:
    return jwt.encode(payload, secret or os.environ["IDENTITY_SECRET"], algorithm=algorithm)


def _payload(**changes: object) -> dict:
    now = int(time.time())
    payload = {"sub": "alice", "idp": "web", "aud": "iioc-actions", "iat": now, "exp": now + 600}
    payload.update(changes)
    return {k: v for k, v in payload.items() if v is not None}


# ----- channels.identity (runs in both environments: stdlib + PyJWT only) ---------------------


def test_issue_and_verify_round_trip() -> None:
    claims = verify_claim(issue_claim("alice", "web"))
    assert (claims["sub"], claims["idp"], claims["aud"]) == ("alice", "web", "iioc-actions")
    assert claims["exp"] - claims["iat"] == 900
    teams = verify_claim(issue_claim("aad-alice", "teams", tid="tenant-1", ttl=60))
    assert (teams["sub"], teams["tid"]) == ("aad-alice", "tenant-1")


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        (lambda: _token(_payload(), secret="another-secret-of-sufficient-length-000000"), "signature"),
        (lambda: issue_claim("alice", "web")[:-4] + "AAAA", "signature"),
        (lambda: _token(_payload(aud="somebody-else")), "audience"),
        (lambda: _token(_payload(aud=None)), "aud"),
        (lambda: _token(_payload(iat=int(time.time()) - 2000, exp=int(time.time()) - 1000)), "expired"),
        (lambda: issue_claim("alice", "web", ttl=-120), "expired"),
        (lambda: _token(_payload(sub=None)), "sub"),
        (lambda: _token(_payload(exp=None)), "exp"),
        (lambda: _token(_payload(idp="google")), "identity provider"),
        (lambda: _token(_payload(idp="teams")), "tenant"),
        (lambda: _token(_payload(exp=int(time.time()) + 86400)), "longer"),
        (lambda: _token(_payload(), algorithm="HS512"), "not valid"),
        (lambda: jwt.encode(_payload(), None, algorithm="none"), "not valid"),
        (lambda: "not-a-jwt", "not valid"),
        (lambda: "", "no identity claim"),
        (lambda: None, "no identity claim"),
    ],
    ids=[
        "forged", "tampered", "wrong-audience", "no-audience", "expired", "expired-ttl",
        "no-sub", "no-exp", "bad-idp", "teams-without-tid", "too-long-lived", "wrong-alg",
        "alg-none", "garbage", "empty", "missing",
    ],
)
def test_bad_claims_are_refused(token, reason: str) -> None:
    with pytest.raises(InvalidClaim) as raised:
        verify_claim(token())
    assert reason in str(raised.value)


def test_issue_claim_checks_its_arguments() -> None:
    with pytest.raises(ValueError):
        issue_claim("alice", "facebook")
    with pytest.raises(ValueError):
        issue_claim("aad", "teams")  # no tenant
    with pytest.raises(ValueError):
        issue_claim("alice", "web", ttl=3600)
    with pytest.raises(ValueError):
        issue_claim("", "web")


def test_secret_file_is_created_once_with_private_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("IDENTITY_SECRET")
    path = tmp_path / "secrets" / "identity_secret"
    secret = identity.identity_secret(path)
    assert len(secret) >= 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert identity.identity_secret(path) == secret
    token = issue_claim("alice", "web", secret=secret)
    assert verify_claim(token, secret=secret)["sub"] == "alice"


def test_short_secret_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IDENTITY_SECRET", "short")
    with pytest.raises(identity.IdentityConfigError):
        issue_claim("alice", "web")


def test_identity_module_imports_only_stdlib_and_pyjwt() -> None:
    source = Path(identity.__file__).read_text()
    imported = {
        line.split()[1].split(".")[0]
        for line in source.splitlines()
        if line.startswith(("import ", "from "))
    }
    assert imported <= {"__future__", "hashlib", "hmac", "os", "secrets", "time", "pathlib", "typing", "jwt"}


# ----- casestore.identity ---------------------------------------------------------------------


def _last_audit(session: Session) -> AuditEvent:
    event = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event is not None
    return event


def test_web_and_teams_claims_resolve(session: Session, people) -> None:
    assert authenticate(session, issue_claim("alice", "web"), "web").id == people["alice"].id
    teams = issue_claim("aad-alice", "teams", tid="tenant-1")
    assert authenticate(session, teams, "teams").id == people["alice"].id
    assert resolve(session, {"sub": "bob", "idp": "web"}).id == people["bob"].id


@pytest.mark.parametrize(
    "token",
    [
        lambda: _token(_payload(), secret="forged-secret-forged-secret-forged-secret"),
        lambda: issue_claim("alice", "web", ttl=-120),
        lambda: _token(_payload(aud="elsewhere")),
        lambda: None,
    ],
    ids=["forged", "expired", "wrong-audience", "missing"],
)
def test_invalid_claims_are_refused_and_audited(session: Session, people, token) -> None:
    with pytest.raises(IdentityRefused) as raised:
        authenticate(session, token(), "web")
    assert "protocol questions can still be answered" in str(raised.value)
    event = _last_audit(session)
    assert (event.action, event.practitioner_id, event.channel) == ("refused_identity", None, "web")


@pytest.mark.parametrize(
    ("sub", "idp", "tid"),
    [
        ("nobody", "web", None),
        ("aad-alice", "teams", "another-tenant"),  # right user, wrong tenant
        ("aad-unknown", "teams", "tenant-1"),
        ("aad-alice", "web", None),  # a Teams id presented as a web login
        ("gone", "web", None),  # inactive
    ],
)
def test_unknown_practitioner_is_refused_and_audited(
    session: Session, people, sub: str, idp: str, tid: str | None, caplog
) -> None:
    with pytest.raises(UnknownPractitioner) as raised:
        authenticate(session, issue_claim(sub, idp, tid=tid), idp)
    message = str(raised.value)
    assert "ask your system administrator to" in message
    assert "Protocol questions can still be answered." in message
    # plain words for the person; the identifiers go to the audit row and the log only
    assert sub not in message and (tid or "tenant") not in message and "case-admin" not in message
    assert sub in caplog.text
    event = _last_audit(session)
    assert event.action == "refused_identity" and sub in (event.detail or "")


def test_an_unlinked_teams_user_is_told_in_plain_words(session: Session, people) -> None:
    with pytest.raises(UnknownPractitioner) as raised:
        authenticate(session, issue_claim("aad-unknown", "teams", tid="tenant-1"), "teams")
    assert str(raised.value) == (
        "Your Teams account is not set up for case work yet; ask your system administrator to "
        "link it. Protocol questions can still be answered.")


def test_an_inactive_account_is_told_to_ask_for_reactivation(session: Session, people) -> None:
    with pytest.raises(UnknownPractitioner) as raised:
        authenticate(session, issue_claim("gone", "web"), "web")
    assert str(raised.value).startswith("Your web login is no longer active for case work")


def test_a_web_claim_can_name_the_text_sent_as_typed() -> None:
    claims = verify_claim(issue_claim("alice", "web", confirmed_text="  Gareth Jones, 12 High Street "))
    assert confirms(claims, "Gareth Jones, 12 High Street")  # Rasa strips a message's text
    assert not confirms(claims, "Gareth Jones, 14 High Street")
    assert "Gareth" not in json.dumps(claims)  # the digest, never the text
    assert not confirms(verify_claim(issue_claim("alice", "web")), "Gareth Jones, 12 High Street")
    with pytest.raises(ValueError):
        issue_claim("aad-alice", "teams", tid="tenant-1", confirmed_text="Gareth Jones")
